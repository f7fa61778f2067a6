#include "plan/torch_spec.hpp"

#include <gtest/gtest.h>

namespace gpuenv::plan {
namespace {

bool m(const char* spec, const char* version) {
  auto s = parse_torch_spec(spec);
  EXPECT_TRUE(s) << spec;
  return s && s->contains(version);
}

TEST(TorchSpec, Pep440Sets) {
  EXPECT_TRUE(m("==2.4.*", "2.4.1"));
  EXPECT_FALSE(m("==2.4.*", "2.40.0"));
  EXPECT_TRUE(m(">=2.0,<2.5", "2.4.1"));
  EXPECT_FALSE(m(">=2.0, <2.5", "2.5.0"));
  EXPECT_TRUE(m("~=2.4", "2.9.1"));
  EXPECT_TRUE(m("", "1.10.0"));
}

TEST(TorchSpec, BareVersionsForConvenience) {
  EXPECT_TRUE(m("2.4", "2.4.1"));
  EXPECT_FALSE(m("2.4", "2.5.0"));
  EXPECT_TRUE(m("2.4.1", "2.4.1"));
  EXPECT_FALSE(m("2.4.1", "2.4.0"));
}

TEST(TorchSpec, Rejects) {
  for (const char* bad : {"==", ">=x", "latest", "=2.4", "2.4,", "==2.4+cu121,<"})
    EXPECT_FALSE(parse_torch_spec(bad)) << bad;
}

TEST(TorchSpec, LowerBound) {
  EXPECT_EQ(spec_lower_bound(*parse_torch_spec("==2.15.*")), "2.15");
  EXPECT_EQ(spec_lower_bound(*parse_torch_spec(">=2.0,<2.5")), "2.0");
  EXPECT_EQ(spec_lower_bound(*parse_torch_spec("<2.5")), std::nullopt);
  EXPECT_EQ(spec_lower_bound(*parse_torch_spec("2.16")), "2.16");
}

}  // namespace
}  // namespace gpuenv::plan
