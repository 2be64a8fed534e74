// classifier_bench: documents/s per core of the filter.classifier stage with
// a model of realistic size (default dimension 256, 2M hashed n-gram rows,
// word bigrams: the size of the published fastText quality classifiers),
// beside the rule filters on the same documents and the same thread.
// Documents: the gold texts of ../shared/data (real prose of many
// languages). The model is trained here for one epoch on those texts with
// arbitrary labels (alternate documents): prediction cost depends on the
// model's size and the text's length, not on what the labels mean.
// Usage: classifier_bench [shared_dir] [repeats] [dim] [buckets] [model_dir]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "gold_texts.h"
#include "winnow/classifier.h"
#include "winnow/filter.h"
#include "winnow/pipeline.h"

using winnow_bench::GoldDoc;

int main(int argc, char** argv) {
  std::string shared = argc > 1 ? argv[1] : WINNOW_SHARED_DIR;
  int repeats = argc > 2 ? std::atoi(argv[2]) : 3;
  int dim = argc > 3 ? std::atoi(argv[3]) : 256;
  int buckets = argc > 4 ? std::atoi(argv[4]) : 2000000;
  std::string model_dir = argc > 5 ? argv[5] : std::filesystem::temp_directory_path().string();
  std::vector<std::string> missing;
  std::vector<GoldDoc> gold = winnow_bench::LoadGold(shared, &missing, /*with_fragments=*/false);
  if (gold.empty()) {
    std::fprintf(stderr, "no gold data under %s/data\n", shared.c_str());
    return 1;
  }
  double load = -1;
  if (FILE* f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf", &load) != 1) load = -1;
    std::fclose(f);
  }
  std::vector<winnow::LabelledText> examples;
  std::vector<winnow::Document> docs(gold.size());
  size_t bytes = 0;
  for (size_t i = 0; i < gold.size(); ++i) {
    examples.push_back({gold[i].text, i % 2 ? "a" : "b"});
    docs[i].SetTextLines(gold[i].text);
    docs[i].annotations.lang = gold[i].lang;
    bytes += gold[i].text.size();
  }
  std::printf("classifier_bench: %zu gold texts, %.1f MB (mean %.0f bytes), best of %d runs, one thread\n",
              gold.size(), bytes / 1e6, static_cast<double>(bytes) / gold.size(), repeats);
  std::printf("machine load average at start: %.2f (shared 2-core machine)\n", load);

  winnow::ClassifierTrainOptions o;
  o.dim = dim;
  o.buckets = buckets;
  o.epoch = 1;
  o.holdout = 0;
  const std::string model =
      model_dir + "/classifier_bench_" + std::to_string(dim) + "_" + std::to_string(buckets) + ".bin";
  winnow::ClassifierTrainReport report;
  winnow::Status s = winnow::TrainClassifier(examples, o, model, &report);
  if (!s.ok()) {
    std::fprintf(stderr, "training failed: %s\n", s.ToString().c_str());
    return 1;
  }
  auto t0 = std::chrono::steady_clock::now();
  auto loaded = winnow::Classifier::Load(model);
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", loaded.status().ToString().c_str());
    return 1;
  }
  const double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("model: dimension %d, %d buckets, word bigrams, %lld words: %.0f MB, loaded in %.1f s "
              "(trained in %.0f s, 1 epoch)\n\n",
              dim, buckets, static_cast<long long>((*loaded)->words()), report.model_bytes / 1e6, load_s,
              report.train_seconds);

  winnow::Config c;
  c.Set("stages", "filter.classifier.bench");
  c.Set("filter.classifier.bench.model", model);
  c.Set("filter.classifier.bench.label", "a");
  c.Set("filter.classifier.bench.mode", "tag");
  auto stage = winnow::Pipeline::Create(c);
  winnow::Config c2 = c;
  c2.Set("filter.classifier.bench.max_chars", "2000");
  auto stage_cut = winnow::Pipeline::Create(c2);
  if (!stage.ok() || !stage_cut.ok()) {
    std::fprintf(stderr, "%s\n", (stage.ok() ? stage_cut.status() : stage.status()).ToString().c_str());
    return 1;
  }
  winnow::GopherQualityOptions gq;
  winnow::GopherRepetitionOptions gr;
  winnow::C4Options c4;
  winnow::FineWebOptions fw;
  double sink = 0;
  struct Case {
    const char* name;
    std::function<void(winnow::Document&, const std::string&)> fn;
  };
  std::vector<Case> cases = {
      {"filter.classifier (stage, tag mode)",
       [&](winnow::Document& d, const std::string&) { (*stage)->Process(d, nullptr); }},
      {"filter.classifier (stage, max_chars 2000)",
       [&](winnow::Document& d, const std::string&) { (*stage_cut)->Process(d, nullptr); }},
      {"Classifier::Predict on the text",
       [&](winnow::Document&, const std::string& t) { sink += (*loaded)->Predict(t)[0]; }},
      {"filter.gopher_quality",
       [&](winnow::Document& d, const std::string& t) {
         sink += winnow::EvaluateGopherQuality(t, d.annotations.lang, gq).keep;
       }},
      {"filter.gopher_repetition",
       [&](winnow::Document& d, const std::string&) { sink += winnow::EvaluateGopherRepetition(d, gr).keep; }},
      {"filter.c4", [&](winnow::Document& d, const std::string&) { sink += winnow::EvaluateC4(d, c4).dropped.size(); }},
      {"filter.fineweb", [&](winnow::Document&, const std::string& t) { sink += winnow::EvaluateFineWeb(t, fw).keep; }},
  };
  std::printf("docs/s and MB/s per CPU-second of the benchmark thread (wall-clock docs/s in ())\n");
  std::printf("%-44s %10s %10s %14s\n", "stage", "docs/s", "MB/s", "(wall docs/s)");
  for (const Case& k : cases) {
    double best = 1e30, best_wall = 1e30;
    for (int r = 0; r < repeats; ++r) {
      auto w0 = std::chrono::steady_clock::now();
      double c0 = winnow_bench::ThreadCpuSeconds();
      for (size_t i = 0; i < docs.size(); ++i) k.fn(docs[i], gold[i].text);
      best = std::min(best, winnow_bench::ThreadCpuSeconds() - c0);
      best_wall = std::min(best_wall,
                           std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count());
    }
    std::printf("%-44s %10.0f %10.1f %14.0f\n", k.name, docs.size() / best, bytes / 1e6 / best,
                docs.size() / best_wall);
  }
  std::printf("\n(sink %g)\n", sink);
  std::filesystem::remove(model);
  return 0;
}
