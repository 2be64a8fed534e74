// The per-document step of `winnow clean` for one unit: one reader thread, N
// worker threads running the stages, and the calling thread writing results
// in input order. A ring of `max_in_flight` slots bounds memory and makes the
// output independent of the number of threads.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

#include "base/filename.h"
#include "io/json.h"
#include "pipeline/tasks.h"
#include "winnow/pipeline.h"
#include "winnow/reader.h"
#include "winnow/settings.h"
#include "winnow/writer.h"

namespace winnow::tasks {
namespace {

struct Slot {
  Document doc;
  ReadError error;
  bool is_error = false;
  bool done = false;
  // A record the reader only cut (Reader::NextRecord): a worker parses it.
  RawRecord raw;
  std::shared_ptr<const Reader> parser;  // set while `raw` waits to be parsed
};

// The ordered ring of one per-document task: a reader thread fills slots in
// input order, workers run the stages, the caller drains them in order.
//
// A position of the ring points at a slot taken from a pool, most recently
// written first, and the reader stays at most `read_ahead` records ahead of
// the workers: so a run uses as many slots (documents and their buffers) as
// it has records in flight, about `read_ahead` plus the workers', not the
// ring's capacity. Every slot of a full ring is fresh memory the first time
// (a page's ~190 KB of raw HTML, its blocks, text and tree: page faults,
// then their unmapping at exit): 128 of them at -t 2 was 7,000 of the run's
// 12,200 page faults on scrapinghub's 181 pages. The capacity still bounds
// what is held when one slow document keeps the writer waiting.
class DocumentRing {
 public:
  // With `split`, a reader that can (JSONL) only cuts records and the workers
  // parse them, so that one reader feeds more workers; the workers then
  // admit every document (Stage::Admit) in input order, taking turns.
  DocumentRing(const Pipeline& pipeline, size_t capacity, size_t read_ahead, bool split)
      : pipeline_(pipeline), ring_(capacity, nullptr), read_ahead_(std::max<size_t>(read_ahead, 2)),
        write_batch_(std::min(kWriteBatch, capacity)), split_(split) {}

  // Reader thread: reads every input in order into the ring.
  void ReadAll(const std::vector<std::string>& inputs, const ReaderOptions& reader_options) {
    const double cpu0 = ThreadCpuSeconds();
    TracePhase("reader-start");
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
      std::shared_ptr<Reader> shared = std::move(reader).value();
      Reader& r = *shared;
      const bool cut_only = split_ && r.SplitsRecords();
      current_reader_.store(&r);
      for (;;) {
        if (abort_.load()) break;
        Slot* slot = AcquireSlot();
        if (!slot) break;
        Reader::Result res =
            cut_only ? r.NextRecord(&slot->raw, &slot->error) : r.Next(&slot->doc, &slot->error);
        if (res == Reader::Result::kEnd) {
          ReleaseUnused();
          break;
        }
        slot->is_error = (res == Reader::Result::kUnreadable);
        if (cut_only && !slot->is_error) slot->parser = shared;
        if (!split_ && !slot->is_error) {
          // Only this thread moves next_read_.
          slot->doc.source.sequence = next_read_;
          pipeline_.Admit(slot->doc);
        }
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
    reader_seconds_ = ThreadCpuSeconds() - cpu0;
    TracePhase("reader-end");
    reading_done_ = true;
    work_cv_.notify_all();
    done_cv_.notify_all();
  }

  // Worker threads: run the stages on documents as they come.
  void Work(std::map<std::string, double>* stage_seconds) {
    TracePhase("worker-start");
    for (;;) {
      uint64_t seq;
      {
        std::unique_lock<std::mutex> lock(mu_);
        work_cv_.wait(lock, [&] { return !work_.empty() || (reading_done_ && work_.empty()) || abort_.load(); });
        if (work_.empty()) {
          TracePhase("worker-end");
          return;
        }
        seq = work_.front();
        work_.pop_front();
        // The reader waits for the queue to run low, then refills it at once.
        if (reader_waiting_ && ReaderMayGoLocked()) space_cv_.notify_one();
      }
      Slot& slot = *ring_[seq % ring_.size()];
      if (!split_ || ParseAndAdmit(seq, slot, stage_seconds)) {
        pipeline_.Process(slot.doc, stage_seconds);
        pipeline_.Release(slot.doc);
      }
      MarkDone(slot);
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
        // What is done in order is written without waiting; else the
        // writer sleeps until a batch is (or the 200 ms tick: then it
        // writes what is there, so a slow input still flows).
        if (!NextDoneLocked() && !(reading_done_ && next_write_ == next_read_)) {
          writer_waiting_ = true;
          done_cv_.wait_for(lock, std::chrono::milliseconds(200),
                            [&] { return WriterMayGoLocked() || abort_.load(); });
          writer_waiting_ = false;
        }
        if (reading_done_ && next_write_ == next_read_) {
          TracePhase("drain-end");
          return;
        }
        if (!NextDoneLocked()) {
          sink(nullptr);  // a tick for the progress line
          continue;
        }
        slot = ring_[next_write_ % ring_.size()];
      }
      if (!sink(slot)) Abort();
      {
        std::lock_guard<std::mutex> lock(mu_);
        slot->done = false;
        slot->is_error = false;
        // The document stays until the reader fills the slot again, which
        // may reuse its buffers: the slot goes back to the pool, on top.
        ring_[next_write_ % ring_.size()] = nullptr;
        free_.push_back(slot);
        ++next_write_;
        if (!reader_waiting_ || !ReaderMayGoLocked()) continue;
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
    admit_cv_.notify_all();
  }

  uint64_t BytesConsumed() const {
    const Reader* r = current_reader_.load();
    return consumed_done_.load() + (r ? r->bytes_consumed() : 0);
  }
  uint64_t skipped() const { return skipped_; }
  double reader_seconds() const { return reader_seconds_; }
  uint64_t utf8_replaced() const { return utf8_replaced_ + parse_utf8_replaced_.load(); }

 private:
  // Split mode, a worker: parses the slot's record when the reader only cut
  // it, then admits the document in its turn (every earlier one admitted or
  // unreadable). False when the slot is an unreadable record (or the run
  // stops): nothing to process.
  bool ParseAndAdmit(uint64_t seq, Slot& slot, std::map<std::string, double>* stage_seconds) {
    if (slot.parser) {
      const double t0 = ThreadCpuSeconds();
      uint64_t fixed = 0;
      slot.is_error = slot.parser->ParseRecord(slot.raw, &slot.doc, &slot.error, &fixed) !=
                      Reader::Result::kDocument;
      slot.parser.reset();
      if (fixed > 0) parse_utf8_replaced_ += fixed;
      if (stage_seconds) (*stage_seconds)["parse"] += ThreadCpuSeconds() - t0;
    }
    {
      std::unique_lock<std::mutex> lock(mu_);
      admit_cv_.wait(lock, [&] { return admit_next_ == seq || abort_.load(); });
      if (abort_.load()) return false;
    }
    if (!slot.is_error) {
      slot.doc.source.sequence = seq;
      pipeline_.Admit(slot.doc);
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++admit_next_;
      AdvanceTurnLocked();
    }
    admit_cv_.notify_all();
    return !slot.is_error;
  }
  // Passes the turn over records the reader found unreadable (no worker
  // sees them). REQUIRES: mu_ held.
  void AdvanceTurnLocked() {
    while (!unadmitted_.empty() && unadmitted_.front() == admit_next_) {
      unadmitted_.pop_front();
      ++admit_next_;
    }
  }

  // A worker's document (or an unreadable record) is done: the writer is
  // woken only when it may write a batch.
  void MarkDone(Slot& slot) {
    bool wake;
    {
      std::lock_guard<std::mutex> lock(mu_);
      slot.done = true;
      wake = writer_waiting_ && WriterMayGoLocked();
    }
    if (wake) done_cv_.notify_one();
  }
  // The next document in order is done. REQUIRES: mu_ held.
  bool NextDoneLocked() const {
    return next_write_ < next_read_ && ring_[next_write_ % ring_.size()]->done;
  }
  // Wakes the waiting writer once `write_batch_` documents in order are
  // done, or all that are left: not for each document. At -t 2 on
  // dragnet's 1,381 pages a wake-up per document was 1,260 voluntary
  // context switches of the writer and 1,220 involuntary ones of the
  // workers it preempted (both cores busy), ~2 per page. REQUIRES: mu_ held.
  bool WriterMayGoLocked() const {
    const uint64_t want = next_write_ + write_batch_;
    uint64_t ready = next_write_;
    while (ready < next_read_ && ready < want && ring_[ready % ring_.size()]->done) ++ready;
    return ready == want || (reading_done_ && ready == next_read_);
  }

  // The reader may read the next record: a free position in the ring and
  // fewer than `read_ahead_` records waiting for a worker. REQUIRES: mu_ held.
  bool RingHasRoomLocked() const {
    return next_read_ - next_write_ < ring_.size() && work_.size() < read_ahead_;
  }
  // Wakes a waiting reader only once the queue is down to half (it then
  // reads several records in a row, not one per wake-up). REQUIRES: mu_ held.
  bool ReaderMayGoLocked() const {
    return next_read_ - next_write_ < ring_.size() && work_.size() <= read_ahead_ / 2;
  }

  Slot* AcquireSlot() {
    std::unique_lock<std::mutex> lock(mu_);
    if (!RingHasRoomLocked() && !abort_.load()) {
      reader_waiting_ = true;
      space_cv_.wait(lock, [&] { return ReaderMayGoLocked() || abort_.load(); });
      reader_waiting_ = false;
    }
    if (abort_.load()) return nullptr;
    Slot* slot;
    if (free_.empty()) {
      store_.push_back(std::make_unique<Slot>());
      slot = store_.back().get();
    } else {
      slot = free_.back();
      free_.pop_back();
    }
    ring_[next_read_ % ring_.size()] = slot;
    return slot;
  }
  // The slot taken for a record that was not there (the input's end).
  void ReleaseUnused() {
    std::lock_guard<std::mutex> lock(mu_);
    Slot*& slot = ring_[next_read_ % ring_.size()];
    free_.push_back(slot);
    slot = nullptr;
  }
  void Publish() {
    std::lock_guard<std::mutex> lock(mu_);
    Slot& slot = *ring_[next_read_ % ring_.size()];
    if (slot.is_error) {
      slot.done = true;
      if (split_) {
        unadmitted_.push_back(next_read_);
        AdvanceTurnLocked();
        admit_cv_.notify_all();
      }
    } else {
      work_.push_back(next_read_);
      work_cv_.notify_one();
    }
    ++next_read_;
    if (slot.is_error && writer_waiting_ && WriterMayGoLocked()) done_cv_.notify_one();
  }
  void PushError(ReadError e) {
    Slot* slot = AcquireSlot();
    if (!slot) return;
    slot->error = std::move(e);
    slot->is_error = true;
    Publish();
  }

  const Pipeline& pipeline_;
  std::vector<Slot*> ring_;                  // by sequence % capacity; null when free
  std::vector<std::unique_ptr<Slot>> store_;  // every slot made
  std::vector<Slot*> free_;                  // the pool: the last one written on top
  const size_t read_ahead_;
  // Documents done in order before the writer is woken (at most the ring's
  // capacity, which the reader can fill: then all of it is done at last).
  static constexpr size_t kWriteBatch = 8;
  const size_t write_batch_;
  bool reader_waiting_ = false;
  bool writer_waiting_ = false;
  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_, space_cv_, admit_cv_;
  const bool split_;
  uint64_t admit_next_ = 0;             // split: the next sequence number to admit
  std::deque<uint64_t> unadmitted_;     // split: unreadable records not yet passed
  std::atomic<uint64_t> parse_utf8_replaced_{0};
  std::deque<uint64_t> work_;
  uint64_t next_read_ = 0, next_write_ = 0;
  bool reading_done_ = false;
  std::atomic<bool> abort_{false};
  std::atomic<const Reader*> current_reader_{nullptr};
  std::atomic<uint64_t> consumed_done_{0};
  uint64_t skipped_ = 0, utf8_replaced_ = 0;
  double reader_seconds_ = 0;
};

// The per-document step on the calling thread alone (-t 1): read, admit,
// run the stages and hand each result to `sink`, one record after another,
// so a run of one thread uses one core (no reader or writer thread beside
// it). The same order and the same calls as the ring: the same bytes out.
class InlineRun {
 public:
  explicit InlineRun(const Pipeline& pipeline) : pipeline_(pipeline) {}

  template <typename Sink>
  void Run(const std::vector<std::string>& inputs, const ReaderOptions& reader_options,
           std::map<std::string, double>* stage_seconds, Sink&& sink) {
    Slot slot;
    uint64_t sequence = 0;
    for (const std::string& path : inputs) {
      double t0 = ThreadCpuSeconds();
      StatusOr<std::unique_ptr<Reader>> opened = OpenReader(path, reader_options);
      reader_seconds_ += ThreadCpuSeconds() - t0;
      if (!opened.ok()) {
        slot.error = ReadError();
        slot.error.file = path;
        slot.error.message = opened.status().message() + " (the file is counted as one unreadable record)";
        slot.is_error = true;
        ++sequence;
        const bool go_on = sink(&slot);
        slot.is_error = false;
        if (!go_on) return;
        continue;
      }
      std::unique_ptr<Reader> reader = std::move(opened).value();
      current_reader_ = reader.get();
      bool go_on = true;
      while (go_on) {
        t0 = ThreadCpuSeconds();
        const Reader::Result res = reader->Next(&slot.doc, &slot.error);
        if (res == Reader::Result::kDocument) {
          slot.doc.source.sequence = sequence;
          pipeline_.Admit(slot.doc);
        }
        reader_seconds_ += ThreadCpuSeconds() - t0;
        if (res == Reader::Result::kEnd) break;
        ++sequence;
        slot.is_error = (res == Reader::Result::kUnreadable);
        if (!slot.is_error) {
          pipeline_.Process(slot.doc, stage_seconds);
          pipeline_.Release(slot.doc);
        }
        go_on = sink(&slot);
        slot.is_error = false;
      }
      current_reader_ = nullptr;
      consumed_done_ += reader->bytes_consumed();
      skipped_ += reader->counters().records_skipped;
      utf8_replaced_ += reader->counters().invalid_utf8_replaced;
      if (!go_on) return;
    }
  }

  uint64_t BytesConsumed() const {
    return consumed_done_ + (current_reader_ ? current_reader_->bytes_consumed() : 0);
  }
  uint64_t skipped() const { return skipped_; }
  double reader_seconds() const { return reader_seconds_; }
  uint64_t utf8_replaced() const { return utf8_replaced_; }

 private:
  const Pipeline& pipeline_;
  const Reader* current_reader_ = nullptr;
  uint64_t consumed_done_ = 0, skipped_ = 0, utf8_replaced_ = 0;
  double reader_seconds_ = 0;
};

double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string FormatDuration(double s) {
  char buf[32];
  if (s < 0 || s > 1e7) return "?";
  int si = static_cast<int>(s);
  std::snprintf(buf, sizeof buf, "%d:%02d:%02d", si / 3600, (si / 60) % 60, si % 60);
  return buf;
}

}  // namespace

Status RunDocuments(const RunPlan& plan, const std::vector<std::string>& inputs,
                    const std::string& kept_path, const std::string& rejected_path,
                    const std::string& unreadable_path, RepeatedLineCounter* counter,
                    Progress* progress, RunStats* stats) {
  TracePhase("run-documents");
  const CleanOptions& options = plan.options;
  const Config& config = options.config;
  const int threads = progress->threads > 0 ? progress->threads : stats->threads;
  std::shared_ptr<const Pipeline> pipeline;
  {
    std::lock_guard<std::mutex> lock(plan.mu);
    const size_t ring = static_cast<size_t>(std::max(progress->ring, 0));
    if (ring > plan.ring_pipelines.size()) plan.ring_pipelines.resize(ring);
    std::shared_ptr<const Pipeline>& mine = ring == 0 ? plan.pipeline : plan.ring_pipelines[ring - 1];
    if (!mine) {
      StatusOr<std::unique_ptr<Pipeline>> p = Pipeline::Create(config);
      if (!p.ok()) return p.status();
      mine = std::move(p).value();
    }
    pipeline = mine;
  }

  TracePhase("pipeline-ready");
  ReaderOptions reader_options;
  reader_options.format = config.GetString("input.format", "auto");
  reader_options.id_field = config.GetString("input.id_field", reader_options.id_field);
  reader_options.url_field = config.GetString("input.url_field", reader_options.url_field);
  reader_options.text_field = config.GetString("input.text_field", reader_options.text_field);
  reader_options.html_field = config.GetString("input.html_field", reader_options.html_field);

  StatusOr<std::unique_ptr<DocumentWriter>> kept =
      OpenWriter(kept_path, plan.dedup || plan.repeated_lines ? plan.handover : plan.kept);
  if (!kept.ok()) return kept.status();
  StatusOr<std::unique_ptr<DocumentWriter>> rejected = OpenWriter(rejected_path, plan.rejected);
  if (!rejected.ok()) return rejected.status();
  std::ofstream unreadable_log(unreadable_path, std::ios::trunc);
  if (!unreadable_log) return Status::IoError("cannot write " + unreadable_path);

  TracePhase("writers-open");
  const int64_t max_in_flight = config.GetInt("pipeline.max_in_flight", 0);
  size_t capacity = static_cast<size_t>(max_in_flight > 0 ? max_in_flight : 64 * threads);
  // With a ring, the reader keeps `read_ahead` records per worker ready (at
  // most the capacity) and is woken when half of them are taken.
  const size_t read_ahead = static_cast<size_t>(std::max<int64_t>(1, config.GetInt("pipeline.read_ahead", 8)));
  // Evidence across documents (site templates) starts afresh per unit.
  pipeline->StartStream();
  // One thread: everything on the calling thread (InlineRun). More: a ring.
  // A reader that parses its lines feeds 3-6 workers (doc/performance.md):
  // up to 2 it parses (the copy of each line to hand it over costs more than
  // it frees: +4% CPU on scrapinghub's pages at -t 2). With 3 or more the
  // workers parse and the reader only inflates and cuts lines.
  const bool inline_run = threads <= 1;
  std::optional<InlineRun> alone;
  std::optional<DocumentRing> ring;
  if (inline_run) {
    alone.emplace(*pipeline);
  } else {
    ring.emplace(*pipeline, std::max<size_t>(capacity, 2), std::min<size_t>(capacity, read_ahead * threads),
                 /*split=*/threads >= 3);
  }
  auto bytes_consumed = [&] { return alone ? alone->BytesConsumed() : ring->BytesConsumed(); };

  Status failure;
  uint64_t errors_printed = 0;
  const uint64_t kMaxErrorsPrinted = 20;
  double last_progress = 0;
  // Writes one result in input order (nullptr: a tick for the progress
  // line); false stops the run.
  auto write = [&](Slot* slot) -> bool {
    if (progress->show) {
      double now = NowSeconds();
      if (now - last_progress > 0.5) {
        last_progress = now;
        double secs = std::max(now - progress->start, 1e-3);
        uint64_t docs = progress->docs_before + stats->docs_in;
        uint64_t done_bytes = progress->bytes_before + bytes_consumed();
        double share = progress->bytes_total ? static_cast<double>(done_bytes) / progress->bytes_total : 0;
        double eta = share > 0 ? secs / share - secs : -1;
        std::fprintf(stderr, "\r%llu docs, %.0f docs/s, %.1f MB/s, %.1f%% of input, %s left   ",
                     (unsigned long long)docs, docs / secs, done_bytes / 1e6 / secs, 100 * share,
                     FormatDuration(eta).c_str());
        progress->shown = true;
      }
    }
    if (!slot) return true;
    ++stats->docs_in;
    if (slot->is_error) {
      ++stats->unreadable;
      const ReadError& e = slot->error;
      unreadable_log << io::UnreadableLine(e);
      if (errors_printed < kMaxErrorsPrinted) {
        std::fprintf(stderr, "%swinnow: unreadable: %s\n", progress->shown ? "\n" : "",
                     e.ToString().c_str());
      } else if (errors_printed == kMaxErrorsPrinted) {
        std::fprintf(stderr, "winnow: more unreadable records; all are listed in %s\n",
                     filename::Unreadable(plan.out).c_str());
      }
      ++errors_printed;
      if (options.strict) {
        failure = Status::Corrupt("--strict: stopped at the first unreadable record: " + e.ToString());
        return false;
      }
      return true;
    }
    Document& doc = slot->doc;
    // Rejected pages count too: their chrome is the site's chrome.
    if (counter) counter->Observe(doc);
    Status w = doc.decision.keep ? (*kept)->Write(doc) : (*rejected)->Write(doc);
    if (!w.ok()) {
      failure = w;
      return false;
    }
    stats->Add(doc);
    return true;
  };

  std::vector<std::map<std::string, double>> stage_seconds(std::max(threads, 1));
  const double writer_cpu0 = ThreadCpuSeconds();
  double reader_seconds = 0;
  if (alone) {
    alone->Run(inputs, reader_options, &stage_seconds[0], write);
    stats->records_skipped += alone->skipped();
    stats->invalid_utf8_replaced += alone->utf8_replaced();
    reader_seconds = alone->reader_seconds();
  } else {
    std::thread reader([&] { ring->ReadAll(inputs, reader_options); });
    std::vector<std::thread> workers;
    for (int i = 0; i < threads; ++i) workers.emplace_back([&, i] { ring->Work(&stage_seconds[i]); });
    ring->Drain([&](Slot* slot) -> bool { return write(slot); });
    reader.join();
    for (std::thread& t : workers) t.join();
    stats->records_skipped += ring->skipped();
    stats->invalid_utf8_replaced += ring->utf8_replaced();
    reader_seconds = ring->reader_seconds();
  }
  double stages_here = 0;  // the stages' CPU on this thread (inline)
  for (size_t i = 0; i < stage_seconds.size(); ++i)
    for (const auto& [k, v] : stage_seconds[i]) {
      stats->stage_seconds[k] += v;
      if (alone) stages_here += v;
    }
  // The serial parts beside the stages: what bounds scaling with threads.
  stats->stage_seconds["reader"] += reader_seconds;
  TracePhase("docs-done");
  Status c1 = (*kept)->Close();
  Status c2 = (*rejected)->Close();
  unreadable_log.close();
  TracePhase("closed");
  // The writer is this thread's CPU besides (inline) the reading and the stages.
  stats->stage_seconds["writer"] +=
      ThreadCpuSeconds() - writer_cpu0 - (alone ? reader_seconds + stages_here : 0);
  if (!failure.ok()) return failure;
  if (!c1.ok()) return c1;
  if (!c2.ok()) return c2;
  if (!unreadable_log) return Status::IoError("cannot write " + unreadable_path);
  return Status::Ok();
}

}  // namespace winnow::tasks
