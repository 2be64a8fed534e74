// Golden files: compare text with tests/io/data/<name>; with
// WINNOW_UPDATE_GOLDEN=1 in the environment, (re)write the file instead.
#ifndef WINNOW_TESTS_IO_GOLDEN_H_
#define WINNOW_TESTS_IO_GOLDEN_H_

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "test_util.h"
#include "winnow/writer.h"

namespace winnow::testing {

inline std::string GoldenPath(const std::string& name) {
  return std::string(WINNOW_SOURCE_DIR) + "/tests/io/data/" + name;
}

inline void ExpectGolden(const std::string& name, const std::string& actual) {
  const char* update = std::getenv("WINNOW_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    WriteFile(GoldenPath(name), actual);
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(GoldenPath(name)))
      << "missing golden file " << GoldenPath(name) << " (run with WINNOW_UPDATE_GOLDEN=1 and review it)";
  EXPECT_EQ(ReadFile(GoldenPath(name)), actual) << "golden file " << name << " differs";
}

// Documents as the JSON lines the writer makes (all sections on).
inline std::string DocsAsJsonl(const std::vector<Document>& docs, bool raw = true) {
  JsonOptions o;
  o.blocks = true;
  o.decision = true;
  o.raw = raw;
  std::string out;
  for (const Document& d : docs) {
    out += DocumentToJson(d, o);
    out += "\n";
  }
  return out;
}

}  // namespace winnow::testing

#endif  // WINNOW_TESTS_IO_GOLDEN_H_
