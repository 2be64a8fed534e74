// Tests of the dedup passes: exact and near duplicates found, results that do
// not depend on threads/partitions/tasks/memory, restart, bad input.
#include "winnow/dedup.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../test_files.h"

namespace winnow {
namespace {

namespace fs = std::filesystem;

// A word of letters (digits would all normalise to 0).
std::string Word(uint64_t v, int letters) {
  std::string w;
  for (int i = 0; i < letters; ++i, v /= 26) w.push_back(static_cast<char>('a' + v % 26));
  return w;
}

std::string Words(std::mt19937_64& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    if (i) s += (i % 17 == 0) ? "\n" : " ";
    s += Word(rng() % 5000, 4);
  }
  return s;
}

// One paragraph: n words on one line.
std::string Para(std::mt19937_64& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += (i ? " " : "") + Word(rng() % 5000, 5);
  return s;
}

// Replaces `edits` words by shorter ones (originals are the longest), at
// evenly spread positions or, with `random`, at random positions (a chain of
// such edits drifts).
std::string Edit(const std::string& text, int edits, std::mt19937_64& rng, bool random = false) {
  std::vector<std::string> w;
  std::istringstream in(text);
  std::string t;
  while (in >> t) w.push_back(t);
  for (int e = 0; e < edits; ++e) {
    std::string word = Word(rng(), 3);
    size_t pos = random ? rng() % w.size() : (e + 1) * w.size() / (edits + 1);
    w[pos] = std::move(word);
  }
  std::string s;
  for (size_t i = 0; i < w.size(); ++i) s += (i ? " " : "") + w[i];
  return s;
}

std::string EditRandom(const std::string& text, int edits, std::mt19937_64& rng) {
  return Edit(text, edits, rng, /*random=*/true);
}

std::string Json(const std::string& id, const std::string& text, const std::string& url = "") {
  std::string esc;
  for (char c : text) {
    if (c == '\n') esc += "\\n";
    else if (c == '"') esc += "\\\"";
    else esc += c;
  }
  return "{\"id\":\"" + id + "\",\"url\":\"" + url + "\",\"text\":\"" + esc + "\"}\n";
}

std::string IdOf(const std::string& line) {
  size_t p = line.find("\"id\":\"");
  if (p == std::string::npos) return "";
  p += 6;
  return line.substr(p, line.find('"', p) - p);
}

struct Corpus {
  std::vector<std::string> shards;
  std::set<std::string> expect_removed_exact, expect_removed_near;
};

// Three shards: unique docs, exact copies (case/whitespace changed), near
// copies (2 words changed of 300, Jaccard ~0.93), one cluster whose longest
// member is not the first.
Corpus MakeCorpus(const std::string& dir) {
  fs::create_directories(dir);
  std::mt19937_64 rng(42);
  std::vector<std::string> lines[3];
  Corpus c;
  std::vector<std::string> originals;
  for (int i = 0; i < 60; ++i) {
    originals.push_back(Words(rng, 300));
    lines[i % 3].push_back(Json("u" + std::to_string(i), originals.back()));
  }
  for (int i = 0; i < 10; ++i) {  // exact copies, later shards
    std::string t = originals[i];
    std::transform(t.begin(), t.end(), t.begin(), ::toupper);
    t = "  " + t + " \n ";
    std::string id = "e" + std::to_string(i);
    lines[2].push_back(Json(id, t));
    if (i % 3 != 2) c.expect_removed_exact.insert(id);
    else c.expect_removed_exact.insert(id);  // u(i) comes first in shard 2 too
  }
  for (int i = 10; i < 20; ++i) {  // near copies
    std::string id = "n" + std::to_string(i);
    lines[(i + 1) % 3].push_back(Json(id, Edit(originals[i], 2, rng)));
    c.expect_removed_near.insert(id);
  }
  // A cluster where the longest member comes last: u20 is removed.
  lines[2].push_back(Json("long20", originals[20] + " extra words at the end of it"));
  c.expect_removed_near.insert("u20");
  for (int s = 0; s < 3; ++s) {
    std::string path = dir + "/in-" + std::to_string(s) + ".jsonl";
    std::ofstream out(path);
    for (const auto& l : lines[s]) out << l;
    c.shards.push_back(path);
  }
  return c;
}

using winnow::testing::ReadFile;

// All output files of a run, concatenated in shard order.
std::string Outputs(const std::string& prefix, size_t shards) {
  std::string all;
  for (size_t s = 0; s < shards; ++s) {
    char buf[16];
    std::snprintf(buf, sizeof(buf), "-%05zu.jsonl", s);
    all += ReadFile(prefix + buf);
  }
  return all;
}

std::set<std::string> IdsWith(const std::string& all, const std::string& needle) {
  std::set<std::string> ids;
  std::istringstream in(all);
  std::string line;
  while (std::getline(in, line))
    if (needle.empty() || line.find(needle) != std::string::npos) ids.insert(IdOf(line));
  return ids;
}

class DedupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("winnow_dedup_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    corpus_ = MakeCorpus(dir_ + "/in");
  }
  void TearDown() override { fs::remove_all(dir_); }
  DedupOptions Options(const std::string& name) {
    DedupOptions o;
    o.work_dir = dir_ + "/work-" + name;
    return o;
  }
  std::string Run(const DedupOptions& o, const std::string& name, DedupStats* st) {
    Status s = RunDedup(corpus_.shards, dir_ + "/" + name + "/kept", dir_ + "/" + name + "/rej", o, st);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return Outputs(dir_ + "/" + name + "/kept", 3) + "----\n" +
           Outputs(dir_ + "/" + name + "/rej", 3);
  }
  std::string dir_;
  Corpus corpus_;
};

TEST(DedupNormalize, CaseWhitespacePunctuation) {
  EXPECT_EQ(NormalizeForExact("  Hello,\t\tWORLD \n", false), "hello, world");
  EXPECT_EQ(NormalizeForExact("Hello, World", true), "hello world");
  EXPECT_EQ(NormalizeForMinHash("Ça VA? 2024-11-29"), "ça va 00000000");
  EXPECT_EQ(NormalizeForMinHash("ÉCOLE\u00a0Straße"), "école straße");  // simple case folding
  EXPECT_EQ(NormalizeForMinHash(""), "");
  EXPECT_EQ(NormalizeForMinHash(std::string("a\xff\xfe b")), "a b");  // invalid UTF-8 dropped
}

TEST(DedupMinHash, SignatureAgreementEstimatesJaccard) {
  std::mt19937_64 rng(7);
  DedupOptions o;
  std::string a = Words(rng, 400);
  std::string b = Edit(a, 12, rng);
  double j = ShingleJaccard(a, b, o);
  EXPECT_GT(j, 0.6);
  EXPECT_LT(j, 0.9);
  auto sa = MinHashSignature(ShingleHashes(NormalizeForMinHash(a), o), o);
  auto sb = MinHashSignature(ShingleHashes(NormalizeForMinHash(b), o), o);
  ASSERT_EQ(sa.size(), 112u);
  int same = 0;
  for (size_t i = 0; i < sa.size(); ++i) same += sa[i] == sb[i];
  EXPECT_NEAR(static_cast<double>(same) / sa.size(), j, 0.2);
  EXPECT_DOUBLE_EQ(ShingleJaccard(a, a, o), 1.0);
  // Short texts: one shingle of everything.
  EXPECT_EQ(ShingleHashes("two words", o).size(), 1u);
  EXPECT_TRUE(ShingleHashes("", o).empty());
  o.char_ngrams = true;
  EXPECT_EQ(ShingleHashes("abcdefg", o).size(), 3u);
}

TEST_F(DedupTest, FindsExactAndNearDuplicatesAndKeepsLongest) {
  DedupStats st;
  std::string out = Run(Options("a"), "a", &st);
  std::string kept = out.substr(0, out.find("----\n"));
  std::string rej = out.substr(out.find("----\n") + 5);
  EXPECT_EQ(IdsWith(rej, "exact_duplicate"), corpus_.expect_removed_exact);
  EXPECT_EQ(IdsWith(rej, "near_duplicate"), corpus_.expect_removed_near);
  EXPECT_EQ(st.documents, 81u);
  EXPECT_EQ(st.kept + st.removed_exact + st.removed_near, 81u);
  EXPECT_EQ(IdsWith(kept, "").count("long20"), 1u);
  EXPECT_EQ(IdsWith(kept, "").count("u0"), 1u);
  // The detail names the kept document; the keeper carries its cluster.
  EXPECT_NE(rej.find("same text as u0"), std::string::npos);
  EXPECT_NE(rej.find("near duplicate of long20"), std::string::npos);
  EXPECT_NE(kept.find("\"dup_cluster\":\"long20\""), std::string::npos);
  EXPECT_NE(rej.find("\"stage\":\"dedup\""), std::string::npos);
}

TEST_F(DedupTest, SameResultForAnyThreadsPartitionsTasksAndMemory) {
  // A chain of near copies beside the corpus, so that verified clusters and
  // components differ and chains are decided the same way in every setting.
  {
    std::mt19937_64 rng(11);
    std::ofstream out(dir_ + "/in/chain.jsonl");
    std::string text = Words(rng, 400);
    for (int i = 0; i < 14; ++i, text = EditRandom(text, 3, rng)) out << Json("c" + std::to_string(i), text);
    corpus_.shards.push_back(dir_ + "/in/chain.jsonl");
  }
  // Documents made of paragraphs from a small pool (dedup.paragraphs):
  // repeats across and within documents, some made only of repeats.
  {
    std::mt19937_64 rng(12);
    std::vector<std::string> pool;
    for (int i = 0; i < 25; ++i) pool.push_back(Para(rng, 12 + i % 9));
    std::ofstream out(dir_ + "/in/paragraphs.jsonl");
    for (int d = 0; d < 40; ++d) {
      std::string text;
      for (int i = 0; i < 6; ++i) text += (i ? "\n" : "") + pool[rng() % pool.size()];
      out << Json("p" + std::to_string(d), text);
    }
    corpus_.shards.push_back(dir_ + "/in/paragraphs.jsonl");
  }
  const size_t n = corpus_.shards.size();
  struct Mode {
    DedupClusters clusters;
    bool paragraphs;
  };
  for (Mode mode : {Mode{DedupClusters::kVerified, false}, Mode{DedupClusters::kComponents, false},
                    Mode{DedupClusters::kVerified, true}}) {
    const std::string m =
        std::string(DedupClustersName(mode.clusters)) + (mode.paragraphs ? "-paragraphs" : "");
    SCOPED_TRACE(m);
    auto opts = [&](const std::string& name) {
      DedupOptions o = Options(m + name);
      o.clusters = mode.clusters;
      o.paragraphs = mode.paragraphs;
      return o;
    };
    auto run = [&](const DedupOptions& o, const std::string& name, DedupStats* st) {
      Status s = RunDedup(corpus_.shards, dir_ + "/" + m + name + "/kept",
                          dir_ + "/" + m + name + "/rej", o, st);
      EXPECT_TRUE(s.ok()) << s.ToString();
      return Outputs(dir_ + "/" + m + name + "/kept", n) + "----\n" +
             Outputs(dir_ + "/" + m + name + "/rej", n);
    };
    DedupStats st;
    const std::string base = run(opts("base"), "base", &st);
    EXPECT_GT(st.removed_near, 10u);
    if (mode.paragraphs) {
      EXPECT_GT(st.paragraphs_dropped, 20u);
      EXPECT_GT(st.removed_paragraphs, 0u);
    } else {
      EXPECT_EQ(st.paragraphs_dropped, 0u);
    }
    DedupOptions o = opts("par");
    o.threads = 3;
    o.partitions = 7;
    EXPECT_EQ(run(o, "par", &st), base);

    // The same work dir with other partitions: the signatures are reused,
    // the keys files (split by partition in pass 1) are redone.
    o.partitions = 3;
    DedupStats reuse;
    EXPECT_EQ(run(o, "par", &reuse), base);
    EXPECT_EQ(reuse.passes_skipped, n);  // the n signature shards only
    // Another keeper rule in a work dir made for the default one gives what
    // a fresh work dir gives (the keys carry the keep priority).
    o.keep = DedupKeep::kEarliest;
    DedupOptions fresh = opts("earliest");
    fresh.keep = DedupKeep::kEarliest;
    const std::string earliest = run(fresh, "earliest", &st);
    EXPECT_NE(earliest, base);
    EXPECT_EQ(run(o, "par", &st), earliest);

    // Tiny memory with many partitions: the keys writer's buffers are at
    // their floor, every sorter spills.
    o = opts("tinypar");
    o.memory_limit_bytes = 8 << 10;
    o.partitions = 7;
    o.threads = 2;
    EXPECT_EQ(run(o, "tinypar", &st), base);

    // Tiny memory: every sorter spills to disk and merges in several levels.
    DedupStats tiny_stats;
    o = opts("tiny");
    o.memory_limit_bytes = 8 << 10;
    o.partitions = 1;
    EXPECT_EQ(run(o, "tiny", &tiny_stats), base);
    EXPECT_GT(tiny_stats.spilled_runs, 2u);

    // Pass 3 by label propagation over sorted files instead of union-find
    // (components; the verified pass 3 has one algorithm).
    o = opts("external");
    o.external_components = true;
    o.memory_limit_bytes = 8 << 10;
    o.threads = 2;
    EXPECT_EQ(run(o, "external", &st), base);

    // Three "machines": each pass split by task index, pass 3 by one task.
    o = opts("tasks");
    o.partitions = 5;
    o.task_count = 3;
    const std::string kept = dir_ + "/" + m + "tasks/kept", rej = dir_ + "/" + m + "tasks/rej";
    for (int t = 0; t < 3; ++t) {
      o.task_index = t;
      ASSERT_TRUE(ComputeSignatures(corpus_.shards, o, &st).ok());
    }
    DedupStats before;
    for (int t = 0; t < 3; ++t) {
      o.task_index = t;
      ASSERT_TRUE(FindCandidatePairs(corpus_.shards, o, &before).ok());
    }
    EXPECT_GT(before.candidate_pairs, 0u);
    // Pass 2 reads each partition's keys from the keys files, not the band
    // hashes of the signature files: zero those (keeping the files' times),
    // redo pass 2 and the same candidate pairs are found.
    for (const auto& e : fs::directory_iterator(o.work_dir)) {
      const std::string name = e.path().filename().string();
      if (name.rfind("pairs-", 0) == 0 || name.rfind("parrep-", 0) == 0) fs::remove(e.path());
    }
    for (size_t s = 0; s < n; ++s) {
      char name[32];
      std::snprintf(name, sizeof(name), "/sig-%05zu.bin", s);
      const std::string sig = o.work_dir + name;
      ASSERT_TRUE(fs::exists(sig)) << sig;
      const auto mtime = fs::last_write_time(sig);
      std::string bytes = ReadFile(sig);
      const size_t rec = 80 + 8 * o.bands;
      for (size_t at = 32; at + rec <= bytes.size(); at += rec) std::fill_n(&bytes[at + 80], 8 * o.bands, '\0');
      std::ofstream(sig, std::ios::binary | std::ios::trunc) << bytes;
      fs::last_write_time(sig, mtime);
    }
    DedupStats pass2;
    for (int t = 0; t < 3; ++t) {
      o.task_index = t;
      ASSERT_TRUE(FindCandidatePairs(corpus_.shards, o, &pass2).ok());
    }
    EXPECT_EQ(pass2.candidate_pairs, before.candidate_pairs);
    EXPECT_EQ(pass2.passes_skipped, 0u);
    ASSERT_TRUE(ComputeClusters(corpus_.shards, o, &st).ok());
    for (int t = 2; t >= 0; --t) {
      o.task_index = t;
      ASSERT_TRUE(ApplyDedup(corpus_.shards, kept, rej, o, &st).ok());
    }
    EXPECT_EQ(Outputs(kept, n) + "----\n" + Outputs(rej, n), base);
  }
}

// Texts of a run's input by id.
std::map<std::string, std::string> TextsById(const std::vector<std::string>& shards) {
  std::map<std::string, std::string> texts;
  for (const std::string& path : shards) {
    std::istringstream in(ReadFile(path));
    std::string line;
    while (std::getline(in, line)) {
      size_t p = line.find("\"text\":\"");
      if (p == std::string::npos) continue;
      p += 8;
      std::string t;
      for (size_t i = p; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] == '\\' && i + 1 < line.size()) {
          ++i;
          t += line[i] == 'n' ? '\n' : line[i];
        } else {
          t += line[i];
        }
      }
      texts[IdOf(line)] = t;
    }
  }
  return texts;
}

// Writes a chain a0 ~ a1 ~ ... ~ a11 of a 400-word text to `path`, each
// `edit` of the previous one (the ends far apart), and one unrelated
// document "other".
void WriteChain(const std::string& path, std::mt19937_64& rng,
                const std::function<std::string(const std::string&)>& edit) {
  std::string text = Words(rng, 400);
  std::ofstream out(path);
  for (int i = 0; i < 12; ++i) {
    out << Json("a" + std::to_string(i), text);
    text = edit(text);
  }
  out << Json("other", Words(rng, 400));
}

// The keeper a rejected line names ("near duplicate of X (", "same text as X").
std::string NamedKeeper(const std::string& line) {
  for (const std::string& lead : {std::string("near duplicate of "), std::string("same text as ")}) {
    size_t p = line.find(lead);
    if (p == std::string::npos) continue;
    p += lead.size();
    size_t e = line.find_first_of(" \";", p);
    return line.substr(p, e - p);
  }
  return "";
}

// The default (verified) clusters: along a chain of near copies whose ends
// are far apart, every removed document names a kept one with Jaccard >=
// threshold; components (FineWeb) keep one document for the whole chain.
TEST_F(DedupTest, VerifiedClustersNeverRemoveWithoutANearCopy) {
  std::mt19937_64 rng(5);
  std::string path = dir_ + "/in/chain.jsonl";
  WriteChain(path, rng, [&rng](const std::string& t) { return EditRandom(t, 3, rng); });
  const std::vector<std::string> shards = {path, corpus_.shards[0], corpus_.shards[1], corpus_.shards[2]};
  const std::map<std::string, std::string> texts = TextsById(shards);
  DedupOptions o = Options("verified");
  DedupStats st;
  const std::string out = dir_ + "/verified";
  ASSERT_TRUE(RunDedup(shards, out + "/kept", out + "/rej", o, &st).ok());
  const std::set<std::string> kept = IdsWith(Outputs(out + "/kept", 4), "");
  const std::string rej = Outputs(out + "/rej", 4);
  std::istringstream in(rej);
  std::string line;
  int removed = 0;
  while (std::getline(in, line)) {
    const std::string id = IdOf(line), keeper = NamedKeeper(line);
    ASSERT_FALSE(keeper.empty()) << line;
    EXPECT_EQ(kept.count(keeper), 1u) << id << " names " << keeper << ", not kept";
    EXPECT_GE(ShingleJaccard(texts.at(id), texts.at(keeper), o), o.threshold) << id << " for " << keeper;
    ++removed;
  }
  EXPECT_EQ(removed, static_cast<int>(st.removed_near + st.removed_exact));
  // The chain's ends are far apart: a0 (the longest) and later members stay.
  EXPECT_EQ(kept.count("a0"), 1u);
  ASSERT_LT(ShingleJaccard(texts.at("a0"), texts.at("a11"), o), 0.6);
  int chain_kept = 0;
  for (int i = 0; i < 12; ++i) chain_kept += static_cast<int>(kept.count("a" + std::to_string(i)));
  EXPECT_GE(chain_kept, 2);
  EXPECT_GE(st.removed_near, 5u);
  EXPECT_NE(rej.find("(jaccard 0.9"), std::string::npos) << rej;
}

// A chain a0 ~ a1 ~ ... ~ a11 (each a near copy of the previous one, the
// ends far apart) is one component for both algorithms of pass 3.
TEST_F(DedupTest, ChainIsOneComponentInMemoryAndExternal) {
  std::mt19937_64 rng(5);
  std::string path = dir_ + "/in/chain.jsonl";
  WriteChain(path, rng, [&rng](const std::string& t) { return Edit(t, 2, rng); });
  for (bool external : {false, true}) {
    DedupOptions o = Options(external ? "chain-ext" : "chain-mem");
    o.clusters = DedupClusters::kComponents;
    o.external_components = external;
    DedupStats st;
    const std::string out = dir_ + (external ? "/chain-ext" : "/chain-mem");
    ASSERT_TRUE(RunDedup({path}, out + "/kept", out + "/rej", o, &st).ok());
    EXPECT_EQ(st.clusters, 1u);
    EXPECT_EQ(st.docs_in_clusters, 12u);
    EXPECT_EQ(IdsWith(Outputs(out + "/kept", 1), ""), (std::set<std::string>{"a0", "other"}));
    EXPECT_NE(Outputs(out + "/kept", 1).find("\"dup_cluster_size\":12"), std::string::npos);
  }
}

TEST_F(DedupTest, PassesOutOfOrderAreRefused) {
  DedupOptions o = Options("order");
  DedupStats st;
  Status s = FindCandidatePairs(corpus_.shards, o, &st);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("pass 1"), std::string::npos);
}

// The line of `id` in a run's outputs ("" when absent).
std::string LineOf(const std::string& all, const std::string& id) {
  std::istringstream in(all);
  std::string line;
  while (std::getline(in, line))
    if (IdOf(line) == id) return line;
  return "";
}

TEST_F(DedupTest, ParagraphsDropRepeatsOfKeptDocumentsOnly) {
  std::mt19937_64 rng(5);
  std::vector<std::string> p;
  for (int i = 0; i < 8; ++i) p.push_back(Para(rng, 40));
  const std::string q = Para(rng, 15), r2 = Para(rng, 200), s1 = Para(rng, 20);
  // x (first) is a near copy of the longer y: x is removed, so y keeps the
  // paragraphs it shares with x, and z's copy of q names y, not x.
  const std::string x = p[0] + "\n" + p[1] + "\n" + p[2] + "\n" + p[3] + "\n" + q;
  const std::string y = x + "\nOne more line.";
  const std::string z = p[4] + "\nMenu\n" + q + "\n" + r2;
  const std::string w = p[4] + "\n\n  " + q + "  ";  // only repeats: removed
  const std::string v = s1 + "\nmenu\n" + s1 + "\n" + p[5];  // a repeat within
  const std::string dir = dir_ + "/para";
  fs::create_directories(dir);
  std::ofstream(dir + "/a.jsonl") << Json("x", x) << Json("u", p[6]);
  std::ofstream(dir + "/b.jsonl") << Json("y", y) << Json("z", z) << Json("w", w) << Json("v", v);
  const std::vector<std::string> shards = {dir + "/a.jsonl", dir + "/b.jsonl"};
  auto run = [&](const std::string& name, int min_chars, DedupStats* st) {
    DedupOptions o = Options(name);
    o.paragraphs = true;
    o.paragraph_min_chars = min_chars;
    Status s = RunDedup(shards, dir_ + "/" + name + "/kept", dir_ + "/" + name + "/rej", o, st);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return Outputs(dir_ + "/" + name + "/kept", 2) + "----\n" + Outputs(dir_ + "/" + name + "/rej", 2);
  };
  DedupStats st;
  const std::string all = run("p", 1, &st);
  const std::string lx = LineOf(all, "x"), ly = LineOf(all, "y"), lz = LineOf(all, "z"),
                    lw = LineOf(all, "w"), lv = LineOf(all, "v");
  EXPECT_NE(lx.find("near_duplicate"), std::string::npos) << lx;
  // y: nothing dropped (its copies in x leave the corpus).
  EXPECT_EQ(ly.find("dedup.paragraphs"), std::string::npos) << ly;
  EXPECT_NE(ly.find(q), std::string::npos);
  // z: p4 and "Menu" are first here; q was first in y (kept), not x.
  EXPECT_NE(lz.find("\"dedup.paragraphs\":\"1 of 4 paragraphs appeared earlier (first in y)\""),
            std::string::npos) << lz;
  EXPECT_NE(lz.find("\"drop_reason\":\"dedup.paragraphs\""), std::string::npos) << lz;
  EXPECT_NE(lz.find(r2), std::string::npos);
  // w: only repeats (the empty line is no paragraph): removed, naming z and y.
  EXPECT_NE(lw.find("\"reason\":\"duplicate_paragraphs\""), std::string::npos) << lw;
  EXPECT_NE(lw.find("2 of 3 paragraphs appeared earlier (first in z, y)"), std::string::npos) << lw;
  // v: its second s1 (a repeat within the document) and "menu" (first in z).
  EXPECT_NE(lv.find("2 of 4 paragraphs appeared earlier (first in z, v)"), std::string::npos) << lv;
  EXPECT_EQ(st.paragraphs_dropped, 5u);  // z 1, w 2, v 2
  EXPECT_EQ(st.removed_paragraphs, 1u);
  EXPECT_EQ(st.removed_near, 1u);
  // The kept text: every paragraph text of the input is still in it once
  // in a kept document (no text lost), and no kept document repeats one.
  std::set<std::string> kept_paras;
  std::istringstream kept_in(all.substr(0, all.find("----\n")));
  std::string line;
  size_t kept_count = 0;
  while (std::getline(kept_in, line)) {
    const std::string text_key = "\"text\":\"";
    size_t at = line.find(text_key) + text_key.size();
    std::string text = line.substr(at, line.find('"', at) - at), para;
    for (size_t pos = 0; pos <= text.size();) {
      size_t nl = text.find("\\n", pos);
      if (nl == std::string::npos) nl = text.size();
      para = text.substr(pos, nl - pos);
      pos = nl + 2;
      std::string norm = NormalizeForExact(para, false);
      if (norm.empty()) continue;
      EXPECT_TRUE(kept_paras.insert(norm).second) << "repeated in the output: " << para;
      ++kept_count;
    }
  }
  for (const std::string& t : {p[0], p[1], p[2], p[3], p[4], p[5], p[6], q, r2, s1, std::string("menu")})
    EXPECT_EQ(kept_paras.count(NormalizeForExact(t, false)), 1u) << t;
  // A minimum length: "Menu"/"menu" (4 code points) are never dropped.
  DedupStats st10;
  const std::string min10 = run("p10", 10, &st10);
  EXPECT_EQ(st10.paragraphs_dropped, 4u);
  EXPECT_NE(LineOf(min10, "v").find("1 of 4 paragraphs appeared earlier (first in v)"), std::string::npos)
      << LineOf(min10, "v");
  EXPECT_NE(LineOf(min10, "v").find("menu"), std::string::npos);
  // Off (the default): the same corpus unchanged apart from document dedup.
  DedupStats off;
  DedupOptions o = Options("off");
  ASSERT_TRUE(RunDedup(shards, dir_ + "/off/kept", dir_ + "/off/rej", o, &off).ok());
  EXPECT_EQ(off.paragraphs_dropped, 0u);
  EXPECT_EQ(Outputs(dir_ + "/off/kept", 2).find("dedup.paragraphs"), std::string::npos);
}

TEST_F(DedupTest, RestartSkipsFinishedWorkWithSameResult) {
  DedupOptions o = Options("restart");
  DedupStats first;
  const std::string base = Run(o, "restart", &first);
  EXPECT_EQ(first.passes_skipped, 0u);
  DedupStats again;
  EXPECT_EQ(Run(o, "restart", &again), base);
  // 3 signature shards + 4 partitions + clusters + 3 applied shards.
  EXPECT_EQ(again.passes_skipped, 3u + 4u + 1u + 3u);
  // A lost partition and a half-written signature file are redone.
  fs::remove(o.work_dir + "/pairs-00002-of-00004.bin");
  fs::resize_file(o.work_dir + "/sig-00001.bin", 100);
  DedupStats partial;
  EXPECT_EQ(Run(o, "restart", &partial), base);
  // Signatures 0 and 2 are reused; everything downstream of shard 1 is redone.
  EXPECT_EQ(partial.passes_skipped, 2u);
  // Other options: nothing is reused.
  o.ngram = 4;
  DedupStats other;
  Run(o, "restart", &other);
  EXPECT_EQ(other.passes_skipped, 0u);
}

TEST_F(DedupTest, JaccardCheckDropsPairsUnderThreshold) {
  DedupOptions o = Options("jc");
  o.clusters = DedupClusters::kComponents;
  o.jaccard_check = true;
  o.threshold = 0.8;
  DedupStats st;
  std::string out = Run(o, "jc", &st);
  std::string rej = out.substr(out.find("----\n") + 5);
  EXPECT_EQ(IdsWith(rej, "near_duplicate"), corpus_.expect_removed_near);
  EXPECT_EQ(st.near_pairs, st.candidate_pairs);  // all true pairs are >= 0.8
  // The near copies have Jaccard ~0.93: a 0.99 threshold rejects every pair.
  o = Options("jc99");
  o.clusters = DedupClusters::kComponents;
  o.jaccard_check = true;
  o.threshold = 0.99;
  DedupStats st99;
  out = Run(o, "jc99", &st99);
  rej = out.substr(out.find("----\n") + 5);
  EXPECT_TRUE(IdsWith(rej, "near_duplicate").empty());
  EXPECT_GT(st99.candidate_pairs, 0u);
  // Only the exact copies (Jaccard 1) pass; pair counts are summed over
  // partitions, where one pair may be found in several.
  EXPECT_LT(st99.near_pairs, st99.candidate_pairs);
  EXPECT_EQ(st99.removed_exact, 10u);
}

// dedup.keep: which of three near copies stays.
TEST_F(DedupTest, KeepChoosesLongestEarliestQualityOrNewest) {
  std::mt19937_64 rng(9);
  const std::string base = Words(rng, 300);
  std::string path = dir_ + "/in/keep.jsonl";
  {
    std::ofstream out(path);
    // k0: first; k1: longest, oldest, low score; k2: best score; k3: newest.
    auto line = [&](const std::string& id, const std::string& text, double q, const std::string& date) {
      std::string j = Json(id, text);
      j.pop_back();
      j.pop_back();
      j += ",\"source\":{\"file\":\"k\"},\"quality\":{\"f.score\":" + std::to_string(q) + "},\"fetch\":{\"date\":\"" + date + "\"}}\n";
      return j;
    };
    out << line("k0", base, 0.5, "2021-05-01T00:00:00Z")
        << line("k1", base + " and some more words at the end", 0.1, "2019-01-01T00:00:00Z")
        << line("k2", Edit(base, 1, rng), 0.9, "2020-01-01T00:00:00Z")
        << line("k3", Edit(base, 2, rng), 0.3, "2024-11-30T10:00:00Z");
  }
  const std::pair<DedupKeep, std::string> cases[] = {{DedupKeep::kLongest, "k1"},
                                                     {DedupKeep::kEarliest, "k0"},
                                                     {DedupKeep::kQuality, "k2"},
                                                     {DedupKeep::kNewest, "k3"}};
  for (const auto& [keep, want] : cases) {
    DedupOptions o = Options(std::string("keep-") + DedupKeepName(keep));
    o.keep = keep;
    o.keep_signal = "f.score";
    DedupStats st;
    const std::string out = dir_ + "/keep-" + DedupKeepName(keep);
    ASSERT_TRUE(RunDedup({path}, out + "/kept", out + "/rej", o, &st).ok());
    EXPECT_EQ(IdsWith(Outputs(out + "/kept", 1), ""), std::set<std::string>{want}) << DedupKeepName(keep);
    EXPECT_EQ(st.removed_near, 3u);
  }
  DedupOptions bad = Options("keep-bad");
  bad.keep = DedupKeep::kQuality;
  DedupStats st;
  EXPECT_FALSE(RunDedup({path}, dir_ + "/kb/kept", "", bad, &st).ok());  // no keep_signal
  DedupKeep k;
  EXPECT_TRUE(ParseDedupKeep("newest", &k).ok());
  EXPECT_EQ(k, DedupKeep::kNewest);
  EXPECT_FALSE(ParseDedupKeep("shortest", &k).ok());
  DedupClusters c;
  EXPECT_TRUE(ParseDedupClusters("components", &c).ok());
  EXPECT_EQ(c, DedupClusters::kComponents);
  EXPECT_FALSE(ParseDedupClusters("chains", &c).ok());
}

TEST_F(DedupTest, UrlDuplicatesOnRequest) {
  std::string path = dir_ + "/in/urls.jsonl";
  {
    std::ofstream out(path);
    out << Json("a", "first text here is longer", "http://x/1") << Json("b", "other words entirely", "http://x/1")
        << Json("c", "third one is different", "http://x/2");
  }
  DedupOptions o = Options("url");
  o.exact_url = true;
  DedupStats st;
  ASSERT_TRUE(RunDedup({path}, dir_ + "/url/kept", dir_ + "/url/rej", o, &st).ok());
  std::string rej = Outputs(dir_ + "/url/rej", 1);
  EXPECT_EQ(IdsWith(rej, "url_duplicate"), std::set<std::string>{"b"});
  EXPECT_NE(rej.find("same url as a"), std::string::npos);
}

TEST_F(DedupTest, BadInputIsSkippedAndCounted) {
  std::string path = dir_ + "/in/bad.jsonl";
  {
    std::ofstream out(path);
    out << "not json\n{\"id\":\"a\",\"text\":\"same words here\"}\n{\"id\":3,\"text\":\n"
        << "{\"id\":\"b\",\"text\":\"\"}\n\n{\"id\":\"c\",\"text\":\"SAME words here\"}\n"
        << "{\"id\":\"d\",\"text\":\"\"}\n{\"truncated";
  }
  DedupOptions o = Options("bad");
  DedupStats st;
  ASSERT_TRUE(RunDedup({path}, dir_ + "/bad/kept", dir_ + "/bad/rej", o, &st).ok());
  EXPECT_EQ(st.documents, 4u);
  EXPECT_EQ(st.unreadable_records, 3u);
  std::string rej = Outputs(dir_ + "/bad/rej", 1);
  EXPECT_EQ(IdsWith(rej, "exact_duplicate"), std::set<std::string>{"c"});
  // Empty texts are never duplicates of each other.
  EXPECT_EQ(IdsWith(Outputs(dir_ + "/bad/kept", 1), ""), (std::set<std::string>{"a", "b", "d"}));

  // Each unreadable record is listed with its file, record and offset.
  uint64_t listed = 0;
  ASSERT_TRUE(CollectUnreadable({path}, o, dir_ + "/bad/unreadable.jsonl", &listed).ok());
  EXPECT_EQ(listed, 3u);
  std::ifstream log(dir_ + "/bad/unreadable.jsonl");
  std::string first;
  std::getline(log, first);
  EXPECT_EQ(first.rfind("{\"file\": \"" + path + "\", \"record\": 0, \"offset\": 0, \"message\": \"line 1: not valid JSON", 0),
            0u) << first;
  // With stop_on_unreadable (winnow clean's own work files) it is an error.
  DedupOptions strict = Options("strict");
  strict.stop_on_unreadable = true;
  DedupStats st3;
  Status stopped = RunDedup({path}, dir_ + "/strict/kept", "", strict, &st3);
  EXPECT_FALSE(stopped.ok());
  EXPECT_NE(stopped.message().find(path + ":record 0 (byte 0)"), std::string::npos) << stopped.message();

  // A shard that cannot be opened is one unreadable record, with empty
  // outputs; with stop_on_unreadable, an error.
  DedupStats st2;
  EXPECT_TRUE(RunDedup({dir_ + "/missing.jsonl"}, dir_ + "/m/kept", "", Options("m"), &st2).ok());
  EXPECT_EQ(st2.unreadable_records, 1u);
  EXPECT_EQ(st2.documents, 0u);
  EXPECT_EQ(Outputs(dir_ + "/m/kept", 1), "");
  EXPECT_TRUE(std::ifstream(dir_ + "/m/kept-00000.jsonl").good());
  DedupOptions strict_m = Options("m2");
  strict_m.stop_on_unreadable = true;
  EXPECT_FALSE(RunDedup({dir_ + "/missing.jsonl"}, dir_ + "/m2/kept", "", strict_m, &st2).ok());
  // No input at all, and an empty shard: nothing to do, not an error.
  std::ofstream(dir_ + "/in/empty.jsonl").close();
  EXPECT_TRUE(RunDedup({}, dir_ + "/none/kept", "", Options("none"), &st2).ok());
  EXPECT_TRUE(RunDedup({dir_ + "/in/empty.jsonl"}, dir_ + "/e/kept", dir_ + "/e/rej", Options("e"), &st2).ok());
  EXPECT_EQ(Outputs(dir_ + "/e/kept", 1), "");
  DedupOptions bad = Options("opts");
  bad.bands = 0;
  EXPECT_FALSE(RunDedup(corpus_.shards, dir_ + "/o/kept", "", bad, &st2).ok());
}

TEST_F(DedupTest, WinnowLineFieldsSurviveDedup) {
  std::string path = dir_ + "/in/winnow.jsonl";
  {
    std::ofstream out(path);
    const std::string body =
        "\"source\":{\"file\":\"f.warc\",\"record\":3,\"offset\":9},\"kind\":\"text\","
        "\"text\":\"Un texte en fran\u00e7ais ici\",\"lang\":\"fr\",\"quality\":{\"q\":1.5}";
    out << "{\"id\":\"w1\",\"url\":\"http://a/\"," << body << "}\n"
        << "{\"id\":\"w2\",\"url\":\"http://b/\"," << body << "}\n";
  }
  DedupOptions o = Options("winnow");
  DedupStats st;
  ASSERT_TRUE(RunDedup({path}, dir_ + "/w/kept", dir_ + "/w/rej", o, &st).ok());
  std::string kept = Outputs(dir_ + "/w/kept", 1), rej = Outputs(dir_ + "/w/rej", 1);
  EXPECT_EQ(IdsWith(kept, ""), std::set<std::string>{"w1"});
  for (const std::string& out : {kept, rej}) {
    EXPECT_NE(out.find("\"lang\":\"fr\""), std::string::npos) << out;
    EXPECT_NE(out.find("\"q\":1.5"), std::string::npos) << out;
    EXPECT_NE(out.find("\"file\":\"f.warc\""), std::string::npos) << out;
  }
  EXPECT_NE(rej.find("\"reason\":\"exact_duplicate\""), std::string::npos) << rej;
  EXPECT_NE(kept.find("\"dup_cluster_size\":2"), std::string::npos) << kept;
}

}  // namespace
}  // namespace winnow
