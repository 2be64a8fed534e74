// The run report page of `winnow report` and `winnow clean --report`.
#ifndef WINNOW_TOOLS_REPORT_H_
#define WINNOW_TOOLS_REPORT_H_

#include <string>

#include "winnow/status.h"

namespace winnow::cli {

// What `clean --report` sets output.dropped_lines to when it is not set: the
// report shows a few kept documents with the lines the stages dropped.
inline constexpr int kReportDroppedLines = 20;

// Writes the HTML report of the finished run in folder `run` (its
// stats.json and shards; a folder of task outputs: every run in it, summed,
// ReadRuns in runs.h) to `output` ("" = DefaultReportPath(run)).
Status WriteRunReport(const std::string& run, const std::string& output);
// RUN/report.html (the folder of RUN when it is a stats.json file).
std::string DefaultReportPath(const std::string& run);

}  // namespace winnow::cli

#endif  // WINNOW_TOOLS_REPORT_H_
