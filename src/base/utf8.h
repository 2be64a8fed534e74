// UTF-8 encoding of one code point, shared by the stages and tests.
// Internal to winnow (not a public header). Thread-safe: a pure function.
#ifndef WINNOW_SRC_BASE_UTF8_H_
#define WINNOW_SRC_BASE_UTF8_H_

#include <cstdint>
#include <string>

namespace winnow {

// Appends `cp` encoded as UTF-8. Surrogates are encoded like any other code
// point (WTF-8), which the html5lib tests need for their lone surrogates;
// callers that must emit valid UTF-8 pass only scalar values.
// REQUIRES: cp <= 0x10FFFF.
inline void AppendUtf8(uint32_t cp, std::string* out) {
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

}  // namespace winnow

#endif  // WINNOW_SRC_BASE_UTF8_H_
