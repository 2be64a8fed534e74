// The JSONL reader: plain/.gz/.zst, field names, winnow's own lines, and
// every kind of bad line.
#include <gtest/gtest.h>

#include "golden.h"
#include "test_util.h"
#include "winnow/reader.h"
#include "winnow/writer.h"

namespace winnow {
namespace {

using testing::TempDir;

const char kInput[] =
    "{\"id\":\"a\",\"url\":\"https://a.example/\",\"text\":\"Hello\\nworld\"}\n"
    "{\"id\":17,\"html\":\"<p>caf\\u00e9</p>\",\"text\":\"ignored: html wins\"}\n"
    "\n"
    "{\"id\":\"c\",\"text\":\"crlf line\"}\r\n"
    "{\"id\":\"d\",\"text\":\"no final newline\"}";

TEST(JsonlReaderTest, GoldenPlainGzZst) {
  TempDir tmp;
  testing::WriteFile(tmp.File("in.jsonl"), kInput);
  testing::WriteFile(tmp.File("in.jsonl.gz"), testing::Gzip(kInput));
  testing::WriteFile(tmp.File("in.jsonl.zst"), testing::Zstd(kInput));
  for (std::string name : {"in.jsonl", "in.jsonl.gz", "in.jsonl.zst"}) {
    auto d = testing::DrainPath(tmp.File(name));
    ASSERT_TRUE(d.errors.empty()) << name << ": " << d.errors[0].ToString();
    ASSERT_EQ(d.docs.size(), 4u) << name;
    for (auto& doc : d.docs) doc.source.file = "in.jsonl";  // the golden file is path-independent
    testing::ExpectGolden("jsonl_reader.golden.jsonl", testing::DocsAsJsonl(d.docs));
    EXPECT_EQ(d.docs[1].kind, DocKind::kHtml);
    EXPECT_EQ(d.docs[1].id, "17");
    EXPECT_EQ(d.docs[1].raw, "<p>caf\xC3\xA9</p>");
    EXPECT_EQ(d.docs[0].kind, DocKind::kText);
    EXPECT_EQ(d.docs[0].raw, "Hello\nworld");
    EXPECT_EQ(d.docs[2].source.record, 3u);  // line index, blank lines counted
  }
}

TEST(JsonlReaderTest, CustomFieldNames) {
  TempDir tmp;
  testing::WriteFile(tmp.File("c.jsonl"), "{\"doc_id\":\"x\",\"link\":\"u\",\"content\":\"body\",\"text\":\"no\"}\n");
  ReaderOptions o;
  o.id_field = "doc_id";
  o.url_field = "link";
  o.text_field = "content";
  auto d = testing::DrainPath(tmp.File("c.jsonl"), o);
  ASSERT_EQ(d.docs.size(), 1u);
  EXPECT_EQ(d.docs[0].id, "x");
  EXPECT_EQ(d.docs[0].url, "u");
  EXPECT_EQ(d.docs[0].raw, "body");
}

TEST(JsonlReaderTest, BadLinesAreUnreadableWithLineAndOffset) {
  TempDir tmp;
  std::string in =
      "{\"text\":\"ok 1\"}\n"       // line 1, byte 0
      "this is not json\n"         // line 2, byte 16
      "{\"id\":\"no text\"}\n"     // line 3, byte 33
      "[1,2,3]\n"                  // line 4
      "{\"text\": 5}\n"            // line 5: text is not a string
      "{\"text\":\"cut\n"          // line 6: broken JSON
      "{\"text\":\"ok 2\"}\n";
  testing::WriteFile(tmp.File("bad.jsonl"), in);
  auto d = testing::DrainPath(tmp.File("bad.jsonl"));
  ASSERT_EQ(d.docs.size(), 2u);
  EXPECT_EQ(d.docs[1].raw, "ok 2");
  ASSERT_EQ(d.errors.size(), 5u);
  EXPECT_EQ(d.errors[0].file, tmp.File("bad.jsonl"));
  EXPECT_EQ(d.errors[0].record, 1u);
  EXPECT_EQ(d.errors[0].offset, 16u);
  EXPECT_NE(d.errors[0].message.find("line 2"), std::string::npos) << d.errors[0].message;
  EXPECT_NE(d.errors[0].message.find("not valid JSON"), std::string::npos);
  EXPECT_EQ(d.errors[1].offset, 33u);
  EXPECT_NE(d.errors[1].message.find("no string field 'text'"), std::string::npos) << d.errors[1].message;
  EXPECT_NE(d.errors[1].ToString().find("bad.jsonl:record 2 (byte 33): line 3"), std::string::npos)
      << d.errors[1].ToString();
  EXPECT_EQ(d.counters.records_read, 7u);
}

TEST(JsonlReaderTest, LoneSurrogatesBecomeReplacementCharacters) {
  TempDir tmp;
  testing::WriteFile(tmp.File("s.jsonl"),
                     "{\"text\":\"a\\ud800b \\udc00 pair \\ud83d\\ude00 esc \\\\ud800\"}\n");
  auto d = testing::DrainPath(tmp.File("s.jsonl"));
  ASSERT_TRUE(d.errors.empty()) << d.errors[0].ToString();
  ASSERT_EQ(d.docs.size(), 1u);
  EXPECT_EQ(d.docs[0].raw, "a\xEF\xBF\xBD" "b \xEF\xBF\xBD pair \xF0\x9F\x98\x80 esc \\ud800");
  EXPECT_EQ(d.counters.invalid_utf8_replaced, 2u);
}

// Next() in two steps (NextRecord on one thread, ParseRecord on others, as
// `winnow clean` does with several workers) gives the same documents and
// errors, counted the same way.
TEST(JsonlReaderTest, CutThenParseIsNext) {
  TempDir tmp;
  const std::string in = std::string(kInput) + "\n" +
                         "this is not json\n"
                         "{\"text\":\"a\\ud800b\"}\n"
                         "{\"id\":\"no text\"}\n"
                         "{\"text\":\"" + std::string(3000, 'x') + "\"}\n"
                         "{\"source\":{\"file\":\"w.jsonl\",\"record\":4,\"offset\":9},\"kind\":\"text\",\"text\":\"winnow's own\"}\n";
  testing::WriteFile(tmp.File("in.jsonl.gz"), testing::Gzip(in));
  ReaderOptions o;
  o.max_record_bytes = 2000;
  auto whole = testing::DrainPath(tmp.File("in.jsonl.gz"), o);
  auto reader = OpenReader(tmp.File("in.jsonl.gz"), o);
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE((*reader)->SplitsRecords());
  std::vector<Document> docs;
  std::vector<ReadError> errors;
  uint64_t replaced = 0;
  for (;;) {
    RawRecord rec;
    ReadError e;
    Reader::Result r = (*reader)->NextRecord(&rec, &e);
    if (r == Reader::Result::kEnd) break;
    if (r == Reader::Result::kDocument) {
      Document d;
      r = (*reader)->ParseRecord(rec, &d, &e, &replaced);
      if (r == Reader::Result::kDocument) docs.push_back(std::move(d));
    }
    if (r == Reader::Result::kUnreadable) errors.push_back(e);
  }
  ASSERT_EQ(docs.size(), whole.docs.size());
  EXPECT_EQ(testing::DocsAsJsonl(docs), testing::DocsAsJsonl(whole.docs));
  ASSERT_EQ(errors.size(), whole.errors.size());
  ASSERT_GE(errors.size(), 3u);
  for (size_t i = 0; i < errors.size(); ++i) EXPECT_EQ(errors[i].ToString(), whole.errors[i].ToString());
  EXPECT_EQ(replaced + (*reader)->counters().invalid_utf8_replaced, whole.counters.invalid_utf8_replaced);
  EXPECT_EQ(replaced, 1u);
  EXPECT_EQ((*reader)->counters().records_read, whole.counters.records_read);
}

TEST(JsonlReaderTest, LineLongerThanCapIsSkipped) {
  TempDir tmp;
  std::string big = "{\"text\":\"" + std::string(5000, 'x') + "\"}\n";
  testing::WriteFile(tmp.File("big.jsonl"), big + "{\"text\":\"small\"}\n");
  ReaderOptions o;
  o.max_record_bytes = 1000;
  auto d = testing::DrainPath(tmp.File("big.jsonl"), o);
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_NE(d.errors[0].message.find("max_record_bytes"), std::string::npos);
  ASSERT_EQ(d.docs.size(), 1u);
  EXPECT_EQ(d.docs[0].raw, "small");
}

TEST(JsonlReaderTest, ReadsWinnowOutputBack) {
  TempDir tmp;
  Document doc;
  doc.id = "w1";
  doc.url = "https://w.example/";
  doc.source = {"orig.warc.gz", 3, 999};
  doc.kind = DocKind::kHtml;
  doc.raw = "<p>x</p>";
  doc.blocks.push_back({BlockKind::kHeading, "Head", 1, "", true, ""});
  doc.blocks.push_back({BlockKind::kParagraph, "Body", 0, "", true, ""});
  doc.annotations.lang = "de";
  doc.annotations.quality["words"] = 2;
  WriterOptions wo;
  wo.json.blocks = true;
  auto w = OpenWriter(tmp.File("out.jsonl"), wo);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Write(doc).ok());
  ASSERT_TRUE((*w)->Close().ok());
  auto d = testing::DrainPath(tmp.File("out.jsonl"));
  ASSERT_EQ(d.docs.size(), 1u);
  const Document& back = d.docs[0];
  EXPECT_EQ(back.id, "w1");
  EXPECT_EQ(back.source.file, "orig.warc.gz");  // provenance of the original record
  EXPECT_EQ(back.source.record, 3u);
  ASSERT_EQ(back.blocks.size(), 2u);
  EXPECT_EQ(back.blocks[0].kind, BlockKind::kHeading);
  EXPECT_EQ(back.annotations.lang, "de");
  EXPECT_EQ(back.annotations.quality.at("words"), 2);
  // No raw written: the kind stays, raw stays empty for HTML...
  EXPECT_EQ(back.kind, DocKind::kHtml);
  EXPECT_EQ(back.raw, "");
  EXPECT_EQ(back.Text(), "Head\nBody");
  // ... and a text document gets its text as raw.
  Document t;
  t.kind = DocKind::kText;
  t.source.file = "x.txt";
  t.SetTextLines("one\ntwo");
  testing::WriteFile(tmp.File("t.jsonl"), DocumentToJson(t, JsonOptions()) + "\n");
  auto dt = testing::DrainPath(tmp.File("t.jsonl"));
  ASSERT_EQ(dt.docs.size(), 1u);
  EXPECT_EQ(dt.docs[0].kind, DocKind::kText);
  EXPECT_EQ(dt.docs[0].raw, "one\ntwo");
}

TEST(JsonlReaderTest, TruncatedAndCorruptCompression) {
  TempDir tmp;
  std::string lines;
  for (int i = 0; i < 30000; ++i) lines += "{\"id\":\"" + std::to_string(i) + "\",\"text\":\"line number " + std::to_string(i * 7919) + "\"}\n";
  std::string gz = testing::Gzip(lines);
  std::string zst = testing::Zstd(lines);
  testing::WriteFile(tmp.File("cut.jsonl.gz"), gz.substr(0, gz.size() / 2));
  testing::WriteFile(tmp.File("cut.jsonl.zst"), zst.substr(0, zst.size() / 2));
  for (std::string name : {"cut.jsonl.gz", "cut.jsonl.zst"}) {
    auto d = testing::DrainPath(tmp.File(name));
    EXPECT_GT(d.docs.size(), 100u) << name;  // the records before the cut
    EXPECT_LT(d.docs.size(), 30000u) << name;
    ASSERT_EQ(d.errors.size(), 1u) << name;
    EXPECT_NE(d.errors[0].message.find("truncated"), std::string::npos) << d.errors[0].message;
    for (size_t i = 0; i < d.docs.size(); ++i) EXPECT_EQ(d.docs[i].id, std::to_string(i));
  }
}

// The one shard reader: in order across shards, and the damaged-record
// policy said by the caller: kStop is an error naming file and record, kSkip
// skips and counts.
TEST(ShardReaderTest, ReadsShardsInOrderWithAnExplicitPolicy) {
  TempDir dir;
  testing::WriteFile(dir.File("a.jsonl"), "{\"id\":\"1\",\"text\":\"x\"}\n{\"id\": broken\n{\"id\":\"2\",\"text\":\"y\"}\n");
  testing::WriteFile(dir.File("b.jsonl.gz"), testing::Gzip("{\"id\":\"3\",\"text\":\"z\"}\n"));
  const std::vector<std::string> shards = {dir.File("a.jsonl"), dir.File("b.jsonl.gz")};

  auto skip = ShardReader::Open(shards, DamagedRecords::kSkip);
  ASSERT_TRUE(skip.ok()) << skip.status().ToString();
  std::vector<std::string> ids;
  Document doc;
  for (;;) {
    StatusOr<bool> more = (*skip)->Next(&doc);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    ids.push_back(doc.id);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ((*skip)->skipped(), 1u);
  EXPECT_EQ((*skip)->last_skipped().file, dir.File("a.jsonl"));
  EXPECT_EQ((*skip)->last_skipped().record, 1u);  // line 2

  ids.clear();
  Status s = ForEachShardDocument(shards, DamagedRecords::kStop, [&](Document& d) {
    ids.push_back(d.id);
    return Status::Ok();
  });
  EXPECT_EQ(s.code(), Status::Code::kCorrupt);
  EXPECT_NE(s.message().find("a.jsonl"), std::string::npos) << s.ToString();
  EXPECT_EQ(ids, std::vector<std::string>{"1"});

  EXPECT_FALSE(ShardReader::Open({dir.File("missing.jsonl")}, DamagedRecords::kSkip).ok());
  auto later = ShardReader::Open({dir.File("b.jsonl.gz"), dir.File("missing.jsonl")},
                                 DamagedRecords::kSkip);
  ASSERT_TRUE(later.ok());
  ASSERT_TRUE((*later)->Next(&doc).ok());
  EXPECT_FALSE((*later)->Next(&doc).ok());  // the missing second shard is an error
}

TEST(JsonlReaderTest, EmptyFile) {
  TempDir tmp;
  testing::WriteFile(tmp.File("e.jsonl"), "");
  testing::WriteFile(tmp.File("e.jsonl.gz"), "");
  testing::WriteFile(tmp.File("e2.jsonl.gz"), testing::Gzip(""));
  for (std::string name : {"e.jsonl", "e.jsonl.gz", "e2.jsonl.gz"}) {
    auto d = testing::DrainPath(tmp.File(name));
    EXPECT_TRUE(d.docs.empty()) << name;
    EXPECT_TRUE(d.errors.empty()) << name;
  }
}

}  // namespace
}  // namespace winnow
