// Helpers shared by the libFuzzer harnesses (tests/fuzz, built with
// -DWINNOW_FUZZ=ON; scripts/fuzz.sh builds and runs them).
#ifndef WINNOW_TESTS_FUZZ_FUZZ_UTIL_H_
#define WINNOW_TESTS_FUZZ_FUZZ_UTIL_H_

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "base/utf8.h"
#include "winnow/reader.h"

namespace winnow::fuzz {

// A finding: print what broke and abort, so that libFuzzer saves the input.
[[noreturn]] inline void Fail(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "winnow fuzz: %s %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

inline void CheckUtf8(std::string_view s, const char* what) {
  if (!winnow::IsValidUtf8(s)) Fail(what, "is not valid UTF-8");
}

// The input as a file the readers can open (a memfd: no disk, no name
// clash between jobs). Closed when it goes out of scope.
class MemFile {
 public:
  MemFile(const uint8_t* data, size_t size) {
    fd_ = ::memfd_create("winnow-fuzz", MFD_CLOEXEC);
    if (fd_ < 0) Fail("memfd_create failed");
    for (size_t done = 0; done < size;) {
      ssize_t n = ::write(fd_, data + done, size - done);
      if (n <= 0) Fail("write to memfd failed");
      done += static_cast<size_t>(n);
    }
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~MemFile() { ::close(fd_); }
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

// Reads every record of `path` with `options` and checks the reader's
// promises (doc/io.md): every document is valid UTF-8, every unreadable
// record says where and why, the counters add up, and the reader ends.
inline void ReadAll(const std::string& path, const ReaderOptions& options, size_t input_size) {
  StatusOr<std::unique_ptr<Reader>> r = OpenReader(path, options);
  if (!r.ok()) return;  // e.g. a compressed name without its magic bytes
  uint64_t documents = 0, unreadable = 0;
  // A record takes at least one input byte (the decompressed input may be
  // much larger, hence the factor); more is a reader that does not advance.
  const uint64_t cap = 1024 + 4096ull * (input_size + 1);
  for (;;) {
    Document doc;
    ReadError err;
    Reader::Result res = (*r)->Next(&doc, &err);
    if (res == Reader::Result::kEnd) break;
    if (res == Reader::Result::kUnreadable) {
      ++unreadable;
      if (err.message.empty()) Fail("unreadable record without a message");
    } else {
      ++documents;
      CheckUtf8(doc.raw, "document raw");
      CheckUtf8(doc.id, "document id");
      CheckUtf8(doc.url, "document url");
      CheckUtf8(doc.fetch.date, "document fetch date");
      CheckUtf8(doc.fetch.content_type, "document content type");
      CheckUtf8(doc.fetch.charset, "document charset");
      for (const Block& b : doc.blocks) CheckUtf8(b.text, "block text");
    }
    if (documents + unreadable > cap) Fail("the reader does not end");
  }
  if ((*r)->counters().records_read != documents + unreadable) {
    Fail("records_read != documents + unreadable",
         std::to_string((*r)->counters().records_read) + " != " + std::to_string(documents) + " + " +
             std::to_string(unreadable));
  }
}

}  // namespace winnow::fuzz

#endif  // WINNOW_TESTS_FUZZ_FUZZ_UTIL_H_
