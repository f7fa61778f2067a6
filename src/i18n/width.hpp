#pragma once
// Display width of UTF-8 text in a terminal: East Asian wide and fullwidth characters take two
// columns (issue 9), combining marks none. Tables and wrapping measure with this, never bytes.
#include <string>
#include <string_view>
#include <vector>

namespace gpuenv::i18n {

/// Columns `text` takes; invalid UTF-8 bytes count one column each.
std::size_t display_width(std::string_view text);
/// `text` padded with spaces on the right to `width` columns (unchanged if already wider).
std::string pad_right(std::string_view text, std::size_t width);
/// Splits text into lines of at most `width` columns: at spaces for Latin text, between any two
/// wide characters for Japanese; a word longer than the width (a path) stays whole on its own line.
std::vector<std::string> wrap(std::string_view text, std::size_t width);

}  // namespace gpuenv::i18n
