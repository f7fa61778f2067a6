#include "probes/conda_parse.hpp"

#include <gtest/gtest.h>

namespace gpuenv::probes::py {
namespace {

TEST(CondaMeta, FileNames) {
  auto a = parse_conda_meta_filename("pytorch-2.1.0-py3.10_cuda12.1_cudnn8.9.2_0.json");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->name, "pytorch");
  EXPECT_EQ(a->version, "2.1.0");
  EXPECT_EQ(a->build, "py3.10_cuda12.1_cudnn8.9.2_0");
  auto b = parse_conda_meta_filename("pytorch-cuda-12.1-ha16c6d3_5.json");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->name, "pytorch-cuda");
  EXPECT_EQ(b->version, "12.1");
  auto c = parse_conda_meta_filename("python-3.12.4-h194c7f8_0_cpython.json");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->name, "python");
  EXPECT_EQ(c->build, "h194c7f8_0_cpython");
  EXPECT_FALSE(parse_conda_meta_filename("history"));
  EXPECT_FALSE(parse_conda_meta_filename("weird--.json"));
  EXPECT_FALSE(parse_conda_meta_filename("nodash.json"));
  EXPECT_FALSE(parse_conda_meta_filename("-1.0-0.json"));
}

TEST(CondaMeta, Records) {
  auto r = parse_conda_record(
      "{\"arch\": \"x86_64\", \"build\": \"py3.10_cuda12.1_cudnn8.9.2_0\", \"build_number\": 0, \"channel\": "
      "\"https://conda.anaconda.org/pytorch/linux-64\", \"constrains\": [\"cpuonly <0\"], \"depends\": "
      "[\"blas * mkl\", \"pytorch-cuda >=12.1,<12.2\"], \"files\": [\"lib/libtorch.so\"], \"name\": "
      "\"pytorch\", "
      "\"version\": \"2.1.0\"}");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->build, "py3.10_cuda12.1_cudnn8.9.2_0");
  EXPECT_EQ(r->channel, "https://conda.anaconda.org/pytorch/linux-64");
  EXPECT_FALSE(r->name);  // after "files": never read (the list can be megabytes)
  // Cut off by the read cap: what came first is kept.
  auto cut = parse_conda_record(
      "{\"build\": \"cuda126_mkl_py312_h2d6e4b1_302\", \"channel\": \"conda-forge\", \"dep");
  ASSERT_TRUE(cut);
  EXPECT_EQ(cut->channel, "conda-forge");
  EXPECT_FALSE(parse_conda_record("[1, 2, 3]"));
  EXPECT_FALSE(parse_conda_record("not json"));
  EXPECT_FALSE(parse_conda_record(std::string("\0\0\0", 3)));
  EXPECT_FALSE(parse_conda_record(""));
}

TEST(CondaMeta, ChannelNames) {
  EXPECT_EQ(conda_channel_name("https://conda.anaconda.org/pytorch/linux-64"), "pytorch");
  EXPECT_EQ(conda_channel_name("https://conda.anaconda.org/conda-forge/noarch/"), "conda-forge");
  EXPECT_EQ(conda_channel_name("https://repo.anaconda.com/pkgs/main/linux-64"), "pkgs/main");
  EXPECT_EQ(conda_channel_name("conda-forge"), "conda-forge");
  EXPECT_EQ(conda_channel_name("pkgs/main"), "pkgs/main");
}

TEST(EnvironmentsTxt, Lines) {
  auto v = parse_environments_txt("/home/a/miniconda3\r\n\n  /data/env  \nrelative/path\n/bad\x01path\n");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0], "/home/a/miniconda3");
  EXPECT_EQ(v[1], "/data/env");
}

}  // namespace
}  // namespace gpuenv::probes::py
