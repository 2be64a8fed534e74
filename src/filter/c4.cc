// filter.c4: the C4 rules (Raffel et al. 2020, section 2.2; reference code
// tensorflow_datasets c4_utils.py), with the defaults and rule order of
// datatrove's C4QualityFilter (src/datatrove/pipeline/filters/c4_filters.py;
// there every rule is on by default, split_paragraph=True: a line is a unit).
// The bad-words rule of the paper is not part of it (datatrove has it as a
// separate filter) and is not implemented here.
//
// Line rules mark the block dropped ("filter.c4.<reason>"); page rules reject
// the document. As in datatrove, "lorem ipsum" and '{' are only looked for in
// lines that passed the punctuation and length rules.
#include <algorithm>

#include "filter/text_units.h"
#include "winnow/filter.h"

namespace winnow {

using text_units::FailRule;
using text_units::Format;

namespace {

bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// Removes "[<digits>]", "[edit]" and "[citation needed]" (datatrove's
// CITATION_REGEX \[\d*]|\[edit]|\[citation needed]).
bool RemoveCitations(std::string_view in, std::string* out) {
  out->clear();
  bool changed = false;
  size_t i = 0;
  while (i < in.size()) {
    if (in[i] == '[') {
      size_t j = i + 1;
      while (j < in.size() && in[j] >= '0' && in[j] <= '9') ++j;
      size_t match = 0;
      if (j < in.size() && in[j] == ']') {
        match = j + 1 - i;
      } else if (in.compare(i, 6, "[edit]") == 0) {
        match = 6;
      } else if (in.compare(i, 17, "[citation needed]") == 0) {
        match = 17;
      }
      if (match) {
        i += match;
        changed = true;
        continue;
      }
    }
    out->push_back(in[i++]);
  }
  return changed;
}

}  // namespace

C4Result EvaluateC4(const Document& doc, const C4Options& o) {
  C4Result r;
  FilterVerdict& v = r.verdict;
  const bool all = o.mode == FilterMode::kTag;

  int64_t sentences = 0, lines = 0, headings = 0;
  std::vector<char> passed(doc.blocks.size(), 0);  // passed every line rule
  std::vector<size_t> short_lines;                 // indexes into r.dropped
  int64_t dropped_long = 0, dropped_punct = 0, dropped_words = 0, dropped_js = 0, dropped_policy = 0;
  std::string cleaned, lower;
  // Words as Python's str.split(): white-space separated pieces, read off
  // the tokens the chain's filters share (a piece is its tokens, which touch).
  text_units::TokenSpans spans;
  text_units::KeptTokens(doc, &spans);
  size_t span = 0;
  for (size_t bi = 0; bi < doc.blocks.size(); ++bi) {
    const Block& b = doc.blocks[bi];
    if (!b.keep) continue;
    const text_units::TokenSpan& tokens = spans[span++];
    ++lines;
    std::string_view line = text_units::Strip(b.text);
    size_t n_pieces = 0;
    bool long_word = false;
    {
      size_t piece_begin = 0, piece_end = 0, piece_cps = 0;
      auto close = [&] {
        long_word |= o.max_word_length >= 0 &&
                     piece_end - piece_begin > static_cast<size_t>(o.max_word_length) &&
                     static_cast<int64_t>(piece_cps) > o.max_word_length;
      };
      for (const text_units::TokenInfo* t = tokens.begin; t != tokens.end; ++t) {
        if (t->flags & text_units::kPieceStart) {
          if (n_pieces++) close();
          piece_begin = t->begin;
          piece_cps = 0;
        }
        piece_cps += t->code_points;
        piece_end = t->begin + t->size;
      }
      if (n_pieces) close();
    }
    if (long_word) {
      r.dropped.emplace_back(bi, "filter.c4.too_long_word");
      ++dropped_long;
      continue;
    }
    std::string_view kept = line;
    if (o.remove_citations && line.find('[') != std::string_view::npos &&
        RemoveCitations(line, &cleaned)) {
      // datatrove does not strip again; a mark after the final period
      // ("... end. [1]") would then fail the punctuation rule, so we do.
      kept = text_units::RStrip(cleaned);
    }
    if (o.filter_no_terminal_punct) {
      bool ok = std::any_of(o.terminal_punctuation.begin(), o.terminal_punctuation.end(),
                            [&](const std::string& p) { return EndsWith(kept, p); });
      if (!ok || EndsWith(kept, "...")) {
        r.dropped.emplace_back(bi, "filter.c4.no_terminal_punct");
        ++dropped_punct;
        continue;
      }
    }
    // Words per line: white-space pieces, or Unicode word segmentation for
    // scripts written without spaces (a whole Chinese line is one piece).
    size_t n_words = n_pieces;
    if (n_words > 0 && n_words < static_cast<size_t>(std::max<int64_t>(o.min_words_per_line, 0)) &&
        text_units::HasUnspacedScript(line)) {
      n_words = text_units::CountWords(line);
    }
    if (static_cast<int64_t>(n_words) < o.min_words_per_line) {
      short_lines.push_back(r.dropped.size());
      r.dropped.emplace_back(bi, "filter.c4.too_few_words");
      ++dropped_words;
      continue;
    }
    text_units::ToLower(kept, &lower);
    if (o.filter_lorem_ipsum && lower.find("lorem ipsum") != std::string::npos) {
      FailRule(&v, "lorem_ipsum", Format("block %zu contains 'lorem ipsum'", bi));
      if (!all) return r;
    }
    if (o.filter_javascript && lower.find("javascript") != std::string::npos) {
      r.dropped.emplace_back(bi, "filter.c4.javascript");
      ++dropped_js;
      continue;
    }
    if (o.filter_curly_bracket && o.curly_bracket_drops_line &&
        kept.find('{') != std::string_view::npos) {
      r.dropped.emplace_back(bi, "filter.c4.curly_bracket");
      continue;
    }
    if (o.filter_curly_bracket && kept.find('{') != std::string_view::npos) {
      FailRule(&v, "curly_bracket", Format("block %zu contains '{'", bi));
      if (!all) return r;
    }
    if (o.filter_policy &&
        std::any_of(o.policy_substrings.begin(), o.policy_substrings.end(),
                    [&](const std::string& p) { return lower.find(p) != std::string::npos; })) {
      r.dropped.emplace_back(bi, "filter.c4.policy");
      ++dropped_policy;
      continue;
    }
    sentences += text_units::CountSentences(kept);
    passed[bi] = 1;
    if (kept != std::string_view(b.text)) r.edited.emplace_back(bi, std::string(kept));
  }
  // Headings: a short line (too few words, nothing else wrong with it) with a
  // letter in it, whose next kept line passed every line rule, titles that
  // line; it stays (C4's rule would strip every heading of a kept article).
  // A short line before another short line, before a dropped line, or at the
  // end is dropped as in C4.
  if (o.keep_headings && !short_lines.empty()) {
    std::vector<std::pair<size_t, std::string>> still;
    size_t k = 0;
    for (size_t di = 0; di < r.dropped.size(); ++di) {
      bool is_short = k < short_lines.size() && short_lines[k] == di;
      if (is_short) ++k;
      size_t bi = r.dropped[di].first;
      if (is_short && text_units::HasAlpha(doc.blocks[bi].text)) {
        size_t next = bi + 1;
        while (next < doc.blocks.size() &&
               (!doc.blocks[next].keep || text_units::Strip(doc.blocks[next].text).empty())) {
          ++next;
        }
        bool titles = next < doc.blocks.size() && passed[next];
        // A heading by the page's markup (the extraction's kHeading) titles
        // its section: it stays when a block of the section (up to the next
        // heading of its level or above; subheadings skipped) passed every
        // line rule, as when a short list item comes between it and the
        // paragraphs.
        const Block& h = doc.blocks[bi];
        if (!titles && h.kind == BlockKind::kHeading) {
          for (size_t j = bi + 1; j < doc.blocks.size(); ++j) {
            const Block& nb = doc.blocks[j];
            if (nb.kind == BlockKind::kHeading) {
              if (nb.level <= h.level) break;
              continue;
            }
            if (passed[j]) {
              titles = true;
              break;
            }
          }
        }
        if (titles) {
          --dropped_words;
          ++headings;
          continue;
        }
      }
      still.push_back(std::move(r.dropped[di]));
    }
    r.dropped = std::move(still);
  }
  if (sentences < o.min_num_sentences) {
    FailRule(
        &v, "too_few_sentences",
        Format("sentences=%lld < min %lld", (long long)sentences, (long long)o.min_num_sentences));
  }
  v.values = {{"lines", double(lines)},
              {"sentences", double(sentences)},
              {"lines_dropped", double(r.dropped.size())},
              {"dropped_too_long_word", double(dropped_long)},
              {"dropped_no_terminal_punct", double(dropped_punct)},
              {"dropped_too_few_words", double(dropped_words)},
              {"dropped_javascript", double(dropped_js)},
              {"dropped_policy", double(dropped_policy)},
              {"headings_kept", double(headings)}};
  return r;
}

}  // namespace winnow
