#include "base/filename.h"

#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace winnow::filename {

std::string Number(uint64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "-%05" PRIu64, i);
  return buf;
}

std::string JsonlExtension(const std::string& compression) {
  if (compression == "gz") return ".jsonl.gz";
  if (compression == "zst") return ".jsonl.zst";
  return ".jsonl";
}

std::string Shard(const std::string& prefix, uint64_t index, const std::string& compression) {
  return prefix + Number(index) + JsonlExtension(compression);
}

std::string KeptPrefix(const std::string& out) { return out + "/kept"; }

std::string RejectedPrefix(const std::string& out, const std::string& step) {
  return out + (step.empty() ? "/rejected" : "/rejected-" + step);
}

std::string Kept(const std::string& out, uint64_t unit, const std::string& compression) {
  return Shard(KeptPrefix(out), unit, compression);
}

std::string Rejected(const std::string& out, const std::string& step, uint64_t unit,
                     const std::string& compression) {
  return Shard(RejectedPrefix(out, step), unit, compression);
}

std::string Unreadable(const std::string& out) { return out + "/unreadable.jsonl"; }
std::string Stats(const std::string& out) { return out + "/stats.json"; }

bool IsRunFile(const std::string& name) {
  // A temporary name is the final name plus ".tmp-HOST-PID".
  const size_t tmp = name.find(".tmp-");
  const std::string base = tmp == std::string::npos ? name : name.substr(0, tmp);
  if (base == "stats.json" || base == "unreadable.jsonl" || base == "work" || base == "report.html") return true;
  for (const char* prefix : {"kept-", "rejected-", "rejected-lines-", "rejected-dedup-"}) {
    const size_t n = std::strlen(prefix);
    if (base.compare(0, n, prefix) != 0) continue;
    size_t i = n;
    while (i < base.size() && base[i] >= '0' && base[i] <= '9') ++i;
    if (i - n < 5) continue;  // Number() pads to 5 digits
    const std::string ext = base.substr(i);
    if (ext == ".jsonl" || ext == ".jsonl.gz" || ext == ".jsonl.zst") return true;
  }
  return false;
}

std::string WorkDir(const std::string& out) { return out + "/work"; }

std::string RunIdentity(const std::string& out) { return WorkDir(out) + "/run"; }

std::string StepKept(const std::string& out, const std::string& step, uint64_t unit) {
  return Shard(WorkDir(out) + "/" + step + "/kept", unit, "zst");
}

std::string UnitUnreadable(const std::string& out, uint64_t unit) {
  return WorkDir(out) + "/docs/unreadable" + Number(unit) + ".jsonl";
}

std::string LineCounts(const std::string& out, uint64_t unit) {
  return WorkDir(out) + "/lines/counts" + Number(unit) + ".bin";
}

std::string LineCountsMerged(const std::string& out) { return WorkDir(out) + "/lines/counts.bin"; }

std::string DedupWorkDir(const std::string& out) { return WorkDir(out) + "/dedup"; }

std::string TaskDone(const std::string& out, const std::string& step, uint64_t task) {
  return WorkDir(out) + "/done/" + step + Number(task) + ".json";
}

std::string TaskTempDir(const std::string& out, const std::string& step, uint64_t task) {
  char host[256] = "host";
  gethostname(host, sizeof host - 1);
  return WorkDir(out) + "/tmp/" + step + Number(task) + "." + host + "-" +
         std::to_string(getpid());
}

std::string DedupSignatures(const std::string& work, uint64_t shard) {
  return work + "/sig" + Number(shard) + ".bin";
}
std::string DedupIds(const std::string& work, uint64_t shard) {
  return work + "/ids" + Number(shard) + ".bin";
}
std::string DedupSets(const std::string& work, uint64_t shard) {
  return work + "/sets" + Number(shard) + ".bin";
}
std::string DedupKeys(const std::string& work, uint64_t shard) {
  return work + "/keys" + Number(shard) + ".bin";
}
std::string DedupPairs(const std::string& work, int partition, int partitions) {
  return work + "/pairs" + Number(partition) + "-of" + Number(partitions) + ".bin";
}
std::string DedupClusters(const std::string& work) { return work + "/clusters.bin"; }
std::string DedupApplyDone(const std::string& work, uint64_t shard) {
  return work + "/apply" + Number(shard) + ".done";
}

std::string DedupUnreadable(const std::string& work, uint64_t shard) {
  return work + "/unreadable" + Number(shard) + ".jsonl";
}

std::string Temp(const std::string& path) {
  char host[256] = "host";
  gethostname(host, sizeof host - 1);
  return path + ".tmp-" + host + "-" + std::to_string(getpid());
}

}  // namespace winnow::filename
