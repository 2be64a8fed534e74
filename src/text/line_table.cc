#include "text/line_table.h"

#include <fstream>
#include <unordered_map>

namespace winnow::text_internal {

StatusOr<std::vector<TableDoc>> ReadLineTable(const std::string& path, size_t* bad_rows) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("line table '" + path + "' cannot be opened");
  std::vector<TableDoc> docs;
  std::unordered_map<std::string, std::string> urls;
  std::string row;
  size_t bad = 0;
  while (std::getline(in, row)) {
    if (!row.empty() && row.back() == '\r') row.pop_back();
    size_t t1 = row.find('\t');
    size_t t2 = t1 == std::string::npos ? t1 : row.find('\t', t1 + 1);
    size_t t3 = t2 == std::string::npos ? t2 : row.find('\t', t2 + 1);
    if (row.rfind("#url\t", 0) == 0 && t2 != std::string::npos) {
      urls[row.substr(t1 + 1, t2 - t1 - 1)] = row.substr(t2 + 1);
      continue;
    }
    if (t3 == std::string::npos) {
      ++bad;
      continue;
    }
    std::string id = row.substr(0, t1);
    if (docs.empty() || docs.back().id != id) {
      docs.emplace_back();
      docs.back().id = id;
      docs.back().lang = row.substr(t1 + 1, t2 - t1 - 1);
    }
    std::string label = row.substr(t2 + 1, t3 - t2 - 1);
    docs.back().labels.push_back(label == "1" ? 1 : label == "0" ? 0 : -1);
    docs.back().lines.push_back(row.substr(t3 + 1));
  }
  for (TableDoc& d : docs) {
    auto it = urls.find(d.id);
    if (it != urls.end()) d.url = it->second;
  }
  if (bad_rows) *bad_rows = bad;
  return docs;
}

}  // namespace winnow::text_internal
