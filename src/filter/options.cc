// Reading filter options from a Config, and the built-in stop-word lists.
#include <sstream>

#include "filter/text_units.h"
#include "winnow/filter.h"

namespace winnow {
namespace {

StatusOr<FilterMode> ReadMode(const Config& c, const std::string& stage) {
  std::string m = c.GetString("mode", "reject");
  if (m == "reject") return FilterMode::kReject;
  if (m == "tag") return FilterMode::kTag;
  return Status::InvalidArgument(stage + ".mode must be 'reject' or 'tag', not '" + m + "'");
}

// "2:0.2,3:0.18" -> {{2,0.2},{3,0.18}}
StatusOr<std::vector<std::pair<int, double>>> ReadNGramList(
    const Config& c, const std::string& key, const std::vector<std::pair<int, double>>& def,
    const std::string& stage) {
  if (!c.Has(key)) return def;
  std::vector<std::pair<int, double>> out;
  for (const std::string& item : c.GetList(key, {})) {
    size_t colon = item.find(':');
    char* end1 = nullptr;
    char* end2 = nullptr;
    std::string ns = item.substr(0, colon);
    long n = std::strtol(ns.c_str(), &end1, 10);
    std::string fs = colon == std::string::npos ? "" : item.substr(colon + 1);
    double f = std::strtod(fs.c_str(), &end2);
    if (colon == std::string::npos || *end1 != '\0' || *end2 != '\0' || fs.empty() || n < 1 ||
        n > 64) {
      return Status::InvalidArgument(stage + "." + key + ": items must be n:fraction with 1 <= n <= 64 (\"2:0.2,3:0.18\"), got '" + item + "'");
    }
    out.emplace_back(static_cast<int>(n), f);
  }
  return out;
}

}  // namespace

const std::map<std::string, std::unordered_set<std::string>>& DefaultStopWords() {
  static const auto* lists = new std::map<std::string, std::unordered_set<std::string>>{
      // Gopher (Rae et al. 2021, appendix A1.1) and datatrove's STOP_WORDS.
      {"en", {"the", "be", "to", "of", "and", "that", "have", "with"}},
      // winnow's choice: ten of the most frequent function words of each
      // language (articles, copulas, prepositions, conjunctions), so that two
      // of them in a 50-word text is as weak a bar as Gopher's English one.
      {"fr", {"le", "la", "les", "de", "des", "et", "est", "un", "une", "que"}},
      {"de", {"der", "die", "das", "und", "ist", "zu", "den", "mit", "von", "nicht"}},
      {"es", {"el", "la", "de", "que", "y", "en", "los", "las", "por", "con"}},
      {"it", {"il", "la", "di", "che", "e", "per", "un", "non", "con", "del"}},
      {"pt", {"o", "a", "de", "que", "e", "do", "da", "em", "um", "para"}},
      {"nl", {"de", "het", "een", "en", "van", "is", "dat", "op", "te", "niet"}},
      {"sv", {"och", "att", "det", "i", "en", "som", "är", "på", "för", "med"}},
      {"da", {"og", "at", "det", "i", "en", "til", "er", "som", "på", "med"}},
      {"no", {"og", "i", "det", "på", "som", "er", "en", "til", "å", "med"}},
      {"fi", {"ja", "on", "ei", "se", "että", "oli", "hän", "mutta", "kun", "joka"}},
      {"pl", {"i", "w", "nie", "na", "się", "z", "że", "do", "jest", "to"}},
      {"cs", {"a", "se", "na", "je", "v", "že", "to", "s", "z", "do"}},
      {"ru", {"и", "в", "не", "на", "что", "с", "по", "это", "как", "он"}},
      {"uk", {"і", "в", "не", "на", "що", "з", "це", "та", "як", "до"}},
      {"tr", {"ve", "bir", "bu", "da", "de", "için", "ile", "çok", "ne", "gibi"}},
      {"id", {"yang", "dan", "di", "ini", "itu", "dengan", "untuk", "tidak", "dari", "ke"}},
  };
  return *lists;
}

StatusOr<GopherQualityOptions> GopherQualityOptions::FromConfig(const Config& c) {
  GopherQualityOptions o;
  auto mode = ReadMode(c, "filter.gopher_quality");
  if (!mode.ok()) return mode.status();
  o.mode = *mode;
  o.min_doc_words = c.GetInt("min_doc_words", o.min_doc_words);
  o.max_doc_words = c.GetInt("max_doc_words", o.max_doc_words);
  o.min_avg_word_length = c.GetDouble("min_avg_word_length", o.min_avg_word_length);
  o.max_avg_word_length = c.GetDouble("max_avg_word_length", o.max_avg_word_length);
  o.max_symbol_word_ratio = c.GetDouble("max_symbol_word_ratio", o.max_symbol_word_ratio);
  o.max_bullet_lines_ratio = c.GetDouble("max_bullet_lines_ratio", o.max_bullet_lines_ratio);
  o.max_ellipsis_lines_ratio = c.GetDouble("max_ellipsis_lines_ratio", o.max_ellipsis_lines_ratio);
  o.min_alpha_words_ratio = c.GetDouble("min_alpha_words_ratio", o.min_alpha_words_ratio);
  o.min_stop_words = c.GetInt("min_stop_words", o.min_stop_words);
  o.word_length_by_language = c.GetBool("word_length_by_language", o.word_length_by_language);
  o.numbers_in_prose_neutral = c.GetBool("numbers_in_prose_neutral", o.numbers_in_prose_neutral);
  o.stop_words_min_share = c.GetDouble("stop_words_min_share", o.stop_words_min_share);
  const std::string prefix = "stop_words.";
  for (const auto& [key, value] : c.values()) {
    if (key.compare(0, prefix.size(), prefix) != 0) continue;
    std::string lang = key.substr(prefix.size());
    std::unordered_set<std::string> words;
    std::string lower;
    for (const std::string& w : c.GetList(key, {})) {
      text_units::ToLower(w, &lower);
      words.insert(lower);
    }
    o.stop_words[lang] = std::move(words);
  }
  return o;
}

StatusOr<GopherRepetitionOptions> GopherRepetitionOptions::FromConfig(const Config& c) {
  GopherRepetitionOptions o;
  auto mode = ReadMode(c, "filter.gopher_repetition");
  if (!mode.ok()) return mode.status();
  o.mode = *mode;
  o.dup_line_frac = c.GetDouble("dup_line_frac", o.dup_line_frac);
  o.dup_para_frac = c.GetDouble("dup_para_frac", o.dup_para_frac);
  o.dup_line_char_frac = c.GetDouble("dup_line_char_frac", o.dup_line_char_frac);
  o.dup_para_char_frac = c.GetDouble("dup_para_char_frac", o.dup_para_char_frac);
  o.max_text_bytes = c.GetInt("max_text_bytes", o.max_text_bytes);
  o.drop_repeated_lines = c.GetBool("drop_repeated_lines", o.drop_repeated_lines);
  o.code_block_as_line = c.GetBool("code_block_as_line", o.code_block_as_line);
  o.table_as_line = c.GetBool("table_as_line", o.table_as_line);
  auto top = ReadNGramList(c, "top_n_grams", o.top_n_grams, "filter.gopher_repetition");
  if (!top.ok()) return top.status();
  o.top_n_grams = *top;
  auto dup = ReadNGramList(c, "dup_n_grams", o.dup_n_grams, "filter.gopher_repetition");
  if (!dup.ok()) return dup.status();
  o.dup_n_grams = *dup;
  return o;
}

StatusOr<C4Options> C4Options::FromConfig(const Config& c) {
  C4Options o;
  auto mode = ReadMode(c, "filter.c4");
  if (!mode.ok()) return mode.status();
  o.mode = *mode;
  o.remove_citations = c.GetBool("remove_citations", o.remove_citations);
  o.filter_no_terminal_punct = c.GetBool("filter_no_terminal_punct", o.filter_no_terminal_punct);
  o.min_num_sentences = c.GetInt("min_num_sentences", o.min_num_sentences);
  o.min_words_per_line = c.GetInt("min_words_per_line", o.min_words_per_line);
  o.keep_headings = c.GetBool("keep_headings", o.keep_headings);
  o.max_word_length = c.GetInt("max_word_length", o.max_word_length);
  o.filter_lorem_ipsum = c.GetBool("filter_lorem_ipsum", o.filter_lorem_ipsum);
  o.filter_javascript = c.GetBool("filter_javascript", o.filter_javascript);
  o.filter_curly_bracket = c.GetBool("filter_curly_bracket", o.filter_curly_bracket);
  o.curly_bracket_drops_line = c.GetBool("curly_bracket_drops_line", o.curly_bracket_drops_line);
  o.filter_policy = c.GetBool("filter_policy", o.filter_policy);
  o.terminal_punctuation = c.GetList("terminal_punctuation", o.terminal_punctuation);
  o.policy_substrings = c.GetList("policy_substrings", o.policy_substrings);
  for (std::string& p : o.policy_substrings) {
    std::string lower;
    text_units::ToLower(p, &lower);
    p = lower;
  }
  return o;
}

StatusOr<FineWebOptions> FineWebOptions::FromConfig(const Config& c) {
  FineWebOptions o;
  auto mode = ReadMode(c, "filter.fineweb");
  if (!mode.ok()) return mode.status();
  o.mode = *mode;
  o.line_punct_thr = c.GetDouble("line_punct_thr", o.line_punct_thr);
  o.line_punct_exclude_zero = c.GetBool("line_punct_exclude_zero", o.line_punct_exclude_zero);
  o.line_punct_by_chars = c.GetBool("line_punct_by_chars", o.line_punct_by_chars);
  o.line_punct_unwrap = c.GetBool("line_punct_unwrap", o.line_punct_unwrap);
  o.code_block_as_line = c.GetBool("code_block_as_line", o.code_block_as_line);
  o.table_as_line = c.GetBool("table_as_line", o.table_as_line);
  o.short_line_thr = c.GetDouble("short_line_thr", o.short_line_thr);
  o.short_line_length = c.GetInt("short_line_length", o.short_line_length);
  o.char_duplicates_ratio = c.GetDouble("char_duplicates_ratio", o.char_duplicates_ratio);
  o.new_line_ratio = c.GetDouble("new_line_ratio", o.new_line_ratio);
  o.stop_chars = c.GetList("stop_chars", o.stop_chars);
  return o;
}

}  // namespace winnow
