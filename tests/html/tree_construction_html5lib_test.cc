// The html5lib tree-construction suite
// (../shared/data/html5lib-tests/tree-construction/*.dat, format in its
// README) run against winnow's tree builder: document and fragment tests,
// with the scripting flag on or off as each test says (both when it says
// neither: the test passes only when both runs give the expected tree).
// The tree is compared with DumpTree(); parse errors are not compared
// (winnow does not report them). The scripted/ subfolder needs a script
// engine and is not run.
//
// Prints the pass count per file and in total. Every test that fails must be
// listed, with its reason, in tree_construction_known_failures.txt; a failure
// not listed fails the test, and so does a listed test that now passes (so
// the list stays true).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "winnow/html.h"
#include "../test_files.h"

namespace winnow {
namespace html {
namespace {

struct TreeTest {
  int index = 0;  // 0-based position in its file
  std::string data;
  std::string fragment;  // context element ("td", "svg path", ...); empty: document
  int scripting = -1;    // -1: run both; 0 off; 1 on
  std::string expected;
};

using winnow::testing::ReadFile;

// Splits a .dat file into tests. A test starts at a "#data" line; its
// sections are "#errors", optional "#new-errors", "#document-fragment",
// "#script-off"/"#script-on", then "#document".
std::vector<TreeTest> ParseDat(const std::string& text) {
  std::vector<TreeTest> out;
  std::vector<size_t> starts;
  if (text.compare(0, 6, "#data\n") == 0) starts.push_back(0);
  for (size_t p = text.find("\n#data\n"); p != std::string::npos;
       p = text.find("\n#data\n", p + 1)) {
    starts.push_back(p + 1);
  }
  for (size_t i = 0; i < starts.size(); ++i) {
    size_t end = i + 1 < starts.size() ? starts[i + 1] : text.size();
    std::string chunk = text.substr(starts[i], end - starts[i]);
    TreeTest t;
    t.index = static_cast<int>(i);
    size_t data_begin = 6;
    size_t errors = chunk.find("\n#errors\n", data_begin - 1);
    if (errors == std::string::npos) continue;
    t.data = chunk.substr(data_begin, errors > data_begin ? errors - data_begin : 0);
    if (errors + 1 == data_begin) t.data.clear();
    size_t doc = chunk.find("\n#document\n", errors);
    if (doc == std::string::npos) continue;
    std::string meta = chunk.substr(errors, doc - errors + 1);
    size_t frag = meta.find("\n#document-fragment\n");
    if (frag != std::string::npos) {
      size_t b = frag + 20;
      size_t e = meta.find('\n', b);
      t.fragment = meta.substr(b, e - b);
    }
    if (meta.find("\n#script-off\n") != std::string::npos) t.scripting = 0;
    if (meta.find("\n#script-on\n") != std::string::npos) t.scripting = 1;
    t.expected = chunk.substr(doc + 11);
    while (!t.expected.empty() && t.expected.back() == '\n') t.expected.pop_back();
    t.expected.push_back('\n');
    out.push_back(std::move(t));
  }
  return out;
}

std::string RunTest(const TreeTest& t, bool scripting) {
  ParseOptions options;
  options.scripting = scripting;
  std::unique_ptr<Dom> dom;
  if (t.fragment.empty()) {
    dom = Parse(t.data, options);
  } else {
    Namespace ns = Namespace::kHtml;
    std::string_view name = t.fragment;
    if (name.substr(0, 4) == "svg ") {
      ns = Namespace::kSvg;
      name.remove_prefix(4);
    } else if (name.substr(0, 5) == "math ") {
      ns = Namespace::kMathMl;
      name.remove_prefix(5);
    }
    dom = ParseFragment(t.data, name, ns, options);
  }
  return DumpTree(dom->document());
}

// "file.dat:index" -> reason, from the known-failures list.
std::map<std::string, std::string> KnownFailures() {
  std::map<std::string, std::string> out;
  std::ifstream in(std::string(WINNOW_SOURCE_DIR) +
                   "/tests/html/tree_construction_known_failures.txt");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t sp = line.find(' ');
    out[line.substr(0, sp)] = sp == std::string::npos ? "" : line.substr(sp + 1);
  }
  return out;
}

TEST(Html5libTreeConstruction, EveryTestPassesOrIsListed) {
  std::filesystem::path dir =
      std::filesystem::path(WINNOW_SHARED_DIR) / "data/html5lib-tests/tree-construction";
  if (!std::filesystem::exists(dir)) {
    GTEST_SKIP() << "html5lib tree-construction tests not found at " << dir
                 << " (../shared is absent)";
  }
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".dat") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::map<std::string, std::string> known = KnownFailures();
  std::set<std::string> seen_known;
  int total = 0, passed = 0, shown = 0;
  bool verbose = std::getenv("WINNOW_TREE_VERBOSE") != nullptr;
  for (const auto& path : files) {
    std::string file = path.filename().string();
    std::vector<TreeTest> tests = ParseDat(ReadFile(path));
    int file_passed = 0;
    for (const TreeTest& t : tests) {
      std::string got;
      bool ok = true;
      for (int s = 0; s < 2; ++s) {
        if (t.scripting >= 0 && t.scripting != s) continue;
        got = RunTest(t, s == 1);
        if (got != t.expected) {
          ok = false;
          break;
        }
      }
      std::string key = file + ":" + std::to_string(t.index);
      bool listed = known.count(key) > 0;
      if (listed) seen_known.insert(key);
      if (ok) {
        ++file_passed;
        EXPECT_FALSE(listed) << key << " passes now: remove it from the known failures";
      } else {
        EXPECT_TRUE(listed) << key << " fails and is not a known failure";
        if ((!listed || verbose) && shown < 400) {
          ++shown;
          std::printf("FAIL %s (%s%s)\n#data\n%s\n#got\n%s#expected\n%s\n", key.c_str(),
                      t.fragment.empty() ? "document" : ("fragment " + t.fragment).c_str(),
                      t.scripting < 0 ? "" : (t.scripting ? ", script-on" : ", script-off"),
                      t.data.c_str(), got.c_str(), t.expected.c_str());
        }
      }
    }
    total += static_cast<int>(tests.size());
    passed += file_passed;
    std::printf("%-48s %4d / %4d\n", file.c_str(), file_passed, static_cast<int>(tests.size()));
  }
  std::printf("%-48s %4d / %4d (%.1f%%)\n", "TOTAL", passed, total,
              total ? 100.0 * passed / total : 0.0);
  for (const auto& [key, reason] : known) {
    EXPECT_TRUE(seen_known.count(key)) << key << " is listed but is not a test";
  }
  EXPECT_EQ(total, 1792) << "the suite changed size: review the known failures";
}

}  // namespace
}  // namespace html
}  // namespace winnow
