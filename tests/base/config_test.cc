#include <gtest/gtest.h>

#include "winnow/config.h"

namespace winnow {
namespace {

TEST(ConfigTest, YamlIsFlattenedToDottedKeys) {
  Config c;
  ASSERT_TRUE(c.MergeYamlText("threads: 4\nfilter:\n  gopher_quality:\n    min_words: 30\n"
                              "  c4:\n    mode: tag\nlangid:\n  languages: [fr, de]\n")
                  .ok());
  EXPECT_EQ(c.GetInt("threads", 0), 4);
  EXPECT_EQ(c.GetInt("filter.gopher_quality.min_words", 50), 30);
  EXPECT_EQ(c.GetString("filter.c4.mode", "drop"), "tag");
  EXPECT_EQ(c.GetList("langid.languages", {}), (std::vector<std::string>{"fr", "de"}));
  Config sub = c.Sub("filter.gopher_quality");
  EXPECT_EQ(sub.GetInt("min_words", 50), 30);
  EXPECT_FALSE(sub.Has("threads"));
}

TEST(ConfigTest, LaterSettingsWinAndDefaultsApply) {
  Config c;
  ASSERT_TRUE(c.MergeYamlText("a:\n  b: 1\n").ok());
  ASSERT_TRUE(c.SetFromString("a.b=2").ok());
  EXPECT_EQ(c.GetInt("a.b", 0), 2);
  EXPECT_EQ(c.GetDouble("a.c", 0.5), 0.5);
  EXPECT_TRUE(c.GetBool("a.d", true));
  ASSERT_TRUE(c.SetFromString("a.d = off").ok());
  EXPECT_FALSE(c.GetBool("a.d", true));
}

TEST(ConfigTest, BadInputIsAnErrorWithAMessage) {
  Config c;
  Status s = c.MergeYamlText("a: [1, 2\n");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("YAML"), std::string::npos);
  EXPECT_FALSE(c.SetFromString("novalue").ok());
  EXPECT_FALSE(c.MergeYamlFile("/nonexistent/winnow.yaml").ok());
  EXPECT_FALSE(c.MergeYamlText("- a\n- b\n").ok());  // top level must be a mapping
  // A value that is not a number falls back to the default instead of 0.
  ASSERT_TRUE(c.SetFromString("x=abc").ok());
  EXPECT_EQ(c.GetInt("x", 7), 7);
}

}  // namespace
}  // namespace winnow
