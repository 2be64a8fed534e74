// JSON helpers shared by the writer and the readers: a per-thread simdjson
// DOM parser and winnow's line format. String and number escaping is
// base/json_escape.h.
//
// Thread-safety: the functions are safe to call from several threads.
#ifndef WINNOW_IO_JSON_H_
#define WINNOW_IO_JSON_H_

#include <cstdint>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "base/json_escape.h"
#include "winnow/document.h"
#include "winnow/reader.h"
#include "winnow/status.h"

namespace winnow::io {

// One line of unreadable.jsonl (doc/formats.md): {"file", "record",
// "offset", "message"} and '\n'.
std::string UnreadableLine(const ReadError& e);

// The parser of the calling thread (simdjson parsers are not thread-safe and
// are expensive to create).
simdjson::dom::parser& ThreadParser();

// Fills *doc from an already parsed winnow line (see DocumentFromJson).
Status DocumentFromElement(simdjson::dom::object obj, Document* doc);

// True when the object looks like a line written by DocumentToJson
// (it has a "source" object).
bool IsWinnowLine(simdjson::dom::object obj);

}  // namespace winnow::io

#endif  // WINNOW_IO_JSON_H_
