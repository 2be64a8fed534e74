// libFuzzer harness: winnow's JSONL line (doc/formats.md): DocumentFromJson
// on arbitrary bytes, then the round trip. Checks: a line it accepts is
// written back (DocumentToJson, every part on) as valid UTF-8, that output
// is read back, and writing what was read gives the same bytes (the format
// the corpus steps hand documents over in is stable).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_util.h"
#include "winnow/writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace winnow;
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  Document doc;
  if (!DocumentFromJson(line, &doc).ok()) return 0;
  JsonOptions all;
  all.blocks = true;
  all.annotations = true;
  all.decision = true;
  all.raw = true;
  const std::string first = DocumentToJson(doc, all);
  fuzz::CheckUtf8(first, "DocumentToJson");
  Document again;
  Status s = DocumentFromJson(first, &again);
  if (!s.ok()) fuzz::Fail("DocumentFromJson refused DocumentToJson's line:", s.message());
  const std::string second = DocumentToJson(again, all);
  if (second != first) fuzz::Fail("the line changed on a round trip:", first + "\n" + second);
  return 0;
}
