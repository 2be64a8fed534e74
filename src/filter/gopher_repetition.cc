// filter.gopher_repetition: Gopher's repetition rules (Rae et al. 2021, table
// A1), thresholds and rule order as in datatrove's GopherRepetitionFilter
// (src/datatrove/pipeline/filters/gopher_repetition_filter.py).
//
// Paragraphs: datatrove splits the text on blank lines. Extracted HTML in
// winnow has one block per paragraph and no blank lines, so: when the kept
// blocks contain empty blocks (blank lines, as in WET text), paragraphs are
// the runs between them; otherwise every kept block is a paragraph.
#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_set>

#include "filter/text_units.h"
#include "winnow/filter.h"

namespace winnow {

using text_units::Format;

namespace {

// Open-addressing counter over 64-bit n-gram hashes (0 is the empty slot).
// Much faster than std::unordered_map for the millions of n-grams of a
// long page, and reused per thread so it does not allocate per document.
class HashCounter {
 public:
  void Reset(size_t expected) {
    size_t cap = 16;
    while (cap < expected * 2) cap <<= 1;
    if (keys_.size() < cap || keys_.size() > cap * 8) {
      keys_.assign(cap, 0);
      counts_.assign(cap, 0);
    } else {
      std::fill(keys_.begin(), keys_.end(), 0);
      std::fill(counts_.begin(), counts_.end(), 0);
    }
    mask_ = keys_.size() - 1;
  }
  // Adds one occurrence; returns the new count.
  uint32_t Add(uint64_t key) {
    if (key == 0) key = 1;
    size_t i = static_cast<size_t>(key) & mask_;
    while (keys_[i] != 0 && keys_[i] != key) i = (i + 1) & mask_;
    keys_[i] = key;
    return ++counts_[i];
  }

 private:
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> counts_;
  size_t mask_ = 0;
};

inline uint64_t Mix(uint64_t h, uint64_t x) {
  h ^= x + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
  return h * 0xFF51AFD7ED558CCDULL;
}

uint64_t NGramHash(const std::vector<uint64_t>& h, size_t i, int n) {
  uint64_t v = static_cast<uint64_t>(n);
  for (int k = 0; k < n; ++k) v = Mix(v, h[i + k]);
  return v;
}

// datatrove's find_duplicates: (number of repeated elements, their chars).
std::pair<size_t, size_t> FindDuplicates(const std::vector<std::string_view>& items) {
  std::unordered_set<std::string_view> seen;
  seen.reserve(items.size() * 2);
  size_t dup = 0, dup_chars = 0;
  for (std::string_view s : items) {
    if (!seen.insert(s).second) {
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
  auto fail = [&v](std::string reason, std::string detail) {
    if (v.keep) {
      v.keep = false;
      v.reason = std::move(reason);
      v.detail = std::move(detail);
    }
  };
  const bool all = o.mode == FilterMode::kTag;  // tag mode measures everything

  const std::string text = doc.Text();
  const size_t text_len = text_units::CodePoints(text);
  if (text_len == 0) {
    fail("empty_text", "no kept text");
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
  auto [para_dup, para_dup_chars] = FindDuplicates(paragraphs);
  double para_frac = paragraphs.empty() ? 0 : static_cast<double>(para_dup) / paragraphs.size();
  double para_char_frac = para_dup_chars / len;
  v.values.emplace_back("dup_para_frac", para_frac);
  v.values.emplace_back("dup_para_char_frac", para_char_frac);
  if (o.dup_para_frac >= 0 && para_frac > o.dup_para_frac) {
    fail("dup_para_frac", Format("dup_para_frac=%.3f > max %.3f", para_frac, o.dup_para_frac));
  }
  if (o.dup_para_char_frac >= 0 && para_char_frac > o.dup_para_char_frac) {
    fail("dup_para_char_frac",
         Format("dup_para_char_frac=%.3f > max %.3f", para_char_frac, o.dup_para_char_frac));
  }
  if (!v.keep && !all) return v;

  // Lines (datatrove splits on "\n+").
  std::vector<std::string_view> lines;
  text_units::SplitLines(text, /*skip_empty=*/true, &lines);
  auto [line_dup, line_dup_chars] = FindDuplicates(lines);
  double line_frac = lines.empty() ? 0 : static_cast<double>(line_dup) / lines.size();
  double line_char_frac = line_dup_chars / len;
  v.values.emplace_back("dup_line_frac", line_frac);
  v.values.emplace_back("dup_line_char_frac", line_char_frac);
  if (o.dup_line_frac >= 0 && line_frac > o.dup_line_frac) {
    fail("dup_line_frac", Format("dup_line_frac=%.3f > max %.3f", line_frac, o.dup_line_frac));
  }
  if (o.dup_line_char_frac >= 0 && line_char_frac > o.dup_line_char_frac) {
    fail("dup_line_char_frac",
         Format("dup_line_char_frac=%.3f > max %.3f", line_char_frac, o.dup_line_char_frac));
  }
  if (!v.keep && !all) return v;

  // Word n-grams.
  thread_local std::vector<std::string_view> words;
  thread_local std::vector<uint64_t> hashes;
  thread_local std::vector<uint32_t> lens;
  words.clear();
  text_units::Tokenize(text, &words);
  hashes.resize(words.size());
  lens.resize(words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    hashes[i] = XXH3_64bits(words[i].data(), words[i].size());
    lens[i] = static_cast<uint32_t>(text_units::CodePoints(words[i]));
  }
  const size_t nw = words.size();
  thread_local HashCounter counter;

  for (const auto& [n, max_frac] : o.top_n_grams) {
    if (n <= 0 || nw < static_cast<size_t>(n)) continue;
    counter.Reset(nw);
    uint32_t best_count = 0;
    size_t best_chars = 0;
    size_t window = 0;  // chars of the current n-gram's words
    for (int k = 0; k < n; ++k) window += lens[k];
    for (size_t i = 0; i + n <= nw; ++i) {
      if (i > 0) window = window - lens[i - 1] + lens[i + n - 1];
      uint32_t c = counter.Add(NGramHash(hashes, i, n));
      if (c > best_count) {
        best_count = c;
        best_chars = window + (n - 1);  // joined with single spaces
      }
    }
    double frac = static_cast<double>(best_chars) * best_count / len;
    v.values.emplace_back(Format("top_%d_gram_char_frac", n), frac);
    if (max_frac >= 0 && frac > max_frac) {
      fail(Format("top_%d_gram", n), Format("top_%d_gram_char_frac=%.3f > max %.3f", n, frac, max_frac));
      if (!all) return v;
    }
  }

  for (const auto& [n, max_frac] : o.dup_n_grams) {
    if (n <= 0) continue;
    size_t repeated = 0;
    if (nw >= static_cast<size_t>(n)) {
      counter.Reset(nw);
      size_t i = 0;
      while (i + n <= nw) {
        uint64_t h = NGramHash(hashes, i, n);
        if (counter.Add(h) > 1) {  // seen before
          for (int k = 0; k < n; ++k) repeated += lens[i + k];  // joined without spaces
          i += n;
        } else {
          ++i;
        }
      }
    }
    double frac = repeated / len;
    v.values.emplace_back(Format("duplicated_%d_gram_char_frac", n), frac);
    if (max_frac >= 0 && frac > max_frac) {
      fail(Format("duplicated_%d_gram", n),
           Format("duplicated_%d_gram_char_frac=%.3f > max %.3f", n, frac, max_frac));
      if (!all) return v;
    }
  }
  return v;
}

}  // namespace winnow
