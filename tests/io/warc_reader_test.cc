// The WARC/WET reader: record types, compressions, offsets, and bad input.
#include <gtest/gtest.h>

#include "golden.h"
#include "test_util.h"
#include "base/utf8.h"
#include "winnow/reader.h"

namespace winnow {
namespace {

using testing::HttpResponse;
using testing::TempDir;
using testing::WarcRecord;

// The records of the golden WARC, each its own string (so that per-record
// gzip can compress them one by one).
std::vector<std::string> GoldenRecords() {
  std::vector<std::string> r;
  r.push_back(WarcRecord("warcinfo", "", "software: winnow-test\r\n", "application/warc-fields", "info"));
  r.push_back(WarcRecord("request", "https://a.example/", "GET / HTTP/1.1\r\nHost: a.example\r\n\r\n",
                         "application/http; msgtype=request", "req1"));
  r.push_back(WarcRecord("response", "https://a.example/",
                         HttpResponse("<html><head><title>A</title></head><body><p>Hello UTF-8 \xE2\x9C\x93</p></body></html>",
                                      "text/html; charset=UTF-8"),
                         "application/http; msgtype=response", "resp1"));
  // Latin-1 body declared by the HTTP header.
  r.push_back(WarcRecord("response", "https://b.example/caf\xC3\xA9",
                         HttpResponse("<p>Caf\xE9 cr\xE8me br\xFBl\xE9" "e</p>", "text/html; charset=ISO-8859-1"),
                         "application/http; msgtype=response", "resp2", "WARC/1.1"));
  r.push_back(WarcRecord("response", "https://c.example/robots.txt",
                         HttpResponse("User-agent: *\nDisallow:\n", "text/plain"),
                         "application/http; msgtype=response", "resp3"));
  r.push_back(WarcRecord("response", "https://c.example/logo.png", HttpResponse("\x89PNG\r\n\x1a\n....", "image/png"),
                         "application/http; msgtype=response", "png"));
  // Chunked transfer encoding, 404 status.
  std::string chunked = "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "7\r\n<p>Not \r\n6\r\nfound.\r\na\r\n</p>\n\n\n\n\n\n\r\n0\r\n\r\n";
  r.push_back(WarcRecord("response", "https://d.example/missing", chunked, "application/http; msgtype=response", "resp4"));
  r.push_back(WarcRecord("resource", "file:///notes.txt", "resource text\nline two\n", "text/plain", "res1"));
  r.push_back(WarcRecord("metadata", "https://a.example/", "fetchTimeMs: 12\r\n", "application/warc-fields", "meta1"));
  return r;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x;
  return s;
}

std::vector<Document> Normalized(std::vector<Document> docs) {
  for (auto& d : docs) {
    d.source.file = "golden.warc";
    d.source.offset = 0;  // differs between compressions; checked apart
  }
  return docs;
}

TEST(WarcReaderTest, GoldenPlain) {
  TempDir tmp;
  testing::WriteFile(tmp.File("g.warc"), Join(GoldenRecords()));
  auto d = testing::DrainPath(tmp.File("g.warc"));
  ASSERT_TRUE(d.errors.empty()) << d.errors[0].ToString();
  testing::ExpectGolden("warc_reader.golden.jsonl", testing::DocsAsJsonl(Normalized(d.docs)));
  ASSERT_EQ(d.docs.size(), 5u);
  EXPECT_EQ(d.counters.records_skipped, 4u);  // warcinfo, request, png, metadata
  EXPECT_EQ(d.docs[0].kind, DocKind::kHtml);
  EXPECT_EQ(d.docs[0].id, "urn:uuid:resp1");
  EXPECT_EQ(d.docs[0].url, "https://a.example/");
  EXPECT_EQ(d.docs[0].fetch.date, "2024-01-02T03:04:05Z");
  EXPECT_EQ(d.docs[0].fetch.http_status, 200);
  EXPECT_EQ(d.docs[0].source.record, 2u);
  EXPECT_EQ(d.docs[1].raw, "<p>Caf\xC3\xA9 cr\xC3\xA8me br\xC3\xBBl\xC3\xA9\x65</p>");
  EXPECT_EQ(d.docs[1].raw_charset, "windows-1252");  // WHATWG: iso-8859-1 is windows-1252
  EXPECT_EQ(d.docs[1].fetch.charset, "iso-8859-1");
  EXPECT_EQ(d.docs[2].kind, DocKind::kText);
  EXPECT_EQ(d.docs[3].fetch.http_status, 404);
  EXPECT_EQ(d.docs[3].raw, "<p>Not found.</p>\n\n\n\n\n\n");
  EXPECT_EQ(d.docs[4].kind, DocKind::kText);
  EXPECT_EQ(d.docs[4].raw, "resource text\nline two\n");
  // Offsets of an uncompressed file are file offsets.
  auto recs = GoldenRecords();
  EXPECT_EQ(d.docs[0].source.offset, recs[0].size() + recs[1].size());
  EXPECT_EQ(d.docs[0].input_bytes, recs[2].size());
}

TEST(WarcReaderTest, SameDocumentsForEveryCompression) {
  TempDir tmp;
  auto recs = GoldenRecords();
  std::string plain = Join(recs);
  std::string per_record;
  std::vector<uint64_t> member_offsets;
  for (const auto& r : recs) {
    member_offsets.push_back(per_record.size());
    per_record += testing::Gzip(r);
  }
  testing::WriteFile(tmp.File("g.warc"), plain);
  testing::WriteFile(tmp.File("per.warc.gz"), per_record);
  testing::WriteFile(tmp.File("whole.warc.gz"), testing::Gzip(plain));
  testing::WriteFile(tmp.File("g.warc.zst"), testing::Zstd(plain));
  testing::WriteFile(tmp.File("noext"), per_record);  // sniffed
  auto want = testing::DrainPath(tmp.File("g.warc"));
  for (std::string name : {"per.warc.gz", "whole.warc.gz", "g.warc.zst", "noext"}) {
    auto got = testing::DrainPath(tmp.File(name));
    ASSERT_TRUE(got.errors.empty()) << name << ": " << got.errors[0].ToString();
    EXPECT_EQ(testing::DocsAsJsonl(Normalized(got.docs)), testing::DocsAsJsonl(Normalized(want.docs))) << name;
    EXPECT_EQ(got.counters.records_skipped, 4u) << name;
  }
  // Per-record gzip: the offset is the compressed offset of the member.
  auto per = testing::DrainPath(tmp.File("per.warc.gz"));
  ASSERT_EQ(per.docs.size(), 5u);
  for (const auto& doc : per.docs) EXPECT_EQ(doc.source.offset, member_offsets[doc.source.record]);
  // Whole-file gzip: the offset in the decompressed stream.
  auto whole = testing::DrainPath(tmp.File("whole.warc.gz"));
  for (size_t i = 0; i < whole.docs.size(); ++i) EXPECT_EQ(whole.docs[i].source.offset, want.docs[i].source.offset);
}

TEST(WarcReaderTest, WetConversionRecords) {
  TempDir tmp;
  std::string wet = WarcRecord("warcinfo", "", "isPartOf: test\r\n", "application/warc-fields") +
                    WarcRecord("conversion", "https://a.example/", "Title\nFirst paragraph.\nBad \xFF byte\n",
                               "text/plain", "c1") +
                    WarcRecord("conversion", "https://b.example/", "Zweite Seite\n", "text/plain", "c2");
  testing::WriteFile(tmp.File("x.warc.wet.gz"), testing::Gzip(wet));
  auto d = testing::DrainPath(tmp.File("x.warc.wet.gz"));
  ASSERT_TRUE(d.errors.empty());
  ASSERT_EQ(d.docs.size(), 2u);
  EXPECT_EQ(d.docs[0].kind, DocKind::kText);
  EXPECT_EQ(d.docs[0].raw, "Title\nFirst paragraph.\nBad \xEF\xBF\xBD byte\n");
  EXPECT_EQ(d.counters.invalid_utf8_replaced, 1u);
  EXPECT_EQ(d.docs[1].url, "https://b.example/");
  EXPECT_EQ(d.counters.records_skipped, 1u);
  for (auto& doc : d.docs) doc.source.file = "x.warc.wet.gz";
  testing::ExpectGolden("wet_reader.golden.jsonl", testing::DocsAsJsonl(d.docs));
}

// Regression (tests/fuzz/warc_fuzzer): header values with bytes that are
// not UTF-8 (a WARC-Target-URI, a record id) left the reader unchanged,
// though every document leaves it as valid UTF-8.
TEST(WarcReaderTest, HeaderValuesAreMadeValidUtf8) {
  TempDir tmp;
  std::string rec = WarcRecord("conversion", "https://a.example/caf\xE9/\xFF\xFF", "Text\n", "text/plain", "id\xC3");
  testing::WriteFile(tmp.File("x.wet"), rec);
  auto d = testing::DrainPath(tmp.File("x.wet"));
  ASSERT_EQ(d.docs.size(), 1u);
  EXPECT_EQ(d.docs[0].url, "https://a.example/caf\xEF\xBF\xBD/\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_TRUE(IsValidUtf8(d.docs[0].id)) << d.docs[0].id;
  EXPECT_EQ(d.counters.invalid_utf8_replaced, 4u);
}

// Replaces the Content-Length value of a record.
std::string WithLength(std::string rec, long delta) {
  size_t at = rec.find("Content-Length: ") + 16;
  size_t end = rec.find("\r\n", at);
  long len = std::stol(rec.substr(at, end - at));
  return rec.substr(0, at) + std::to_string(len + delta) + rec.substr(end);
}

std::string Page(int i) {
  return WarcRecord("response", "https://p.example/" + std::to_string(i),
                    HttpResponse("<p>page " + std::to_string(i) + "</p>", "text/html"),
                    "application/http; msgtype=response", "p" + std::to_string(i));
}

TEST(WarcReaderTest, ContentLengthPastEndOfFile) {
  TempDir tmp;
  testing::WriteFile(tmp.File("cut.warc"), Page(0) + Page(1) + WithLength(Page(2), 500));
  auto d = testing::DrainPath(tmp.File("cut.warc"));
  ASSERT_EQ(d.docs.size(), 2u);
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_EQ(d.errors[0].record, 2u);
  EXPECT_EQ(d.errors[0].offset, Page(0).size() + Page(1).size());
  EXPECT_NE(d.errors[0].message.find("runs past the end of the file"), std::string::npos) << d.errors[0].message;
}

TEST(WarcReaderTest, ContentLengthTooLargeSwallowsNextRecordWhichIsRecovered) {
  TempDir tmp;
  testing::WriteFile(tmp.File("big.warc"), Page(0) + WithLength(Page(1), 40) + Page(2) + Page(3));
  auto d = testing::DrainPath(tmp.File("big.warc"));
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_EQ(d.errors[0].record, 1u);
  EXPECT_NE(d.errors[0].message.find("Content-Length"), std::string::npos) << d.errors[0].message;
  ASSERT_EQ(d.docs.size(), 3u);
  EXPECT_EQ(d.docs[1].url, "https://p.example/2");
  EXPECT_EQ(d.docs[2].url, "https://p.example/3");
}

TEST(WarcReaderTest, WrongLengthOnASkippedRecord) {
  TempDir tmp;
  std::string req = WarcRecord("request", "https://p.example/1", "GET / HTTP/1.1\r\n\r\n", "application/http; msgtype=request");
  testing::WriteFile(tmp.File("req.warc"), Page(0) + WithLength(req, 100000) + Page(1) + Page(2));
  auto d = testing::DrainPath(tmp.File("req.warc"));
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_EQ(d.errors[0].record, 1u);
  ASSERT_EQ(d.docs.size(), 3u);  // the records after it are recovered
  EXPECT_EQ(d.docs[2].url, "https://p.example/2");
}

TEST(WarcReaderTest, ContentLengthTooSmall) {
  TempDir tmp;
  testing::WriteFile(tmp.File("small.warc"), Page(0) + WithLength(Page(1), -10) + Page(2));
  auto d = testing::DrainPath(tmp.File("small.warc"));
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_EQ(d.errors[0].record, 1u);
  EXPECT_NE(d.errors[0].message.find("does not match"), std::string::npos) << d.errors[0].message;
  ASSERT_EQ(d.docs.size(), 2u);
  EXPECT_EQ(d.docs[1].url, "https://p.example/2");
}

TEST(WarcReaderTest, MissingContentLength) {
  TempDir tmp;
  std::string bad = Page(1);
  size_t at = bad.find("Content-Length");
  bad.replace(at, 14, "Content-Lenxth");
  testing::WriteFile(tmp.File("nolen.warc"), Page(0) + bad + Page(2));
  auto d = testing::DrainPath(tmp.File("nolen.warc"));
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_NE(d.errors[0].message.find("Content-Length"), std::string::npos);
  ASSERT_EQ(d.docs.size(), 2u);
  EXPECT_EQ(d.docs[1].url, "https://p.example/2");
}

TEST(WarcReaderTest, TruncatedGzip) {
  TempDir tmp;
  std::string gz;
  for (int i = 0; i < 5; ++i) gz += testing::Gzip(Page(i));
  std::string last = testing::Gzip(Page(5));
  gz += last.substr(0, last.size() / 2);
  testing::WriteFile(tmp.File("t.warc.gz"), gz);
  auto d = testing::DrainPath(tmp.File("t.warc.gz"));
  EXPECT_EQ(d.docs.size(), 5u);
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_NE(d.errors[0].message.find("truncated gzip"), std::string::npos) << d.errors[0].message;
  EXPECT_EQ(d.errors[0].record, 5u);
}

TEST(WarcReaderTest, TruncatedZstd) {
  TempDir tmp;
  std::string plain;
  for (int i = 0; i < 5; ++i) plain += Page(i);
  std::string zst;
  for (int i = 0; i < 5; ++i) zst += testing::Zstd(Page(i));  // one frame per record
  std::string last = testing::Zstd(Page(5));
  zst += last.substr(0, last.size() - 3);
  testing::WriteFile(tmp.File("t.warc.zst"), zst);
  auto d = testing::DrainPath(tmp.File("t.warc.zst"));
  EXPECT_EQ(d.docs.size(), 5u);
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_NE(d.errors[0].message.find("truncated zstd"), std::string::npos) << d.errors[0].message;
}

TEST(WarcReaderTest, CorruptGzipMemberIsSkipped) {
  TempDir tmp;
  std::string gz;
  for (int i = 0; i < 6; ++i) {
    std::string m = testing::Gzip(Page(i));
    if (i == 2) {
      for (size_t k = 12; k < m.size() - 8; ++k) m[k] = static_cast<char>(m[k] ^ 0x5a);  // garble the deflate data
    }
    gz += m;
  }
  testing::WriteFile(tmp.File("c.warc.gz"), gz);
  auto d = testing::DrainPath(tmp.File("c.warc.gz"));
  EXPECT_GE(d.errors.size(), 1u);
  bool saw_gzip = false;
  for (const auto& e : d.errors) saw_gzip = saw_gzip || e.message.find("gzip") != std::string::npos;
  EXPECT_TRUE(saw_gzip);
  ASSERT_EQ(d.docs.size(), 5u);
  EXPECT_EQ(d.docs[2].url, "https://p.example/3");
  EXPECT_EQ(d.docs[4].url, "https://p.example/5");
}

// Per-record gzip members whose ends fall at every position around the
// reader's 256 KiB input buffer refills: igzip loads 8 bytes at a time and
// gives back the unused ones when a member ends, which may be bytes consumed
// before the refill (the reader keeps them in front of the buffer).
TEST(WarcReaderTest, GzipMembersEndingAroundBufferRefillsAreAllRead) {
  TempDir tmp;
  uint32_t rng = 12345;
  auto noise = [&](size_t n) {  // incompressible text, so that sizes shift the layout byte by byte
    std::string t;
    for (size_t i = 0; i < n; ++i) {
      rng = rng * 1103515245u + 12345u;
      t += static_cast<char>('!' + (rng >> 16) % 90);
    }
    return t;
  };
  for (int shift = 0; shift < 24; ++shift) {
    std::string gz;
    int records = 0;
    for (int i = 0; gz.size() < 600 * 1024; ++i, ++records) {
      std::string body = "<p>" + noise(i == 0 ? 1000 + static_cast<size_t>(shift) : 40 + i % 13) + "</p>";
      gz += testing::Gzip(WarcRecord("response", "https://g.example/" + std::to_string(i),
                                     HttpResponse(body, "text/html"), "application/http; msgtype=response",
                                     "g" + std::to_string(i)));
    }
    const std::string path = tmp.File("m" + std::to_string(shift) + ".warc.gz");
    testing::WriteFile(path, gz);
    auto d = testing::DrainPath(path);
    EXPECT_TRUE(d.errors.empty()) << "shift " << shift << ": " << d.errors[0].message;
    ASSERT_EQ(d.docs.size(), static_cast<size_t>(records)) << "shift " << shift;
    EXPECT_EQ(d.docs.back().url, "https://g.example/" + std::to_string(records - 1));
  }
}

// A fuzzer input (tests/fuzz/regressions/compressed/): three gzip members,
// the last with an invalid distance after which igzip's avail_in wrapped to
// 2^32 - 1. The reader must report the broken members and end.
TEST(WarcReaderTest, GzipMemberWithInvalidDistanceEnds) {
  TempDir tmp;
  const std::string input = testing::ReadFile(std::string(WINNOW_SOURCE_DIR) +
                                              "/tests/fuzz/regressions/compressed/igzip-avail-in-wraps");
  ASSERT_EQ(input.size(), 1161u);
  testing::WriteFile(tmp.File("lookback.warc.gz"), input);
  auto d = testing::DrainPath(tmp.File("lookback.warc.gz"));
  ASSERT_FALSE(d.errors.empty());
  bool distance = false;
  for (const auto& e : d.errors) distance = distance || e.message.find("distance too far back") != std::string::npos;
  EXPECT_TRUE(distance) << d.errors[0].message;
}

TEST(WarcReaderTest, JunkBeforeAndBetweenRecords) {
  TempDir tmp;
  testing::WriteFile(tmp.File("j.warc"), "garbage line\nmore garbage\n" + Page(0) + "junk\x01\x02\n" + Page(1));
  auto d = testing::DrainPath(tmp.File("j.warc"));
  ASSERT_EQ(d.docs.size(), 2u);
  ASSERT_EQ(d.errors.size(), 2u);
  EXPECT_EQ(d.errors[0].offset, 0u);
  EXPECT_NE(d.errors[0].message.find("WARC version line"), std::string::npos);
}

TEST(WarcReaderTest, NotAWarcAtAll) {
  TempDir tmp;
  std::string junk;
  for (int i = 0; i < 1000; ++i) junk += std::string(200, static_cast<char>('a' + i % 26));  // no newline
  testing::WriteFile(tmp.File("junk.warc"), junk);
  auto d = testing::DrainPath(tmp.File("junk.warc"));
  EXPECT_TRUE(d.docs.empty());
  EXPECT_EQ(d.errors.size(), 1u);
}

TEST(WarcReaderTest, RecordLargerThanCapIsSkipped) {
  TempDir tmp;
  std::string big = WarcRecord("response", "https://big.example/",
                               HttpResponse("<p>" + std::string(100000, 'x') + "</p>", "text/html"),
                               "application/http; msgtype=response");
  testing::WriteFile(tmp.File("cap.warc.gz"), testing::Gzip(Page(0)) + testing::Gzip(big) + testing::Gzip(Page(2)));
  ReaderOptions o;
  o.max_record_bytes = 10000;
  auto d = testing::DrainPath(tmp.File("cap.warc.gz"), o);
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_NE(d.errors[0].message.find("max_record_bytes"), std::string::npos);
  ASSERT_EQ(d.docs.size(), 2u);
  EXPECT_EQ(d.docs[1].url, "https://p.example/2");
}

TEST(WarcReaderTest, EmptyAndMissingFiles) {
  TempDir tmp;
  testing::WriteFile(tmp.File("e.warc"), "");
  testing::WriteFile(tmp.File("e.warc.gz"), "");
  for (std::string n : {"e.warc", "e.warc.gz"}) {
    auto d = testing::DrainPath(tmp.File(n));
    EXPECT_TRUE(d.docs.empty());
    EXPECT_TRUE(d.errors.empty());
  }
  auto missing = OpenReader(tmp.File("nope.warc.gz"), ReaderOptions());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_NE(missing.status().message().find("nope.warc.gz"), std::string::npos);
  auto folder = OpenReader(tmp.path(), ReaderOptions());
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.status().code(), Status::Code::kInvalidArgument);
}

TEST(WarcReaderTest, ReadErrorIsAnIoError) {
  // /proc/self/mem opens but reading offset 0 fails (EIO): a file that
  // cannot be read, whatever the user's rights.
  if (!std::filesystem::exists("/proc/self/mem")) GTEST_SKIP() << "no /proc/self/mem";
  ReaderOptions o;
  o.format = "warc";
  auto r = OpenReader("/proc/self/mem", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kIoError);
  EXPECT_NE(r.status().message().find("read error"), std::string::npos) << r.status().message();
}

TEST(WarcReaderTest, UnreadableFile) {
  if (geteuid() == 0) GTEST_SKIP() << "running as root: file permissions do not stop reading";
  TempDir tmp;
  testing::WriteFile(tmp.File("locked.warc"), Page(0));
  std::filesystem::permissions(tmp.File("locked.warc"), std::filesystem::perms::none);
  auto r = OpenReader(tmp.File("locked.warc"), ReaderOptions());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kIoError);
}

TEST(WarcReaderTest, RandomCorruptionNeverCrashes) {
  // Flip bytes all over a compressed WARC: the reader must end, and the
  // records it yields must be valid UTF-8.
  std::string gz;
  for (int i = 0; i < 20; ++i) gz += testing::Gzip(Page(i));
  TempDir tmp;
  uint32_t seed = 12345;
  for (int round = 0; round < 30; ++round) {
    std::string bad = gz;
    for (int k = 0; k < 5; ++k) {
      seed = seed * 1103515245 + 12345;
      bad[(seed >> 8) % bad.size()] ^= static_cast<char>(1 + (seed & 0x7f));
    }
    testing::WriteFile(tmp.File("r.warc.gz"), bad);
    auto d = testing::DrainPath(tmp.File("r.warc.gz"));
    EXPECT_LE(d.docs.size(), 20u);
  }
}

}  // namespace
}  // namespace winnow
