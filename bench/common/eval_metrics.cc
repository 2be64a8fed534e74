#include "eval_metrics.h"

#include <unicode/uchar.h>

#include <string>
#include <unordered_map>

#include "extract/text_util.h"

namespace winnow {
namespace eval {

namespace {

// Python's re \w for str patterns: str.isalnum() or '_': letters (L*) and
// numbers (N*); combining marks are not word characters.
bool IsWordChar(uint32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
           cp == '_';
  }
  const int8_t t = u_charType(static_cast<UChar32>(cp));
  switch (t) {
    case U_UPPERCASE_LETTER: case U_LOWERCASE_LETTER: case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER: case U_OTHER_LETTER: case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER: case U_OTHER_NUMBER:
      return true;
    default:
      return false;
  }
}

std::string CollapseForSegments(std::string_view s) {
  // Runs of white space to one space (Python's " ".join(s.split()) also trims).
  std::string out;
  out.reserve(s.size());
  bool pending = false;
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      pending = true;
      ++i;
      continue;
    }
    size_t start = i;
    uint32_t cp = NextCodePoint(s, &i);
    if (cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
        cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x85 || cp == 0x1680) {
      pending = true;
      continue;
    }
    if (pending && !out.empty()) out.push_back(' ');
    pending = false;
    out.append(s.substr(start, i - start));
  }
  return out;
}

}  // namespace

std::vector<std::string> WordTokens(std::string_view text, bool lower) {
  std::vector<std::string> out;
  std::string cur;
  size_t i = 0;
  while (i < text.size()) {
    uint32_t cp = NextCodePoint(text, &i);
    if (IsWordChar(cp)) {
      if (lower) {
        // Python's str.lower() is full case mapping; simple mapping is
        // equal for all but a handful of characters (e.g. U+0130).
        cp = static_cast<uint32_t>(u_tolower(static_cast<UChar32>(cp)));
      }
      AppendUtf8(cp, &cur);
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

Prf TokenF1(std::string_view gold, std::string_view prediction) {
  Prf r;
  std::vector<std::string> g = WordTokens(gold, true);
  std::vector<std::string> p = WordTokens(prediction, true);
  if (g.empty() && p.empty()) {
    r.precision = r.recall = r.f1 = 1;
    return r;
  }
  if (g.empty() || p.empty()) return r;
  std::unordered_map<std::string, long> counts;
  counts.reserve(g.size());
  for (auto& t : g) ++counts[t];
  long tp = 0;
  for (auto& t : p) {
    auto it = counts.find(t);
    if (it != counts.end() && it->second > 0) {
      --it->second;
      ++tp;
    }
  }
  r.precision = static_cast<double>(tp) / p.size();
  r.recall = static_cast<double>(tp) / g.size();
  r.f1 = tp == 0 ? 0 : 2 * r.precision * r.recall / (r.precision + r.recall);
  return r;
}

Prf SegmentCounts::Score() const {
  Prf r;
  r.precision = tp + fp > 0 ? static_cast<double>(tp) / (tp + fp) : 0;
  r.recall = tp + fn > 0 ? static_cast<double>(tp) / (tp + fn) : 0;
  r.f1 = r.precision + r.recall > 0 ? 2 * r.precision * r.recall / (r.precision + r.recall) : 0;
  return r;
}

SegmentCounts SegmentMatch(const std::vector<std::string>& with,
                           const std::vector<std::string>& without,
                           std::string_view prediction) {
  SegmentCounts c;
  const std::string pred = CollapseForSegments(prediction);
  for (const auto& s : with) {
    const std::string seg = CollapseForSegments(s);
    if (pred.find(seg) != std::string::npos) ++c.tp; else ++c.fn;
  }
  for (const auto& s : without) {
    const std::string seg = CollapseForSegments(s);
    if (pred.find(seg) != std::string::npos) ++c.fp; else ++c.tn;
  }
  return c;
}

ShingleCounts ShingleMatch(std::string_view gold, std::string_view prediction) {
  auto shingles = [](std::string_view text) {
    std::vector<std::string> toks = WordTokens(text, false);
    std::unordered_map<std::string, long> out;
    if (toks.empty()) return out;
    const size_t n = 4;
    if (toks.size() < n) {
      std::string s;
      for (size_t i = 0; i < toks.size(); ++i) {
        if (i) s.push_back(' ');
        s += toks[i];
      }
      ++out[s];
      return out;
    }
    for (size_t i = 0; i + n <= toks.size(); ++i) {
      std::string s = toks[i];
      for (size_t k = 1; k < n; ++k) {
        s.push_back(' ');
        s += toks[i + k];
      }
      ++out[s];
    }
    return out;
  };
  auto g = shingles(gold);
  auto p = shingles(prediction);
  double tp = 0, fp = 0, fn = 0;
  for (const auto& [k, pc] : p) {
    auto it = g.find(k);
    const long gc = it == g.end() ? 0 : it->second;
    tp += std::min(gc, pc);
    fp += std::max(0L, pc - gc);
  }
  for (const auto& [k, gc] : g) {
    auto it = p.find(k);
    const long pc = it == p.end() ? 0 : it->second;
    fn += std::max(0L, gc - pc);
  }
  ShingleCounts c;
  const double total = tp + fp + fn;
  if (total > 0) {
    c.tp = tp / total;
    c.fp = fp / total;
    c.fn = fn / total;
  }
  return c;
}

Prf ShingleScore(const std::vector<ShingleCounts>& pages) {
  double psum = 0, rsum = 0;
  long pn = 0, rn = 0;
  for (const auto& c : pages) {
    if (c.tp + c.fp > 0) {
      psum += c.tp / (c.tp + c.fp);
      ++pn;
    }
    if (c.tp + c.fn > 0) {
      rsum += c.tp / (c.tp + c.fn);
      ++rn;
    }
  }
  Prf r;
  r.precision = pn ? psum / pn : 0;
  r.recall = rn ? rsum / rn : 0;
  r.f1 = r.precision + r.recall > 0 ? 2 * r.precision * r.recall / (r.precision + r.recall) : 0;
  return r;
}

}  // namespace eval
}  // namespace winnow
