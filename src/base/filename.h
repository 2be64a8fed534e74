// Every file name a run reads or writes, in one place (leveldb's
// db/filename.h): the output folder's final files, the work files of the
// corpus steps, the dedup passes' binary files and the markers of finished
// tasks. doc/formats.md describes the layout; nothing else in winnow builds
// a path by hand.
//
// Names carry zero-padded numbers so that they sort in corpus order:
//   OUT/kept-UUUUU.jsonl.zst              kept documents of unit UUUUU
//   OUT/rejected-UUUUU.jsonl.zst          rejected by a per-document stage
//   OUT/rejected-lines-UUUUU.jsonl.zst    rejected by repeated-line removal
//   OUT/rejected-dedup-UUUUU.jsonl.zst    removed as duplicates
//   OUT/unreadable.jsonl, OUT/stats.json
//   OUT/work/...                          the corpus steps' files (removed
//                                         at the end unless corpus.keep_work)
//
// Internal to winnow. Thread-safety: pure functions.
#ifndef WINNOW_SRC_BASE_FILENAME_H_
#define WINNOW_SRC_BASE_FILENAME_H_

#include <cstdint>
#include <string>

namespace winnow::filename {

// "-00042": the number part of every numbered name.
std::string Number(uint64_t i);
// ".jsonl", ".jsonl.gz" or ".jsonl.zst" for compression "none", "gz", "zst".
std::string JsonlExtension(const std::string& compression);
// <prefix>-NNNNN.jsonl[.gz|.zst]: a numbered shard of documents.
std::string Shard(const std::string& prefix, uint64_t index, const std::string& compression);

// ---- The output folder (final files) --------------------------------------

// `step` is "" for the per-document stages, else "lines" or "dedup".
// The prefixes are what Shard() numbers (dedup's ApplyDedup takes them).
std::string KeptPrefix(const std::string& out);
std::string RejectedPrefix(const std::string& out, const std::string& step);
std::string Kept(const std::string& out, uint64_t unit, const std::string& compression);
std::string Rejected(const std::string& out, const std::string& step, uint64_t unit,
                     const std::string& compression);
std::string Unreadable(const std::string& out);
std::string Stats(const std::string& out);

// True for a name (no folder) that a run writes into its output folder:
// the final files above, `report.html` (clean --report), `work`, and their
// temporary names (Temp). What
// `clean --overwrite` removes; any other file there is left alone.
bool IsRunFile(const std::string& name);

// ---- Work files of the steps (under OUT/work) ------------------------------

std::string WorkDir(const std::string& out);
// Which run the folder's files belong to: "winnow-run KEY" and the inputs
// and settings the key is made from; written before the first task.
std::string RunIdentity(const std::string& out);
// The kept documents that `step` ("docs", "lines") hands to the next step.
std::string StepKept(const std::string& out, const std::string& step, uint64_t unit);
// The unreadable records of one unit's per-document task.
std::string UnitUnreadable(const std::string& out, uint64_t unit);
// Repeated lines: per-unit line counts, and all of them summed.
std::string LineCounts(const std::string& out, uint64_t unit);
std::string LineCountsMerged(const std::string& out);
// The folder of the dedup passes' files (DedupOptions::work_dir).
std::string DedupWorkDir(const std::string& out);
// A task's marker, written last when the task is complete: its key and its
// figures. A task whose marker holds the current key is not redone.
std::string TaskDone(const std::string& out, const std::string& step, uint64_t task);
// A private folder for one attempt of a task: it writes there and renames
// its files into place when they are complete.
std::string TaskTempDir(const std::string& out, const std::string& step, uint64_t task);

// ---- Dedup passes (inside DedupOptions::work_dir; formats in doc/dedup.md) --

std::string DedupSignatures(const std::string& work, uint64_t shard);
std::string DedupIds(const std::string& work, uint64_t shard);
std::string DedupSets(const std::string& work, uint64_t shard);
std::string DedupKeys(const std::string& work, uint64_t shard);
std::string DedupPairs(const std::string& work, int partition, int partitions);
std::string DedupClusters(const std::string& work);
std::string DedupApplyDone(const std::string& work, uint64_t shard);
// Pass 1's unreadable records of one input shard (unreadable.jsonl lines).
std::string DedupUnreadable(const std::string& work, uint64_t shard);

// A name beside `path` for writing it before renaming it to `path`; unique
// to this process, so two attempts of one task never share it.
std::string Temp(const std::string& path);

}  // namespace winnow::filename

#endif  // WINNOW_SRC_BASE_FILENAME_H_
