#include "base/utf8.h"

#include <gtest/gtest.h>
#include <unicode/utf8.h>

#include <string>
#include <vector>

namespace winnow {
namespace {

std::vector<char32_t> Decode(std::string_view s) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < s.size();) out.push_back(NextCodePoint(s, &i));
  return out;
}

TEST(Utf8Test, DecodesValidSequencesOfEveryLength) {
  EXPECT_EQ(Decode("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"),
            (std::vector<char32_t>{'a', 0xE9, 0x20AC, 0x1F600}));
  EXPECT_EQ(Decode("\xEF\xBF\xBD"), (std::vector<char32_t>{kReplacementChar}));
}

// Unicode 15, table 3-8 (U+FFFD for maximal subparts): the bytes
// 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64.
TEST(Utf8Test, InvalidSequencesGiveOneReplacementPerMaximalSubpart) {
  EXPECT_EQ(Decode("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64"),
            (std::vector<char32_t>{0x61, 0xFFFD, 0xFFFD, 0xFFFD, 0x62, 0xFFFD, 0x63, 0xFFFD,
                                   0xFFFD, 0x64}));
  // Overlong forms, surrogates and code points above U+10FFFF.
  EXPECT_EQ(Decode("\xC0\xAF"), (std::vector<char32_t>{0xFFFD, 0xFFFD}));
  EXPECT_EQ(Decode("\xE0\x80\xAF"), (std::vector<char32_t>{0xFFFD, 0xFFFD, 0xFFFD}));
  EXPECT_EQ(Decode("\xED\xA0\x80"), (std::vector<char32_t>{0xFFFD, 0xFFFD, 0xFFFD}));
  EXPECT_EQ(Decode("\xF4\x90\x80\x80"), (std::vector<char32_t>{0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD}));
  // A sequence cut by the end of the string.
  EXPECT_EQ(Decode("x\xE2\x82"), (std::vector<char32_t>{'x', 0xFFFD}));
}

// The decoder agrees with ICU's U8_NEXT (which the filters used before) on
// every string of up to three bytes drawn from bytes at the edges of the
// UTF-8 ranges, and decoding a string equals decoding its repaired copy.
TEST(Utf8Test, AgreesWithIcuAndWithRepair) {
  const unsigned char edges[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0,
                                 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0,
                                 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
  std::vector<std::string> strings = {""};
  for (int len = 1; len <= 3; ++len) {
    std::vector<std::string> longer;
    for (const std::string& s : strings) {
      if (static_cast<int>(s.size()) != len - 1) continue;
      for (unsigned char b : edges) longer.push_back(s + static_cast<char>(b));
    }
    strings.insert(strings.end(), longer.begin(), longer.end());
  }
  ASSERT_GT(strings.size(), 15000u);
  for (const std::string& s : strings) {
    std::vector<char32_t> icu;
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    for (int32_t i = 0, n = static_cast<int32_t>(s.size()); i < n;) {
      UChar32 c;
      U8_NEXT(p, i, n, c);
      icu.push_back(c < 0 ? kReplacementChar : static_cast<char32_t>(c));
    }
    std::vector<char32_t> ours = Decode(s);
    EXPECT_EQ(ours, icu) << "bytes of length " << s.size();
    std::string repaired = s;
    uint64_t replaced = RepairUtf8(&repaired);
    EXPECT_TRUE(IsValidUtf8(repaired));
    EXPECT_EQ(Decode(repaired), ours);
    uint64_t multibyte = 0, invalid = 0;
    CountUtf8(s, &multibyte, &invalid);
    EXPECT_EQ(invalid, replaced);
    EXPECT_EQ(IsValidUtf8(s), replaced == 0);
  }
}

TEST(Utf8Test, EncodingRoundTripsEveryScalarValue) {
  std::string s;
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    s.clear();
    AppendUtf8(cp, &s);
    size_t i = 0;
    ASSERT_EQ(NextCodePoint(s, &i), cp);
    ASSERT_EQ(i, s.size());
  }
  EXPECT_TRUE(IsValidUtf8(s));
}

TEST(Utf8Test, AsciiAndCounts) {
  EXPECT_TRUE(IsAscii("plain text\n"));
  EXPECT_FALSE(IsAscii("caf\xC3\xA9"));
  uint64_t multibyte = 0, invalid = 0;
  CountUtf8("caf\xC3\xA9 \xE2\x82\xAC \xFF", &multibyte, &invalid);
  EXPECT_EQ(multibyte, 2u);
  EXPECT_EQ(invalid, 1u);
}


TEST(Utf8PrefixTest, NeverSplitsASequence) {
  const std::string s = "ab\xC3\xA9\xE2\x82\xAC";  // "ab" U+00E9 U+20AC: 2 + 2 + 3 bytes
  EXPECT_EQ(Utf8Prefix(s, 100), s);
  EXPECT_EQ(Utf8Prefix(s, 7), s);
  EXPECT_EQ(Utf8Prefix(s, 6), "ab\xC3\xA9");  // inside the euro sign: cut before it
  EXPECT_EQ(Utf8Prefix(s, 5), "ab\xC3\xA9");
  EXPECT_EQ(Utf8Prefix(s, 4), "ab\xC3\xA9");
  EXPECT_EQ(Utf8Prefix(s, 3), "ab");  // inside the e-acute
  EXPECT_EQ(Utf8Prefix(s, 2), "ab");
  EXPECT_EQ(Utf8Prefix(s, 0), "");
  EXPECT_EQ(Utf8Prefix("\x80\x80\x80", 2), "");  // only continuation bytes: nothing to keep
}

}  // namespace
}  // namespace winnow
