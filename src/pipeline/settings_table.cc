// The settings table of a run: the run-level keys read in src/pipeline (the
// reader and writer options of runner.cc, the corpus steps of corpus_config.cc
// and corpus_steps.cc, the run's threads), then every registered stage's own
// keys. See winnow/settings.h; doc/settings.md is generated from this table.
//
// To add a setting: declare it here (run-level) or in the Register call of
// its stage (relative name), next to the code that reads it, with its
// default taken from the options struct; read it with the Config getters.
// tests/pipeline/settings_test.cc checks that every declared key is read and
// every read key is declared.
#include <limits>
#include <string>

#include "winnow/corpus.h"
#include "winnow/dedup.h"
#include "winnow/pipeline.h"
#include "winnow/reader.h"
#include "winnow/settings.h"
#include "winnow/stage.h"
#include "winnow/writer.h"

namespace winnow {
namespace {

constexpr double kIntMax = static_cast<double>(std::numeric_limits<int32_t>::max());

// Most threads a run may ask for: far above any machine's cores, far below
// what makes thread creation fail (`clean -t 100000` aborted with
// std::system_error before it was checked).
constexpr double kMaxThreads = 1024;

std::vector<Setting> RunSettings(const std::vector<std::string>& stage_names) {
  const ReaderOptions reader;
  return {
      ListSetting("stages", Pipeline::DefaultStages(),
                  "the per-document stages in order, or none (`winnow stages` lists them)",
                  stage_names),
      IntSetting("threads", 0, 0, kMaxThreads,
                 "worker threads of the per-document pass; 0 = all cores (-t)"),
      BoolSetting("strict", false, "stop at the first unreadable record instead of counting it (--strict)"),
      IntSetting("pipeline.max_in_flight", 0, 0, 1 << 20,
                 "documents between reader and writer at once (bounds memory); 0 = 64 per thread"),
      IntSetting("pipeline.read_ahead", 8, 1, 1 << 20,
                 "records the reader keeps ready per worker thread (it is woken when half are taken); "
                 "more keeps workers fed across scheduling delays, fewer touches less memory"),
      IntSetting("pipeline.ring_threads", 6, 1, kMaxThreads,
                 "worker threads one reader feeds: with more threads, several units (input files) "
                 "are read and cleaned at once, each with its own reader and writer"),

      StringSetting("input.format", reader.format, "input format; auto decides by file name and content (-f)",
                    {"auto", "warc", "wet", "jsonl", "html", "text"}),
      StringSetting("input.id_field", reader.id_field, "JSONL field holding the document id"),
      StringSetting("input.url_field", reader.url_field, "JSONL field holding the URL"),
      StringSetting("input.text_field", reader.text_field,
                    "JSONL field holding plain text (a text document)"),
      StringSetting("input.html_field", reader.html_field,
                    "JSONL field holding HTML (an HTML document; wins over text_field)"),

      StringSetting("output.compression", "zst", "compression of kept-* and rejected-* (--compression)",
                    {"zst", "gz", "none"}),
      IntSetting("output.shard_mb", 256, 0, 1 << 20,
                 "a unit of work holds consecutive input files up to this many MB and writes one "
                 "output shard; 0 = one unit per file (--shard-mb)"),
      BoolSetting("output.blocks", false, "write each kept document's blocks, not only its text"),
      IntSetting("output.dropped_lines", 0, 0, 100000,
                 "write in each kept document the first this many lines a stage dropped (\"dropped\": "
                 "line, stage, text cut to 300 bytes) for the run report; 0 = none; --report sets 20"),
  };
}

std::vector<Setting> CorpusSettings() {
  const DedupOptions d;
  const RepeatedLineFilterOptions rf;
  const RepeatedLineCounterOptions rc;
  return {
      BoolSetting("corpus.keep_work", false,
                  "keep the corpus steps' work/ folder in the output folder after the run"),

      BoolSetting("dedup.enabled", false, "remove exact and near duplicates after the per-document pass (--dedup)"),
      IntSetting("dedup.ngram", d.ngram, 1, 1000, "MinHash shingle size, in words (or code points with char_ngrams)"),
      IntSetting("dedup.bands", d.bands, 1, 255, "MinHash LSH bands (FineWeb: 14)"),
      IntSetting("dedup.rows", d.rows, 1, 1024, "MinHash LSH rows per band (FineWeb: 8)"),
      IntSetting("dedup.seed", static_cast<int64_t>(d.seed), 0, 9.0e18, "seed of the MinHash hash functions"),
      BoolSetting("dedup.char_ngrams", d.char_ngrams, "shingles of code points instead of words (--char-ngrams)"),
      BoolSetting("dedup.near", d.near, "near-duplicate detection (MinHash LSH)"),
      BoolSetting("dedup.exact", d.exact, "exact duplicates of the normalised text"),
      BoolSetting("dedup.exact_strip_punct", d.exact_strip_punct, "the exact key ignores punctuation too"),
      BoolSetting("dedup.exact_url", d.exact_url, "documents with the same URL are duplicates too (--url)"),
      BoolSetting("dedup.paragraphs", d.paragraphs,
                  "also drop paragraphs (blocks, or lines of a text) whose normalised text appeared earlier in a kept "
                  "document; exact, by external sort (--paragraphs)"),
      IntSetting("dedup.paragraph_min_chars", d.paragraph_min_chars, 1, 1 << 20,
                 "with paragraphs: shorter paragraphs (code points, normalised) are never dropped"),
      BoolSetting("dedup.jaccard_check", d.jaccard_check,
                  "components mode only: drop candidate pairs below threshold by true Jaccard (--jaccard-check); verified clusters, the default, always check"),
      DoubleSetting("dedup.threshold", d.threshold, 0, 1,
                    "Jaccard similarity of a near duplicate (verified clusters; components with jaccard_check)"),
      StringSetting("dedup.clusters", DedupClustersName(d.clusters),
                    "verified: each removed document is similar to the copy kept for it; components: "
                    "FineWeb's connected components",
                    {DedupClustersName(DedupClusters::kVerified), DedupClustersName(DedupClusters::kComponents)}),
      StringSetting("dedup.keep", DedupKeepName(d.keep), "which copy of a cluster is kept (ties: the earliest)",
                    {DedupKeepName(DedupKeep::kLongest), DedupKeepName(DedupKeep::kEarliest),
                     DedupKeepName(DedupKeep::kQuality), DedupKeepName(DedupKeep::kNewest)}),
      StringSetting("dedup.keep_signal", d.keep_signal,
                    "with keep=quality: the quality annotation compared, higher is better"),
      IntSetting("dedup.bucket_window", d.bucket_window, 0, 1 << 20,
                 "LSH bucket members each document is paired with; 0 = star pairs"),
      IntSetting("dedup.memory_limit_mb", static_cast<int64_t>(d.memory_limit_bytes >> 20), 1, 1 << 24,
                 "memory for sort buffers and clusters, MB; at most the machine's memory (--memory-limit-mb)"),
      StringSetting("dedup.work_dir", "",
                    "folder of the passes' work files; default <output>/work (must be set for library calls)"),
      IntSetting("dedup.partitions", d.partitions, 1, 1 << 16, "bucket partitions of the pairs pass (units of distributed work)"),
      IntSetting("dedup.threads", 0, 0, kMaxThreads, "threads of the dedup passes; 0 = the run's threads (clean) or all cores (dedup)"),
      IntSetting("dedup.task_index", d.task_index, 0, kIntMax, "this process's share of a pass (set by --task-index)"),
      IntSetting("dedup.task_count", d.task_count, 1, kIntMax, "processes a pass is split into (set by --task-count)"),

      BoolSetting("repeated_lines.enabled", false,
                  "remove lines repeated across documents of a host after the per-document pass (--repeated-lines)"),
      IntSetting("repeated_lines.max_host_docs", rf.max_host_docs, 0, kIntMax,
                 "drop a line found in more than this many documents of its host; 0 = off"),
      IntSetting("repeated_lines.max_shard_docs", rf.max_shard_docs, 0, kIntMax,
                 "drop a line found in more than this many documents in all; 0 = off"),
      BoolSetting("repeated_lines.reject_empty", rf.reject_empty,
                  "reject a document (all_lines_repeated) when no line survives"),
      IntSetting("repeated_lines.max_entries", static_cast<int64_t>(rc.max_entries), 1024, 1ll << 32,
                 "lines counted per table (host, shard); bounds memory at ~24 bytes each"),
      IntSetting("repeated_lines.min_chars", rc.min_chars, 0, 1 << 20,
                 "lines shorter than this many bytes (normalised) are neither counted nor dropped"),
  };
}

SettingsTable* BuildGlobal() {
  auto* t = new SettingsTable();
  const StageRegistry& registry = StageRegistry::Global();
  std::vector<std::string> stage_names = {"none"};
  for (const auto& [name, help] : registry.List()) {
    stage_names.push_back(name);
    if (registry.HasInstances(name)) stage_names.push_back(name + ".*");
  }
  t->AddAll("", RunSettings(stage_names));
  t->AddAll("", CorpusSettings());
  for (const auto& [name, help] : registry.List()) {
    t->Add(BoolSetting(name + ".enabled", true,
                       "run the " + name + " stage when it is in `stages` (false skips it)"));
    t->AddAll(name, registry.Settings(name));
    // A named instance ("filter.classifier.edu") has the stage's keys under its name.
    if (registry.HasInstances(name)) {
      t->Add(BoolSetting(name + ".*.enabled", true,
                         "run the instance " + name + ".* when it is in `stages` (false skips it)"));
      t->AddAll(name + ".*", registry.Settings(name));
    }
  }
  return t;
}

}  // namespace

const SettingsTable& SettingsTable::Global() {
  static const SettingsTable* table = BuildGlobal();
  return *table;
}

}  // namespace winnow
