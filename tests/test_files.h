// Reading a whole file in tests: one definition for every test target
// (golden files, shard outputs, the shared data).
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace winnow::testing {

// The file's bytes; empty when it cannot be opened (the test's own
// assertions then say what is missing).
inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace winnow::testing
