// UTF-8, the one implementation every stage uses: decoding one code point,
// encoding one, and checking, counting and repairing a whole string.
// Internal to winnow (not a public header).
//
// Invalid sequences follow the WHATWG / Unicode "maximal subpart" rule (one
// U+FFFD per maximal invalid prefix), as browsers and ICU's U8_NEXT do, so the
// decoder and the repair agree with each other and with other tools: decoding
// a string gives the same code points as decoding its repaired copy.
//
// Thread-safety: pure functions.
#ifndef WINNOW_SRC_BASE_UTF8_H_
#define WINNOW_SRC_BASE_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace winnow {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// Decodes the code point at s[*i] and advances *i past it (by at least one
// byte). An invalid sequence gives U+FFFD and advances past its maximal
// subpart. REQUIRES: *i < s.size().
char32_t NextCodePointSlow(std::string_view s, size_t* i);
inline char32_t NextCodePoint(std::string_view s, size_t* i) {
  const unsigned char c = static_cast<unsigned char>(s[*i]);
  if (c < 0x80) {
    ++*i;
    return c;
  }
  return NextCodePointSlow(s, i);
}

// Appends `cp` encoded as UTF-8. Surrogates are encoded like any other code
// point (WTF-8), which the html5lib tests need for their lone surrogates;
// callers that must emit valid UTF-8 pass only scalar values.
// REQUIRES: cp <= 0x10FFFF.
inline void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// The first `max` bytes of `s` or fewer: cut before a continuation byte, so
// a multi-byte sequence is never split. `s` itself when it is no longer.
inline std::string_view Utf8Prefix(std::string_view s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

// True when `s` is valid UTF-8 (SIMD fast path through simdjson).
bool IsValidUtf8(std::string_view s);

// True when every byte is < 0x80.
bool IsAscii(std::string_view s);

// Replaces invalid sequences in *s with U+FFFD; returns how many were replaced.
uint64_t RepairUtf8(std::string* s);

// Counts valid multi-byte sequences and invalid sequences (maximal subparts).
void CountUtf8(std::string_view s, uint64_t* multibyte, uint64_t* invalid);

}  // namespace winnow

#endif  // WINNOW_SRC_BASE_UTF8_H_
