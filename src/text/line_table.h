// Reading the line-table TSV that scripts/text/make_line_data.py writes:
// one row per line, "doc_id<TAB>lang<TAB>label<TAB>text", rows of one
// document adjacent. Used by the text_features tool and the benchmarks.
// Thread-safety: plain functions.
#ifndef WINNOW_SRC_TEXT_LINE_TABLE_H_
#define WINNOW_SRC_TEXT_LINE_TABLE_H_

#include <string>
#include <vector>

#include "winnow/status.h"

namespace winnow::text_internal {

struct TableDoc {
  std::string id;
  std::string lang;
  std::string url;              // from an optional "#url<TAB>doc_id<TAB>url" row
  std::vector<std::string> lines;
  std::vector<int> labels;      // 1 main, 0 boilerplate, -1 unknown
};

// Malformed rows are skipped and counted in *bad_rows.
StatusOr<std::vector<TableDoc>> ReadLineTable(const std::string& path, size_t* bad_rows);

}  // namespace winnow::text_internal

#endif  // WINNOW_SRC_TEXT_LINE_TABLE_H_
