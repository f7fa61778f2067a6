#include "facts/redact.hpp"

#include <gtest/gtest.h>

namespace gpuenv::facts {
namespace {

TEST(Redact, UsersHostAndUuids) {
  Redactor r({"alice", "bob"}, "labpc", {"1324021012345"});
  std::string in =
      "/home/alice/.venv (alice@labpc) GPU-5d1b0e4c-8f1a-4c71-9c9c-0c1f2a3b4c5d serial 1324021012345 "
      "bob's env /home/bob/miniconda3 labpc.local malice palice-x";
  std::string out = r.apply(in);
  EXPECT_EQ(out.find("alice/"), std::string::npos) << out;
  EXPECT_EQ(out.find("bob"), std::string::npos) << out;
  EXPECT_EQ(out.find("labpc"), std::string::npos) << out;
  EXPECT_EQ(out.find("5d1b0e4c"), std::string::npos) << out;
  EXPECT_EQ(out.find("1324021012345"), std::string::npos) << out;
  EXPECT_NE(out.find("/home/user1/.venv"), std::string::npos) << out;
  EXPECT_NE(out.find("GPU-00000000-0000-0000-0000-000000000001"), std::string::npos) << out;
  EXPECT_NE(out.find("malice"), std::string::npos) << "parts of other words stay: " << out;
}

TEST(Redact, ShortNamesOnlyInHomePaths) {
  Redactor r({"al"}, std::nullopt);
  EXPECT_EQ(r.apply("/home/al/x and also al"), "/home/user1/x and also al");
  EXPECT_EQ(r.apply("/home/alan"), "/home/alan");
}

TEST(Redact, RootIsNotASecret) {
  Redactor r({"root"}, std::nullopt);
  EXPECT_EQ(r.apply("/root/.venv"), "/root/.venv");
}

TEST(Redact, SameUuidSameReplacement) {
  auto out = redact_uuids(
      "GPU-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee GPU-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee GPU-12");
  EXPECT_EQ(out, "GPU-00000000-0000-0000-0000-000000000001 GPU-00000000-0000-0000-0000-000000000001 GPU-12");
}

TEST(Redact, FromMachine) {
  Machine m;
  m.host.name = "bio-ws";
  PythonEnv e;
  e.path = "/home/carol/projects/cells/.venv";
  m.python_envs.push_back(e);
  auto r = redactor_for(m, {"dave"});
  auto out = r.apply("carol dave bio-ws /home/carol/projects");
  EXPECT_EQ(out, "user1 user2 host /home/user1/projects");
}

}  // namespace
}  // namespace gpuenv::facts
