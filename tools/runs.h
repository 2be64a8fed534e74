// The finished runs that an argument of `winnow stats` / `winnow report`
// names, and their figures summed.
#ifndef WINNOW_TOOLS_RUNS_H_
#define WINNOW_TOOLS_RUNS_H_

#include <string>
#include <vector>

#include "winnow/pipeline.h"
#include "winnow/status.h"

namespace winnow::cli {

struct Runs {
  // The output folders of the runs, sorted (one for a run folder or a
  // stats.json file: its folder).
  std::vector<std::string> folders;
  RunStats total;  // their stats.json files, summed (RunStats::Merge)
};

// `path` is a stats.json file, the output folder of a finished `winnow
// clean` run (it holds stats.json), or a folder of task outputs: a folder
// without stats.json whose subfolders are finished runs (each run of a job
// array writing its own folder), summed. An error names what is missing: a
// folder with no run, or a subfolder whose run has not finished.
StatusOr<Runs> ReadRuns(const std::string& path);

}  // namespace winnow::cli

#endif  // WINNOW_TOOLS_RUNS_H_
