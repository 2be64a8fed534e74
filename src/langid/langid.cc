// CLD2 wrapper: code normalisation, dominant script, confidence.
#include "winnow/langid.h"

#include <cstdio>  // compact_lang_det.h uses FILE without including it
#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <cstring>

#include "base/swar.h"

namespace winnow {

std::string NormalizeLangCode(std::string_view code) {
  if (code.empty() || code == "un" || code.substr(0, 3) == "xx-") return "un";
  // Region / script suffixes CLD2 adds ("zh-Hant", "pt-BR"): keep the language.
  const std::string_view base = code.substr(0, code.find('-'));
  // CLD2 still uses the withdrawn ISO 639-1 codes for a few languages.
  if (base == "iw") return "he";
  if (base == "in") return "id";
  if (base == "ji") return "yi";
  if (base == "jw") return "jv";
  if (base == "mo") return "ro";
  return std::string(base);
}

std::string DominantScript(std::string_view text, size_t max_bytes) {
  std::array<int, USCRIPT_CODE_LIMIT> counts{};
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t n = static_cast<int32_t>(std::min<size_t>(text.size(), std::min<size_t>(max_bytes, INT32_MAX)));
  int32_t i = 0;
  int others = 0;  // letters counted in a script other than Latin
  using swar::kHigh, swar::kOnes;
  while (i < n) {
    // Eight ASCII bytes at a time: x = each byte | 0x20 (< 0x80, so the
    // adds below carry into no neighbour); a letter is 'a' <= x <= 'z'.
    if (n - i >= 8) {
      uint64_t w;
      std::memcpy(&w, s + i, 8);
      if ((w & kHigh) == 0) {
        const uint64_t x = w | (0x20 * kOnes);
        const uint64_t at_least_a = (x + (0x80 - 'a') * kOnes) & kHigh;
        const uint64_t above_z = (x + (0x80 - 'z' - 1) * kOnes) & kHigh;
        // One bit 7 per letter: summed into the top byte by a multiply
        // (__builtin_popcountll is a libgcc call without -mpopcnt).
        counts[USCRIPT_LATIN] += static_cast<int>(swar::CountMarked(at_least_a & ~above_z));
        i += 8;
        continue;
      }
    }
    UChar32 c;
    if (s[i] < 0x80) {  // ASCII fast path: only Latin letters matter.
      c = s[i++];
      if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') counts[USCRIPT_LATIN]++;
      continue;
    }
    U8_NEXT(s, i, n, c);
    if (c < 0 || !u_isalpha(c)) continue;
    UErrorCode err = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(c, &err);
    if (U_FAILURE(err) || sc <= USCRIPT_INHERITED || sc >= USCRIPT_CODE_LIMIT) continue;
    counts[sc]++;
    others += sc != USCRIPT_LATIN;
  }
  int best = -1, best_count = 0;
  if (others == 0) {  // Latin letters only, or none (most texts): no scan of the counts
    if (counts[USCRIPT_LATIN] > 0) best = USCRIPT_LATIN;
  } else {
    for (int k = 0; k < USCRIPT_CODE_LIMIT; ++k) {
      if (counts[k] > best_count) best = k, best_count = counts[k];
    }
  }
  if (best < 0) return "";
  const char* name = uscript_getShortName(static_cast<UScriptCode>(best));
  return name ? name : "";
}

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string LanguageSample(std::string_view text, size_t max_bytes, size_t piece_bytes) {
  std::string out;
  LanguageSample(text, max_bytes, piece_bytes, &out);
  return out;
}

void LanguageSample(std::string_view text, size_t max_bytes, size_t piece_bytes,
                    std::string* sample) {
  std::string& out = *sample;
  out.clear();
  if (max_bytes == 0 || text.size() <= max_bytes) {
    out.assign(text);
    return;
  }
  const size_t k = std::max<size_t>(1, max_bytes / std::max<size_t>(piece_bytes, 1));
  // k pieces and k - 1 separators fit in max_bytes.
  const size_t piece = (max_bytes - (k - 1)) / k;
  // A piece's ends move to a blank at most this far in, else to a code point.
  const size_t snap = std::min<size_t>(32, piece / 4);
  out.reserve(max_bytes);
  for (size_t j = 0; j < k; ++j) {
    const size_t slice_begin = text.size() * j / k;
    const size_t slice_end = text.size() * (j + 1) / k;
    const size_t slice = slice_end - slice_begin;
    size_t b = slice_begin + (slice > piece ? (slice - piece) / 2 : 0);
    size_t e = std::min(b + piece, slice_end);
    // Whole words where a blank is near (the text's own ends are word ends).
    if (b > 0 && !IsBlank(text[b - 1])) {
      size_t w = b;
      while (w < b + snap && !IsBlank(text[w])) ++w;
      if (w < b + snap) {
        b = w + 1;
      } else {
        while (b < e && IsContinuation(text[b])) ++b;
      }
    }
    if (e < text.size() && !IsBlank(text[e])) {
      size_t w = e;
      while (w > e - snap && w > b && !IsBlank(text[w - 1])) --w;
      if (w > e - snap && w > b) {
        e = w - 1;
      } else {
        while (e > b && IsContinuation(text[e])) --e;
      }
    }
    if (b >= e) continue;
    if (!out.empty()) out.push_back('\n');
    out.append(text.substr(b, e - b));
  }
}

#ifndef WINNOW_CLD2_TABLES
#define WINNOW_CLD2_TABLES "standard"
#endif

std::string LangidModelDescription() {
  return std::string("CLD2 ") + CLD2::DetectLanguageVersion() + ", " WINNOW_CLD2_TABLES " tables";
}

LangGuess DetectLanguage(std::string_view text, std::string_view hint_lang, bool with_script) {
  LangGuess g;
  if (text.empty()) return g;
  // CLD2 takes an int length; documents over 2 GB are scored on their prefix.
  int len = static_cast<int>(std::min<size_t>(text.size(), INT_MAX / 2));
  CLD2::CLDHints hints = {nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
  if (!hint_lang.empty() && hint_lang != "un") {
    std::string h(hint_lang == "he" ? "iw" : hint_lang);
    hints.language_hint = CLD2::GetLanguageFromName(h.c_str());
  }
  CLD2::Language lang3[3];
  int percent3[3];
  double score3[3];
  int text_bytes = 0;
  bool reliable = false;
  int valid_prefix = 0;
  CLD2::Language top = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      text.data(), len, /*is_plain_text=*/true, &hints, /*flags=*/0, lang3, percent3, score3,
      /*resultchunkvector=*/nullptr, &text_bytes, &reliable, &valid_prefix);
  if (valid_prefix < len && valid_prefix > 0) {
    // Score the valid prefix rather than nothing (CLD2 gives up on bad UTF-8).
    top = CLD2::ExtDetectLanguageSummaryCheckUTF8(text.data(), valid_prefix, true, &hints, 0,
                                                  lang3, percent3, score3, nullptr, &text_bytes,
                                                  &reliable, &valid_prefix);
  }
  g.text_bytes = text_bytes;
  g.reliable = reliable;
  g.lang = NormalizeLangCode(CLD2::LanguageCode(top));
  for (int k = 0; k < 3; ++k) {
    if (percent3[k] <= 0) continue;
    std::string code = NormalizeLangCode(CLD2::LanguageCode(lang3[k]));
    bool merged = false;  // zh and zh-Hant both map to "zh": add their shares
    for (auto& [c, share] : g.shares) {
      if (c == code) share += percent3[k] / 100.0, merged = true;
    }
    if (!merged) g.shares.emplace_back(code, percent3[k] / 100.0);
  }
  const double top_share = g.ShareOf(g.lang);
  if (g.lang == "un" || text_bytes == 0) {
    g.lang = "un";
    g.confidence = 0;
  } else {
    // CLD2 has no calibrated probability; the share of the text in the top
    // language is the best proxy, discounted when CLD2 itself is unsure.
    g.confidence = reliable ? top_share : top_share * 0.5;
  }
  if (with_script) g.script = DominantScript(text);
  return g;
}

}  // namespace winnow
