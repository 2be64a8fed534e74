// libFuzzer harness: charset detection and decoding (src/io/charset.h).
// The first byte picks a declared charset (none, a common one, a rare one,
// a bogus label) and whether the input is HTML; the rest is the document.
// Checks: the result is valid UTF-8, and a second decoding of it changes
// nothing (valid UTF-8 is UTF-8).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_util.h"
#include "io/charset.h"

namespace {

constexpr const char* kDeclared[] = {
    "", "utf-8", "iso-8859-1", "windows-1252", "shift_jis", "euc-jp", "iso-2022-jp", "gb18030",
    "big5", "euc-kr", "koi8-r", "windows-1251", "utf-16le", "utf-16be", "x-user-defined",
    "replacement", "bogus-label", "UTF8 ", "latin2", "macintosh", "iso-8859-8-i", "gbk", "utf-16",
    "windows-874", "ibm866", "x-mac-cyrillic", "iso-2022-kr", "hz-gb-2312", "csiso2022kr",
    "unicode-1-1-utf-8", "koi8-u", "windows-1258"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace winnow;
  if (size == 0) return 0;
  const uint8_t flags = data[0];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  const bool html = flags & 1;
  const char* declared = kDeclared[(flags >> 1) % (sizeof kDeclared / sizeof *kDeclared)];

  // The label helpers on the raw bytes.
  io::EncodingForLabel(bytes.substr(0, 64));
  io::CharsetFromContentType(bytes.substr(0, 256));
  const std::string meta = io::PrescanMetaCharset(bytes, io::kPrescanLimit);
  if (!meta.empty() && io::EncodingForLabel(meta).empty()) fuzz::Fail("prescan gave an unknown encoding", meta);

  std::string text(bytes);
  io::DecodeInfo info = io::DecodeToUtf8(&text, html, declared);
  fuzz::CheckUtf8(text, "decoded text");
  if (info.charset.empty()) fuzz::Fail("DecodeToUtf8 named no charset");

  std::string again = text;
  io::DecodeToUtf8(&again, html, "");
  // (A byte-order mark decoded from U+FEFF is taken off the second time.)
  if (again != text && text.rfind("\xEF\xBB\xBF", 0) != 0) fuzz::Fail("decoding valid UTF-8 again changed it");
  return 0;
}
