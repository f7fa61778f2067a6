#include "render/terminal.hpp"

#include <gtest/gtest.h>

#include "render/style.hpp"

namespace gpuenv::render {
namespace {

TEST(TerminalSafe, PlainAndJapaneseTextComeBackUnchanged) {
  for (std::string s : {"", "gpuenv 0.1.0 — Debian GNU/Linux 12\n  ✓ torch 2.5.1+cu124\n\tindented",
                        "グラフィックボード（GPU）: NVIDIA H200、141 GiB\n", "😀 four-byte UTF-8",
                        "{\n  \"path\": \"/home/eve/ev\\u001bil\"\n}\n"}) {
    EXPECT_TRUE(is_terminal_safe(s)) << s;
    EXPECT_EQ(terminal_safe(s), s);
  }
}

TEST(TerminalSafe, EscapeSequencesFromTheMachineBecomeVisible) {
  EXPECT_EQ(terminal_safe("/home/eve/ev\x1b[2Jil"), "/home/eve/ev\\u001b[2Jil");
  EXPECT_EQ(terminal_safe("Deb\x1b]0;pwned\x07ian"), "Deb\\u001b]0;pwned\\u0007ian");
  EXPECT_EQ(terminal_safe("a\rb\bc\x7f"), "a\\u000db\\u0008c\\u007f");
  EXPECT_EQ(terminal_safe(std::string("nul\0byte", 8)), "nul\\u0000byte");
  // C1 CSI (U+009B) starts an escape sequence in some terminals, like ESC [.
  EXPECT_EQ(terminal_safe("x\xc2\x9b"
                          "2Jy"),
            "x\\u009b2Jy");
  // A right-to-left override would show "/home/eve/txt.exe" for "/home/eve/exe.txt".
  EXPECT_EQ(terminal_safe("/home/eve/\xe2\x80\xae"
                          "txt.exe"),
            "/home/eve/\\u202etxt.exe");
  EXPECT_EQ(terminal_safe("\xe2\x81\xa6"
                          "iso"),
            "\\u2066iso");
  EXPECT_FALSE(is_terminal_safe("\x1b[2J"));
}

TEST(TerminalSafe, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(terminal_safe("cu\xff"
                          "124"),
            "cu\xef\xbf\xbd"
            "124");
  // Truncated, overlong and surrogate sequences are not UTF-8 either: one U+FFFD per byte.
  EXPECT_EQ(terminal_safe("\xe3\x81"), "\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(terminal_safe("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(terminal_safe("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(terminal_safe("\xf4\x90\x80\x80"),
            "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // > U+10FFFF
}

TEST(TerminalSafe, GpuenvsOwnColourCodesAreKept) {
  Style st{true};
  for (auto s : {st.ok("✓"), st.bad("✗"), st.warn("!"), st.dim("note"), st.bold("heading")}) {
    EXPECT_TRUE(is_terminal_safe(s)) << s;
    EXPECT_EQ(terminal_safe(s), s);
  }
  // ...but only those: other SGR codes and longer sequences that start like them are escaped.
  EXPECT_EQ(terminal_safe("\x1b[8mhidden"), "\\u001b[8mhidden");
  EXPECT_EQ(terminal_safe("\x1b[31;1m"), "\\u001b[31;1m");
  EXPECT_EQ(terminal_safe(st.bad("\x1b[2J")), "\x1b[31m\\u001b[2J\x1b[0m");
}

}  // namespace
}  // namespace gpuenv::render
