#include "probes/jupyter.hpp"

#include <gtest/gtest.h>

namespace gpuenv::probes::py {
namespace {

TEST(KernelJson, InterpreterOfTheKernel) {
  auto k = parse_kernel_json(
      "{\"argv\": [\"/home/u/venv/bin/python\", \"-m\", \"ipykernel_launcher\", \"-f\", "
      "\"{connection_file}\"], "
      "\"display_name\": \"Python (venv)\", \"language\": \"python\", \"metadata\": {\"debugger\": true}}");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->display_name, "Python (venv)");
  EXPECT_EQ(k->interpreter(), "/home/u/venv/bin/python");
  // nb_conda_kernels wraps the env's interpreter.
  auto w = parse_kernel_json(
      "{\"argv\": [\"/opt/conda/bin/python\", \"-m\", \"nb_conda_kernels.runner\", \"/opt/conda\", "
      "\"/opt/conda/envs/ml\", \"/opt/conda/envs/ml/bin/python\", \"-m\", \"ipykernel_launcher\", \"-f\", "
      "\"{connection_file}\"], \"display_name\": \"Python [conda env:ml]\"}");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->interpreter(), "/opt/conda/envs/ml/bin/python");
  auto bare = parse_kernel_json("{\"argv\": [\"python\", \"-m\", \"ipykernel_launcher\"]}");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->interpreter(), "python");
  EXPECT_FALSE(parse_kernel_json("[\"not\", \"an\", \"object\"]"));
  EXPECT_FALSE(parse_kernel_json("{\"display_name\": \"no argv\"}"));
  EXPECT_FALSE(parse_kernel_json("{\"argv\": [1, 2]}"));
  EXPECT_FALSE(parse_kernel_json("{"));
}

}  // namespace
}  // namespace gpuenv::probes::py
