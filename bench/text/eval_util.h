// Helpers shared by the text benchmarks: P/R/F1 counting and the token F1 of
// ../shared/data/extraction/README.md (tokens = \w+ runs, lower-cased).
#ifndef WINNOW_BENCH_TEXT_EVAL_UTIL_H_
#define WINNOW_BENCH_TEXT_EVAL_UTIL_H_

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace winnow::bench {

struct Prf {
  double tp = 0, fp = 0, fn = 0;
  void Add(bool predicted, bool gold) {
    if (predicted && gold) ++tp;
    else if (predicted) ++fp;
    else if (gold) ++fn;
  }
  double P() const { return tp + fp > 0 ? tp / (tp + fp) : 0; }
  double R() const { return tp + fn > 0 ? tp / (tp + fn) : 0; }
  double F1() const { return P() + R() > 0 ? 2 * P() * R() / (P() + R()) : 0; }
};

std::unordered_map<std::string, int> TokenCounts(std::string_view text);
// Token F1 of a prediction against gold (both empty: 1; one empty: 0).
double TokenF1(const std::unordered_map<std::string, int>& gold,
               const std::unordered_map<std::string, int>& pred);

// Loads "doc_id<TAB>text" rows.
std::unordered_map<std::string, std::string> ReadGold(const std::string& path);

}  // namespace winnow::bench

#endif  // WINNOW_BENCH_TEXT_EVAL_UTIL_H_
