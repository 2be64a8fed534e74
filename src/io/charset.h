// Charsets: deciding what encoding the bytes of an HTML or text document are
// in, and decoding them to UTF-8.
//
// Order of evidence (doc/io.md gives the reasons): byte-order mark; bytes
// that are valid UTF-8 (or nearly: 10 valid multi-byte sequences per invalid
// one) are UTF-8 (ASCII is the same in every ASCII-based
// charset, and non-ASCII text in a legacy charset is almost never valid
// UTF-8 by chance); the HTTP Content-Type charset; for HTML, a <meta
// charset> / http-equiv found by the WHATWG prescan; then detection
// (uchardet); windows-1252 when all else fails. Labels are mapped through
// the WHATWG Encoding Standard's label table, and decoding is done by ICU.
//
// Thread-safety: all functions may be called from several threads (ICU
// converters are cached per thread).
#ifndef WINNOW_IO_CHARSET_H_
#define WINNOW_IO_CHARSET_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace winnow::io {

// The WHATWG encoding name for a label ("ISO8859-2 " -> "iso-8859-2",
// "latin1" -> "windows-1252"), or "" when the label is unknown.
std::string EncodingForLabel(std::string_view label);

// The WHATWG "prescan a byte stream to determine its encoding" algorithm on
// the first `limit` bytes of `html`: the encoding name of a <meta charset> or
// <meta http-equiv=content-type content="...charset=..."> or "" if none.
std::string PrescanMetaCharset(std::string_view html, size_t limit = 1024);

// The charset parameter of a Content-Type value, lower-cased, or "".
std::string CharsetFromContentType(std::string_view content_type);

// How far DecodeToUtf8 looks for a <meta> charset. WHATWG's prescan stops
// at 1024 bytes because a browser re-decodes when its parser meets a later
// <meta> ("change the encoding"); winnow decodes once, so it looks further
// (the scan is linear and only runs on input that is not valid UTF-8).
inline constexpr size_t kPrescanLimit = 64 * 1024;

struct DecodeInfo {
  std::string charset;     // the encoding decoded from ("utf-8", "shift_jis"...)
  std::string evidence;    // "bom", "utf8", "http", "meta", "detected", "default"
  uint64_t replaced = 0;   // invalid sequences replaced by U+FFFD
};

// Decodes *data in place to valid UTF-8. `declared` is the HTTP header
// charset ("" when none); `html` enables the meta prescan (on the first
// `prescan_limit` bytes).
DecodeInfo DecodeToUtf8(std::string* data, bool html, std::string_view declared,
                        size_t prescan_limit = kPrescanLimit);

}  // namespace winnow::io

#endif  // WINNOW_IO_CHARSET_H_
