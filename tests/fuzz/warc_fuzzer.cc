// libFuzzer harness: the WARC and WET readers (src/io/warc_reader.cc) on
// arbitrary bytes, uncompressed or gzip/zstd by their magic bytes. The
// first byte picks WARC or WET and a few reader options; the rest is the
// file. Checks (fuzz_util.h ReadAll): no crash, documents are valid UTF-8,
// unreadable records say why, the counters add up, the reader ends.
#include <cstddef>
#include <cstdint>

#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace winnow;
  if (size == 0) return 0;
  const uint8_t flags = data[0];
  fuzz::MemFile file(data + 1, size - 1);
  ReaderOptions o;
  o.format = (flags & 1) ? "wet" : "warc";
  o.keep_other_content_types = flags & 2;
  if (flags & 4) o.max_record_bytes = 512;  // the oversized-record path
  fuzz::ReadAll(file.path(), o, size);
  return 0;
}
