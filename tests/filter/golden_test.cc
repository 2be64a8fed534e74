// Golden tests: each tests/filter/golden/<name>.txt runs through langid, the
// four filters in tag mode, c4 in reject mode (for its line drops) and pii;
// the report must equal <name>.expected. After a deliberate change, rerun
// with WINNOW_UPDATE_GOLDEN=1 to rewrite the .expected files, then review
// the diff (git diff tests/filter/golden) before committing.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "filter/filter_stages.h"
#include "langid/langid_stages.h"
#include "winnow/stage.h"
#include "../test_files.h"

namespace winnow {
namespace {

namespace fs = std::filesystem;

using winnow::testing::ReadFile;

std::unique_ptr<Stage> Make(StageRegistry& r, const std::string& name, const std::string& kv = "") {
  Config c;
  if (!kv.empty()) EXPECT_TRUE(c.SetFromString(name + "." + kv).ok());
  auto s = r.Create(name, c);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(s).value();
}

std::string Report(const std::string& text) {
  StageRegistry r;
  RegisterLangidStages(&r);
  RegisterFilterStages(&r);
  std::ostringstream out;
  char buf[64];

  Document doc;
  doc.SetTextLines(text);
  Make(r, "langid")->Process(doc);
  std::snprintf(buf, sizeof buf, "%.2f", doc.annotations.lang_confidence);
  out << "langid: lang=" << doc.annotations.lang << " script=" << doc.annotations.script
      << " confidence=" << buf << " decision=" << (doc.decision.keep ? "keep" : doc.decision.reason)
      << "\n";
  for (size_t i = 0; i < doc.blocks.size(); ++i) {
    if (!doc.blocks[i].keep) out << "  block " << i << " dropped: " << doc.blocks[i].drop_reason << "\n";
  }

  const char* filters[] = {"filter.gopher_quality", "filter.gopher_repetition", "filter.c4",
                           "filter.fineweb"};
  Document tagged = doc;
  for (const char* f : filters) Make(r, f, "mode=tag")->Process(tagged);
  for (const char* f : filters) {
    out << f << ": " << tagged.annotations.tags[f] << "\n";
    std::string prefix = std::string(f) + ".";
    for (const auto& [k, v] : tagged.annotations.quality) {
      if (k.rfind(prefix, 0) != 0) continue;
      std::snprintf(buf, sizeof buf, "%.4f", v);
      out << "  " << k.substr(prefix.size()) << "=" << buf << "\n";
    }
  }

  Document c4 = doc;
  Make(r, "filter.c4")->Process(c4);
  out << "filter.c4 (reject mode): " << (c4.decision.keep ? "keep" : c4.decision.reason) << "\n";
  if (c4.decision.keep) {
    for (size_t i = 0; i < c4.blocks.size(); ++i) {
      if (!c4.blocks[i].keep && doc.blocks[i].keep) {
        out << "  block " << i << " dropped: " << c4.blocks[i].drop_reason << "\n";
      }
    }
  }

  Document pii = doc;
  Make(r, "pii")->Process(pii);
  out << "pii:";
  for (const auto& [k, n] : pii.annotations.pii_counts) out << " " << k << "=" << n;
  out << "\n";
  for (size_t i = 0; i < pii.blocks.size(); ++i) {
    if (pii.blocks[i].text != doc.blocks[i].text) out << "  block " << i << ": " << pii.blocks[i].text << "\n";
  }
  return out.str();
}

TEST(FilterGolden, AllFiles) {
  fs::path dir = fs::path(WINNOW_SOURCE_DIR) / "tests" / "filter" / "golden";
  ASSERT_TRUE(fs::is_directory(dir)) << dir;
  bool update = std::getenv("WINNOW_UPDATE_GOLDEN") != nullptr;
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".txt") continue;
    ++n;
    std::string got = Report(ReadFile(e.path()));
    fs::path expected = e.path();
    expected.replace_extension(".expected");
    if (update) {
      std::ofstream(expected, std::ios::binary) << got;
      continue;
    }
    ASSERT_TRUE(fs::exists(expected)) << expected << " missing; run with WINNOW_UPDATE_GOLDEN=1";
    EXPECT_EQ(got, ReadFile(expected)) << "golden mismatch for " << e.path().filename();
  }
  EXPECT_GE(n, 5);
}

}  // namespace
}  // namespace winnow
