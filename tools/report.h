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
// stats.json and kept shards) to `output` ("" = run/report.html).
Status WriteRunReport(const std::string& run, const std::string& output);

}  // namespace winnow::cli

#endif  // WINNOW_TOOLS_REPORT_H_
