#include "base/json_escape.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <cstdlib>
#include <string>

#include "base/utf8.h"

namespace winnow {
namespace {

// What a JSON parser reads back from JsonString(s).
std::string RoundTrip(std::string_view s) {
  simdjson::dom::parser parser;
  simdjson::padded_string json(JsonString(s));
  std::string_view back;
  EXPECT_EQ(parser.parse(json).get(back), simdjson::SUCCESS) << JsonString(s);
  return std::string(back);
}

TEST(JsonEscapeTest, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(JsonString("a\"b\\c\nd\te\x01"), "\"a\\\"b\\\\c\\nd\\te\\u0001\"");
  std::string all;
  for (int c = 1; c < 0x80; ++c) all.push_back(static_cast<char>(c));
  EXPECT_EQ(RoundTrip(all), all);
  EXPECT_EQ(RoundTrip("caf\xC3\xA9 \xF0\x9F\x98\x80"), "caf\xC3\xA9 \xF0\x9F\x98\x80");
}

// The escaping reads eight bytes at a time: the same output as one byte
// at a time, for every byte value at every offset and length (valid UTF-8
// strings, so that the escaping alone is compared).
TEST(JsonEscapeTest, WordAtATimeEqualsByteLoop) {
  auto reference = [](std::string_view s) {
    static const char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    for (unsigned char c : s) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else if (c == '\b') {
        out += "\\b";
      } else if (c == '\f') {
        out += "\\f";
      } else if (c < 0x20) {
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
      } else {
        out += static_cast<char>(c);
      }
    }
    return out + "\"";
  };
  std::string every;  // every ASCII byte, then two-byte code points
  for (int c = 0; c < 0x80; ++c) every.push_back(static_cast<char>(c));
  for (int c = 0x80; c < 0x800; c += 7) {
    every.push_back(static_cast<char>(0xC0 | (c >> 6)));
    every.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
  for (size_t from = 0; from < 24; ++from)
    for (size_t len = 0; from + len <= every.size(); len += 1 + len / 8) {
      const std::string_view s = std::string_view(every).substr(from, len);
      if (IsValidUtf8(s)) ASSERT_EQ(JsonString(s), reference(s)) << from << " " << len;
    }
  uint64_t x = 0x9E3779B97F4A7C15ULL;  // random ASCII text with escapes
  for (int round = 0; round < 2000; ++round) {
    std::string s;
    const int len = round % 97;
    for (int i = 0; i < len; ++i) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      const char pick[] = "ab \"\\\n\t\x01\x1f\x7f ~";
      s.push_back((x & 3) ? static_cast<char>('a' + (x >> 8) % 26) : pick[(x >> 8) % (sizeof(pick) - 1)]);
    }
    std::string out = "prefix";
    AppendJsonString(s, &out);
    ASSERT_EQ(out, "prefix" + reference(s)) << s;
  }
}

// unreadable.jsonl and stats.json hold file names and messages of any bytes:
// the output is valid JSON whatever the input.
TEST(JsonEscapeTest, InvalidUtf8IsRepairedNotCopied) {
  std::string bad = "name\xFF\xC3(\xE2\x82";
  std::string repaired = bad;
  RepairUtf8(&repaired);
  EXPECT_EQ(RoundTrip(bad), repaired);
  EXPECT_EQ(RoundTrip(bad), "name\xEF\xBF\xBD\xEF\xBF\xBD(\xEF\xBF\xBD");
}

TEST(JsonEscapeTest, NumbersAndNonFiniteValues) {
  std::string out;
  AppendJsonNumber(0.25, &out);
  out.push_back(',');
  AppendJsonNumber(std::nan(""), &out);
  out.push_back(',');
  AppendJsonNumber(INFINITY, &out);
  EXPECT_EQ(out, "0.25,null,null");
}

// A fuzzer finding: 4.4e21 came out as a 22-digit integer, which the JSONL
// reader (simdjson) refuses, so a written line could not be read back.
TEST(JsonEscapeTest, LargeWholeNumbersGetAnExponent) {
  std::string out;
  AppendJsonNumber(4444444444444444444440.75, &out);
  EXPECT_EQ(out, "4.4444444444444443e+21");  // the shortest that reads back as the same double
  EXPECT_EQ(std::strtod(out.c_str(), nullptr), 4444444444444444444440.75);
  simdjson::dom::parser parser;
  double back = 0;
  EXPECT_EQ(parser.parse(out).get_double().get(back), simdjson::SUCCESS);
  EXPECT_EQ(back, 4444444444444444444440.75);
  out.clear();
  AppendJsonNumber(-1e300, &out);
  EXPECT_EQ(out, "-1e+300");
  out.clear();
  AppendJsonNumber(9007199254740991.0, &out);  // 2^53 - 1: still an exact integer
  EXPECT_EQ(out, "9007199254740991");
  out.clear();
  AppendJsonNumber(123456.0, &out);
  EXPECT_EQ(out, "123456");
}

}  // namespace
}  // namespace winnow
