// Single HTML/text files, folders (ListInputs), stdin, and format choice.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "golden.h"
#include "test_util.h"
#include "winnow/reader.h"

namespace winnow {
namespace {

using testing::TempDir;

TEST(FileReaderTest, GoldenHtmlAndText) {
  TempDir tmp;
  testing::WriteFile(tmp.File("page.html"),
                     "<html><head><meta charset=\"windows-1252\"><title>Caf\xE9</title></head>"
                     "<body><p>Cr\xE8me br\xFBl\xE9" "e \x80 5</p></body></html>");
  testing::WriteFile(tmp.File("notes.txt"), "Plain text file.\nSecond line \xE2\x9C\x93\n");
  testing::WriteFile(tmp.File("page2.htm.gz"), testing::Gzip("<p>compressed page</p>"));
  std::vector<Document> all;
  for (std::string name : {"page.html", "notes.txt", "page2.htm.gz"}) {
    auto d = testing::DrainPath(tmp.File(name));
    ASSERT_TRUE(d.errors.empty()) << name;
    ASSERT_EQ(d.docs.size(), 1u) << name;
    EXPECT_EQ(d.docs[0].id, tmp.File(name));
    EXPECT_EQ(d.docs[0].url.substr(0, 7), "file://");
    for (auto& doc : d.docs) {
      doc.id = name;
      doc.url = "file:///" + name;
      doc.source.file = name;
      all.push_back(std::move(doc));
    }
  }
  testing::ExpectGolden("file_reader.golden.jsonl", testing::DocsAsJsonl(all));
  EXPECT_EQ(all[0].kind, DocKind::kHtml);
  EXPECT_EQ(all[0].raw_charset, "windows-1252");
  EXPECT_NE(all[0].raw.find("Cr\xC3\xA8me br\xC3\xBBl\xC3\xA9" "e \xE2\x82\xAC 5"), std::string::npos) << all[0].raw;
  EXPECT_EQ(all[1].kind, DocKind::kText);
  EXPECT_EQ(all[2].kind, DocKind::kHtml);
}

TEST(FileReaderTest, EmptyFileHasNoDocument) {
  TempDir tmp;
  testing::WriteFile(tmp.File("e.html"), "");
  testing::WriteFile(tmp.File("e.txt"), "");
  for (std::string n : {"e.html", "e.txt"}) {
    auto d = testing::DrainPath(tmp.File(n));
    EXPECT_TRUE(d.docs.empty());
    EXPECT_TRUE(d.errors.empty());
  }
}

TEST(FileReaderTest, FileLargerThanCap) {
  TempDir tmp;
  testing::WriteFile(tmp.File("big.txt"), std::string(5000, 'x'));
  ReaderOptions o;
  o.max_record_bytes = 1000;
  auto d = testing::DrainPath(tmp.File("big.txt"), o);
  EXPECT_TRUE(d.docs.empty());
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_NE(d.errors[0].message.find("max_record_bytes"), std::string::npos);
}

TEST(FileReaderTest, TruncatedGzipFile) {
  TempDir tmp;
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "line " + std::to_string(i * 31337) + "\n";
  std::string gz = testing::Gzip(text);
  testing::WriteFile(tmp.File("cut.txt.gz"), gz.substr(0, gz.size() - 100));
  auto d = testing::DrainPath(tmp.File("cut.txt.gz"));
  EXPECT_TRUE(d.docs.empty());
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_NE(d.errors[0].message.find("truncated gzip"), std::string::npos) << d.errors[0].message;
}

TEST(FileReaderTest, FormatOptionAndSniffing) {
  TempDir tmp;
  testing::WriteFile(tmp.File("data.bin"), "{\"text\":\"json inside\"}\n");
  auto d = testing::DrainPath(tmp.File("data.bin"));  // sniffed as jsonl
  ASSERT_EQ(d.docs.size(), 1u);
  EXPECT_EQ(d.docs[0].raw, "json inside");
  ReaderOptions o;
  o.format = "text";
  d = testing::DrainPath(tmp.File("data.bin"), o);
  ASSERT_EQ(d.docs.size(), 1u);
  EXPECT_EQ(d.docs[0].raw, "{\"text\":\"json inside\"}\n");
  o.format = "pdf";
  EXPECT_EQ(OpenReader(tmp.File("data.bin"), o).status().code(), Status::Code::kInvalidArgument);
}

TEST(FileReaderTest, Stdin) {
  TempDir tmp;
  testing::WriteFile(tmp.File("in.warc.gz"),
                     testing::Gzip(testing::WarcRecord("response", "https://s.example/",
                                                       testing::HttpResponse("<p>from stdin</p>", "text/html"),
                                                       "application/http; msgtype=response")));
  int saved = dup(0);
  int fd = open(tmp.File("in.warc.gz").c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  dup2(fd, 0);
  close(fd);
  auto d = testing::DrainPath("-");  // format sniffed through the gzip layer
  dup2(saved, 0);
  close(saved);
  ASSERT_EQ(d.docs.size(), 1u);
  EXPECT_EQ(d.docs[0].url, "https://s.example/");
  EXPECT_EQ(d.docs[0].source.file, "-");
}

// Issue 11 item 7: every folder entry is listed; the ones that cannot be read
// fail to open with their reason (counted as unreadable by the run).
TEST(ListInputsTest, DanglingLinksAndFifosAreListedAndFailToOpen) {
  TempDir tmp;
  testing::WriteFile(tmp.File("d/ok.txt"), "x");
  std::filesystem::create_symlink(tmp.File("d/gone.txt"), tmp.File("d/link.txt"));
  ASSERT_EQ(mkfifo(tmp.File("d/pipe.txt").c_str(), 0644), 0);
  auto l = ListInputs({tmp.File("d")});
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  std::vector<std::string> want = {tmp.File("d/link.txt"), tmp.File("d/ok.txt"), tmp.File("d/pipe.txt")};
  EXPECT_EQ(*l, want);
  auto link = OpenReader(tmp.File("d/link.txt"), ReaderOptions());
  ASSERT_FALSE(link.ok());
  EXPECT_NE(link.status().message().find("dangling link"), std::string::npos) << link.status().ToString();
  auto fifo = OpenReader(tmp.File("d/pipe.txt"), ReaderOptions());  // refused, not blocking
  ASSERT_FALSE(fifo.ok());
  EXPECT_NE(fifo.status().message().find("not a regular file (a FIFO)"), std::string::npos);
}

// Issue 11 item 7: compression comes from the magic bytes; a compressed name
// over other bytes is an error for the file, not text read line by line.
TEST(FileReaderTest, CompressedNameWithoutMagicIsAnError) {
  TempDir tmp;
  testing::WriteFile(tmp.File("gz-inside.txt"), testing::Gzip("hidden gzip\n"));
  auto d = testing::DrainPath(tmp.File("gz-inside.txt"));
  ASSERT_EQ(d.docs.size(), 1u);
  EXPECT_NE(d.docs[0].raw.find("hidden gzip"), std::string::npos);
  testing::WriteFile(tmp.File("plain.txt.zst"), "plain text\n");
  auto z = OpenReader(tmp.File("plain.txt.zst"), ReaderOptions());
  ASSERT_FALSE(z.ok());
  EXPECT_EQ(z.status().code(), Status::Code::kCorrupt);
  EXPECT_NE(z.status().message().find("named .zst but not zstd data (it starts with 70 6c 61 69"),
            std::string::npos) << z.status().ToString();
  testing::WriteFile(tmp.File("empty.txt.gz"), "");  // empty: an empty input
  EXPECT_TRUE(OpenReader(tmp.File("empty.txt.gz"), ReaderOptions()).ok());
}

TEST(ListInputsTest, FoldersAreRecursiveAndSorted) {
  TempDir tmp;
  testing::WriteFile(tmp.File("b/2.warc.gz"), "x");
  testing::WriteFile(tmp.File("b/10.warc.gz"), "x");
  testing::WriteFile(tmp.File("a/z/deep.txt"), "x");
  testing::WriteFile(tmp.File("a/file.html"), "x");
  testing::WriteFile(tmp.File(".hidden/x.txt"), "x");
  testing::WriteFile(tmp.File("b/.swp"), "x");
  testing::WriteFile(tmp.File("single.jsonl"), "x");
  auto l = ListInputs({tmp.path(), tmp.File("single.jsonl"), "-"});
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  std::vector<std::string> want = {tmp.File("a/file.html"), tmp.File("a/z/deep.txt"), tmp.File("b/10.warc.gz"),
                                   tmp.File("b/2.warc.gz"),  tmp.File("single.jsonl"), tmp.File("single.jsonl"),
                                   "-"};
  EXPECT_EQ(*l, want);
  auto missing = ListInputs({tmp.File("nope")});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
}

TEST(ReadErrorTest, ToString) {
  ReadError e{"x.warc.gz", 12, 40960, "Content-Length 900 past end of file"};
  EXPECT_EQ(e.ToString(), "x.warc.gz:record 12 (byte 40960): Content-Length 900 past end of file");
}

}  // namespace
}  // namespace winnow
