// libFuzzer harness: gzip and zstd framing (src/io/input_stream.cc):
// single and multi-member gzip, zstd frames, skippable frames, truncated and
// damaged streams, compressed data under a plain name. The whole input is
// the file, so that its first bytes are the magic bytes the stream sniffs;
// its length picks the reader (WARC or JSONL) that consumes the bytes.
#include <cstddef>
#include <cstdint>

#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace winnow;
  fuzz::MemFile file(data, size);
  ReaderOptions o;
  o.format = (size % 2) ? "warc" : "jsonl";
  fuzz::ReadAll(file.path(), o, size);
  return 0;
}
