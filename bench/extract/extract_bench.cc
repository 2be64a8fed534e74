// extract_bench: quality and speed of winnow::Extract on the public
// extraction benchmark sets in ../shared/data/extraction (see its README for
// the metrics). Prints, per set, the score beside the bar, the score on the
// tuning and confirmation halves, pages/s and MB/s of HTML on one core
// (Extract + RenderText only; reading and scoring are not timed), and the
// peak heap bytes one page needs.
//
//   extract_bench [--data DIR] [--sets a,b] [--limit N] [--per-page FILE]
//                 [--repeat N] [--dump DIR] [--only ID]
//   extract_bench --same-site FILE [--per-page FILE]
//   extract_bench --cross-set [--sets a,b] [--limit N] [--switches a,b]
//   extract_bench --with switch=value,... (any mode but --cross-set: the
//                 run with those rule settings, e.g. --with sections=2/1000)
//
// --same-site scores the same-site set that bench/extract/same_site_set.py
// builds from Debian documentation packages (gold and chrome text from each
// site's template): per language and per site, the share of chrome removed
// and of gold kept, in characters of matched \w tokens (so that a CJK run
// and a Latin word weigh by their length), pooled over the pages.
//
// --cross-set: do the rules' tuned settings carry over to a set they were
// not chosen on? The settings of extract_internal::RuleSwitches (rules
// tuned on the dev sets, 2-4 values each) are chosen, for each set S held
// out, greedily one switch at a time in a fixed order (start: the shipped
// settings; a value replaces the current one only when it raises the mean
// score of the other sets), and S is scored with them. Prints per set its
// dev score (shipped settings), its cross-set score, the bar and the
// settings that differ from the shipped ones, and S's score with each of
// those put back to shipped (what that choice cost S). Scores of
// (settings, set) are cached: each is computed once.
#include <simdjson.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "eval_metrics.h"
#include "winnow/extract.h"
#include "winnow/site_template.h"
#include "extract/rule_switches.h"

// Heap accounting: malloc/free are interposed (glibc's __libc_* entry
// points do the work), so both operator new and the parser's arena (which
// calls malloc) are counted. The bench is single-threaded.
#if !defined(__SANITIZE_ADDRESS__)  // sanitizers own malloc
#define WINNOW_BENCH_MALLOC_HOOK 1
#endif
extern "C" {
void* __libc_malloc(size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void __libc_free(void*);
size_t malloc_usable_size(void*);
}
namespace {
size_t g_live = 0, g_peak = 0;
bool g_track = false;
inline void Account(void* p, bool add) {
  if (!g_track || !p) return;
  const size_t n = malloc_usable_size(p);
  if (add) {
    g_live += n;
    if (g_live > g_peak) g_peak = g_live;
  } else {
    g_live = n > g_live ? 0 : g_live - n;
  }
}
}  // namespace

#ifdef WINNOW_BENCH_MALLOC_HOOK
extern "C" {
void* malloc(size_t n) {
  void* p = __libc_malloc(n);
  Account(p, true);
  return p;
}
void* calloc(size_t a, size_t b) {
  void* p = __libc_calloc(a, b);
  Account(p, true);
  return p;
}
void* realloc(void* old, size_t n) {
  Account(old, false);
  void* p = __libc_realloc(old, n);
  Account(p ? p : old, true);
  return p;
}
void free(void* p) {
  Account(p, false);
  __libc_free(p);
}
}
#endif  // WINNOW_BENCH_MALLOC_HOOK

namespace {

using winnow::eval::Prf;

// CPU time of this thread: the machine is shared, so wall time would
// measure the other jobs too. "One core" figures are CPU-time figures.
double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

struct Page {
  std::string id, url, html, gold, split, page_type, domain;
  bool has_gold = false;
  std::vector<std::string> with, without;
};

bool ReadGzipLines(const std::string& path, std::vector<std::string>* lines) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return false;
  gzbuffer(f, 1 << 20);
  std::string data;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof(buf))) > 0) data.append(buf, n);
  gzclose(f);
  size_t start = 0;
  while (start < data.size()) {
    size_t nl = data.find('\n', start);
    if (nl == std::string::npos) nl = data.size();
    if (nl > start) lines->emplace_back(data, start, nl - start);
    start = nl + 1;
  }
  return true;
}

// Copies the string field `key` of `e` into *out; false when there is none.
bool StrField(simdjson::dom::element e, const char* key, std::string* out) {
  auto v = e[key];
  if (v.error() || !v.is_string()) return false;
  *out = std::string(v.get_string().value_unsafe());
  return true;
}

bool LoadSet(const std::string& path, std::vector<Page>* pages) {
  std::vector<std::string> lines;
  if (!ReadGzipLines(path, &lines)) return false;
  simdjson::dom::parser parser;
  for (const std::string& line : lines) {
    auto doc = parser.parse(line);
    if (doc.error()) continue;
    simdjson::dom::element e = doc.value_unsafe();
    Page p;
    const std::pair<const char*, std::string*> fields[] = {
        {"id", &p.id}, {"url", &p.url}, {"html", &p.html}, {"split", &p.split},
        {"page_type", &p.page_type}, {"domain", &p.domain}};
    for (auto [key, field] : fields) StrField(e, key, field);
    p.has_gold = StrField(e, "text", &p.gold);
    auto list = [&](const char* key, std::vector<std::string>* out) {
      auto v = e[key];
      if (v.error() || !v.is_array()) return;
      for (auto x : simdjson::dom::array(v.get_array().value_unsafe())) {
        if (x.is_string()) out->emplace_back(x.get_string().value_unsafe());
      }
    };
    list("with", &p.with);
    list("without", &p.without);
    pages->push_back(std::move(p));
  }
  return true;
}

// Tuning half / confirmation half of a set: the set's own split where it
// has one (cleaneval dev/final, dragnet train/test), else page parity.
// WCXB: by a hash of the domain (FNV-1a, even = tune), so that the confirm
// half holds only sites never looked at while tuning.
uint32_t DomainHash(const std::string& s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  return h;
}
bool IsTuning(const std::string& set, const Page& p, size_t index) {
  if (set == "cleaneval") return p.split == "dev";
  if (set == "dragnet") return p.split == "train";
  if (!p.domain.empty()) return DomainHash(p.domain) % 2 == 0;
  return index % 2 == 0;
}

struct Bar {
  const char* set;
  double trafilatura, resiliparse, readability_js, bar;
};
const Bar kBars[] = {
    {"scrapinghub", 0.955, 0.878, 0.949, 0.957},
    {"cleaneval", 0.876, 0.886, 0.900, 0.900},
    {"dragnet", 0.893, 0.730, 0.886, 0.895},
    {"readability", 0.935, 0.904, 0, 0.935},
    {"trafilatura", 0.925, 0.811, 0.889, 0.925},
    {"wcxb-dev", 0.819, 0.771, 0, 0.860},
};
// WCXB per page type: trafilatura 2.2's figure is the bar of each type.
struct TypeBar {
  const char* type;
  double bar;
};
const TypeBar kTypeBars[] = {
    {"article", 0.934}, {"documentation", 0.915}, {"service", 0.763}, {"forum", 0.694},
    {"product", 0.622}, {"listing", 0.579},       {"collection", 0.579},
};


// ---- same-site set ----

struct SitePage {
  std::string id, url, site, lang, html, gold, chrome;
};

bool LoadSameSite(const std::string& path, std::vector<SitePage>* pages) {
  std::vector<std::string> lines;
  if (!ReadGzipLines(path, &lines)) return false;  // gzread reads plain files too
  simdjson::dom::parser parser;
  for (const std::string& line : lines) {
    auto doc = parser.parse(line);
    if (doc.error()) continue;
    simdjson::dom::element e = doc.value_unsafe();
    SitePage p;
    const std::pair<const char*, std::string*> fields[] = {
        {"id", &p.id},     {"url", &p.url},   {"site", &p.site},     {"lang", &p.lang},
        {"html", &p.html}, {"text", &p.gold}, {"chrome", &p.chrome}};
    for (auto [key, field] : fields) StrField(e, key, field);
    pages->push_back(std::move(p));
  }
  return true;
}

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Characters of gold and chrome tokens, and of those found in the output.
struct KeptCounts {
  double gold = 0, gold_kept = 0, chrome = 0, chrome_kept = 0;
  size_t pages = 0;
  void Add(const KeptCounts& o) {
    gold += o.gold;
    gold_kept += o.gold_kept;
    chrome += o.chrome;
    chrome_kept += o.chrome_kept;
    pages += o.pages;
  }
  double GoldKept() const { return gold > 0 ? gold_kept / gold : 1; }
  double ChromeRemoved() const { return chrome > 0 ? 1 - chrome_kept / chrome : 1; }
};

// Output tokens match gold tokens first; the rest match chrome tokens.
KeptCounts ScoreKept(const std::string& gold, const std::string& chrome, const std::string& out) {
  KeptCounts k;
  k.pages = 1;
  std::map<std::string, long> g, c;
  for (auto& t : winnow::eval::WordTokens(gold, true)) {
    k.gold += CodePoints(t);
    ++g[t];
  }
  for (auto& t : winnow::eval::WordTokens(chrome, true)) {
    k.chrome += CodePoints(t);
    ++c[t];
  }
  for (auto& t : winnow::eval::WordTokens(out, true)) {
    auto it = g.find(t);
    if (it != g.end() && it->second > 0) {
      --it->second;
      k.gold_kept += CodePoints(t);
      continue;
    }
    auto jt = c.find(t);
    if (jt != c.end() && jt->second > 0) {
      --jt->second;
      k.chrome_kept += CodePoints(t);
    }
  }
  return k;
}

int RunSameSite(const std::string& path, std::FILE* per_page) {
  std::vector<SitePage> pages;
  if (!LoadSameSite(path, &pages) || pages.empty()) {
    std::printf("same-site: cannot read %s; build it with bench/extract/same_site_set.py "
                "(needs the Debian documentation packages it lists)\n", path.c_str());
    return 2;
  }
  winnow::ExtractOptions options;
  // [0]: each page alone (Extract); [1]: with the evidence of the earlier
  // pages of its host, in file order (SiteTemplates).
  std::map<std::string, KeptCounts> by_lang[2], by_site[2];
  KeptCounts all[2];
  double seconds[2] = {0, 0};
  winnow::SiteTemplates site;
  for (int mode = 0; mode < 2; ++mode) {
    for (const SitePage& p : pages) {
      const double t0 = CpuSeconds();
      auto res = mode == 0 ? winnow::Extract(p.html, p.url, options)
                           : site.Extract(p.html, p.url, options);
      std::string text = res.ok() ? winnow::RenderText(res.value()) : std::string();
      seconds[mode] += CpuSeconds() - t0;
      KeptCounts k = ScoreKept(p.gold, p.chrome, text);
      by_lang[mode][p.lang].Add(k);
      by_site[mode][p.site].Add(k);
      all[mode].Add(k);
      if (per_page) {
        std::fprintf(per_page, "%s\t%s\t%s\t%.4f\t%.4f\t%.0f\t%.0f\n", mode ? "site" : "alone",
                     p.site.c_str(), p.id.c_str(), k.GoldKept(), k.ChromeRemoved(), k.gold, k.chrome);
      }
    }
  }
  std::printf("same-site set %s: %zu pages, %zu sites, %zu languages\n", path.c_str(),
              pages.size(), by_site[0].size(), by_lang[0].size());
  std::printf("pages/s (one core): alone %.0f, with site evidence %.0f; site state %zu hosts, "
              "%zu bytes (bound %zu)\n",
              seconds[0] > 0 ? pages.size() / seconds[0] : 0.0,
              seconds[1] > 0 ? pages.size() / seconds[1] : 0.0, site.hosts(), site.MemoryBytes(),
              site.BoundBytes());
  std::printf("shares in characters of \\w tokens, pooled over pages; aim >= 0.95 both\n");
  std::printf("%-6s %6s | %-21s | %-21s\n", "", "", "      page alone", "  with site evidence");
  std::printf("%-6s %6s | %10s %10s | %10s %10s\n", "lang", "pages", "chrome_rm", "gold_kept",
              "chrome_rm", "gold_kept");
  for (const auto& [lang, k] : by_lang[0]) {
    const KeptCounts& s = by_lang[1][lang];
    std::printf("%-6s %6zu | %10.3f %10.3f | %10.3f %10.3f%s\n", lang.c_str(), k.pages,
                k.ChromeRemoved(), k.GoldKept(), s.ChromeRemoved(), s.GoldKept(),
                s.pages >= 10 && (s.ChromeRemoved() < 0.95 || s.GoldKept() < 0.95) ? "  below" : "");
  }
  std::printf("%-6s %6zu | %10.3f %10.3f | %10.3f %10.3f\n", "all", all[0].pages,
              all[0].ChromeRemoved(), all[0].GoldKept(), all[1].ChromeRemoved(), all[1].GoldKept());
  std::printf("\nper site (package:folder:lang): alone chrome_rm gold_kept | site chrome_rm gold_kept\n");
  for (const auto& [name, k] : by_site[0]) {
    const KeptCounts& s = by_site[1][name];
    std::printf("  %-66s %4zu %6.3f %6.3f | %6.3f %6.3f\n", name.c_str(), k.pages,
                k.ChromeRemoved(), k.GoldKept(), s.ChromeRemoved(), s.GoldKept());
  }
  return 0;
}


// ---- cross-set validation ----

namespace ei = winnow::extract_internal;

// One switch: the values it may take (labels for the report) and how to set
// them. Value 0 is the shipped setting.
struct Switch {
  const char* name;
  std::vector<std::string> labels;
  std::function<void(ei::RuleSwitches*, int)> set;
};

std::vector<Switch> Switches() {
  std::vector<Switch> w;
  // sections: count / chars of headed sections outside the container.
  w.push_back({"sections", {"3/1000", "off", "2/0", "2/1000", "3/2000", "4/3000"},
               [](ei::RuleSwitches* r, int v) {
                 const uint32_t n[] = {3, 100000, 2, 2, 3, 4}, c[] = {1000, 0, 0, 1000, 2000, 3000};
                 r->sections_min = n[v];
                 r->sections_min_chars = c[v];
               }});
  w.push_back({"widen", {"0.7", "0.5", "0.9"}, [](ei::RuleSwitches* r, int v) {
                 static constexpr double x[] = {0.7, 0.5, 0.9};
                 r->widen_share = x[v];
               }});
  w.push_back({"widen_marked", {"0.3", "off", "0.5"}, [](ei::RuleSwitches* r, int v) {
                 static constexpr double x[] = {0.3, 0, 0.5};
                 r->widen_marked_share = x[v];
               }});
  w.push_back({"fallback", {"0.25", "0.15", "0.4"}, [](ei::RuleSwitches* r, int v) {
                 static constexpr double x[] = {0.25, 0.15, 0.4};
                 r->fallback_share = x[v];
               }});
  w.push_back({"lead", {"on", "off"}, [](ei::RuleSwitches* r, int v) { r->lead = v == 0; }});
  w.push_back({"thread_prose", {"300", "0", "1000"}, [](ei::RuleSwitches* r, int v) {
                 static constexpr uint32_t x[] = {300, 0, 1000};
                 r->thread_outside_prose = x[v];
               }});
  w.push_back({"hidden", {"on", "off"}, [](ei::RuleSwitches* r, int v) { r->hidden_retry = v == 0; }});
  w.push_back({"link_page", {"2", "1.5", "3", "off"}, [](ei::RuleSwitches* r, int v) {
                 static constexpr double x[] = {2, 1.5, 3, 1e9};
                 r->link_page_share = x[v];
               }});
  w.push_back({"labels", {"on", "off"}, [](ei::RuleSwitches* r, int v) { r->thread_labels = v == 0; }});
  w.push_back({"quotes", {"on", "off"}, [](ei::RuleSwitches* r, int v) { r->thread_quotes = v == 0; }});
  w.push_back({"card_groups", {"1.5", "1", "3"}, [](ei::RuleSwitches* r, int v) {
                 static constexpr double x[] = {1.5, 1, 3};
                 r->card_group_ratio = x[v];
               }});
  w.push_back({"header_links", {"0.7", "0.5", "always", "never"}, [](ei::RuleSwitches* r, int v) {
                 static constexpr double x[] = {0.7, 0.5, 0, 2};
                 r->header_link_share = x[v];
               }});
  w.push_back({"main_part", {"0.5/3000", "off", "0.3/3000", "0.7/3000", "0.5/1500", "0.5/6000"},
               [](ei::RuleSwitches* r, int v) {
                 static constexpr double x[] = {0.5, 0, 0.3, 0.7, 0.5, 0.5};
                 static constexpr uint32_t p[] = {3000, 3000, 3000, 3000, 1500, 6000};
                 r->main_part_share = x[v];
                 r->main_part_max_prose = p[v];
               }});
  w.push_back({"repeat_blocks", {"100/2", "off", "50/2", "200/2", "400/2", "100/1", "100/3", "200/3"},
               [](ei::RuleSwitches* r, int v) {
                 static constexpr uint32_t c[] = {100, 0, 50, 200, 400, 100, 100, 200};
                 static constexpr uint32_t g[] = {2, 2, 2, 2, 2, 1, 3, 3};
                 r->repeat_min_chars = c[v];
                 r->repeat_min_segs = g[v];
               }});
  w.push_back({"disclosure", {"on", "off"}, [](ei::RuleSwitches* r, int v) { r->disclosure = v == 0; }});
  return w;
}

// --with name=label,...: the default run with these switches set (the
// labels the --cross-set report prints), to see which pages a choice moves.
bool ApplySwitches(const std::vector<std::string>& items) {
  const std::vector<Switch> sw = Switches();
  ei::RuleSwitches r;
  for (const std::string& item : items) {
    const size_t eq = item.find('=');
    const std::string name = item.substr(0, eq);
    const std::string label = eq == std::string::npos ? "" : item.substr(eq + 1);
    bool found = false;
    for (const Switch& s : sw) {
      if (name != s.name) continue;
      for (size_t v = 0; v < s.labels.size(); ++v) {
        if (s.labels[v] == label) {
          s.set(&r, static_cast<int>(v));
          found = true;
        }
      }
    }
    if (!found) {
      std::fprintf(stderr, "extract_bench: --with %s: no such switch=value (see --cross-set)\n",
                   item.c_str());
      return false;
    }
  }
  ei::g_rule_switches = r;
  return true;
}

// The set's score as the main table prints it: pooled segment F1 for
// trafilatura, mean token F1 per page for the others.
double ScoreSet(const std::string& set, const std::vector<Page>& pages,
                const winnow::ExtractOptions& options) {
  double sum = 0;
  size_t n = 0;
  winnow::eval::SegmentCounts seg;
  for (const Page& p : pages) {
    auto res = winnow::Extract(p.html, p.url, options);
    const std::string out = res.ok() ? winnow::RenderText(res.value()) : std::string();
    if (p.has_gold) {
      sum += winnow::eval::TokenF1(p.gold, out).f1;
      ++n;
    } else {
      seg.Add(winnow::eval::SegmentMatch(p.with, p.without, out));
    }
  }
  if (set == "trafilatura") return seg.Score().f1;
  return n ? sum / n : 0;
}

int RunCrossSet(const std::string& data_dir, const std::vector<std::string>& sets, size_t limit,
                const std::vector<std::string>& only_switches) {
  std::vector<Switch> sw = Switches();
  if (!only_switches.empty()) {
    std::erase_if(sw, [&](const Switch& s) {
      return std::find(only_switches.begin(), only_switches.end(), s.name) == only_switches.end();
    });
  }
  std::vector<std::vector<Page>> pages(sets.size());
  for (size_t i = 0; i < sets.size(); ++i) {
    const std::string path = data_dir + "/" + sets[i] + ".jsonl.gz";
    if (!LoadSet(path, &pages[i])) {
      std::printf("%-12s cannot read %s (is ../shared there?)\n", sets[i].c_str(), path.c_str());
      return 2;
    }
    if (limit && pages[i].size() > limit) pages[i].resize(limit);
  }
  if (sets.size() < 2) {
    std::printf("--cross-set needs two sets or more\n");
    return 2;
  }
  const double t0 = CpuSeconds();
  const winnow::ExtractOptions options;
  std::map<std::pair<std::vector<int>, size_t>, double> cache;
  size_t runs = 0;
  auto score = [&](const std::vector<int>& cfg, size_t set) {
    auto key = std::make_pair(cfg, set);
    auto it = cache.find(key);
    if (it != cache.end()) return it->second;
    ei::RuleSwitches r;
    for (size_t k = 0; k < sw.size(); ++k) sw[k].set(&r, cfg[k]);
    ei::g_rule_switches = r;
    const double f = ScoreSet(sets[set], pages[set], options);
    ei::g_rule_switches = ei::RuleSwitches();
    ++runs;
    return cache[key] = f;
  };
  const std::vector<int> shipped(sw.size(), 0);
  std::printf("extract_bench --cross-set: %zu switches, settings chosen greedily (shipped first, "
              "order as listed) by the mean score of the other sets\n", sw.size());
  for (const Switch& s : sw) {
    std::printf("  %-13s", s.name);
    for (size_t v = 0; v < s.labels.size(); ++v) {
      std::printf(" %s%s", s.labels[v].c_str(), v == 0 ? " (shipped)" : "");
    }
    std::printf("\n");
  }
  std::printf("%-12s %5s %7s %7s %7s %6s %6s %7s  %s\n", "held out", "pages", "dev", "cross",
              "diff", "units", "bar", "status", "settings chosen on the other sets (shipped elsewhere)");
  bool all_ok = true;
  for (size_t held = 0; held < sets.size(); ++held) {
    auto others = [&](const std::vector<int>& cfg) {
      double sum = 0;
      for (size_t j = 0; j < sets.size(); ++j) {
        if (j != held) sum += score(cfg, j);
      }
      return sum / (sets.size() - 1);
    };
    std::vector<int> cur = shipped;
    double best = others(cur);
    for (size_t k = 0; k < sw.size(); ++k) {
      const int keep = cur[k];
      for (int v = 0; v < static_cast<int>(sw[k].labels.size()); ++v) {
        if (v == keep) continue;
        std::vector<int> cfg = cur;
        cfg[k] = v;
        const double m = others(cfg);
        if (m > best + 1e-9) {
          best = m;
          cur[k] = v;
        }
      }
    }
    const double dev = score(shipped, held), cross = score(cur, held);
    double bar = 0;
    for (const Bar& b : kBars) {
      if (sets[held] == b.set) bar = b.bar;
    }
    const bool ok = bar == 0 || cross >= bar;
    all_ok = all_ok && ok;
    std::string chosen;
    for (size_t k = 0; k < sw.size(); ++k) {
      if (cur[k] != 0) chosen += std::string(chosen.empty() ? "" : ", ") + sw[k].name + "=" + sw[k].labels[cur[k]];
    }
    char units[16] = "-";  // page-F1 units; trafilatura's score is pooled
    if (sets[held] != "trafilatura") {
      std::snprintf(units, sizeof(units), "%+.1f", (cross - dev) * pages[held].size());
    }
    std::printf("%-12s %5zu %7.4f %7.4f %+7.4f %6s %6.3f %7s  %s\n", sets[held].c_str(),
                pages[held].size(), dev, cross, cross - dev, units, bar, ok ? "ok" : "BELOW",
                chosen.empty() ? "(shipped)" : chosen.c_str());
    // Which choices cost or gain: the set with one switch back at shipped.
    if (cross != dev) {
      std::string line;
      for (size_t k = 0; k < sw.size(); ++k) {
        if (cur[k] == 0) continue;
        std::vector<int> cfg = cur;
        cfg[k] = 0;
        char buf[96];
        std::snprintf(buf, sizeof(buf), "%s%s shipped %+.4f", line.empty() ? "" : ", ",
                      sw[k].name, score(cfg, held) - cross);
        line += buf;
      }
      std::printf("%-12s   one switch back to shipped: %s\n", "", line.c_str());
    }
    std::fflush(stdout);
  }
  std::printf("dev = shipped settings; cross = settings chosen without the set; units = diff x "
              "pages (page-F1 units; trafilatura: segment F1, pooled, none); status compares "
              "cross with the bar\n%zu (settings, set) runs, %.0f s CPU\n", runs, CpuSeconds() - t0);
  return all_ok ? 0 : 1;
}
}  // namespace

int main(int argc, char** argv) {
  std::string data_dir = WINNOW_SHARED_DIR "/data/extraction";
  std::vector<std::string> sets = {"scrapinghub", "cleaneval", "dragnet", "readability",
                                   "trafilatura", "wcxb-dev"};
  size_t limit = 0;
  int repeat = 1;
  std::string per_page_path, dump_dir, same_site, only_id;
  bool cross_set = false;
  std::vector<std::string> only_switches, with_switches;
  auto split = [](const std::string& s) {
    std::vector<std::string> out;
    size_t st = 0;
    while (st <= s.size()) {
      size_t c = s.find(',', st);
      if (c == std::string::npos) c = s.size();
      if (c > st) out.push_back(s.substr(st, c - st));
      st = c + 1;
    }
    return out;
  };
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--data") data_dir = next();
    else if (a == "--sets") sets = split(next());
    else if (a == "--limit") limit = std::strtoul(next().c_str(), nullptr, 10);
    else if (a == "--repeat") repeat = std::max(1, std::atoi(next().c_str()));
    else if (a == "--per-page") per_page_path = next();
    else if (a == "--dump") dump_dir = next();
    else if (a == "--same-site") same_site = next();
    else if (a == "--only") only_id = next();
    else if (a == "--cross-set") cross_set = true;
    else if (a == "--switches") only_switches = split(next());
    else if (a == "--with") with_switches = split(next());
    else {
      std::fprintf(stderr, "usage: extract_bench [--data DIR] [--sets a,b] [--limit N] "
                           "[--repeat N] [--per-page FILE] [--dump DIR] [--same-site FILE] "
                           "[--cross-set [--switches a,b]] [--with switch=value,...]\n");
      return 2;
    }
  }
  if (!with_switches.empty() && !ApplySwitches(with_switches)) return 2;
  if (cross_set) return RunCrossSet(data_dir, sets, limit, only_switches);
  std::FILE* per_page = per_page_path.empty() ? nullptr : std::fopen(per_page_path.c_str(), "w");
  if (!same_site.empty()) {
    const int rc = RunSameSite(same_site, per_page);
    if (per_page) std::fclose(per_page);
    return rc;
  }
  winnow::ExtractOptions options;  // one configuration for every set

  std::printf("extract_bench: Extract()+RenderText(), default ExtractOptions, one core "
              "(thread CPU time)\n");
  std::printf("%-12s %5s %7s %7s %7s %6s %7s | %8s %7s %10s %10s\n", "set", "pages", "score",
              "tune", "confirm", "bar", "status", "pages/s", "MB/s", "heap/page", "heap max");
  bool all_ok = true;
  for (const std::string& set : sets) {
    std::vector<Page> pages;
    const std::string path = data_dir + "/" + set + ".jsonl.gz";
    if (!LoadSet(path, &pages)) {
      std::printf("%-12s cannot read %s (is ../shared there?)\n", set.c_str(), path.c_str());
      all_ok = false;
      continue;
    }
    if (!only_id.empty()) {
      std::erase_if(pages, [&](const Page& p) { return p.id != only_id; });
    }
    if (limit && pages.size() > limit) pages.resize(limit);
    std::vector<std::string> outputs(pages.size());
    double seconds = 0;
    size_t html_bytes = 0;
    size_t heap_sum = 0, heap_max = 0;
    for (int r = 0; r < repeat; ++r) {
      for (size_t i = 0; i < pages.size(); ++i) {
        const Page& p = pages[i];
        if (r == 0) html_bytes += p.html.size();
        g_live = 0;
        g_peak = 0;
        g_track = r == 0;
        if (r == 0 && std::getenv("WINNOW_EXTRACT_DEBUG")) {
          std::fprintf(stderr, "page %s:%s\n", set.c_str(), p.id.c_str());
        }
        const double t0 = CpuSeconds();
        auto res = winnow::Extract(p.html, p.url, options);
        std::string text = res.ok() ? winnow::RenderText(res.value()) : std::string();
        const double t1 = CpuSeconds();
        g_track = false;
        if (r == 0) {
          heap_sum += g_peak;
          heap_max = std::max(heap_max, g_peak);
        }
        seconds += t1 - t0;
        outputs[i] = std::move(text);
      }
    }
    html_bytes *= repeat;
    double sum = 0, sum_tune = 0, sum_conf = 0;
    size_t n = 0, n_tune = 0, n_conf = 0;
    winnow::eval::SegmentCounts seg_all, seg_tune, seg_conf;
    struct TypeSum {
      double sum[3] = {0, 0, 0};  // all, tune, confirm
      size_t n[3] = {0, 0, 0};
    };
    std::map<std::string, TypeSum> by_type;
    std::vector<winnow::eval::ShingleCounts> shingles;
    for (size_t i = 0; i < pages.size(); ++i) {
      const Page& p = pages[i];
      const bool tune = IsTuning(set, p, i);
      double f1 = 0, prec = 0, rec = 0;
      if (p.has_gold) {
        Prf t = winnow::eval::TokenF1(p.gold, outputs[i]);
        f1 = t.f1;
        prec = t.precision;
        rec = t.recall;
        sum += f1;
        ++n;
        (tune ? sum_tune : sum_conf) += f1;
        ++(tune ? n_tune : n_conf);
        if (!p.page_type.empty()) {
          TypeSum& ts = by_type[p.page_type];
          ts.sum[0] += f1;
          ++ts.n[0];
          ts.sum[tune ? 1 : 2] += f1;
          ++ts.n[tune ? 1 : 2];
        }
        if (set == "scrapinghub") shingles.push_back(winnow::eval::ShingleMatch(p.gold, outputs[i]));
      } else {
        auto c = winnow::eval::SegmentMatch(p.with, p.without, outputs[i]);
        seg_all.Add(c);
        (tune ? seg_tune : seg_conf).Add(c);
        Prf t = c.Score();
        f1 = t.f1;
        prec = t.precision;
        rec = t.recall;
      }
      if (per_page) {
        std::fprintf(per_page, "%s\t%s\t%.4f\t%.4f\t%.4f\t%zu\t%zu\t%s\n", set.c_str(),
                     p.id.c_str(), f1, prec, rec, p.gold.size(), outputs[i].size(),
                     p.page_type.c_str());
      }
      if (!dump_dir.empty()) {
        std::string name = p.id;
        for (char& c : name) if (c == '/') c = '_';
        std::ofstream(dump_dir + "/" + set + "-" + name + ".out.txt") << outputs[i];
        if (p.has_gold) std::ofstream(dump_dir + "/" + set + "-" + name + ".gold.txt") << p.gold;
      }
    }
    double score, tune, conf;
    if (set == "trafilatura") {
      score = seg_all.Score().f1;
      tune = seg_tune.Score().f1;
      conf = seg_conf.Score().f1;
    } else {
      score = n ? sum / n : 0;
      tune = n_tune ? sum_tune / n_tune : 0;
      conf = n_conf ? sum_conf / n_conf : 0;
    }
    double bar = 0;
    for (const Bar& b : kBars) {
      if (set == b.set) bar = b.bar;
    }
    const bool ok = bar == 0 || score >= bar;
    all_ok = all_ok && ok;
    const double pages_s = seconds > 0 ? pages.size() * repeat / seconds : 0;
    const double mb_s = seconds > 0 ? html_bytes / seconds / 1e6 : 0;
    std::printf("%-12s %5zu %7.3f %7.3f %7.3f %6.3f %7s | %8.0f %7.1f %9.1fK %9.1fM\n",
                set.c_str(), pages.size(), score, tune, conf, bar, ok ? "ok" : "BELOW",
                pages_s, mb_s, pages.empty() ? 0.0 : heap_sum / 1024.0 / pages.size(),
                heap_max / 1048576.0);
    if (set == "scrapinghub") {
      Prf s = winnow::eval::ShingleScore(shingles);
      std::printf("%-12s shingle P %.3f R %.3f F1 %.3f (reference)\n", "", s.precision,
                  s.recall, s.f1);
    }
    for (const auto& [type, ts] : by_type) {
      double tbar = 0;
      for (const TypeBar& b : kTypeBars) {
        if (type == b.type) tbar = b.bar;
      }
      auto mean = [&](int k) { return ts.n[k] ? ts.sum[k] / ts.n[k] : 0.0; };
      std::printf("  %-13s%5zu %7.3f %7.3f %7.3f %6.3f %7s\n", type.c_str(), ts.n[0], mean(0),
                  mean(1), mean(2), tbar, mean(0) >= tbar ? "ok" : "below");
    }
    if (set == "trafilatura") {
      Prf s = seg_all.Score();
      std::printf("%-12s segment P %.3f R %.3f (tp %ld fn %ld fp %ld tn %ld)\n", "",
                  s.precision, s.recall, seg_all.tp, seg_all.fn, seg_all.fp, seg_all.tn);
    }
    std::fflush(stdout);
  }
  if (per_page) std::fclose(per_page);
  std::printf("score: mean token F1 per page (segment F1 pooled for trafilatura); tune = "
              "cleaneval dev / dragnet train / wcxb domains of even FNV-1a hash / even pages, "
              "confirm = the rest (wcxb: held-out domains); wcxb type bars = trafilatura 2.2\n");
  return all_ok ? 0 : 1;
}
