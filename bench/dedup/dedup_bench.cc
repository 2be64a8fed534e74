// dedup_bench: figures for doc/dedup.md.
//
//   dedup_bench accuracy [work_dir]   near-duplicates built from real pages
//                                     (../shared gold texts) with edits at
//                                     chosen Jaccard levels; brute-force true
//                                     Jaccard of every pair; S-curve and
//                                     precision/recall at Jaccard 0.8
//   dedup_bench speed                 signature MB/s on one core
//   dedup_bench gen N SHARDS out_dir  a synthetic corpus of N documents built
//                                     from real texts (10% exact copies, 10%
//                                     near copies)
//   dedup_bench sign shard work_dir   pass 1 alone over one shard
//   dedup_bench run in_dir work_dir out_dir MEMORY_MB THREADS
//                                     RunDedup over in_dir/*.jsonl; wall time,
//                                     peak RSS
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

// id -> dup_cluster of a run's outputs (kept and rejected).
std::unordered_map<std::string, std::string> ReadClusters(const std::string& dir) {
  std::unordered_map<std::string, std::string> m;
  for (const auto& e : fs::directory_iterator(dir)) {
    auto r = OpenReader(e.path().string(), ReaderOptions());
    if (!r.ok()) continue;
    Document d;
    ReadError err;
    Reader::Result res;
    while ((res = (*r)->Next(&d, &err)) != Reader::Result::kEnd) {
      if (res == Reader::Result::kDocument && !d.annotations.dup_cluster.empty())
        m[d.id] = d.annotations.dup_cluster;
    }
  }
  return m;
}

double Theory(double s, int b, int r) { return 1 - std::pow(1 - std::pow(s, r), b); }

int Accuracy(const std::string& work) {
  std::vector<std::string> real = LoadRealTexts();
  if (real.empty()) {
    std::printf("no data in %s: skipped\n", WINNOW_SHARED_DIR);
    return 0;
  }
  std::mt19937_64 rng(2026);
  std::vector<std::string> vocab;
  for (size_t i = 0; i < real.size(); i += 7) {
    auto w = SplitWords(real[i]);
    for (size_t k = 0; k < w.size(); k += 13) vocab.push_back(w[k]);
  }
  DedupOptions o;
  // Corpus: every real text, plus for 70% of them a variant at a target
  // Jaccard drawn uniformly from [0.4, 1.0] (number of edits from the
  // approximation J ~ (N - n*k)/(N + n*k) for k scattered edits, n = ngram).
  std::vector<std::string> docs = real;
  for (size_t i = 0; i < real.size(); ++i) {
    if (rng() % 10 >= 7) continue;
    double target = 0.4 + 0.6 * static_cast<double>(rng() % 1000) / 999.0;
    size_t n = SplitWords(real[i]).size();
    int k = static_cast<int>(n * (1 - target) / (o.ngram * (1 + target)) + 0.5);
    docs.push_back(Perturb(real[i], k, rng, vocab));
  }
  const size_t N = docs.size();
  std::printf("corpus: %zu real texts + %zu variants = %zu documents\n", real.size(), N - real.size(), N);

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
  // Brute force, exact: every (shingle, doc) posting sorted by shingle; each
  // pair of documents in a posting list shares that shingle, so counting
  // gives |A n B| for every pair with any overlap, J = |AnB|/(|A|+|B|-|AnB|).
  double t0 = Now();
  std::vector<std::pair<uint64_t, uint32_t>> postings;
  for (size_t i = 0; i < N; ++i)
    for (uint64_t h : sets[i]) postings.push_back({h, static_cast<uint32_t>(i)});
  std::sort(postings.begin(), postings.end());
  std::unordered_map<uint64_t, uint32_t> inter;
  for (size_t p = 0; p < postings.size();) {
    size_t q = p;
    while (q < postings.size() && postings[q].first == postings[p].first) ++q;
    for (size_t x = p; x < q; ++x)
      for (size_t y = x + 1; y < q; ++y) ++inter[uint64_t(postings[x].second) * N + postings[y].second];
    p = q;
  }
  std::unordered_map<uint64_t, double> truth;  // i*N+j (i<j) -> J, for J >= 0.3
  for (auto& [key, c] : inter) {
    double j = double(c) / (sets[key / N].size() + sets[key % N].size() - c);
    if (j >= 0.3) truth[key] = j;
  }
  std::printf("brute force: %zu postings, %zu pairs sharing a shingle, %zu with J >= 0.3, %.1f s\n",
              postings.size(), inter.size(), truth.size(), Now() - t0);

  // LSH candidates: pairs sharing at least one band bucket.
  std::unordered_map<uint64_t, bool> candidate;
  for (int b = 0; b < o.bands; ++b) {
    std::unordered_map<uint64_t, std::vector<size_t>> buckets;
    for (size_t i = 0; i < N; ++i) if (!sets[i].empty()) buckets[bands[i][b]].push_back(i);
    for (auto& [h, v] : buckets)
      for (size_t x = 0; x < v.size(); ++x)
        for (size_t y = x + 1; y < v.size(); ++y) candidate[std::min(v[x], v[y]) * N + std::max(v[x], v[y])] = true;
  }

  {  // A few low-Jaccard candidates, to see why they collide.
    int shown = 0;
    for (auto& [key, j] : truth) {
      if (j >= 0.5 || !candidate.count(key) || shown >= 3) continue;
      size_t a = key / N, b = key % N;
      int same_bands = 0;
      for (int k = 0; k < o.bands; ++k) same_bands += bands[a][k] == bands[b][k];
      std::printf("low-J candidate: J=%.3f |A|=%zu |B|=%zu bands equal=%d  A=%.60s | B=%.60s\n", j,
                  sets[a].size(), sets[b].size(), same_bands, docs[a].c_str(), docs[b].c_str());
      ++shown;
    }
  }
  // The real dedup, with and without the Jaccard check.
  std::vector<std::string> shards;
  fs::remove_all(work);
  WriteShards(docs, 4, work + "/in", &shards);
  std::map<std::string, std::unordered_map<std::string, std::string>> runs;
  for (bool check : {false, true}) {
    DedupOptions ro = o;
    ro.jaccard_check = check;
    ro.work_dir = work + (check ? "/work-check" : "/work");
    ro.threads = 2;
    std::string out = work + (check ? "/out-check" : "/out");
    DedupStats st;
    double t = Now();
    Status s = RunDedup(shards, out + "/kept", out + "/rej", ro, &st);
    if (!s.ok()) {
      std::printf("RunDedup failed: %s\n", s.ToString().c_str());
      return 1;
    }
    std::printf("RunDedup jaccard_check=%d: %.2f s, kept %" PRIu64 ", removed exact %" PRIu64
                ", near %" PRIu64 "\n", check, Now() - t, st.kept, st.removed_exact, st.removed_near);
    runs[check ? "dedup+check" : "dedup"] = ReadClusters(out);
  }

  // S-curve by true Jaccard.
  std::printf("\nDetection probability vs true Jaccard (bands=%d rows=%d ngram=%d)\n", o.bands, o.rows, o.ngram);
  std::printf("%-11s %7s %9s %9s %9s %12s %12s\n", "J bin", "pairs", "LSH cand", "theory", "theory@mid",
              "same clust", "clust+check");
  const double edges[] = {0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0001};
  auto same = [&](const std::unordered_map<std::string, std::string>& m, size_t a, size_t b) {
    auto ia = m.find("d" + std::to_string(a)), ib = m.find("d" + std::to_string(b));
    return ia != m.end() && ib != m.end() && ia->second == ib->second;
  };
  for (int k = 0; k + 1 < 12; ++k) {
    uint64_t n = 0, cand = 0, sc = 0, scc = 0;
    double th = 0;
    for (auto& [key, j] : truth) {
      if (j < edges[k] || j >= edges[k + 1]) continue;
      ++n;
      size_t a = key / N, b = key % N;
      cand += candidate.count(key);
      th += Theory(j, o.bands, o.rows);
      sc += same(runs["dedup"], a, b);
      scc += same(runs["dedup+check"], a, b);
    }
    if (n == 0) continue;
    double mid = (edges[k] + std::min(1.0, edges[k + 1])) / 2;
    std::printf("[%.2f,%.2f) %7" PRIu64 " %9.3f %9.3f %9.3f %12.3f %12.3f\n", edges[k],
                std::min(1.0, edges[k + 1]), n, double(cand) / n, th / n, Theory(mid, o.bands, o.rows),
                double(sc) / n, double(scc) / n);
  }
  // Precision and recall at 0.8: a pair is a true duplicate when J >= 0.8.
  uint64_t positives = 0;
  for (auto& [key, j] : truth) positives += j >= 0.8;
  uint64_t cand_tp = 0;
  for (auto& [key, v] : candidate) {
    auto it = truth.find(key);
    cand_tp += it != truth.end() && it->second >= 0.8;
  }
  std::printf("\nAt Jaccard 0.8: %" PRIu64 " true pairs\n", positives);
  std::printf("LSH candidate pairs: %zu, precision %.3f, recall %.3f\n", candidate.size(),
              double(cand_tp) / std::max<size_t>(1, candidate.size()), double(cand_tp) / std::max<uint64_t>(1, positives));
  for (const auto& [name, m] : runs) {
    std::map<std::string, std::vector<size_t>> clusters;
    for (const auto& [id, c] : m) clusters[c].push_back(std::stoul(id.substr(1)));
    uint64_t pred = 0, tp = 0, tp_all = 0;
    for (auto& [c, v] : clusters) {
      for (size_t x = 0; x < v.size(); ++x)
        for (size_t y = x + 1; y < v.size(); ++y) {
          ++pred;
          auto it = truth.find(std::min(v[x], v[y]) * N + std::max(v[x], v[y]));
          tp += it != truth.end() && it->second >= 0.8;
        }
    }
    for (auto& [key, j] : truth) tp_all += j >= 0.8 && same(m, key / N, key % N);
    std::printf("%-12s same-cluster pairs: %" PRIu64 ", precision %.3f, recall %.3f\n", name.c_str(),
                pred, double(tp) / std::max<uint64_t>(1, pred), double(tp_all) / std::max<uint64_t>(1, positives));
  }
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
int Gen(uint64_t n, int shards, const std::string& out) {
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
    files[s] = std::fopen((out + name).c_str(), "wb");
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
  for (auto* f : files) std::fclose(f);
  std::printf("generated %" PRIu64 " documents, %.1f MB JSONL, in %.1f s\n", n, bytes / 1e6, Now() - t0);
  return 0;
}

int Run(const std::string& in, const std::string& work, const std::string& out, uint64_t mem_mb, int threads) {
  std::vector<std::string> shards;
  for (const auto& e : fs::directory_iterator(in))
    if (e.path().extension() == ".jsonl") shards.push_back(e.path().string());
  std::sort(shards.begin(), shards.end());
  uint64_t in_bytes = 0;
  for (const auto& s : shards) in_bytes += fs::file_size(s);
  DedupOptions o;
  o.work_dir = work;
  o.memory_limit_bytes = mem_mb << 20;
  o.threads = threads;
  DedupStats st;
  double t0 = Now();
  Status s = RunDedup(shards, out + "/kept", out + "/rej", o, &st);
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
  if (mode == "gen" && argc == 5) return Gen(std::stoull(argv[2]), std::stoi(argv[3]), argv[4]);
  if (mode == "run" && argc == 7)
    return Run(argv[2], argv[3], argv[4], std::stoull(argv[5]), std::stoi(argv[6]));
  std::fprintf(stderr,
               "usage: dedup_bench accuracy [work_dir] | speed | gen N SHARDS out_dir |\n"
               "       run in_dir work_dir out_dir MEMORY_MB THREADS\n");
  return 2;
}
