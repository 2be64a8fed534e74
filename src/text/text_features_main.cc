// text_features: prints the line features of a line table as TSV, for
// scripts/train_lines.py. Usage: text_features <table.tsv> > features.tsv
// Output: header "doc_id line label <feature names...>", then one row per
// non-blank line. The document language is guessed from stop words, as the
// text.lines stage does when no language is known yet.
// --hide-stop-lang L: computes the features as if the lexicon had no stop
// words of L (leave-one-language-out evaluation of a language without lists).
#include <cstdio>
#include <string>

#include "text/lexicon.h"
#include "text/line_table.h"
#include "winnow/lines.h"

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--hide-stop-lang") {
    if (!winnow::text_internal::HideStopLanguage(argv[2])) {
      std::fprintf(stderr, "text_features: no stop list for language '%s'\n", argv[2]);
      return 2;
    }
    argv += 2;
    argc -= 2;
  }
  if (argc != 2) {
    std::fprintf(stderr, "usage: text_features [--hide-stop-lang LANG] <line-table.tsv>\n");
    return 2;
  }
  size_t bad = 0;
  auto docs = winnow::text_internal::ReadLineTable(argv[1], &bad);
  if (!docs.ok()) {
    std::fprintf(stderr, "text_features: %s\n", docs.status().ToString().c_str());
    return 1;
  }
  std::printf("doc_id\tline\tlabel");
  for (const std::string& n : winnow::LineFeatureNames()) std::printf("\t%s", n.c_str());
  std::printf("\n");
  for (const auto& d : *docs) {
    std::vector<std::string_view> lines;
    std::vector<size_t> index;
    for (size_t i = 0; i < d.lines.size(); ++i) {
      if (d.lines[i].find_first_not_of(" \t\r\n\f\v") == std::string::npos) continue;
      lines.push_back(d.lines[i]);
      index.push_back(i);
    }
    auto feats = winnow::ComputeLineFeatures(lines, "");
    for (size_t t = 0; t < lines.size(); ++t) {
      std::printf("%s\t%zu\t%d", d.id.c_str(), index[t], d.labels[index[t]]);
      for (float v : feats[t]) std::printf("\t%.6g", v);
      std::printf("\n");
    }
  }
  if (bad) std::fprintf(stderr, "text_features: %zu malformed rows skipped\n", bad);
  return 0;
}
