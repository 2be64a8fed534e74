// Language identification: which language(s) a text is written in.
//
// Backed by CLD2 (Compact Language Detector 2, tables compiled into
// libcld2_full): a naive-Bayes quadgram model over ~160 languages that is fast
// (hundreds of MB/s per core), needs no model file at run time and reports the
// share of the text in each of its top three languages, which is what block
// level decisions need. See doc/langid.md for the measured accuracy.
//
// Codes: languages are ISO 639-1 where one exists ("fr", "he", "zh"), else
// the ISO 639-2/3 code CLD2 uses ("haw", "ceb"); "un" means unknown. Scripts
// are ISO 15924 ("Latn", "Cyrl", "Hani").
//
// Memory: results own their strings; input views are only read during the call.
// Thread-safety: every function here is thread-safe (CLD2 keeps no mutable
// global state after its tables are compiled in).
#ifndef WINNOW_LANGID_H_
#define WINNOW_LANGID_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace winnow {

struct LangGuess {
  std::string lang = "un";    // ISO 639 code, "un" when unknown
  std::string script;         // ISO 15924 code of the dominant script, "" if none
  double confidence = 0;      // 0..1: the share of the top language, halved
                              // when CLD2 does not call the result reliable
  bool reliable = false;      // CLD2's is_reliable
  // Up to three (language, share 0..1) pairs, largest first; CLD2's percent3.
  std::vector<std::pair<std::string, double>> shares;
  int text_bytes = 0;         // letters CLD2 actually scored

  // The share of `code` in `shares` (0 when it has none).
  double ShareOf(std::string_view code) const {
    for (const auto& [c, share] : shares) {
      if (c == code) return share;
    }
    return 0;
  }
};

// Identifies the language of plain UTF-8 text. Invalid UTF-8 is scored up
// to the first invalid byte; empty or letter-less text gives "un".
// `hint_lang` (an ISO 639 code, or empty) is a prior: CLD2 boosts that
// language, so a result in another language despite the hint is strong
// evidence (the langid stage uses it before calling a block foreign).
// `with_script` = false skips the script count (the stage's per-block calls).
LangGuess DetectLanguage(std::string_view text, std::string_view hint_lang = "",
                         bool with_script = true);

// What document-level language id reads of a long text: `text` itself when
// it has at most `max_bytes` bytes (or `max_bytes` is 0), else k pieces of
// about `piece_bytes`, one from the middle of each of k equal slices of the
// text (k = max_bytes / piece_bytes, at least 1), joined by '\n', at most
// `max_bytes` bytes in all. A piece's ends move to the nearest blank within
// 32 bytes inside it (no word cut), else to a UTF-8 code point boundary
// (text without blanks: CJK, Thai). CLD2's cost is linear in the bytes it
// reads; its shares over an even sample stay within a few points of the
// whole text's (doc/langid.md).
inline constexpr size_t kLanguageSamplePieceBytes = 256;
std::string LanguageSample(std::string_view text, size_t max_bytes,
                           size_t piece_bytes = kLanguageSamplePieceBytes);
// The same into *sample (cleared first; its capacity is reused, so a caller
// that keeps one string allocates no sample per document).
void LanguageSample(std::string_view text, size_t max_bytes, size_t piece_bytes,
                    std::string* sample);

// Maps a CLD2 / legacy code to the one winnow reports ("iw" -> "he",
// "zh-Hant" -> "zh", "xx-Cham" -> "un"). Exposed for tests and tools.
std::string NormalizeLangCode(std::string_view cld2_code);

// "CLD2 <version>, standard tables" (or "full tables"): what this build uses.
std::string LangidModelDescription();

// The dominant ISO 15924 script of the letters of `text` ("" if it has no
// letters). Looks at most at the first `max_bytes` bytes.
std::string DominantScript(std::string_view text, size_t max_bytes = 16384);

}  // namespace winnow

#endif  // WINNOW_LANGID_H_
