// dedup_bench: figures for doc/dedup.md.
//
//   dedup_bench accuracy [work_dir]   real near-duplicates (versions of Debian
//                                     changelogs, man pages in several
//                                     languages) and real pages (../shared)
//                                     with edits; brute-force true Jaccard;
//                                     pair recall at 0.8/0.9 and the true
//                                     Jaccard of each removed document with
//                                     its named keeper, for verified clusters
//                                     and FineWeb components
//   dedup_bench speed                 signature MB/s on one core
//   dedup_bench gen N SHARDS out_dir  a synthetic corpus of N documents built
//                                     from real texts (10% exact copies, 10%
//                                     near copies)
//   dedup_bench sign shard work_dir   pass 1 alone over one shard
//   dedup_bench run in_dir work_dir out_dir MEMORY_MB THREADS [k=v...]
//                                     RunDedup over in_dir/*.jsonl; wall time,
//                                     peak RSS (k=v: clusters, keep,
//                                     partitions, check)
#include <sys/resource.h>
#include <time.h>

#include <cmath>
#include <cstdlib>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "dedup/minhash_internal.h"
#include "winnow/dedup.h"
#include "winnow/reader.h"
#include "winnow/writer.h"

namespace fs = std::filesystem;
using namespace winnow;  // NOLINT: a benchmark program

namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// CPU seconds of this thread: per-core speed even on a loaded machine.
double CpuNow() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

double LoadAverage() {
  double l[1] = {0};
  return getloadavg(l, 1) == 1 ? l[0] : -1;
}

long PeakRssMb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

// Gold texts of the extraction sets and raw_text of the plaintext set.
std::vector<std::string> LoadRealTexts() {
  std::vector<std::string> texts;
  const std::string shared = WINNOW_SHARED_DIR;
  struct Src { std::string file, field; };
  std::vector<Src> srcs = {{"/data/extraction/scrapinghub.jsonl.gz", "text"},
                           {"/data/extraction/readability.jsonl.gz", "text"},
                           {"/data/extraction/cleaneval.jsonl.gz", "text"},
                           {"/data/extraction/dragnet.jsonl.gz", "text"},
                           {"/data/plaintext/turku_line_quality.jsonl.gz", "raw_text"}};
  for (const Src& s : srcs) {
    ReaderOptions ro;
    ro.format = "jsonl";
    ro.text_field = s.field;
    ro.html_field = "-no-html-";
    auto r = OpenReader(shared + s.file, ro);
    if (!r.ok()) {
      std::fprintf(stderr, "skip %s: %s\n", s.file.c_str(), r.status().ToString().c_str());
      continue;
    }
    Document d;
    ReadError e;
    Reader::Result res;
    while ((res = (*r)->Next(&d, &e)) != Reader::Result::kEnd) {
      // Readability's synthetic fixtures are variations of one lorem-ipsum
      // text: a family of mutually similar pairs that skews the low-J bins.
      if (res == Reader::Result::kDocument && d.raw.size() >= 300 &&
          d.raw.find("Lorem ipsum") == std::string::npos && d.raw.find("Lorem\n") == std::string::npos)
        texts.push_back(d.raw);
    }
  }
  return texts;
}

std::vector<std::string> SplitWords(const std::string& t) {
  std::vector<std::string> w;
  size_t i = 0;
  while (i < t.size()) {
    size_t j = t.find_first_of(" \n\t", i);
    if (j == std::string::npos) j = t.size();
    if (j > i) w.push_back(t.substr(i, j - i));
    i = j + 1;
  }
  return w;
}

const char* kBoiler[] = {"Share this article", "Posted on %s by admin", "Read more",
                         "Subscribe to our newsletter", "Copyright %s. All rights reserved.",
                         "Leave a comment", "Related posts", "Last updated %s", "Home | About | Contact"};
const char* kMonths[] = {"January", "March", "May", "July", "September", "November"};

// A realistic variant: boilerplate lines changed or added, a date changed,
// and `edits` word substitutions/insertions/deletions spread over the text.
std::string Perturb(const std::string& text, int edits, std::mt19937_64& rng,
                    const std::vector<std::string>& vocab) {
  std::vector<std::string> lines;
  size_t i = 0;
  while (i <= text.size()) {
    size_t j = text.find('\n', i);
    if (j == std::string::npos) j = text.size();
    lines.push_back(text.substr(i, j - i));
    i = j + 1;
  }
  auto boiler = [&] {
    char date[64], line[160];
    std::snprintf(date, sizeof(date), "%s %d, 20%02d", kMonths[rng() % 6], int(rng() % 28 + 1),
                  int(rng() % 25));
    std::snprintf(line, sizeof(line), kBoiler[rng() % 9], date);
    return std::string(line);
  };
  if (rng() % 2) lines.insert(lines.begin(), boiler());
  if (rng() % 2) lines.push_back(boiler());
  for (int e = 0; e < edits; ++e) {
    std::string& l = lines[rng() % lines.size()];
    std::vector<std::string> w = SplitWords(l);
    size_t pos = w.empty() ? 0 : rng() % w.size();
    int op = static_cast<int>(rng() % 3);
    if (op == 0 && !w.empty()) w[pos] = vocab[rng() % vocab.size()];
    else if (op == 1 || w.empty()) w.insert(w.begin() + pos, vocab[rng() % vocab.size()]);
    else w.erase(w.begin() + pos);
    l.clear();
    for (size_t k = 0; k < w.size(); ++k) l += (k ? " " : "") + w[k];
  }
  std::string out;
  for (size_t k = 0; k < lines.size(); ++k) out += (k ? "\n" : "") + lines[k];
  return out;
}

std::string Json(const std::string& id, const std::string& text) {
  Document d;
  d.id = id;
  d.kind = DocKind::kText;
  d.raw = text;
  JsonOptions jo;
  return DocumentToJson(d, jo) + "\n";
}

void WriteShards(const std::vector<std::string>& texts, int shards, const std::string& dir,
                 std::vector<std::string>* paths) {
  fs::create_directories(dir);
  std::vector<std::FILE*> fs_(shards);
  for (int s = 0; s < shards; ++s) {
    char name[64];
    std::snprintf(name, sizeof(name), "/in-%05d.jsonl", s);
    paths->push_back(dir + name);
    fs_[s] = std::fopen(paths->back().c_str(), "wb");
  }
  for (size_t i = 0; i < texts.size(); ++i) {
    std::string line = Json("d" + std::to_string(i), texts[i]);
    std::fwrite(line.data(), 1, line.size(), fs_[i % shards]);
  }
  for (auto* f : fs_) std::fclose(f);
}

double Theory(double s, int b, int r) { return 1 - std::pow(1 - std::pow(s, r), b); }

// The decompressed text of a .gz file ("" if it cannot be read).
std::string Gunzip(const std::string& path) {
  std::string cmd = "gzip -dc '" + path + "' 2>/dev/null";
  std::FILE* p = popen(cmd.c_str(), "r");
  if (!p) return "";
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

// Reserved for evaluation by the project rules: never read here.
bool Reserved(const std::string& path) {
  return path.find("/copyright") != std::string::npos ||
         path.find("postgresql-doc") != std::string::npos ||
         path.find("apache2-doc") != std::string::npos;
}

// Debian changelogs as several versions of one document: the changelog as
// shipped, and as it was k releases earlier (the first k entries removed),
// each cut to its first 200 lines, as a web page of a changelog would show.
void ChangelogVersions(std::vector<std::string>* docs, std::vector<std::string>* source) {
  std::vector<std::string> paths;
  std::set<std::string> seen;
  for (const auto& e : fs::directory_iterator("/usr/share/doc")) {
    const std::string path = e.path().string() + "/changelog.Debian.gz";
    std::error_code ec;
    if (Reserved(path) || !fs::exists(path, ec)) continue;
    std::string real = fs::canonical(path, ec).string();
    // A symlinked doc dir may lead into a reserved package's folder.
    if (ec || Reserved(real) || !seen.insert(real).second) continue;
    paths.push_back(path);
  }
  std::sort(paths.begin(), paths.end());
  size_t before = docs->size();
  for (const std::string& path : paths) {
    const std::string text = Gunzip(path);
    std::vector<size_t> entries;  // line starts of "package (version) ..." headers
    std::vector<std::string> lines;
    size_t i = 0;
    while (i < text.size()) {
      size_t j = text.find('\n', i);
      if (j == std::string::npos) j = text.size();
      lines.push_back(text.substr(i, j - i));
      const std::string& l = lines.back();
      if (!l.empty() && l[0] != ' ' && l.find(" (") != std::string::npos && l.find(';') != std::string::npos)
        entries.push_back(lines.size() - 1);
      i = j + 1;
    }
    if (entries.size() < 3) continue;
    for (size_t k : {0, 1, 2, 4, 8}) {
      if (k + 2 > entries.size()) break;
      std::string d;
      for (size_t l = entries[k]; l < lines.size() && l < entries[k] + 200; ++l) d += lines[l] + "\n";
      if (d.size() < 200) continue;
      docs->push_back(d);
      source->push_back("changelog");
    }
  }
  std::printf("changelog versions: %zu documents from %zu changelogs\n", docs->size() - before, paths.size());
}

// roff source to plain text (macros dropped, their arguments kept).
std::string RoffText(const std::string& roff) {
  std::string out;
  size_t i = 0;
  while (i < roff.size()) {
    size_t j = roff.find('\n', i);
    if (j == std::string::npos) j = roff.size();
    std::string l = roff.substr(i, j - i);
    i = j + 1;
    if (!l.empty() && (l[0] == '.' || l[0] == '\'')) {
      if (l.rfind(".\\\"", 0) == 0 || l.rfind("'\\\"", 0) == 0) continue;  // comment
      size_t sp = l.find(' ');
      if (sp == std::string::npos) continue;
      l = l.substr(sp + 1);
    }
    std::string t;
    for (size_t k = 0; k < l.size(); ++k) {
      if (l[k] != '\\' || k + 1 >= l.size()) {
        if (l[k] != '"') t += l[k];
        continue;
      }
      char c = l[++k];
      if (c == 'f' && k + 1 < l.size()) ++k;  // \fB
      else if (c == '(' && k + 2 < l.size()) k += 2;  // \(em
      else if (c == '-') t += '-';
      else if (c == 'e') t += '\\';
      else if (c == '*' && k + 1 < l.size()) ++k;
    }
    if (!t.empty()) out += t + "\n";
  }
  return out;
}

// Man pages that exist in several languages, every language version (the
// same page translated, or partly translated: near copies and far ones),
// plus the English pages of the same sections as unrelated documents.
void ManPages(std::vector<std::string>* docs, std::vector<std::string>* source, size_t max_names) {
  std::map<std::string, std::vector<std::string>> by_name;  // "man1/ls.1.gz" -> paths
  for (const auto& e : fs::recursive_directory_iterator("/usr/share/man")) {
    if (!e.is_regular_file()) continue;
    const std::string path = e.path().string();
    if (Reserved(path) || path.size() < 3 || path.substr(path.size() - 3) != ".gz") continue;
    const std::string rel = path.substr(std::string("/usr/share/man/").size());
    size_t man = rel.find("man");
    if (man == std::string::npos) continue;
    by_name[rel.substr(man)].push_back(path);
  }
  size_t names = 0, before = docs->size();
  for (auto& [name, paths] : by_name) {
    if (paths.size() < 2) continue;
    if (++names > max_names) break;
    std::sort(paths.begin(), paths.end());
    for (const std::string& path : paths) {
      std::string t = RoffText(Gunzip(path));
      if (t.size() < 300) continue;
      if (t.size() > 20000) t.resize(20000);
      docs->push_back(t);
      source->push_back("man");
    }
  }
  std::printf("man pages: %zu documents (%zu names in several languages)\n", docs->size() - before,
              std::min(names, max_names));
}

// Outcome of one dedup run: per removed document, the keeper its decision
// names; and the set of kept ids.
struct RunResult {
  std::unordered_map<size_t, size_t> keeper_of;  // removed doc -> named keeper
  std::unordered_map<size_t, std::string> cluster;  // doc -> dup_cluster
  std::set<size_t> kept;
};

RunResult ReadRun(const std::string& dir) {
  RunResult r;
  for (const auto& e : fs::directory_iterator(dir)) {
    auto rd = OpenReader(e.path().string(), ReaderOptions());
    if (!rd.ok()) continue;
    Document d;
    ReadError err;
    Reader::Result res;
    while ((res = (*rd)->Next(&d, &err)) != Reader::Result::kEnd) {
      if (res != Reader::Result::kDocument) continue;
      const size_t id = std::stoul(d.id.substr(1));
      if (!d.annotations.dup_cluster.empty()) r.cluster[id] = d.annotations.dup_cluster;
      if (d.decision.keep) {
        r.kept.insert(id);
        continue;
      }
      // "near duplicate of d12 (...)", "same text as d3[; cluster kept d5]"
      const std::string& det = d.decision.detail;
      size_t p = det.find(" of d");
      if (p == std::string::npos) p = det.find(" as d");
      size_t named = std::stoul(det.substr(p + 5));
      size_t k = det.find("cluster kept d");
      if (k != std::string::npos) named = std::stoul(det.substr(k + 14));
      r.keeper_of[id] = named;
    }
  }
  return r;
}

int Accuracy(const std::string& work) {
  std::vector<std::string> docs, source;
  ChangelogVersions(&docs, &source);
  ManPages(&docs, &source, 400);
  std::vector<std::string> real = LoadRealTexts();
  if (real.empty()) std::printf("no data in %s: no synthetic edits\n", WINNOW_SHARED_DIR);
  std::mt19937_64 rng(2026);
  std::vector<std::string> vocab;
  for (size_t i = 0; i < real.size(); i += 7) {
    auto w = SplitWords(real[i]);
    for (size_t k = 0; k < w.size(); k += 13) vocab.push_back(w[k]);
  }
  DedupOptions o;
  // Synthetic: every real text, plus for 70% of them a variant at a target
  // Jaccard drawn uniformly from [0.4, 1.0] (number of edits from the
  // approximation J ~ (N - n*k)/(N + n*k) for k scattered edits, n = ngram),
  // and for 20% a second variant of that variant (chains a ~ a' ~ a'').
  for (size_t i = 0; i < real.size(); ++i) {
    docs.push_back(real[i]);
    source.push_back("real");
    if (rng() % 10 >= 7) continue;
    std::string v = real[i];
    for (int step = 0; step < 2; ++step) {
      double target = 0.4 + 0.6 * static_cast<double>(rng() % 1000) / 999.0;
      size_t n = SplitWords(v).size();
      int k = static_cast<int>(n * (1 - target) / (o.ngram * (1 + target)) + 0.5);
      v = Perturb(v, k, rng, vocab);
      docs.push_back(v);
      source.push_back("edited");
      if (rng() % 10 >= 3) break;
    }
  }
  // Shuffle, so that versions and copies are not adjacent in input order.
  {
    std::vector<size_t> order(docs.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<std::string> d2, s2;
    for (size_t i : order) d2.push_back(docs[i]), s2.push_back(source[i]);
    docs.swap(d2);
    source.swap(s2);
  }
  const size_t N = docs.size();
  std::printf("corpus: %zu documents\n", N);

  // Exact n-gram sets (64-bit shingle hashes) and LSH band hashes.
  std::vector<std::vector<uint64_t>> sets(N);
  std::vector<std::vector<uint64_t>> bands(N, std::vector<uint64_t>(o.bands));
  dedup_internal::MinHasher hasher(o.bands, o.rows, o.seed);
  std::vector<uint32_t> sig(o.bands * o.rows);
  for (size_t i = 0; i < N; ++i) {
    std::vector<uint64_t> sh = ShingleHashes(NormalizeForMinHash(docs[i]), o);
    hasher.Signature(sh.data(), sh.size(), sig.data());
    hasher.BandHashes(sig.data(), o.seed, bands[i].data());
    std::sort(sh.begin(), sh.end());
    sh.erase(std::unique(sh.begin(), sh.end()), sh.end());
    sets[i] = std::move(sh);
  }
  auto jaccard = [&](size_t a, size_t b) {
    const auto &x = sets[a], &y = sets[b];
    if (x.empty() && y.empty()) return 1.0;
    size_t i = 0, j = 0, inter = 0;
    while (i < x.size() && j < y.size()) {
      if (x[i] < y[j]) ++i;
      else if (y[j] < x[i]) ++j;
      else ++inter, ++i, ++j;
    }
    return double(inter) / (x.size() + y.size() - inter);
  };
  // Brute force: every pair of documents that shares a shingle held by at
  // most kMaxPosting documents is a candidate, and its Jaccard is computed
  // exactly from the two 64-bit sets. (A pair with J >= 0.3 whose shared
  // shingles are all among the most common ones would be missed; with
  // kMaxPosting = 2000 and pages of 100+ shingles there is none in practice.)
  const size_t kMaxPosting = 2000;
  double t0 = Now();
  std::vector<std::pair<uint64_t, uint32_t>> postings;
  for (size_t i = 0; i < N; ++i)
    for (uint64_t h : sets[i]) postings.push_back({h, static_cast<uint32_t>(i)});
  std::sort(postings.begin(), postings.end());
  std::vector<uint64_t> keys;
  size_t skipped_postings = 0;
  for (size_t p = 0; p < postings.size();) {
    size_t q = p;
    while (q < postings.size() && postings[q].first == postings[p].first) ++q;
    if (q - p > kMaxPosting) {
      ++skipped_postings;
    } else {
      for (size_t x = p; x < q; ++x)
        for (size_t y = x + 1; y < q; ++y) {
          uint64_t a = postings[x].second, b = postings[y].second;
          if (a > b) std::swap(a, b);
          keys.push_back(a * N + b);
        }
    }
    p = q;
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::unordered_map<uint64_t, double> truth;  // i*N+j (i<j) -> J, for J >= 0.3
  for (uint64_t key : keys) {
    double j = jaccard(key / N, key % N);
    if (j >= 0.3) truth[key] = j;
  }
  std::printf("brute force: %zu postings (%zu shingles in > %zu documents skipped), %zu pairs sharing "
              "a shingle, %zu with J >= 0.3, %.1f s\n",
              postings.size(), skipped_postings, kMaxPosting, keys.size(), truth.size(), Now() - t0);
  std::vector<uint64_t>().swap(keys);
  {
    std::map<std::string, uint64_t> by_src;
    for (auto& [key, j] : truth)
      if (j >= 0.8) ++by_src[source[key / N] == source[key % N] ? source[key / N] : "mixed"];
    std::printf("true pairs at J >= 0.8 by source:");
    for (auto& [s, n] : by_src) std::printf(" %s %" PRIu64, s.c_str(), n);
    std::printf("\n");
  }
  auto truth_of = [&](size_t a, size_t b) {
    auto it = truth.find(std::min(a, b) * N + std::max(a, b));
    return it == truth.end() ? -1.0 : it->second;  // -1: below 0.3 (or no shared rare shingle)
  };

  // The real dedup in three settings.
  std::vector<std::string> shards;
  fs::remove_all(work);
  WriteShards(docs, 4, work + "/in", &shards);
  struct Setting {
    std::string name;
    DedupClusters clusters;
    bool check;
  };
  const Setting settings[] = {{"verified (default)", DedupClusters::kVerified, false},
                              {"components (FineWeb)", DedupClusters::kComponents, false},
                              {"components+check", DedupClusters::kComponents, true}};
  std::printf("\n%-22s %7s %7s %9s %9s %9s %9s %10s %10s %9s\n", "setting", "removed", "near",
              "rec@0.8", "rec@0.9", "clu@0.8", "keepJ>=t", "keepJ>=0.7", "keepJ<0.5", "pairs.5-.7");
  for (const Setting& set : settings) {
    DedupOptions ro = o;
    ro.clusters = set.clusters;
    ro.jaccard_check = set.check;
    const std::string tag = set.clusters == DedupClusters::kVerified ? "verified" : (set.check ? "check" : "components");
    ro.work_dir = work + "/work-" + tag;
    ro.threads = 2;
    const std::string out = work + "/out-" + tag;
    DedupStats st;
    Status s = RunDedup(shards, out + "/kept", out + "/rej", ro, &st);
    if (!s.ok()) {
      std::printf("RunDedup failed: %s\n", s.ToString().c_str());
      return 1;
    }
    RunResult r = ReadRun(out);
    // Pair recall: a true pair is resolved when the corpus no longer holds
    // both documents (at least one removed); "clu" = same dup_cluster.
    uint64_t p8 = 0, p9 = 0, r8 = 0, r9 = 0, c8 = 0, p57 = 0, r57 = 0;
    for (auto& [key, j] : truth) {
      const size_t a = key / N, b = key % N;
      const bool resolved = r.keeper_of.count(a) || r.keeper_of.count(b);
      if (j >= 0.8) {
        ++p8;
        r8 += resolved;
        auto ia = r.cluster.find(a), ib = r.cluster.find(b);
        c8 += ia != r.cluster.end() && ib != r.cluster.end() && ia->second == ib->second;
      }
      if (j >= 0.9) ++p9, r9 += resolved;
      if (j > 0.5 && j < 0.7) {
        ++p57;
        // removed for each other: one names the other as its keeper
        auto ka = r.keeper_of.find(a), kb = r.keeper_of.find(b);
        r57 += (ka != r.keeper_of.end() && ka->second == b) || (kb != r.keeper_of.end() && kb->second == a);
      }
    }
    // Removed documents: true Jaccard with the keeper their decision names.
    uint64_t removed = r.keeper_of.size(), ok_t = 0, ok_7 = 0, below_5 = 0, named_not_kept = 0;
    std::map<std::string, std::pair<uint64_t, uint64_t>> by_src;  // removed, keeper J >= t
    for (auto& [d, k] : r.keeper_of) {
      const double j = jaccard(d, k);
      ok_t += j >= ro.threshold;
      ok_7 += j >= 0.7;
      below_5 += j < 0.5;
      named_not_kept += !r.kept.count(k);
      ++by_src[source[d]].first;
      by_src[source[d]].second += j >= ro.threshold;
    }
    std::printf("%-22s %7" PRIu64 " %7" PRIu64 " %9.3f %9.3f %9.3f %9.3f %10.3f %10.3f %9.3f\n",
                set.name.c_str(), removed, st.removed_near, double(r8) / std::max<uint64_t>(1, p8),
                double(r9) / std::max<uint64_t>(1, p9), double(c8) / std::max<uint64_t>(1, p8),
                double(ok_t) / std::max<uint64_t>(1, removed), double(ok_7) / std::max<uint64_t>(1, removed),
                double(below_5) / std::max<uint64_t>(1, removed), double(r57) / std::max<uint64_t>(1, p57));
    std::printf("  %" PRIu64 " true pairs at J>=0.8, %" PRIu64 " at J>=0.9, %" PRIu64
                " in (0.5,0.7); named keeper not kept: %" PRIu64 "; removed (keeper J>=%.1f) by source:",
                p8, p9, p57, named_not_kept, ro.threshold);
    for (auto& [src, v] : by_src) std::printf(" %s %" PRIu64 " (%" PRIu64 ")", src.c_str(), v.first, v.second);
    std::printf("\n  candidate pairs %" PRIu64 ", verified %" PRIu64 ", pass CPU s: %.2f %.2f %.2f %.2f\n",
                st.candidate_pairs, st.near_pairs, st.cpu_seconds[0], st.cpu_seconds[1], st.cpu_seconds[2],
                st.cpu_seconds[3]);
    // Missed true pairs by J bin (verified mode: why recall is not 1).
    if (set.clusters == DedupClusters::kVerified) {
      uint64_t missed_cand = 0, missed = 0;
      for (auto& [key, j] : truth) {
        if (j < 0.8) continue;
        const size_t a = key / N, b = key % N;
        if (r.keeper_of.count(a) || r.keeper_of.count(b)) continue;
        ++missed;
        bool shares = false;
        for (int k = 0; k < o.bands; ++k) shares = shares || bands[a][k] == bands[b][k];
        missed_cand += shares;
      }
      std::printf("  missed pairs at J>=0.8: %" PRIu64 " (%" PRIu64 " of them share an LSH band)\n", missed,
                  missed_cand);
    }
  }
  std::printf("\nrec@0.8/0.9: true pairs (brute-force word-5-gram Jaccard) with at least one document\n"
              "removed; clu@0.8: both in one dup_cluster; keepJ>=t: removed documents whose named\n"
              "keeper has true Jaccard >= threshold (%.1f); pairs.5-.7: pairs with J in (0.5,0.7)\n"
              "where one is removed naming the other.\n", o.threshold);
  // S-curve of the LSH candidates by true Jaccard.
  std::unordered_map<uint64_t, bool> candidate;
  for (int b = 0; b < o.bands; ++b) {
    std::unordered_map<uint64_t, std::vector<size_t>> buckets;
    for (size_t i = 0; i < N; ++i) if (!sets[i].empty()) buckets[bands[i][b]].push_back(i);
    for (auto& [h, v] : buckets) {
      if (v.size() > 200) continue;
      for (size_t x = 0; x < v.size(); ++x)
        for (size_t y = x + 1; y < v.size(); ++y) candidate[std::min(v[x], v[y]) * N + std::max(v[x], v[y])] = true;
    }
  }
  std::printf("\nLSH candidate probability vs true Jaccard (bands=%d rows=%d ngram=%d)\n", o.bands, o.rows, o.ngram);
  std::printf("%-11s %7s %9s %9s\n", "J bin", "pairs", "LSH cand", "theory");
  const double edges[] = {0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0001};
  for (int k = 0; k + 1 < 10; ++k) {
    uint64_t n = 0, cand = 0;
    double th = 0;
    for (auto& [key, j] : truth) {
      if (j < edges[k] || j >= edges[k + 1]) continue;
      ++n;
      cand += candidate.count(key);
      th += Theory(j, o.bands, o.rows);
    }
    if (n) std::printf("[%.2f,%.2f) %7" PRIu64 " %9.3f %9.3f\n", edges[k], std::min(1.0, edges[k + 1]), n,
                       double(cand) / n, th / n);
  }
  (void)truth_of;
  return 0;
}

int Speed() {
  std::vector<std::string> texts = LoadRealTexts();
  if (texts.empty()) {
    std::printf("no data in %s: skipped\n", WINNOW_SHARED_DIR);
    return 0;
  }
  DedupOptions o;
  dedup_internal::MinHasher hasher(o.bands, o.rows, o.seed);
  std::vector<uint32_t> sig(o.bands * o.rows);
  std::vector<uint64_t> band(o.bands), sh;
  uint64_t bytes = 0, words = 0;
  for (const auto& t : texts) bytes += t.size();
  for (int rep = 0; rep < 2; ++rep) {  // 0: warm-up
    double t_norm = 0, t_sh = 0, t_sig = 0;
    uint64_t sink = 0;
    double t0 = CpuNow();
    for (int loop = 0; loop < 3; ++loop) {
      for (const auto& t : texts) {
        double a = CpuNow();
        std::string n = NormalizeForMinHash(t);
        double b = CpuNow();
        dedup_internal::ShingleHashesInto(n, o.ngram, false, o.seed, &sh);
        double c = CpuNow();
        hasher.Signature(sh.data(), sh.size(), sig.data());
        hasher.BandHashes(sig.data(), o.seed, band.data());
        double d = CpuNow();
        sink += band[0];
        if (rep == 1 && loop == 0) words += sh.size();
        t_norm += b - a;
        t_sh += c - b;
        t_sig += d - c;
      }
    }
    double total = CpuNow() - t0;
    if (rep == 0) continue;
    double mb = 3.0 * bytes / 1e6;
    std::printf("CPU time of the thread (load average %.1f on this machine)\n", LoadAverage());
    std::printf("texts %zu, %.1f MB x 3 loops, %.0f shingles/doc\n", texts.size(), bytes / 1e6,
                double(words) / texts.size());
    std::printf("signature (normalise+shingle+112 minhash+bands), 1 thread: %.1f MB/s  (sink %" PRIu64 ")\n",
                mb / total, sink % 10);
    std::printf("  normalise %.1f MB/s, shingle hashing %.1f MB/s, minhash+bands %.1f MB/s\n", mb / t_norm,
                mb / t_sh, mb / t_sig);
  }
  return 0;
}

// N documents: 80% new texts (random lines of the real texts, 2-8 words
// changed), 10% exact copies of an earlier document
// (case/whitespace changed), 10% near copies (5-40 edits).
int Gen(uint64_t n, int shards, const std::string& out, bool zst) {
  std::vector<std::string> real = LoadRealTexts();
  if (real.empty()) return 1;
  std::vector<std::string> vocab;
  for (size_t i = 0; i < real.size(); i += 3) {
    auto w = SplitWords(real[i]);
    for (size_t k = 0; k < w.size(); k += 5) vocab.push_back(w[k]);
  }
  std::vector<std::string> lines;  // every line of 5+ words of the real texts
  for (const std::string& t : real) {
    size_t i = 0;
    while (i < t.size()) {
      size_t j = t.find('\n', i);
      if (j == std::string::npos) j = t.size();
      std::string l = t.substr(i, j - i);
      if (SplitWords(l).size() >= 5) lines.push_back(l);
      i = j + 1;
    }
  }
  std::sort(lines.begin(), lines.end());
  lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
  std::printf("line pool: %zu distinct lines\n", lines.size());
  std::mt19937_64 rng(11);
  fs::create_directories(out);
  std::vector<std::FILE*> files(shards);
  for (int s = 0; s < shards; ++s) {
    char name[64];
    std::snprintf(name, sizeof(name), "/in-%05d.jsonl", s);
    // zst: through the zstd tool (level 3), to keep large runs within disk
    files[s] = zst ? popen(("zstd -q -3 -f -o '" + out + name + ".zst'").c_str(), "w")
                   : std::fopen((out + name).c_str(), "wb");
  }
  std::vector<std::string> recent;  // a window of recent documents to copy
  uint64_t bytes = 0;
  double t0 = Now();
  for (uint64_t i = 0; i < n; ++i) {
    std::string text;
    uint64_t kind = rng() % 10;
    if (kind == 0 && !recent.empty()) {
      text = recent[rng() % recent.size()];
      for (char& c : text) if (c == ' ' && rng() % 50 == 0) c = '\n';
    } else if (kind == 1 && !recent.empty()) {
      text = Perturb(recent[rng() % recent.size()], 5 + rng() % 36, rng, vocab);
    } else {
      // 1500-3000 characters (a typical extracted page) of lines drawn from
      // all real texts: two such documents share a line (and so shingles)
      // rarely, as unrelated pages do; boilerplate lines come from Perturb.
      const size_t target = 1500 + rng() % 1500;
      while (text.size() < target) {
        if (!text.empty()) text.push_back('\n');
        text += lines[rng() % lines.size()];
      }
      text = Perturb(text, 2 + rng() % 7, rng, vocab);
    }
    std::string line = Json("g" + std::to_string(i), text);
    bytes += line.size();
    std::fwrite(line.data(), 1, line.size(), files[(i * shards) / n]);
    if (recent.size() < 2000) recent.push_back(text); else recent[rng() % 2000] = text;
  }
  for (auto* f : files) zst ? pclose(f) : std::fclose(f);
  std::printf("generated %" PRIu64 " documents, %.1f MB JSONL, in %.1f s\n", n, bytes / 1e6, Now() - t0);
  return 0;
}

int Run(const std::string& in, const std::string& work, const std::string& out, uint64_t mem_mb, int threads,
        const std::vector<std::string>& settings) {
  std::vector<std::string> shards;
  for (const auto& e : fs::directory_iterator(in))
    if (e.path().extension() == ".jsonl" || e.path().string().ends_with(".jsonl.zst"))
      shards.push_back(e.path().string());
  std::sort(shards.begin(), shards.end());
  uint64_t in_bytes = 0;
  for (const auto& s : shards) in_bytes += fs::file_size(s);
  DedupOptions o;
  o.work_dir = work;
  o.memory_limit_bytes = mem_mb << 20;
  o.threads = threads;
  bool discard = false;  // delete each output shard once written (disk)
  for (const std::string& kv : settings) {  // clusters=components, keep=earliest, partitions=N
    const size_t eq = kv.find('=');
    const std::string k = kv.substr(0, eq), v = eq == std::string::npos ? "" : kv.substr(eq + 1);
    Status ps;
    if (k == "clusters") ps = ParseDedupClusters(v, &o.clusters);
    else if (k == "keep") ps = ParseDedupKeep(v, &o.keep);
    else if (k == "partitions") o.partitions = std::stoi(v);
    else if (k == "check") o.jaccard_check = v == "1";
    else if (k == "discard") discard = v == "1";
    else ps = Status::InvalidArgument("unknown setting " + kv);
    if (!ps.ok()) {
      std::printf("%s\n", ps.ToString().c_str());
      return 2;
    }
  }
  std::printf("clusters %s, keep %s, partitions %d\n", DedupClustersName(o.clusters), DedupKeepName(o.keep),
              o.partitions);
  DedupStats st;
  double t0 = Now();
  Status s;
  uint64_t out_bytes = 0;
  if (!discard) {
    s = RunDedup(shards, out + "/kept", out + "/rej", o, &st);
  } else {
    s = ComputeSignatures(shards, o, &st);
    if (s.ok()) s = FindCandidatePairs(shards, o, &st);
    if (s.ok()) s = ComputeClusters(shards, o, &st);
    // Pass 4 a few shards at a time (as tasks), outputs measured and deleted.
    DedupOptions a = o;
    a.task_count = std::max<int>(1, static_cast<int>((shards.size() + threads - 1) / threads));
    for (int t = 0; s.ok() && t < a.task_count; ++t) {
      a.task_index = t;
      s = ApplyDedup(shards, out + "/kept", out + "/rej", a, &st);
      for (const auto& e : fs::directory_iterator(out)) {
        if (e.path().extension() != ".jsonl") continue;
        out_bytes += fs::file_size(e.path());
        fs::remove(e.path());
      }
    }
  }
  double wall = Now() - t0;
  if (!s.ok()) {
    std::printf("failed: %s\n", s.ToString().c_str());
    return 1;
  }
  uint64_t work_bytes = 0;
  for (const auto& e : fs::directory_iterator(work)) work_bytes += fs::file_size(e.path());
  std::printf("shards %zu, input %.1f MB, threads %d, memory_limit %" PRIu64 " MB\n", shards.size(),
              in_bytes / 1e6, threads, mem_mb);
  std::printf("%s", st.ToString().c_str());
  if (discard) std::printf("output (kept + rejected, deleted as written) %.1f MB\n", out_bytes / 1e6);
  std::printf("wall %.1f s, %.0f docs/s, %.1f MB/s input, peak RSS %ld MB, work_dir %.1f MB\n", wall,
              st.documents / wall, in_bytes / 1e6 / wall, PeakRssMb(), work_bytes / 1e6);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "accuracy") return Accuracy(argc > 2 ? argv[2] : "/tmp/winnow-dedup-accuracy");
  if (mode == "speed") return Speed();
  if (mode == "sign" && argc == 4) {  // pass 1 alone over one shard (profiling)
    DedupOptions o;
    o.work_dir = argv[3];
    DedupStats st;
    Status s = ComputeSignatures({argv[2]}, o, &st);
    std::printf("%s%s", s.ok() ? "" : s.ToString().c_str(), st.ToString().c_str());
    return s.ok() ? 0 : 1;
  }
  if (mode == "gen" && (argc == 5 || argc == 6))
    return Gen(std::stoull(argv[2]), std::stoi(argv[3]), argv[4], argc == 6 && std::string(argv[5]) == "zst");
  if (mode == "run" && argc >= 7)
    return Run(argv[2], argv[3], argv[4], std::stoull(argv[5]), std::stoi(argv[6]),
               std::vector<std::string>(argv + 7, argv + argc));
  std::fprintf(stderr,
               "usage: dedup_bench accuracy [work_dir] | speed | gen N SHARDS out_dir [zst] |\n"
               "       run in_dir work_dir out_dir MEMORY_MB THREADS [clusters=components keep=K partitions=N check=1]\n");
  return 2;
}
