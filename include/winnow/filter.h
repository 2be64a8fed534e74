// Quality filters: heuristic rules that decide whether a document is good
// enough prose to keep, each with a stable reason name when it is not.
//
// Four filters, each a Stage of its own (registered by RegisterFilterStages in
// src/filter/filter_stages.h) and each also callable directly here:
//   filter.gopher_quality     Gopher (Rae et al. 2021) quality rules
//   filter.gopher_repetition  Gopher repetition rules (lines, paragraphs, n-grams)
//   filter.c4                 C4 (Raffel et al. 2020) line and page rules
//   filter.fineweb            FineWeb (Penedo et al. 2024) extra rules
// Defaults are datatrove's published defaults (the library FineWeb used);
// doc/filter.md lists every key, its default and its source.
//
// Filters look only at the kept blocks of a document (Document::Text()).
// Every filter has a tag-only mode (config key `mode: tag`): the measured
// values go to annotations.quality["<stage>.<signal>"] and the decision
// ("pass" or the reason name) to annotations.tags["<stage>"], and the document
// is not rejected. Any key can be overridden per document language with
// "<stage>.lang.<code>.<key>" (e.g. filter.gopher_quality.lang.zh.min_doc_words).
//
// Words: text is split on Unicode white space and runs of punctuation/symbol
// characters at the start and end of each piece become tokens of their own,
// which approximates the NLTK/spaCy word tokenizers datatrove uses ("end." is
// "end" + "."). Lengths are in Unicode code points, as in Python.
//
// Memory: options and verdicts own their data; string_view inputs are read
// only during a call. Thread-safety: all functions are thread-safe; options
// are immutable after construction.
#ifndef WINNOW_FILTER_H_
#define WINNOW_FILTER_H_

#include <map>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "winnow/config.h"
#include "winnow/document.h"
#include "winnow/status.h"

namespace winnow {

enum class FilterMode { kReject, kTag };

// The outcome of one filter on one document.
struct FilterVerdict {
  bool keep = true;
  std::string reason;  // stable name of the first failed rule, when !keep
  std::string detail;  // the measured value against its threshold
  std::vector<std::pair<std::string, double>> values;  // signal -> measured value
};

// A threshold set to a negative number disables its rule (datatrove: None / -1).

// The built-in stop-word lists (en is Gopher's; others are winnow's choice of
// ten very frequent function words, see doc/filter.md).
const std::map<std::string, std::unordered_set<std::string>>& DefaultStopWords();

struct GopherQualityOptions {
  FilterMode mode = FilterMode::kReject;
  int64_t min_doc_words = 50;
  int64_t max_doc_words = 100000;
  double min_avg_word_length = 3;
  double max_avg_word_length = 10;
  double max_symbol_word_ratio = 0.1;
  double max_bullet_lines_ratio = 0.9;
  double max_ellipsis_lines_ratio = 0.3;
  double min_alpha_words_ratio = 0.8;  // datatrove calls it max_non_alpha_words_ratio
  int64_t min_stop_words = 2;
  // false (datatrove): every word without a letter counts against
  // min_alpha_words_ratio; true (the chain's default, doc/filter.md): a
  // number between two words with letters on its line is left out.
  bool numbers_in_prose_neutral = false;
  // false (datatrove): max_avg_word_length as is; true (the chain's default,
  // doc/filter.md): scaled for the document's language by how much longer
  // its words are than English's in the same translated text (fi 1.35, de
  // 1.16...; scripts/filter/word_length_scales.py), never below 1.
  bool word_length_by_language = false;
  // Negative (datatrove, which has one list): only the stop words of the
  // document's language count. >= 0 (the chain: 0.15, doc/filter.md): so do
  // those of every language langid found in at least this share of the text
  // (annotations.lang_shares); the language with the most decides. CLD2
  // names a second language of >= ~17% over English, so an English page
  // with a Norwegian part is "no" and had no Norwegian stop words.
  double stop_words_min_share = -1;
  // Language -> stop words (lower case). The document language picks the list;
  // a document with no language yet uses "en"; a language with no list skips
  // the stop-word rule.
  std::map<std::string, std::unordered_set<std::string>> stop_words = DefaultStopWords();

  // Reads the keys under "filter.gopher_quality." (already stripped).
  static StatusOr<GopherQualityOptions> FromConfig(const Config& c);
};

struct GopherRepetitionOptions {
  FilterMode mode = FilterMode::kReject;
  double dup_line_frac = 0.3;
  double dup_para_frac = 0.3;
  double dup_line_char_frac = 0.2;
  double dup_para_char_frac = 0.2;
  // winnow's, off by default (datatrove has no such step), on in the default
  // chain: before measuring, a kept line equal to an earlier kept line of the
  // document is dropped ("filter.gopher_repetition.repeated_line") instead of
  // counting against the whole document. In line-structured text (WET) the
  // repeated lines are mostly left-over chrome (menus, "Reply", dates), and
  // the duplicate-line rules here and FineWeb's char_dup_ratio rejected the
  // document around them (doc/filter.md, filter_loss).
  bool drop_repeated_lines = false;
  // false (datatrove): every line of a code block counts for the
  // duplicated-line fractions; true (the chain's default): a kept code block
  // (BlockKind::kCode) is one line there, repeated only as a whole.
  bool code_block_as_line = false;
  // The same for a table (BlockKind::kTable, one row a line): false
  // (datatrove), true in the chain.
  bool table_as_line = false;
  std::vector<std::pair<int, double>> top_n_grams = {{2, 0.20}, {3, 0.18}, {4, 0.16}};
  std::vector<std::pair<int, double>> dup_n_grams = {
      {5, 0.15}, {6, 0.14}, {7, 0.13}, {8, 0.12}, {9, 0.11}, {10, 0.10}};
  // Memory bound (winnow's, not datatrove's): the n-gram tables take ~70
  // bytes per word, so texts above this many bytes are rejected as
  // `text_too_long` instead of measured (gopher_quality rejects anything over
  // 100,000 words, i.e. well under 1 MB, anyway).
  int64_t max_text_bytes = 16 << 20;
  static StatusOr<GopherRepetitionOptions> FromConfig(const Config& c);
};

struct C4Options {
  FilterMode mode = FilterMode::kReject;
  bool remove_citations = true;
  bool filter_no_terminal_punct = true;
  int64_t min_num_sentences = 5;
  int64_t min_words_per_line = 3;
  // A line with too few words whose next kept line passes every line rule is
  // a heading and stays (winnow's addition; false gives C4's rule).
  bool keep_headings = true;
  int64_t max_word_length = 1000;
  bool filter_lorem_ipsum = true;
  bool filter_javascript = true;
  bool filter_curly_bracket = true;
  // winnow's, off by default, on in the default chain: a kept line with '{'
  // is dropped ("filter.c4.curly_bracket") instead of rejecting the page; a
  // stray brace of left-over script in a WET record cost the whole article.
  bool curly_bracket_drops_line = false;
  bool filter_policy = true;
  // C4's . ? ! " ' and the same marks as FineWebOptions: of other scripts,
  // and the typographic closing quotes.
  std::vector<std::string> terminal_punctuation = {".", "?", "!", "\"", "'", "。", "！",
                                                   "？", "।", "؟", "۔",
                                                   "።", "։", "\u2019", "\u201D", "\u00BB"};
  std::vector<std::string> policy_substrings = {"terms of use", "privacy policy",
                                                "cookie policy", "uses cookies",
                                                "use of cookies", "use cookies"};
  static StatusOr<C4Options> FromConfig(const Config& c);
};

struct FineWebOptions {
  FilterMode mode = FilterMode::kReject;
  double line_punct_thr = 0.12;
  bool line_punct_exclude_zero = false;
  // false (datatrove): the share of lines that end in stop_chars; true (the
  // chain's default, doc/filter.md): the share of the text's characters that
  // are in such lines, so that a few list items or short titles beside the
  // paragraphs of an article do not outvote them.
  bool line_punct_by_chars = false;
  // false (datatrove, which sees only text): every line of a code block is
  // a line; true (the chain's default, doc/filter.md): a kept code block
  // (BlockKind::kCode, an extracted <pre>) is one line for the short-line,
  // duplicated-line and newline rules and is left out of the
  // line-punctuation share. Only the stage sees blocks: EvaluateFineWeb on
  // a string splits every line.
  bool code_block_as_line = false;
  // The same for a table (BlockKind::kTable, one row a line, cells split by
  // tabs): false (datatrove), true in the chain.
  bool table_as_line = false;
  // false (datatrove): each line on its own for the line-punctuation share;
  // true (the chain's default, doc/filter.md): a line that starts with a
  // lower-case letter after a line ending in none of stop_chars continues
  // it (hard-wrapped text), and the two count as one line ending as the
  // second does. The short-line and newline rules still count lines.
  bool line_punct_unwrap = false;
  double short_line_thr = 0.67;
  int64_t short_line_length = 30;
  double char_duplicates_ratio = 0.01;
  double new_line_ratio = 0.3;
  // datatrove's . ' " ! ? and the full stops, question and exclamation
  // marks of other scripts (CJK, Devanagari, Arabic, Urdu, Ethiopic,
  // Armenian), without which no Chinese or Hindi line "ends a sentence",
  // and the typographic closing quotes ’ ” » that edited text puts where
  // datatrove's ' and " stand after a sentence's stop (".’", "?”", ".»").
  std::vector<std::string> stop_chars = {".", "'", "\"", "!", "?", "。", "！", "？",
                                         "।", "؟", "۔", "።", "։", "\u2019", "\u201D", "\u00BB"};
  static StatusOr<FineWebOptions> FromConfig(const Config& c);
};

// What C4's line rules do to the blocks of a document.
struct C4Result {
  FilterVerdict verdict;
  // (index into doc.blocks, reason) of kept blocks the line rules drop.
  std::vector<std::pair<size_t, std::string>> dropped;
  // (index into doc.blocks, new text) of blocks whose citation marks went.
  std::vector<std::pair<size_t, std::string>> edited;
};

FilterVerdict EvaluateGopherQuality(std::string_view text, std::string_view lang,
                                    const GopherQualityOptions& o);
FilterVerdict EvaluateGopherRepetition(const Document& doc, const GopherRepetitionOptions& o);
C4Result EvaluateC4(const Document& doc, const C4Options& o);
FilterVerdict EvaluateFineWeb(std::string_view text, const FineWebOptions& o);

// The word tokens of `text` as described above; views into `text`.
std::vector<std::string_view> WordTokens(std::string_view text);


}  // namespace winnow

#endif  // WINNOW_FILTER_H_
