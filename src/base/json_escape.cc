#include "base/json_escape.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "base/utf8.h"

namespace winnow {
namespace {

// Extra output bytes for each input byte: 0, 1 ("\n", "\"", ...) or 5 ("\u0001").
struct EscapeTable {
  uint8_t extra[256];
  constexpr EscapeTable() : extra() {
    for (int c = 0; c < 0x20; ++c) extra[c] = 5;
    extra[static_cast<int>('\n')] = extra[static_cast<int>('\r')] = extra[static_cast<int>('\t')] = 1;
    extra[static_cast<int>('\b')] = extra[static_cast<int>('\f')] = 1;
    extra[static_cast<int>('"')] = extra[static_cast<int>('\\')] = 1;
  }
};
constexpr EscapeTable kEscape;

// Two passes (count, then fill a buffer of the exact size): HTML has a
// quote or newline every few dozen bytes, and one append per escape was the
// writer's main cost.
void AppendEscaped(std::string_view s, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size();
  size_t extra = 0;
  for (size_t i = 0; i < n; ++i) extra += kEscape.extra[p[i]];
  size_t old = out->size();
  out->resize(old + n + extra + 2);
  char* o = out->data() + old;
  *o++ = '"';
  if (extra == 0) {
    std::memcpy(o, p, n);
    o += n;
  } else {
    for (size_t i = 0; i < n; ++i) {
      size_t j = i;
      while (j < n && kEscape.extra[p[j]] == 0) ++j;
      std::memcpy(o, p + i, j - i);
      o += j - i;
      if (j == n) break;
      i = j;
      unsigned char c = p[i];
      *o++ = '\\';
      switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        case '\b': *o++ = 'b'; break;
        case '\f': *o++ = 'f'; break;
        default:
          *o++ = 'u';
          *o++ = '0';
          *o++ = '0';
          *o++ = kHex[c >> 4];
          *o++ = kHex[c & 15];
      }
    }
  }
  *o++ = '"';
}

}  // namespace

void AppendJsonString(std::string_view s, std::string* out) {
  if (IsValidUtf8(s)) {
    AppendEscaped(s, out);
  } else {
    std::string fixed(s);
    RepairUtf8(&fixed);
    AppendEscaped(fixed, out);
  }
}

std::string JsonString(std::string_view s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

void AppendJsonNumber(double v, std::string* out) {
  if (!std::isfinite(v)) {
    out->append("null");
    return;
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  // The shortest form of a large whole double is an integer ("4444444444444444327936"),
  // which JSON readers such as simdjson refuse beyond 64 bits: from 2^53 on,
  // where a double no longer holds every integer, it is written with an exponent.
  if (std::fabs(v) >= 9007199254740992.0 && std::string_view(buf, res.ptr - buf).find_first_of(".e") ==
                                                   std::string_view::npos) {
    res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  }
  out->append(buf, res.ptr);
}

}  // namespace winnow
