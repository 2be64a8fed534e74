// Small text helpers shared by the extractor, its metadata reader and the
// evaluation metrics. Internal to src/extract.
#ifndef WINNOW_SRC_EXTRACT_TEXT_UTIL_H_
#define WINNOW_SRC_EXTRACT_TEXT_UTIL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/utf8.h"

namespace winnow {
namespace extract_internal {

// Number of code points (counts UTF-8 lead bytes).
inline uint32_t CountChars(std::string_view s) {
  uint32_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Appends `text` to *out collapsing every run of white space (ASCII and
// U+00A0, U+2000..U+200B, U+3000) into one ' '. *pending_space carries a
// space across calls; no leading space is written into an empty *out.
void AppendCollapsed(std::string_view text, std::string* out, bool* pending_space);

// Trims ASCII white space at both ends.
std::string_view Trim(std::string_view s);
// Collapses white space runs into one space and trims.
std::string CollapseWhitespace(std::string_view s);

// ASCII lower-case copy.
std::string AsciiLower(std::string_view s);

}  // namespace extract_internal
}  // namespace winnow

#endif  // WINNOW_SRC_EXTRACT_TEXT_UTIL_H_
