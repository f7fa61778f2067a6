#include "plan/local_pep440.hpp"

#include <gtest/gtest.h>

namespace gpuenv::plan::local {
namespace {

bool m(const char* spec, const char* version) {
  auto s = VersionSpec::parse(spec);
  EXPECT_TRUE(s) << spec;
  return s && s->matches(version);
}

TEST(LocalPep440, WildcardAndExact) {
  EXPECT_TRUE(m("==2.4.*", "2.4.0"));
  EXPECT_TRUE(m("==2.4.*", "2.4.1"));
  EXPECT_TRUE(m("==2.4.*", "2.4.1+cu121"));
  EXPECT_FALSE(m("==2.4.*", "2.5.0"));
  EXPECT_FALSE(m("==2.4.*", "2.40.0"));
  EXPECT_TRUE(m("==2.4", "2.4.0"));  // zero padding
  EXPECT_FALSE(m("==2.4", "2.4.1"));
  EXPECT_TRUE(m("!=2.6.*", "2.7.0"));
  EXPECT_FALSE(m("!=2.6.*", "2.6.0"));
}

TEST(LocalPep440, RangesAndCompatibleRelease) {
  EXPECT_TRUE(m(">=2.0,<2.5", "2.4.1"));
  EXPECT_FALSE(m(">=2.0,<2.5", "2.5.0"));
  EXPECT_FALSE(m(">=2.0, <2.5", "1.13.1"));
  EXPECT_TRUE(m(">2.4", "2.4.1"));
  EXPECT_FALSE(m(">2.4", "2.4.0"));
  EXPECT_TRUE(m("<=2.4", "2.4.0"));
  EXPECT_TRUE(m("~=2.4", "2.9.1"));
  EXPECT_FALSE(m("~=2.4", "3.0.0"));
  EXPECT_TRUE(m("~=2.4.0", "2.4.1"));
  EXPECT_FALSE(m("~=2.4.0", "2.5.0"));
  EXPECT_TRUE(m("===2.5.1", "2.5.1"));
  EXPECT_FALSE(m("===2.5.1", "2.5.1.0"));
  EXPECT_TRUE(m("", "1.10.0"));
}

TEST(LocalPep440, BareVersionsForConvenience) {
  EXPECT_TRUE(m("2.4", "2.4.1"));
  EXPECT_TRUE(m("2.4.1", "2.4.1"));
  EXPECT_FALSE(m("2.4.1", "2.4.0"));
}

TEST(LocalPep440, Rejects) {
  for (const char* bad :
       {"==", ">=x", "==2.4.*.1", ">=2.*", "~=2", "2.4,", ",2.4", "=2.4", "==2.4+cu121", "latest"})
    EXPECT_FALSE(VersionSpec::parse(bad)) << bad;
}

TEST(LocalPep440, LowerBound) {
  EXPECT_EQ(VersionSpec::parse("==2.15.*")->lower_bound(), (std::vector<long>{2, 15}));
  EXPECT_EQ(VersionSpec::parse(">=2.0,<2.5")->lower_bound(), (std::vector<long>{2, 0}));
  EXPECT_EQ(VersionSpec::parse("<2.5")->lower_bound(), std::nullopt);
}

TEST(LocalPep440, ParseRelease) {
  EXPECT_EQ(parse_release("2.5.1+cu124"), (std::vector<long>{2, 5, 1}));
  EXPECT_EQ(parse_release("1.13.0a0"), std::nullopt);
  EXPECT_EQ(parse_release(""), std::nullopt);
}

}  // namespace
}  // namespace gpuenv::plan::local
