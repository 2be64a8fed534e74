// html_oracle: compares the visible <body> text of winnow's tree with gumbo's
// on every page of the extraction sets and prints the share that match.
//
//   build-x/bench/html/html_oracle [shared_dir] [--show N] [--limits]
//
// --limits also parses every page without the clone budget and the cap on
// active formatting elements (ParseOptions) and counts the pages whose tree
// (DumpTree) changes because of them, and the pages truncated().
//
// --show N prints, for the first N mismatching pages of each set, the first
// point where the two texts differ (60 bytes of context each side); only
// pages that still differ after applying gumbo's control-character
// replacement (GumboLikeControls) unless --show-all.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "html_test_util.h"
#include "winnow/html.h"

namespace wh = winnow::html;

int main(int argc, char** argv) {
  std::string shared = wh::testing::SharedDir();
  int show = 0;
  bool show_all = false, limits = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--limits") == 0) {
      limits = true;
    } else if (std::strcmp(argv[i], "--show-all") == 0) {
      show_all = true;
    } else if (std::strcmp(argv[i], "--show") == 0 && i + 1 < argc) {
      show = std::atoi(argv[++i]);
    } else {
      shared = argv[i];
    }
  }
  const char* sets[] = {"scrapinghub", "readability", "cleaneval", "dragnet", "trafilatura"};
  size_t total = 0, total_match = 0, total_controls = 0;
  for (const char* set : sets) {
    std::vector<wh::testing::Page> pages;
    std::string err;
    std::string path = shared + "/data/extraction/" + set + ".jsonl.gz";
    if (!wh::testing::ReadPages(path, &pages, &err)) {
      std::printf("%-12s skipped: %s\n", set, err.c_str());
      continue;
    }
    size_t match = 0, match_controls = 0, shown = 0, limited = 0, truncated = 0;
    for (const auto& p : pages) {
      // gumbo's scripting flag is off: compare like with like.
      wh::ParseOptions gumbo_like;
      gumbo_like.scripting = false;
      auto dom = wh::Parse(p.html, gumbo_like);
      if (limits) {
        wh::ParseOptions unlimited = gumbo_like;
        unlimited.clone_budget_base = 0xffffffffu;
        unlimited.max_active_formatting = 0xffffffffu;
        if (wh::DumpTree(dom->document()) != wh::DumpTree(wh::Parse(p.html, unlimited)->document())) {
          ++limited;
        }
        if (dom->truncated()) ++truncated;
      }
      std::string a = wh::testing::VisibleText(*dom);
      std::string b = wh::testing::GumboVisibleText(p.html);
      if (a == b) {
        ++match;
        ++match_controls;
        continue;
      }
      if (wh::testing::GumboLikeControls(a) == b) {
        ++match_controls;
        if (!show_all) continue;
      }
      if (static_cast<int>(shown) < show) {
        ++shown;
        size_t d = 0;
        while (d < a.size() && d < b.size() && a[d] == b[d]) ++d;
        size_t from = d > 60 ? d - 60 : 0;
        std::printf("--- %s %s: winnow %zu bytes, gumbo %zu bytes, differ at %zu\n", set,
                    p.id.substr(0, 12).c_str(), a.size(), b.size(), d);
        std::printf("  winnow: ...%s...\n", a.substr(from, 120).c_str());
        std::printf("  gumbo : ...%s...\n", b.substr(from, 120).c_str());
      }
    }
    std::printf(
        "%-12s pages %5zu  visible text equal to gumbo's %5zu (%.1f%%), "
        "after gumbo's control-character replacement %5zu (%.1f%%)\n",
        set, pages.size(), match, pages.empty() ? 0.0 : 100.0 * match / pages.size(),
        match_controls, pages.empty() ? 0.0 : 100.0 * match_controls / pages.size());
    if (limits) {
      std::printf("%-12s pages whose tree the clone budget / formatting cap change: %zu; "
                  "truncated: %zu\n", set, limited, truncated);
    }
    std::fflush(stdout);
    total += pages.size();
    total_match += match;
    total_controls += match_controls;
  }
  std::printf(
      "%-12s pages %5zu  visible text equal to gumbo's %5zu (%.1f%%), "
      "after gumbo's control-character replacement %5zu (%.1f%%)\n",
      "all", total, total_match, total ? 100.0 * total_match / total : 0.0, total_controls,
      total ? 100.0 * total_controls / total : 0.0);
  return 0;
}
