// Internal helpers shared by the filters: UTF-8 lengths, character classes,
// the word tokenizer, line splitting.
#ifndef WINNOW_SRC_FILTER_TEXT_UNITS_H_
#define WINNOW_SRC_FILTER_TEXT_UNITS_H_

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/swar.h"
#include "base/utf8.h"
#include "winnow/filter.h"

namespace winnow {
namespace text_units {

// Number of Unicode code points (continuation bytes are not counted).
// Eight bytes at a time: a continuation byte (10xxxxxx) has bit 7 set and
// bit 6 clear, so x & ~(x << 1) keeps bit 7 of exactly those bytes; the
// multiply sums the eight 0/1 bytes into the top byte.
inline size_t CodePoints(std::string_view s) {
  const char* p = s.data();
  const size_t n = s.size();
  size_t cont = 0, i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t x;
    std::memcpy(&x, p + i, 8);
    cont += swar::CountMarked((x & ~(x << 1)) & swar::kHigh);
  }
  for (; i < n; ++i) cont += (static_cast<unsigned char>(p[i]) & 0xC0) == 0x80;
  return n - cont;
}

// True for punctuation and symbol characters (ASCII punctuation, Unicode
// categories P* and S*): what datatrove's PUNCTUATION_SET approximates.
bool IsPunctSlow(int32_t cp);
// Unicode White_Space (ICU's u_isUWhiteSpace) above ASCII: U+0085, U+00A0,
// U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000. The set has
// not changed since Unicode 6.3 (U+180E left it); a test compares it with
// u_isUWhiteSpace at every code point.
inline bool IsSpaceSlow(int32_t cp) {
  if (cp < 0x2000) return cp == 0x85 || cp == 0xA0 || cp == 0x1680;
  return cp <= 0x200A || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000;
}
bool IsAlphaSlow(int32_t cp);
// True when the first character after leading white space is a lower-case
// letter (Unicode Ll): the line goes on with a sentence the line before began.
bool StartsLowerCase(std::string_view s);
inline bool IsPunct(int32_t cp) {
  if (cp < 0x80) {
    return (cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A && cp <= 0x40) ||
           (cp >= 0x5B && cp <= 0x60) || (cp >= 0x7B && cp <= 0x7E);
  }
  return IsPunctSlow(cp);
}
inline bool IsSpace(int32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= 0x09 && cp <= 0x0D);
  return IsSpaceSlow(cp);
}
inline bool IsAlpha(int32_t cp) {
  if (cp < 0x80) return ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
  return IsAlphaSlow(cp);
}

// The code point that ends at s[end) (end > 0), and its start in *start.
int32_t PrevCodePoint(std::string_view s, size_t end, size_t* start);

// Appends the tokens of `text` to *out (see filter.h, "Words").
void Tokenize(std::string_view text, std::vector<std::string_view>* out);

// A token with what the filters measure of it, computed in one pass.
enum TokenFlag : uint8_t {
  kSymbolToken = 1,   // every character is punctuation/symbol (IsSymbolToken)
  kAlphaToken = 2,    // a letter somewhere (HasAlpha)
  kUnspacedToken = 4,  // a character of a script written without spaces
  kPieceStart = 8      // the first token of a white-space separated piece
};
struct TokenInfo {
  uint32_t begin = 0, size = 0;  // bytes, within the text it was cut from
  uint32_t code_points = 0;
  uint32_t segmented = 0;  // with kUnspacedToken: SegmentedWords of the token, else 0
  uint64_t hash = 0;       // XXH3_64bits of the bytes
  uint8_t flags = 0;
};
// The tokens of one text, in order: the text and its tokens' measures.
struct TokenSpan {
  std::string_view text;
  const TokenInfo* begin = nullptr;
  const TokenInfo* end = nullptr;
};
using TokenSpans = std::vector<TokenSpan>;

// Tokenize with the measures: appends to *out (offsets within `text`).
void TokenizeInfo(std::string_view text, std::vector<TokenInfo>* out);
// The same by decoding every code point (no ASCII fast path): the
// reference TokenizeInfo is tested against.
void TokenizeInfoGeneral(std::string_view text, std::vector<TokenInfo>* out);
// The tokens of `text` as one span; *storage holds them.
void TextTokens(std::string_view text, std::vector<TokenInfo>* storage, TokenSpans* spans);
// The tokens of the document's kept blocks, one span per kept block: the
// same tokens as Tokenize(doc.Text()) (the '\n' that joins two blocks splits
// tokens as any white space does). One tokenisation shared by the filters of
// a chain: each block's tokens are kept per thread with a copy of its text
// and reused while the block at that position holds the same text, so the
// filters after the first re-tokenize only the blocks that changed (C4's
// citation edits). The spans are valid until the next call on this thread
// and while `doc`'s blocks are not changed.
void KeptTokens(const Document& doc, TokenSpans* spans);
template <typename F>
inline void ForEachToken(const TokenSpans& spans, F f) {
  for (const TokenSpan& s : spans) {
    for (const TokenInfo* t = s.begin; t != s.end; ++t) f(s.text.substr(t->begin, t->size), *t);
  }
}
// True when every character of the token is punctuation/symbol.
bool IsSymbolToken(std::string_view tok);
bool HasAlpha(std::string_view tok);
// Scripts written without spaces between words (Han, Hiragana, Katakana,
// Thai, Lao, Khmer, Myanmar): there a white-space token is a clause, not a
// word. All are above U+0800, so text without a lead byte >= 0xE0 has none.
inline bool IsUnspacedScript(int32_t cp) {
  return (cp >= 0x0E00 && cp <= 0x0EFF) || (cp >= 0x1000 && cp <= 0x109F) ||
         (cp >= 0x1780 && cp <= 0x17FF) || (cp >= 0x3040 && cp <= 0x30FF) ||
         (cp >= 0x31F0 && cp <= 0x31FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFF66 && cp <= 0xFF9D) || (cp >= 0x20000 && cp <= 0x2FFFF);
}
bool HasUnspacedScript(std::string_view s);
// The words of `s` by Unicode word segmentation (ICU's word break rules,
// with its dictionaries for Chinese, Japanese, Thai, Lao, Khmer and
// Myanmar): runs of letters, ideographs, kana or digits; punctuation and
// spaces are not words. Used only for tokens of unspaced scripts.
size_t SegmentedWords(std::string_view s);
// Words of a line or text as the filters count them in every script: white-
// space separated pieces, except that a piece with characters of an
// unspaced script counts as the words SegmentedWords finds in it (at least 1).
size_t CountWords(std::string_view s);

// One line as the line-count rules see it (FineWeb's ratios, Gopher's
// duplicated lines): a view into the joined kept text.
struct LineUnit {
  std::string_view text;
  bool block = false;  // a whole code block or table (its newlines inside)
};
// The lines of `text` == doc.Text() (split on '\n', as the rules split the
// joined text), in order. With code_as_unit, a kept code block
// (BlockKind::kCode: a <pre> of the extraction, whose lines are one block)
// is one LineUnit with `block` set, instead of one per line of it; with
// table_as_unit likewise a table (BlockKind::kTable: one row a line).
void KeptLineUnits(const Document& doc, std::string_view text, bool code_as_unit,
                   bool table_as_unit, std::vector<LineUnit>* out);

// Bit k (k < 8) set when byte k of w (in memory order) is ' ' or '\t': an
// exact per-byte compare (no carry leaves a byte), the eight bit 7s
// gathered into the low byte by a multiply.
inline uint32_t BlankBits8(uint64_t w) {
  const uint64_t m = swar::EqualBytes(w, ' ') | swar::EqualBytes(w, '\t');
  return static_cast<uint32_t>(((m >> 7) * 0x0102040810204080ULL) >> 56);
}

// Calls f(begin, end) for each run of bytes other than ' ' and '\t' in `t`,
// in order (the words of Gopher's repeated-line rule). The blanks of 64
// bytes at a time are one bit mask, the runs read off it by counting
// trailing zeros. REQUIRES: little-endian (as the rest of the SWAR code).
template <typename F>
void ForEachBlankSeparated(std::string_view t, F f) {
  const auto* p = reinterpret_cast<const unsigned char*>(t.data());
  const size_t n = t.size();
  size_t start = 0;
  bool in_word = false;
  for (size_t base = 0; base < n; base += 64) {
    const size_t len = std::min<size_t>(64, n - base);
    uint64_t blank = 0;
    size_t k = 0;
    for (; k + 8 <= len; k += 8) {
      uint64_t w;
      std::memcpy(&w, p + base + k, 8);
      blank |= uint64_t{BlankBits8(w)} << k;
    }
    for (; k < len; ++k) blank |= uint64_t{p[base + k] == ' ' || p[base + k] == '\t'} << k;
    if (len < 64) blank |= ~uint64_t{0} << len;  // past the end: a blank, which ends a word
    size_t at = 0;  // within the 64 bytes
    while (at < 64) {
      if (!in_word) {
        const uint64_t word_bytes = ~blank >> at;
        if (word_bytes == 0) break;
        at += static_cast<size_t>(__builtin_ctzll(word_bytes));
        start = base + at;
        in_word = true;
      }
      const uint64_t blanks = blank >> at;
      if (blanks == 0) break;  // the word goes on in the next 64 bytes
      at += static_cast<size_t>(__builtin_ctzll(blanks));
      f(start, base + at);
      in_word = false;
    }
  }
  if (in_word) f(start, n);
}

// The first position >= i holding an ASCII digit, or s.size(). Eight bytes
// at a time: a word none of whose bytes has a digit in its low seven bits
// holds no digit (a byte >= 0x80 can only stop the skip, then the bytes
// are looked at one by one).
inline size_t NextAsciiDigit(std::string_view s, size_t i) {
  using swar::kLow7, swar::kOnes;
  const size_t n = s.size();
  while (i < n) {
    for (uint64_t w; i + 8 <= n; i += 8) {
      std::memcpy(&w, s.data() + i, 8);
      const uint64_t y = w & kLow7;  // adding below carries into no neighbour
      if ((y + (0x80 - '0') * kOnes) & ~(y + (0x80 - '9' - 1) * kOnes) & ~kLow7) break;
    }
    const size_t stop = std::min(i + 8, n);
    for (; i < stop; ++i) {
      if (s[i] >= '0' && s[i] <= '9') return i;
    }
  }
  return n;
}

// Lower-cases (full Unicode simple case mapping) into *out. Runs of ASCII
// bytes are copied and lower-cased eight bytes at a time; other code points
// one by one, as ToLowerGeneral does for every one (the reference a test
// compares it with).
void ToLower(std::string_view s, std::string* out);
void ToLowerGeneral(std::string_view s, std::string* out);

// Sentences in one line (C4's sentence count): runs of . ! ? (and their CJK
// forms U+3002, U+FF01, U+FF1F) followed, after closing quotes/brackets, by
// white space or the end of the line. A stand-in for NLTK's punkt, which
// datatrove uses; abbreviations ("e.g. x") count as breaks here. A line with
// a character other than white space has at least one sentence. The bytes
// between two candidate terminators are skipped eight at a time;
// CountSentencesGeneral decodes every code point (the reference a test
// compares it with).
int64_t CountSentences(std::string_view line);
int64_t CountSentencesGeneral(std::string_view line);

// Splits on '\n'; with skip_empty, empty pieces are dropped.
void SplitLines(std::string_view text, bool skip_empty, std::vector<std::string_view>* out);

// Strips Unicode white space at both ends.
std::string_view Strip(std::string_view s);
std::string_view RStrip(std::string_view s);
std::string_view LStrip(std::string_view s);

std::string Format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

// Records a failed rule in *v unless an earlier rule failed: the verdict
// names the first failed rule (tag mode goes on measuring the others).
inline void FailRule(FilterVerdict* v, std::string reason, std::string detail) {
  if (!v->keep) return;
  v->keep = false;
  v->reason = std::move(reason);
  v->detail = std::move(detail);
}

}  // namespace text_units

// The filters on tokens already cut (text_units::KeptTokens in the chain's
// stages, TextTokens behind the public Evaluate* functions); `text` is the
// joined text the tokens come from.
// `shares`: the document's language shares (stop_words_min_share), or null.
FilterVerdict EvaluateGopherQualityTokens(std::string_view text, const text_units::TokenSpans& tokens,
                                          std::string_view lang, const GopherQualityOptions& o,
                                          const std::map<std::string, double>* shares = nullptr);
// `units`: the lines to measure (KeptLineUnits); null: `text` split on '\n'.
FilterVerdict EvaluateFineWebTokens(std::string_view text, const text_units::TokenSpans& tokens,
                                    const FineWebOptions& o,
                                    const std::vector<text_units::LineUnit>* units = nullptr);

}  // namespace winnow

#endif  // WINNOW_SRC_FILTER_TEXT_UNITS_H_
