// Pipeline: the per-document stages of a run, and the driver that runs a
// `winnow clean` as steps of file-to-file tasks: the per-document stages
// stream documents from readers through them on N threads into writers, then
// the corpus-level steps (repeated-line removal, deduplication) run as tasks
// over the units' files.
//
// Determinism: documents are numbered in input order (files sorted, records in
// file order) and written in that order whatever the number of threads, so
// the output of a run depends only on its input and config.
// Bounded memory: at most `max_in_flight` documents are between the reader
// and the writer at any time (readers cap the size of one record).
//
// Thread-safety: Pipeline::Process may be called concurrently; RunClean uses
// its own threads and is not reentrant on the same output folder.
#ifndef WINNOW_PIPELINE_H_
#define WINNOW_PIPELINE_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "winnow/config.h"
#include "winnow/document.h"
#include "winnow/stage.h"
#include "winnow/status.h"

namespace winnow {

// Figures of one run; written as stats.json (doc/formats.md).
struct RunStats {
  uint64_t docs_in = 0;        // records read, readable or not
  uint64_t bytes_in = 0;       // bytes of input files
  uint64_t kept = 0;
  uint64_t rejected = 0;
  uint64_t unreadable = 0;
  uint64_t bytes_out = 0;      // UTF-8 bytes of kept text
  uint64_t records_skipped = 0;       // WARC records of other types
  uint64_t invalid_utf8_replaced = 0;
  std::map<std::string, std::map<std::string, uint64_t>> rejected_by;  // stage -> reason -> n
  std::map<std::string, uint64_t> blocks_dropped_by;  // drop_reason -> n blocks
  // stage -> CPU-thread seconds; also "reader" and "writer": the CPU of the
  // per-document step's reader thread and of its ordered writer (the serial
  // parts that bound its scaling with threads, doc/performance.md).
  std::map<std::string, double> stage_seconds;
  std::map<std::string, uint64_t> pii_masked;         // kind -> n
  double wall_seconds = 0;
  int threads = 1;
  // The run's key (a hash of its inputs and settings), "" when unknown
  // (stats.json of an older winnow); says which run an output folder holds.
  std::string run_key;

  void Add(const Document& doc);  // counts a processed document's outcome
  void Merge(const RunStats& other);
  bool Conserved() const { return docs_in == kept + rejected + unreadable; }
  std::string ToJson() const;
  static StatusOr<RunStats> FromJson(const std::string& json);
  // A human-readable table (what `winnow stats` prints).
  std::string ToTable() const;
  // "documents in 10 = kept 7 + rejected 2 + unreadable 1"
  std::string ConservationLine() const;
};

// The chain of per-document stages named in the config key `stages`.
class Pipeline {
 public:
  // Default stage list when the config names none.
  static std::vector<std::string> DefaultStages();
  static StatusOr<std::unique_ptr<Pipeline>> Create(const Config& config);

  // Runs every stage on `doc` until one rejects it. Adds the CPU time of the
  // calling thread spent in each stage to `stage_seconds` (may be null).
  void Process(Document& doc, std::map<std::string, double>* stage_seconds) const;
  // Stage::StartStream / Admit / Release of every stage (see stage.h): the
  // driver starts a stream (a unit of work), admits its documents in input
  // order before Process, and releases each after it.
  void StartStream() const;
  void Admit(const Document& doc) const;
  void Release(const Document& doc) const;
  const std::vector<std::unique_ptr<Stage>>& stages() const { return stages_; }

 private:
  std::vector<std::unique_ptr<Stage>> stages_;
  std::vector<std::string> names_;  // stages_[i]->name()
};

struct CleanOptions {
  std::vector<std::string> inputs;  // files, folders, "-"
  std::string output_dir;           // kept-*, rejected-*, unreadable.jsonl, stats.json
  Config config;                    // everything else (see doc/design.md)
  int threads = 0;                  // 0 = all cores
  bool strict = false;              // stop at the first unreadable record
  bool progress = false;            // progress line on stderr
  // One share of a run split over processes or machines (Slurm job arrays,
  // Kubernetes jobs) that share the output folder: this process runs the
  // tasks t of `step` with t % task_count == task_index. With no step, a
  // split run does its share of the per-document step ("docs"); a run
  // without task_count then does the rest, skipping the tasks done.
  std::string step;                 // "" = every step (see PlanClean)
  int task_index = 0;
  int task_count = 1;
  // An output folder holding another run's files (other inputs or
  // settings, or made by an older winnow) is refused; with `overwrite` that
  // run's files (and only winnow's files) are removed first. Not with a
  // share (task_count > 1 or a step): the other shares may be writing.
  bool overwrite = false;
};

// A run is a list of steps run in order; a step is `tasks` independent
// tasks (doc/design.md, "Steps and tasks"):
//   docs              one task per unit of input files: the per-document
//                     stages (and the repeated-line counts of the unit)
//   lines-merge       1 task: sums the repeated-line counts
//   lines             one task per unit: drops the repeated lines
//   dedup-signatures  one task per unit        (dedup pass 1)
//   dedup-pairs       one task per partition   (dedup pass 2)
//   dedup-clusters    1 task                   (dedup pass 3)
//   dedup             one task per unit        (dedup pass 4)
//   finish            1 task: unreadable.jsonl and stats.json
// The corpus steps are there only when enabled (repeated_lines.enabled,
// dedup.enabled). Every task writes its files under temporary names, renames
// them when complete and records that it is done (with a key of the inputs
// and settings), so a task is never redone for the same run and may run
// again after a crash, anywhere that sees the output folder.
struct RunStep {
  std::string name;
  int tasks = 1;
};
StatusOr<std::vector<RunStep>> PlanClean(const CleanOptions& options);

// One task of a run, in this process (what the Dask runner schedules).
// REQUIRES: every task of the earlier steps done. `stats` receives the
// task's figures (for "finish": the run's).
Status RunCleanTask(const CleanOptions& options, const std::string& step, int task,
                    RunStats* stats);

// The whole `winnow clean` run, or the share of it that options.step and
// task_index/task_count select. Returns OK when it completed (even with
// unreadable records, which are counted in stats); an error when it could
// not (no inputs, output folder not writable, --strict and a bad record, a
// step whose earlier steps are not done...).
Status RunClean(const CleanOptions& options, RunStats* stats);

}  // namespace winnow

#endif  // WINNOW_PIPELINE_H_
