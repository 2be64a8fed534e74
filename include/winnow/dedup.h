// Dedup: corpus-level exact and near-duplicate removal over JSONL shards.
//
// The input is an ordered list of shards (files of winnow JSONL documents).
// A document's place in the corpus is (shard index, record index); its
// global index is the number of documents before it in that order. Every
// decision is a function of the set of documents and that order only, never
// of the number of threads, processes (task_index/task_count) or partitions.
//
// The work is split into four passes over files in `work_dir`; each pass
// writes its outputs to a temporary name and renames them when complete, and
// skips work whose outputs are already present (a killed run restarts where
// it stopped). The binary formats are documented in doc/dedup.md.
//
//   1. ComputeSignatures: per input shard, the exact-content hash, URL hash,
//      text length and MinHash band hashes of every document
//      (sig-NNNNN.bin), the document ids (ids-NNNNN.bin), the sorted
//      n-gram hash set of each document (sets-NNNNN.bin; verified clusters
//      or jaccard_check), and the shard's (band, band hash) and exact-hash
//      keys split by partition (keys-NNNNN.bin).
//   2. FindCandidatePairs: per partition of bucket-hash space, the keys of
//      that partition (read from every keys file, nothing else) are sorted
//      externally and equal keys become pairs (pairs-PPPPP.bin). Near pairs
//      are verified (verified clusters, or jaccard_check): pairs below
//      `threshold` are dropped.
//   3. ComputeClusters: decides which documents are removed (clusters.bin).
//      Default (clusters = kVerified): documents are visited in keep-priority
//      order and one is removed only when it has a verified pair (Jaccard >=
//      threshold, or the same exact key) with a document already kept, which
//      its decision names; chains never merge. kComponents: connected
//      components over all pairs, one document kept per component (FineWeb).
//   With paragraphs (dedup.paragraphs): pass 1 also hashes every paragraph
//   (paras-NNNNN.bin, then a third section of the keys files), pass 2 sorts
//   each partition's paragraph keys and keeps the repeated ones
//   (parrep-PPPPP.bin), pass 3 decides, after the clusters, which
//   occurrences come after one in a kept document (paradrops.bin, by doc).
//   4. ApplyDedup: per input shard, kept documents go to
//      <output_prefix>-NNNNN.jsonl (annotated with dup_cluster and
//      dup_cluster_size) and removed ones to <rejected_prefix>-NNNNN.jsonl,
//      rejected with stage "dedup", reason "exact_duplicate",
//      "url_duplicate" or "near_duplicate", and a detail naming the kept doc.
//
// Passes 1, 2 and 4 split their work by task_index/task_count, so that
// several processes or machines sharing work_dir (a network file system)
// run them; pass 3 is one task. RunDedup runs all four in this process.
//
// Memory: passes 1 and 4 hold one document at a time per thread (pass 1
// also a write buffer per partition, within memory_limit_bytes). Pass 2
// holds at most memory_limit_bytes of sort buffers (spilling sorted runs to
// disk and merging them). Pass 3 holds 32 bytes per document that has at
// least one candidate pair when that fits memory_limit_bytes, and otherwise
// switches to label propagation over sorted files, bounded by the limit.
//
// Ownership: the functions keep nothing after they return (all state is in
// work_dir); the building blocks below return values the caller owns.
// Thread-safety: the functions are reentrant; two runs must not share a
// work_dir unless they are tasks of the same run.
#ifndef WINNOW_DEDUP_H_
#define WINNOW_DEDUP_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/status.h"

namespace winnow {

// How candidate pairs become removals (dedup.clusters).
enum class DedupClusters {
  // Default: every removed document has Jaccard >= threshold (or the same
  // exact key) with the kept document its decision names.
  kVerified,
  // FineWeb/datatrove: connected components of the candidate pairs, one
  // document kept per component (a chain A~B~C removes C for A at any
  // distance). For reproducing FineWeb; no similarity guarantee.
  kComponents,
};
// Which copy is kept (dedup.keep). Ties go to the earliest document.
enum class DedupKeep {
  kLongest,   // the longest text (bytes)
  kEarliest,  // the first in input order
  kQuality,   // the highest annotations.quality[keep_signal] (filter tag mode)
  kNewest,    // the latest fetch.date (ISO 8601, compared as written)
};

struct DedupOptions {
  // MinHash shingles: `ngram` consecutive words (or code points with
  // char_ngrams) of the normalised text (case-folded, punctuation removed,
  // digits as 0, whitespace collapsed). 5-grams, 14 bands x 8 rows: FineWeb's
  // setting, a 50% detection probability near Jaccard 0.72.
  int ngram = 5;
  int bands = 14;
  int rows = 8;
  uint64_t seed = 1;
  bool char_ngrams = false;
  bool near = true;         // MinHash near-duplicate detection
  bool exact = true;        // exact duplicates of the normalised content
  bool exact_strip_punct = false;  // exact key ignores punctuation too
  bool exact_url = false;   // documents with the same URL are duplicates too
  // Paragraph-level exact dedup (dedup.paragraphs): a paragraph (a kept
  // block; a line of a text without blocks) whose normalised text
  // (NormalizeForExact) appeared earlier in the corpus, in a document that
  // document-level dedup keeps, is dropped (block keep=false, drop_reason
  // "dedup.paragraphs"; the document's tags["dedup.paragraphs"] says how many
  // and where they appeared first). A document left with no text is removed
  // (reason "duplicate_paragraphs"). Exact, by external sort: pass 1 hashes
  // the paragraphs, pass 2 sorts them by partition, pass 3 decides after the
  // document clusters, pass 4 drops. Paragraphs shorter than
  // paragraph_min_chars code points (normalised) are never dropped.
  bool paragraphs = false;
  int paragraph_min_chars = 1;
  // Check each candidate pair by the Jaccard similarity of the two n-gram
  // hash sets and drop pairs below `threshold` (removes LSH false positives;
  // costs ~4 bytes per word of disk in work_dir and random reads).
  // In kComponents mode only (kVerified always checks).
  bool jaccard_check = false;
  double threshold = 0.8;
  DedupClusters clusters = DedupClusters::kVerified;
  DedupKeep keep = DedupKeep::kLongest;
  // kQuality: the quality annotation compared (e.g. "filter.model.score");
  // higher is better, documents without it come last.
  std::string keep_signal;
  // LSH buckets: a document is paired with the first `bucket_window`
  // members of its bucket in keep-priority order and with the
  // `bucket_window` members before it (all pairs in buckets up to
  // bucket_window + 1 documents). 0: star pairs (each member with the first).
  int bucket_window = 8;
  uint64_t memory_limit_bytes = 1ull << 30;
  std::string work_dir;     // REQUIRES: non-empty; the passes create it
  // How pass 4 writes its shards (io's output stream): "none", "gz" or "zst",
  // and whether each line has its blocks: kAsNeeded when they carry more
  // than the text (kinds, languages, dropped lines), so that a winnow line
  // goes through dedup unchanged.
  std::string output_compression = "none";
  enum class Blocks { kAsNeeded, kAlways, kNever };
  Blocks output_blocks = Blocks::kAsNeeded;
  // Kept shards only: JsonOptions::dropped_lines (output.dropped_lines, for
  // the run report) when the blocks are not written.
  int output_dropped_lines = 0;
  int partitions = 4;       // pass 2 partitions (units of distributed work)
  int threads = 1;          // threads within this process
  // This process runs the shards/partitions i with i % task_count == task_index.
  int task_index = 0;
  int task_count = 1;
  bool keep_work_dir = true;  // RunDedup: false removes work_dir's files at the end
  // Pass 3 uses an in-memory union-find when the documents with pairs fit
  // memory_limit_bytes (32 bytes each), else min-label propagation over
  // sorted files. true forces the latter (tests, benchmarks).
  bool external_components = false;
  // An input record that cannot be read (or a shard that cannot be opened,
  // counted as one record): false (`winnow dedup`): pass 1 reports it (file,
  // record, byte offset, message) on stderr and in its work files, skips it
  // and goes on (CollectUnreadable gathers them); true (`winnow clean`,
  // whose dedup input is its own work files): the pass stops with Corrupt.
  bool stop_on_unreadable = false;
};

struct DedupStats {
  uint64_t documents = 0;            // pass 1, this task's shards (done now or before)
  uint64_t input_bytes = 0;          // text bytes hashed in pass 1 (this task)
  uint64_t unreadable_records = 0;   // skipped by the reader (pass 1, this task)
  uint64_t candidate_pairs = 0;      // pass 2, before the Jaccard check (this task)
  uint64_t near_pairs = 0;           // pass 2, after it
  uint64_t exact_pairs = 0;          // pass 2 (content and URL)
  uint64_t spilled_runs = 0;         // sorted runs written to disk (pass 2)
  uint64_t clusters = 0;             // pass 3: kept documents with removed copies
  uint64_t docs_in_clusters = 0;     // pass 3
  uint64_t kept = 0;                 // pass 4 (this task)
  uint64_t removed_exact = 0;        // pass 4, content or URL duplicates
  uint64_t removed_url = 0;          // pass 4, of them URL duplicates
  uint64_t kept_text_bytes = 0;      // pass 4, UTF-8 bytes of the kept text
  uint64_t removed_near = 0;         // pass 4
  uint64_t paragraphs_dropped = 0;   // pass 4 (dedup.paragraphs), of kept documents
  uint64_t removed_paragraphs = 0;   // pass 4, documents left empty by it
  uint64_t passes_skipped = 0;       // units of work found already done
  double seconds[4] = {0, 0, 0, 0};  // wall time of each pass
  double cpu_seconds[4] = {0, 0, 0, 0};  // CPU time of the process during each pass
  std::string ToString() const;      // one line per figure
};

// Checks the options (bands, rows, ngram > 0, task_index < task_count...).
// Pure: creates nothing (each pass creates work_dir when it starts).
Status ValidateDedupOptions(const DedupOptions& options);

// Pass 1 for the shards of this task.
Status ComputeSignatures(const std::vector<std::string>& input_shards,
                         const DedupOptions& options, DedupStats* stats);
// Pass 2 for the partitions of this task. REQUIRES: pass 1 done for all shards.
Status FindCandidatePairs(const std::vector<std::string>& input_shards,
                          const DedupOptions& options, DedupStats* stats);
// Pass 3 (one task). REQUIRES: pass 2 done for all partitions. Memory: the
// sort budget plus one bit per document (kVerified).
Status ComputeClusters(const std::vector<std::string>& input_shards,
                       const DedupOptions& options, DedupStats* stats);
// Pass 4 for the shards of this task. REQUIRES: pass 3 done.
// Writes <output_prefix>-NNNNN.jsonl[.gz|.zst] and
// <rejected_prefix>-NNNNN.jsonl[.gz|.zst] (NNNNN = input shard index,
// extension from output_compression); an empty rejected_prefix drops them.
Status ApplyDedup(const std::vector<std::string>& input_shards,
                  const std::string& output_prefix,
                  const std::string& rejected_prefix,
                  const DedupOptions& options, DedupStats* stats);

// The four passes in order, in this process (task_index/task_count ignored).
Status RunDedup(const std::vector<std::string>& input_shards,
                const std::string& output_prefix,
                const std::string& rejected_prefix,
                const DedupOptions& options, DedupStats* stats);

// The unreadable records pass 1 found in every shard, in shard order, into
// `path` (the lines of `winnow clean`'s unreadable.jsonl: file, record,
// offset, message; doc/formats.md), written under a temporary name and
// renamed. *count: how many. REQUIRES: pass 1 done for every shard.
Status CollectUnreadable(const std::vector<std::string>& input_shards, const DedupOptions& options,
                         const std::string& path, uint64_t* count);

// Building blocks, public for tests and benchmarks.

// The normalised text MinHash shingles are taken from.
// Parses "dedup.clusters" / "dedup.keep" values ("verified", "components";
// "longest", "earliest", "quality", "newest").
Status ParseDedupClusters(std::string_view name, DedupClusters* out);
Status ParseDedupKeep(std::string_view name, DedupKeep* out);
const char* DedupClustersName(DedupClusters c);
const char* DedupKeepName(DedupKeep k);

std::string NormalizeForMinHash(std::string_view text);
// The normalised text the exact key is taken from (case-folded, whitespace
// collapsed, punctuation kept unless strip_punct).
std::string NormalizeForExact(std::string_view text, bool strip_punct);
// The 64-bit hashes of the shingles of a text normalised by
// NormalizeForMinHash, in text order (with repeats). A text shorter than one
// shingle gives one shingle of all of it; an empty text gives none.
std::vector<uint64_t> ShingleHashes(std::string_view normalized,
                                    const DedupOptions& options);
// The bands*rows MinHash values of a shingle hash list (all ~0 if empty).
std::vector<uint32_t> MinHashSignature(const std::vector<uint64_t>& shingles,
                                       const DedupOptions& options);
// Jaccard similarity of the shingle sets of two texts (brute force).
double ShingleJaccard(std::string_view text_a, std::string_view text_b,
                      const DedupOptions& options);

}  // namespace winnow

#endif  // WINNOW_DEDUP_H_
