#include "winnow/corpus.h"
#include "winnow/settings.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <thread>

#include "base/fnv.h"
#include "pipeline/tasks.h"

namespace winnow {

Status ClaimDedupOutputFolder(const std::string& out, const std::vector<std::string>& shards,
                              const Config& config, bool overwrite) {
  tasks::RunPlan plan;
  plan.out = out;
  std::string identity = "winnow-dedup-1\n";
  for (const std::string& path : shards) {
    struct stat st;
    uint64_t size = 0;
    int64_t mtime = 0;
    if (::stat(path.c_str(), &st) == 0) {
      size = static_cast<uint64_t>(st.st_size);
      mtime = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    }
    identity += path + "\t" + std::to_string(size) + "\t" + std::to_string(mtime) + "\n";
  }
  for (const auto& [k, v] : config.values()) {
    if (k.compare(0, 6, "dedup.") != 0) continue;
    const std::string name = k.substr(6);
    if (name == "threads" || name == "memory_limit_mb" || name == "partitions" || name == "task_index" ||
        name == "task_count" || name == "work_dir")
      continue;
    identity += k + "=" + v + "\n";
  }
  char key[32];  // FNV-1a, as the clean runs' keys
  std::snprintf(key, sizeof key, "%016llx", static_cast<unsigned long long>(Fnv1a64(identity)));
  plan.key = key;
  plan.identity = identity;
  return tasks::ClaimOutputFolder(plan, overwrite);
}
namespace {

// Physical memory in MB; 0 when unknown.
uint64_t MachineMemoryMb() {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return 0;
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) >> 20;
}

}  // namespace

StatusOr<DedupOptions> DedupOptionsFromConfig(const Config& config) {
  // Library and Python callers get the same checks as the CLI.
  Config dedup_keys;
  for (const auto& [k, v] : config.values()) {
    if (k.compare(0, 6, "dedup.") == 0) dedup_keys.Set(k, v);
  }
  Status valid = SettingsTable::Global().Validate(dedup_keys);
  if (!valid.ok()) return valid;
  DedupOptions o;
  o.ngram = static_cast<int>(config.GetInt("dedup.ngram", o.ngram));
  o.bands = static_cast<int>(config.GetInt("dedup.bands", o.bands));
  o.rows = static_cast<int>(config.GetInt("dedup.rows", o.rows));
  o.seed = static_cast<uint64_t>(config.GetInt("dedup.seed", static_cast<int64_t>(o.seed)));
  o.char_ngrams = config.GetBool("dedup.char_ngrams", o.char_ngrams);
  o.near = config.GetBool("dedup.near", o.near);
  o.exact = config.GetBool("dedup.exact", o.exact);
  o.exact_strip_punct = config.GetBool("dedup.exact_strip_punct", o.exact_strip_punct);
  o.exact_url = config.GetBool("dedup.exact_url", o.exact_url);
  o.paragraphs = config.GetBool("dedup.paragraphs", o.paragraphs);
  o.paragraph_min_chars = static_cast<int>(config.GetInt("dedup.paragraph_min_chars", o.paragraph_min_chars));
  o.jaccard_check = config.GetBool("dedup.jaccard_check", o.jaccard_check);
  o.threshold = config.GetDouble("dedup.threshold", o.threshold);
  if (config.Has("dedup.clusters")) {
    Status s = ParseDedupClusters(config.GetString("dedup.clusters", ""), &o.clusters);
    if (!s.ok()) return s;
  }
  if (config.Has("dedup.keep")) {
    Status s = ParseDedupKeep(config.GetString("dedup.keep", ""), &o.keep);
    if (!s.ok()) return s;
  }
  o.keep_signal = config.GetString("dedup.keep_signal", o.keep_signal);
  o.bucket_window = static_cast<int>(config.GetInt("dedup.bucket_window", o.bucket_window));
  // The sort buffers are reserved at this size: a limit above the machine's
  // memory ended in an uncaught std::bad_alloc (and a negative one wrapped
  // around to one). The table's range rejects <= 0; this, the machine.
  const int64_t memory_mb =
      config.GetInt("dedup.memory_limit_mb", static_cast<int64_t>(o.memory_limit_bytes >> 20));
  const uint64_t machine_mb = MachineMemoryMb();
  if (memory_mb < 1 || (machine_mb > 0 && static_cast<uint64_t>(memory_mb) > machine_mb)) {
    return Status::InvalidArgument(
        "setting dedup.memory_limit_mb=" + std::to_string(memory_mb) + ": expected an integer in 1.." +
        std::to_string(machine_mb) + " (this machine's memory, MB)");
  }
  o.memory_limit_bytes = static_cast<uint64_t>(memory_mb) << 20;
  o.work_dir = config.GetString("dedup.work_dir", o.work_dir);
  o.partitions = static_cast<int>(config.GetInt("dedup.partitions", o.partitions));
  o.threads = static_cast<int>(config.GetInt("dedup.threads", 0));
  if (o.threads == 0) o.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  o.task_index = static_cast<int>(config.GetInt("dedup.task_index", o.task_index));
  o.task_count = static_cast<int>(config.GetInt("dedup.task_count", o.task_count));
  Status s = ValidateDedupOptions(o);
  if (!s.ok()) return s;
  return o;
}

RepeatedLineFilterOptions RepeatedLineFilterOptionsFromConfig(const Config& config) {
  RepeatedLineFilterOptions o;
  o.max_host_docs = static_cast<int>(config.GetInt("repeated_lines.max_host_docs", o.max_host_docs));
  o.max_shard_docs = static_cast<int>(config.GetInt("repeated_lines.max_shard_docs", o.max_shard_docs));
  o.reject_empty = config.GetBool("repeated_lines.reject_empty", o.reject_empty);
  return o;
}

RepeatedLineCounterOptions RepeatedLineCounterOptionsFromConfig(const Config& config) {
  RepeatedLineCounterOptions o;
  o.max_entries = static_cast<uint64_t>(
      config.GetInt("repeated_lines.max_entries", static_cast<int64_t>(o.max_entries)));
  o.min_chars = static_cast<int>(config.GetInt("repeated_lines.min_chars", o.min_chars));
  return o;
}

}  // namespace winnow
