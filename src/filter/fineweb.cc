// filter.fineweb: the three rules FineWeb added on top of Gopher and C4
// (Penedo et al. 2024, "The FineWeb Datasets", section 3.5.3), thresholds and
// comparisons exactly as datatrove's FineWebQualityFilter
// (src/datatrove/pipeline/filters/fineweb_quality_filter.py): note the
// inclusive comparisons (<= for punctuation, >= for short lines and
// duplicates) which we keep so that results match FineWeb's.
#include <algorithm>
#include <unordered_set>

#include "filter/text_units.h"
#include "winnow/filter.h"

namespace winnow {

using text_units::FailRule;
using text_units::Format;

FilterVerdict EvaluateFineWeb(std::string_view text, const FineWebOptions& o) {
  thread_local std::vector<text_units::TokenInfo> storage;
  text_units::TokenSpans spans;
  text_units::TextTokens(text, &storage, &spans);
  return EvaluateFineWebTokens(text, spans, o);
}

FilterVerdict EvaluateFineWebTokens(std::string_view text, const text_units::TokenSpans& tokens,
                                    const FineWebOptions& o,
                                    const std::vector<text_units::LineUnit>* units) {
  FilterVerdict v;
  const bool all = o.mode == FilterMode::kTag;
  size_t n_tokens = 0;
  for (const text_units::TokenSpan& s : tokens) n_tokens += s.end - s.begin;
  if (n_tokens == 0) {
    FailRule(&v, "empty_text", "no words");
    return v;
  }

  thread_local std::vector<text_units::LineUnit> split;
  if (!units) {
    thread_local std::vector<std::string_view> pieces;
    pieces.clear();
    text_units::SplitLines(text, /*skip_empty=*/false, &pieces);
    split.clear();
    for (std::string_view p : pieces) split.push_back({p});
    units = &split;
  }
  const std::vector<text_units::LineUnit>& lines = *units;
  const double n_lines = static_cast<double>(lines.size());
  // Code points without the newlines inside a code block's unit.
  auto chars_of = [](const text_units::LineUnit& l) {
    size_t cp = text_units::CodePoints(l.text);
    if (l.block) cp -= std::count(l.text.begin(), l.text.end(), '\n');
    return cp;
  };

  // 1. Share of lines ending in terminal punctuation (not stripped, as
  // datatrove), or with line_punct_by_chars the share of the characters
  // (code points, newlines not counted) that are in such lines. A code
  // block (code_block_as_line) or a table (table_as_line) is left out: code
  // and table cells have no sentence ends, they neither end a sentence nor
  // fail to. With line_punct_unwrap, a line
  // that starts with a lower-case letter after a line that ends in none of
  // stop_chars goes on with that line's sentence (text hard-wrapped at a
  // fixed width): the two are one line here, ending as the second ends.
  size_t punct = 0, short_lines = 0, punct_chars = 0, chars = 0, prose_lines = 0;
  size_t para_chars = 0;  // the line being unwrapped, its characters so far
  bool para_open = false, para_ends = false, para_blank = false;
  auto close_para = [&] {
    if (!para_open) return;
    ++prose_lines;
    punct += para_ends;
    punct_chars += para_ends ? para_chars : 0;
    chars += para_chars;
    para_open = false;
  };
  for (const text_units::LineUnit& u : lines) {
    const size_t cp = chars_of(u);
    short_lines += static_cast<int64_t>(cp) <= o.short_line_length;
    if (u.block) continue;
    std::string_view line = u.text;
    const bool ends = std::any_of(o.stop_chars.begin(), o.stop_chars.end(), [&](const std::string& p) {
      return line.size() >= p.size() && line.substr(line.size() - p.size()) == p;
    });
    // A blank line ends a paragraph: nothing continues it, and it continues
    // nothing (it counts as a line of its own that ends no sentence).
    const bool blank = text_units::Strip(line).empty();
    const bool goes_on = o.line_punct_unwrap && para_open && !para_ends && !para_blank && !blank &&
                         text_units::StartsLowerCase(line);
    if (!goes_on) {
      close_para();
      para_open = true;
      para_chars = 0;
    }
    para_chars += cp;
    para_ends = ends;
    para_blank = blank;
  }
  close_para();
  double punct_ratio = o.line_punct_by_chars
                           ? (chars ? static_cast<double>(punct_chars) / chars : 0)
                           : (prose_lines ? static_cast<double>(punct) / prose_lines : 0);
  v.values.emplace_back("line_punct_ratio", punct_ratio);
  if (o.line_punct_thr >= 0 && punct_ratio <= o.line_punct_thr &&
      !(punct_ratio == 0 && o.line_punct_exclude_zero)) {
    FailRule(&v, "line_punct_ratio",
             Format("line_punct_ratio=%.3f <= min %.3f", punct_ratio, o.line_punct_thr));
    if (!all) return v;
  }

  // 2. Share of short lines.
  double short_ratio = short_lines / n_lines;
  v.values.emplace_back("short_line_ratio", short_ratio);
  if (o.short_line_thr >= 0 && short_ratio >= o.short_line_thr) {
    FailRule(&v, "short_line_ratio",
             Format("short_line_ratio=%.3f >= max %.3f", short_ratio, o.short_line_thr));
    if (!all) return v;
  }

  // 3. Characters in repeated (non-empty) lines over all non-newline
  // characters (a code block's unit repeats only as a whole).
  std::unordered_set<std::string_view> seen;
  seen.reserve(lines.size() * 2);
  size_t dup_chars = 0, total_chars = 0;
  for (const text_units::LineUnit& u : lines) {
    size_t cp = chars_of(u);
    total_chars += cp;
    if (text_units::Strip(u.text).empty()) continue;
    if (!seen.insert(u.text).second) dup_chars += cp;
  }
  double dup_ratio = total_chars ? static_cast<double>(dup_chars) / total_chars : 0;
  v.values.emplace_back("char_dup_ratio", dup_ratio);
  if (o.char_duplicates_ratio >= 0 && dup_ratio >= o.char_duplicates_ratio) {
    FailRule(&v, "char_dup_ratio",
             Format("char_dup_ratio=%.3f >= max %.3f", dup_ratio, o.char_duplicates_ratio));
    if (!all) return v;
  }

  // 4. Newlines per word (lists, menus). A token of a script written
  // without spaces counts as the words segmentation finds in it (a Chinese
  // line is one white-space token, and every line would look like a list).
  size_t n_words = n_tokens;
  text_units::ForEachToken(tokens, [&](std::string_view, const text_units::TokenInfo& t) {
    if (t.flags & text_units::kUnspacedToken) n_words += std::max<size_t>(1, t.segmented) - 1;
  });
  double nl_ratio = (n_lines - 1) / static_cast<double>(n_words);
  v.values.emplace_back("newline_word_ratio", nl_ratio);
  if (o.new_line_ratio >= 0 && nl_ratio > o.new_line_ratio) {
    FailRule(&v, "list_ratio",
             Format("newline_word_ratio=%.3f > max %.3f", nl_ratio, o.new_line_ratio));
  }
  return v;
}

}  // namespace winnow
