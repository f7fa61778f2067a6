#include "facts/pep440.hpp"

#include <gtest/gtest.h>

namespace gpuenv::facts {
namespace {

// Spellings PEP 440 accepts, and the normal form each one becomes.
TEST(Pep440, ParsesAndNormalises) {
  const std::pair<const char*, const char*> cases[] = {
      {"1.0", "1.0"},
      {"v1.0", "1.0"},
      {"  1.0\n", "1.0"},
      {"1.0.0", "1.0.0"},
      {"1!1.0", "1!1.0"},
      {"0!1.0", "1.0"},
      {"1.0a1", "1.0a1"},
      {"1.0alpha1", "1.0a1"},
      {"1.0-a1", "1.0a1"},
      {"1.0.a.1", "1.0a1"},
      {"1.0_a_1", "1.0a1"},
      {"1.0a", "1.0a0"},
      {"1.0b2", "1.0b2"},
      {"1.0beta2", "1.0b2"},
      {"1.0c3", "1.0rc3"},
      {"1.0pre3", "1.0rc3"},
      {"1.0preview3", "1.0rc3"},
      {"1.0RC1", "1.0rc1"},
      {"1.0.post1", "1.0.post1"},
      {"1.0post1", "1.0.post1"},
      {"1.0-post-1", "1.0.post1"},
      {"1.0.post", "1.0.post0"},
      {"1.0-1", "1.0.post1"},
      {"1.0r1", "1.0.post1"},
      {"1.0rev1", "1.0.post1"},
      {"1.0.dev1", "1.0.dev1"},
      {"1.0dev", "1.0.dev0"},
      {"1.0-dev1", "1.0.dev1"},
      {"1.0a.dev1", "1.0a0.dev1"},
      {"1.0a1.post2.dev3", "1.0a1.post2.dev3"},
      {"1.0rc1-1", "1.0rc1.post1"},
      {"2024.1", "2024.1"},
      {"00.01", "0.1"},
      // Versions met on real machines.
      {"1.13.0a0+gitunknown", "1.13.0a0+gitunknown"},  // Debian python3-torch's PKG-INFO
      {"2.5.1+cu124", "2.5.1+cu124"},
      {"2.8.0+rocm6.4", "2.8.0+rocm6.4"},
      {"2.11.0+rocm7.13.0", "2.11.0+rocm7.13.0"},
      {"2.7.1+xpu", "2.7.1+xpu"},
      {"0.4.7+cuda11.cudnn86", "0.4.7+cuda11.cudnn86"},  // jaxlib's old CUDA wheels
      {"2.6.0.dev20241112+cu124", "2.6.0.dev20241112+cu124"},
      {"1.0+ubuntu-1", "1.0+ubuntu.1"},
      {"1.0+Ubuntu_1", "1.0+ubuntu.1"},
  };
  for (auto& [in, want] : cases) {
    auto v = Pep440Version::parse(in);
    ASSERT_TRUE(v.has_value()) << in;
    EXPECT_EQ(v->str(), want) << in;
  }
}

TEST(Pep440, RejectsInvalid) {
  const char* cases[] = {
      "",
      "abc",
      "1.0+",
      "+1.0",
      "1.0.",
      "1..0",
      "1.0-",
      "1.0+a..b",
      "1.0 a1",
      "1.0_1",
      "1!",
      "!1.0",
      "1.0a1a2",
      "1.0.post1.post2",
      "1.0.dev1.post1",
      "1.0+cu124+cpu",
      "1.0rc1.2",
      "1.0+ä",
      "one.two",
      "1.0 + cu124",
      "99999999999999999999",
      "1.0.dev1a1",
      "1.0a-b",
      ".1",
      "1.0++1",
  };
  for (const char* in : cases) EXPECT_FALSE(Pep440Version::parse(in).has_value()) << in;
}

TEST(Pep440, Parts) {
  auto v = *Pep440Version::parse("1.13.0a0+gitunknown");
  EXPECT_TRUE(v.is_prerelease());
  EXPECT_TRUE(v.has_local());
  EXPECT_EQ(v.local_label(), "gitunknown");
  EXPECT_EQ(v.public_version().str(), "1.13.0a0");
  EXPECT_EQ(v.base_version().str(), "1.13.0");
  EXPECT_EQ(v.release_prefix(2), "1.13");
  auto w = *Pep440Version::parse("2.5.1+cu124");
  EXPECT_FALSE(w.is_prerelease());
  EXPECT_EQ(w.local_label(), "cu124");
  EXPECT_EQ(w.release_prefix(4), "2.5.1.0");
  auto d = *Pep440Version::parse("2.6.0.dev20241112");
  EXPECT_TRUE(d.is_prerelease());
  EXPECT_TRUE(d.is_devrelease());
  EXPECT_FALSE(Pep440Version::parse("1.0.post1")->is_prerelease());
  EXPECT_TRUE(Pep440Version::parse("1.0.post1")->is_postrelease());
}

// The order PEP 440 gives as its example ("Summary of permitted suffixes and relative ordering").
TEST(Pep440, OrdersAsThePepExample) {
  const char* ascending[] = {
      "1.0.dev456",    "1.0a1",         "1.0a2.dev456", "1.0a12.dev456",
      "1.0a12",        "1.0b1.dev456",  "1.0b2",        "1.0b2.post345.dev456",
      "1.0b2.post345", "1.0rc1.dev456", "1.0rc1",       "1.0",
      "1.0+abc.5",     "1.0+abc.7",     "1.0+5",        "1.0.post456.dev34",
      "1.0.post456",   "1.0.15",        "1.1.dev1",
  };
  for (std::size_t i = 0; i + 1 < std::size(ascending); ++i) {
    auto a = *Pep440Version::parse(ascending[i]);
    auto b = *Pep440Version::parse(ascending[i + 1]);
    EXPECT_LT(a, b) << ascending[i] << " < " << ascending[i + 1];
    EXPECT_GT(b, a) << ascending[i + 1] << " > " << ascending[i];
  }
}

TEST(Pep440, Equality) {
  auto eq = [](const char* a, const char* b) { return *Pep440Version::parse(a) == *Pep440Version::parse(b); };
  EXPECT_TRUE(eq("1.0", "1.0.0"));
  EXPECT_TRUE(eq("1.0", "v1.0.0.0"));
  EXPECT_TRUE(eq("1.0a", "1.0a0"));
  EXPECT_TRUE(eq("1.0+010", "1.0+10"));
  EXPECT_TRUE(eq("1.0+Cu124", "1.0+cu124"));
  EXPECT_FALSE(eq("1.0+cu124", "1.0"));
  EXPECT_FALSE(eq("1.0+cu124", "1.0+cpu"));
  EXPECT_FALSE(eq("1.0.post0", "1.0"));
  EXPECT_FALSE(eq("1.0.dev0", "1.0"));
  EXPECT_GT(*Pep440Version::parse("1!0.1"), *Pep440Version::parse("2024.1"));
  EXPECT_GT(*Pep440Version::parse("2.10.0"), *Pep440Version::parse("2.9.1"));
  EXPECT_GT(*Pep440Version::parse("1.0+abc.1"), *Pep440Version::parse("1.0+abc"));
  EXPECT_GT(*Pep440Version::parse("1.0+10"), *Pep440Version::parse("1.0+9"));
  EXPECT_GT(*Pep440Version::parse("1.0+1"), *Pep440Version::parse("1.0+zzz"));
  EXPECT_GT(*Pep440Version::parse("1.0+123456789012345678901234567890"), *Pep440Version::parse("1.0+99"));
}

struct SpecCase {
  const char* spec;
  const char* version;
  bool want;
};

TEST(Pep440Specifier, Contains) {
  const SpecCase cases[] = {
      {">=2.3,<2.6", "2.3.0", true},
      {">=2.3,<2.6", "2.5.1", true},
      {">=2.3,<2.6", "2.5.1+cu124", true},
      {">=2.3,<2.6", "2.6.0", false},
      {">=2.3,<2.6", "2.2.9", false},
      {">=2.3,<2.6", "2.4.0rc1", false},  // pre-releases only when asked for
      {">=2.3,<2.6", "2.6.0rc1", false},
      {" >= 2.3 , < 2.6 ", "2.4", true},
      {"==2.4.*", "2.4.0", true},
      {"==2.4.*", "2.4", true},
      {"==2.4.*", "2.4.1+cu121", true},
      {"==2.4.*", "2.5.0", false},
      {"==2.4.*", "2.40.0", false},
      {"==2.4.*", "2.4.0rc1", false},
      {"==2.4.0.*", "2.4", true},
      {"!=2.4.*", "2.4.1", false},
      {"!=2.4.*", "2.5.0", true},
      {"~=2.4.1", "2.4.1", true},
      {"~=2.4.1", "2.4.9", true},
      {"~=2.4.1", "2.5.0", false},
      {"~=2.4.1", "2.4.0", false},
      {"~=2.4", "2.9", true},
      {"~=2.4", "3.0", false},
      {"~=1.0rc1", "1.0rc2", true},  // names a pre-release, so they may match
      {"!=2.5.0", "2.5.0", false},
      {"!=2.5.0", "2.5.0+cu124", false},
      {"!=2.5.0", "2.5.1", true},
      {"==2.5.1+cu124", "2.5.1+cu124", true},
      {"==2.5.1+cu124", "2.5.1", false},
      {"==2.5.1+cu124", "2.5.1+cpu", false},
      {"==2.5.1", "2.5.1+cu124", true},
      {"==2.5", "2.5.0", true},
      {"<2.6", "2.6.0.dev1", false},
      {"<2.6", "2.5.99", true},
      {"<2.6.0rc1", "2.6.0.dev1", true},
      {">2.5", "2.5.post1", false},
      {">2.5", "2.5+cu124", false},
      {">2.5", "2.5.1", true},
      {">2.5.post1", "2.5.post2", true},
      {"<=2.5", "2.5+local", true},
      {"<=2.5", "2.5.1", false},
      {">=2.5", "2.5", true},
      {"==1.13.0a0", "1.13.0a0+gitunknown", true},
      {">=1.13", "1.13.0a0", false},
      {">=1.13a0", "1.13.0a0", true},
      {"===1.0", "1.0", true},
      {"===1.0", "1.0.0", false},
      {"", "2.0", true},
      {"", "2.0rc1", false},
      {">=2.3", "not-a-version", false},
  };
  for (auto& c : cases) {
    auto set = Pep440SpecifierSet::parse(c.spec);
    ASSERT_TRUE(set.has_value()) << c.spec;
    EXPECT_EQ(set->contains(std::string_view(c.version)), c.want) << c.spec << " ∋ " << c.version;
  }
}

TEST(Pep440Specifier, PrereleasePolicyCanBeForced) {
  auto set = *Pep440SpecifierSet::parse(">=2.3,<2.6");
  EXPECT_TRUE(set.contains(std::string_view("2.4.0rc1"), true));
  EXPECT_FALSE(set.contains(std::string_view("2.6.0rc1"), true));  // "<2.6" excludes 2.6's pre-releases
  auto star = *Pep440SpecifierSet::parse("==2.4.*");
  EXPECT_TRUE(star.contains(std::string_view("2.4.0rc1"), true));
  auto pinned = *Pep440SpecifierSet::parse("==1.13.0a0");
  EXPECT_FALSE(pinned.contains(std::string_view("1.13.0a0"), false));
}

TEST(Pep440Specifier, RejectsInvalid) {
  const char* cases[] = {
      "2.4",        "=2.4",         ">=2.4.*",   "~=2",        "~=2.4.*", ">=2.4+cu124",
      "==2.4.*+cu", ">=2.3,",       ",",         ">=abc",      "=>2.3",   "== ",
      "<>2",        "==2.4.dev1.*", "~=2.4+cu1", ">=2.3;<2.6", "===a b",  ">= 2.3 <2.6",
  };
  for (const char* c : cases) EXPECT_FALSE(Pep440SpecifierSet::parse(c).has_value()) << c;
}

TEST(Pep440Specifier, PrintsNormalForm) {
  EXPECT_EQ(Pep440SpecifierSet::parse(" >= 2.3 , < 2.6 ")->str(), ">=2.3,<2.6");
  EXPECT_EQ(Pep440SpecifierSet::parse("==2.4.*")->str(), "==2.4.*");
  EXPECT_EQ(Pep440SpecifierSet::parse("~=1.0.0alpha1")->str(), "~=1.0.0a1");
  EXPECT_EQ(Pep440SpecifierSet::parse("")->str(), "");
}

TEST(Pep440, NormalisesPackageNames) {
  EXPECT_EQ(normalize_package_name("Nvidia_CUDNN.cu12"), "nvidia-cudnn-cu12");
  EXPECT_EQ(normalize_package_name("torch"), "torch");
  EXPECT_EQ(normalize_package_name("jax_cuda12_plugin"), "jax-cuda12-plugin");
  EXPECT_EQ(normalize_package_name("A__-.B"), "a-b");
  EXPECT_EQ(normalize_package_name("cupy-cuda12x"), "cupy-cuda12x");
}

}  // namespace
}  // namespace gpuenv::facts
