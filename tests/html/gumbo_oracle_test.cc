// Gumbo as an oracle: on a sample of every extraction set, the visible
// <body> text of winnow's tree must equal gumbo's on most pages. The full
// comparison over all 3,421 pages is bench/html/html_oracle (99.6% equal;
// 100% once gumbo's replacement of control characters by U+FFFD is applied
// to winnow's text, see doc/html.md).
#include <filesystem>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "html_test_util.h"
#include "winnow/html.h"

namespace winnow {
namespace html {
namespace {

TEST(HtmlGumboOracle, VisibleBodyTextMatchesOnSample) {
  std::string dir = testing::SharedDir() + "/data/extraction";
  if (!std::filesystem::exists(dir)) {
    GTEST_SKIP() << "extraction sets not found at " << dir << " (../shared is absent)";
  }
  const size_t kPerSet = 40;
  size_t total = 0, match = 0, match_controls = 0;
  for (const char* set : {"scrapinghub", "readability", "cleaneval", "dragnet", "trafilatura"}) {
    std::vector<testing::Page> pages;
    std::string err;
    ASSERT_TRUE(testing::ReadPages(dir + "/" + set + ".jsonl.gz", &pages, &err, kPerSet)) << err;
    size_t set_match = 0;
    for (const auto& p : pages) {
      ParseOptions gumbo_like;  // gumbo's scripting flag is off
      gumbo_like.scripting = false;
      auto dom = Parse(p.html, gumbo_like);
      std::string ours = testing::VisibleText(*dom);
      std::string theirs = testing::GumboVisibleText(p.html);
      set_match += ours == theirs;
      match_controls += testing::GumboLikeControls(ours) == theirs;
      EXPECT_FALSE(testing::VisibleText(*dom).empty() && !p.html.empty() &&
                   !testing::GumboVisibleText(p.html).empty())
          << set << " " << p.id << ": winnow found no body text";
    }
    std::printf("%-12s %zu / %zu pages with the same visible text as gumbo\n", set, set_match,
                pages.size());
    total += pages.size();
    match += set_match;
  }
  ASSERT_GT(total, 0u);
  EXPECT_GE(static_cast<double>(match) / total, 0.97);
  // With gumbo's U+FFFD replacement of control characters applied, every
  // page of the full sets matches (bench/runs/2026-11-29-html-oracle.txt).
  EXPECT_GE(static_cast<double>(match_controls) / total, 0.99);
}

}  // namespace
}  // namespace html
}  // namespace winnow
