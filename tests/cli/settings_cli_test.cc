// The settings table through the `winnow` program: `winnow config`, a usage
// error (exit 2, the key named) for every key given a wrong type or an
// out-of-range value, the nearest key for an unknown one, the README's
// example changing a run, and the settings that used to crash (issue 11).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "cli_util.h"
#include "winnow/pipeline.h"
#include "winnow/settings.h"

namespace winnow {
namespace {

namespace fs = std::filesystem;
using cli_test::FreshTestFolder;
using cli_test::Quote;
using cli_test::ReadFile;
using cli_test::Result;
using cli_test::RunWinnow;

std::string Concrete(const Setting& s) {
  std::string k = s.name;
  for (size_t p; (p = k.find('*')) != std::string::npos;) k.replace(p, 1, "xx");
  return k;
}

class SettingsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTestFolder("winnow_settings_cli_");
    std::ofstream(dir_ / "in.txt") << "A line of plain text.\n";
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string In() const { return Quote((dir_ / "in.txt").string()); }
  std::string Out() const { return Quote((dir_ / "out").string()); }
  fs::path dir_;
};

TEST_F(SettingsCliTest, ConfigListsEveryKey) {
  Result names = RunWinnow("config --format names");
  ASSERT_EQ(names.code, 0) << names.out;
  std::string expected;
  for (const Setting* s : SettingsTable::Global().List()) expected += s->name + "\n";
  EXPECT_EQ(names.out, expected);

  Result text = RunWinnow("config");
  ASSERT_EQ(text.code, 0) << text.out;
  for (const Setting* s : SettingsTable::Global().List()) {
    std::string shown = s->type == SettingType::kPerLanguage
                            ? s->name.substr(0, s->name.size() - 1) + "<code>.<key>"
                            : s->name;
    EXPECT_NE(text.out.find(shown + "  (" + SettingTypeName(s->type) + ", default " +
                            (s->default_value.empty() ? "none" : s->default_value)),
              std::string::npos)
        << shown;
    EXPECT_NE(text.out.find(s->doc), std::string::npos) << s->name;
  }
  // A prefix narrows the list; the checked values of --set are printed.
  Result c4 = RunWinnow("config filter.c4");
  EXPECT_EQ(c4.code, 0);
  EXPECT_NE(c4.out.find("filter.c4.min_num_sentences"), std::string::npos);
  EXPECT_EQ(c4.out.find("dedup."), std::string::npos);
  Result set = RunWinnow("config --set filter.c4.min_num_sentences=3");
  EXPECT_EQ(set.code, 0) << set.out;
  EXPECT_NE(set.out.find("filter.c4.min_num_sentences=3  (default 5)"), std::string::npos) << set.out;
  // --help points to it.
  Result help = RunWinnow("clean --help");
  EXPECT_NE(help.out.find("winnow config"), std::string::npos) << help.out;
}

// Every key of the table, through `winnow clean`: a value of the wrong type
// and a value out of range stop the run with exit 2 and a message naming the
// key (and the range); nothing is written.
TEST_F(SettingsCliTest, EveryKeyRejectsWrongTypeAndOutOfRange) {
  int runs = 0;
  for (const Setting* s : SettingsTable::Global().List()) {
    if (s->type == SettingType::kPerLanguage) continue;
    const std::string key = Concrete(*s);
    std::vector<std::string> bad;
    switch (s->type) {
      case SettingType::kBool: bad = {"maybe"}; break;
      case SettingType::kInt: bad = {"abc"}; break;
      case SettingType::kDouble: bad = {"abc"}; break;
      default:
        if (!s->choices.empty()) bad = {"no-such-choice"};
        else if (s->check) bad = {"nonsense"};
        break;
    }
    if (s->type == SettingType::kInt || s->type == SettingType::kDouble) {
      bad.push_back(FormatSettingNumber(s->min - 1));
      bad.push_back(FormatSettingNumber(s->max * 10 + 1));
    }
    for (const std::string& v : bad) {
      Result r = RunWinnow("clean " + In() + " -o " + Out() + " --set " + Quote(key + "=" + v));
      EXPECT_EQ(r.code, 2) << key << "=" << v << ": " << r.out;
      EXPECT_NE(r.out.find("setting " + key + "=" + v), std::string::npos) << r.out;
      ++runs;
    }
  }
  EXPECT_FALSE(fs::exists(dir_ / "out")) << "a rejected setting must stop the run before it writes";
  EXPECT_GT(runs, 150);
}

TEST_F(SettingsCliTest, UnknownKeysSuggestTheNearest) {
  for (const std::string& cmd : {"clean " + In() + " -o " + Out(), std::string("dedup ") + In() + " -o " + Out(),
                                 std::string("config")}) {
    Result r = RunWinnow(cmd + " --filter.gopher_quality.min_words=100000");
    EXPECT_EQ(r.code, 2) << r.out;
    EXPECT_NE(r.out.find("unknown setting 'filter.gopher_quality.min_words'; did you mean "
                         "'filter.gopher_quality.min_doc_words'?"),
              std::string::npos)
        << r.out;
  }
  Result y = RunWinnow("clean " + In() + " -o " + Out() + " --set input.lang=en");
  EXPECT_EQ(y.code, 2);
  EXPECT_NE(y.out.find("unknown setting 'input.lang'; did you mean 'input."), std::string::npos) << y.out;
  // In a YAML file too.
  std::ofstream(dir_ / "c.yaml") << "filter:\n  c4:\n    min_num_sentence: 3\n";
  Result f = RunWinnow("clean " + In() + " -o " + Out() + " --config " + Quote((dir_ / "c.yaml").string()));
  EXPECT_EQ(f.code, 2);
  EXPECT_NE(f.out.find("did you mean 'filter.c4.min_num_sentences'"), std::string::npos) << f.out;
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

// Issue 11 item 5: settings that crashed or were silently replaced.
TEST_F(SettingsCliTest, BadSettingsAreUsageErrorsNotCrashes) {
  const std::string dedup = "dedup " + In() + " -o " + Out();
  const std::string clean = "clean " + In() + " -o " + Out();
  struct Case {
    std::string args, needle;
  } cases[] = {
      {dedup + " --set dedup.memory_limit_mb=-5", "dedup.memory_limit_mb=-5"},
      {dedup + " --set dedup.memory_limit_mb=100000000", "dedup.memory_limit_mb=100000000"},
      {dedup + " --memory-limit-mb 0", "dedup.memory_limit_mb=0"},
      {dedup + " --threads 100000", "dedup.threads=100000"},
      {clean + " -t 100000", "threads=100000"},
      {clean + " --set output.shard_mb=abc", "output.shard_mb=abc"},
      {clean + " --set output.shard_mb=-1", "output.shard_mb=-1"},
      {clean + " --format pdf", "input.format=pdf"},
      {clean + " --dedup --set dedup.memory_limit_mb=-5", "dedup.memory_limit_mb=-5"},
      {"extract " + In() + " --filter.c4.mode=tag", "filter.c4.mode"},
  };
  for (const Case& c : cases) {
    Result r = RunWinnow(c.args);
    EXPECT_EQ(r.code, 2) << c.args << "\n" << r.out;
    EXPECT_NE(r.out.find(c.needle), std::string::npos) << c.args << "\n" << r.out;
  }
  // The machine's memory is the upper bound of dedup.memory_limit_mb.
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  const long long machine_mb = static_cast<long long>(pages) * page >> 20;
  Result over = RunWinnow(dedup + " --memory-limit-mb " + std::to_string(machine_mb + 1));
  EXPECT_EQ(over.code, 2) << over.out;
  EXPECT_NE(over.out.find("this machine's memory"), std::string::npos) << over.out;
}

// The README's example setting changes the run: it is a key the filter reads.
TEST_F(SettingsCliTest, ReadmeExampleChangesTheRun) {
  const std::string readme = ReadFile(fs::path(WINNOW_SOURCE_DIR) / "README.md");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(readme, m, std::regex(R"(--set (filter\.[a-z_.]+)=([0-9]+))")))
      << "README.md has no `--set filter.KEY=N` example";
  const std::string key = m[1], value = m[2];
  ASSERT_NE(readme.find("--" + key + " " + value), std::string::npos)
      << "README.md shows the flag form --" << key << " " << value << " too";
  const std::string sample = Quote(std::string(WINNOW_SOURCE_DIR) + "/examples/sample.warc.gz");
  Result base = RunWinnow("clean " + sample + " -q -t 2 -o " + Quote((dir_ / "base").string()));
  ASSERT_EQ(base.code, 0) << base.out;
  Result flag = RunWinnow("clean " + sample + " -q -t 2 -o " + Quote((dir_ / "flag").string()) + " --" + key +
                    " " + value);
  ASSERT_EQ(flag.code, 0) << flag.out;
  Result set = RunWinnow("clean " + sample + " -q -t 2 -o " + Quote((dir_ / "set").string()) + " --set " +
                   Quote(key + "=" + value));
  ASSERT_EQ(set.code, 0) << set.out;
  StatusOr<RunStats> b = RunStats::FromJson(ReadFile(dir_ / "base" / "stats.json"));
  StatusOr<RunStats> f = RunStats::FromJson(ReadFile(dir_ / "flag" / "stats.json"));
  StatusOr<RunStats> s = RunStats::FromJson(ReadFile(dir_ / "set" / "stats.json"));
  ASSERT_TRUE(b.ok() && f.ok() && s.ok());
  const std::string stage = key.substr(0, key.rfind('.'));
  auto rejected_by_stage = [&](const RunStats& r) {
    uint64_t n = 0;
    auto it = r.rejected_by.find(stage);
    if (it != r.rejected_by.end()) {
      for (const auto& [reason, count] : it->second) n += count;
    }
    return n;
  };
  EXPECT_NE(f->kept, b->kept) << key << "=" << value << " did not change the run";
  EXPECT_GT(rejected_by_stage(*f), rejected_by_stage(*b));
  EXPECT_EQ(f->kept, s->kept) << "--KEY VALUE and --set KEY=VALUE are the same setting";
  EXPECT_EQ(f->rejected_by, s->rejected_by);
}

}  // namespace
}  // namespace winnow
