#include "filter/text_units.h"

#include "winnow/filter.h"

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>
// XXH3 compiled into this file (XXH_INLINE_ALL): the same hash values as the
// library's, without a call through the PLT per short token or line.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>

namespace winnow {
namespace text_units {

bool IsPunctSlow(int32_t cp) {
  int32_t mask = U_GET_GC_MASK(cp);
  return (mask & (U_GC_P_MASK | U_GC_S_MASK)) != 0;
}

bool IsAlphaSlow(int32_t cp) { return u_isalpha(cp); }

bool StartsLowerCase(std::string_view s) {
  s = LStrip(s);
  if (s.empty()) return false;
  const unsigned char c = static_cast<unsigned char>(s[0]);
  if (c < 0x80) return c >= 'a' && c <= 'z';
  size_t i = 0;
  return u_islower(NextCodePoint(s, &i));
}

int32_t PrevCodePoint(std::string_view s, size_t end, size_t* start) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  if (p[end - 1] < 0x80) {
    *start = end - 1;
    return p[end - 1];
  }
  int32_t idx = static_cast<int32_t>(end);
  UChar32 cp;
  U8_PREV(p, 0, idx, cp);
  *start = static_cast<size_t>(idx);
  return cp < 0 ? 0xFFFD : cp;
}

namespace {

// Appends the tokens of one white-space separated piece (no white space in
// it): a leading punctuation run, the rest up to a trailing punctuation run,
// that run; a piece of punctuation only is one token.
void CutPiece(std::string_view piece, std::vector<std::string_view>* out) {
  // Leading punctuation run.
  size_t a = 0;
  while (a < piece.size()) {
    size_t k = a;
    if (!IsPunct(NextCodePoint(piece, &k))) break;
    a = k;
  }
  if (a == piece.size()) {  // all punctuation: one token
    out->push_back(piece);
    return;
  }
  // Trailing punctuation run.
  size_t b = piece.size();
  while (b > a) {
    size_t s;
    if (!IsPunct(PrevCodePoint(piece, b, &s)) || s < a) break;  // s < a: broken UTF-8
    b = s;
  }
  if (a > 0) out->push_back(piece.substr(0, a));
  out->push_back(piece.substr(a, b - a));
  if (b < piece.size()) out->push_back(piece.substr(b));
}

}  // namespace

void Tokenize(std::string_view text, std::vector<std::string_view>* out) {
  size_t i = 0, n = text.size();
  while (i < n) {
    // Skip white space.
    size_t j = i;
    int32_t cp = NextCodePoint(text, &j);
    if (IsSpace(cp)) {
      i = j;
      continue;
    }
    // A piece runs to the next white space.
    size_t start = i, end = j;
    while (end < n) {
      size_t k = end;
      if (IsSpace(NextCodePoint(text, &k))) break;
      end = k;
    }
    i = end;
    CutPiece(text.substr(start, end - start), out);
  }
}

namespace {

// XXH3_64bits and push_back compiled into the token loop (flatten): at
// -O2 both stayed calls, a third of the cost of a short ASCII token.
__attribute__((flatten)) inline uint64_t HashBytes(const char* p, size_t n) {
  return XXH3_64bits(p, n);
}
__attribute__((flatten)) inline void PushToken(const TokenInfo& t, std::vector<TokenInfo>* out) {
  out->push_back(t);
}

// The measures of one token by decoding every code point (what TokenizeInfo
// gives any token; the ASCII path below gives the same for ASCII tokens).
// `*prev_end`: where the token before ended (null: none yet).
void AppendTokenInfo(std::string_view text, std::string_view t, const char** prev_end,
                     std::vector<TokenInfo>* out) {
  TokenInfo info;
  info.begin = static_cast<uint32_t>(t.data() - text.data());
  info.size = static_cast<uint32_t>(t.size());
  info.hash = XXH3_64bits(t.data(), t.size());
  // One decoding pass: all-punctuation, any letter, any unspaced script
  // (the measures IsSymbolToken, HasAlpha and HasUnspacedScript take one
  // by one). Code points as CodePoints counts them (bytes that are not
  // continuation bytes, which differs from decoding on broken UTF-8).
  bool symbol = true, alpha = false, unspaced = false;
  size_t i = 0;
  while (i < t.size()) {
    const int32_t cp = NextCodePoint(t, &i);
    if (symbol && !IsPunct(cp)) symbol = false;
    if (!alpha && IsAlpha(cp)) alpha = true;
    if (!unspaced && cp >= 0x0E00 && IsUnspacedScript(cp)) unspaced = true;
  }
  info.code_points = static_cast<uint32_t>(CodePoints(t));
  // The tokens of one piece touch; white space lies between pieces.
  const bool piece_start = *prev_end == nullptr || t.data() != *prev_end;
  *prev_end = t.data() + t.size();
  info.flags = static_cast<uint8_t>((symbol ? kSymbolToken : 0) | (alpha ? kAlphaToken : 0) |
                                    (unspaced ? kUnspacedToken : 0) |
                                    (piece_start ? kPieceStart : 0));
  if (unspaced) info.segmented = static_cast<uint32_t>(SegmentedWords(t));
  out->push_back(info);
}

// ASCII byte classes for the fast path: white space as IsSpace, punctuation
// as IsPunct, letters as IsAlpha, other ASCII (digits, controls) kClassOther;
// bytes >= 0x80 are kClassNonAscii.
enum : uint8_t {
  kClassSpace = 1,
  kClassPunct = 2,
  kClassAlpha = 4,
  kClassNonAscii = 8,
  kClassOther = 16
};
constexpr auto kByteClass = [] {
  std::array<uint8_t, 256> t{};
  t.fill(kClassOther);
  for (int c = 0; c < 256; ++c) {
    if (c >= 0x80) {
      t[c] = kClassNonAscii;
    } else if (c == ' ' || (c >= 0x09 && c <= 0x0D)) {
      t[c] = kClassSpace;
    } else if ((c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
               (c >= 0x7B && c <= 0x7E)) {
      t[c] = kClassPunct;
    } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
      t[c] = kClassAlpha;
    }
  }
  return t;
}();

using swar::kHigh, swar::kOnes;

// Eight ASCII bytes (each < 0x80) lower-cased: 'A'..'Z' get 0x20. Adding
// 0x80 - 'A' (0x80 - 'Z' - 1) to a byte sets its bit 7 when it is >= 'A'
// (> 'Z') and carries into no neighbour.
inline uint64_t LowerAscii8(uint64_t w) {
  const uint64_t upper =
      (w + (0x80 - 'A') * kOnes) & ~(w + (0x80 - 'Z' - 1) * kOnes) & kHigh;
  return w | (upper >> 2);
}

// True when one of the eight bytes of w equals c (the usual zero-byte test
// of w ^ c: a borrow can mark a byte above a zero one, never a word
// without one).
inline bool HasByte(uint64_t w, unsigned char c) {
  const uint64_t x = w ^ (c * kOnes);
  return ((x - kOnes) & ~x & kHigh) != 0;
}

// Bit 7 set in each byte of w that is below 0x21 or above 0x7F (exact per
// byte: the low seven bits plus 0x5F set bit 7 when they are >= 0x21 and
// carry into no neighbour).
inline uint64_t AsciiStopBytes(uint64_t w) {
  const uint64_t low = w & ~kHigh;
  return (w | ~(low + 0x5F * kOnes)) & kHigh;
}

// Appends the lower case of the code point at s[*i] (a byte >= 0x80) and
// moves *i past it. A two-byte sequence (U+0080..U+07FF, most accented
// letters) is looked up in a table filled once from u_tolower; the others
// go to u_tolower. The decoder gives U+FFFD or a scalar value, whose lower
// case is a scalar value, so the encoding never fails.
inline void AppendLower(std::string_view s, size_t* i, std::string* out) {
  static const auto kLower = [] {
    std::array<char32_t, 0x800> t{};
    for (int32_t c = 0; c < 0x800; ++c) t[c] = static_cast<char32_t>(u_tolower(c));
    return t;
  }();
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + *i;
  if (p[0] >= 0xC2 && p[0] <= 0xDF && *i + 1 < s.size() && (p[1] & 0xC0) == 0x80) {
    *i += 2;
    AppendUtf8(kLower[((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu)], out);
    return;
  }
  AppendUtf8(static_cast<char32_t>(u_tolower(static_cast<UChar32>(NextCodePoint(s, i)))), out);
}

inline bool IsSentenceEnd(int32_t cp) {
  return cp == '.' || cp == '!' || cp == '?' || cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F;
}

// The bytes CountSentences stops at: the ASCII sentence ends and the lead
// bytes of U+3002 (E3 80 82), U+FF01 (EF BC 81) and U+FF1F (EF BC 9F).
constexpr auto kSentenceEndLead = [] {
  std::array<bool, 256> t{};
  t['.'] = t['!'] = t['?'] = t[0xE3] = t[0xEF] = true;
  return t;
}();

// After a sentence end that ends at line[j): skips the rest of the run and
// closing quotes/brackets, counts a sentence in *n when white space or the
// end of the line follows, and returns where the scan goes on.
size_t SentenceBreak(std::string_view line, size_t j, int64_t* n) {
  size_t k = j;
  while (k < line.size()) {
    size_t m = k;
    int32_t c = NextCodePoint(line, &m);
    if (IsSentenceEnd(c) || c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x201D ||
        c == 0x2019 || c == 0xBB) {
      k = m;
    } else {
      break;
    }
  }
  size_t m = k;
  if (k == line.size() || IsSpace(NextCodePoint(line, &m))) ++*n;
  return k;
}

// From text[i] >= 0x80: past the run of non-ASCII characters that are not
// white space; returns where it stops (a byte < 0x80, the end, or white
// space starting there: *space set). White space above ASCII starts with
// C2, E1, E2 or E3 (U+0085, U+00A0; U+1680; U+2000..U+205F; U+3000): any
// other byte >= 0x80 is skipped with the continuation bytes after it, which
// keeps the decoder's alignment (it never takes a byte that is not a
// continuation byte into the code point before it). Out of line: inlined
// in TokenizeInfo's loop it cost more than it saved on dragnet.
__attribute__((noinline)) size_t NonAsciiRun(std::string_view text, size_t i, bool* space) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  *space = false;
  while (i < n && p[i] >= 0x80) {
    const unsigned char c = p[i];
    if (c != 0xC2 && (c < 0xE1 || c > 0xE3)) {
      ++i;
      while (i < n && (p[i] & 0xC0) == 0x80) ++i;
      continue;
    }
    // E1..E3 and two continuation bytes: a valid sequence (no overlong
    // form or surrogate starts so), decoded here.
    if (c != 0xC2 && i + 2 < n && (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80) {
      if (IsSpaceSlow(((c & 0x0F) << 12) | ((p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F))) {
        *space = true;
        return i;
      }
      i += 3;
      continue;
    }
    size_t k = i;
    if (IsSpace(NextCodePoint(text, &k))) {
      *space = true;
      return i;
    }
    i = k;
  }
  return i;
}

}  // namespace

void TokenizeInfoGeneral(std::string_view text, std::vector<TokenInfo>* out) {
  thread_local std::vector<std::string_view> toks;
  toks.clear();
  Tokenize(text, &toks);
  out->reserve(out->size() + toks.size());
  const char* prev_end = nullptr;
  for (std::string_view t : toks) AppendTokenInfo(text, t, &prev_end, out);
}

// The same tokens and measures as TokenizeInfoGeneral (a randomized test
// compares them), with white-space pieces of ASCII bytes cut and measured
// by a byte table. A piece with a byte >= 0x80 is cut and measured as
// Tokenize does (decoding code points), from its first byte: the bytes
// before it in the piece are ASCII, so the decoding is aligned the same.
void TokenizeInfo(std::string_view text, std::vector<TokenInfo>* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  const char* prev_end = nullptr;
  // Room for a token per 4 bytes (text of words of ~5 letters has one per
  // ~6), so that the vector rarely grows token by token.
  out->reserve(out->size() + n / 4 + 4);
  size_t i = 0;
  while (i < n) {
    uint8_t cls = kByteClass[p[i]];
    if (cls == kClassSpace) {
      ++i;
      continue;
    }
    if (cls == kClassNonAscii) {
      size_t j = i;
      if (IsSpace(NextCodePoint(text, &j))) {
        i = j;
        continue;
      }
    }
    // A piece: to the next white space. Eight bytes at a time while none is
    // below 0x21 (white space, controls) or above 0x7F; from such a byte on,
    // one at a time as the byte table and the decoder say.
    const size_t start = i;
    bool non_ascii = false;
    while (i < n) {
      for (uint64_t w; i + 8 <= n; i += 8) {
        std::memcpy(&w, p + i, 8);
        const uint64_t stop = AsciiStopBytes(w);
        if (stop != 0) {
          i += static_cast<size_t>(__builtin_ctzll(stop)) >> 3;
          break;
        }
      }
      if (i >= n) break;
      cls = kByteClass[p[i]];
      if (cls == kClassSpace) break;
      if (cls == kClassNonAscii) {
        bool space;
        const size_t k = NonAsciiRun(text, i, &space);
        non_ascii |= k > i;
        i = k;
        if (space) break;
        continue;
      }
      ++i;
    }
    const size_t end = i;
    std::string_view piece = text.substr(start, end - start);
    if (non_ascii) {
      // The piece holds no white space (decoded as Tokenize decodes it):
      // cut it as Tokenize cuts one piece.
      thread_local std::vector<std::string_view> toks;
      toks.clear();
      CutPiece(piece, &toks);
      for (std::string_view t : toks) AppendTokenInfo(text, t, &prev_end, out);
      continue;
    }
    // ASCII: a leading punctuation run, the middle (from a byte that is not
    // punctuation), a trailing punctuation run; a piece of punctuation only
    // is one token.
    auto emit = [&](size_t b, size_t e, uint8_t flags) {
      TokenInfo info;
      info.begin = static_cast<uint32_t>(b);
      info.size = static_cast<uint32_t>(e - b);
      info.code_points = info.size;
      info.hash = HashBytes(text.data() + b, e - b);
      const bool piece_start = prev_end == nullptr || text.data() + b != prev_end;
      prev_end = text.data() + e;
      info.flags = static_cast<uint8_t>(flags | (piece_start ? kPieceStart : 0));
      PushToken(info, out);
    };
    size_t a = start;
    while (a < end && kByteClass[p[a]] == kClassPunct) ++a;
    if (a == end) {
      emit(start, end, kSymbolToken);
      continue;
    }
    size_t b = end;
    while (kByteClass[p[b - 1]] == kClassPunct) --b;  // stops at a at the latest
    if (a > start) emit(start, a, kSymbolToken);
    bool alpha = false;
    for (size_t k = a; k < b && !alpha; ++k) alpha = kByteClass[p[k]] == kClassAlpha;
    emit(a, b, alpha ? kAlphaToken : 0);
    if (b < end) emit(b, end, kSymbolToken);
  }
}

void TextTokens(std::string_view text, std::vector<TokenInfo>* storage, TokenSpans* spans) {
  storage->clear();
  TokenizeInfo(text, storage);
  spans->clear();
  spans->push_back({text, storage->data(), storage->data() + storage->size()});
}

void KeptTokens(const Document& doc, TokenSpans* spans) {
  struct Cached {
    std::string text;
    std::vector<TokenInfo> tokens;
  };
  thread_local std::vector<Cached> cache;
  // Memory: the cache keeps the capacity of the largest document seen (its
  // text and ~32 bytes per token); after one of more than 8 MiB of kept
  // text, a document of less than a quarter of that starts from an empty
  // cache.
  thread_local size_t held = 0;  // kept-text bytes of the largest document since the last reset
  size_t doc_bytes = 0;
  for (const Block& b : doc.blocks) doc_bytes += b.keep ? b.text.size() : 0;
  if (held > (size_t{8} << 20) && doc_bytes < held / 4) {
    std::vector<Cached>().swap(cache);
    held = 0;
  }
  held = std::max(held, doc_bytes);
  cache.resize(doc.blocks.size());
  spans->clear();
  for (size_t i = 0; i < doc.blocks.size(); ++i) {
    const Block& b = doc.blocks[i];
    if (!b.keep) continue;
    Cached& c = cache[i];
    if (c.text != b.text) {
      c.text = b.text;
      c.tokens.clear();
      TokenizeInfo(c.text, &c.tokens);
    }
    // Offsets are within the text, which equals b.text: views into the block.
    spans->push_back({b.text, c.tokens.data(), c.tokens.data() + c.tokens.size()});
  }
}

void KeptLineUnits(const Document& doc, std::string_view text, bool code_as_unit,
                   bool table_as_unit, std::vector<LineUnit>* out) {
  out->clear();
  // Where the next kept block starts in `text`. Document::Text() puts a
  // '\n' before a block only once something was written: kept empty blocks
  // at the start leave nothing.
  size_t at = 0;
  for (const Block& b : doc.blocks) {
    if (!b.keep) continue;
    if (at == 0 && b.text.empty()) continue;
    if (at > 0) ++at;  // the '\n' that joins it to the text before
    std::string_view t = text.substr(at, b.text.size());
    at += b.text.size();
    if ((code_as_unit && b.kind == BlockKind::kCode) ||
        (table_as_unit && b.kind == BlockKind::kTable)) {
      out->push_back({t, true});
      continue;
    }
    size_t start = 0;
    while (true) {
      size_t nl = t.find('\n', start);
      out->push_back({t.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start)});
      if (nl == std::string_view::npos) break;
      start = nl + 1;
    }
  }
  if (out->empty()) out->push_back({text});  // "" split on '\n' is one empty line
}

bool IsSymbolToken(std::string_view tok) {
  size_t i = 0;
  while (i < tok.size()) {
    if (!IsPunct(NextCodePoint(tok, &i))) return false;
  }
  return true;
}

bool HasAlpha(std::string_view tok) {
  size_t i = 0;
  while (i < tok.size()) {
    if (IsAlpha(NextCodePoint(tok, &i))) return true;
  }
  return false;
}

bool HasUnspacedScript(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0xE0) {
      ++i;
      continue;
    }
    if (IsUnspacedScript(NextCodePoint(s, &i))) return true;
  }
  return false;
}

size_t SegmentedWords(std::string_view s) {
  // One word break iterator per thread: opening one loads the rules and
  // dictionaries (milliseconds), re-targeting it costs nothing.
  struct Closer {
    void operator()(UBreakIterator* b) const { ubrk_close(b); }
  };
  thread_local std::unique_ptr<UBreakIterator, Closer> bi;
  UErrorCode st = U_ZERO_ERROR;
  if (!bi) {
    bi.reset(ubrk_open(UBRK_WORD, "", nullptr, 0, &st));
    if (U_FAILURE(st)) {
      bi.reset();
      return 1;
    }
  }
  st = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, s.data(), static_cast<int64_t>(s.size()), &st);
  if (U_FAILURE(st)) return 1;
  ubrk_setUText(bi.get(), ut, &st);
  size_t words = 0;
  if (U_SUCCESS(st)) {
    ubrk_first(bi.get());
    while (ubrk_next(bi.get()) != UBRK_DONE) {
      words += ubrk_getRuleStatus(bi.get()) >= UBRK_WORD_NUMBER;
    }
  }
  utext_close(ut);
  return words;
}

size_t CountWords(std::string_view s) {
  size_t words = 0, i = 0;
  const bool unspaced = HasUnspacedScript(s);
  while (i < s.size()) {
    size_t j = i;
    if (IsSpace(NextCodePoint(s, &j))) {
      i = j;
      continue;
    }
    size_t start = i;
    while (i < s.size()) {
      size_t k = i;
      if (IsSpace(NextCodePoint(s, &k))) break;
      i = k;
    }
    std::string_view piece = s.substr(start, i - start);
    if (unspaced && HasUnspacedScript(piece)) {
      words += std::max<size_t>(1, SegmentedWords(piece));
    } else {
      ++words;
    }
  }
  return words;
}

void ToLowerGeneral(std::string_view s, std::string* out) {
  out->clear();
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out->push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
      ++i;
      continue;
    }
    int32_t cp = u_tolower(NextCodePoint(s, &i));
    uint8_t buf[4];
    int32_t len = 0;
    UBool err = false;
    U8_APPEND(buf, len, 4, cp, err);
    if (!err) out->append(reinterpret_cast<char*>(buf), static_cast<size_t>(len));
  }
}

void ToLower(std::string_view s, std::string* out) {
  out->clear();
  out->reserve(s.size());
  const char* p = s.data();
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    // The run of ASCII bytes from i: copied, then lower-cased in place.
    size_t j = i;
    for (uint64_t w; j + 8 <= n; j += 8) {
      std::memcpy(&w, p + j, 8);
      if (w & kHigh) break;
    }
    while (j < n && static_cast<unsigned char>(p[j]) < 0x80) ++j;
    if (j > i) {
      const size_t at = out->size(), len = j - i;
      out->append(p + i, len);
      char* d = out->data() + at;
      size_t k = 0;
      for (uint64_t w; k + 8 <= len; k += 8) {
        std::memcpy(&w, d + k, 8);
        w = LowerAscii8(w);
        std::memcpy(d + k, &w, 8);
      }
      for (; k < len; ++k) {
        if (d[k] >= 'A' && d[k] <= 'Z') d[k] = static_cast<char>(d[k] + 32);
      }
      i = j;
    }
    if (i < n) AppendLower(s, &i, out);  // a code point from a byte >= 0x80
  }
}

int64_t CountSentencesGeneral(std::string_view line) {
  int64_t n = 0;
  size_t i = 0;
  bool any = false;
  while (i < line.size()) {
    size_t j = i;
    int32_t cp = NextCodePoint(line, &j);
    if (!IsSpace(cp)) any = true;
    bool term = cp == '.' || cp == '!' || cp == '?' || cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F;
    if (!term) {
      i = j;
      continue;
    }
    // Skip the rest of the run and closing quotes/brackets.
    size_t k = j;
    while (k < line.size()) {
      size_t m = k;
      int32_t c = NextCodePoint(line, &m);
      if (c == '.' || c == '!' || c == '?' || c == '"' || c == '\'' || c == ')' || c == ']' ||
          c == 0x201D || c == 0x2019 || c == 0xBB || c == 0x3002 || c == 0xFF01 || c == 0xFF1F) {
        k = m;
      } else {
        break;
      }
    }
    size_t m = k;
    if (k == line.size() || IsSpace(NextCodePoint(line, &m))) ++n;
    i = k;
  }
  return any ? std::max<int64_t>(n, 1) : 0;
}

// The same count as CountSentencesGeneral. Every byte that is ASCII or a
// lead byte is where a code point starts (the decoder takes only
// continuation bytes after a lead byte), and a sentence end is '.', '!',
// '?' or a code point with lead byte 0xE3 or 0xEF: the bytes before the
// next of those hold no sentence end and need no decoding. "Any character
// other than white space" is what LStrip tells.
int64_t CountSentences(std::string_view line) {
  if (LStrip(line).empty()) return 0;
  const auto* p = reinterpret_cast<const unsigned char*>(line.data());
  const size_t size = line.size();
  int64_t n = 0;
  size_t i = 0;
  while (i < size) {
    for (uint64_t w; i + 8 <= size; i += 8) {
      std::memcpy(&w, p + i, 8);
      if ((w & kHigh) || HasByte(w, '.') || HasByte(w, '!') || HasByte(w, '?')) break;
    }
    const size_t stop = std::min(i + 8, size);  // back to eight at a time after these
    while (i < stop && !kSentenceEndLead[p[i]]) ++i;
    if (i == stop) continue;
    size_t j = i;
    if (!IsSentenceEnd(NextCodePoint(line, &j))) {
      i = j;
      continue;
    }
    i = SentenceBreak(line, j, &n);
  }
  return std::max<int64_t>(n, 1);
}

void SplitLines(std::string_view text, bool skip_empty, std::vector<std::string_view>* out) {
  size_t start = 0;
  while (true) {
    size_t nl = text.find('\n', start);
    std::string_view line =
        text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (!skip_empty || !line.empty()) out->push_back(line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
}

std::string_view LStrip(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    size_t k = i;
    if (!IsSpace(NextCodePoint(s, &k))) break;
    i = k;
  }
  return s.substr(i);
}

std::string_view RStrip(std::string_view s) {
  size_t e = s.size();
  while (e > 0) {
    size_t st;
    if (!IsSpace(PrevCodePoint(s, e, &st))) break;
    e = st;
  }
  return s.substr(0, e);
}

std::string_view Strip(std::string_view s) { return RStrip(LStrip(s)); }

std::string Format(const char* fmt, ...) {
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return buf;
}

}  // namespace text_units
}  // namespace winnow

namespace winnow {

std::vector<std::string_view> WordTokens(std::string_view text) {
  std::vector<std::string_view> out;
  text_units::Tokenize(text, &out);
  return out;
}

}  // namespace winnow
