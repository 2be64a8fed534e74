// Helpers of the tests that drive the `winnow` program (cli_test,
// settings_cli_test): running it, reading and writing files, a folder per
// test.
#ifndef WINNOW_TESTS_CLI_CLI_UTIL_H_
#define WINNOW_TESTS_CLI_CLI_UTIL_H_

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "../test_files.h"

namespace winnow::cli_test {

namespace fs = std::filesystem;

// The program under test: $WINNOW_BIN (set by ctest), else the build's.
inline std::string Bin() {
  const char* b = std::getenv("WINNOW_BIN");
  return b ? b : std::string(WINNOW_BINARY_DIR) + "/winnow";
}

struct Result {
  int code = -1;     // the exit code; 128 + N when killed by signal N
  std::string out;   // stdout + stderr
};

// Runs `winnow args` through the shell (in folder `cwd` when given).
inline Result RunWinnow(const std::string& args, const std::string& cwd = "") {
  Result r;
  std::string cmd = (cwd.empty() ? "" : "cd '" + cwd + "' && ") + Bin() + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status)
                             : (WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1);
  return r;
}

// Single quotes around an argument for the shell: values hold spaces,
// quotes, '*'.
inline std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

using winnow::testing::ReadFile;

inline void WriteFile(const fs::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary);
  out << s;
}

// The values of a chart of `winnow report`'s HTML: data-key -> data-value of
// every element inside the element with data-chart="chart".
inline std::map<std::string, std::string> ChartValues(const std::string& html, const std::string& chart) {
  std::map<std::string, std::string> values;
  size_t start = html.find("data-chart=\"" + chart + "\"");
  if (start == std::string::npos) return values;
  size_t end = html.find("data-chart=", start + 12);
  std::string part = html.substr(start, end == std::string::npos ? std::string::npos : end - start);
  for (size_t at = part.find("data-key=\""); at != std::string::npos; at = part.find("data-key=\"", at + 1)) {
    size_t k = at + 10, ke = part.find('"', k);
    size_t v = part.find("data-value=\"", ke);
    if (ke == std::string::npos || v == std::string::npos) break;
    v += 12;
    values[part.substr(k, ke - k)] = part.substr(v, part.find('"', v) - v);
  }
  return values;
}

// `s` as the report writes it in an attribute (& < > " escaped).
inline std::string HtmlEscaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// The data-* attributes of every element of `html` whose class attribute
// is `cls` (exactly), in page order: attribute name (without "data-") ->
// value, entities left as written.
inline std::vector<std::map<std::string, std::string>> ElementsOfClass(const std::string& html,
                                                                       const std::string& cls) {
  std::vector<std::map<std::string, std::string>> out;
  const std::string needle = "class=\"" + cls + "\"";
  for (size_t at = html.find(needle); at != std::string::npos; at = html.find(needle, at + 1)) {
    const size_t open = html.rfind('<', at), close = html.find('>', at);
    const std::string tag = html.substr(open, close - open);
    std::map<std::string, std::string> attrs;
    for (size_t d = tag.find(" data-"); d != std::string::npos; d = tag.find(" data-", d + 1)) {
      const size_t eq = tag.find("=\"", d);
      if (eq == std::string::npos) break;
      const size_t end = tag.find('"', eq + 2);
      attrs[tag.substr(d + 6, eq - d - 6)] = tag.substr(eq + 2, end - eq - 2);
    }
    out.push_back(std::move(attrs));
  }
  return out;
}

// A fresh, empty folder for the running test (prefix, pid and test name),
// for SetUp; the fixture removes it in TearDown.
inline fs::path FreshTestFolder(const std::string& prefix) {
  fs::path dir = fs::temp_directory_path() /
                 (prefix + std::to_string(::getpid()) + "_" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace winnow::cli_test

#endif  // WINNOW_TESTS_CLI_CLI_UTIL_H_
