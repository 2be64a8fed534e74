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
  // The bytes that go out as they are wait in text[run_from, run_to) and
  // are appended in one piece when something else comes (a space, a
  // dropped byte, the end): the words of a text in a non-Latin script are
  // many code points each, and an append a code point was the most of
  // this function's cost there.
  size_t run_from = 0, run_to = 0;
  auto flush = [&] {
    if (run_to > run_from) out->append(text.data() + run_from, run_to - run_from);
    run_from = run_to = 0;
  };
  // The pending space before what comes next (not at the start of *out).
  auto space_before = [&] {
    if (!*pending_space) return;
    *pending_space = false;
    if (run_to > run_from) {
      flush();
      out->push_back(' ');
    } else if (!out->empty()) {
      out->push_back(' ');
    }
  };
  // text[from, to) goes out as it is.
  auto verbatim = [&](size_t from, size_t to) {
    space_before();
    if (run_to != from || run_to == run_from) {
      flush();
      run_from = from;
    }
    run_to = to;
  };
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
      verbatim(i, j);
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
      verbatim(i, i + 1);
      ++i;
      continue;
    }
    const size_t start = i;
    // Well-formed two-byte sequences and three-byte ones whose lead byte
    // allows every continuation (E1..EC, EE..EF: no overlong form, no
    // surrogate) decoded here; the rest by NextCodePoint.
    const unsigned char c1 = i + 1 < n ? static_cast<unsigned char>(text[i + 1]) : 0;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF && (c1 & 0xC0) == 0x80) {
      cp = ((c & 0x1Fu) << 6) | (c1 & 0x3Fu);
      i += 2;
    } else if (((c >= 0xE1 && c <= 0xEC) || c >= 0xEE) && c <= 0xEF && (c1 & 0xC0) == 0x80 && i + 2 < n &&
               (static_cast<unsigned char>(text[i + 2]) & 0xC0) == 0x80) {
      cp = ((c & 0x0Fu) << 12) | ((c1 & 0x3Fu) << 6) | (static_cast<unsigned char>(text[i + 2]) & 0x3Fu);
      i += 3;
    } else {
      cp = NextCodePoint(text, &i);
    }
    if (IsSpaceCp(cp)) {
      *pending_space = true;
      continue;
    }
    if (cp == kReplacementChar && text.substr(start, i - start) != "\xEF\xBF\xBD") {
      space_before();
      flush();
      AppendUtf8(kReplacementChar, out);  // an invalid sequence
    } else {
      verbatim(start, i);
    }
  }
  flush();
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
