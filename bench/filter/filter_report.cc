// filter_report: runs langid and then every quality filter on the gold texts
// of ../shared/data and prints how many documents each rule rejects, per
// data set: (1) each filter alone on every document, (2) the filters chained
// in FineWeb's order (gopher_repetition, gopher_quality, c4, fineweb), where
// a document counts only for the first filter that rejects it. Gold texts
// are human-selected main content, so these rejections show how strict each
// rule is on clean prose (and on CleanEval's list-like pages), not errors.
// Also counts what the "pii" stage masks in the gold texts (real pages do
// contain addresses and phone numbers; --show-pii N prints N masked blocks
// so that false positives can be judged by eye).
// Trafilatura's set is left out: it has only short gold fragments.
// Usage: filter_report [--show-pii N] [shared_dir]
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "filter/filter_stages.h"
#include "gold_texts.h"
#include "langid/langid_stages.h"
#include "winnow/stage.h"

using winnow_bench::GoldDoc;

namespace {

using Table = std::map<std::string, std::map<std::string, int>>;  // row -> set -> count

void Print(const char* title, const Table& t, const std::vector<std::string>& sets,
           const std::map<std::string, int>& totals) {
  std::printf("%s\n%-48s", title, "rule");
  for (const auto& s : sets) std::printf(" %11s", s.c_str());
  std::printf(" %9s\n", "all");
  std::printf("%-48s", "(documents)");
  int all = 0;
  for (const auto& s : sets) std::printf(" %11d", totals.at(s)), all += totals.at(s);
  std::printf(" %9d\n", all);
  for (const auto& [row, per] : t) {
    std::printf("%-48s", row.c_str());
    int sum = 0;
    for (const auto& s : sets) {
      auto it = per.find(s);
      int n = it == per.end() ? 0 : it->second;
      sum += n;
      std::printf(" %11d", n);
    }
    std::printf(" %9d\n", sum);
  }
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::string shared = WINNOW_SHARED_DIR;
  int show_pii = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--show-pii" && i + 1 < argc) show_pii = std::atoi(argv[++i]);
    else shared = a;
  }
  std::vector<std::string> missing;
  std::vector<GoldDoc> gold = winnow_bench::LoadGold(shared, &missing, /*with_fragments=*/false);
  if (gold.empty()) {
    std::fprintf(stderr, "no gold data under %s/data\n", shared.c_str());
    return 1;
  }
  winnow::StageRegistry reg;
  winnow::RegisterLangidStages(&reg);
  winnow::RegisterFilterStages(&reg);
  winnow::Config config;
  const std::vector<std::string> order = {"filter.gopher_repetition", "filter.gopher_quality",
                                          "filter.c4", "filter.fineweb"};
  auto langid = reg.Create("langid", config);
  auto pii = reg.Create("pii", config);
  if (!langid.ok() || !pii.ok()) return 1;
  std::map<std::string, std::unique_ptr<winnow::Stage>> stages;
  for (const auto& name : order) {
    auto s = reg.Create(name, config);
    if (!s.ok()) return 1;
    stages[name] = std::move(s).value();
  }
  std::vector<std::string> sets;
  std::map<std::string, int> totals;
  for (const GoldDoc& g : gold) {
    if (!totals.count(g.set)) sets.push_back(g.set);
    totals[g.set]++;
  }

  // Language-identified documents, shared by both passes.
  std::vector<winnow::Document> base(gold.size());
  Table lang_table;
  for (size_t i = 0; i < gold.size(); ++i) {
    base[i].SetTextLines(gold[i].text);
    (*langid)->Process(base[i]);
    lang_table["lang=" + base[i].annotations.lang][gold[i].set]++;
  }

  Table alone, chained, c4_lines, pii_table;
  for (size_t i = 0; i < gold.size(); ++i) {
    const std::string& set = gold[i].set;
    for (const auto& name : order) {
      winnow::Document d = base[i];
      stages[name]->Process(d);
      if (!d.decision.keep) alone[name + ": " + d.decision.reason][set]++;
      if (name == "filter.c4" && d.decision.keep) {
        for (const auto& b : d.blocks) {
          if (!b.keep && b.drop_reason.rfind("filter.c4.", 0) == 0) c4_lines[b.drop_reason][set]++;
        }
      }
    }
    for (const auto& name : order) alone[name + " (any rule)"][set] += 0;
    winnow::Document d = base[i];
    for (const auto& name : order) {
      stages[name]->Process(d);
      if (!d.decision.keep) {
        chained[name + ": " + d.decision.reason][set]++;
        break;
      }
    }
    chained[d.decision.keep ? "~ kept by all filters" : "~ rejected"][set]++;

    winnow::Document p = base[i];
    (*pii)->Process(p);
    for (const auto& [kind, n] : p.annotations.pii_counts) {
      pii_table[kind + " (masks)"][set] += static_cast<int>(n);
      pii_table[kind + " (documents)"][set]++;
    }
    if (show_pii > 0 && !p.annotations.pii_counts.empty()) {
      for (size_t b = 0; b < p.blocks.size() && show_pii > 0; ++b) {
        if (p.blocks[b].text != base[i].blocks[b].text) {
          --show_pii;
          std::printf("pii [%s %s] %.200s\n      was: %.200s\n", set.c_str(), gold[i].id.c_str(),
                      p.blocks[b].text.c_str(), base[i].blocks[b].text.c_str());
        }
      }
    }
  }
  // Totals per filter (alone).
  for (const auto& name : order) {
    auto& row = alone[name + " (any rule)"];
    for (const auto& [r, per] : alone) {
      if (r.rfind(name + ": ", 0) == 0) {
        for (const auto& [s, n] : per) row[s] += n;
      }
    }
  }
  std::printf("filter_report: %zu gold texts from %s/data (langid first, default config)\n\n",
              gold.size(), shared.c_str());
  Print("Each filter alone: documents rejected, by rule", alone, sets, totals);
  Print("Chained in FineWeb's order: first rejecting rule", chained, sets, totals);
  Print("filter.c4 line rules (documents it kept): lines dropped", c4_lines, sets, totals);
  Print("Document language found by langid", lang_table, sets, totals);
  Print("pii stage: placeholders inserted / documents with at least one", pii_table, sets, totals);
  return 0;
}
