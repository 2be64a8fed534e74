// The streaming driver of `winnow clean`: one reader thread, N worker threads
// running the per-document stages, and the calling thread writing results in
// input order. A ring of `max_in_flight` slots bounds memory and makes the
// output independent of the number of threads.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "pipeline/corpus_steps.h"
#include "winnow/pipeline.h"
#include "winnow/reader.h"
#include "winnow/writer.h"

namespace winnow {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Slot {
  Document doc;
  ReadError error;
  bool is_error = false;
  bool done = false;
};

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out + "\"";
}

// Shared state of one run's per-document pass.
class Run {
 public:
  Run(const CleanOptions& options, const Pipeline& pipeline, size_t capacity)
      : options_(options), pipeline_(pipeline), ring_(capacity) {}

  // Reader thread: reads every input in order into the ring.
  void ReadAll(const std::vector<std::string>& inputs, const ReaderOptions& reader_options) {
    for (const std::string& path : inputs) {
      if (abort_.load()) break;
      StatusOr<std::unique_ptr<Reader>> reader = OpenReader(path, reader_options);
      if (!reader.ok()) {
        ReadError e;
        e.file = path;
        e.message = reader.status().message() + " (the file is counted as one unreadable record)";
        PushError(std::move(e));
        continue;
      }
      Reader& r = **reader;
      current_reader_.store(&r);
      for (;;) {
        if (abort_.load()) break;
        Slot* slot = AcquireSlot();
        if (!slot) break;
        Reader::Result res = r.Next(&slot->doc, &slot->error);
        if (res == Reader::Result::kEnd) {
          ReleaseUnused();
          break;
        }
        slot->is_error = (res == Reader::Result::kUnreadable);
        Publish();
      }
      current_reader_.store(nullptr);
      consumed_done_ += r.bytes_consumed();
      {
        std::lock_guard<std::mutex> lock(mu_);
        skipped_ += r.counters().records_skipped;
        utf8_replaced_ += r.counters().invalid_utf8_replaced;
      }
    }
    std::lock_guard<std::mutex> lock(mu_);
    reading_done_ = true;
    work_cv_.notify_all();
    done_cv_.notify_all();
  }

  // Worker threads: run the stages on documents as they come.
  void Work(std::map<std::string, double>* stage_seconds) {
    for (;;) {
      uint64_t seq;
      {
        std::unique_lock<std::mutex> lock(mu_);
        work_cv_.wait(lock, [&] { return !work_.empty() || (reading_done_ && work_.empty()) || abort_.load(); });
        if (work_.empty()) return;
        seq = work_.front();
        work_.pop_front();
      }
      Slot& slot = ring_[seq % ring_.size()];
      pipeline_.Process(slot.doc, stage_seconds);
      {
        std::lock_guard<std::mutex> lock(mu_);
        slot.done = true;
      }
      done_cv_.notify_all();
    }
  }

  // Calling thread: hands each result, in input order, to `sink`; returns
  // false when the sink asked to stop.
  template <typename Sink>
  void Drain(Sink&& sink) {
    for (;;) {
      if (abort_.load()) return;
      Slot* slot;
      {
        std::unique_lock<std::mutex> lock(mu_);
        done_cv_.wait_for(lock, std::chrono::milliseconds(200), [&] {
          return (next_write_ < next_read_ && ring_[next_write_ % ring_.size()].done) ||
                 (reading_done_ && next_write_ == next_read_);
        });
        if (reading_done_ && next_write_ == next_read_) return;
        if (!(next_write_ < next_read_ && ring_[next_write_ % ring_.size()].done)) {
          sink(nullptr);  // a tick for the progress line
          continue;
        }
        slot = &ring_[next_write_ % ring_.size()];
      }
      if (!sink(slot)) Abort();
      {
        std::lock_guard<std::mutex> lock(mu_);
        slot->done = false;
        slot->is_error = false;
        slot->doc = Document();
        ++next_write_;
      }
      space_cv_.notify_one();
    }
  }

  void Abort() {
    abort_.store(true);
    std::lock_guard<std::mutex> lock(mu_);
    work_cv_.notify_all();
    space_cv_.notify_all();
    done_cv_.notify_all();
  }

  uint64_t BytesConsumed() const {
    const Reader* r = current_reader_.load();
    return consumed_done_.load() + (r ? r->bytes_consumed() : 0);
  }
  uint64_t skipped() const { return skipped_; }
  uint64_t utf8_replaced() const { return utf8_replaced_; }

 private:
  Slot* AcquireSlot() {
    std::unique_lock<std::mutex> lock(mu_);
    space_cv_.wait(lock, [&] { return next_read_ - next_write_ < ring_.size() || abort_.load(); });
    if (abort_.load()) return nullptr;
    return &ring_[next_read_ % ring_.size()];
  }
  void ReleaseUnused() { ring_[next_read_ % ring_.size()].doc = Document(); }
  void Publish() {
    std::lock_guard<std::mutex> lock(mu_);
    Slot& slot = ring_[next_read_ % ring_.size()];
    if (slot.is_error) {
      slot.done = true;
      done_cv_.notify_all();
    } else {
      work_.push_back(next_read_);
      work_cv_.notify_one();
    }
    ++next_read_;
  }
  void PushError(ReadError e) {
    Slot* slot = AcquireSlot();
    if (!slot) return;
    slot->error = std::move(e);
    slot->is_error = true;
    Publish();
  }

  const CleanOptions& options_;
  const Pipeline& pipeline_;
  std::vector<Slot> ring_;
  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_, space_cv_;
  std::deque<uint64_t> work_;
  uint64_t next_read_ = 0, next_write_ = 0;
  bool reading_done_ = false;
  std::atomic<bool> abort_{false};
  std::atomic<const Reader*> current_reader_{nullptr};
  std::atomic<uint64_t> consumed_done_{0};
  uint64_t skipped_ = 0, utf8_replaced_ = 0;
};

std::string FormatDuration(double s) {
  char buf[32];
  if (s < 0 || s > 1e7) return "?";
  int si = static_cast<int>(s);
  std::snprintf(buf, sizeof buf, "%d:%02d:%02d", si / 3600, (si / 60) % 60, si % 60);
  return buf;
}

}  // namespace

Status RunClean(const CleanOptions& options, RunStats* stats) {
  Clock::time_point start = Clock::now();
  *stats = RunStats();
  const Config& config = options.config;
  int threads = options.threads > 0 ? options.threads
                                    : std::max(1u, std::thread::hardware_concurrency());
  stats->threads = threads;

  // Each path is expanded on its own: a missing one stays in the list, fails
  // to open in the reader thread and is reported as unreadable, and the run
  // goes on with the others.
  StatusOr<std::vector<std::string>> inputs = std::vector<std::string>();
  for (const std::string& path : options.inputs) {
    StatusOr<std::vector<std::string>> files = ListInputs({path});
    if (files.ok()) {
      inputs->insert(inputs->end(), files->begin(), files->end());
    } else {
      inputs->push_back(path);
    }
  }
  if (inputs->empty()) return Status::InvalidArgument("no input files found in the paths given");
  if (options.task_count < 1 || options.task_index < 0 || options.task_index >= options.task_count) {
    return Status::InvalidArgument("--task-index must be in [0, --task-count)");
  }
  std::string output_dir = options.output_dir;
  if (options.task_count > 1) {
    std::vector<std::string> mine;
    for (size_t i = 0; i < inputs->size(); ++i) {
      if (static_cast<int>(i % options.task_count) == options.task_index) mine.push_back((*inputs)[i]);
    }
    *inputs = std::move(mine);
    char buf[64];
    std::snprintf(buf, sizeof buf, "/task-%05d-of-%05d", options.task_index, options.task_count);
    output_dir += buf;
  }
  for (const std::string& f : *inputs) {
    struct stat st;
    if (f != "-" && ::stat(f.c_str(), &st) == 0) stats->bytes_in += st.st_size;
  }

  std::error_code ec;
  fs::create_directories(output_dir, ec);
  if (ec) return Status::IoError("cannot create output folder " + output_dir + ": " + ec.message());

  StatusOr<std::unique_ptr<Pipeline>> pipeline = Pipeline::Create(config);
  if (!pipeline.ok()) return pipeline.status();

  CorpusSteps corpus(config, output_dir, threads);
  Status s = corpus.Validate();
  if (!s.ok()) return s;
  if (corpus.enabled() && options.task_count > 1) {
    return Status::InvalidArgument(
        "corpus-level steps (dedup, repeated lines) see the whole corpus: run the tasks without "
        "them, then `winnow dedup` over all tasks' kept shards");
  }

  ReaderOptions reader_options;
  reader_options.format = config.GetString("input.format", "auto");
  reader_options.id_field = config.GetString("input.id_field", reader_options.id_field);
  reader_options.url_field = config.GetString("input.url_field", reader_options.url_field);
  reader_options.text_field = config.GetString("input.text_field", reader_options.text_field);
  reader_options.html_field = config.GetString("input.html_field", reader_options.html_field);

  WriterOptions kept_options;
  kept_options.compression = config.GetString("output.compression", "zst");
  kept_options.shard_bytes = static_cast<uint64_t>(config.GetInt("output.shard_mb", 256)) << 20;
  kept_options.json.blocks = config.GetBool("output.blocks", false);
  WriterOptions rejected_options = kept_options;
  rejected_options.json.decision = true;
  // Corpus-level steps re-read the documents with their blocks.
  WriterOptions stage_options = kept_options;
  stage_options.json.blocks = true;

  const std::string kept_prefix =
      corpus.enabled() ? corpus.StageOnePrefix() : output_dir + "/kept";
  StatusOr<std::unique_ptr<DocumentWriter>> kept =
      OpenWriter(kept_prefix, corpus.enabled() ? stage_options : kept_options);
  if (!kept.ok()) return kept.status();
  StatusOr<std::unique_ptr<DocumentWriter>> rejected =
      OpenWriter(output_dir + "/rejected", rejected_options);
  if (!rejected.ok()) return rejected.status();
  std::ofstream unreadable_log(output_dir + "/unreadable.jsonl", std::ios::trunc);
  if (!unreadable_log) return Status::IoError("cannot write " + output_dir + "/unreadable.jsonl");

  size_t capacity = static_cast<size_t>(config.GetInt("pipeline.max_in_flight", 64 * threads));
  Run run(options, **pipeline, std::max<size_t>(capacity, 2));
  std::vector<std::map<std::string, double>> stage_seconds(threads);
  std::thread reader([&] { run.ReadAll(*inputs, reader_options); });
  std::vector<std::thread> workers;
  for (int i = 0; i < threads; ++i) workers.emplace_back([&, i] { run.Work(&stage_seconds[i]); });

  Status failure;
  uint64_t errors_printed = 0;
  const uint64_t kMaxErrorsPrinted = 20;
  Clock::time_point last_progress = start;
  bool progress_shown = false;
  run.Drain([&](Slot* slot) -> bool {
    Clock::time_point now = Clock::now();
    if (options.progress && now - last_progress > std::chrono::milliseconds(500)) {
      last_progress = now;
      double secs = std::chrono::duration<double>(now - start).count();
      uint64_t done_bytes = run.BytesConsumed();
      double share = stats->bytes_in ? static_cast<double>(done_bytes) / stats->bytes_in : 0;
      double eta = share > 0 ? secs / share - secs : -1;
      std::fprintf(stderr, "\r%llu docs, %.0f docs/s, %.1f MB/s, %.1f%% of input, %s left   ",
                   (unsigned long long)stats->docs_in, stats->docs_in / secs,
                   done_bytes / 1e6 / secs, 100 * share, FormatDuration(eta).c_str());
      progress_shown = true;
    }
    if (!slot) return true;
    ++stats->docs_in;
    if (slot->is_error) {
      ++stats->unreadable;
      const ReadError& e = slot->error;
      unreadable_log << "{\"file\": " << JsonString(e.file) << ", \"record\": " << e.record
                     << ", \"offset\": " << e.offset << ", \"message\": " << JsonString(e.message)
                     << "}\n";
      if (errors_printed < kMaxErrorsPrinted) {
        std::fprintf(stderr, "%swinnow: unreadable: %s\n", progress_shown ? "\n" : "",
                     e.ToString().c_str());
      } else if (errors_printed == kMaxErrorsPrinted) {
        std::fprintf(stderr, "winnow: more unreadable records; all are listed in %s/unreadable.jsonl\n",
                     output_dir.c_str());
      }
      ++errors_printed;
      if (options.strict) {
        failure = Status::Corrupt("--strict: stopped at the first unreadable record: " + e.ToString());
        return false;
      }
      return true;
    }
    Document& doc = slot->doc;
    Status w;
    // Rejected pages count too: their chrome is the site's chrome.
    if (corpus.enabled()) corpus.Observe(doc);
    if (doc.decision.keep) {
      w = (*kept)->Write(doc);
    } else {
      w = (*rejected)->Write(doc);
    }
    if (!w.ok()) {
      failure = w;
      return false;
    }
    stats->Add(doc);
    return true;
  });
  reader.join();
  for (std::thread& t : workers) t.join();
  if (progress_shown) std::fputs("\n", stderr);
  stats->records_skipped = run.skipped();
  stats->invalid_utf8_replaced = run.utf8_replaced();
  for (const auto& m : stage_seconds)
    for (const auto& [k, v] : m) stats->stage_seconds[k] += v;
  Status c1 = (*kept)->Close();
  Status c2 = (*rejected)->Close();
  unreadable_log.close();
  if (!failure.ok()) return failure;
  if (!c1.ok()) return c1;
  if (!c2.ok()) return c2;

  if (corpus.enabled()) {
    Status cs = corpus.Run((*kept)->files(), kept_options, rejected_options, stats);
    if (!cs.ok()) return cs;
  }

  stats->wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::ofstream out(output_dir + "/stats.json", std::ios::trunc);
  out << stats->ToJson();
  if (!out) return Status::IoError("cannot write " + output_dir + "/stats.json");
  return Status::Ok();
}

}  // namespace winnow
