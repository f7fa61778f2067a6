// The environment fields of the snapshot survive a JSON round trip (`--facts FILE` replays).
#include <gtest/gtest.h>

#include "facts/json.hpp"

namespace gpuenv::facts {
namespace {

TEST(FactsJson, PythonEnvRoundTrip) {
  Machine m;
  PythonEnv e;
  e.path = "/usr";
  e.kind = "system";
  e.python = "3.11.2";
  e.python_source = "/var/lib/dpkg/status (python3.11-minimal)";
  e.user_site = "/home/bob/.local/lib/python3.11/site-packages";
  Package t;
  t.version = "1.13.0a0";
  t.variant = "cpu";
  t.source = "distro";
  t.channel = std::nullopt;
  e.packages["torch"] = t;
  Package u;
  u.version = "2.0.1";
  u.cuda = "11.7";
  u.channel = "pytorch";
  e.also_visible.push_back({"torch", "user-site", *e.user_site, true, u});
  m.python_envs.push_back(e);
  auto j = to_json(m);
  auto& je = j["python_envs"][0];
  EXPECT_EQ(je["python_source"], "/var/lib/dpkg/status (python3.11-minimal)");
  EXPECT_EQ(je["also_visible"][0]["via"], "user-site");
  EXPECT_EQ(je["also_visible"][0]["ahead"], true);
  EXPECT_TRUE(je["packages"]["torch"]["channel"].is_null());
  Machine back = machine_from_json(nlohmann::json::parse(j.dump()));
  ASSERT_EQ(back.python_envs.size(), 1u);
  auto& b = back.python_envs[0];
  EXPECT_EQ(b.python_source, e.python_source);
  EXPECT_EQ(b.user_site, e.user_site);
  ASSERT_EQ(b.also_visible.size(), 1u);
  EXPECT_EQ(b.also_visible[0].path, *e.user_site);
  EXPECT_TRUE(b.also_visible[0].ahead);
  EXPECT_EQ(b.also_visible[0].package.cuda, "11.7");
  EXPECT_EQ(b.also_visible[0].package.channel, "pytorch");
  EXPECT_EQ(to_json(back).dump(), j.dump());
}

TEST(FactsJson, BadAlsoVisibleNamesItsPath) {
  auto doc =
      nlohmann::json::parse(R"({"python_envs": [{"path": "/x", "also_visible": [{"ahead": "yes"}]}]})");
  try {
    machine_from_json(doc);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "machine.python_envs[0].also_visible[0].ahead: expected true or false");
  }
}

}  // namespace
}  // namespace gpuenv::facts
