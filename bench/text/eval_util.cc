#include "eval_util.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <fstream>

#include "base/utf8.h"

namespace winnow::bench {

std::unordered_map<std::string, int> TokenCounts(std::string_view text) {
  std::unordered_map<std::string, int> out;
  std::string tok;
  size_t i = 0;
  while (i <= text.size()) {
    char32_t c = i < text.size() ? NextCodePoint(text, &i) : (++i, U' ');
    bool word = c == '_' || (c != 0xFFFD && (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_N_MASK)));
    if (word) {
      AppendUtf8(u_tolower(c), &tok);
    } else if (!tok.empty()) {
      ++out[tok];
      tok.clear();
    }
  }
  return out;
}

double TokenF1(const std::unordered_map<std::string, int>& gold,
               const std::unordered_map<std::string, int>& pred) {
  double g = 0, p = 0, tp = 0;
  for (const auto& [t, n] : gold) g += n;
  for (const auto& [t, n] : pred) {
    p += n;
    auto it = gold.find(t);
    if (it != gold.end()) tp += std::min(n, it->second);
  }
  if (g == 0 && p == 0) return 1;
  if (g == 0 || p == 0 || tp == 0) return 0;
  double prec = tp / p, rec = tp / g;
  return 2 * prec * rec / (prec + rec);
}

std::unordered_map<std::string, std::string> ReadGold(const std::string& path) {
  std::unordered_map<std::string, std::string> out;
  std::ifstream in(path);
  std::string row;
  while (std::getline(in, row)) {
    size_t t = row.find('\t');
    if (t == std::string::npos) continue;
    out[row.substr(0, t)] = row.substr(t + 1);
  }
  return out;
}

}  // namespace winnow::bench
