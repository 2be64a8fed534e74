// ExternalSorter: sorts more fixed-size records than fit in memory.
//
// Records are added to a buffer of at most `budget_bytes`; a full buffer is
// sorted and written to a run file in `dir`; Finish() merges the runs with a
// k-way heap merge (fan-in bounded, merging in several levels when there are
// more runs) and Next() yields the records in order. With no spill, Next()
// reads the in-memory buffer. Run files are removed by the destructor.
// T must be trivially copyable. Not thread-safe; one sorter per thread.
#ifndef WINNOW_SRC_DEDUP_EXTERNAL_SORT_H_
#define WINNOW_SRC_DEDUP_EXTERNAL_SORT_H_

#include <algorithm>
#include <cstdio>
#include <memory>
#include <queue>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "winnow/status.h"

namespace winnow {
namespace dedup_internal {

// Buffered sequential reader of fixed-size records from a file.
template <typename T>
class RecordReader {
 public:
  RecordReader() = default;
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;
  ~RecordReader() { Close(); }
  Status Open(const std::string& path, size_t buffer_bytes, long offset = 0) {
    Close();
    f_ = std::fopen(path.c_str(), "rb");
    if (!f_) return Status::IoError("cannot open " + path + " for reading");
    if (offset != 0 && std::fseek(f_, offset, SEEK_SET) != 0)
      return Status::IoError("cannot seek in " + path);
    buf_.resize(std::max<size_t>(buffer_bytes / sizeof(T), 16));
    pos_ = len_ = 0;
    path_ = path;
    return Status::Ok();
  }
  bool Next(T* out) {
    if (pos_ == len_) {
      if (!f_) return false;
      len_ = std::fread(buf_.data(), sizeof(T), buf_.size(), f_);
      pos_ = 0;
      if (len_ == 0) return false;
    }
    *out = buf_[pos_++];
    return true;
  }
  void Close() {
    if (f_) std::fclose(f_);
    f_ = nullptr;
  }

 private:
  std::FILE* f_ = nullptr;
  std::vector<T> buf_;
  size_t pos_ = 0, len_ = 0;
  std::string path_;
};

template <typename T, typename Less>
class ExternalSorter {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  // Run files are <dir>/<name>.runN.tmp.
  ExternalSorter(std::string dir, std::string name, size_t budget_bytes, Less less = Less())
      : dir_(std::move(dir)), name_(std::move(name)), less_(less) {
    budget_records_ = std::max<size_t>(budget_bytes / sizeof(T), 64);
    // Each run being merged gets a read buffer; the fan-in is capped so that
    // the buffers together stay within the budget (with a 4 KB floor).
    fan_in_ = std::clamp<size_t>(budget_bytes / (64 << 10), 2, 64);
    read_buffer_bytes_ = std::max<size_t>(budget_bytes / (fan_in_ + 1), 4096);
  }
  ExternalSorter(const ExternalSorter&) = delete;
  ExternalSorter& operator=(const ExternalSorter&) = delete;
  ~ExternalSorter() {
    readers_.clear();
    for (const std::string& r : runs_) std::remove(r.c_str());
    for (const std::string& r : dead_runs_) std::remove(r.c_str());
  }

  Status Add(const T& record) {
    // Reserved once at the budget so that growth never doubles past it (the
    // pages are touched, and counted in RSS, only as records arrive).
    if (buffer_.capacity() == 0) buffer_.reserve(budget_records_);
    buffer_.push_back(record);
    if (buffer_.size() >= budget_records_) return Spill();
    return Status::Ok();
  }

  Status Finish() {
    if (runs_.empty()) {
      std::sort(buffer_.begin(), buffer_.end(), less_);
      mem_pos_ = 0;
      in_memory_ = true;
      return Status::Ok();
    }
    if (!buffer_.empty()) {
      Status s = Spill();
      if (!s.ok()) return s;
    }
    std::vector<T>().swap(buffer_);
    // Merge levels until the remaining runs fit one fan-in.
    while (runs_.size() > fan_in_) {
      std::vector<std::string> next;
      for (size_t i = 0; i < runs_.size(); i += fan_in_) {
        std::vector<std::string> group(runs_.begin() + i,
                                       runs_.begin() + std::min(runs_.size(), i + fan_in_));
        if (group.size() == 1) {
          next.push_back(group[0]);
          continue;
        }
        std::string out = NewRunName();
        Status s = MergeToFile(group, out);
        if (!s.ok()) return s;
        for (const std::string& g : group) std::remove(g.c_str());
        next.push_back(out);
      }
      runs_ = std::move(next);
    }
    return OpenMerge(runs_);
  }

  // REQUIRES: Finish() returned OK.
  bool Next(T* out) {
    if (in_memory_) {
      if (mem_pos_ >= buffer_.size()) return false;
      *out = buffer_[mem_pos_++];
      return true;
    }
    if (heap_.empty()) return false;
    auto [rec, idx] = heap_.top();
    heap_.pop();
    *out = rec;
    T next;
    if (readers_[idx]->Next(&next)) heap_.push({next, idx});
    return true;
  }

  uint64_t spilled_runs() const { return spilled_; }

 private:
  struct HeapLess {
    Less less;
    bool operator()(const std::pair<T, size_t>& a, const std::pair<T, size_t>& b) const {
      // std::priority_queue is a max-heap; ties broken by run index for a
      // stable, deterministic order.
      if (less(b.first, a.first)) return true;
      if (less(a.first, b.first)) return false;
      return a.second > b.second;
    }
  };

  std::string NewRunName() {
    return dir_ + "/" + name_ + ".run" + std::to_string(run_counter_++) + ".tmp";
  }

  Status Spill() {
    std::sort(buffer_.begin(), buffer_.end(), less_);
    std::string path = NewRunName();
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return Status::IoError("cannot create sort run " + path);
    size_t n = std::fwrite(buffer_.data(), sizeof(T), buffer_.size(), f);
    bool ok = (n == buffer_.size()) && std::fclose(f) == 0;
    if (!ok) return Status::IoError("cannot write sort run " + path + " (disk full?)");
    runs_.push_back(path);
    buffer_.clear();
    ++spilled_;
    return Status::Ok();
  }

  Status OpenMerge(const std::vector<std::string>& runs) {
    readers_.clear();
    heap_ = {};
    for (size_t i = 0; i < runs.size(); ++i) {
      auto r = std::make_unique<RecordReader<T>>();
      Status s = r->Open(runs[i], read_buffer_bytes_);
      if (!s.ok()) return s;
      T first;
      if (r->Next(&first)) heap_.push({first, i});
      readers_.push_back(std::move(r));
    }
    return Status::Ok();
  }

  Status MergeToFile(const std::vector<std::string>& group, const std::string& out) {
    Status s = OpenMerge(group);
    if (!s.ok()) return s;
    std::FILE* f = std::fopen(out.c_str(), "wb");
    if (!f) return Status::IoError("cannot create sort run " + out);
    std::vector<T> wbuf;
    wbuf.reserve(std::max<size_t>(read_buffer_bytes_ / sizeof(T), 16));
    bool ok = true;
    T rec;
    while (!heap_.empty()) {
      auto [r, idx] = heap_.top();
      heap_.pop();
      wbuf.push_back(r);
      if (readers_[idx]->Next(&rec)) heap_.push({rec, idx});
      if (wbuf.size() == wbuf.capacity()) {
        ok = ok && std::fwrite(wbuf.data(), sizeof(T), wbuf.size(), f) == wbuf.size();
        wbuf.clear();
      }
    }
    ok = ok && std::fwrite(wbuf.data(), sizeof(T), wbuf.size(), f) == wbuf.size();
    ok = (std::fclose(f) == 0) && ok;
    readers_.clear();
    if (!ok) return Status::IoError("cannot write sort run " + out + " (disk full?)");
    ++spilled_;
    return Status::Ok();
  }

  std::string dir_, name_;
  Less less_;
  size_t budget_records_ = 0;
  size_t fan_in_ = 2;
  size_t read_buffer_bytes_ = 4096;
  std::vector<T> buffer_;
  std::vector<std::string> runs_, dead_runs_;
  uint64_t run_counter_ = 0;
  uint64_t spilled_ = 0;
  bool in_memory_ = false;
  size_t mem_pos_ = 0;
  std::vector<std::unique_ptr<RecordReader<T>>> readers_;
  std::priority_queue<std::pair<T, size_t>, std::vector<std::pair<T, size_t>>, HeapLess> heap_;
};

}  // namespace dedup_internal
}  // namespace winnow

#endif  // WINNOW_SRC_DEDUP_EXTERNAL_SORT_H_
