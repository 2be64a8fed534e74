// filter.gopher_repetition: Gopher's repetition rules (Rae et al. 2021, table
// A1), thresholds and rule order as in datatrove's GopherRepetitionFilter
// (src/datatrove/pipeline/filters/gopher_repetition_filter.py).
//
// Paragraphs: datatrove splits the text on blank lines. Extracted HTML in
// winnow has one block per paragraph and no blank lines, so: when the kept
// blocks contain empty blocks (blank lines, as in WET text), paragraphs are
// the runs between them; otherwise every kept block is a paragraph.
// XXH3 compiled into this file (XXH_INLINE_ALL): the same hash values as the
// library's, without a call through the PLT per short token or line.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_set>

#include "filter/hash_counter.h"
#include "filter/text_units.h"
#include "winnow/filter.h"

namespace winnow {

using text_units::FailRule;
using text_units::Format;

namespace {

inline uint64_t Mix(uint64_t h, uint64_t x) {
  h ^= x + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
  return h * 0xFF51AFD7ED558CCDULL;
}

// Hashes of all word n-grams, grown one word at a time: going from n-1 to
// n costs one mix per position, so the nine n of the default rules cost ten
// passes instead of 54 mixes per word. Asking for a smaller n restarts.
class NGramHashes {
 public:
  explicit NGramHashes(const std::vector<uint64_t>& words) : words_(words) {}
  // REQUIRES: 1 <= n <= words.size(). Element i is the hash of words
  // i..i+n-1 for every i when `only` is null, else for the positions it
  // lists (ascending); a position left out may hold anything from then on,
  // so every later call must list a subset of it.
  const std::vector<uint64_t>& For(int n, const std::vector<uint32_t>* only = nullptr) {
    if (n < n_ || n_ == 0) {
      grams_.assign(words_.size(), 0x243F6A8885A308D3ULL);
      n_ = 0;
    }
    for (; n_ < n; ++n_) {
      const size_t count = words_.size() - n_;  // n-grams of length n_+1
      if (only == nullptr) {
        for (size_t i = 0; i < count; ++i) grams_[i] = Mix(grams_[i], words_[i + n_]);
      } else {
        for (uint32_t i : *only) {
          if (i >= count) break;
          grams_[i] = Mix(grams_[i], words_[i + n_]);
        }
      }
    }
    return grams_;
  }

 private:
  const std::vector<uint64_t>& words_;
  std::vector<uint64_t> grams_;
  int n_ = 0;
};

// datatrove's find_duplicates: (number of repeated elements, their chars).
// Items are counted by their 64-bit hash in a table reused per thread (no
// node per item, as in an unordered_set) and compared with the item that
// first had the hash; an item whose hash a different item had first (a
// collision) is looked up by its text in `collided`, so the count is exact.
std::pair<size_t, size_t> FindDuplicates(const std::vector<std::string_view>& items) {
  thread_local text_units::HashCounter seen;
  seen.Reset(items.size());
  std::unordered_set<std::string_view> collided;
  size_t dup = 0, dup_chars = 0;
  for (uint32_t i = 0; i < items.size(); ++i) {
    const std::string_view s = items[i];
    uint32_t first = i;
    if (seen.Add(XXH3_64bits(s.data(), s.size()), i, &first) == 1) continue;
    if (items[first] == s || !collided.insert(s).second) {
      ++dup;
      dup_chars += text_units::CodePoints(s);
    }
  }
  return {dup, dup_chars};
}

void SplitParagraphsOnBlankLines(std::string_view text, std::vector<std::string_view>* out) {
  text = text_units::Strip(text);
  size_t start = 0;
  while (start <= text.size()) {
    size_t pos = text.find("\n\n", start);
    if (pos == std::string_view::npos) {
      out->push_back(text.substr(start));
      break;
    }
    out->push_back(text.substr(start, pos - start));
    size_t next = pos;
    while (next < text.size() && text[next] == '\n') ++next;
    start = next;
  }
}

}  // namespace

FilterVerdict EvaluateGopherRepetition(const Document& doc, const GopherRepetitionOptions& o) {
  FilterVerdict v;
  const bool all = o.mode == FilterMode::kTag;  // tag mode measures everything

  const std::string text = doc.Text();
  if (o.max_text_bytes >= 0 && static_cast<int64_t>(text.size()) > o.max_text_bytes) {
    FailRule(&v, "text_too_long",
             Format("bytes=%zu > max %lld", text.size(), (long long)o.max_text_bytes));
    return v;
  }
  const size_t text_len = text_units::CodePoints(text);
  if (text_len == 0) {
    FailRule(&v, "empty_text", "no kept text");
    return v;
  }
  const double len = static_cast<double>(text_len);

  // Paragraphs.
  std::vector<std::string_view> paragraphs;
  bool blank_blocks = false;
  for (const Block& b : doc.blocks) blank_blocks |= b.keep && text_units::Strip(b.text).empty();
  if (blank_blocks) {
    SplitParagraphsOnBlankLines(text, &paragraphs);
  } else {
    for (const Block& b : doc.blocks) {
      if (b.keep) paragraphs.push_back(b.text);
    }
  }
  // The same rule for paragraphs and for lines: the share of duplicated
  // units by count and by characters ("dup_<unit>_frac", "..._char_frac").
  auto check_duplicates = [&](const std::vector<std::string_view>& units, const std::string& unit,
                              double max_frac, double max_char_frac) {
    auto [dup, dup_chars] = FindDuplicates(units);
    const double frac = units.empty() ? 0 : static_cast<double>(dup) / units.size();
    const double char_frac = dup_chars / len;
    const std::string frac_name = "dup_" + unit + "_frac";
    const std::string char_name = "dup_" + unit + "_char_frac";
    v.values.emplace_back(frac_name, frac);
    v.values.emplace_back(char_name, char_frac);
    if (max_frac >= 0 && frac > max_frac) {
      FailRule(&v, frac_name, Format("%s=%.3f > max %.3f", frac_name.c_str(), frac, max_frac));
    }
    if (max_char_frac >= 0 && char_frac > max_char_frac) {
      FailRule(&v, char_name,
               Format("%s=%.3f > max %.3f", char_name.c_str(), char_frac, max_char_frac));
    }
  };
  check_duplicates(paragraphs, "para", o.dup_para_frac, o.dup_para_char_frac);
  if (!v.keep && !all) return v;

  // Lines (datatrove splits on "\n+"), without the lines of white space
  // only: they are blank lines, as for paragraphs above (and as datatrove's
  // FineWeb filter skips them), not repeated text. datatrove counts each
  // " " after the first as a duplicated line: a WCXB page of 501 lines, 324
  // of them " ", had dup_line_frac 0.86.
  // With code_block_as_line (table_as_line), a code block (table) is one line.
  std::vector<std::string_view> lines;
  if (o.code_block_as_line || o.table_as_line) {
    thread_local std::vector<text_units::LineUnit> units;
    text_units::KeptLineUnits(doc, text, o.code_block_as_line, o.table_as_line, &units);
    for (const text_units::LineUnit& u : units) lines.push_back(u.text);
  } else {
    text_units::SplitLines(text, /*skip_empty=*/true, &lines);
  }
  lines.erase(std::remove_if(lines.begin(), lines.end(),
                             [](std::string_view l) { return text_units::Strip(l).empty(); }),
              lines.end());
  check_duplicates(lines, "line", o.dup_line_frac, o.dup_line_char_frac);
  if (!v.keep && !all) return v;

  // Word n-grams.
  // The document's tokens (shared with the filters after this one).
  text_units::TokenSpans spans;
  text_units::KeptTokens(doc, &spans);
  thread_local std::vector<uint64_t> hashes;
  thread_local std::vector<uint32_t> lens;
  hashes.clear();
  lens.clear();
  text_units::ForEachToken(spans, [&](std::string_view, const text_units::TokenInfo& t) {
    hashes.push_back(t.hash);
    lens.push_back(t.code_points);
  });
  const size_t nw = hashes.size();
  thread_local text_units::HashCounter counter;
  NGramHashes grams(hashes);

  // Most n-grams of a page occur once, and an n-gram that occurs once has
  // no repeated longer n-gram starting where it starts (its prefix would
  // repeat too). So after counting the k-grams, `marked` lists (ascending)
  // the positions whose k-gram occurs more than once (`repeats_n` = k; 0 =
  // no list yet, every position counts): for any n >= k a position not
  // listed holds an n-gram seen once, whose count is 1, and every
  // occurrence of a repeated n-gram is listed. The passes for such n visit
  // the listed positions only (hashes, counts, the next list). The figures
  // are those of counting every position (up to 64-bit hash collisions, as
  // before).
  thread_local std::vector<uint32_t> marked, next_marked;
  int repeats_n = 0;
  auto usable = [&](int n) { return repeats_n > 0 && repeats_n <= n; };
  // Calls f(i) for the positions of a pass over n-grams of length n, in order.
  auto for_positions = [&](bool masked, int n, auto&& f) {
    const size_t last = nw - n;  // REQUIRES nw >= n
    if (masked) {
      for (uint32_t i : marked) {
        if (i > last) break;
        f(i);
      }
    } else {
      for (size_t i = 0; i <= last; ++i) f(static_cast<uint32_t>(i));
    }
  };

  for (const auto& [n, max_frac] : o.top_n_grams) {
    if (n <= 0 || nw < static_cast<size_t>(n)) continue;
    const bool masked = usable(n);
    counter.Reset(masked ? marked.size() : nw);
    const std::vector<uint64_t>& gh = grams.For(n, masked ? &marked : nullptr);
    // datatrove takes Counter.most_common(1): the largest count, and of
    // n-grams with that count the one seen first. Online: the best so far
    // changes when an n-gram passes its count, or reaches it and was seen
    // earlier. Positions not visited hold n-grams of count 1: when no
    // count passes 1, the n-gram at position 0 is the one seen first.
    uint32_t best_count = 0;
    uint32_t best_first = 0;
    for_positions(masked, n, [&](uint32_t i) {
      uint32_t first = i;
      const uint32_t c = counter.Add(gh[i], i, &first);
      if (c > best_count || (c == best_count && first < best_first)) {
        best_count = c;
        best_first = first;
      }
    });
    if (best_count <= 1) {
      best_count = 1;
      best_first = 0;
    }
    size_t best_chars = n - 1;  // joined with single spaces
    for (int k = 0; k < n; ++k) best_chars += lens[best_first + k];
    // The table now holds every occurrence of each repeated n-gram: list
    // the positions of those (a subset of the list for a shorter n).
    if (masked || repeats_n == 0) {
      next_marked.clear();
      for_positions(masked, n, [&](uint32_t i) {
        if (counter.Count(gh[i]) > 1) next_marked.push_back(i);
      });
      marked.swap(next_marked);
      repeats_n = n;
    }
    double frac = static_cast<double>(best_chars) * best_count / len;
    v.values.emplace_back(Format("top_%d_gram_char_frac", n), frac);
    if (max_frac >= 0 && frac > max_frac) {
      FailRule(&v, Format("top_%d_gram", n),
               Format("top_%d_gram_char_frac=%.3f > max %.3f", n, frac, max_frac));
      if (!all) return v;
    }
  }

  for (const auto& [n, max_frac] : o.dup_n_grams) {
    if (n <= 0) continue;
    size_t repeated = 0;
    if (nw >= static_cast<size_t>(n)) {
      const bool masked = usable(n);
      counter.Reset(masked ? marked.size() : nw);
      const std::vector<uint64_t>& gh = grams.For(n, masked ? &marked : nullptr);
      // datatrove walks the positions; after a repeated n-gram it goes on
      // after its end. A position not visited holds an n-gram never seen
      // before (and never again).
      size_t next = 0;  // the first position after the last repeated n-gram
      for_positions(masked, n, [&](uint32_t i) {
        if (i < next) return;
        if (counter.Add(gh[i]) > 1) {  // seen before
          for (int k = 0; k < n; ++k) repeated += lens[i + k];  // joined without spaces
          next = i + n;
        }
      });
    }
    double frac = repeated / len;
    v.values.emplace_back(Format("duplicated_%d_gram_char_frac", n), frac);
    if (max_frac >= 0 && frac > max_frac) {
      FailRule(&v, Format("duplicated_%d_gram", n),
               Format("duplicated_%d_gram_char_frac=%.3f > max %.3f", n, frac, max_frac));
      if (!all) return v;
    }
  }
  return v;
}

}  // namespace winnow
