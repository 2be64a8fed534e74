// The sample data in examples/ reads without a single unreadable record,
// and its special records come out as scripts/make_sample.py made them.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "base/utf8.h"
#include "golden.h"
#include "test_util.h"
#include "winnow/reader.h"

namespace winnow {
namespace {

std::string Example(const std::string& name) { return std::string(WINNOW_SOURCE_DIR) + "/examples/" + name; }

TEST(ExamplesTest, SampleWarc) {
  if (!std::filesystem::exists(Example("sample.warc.gz"))) GTEST_SKIP() << "examples/sample.warc.gz not built";
  auto d = testing::DrainPath(Example("sample.warc.gz"));
  for (const auto& e : d.errors) ADD_FAILURE() << e.ToString();
  ASSERT_GE(d.docs.size(), 30u);
  std::set<std::string> charsets;
  int html = 0, not_found = 0, redirects = 0;
  for (const auto& doc : d.docs) {
    EXPECT_TRUE(IsValidUtf8(doc.raw)) << doc.url;
    charsets.insert(doc.raw_charset);
    html += doc.kind == DocKind::kHtml;
    not_found += doc.fetch.http_status == 404;
    redirects += doc.fetch.http_status == 301;
    if (doc.url.find("/cp1252/") != std::string::npos) {
      EXPECT_EQ(doc.raw_charset, "windows-1252");
      EXPECT_NE(doc.raw.find("\xC3\xA9"), std::string::npos);  // é decoded
    }
    if (doc.url.find("/sjis/") != std::string::npos) EXPECT_EQ(doc.raw_charset, "shift_jis");
    if (doc.url.find("?chunked") != std::string::npos) {
      EXPECT_EQ(doc.raw.find("\r\n1000\r\n"), std::string::npos);  // chunk sizes removed
      EXPECT_NE(doc.raw.find("</html>"), std::string::npos);
    }
  }
  EXPECT_EQ(html, static_cast<int>(d.docs.size()));
  EXPECT_EQ(not_found, 1);
  EXPECT_EQ(redirects, 1);
  EXPECT_TRUE(charsets.count("windows-1252"));
  EXPECT_TRUE(charsets.count("shift_jis"));
  // warcinfo + one request per response + the image + metadata.
  EXPECT_EQ(d.counters.records_skipped, 1 + (d.docs.size() + 1) + 1 + 1);
  // Golden summary: one line per document (rebuild with WINNOW_UPDATE_GOLDEN=1
  // after scripts/make_sample.py changes).
  std::string summary;
  for (const auto& doc : d.docs) {
    summary += std::to_string(doc.source.record) + " " + std::to_string(doc.source.offset) + " " + doc.url + " " +
               std::to_string(doc.fetch.http_status) + " " + doc.raw_charset + " " + std::to_string(doc.raw.size()) +
               "\n";
  }
  testing::ExpectGolden("sample_warc.summary.txt", summary);
}

TEST(ExamplesTest, SampleWet) {
  if (!std::filesystem::exists(Example("sample.wet.gz"))) GTEST_SKIP() << "examples/sample.wet.gz not built";
  ReaderOptions o;  // .wet.gz: found by name
  auto d = testing::DrainPath(Example("sample.wet.gz"), o);
  for (const auto& e : d.errors) ADD_FAILURE() << e.ToString();
  ASSERT_GE(d.docs.size(), 30u);
  for (const auto& doc : d.docs) {
    EXPECT_EQ(doc.kind, DocKind::kText);
    EXPECT_FALSE(doc.raw.empty());
    EXPECT_EQ(doc.raw.find("<div"), std::string::npos) << doc.url;  // text, not HTML
  }
  // The exact duplicate (a mirror) is there for dedup to find.
  std::set<std::string> texts;
  size_t dups = 0;
  for (const auto& doc : d.docs) dups += !texts.insert(doc.raw).second;
  EXPECT_GE(dups, 1u);
  EXPECT_EQ(d.counters.records_skipped, 1u);
}

// Every document of the two files has an id of its own (a dedup decision
// names its keeper by id), as in Common Crawl, where a WET conversion record
// has its own WARC-Record-ID and names its response in WARC-Refers-To.
TEST(ExamplesTest, SampleIdsAreUniqueAcrossWarcAndWet) {
  if (!std::filesystem::exists(Example("sample.wet.gz"))) GTEST_SKIP() << "examples/sample.wet.gz not built";
  std::set<std::string> ids;
  size_t docs = 0;
  for (const char* name : {"sample.warc.gz", "sample.wet.gz"}) {
    auto d = testing::DrainPath(Example(name));
    for (const auto& doc : d.docs) {
      ++docs;
      EXPECT_TRUE(ids.insert(doc.id).second) << name << ": id " << doc.id << " is not unique";
    }
  }
  EXPECT_GE(docs, 60u);
}

}  // namespace
}  // namespace winnow
