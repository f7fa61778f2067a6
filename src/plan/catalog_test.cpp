// Every message the planner and `matrix` use exists in English and Japanese with the same
// placeholders (data/messages/plan.json, matrix.json).
#include "i18n/catalog.hpp"

#include <gtest/gtest.h>

#include "plan/plan.hpp"
#include "support/testsupport.hpp"

namespace gpuenv::plan {
namespace {

TEST(PlanCatalog, EnglishAndJapaneseWithTheSamePlaceholders) {
  int n = 0;
  for (auto& [id, e] : i18n::Catalog::builtin().entries()) {
    if (!id.starts_with("plan.") && !id.starts_with("matrix.") && id != "cli.cmd.plan" &&
        id != "cli.cmd.matrix")
      continue;
    ++n;
    EXPECT_FALSE(e.en.empty()) << id;
    EXPECT_FALSE(e.ja.empty()) << id;
    EXPECT_EQ(i18n::placeholders(e.en), i18n::placeholders(e.ja)) << id;
  }
  EXPECT_GT(n, 100);
}

TEST(PlanCatalog, EveryTextAPlanProducesExists) {
  const auto& kb = kb::KnowledgeBase::builtin();
  for (auto& row : kb.driver_install) EXPECT_TRUE(i18n::Catalog::builtin().has(row.message)) << row.message;
  auto gpu = [&](const char* name, int i) {
    const kb::GpuModel* m = kb.gpu_by_name(name);
    return PlanGpu{i, m->name, m->architecture, m->chip, m->compute_capability, std::nullopt};
  };
  std::vector<Request> reqs;
  for (const char* driver :
       {"470.256.02", "535.104.05", "550.54.14", "570.26", "580.95.05", "610.43.02", "900.1"})
    for (const char* name :
         {"Tesla K80", "GeForce GTX 1080", "Tesla V100", "RTX 4090", "RTX 5090", "NVIDIA GB10"}) {
      Request r;
      r.gpus = {gpu(name, 0)};
      r.driver = driver;
      r.python = "3.12";
      r.os_id = "rhel";
      r.os_version = "9.4";
      reqs.push_back(r);
      r.os = Os::windows;
      r.python = "3.15";
      r.today = "2030-01-01";
      reqs.push_back(r);
    }
  Request none;
  none.torch_spec = "==9.*";
  reqs.push_back(none);
  none.torch_spec = "";
  none.cuda = "12.7";
  reqs.push_back(none);
  std::vector<const i18n::Text*> texts;
  std::vector<Plan> plans;
  for (auto& r : reqs) plans.push_back(make_plan(r, kb));
  for (auto& p : plans) {
    for (auto& c : p.alternatives)
      for (auto& x : c.reasons) texts.push_back(&x.text);
    for (auto& f : p.findings) {
      texts.push_back(&f.title);
      texts.push_back(&f.explanation);
      for (auto& fx : f.fixes) texts.push_back(&fx.text);
    }
    if (p.recommendation) {
      for (auto& w : p.recommendation->warnings) texts.push_back(&w);
      for (auto& w : p.recommendation->notes) texts.push_back(&w);
      if (p.recommendation->commands.conda_note) texts.push_back(&*p.recommendation->commands.conda_note);
    }
    if (p.driver_advice) texts.push_back(&p.driver_advice->install_text);
  }
  EXPECT_GT(texts.size(), 500u);
  for (auto* t : texts) {
    if (t->id.empty()) continue;
    EXPECT_TRUE(i18n::Catalog::builtin().has(t->id)) << t->id;
    for (auto lang : {i18n::Lang::en, i18n::Lang::ja})
      for (auto& name : i18n::placeholders(t->render(lang)))
        ADD_FAILURE() << t->id << " leaves {" << name << "} unfilled";
  }
}

}  // namespace
}  // namespace gpuenv::plan
