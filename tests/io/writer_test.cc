// OpenWriter: compressions, shard naming and sizes, round trip through the
// JSONL reader.
#include <gtest/gtest.h>

#include "golden.h"
#include "test_util.h"
#include "winnow/reader.h"
#include "winnow/writer.h"

namespace winnow {
namespace {

using testing::TempDir;

std::vector<Document> MakeDocs(int n) {
  std::vector<Document> docs;
  for (int i = 0; i < n; ++i) {
    Document d;
    d.id = "doc-" + std::to_string(i);
    d.url = "https://example.org/" + std::to_string(i);
    d.source = {"input.warc.gz", static_cast<uint64_t>(i), static_cast<uint64_t>(i) * 100};
    d.kind = DocKind::kText;
    d.raw = "Paragraph one of document " + std::to_string(i) + ".\nSecond line, \xC3\xA9t\xC3\xA9.";
    d.SetTextLines(d.raw);
    d.annotations.lang = "en";
    d.annotations.lang_confidence = 0.5;
    docs.push_back(std::move(d));
  }
  return docs;
}

std::vector<Document> ReadAll(const std::vector<std::string>& files) {
  std::vector<Document> out;
  for (const auto& f : files) {
    auto d = testing::DrainPath(f);
    EXPECT_TRUE(d.errors.empty()) << f << ": " << (d.errors.empty() ? "" : d.errors[0].ToString());
    for (auto& doc : d.docs) out.push_back(std::move(doc));
  }
  return out;
}

class WriterCompressionTest : public ::testing::TestWithParam<std::string> {};

TEST_P(WriterCompressionTest, RoundTrip) {
  TempDir tmp;
  WriterOptions o;
  o.compression = GetParam();
  o.json.blocks = true;
  auto w = OpenWriter(tmp.File("out"), o);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  auto docs = MakeDocs(50);
  for (const auto& d : docs) ASSERT_TRUE((*w)->Write(d).ok());
  ASSERT_TRUE((*w)->Close().ok());
  ASSERT_EQ((*w)->files().size(), 1u);
  std::string name = (*w)->files()[0];
  std::string ext = GetParam() == "none" ? ".jsonl" : GetParam() == "gz" ? ".jsonl.gz" : ".jsonl.zst";
  EXPECT_EQ(name, tmp.File("out-00000" + ext));
  // The bytes on disk decompress with the standard tools' libraries.
  std::string bytes = testing::ReadFile(name);
  std::string plain = GetParam() == "gz" ? testing::Gunzip(bytes) : GetParam() == "zst" ? testing::Unzstd(bytes) : bytes;
  EXPECT_EQ(plain, testing::DocsAsJsonl({}, false) + [&] {
    std::string s;
    JsonOptions j;
    j.blocks = true;
    for (const auto& d : docs) s += DocumentToJson(d, j) + "\n";
    return s;
  }());
  auto back = ReadAll((*w)->files());
  ASSERT_EQ(back.size(), docs.size());
  for (size_t i = 0; i < docs.size(); ++i) {
    EXPECT_EQ(back[i].id, docs[i].id);
    EXPECT_EQ(back[i].Text(), docs[i].Text());
    EXPECT_EQ(back[i].source.record, docs[i].source.record);
    EXPECT_EQ(back[i].annotations.lang, "en");
  }
}

// A compressed shard is compressed as it is written, 128 KB at a time: a
// shard of several such pieces (and past the 1 MB buffer of plain files)
// decompresses to exactly the documents written, in order.
TEST_P(WriterCompressionTest, RoundTripOverManyFlushes) {
  TempDir tmp;
  WriterOptions o;
  o.compression = GetParam();
  auto w = OpenWriter(tmp.File("big"), o);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  std::vector<Document> docs = MakeDocs(700);
  std::string expected;
  for (size_t i = 0; i < docs.size(); ++i) {
    // 20 bytes to 4 KB of varied text: ~1.4 MB in all, flushes at varied points.
    std::string line;
    for (size_t k = 0; k < 20 + (i * 37) % 4000; ++k) line += static_cast<char>('a' + (i * 7 + k * k) % 26);
    docs[i].raw = line;
    docs[i].SetTextLines(docs[i].raw);
    ASSERT_TRUE((*w)->Write(docs[i]).ok());
    expected += DocumentToJson(docs[i], o.json) + "\n";
  }
  ASSERT_TRUE((*w)->Close().ok());
  ASSERT_EQ((*w)->files().size(), 1u);
  ASSERT_GT(expected.size(), 1u << 20);
  const std::string bytes = testing::ReadFile((*w)->files()[0]);
  const std::string plain =
      GetParam() == "gz" ? testing::Gunzip(bytes) : GetParam() == "zst" ? testing::Unzstd(bytes) : bytes;
  EXPECT_TRUE(plain == expected) << "decompressed " << plain.size() << " bytes, wrote " << expected.size();
  auto back = ReadAll((*w)->files());
  ASSERT_EQ(back.size(), docs.size());
  for (size_t i = 0; i < docs.size(); i += 97) EXPECT_EQ(back[i].Text(), docs[i].Text());
}

INSTANTIATE_TEST_SUITE_P(All, WriterCompressionTest, ::testing::Values("none", "gz", "zst"));

TEST(WriterTest, ShardsBySize) {
  TempDir tmp;
  WriterOptions o;
  o.compression = "gz";
  o.shard_bytes = 1000;
  auto w = OpenWriter(tmp.File("sub/dir/part"), o);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  auto docs = MakeDocs(40);
  size_t line_bytes = DocumentToJson(docs[0], o.json).size() + 1;
  for (const auto& d : docs) ASSERT_TRUE((*w)->Write(d).ok());
  ASSERT_TRUE((*w)->Close().ok());
  const auto& files = (*w)->files();
  // Each shard closes once it reaches shard_bytes: ceil(1000 / line) lines.
  size_t per_shard = (1000 + line_bytes - 1) / line_bytes;
  EXPECT_EQ(files.size(), (docs.size() + per_shard - 1) / per_shard);
  for (size_t i = 0; i < files.size(); ++i) {
    char want[64];
    std::snprintf(want, sizeof(want), "sub/dir/part-%05zu.jsonl.gz", i);
    EXPECT_EQ(files[i], tmp.File(want));
    std::string plain = testing::Gunzip(testing::ReadFile(files[i]));
    if (i + 1 < files.size()) {
      EXPECT_GE(plain.size(), 1000u);
      EXPECT_LT(plain.size(), 1000u + line_bytes);
    }
  }
  auto back = ReadAll(files);
  ASSERT_EQ(back.size(), docs.size());
  for (size_t i = 0; i < docs.size(); ++i) EXPECT_EQ(back[i].id, docs[i].id);
}

TEST(WriterTest, ExactFileNameDecidesCompression) {
  TempDir tmp;
  for (std::string name : {"a.jsonl", "b.jsonl.gz", "c.jsonl.zst"}) {
    WriterOptions o;  // compression "none", overridden by the name
    auto w = OpenWriter(tmp.File(name), o);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Write(MakeDocs(1)[0]).ok());
    ASSERT_TRUE((*w)->Close().ok());
    ASSERT_EQ((*w)->files().size(), 1u);
    EXPECT_EQ((*w)->files()[0], tmp.File(name));
    EXPECT_EQ(ReadAll((*w)->files()).size(), 1u);
  }
}

TEST(WriterTest, EmptyRunLeavesOneEmptyShard) {
  TempDir tmp;
  auto w = OpenWriter(tmp.File("empty"), WriterOptions());
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Close().ok());
  ASSERT_EQ((*w)->files().size(), 1u);
  EXPECT_EQ(testing::ReadFile((*w)->files()[0]), "");
  EXPECT_FALSE((*w)->Write(MakeDocs(1)[0]).ok());  // after Close
}

TEST(WriterTest, BadArguments) {
  TempDir tmp;
  WriterOptions o;
  o.compression = "lz4";
  EXPECT_EQ(OpenWriter(tmp.File("x"), o).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(OpenWriter("", WriterOptions()).status().code(), Status::Code::kInvalidArgument);
  // A folder that cannot be created (a file is in the way).
  testing::WriteFile(tmp.File("file"), "x");
  EXPECT_EQ(OpenWriter(tmp.File("file/sub/out"), WriterOptions()).status().code(), Status::Code::kIoError);
}

}  // namespace
}  // namespace winnow
