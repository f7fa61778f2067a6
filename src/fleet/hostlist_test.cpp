#include "fleet/hostlist.hpp"

#include <gtest/gtest.h>

namespace gpuenv::fleet {
namespace {

TEST(Hostlist, NaturalOrder) {
  EXPECT_TRUE(natural_less("n2", "n10"));
  EXPECT_FALSE(natural_less("n10", "n2"));
  EXPECT_TRUE(natural_less("gpu01", "gpu2"));
  EXPECT_TRUE(natural_less("a", "b"));
  EXPECT_TRUE(natural_less("n", "n1"));
  EXPECT_FALSE(natural_less("n1", "n1"));
  EXPECT_TRUE(natural_less("n1", "n01"));  // a total order: equal numbers, shorter spelling first
  EXPECT_TRUE(natural_less("node99999999999999999999", "node100000000000000000000"));  // no overflow
}

TEST(Hostlist, CompressesRuns) {
  EXPECT_EQ(compress_hostlist({"n3", "n1", "n2", "n7"}), "n[1-3,7]");
  EXPECT_EQ(compress_hostlist({"n1"}), "n1");
  EXPECT_EQ(compress_hostlist({}), "");
  EXPECT_EQ(compress_hostlist({"n1", "n1", "n2"}), "n[1-2]");
  EXPECT_EQ(compress_hostlist({"n9", "n10", "n11"}), "n[9-11]");
}

TEST(Hostlist, KeepsZeroPaddingAcrossWidths) {
  EXPECT_EQ(compress_hostlist({"gpu01", "gpu02", "gpu09", "gpu10", "gpu11", "gpu12"}), "gpu[01-02,09-12]");
  EXPECT_EQ(compress_hostlist({"gpu01", "gpu100"}), "gpu01,gpu100");
}

TEST(Hostlist, NamesWithoutNumbersAndOtherPrefixes) {
  EXPECT_EQ(compress_hostlist({"login", "n2", "n1", "cpu01", "login2", "login1"}),
            "cpu01,login,login[1-2],n[1-2]");
  EXPECT_EQ(compress_hostlist({"rack1-node3", "rack1-node4", "rack2-node1"}), "rack1-node[3-4],rack2-node1");
}

}  // namespace
}  // namespace gpuenv::fleet
