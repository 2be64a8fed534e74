#include <gtest/gtest.h>

#include "winnow/document.h"

namespace winnow {
namespace {

TEST(DocumentTest, TextLinesRoundTrip) {
  Document d;
  d.SetTextLines("a\r\nb\n\nc\n");
  ASSERT_EQ(d.blocks.size(), 4u);
  EXPECT_EQ(d.blocks[0].text, "a");
  EXPECT_EQ(d.blocks[2].text, "");
  EXPECT_EQ(d.Text(), "a\nb\n\nc");
  d.blocks[1].keep = false;
  EXPECT_EQ(d.Text(), "a\n\nc");
  d.SetTextLines("");
  EXPECT_TRUE(d.blocks.empty());
}

// TextSize is Text().size(): kept blocks only, a '\n' between two once text
// has begun (an empty kept block before any text adds none).
TEST(DocumentTest, TextSizeIsTheSizeOfText) {
  const char* texts[] = {"", "ab", "", "cde", "f", ""};
  for (int mask = 0; mask < 64; ++mask) {
    Document doc;
    for (int i = 0; i < 6; ++i) {
      Block b;
      b.text = texts[i];
      b.keep = (mask >> i) & 1;
      doc.blocks.push_back(b);
    }
    EXPECT_EQ(doc.TextSize(), doc.Text().size()) << mask;
  }
}

}  // namespace
}  // namespace winnow
