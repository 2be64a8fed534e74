#include "extract/text_util.h"

#include <emmintrin.h>

#include <cstring>

#include "base/swar.h"

namespace winnow {
namespace extract_internal {

namespace {
inline bool IsSpaceCp(uint32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
         cp == '\v' || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) ||
         cp == 0x3000 || cp == 0x202F || cp == 0x205F || cp == 0xFEFF;
}
}  // namespace

void AppendCollapsed(std::string_view text, std::string* out, bool* pending_space) {
  using swar::kHigh, swar::kLow7, swar::kOnes;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c > 0x20 && c < 0x7F) {
      // A run of printable ASCII, single spaces between words included
      // (each is kept as is, as a pending space before a printable
      // character would be): append it at once.
      size_t j = i + 1;
      while (j < n) {
        if (j + 16 <= n) {
          // Sixteen bytes at once, the same test with SSE2 (signed compares:
          // bytes from 0x80 are negative, so not above 0x20).
          const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + j));
          const unsigned printable = static_cast<unsigned>(_mm_movemask_epi8(
              _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x20)), _mm_cmplt_epi8(v, _mm_set1_epi8(0x7F)))));
          const unsigned space = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' '))));
          if ((printable | space) == 0xFFFF && !(space & (space >> 1)) && !(space & 0x8000)) {
            j += 16;
            continue;
          }
        }
        if (j + 8 <= n) {
          // Eight bytes at once when each is printable ASCII or a single
          // space before a printable one (the last byte no space).
          uint64_t w;
          std::memcpy(&w, text.data() + j, 8);
          if (!(w & kHigh)) {
            const uint64_t space = swar::EqualBytes(w, ' ');
            const uint64_t below_21 = ~(w + kOnes * 0x5F) & kHigh;
            const uint64_t del = (w + kOnes) & kHigh;
            if (!((below_21 & ~space) | del) && !(space & (space >> 8)) && !(space >> 56)) {
              j += 8;
              continue;
            }
          }
        }
        const unsigned char d = static_cast<unsigned char>(text[j]);
        if (d > 0x20 && d < 0x7F) {
          ++j;
          continue;
        }
        if (d != ' ' || j + 1 >= n) break;
        const unsigned char e = static_cast<unsigned char>(text[j + 1]);
        if (e <= 0x20 || e >= 0x7F) break;
        j += 2;
      }
      if (*pending_space && !out->empty()) out->push_back(' ');
      *pending_space = false;
      out->append(text.data() + i, j - i);
      i = j;
      continue;
    }
    if (c < 0x80) {
      if (c == ' ' || (c >= '\t' && c <= '\r')) {  // space, \t \n \v \f \r
        // A run of ASCII white space (the indentation between tags): eight
        // bytes at once while all eight are, then byte by byte.
        *pending_space = true;
        ++i;
        while (i + 16 <= n) {  // sixteen at once with SSE2
          const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
          const __m128i controls = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('\t' - 1)),
                                                 _mm_cmplt_epi8(v, _mm_set1_epi8('\r' + 1)));
          if (_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), controls)) != 0xFFFF) break;
          i += 16;
        }
        while (i + 8 <= n) {
          uint64_t w;
          std::memcpy(&w, text.data() + i, 8);
          const uint64_t space = swar::EqualBytes(w, ' ');
          // \t..\r: at least 0x09 and below 0x0E (high bit clear).
          const uint64_t low7 = w & kLow7;
          const uint64_t controls = (low7 + kOnes * 0x77) & ~(low7 + kOnes * 0x72) & ~w & kHigh;
          if ((space | controls) != kHigh) break;
          i += 8;
        }
        while (i < n) {
          const unsigned char d = static_cast<unsigned char>(text[i]);
          if (d != ' ' && (d < '\t' || d > '\r')) break;
          ++i;
        }
        continue;
      }
      if (c < 0x20 || c == 0x7F) {  // control characters: drop
        ++i;
        continue;
      }
      if (*pending_space && !out->empty()) out->push_back(' ');
      *pending_space = false;
      out->push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    size_t start = i;
    uint32_t cp = NextCodePoint(text, &i);
    if (IsSpaceCp(cp)) {
      *pending_space = true;
      continue;
    }
    if (*pending_space && !out->empty()) out->push_back(' ');
    *pending_space = false;
    if (cp == kReplacementChar && text.substr(start, i - start) != "\xEF\xBF\xBD") {
      AppendUtf8(kReplacementChar, out);  // an invalid sequence
    } else {
      out->append(text.data() + start, i - start);
    }
  }
}

std::string_view Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  auto sp = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (b < e && sp(s[b])) ++b;
  while (e > b && sp(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::string CollapseWhitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending = false;
  AppendCollapsed(s, &out, &pending);
  return out;
}

std::string AsciiLower(std::string_view s) {
  std::string out;
  AsciiLowerInto(s, &out);
  return out;
}

void AsciiLowerInto(std::string_view s, std::string* out) {
  out->assign(s);
  for (char& c : *out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

}  // namespace extract_internal
}  // namespace winnow
