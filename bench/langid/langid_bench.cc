// langid_bench: how often DetectLanguage agrees with the known language of
// the gold texts in ../shared/data, per language, how fast it is (MB/s on one
// core), and how many gold blocks the "langid" stage would drop as foreign.
//
// Known language = extraction pages whose lang comes from the page's
// metadata (lang_source html-lang-attr or expected-metadata.json; the
// "heuristic" guesses are left out since they were made by a stop-word
// detector) and every document of the plain-text set (its lang is the
// annotation language). With --sample N the document-level pass reads
// LanguageSample(text, N), as the stage does with langid.doc_sample_bytes = N
// (give --set langid.doc_sample_bytes=N too for the stage's passes).
// Usage: langid_bench [--sample N] [--show-drops N] [--set langid.key=value]... [shared_dir]
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "gold_texts.h"
#include "langid/langid_stages.h"
#include "winnow/langid.h"
#include "winnow/stage.h"

using winnow_bench::GoldDoc;

int main(int argc, char** argv) {
  std::string shared = WINNOW_SHARED_DIR;
  int show_drops = 0;  // --show-drops N: print N dropped blocks
  size_t sample = 0;   // --sample N: the document pass reads LanguageSample(text, N)
  std::vector<std::string> settings;  // --set langid.key=value
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--show-drops" && i + 1 < argc) show_drops = std::atoi(argv[++i]);
    else if (a == "--sample" && i + 1 < argc) sample = std::strtoul(argv[++i], nullptr, 10);
    else if (a == "--set" && i + 1 < argc) settings.push_back(argv[++i]);
    else shared = a;
  }
  std::vector<std::string> missing;
  std::vector<GoldDoc> all = winnow_bench::LoadGold(shared, &missing);
  for (const auto& m : missing) std::fprintf(stderr, "missing: %s\n", m.c_str());
  if (all.empty()) {
    std::fprintf(stderr, "no gold data under %s/data; pass the shared folder as argument\n",
                 shared.c_str());
    return 1;
  }
  std::vector<const GoldDoc*> known;
  for (const GoldDoc& d : all) {
    if (d.lang.empty()) continue;
    if (d.lang_source == "html-lang-attr" || d.lang_source == "expected-metadata.json" ||
        d.lang_source == "dataset") {
      known.push_back(&d);
    }
  }

  struct Row { int n = 0, ok = 0, unknown = 0; std::map<std::string, int> wrong; };
  std::map<std::string, Row> per_lang;
  std::map<std::string, Row> per_set;
  size_t bytes = 0;
  double c0 = winnow_bench::ThreadCpuSeconds();
  std::vector<winnow::LangGuess> guesses;
  guesses.reserve(known.size());
  for (const GoldDoc* d : known) {
    if (sample > 0 && d->text.size() > sample) {
      guesses.push_back(winnow::DetectLanguage(winnow::LanguageSample(d->text, sample)));
    } else {
      guesses.push_back(winnow::DetectLanguage(d->text));
    }
    bytes += d->text.size();
  }
  double secs = winnow_bench::ThreadCpuSeconds() - c0;
  for (size_t i = 0; i < known.size(); ++i) {
    const GoldDoc& d = *known[i];
    const winnow::LangGuess& g = guesses[i];
    std::string want = winnow::NormalizeLangCode(d.lang);
    for (Row* r : {&per_lang[want], &per_set[d.set]}) {
      r->n++;
      if (g.lang == want) r->ok++;
      else if (g.lang == "un") r->unknown++;
      else r->wrong[g.lang]++;
    }
  }
  double load[3] = {0, 0, 0};
  if (FILE* f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3) load[0] = -1;
    std::fclose(f);
  }
  std::printf("langid_bench: %s on gold texts of known language\n",
              winnow::LangidModelDescription().c_str());
  std::printf("machine load average at start: %.2f (timings are per core of a shared machine)\n",
              load[0]);
  std::printf("documents: %zu of %zu gold texts (lang from page metadata or dataset)\n",
              known.size(), all.size());
  if (sample > 0) std::printf("document pass on LanguageSample(text, %zu)\n", sample);
  std::printf("\n");
  auto print = [](const char* title, const std::map<std::string, Row>& rows) {
    std::printf("%-12s %6s %8s %8s  %s\n", title, "docs", "accuracy", "unknown", "confused with");
    int n = 0, ok = 0;
    for (const auto& [k, r] : rows) {
      std::string conf;
      for (const auto& [l, c] : r.wrong) conf += l + ":" + std::to_string(c) + " ";
      std::printf("%-12s %6d %8.3f %8d  %s\n", k.c_str(), r.n, double(r.ok) / r.n, r.unknown,
                  conf.c_str());
      n += r.n;
      ok += r.ok;
    }
    std::printf("%-12s %6d %8.3f\n\n", "all", n, double(ok) / n);
  };
  print("language", per_lang);
  print("set", per_set);
  std::printf("speed: %.1f MB in %.3f CPU s = %.1f MB/s per core (document-level DetectLanguage)\n\n",
              bytes / 1e6, secs, bytes / 1e6 / secs);

  // The stage on gold texts: these are main content, so a block dropped as
  // foreign is (nearly always) a false drop, unless the page really quotes
  // another language.
  winnow::StageRegistry reg;
  winnow::RegisterLangidStages(&reg);
  winnow::Config config;
  for (const auto& kv : settings) {
    if (!config.SetFromString(kv).ok()) return 2;
    std::printf("setting: %s\n", kv.c_str());
  }
  auto stage = reg.Create("langid", config);
  if (!stage.ok()) return 1;
  size_t blocks = 0, dropped = 0, dropped_bytes = 0, total_bytes = 0, docs_with_drop = 0;
  std::map<std::string, int> dropped_by_set;
  size_t all_bytes = 0;
  c0 = winnow_bench::ThreadCpuSeconds();
  for (const GoldDoc& d : all) {
    winnow::Document doc;
    doc.SetTextLines(d.text);
    all_bytes += d.text.size();
    (*stage)->Process(doc);
    bool any = false;
    for (const auto& b : doc.blocks) {
      ++blocks;
      total_bytes += b.text.size();
      if (!b.keep) {
        ++dropped;
        dropped_bytes += b.text.size();
        dropped_by_set[d.set]++;
        if (show_drops > 0) {
          --show_drops;
          std::printf("  drop [%s %s doc=%s block=%s] %.150s\n", d.set.c_str(), d.id.c_str(),
                      doc.annotations.lang.c_str(), b.lang.c_str(), b.text.c_str());
        }
        any = true;
      }
    }
    docs_with_drop += any;
  }
  secs = winnow_bench::ThreadCpuSeconds() - c0;
  std::printf("langid stage on all %zu gold texts (%zu blocks): %zu blocks dropped as foreign "
              "(%.3f%% of blocks, %.3f%% of bytes) in %zu documents\n",
              all.size(), blocks, dropped, 100.0 * dropped / blocks,
              100.0 * dropped_bytes / total_bytes, docs_with_drop);
  for (const auto& [s, n] : dropped_by_set) std::printf("  %-12s %d\n", s.c_str(), n);
  std::printf("stage speed: %.1f MB in %.3f CPU s = %.1f MB/s per core (document + every block)\n",
              all_bytes / 1e6, secs, all_bytes / 1e6 / secs);

  // The turku set labels every line of the raw OSCAR text main (1) or
  // boilerplate (0): are the lines the stage drops as foreign boilerplate?
  std::string raw;
  if (winnow_bench::ReadGz(shared + "/data/plaintext/turku_line_quality.jsonl.gz", &raw)) {
    simdjson::ondemand::parser parser;
    size_t start = 0, lines = 0, dropped_main = 0, dropped_boiler = 0, boiler = 0;
    while (start < raw.size()) {
      size_t nl = raw.find('\n', start);
      if (nl == std::string::npos) nl = raw.size();
      simdjson::padded_string line(std::string_view(raw).substr(start, nl - start));
      start = nl + 1;
      simdjson::ondemand::document jd;
      if (parser.iterate(line).get(jd)) continue;
      winnow::Document doc;
      std::vector<int64_t> labels;
      simdjson::ondemand::array arr;
      if (jd["lines"].get_array().get(arr)) continue;
      for (auto item : arr) {
        std::string_view t;
        if (item.get_string().get(t)) t = "";
        winnow::Block b;
        b.text = std::string(t);
        doc.blocks.push_back(std::move(b));
      }
      if (jd["labels"].get_array().get(arr)) continue;
      for (auto item : arr) {
        int64_t v = 0;
        if (item.get_int64().get(v)) v = 1;
        labels.push_back(v);
      }
      if (labels.size() != doc.blocks.size()) continue;
      (*stage)->Process(doc);
      for (size_t i = 0; i < labels.size(); ++i) {
        ++lines;
        boiler += labels[i] == 0;
        if (!doc.blocks[i].keep) {
          (labels[i] == 0 ? dropped_boiler : dropped_main)++;
          if (show_drops > 0) {
            --show_drops;
            std::printf("  turku drop label=%lld doc=%s block=%s: %.120s\n", (long long)labels[i],
                        doc.annotations.lang.c_str(), doc.blocks[i].lang.c_str(),
                        doc.blocks[i].text.c_str());
          }
        }
      }
    }
    std::printf("\nturku raw OSCAR lines (labelled): %zu lines, %zu boilerplate; langid drops %zu "
                "as foreign: %zu boilerplate, %zu main text (precision %.3f, boilerplate recall %.4f)\n",
                lines, boiler, dropped_boiler + dropped_main, dropped_boiler, dropped_main,
                (dropped_boiler + dropped_main) ? double(dropped_boiler) / (dropped_boiler + dropped_main) : 0.0,
                boiler ? double(dropped_boiler) / boiler : 0.0);
  }
  return 0;
}
