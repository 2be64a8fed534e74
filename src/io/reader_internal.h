// The reader implementations behind OpenReader (src/io only).
//
// Thread-safety: one reader per thread.
#ifndef WINNOW_IO_READER_INTERNAL_H_
#define WINNOW_IO_READER_INTERNAL_H_

#include <memory>
#include <string>

#include "io/input_stream.h"
#include "winnow/reader.h"

namespace winnow::io {

// Shared plumbing: the buffered input, the counters, progress.
class ReaderBase : public Reader {
 public:
  ReaderBase(std::string path, std::unique_ptr<BufferedInput> in, ReaderOptions options)
      : path_(std::move(path)), in_(std::move(in)), options_(std::move(options)) {}
  uint64_t bytes_consumed() const override { return in_->stream().compressed_consumed(); }
  uint64_t total_bytes() const override { return in_->stream().total_bytes(); }
  const ReaderCounters& counters() const override { return counters_; }

 protected:
  void SetError(ReadError* e, uint64_t record, uint64_t offset, std::string message) const {
    e->file = path_;
    e->record = record;
    e->offset = offset;
    e->message = std::move(message);
  }
  std::string path_;
  std::unique_ptr<BufferedInput> in_;
  ReaderOptions options_;
  ReaderCounters counters_;
};

std::unique_ptr<Reader> NewJsonlReader(std::string path, std::unique_ptr<BufferedInput> in,
                                       const ReaderOptions& options);
std::unique_ptr<Reader> NewWarcReader(std::string path, std::unique_ptr<BufferedInput> in,
                                      const ReaderOptions& options);
// kind: DocKind::kHtml or kText; the whole input is one document.
std::unique_ptr<Reader> NewFileReader(std::string path, std::unique_ptr<BufferedInput> in,
                                      const ReaderOptions& options, DocKind kind);

}  // namespace winnow::io

#endif  // WINNOW_IO_READER_INTERNAL_H_
