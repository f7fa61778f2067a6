// The library facts of issue 5 survive a JSON round trip, and appear only when they were read.
#include <gtest/gtest.h>

#include "facts/json.hpp"

namespace gpuenv::facts {
namespace {

TEST(FactsJson, LibraryPathAndBundledLibsRoundTrip) {
  Machine m;
  m.library_path.push_back({"/usr/local/cuda-12.1/lib64", {"libcublas.so.12", "libcublas.so.12.1.3.1"}});
  PythonEnv e;
  e.path = "/home/a/.venv";
  e.kind = "venv";
  Package t;
  t.version = "1.13.1+cu117";
  t.libs_dir = "/home/a/.venv/lib/python3.10/site-packages/torch/lib";
  t.libs = {"libcudart-e409450e.so.11.0", "libtorch_cuda.so"};
  e.packages["torch"] = t;
  m.python_envs.push_back(e);
  auto j = to_json(m);
  ASSERT_TRUE(j.contains("library_path"));
  EXPECT_EQ(j["library_path"][0]["dir"], "/usr/local/cuda-12.1/lib64");
  EXPECT_EQ(j["library_path"][0]["source"], "LD_LIBRARY_PATH");
  Machine back = machine_from_json(nlohmann::json::parse(j.dump()));
  ASSERT_EQ(back.library_path.size(), 1u);
  EXPECT_EQ(back.library_path[0].libraries, m.library_path[0].libraries);
  const Package& bt = back.python_envs.at(0).packages.at("torch");
  EXPECT_EQ(bt.libs_dir, t.libs_dir);
  EXPECT_EQ(bt.libs, t.libs);
}

TEST(FactsJson, LibraryFactsAreAbsentWhenNotRead) {
  Machine m;
  PythonEnv e;
  e.path = "/home/a/.venv";
  Package t;
  t.version = "2.5.1+cu124";
  e.packages["torch"] = t;
  m.python_envs.push_back(e);
  auto j = to_json(m);
  EXPECT_FALSE(j.contains("library_path"));
  EXPECT_FALSE(j["python_envs"][0]["packages"]["torch"].contains("libs"));
  EXPECT_THROW(machine_from_json(nlohmann::json::parse(R"({"library_path": [{"dir": 3}]})")),
               std::runtime_error);
}

}  // namespace
}  // namespace gpuenv::facts
