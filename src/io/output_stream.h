// OutputFile: a file ("-" = stdout) written through a buffer, optionally
// compressed (gzip via zlib, zstd via libzstd's streaming API).
//
// Thread-safety: one thread at a time.
#ifndef WINNOW_IO_OUTPUT_STREAM_H_
#define WINNOW_IO_OUTPUT_STREAM_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "io/input_stream.h"
#include "winnow/status.h"

namespace winnow::io {

class OutputFile {
 public:
  // Creates (truncates) `path`; its parent folder is created if missing.
  // With `sync`, Close() fsyncs the file.
  static StatusOr<std::unique_ptr<OutputFile>> Open(const std::string& path, Compression c,
                                                    int level = -1, bool sync = true);
  ~OutputFile();
  Status Write(std::string_view data);
  // Ends the compressed stream, flushes and closes. Idempotent.
  Status Close();
  uint64_t uncompressed_bytes() const { return uncompressed_; }

 private:
  OutputFile() = default;
  Status Flush(bool finish);
  Status WriteRaw(const char* p, size_t n);

  std::string path_;
  int fd_ = -1;
  bool own_fd_ = false;
  bool sync_ = true;
  bool closed_ = false;
  Compression compression_ = Compression::kNone;
  std::string in_;   // pending uncompressed bytes
  // Compressed scratch of kBuffer bytes, allocated on the first flush and
  // not zero-filled: only the pages the compressor writes are touched.
  std::unique_ptr<char[]> out_;
  uint64_t uncompressed_ = 0;
  struct ZState;
  std::unique_ptr<ZState> z_;
  void* zstd_ = nullptr;
};

}  // namespace winnow::io

#endif  // WINNOW_IO_OUTPUT_STREAM_H_
