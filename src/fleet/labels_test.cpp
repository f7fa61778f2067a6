#include "fleet/labels.hpp"

#include <gtest/gtest.h>

#include "support/testsupport.hpp"

namespace gpuenv::fleet {
namespace {

NodeReport fixture(const std::string& name) {
  auto text = test::read_file(test::source_dir() + "/tests/fixtures/fleet/reports/" + name);
  auto p = parse_report(text, kb::KnowledgeBase::builtin());
  if (!p.report) throw std::runtime_error(p.error->reason.en());
  return *p.report;
}

TEST(Labels, KubernetesLabelRules) {
  // Valid: the shapes NFD's own examples use, and ours.
  for (auto l : std::vector<Label>{{"feature.node.kubernetes.io/my-feature.2", "myvalue"},
                                   {"vendor.io/my-feature.3", "456"},
                                   {"gpuenv.io/driver.version", "535.104.05"},
                                   {"gpuenv.io/healthy", ""},
                                   {"gpuenv.io/a", "A_b-c.9"}})
    EXPECT_EQ(check_label(l), std::nullopt) << l.name << "=" << l.value;
  const std::pair<Label, const char*> bad[] = {
      {{"nameonly", "x"}, "name nameonly has no prefix (PREFIX/NAME)"},
      {{"Gpuenv.io/x", "1"}, "prefix of Gpuenv.io/x is not a DNS subdomain"},
      {{"gpuenv..io/x", "1"}, "prefix of gpuenv..io/x is not a DNS subdomain"},
      {{"-gpuenv.io/x", "1"}, "prefix of -gpuenv.io/x is not a DNS subdomain"},
      {{"/x", "1"}, "prefix of /x must be 1 to 253 characters"},
      {{"gpuenv.io/", "1"}, "gpuenv.io/: name is empty"},
      {{"gpuenv.io/-x", "1"}, "gpuenv.io/-x: name must begin and end with a letter or digit"},
      {{"gpuenv.io/a b", "1"}, "gpuenv.io/a b: name holds ' '"},
      {{"gpuenv.io/" + std::string(64, 'a'), "1"}, nullptr},
      {{"gpuenv.io/torch.version", "2.5.1+cu124"}, "gpuenv.io/torch.version=2.5.1+cu124: value holds '+'"},
      {{"gpuenv.io/gpu.arch", "Ada Lovelace"}, "gpuenv.io/gpu.arch=Ada Lovelace: value holds ' '"},
      {{"gpuenv.io/x", "true-"}, "gpuenv.io/x=true-: value must begin and end with a letter or digit"},
      {{"gpuenv.io/x", std::string(64, 'v')}, nullptr},
  };
  for (auto& [l, why] : bad) {
    auto e = check_label(l);
    ASSERT_TRUE(e.has_value()) << l.name << "=" << l.value;
    if (why) {
      EXPECT_EQ(*e, why);
    }
  }
}

TEST(Labels, SanitizesValues) {
  EXPECT_EQ(sanitize_label_value("Ada Lovelace"), "Ada-Lovelace");
  EXPECT_EQ(sanitize_label_value("2.5.1+cu124"), "2.5.1-cu124");
  EXPECT_EQ(sanitize_label_value("(minor)"), "minor");
  EXPECT_EQ(sanitize_label_value("---"), "");
  EXPECT_EQ(sanitize_label_value(std::string(70, 'x')), std::string(63, 'x'));
  EXPECT_EQ(check_label({"gpuenv.io/x", sanitize_label_value("a/b c+d_" + std::string(80, '.'))}),
            std::nullopt);
}

TEST(Labels, NfdLabelsForAGpuNode) {
  auto labels = nfd_labels(fixture("gpu05.json"));
  std::string text;
  for (auto& l : labels) {
    EXPECT_EQ(check_label(l), std::nullopt);
    text += l.name + "=" + l.value + "\n";
  }
  EXPECT_EQ(text,
            "gpuenv.io/status=problems\n"
            "gpuenv.io/healthy=false\n"
            "gpuenv.io/gpu.count=4\n"
            "gpuenv.io/gpu.model=a100-sxm4-80gb\n"
            "gpuenv.io/gpu.arch=ampere\n"
            "gpuenv.io/gpu.cc=8.0\n"
            "gpuenv.io/gpu.memory-mib=81920\n"
            "gpuenv.io/driver.version=535.183.01\n"
            "gpuenv.io/driver.branch=535\n"
            "gpuenv.io/cuda.max=12.2\n"
            "gpuenv.io/torch.version=2.14.0\n"
            "gpuenv.io/torch.variant=cu126\n"
            "gpuenv.io/torch.compatibility=minor\n");
}

TEST(Labels, NfdLabelsForMixedAndGpuLessNodes) {
  std::string text;
  for (auto& l : nfd_labels(fixture("mix01.json"), "lab.example.org")) text += l.name + "=" + l.value + "\n";
  EXPECT_NE(text.find("lab.example.org/gpu.cc=6.1\nlab.example.org/gpu.cc-mixed=true\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("lab.example.org/gpu.model=rtx-3090\n"), std::string::npos) << text;
  text.clear();
  for (auto& l : nfd_labels(fixture("login1.json"))) text += l.name + "=" + l.value + "\n";
  EXPECT_EQ(text,
            "gpuenv.io/status=no-gpu\n"
            "gpuenv.io/healthy=true\n"
            "gpuenv.io/gpu.count=0\n"
            "gpuenv.io/torch.version=2.8.0\n"
            "gpuenv.io/torch.variant=cpu\n");
}

TEST(Labels, NfdFileFormat) {
  std::vector<Label> labels{{"gpuenv.io/status", "ok"}, {"gpuenv.io/cuda.max", "13.0"}};
  EXPECT_EQ(nfd_file(labels, std::string("2026-12-01T00:00:00Z"), "line one\nline two"),
            "# line one\n"
            "# line two\n"
            "# +expiry-time=2026-12-01T00:00:00Z\n"
            "gpuenv.io/status=ok\n"
            "gpuenv.io/cuda.max=13.0\n");
  EXPECT_EQ(nfd_file(labels, std::nullopt, ""), "gpuenv.io/status=ok\ngpuenv.io/cuda.max=13.0\n");
}

TEST(Labels, SlurmFeatures) {
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (auto& x : v) s += (s.empty() ? "" : ",") + x;
    return s;
  };
  EXPECT_EQ(join(slurm_features(fixture("hgx01.json"))), "cc90,drv580,cuda13.0,cu130");
  EXPECT_EQ(join(slurm_features(fixture("mix01.json"))), "cc61,cc86,drv580,cuda13.0,cu126");
  EXPECT_EQ(join(slurm_features(fixture("ws01.json"))), "cc120,drv570,cuda12.8,cu128");
  EXPECT_EQ(join(slurm_features(fixture("nodrv01.json"))), "cc75,cu132");  // the build a driver would allow
  EXPECT_TRUE(slurm_features(fixture("login1.json")).empty());
}

TEST(Labels, AnsibleFacts) {
  auto j = ansible_facts(fixture("old03.json"), "0.1.0");
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["status"], "problems");
  EXPECT_EQ(j["healthy"], false);
  EXPECT_EQ(j["driver_branch"], "470");
  EXPECT_EQ(j["compute_capability_min"], "7.0");
  EXPECT_EQ(j["errors"], nlohmann::json::array({"driver-too-old-for-torch"}));
  EXPECT_EQ(j["warnings"], nlohmann::json::array({"driver-minor-compat"}));
  EXPECT_EQ(j["recommendation"]["variant"], "cu118");
  EXPECT_EQ(j["recommendation"]["driver_advice"],
            nlohmann::json::parse(R"({"minimum": "525.60.13", "torch": "2.14.0", "variant": "cu126"})"));
  EXPECT_EQ(j["slurm_features"], nlohmann::json::array({"cc70", "drv470", "cuda11.4", "cu118"}));
  for (auto& [k, v] : j.items())
    EXPECT_EQ(k.find_first_not_of("abcdefghijklmnopqrstuvwxyz_"), std::string::npos) << k;  // Ansible names
}

TEST(Labels, Rfc3339AndDurations) {
  EXPECT_EQ(rfc3339_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(rfc3339_utc(1690629753), "2023-07-29T11:22:33Z");  // NFD's documentation example
  EXPECT_EQ(rfc3339_utc(1709164800), "2024-02-29T00:00:00Z");  // leap day
  EXPECT_EQ(parse_duration("90s"), 90);
  EXPECT_EQ(parse_duration("30m"), 1800);
  EXPECT_EQ(parse_duration("12h"), 43200);
  EXPECT_EQ(parse_duration("7d"), 604800);
  for (auto bad : {"", "s", "12", "12x", "-5m", "0h", "1.5h", "h12", "99999999999999d"})
    EXPECT_EQ(parse_duration(bad), std::nullopt) << bad;
}

}  // namespace
}  // namespace gpuenv::fleet
