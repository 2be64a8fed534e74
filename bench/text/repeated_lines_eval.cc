// repeated_lines_eval: what repeated-line removal takes on groups of pages of
// one site. Pages: the extraction sets turned into full-page text, with gold
// line labels (scripts/text/make_line_data.py), grouped by host (URL or the
// page's canonical URL). All pages are counted (pass 1); the figures are over
// the pages of hosts with >= 2 pages (the only ones the host rule can touch):
// share of chrome lines (label 0) removed and of content lines (label 1) lost,
// for several thresholds.
// Usage: repeated_lines_eval <linedata dir> [lost content lines to print]
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "text/line_table.h"
#include "winnow/repeated_lines.h"

using winnow::text_internal::TableDoc;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: repeated_lines_eval <linedata dir>\n");
    return 2;
  }
  std::string dir = argv[1];
  // Optional: print this many lost content lines of the default rule (stderr).
  int show_lost = argc > 2 ? std::atoi(argv[2]) : 0;
  std::vector<TableDoc> docs;
  for (const char* name : {"/extract_train.tsv", "/extract_test.tsv"}) {
    auto t = winnow::text_internal::ReadLineTable(dir + name, nullptr);
    if (!t.ok()) {
      std::fprintf(stderr, "repeated_lines_eval: %s\n", t.status().ToString().c_str());
      return 1;
    }
    for (auto& d : *t) docs.push_back(std::move(d));
  }
  std::map<std::string, int> pages_per_host;
  for (const TableDoc& d : docs) {
    std::string h = winnow::UrlHost(d.url);
    if (!h.empty()) ++pages_per_host[h];
  }
  int multi_hosts = 0, multi_pages = 0;
  for (const auto& [h, n] : pages_per_host) {
    if (n >= 2) {
      ++multi_hosts;
      multi_pages += n;
    }
  }
  winnow::RepeatedLineCounter counter;
  for (const TableDoc& d : docs) {
    std::vector<std::string_view> lines(d.lines.begin(), d.lines.end());
    counter.ObserveLines(d.url, lines);
  }
  std::printf("pages %zu, hosts with >= 2 pages: %d (%d pages); table entries host %llu shard %llu\n",
              docs.size(), multi_hosts, multi_pages,
              static_cast<unsigned long long>(counter.host_entries()),
              static_cast<unsigned long long>(counter.shard_entries()));
  std::printf("%-30s | %-12s %-12s | %-10s %-10s\n", "rule", "chrome lines", "removed",
              "content", "lost");
  struct Rule {
    const char* name;
    int host, shard;
    bool multi_only;
    int min_chars;
  };
  const Rule rules[] = {{"host > 1 doc", 1, 0, true, 1},
                        {"host > 2 docs", 2, 0, true, 1},
                        {"host > 3 docs", 3, 0, true, 1},
                        {"host > 5 docs", 5, 0, true, 1},
                        {"host > 1 doc, >= 12 chars", 1, 0, true, 12},
                        {"host > 2 docs, >= 12 chars", 2, 0, true, 12},
                        {"host > 2 docs, >= 20 chars", 2, 0, true, 20},
                        {"host > 3 docs, >= 12 chars", 3, 0, true, 12},
                        {"shard > 5 docs (all pages)", 0, 5, false, 1},
                        {"shard > 20 docs (all pages)", 0, 20, false, 1},
                        {"shard > 100 docs (all pages)", 0, 100, false, 1}};
  for (const Rule& r : rules) {
    winnow::RepeatedLineFilterOptions o;
    o.max_host_docs = r.host;
    o.max_shard_docs = r.shard;
    o.min_chars = r.min_chars;
    winnow::RepeatedLineFilter filter(&counter, o);
    long chrome = 0, chrome_removed = 0, content = 0, content_lost = 0;
    for (const TableDoc& d : docs) {
      if (r.multi_only && pages_per_host[winnow::UrlHost(d.url)] < 2) continue;
      std::vector<std::string_view> lines(d.lines.begin(), d.lines.end());
      std::vector<bool> drop = filter.Decide(d.url, lines);
      for (size_t i = 0; i < lines.size(); ++i) {
        if (d.labels[i] == 0) {
          ++chrome;
          chrome_removed += drop[i];
        } else if (d.labels[i] == 1) {
          ++content;
          content_lost += drop[i];
          if (drop[i] && show_lost > 0 && r.host == 2 && r.min_chars == 12) {
            --show_lost;
            std::fprintf(stderr, "lost content [%s] %s\n", d.id.c_str(), d.lines[i].substr(0, 120).c_str());
          }
        }
      }
    }
    std::printf("%-30s | %-12ld %5.1f%%       | %-10ld %5.2f%%\n", r.name, chrome,
                chrome ? 100.0 * chrome_removed / chrome : 0.0, content,
                content ? 100.0 * content_lost / content : 0.0);
  }
  return 0;
}
