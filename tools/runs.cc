// ReadRuns: one run folder or a folder of task outputs (runs.h).
#include "runs.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace winnow::cli {
namespace {

namespace fs = std::filesystem;

StatusOr<RunStats> ReadStats(const std::string& file) {
  std::ifstream in(file);
  if (!in) {
    return Status::NotFound(file + " cannot be opened; give a stats.json or a `winnow clean` output folder");
  }
  std::stringstream ss;
  ss << in.rdbuf();
  StatusOr<RunStats> stats = RunStats::FromJson(ss.str());
  if (!stats.ok()) return Status::Corrupt(file + ": " + stats.status().message());
  return stats;
}

// A folder holding what `winnow clean` writes (shards or its work folder).
bool HoldsRunFiles(const fs::path& folder) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(folder, ec)) {
    const std::string name = e.path().filename().string();
    if (name == "work" || name.rfind("kept-", 0) == 0 || name.rfind("rejected-", 0) == 0) return true;
  }
  return false;
}

}  // namespace

StatusOr<Runs> ReadRuns(const std::string& path) {
  std::error_code ec;
  Runs runs;
  if (!fs::is_directory(path, ec)) {
    StatusOr<RunStats> s = ReadStats(path);
    if (!s.ok()) return s.status();
    runs.folders.push_back(fs::path(path).parent_path().empty() ? "." : fs::path(path).parent_path().string());
    runs.total = *s;
    return runs;
  }
  if (fs::exists(fs::path(path) / "stats.json", ec)) {
    StatusOr<RunStats> s = ReadStats((fs::path(path) / "stats.json").string());
    if (!s.ok()) return s.status();
    runs.folders.push_back(path);
    runs.total = *s;
    return runs;
  }
  if (HoldsRunFiles(path)) {
    return Status::NotFound(path + " holds no stats.json: the run writing there has not finished (or failed); "
                                   "its other files are not a finished run's");
  }
  // A folder of task outputs: its subfolders that are runs.
  runs.total.threads = 0;
  std::vector<fs::path> subfolders;
  for (const auto& e : fs::directory_iterator(path, ec)) {
    if (e.is_directory(ec)) subfolders.push_back(e.path());
  }
  std::sort(subfolders.begin(), subfolders.end());
  for (const fs::path& sub : subfolders) {
    if (!fs::exists(sub / "stats.json", ec)) {
      if (HoldsRunFiles(sub)) {
        return Status::NotFound(sub.string() + " holds a run that has not finished (no stats.json): finish it "
                                "(the same command again) before summing " + path);
      }
      continue;
    }
    StatusOr<RunStats> s = ReadStats((sub / "stats.json").string());
    if (!s.ok()) return s.status();
    runs.folders.push_back(sub.string());
    runs.total.Merge(*s);
    runs.total.threads = std::max(runs.total.threads, s->threads);
  }
  if (runs.folders.empty()) {
    return Status::NotFound(
        path + " holds no stats.json, nor subfolders that do: the run writing there has not finished (or "
               "failed), or it is not the output folder of `winnow clean` (or a folder of them)");
  }
  if (runs.folders.size() > 1) runs.total.run_key.clear();
  return runs;
}

}  // namespace winnow::cli
