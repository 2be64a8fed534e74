// InputStream: the bytes of one input file ("-" = stdin), decompressed on the
// fly (gzip, multi-member gzip, zstd; sniffed from the magic bytes, not the
// name), read through a fixed-size buffer. BufferedInput adds lines, exact
// reads, skips and push-back on top, with a bounded buffer.
//
// Errors inside the compressed stream (corrupt data, truncated stream) do not
// end the stream when it can go on: after corrupt gzip/zstd data the stream
// resynchronises on the next gzip member / zstd frame magic. An error is
// reported to the consumer only when it reaches the point where the data
// broke, so the records before it are read normally.
//
// Memory: InputStream holds a 256 KiB compressed buffer; BufferedInput grows
// its buffer to at most the longest line/read asked for.
// Thread-safety: one thread at a time.
#ifndef WINNOW_IO_INPUT_STREAM_H_
#define WINNOW_IO_INPUT_STREAM_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "winnow/status.h"

namespace winnow::io {

enum class Compression { kNone, kGzip, kZstd };

// The bytes of a read buffer, left uninitialised when it is made or grown:
// every byte is written (read(2), inflate) before it is read, and a
// std::string's resize zero-fills the whole size first. That zero fill of
// the 1 MiB line buffer and the 256 KiB compressed buffer was 320 of a
// one-document run's 760 page faults (12-16 us each on a PVM guest, issue
// 13); untouched, a page is faulted in only when data reaches it.
class ByteBuffer {
 public:
  char* data() { return bytes_.get(); }
  const char* data() const { return bytes_.get(); }
  size_t size() const { return size_; }
  // Grows to n bytes keeping the first `keep` (the new ones uninitialised).
  void Grow(size_t n, size_t keep);

 private:
  std::unique_ptr<char[]> bytes_;
  size_t size_ = 0;
};

class InputStream {
 public:
  // Opens `path` ("-" = stdin) and sniffs its compression.
  static StatusOr<std::unique_ptr<InputStream>> Open(const std::string& path);
  virtual ~InputStream();

  // Reads up to n decompressed bytes into buf. Returns the number read; 0
  // with *error OK means the end. When the compressed data is broken, returns
  // what was decoded before the break and sets *error (kCorrupt); the next
  // call goes on after the resync point (or returns 0 at the end).
  size_t Read(char* buf, size_t n, Status* error);

  Compression compression() const { return compression_; }
  const std::string& path() const { return path_; }
  // Compressed bytes consumed from the file so far.
  uint64_t compressed_consumed() const { return file_consumed_ - (in_end_ - in_pos_); }
  // Size of the file; 0 when unknown (stdin, pipes).
  uint64_t total_bytes() const { return total_bytes_; }
  // Decompressed bytes produced so far.
  uint64_t decompressed_offset() const { return produced_; }
  // For gzip/zstd: when a member (frame) starts exactly at decompressed
  // offset `d`, sets *compressed to its offset in the file and returns true.
  // Queries must be made with non-decreasing d.
  bool MemberStartAt(uint64_t d, uint64_t* compressed);
  // How many gzip members / zstd frames have begun so far.
  uint64_t members() const { return members_; }

 private:
  InputStream() = default;
  bool Refill();  // false at end of file or on read error (sets read_error_)
  size_t ReadPlain(char* buf, size_t n, Status* error);
  size_t ReadGzip(char* buf, size_t n, Status* error);
  size_t ReadZstd(char* buf, size_t n, Status* error);
  // Drops input up to the next member magic; false when none is left.
  bool SkipToMagic();
  void NoteMemberStart(uint64_t produced_in_call);

  std::string path_;
  int fd_ = -1;
  bool own_fd_ = false;
  Compression compression_ = Compression::kNone;
  uint64_t total_bytes_ = 0;
  uint64_t file_consumed_ = 0;  // bytes read from the file so far
  uint64_t produced_ = 0;
  uint64_t members_ = 0;
  ByteBuffer in_;  // compressed buffer
  size_t in_pos_ = 0, in_end_ = 0;
  bool file_eof_ = false;
  bool ended_ = false;
  std::string read_error_;
  // gzip
  struct ZState;
  std::unique_ptr<ZState> z_;
  bool member_open_ = false;  // inside a member (bytes fed, end not seen)
  uint64_t member_start_ = 0;  // file offset of the open gzip member's first byte
  // zstd
  void* zstd_ = nullptr;
  bool frame_open_ = false;
  // (decompressed offset, compressed offset) of recent member starts
  std::deque<std::pair<uint64_t, uint64_t>> member_starts_;
};

// Line and block reads over an InputStream.
class BufferedInput {
 public:
  explicit BufferedInput(std::unique_ptr<InputStream> in);

  // Reads the next line (without "\n"; a "\r" before it is kept). Returns
  // false at the end or when the stream broke (then error() is set). A line
  // longer than max_len is consumed whole but returned truncated to max_len
  // with *too_long = true, without ever holding more than max_len bytes.
  // The view is valid until the next call.
  bool ReadLine(std::string_view* line, size_t max_len, bool* too_long);
  // Appends up to n bytes to *out; returns how many (fewer at the end or on
  // a broken stream).
  size_t Read(size_t n, std::string* out);
  // Discards up to n bytes; returns how many.
  uint64_t Skip(uint64_t n);
  // Puts bytes back in front of the stream (offset() goes back too).
  void Unread(std::string_view data);
  // True when no byte is left (or the stream broke: see has_error()).
  bool AtEnd();
  // The bytes buffered ahead (at least one unless AtEnd()), not consumed.
  std::string_view Peek() {
    Fill();
    return std::string_view(buf_.data() + pos_, end_ - pos_);
  }

  // Bytes allocated and readable after `view` (a view this object returned
  // and still valid): a parser that reads past its input (simdjson's
  // padding) may use them instead of copying the view.
  size_t ReadableAfter(std::string_view view) const {
    return static_cast<size_t>(buf_.data() + buf_.size() - (view.data() + view.size()));
  }

  // Decompressed offset of the next byte to be read.
  uint64_t offset() const { return offset_; }
  // The error met by the last failing call, cleared by TakeError.
  bool has_error() const { return !error_.ok(); }
  Status TakeError() { Status s = std::move(error_); error_ = Status::Ok(); return s; }
  InputStream& stream() { return *in_; }

 private:
  // Makes at least one more byte available; false at end or break.
  bool Fill();
  std::unique_ptr<InputStream> in_;
  ByteBuffer buf_;
  size_t pos_ = 0, end_ = 0;
  uint64_t offset_ = 0;
  bool eof_ = false;
  Status pending_;   // error met while filling, reported at the break point
  bool pending_at_end_ = false;  // the break is at end_ of the buffered data
  Status error_;
};

}  // namespace winnow::io

#endif  // WINNOW_IO_INPUT_STREAM_H_
