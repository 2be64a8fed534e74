// filter.gopher_quality: Gopher's quality rules (Rae et al. 2021, "Scaling
// Language Models: Methods, Analysis & Insights from Training Gopher",
// appendix A1.1), with the thresholds and rule order of datatrove's
// GopherQualityFilter (src/datatrove/pipeline/filters/gopher_quality_filter.py).
#include <algorithm>
#include <cstring>

#include "filter/text_units.h"
#include "winnow/filter.h"

namespace winnow {

using text_units::FailRule;
using text_units::Format;

namespace {

size_t CountOccurrences(std::string_view text, std::string_view needle) {
  size_t n = 0, pos = 0;
  while ((pos = text.find(needle, pos)) != std::string_view::npos) {
    ++n;
    pos += needle.size();  // non-overlapping, like Python's str.count
  }
  return n;
}

// Ellipses: a maximal run of '.' and U+2026 that holds "..." or a U+2026
// counts once. datatrove counts text.count("...") + text.count("\u2026"), so
// the leader dots of a table of contents or a results table
// ("Team A ..........0:4", "Team B \u2026\u2026\u2026\u202623:27") are many
// "ellipses" each; Gopher's rule is about the truncation mark.
size_t CountEllipsisRuns(std::string_view text) {
  size_t n = 0, i = 0;
  // The next '.' and the next 0xE2 byte at or after i, each found by memchr
  // and kept until i passes it (find_first_of would call memchr on the set
  // once per byte; a byte loop costs ~4 instructions a byte).
  auto next = [&](char c, size_t from) {
    const void* p = from < text.size() ? std::memchr(text.data() + from, c, text.size() - from) : nullptr;
    return p ? static_cast<size_t>(static_cast<const char*>(p) - text.data()) : text.size();
  };
  size_t next_dot = next('.', 0), next_e2 = next('\xE2', 0);
  while (true) {
    if (next_dot < i) next_dot = next('.', i);
    if (next_e2 < i) next_e2 = next('\xE2', i);
    i = std::min(next_dot, next_e2);
    if (i == text.size()) break;
    bool ellipsis = false;  // the run holds "..." or U+2026
    size_t j = i, dots = 0;
    while (j < text.size()) {
      if (text[j] == '.') {
        ellipsis |= ++dots >= 3;
        ++j;
      } else if (text.compare(j, 3, "\u2026") == 0) {
        ellipsis = true;
        dots = 0;
        j += 3;
      } else {
        break;
      }
    }
    n += ellipsis;
    i = j > i ? j : i + 1;  // j == i: a 0xE2 lead byte of another character
  }
  return n;
}

// How much longer a language's words are than English's: the mean word
// length of the same translated manual over English's, measured by
// scripts/filter/word_length_scales.py on Debian's debian-handbook (28
// languages) and aptitude-doc (fi) on 2026-12-01; only languages above 1
// (the scale only widens the upper bound); languages not listed: 1.
double WordLengthScale(std::string_view lang) {
  static const std::pair<std::string_view, double> kScales[] = {
      {"ca", 1.03}, {"cs", 1.02}, {"de", 1.16}, {"es", 1.04}, {"fi", 1.35}, {"fr", 1.05},
      {"id", 1.16}, {"it", 1.06}, {"nb", 1.08}, {"nl", 1.02}, {"no", 1.08}, {"pl", 1.03},
      {"pt", 1.02}, {"ru", 1.11}, {"sv", 1.03}, {"tr", 1.03}};
  for (const auto& [code, scale] : kScales) {
    if (code == lang) return scale;
  }
  return 1.0;
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// Python's str.splitlines() separators we care about: \n, \r\n, \r and the
// Unicode line/paragraph separators are rare in extracted text; a block
// never holds a '\r' after the readers, so '\n' is enough.
void Lines(std::string_view text, std::vector<std::string_view>* out) {
  text_units::SplitLines(text, /*skip_empty=*/false, out);
  if (!out->empty() && out->back().empty()) out->pop_back();  // trailing '\n'
}

}  // namespace

FilterVerdict EvaluateGopherQuality(std::string_view text, std::string_view lang,
                                    const GopherQualityOptions& o) {
  thread_local std::vector<text_units::TokenInfo> storage;
  text_units::TokenSpans spans;
  text_units::TextTokens(text, &storage, &spans);
  return EvaluateGopherQualityTokens(text, spans, lang, o);
}

FilterVerdict EvaluateGopherQualityTokens(std::string_view text, const text_units::TokenSpans& tokens,
                                          std::string_view lang, const GopherQualityOptions& o,
                                          const std::map<std::string, double>* shares) {
  FilterVerdict v;
  size_t n_words = 0;
  for (const text_units::TokenSpan& s : tokens) n_words += s.end - s.begin;

  // Words are the non-symbol tokens. A token of a script written without
  // spaces (zh, ja, th...) is a clause: it counts as the words Unicode word
  // segmentation finds in it, and stays out of the mean word length, which
  // only means something where words are separated by spaces.
  size_t n_spaced = 0, spaced_chars = 0, n_segmented = 0, n_alpha = 0;
  text_units::ForEachToken(tokens, [&](std::string_view, const text_units::TokenInfo& t) {
    if (t.flags & text_units::kSymbolToken) return;
    const bool alpha = t.flags & text_units::kAlphaToken;
    if (t.flags & text_units::kUnspacedToken) {
      size_t seg = std::max<size_t>(1, t.segmented);
      n_segmented += seg;
      if (alpha) n_alpha += seg;
      return;
    }
    ++n_spaced;
    spaced_chars += t.code_points;
    n_alpha += alpha;
  });
  const size_t n_non_symbol = n_spaced + n_segmented;
  v.values.emplace_back("words", static_cast<double>(n_non_symbol));

  // 1. Document length in (non-symbol) words.
  if (o.min_doc_words >= 0 && static_cast<int64_t>(n_non_symbol) < o.min_doc_words) {
    FailRule(&v, "too_few_words",
             Format("words=%zu < min %lld", n_non_symbol, (long long)o.min_doc_words));
  }
  if (o.max_doc_words >= 0 && static_cast<int64_t>(n_non_symbol) > o.max_doc_words) {
    FailRule(&v, "too_many_words",
             Format("words=%zu > max %lld", n_non_symbol, (long long)o.max_doc_words));
  }
  if (n_words == 0) {
    if (v.keep) FailRule(&v, "too_few_words", "no words");
    return v;
  }

  // 2. Mean word length, over the words of spaced scripts, when they are at
  // least half of the words.
  double mean_len = n_spaced ? static_cast<double>(spaced_chars) / n_spaced : 0;
  v.values.emplace_back("mean_word_length", mean_len);
  const bool length_applies = n_spaced > 0 && 2 * n_spaced >= n_non_symbol;
  if (length_applies && o.min_avg_word_length >= 0 && mean_len < o.min_avg_word_length) {
    FailRule(&v, "mean_word_length_too_short",
             Format("mean_word_length=%.3f < min %.3f", mean_len, o.min_avg_word_length));
  }
  const double max_len =
      o.max_avg_word_length * (o.word_length_by_language ? WordLengthScale(lang) : 1.0);
  if (length_applies && o.max_avg_word_length >= 0 && mean_len > max_len) {
    FailRule(&v, "mean_word_length_too_long",
             Format("mean_word_length=%.3f > max %.3f", mean_len, max_len));
  }

  // 3. Symbol-to-word ratios: '#' and ellipses (a run of dots or U+2026,
  // see CountEllipsisRuns).
  double hash_ratio = static_cast<double>(CountOccurrences(text, "#")) / n_words;
  double ellipsis_ratio = static_cast<double>(CountEllipsisRuns(text)) / n_words;
  v.values.emplace_back("hash_ratio", hash_ratio);
  v.values.emplace_back("ellipsis_ratio", ellipsis_ratio);
  if (o.max_symbol_word_ratio >= 0 && hash_ratio > o.max_symbol_word_ratio) {
    FailRule(&v, "too_many_hashes",
             Format("hash_ratio=%.3f > max %.3f", hash_ratio, o.max_symbol_word_ratio));
  }
  if (o.max_symbol_word_ratio >= 0 && ellipsis_ratio > o.max_symbol_word_ratio) {
    FailRule(&v, "too_many_ellipses",
             Format("ellipsis_ratio=%.3f > max %.3f", ellipsis_ratio, o.max_symbol_word_ratio));
  }

  // 4. Bullet lines and lines ending in an ellipsis.
  thread_local std::vector<std::string_view> lines;
  lines.clear();
  Lines(text, &lines);
  size_t bullets = 0, ellipsis_lines = 0;
  for (std::string_view line : lines) {
    std::string_view l = text_units::LStrip(line);
    bullets += StartsWith(l, "\u2022") || StartsWith(l, "-");
    std::string_view r = text_units::RStrip(line);
    ellipsis_lines += EndsWith(r, "...") || EndsWith(r, "\u2026");
  }
  double nl = lines.empty() ? 1 : static_cast<double>(lines.size());
  double bullet_ratio = bullets / nl, ellipsis_line_ratio = ellipsis_lines / nl;
  v.values.emplace_back("bullet_lines_ratio", bullet_ratio);
  v.values.emplace_back("ellipsis_lines_ratio", ellipsis_line_ratio);
  if (o.max_bullet_lines_ratio >= 0 && bullet_ratio > o.max_bullet_lines_ratio) {
    FailRule(&v, "too_many_bullet_lines",
             Format("bullet_lines_ratio=%.3f > max %.3f", bullet_ratio, o.max_bullet_lines_ratio));
  }
  if (o.max_ellipsis_lines_ratio >= 0 && ellipsis_line_ratio > o.max_ellipsis_lines_ratio) {
    FailRule(&v, "too_many_ellipsis_lines",
             Format("ellipsis_lines_ratio=%.3f > max %.3f", ellipsis_line_ratio,
                    o.max_ellipsis_lines_ratio));
  }

  // 5. Words with an alphabetic character, over the words. datatrove
  // divides by all tokens, punctuation tokens included, so that every comma
  // and period counts as a non-alphabetic word: ordinary prose with a
  // punctuation mark every five words fails the 0.8 bar there.
  // With numbers_in_prose_neutral, a number (a word with a digit and no
  // letter) between two words with letters on its line ("in 2007 the",
  // "juoksi 100 metrillä") is left out of the ratio: prose that gives
  // dates and figures is not a table, and a run of numbers still counts.
  size_t n_prose_numbers = 0;
  if (o.numbers_in_prose_neutral) {
    for (const text_units::TokenSpan& s : tokens) {
      // The previous two words of the span: (is alpha, is number, end offset).
      const text_units::TokenInfo* prev2 = nullptr;
      const text_units::TokenInfo* prev1 = nullptr;
      auto is_number = [&](const text_units::TokenInfo* t) {
        if (t->flags & (text_units::kAlphaToken | text_units::kUnspacedToken)) return false;
        std::string_view w = s.text.substr(t->begin, t->size);
        return std::any_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
      };
      auto same_line = [&](const text_units::TokenInfo* a, const text_units::TokenInfo* b) {
        return s.text.substr(a->begin + a->size, b->begin - (a->begin + a->size)).find('\n') ==
               std::string_view::npos;
      };
      for (const text_units::TokenInfo* t = s.begin; t != s.end; ++t) {
        if (t->flags & text_units::kSymbolToken) continue;
        if (prev2 && prev1 && (prev2->flags & text_units::kAlphaToken) && is_number(prev1) &&
            (t->flags & text_units::kAlphaToken) && same_line(prev2, prev1) && same_line(prev1, t)) {
          ++n_prose_numbers;
        }
        prev2 = prev1;
        prev1 = t;
      }
    }
  }
  const size_t alpha_base = n_non_symbol - std::min(n_non_symbol, n_prose_numbers);
  double alpha_ratio = alpha_base ? static_cast<double>(n_alpha) / alpha_base : 0;
  v.values.emplace_back("alpha_words_ratio", alpha_ratio);
  if (o.min_alpha_words_ratio >= 0 && alpha_ratio < o.min_alpha_words_ratio) {
    FailRule(&v, "too_few_alpha_words",
             Format("alpha_words_ratio=%.3f < min %.3f", alpha_ratio, o.min_alpha_words_ratio));
  }

  // 6. Stop words of the document's language (compared lower-cased), and
  // with stop_words_min_share of every language with that share of the text:
  // the language with the most stop words decides.
  std::string key = lang.empty() ? "en" : std::string(lang);
  std::vector<std::pair<std::string, const std::unordered_set<std::string>*>> lists;
  auto add_list = [&](const std::string& code) {
    auto it = o.stop_words.find(code);
    if (it == o.stop_words.end() || it->second.empty()) return;
    for (const auto& l : lists) {
      if (l.first == code) return;
    }
    lists.emplace_back(code, &it->second);
  };
  add_list(key);
  if (o.stop_words_min_share >= 0 && shares) {
    for (const auto& [code, share] : *shares) {
      if (share >= o.stop_words_min_share) add_list(code);
    }
  }
  if (o.min_stop_words >= 0 && !lists.empty()) {
    const bool can_stop = v.keep && o.mode == FilterMode::kReject;
    int64_t best = -1;
    std::string best_code;
    std::string lower;
    for (const auto& [code, words] : lists) {
      size_t max_len = 0;
      for (const std::string& s : *words) max_len = std::max(max_len, s.size());
      int64_t stop = 0;
      for (const text_units::TokenSpan& s : tokens) {
        for (const text_units::TokenInfo* t = s.begin; t != s.end; ++t) {
          if (t->size > max_len * 2) continue;  // cannot be a stop word
          text_units::ToLower(s.text.substr(t->begin, t->size), &lower);
          stop += words->count(lower);
          if (stop >= o.min_stop_words && can_stop) break;
        }
        if (stop >= o.min_stop_words && can_stop) break;
      }
      if (stop > best) best = stop, best_code = code;
      if (best >= o.min_stop_words && can_stop) break;
    }
    v.values.emplace_back("stop_words", static_cast<double>(best));
    if (best < o.min_stop_words) {
      FailRule(&v, "too_few_stop_words",
               Format("stop_words(%s)=%lld < min %lld", best_code.c_str(), (long long)best,
                      (long long)o.min_stop_words));
    }
  }
  return v;
}

}  // namespace winnow
