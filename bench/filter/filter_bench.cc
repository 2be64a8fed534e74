// filter_bench: throughput (MB/s of text on one core) of each quality filter
// and of PII masking, on the gold texts of ../shared/data (real prose of
// many languages, 21 MB). Filters are timed through their Evaluate*
// functions so that document copies are not counted.
// Then the four filters as the default chain runs them (Pipeline with the
// settings table's defaults, one document after the other, each stage's
// thread CPU time as `winnow clean` counts it), with a digest of every
// output (decision, reason, each block's keep flag, drop reason and text),
// so that a speed change can show its outputs are unchanged.
// Usage: filter_bench [--chain] [shared_dir] [repeats]   (--chain: only the chain)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/fnv.h"
#include "gold_texts.h"
#include "winnow/filter.h"
#include "winnow/pipeline.h"
#include "winnow/pii.h"

using winnow_bench::GoldDoc;

int main(int argc, char** argv) {
  bool chain_only = argc > 1 && std::string(argv[1]) == "--chain";
  if (chain_only) --argc, ++argv;
  std::string shared = argc > 1 ? argv[1] : WINNOW_SHARED_DIR;
  int repeats = argc > 2 ? std::atoi(argv[2]) : 3;
  std::vector<std::string> missing;
  std::vector<GoldDoc> gold = winnow_bench::LoadGold(shared, &missing, /*with_fragments=*/false);
  if (gold.empty()) {
    std::fprintf(stderr, "no gold data under %s/data\n", shared.c_str());
    return 1;
  }
  std::vector<winnow::Document> docs(gold.size());
  size_t bytes = 0;
  for (size_t i = 0; i < gold.size(); ++i) {
    docs[i].SetTextLines(gold[i].text);
    docs[i].annotations.lang = gold[i].lang;
    bytes += gold[i].text.size();
  }
  double load = -1;
  if (FILE* f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf", &load) != 1) load = -1;
    std::fclose(f);
  }
  std::printf("filter_bench: %zu gold texts, %.1f MB, best of %d runs, one thread\n", gold.size(),
              bytes / 1e6, repeats);
  std::printf("machine load average at start: %.2f (shared 2-core machine)\n\n", load);

  winnow::GopherQualityOptions gq;
  winnow::GopherRepetitionOptions gr;
  winnow::C4Options c4;
  winnow::FineWebOptions fw;
  winnow::PiiOptions pii;
  size_t sink = 0;
  struct Case {
    const char* name;
    std::function<void(const winnow::Document&, const std::string&)> fn;
  };
  std::vector<Case> cases = {
      {"filter.gopher_quality",
       [&](const winnow::Document& d, const std::string& t) {
         sink += winnow::EvaluateGopherQuality(t, d.annotations.lang, gq).keep;
       }},
      {"filter.gopher_repetition",
       [&](const winnow::Document& d, const std::string&) {
         sink += winnow::EvaluateGopherRepetition(d, gr).keep;
       }},
      {"filter.gopher_repetition (tag mode: every signal)",
       [&](const winnow::Document& d, const std::string&) {
         static winnow::GopherRepetitionOptions all = [] {
           winnow::GopherRepetitionOptions o;
           o.mode = winnow::FilterMode::kTag;
           return o;
         }();
         sink += winnow::EvaluateGopherRepetition(d, all).keep;
       }},
      {"filter.c4",
       [&](const winnow::Document& d, const std::string&) {
         sink += winnow::EvaluateC4(d, c4).dropped.size();
       }},
      {"filter.fineweb",
       [&](const winnow::Document&, const std::string& t) {
         sink += winnow::EvaluateFineWeb(t, fw).keep;
       }},
      {"pii",
       [&](const winnow::Document&, const std::string& t) {
         winnow::PiiCounts c;
         sink += winnow::MaskPii(t, pii, &c).size();
       }},
  };
  std::printf("MB/s = text MB per CPU-second of the benchmark thread (wall-clock MB/s in ())\n");
  std::printf("%-52s %10s %10s %12s\n", "stage", "MB/s", "docs/s", "(wall MB/s)");
  for (const Case& c : cases) {
    if (chain_only) break;
    double best = 1e30, best_wall = 1e30;
    for (int r = 0; r < repeats; ++r) {
      auto t0 = std::chrono::steady_clock::now();
      double c0 = winnow_bench::ThreadCpuSeconds();
      for (size_t i = 0; i < docs.size(); ++i) c.fn(docs[i], gold[i].text);
      best = std::min(best, winnow_bench::ThreadCpuSeconds() - c0);
      best_wall = std::min(
          best_wall, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::printf("%-52s %10.1f %10.0f %12.1f\n", c.name, bytes / 1e6 / best, docs.size() / best,
                bytes / 1e6 / best_wall);
  }
  std::printf("\n(sink %zu)\n", sink);

  // The chain: the four filters in the default order with the table's defaults.
  winnow::Config cfg;
  cfg.Set("stages", "filter.gopher_repetition,filter.gopher_quality,filter.c4,filter.fineweb");
  auto chain = winnow::Pipeline::Create(cfg);
  if (!chain.ok()) {
    std::fprintf(stderr, "filter_bench: %s\n", chain.status().ToString().c_str());
    return 1;
  }
  std::map<std::string, double> best;
  uint64_t digest = 0;
  int kept = 0;
  for (int r = 0; r < repeats; ++r) {
    std::map<std::string, double> secs;
    uint64_t h = winnow::kFnv1a64Offset;
    int k = 0;
    for (const winnow::Document& src : docs) {
      winnow::Document d = src;
      (*chain)->Process(d, &secs);
      k += d.decision.keep;
      h = winnow::Fnv1a64(d.decision.keep ? "keep" : d.decision.stage + ":" + d.decision.reason + ":" + d.decision.detail, h);
      for (const winnow::Block& b : d.blocks) {
        h = winnow::Fnv1a64(b.keep ? "1" : "0", h);
        h = winnow::Fnv1a64(b.drop_reason, h);
        h = winnow::Fnv1a64(b.text, h);
      }
    }
    if (r > 0 && h != digest) {
      std::fprintf(stderr, "filter_bench: the chain's outputs differ between runs\n");
      return 1;
    }
    digest = h;
    kept = k;
    for (const auto& [stage, t] : secs) {
      auto it = best.find(stage);
      if (it == best.end() || t < it->second) best[stage] = t;
    }
  }
  std::printf("\nthe four filters as the default chain runs them (table defaults), thread CPU "
              "seconds per stage, best of %d:\n", repeats);
  double sum = 0;
  for (const auto& [stage, t] : best) {
    std::printf("  %-28s %8.3f s\n", stage.c_str(), t);
    sum += t;
  }
  std::printf("  %-28s %8.3f s  (%.1f MB/s, %.0f docs/s)\n", "sum", sum, bytes / 1e6 / sum,
              docs.size() / sum);
  std::printf("  kept %d of %zu documents; output digest %016llx\n", kept, docs.size(),
              static_cast<unsigned long long>(digest));
  return 0;
}
