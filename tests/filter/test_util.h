// Helpers shared by the filter tests.
#ifndef WINNOW_TESTS_FILTER_TEST_UTIL_H_
#define WINNOW_TESTS_FILTER_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "filter/filter_stages.h"
#include "winnow/stage.h"

namespace winnow {

// Builds a registered stage from "key=value" settings under its name.
inline std::unique_ptr<Stage> MakeFilterStage(const std::string& name,
                                              std::initializer_list<std::pair<std::string, std::string>> kv = {}) {
  StageRegistry r;
  RegisterFilterStages(&r);
  Config c;
  for (const auto& [k, v] : kv) c.Set(name + "." + k, v);
  auto s = r.Create(name, c);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  if (!s.ok()) return nullptr;
  return std::move(s).value();
}

inline Document DocFromText(const std::string& text, const std::string& lang = "") {
  Document d;
  d.SetTextLines(text);
  d.annotations.lang = lang;
  return d;
}

// Distinct letter-only words "qaq", "qbq", ... "qabq" (i's base-26 digits
// between two q's: one word per i, no stop word starts with q).
inline std::string UniqueWord(int i) {
  std::string w = "q";
  do {
    w.push_back(static_cast<char>('a' + i % 26));
    i /= 26;
  } while (i > 0);
  w.push_back('q');
  return w;
}

}  // namespace winnow

#endif  // WINNOW_TESTS_FILTER_TEST_UTIL_H_
