// JSON text of strings and numbers, the one escaper of the project (the
// writer, stats.json, unreadable.jsonl, `winnow extract --format json`).
// Internal to winnow (not a public header).
//
// Thread-safety: pure functions.
#ifndef WINNOW_SRC_BASE_JSON_ESCAPE_H_
#define WINNOW_SRC_BASE_JSON_ESCAPE_H_

#include <string>
#include <string_view>

namespace winnow {

// Appends `s` as a quoted JSON string. The output is always valid JSON:
// invalid UTF-8 is repaired on the way out (base/utf8.h, one U+FFFD per
// maximal invalid subpart).
void AppendJsonString(std::string_view s, std::string* out);

// `s` as a quoted JSON string (AppendJsonString into a new string).
std::string JsonString(std::string_view s);

// Appends a number; NaN and infinities become null.
void AppendJsonNumber(double v, std::string* out);

}  // namespace winnow

#endif  // WINNOW_SRC_BASE_JSON_ESCAPE_H_
