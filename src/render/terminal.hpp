#pragma once
// What gpuenv writes to a terminal comes partly from the machine it reads: directory names, os-release,
// version files, package metadata — all of which another user of a shared machine can choose. Written
// raw, an escape sequence in a venv's name would move the cursor, clear the screen or retitle the
// admin's terminal, and a right-to-left override would show a path other than the one read (issue 11).
// Every line gpuenv prints passes through terminal_safe().
#include <string>
#include <string_view>

namespace gpuenv::render {

/// `s` made safe to write to a terminal or to paste into a forum post:
/// - C0 controls other than newline and tab, DEL, C1 controls (U+0080–U+009F) and the bidirectional
///   overrides and isolates (U+202A–U+202E, U+2066–U+2069) become visible `\uXXXX` escapes;
/// - bytes that are not UTF-8 become U+FFFD;
/// - the colour codes gpuenv itself writes (render::Style: ESC [ 0|1|2|31|32|33 m) are kept.
/// Text that is already safe comes back unchanged, JSON printed by gpuenv included (its control
/// characters are escaped already, and a `\uXXXX` put inside a JSON string means the same character).
std::string terminal_safe(std::string_view s);

/// True when terminal_safe(s) == s (nothing to escape), without building the copy.
bool is_terminal_safe(std::string_view s);

}  // namespace gpuenv::render
