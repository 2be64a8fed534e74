// BufferedInput over plain, gzip and zstd files: lines longer than its
// first buffer (which grows keeping what it holds), push-back in front of
// what is buffered, exact reads and skips. Its buffer is not zero-filled
// when made or grown, so every byte a caller sees must come from the file.
#include <gtest/gtest.h>

#include <string>

#include "io/input_stream.h"
#include "test_util.h"

namespace winnow::io {
namespace {

using winnow::testing::TempDir;

// Lines of 10 bytes to 3 MB (past the 1 MiB first buffer and its doubling),
// each of one repeated letter, so a byte out of place shows.
std::string Lines() {
  std::string s;
  const size_t sizes[] = {10, 1500000, 7, 3000000, 0, 123456, 2};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; ++i) {
    s.append(sizes[i], static_cast<char>('a' + i));
    s += '\n';
  }
  return s;
}

std::unique_ptr<BufferedInput> OpenBuffered(const std::string& path) {
  StatusOr<std::unique_ptr<InputStream>> in = InputStream::Open(path);
  EXPECT_TRUE(in.ok()) << in.status().ToString();
  return std::make_unique<BufferedInput>(std::move(in).value());
}

TEST(BufferedInputTest, LongLinesWholeInEveryCompression) {
  TempDir tmp;
  const std::string text = Lines();
  testing::WriteFile(tmp.File("in.txt"), text);
  testing::WriteFile(tmp.File("in.txt.gz"), testing::Gzip(text));
  testing::WriteFile(tmp.File("in.txt.zst"), testing::Zstd(text));
  for (std::string name : {"in.txt", "in.txt.gz", "in.txt.zst"}) {
    SCOPED_TRACE(name);
    std::unique_ptr<BufferedInput> in = OpenBuffered(tmp.File(name));
    std::string joined;
    std::string_view line;
    bool too_long = false;
    while (in->ReadLine(&line, 1 << 30, &too_long)) {
      EXPECT_FALSE(too_long);
      joined.append(line);
      joined += '\n';
    }
    EXPECT_FALSE(in->has_error());
    EXPECT_TRUE(joined == text) << "the lines differ from the file's";
    EXPECT_EQ(in->offset(), text.size());
  }
}

TEST(BufferedInputTest, UnreadReadAndSkip) {
  TempDir tmp;
  const std::string text = Lines();
  testing::WriteFile(tmp.File("in.txt.gz"), testing::Gzip(text));
  std::unique_ptr<BufferedInput> in = OpenBuffered(tmp.File("in.txt.gz"));
  // What was read across a refill is put back: more than the buffer holds
  // in front of its position, so it is rebuilt with these bytes first.
  std::string got;
  ASSERT_EQ(in->Read(1200000, &got), 1200000u);
  EXPECT_TRUE(got == text.substr(0, 1200000));
  in->Unread(got);
  EXPECT_EQ(in->offset(), 0u);
  got.clear();
  ASSERT_EQ(in->Read(1200003, &got), 1200003u);
  EXPECT_TRUE(got == text.substr(0, 1200003)) << "the pushed-back bytes differ";
  // Less than was consumed: put back in place.
  in->Unread("bb");
  got.clear();
  ASSERT_EQ(in->Read(2, &got), 2u);
  EXPECT_EQ(got, "bb");
  EXPECT_EQ(in->Skip(1500000 + 11 - 1200003), 1500000u + 11 - 1200003);
  std::string_view line;
  bool too_long = false;
  ASSERT_TRUE(in->ReadLine(&line, 1 << 30, &too_long));
  EXPECT_EQ(line, "");
  ASSERT_TRUE(in->ReadLine(&line, 1 << 30, &too_long));
  EXPECT_EQ(line, "ccccccc");
}

}  // namespace
}  // namespace winnow::io
