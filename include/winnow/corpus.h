// Corpus-level steps as configured: the dedup and repeated-line settings
// read from a Config (keys under "dedup." and "repeated_lines."), shared by
// `winnow clean`, `winnow dedup`, the Python module and the Dask runner so
// that a setting has one name everywhere.
//
// Thread-safety: pure functions.
#ifndef WINNOW_CORPUS_H_
#define WINNOW_CORPUS_H_

#include <string>
#include <vector>

#include "winnow/config.h"
#include "winnow/dedup.h"
#include "winnow/repeated_lines.h"
#include "winnow/status.h"

namespace winnow {

// Keys (under "dedup."): ngram, bands, rows, seed, char_ngrams, near, exact,
// exact_strip_punct, exact_url, jaccard_check, threshold, memory_limit_mb,
// work_dir, partitions, threads, task_index, task_count.
StatusOr<DedupOptions> DedupOptionsFromConfig(const Config& config);

// Keys (under "repeated_lines."): max_host_docs, max_shard_docs,
// reject_empty, max_entries, min_chars.
RepeatedLineFilterOptions RepeatedLineFilterOptionsFromConfig(const Config& config);

// `winnow dedup -o OUT`: makes OUT this dedup run's folder as `winnow clean`
// does its own: refuses a folder holding another run's files (other input
// shards or dedup settings, a `winnow clean` run, or files of a run it cannot
// identify) unless `overwrite`, which removes that run's files first
// (kept-*, rejected-*, unreadable.jsonl, work/; nothing else); the same run
// finds its own identity there and resumes. The identity: the shards (path,
// size, mtime) and the dedup.* settings but threads, memory_limit_mb,
// partitions, task_index, task_count and work_dir (the output does not
// depend on them, so a rerun with other ones resumes).
Status ClaimDedupOutputFolder(const std::string& out, const std::vector<std::string>& shards,
                              const Config& config, bool overwrite);
RepeatedLineCounterOptions RepeatedLineCounterOptionsFromConfig(const Config& config);

}  // namespace winnow

#endif  // WINNOW_CORPUS_H_
