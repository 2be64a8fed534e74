// The steps and tasks of `winnow clean` (tasks.h), and the three ways to
// drive them: RunClean (every task in this process), RunClean with a step
// and a task share (`clean --step S --task-index I --task-count N`), and
// RunCleanTask (one task; what the Dask runner calls).
//
// The corpus steps follow duckdb's Sink / Combine / Finalize: the
// per-document tasks observe every document (repeated-line counts per
// unit), one task merges the observations, then one task per unit applies
// them. Dedup's four passes are steps of their own (winnow/dedup.h).
#include "pipeline/tasks.h"

#include "winnow/settings.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "base/filename.h"
#include "base/fnv.h"
#include "winnow/corpus.h"
#include "winnow/dedup.h"
#include "winnow/reader.h"

namespace winnow {
namespace tasks {

namespace fs = std::filesystem;

std::string ReadWhole(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  *ok = static_cast<bool>(in) || in.eof();
  return ss.str();
}

namespace {

// `data` as the whole of file `path`, not synced.
Status WriteFile(const std::string& path, const std::string& data) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return Status::IoError("cannot create " + path);
  bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size();
  ok = std::fclose(f) == 0 && ok;
  if (!ok) {
    std::remove(path.c_str());
    return Status::IoError("cannot write " + path + " (disk full?)");
  }
  return Status::Ok();
}

Status Rename(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) return Status::IoError("cannot rename " + from + " to " + to + ": " + ec.message());
  return Status::Ok();
}

}  // namespace

// Writes `data` to `path` through a temporary name (tasks.h).
Status WriteAtomically(const std::string& path, const std::string& data, bool durable) {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  const std::string tmp = filename::Temp(path);
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Status::IoError("cannot create " + tmp);
  bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size();
  ok = std::fflush(f) == 0 && ok;
  if (durable) ok = ::fsync(fileno(f)) == 0 && ok;
  ok = std::fclose(f) == 0 && ok;
  if (!ok) {
    std::remove(tmp.c_str());
    return Status::IoError("cannot write " + path + " (disk full?)");
  }
  fs::rename(tmp, path, ec);
  if (ec) return Status::IoError("cannot rename " + tmp + " to " + path + ": " + ec.message());
  if (!durable) return Status::Ok();
  // The rename itself on disk too (best effort: some file systems refuse).
  const std::string dir = fs::path(path).parent_path().string();
  int d = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (d >= 0) {
    ::fsync(d);
    ::close(d);
  }
  return Status::Ok();
}

Status SyncTogether(const std::vector<std::string>& paths) {
  std::vector<int> failed(paths.size(), 0);  // errno of a file's failed fsync
  std::atomic<size_t> next{0};
  auto sync = [&] {
    for (size_t i; (i = next++) < paths.size();) {
      const int fd = ::open(paths[i].c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) continue;  // absent: nothing to sync
      struct stat st;
      const bool folder = ::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
      if (::fsync(fd) != 0 && !folder && errno != EINVAL && errno != EROFS) failed[i] = errno;
      ::close(fd);
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < std::min<size_t>(paths.size(), 8); ++t) pool.emplace_back(sync);
  sync();
  for (std::thread& t : pool) t.join();
  for (size_t i = 0; i < paths.size(); ++i) {
    if (failed[i]) return Status::IoError(paths[i] + ": write error (fsync): " + std::strerror(failed[i]));
  }
  return Status::Ok();
}

void KillPoint(const std::string& step, int task, const char* point) {
  static const char* const at = std::getenv("WINNOW_TEST_KILL_AT");
  if (!at) return;
  char here[256];
  std::snprintf(here, sizeof here, "%s%s:%s", step.c_str(), filename::Number(task).c_str(), point);
  if (std::strcmp(at, here) == 0) ::kill(::getpid(), SIGKILL);
}

namespace {

// Step names (doc/formats.md lists them with the files each writes).
constexpr const char* kDocs = "docs";
constexpr const char* kLinesMerge = "lines-merge";
constexpr const char* kLines = "lines";
constexpr const char* kDedupSignatures = "dedup-signatures";
constexpr const char* kDedupPairs = "dedup-pairs";
constexpr const char* kDedupClusters = "dedup-clusters";
constexpr const char* kDedup = "dedup";
constexpr const char* kFinish = "finish";

double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}


// A task's private folder: its files are written there, then renamed into
// place by Commit.
class TaskFiles {
 public:
  TaskFiles(const RunPlan& plan, const std::string& step, int task)
      : out_(plan.out), step_(step), task_(task), dir_(filename::TaskTempDir(plan.out, step, task)) {}
  ~TaskFiles() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  Status Open() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    fs::create_directories(dir_, ec);
    if (ec) return Status::IoError("cannot create " + dir_ + ": " + ec.message());
    return Status::Ok();
  }
  // The temporary name of final file `path` (same base name, so the
  // writer picks the compression from its extension). Its writer need not
  // sync it: Commit does.
  std::string Temp(const std::string& path) {
    std::string t = dir_ + "/" + fs::path(path).filename().string();
    renames_.push_back({t, path});
    return t;
  }
  // Renames the files into place, each on disk before it takes its final
  // name and every name on disk when it returns, so that the marker written
  // next vouches for files that a power loss cannot take back. Two batches
  // of fsyncs (SyncTogether), not one fsync after the other per file: first
  // the files, with the run's identity and the folders naming it
  // (ClaimOutputFolder writes it unsynced: no file of the run is final
  // before this), then the folders of the new names.
  Status Commit() {
    KillPoint(step_, task_, "written");
    std::vector<std::string> sync = {filename::RunIdentity(out_), filename::WorkDir(out_), out_};
    for (const auto& [from, to] : renames_) sync.push_back(from);
    Status s = SyncTogether(sync);
    if (!s.ok()) return s;
    std::vector<std::string> folders = {out_};
    for (const auto& [from, to] : renames_) {
      std::error_code ec;
      fs::create_directories(fs::path(to).parent_path(), ec);
      fs::rename(from, to, ec);
      if (ec) return Status::IoError("cannot rename " + from + " to " + to + ": " + ec.message());
      // The folder of the new name and those above it up to the output
      // folder (a folder made just now is a new name in its parent).
      for (std::string d = fs::path(to).parent_path().string(); d.size() > out_.size();
           d = fs::path(d).parent_path().string()) {
        if (std::find(folders.begin(), folders.end(), d) != folders.end()) break;
        folders.push_back(d);
      }
    }
    return SyncTogether(folders);
  }

 private:
  std::string out_;
  std::string step_;
  int task_;
  std::string dir_;
  std::vector<std::pair<std::string, std::string>> renames_;
};

// The marker: "winnow-task <key>\n" then the task's figures (stats JSON).
// Not `durable` after TaskFiles::Commit, which synced what it vouches for:
// a marker that a power loss takes back (or leaves empty) only has its task
// done again, with the same bytes; nothing counts on it being on disk (a
// run looks finished by its stats.json and no work/, which FinishTask syncs).
Status WriteMarker(const RunPlan& plan, const std::string& step, int task, const RunStats& st,
                   bool durable) {
  return WriteAtomically(filename::TaskDone(plan.out, step, task),
                         "winnow-task " + plan.key + "\n" + st.ToJson(), durable);
}

bool ReadMarker(const RunPlan& plan, const std::string& step, int task, RunStats* st) {
  bool ok;
  std::string s = ReadWhole(filename::TaskDone(plan.out, step, task), &ok);
  const std::string head = "winnow-task " + plan.key + "\n";
  if (!ok || s.compare(0, head.size(), head) != 0) return false;
  if (!st) return true;
  StatusOr<RunStats> parsed = RunStats::FromJson(s.substr(head.size()));
  if (!parsed.ok()) return false;
  *st = *parsed;
  return true;
}

const RunStep* FindStep(const RunPlan& plan, const std::string& name) {
  for (const RunStep& s : plan.steps)
    if (s.name == name) return &s;
  return nullptr;
}

// The kept documents step `step` hands to the next one, one file per unit.
std::string HandedOver(const RunPlan& plan, const std::string& step, size_t unit) {
  return filename::StepKept(plan.out, step, unit);
}

// The step whose kept documents `step` reads.
std::string InputStep(const RunPlan& plan, const std::string& step) {
  if (step == kLines) return kDocs;
  return plan.repeated_lines ? kLines : kDocs;  // the dedup steps
}

// Where `step` writes the kept documents of `unit`: the final file when no
// later step reads them.
std::string KeptOutput(const RunPlan& plan, const std::string& step, size_t unit) {
  const bool last = (step == kDedup) || (step == kLines && !plan.dedup) ||
                    (step == kDocs && !plan.dedup && !plan.repeated_lines);
  return last ? filename::Kept(plan.out, unit, plan.compression) : HandedOver(plan, step, unit);
}

// ---- docs: the per-document stages over one unit (Sink) --------------------

Status DocsTask(const RunPlan& plan, int unit, Progress* progress, RunStats* st) {
  TaskFiles files(plan, kDocs, unit);
  Status s = files.Open();
  if (!s.ok()) return s;
  std::vector<std::string> inputs;
  for (size_t i : plan.units[unit]) {
    inputs.push_back(plan.inputs[i]);
    st->bytes_in += plan.input_bytes[i];
  }
  std::unique_ptr<RepeatedLineCounter> counter;
  if (plan.repeated_lines) {
    counter = std::make_unique<RepeatedLineCounter>(RepeatedLineCounterOptionsFromConfig(plan.options.config));
  }
  s = RunDocuments(plan, inputs, files.Temp(KeptOutput(plan, kDocs, unit)),
                   files.Temp(filename::Rejected(plan.out, "", unit, plan.compression)),
                   files.Temp(filename::UnitUnreadable(plan.out, unit)), counter.get(), progress, st);
  if (!s.ok()) return s;
  if (counter) {
    s = counter->Save(files.Temp(filename::LineCounts(plan.out, unit)));
    if (!s.ok()) return s;
  }
  s = files.Commit();
  TracePhase("committed");
  return s;
}

// ---- repeated lines: merge the counts (Combine), apply per unit (Finalize) --

Status LinesMergeTask(const RunPlan& plan, RunStats*) {
  TaskFiles files(plan, kLinesMerge, 0);
  Status s = files.Open();
  if (!s.ok()) return s;
  RepeatedLineCounterOptions o = RepeatedLineCounterOptionsFromConfig(plan.options.config);
  RepeatedLineCounter total(o);
  for (size_t u = 0; u < plan.units.size(); ++u) {
    StatusOr<RepeatedLineCounter> c = RepeatedLineCounter::Load(filename::LineCounts(plan.out, u), o);
    if (!c.ok()) return c.status();
    total.Merge(*c);
  }
  s = total.Save(files.Temp(filename::LineCountsMerged(plan.out)));
  if (!s.ok()) return s;
  return files.Commit();
}

StatusOr<std::shared_ptr<const RepeatedLineCounter>> MergedCounts(const RunPlan& plan) {
  std::lock_guard<std::mutex> lock(plan.mu);
  if (!plan.counts) {
    StatusOr<RepeatedLineCounter> c = RepeatedLineCounter::Load(
        filename::LineCountsMerged(plan.out), RepeatedLineCounterOptionsFromConfig(plan.options.config));
    if (!c.ok()) return c.status();
    plan.counts = std::make_shared<const RepeatedLineCounter>(std::move(c).value());
  }
  return plan.counts;
}

Status LinesTask(const RunPlan& plan, int unit, RunStats* st) {
  StatusOr<std::shared_ptr<const RepeatedLineCounter>> counts = MergedCounts(plan);
  if (!counts.ok()) return counts.status();
  TaskFiles files(plan, kLines, unit);
  Status s = files.Open();
  if (!s.ok()) return s;
  RepeatedLineFilter filter(counts->get(), RepeatedLineFilterOptionsFromConfig(plan.options.config));
  StatusOr<std::unique_ptr<DocumentWriter>> kept =
      OpenWriter(files.Temp(KeptOutput(plan, kLines, unit)), plan.dedup ? plan.handover : plan.kept);
  if (!kept.ok()) return kept.status();
  StatusOr<std::unique_ptr<DocumentWriter>> rejected =
      OpenWriter(files.Temp(filename::Rejected(plan.out, kLines, unit, plan.compression)), plan.rejected);
  if (!rejected.ok()) return rejected.status();
  // The docs step's work files: damage stops the task (DamagedRecords::kStop).
  const std::vector<std::string> shards = {HandedOver(plan, kDocs, unit)};
  s = ForEachShardDocument(shards, DamagedRecords::kStop, [&](Document& doc) -> Status {
    filter.Apply(doc);
    for (const Block& b : doc.blocks) {
      if (!b.keep && b.drop_reason.rfind("text.repeated_lines", 0) == 0) ++st->blocks_dropped_by[b.drop_reason];
    }
    if (doc.decision.keep) {
      ++st->kept;
      st->bytes_out += doc.TextSize();
      return (*kept)->Write(doc);
    }
    ++st->rejected;
    ++st->rejected_by[doc.decision.stage][doc.decision.reason];
    return (*rejected)->Write(doc);
  });
  Status c1 = (*kept)->Close();
  Status c2 = (*rejected)->Close();
  if (!s.ok()) return s;
  if (!c1.ok()) return c1;
  if (!c2.ok()) return c2;
  return files.Commit();
}

// ---- dedup: the four passes of winnow/dedup.h as steps ---------------------

StatusOr<DedupOptions> DedupOptionsFor(const RunPlan& plan, int task, int task_count) {
  StatusOr<DedupOptions> o = DedupOptionsFromConfig(plan.options.config);
  if (!o.ok()) return Status::InvalidArgument("dedup: " + o.status().message());
  if (o->work_dir.empty()) o->work_dir = filename::DedupWorkDir(plan.out);
  o->threads = 1;  // the tasks of a step run in parallel instead
  o->stop_on_unreadable = true;  // its input is this run's own work files
  o->task_index = task;
  o->task_count = task_count;
  o->output_compression = plan.compression;
  o->output_blocks = plan.kept.json.blocks ? DedupOptions::Blocks::kAlways : DedupOptions::Blocks::kNever;
  o->output_dropped_lines = plan.kept.json.dropped_lines;
  return o;
}

std::vector<std::string> DedupInputs(const RunPlan& plan) {
  std::vector<std::string> shards;
  const std::string from = InputStep(plan, kDedup);
  for (size_t u = 0; u < plan.units.size(); ++u) shards.push_back(HandedOver(plan, from, u));
  return shards;
}

Status DedupTask(const RunPlan& plan, const std::string& step, int task, RunStats* st) {
  const int units = static_cast<int>(plan.units.size());
  const int count = step == kDedupPairs ? FindStep(plan, kDedupPairs)->tasks
                    : step == kDedupClusters ? 1 : units;
  StatusOr<DedupOptions> o = DedupOptionsFor(plan, task, count);
  if (!o.ok()) return o.status();
  const std::vector<std::string> shards = DedupInputs(plan);
  DedupStats ds;
  if (step == kDedupSignatures) return ComputeSignatures(shards, *o, &ds);
  if (step == kDedupPairs) return FindCandidatePairs(shards, *o, &ds);
  if (step == kDedupClusters) return ComputeClusters(shards, *o, &ds);
  // The apply pass: this task's marker, not dedup's own, says it is done, so
  // that the figures below are always counted.
  std::error_code ec;
  fs::remove(filename::DedupApplyDone(o->work_dir, task), ec);
  Status s = ApplyDedup(shards, filename::KeptPrefix(plan.out),
                        filename::RejectedPrefix(plan.out, kDedup), *o, &ds);
  if (!s.ok()) return s;
  st->kept = ds.kept;
  st->bytes_out = ds.kept_text_bytes;
  st->rejected = ds.removed_exact + ds.removed_near + ds.removed_paragraphs;
  auto add = [&](const char* reason, uint64_t n) {
    if (n) st->rejected_by["dedup"][reason] += n;
  };
  add("exact_duplicate", ds.removed_exact - ds.removed_url);
  add("url_duplicate", ds.removed_url);
  add("near_duplicate", ds.removed_near);
  add("duplicate_paragraphs", ds.removed_paragraphs);
  if (ds.paragraphs_dropped) st->blocks_dropped_by["dedup.paragraphs"] += ds.paragraphs_dropped;
  return Status::Ok();
}

// ---- finish: stats.json and unreadable.jsonl from the markers ---------------

// Sums the markers of `step`.
Status StepFigures(const RunPlan& plan, const std::string& step, RunStats* sum) {
  const RunStep* s = FindStep(plan, step);
  for (int t = 0; s && t < s->tasks; ++t) {
    RunStats st;
    if (!ReadMarker(plan, step, t, &st)) {
      return Status::InvalidArgument("step " + step + " task " + std::to_string(t) + " is not done");
    }
    sum->Merge(st);
  }
  return Status::Ok();
}

// Temporary names of final files that killed attempts left in the output
// folder (dedup's apply pass writes NAME.tmp-HOST-PID beside NAME). Every
// task is done when finish runs, so none is being written.
void RemoveLeftoverTemporaries(const RunPlan& plan) {
  std::error_code ec;
  std::vector<fs::path> stale;
  for (const auto& e : fs::directory_iterator(plan.out, ec)) {
    const std::string name = e.path().filename().string();
    if (filename::IsRunFile(name) && name.find(".tmp-") != std::string::npos &&
        name.rfind("work", 0) != 0 && e.is_regular_file(ec)) {
      stale.push_back(e.path());
    }
  }
  for (const fs::path& p : stale) fs::remove(p, ec);
}

Status FinishTask(const RunPlan& plan, RunStats* total) {
  TracePhase("finish-start");
  RemoveLeftoverTemporaries(plan);
  Status s = StepFigures(plan, kDocs, total);
  if (!s.ok()) return s;
  // Each corpus step counts what it wrote: its kept documents replace the
  // earlier kept count, its rejections add to the others.
  for (const char* step : {kLines, kDedup}) {
    if (!FindStep(plan, step)) continue;
    RunStats f;
    s = StepFigures(plan, step, &f);
    if (!s.ok()) return s;
    total->kept = f.kept;
    total->bytes_out = f.bytes_out;
    total->rejected += f.rejected;
    for (const auto& [stage, reasons] : f.rejected_by)
      for (const auto& [reason, n] : reasons) total->rejected_by[stage][reason] += n;
    for (const auto& [k, n] : f.blocks_dropped_by) total->blocks_dropped_by[k] += n;
  }
  std::string unreadable;
  for (size_t u = 0; u < plan.units.size(); ++u) {
    bool ok;
    unreadable += ReadWhole(filename::UnitUnreadable(plan.out, u), &ok);
    if (!ok) return Status::IoError("cannot read " + filename::UnitUnreadable(plan.out, u));
  }
  total->run_key = plan.key;  // says which run the folder holds
  if (plan.whole_run_start > 0) total->wall_seconds = NowSeconds() - plan.whole_run_start;
  // Both files written and synced together (with the markers' folder: the
  // markers are written unsynced, and a stats.json beside no docs marker is
  // taken for a finished run's, RunTask), then renamed, then their names
  // synced: the caller removes work/ only after that, and a run looks
  // finished only with its stats.json and without work/ (ClaimOutputFolder),
  // so no power loss leaves a finished-looking run that lacks a file.
  const std::string unreadable_path = filename::Unreadable(plan.out), stats_path = filename::Stats(plan.out);
  const std::string unreadable_tmp = filename::Temp(unreadable_path), stats_tmp = filename::Temp(stats_path);
  s = WriteFile(unreadable_tmp, unreadable);
  if (s.ok()) s = WriteFile(stats_tmp, total->ToJson());
  const std::string markers = fs::path(filename::TaskDone(plan.out, kDocs, 0)).parent_path().string();
  if (s.ok()) s = SyncTogether({unreadable_tmp, stats_tmp, markers});
  if (!s.ok()) return s;
  s = Rename(unreadable_tmp, unreadable_path);
  if (!s.ok()) return s;
  KillPoint(kFinish, 0, "unreadable");
  s = Rename(stats_tmp, stats_path);
  if (s.ok()) s = SyncTogether({plan.out});
  if (s.ok()) KillPoint(kFinish, 0, "stats");
  return s;
}

}  // namespace

StatusOr<std::unique_ptr<RunPlan>> MakePlan(const CleanOptions& options) {
  // Every key is checked before anything is created: an unknown key or a bad
  // value stops the run (winnow/settings.h).
  Status valid = SettingsTable::Global().Validate(options.config);
  if (!valid.ok()) return valid;
  auto plan = std::make_unique<RunPlan>();
  plan->options = options;
  plan->out = options.output_dir;
  const Config& config = options.config;
  // `threads` and `strict` from the config when the options leave them unset
  // (the CLI's -t and --strict set the same keys).
  if (plan->options.threads <= 0) plan->options.threads = static_cast<int>(config.GetInt("threads", 0));
  plan->options.strict = options.strict || config.GetBool("strict", false);
  if (plan->out.empty()) return Status::InvalidArgument("no output folder given");
  if (options.task_count < 1 || options.task_index < 0 || options.task_index >= options.task_count) {
    return Status::InvalidArgument("--task-index must be in [0, --task-count)");
  }
  // Each path is expanded on its own: a missing one stays in the list, fails
  // to open in its task and is reported as unreadable, and the run goes on.
  for (const std::string& path : options.inputs) {
    StatusOr<std::vector<std::string>> files = ListInputs({path});
    if (files.ok()) {
      plan->inputs.insert(plan->inputs.end(), files->begin(), files->end());
    } else {
      plan->inputs.push_back(path);
    }
  }
  if (plan->inputs.empty()) return Status::InvalidArgument("no input files found in the paths given");
  Status apart = CheckOutputApartFromInputs(options.inputs, plan->out);
  if (!apart.ok()) return apart;

  // Units: consecutive input files up to output.shard_mb of input each (a
  // file is never split; 0 = one unit per file). They depend on the inputs
  // only, so every way of running gives the same units and file names.
  const int64_t unit_mb = config.GetInt("output.shard_mb", 256);
  if (unit_mb < 0) return Status::InvalidArgument("output.shard_mb must be >= 0");
  const uint64_t unit_bytes = static_cast<uint64_t>(unit_mb) << 20;
  std::string identity = "winnow-run-1\n";
  uint64_t in_unit = 0;
  for (size_t i = 0; i < plan->inputs.size(); ++i) {
    struct stat st;
    uint64_t size = 0;
    int64_t mtime = 0;
    if (plan->inputs[i] != "-" && ::stat(plan->inputs[i].c_str(), &st) == 0) {
      size = static_cast<uint64_t>(st.st_size);
      mtime = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    }
    plan->input_bytes.push_back(size);
    if (plan->units.empty() || unit_bytes == 0 || in_unit + size > unit_bytes) {
      plan->units.emplace_back();
      in_unit = 0;
    }
    plan->units.back().push_back(i);
    in_unit += size;
    identity += plan->inputs[i] + "\t" + std::to_string(size) + "\t" + std::to_string(mtime) + "\n";
  }
  // Every setting but `threads`, `pipeline.ring_threads` and
  // `pipeline.read_ahead`: the output is the same for any thread count and
  // read-ahead, so a rerun with another -t resumes the same run.
  for (const auto& [k, v] : config.values())
    if (k != "threads" && k != "pipeline.ring_threads" && k != "pipeline.read_ahead") identity += k + "=" + v + "\n";
  identity += plan->options.strict ? "strict\n" : "\n";
  char key[32];
  std::snprintf(key, sizeof key, "%016llx", static_cast<unsigned long long>(Fnv1a64(identity)));
  plan->key = key;
  plan->identity = identity;

  if (plan->options.threads <= 0) {
    plan->options.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  plan->repeated_lines = config.GetBool("repeated_lines.enabled", false);
  plan->dedup = config.GetBool("dedup.enabled", false);
  plan->compression = config.GetString("output.compression", "zst");
  if (plan->compression != "none" && plan->compression != "gz" && plan->compression != "zst") {
    return Status::InvalidArgument("output.compression must be none, gz or zst, not \"" +
                                   plan->compression + "\"");
  }
  plan->kept.compression = plan->compression;
  plan->kept.json.blocks = config.GetBool("output.blocks", false);
  plan->kept.json.dropped_lines = static_cast<int>(config.GetInt("output.dropped_lines", 0));
  // The tasks sync their files together when they commit (TaskFiles).
  plan->kept.sync = false;
  plan->rejected = plan->kept;
  plan->rejected.json.decision = true;
  plan->rejected.json.dropped_lines = 0;
  // The corpus steps re-read the documents with their blocks (their unit).
  plan->handover.compression = "zst";
  plan->handover.sync = false;
  plan->handover.json.blocks = true;

  const int units = static_cast<int>(plan->units.size());
  plan->steps.push_back({kDocs, units});
  if (plan->repeated_lines) {
    plan->steps.push_back({kLinesMerge, 1});
    plan->steps.push_back({kLines, units});
  }
  if (plan->dedup) {
    StatusOr<DedupOptions> o = DedupOptionsFromConfig(config);
    if (!o.ok()) return Status::InvalidArgument("dedup: " + o.status().message());
    plan->steps.push_back({kDedupSignatures, units});
    plan->steps.push_back({kDedupPairs, o->partitions});
    plan->steps.push_back({kDedupClusters, 1});
    plan->steps.push_back({kDedup, units});
  }
  plan->steps.push_back({kFinish, 1});
  return plan;
}

bool StepDone(const RunPlan& plan, const RunStep& step) {
  for (int t = 0; t < step.tasks; ++t)
    if (!ReadMarker(plan, step.name, t, nullptr)) return false;
  return true;
}

Status RunTask(const RunPlan& plan, const std::string& step, int task, Progress* progress,
               RunStats* stats) {
  const RunStep* s = FindStep(plan, step);
  if (!s) {
    std::string names;
    for (const RunStep& r : plan.steps) names += (names.empty() ? "" : ", ") + r.name;
    return Status::InvalidArgument("this run has no step \"" + step + "\" (its steps: " + names + ")");
  }
  if (task < 0 || task >= s->tasks) {
    return Status::InvalidArgument("step " + step + " has tasks 0.." + std::to_string(s->tasks - 1) +
                                   ", not " + std::to_string(task));
  }
  *stats = RunStats();
  stats->threads = plan.options.threads;
  if (step == kFinish) {
    // Finished and cleaned up before: stats.json is the result.
    if (!fs::exists(filename::TaskDone(plan.out, kDocs, 0)) && fs::exists(filename::Stats(plan.out))) {
      bool ok;
      StatusOr<RunStats> st = RunStats::FromJson(ReadWhole(filename::Stats(plan.out), &ok));
      if (st.ok()) {
        *stats = *st;
        return Status::Ok();
      }
    }
    Status r = FinishTask(plan, stats);
    if (!r.ok()) return r;
    if (!plan.options.config.GetBool("corpus.keep_work", false)) {
      // Renamed first, so that a kill during the removal never leaves some
      // markers without the files they vouch for.
      std::error_code ec;
      const std::string work = filename::WorkDir(plan.out), gone = filename::Temp(work);
      fs::rename(work, gone, ec);
      if (!ec) KillPoint(kFinish, 0, "work");
      fs::remove_all(ec ? work : gone, ec);
    }
    return Status::Ok();
  }
  if (ReadMarker(plan, step, task, stats)) return Status::Ok();
  // This run is doing work, so it is not finished: a stats.json left by an
  // earlier run in this folder must not describe the files written now. It
  // comes back last, when the finish step has written everything else.
  std::error_code ec;
  fs::remove(filename::Stats(plan.out), ec);
  const double start = NowSeconds();
  Status r;
  if (step == kDocs) {
    r = DocsTask(plan, task, progress, stats);
  } else if (step == kLinesMerge) {
    r = LinesMergeTask(plan, stats);
  } else if (step == kLines) {
    r = LinesTask(plan, task, stats);
  } else {
    r = DedupTask(plan, step, task, stats);
  }
  if (!r.ok()) return r;
  KillPoint(step, task, "unmarked");
  stats->wall_seconds = NowSeconds() - start;
  // The dedup steps write and rename their own files (winnow/dedup.h): their
  // markers stay synced.
  const bool committed = step == kDocs || step == kLinesMerge || step == kLines;
  Status m = WriteMarker(plan, step, task, *stats, /*durable=*/!committed);
  TracePhase("marked");
  return m;
}

}  // namespace tasks

// ---- The public entry points (winnow/pipeline.h) ----------------------------

StatusOr<std::vector<RunStep>> PlanClean(const CleanOptions& options) {
  StatusOr<std::unique_ptr<tasks::RunPlan>> plan = tasks::MakePlan(options);
  if (!plan.ok()) return plan.status();
  return (*plan)->steps;
}

Status RunCleanTask(const CleanOptions& options, const std::string& step, int task, RunStats* stats) {
  StatusOr<std::unique_ptr<tasks::RunPlan>> plan = tasks::MakePlan(options);
  if (!plan.ok()) return plan.status();
  Status claimed = tasks::ClaimOutputFolder(**plan, /*overwrite=*/false);
  if (!claimed.ok()) return claimed;
  tasks::Progress progress;
  return tasks::RunTask(**plan, step, task, &progress, stats);
}

namespace tasks {
namespace {

// The steps RunClean runs: the one asked for; else all of them in one
// process, or the per-document step alone for one share of a split run (the
// later steps need every share's output: a run without --task-count does
// them).
std::vector<const RunStep*> SelectSteps(const RunPlan& plan) {
  const CleanOptions& o = plan.options;
  std::vector<const RunStep*> steps;
  for (const RunStep& s : plan.steps) {
    if (o.step.empty() ? (o.task_count == 1 || s.name == kDocs) : s.name == o.step) steps.push_back(&s);
  }
  return steps;
}

Status CheckEarlierStepsDone(const RunPlan& plan, const RunStep& step) {
  for (const RunStep& before : plan.steps) {
    if (before.name == step.name) break;
    if (!StepDone(plan, before)) {
      return Status::InvalidArgument("step " + step.name + " needs every task of step " + before.name +
                                     " done first (winnow clean ... --step " + before.name + ")");
    }
  }
  return Status::Ok();
}

// This process's share of one step. The docs tasks run in rings (reader,
// workers, ordered writer): one after the other on all threads, or, with
// more threads than pipeline.ring_threads, several at once; the tasks of the
// other steps run side by side, one per thread. `sum` receives the docs tasks' figures, or
// the run's for finish.
Status RunShare(const RunPlan& plan, const RunStep& step, Progress* progress, RunStats* sum) {
  const CleanOptions& o = plan.options;
  std::vector<int> mine;
  for (int t = o.task_index; t < step.tasks; t += o.task_count) mine.push_back(t);
  if (step.name == kFinish) return mine.empty() ? Status::Ok() : RunTask(plan, kFinish, 0, nullptr, sum);
  if (step.name == kDocs) {
    // A unit runs in a ring: one reader, its worker threads, an ordered
    // writer. One reader feeds only a few workers (3-6 on the shared sets,
    // doc/performance.md), so with more threads than pipeline.ring_threads
    // several units run at once, each ring with its own stages; a unit's
    // output does not depend on its ring or its threads.
    const int64_t ring_threads = std::max<int64_t>(1, o.config.GetInt("pipeline.ring_threads", 6));
    const int rings = static_cast<int>(std::max<int64_t>(
        1, std::min<int64_t>((o.threads + ring_threads - 1) / ring_threads, static_cast<int64_t>(mine.size()))));
    std::vector<RunStats> stats(mine.size());
    std::vector<Status> status(mine.size());
    std::atomic<size_t> next{0};
    std::atomic<bool> failed{false}, shown{false};
    std::atomic<uint64_t> docs_done{progress->docs_before}, bytes_done{progress->bytes_before};
    auto ring = [&](int r) {
      Progress p = *progress;
      p.ring = r;
      p.threads = o.threads / rings + (r < o.threads % rings ? 1 : 0);
      p.show = progress->show && r == 0;  // one progress line, counting every ring's finished units
      for (size_t i; !failed.load() && (i = next++) < mine.size();) {
        p.docs_before = docs_done.load();
        p.bytes_before = bytes_done.load();
        status[i] = RunTask(plan, kDocs, mine[i], &p, &stats[i]);
        if (!status[i].ok()) {
          failed.store(true);
          break;
        }
        uint64_t bytes = 0;
        for (size_t k : plan.units[mine[i]]) bytes += plan.input_bytes[k];
        docs_done += stats[i].docs_in;
        bytes_done += bytes;
      }
      if (p.shown) shown.store(true);
    };
    std::vector<std::thread> pool;
    for (int r = 1; r < rings; ++r) pool.emplace_back(ring, r);
    ring(0);
    for (std::thread& t : pool) t.join();
    progress->docs_before = docs_done.load();
    progress->bytes_before = bytes_done.load();
    if (shown.load()) std::fputs("\n", stderr);
    // In unit order, so the sums (and the first failure) are those of a run
    // of one ring.
    for (size_t i = 0; i < mine.size(); ++i) {
      if (!status[i].ok()) return status[i];
      sum->Merge(stats[i]);
    }
    return Status::Ok();
  }
  std::atomic<size_t> next{0};
  std::mutex mu;
  Status failure;
  auto worker = [&] {
    for (size_t i; (i = next++) < mine.size();) {
      RunStats st;
      Status s = RunTask(plan, step.name, mine[i], nullptr, &st);
      std::lock_guard<std::mutex> lock(mu);
      if (!s.ok() && failure.ok()) failure = s;
    }
  };
  std::vector<std::thread> pool;
  for (int i = 1; i < std::min<int>(o.threads, static_cast<int>(mine.size())); ++i) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  return failure;
}

}  // namespace
}  // namespace tasks

Status RunClean(const CleanOptions& options, RunStats* stats) {
  const double start = tasks::NowSeconds();
  tasks::TracePhase("run-clean");
  *stats = RunStats();
  StatusOr<std::unique_ptr<tasks::RunPlan>> made = tasks::MakePlan(options);
  if (!made.ok()) return made.status();
  tasks::RunPlan& plan = **made;
  if (options.overwrite && (options.task_count > 1 || !options.step.empty())) {
    return Status::InvalidArgument(
        "--overwrite removes the folder's earlier run before this one starts, which a share of a run "
        "(--task-count, --step) cannot do while the other shares write there: remove the old files "
        "first, or write into another folder");
  }
  std::vector<const RunStep*> steps = tasks::SelectSteps(plan);
  if (steps.empty()) return tasks::RunTask(plan, options.step, 0, nullptr, stats);  // names the steps
  // A usage error leaves the folder as it was: checked before it is claimed.
  if (!options.overwrite) {
    Status ready = tasks::CheckEarlierStepsDone(plan, *steps.front());
    if (!ready.ok()) return ready;
  }
  tasks::TracePhase("planned");
  bool finished = false;
  Status claimed = tasks::ClaimOutputFolder(plan, options.overwrite, &finished);
  if (!claimed.ok()) return claimed;
  if (finished) {
    // The same command again after it finished: the folder holds its result.
    bool ok;
    StatusOr<RunStats> done = RunStats::FromJson(tasks::ReadWhole(filename::Stats(plan.out), &ok));
    if (ok && done.ok()) {
      std::fprintf(stderr, "winnow: %s already holds this run, finished (same inputs and settings): "
                           "nothing to do (--overwrite runs it again)\n", plan.out.c_str());
      *stats = *done;
      return Status::Ok();
    }
  }
  // One process does it all: the finish step writes stats.json once, with
  // the run's wall time (not a second time here).
  tasks::TracePhase("claimed");
  const bool whole_run = steps.back()->name == tasks::kFinish && options.task_index == 0;
  if (whole_run) plan.whole_run_start = start;
  tasks::Progress progress;
  progress.show = options.progress;
  progress.start = start;
  for (uint64_t b : plan.input_bytes) progress.bytes_total += b;
  RunStats sum;
  for (const RunStep* step : steps) {
    Status s = tasks::CheckEarlierStepsDone(plan, *step);
    if (s.ok()) s = tasks::RunShare(plan, *step, &progress, &sum);
    if (!s.ok()) return s;
  }
  *stats = sum;
  stats->threads = plan.options.threads;
  stats->run_key = plan.key;
  if (!whole_run) stats->wall_seconds = tasks::NowSeconds() - start;
  tasks::TracePhase("run-clean-end");
  return Status::Ok();
}

}  // namespace winnow
