// The Stage wrappers: options from Config, reject or tag, PII masking.
#include "filter/filter_stages.h"

// XXH3 compiled into this file (XXH_INLINE_ALL): the same hash values as the
// library's, without a call through the PLT per short token or line.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "filter/hash_counter.h"
#include "filter/text_units.h"

#include "winnow/filter.h"
#include "winnow/pii.h"

namespace winnow {
namespace {

// Applies a verdict: reject, or in tag mode record values and decision.
void Apply(Document& doc, const std::string& stage, FilterMode mode, const FilterVerdict& v) {
  if (mode == FilterMode::kTag) {
    for (const auto& [k, value] : v.values) doc.annotations.quality[stage + "." + k] = value;
    doc.annotations.tags[stage] = v.keep ? "pass" : v.reason;
    return;
  }
  if (!v.keep) doc.Reject(stage, v.reason, v.detail);
}

// A filter's options, with per-language overrides: keys under
// "lang.<code>." (e.g. filter.gopher_quality.lang.zh.min_doc_words=-1) apply
// to documents whose annotations.lang is <code>, over the stage's own keys.
template <typename Opt>
class PerLang {
 public:
  static StatusOr<PerLang> FromConfig(const Config& c) {
    PerLang p;
    auto base = Opt::FromConfig(c);
    if (!base.ok()) return base.status();
    p.base_ = std::move(base).value();
    const std::string prefix = "lang.";
    for (const auto& [key, value] : c.values()) {
      if (key.compare(0, prefix.size(), prefix) != 0) continue;
      size_t dot = key.find('.', prefix.size());
      if (dot == std::string::npos) {
        return Status::InvalidArgument("'" + key + "': per-language keys are lang.<code>.<key>");
      }
      std::string lang = key.substr(prefix.size(), dot - prefix.size());
      if (p.by_lang_.count(lang)) continue;
      Config merged = c;
      const Config overrides = c.Sub(prefix + lang);  // must outlive the loop
      for (const auto& [k, v] : overrides.values()) merged.Set(k, v);
      auto o = Opt::FromConfig(merged);
      if (!o.ok()) return o.status();
      p.by_lang_.emplace(lang, std::move(o).value());
    }
    return p;
  }
  const Opt& For(const std::string& lang) const {
    auto it = by_lang_.find(lang);
    return it == by_lang_.end() ? base_ : it->second;
  }

 private:
  Opt base_;
  std::map<std::string, Opt> by_lang_;
};

// One of the four quality filters as a stage: a document already rejected
// is left alone; the options for its language decide; `evaluate` measures
// (and, in reject mode, may drop or edit lines); the verdict rejects or tags.
template <typename Opt>
class FilterStage : public Stage {
 public:
  using Evaluate = FilterVerdict (*)(Document& doc, const Opt& o);
  FilterStage(std::string name, PerLang<Opt> o, Evaluate evaluate)
      : name_(std::move(name)), o_(std::move(o)), evaluate_(evaluate) {}
  std::string name() const override { return name_; }
  void Process(Document& doc) const override {
    if (!doc.decision.keep) return;
    const Opt& o = o_.For(doc.annotations.lang);
    Apply(doc, name_, o.mode, evaluate_(doc, o));
  }

 private:
  std::string name_;
  PerLang<Opt> o_;
  Evaluate evaluate_;
};

// The chain's filters share one tokenisation of the kept blocks
// (text_units::KeptTokens): each block is tokenized once, by the first
// filter that reads it.
FilterVerdict GopherQualityVerdict(Document& doc, const GopherQualityOptions& o) {
  text_units::TokenSpans tokens;
  text_units::KeptTokens(doc, &tokens);
  return EvaluateGopherQualityTokens(doc.Text(), tokens, doc.annotations.lang, o,
                                     &doc.annotations.lang_shares);
}

// Drops the kept lines (blocks) that repeat earlier kept text of the
// document (GopherRepetitionOptions::drop_repeated_lines): a line equal to an
// earlier one without surrounding white space, or a line of 5 or more words
// more than half of whose word 5-grams already appeared in earlier kept
// lines (templated lines that differ in a number or a name, "22 of 22 people
// found this useful", and teasers repeated as the article).
void DropRepeatedLines(Document& doc) {
  constexpr size_t kN = 5;
  // Word hashes of every kept non-empty line first (words: runs between
  // spaces and tabs), so that the tables are sized once; then the lines in
  // order. Open-addressing tables reused per thread; lines are compared by
  // a 64-bit hash and, when it matches, by their text.
  struct Line {
    size_t block;
    std::string_view text;
    size_t words_begin, words_end;  // into word_hashes
  };
  thread_local std::vector<Line> lines;
  thread_local std::vector<uint64_t> word_hashes;
  thread_local std::vector<uint64_t> grams;
  thread_local text_units::HashCounter seen_lines, seen_grams;
  lines.clear();
  word_hashes.clear();
  for (size_t bi = 0; bi < doc.blocks.size(); ++bi) {
    const Block& b = doc.blocks[bi];
    if (!b.keep) continue;
    std::string_view t = text_units::Strip(b.text);
    if (t.empty()) continue;
    Line l{bi, t, word_hashes.size(), 0};
    text_units::ForEachBlankSeparated(t, [&](size_t begin, size_t end) {
      word_hashes.push_back(XXH3_64bits(t.data() + begin, end - begin));
    });
    l.words_end = word_hashes.size();
    lines.push_back(l);
  }
  if (lines.empty()) return;
  seen_lines.Reset(lines.size());
  seen_grams.Reset(word_hashes.size());
  for (uint32_t li = 0; li < lines.size(); ++li) {
    const Line& l = lines[li];
    Block& b = doc.blocks[l.block];
    uint32_t first = li;
    if (seen_lines.Add(XXH3_64bits(l.text.data(), l.text.size()), li, &first) > 1 &&
        lines[first].text == l.text) {
      b.keep = false;
      b.drop_reason = "filter.gopher_repetition.repeated_line";
      continue;
    }
    const size_t n_words = l.words_end - l.words_begin;
    if (n_words < kN) continue;
    const uint64_t* w = word_hashes.data() + l.words_begin;
    const size_t n_grams = n_words - kN + 1;
    auto gram = [&](size_t at) {
      uint64_t h = 0;
      for (size_t k = 0; k < kN; ++k) h = (h ^ w[at + k]) * 0x100000001b3ULL + k;
      return h;
    };
    // Each gram hashed once: looked up, then (the line kept) added.
    grams.resize(n_grams);
    for (size_t g = 0; g < n_grams; ++g) grams[g] = gram(g);
    size_t repeated = 0;
    for (size_t g = 0; g < n_grams; ++g) repeated += seen_grams.Count(grams[g]) > 0;
    if (2 * repeated > n_grams) {
      b.keep = false;
      b.drop_reason = "filter.gopher_repetition.repeated_line";
      continue;
    }
    for (size_t g = 0; g < n_grams; ++g) seen_grams.Add(grams[g]);
  }
}

FilterVerdict GopherRepetitionVerdict(Document& doc, const GopherRepetitionOptions& o) {
  if (o.drop_repeated_lines && o.mode == FilterMode::kReject) DropRepeatedLines(doc);
  return EvaluateGopherRepetition(doc, o);
}

// C4 drops and edits lines (reject mode, document kept) besides its verdict.
FilterVerdict C4Verdict(Document& doc, const C4Options& o) {
  C4Result r = EvaluateC4(doc, o);
  if (o.mode == FilterMode::kReject && r.verdict.keep) {
    for (auto& [i, reason] : r.dropped) {
      doc.blocks[i].keep = false;
      doc.blocks[i].drop_reason = reason;
    }
    for (auto& [i, text] : r.edited) doc.blocks[i].text = std::move(text);
  }
  return std::move(r.verdict);
}

FilterVerdict FineWebVerdict(Document& doc, const FineWebOptions& o) {
  text_units::TokenSpans tokens;
  text_units::KeptTokens(doc, &tokens);
  const std::string text = doc.Text();
  if (!o.code_block_as_line && !o.table_as_line) return EvaluateFineWebTokens(text, tokens, o);
  thread_local std::vector<text_units::LineUnit> units;
  text_units::KeptLineUnits(doc, text, o.code_block_as_line, o.table_as_line, &units);
  return EvaluateFineWebTokens(text, tokens, o, &units);
}

class PiiStage : public Stage {
 public:
  explicit PiiStage(PiiOptions o) : o_(std::move(o)) {}
  std::string name() const override { return "pii"; }
  void Process(Document& doc) const override {
    if (!doc.decision.keep) return;
    PiiCounts c;
    PiiCounts in_dropped;  // not counted: the dropped blocks are not in the text
    for (Block& b : doc.blocks) {
      // Dropped blocks are masked too: output.blocks and output.dropped_lines
      // write them.
      PiiCounts& counts = b.keep ? c : in_dropped;
      const int64_t before = counts.total();
      std::string masked = MaskPii(b.text, o_, &counts);
      if (counts.total() != before) b.text = std::move(masked);
    }
    auto add = [&doc](const char* kind, int64_t n) {
      if (n) doc.annotations.pii_counts[kind] += n;
    };
    add("email", c.email);
    add("ip_address", c.ip_address);
    add("phone", c.phone);
    add("card_number", c.card_number);
  }

 private:
  PiiOptions o_;
};

// Registers a quality filter: its options from the stage's keys (with
// per-language overrides), its settings, its help line.
template <typename Opt>
void RegisterFilter(StageRegistry* r, const std::string& name,
                    typename FilterStage<Opt>::Evaluate evaluate, const std::string& help,
                    std::vector<Setting> settings) {
  StageFactory factory = [name, evaluate](const Config& c) -> StatusOr<std::unique_ptr<Stage>> {
    auto o = PerLang<Opt>::FromConfig(c);
    if (!o.ok()) return o.status();
    return std::unique_ptr<Stage>(new FilterStage<Opt>(name, std::move(o).value(), evaluate));
  };
  r->Register(name, std::move(factory), help, std::move(settings));
}

StatusOr<std::unique_ptr<Stage>> MakePii(const Config& c) {
  PiiOptions o;
  o.email = c.GetBool("email", o.email);
  o.ip = c.GetBool("ip", o.ip);
  o.phone = c.GetBool("phone", o.phone);
  o.card = c.GetBool("card", o.card);
  o.email_placeholder = c.GetString("placeholder.email", o.email_placeholder);
  o.ip_placeholder = c.GetString("placeholder.ip", o.ip_placeholder);
  o.phone_placeholder = c.GetString("placeholder.phone", o.phone_placeholder);
  o.card_placeholder = c.GetString("placeholder.card", o.card_placeholder);
  for (const std::string* p : {&o.email_placeholder, &o.ip_placeholder, &o.phone_placeholder,
                               &o.card_placeholder}) {
    if (p->find_first_of("0123456789@:+") != std::string::npos) {
      return Status::InvalidArgument("pii.placeholder.*: a placeholder may not contain digits, "
                                     "'@', ':' or '+' (later scanners would match it): '" + *p + "'");
    }
  }
  return std::unique_ptr<Stage>(new PiiStage(std::move(o)));
}

// "2:0.2,3:0.18": n in 1..64, fraction a number (negative = off).
std::string CheckNGramList(const std::string& v) {
  size_t start = 0;
  while (start <= v.size()) {
    size_t comma = v.find(',', start);
    std::string item = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t b = item.find_first_not_of(' '), e = item.find_last_not_of(' ');
    item = b == std::string::npos ? "" : item.substr(b, e - b + 1);
    if (!item.empty()) {
      size_t colon = item.find(':');
      std::string ns = item.substr(0, colon);
      std::string fs = colon == std::string::npos ? "" : item.substr(colon + 1);
      char* end1 = nullptr;
      char* end2 = nullptr;
      long n = std::strtol(ns.c_str(), &end1, 10);
      std::strtod(fs.c_str(), &end2);
      if (colon == std::string::npos || ns.empty() || *end1 != '\0' || fs.empty() ||
          *end2 != '\0' || n < 1 || n > 64) {
        return "items must be n:fraction with 1 <= n <= 64 (\"2:0.2,3:0.18\"), got '" + item + "'";
      }
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return "";
}

std::string NGramListText(const std::vector<std::pair<int, double>>& v) {
  std::string out;
  for (const auto& [n, f] : v) {
    if (!out.empty()) out += ",";
    out += std::to_string(n) + ":" + FormatSettingNumber(f);
  }
  return out;
}

Setting ModeSetting() {
  return StringSetting("mode", "reject",
                       "reject: drop failing documents; tag: record values and verdict, keep all",
                       {"reject", "tag"});
}

Setting PerLanguageSetting() {
  Setting s;
  s.name = "lang.*";
  s.type = SettingType::kPerLanguage;
  s.doc = "lang.<code>.<key>: any key of this filter, for documents whose language is <code>";
  return s;
}

// Thresholds: a negative value disables the rule (datatrove: None / -1).
constexpr double kOff = -1;
constexpr double kBig = 1e12;

// The chain scales the mean-word-length bound by language
// (GopherQualityOptions::word_length_by_language; doc/filter.md): the
// table's default is true.
std::vector<Setting> GopherQualitySettings() {
  GopherQualityOptions d;
  d.word_length_by_language = true;
  d.numbers_in_prose_neutral = true;
  d.stop_words_min_share = 0.15;
  Setting stop = ListSetting("stop_words.*", {}, "stop words of language * (replaces the built-in list)");
  return {
      ModeSetting(),
      IntSetting("min_doc_words", d.min_doc_words, kOff, kBig, "reject documents with fewer words; negative = off"),
      IntSetting("max_doc_words", d.max_doc_words, kOff, kBig, "reject documents with more words; negative = off"),
      DoubleSetting("min_avg_word_length", d.min_avg_word_length, kOff, 1e6,
                    "reject when the mean word length (characters) is below; negative = off"),
      DoubleSetting("max_avg_word_length", d.max_avg_word_length, kOff, 1e6,
                    "reject when the mean word length (characters) is above; negative = off"),
      DoubleSetting("max_symbol_word_ratio", d.max_symbol_word_ratio, kOff, 1e6,
                    "reject when '#' and ellipses per word exceed this; negative = off"),
      DoubleSetting("max_bullet_lines_ratio", d.max_bullet_lines_ratio, kOff, 1,
                    "reject when this share of lines start with a bullet; negative = off"),
      DoubleSetting("max_ellipsis_lines_ratio", d.max_ellipsis_lines_ratio, kOff, 1,
                    "reject when this share of lines end with an ellipsis; negative = off"),
      DoubleSetting("min_alpha_words_ratio", d.min_alpha_words_ratio, kOff, 1,
                    "reject when fewer words than this share contain a letter; negative = off"),
      IntSetting("min_stop_words", d.min_stop_words, kOff, kBig,
                 "reject with fewer stop words of the document's language; negative = off"),
      BoolSetting("word_length_by_language", d.word_length_by_language,
                  "scale max_avg_word_length by the document language's word length relative to "
                  "English (fi 1.35, de 1.16; datatrove: false; the chain: true)"),
      BoolSetting("numbers_in_prose_neutral", d.numbers_in_prose_neutral,
                  "a number between two words with letters on its line is left out of the "
                  "alphabetic-word ratio (datatrove: false; the chain: true)"),
      DoubleSetting("stop_words_min_share", d.stop_words_min_share, kOff, 1,
                    "stop words of every language langid finds in at least this share of the "
                    "text count too, the best language decides (datatrove: only one list; the "
                    "chain: 0.15); negative = the document's language only"),
      stop,
      PerLanguageSetting(),
  };
}

// The chain drops a repeated line instead of rejecting the document around
// it (GopherRepetitionOptions::drop_repeated_lines; doc/filter.md, "The
// default chain"): the table's default, which a run uses, is true.
std::vector<Setting> GopherRepetitionSettings() {
  GopherRepetitionOptions d;
  d.drop_repeated_lines = true;
  d.code_block_as_line = true;
  d.table_as_line = true;
  Setting top = StringSetting("top_n_grams", NGramListText(d.top_n_grams),
                              "n:fraction items: reject when the most frequent n-gram covers more "
                              "than fraction of the characters");
  top.check = CheckNGramList;
  Setting dup = StringSetting("dup_n_grams", NGramListText(d.dup_n_grams),
                              "n:fraction items: reject when repeated n-grams cover more than "
                              "fraction of the characters");
  dup.check = CheckNGramList;
  return {
      ModeSetting(),
      BoolSetting("drop_repeated_lines", d.drop_repeated_lines,
                  "drop a line that repeats an earlier one (or >half of its 5-grams) before measuring "
                  "(datatrove: no such step; the chain: true)"),
      BoolSetting("code_block_as_line", d.code_block_as_line,
                  "a code block (<pre>) is one line for the duplicated-line fractions "
                  "(datatrove: each of its lines; the chain: true)"),
      BoolSetting("table_as_line", d.table_as_line,
                  "a table is one line for the duplicated-line fractions (datatrove: each row; "
                  "the chain: true)"),
      DoubleSetting("dup_line_frac", d.dup_line_frac, kOff, 1, "reject when this share of lines are duplicates; negative = off"),
      DoubleSetting("dup_para_frac", d.dup_para_frac, kOff, 1, "reject when this share of paragraphs are duplicates; negative = off"),
      DoubleSetting("dup_line_char_frac", d.dup_line_char_frac, kOff, 1,
                    "reject when duplicate lines hold this share of characters; negative = off"),
      DoubleSetting("dup_para_char_frac", d.dup_para_char_frac, kOff, 1,
                    "reject when duplicate paragraphs hold this share of characters; negative = off"),
      IntSetting("max_text_bytes", d.max_text_bytes, 1, kBig,
                 "longer texts are rejected as text_too_long instead of measured (bounds memory)"),
      top,
      dup,
      PerLanguageSetting(),
  };
}

// The chain's C4 differs from datatrove's C4Options in one default: FineWeb
// ran C4 with filter_no_terminal_punct=False; the rule drops every heading
// and list line (54,923 lines of the extraction sets' gold text,
// doc/filter.md), and the FineWeb filter's line-punctuation ratio covers the
// same signal at document level. The pipeline fills unset keys from this
// table, so this default is what a run uses. Likewise a line with '{' is
// dropped instead of the page (curly_bracket_drops_line; doc/filter.md).
std::vector<Setting> C4Settings() {
  C4Options d;
  d.filter_no_terminal_punct = false;
  d.curly_bracket_drops_line = true;
  return {
      ModeSetting(),
      BoolSetting("remove_citations", d.remove_citations, "remove Wikipedia-style citation marks ([1], [edit])"),
      BoolSetting("filter_no_terminal_punct", d.filter_no_terminal_punct,
                  "drop lines without terminal punctuation (datatrove: true; FineWeb: false)"),
      IntSetting("min_num_sentences", d.min_num_sentences, kOff, kBig,
                 "reject documents with fewer sentences; negative = off"),
      IntSetting("min_words_per_line", d.min_words_per_line, kOff, kBig,
                 "drop lines with fewer words; negative = off"),
      IntSetting("max_word_length", d.max_word_length, kOff, kBig,
                 "drop lines with a longer word (characters); negative = off"),
      BoolSetting("filter_lorem_ipsum", d.filter_lorem_ipsum, "reject documents containing lorem ipsum"),
      BoolSetting("filter_javascript", d.filter_javascript, "drop lines mentioning javascript"),
      BoolSetting("filter_curly_bracket", d.filter_curly_bracket, "reject documents containing '{'"),
      BoolSetting("curly_bracket_drops_line", d.curly_bracket_drops_line,
                  "with filter_curly_bracket, drop the line with '{' instead of the document "
                  "(datatrove: false; the chain: true)"),
      BoolSetting("keep_headings", d.keep_headings,
                  "keep a short line whose next kept line passes every line rule (a heading)"),
      BoolSetting("filter_policy", d.filter_policy, "drop lines containing a policy phrase"),
      ListSetting("terminal_punctuation", d.terminal_punctuation, "what counts as terminal punctuation"),
      ListSetting("policy_substrings", d.policy_substrings, "the policy phrases (lower case)"),
      PerLanguageSetting(),
  };
}

// The chain weighs FineWeb's line-punctuation share by characters
// (FineWebOptions::line_punct_by_chars; doc/filter.md): the table's default
// is true.
std::vector<Setting> FineWebSettings() {
  FineWebOptions d;
  d.line_punct_by_chars = true;
  d.code_block_as_line = true;
  d.table_as_line = true;
  d.line_punct_unwrap = true;
  return {
      ModeSetting(),
      DoubleSetting("line_punct_thr", d.line_punct_thr, kOff, 1,
                    "reject when fewer lines than this share end in stop_chars; negative = off"),
      BoolSetting("line_punct_exclude_zero", d.line_punct_exclude_zero,
                  "a ratio of exactly 0 passes the line punctuation rule"),
      BoolSetting("line_punct_by_chars", d.line_punct_by_chars,
                  "the line punctuation share counts characters of such lines, not lines "
                  "(datatrove: false; the chain: true)"),
      BoolSetting("code_block_as_line", d.code_block_as_line,
                  "a code block (<pre>) is one line for the short-line, duplicate and newline "
                  "rules and is left out of the line punctuation share (datatrove: false; the "
                  "chain: true)"),
      BoolSetting("table_as_line", d.table_as_line,
                  "a table is one line for the short-line, duplicate and newline rules and is left "
                  "out of the line punctuation share (datatrove: each row; the chain: true)"),
      BoolSetting("line_punct_unwrap", d.line_punct_unwrap,
                  "for the line punctuation share, a line starting in lower case after a line "
                  "without a stop char continues it (hard-wrapped text; datatrove: false; the "
                  "chain: true)"),
      DoubleSetting("short_line_thr", d.short_line_thr, kOff, 1,
                    "reject when more lines than this share are short; negative = off"),
      IntSetting("short_line_length", d.short_line_length, 0, kBig, "a line of at most this many characters is short"),
      DoubleSetting("char_duplicates_ratio", d.char_duplicates_ratio, kOff, 1,
                    "reject when duplicated lines hold more than this share of characters; negative = off"),
      DoubleSetting("new_line_ratio", d.new_line_ratio, kOff, 1e6,
                    "reject when newlines per word exceed this (list-like text); negative = off"),
      ListSetting("stop_chars", d.stop_chars, "characters that end a line with punctuation"),
      PerLanguageSetting(),
  };
}

std::vector<Setting> PiiSettings() {
  const PiiOptions d;
  return {
      BoolSetting("email", d.email, "mask e-mail addresses"),
      BoolSetting("ip", d.ip, "mask IPv4 and IPv6 addresses"),
      BoolSetting("phone", d.phone, "mask +CC phone numbers"),
      BoolSetting("card", d.card, "mask Luhn-valid card numbers"),
      StringSetting("placeholder.email", d.email_placeholder, "replaces an e-mail address (no digits, @, :, +)"),
      StringSetting("placeholder.ip", d.ip_placeholder, "replaces an IP address (no digits, @, :, +)"),
      StringSetting("placeholder.phone", d.phone_placeholder, "replaces a phone number (no digits, @, :, +)"),
      StringSetting("placeholder.card", d.card_placeholder, "replaces a card number (no digits, @, :, +)"),
  };
}

}  // namespace

void RegisterFilterStages(StageRegistry* r) {
  RegisterFilter<GopherQualityOptions>(
      r, "filter.gopher_quality", GopherQualityVerdict,
      "Gopher quality rules: word count, word length, symbols, bullets, stop words",
      GopherQualitySettings());
  RegisterFilter<GopherRepetitionOptions>(
      r, "filter.gopher_repetition", GopherRepetitionVerdict,
      "Gopher repetition rules: duplicate lines/paragraphs, top and duplicated n-grams",
      GopherRepetitionSettings());
  RegisterFilter<C4Options>(
      r, "filter.c4", C4Verdict,
      "C4 rules: drops lines (punctuation, javascript, policy...), rejects lorem ipsum, '{', "
      "< 5 sentences",
      C4Settings());
  RegisterFilter<FineWebOptions>(
      r, "filter.fineweb", FineWebVerdict,
      "FineWeb rules: line punctuation, short lines, duplicated line chars, list ratio",
      FineWebSettings());
  r->Register("pii", MakePii,
              "masks e-mails, IPv4/IPv6, +CC phone numbers, Luhn-valid card numbers",
              PiiSettings());
}

}  // namespace winnow
