#include "winnow/pipeline.h"

#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "pipeline/tasks.h"
#include "winnow/settings.h"

namespace winnow {

std::vector<std::string> Pipeline::DefaultStages() {
  // HTML extraction and plain-text line cleaning each skip documents of the
  // other kind; then language id, the FineWeb filter chain (datatrove's order:
  // Gopher repetition, Gopher quality, C4, FineWeb), then PII masking.
  return {"extract",        "text.lines",          "langid",
          "filter.gopher_repetition", "filter.gopher_quality", "filter.c4",
          "filter.fineweb", "pii"};
}


StatusOr<std::unique_ptr<Pipeline>> Pipeline::Create(const Config& user_config) {
  const SettingsTable& table = SettingsTable::Global();
  Status valid = table.Validate(user_config);
  if (!valid.ok()) return valid;
  // A copy shares the record of read keys with the caller's config.
  Config config = user_config;
  const StageRegistry& registry = StageRegistry::Global();
  std::vector<std::string> names = config.GetList("stages", {});
  if (names.size() == 1 && names[0] == "none") names.clear();  // no per-document stage
  if (!config.Has("stages")) {
    for (const std::string& n : DefaultStages()) {
      if (registry.Has(n)) names.push_back(n);
    }
  }
  auto pipeline = std::unique_ptr<Pipeline>(new Pipeline());
  for (const std::string& n : names) {
    if (config.GetBool(n + ".enabled", true) == false) continue;
    // Unset keys take the table's default, so that what `winnow config`
    // shows is what runs (the chain's C4 differs from C4Options there).
    for (const Setting& s : registry.Settings(n)) {
      const std::string key = n + "." + s.name;
      if (s.name.find('*') == std::string::npos && !config.values().count(key)) {
        config.Set(key, s.default_value);
      }
    }
    StatusOr<std::unique_ptr<Stage>> stage = registry.Create(n, config);
    if (!stage.ok()) {
      return Status::InvalidArgument("stage " + n + ": " + stage.status().message());
    }
    pipeline->names_.push_back((*stage)->name());
    pipeline->stages_.push_back(std::move(stage).value());
  }
  return pipeline;
}

namespace {
int64_t SteadyNanos() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}
}  // namespace

namespace tasks {
void TracePhase(const char* name) {
  static const bool on = std::getenv("WINNOW_TRACE_PHASES") != nullptr;
  if (!on) return;
  timespec real, thread, process;
  clock_gettime(CLOCK_REALTIME, &real);
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &thread);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &process);
  auto s = [](const timespec& t) { return static_cast<double>(t.tv_sec) + t.tv_nsec * 1e-9; };
  // The time the thread has waited for a core (runnable, not running):
  // what a loaded machine adds, told apart from waiting for work.
  unsigned long long run_ns = 0, wait_ns = 0;
  if (std::FILE* f = std::fopen("/proc/thread-self/schedstat", "r")) {
    if (std::fscanf(f, "%llu %llu", &run_ns, &wait_ns) != 2) wait_ns = 0;
    std::fclose(f);
  }
  std::fprintf(stderr, "winnow-phase %s real %.6f process_cpu %.6f thread_cpu %.6f thread %ld run_queue %.6f\n",
               name, s(real), s(process), s(thread), static_cast<long>(::syscall(SYS_gettid)), wait_ns * 1e-9);
}
double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}
}  // namespace tasks

void Pipeline::StartStream() const {
  for (const auto& stage : stages_) stage->StartStream();
}

void Pipeline::Admit(const Document& doc) const {
  for (const auto& stage : stages_) stage->Admit(doc);
}

void Pipeline::Release(const Document& doc) const {
  for (const auto& stage : stages_) stage->Release(doc);
}

void Pipeline::Process(Document& doc, std::map<std::string, double>* stage_seconds) const {
  // Plain text enters as one block per line: the unit of line cleaning.
  if (doc.kind == DocKind::kText && doc.blocks.empty()) doc.SetTextLines(doc.raw);
  if (!stage_seconds) {
    for (const auto& stage : stages_) {
      if (!doc.decision.keep) break;
      stage->Process(doc);
    }
    return;
  }
  // Thread CPU time, not wall time: on a shared machine a stage's figure
  // must not include the time its thread waited for a core. The thread's
  // CPU clock is a system call here (~1 us, not vDSO), so it is read twice
  // per document, and the document's CPU time is shared among its stages in
  // proportion to their steady-clock time (vDSO, ~40 ns): the same split
  // unless the thread lost its core inside the document. The names are
  // read once (Create).
  thread_local std::vector<int64_t> wall;
  wall.resize(stages_.size());
  const double c0 = tasks::ThreadCpuSeconds();
  int64_t w0 = SteadyNanos();
  size_t ran = 0;
  for (size_t i = 0; i < stages_.size(); ++i) {
    if (!doc.decision.keep) break;
    stages_[i]->Process(doc);
    const int64_t w1 = SteadyNanos();
    wall[i] = w1 - w0;
    w0 = w1;
    ran = i + 1;
  }
  const double cpu = tasks::ThreadCpuSeconds() - c0;
  const size_t n = ran;
  int64_t total = 0;
  for (size_t i = 0; i < n; ++i) total += wall[i];
  for (size_t i = 0; i < n; ++i) {
    (*stage_seconds)[names_[i]] += total > 0 ? cpu * (static_cast<double>(wall[i]) / total) : cpu / n;
  }
}

}  // namespace winnow
