// DocumentToJson / DocumentFromJson: the line format of doc/formats.md.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <climits>
#include <cstdint>

#include "golden.h"
#include "winnow/writer.h"

namespace winnow {
namespace {

Document SampleDoc() {
  Document d;
  d.id = "urn:uuid:1234";
  d.url = "https://example.org/a?b=\"c\"";
  d.source = {"in/x.warc.gz", 7, 4096};
  d.kind = DocKind::kHtml;
  d.raw = "<p>caf\xC3\xA9 \"quoted\" back\\slash\ttab\x01</p>";
  d.raw_charset = "windows-1252";
  d.fetch = {200, "text/html", "windows-1252", "2024-01-02T03:04:05Z"};
  d.blocks.push_back({BlockKind::kTitle, "Titre", 0, "fr", true, ""});
  d.blocks.push_back({BlockKind::kHeading, "Section", 2, "", true, ""});
  d.blocks.push_back({BlockKind::kParagraph, "line with \xE2\x80\xA8 separator and \xF0\x9F\x98\x80", 0, "", true, ""});
  d.blocks.push_back({BlockKind::kOther, "Cookie banner", 0, "", false, "text.boilerplate"});
  d.annotations.lang = "fr";
  d.annotations.script = "Latn";
  d.annotations.lang_confidence = 0.875;
  d.annotations.lang_shares = {{"fr", 0.75}, {"en", 0.25}};
  d.annotations.quality = {{"words", 12}, {"mean_word_length", 4.5}};
  d.annotations.tags = {{"filter.adult", "suspect"}};
  d.annotations.pii_counts = {{"email", 2}};
  d.annotations.dup_cluster = "c42";
  d.annotations.dup_cluster_size = 3;
  d.annotations.title = "Titre";
  d.decision.keep = false;
  d.decision.stage = "filter.gopher_quality";
  d.decision.reason = "too_few_words";
  d.decision.detail = "words=12 < min 50";
  d.input_bytes = 1234;
  return d;
}

TEST(JsonTest, GoldenLine) {
  JsonOptions o;
  o.blocks = true;
  o.decision = true;
  o.raw = true;
  testing::ExpectGolden("json_full.jsonl", DocumentToJson(SampleDoc(), o) + "\n");
  testing::ExpectGolden("json_default.jsonl", DocumentToJson(SampleDoc(), JsonOptions()) + "\n");
}

TEST(JsonTest, OutputIsValidJson) {
  Document d = SampleDoc();
  d.raw += "\xFF\xFE bad utf8 \xC3";  // invalid UTF-8 must not make invalid JSON
  d.blocks[0].text = std::string("nul\0byte", 8);
  JsonOptions o;
  o.blocks = o.decision = o.raw = true;
  std::string line = DocumentToJson(d, o);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  simdjson::dom::parser p;
  simdjson::dom::element e;
  ASSERT_EQ(p.parse(line).get(e), simdjson::SUCCESS) << line;
}

TEST(JsonTest, RoundTrip) {
  Document d = SampleDoc();
  JsonOptions o;
  o.blocks = o.decision = o.raw = true;
  Document back;
  ASSERT_TRUE(DocumentFromJson(DocumentToJson(d, o), &back).ok());
  EXPECT_EQ(back.id, d.id);
  EXPECT_EQ(back.url, d.url);
  EXPECT_EQ(back.source.file, d.source.file);
  EXPECT_EQ(back.source.record, d.source.record);
  EXPECT_EQ(back.source.offset, d.source.offset);
  EXPECT_EQ(back.kind, d.kind);
  EXPECT_EQ(back.raw, d.raw);
  EXPECT_EQ(back.raw_charset, d.raw_charset);
  ASSERT_EQ(back.blocks.size(), d.blocks.size());
  for (size_t i = 0; i < d.blocks.size(); ++i) {
    EXPECT_EQ(back.blocks[i].kind, d.blocks[i].kind);
    EXPECT_EQ(back.blocks[i].text, d.blocks[i].text);
    EXPECT_EQ(back.blocks[i].level, d.blocks[i].level);
    EXPECT_EQ(back.blocks[i].lang, d.blocks[i].lang);
    EXPECT_EQ(back.blocks[i].keep, d.blocks[i].keep);
    EXPECT_EQ(back.blocks[i].drop_reason, d.blocks[i].drop_reason);
  }
  EXPECT_EQ(back.Text(), d.Text());
  EXPECT_EQ(back.annotations.lang, "fr");
  EXPECT_EQ(back.annotations.script, "Latn");
  EXPECT_DOUBLE_EQ(back.annotations.lang_confidence, 0.875);
  EXPECT_EQ(back.annotations.lang_shares, d.annotations.lang_shares);
  EXPECT_EQ(back.annotations.quality, d.annotations.quality);
  EXPECT_EQ(back.annotations.tags, d.annotations.tags);
  EXPECT_EQ(back.annotations.pii_counts, d.annotations.pii_counts);
  EXPECT_EQ(back.annotations.dup_cluster, "c42");
  EXPECT_EQ(back.annotations.dup_cluster_size, 3);
  EXPECT_EQ(back.annotations.title, "Titre");
  EXPECT_EQ(back.fetch.http_status, 200);
  EXPECT_EQ(back.fetch.content_type, "text/html");
  EXPECT_EQ(back.fetch.charset, "windows-1252");
  EXPECT_EQ(back.fetch.date, d.fetch.date);
  EXPECT_FALSE(back.decision.keep);
  EXPECT_EQ(back.decision.stage, d.decision.stage);
  EXPECT_EQ(back.decision.reason, d.decision.reason);
  EXPECT_EQ(back.decision.detail, d.decision.detail);
  EXPECT_EQ(back.input_bytes, 1234u);
}

// The extraction metadata's authors are one list, under one name, in the
// line, in ExtractResult and in Python; a line of an older version with one
// "author" string is read as a one-name list.
TEST(JsonTest, AuthorsAreAList) {
  Document d = SampleDoc();
  d.annotations.authors = {"A. Writer", "B. \"Quoted\" Writer"};
  std::string line = DocumentToJson(d, JsonOptions());
  EXPECT_NE(line.find(R"("authors":["A. Writer","B. \"Quoted\" Writer"])"), std::string::npos)
      << line;
  EXPECT_EQ(line.find("\"author\""), std::string::npos) << line;
  Document back;
  ASSERT_TRUE(DocumentFromJson(line, &back).ok());
  EXPECT_EQ(back.annotations.authors, d.annotations.authors);
  Document old;
  ASSERT_TRUE(DocumentFromJson(R"({"id":"x","text":"t","author":"Jane Roe"})", &old).ok());
  EXPECT_EQ(old.annotations.authors, std::vector<std::string>{"Jane Roe"});
  Document none;
  ASSERT_TRUE(DocumentFromJson(R"({"id":"x","text":"t"})", &none).ok());
  EXPECT_TRUE(none.annotations.authors.empty());
}

TEST(JsonTest, WithoutBlocksTextBecomesLines) {
  Document d = SampleDoc();
  Document back;
  ASSERT_TRUE(DocumentFromJson(DocumentToJson(d, JsonOptions()), &back).ok());
  EXPECT_EQ(back.Text(), d.Text());
  EXPECT_EQ(back.blocks.size(), 3u);  // the kept blocks, one per line
  EXPECT_TRUE(back.raw.empty());      // raw only when written
}

// output.dropped_lines: the first N dropped blocks, at their place among the
// lines of "text", cut to 300 bytes at a character boundary; read back as
// dropped blocks between the text's lines.
TEST(JsonTest, DroppedLinesAreWrittenAtTheirPlaceAndReadBack) {
  Document d;
  d.id = "d";
  d.kind = DocKind::kText;
  std::string long_line;
  while (long_line.size() < 400) long_line += "\xC3\xA9t\xC3\xA9 ";  // "été " (2-byte characters)
  d.blocks.push_back({BlockKind::kParagraph, "menu", 0, "", false, "text.lines:boilerplate"});
  d.blocks.push_back({BlockKind::kParagraph, "first", 0, "", true, ""});
  d.blocks.push_back({BlockKind::kParagraph, "two\nlines", 0, "", true, ""});
  d.blocks.push_back({BlockKind::kParagraph, long_line, 0, "", false, "filter.c4.too_few_words"});
  d.blocks.push_back({BlockKind::kParagraph, "last", 0, "", true, ""});
  d.blocks.push_back({BlockKind::kParagraph, "footer", 0, "", false, "text.lines:tail"});
  JsonOptions o;
  EXPECT_EQ(DocumentToJson(d, o).find("dropped"), std::string::npos) << "off by default";
  o.dropped_lines = 2;
  std::string line = DocumentToJson(d, o);
  const std::string head =
      R"("dropped":[{"line":0,"stage":"text.lines:boilerplate","text":"menu"},)"
      R"({"line":3,"stage":"filter.c4.too_few_words","text":")";  // after "first", "two", "lines"
  const size_t at = line.find(head);
  ASSERT_NE(at, std::string::npos) << line;
  const size_t start = at + head.size(), end = line.find('"', start);
  const std::string cut = line.substr(start, end - start);
  EXPECT_LE(cut.size(), 300u);
  EXPECT_GE(cut.size(), 290u);
  EXPECT_EQ(long_line.compare(0, cut.size(), cut), 0) << "a prefix, cut between characters";
  EXPECT_EQ(line.compare(end, 3, "\"}]"), 0) << "the first two of three: " << line;
  EXPECT_NE(line.find(R"("text":"first\ntwo\nlines\nlast")"), std::string::npos) << line;

  Document back;
  ASSERT_TRUE(DocumentFromJson(line, &back).ok());
  EXPECT_EQ(back.Text(), d.Text());
  std::vector<std::string> got;
  for (const Block& b : back.blocks) got.push_back((b.keep ? "" : b.drop_reason + ": ") + b.text.substr(0, 8));
  std::vector<std::string> want = {"text.lines:boilerplate: menu", "first", "two", "lines",
                                   "filter.c4.too_few_words: " + long_line.substr(0, 8), "last"};
  EXPECT_EQ(got, want);

  o.blocks = true;  // the blocks carry every dropped block already
  EXPECT_EQ(DocumentToJson(d, o).find("\"dropped\""), std::string::npos);
}

TEST(JsonTest, UntouchedTextDocumentWritesItsRaw) {
  Document d;
  d.kind = DocKind::kText;
  d.raw = "first line\nsecond line";
  std::string line = DocumentToJson(d, JsonOptions());
  EXPECT_NE(line.find("\"text\":\"first line\\nsecond line\""), std::string::npos) << line;
}

TEST(JsonTest, RejectsBadLines) {
  Document d;
  EXPECT_EQ(DocumentFromJson("not json", &d).code(), Status::Code::kCorrupt);
  EXPECT_EQ(DocumentFromJson("[1,2]", &d).code(), Status::Code::kCorrupt);
  EXPECT_EQ(DocumentFromJson("", &d).code(), Status::Code::kCorrupt);
  EXPECT_EQ(DocumentFromJson("{\"id\": ", &d).code(), Status::Code::kCorrupt);
  // Unknown fields are ignored; wrong types are ignored too.
  ASSERT_TRUE(DocumentFromJson(R"({"id":"x","text":"a\nb","future":{"x":1},"lang":5})", &d).ok());
  EXPECT_EQ(d.id, "x");
  EXPECT_EQ(d.blocks.size(), 2u);
}

// Fuzzer findings (tests/fuzz/regressions/json_roundtrip/): out-of-range
// numbers read as the nearest value, and what is written reads back the same.
TEST(JsonTest, OutOfRangeNumbersReadAndRoundTrip) {
  Document d;
  ASSERT_TRUE(DocumentFromJson(R"({"id":"n","text":"a","input_bytes":22e142,"lang_shares":{"fr":4.4e21},)"
                               R"("pii":{"email":8e74,"phone":-8e74},"dup_cluster_size":1e30,"fetch":{"status":1e12}})",
                               &d)
                  .ok());
  EXPECT_EQ(d.input_bytes, UINT64_MAX);
  EXPECT_EQ(d.annotations.pii_counts["email"], INT64_MAX);
  EXPECT_EQ(d.annotations.pii_counts["phone"], INT64_MIN);
  EXPECT_EQ(d.annotations.dup_cluster_size, INT64_MAX);
  EXPECT_EQ(d.fetch.http_status, INT_MAX);
  JsonOptions all;
  all.annotations = true;
  const std::string line = DocumentToJson(d, all);
  Document back;
  ASSERT_TRUE(DocumentFromJson(line, &back).ok()) << line;
  EXPECT_EQ(back.input_bytes, UINT64_MAX);
  EXPECT_EQ(back.annotations.lang_shares["fr"], 4.4e21);
  EXPECT_EQ(back.annotations.pii_counts["phone"], INT64_MIN);
  EXPECT_EQ(DocumentToJson(back, all), line);
}

}  // namespace
}  // namespace winnow
