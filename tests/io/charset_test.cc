// Charsets: the WHATWG meta prescan (html5lib encoding tests), label
// mapping, and decoding to UTF-8 from BOMs, headers, meta tags and detection.
#include <gtest/gtest.h>
#include <unicode/ucnv.h>

#include <filesystem>

#include "io/charset.h"
#include "base/utf8.h"
#include "test_util.h"
#include "winnow/reader.h"

namespace winnow {
namespace {

using io::DecodeToUtf8;
using io::EncodingForLabel;
using io::PrescanMetaCharset;

// UTF-8 -> `charset` with ICU (to make legacy-encoded test input).
std::string Encode(const std::string& utf8, const char* charset) {
  std::string out(utf8.size() * 4 + 16, '\0');
  UErrorCode err = U_ZERO_ERROR;
  int32_t n = ucnv_convert(charset, "UTF-8", out.data(), static_cast<int32_t>(out.size()), utf8.data(),
                           static_cast<int32_t>(utf8.size()), &err);
  EXPECT_TRUE(U_SUCCESS(err)) << u_errorName(err);
  out.resize(static_cast<size_t>(n));
  return out;
}

struct EncodingCase {
  std::string data, encoding;
};

std::vector<EncodingCase> ParseDat(const std::string& path) {
  std::vector<EncodingCase> cases;
  std::string text = testing::ReadFile(path);
  size_t p = 0;
  while ((p = text.find("#data\n", p)) != std::string::npos) {
    size_t data_start = p + 6;
    size_t enc = text.find("\n#encoding\n", data_start);
    if (enc == std::string::npos) break;
    size_t enc_start = enc + 11;
    size_t enc_end = text.find('\n', enc_start);
    cases.push_back({text.substr(data_start, enc - data_start), text.substr(enc_start, enc_end - enc_start)});
    p = enc_end;
  }
  return cases;
}

TEST(CharsetTest, Html5libPrescanTests) {
  std::string dir = std::string(WINNOW_SHARED_DIR) + "/data/html5lib-tests/encoding";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "shared data not found at " << dir;
  int total = 0, passed = 0;
  std::vector<std::string> failures;
  for (std::string name : {"tests1.dat", "tests2.dat", "test-yahoo-jp.dat"}) {
    for (const auto& c : ParseDat(dir + "/" + name)) {
      ++total;
      std::string got;
      std::string_view d = c.data;
      if (d.substr(0, 3) == "\xEF\xBB\xBF") {
        got = "utf-8";
      } else {
        got = PrescanMetaCharset(d, io::kPrescanLimit);
        if (got.empty()) got = "windows-1252";  // the tests' default
      }
      std::string want = EncodingForLabel(c.encoding);
      if (got == want) {
        ++passed;
      } else {
        failures.push_back(name + ": want " + want + " got " + got + " for: " + c.data.substr(0, 120));
      }
    }
  }
  EXPECT_GT(total, 70);
  std::string all;
  for (const auto& f : failures) all += f + "\n";
  EXPECT_TRUE(failures.empty()) << passed << "/" << total << " passed; failures:\n" << all;
}

TEST(CharsetTest, Labels) {
  EXPECT_EQ(EncodingForLabel(" ISO8859-2 "), "iso-8859-2");
  EXPECT_EQ(EncodingForLabel("latin1"), "windows-1252");
  EXPECT_EQ(EncodingForLabel("US-ASCII"), "windows-1252");
  EXPECT_EQ(EncodingForLabel("Shift_JIS"), "shift_jis");
  EXPECT_EQ(EncodingForLabel("x-sjis"), "shift_jis");
  EXPECT_EQ(EncodingForLabel("gb2312"), "gbk");
  EXPECT_EQ(EncodingForLabel("UTF8"), "utf-8");
  EXPECT_EQ(EncodingForLabel("no-such-charset"), "");
  EXPECT_EQ(io::CharsetFromContentType("text/html; charset=\"ISO-8859-1\""), "iso-8859-1");
  EXPECT_EQ(io::CharsetFromContentType("text/html;charset=utf-8;foo=bar"), "utf-8");
  EXPECT_EQ(io::CharsetFromContentType("text/html"), "");
}

TEST(CharsetTest, Utf8Repair) {
  std::string s = "ok \xC3\xA9 bad \xFF\xFE end \xE2\x82 cut \xED\xA0\x80 surrogate \xF0\x9F\x98";
  uint64_t n = RepairUtf8(&s);
  EXPECT_TRUE(IsValidUtf8(s));
  // \xFF, \xFE, \xE2\x82 (one maximal subpart), \xED, \xA0, \x80, \xF0\x9F\x98 (one)
  EXPECT_EQ(n, 7u);
  EXPECT_EQ(s, "ok \xC3\xA9 bad \xEF\xBF\xBD\xEF\xBF\xBD end \xEF\xBF\xBD cut \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD surrogate \xEF\xBF\xBD");
}

TEST(CharsetTest, Boms) {
  std::string s = "\xEF\xBB\xBFhello \xC3\xA9";
  auto info = DecodeToUtf8(&s, true, "windows-1252");
  EXPECT_EQ(info.charset, "utf-8");
  EXPECT_EQ(info.evidence, "bom");
  EXPECT_EQ(s, "hello \xC3\xA9");
  std::string le = std::string("\xFF\xFE", 2) + std::string("h\0i\0\xE9\0", 6);
  info = DecodeToUtf8(&le, false, "");
  EXPECT_EQ(info.charset, "utf-16le");
  EXPECT_EQ(le, "hi\xC3\xA9");
}

TEST(CharsetTest, HttpHeaderMetaAndDetection) {
  const std::string french = "Le cœur a ses raisons que la raison ne connaît point. Où êtes-vous, ça va très bien, déjà vu. ";
  // HTTP header charset.
  std::string s = Encode("<p>" + french + "</p>", "windows-1252");
  auto info = DecodeToUtf8(&s, true, "windows-1252");
  EXPECT_EQ(info.evidence, "http");
  EXPECT_EQ(s, "<p>" + french + "</p>");
  // Meta charset.
  const std::string japanese = "日本語のテキストです。これは文字コードの試験です。吾輩は猫である。名前はまだ無い。";
  std::string html = "<html><head><meta charset=\"Shift_JIS\"><title>t</title></head><body>" + japanese + "</body></html>";
  s = Encode(html, "windows-31j");
  info = DecodeToUtf8(&s, true, "");
  EXPECT_EQ(info.charset, "shift_jis");
  EXPECT_EQ(info.evidence, "meta");
  EXPECT_EQ(s, html);
  // http-equiv, after a long head.
  html = "<html><head><!-- " + std::string(1500, '-') + " --><meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\"></head><body>Привет, мир! Съешь же ещё этих мягких французских булок.</body></html>";
  s = Encode(html, "koi8-r");
  info = DecodeToUtf8(&s, true, "");
  EXPECT_EQ(info.charset, "koi8-r");
  EXPECT_EQ(s, html);
  // Detection without any declaration.
  std::string jp_text;
  for (int i = 0; i < 10; ++i) jp_text += japanese;
  s = Encode(jp_text, "windows-31j");
  info = DecodeToUtf8(&s, false, "");
  EXPECT_EQ(info.evidence, "detected");
  EXPECT_EQ(info.charset, "shift_jis");
  EXPECT_EQ(s, jp_text);
  std::string fr_text;
  for (int i = 0; i < 10; ++i) fr_text += french;
  s = Encode(fr_text, "windows-1252");
  info = DecodeToUtf8(&s, false, "");
  EXPECT_EQ(info.charset, "windows-1252");
  EXPECT_EQ(s, fr_text);
  const std::string russian = "В чащах юга жил бы цитрус? Да, но фальшивый экземпляр! Съешь же ещё этих мягких французских булок, да выпей чаю. ";
  std::string ru_text;
  for (int i = 0; i < 10; ++i) ru_text += russian;
  s = Encode(ru_text, "windows-1251");
  info = DecodeToUtf8(&s, false, "");
  EXPECT_EQ(info.charset, "windows-1251");
  EXPECT_EQ(s, ru_text);
}

TEST(CharsetTest, Big5FromSharedData) {
  std::string path = std::string(WINNOW_SHARED_DIR) + "/data/html5lib-tests/encoding/chardet/test_big5.txt";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data not found: " << path;
  std::string s = testing::ReadFile(path);
  auto info = DecodeToUtf8(&s, false, "");
  EXPECT_EQ(info.charset, "big5");
  EXPECT_TRUE(IsValidUtf8(s));
  EXPECT_NE(s.find("老子"), std::string::npos);
}

TEST(CharsetTest, ValidUtf8WinsOverAWrongDeclaration) {
  std::string s = "<meta charset=iso-8859-1><p>d\xC3\xA9j\xC3\xA0 vu</p>";
  std::string orig = s;
  auto info = DecodeToUtf8(&s, true, "iso-8859-1");
  EXPECT_EQ(info.charset, "utf-8");
  EXPECT_EQ(s, orig);
}

TEST(CharsetTest, InvalidUtf8DeclaredUtf8IsRepairedAndCounted) {
  std::string s = "caf\xC3\xA9 and \xC3 broken \xFF";
  auto info = DecodeToUtf8(&s, false, "utf-8");
  EXPECT_EQ(info.charset, "utf-8");
  EXPECT_EQ(info.replaced, 2u);
  EXPECT_TRUE(IsValidUtf8(s));
}

TEST(CharsetTest, MostlyUtf8IsUtf8) {
  // A UTF-8 page cut inside its last character, declared as latin-1.
  std::string s;
  for (int i = 0; i < 20; ++i) s += "d\xC3\xA9j\xC3\xA0 vu ";
  s += "\xE2\x82";
  auto info = DecodeToUtf8(&s, true, "iso-8859-1");
  EXPECT_EQ(info.charset, "utf-8");
  EXPECT_EQ(info.replaced, 1u);
  EXPECT_TRUE(IsValidUtf8(s));
  EXPECT_NE(s.find("d\xC3\xA9j\xC3\xA0"), std::string::npos);
}

TEST(CharsetTest, ReaderCountsReplacements) {
  testing::TempDir tmp;
  std::string text;
  for (int i = 0; i < 30; ++i) text += "caf\xC3\xA9 ";
  testing::WriteFile(tmp.File("bad.txt"), text + "\xC3 \xFF ok");  // mostly UTF-8
  auto d = testing::DrainPath(tmp.File("bad.txt"));
  ASSERT_EQ(d.docs.size(), 1u);
  EXPECT_TRUE(IsValidUtf8(d.docs[0].raw));
  EXPECT_EQ(d.docs[0].raw_charset, "utf-8");
  EXPECT_EQ(d.counters.invalid_utf8_replaced, 2u);
}

}  // namespace
}  // namespace winnow
