// The tasks of a `winnow clean` run (doc/design.md, "Steps and tasks").
//
// A run is a list of steps; a step is a list of tasks. Every task reads the
// files the earlier steps wrote and writes its own files (names in
// base/filename.h): it writes them under temporary names, renames them into
// place, then writes its marker (its key and its figures) last. A task whose
// marker holds the run's key is done and is not redone, so a task may be run
// twice, anywhere, in any order within its step: that is what lets RunClean,
// `clean --step/--task-index/--task-count` and the Dask runner drive the same
// tasks. Internal to the pipeline.
#ifndef WINNOW_SRC_PIPELINE_TASKS_H_
#define WINNOW_SRC_PIPELINE_TASKS_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "winnow/pipeline.h"
#include "winnow/repeated_lines.h"
#include "winnow/writer.h"

namespace winnow::tasks {

// CPU seconds the calling thread has used (CLOCK_THREAD_CPUTIME_ID): what
// stage_seconds adds up, so a figure is the same on an idle or a shared machine.
double ThreadCpuSeconds();

// When the environment variable WINNOW_TRACE_PHASES is set, prints one line
// to stderr: "winnow-phase NAME real R process_cpu P thread_cpu T thread ID
// run_queue Q" (seconds: the real-time clock, the process's and the
// thread's CPU clocks, the thread's time waiting for a core so far). The points of a run (run-clean, claimed, writers-open,
// reader-start, docs-done, closed, marked, finish-start, run-clean-end...)
// say how much of its wall time is serial: bench/cli/phases.sh. One getenv
// per process; nothing else when unset.
void TracePhase(const char* name);

// Everything a task needs to know about its run; made from the options
// alone (stat() of the inputs), the same in every process.
struct RunPlan {
  CleanOptions options;
  std::string out;                          // the output folder
  std::vector<std::string> inputs;          // input files, sorted (ListInputs)
  std::vector<uint64_t> input_bytes;        // their sizes (0 when unknown)
  std::vector<std::vector<size_t>> units;   // input indices of each unit
  bool repeated_lines = false;
  bool dedup = false;
  std::string compression;                  // of the final shards
  WriterOptions kept, rejected;             // final kept / rejected shards
  WriterOptions handover;                   // kept documents between steps
  std::string key;                          // hash of `identity`
  std::string identity;                     // inputs (name, size, mtime), settings
  std::vector<RunStep> steps;
  // Steady-clock start of a run that does every step in this process
  // (RunClean without a share): the finish step then writes stats.json once,
  // with the run's wall time. 0 = a share or a task of a run: stats.json
  // gets the tasks' summed wall time.
  double whole_run_start = 0;

  // Built once per process, on first use: the stages, the merged
  // repeated-line counts.
  mutable std::mutex mu;
  mutable std::shared_ptr<const Pipeline> pipeline;
  // The stages of rings 1, 2... (ring 0 uses `pipeline`): stages may keep
  // evidence per stream of documents (Stage::StartStream), so concurrent
  // units never share them.
  mutable std::vector<std::shared_ptr<const Pipeline>> ring_pipelines;
  mutable std::shared_ptr<const RepeatedLineCounter> counts;
};

StatusOr<std::unique_ptr<RunPlan>> MakePlan(const CleanOptions& options);

// Writes `data` to `path` through a temporary name: the file is either
// complete or absent. With `durable`, the file and its name are fsynced
// before it returns; without, they reach the disk when the system writes
// them (a power loss may lose the file, or leave it empty: what a reader
// must take for "absent").
Status WriteAtomically(const std::string& path, const std::string& data, bool durable = true);

// fsyncs the files and folders `paths` side by side (a thread each, up to
// 8): a file system commits concurrent fsyncs together (ext4: one journal
// commit for the batch, where one fsync after the other waits for a commit
// each). A path that does not exist is skipped; a folder's fsync is best
// effort (some file systems refuse it), a file's failure is an error.
Status SyncTogether(const std::vector<std::string>& paths);
// The whole file; *ok false when it cannot be read.
std::string ReadWhole(const std::string& path, bool* ok);

// Progress line of the per-document step (stderr), shared by its tasks.
struct Progress {
  // The ring running the task (RunShare runs several units at once when
  // there are more threads than pipeline.ring_threads): its stages and its
  // worker threads (0 = the run's threads). Not about progress, but handed
  // down the same way.
  int ring = 0;
  int threads = 0;
  bool show = false;
  double start = 0;             // steady clock, seconds
  uint64_t docs_before = 0;     // documents of tasks finished earlier
  uint64_t bytes_before = 0;    // their input bytes
  uint64_t bytes_total = 0;
  bool shown = false;
};

// Runs task `task` of step `step` unless its marker says it is done; either
// way `stats` receives its figures.
Status RunTask(const RunPlan& plan, const std::string& step, int task, Progress* progress,
               RunStats* stats);

// Refuses an output folder inside (or equal to) an input folder, whose
// files the next run would read as input, and an input inside the output
// folder, which a run replaces or removes. `inputs` as given ("-" aside).
Status CheckOutputApartFromInputs(const std::vector<std::string>& inputs, const std::string& out);

// Makes `plan.out` this run's folder: creates it, refuses it when it holds
// another run's files (other inputs or settings, or no key to tell) unless
// `overwrite`, which removes that run's files first (filename::IsRunFile;
// nothing else), then records the run's identity (filename::RunIdentity).
// The same run finds its own files and goes on (resume). With `finished`
// given, a folder holding this very run, finished (its stats.json, no
// work/), sets *finished and is left as it is: there is nothing to do.
Status ClaimOutputFolder(const RunPlan& plan, bool overwrite, bool* finished = nullptr);

// Fault injection for the kill-and-resume tests: when the environment
// variable WINNOW_TEST_KILL_AT is "STEP-NNNNN:POINT", the process kills
// itself with SIGKILL when task NNNNN of STEP reaches POINT ("written":
// its files complete in its temporary folder, not renamed; "unmarked": its
// work done and in place, no marker yet; for finish "unreadable" (written),
// "stats" (stats.json written, work/ still there), "work" (work/ renamed to
// be removed)). A kill -9 at a known instant; one getenv per process.
void KillPoint(const std::string& step, int task, const char* point);

// True when every task of `step` has its marker.
bool StepDone(const RunPlan& plan, const RunStep& step);

// The per-document step for one unit (runner.cc): reads the unit's inputs,
// runs the stages on `threads` threads, writes the kept and rejected
// documents to the given files, the unreadable records to `unreadable`, and
// observes every document with `counter` when it is not null.
Status RunDocuments(const RunPlan& plan, const std::vector<std::string>& inputs,
                    const std::string& kept, const std::string& rejected,
                    const std::string& unreadable, RepeatedLineCounter* counter,
                    Progress* progress, RunStats* stats);

}  // namespace winnow::tasks

#endif  // WINNOW_SRC_PIPELINE_TASKS_H_
