#include "base/json_escape.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "base/swar.h"
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

// Bit 7 set in each byte of w that JSON escapes: below 0x20, '"' or '\\'.
// Exact: a byte with bit 7 set is not below 0x20, and for the others the
// add of 0x60 to their low seven bits sets bit 7 from 0x20 on, carrying
// into no neighbour.
inline uint64_t EscapedBytes(uint64_t w) {
  const uint64_t control = ~((w & swar::kLow7) + swar::kOnes * 0x60) & ~w & swar::kHigh;
  return control | swar::EqualBytes(w, '"') | swar::EqualBytes(w, '\\');
}

// Two passes (find the bytes to escape and the output's size, then fill a
// buffer of that size): HTML has a quote or newline every few dozen bytes,
// and one append per escape was the writer's main cost. The first pass
// reads eight bytes at a time (a word without such a byte is skipped whole)
// and lists where the escapes are in `at` (thread-local, reused); the
// second copies the runs between them.
void AppendEscaped(std::string_view s, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  thread_local std::vector<size_t> at;
  at.clear();
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t extra = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    for (uint64_t m = EscapedBytes(w); m != 0; m &= m - 1) {
      const size_t k = i + (static_cast<unsigned>(__builtin_ctzll(m)) >> 3);
      at.push_back(k);
      extra += kEscape.extra[p[k]];
    }
  }
  for (; i < n; ++i) {
    if (kEscape.extra[p[i]] != 0) {
      at.push_back(i);
      extra += kEscape.extra[p[i]];
    }
  }
  const size_t old = out->size();
  out->resize(old + n + extra + 2);
  char* o = out->data() + old;
  *o++ = '"';
  size_t from = 0;
  for (size_t k : at) {
    if (k > from) std::memcpy(o, p + from, k - from);
    o += k - from;
    from = k + 1;
    const unsigned char c = p[k];
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
  if (n > from) std::memcpy(o, p + from, n - from);
  o += n - from;
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
