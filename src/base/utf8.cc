#include "base/utf8.h"

#include <simdjson.h>

namespace winnow {
namespace {

// Length of the valid UTF-8 sequence starting at p[0], or the length of the
// maximal invalid subpart (>= 1) negated. The second byte's range excludes
// overlong forms, surrogates and code points above U+10FFFF (Unicode table 3-7).
int SequenceLength(const unsigned char* p, size_t avail) {
  unsigned char c = p[0];
  if (c < 0x80) return 1;
  int need;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return -1;
  }
  for (int i = 1; i <= need; ++i) {
    if (static_cast<size_t>(i) >= avail) return -i;
    unsigned char b = p[i];
    if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return -i;
  }
  return need + 1;
}

}  // namespace

char32_t NextCodePointSlow(std::string_view s, size_t* i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + *i;
  const size_t avail = s.size() - *i;
  // Valid two- and three-byte sequences (Latin, Cyrillic, Greek, Arabic,
  // Hebrew...; CJK and most punctuation above U+0800) first, without the
  // general range table: the same code point as below.
  if (p[0] >= 0xC2 && p[0] <= 0xDF && avail >= 2 && (p[1] & 0xC0) == 0x80) {
    *i += 2;
    return (char32_t{p[0] & 0x1Fu} << 6) | (p[1] & 0x3Fu);
  }
  if ((p[0] & 0xF0) == 0xE0 && avail >= 3 && (p[2] & 0xC0) == 0x80) {
    const unsigned char lo = p[0] == 0xE0 ? 0xA0 : 0x80, hi = p[0] == 0xED ? 0x9F : 0xBF;
    if (p[1] >= lo && p[1] <= hi) {
      *i += 3;
      return (char32_t{p[0] & 0x0Fu} << 12) | (char32_t{p[1] & 0x3Fu} << 6) | (p[2] & 0x3Fu);
    }
  }
  int len = SequenceLength(p, avail);
  if (len < 0) {
    *i += static_cast<size_t>(-len);
    return kReplacementChar;
  }
  *i += static_cast<size_t>(len);
  switch (len) {
    case 1:
      return p[0];
    case 2:
      return (char32_t{p[0] & 0x1Fu} << 6) | (p[1] & 0x3Fu);
    case 3:
      return (char32_t{p[0] & 0x0Fu} << 12) | (char32_t{p[1] & 0x3Fu} << 6) | (p[2] & 0x3Fu);
    default:
      return (char32_t{p[0] & 0x07u} << 18) | (char32_t{p[1] & 0x3Fu} << 12) |
             (char32_t{p[2] & 0x3Fu} << 6) | (p[3] & 0x3Fu);
  }
}

bool IsValidUtf8(std::string_view s) { return simdjson::validate_utf8(s.data(), s.size()); }

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

void CountUtf8(std::string_view s, uint64_t* multibyte, uint64_t* invalid) {
  *multibyte = *invalid = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size();
  for (size_t i = 0; i < n;) {
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    int len = SequenceLength(p + i, n - i);
    if (len > 0) {
      ++*multibyte;
      i += static_cast<size_t>(len);
    } else {
      ++*invalid;
      i += static_cast<size_t>(-len);
    }
  }
}

uint64_t RepairUtf8(std::string* s) {
  if (IsValidUtf8(*s)) return 0;
  std::string out;
  out.reserve(s->size() + 16);
  const auto* p = reinterpret_cast<const unsigned char*>(s->data());
  size_t n = s->size();
  size_t i = 0;
  uint64_t replaced = 0;
  while (i < n) {
    int len = SequenceLength(p + i, n - i);
    if (len > 0) {
      out.append(reinterpret_cast<const char*>(p + i), static_cast<size_t>(len));
      i += static_cast<size_t>(len);
    } else {
      AppendUtf8(kReplacementChar, &out);
      ++replaced;
      i += static_cast<size_t>(-len);
    }
  }
  s->swap(out);
  return replaced;
}

}  // namespace winnow
