// Evaluation metrics of main-content extraction, as defined in
// ../shared/data/extraction/README.md: token F1, segment F1 (pooled) and
// scrapinghub's shingle F1. Used by bench/extract and the tests; not part
// of the library (leveldb compiles its testutil into tests only).
//
// Thread-safety: pure functions.
#ifndef WINNOW_BENCH_COMMON_EVAL_METRICS_H_
#define WINNOW_BENCH_COMMON_EVAL_METRICS_H_

#include <string>
#include <string_view>
#include <vector>

namespace winnow {
namespace eval {

// The matches of the Unicode regular expression \w+ (letters, digits,
// marks are not word characters in Python's re, underscore is), optionally
// lower-cased.
std::vector<std::string> WordTokens(std::string_view text, bool lower);

struct Prf {
  double precision = 0, recall = 0, f1 = 0;
};

// Token (bag of words) precision/recall/F1 of one page. Both empty: 1.
Prf TokenF1(std::string_view gold, std::string_view prediction);

// Counts for segment F1 of one page: with segments found (tp) or not (fn),
// without segments found (fp) or not (tn).
struct SegmentCounts {
  long tp = 0, fn = 0, fp = 0, tn = 0;
  void Add(const SegmentCounts& o) { tp += o.tp; fn += o.fn; fp += o.fp; tn += o.tn; }
  Prf Score() const;
};
SegmentCounts SegmentMatch(const std::vector<std::string>& with,
                           const std::vector<std::string>& without,
                           std::string_view prediction);

// Scrapinghub's shingle metric: per page normalised tp/fp/fn.
struct ShingleCounts {
  double tp = 0, fp = 0, fn = 0;
};
ShingleCounts ShingleMatch(std::string_view gold, std::string_view prediction);
// Precision averaged over pages with tp+fp > 0, recall over tp+fn > 0.
Prf ShingleScore(const std::vector<ShingleCounts>& pages);

}  // namespace eval
}  // namespace winnow

#endif  // WINNOW_BENCH_COMMON_EVAL_METRICS_H_
