#include "kb/arch.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/testsupport.hpp"

namespace gpuenv::kb {
namespace {

TEST(ArchTarget, ParsesCubinsAndPtx) {
  auto t = parse_arch_target("sm_90a");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->kind, ArchTarget::Kind::cubin);
  EXPECT_EQ(t->major, 9);
  EXPECT_EQ(t->minor, 0);
  EXPECT_EQ(t->variant, 'a');
  t = parse_arch_target("compute_121");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->kind, ArchTarget::Kind::ptx);
  EXPECT_EQ(t->major, 12);
  EXPECT_EQ(t->minor, 1);
  EXPECT_EQ(t->variant, '\0');
  t = parse_arch_target("sm_100f");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->major, 10);
  EXPECT_EQ(t->variant, 'f');
}

TEST(ArchTarget, RejectsOtherStrings) {
  for (const char* s : {"", "sm_", "sm_9", "sm90", "sm_90b", "sm_x0", "lto_90", "compute_", "sm_012",
                        "sm_12345", "SM_90", "sm_90af", "8.6", "compute_90 "})
    EXPECT_FALSE(parse_arch_target(s)) << s;
}

TEST(ComputeCapability, Parses) {
  auto cc = parse_compute_capability("12.1");
  ASSERT_TRUE(cc);
  EXPECT_EQ(cc->major, 12);
  EXPECT_EQ(cc->minor, 1);
  for (const char* s : {"", "8", "8.", ".6", "86", "8.10", "x.y", "8.6.1", "0.5", "-8.6", "8,6"})
    EXPECT_FALSE(parse_compute_capability(s)) << s;
}

struct Case {
  std::vector<std::string> list;
  const char* cc;
  bool ok;
  CoverageHow how;
  const char* entry;
};

class CoverageTable : public ::testing::TestWithParam<Case> {};

TEST_P(CoverageTable, Decides) {
  const Case& c = GetParam();
  auto r = check_coverage(c.list, c.cc);
  EXPECT_EQ(r.ok, c.ok);
  EXPECT_EQ(r.how, c.how);
  EXPECT_EQ(r.entry, c.entry);
  EXPECT_EQ(r.needs_ptx_jit, c.how == CoverageHow::ptx_jit);
}

using H = CoverageHow;
INSTANTIATE_TEST_SUITE_P(
    Gate2, CoverageTable,
    ::testing::Values(
        // cubins: same major, minor up
        Case{{"sm_80", "sm_90"}, "8.6", true, H::cubin, "sm_80"},
        Case{{"sm_80", "sm_86", "sm_90"}, "8.9", true, H::cubin, "sm_86"},
        Case{{"sm_80", "sm_90"}, "8.0", true, H::cubin, "sm_80"},
        Case{{"sm_80", "sm_90"}, "7.5", false, H::none, ""},
        Case{{"sm_86"}, "8.0", false, H::none, ""},   // older minor of the same major
        Case{{"sm_90"}, "10.0", false, H::none, ""},  // no cubin crosses a major
        Case{{"sm_120"}, "12.1", true, H::cubin, "sm_120"},
        // arch-specific: exactly that capability
        Case{{"sm_90a"}, "9.0", true, H::arch_specific_cubin, "sm_90a"},
        Case{{"sm_90a"}, "9.1", false, H::none, ""}, Case{{"sm_100a"}, "10.3", false, H::none, ""},
        Case{{"sm_90", "sm_90a"}, "9.0", true, H::cubin, "sm_90"},  // plain preferred on a tie
        // family: the major family from that minor up
        Case{{"sm_100f"}, "10.3", true, H::family_cubin, "sm_100f"},
        Case{{"sm_100f"}, "10.0", true, H::family_cubin, "sm_100f"},
        Case{{"sm_103f"}, "10.0", false, H::none, ""}, Case{{"sm_100f"}, "12.0", false, H::none, ""},
        Case{{"sm_100f", "sm_103"}, "10.3", true, H::cubin, "sm_103"},  // the closer cubin wins
        // PTX: any CC at or above it, JIT by the driver
        Case{{"sm_80", "compute_90"}, "10.0", true, H::ptx_jit, "compute_90"},
        Case{{"sm_80", "compute_80", "compute_90"}, "12.0", true, H::ptx_jit, "compute_90"},
        Case{{"compute_90"}, "8.6", false, H::none, ""},
        Case{{"compute_90"}, "9.0", true, H::ptx_jit, "compute_90"},
        Case{{"sm_90", "compute_90"}, "9.0", true, H::cubin, "sm_90"},  // cubin before PTX
        Case{{"compute_90a"}, "9.0", true, H::ptx_jit, "compute_90a"},
        Case{{"compute_90a"}, "10.0", false, H::none, ""},
        Case{{"compute_100f"}, "10.3", true, H::ptx_jit, "compute_100f"},
        Case{{"compute_100f"}, "12.0", false, H::none, ""},
        // other entries are ignored
        Case{{"lto_90", "sm_86"}, "8.6", true, H::cubin, "sm_86"},
        Case{{"lto_90"}, "9.0", false, H::none, ""}));

TEST(Coverage, ReasonsCarryTheirArguments) {
  auto r = check_coverage({"sm_80", "sm_90"}, "7.5");
  EXPECT_EQ(r.reason_id, "arch.reason.none");
  EXPECT_EQ(r.reason_args,
            (std::vector<std::pair<std::string, std::string>>{{"cc", "7.5"}, {"archs", "sm_80, sm_90"}}));
  r = check_coverage({"sm_80", "sm_90"}, "8.6");
  EXPECT_EQ(r.reason_id, "arch.reason.cubin");
  EXPECT_EQ(r.reason_args, (std::vector<std::pair<std::string, std::string>>{
                               {"cc", "8.6"}, {"entry", "sm_80"}, {"entry_cc", "8.0"}}));
  EXPECT_EQ(check_coverage({"sm_86"}, "8.6").reason_id, "arch.reason.cubin_exact");
  EXPECT_EQ(check_coverage({"sm_90a"}, "9.0").reason_id, "arch.reason.arch_specific_cubin");
  EXPECT_EQ(check_coverage({"sm_100f"}, "10.3").reason_id, "arch.reason.family_cubin");
  EXPECT_EQ(check_coverage({"compute_90"}, "12.0").reason_id, "arch.reason.ptx_jit");
  EXPECT_EQ(check_coverage({"sm_90a"}, "9.1").reason_id, "arch.reason.none_arch_specific");
  EXPECT_EQ(check_coverage({}, "9.0").reason_id, "arch.reason.empty");
  EXPECT_EQ(check_coverage({"sm_90"}, "nine").reason_id, "arch.reason.bad_cc");
  EXPECT_FALSE(check_coverage({"sm_90"}, "nine").ok);
}

// Every reason id exists in the message catalog, and every placeholder of its text is filled.
TEST(Coverage, ReasonIdsAreInTheCatalog) {
  std::ifstream in(test::source_dir() + "/data/messages/inspect.json");
  ASSERT_TRUE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  auto cat = nlohmann::json::parse(ss.str());
  std::vector<Coverage> all = {check_coverage({"sm_80"}, "7.5"),    check_coverage({"sm_80"}, "8.6"),
                               check_coverage({"sm_86"}, "8.6"),    check_coverage({"sm_90a"}, "9.0"),
                               check_coverage({"sm_100f"}, "10.3"), check_coverage({"compute_90"}, "12.0"),
                               check_coverage({"sm_90a"}, "9.1"),   check_coverage({}, "9.0"),
                               check_coverage({"sm_90"}, "bad")};
  for (auto& c : all) {
    ASSERT_TRUE(cat.contains(c.reason_id)) << c.reason_id;
    for (const char* lang : {"en", "ja"}) {
      std::string text = cat[c.reason_id][lang];
      for (std::size_t at = text.find('{'); at != std::string::npos; at = text.find('{', at + 1)) {
        std::string name = text.substr(at + 1, text.find('}', at) - at - 1);
        bool filled = false;
        for (auto& arg : c.reason_args) filled = filled || arg.first == name;
        EXPECT_TRUE(filled) << c.reason_id << " " << lang << ": {" << name << "} is not filled";
      }
    }
  }
}

}  // namespace
}  // namespace gpuenv::kb
