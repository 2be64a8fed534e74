// The settings table: validation of every key (type, range, unknown keys with
// the nearest suggestion), that every declared key is read and every read
// key declared, and that doc/settings.md is the table.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "winnow/classifier.h"
#include "winnow/corpus.h"
#include "winnow/pipeline.h"
#include "winnow/repeated_lines.h"
#include "winnow/settings.h"

namespace winnow {
namespace {

namespace fs = std::filesystem;

// A concrete key for a setting ("*" segments become "xx").
std::string Concrete(const Setting& s) {
  std::string k = s.name;
  for (size_t p; (p = k.find('*')) != std::string::npos;) k.replace(p, 1, "xx");
  return k;
}

Status ValidateOne(const std::string& key, const std::string& value) {
  Config c;
  c.Set(key, value);
  return SettingsTable::Global().Validate(c);
}

TEST(SettingsTest, TableIsComplete) {
  const SettingsTable& t = SettingsTable::Global();
  ASSERT_GT(t.List().size(), 80u);
  for (const Setting* s : t.List()) {
    EXPECT_FALSE(s->doc.empty()) << s->name;
    if (s->type == SettingType::kInt || s->type == SettingType::kDouble) {
      EXPECT_TRUE(std::isfinite(s->min) && std::isfinite(s->max)) << s->name << " needs a range";
    }
    if (s->type == SettingType::kPerLanguage) continue;
    // The default passes its own checks.
    EXPECT_TRUE(ValidateOne(Concrete(*s), s->default_value).ok())
        << s->name << "=" << s->default_value << ": " << ValidateOne(Concrete(*s), s->default_value).ToString();
  }
  for (const char* key : {"stages", "threads", "input.format", "output.shard_mb", "dedup.memory_limit_mb",
                          "filter.gopher_quality.min_doc_words", "filter.c4.enabled", "pii.placeholder.ip",
                          "langid.languages", "text.lines.main_bias", "extract.include_tables"}) {
    EXPECT_NE(t.Find(key), nullptr) << key;
  }
}

TEST(SettingsTest, EveryKeyRejectsAWrongTypeAndAnOutOfRangeValue) {
  int checked_type = 0, checked_range = 0;
  for (const Setting* s : SettingsTable::Global().List()) {
    const std::string key = Concrete(*s);
    std::vector<std::string> wrong;
    switch (s->type) {
      case SettingType::kBool: wrong = {"maybe", "2", ""}; break;
      case SettingType::kInt: wrong = {"abc", "1.5", "", "12x"}; break;
      case SettingType::kDouble: wrong = {"abc", "", "0.5.1", "nan"}; break;
      case SettingType::kString:
      case SettingType::kList:
        if (!s->choices.empty()) wrong = {"no-such-choice"};
        else if (s->check) wrong = {"nonsense"};
        break;
      case SettingType::kPerLanguage: break;
    }
    for (const std::string& v : wrong) {
      Status st = ValidateOne(key, v);
      EXPECT_FALSE(st.ok()) << key << "=" << v << " was accepted";
      EXPECT_NE(st.message().find(key), std::string::npos) << st.message();
      ++checked_type;
    }
    if (s->type == SettingType::kInt || s->type == SettingType::kDouble) {
      const bool is_int = s->type == SettingType::kInt;
      for (double v : {s->min - (is_int ? 1 : 0.5), s->max * 10 + 1}) {
        const std::string text = FormatSettingNumber(v);
        Status st = ValidateOne(key, text);
        EXPECT_FALSE(st.ok()) << key << "=" << text << " was accepted";
        EXPECT_NE(st.message().find(key), std::string::npos) << st.message();
        EXPECT_NE(st.message().find(s->AllowedText()), std::string::npos)
            << "the message names the range: " << st.message();
        ++checked_range;
      }
    }
  }
  EXPECT_GT(checked_type, 100);
  EXPECT_GT(checked_range, 60);
}

TEST(SettingsTest, UnknownKeysNameTheNearestKnownKey) {
  // The README's old example.
  Status st = ValidateOne("filter.gopher_quality.min_words", "100000");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("did you mean 'filter.gopher_quality.min_doc_words'"), std::string::npos)
      << st.message();
  // A typo of every key (a letter doubled, a letter dropped) suggests that key.
  int n = 0;
  for (const Setting* s : SettingsTable::Global().List()) {
    if (s->name.find('*') != std::string::npos) continue;
    for (const std::string& typo : {s->name + s->name.back(), s->name.substr(0, s->name.size() - 1)}) {
      if (SettingsTable::Global().Find(typo)) continue;  // e.g. a shorter key that exists
      Status u = ValidateOne(typo, "1");
      ASSERT_FALSE(u.ok()) << typo;
      EXPECT_NE(u.message().find("unknown setting '" + typo + "'"), std::string::npos) << u.message();
      EXPECT_NE(u.message().find("did you mean '" + s->name + "'"), std::string::npos) << u.message();
      ++n;
    }
  }
  EXPECT_GT(n, 150);
}

TEST(SettingsTest, PatternsAndPerLanguageKeys) {
  EXPECT_TRUE(ValidateOne("filter.gopher_quality.stop_words.fr", "le,la").ok());
  EXPECT_TRUE(ValidateOne("filter.gopher_quality.lang.zh.min_doc_words", "-1").ok());
  EXPECT_TRUE(ValidateOne("filter.c4.lang.de.mode", "tag").ok());
  EXPECT_FALSE(ValidateOne("filter.c4.lang.de.mode", "drop").ok());
  EXPECT_FALSE(ValidateOne("filter.c4.lang.de.min_words", "3").ok());
  EXPECT_FALSE(ValidateOne("filter.c4.lang.de", "3").ok());
  EXPECT_FALSE(ValidateOne("pii.lang.de.email", "false").ok());  // pii has no per-language keys
  EXPECT_FALSE(ValidateOne("stages", "extract,no.such.stage").ok());
  EXPECT_TRUE(ValidateOne("stages", "none").ok());
  EXPECT_FALSE(ValidateOne("filter.gopher_repetition.top_n_grams", "2:0.2,99:0.1").ok());
}

// Every key in the table is read by some code, and every key read is in the
// table: a declared key that nothing reads is the README's
// `min_words` bug again, a read key that is not declared cannot be set.
TEST(SettingsTest, EveryDeclaredKeyIsReadAndEveryReadKeyDeclared) {
  const fs::path dir = fs::temp_directory_path() / ("winnow_settings_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    std::ofstream(dir / "in.txt") << "A line of text that is long enough to be kept by the filters.\n";
  }
  RepeatedLineCounter counter;
  ASSERT_TRUE(counter.Save((dir / "counts.bin").string()).ok());

  const StageRegistry& registry = StageRegistry::Global();
  std::string all;
  for (const auto& [name, help] : registry.List()) {
    all += (all.empty() ? "" : ",") + name;
    if (registry.HasInstances(name)) all += "," + name + ".xx";  // a named instance too
  }
  // filter.classifier needs a model: a tiny one trained here.
  std::vector<LabelledText> examples;
  for (int i = 0; i < 20; ++i) {
    examples.push_back({"a line of text that is long enough", "good"});
    examples.push_back({"menu home login", "bad"});
  }
  ClassifierTrainOptions small;
  small.dim = 4;
  small.buckets = 100;
  ClassifierTrainReport report;
  const std::string model = (dir / "m.bin").string();
  ASSERT_TRUE(TrainClassifier(examples, small, model, &report).ok());

  CleanOptions options;
  Config& c = options.config;
  c.Set("stages", all);
  c.Set("text.repeated_lines.counts", (dir / "counts.bin").string());
  c.Set("filter.gopher_quality.stop_words.xx", "a,b");
  for (const char* stage : {"filter.classifier", "filter.classifier.xx"}) {
    c.Set(std::string(stage) + ".model", model);
    c.Set(std::string(stage) + ".label", "good");
  }
  c.Set("dedup.enabled", "true");
  c.Set("repeated_lines.enabled", "true");
  c.Set("dedup.work_dir", (dir / "work").string());
  options.inputs = {(dir / "in.txt").string()};
  options.output_dir = (dir / "out").string();
  RunStats stats;
  Status s = RunClean(options, &stats);
  ASSERT_TRUE(s.ok()) << s.ToString();
  // What `winnow dedup` and the Python module read besides.
  ASSERT_TRUE(DedupOptionsFromConfig(c).ok());
  RepeatedLineCounterOptionsFromConfig(c);
  RepeatedLineFilterOptionsFromConfig(c);

  const std::set<std::string> read = c.ReadKeys();
  const SettingsTable& t = SettingsTable::Global();
  for (const std::string& k : read) {
    EXPECT_NE(t.Find(k), nullptr) << "read but not in the settings table: " << k;
  }
  for (const Setting* st : t.List()) {
    if (st->type == SettingType::kPerLanguage) continue;  // filter_test covers the overrides
    bool found = false;
    for (const std::string& k : read) found |= t.Find(k) == st;
    EXPECT_TRUE(found) << "in the settings table but read by nothing: " << st->name;
  }
  fs::remove_all(dir);
}

TEST(SettingsTest, PipelineRejectsBadSettings) {
  Config c;
  c.Set("filter.c4.min_num_sentences", "abc");
  auto p = Pipeline::Create(c);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("filter.c4.min_num_sentences"), std::string::npos);
  Config d;
  d.Set("dedup.memory_limit_mb", "-5");
  EXPECT_FALSE(DedupOptionsFromConfig(d).ok());
  d.Set("dedup.memory_limit_mb", "100000000");
  EXPECT_FALSE(DedupOptionsFromConfig(d).ok());
}

TEST(SettingsTest, DocPageIsTheTable) {
  std::ifstream in(std::string(WINNOW_SOURCE_DIR) + "/doc/settings.md", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), SettingsTable::Global().ToMarkdown())
      << "doc/settings.md is out of date: build/winnow config --format markdown > doc/settings.md";
}

}  // namespace
}  // namespace winnow
