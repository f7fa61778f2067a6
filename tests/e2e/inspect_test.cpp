// `gpuenv inspect`: the built binary on libraries written byte by byte (fast), and on the real CUDA
// libraries of this machine when they exist. nvcc-built libraries are tested in tests/nvcc.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/fatbin_builder.hpp"
#include "support/testsupport.hpp"

namespace gpuenv::test {
namespace {

// sm_80 and sm_90 cubins (compressed) and compute_90 PTX, as `-gencode arch=compute_80,code=sm_80
// -gencode arch=compute_90,code=[sm_90,compute_90]` would give.
std::string sample_lib() {
  return elf64({{".text", std::string(32, 'x')},
                {".nv_fatbin",
                 fatbin_container({{2, 80, 0x8011}, {2, 90, 0x8011}}) +
                     fatbin_container({{2, 80, 0x8011}, {2, 90, 0x8011}, {1, 90, 0x8011, 80, 376, 9, 0}})}});
}

struct Env {
  TempDir tmp;
  std::map<std::string, std::string> vars() const { return {{"XDG_CACHE_HOME", tmp.path() + "/cache"}}; }
};

TEST(Inspect, TextListsTargetsAndCoveragePerGpu) {
  Env e;
  std::string lib = e.tmp.write("libk.so", sample_lib());
  auto r = run_gpuenv({"inspect", lib, "--cc", "8.6", "--cc", "10.0", "--cc", "7.5"}, e.vars());
  EXPECT_EQ(r.exit_code, 1) << r.err;  // 7.5 cannot run it
  EXPECT_EQ(
      r.out,
      lib + "\n" +
          "  .nv_fatbin (entries: 5, compressed: 5)\n"
          "    cubin   sm_80, sm_90\n"
          "    PTX     compute_90\n"
          "  ✓ compute capability 8.6: runs it (sm_80): the sm_80 cubin runs on 8.6: cubins run on "
          "GPUs of the same major version with an equal or newer minor version\n"
          "  ! compute capability 10.0: runs it only through PTX JIT (compute_90): no cubin runs on "
          "10.0; the NVIDIA driver compiles the PTX compute_90 at first use (JIT), which needs a driver "
          "at least as new as the CUDA that built it and makes the first start slow\n"
          "  ✗ compute capability 7.5: cannot run it: neither a cubin for 7.5 nor PTX for 7.5 or older "
          "is in the build (sm_80, sm_90, compute_90), so CUDA reports \"no kernel image is available "
          "for execution on the device\"\n");
}

TEST(Inspect, PartialModuleCoverageIsNoted) {
  Env e;
  // One module built for 8.0 and 9.0, one for 9.0 only: 8.6 runs the first, not the second.
  std::string lib = e.tmp.write(
      "libpart.so",
      elf64({{".nv_fatbin", fatbin_container({{2, 80}, {2, 90}}) + fatbin_container({{2, 90}})}}));
  auto r = run_gpuenv({"inspect", lib, "--cc", "8.6"}, e.vars());
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(
      r.out.find(
          "  ✓ compute capability 8.6: runs it (sm_80): the sm_80 cubin runs on 8.6: cubins run on GPUs of "
          "the same major version with an equal or newer minor version\n"
          "    note: only 1 of 2 code modules carry code for 8.6; the others hold kernels for other GPUs "
          "only."),
      std::string::npos)
      << r.out;
  auto j = nlohmann::json::parse(
      run_gpuenv({"inspect", lib, "--json", "--cc", "8.6", "--cc", "9.0"}, e.vars()).out);
  EXPECT_EQ(j["files"][0]["coverage"][0]["modules"], nlohmann::json::parse(R"({"covered":1,"total":2})"));
  EXPECT_EQ(j["files"][0]["coverage"][1]["modules"], nlohmann::json::parse(R"({"covered":2,"total":2})"));
}

TEST(Inspect, ExitZeroWhenEveryGpuRunsIt) {
  Env e;
  std::string lib = e.tmp.write("libk.so", sample_lib());
  auto r = run_gpuenv({"inspect", lib, "--cc", "9.0"}, e.vars());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST(Inspect, JsonHasSchemaVersionTargetsAndCoverage) {
  Env e;
  std::string lib = e.tmp.write("libk.so", sample_lib());
  auto r = run_gpuenv({"inspect", lib, "--json", "--cc", "8.6", "--cc", "7.5"}, e.vars());
  ASSERT_EQ(r.exit_code, 1) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["schema_version"], 1);
  ASSERT_EQ(j["gpus"].size(), 2u);
  EXPECT_EQ(j["gpus"][0], nlohmann::json::parse(
                              R"({"index":null,"name":null,"compute_capability":"8.6","source":"--cc"})"));
  auto& f = j["files"][0];
  EXPECT_EQ(f["path"], lib);
  EXPECT_EQ(f["ok"], true);
  EXPECT_TRUE(f["error"].is_null());
  EXPECT_EQ(f["sections"], nlohmann::json::parse(R"([".nv_fatbin"])"));
  EXPECT_EQ(f["containers"], 2);
  EXPECT_EQ(f["entries"], 5);
  EXPECT_EQ(f["arch_list"], nlohmann::json::parse(R"(["sm_80","sm_90","compute_90"])"));
  EXPECT_EQ(f["targets"][0],
            nlohmann::json::parse(
                R"({"target":"sm_80","kind":"cubin","section":".nv_fatbin","count":2,"compressed":2})"));
  EXPECT_EQ(f["coverage"][0]["ok"], true);
  EXPECT_EQ(f["coverage"][0]["how"], "cubin");
  EXPECT_EQ(f["coverage"][0]["entry"], "sm_80");
  EXPECT_EQ(f["coverage"][0]["needs_ptx_jit"], false);
  EXPECT_EQ(f["coverage"][1]["ok"], false);
  EXPECT_EQ(f["coverage"][1]["how"], "none");
  EXPECT_TRUE(f["coverage"][1]["entry"].is_null());
  EXPECT_FALSE(f["coverage"][1].contains("reason_localized"));
}

TEST(Inspect, JapaneseAddsLocalizedReason) {
  Env e;
  std::string lib = e.tmp.write("libk.so", sample_lib());
  auto r = run_gpuenv({"inspect", lib, "--json", "--lang", "ja", "--cc", "8.6"}, e.vars());
  auto j = nlohmann::json::parse(r.out);
  auto& c = j["files"][0]["coverage"][0];
  EXPECT_EQ(
      c["reason"],
      "the sm_80 cubin runs on 8.6: cubins run on GPUs of the same major version with an equal or newer "
      "minor version");
  EXPECT_EQ(c["reason_localized"],
            "sm_80 の cubin は 8.6 で動作します。cubin "
            "はメジャーバージョンが同じで、マイナーバージョンが同じか新しい "
            "GPU で動作します");
}

TEST(Inspect, BrokenFilesAreErrorsNamingTheFile) {
  Env e;
  std::string empty = e.tmp.write("empty.so", "");
  std::string text = e.tmp.write("notes.txt", "hello\n");
  std::string cut = e.tmp.write("cut.so", sample_lib().substr(0, 200));
  std::string missing = e.tmp.path() + "/missing.so";
  auto r = run_gpuenv({"inspect", empty, text, cut, missing, "--cc", "8.6"}, e.vars());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out,
            empty + "\n  error: " + empty + ": the file is empty (0 bytes)\n\n" + text + "\n  error: " +
                text + ": not an ELF shared library or object file, nor a CUDA fat binary\n\n" + cut +
                "\n  error: " + cut + ": the file is truncated: it ends inside the section header table\n\n" +
                missing + "\n  error: " + missing + ": cannot read the file: No such file or directory\n");
  auto j = nlohmann::json::parse(run_gpuenv({"inspect", cut, "--json", "--cc", "8.6"}, e.vars()).out);
  EXPECT_EQ(j["files"][0]["ok"], false);
  EXPECT_EQ(j["files"][0]["error"]["code"], "truncated");
  EXPECT_EQ(j["files"][0]["error"]["message"],
            cut + ": the file is truncated: it ends inside the section header table");
  EXPECT_TRUE(j["files"][0]["coverage"].empty());
}

TEST(Inspect, LibraryWithoutGpuCode) {
  Env e;
  std::string lib = e.tmp.write("libplain.so", elf64({{".text", "x"}}));
  auto r = run_gpuenv({"inspect", lib, "--cc", "8.6"}, e.vars());
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, lib + "\n  no CUDA GPU code (no .nv_fatbin section)\n");
}

TEST(Inspect, SecondRunComesFromTheCacheUnlessNoCache) {
  Env e;
  std::string lib = e.tmp.write("libk.so", sample_lib());
  auto first = nlohmann::json::parse(run_gpuenv({"inspect", lib, "--json", "--cc", "8.6"}, e.vars()).out);
  auto second = nlohmann::json::parse(run_gpuenv({"inspect", lib, "--json", "--cc", "8.6"}, e.vars()).out);
  auto off = nlohmann::json::parse(
      run_gpuenv({"inspect", lib, "--json", "--no-cache", "--cc", "8.6"}, e.vars()).out);
  EXPECT_EQ(first["files"][0]["from_cache"], false);
  EXPECT_EQ(second["files"][0]["from_cache"], true);
  EXPECT_EQ(off["files"][0]["from_cache"], false);
  EXPECT_EQ(second["files"][0]["arch_list"], first["files"][0]["arch_list"]);
  EXPECT_EQ(second["files"][0]["targets"], first["files"][0]["targets"]);
}

TEST(Inspect, UsageErrors) {
  Env e;
  std::string lib = e.tmp.write("libk.so", sample_lib());
  auto bad_cc = run_gpuenv({"inspect", lib, "--cc", "86"}, e.vars());
  EXPECT_EQ(bad_cc.exit_code, 2);
  EXPECT_EQ(bad_cc.err, "error: --cc 86: not a compute capability (expected X.Y, such as 8.6)\n");
  EXPECT_EQ(run_gpuenv({"inspect"}, e.vars()).exit_code, 2);
}

TEST(Inspect, WithoutGpusSaysHowToAsk) {
  Env e;
  std::string lib = e.tmp.write("libk.so", sample_lib());
  auto r = run_gpuenv({"inspect", lib, "--root", fixture_root("empty")}, e.vars());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("    PTX     compute_90\n\nNo NVIDIA GPU found on this machine; use --cc X.Y"),
            std::string::npos)
      << r.out;
}

// The real libraries of the CUDA toolkit, when this machine has them (no nvcc needed).
TEST(Inspect, RealCudaLibraryWhenPresent) {
  const std::string lib = "/usr/local/cuda-13.0/lib64/libcufftw.so.12";
  if (!std::filesystem::exists(lib)) GTEST_SKIP() << lib << " not present";
  Env e;
  auto r = run_gpuenv({"inspect", lib, "--json", "--cc", "8.6"}, e.vars());
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["files"][0]["ok"], true);
  EXPECT_FALSE(j["files"][0]["arch_list"].empty());
}

}  // namespace
}  // namespace gpuenv::test
