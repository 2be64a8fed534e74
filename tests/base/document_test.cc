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

}  // namespace
}  // namespace winnow
