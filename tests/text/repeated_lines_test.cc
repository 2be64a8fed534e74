// Repeated-line removal: normalisation, per-host counting, thresholds,
// counts files, bounded memory.
#include <gtest/gtest.h>

#include <fstream>

#include "winnow/repeated_lines.h"

namespace winnow {
namespace {

Document TextDoc(const std::string& url, const std::string& text) {
  Document d;
  d.kind = DocKind::kText;
  d.url = url;
  d.SetTextLines(text);
  return d;
}

TEST(NormalizeTest, CaseDigitsPunctuationSpaces) {
  EXPECT_EQ(NormalizeRepeatedLine("  Updated 12:04 -- READ  more!! "), "updated 0000 read more");
  EXPECT_EQ(NormalizeRepeatedLine("Mise à jour"), "mise à jour");
  EXPECT_EQ(NormalizeRepeatedLine("ÉTATS-UNIS"), "étatsunis");
  EXPECT_EQ(NormalizeRepeatedLine("-"), "");
  EXPECT_EQ(NormalizeRepeatedLine("a\xff\xfe b"), "a b");
  EXPECT_EQ(NormalizeRepeatedLine("Updated 12:04"), NormalizeRepeatedLine("updated 09:31"));
}

TEST(UrlHostTest, Hosts) {
  EXPECT_EQ(UrlHost("https://www.Example.com:8080/a/b?c"), "example.com");
  EXPECT_EQ(UrlHost("http://user@news.site.org"), "news.site.org");
  EXPECT_EQ(UrlHost("not a url"), "");
}

TEST(RepeatedLinesTest, DropsLinesRepeatedAcrossPagesOfAHost) {
  RepeatedLineCounter counter;
  std::vector<Document> docs;
  for (int i = 0; i < 4; ++i) {
    docs.push_back(TextDoc("https://news.example.com/a" + std::to_string(i),
                           "Article number " + std::to_string(i) + " says something unique " +
                               std::string(1, static_cast<char>('a' + i)) +
                               ".\nSubscribe to our newsletter\nFollow us on Twitter"));
  }
  for (const Document& d : docs) counter.Observe(d);
  EXPECT_EQ(counter.documents(), 4u);
  EXPECT_EQ(counter.HostCount("news.example.com", "subscribe to our NEWSLETTER!"), 4u);
  RepeatedLineFilter filter(&counter, RepeatedLineFilterOptions{});
  for (Document& d : docs) {
    EXPECT_EQ(filter.Apply(d), 2);
    EXPECT_TRUE(d.blocks[0].keep);
    EXPECT_FALSE(d.blocks[1].keep);
    EXPECT_EQ(d.blocks[1].drop_reason, "text.repeated_lines:host");
    EXPECT_TRUE(d.decision.keep);
  }
}

TEST(RepeatedLinesTest, BelowThresholdAndOtherHostsAreKept) {
  RepeatedLineCounter counter;
  Document a = TextDoc("https://a.org/1", "A quoted sentence.\nOnly here.");
  Document b = TextDoc("https://a.org/2", "A quoted sentence.\nOnly there.");
  Document c = TextDoc("https://b.org/1", "A quoted sentence.");
  Document d = TextDoc("https://c.org/1", "A quoted sentence.");
  for (const Document* x : {&a, &b, &c, &d}) counter.Observe(*x);
  // In 2 documents of a.org: not more than max_host_docs = 2.
  RepeatedLineFilter filter(&counter, RepeatedLineFilterOptions{});
  EXPECT_EQ(filter.Apply(a), 0);
  EXPECT_TRUE(a.blocks[0].keep);
  // With a stricter threshold it goes.
  RepeatedLineFilterOptions strict;
  strict.max_host_docs = 1;
  RepeatedLineFilter strict_filter(&counter, strict);
  EXPECT_EQ(strict_filter.Apply(b), 1);
  // The shard rule counts all hosts: 4 documents.
  RepeatedLineFilterOptions shard;
  shard.max_host_docs = 0;
  shard.max_shard_docs = 3;
  RepeatedLineFilter shard_filter(&counter, shard);
  EXPECT_EQ(shard_filter.Apply(c), 1);
  EXPECT_EQ(c.blocks[0].drop_reason, "text.repeated_lines:shard");
  EXPECT_FALSE(c.decision.keep);
  EXPECT_EQ(c.decision.reason, "all_lines_repeated");
}

TEST(RepeatedLinesTest, ALineCountsOncePerDocument) {
  RepeatedLineCounter counter;
  counter.Observe(TextDoc("https://x.net/1", "Menu\nMenu\nMenu\nMenu"));
  EXPECT_EQ(counter.HostCount("x.net", "Menu"), 1u);
  EXPECT_EQ(counter.ShardCount("menu"), 1u);
}

TEST(RepeatedLinesTest, SaveLoadAndMerge) {
  RepeatedLineCounter one, two;
  for (int i = 0; i < 3; ++i) one.Observe(TextDoc("https://s.com/" + std::to_string(i), "Footer line"));
  two.Observe(TextDoc("https://s.com/9", "Footer line"));
  std::string path = std::string(WINNOW_BINARY_DIR) + "/text_counts_test.bin";
  ASSERT_TRUE(one.Save(path).ok());
  auto loaded = RepeatedLineCounter::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->HostCount("s.com", "footer line"), 3u);
  EXPECT_EQ(loaded->documents(), 3u);
  loaded->Merge(two);
  EXPECT_EQ(loaded->HostCount("s.com", "footer line"), 4u);
  EXPECT_EQ(loaded->documents(), 4u);
}

TEST(RepeatedLinesTest, BadCountsFiles) {
  EXPECT_EQ(RepeatedLineCounter::Load("/nonexistent/counts.bin").status().code(),
            Status::Code::kNotFound);
  std::string path = std::string(WINNOW_BINARY_DIR) + "/text_counts_bad.bin";
  std::ofstream(path, std::ios::binary) << "garbage that is not a counts file at all, really";
  EXPECT_EQ(RepeatedLineCounter::Load(path).status().code(), Status::Code::kCorrupt);
  // A real file cut short.
  RepeatedLineCounter c;
  c.Observe(TextDoc("https://s.com/1", "one\ntwo\nthree"));
  ASSERT_TRUE(c.Save(path).ok());
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() - 7);
  EXPECT_EQ(RepeatedLineCounter::Load(path).status().code(), Status::Code::kCorrupt);
}

TEST(RepeatedLinesTest, MemoryIsBoundedAndFrequentLinesSurvive) {
  RepeatedLineCounterOptions o;
  o.max_entries = 1000;
  RepeatedLineCounter counter(o);
  for (int i = 0; i < 5000; ++i) {
    counter.Observe(TextDoc("https://big.com/" + std::to_string(i),
                            "Unique line " + std::string(1, 'a' + i % 26) + std::string(1, 'a' + i / 26 % 26) +
                                std::string(1, 'a' + i / 676 % 26) + "\nSite footer"));
  }
  EXPECT_LE(counter.host_entries(), 1000u);
  EXPECT_LE(counter.shard_entries(), 1000u);
  EXPECT_GT(counter.prune_floor(), 0u);
  EXPECT_GE(counter.HostCount("big.com", "Site footer"), 4000u);
}

}  // namespace
}  // namespace winnow
