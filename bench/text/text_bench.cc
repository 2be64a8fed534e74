// text_bench: speed of the line classifier (features + LR + Viterbi) and of
// repeated-line removal (pass 1 Observe + pass 2 filter), one thread (CPU time), in MB/s
// of line text. Input: a line table (e.g. extract_test.tsv from
// scripts/text/make_line_data.py). Best of 3 runs.
// Usage: text_bench <line table> [repetitions=3]
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "text/line_table.h"
#include "winnow/lines.h"
#include "winnow/repeated_lines.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: text_bench <line table> [repetitions]\n");
    return 2;
  }
  int reps = argc > 2 ? std::atoi(argv[2]) : 3;
  auto docs = winnow::text_internal::ReadLineTable(argv[1], nullptr);
  if (!docs.ok()) {
    std::fprintf(stderr, "text_bench: %s\n", docs.status().ToString().c_str());
    return 1;
  }
  double bytes = 0;
  size_t nlines = 0;
  std::vector<std::vector<std::string_view>> views;
  for (const auto& d : *docs) {
    views.emplace_back(d.lines.begin(), d.lines.end());
    for (const auto& l : d.lines) bytes += l.size() + 1;
    nlines += d.lines.size();
  }
  auto model = winnow::LineModel::Embedded();
  if (!model.ok()) {
    std::fprintf(stderr, "text_bench: %s\n", model.status().ToString().c_str());
    return 1;
  }
  winnow::LineClassifier classifier(*model);
  // Thread CPU time: the machine may be shared, and the figure wanted is per core.
  struct Clock {
    static double now() {
      timespec ts;
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
      return ts.tv_sec + ts.tv_nsec * 1e-9;
    }
  };
  auto seconds = [](double a) { return Clock::now() - a; };
  std::printf("input: %zu documents, %zu lines, %.1f MB\n", docs->size(), nlines, bytes / 1e6);

  double best_cls = 1e9, best_feat = 1e9, best_rep = 1e9;
  size_t kept = 0, dropped = 0;
  for (int r = 0; r < reps; ++r) {
    auto t0 = Clock::now();
    size_t f = 0;
    for (const auto& v : views) f += winnow::ComputeLineFeatures(v, "").size();
    best_feat = std::min(best_feat, seconds(t0));
    t0 = Clock::now();
    kept = 0;
    for (const auto& v : views) {
      auto d = classifier.Classify(v, "");
      for (bool k : d.keep) kept += k;
    }
    best_cls = std::min(best_cls, seconds(t0));
    (void)f;
    t0 = Clock::now();
    winnow::RepeatedLineCounter counter;
    for (size_t i = 0; i < views.size(); ++i) counter.ObserveLines((*docs)[i].url, views[i]);
    winnow::RepeatedLineFilter filter(&counter, winnow::RepeatedLineFilterOptions{});
    dropped = 0;
    for (size_t i = 0; i < views.size(); ++i) {
      for (bool x : filter.Decide((*docs)[i].url, views[i])) dropped += x;
    }
    best_rep = std::min(best_rep, seconds(t0));
  }
  std::printf("features only          : %7.2f MB/s  (%.0f lines/s)\n", bytes / 1e6 / best_feat, nlines / best_feat);
  std::printf("line classifier (all)  : %7.2f MB/s  (%.0f lines/s), kept %zu lines\n", bytes / 1e6 / best_cls,
              nlines / best_cls, kept);
  std::printf("repeated lines (2 pass): %7.2f MB/s  (%.0f lines/s), dropped %zu lines\n", bytes / 1e6 / best_rep,
              nlines / best_rep, dropped);
  return 0;
}
