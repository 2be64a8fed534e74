// The per-thread memos of a class/id name's hints and of a whole value's
// give what the words give, whether the name or value was seen before,
// after the memo grew, or after it was cleared (each holds at most 32K).
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

#include "base/fnv.h"
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

TEST(HintsMemoTest, WholeValueGivesTheUnionOfItsNames) {
  const std::vector<std::string> words = {"nav", "entry-content", "sr-only", "comments", "row",
                                          "cookie-banner", "col-md-6", "byline", "tag-news",
                                          "sharing-with-a-single-developer", "widget", "x"};
  std::mt19937 rng(11);
  std::vector<std::string> values;
  for (int i = 0; i < 3000; ++i) {
    std::string v;
    for (int k = 0, n = 1 + static_cast<int>(rng() % 4); k < n; ++k) {
      if (!v.empty() || rng() % 2) v += " \t\n"[rng() % 3];
      v += words[rng() % words.size()];
      if (rng() % 3 == 0) v += std::to_string(rng() % 50);
    }
    values.push_back(v);
  }
  std::thread([&] {
    auto by_names = [](const std::string& v) {
      uint32_t h = 0;
      size_t i = 0;
      while (i < v.size()) {
        while (i < v.size() && (v[i] == ' ' || v[i] == '\t' || v[i] == '\n')) ++i;
        size_t j = i;
        while (j < v.size() && v[j] != ' ' && v[j] != '\t' && v[j] != '\n') ++j;
        if (j > i) h |= HintsFromClassName(std::string_view(v).substr(i, j - i));
        i = j;
      }
      return h;
    };
    std::vector<uint32_t> first;
    for (const std::string& v : values) {
      first.push_back(HintsFromClassOrId(v));
      EXPECT_EQ(first.back(), by_names(v)) << v;
    }
    for (int i = 0; i < 100000; ++i) HintsFromClassOrId("filler x" + std::to_string(i));
    for (size_t i = values.size(); i-- > 0;) EXPECT_EQ(HintsFromClassOrId(values[i]), first[i]) << values[i];
    EXPECT_EQ(HintsFromClassOrId("row nav"), kHintBoilerplate);
    // Only the first 1024 bytes of a value count: a name after them is not read.
    const std::string filler(1030, 'a');
    EXPECT_EQ(HintsFromClassOrId(filler + " nav"), 0u);
    EXPECT_EQ(HintsFromClassOrId(filler + " nav"), 0u);
    EXPECT_EQ(HintsFromClassOrId("nav " + filler), kHintBoilerplate);
  }).join();
}

// The FNV of a class value that comes with its hints (site_template.cc's
// keys use it) is Fnv1a64 of the whole value: first seen, seen again, past
// the 1024 bytes the hints read, and for the empty value.
TEST(HintsMemoTest, ValueFnvIsTheValuesFnv) {
  std::thread([] {
    const std::string long_value = std::string(1030, 'a') + " nav";
    for (int pass = 0; pass < 2; ++pass) {
      for (const std::string& v : {std::string("nav entry-content"), std::string("row"), std::string(""),
                                   std::string("col-md-6  x"), long_value, long_value + "b"}) {
        uint64_t fnv = 0;
        EXPECT_EQ(HintsFromClassOrId(v, &fnv), HintsFromClassOrId(v)) << v;
        EXPECT_EQ(fnv, Fnv1a64(v)) << v;
      }
    }
  }).join();
}

// A name's hints with the hash a caller has (IgnoreGenericClasses) are
// those without, before and after the memo has the name.
TEST(HintsMemoTest, ClassNameWithItsHash) {
  std::thread([] {
    for (int pass = 0; pass < 2; ++pass) {
      for (std::string_view n : {"nav", "sidebarLeft", "sr-only", "readMore", "entry-content", "commentlist",
                                 "x", "post-12345", "tag-news", "visuallyHidden"}) {
        EXPECT_EQ(HintsFromClassName(n, NameHash(n)), HintsFromClassName(n)) << n;
      }
    }
    EXPECT_EQ(HintsFromClassName("sidebarLeft", NameHash("sidebarLeft")) & kHintBoilerplate, kHintBoilerplate);
    EXPECT_EQ(HintsFromClassName("readMore") & kHintRelated, kHintRelated);
    EXPECT_EQ(HintsFromClassName("visuallyHidden") & kHintHidden, kHintHidden);
  }).join();
}

}  // namespace
}  // namespace winnow::extract_internal
