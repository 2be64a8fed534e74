// Small text helpers shared by the extractor, its metadata reader and the
// evaluation metrics. Internal to src/extract.
#ifndef WINNOW_SRC_EXTRACT_TEXT_UTIL_H_
#define WINNOW_SRC_EXTRACT_TEXT_UTIL_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "base/swar.h"
#include "base/utf8.h"

namespace winnow {
namespace extract_internal {

// Number of code points (counts UTF-8 lead bytes).
inline uint32_t CountChars(std::string_view s) {
  uint32_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Length in units that mean about the same in every script: a code point
// counts 1, and kWideUnits for one of the scripts that write a word in one
// or two characters without spaces (CJK ideographs, kana, hangul
// syllables), so that "80 chars of prose" is a sentence in Chinese too.
inline constexpr uint32_t kWideUnits = 2;
inline uint32_t TextUnits(std::string_view s) {
  using swar::kHigh, swar::kLow7, swar::kOnes;
  uint32_t n = 0;
  size_t i = 0;
  while (i < s.size()) {
    // Eight bytes at once while none of them is a lead byte E3..FF: one
    // unit for each byte that is not a continuation byte (10xxxxxx).
    while (i + 8 <= s.size()) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      const uint64_t high = w & kHigh;
      if ((((w & kLow7) + kOnes * 0x1D) & high) != 0) break;  // a byte >= 0xE3
      const uint64_t continuation = high & ~(w << 1);             // bit 7 set, bit 6 clear
      n += 8 - swar::CountMarked(continuation);
      i += 8;
    }
    // Byte by byte up to the end of that word (or of the text).
    const size_t stop = i + 8 < s.size() ? i + 8 : s.size();
    for (; i < stop; ++i) {
      const unsigned char c = static_cast<unsigned char>(s[i]);
      if ((c & 0xC0) == 0x80) continue;
      // Three-byte sequences E3..ED cover U+3000..U+DFFF: kana (U+3040..30FF),
      // CJK (U+3400..9FFF), hangul syllables (U+AC00..D7AF); EF A4..AB is
      // U+F900..FAFF (compatibility ideographs).
      if (c >= 0xE3 && c <= 0xED && i + 1 < s.size()) {
        const uint32_t cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6);
        const bool wide = (cp >= 0x3040 && cp < 0x3100) || (cp >= 0x3400 && cp < 0xA000) ||
                          (cp >= 0xAC00 && cp < 0xD7C0);
        n += wide ? kWideUnits : 1;
      } else if (c == 0xEF && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0xA4 &&
                 static_cast<unsigned char>(s[i + 1]) <= 0xAB) {
        n += kWideUnits;
      } else {
        n += 1;
      }
    }
  }
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
// The same into *out (its buffer reused: no allocation once it is large enough).
void AsciiLowerInto(std::string_view s, std::string* out);

}  // namespace extract_internal
}  // namespace winnow

#endif  // WINNOW_SRC_EXTRACT_TEXT_UTIL_H_
