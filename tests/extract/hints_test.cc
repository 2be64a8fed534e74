// The per-thread memo of a class/id name's hints gives what the name's
// words give, whether the name was seen before, after the memo grew, or
// after it was cleared (it holds at most 32K names).
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

#include "extract/hints.h"

namespace winnow::extract_internal {
namespace {

TEST(HintsMemoTest, SameHintsFirstSeenAgainAndAfterClears) {
  std::vector<std::string> names = {"nav", "navbar", "entry-content", "post-body", "sr-only",
                                    "comments", "cookie-banner", "related-posts", "footer",
                                    "col-md-6", "row", "byline", "sidebar-widget", "x"};
  std::mt19937 rng(7);
  const std::string letters = "abcdefghijklmnopqrstuvwxyz0123456789-_";
  for (int i = 0; i < 2000; ++i) {
    std::string n;
    for (int k = 0, len = 1 + static_cast<int>(rng() % 30); k < len; ++k) n += letters[rng() % letters.size()];
    names.push_back(n);
  }
  // On a fresh thread: the memo starts empty, so the first call computes.
  std::thread([&] {
    std::vector<uint32_t> first;
    for (const std::string& n : names) first.push_back(HintsFromClassOrId(n));
    EXPECT_EQ(first[0] & kHintBoilerplate, kHintBoilerplate);
    EXPECT_EQ(first[2] & kHintContent, kHintContent);
    for (size_t i = 0; i < names.size(); ++i) EXPECT_EQ(HintsFromClassOrId(names[i]), first[i]) << names[i];
    // 100,000 other names: the memo grows, then is cleared three times.
    for (int i = 0; i < 100000; ++i) HintsFromClassOrId("filler" + std::to_string(i));
    for (size_t i = names.size(); i-- > 0;) EXPECT_EQ(HintsFromClassOrId(names[i]), first[i]) << names[i];
    // Several names in one value: the union of theirs.
    EXPECT_EQ(HintsFromClassOrId("nav  entry-content\tx"), first[0] | first[2] | first[13]);
  }).join();
}

}  // namespace
}  // namespace winnow::extract_internal
