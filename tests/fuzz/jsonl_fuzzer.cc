// libFuzzer harness: the JSONL reader (src/io/jsonl_reader.cc, with the
// JSON parsing of src/io/json.cc): generic JSONL lines and winnow's own
// shard lines (blocks, decision), uncompressed or gzip/zstd. The first byte
// picks field names and the record cap; the rest is the file.
#include <cstddef>
#include <cstdint>

#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace winnow;
  if (size == 0) return 0;
  const uint8_t flags = data[0];
  fuzz::MemFile file(data + 1, size - 1);
  ReaderOptions o;
  o.format = "jsonl";
  if (flags & 1) o.text_field = "content";
  if (flags & 2) o.html_field = "body";
  if (flags & 4) o.id_field = "url";
  if (flags & 8) o.max_record_bytes = 256;
  fuzz::ReadAll(file.path(), o, size);
  return 0;
}
