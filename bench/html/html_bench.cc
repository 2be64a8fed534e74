// html_bench: parse speed on each extraction set, one core: winnow's
// tokenizer alone, winnow's Parse (tokenizer + tree), and gumbo.
//
//   build-x/bench/html/html_bench [shared_dir] [--sets a,b] [--min-seconds S] [--no-gumbo]
//
// Each figure is total HTML bytes / thread CPU time over all pages of the
// set, repeated until at least --min-seconds (default 1) of CPU have passed.
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "html/arena.h"
#include "html/tokenizer.h"
#include "html_test_util.h"
#include "winnow/html.h"

namespace wh = winnow::html;
namespace wi = winnow::html::internal;

namespace {

// CPU time of this thread: the machine is shared, and wall time would
// mostly measure the other jobs.
double Now() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

template <typename F>
double Measure(const std::vector<wh::testing::Page>& pages, double min_seconds, F parse_one,
               int* rounds_out) {
  double start = Now(), elapsed = 0;
  int rounds = 0;
  do {
    for (const auto& p : pages) parse_one(p.html);
    ++rounds;
    elapsed = Now() - start;
  } while (elapsed < min_seconds);
  *rounds_out = rounds;
  return elapsed / rounds;
}

volatile uint64_t g_sink;

}  // namespace

int main(int argc, char** argv) {
  std::string shared = wh::testing::SharedDir();
  std::string only;
  double min_seconds = 1.0;
  bool with_gumbo = true;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--no-gumbo") == 0) {
      with_gumbo = false;
      continue;
    }
    if (std::strcmp(argv[i], "--sets") == 0 && i + 1 < argc) {
      only = argv[++i];
    } else if (std::strcmp(argv[i], "--min-seconds") == 0 && i + 1 < argc) {
      min_seconds = std::atof(argv[++i]);
    } else {
      shared = argv[i];
    }
  }
  const char* sets[] = {"scrapinghub", "readability", "cleaneval", "dragnet", "trafilatura"};
  std::printf("%-12s %6s %8s | %-19s | %-19s | %-19s\n", "set", "pages", "MB", "winnow tokenize",
              "winnow parse", "gumbo parse");
  std::printf("%-12s %6s %8s | %8s %10s | %8s %10s | %8s %10s\n", "", "", "", "MB/s", "pages/s",
              "MB/s", "pages/s", "MB/s", "pages/s");
  for (const char* set : sets) {
    if (!only.empty() && only.find(set) == std::string::npos) continue;
    std::vector<wh::testing::Page> pages;
    std::string err;
    if (!wh::testing::ReadPages(shared + "/data/extraction/" + set + ".jsonl.gz", &pages, &err)) {
      std::printf("%-12s skipped: %s\n", set, err.c_str());
      continue;
    }
    double bytes = 0;
    for (const auto& p : pages) bytes += p.html.size();
    int r1, r2, r3;
    double t_tok = Measure(pages, min_seconds, [](const std::string& h) {
      wi::Arena arena;
      wi::Tokenizer tok(wi::NormalizeNewlines(h, &arena), &arena);
      wi::Token t;
      uint64_t n = 0;
      do {
        tok.Next(&t);
        ++n;
        // Keep script/style content out of the tag state, as the tree builder does.
        if (t.type == wi::TokenType::kStartTag) {
          if (t.name == "script") tok.SetContentState(wi::ContentState::kScriptData);
          if (t.name == "style") tok.SetContentState(wi::ContentState::kRawtext);
        }
      } while (t.type != wi::TokenType::kEof);
      g_sink = g_sink + n;
    }, &r1);
    double t_parse = Measure(pages, min_seconds, [](const std::string& h) {
      auto dom = wh::Parse(h);
      g_sink = g_sink + dom->node_count();
    }, &r2);
    double t_gumbo = !with_gumbo ? 1e30 : Measure(pages, min_seconds, [](const std::string& h) {
      GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, h.data(), h.size());
      g_sink = g_sink + out->root->v.element.children.length;
      gumbo_destroy_output(&kGumboDefaultOptions, out);
    }, &r3);  // 1e30: not run (--no-gumbo), printed as 0
    double mb = bytes / 1e6;
    std::printf("%-12s %6zu %8.1f | %8.1f %10.0f | %8.1f %10.0f | %8.1f %10.0f\n", set,
                pages.size(), mb, mb / t_tok, pages.size() / t_tok, mb / t_parse,
                pages.size() / t_parse, mb / t_gumbo, pages.size() / t_gumbo);
    std::fflush(stdout);
  }
  return 0;
}
