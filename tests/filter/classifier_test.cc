// filter.classifier and TrainClassifier: a small model trained here, on
// texts made here (and on turku's keep/drop lines from ../shared when
// present), run as a stage in both modes; bad model files; thread-count
// independence of a whole run.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>


#include "gold_texts.h"
#include "winnow/classifier.h"
#include "winnow/pipeline.h"
#include "winnow/writer.h"
#include "../test_files.h"

namespace winnow {
namespace {

namespace fs = std::filesystem;

using winnow::testing::ReadFile;

void WriteFile(const fs::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary);
  out << s;
}

// A fresh folder per test.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("winnow_cls_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Texts made here: "prose" documents are sentences of 8-20 words ending in a
// full stop; "chrome" documents are lines of 1-3 capitalised menu-like words,
// numbers and separators. Both draw from one shared pool besides their own
// words, so the model must weigh words, not only see them.
struct Corpus {
  std::vector<LabelledText> examples;
};

std::string Word(std::mt19937& rng, const std::vector<std::string>& pool) {
  return pool[rng() % pool.size()];
}

Corpus MakeCorpus(int n, uint32_t seed) {
  static const std::vector<std::string> prose = {
      "river", "because", "although", "measured", "village", "winter", "history", "family",
      "method", "results", "question", "several", "people", "between", "through", "written",
      "garden", "children", "important", "however", "thought", "morning", "difficult", "almost"};
  static const std::vector<std::string> chrome = {
      "Home", "Login", "Menu", "Share", "Subscribe", "Contact", "Privacy", "Search", "Cart",
      "Next", "Previous", "Tags", "Archive", "Sitemap", "Cookies", "Follow", "|", "»", "©"};
  static const std::vector<std::string> shared = {"the", "a", "news", "page", "2024", "more", "all",
                                                  "new", "of", "and", "about", "us"};
  std::mt19937 rng(seed);
  Corpus c;
  for (int i = 0; i < n; ++i) {
    LabelledText e;
    if (i % 2 == 0) {
      e.label = "prose";
      int sentences = 2 + rng() % 4;
      for (int s = 0; s < sentences; ++s) {
        int words = 8 + rng() % 13;
        for (int w = 0; w < words; ++w) {
          std::string t = (rng() % 3 == 0) ? Word(rng, shared) : Word(rng, prose);
          e.text += (w ? " " : "") + t;
        }
        e.text += ".\n";
      }
    } else {
      e.label = "chrome";
      int lines = 3 + rng() % 6;
      for (int l = 0; l < lines; ++l) {
        int words = 1 + rng() % 3;
        for (int w = 0; w < words; ++w) {
          std::string t = (rng() % 3 == 0) ? Word(rng, shared) : Word(rng, chrome);
          e.text += (w ? " " : "") + t;
        }
        e.text += "\n";
      }
    }
    if (!e.text.empty()) e.text.pop_back();
    c.examples.push_back(std::move(e));
  }
  return c;
}

ClassifierTrainOptions SmallModel() {
  ClassifierTrainOptions o;
  o.dim = 16;
  o.buckets = 20000;
  o.epoch = 10;
  o.seed = 7;
  return o;
}

// One model for the tests of this file, trained once.
const fs::path& TestModel(ClassifierTrainReport* report_out = nullptr) {
  static fs::path path;
  static ClassifierTrainReport report;
  if (path.empty()) {
    fs::path dir = fs::temp_directory_path() / ("winnow_cls_model_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    path = dir / "prose.bin";
    Status s = TrainClassifier(MakeCorpus(600, 1).examples, SmallModel(), path.string(), &report);
    EXPECT_TRUE(s.ok()) << s.ToString();
    std::atexit([] { fs::remove_all(path.parent_path()); });
  }
  if (report_out) *report_out = report;
  return path;
}

TEST(ClassifierTest, NormalisationIsOneLineWithTheLabelPrefixDefused) {
  EXPECT_EQ(NormalizeClassifierText("a\nb\n\nc"), "a b  c\n");
  EXPECT_EQ(NormalizeClassifierText(""), "\n");
  EXPECT_EQ(NormalizeClassifierText("x __label__bad y"), "x _label_bad y\n");
  // The first N code points, never half a character.
  EXPECT_EQ(NormalizeClassifierText("été soleil", 3), "été\n");
  EXPECT_EQ(NormalizeClassifierText("日本語のテキスト", 2), "日本\n");
  EXPECT_EQ(NormalizeClassifierText("short", 100), "short\n");
}

TEST(ClassifierTest, TrainingReportsHeldOutFiguresPerLabel) {
  ClassifierTrainReport r;
  TestModel(&r);
  EXPECT_EQ(r.examples, 600);
  EXPECT_EQ(r.heldout_examples, 60);
  EXPECT_EQ(r.train_examples, 540);
  ASSERT_EQ(r.labels.size(), 2u);
  int64_t support = 0;
  for (const LabelScores& l : r.labels) {
    support += l.support;
    // The two kinds of text differ in most words: far from chance.
    EXPECT_GT(l.auc, 0.95) << l.label;
    EXPECT_GT(l.f1, 0.9) << l.label;
    EXPECT_LE(l.precision, 1.0);
  }
  EXPECT_EQ(support, 60);
  EXPECT_GT(r.accuracy, 0.9);
  const std::string text = r.ToText();
  EXPECT_NE(text.find("AUC"), std::string::npos) << text;
  EXPECT_NE(text.find("prose"), std::string::npos) << text;
  std::printf("%s", text.c_str());
}

TEST(ClassifierTest, TrainingIsDeterministicWithASeedAndOneThread) {
  TempDir dir;
  const Corpus c = MakeCorpus(200, 3);
  ClassifierTrainReport r1, r2, r3;
  ClassifierTrainOptions o = SmallModel();
  ASSERT_TRUE(TrainClassifier(c.examples, o, (dir.path() / "a.bin").string(), &r1).ok());
  ASSERT_TRUE(TrainClassifier(c.examples, o, (dir.path() / "b.bin").string(), &r2).ok());
  EXPECT_EQ(ReadFile(dir.path() / "a.bin"), ReadFile(dir.path() / "b.bin"));
  o.seed = 8;
  ASSERT_TRUE(TrainClassifier(c.examples, o, (dir.path() / "c.bin").string(), &r3).ok());
  EXPECT_NE(ReadFile(dir.path() / "a.bin"), ReadFile(dir.path() / "c.bin"));
  // No temporary file is left beside the model.
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir.path())) files += e.is_regular_file();
  EXPECT_EQ(files, 3);
}

TEST(ClassifierTest, QuantisedModelIsSmallerAndAgrees) {
  TempDir dir;
  const Corpus c = MakeCorpus(400, 5);
  ClassifierTrainOptions o = SmallModel();
  ClassifierTrainReport full, small;
  ASSERT_TRUE(TrainClassifier(c.examples, o, (dir.path() / "m.bin").string(), &full).ok());
  o.quantize = true;
  o.cutoff = 5000;
  Status s = TrainClassifier(c.examples, o, (dir.path() / "m.ftz").string(), &small);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_LT(small.model_bytes, full.model_bytes / 2) << full.model_bytes << " -> " << small.model_bytes;
  std::printf("model %lld bytes, accuracy %.4f; quantised %lld bytes, accuracy %.4f\n",
              static_cast<long long>(full.model_bytes), full.accuracy, static_cast<long long>(small.model_bytes),
              small.accuracy);
  auto q = Classifier::Load((dir.path() / "m.ftz").string());
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_TRUE((*q)->quantized());
  EXPECT_GT(small.accuracy, 0.85);
}

TEST(ClassifierTest, TrainingRejectsBadInput) {
  TempDir dir;
  ClassifierTrainReport r;
  std::vector<LabelledText> one_label = {{"a b", "x"}, {"c d", "x"}};
  EXPECT_FALSE(TrainClassifier(one_label, SmallModel(), (dir.path() / "m.bin").string(), &r).ok());
  std::vector<LabelledText> spaced = {{"a b", "x y"}, {"c d", "z"}};
  Status s = TrainClassifier(spaced, SmallModel(), (dir.path() / "m.bin").string(), &r);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("example 0"), std::string::npos) << s.message();
  EXPECT_FALSE(fs::exists(dir.path() / "m.bin"));
}

TEST(ClassifierTest, ReadingExamplesSkipsBadRecordsWithFileAndLine) {
  TempDir dir;
  const fs::path labelled = dir.path() / "l.jsonl";
  WriteFile(labelled,
            "{\"text\": \"good one\", \"label\": \"hq\"}\n"
            "not json\n"
            "{\"text\": \"no label\"}\n"
            "{\"text\": \"int label\", \"label\": 1}\n"
            "{\"text\": \"bool label\", \"label\": false}\n"
            "{\"text\": \"spaced\", \"label\": \"a b\"}\n"
            "\n"
            "{\"body\": \"other field\", \"label\": \"cc\"}\n");
  std::vector<LabelledText> out;
  std::vector<std::string> problems;
  ASSERT_TRUE(ReadLabelledTexts(labelled.string(), LabelledTextsOptions(), &out, &problems).ok());
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].label, "hq");
  EXPECT_EQ(out[1].label, "1");
  EXPECT_EQ(out[2].label, "false");
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_NE(problems[0].find(labelled.string() + ":2: not a JSON object"), std::string::npos) << problems[0];
  EXPECT_NE(problems[1].find(":3: no field \"label\""), std::string::npos) << problems[1];
  EXPECT_NE(problems[2].find(":6: label 'a b'"), std::string::npos) << problems[2];
  EXPECT_NE(problems[3].find(":8: no string field \"text\""), std::string::npos) << problems[3];
  // Another text field, and a file of one class: plain text, one document a line.
  LabelledTextsOptions body;
  body.text_field = "body";
  out.clear();
  problems.clear();
  ASSERT_TRUE(ReadLabelledTexts(labelled.string(), body, &out, &problems).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text, "other field");
  const fs::path plain = dir.path() / "neg.txt";
  WriteFile(plain, "first document\nsecond document\n");
  LabelledTextsOptions neg;
  neg.label = "cc";
  out.clear();
  ASSERT_TRUE(ReadLabelledTexts(plain.string(), neg, &out, &problems).ok());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].text, "second document");
  EXPECT_EQ(out[1].label, "cc");
  EXPECT_FALSE(ReadLabelledTexts(plain.string(), LabelledTextsOptions(), &out, &problems).ok())
      << "plain text without a label";
  EXPECT_FALSE(ReadLabelledTexts((dir.path() / "missing.jsonl").string(), neg, &out, &problems).ok());
}

TEST(ClassifierTest, LoadSharesOneModelPerFile) {
  auto a = Classifier::Load(TestModel().string());
  auto b = Classifier::Load(TestModel().string());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->get(), b->get());
  EXPECT_EQ((*a)->labels().size(), 2u);
  EXPECT_EQ((*a)->dimension(), 16);
  EXPECT_GE((*a)->LabelIndex("__label__prose"), 0);
  EXPECT_EQ((*a)->LabelIndex("prose"), (*a)->LabelIndex("__label__prose"));
  EXPECT_EQ((*a)->LabelIndex("nope"), -1);
}

Config StageConfig(const std::string& stage, const std::string& mode, double threshold) {
  Config c;
  c.Set("stages", stage);
  c.Set(stage + ".model", TestModel().string());
  c.Set(stage + ".label", "prose");
  c.Set(stage + ".mode", mode);
  c.Set(stage + ".threshold", std::to_string(threshold));
  return c;
}

std::vector<Document> TestDocs(const Corpus& c) {
  std::vector<Document> docs;
  for (size_t i = 0; i < c.examples.size(); ++i) {
    Document d;
    d.id = std::to_string(i);
    d.SetTextLines(c.examples[i].text);
    docs.push_back(std::move(d));
  }
  return docs;
}

TEST(ClassifierTest, TagModeWritesEveryLabelsScoreAndTheVerdict) {
  auto p = Pipeline::Create(StageConfig("filter.classifier.edu", "tag", 0.5));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  auto model = Classifier::Load(TestModel().string());
  ASSERT_TRUE(model.ok());
  const Corpus c = MakeCorpus(100, 99);  // unseen texts
  std::vector<Document> docs = TestDocs(c);
  int right = 0;
  for (size_t i = 0; i < docs.size(); ++i) {
    Document& d = docs[i];
    const std::string text = d.Text();
    (*p)->Process(d, nullptr);
    EXPECT_TRUE(d.decision.keep) << "tag mode keeps every document";
    const auto& q = d.annotations.quality;
    ASSERT_EQ(q.count("filter.classifier.edu.prose"), 1u);
    ASSERT_EQ(q.count("filter.classifier.edu.chrome"), 1u);
    const double prose = q.at("filter.classifier.edu.prose");
    // Softmax over two labels (each score is p + 1e-5, as fastText prints).
    EXPECT_NEAR(prose + q.at("filter.classifier.edu.chrome"), 1.0, 1e-3);
    // The recorded score is the model's prediction on the document's text.
    const std::vector<double> direct = (*model)->Predict(text);
    EXPECT_DOUBLE_EQ(prose, direct[(*model)->LabelIndex("prose")]);
    ASSERT_EQ(d.annotations.tags.count("filter.classifier.edu"), 1u);
    EXPECT_EQ(d.annotations.tags.at("filter.classifier.edu"), prose >= 0.5 ? "pass" : "below_threshold");
    right += (prose >= 0.5) == (c.examples[i].label == "prose");
  }
  EXPECT_GE(right, 90) << "of 100 unseen documents";
}

TEST(ClassifierTest, RejectModeDropsBelowTheThresholdWithTheScore) {
  for (const char* mode : {"reject", "drop"}) {
    auto p = Pipeline::Create(StageConfig("filter.classifier", mode, 0.5));
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    const Corpus c = MakeCorpus(100, 98);
    std::vector<Document> docs = TestDocs(c);
    int rejected_chrome = 0, kept_prose = 0;
    for (size_t i = 0; i < docs.size(); ++i) {
      Document& d = docs[i];
      (*p)->Process(d, nullptr);
      const double prose = d.annotations.quality.at("filter.classifier.prose");
      EXPECT_EQ(d.decision.keep, prose >= 0.5) << prose;
      EXPECT_EQ(d.annotations.tags.count("filter.classifier"), 0u);
      if (!d.decision.keep) {
        EXPECT_EQ(d.decision.stage, "filter.classifier");
        EXPECT_EQ(d.decision.reason, "below_threshold");
        EXPECT_EQ(d.decision.detail.rfind("prose=", 0), 0u) << d.decision.detail;
        rejected_chrome += c.examples[i].label == "chrome";
      } else {
        kept_prose += c.examples[i].label == "prose";
      }
    }
    EXPECT_GE(rejected_chrome, 45) << mode;
    EXPECT_GE(kept_prose, 45) << mode;
  }
}

TEST(ClassifierTest, TwoNamedInstancesInOneChain) {
  Config c = StageConfig("filter.classifier.a", "tag", 0.5);
  c.Set("stages", "filter.classifier.a,filter.classifier.b");
  c.Set("filter.classifier.b.model", TestModel().string());
  c.Set("filter.classifier.b.label", "__label__chrome");
  c.Set("filter.classifier.b.threshold", "0.99");
  auto p = Pipeline::Create(c);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  std::vector<Document> docs = TestDocs(MakeCorpus(40, 97));
  int rejected_by_b = 0;
  for (Document& d : docs) {
    (*p)->Process(d, nullptr);
    EXPECT_EQ(d.annotations.tags.count("filter.classifier.a"), 1u);
    if (!d.decision.keep) {
      EXPECT_EQ(d.decision.stage, "filter.classifier.b");
      ++rejected_by_b;
    } else {
      EXPECT_GE(d.annotations.quality.at("filter.classifier.b.chrome"), 0.99);
    }
  }
  EXPECT_GT(rejected_by_b, 15);
  // Instance names: one segment; an instance named like a key is not one.
  Config bad = c;
  bad.Set("stages", "filter.classifier.model");
  EXPECT_FALSE(Pipeline::Create(bad).ok());
  bad.Set("stages", "filter.classifier.a.b");
  EXPECT_FALSE(Pipeline::Create(bad).ok());
}

TEST(ClassifierTest, MissingSettingsAndUnknownLabelsAreErrors) {
  Config c;
  c.Set("stages", "filter.classifier.x");
  auto p = Pipeline::Create(c);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("filter.classifier.x.model"), std::string::npos) << p.status().message();
  c.Set("filter.classifier.x.model", TestModel().string());
  p = Pipeline::Create(c);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("chrome"), std::string::npos) << "lists the labels: " << p.status().message();
  c.Set("filter.classifier.x.label", "toxic");
  p = Pipeline::Create(c);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("'toxic'"), std::string::npos) << p.status().message();
  c.Set("filter.classifier.x.label", "prose");
  EXPECT_TRUE(Pipeline::Create(c).ok());
  c.Set("filter.classifier.x.treshold", "0.3");  // a typo
  p = Pipeline::Create(c);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("filter.classifier.x.threshold"), std::string::npos) << p.status().message();
}

TEST(ClassifierTest, BadModelFilesAreClearErrors) {
  TempDir dir;
  const std::string good = ReadFile(TestModel());
  ASSERT_GT(good.size(), 1000u);
  struct Case {
    std::string name, bytes, expect;
  };
  std::string flipped = good;
  flipped[0] ^= 0x55;
  std::string huge_dict = good;
  const int32_t big = 0x7fffff00;
  std::memcpy(&huge_dict[64], &big, 4);
  std::vector<Case> cases = {
      {"empty.bin", "", "too short"},
      {"text.bin", std::string(20, '-') + " this is not a model at all, just some words in a file, more "
                   "than a header's worth of them\n", "not a fastText model"},
      {"magic.bin", flipped, "not a fastText model"},
      {"half.bin", good.substr(0, good.size() / 2), "truncated"},
      {"head.bin", good.substr(0, 200), "truncated"},
      {"tail.bin", good + "extra", "bytes after"},
      {"dict.bin", huge_dict, "dictionary header"},
  };
  for (const Case& k : cases) {
    const fs::path path = dir.path() / k.name;
    WriteFile(path, k.bytes);
    auto m = Classifier::Load(path.string());
    ASSERT_FALSE(m.ok()) << k.name;
    EXPECT_NE(m.status().message().find(path.string()), std::string::npos) << m.status().message();
    EXPECT_NE(m.status().message().find(k.expect), std::string::npos) << k.name << ": " << m.status().message();
    Config c;
    c.Set("stages", "filter.classifier");
    c.Set("filter.classifier.model", path.string());
    c.Set("filter.classifier.label", "prose");
    EXPECT_FALSE(Pipeline::Create(c).ok()) << k.name;
  }
  auto missing = Classifier::Load((dir.path() / "nope.bin").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("nope.bin"), std::string::npos);
  EXPECT_FALSE(Classifier::Load(dir.path().string()).ok()) << "a folder";
}

std::string Bin() {
  const char* b = std::getenv("WINNOW_BIN");
  return b ? b : std::string(WINNOW_BINARY_DIR) + "/winnow";
}

int RunWinnow(const std::string& args, std::string* out) {
  FILE* p = popen((Bin() + " " + args + " 2>&1").c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out->append(buf, n);
  int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A JSONL input of the corpus' texts.
std::string Jsonl(const Corpus& c) {
  std::string s;
  for (size_t i = 0; i < c.examples.size(); ++i) {
    Document d;
    d.id = "doc" + std::to_string(i);
    std::string text;
    for (char ch : c.examples[i].text) {
      if (ch == '\n') text += "\\n";
      else if (ch == '"' || ch == '\\') text += std::string("\\") + ch;
      else text += ch;
    }
    s += "{\"id\": \"" + d.id + "\", \"text\": \"" + text + "\"}\n";
  }
  return s;
}

TEST(ClassifierTest, CorruptModelStopsTheRunWithExitTwoBeforeReading) {
  if (!fs::exists(Bin())) GTEST_SKIP() << "no winnow binary at " << Bin();
  TempDir dir;
  WriteFile(dir.path() / "bad.bin", ReadFile(TestModel()).substr(0, 300));
  WriteFile(dir.path() / "in.jsonl", Jsonl(MakeCorpus(10, 5)));
  std::string out;
  // A missing input file too: had any input been read, it would be reported
  // as unreadable.
  const std::string args = "clean '" + (dir.path() / "in.jsonl").string() + "' '" +
                           (dir.path() / "missing.jsonl").string() + "' -o '" + (dir.path() / "out").string() +
                           "' -t 1 --stages filter.classifier.q --filter.classifier.q.label prose "
                           "--filter.classifier.q.model '" + (dir.path() / "bad.bin").string() + "'";
  EXPECT_EQ(RunWinnow(args, &out), 2) << out;
  EXPECT_NE(out.find("bad.bin"), std::string::npos) << out;
  EXPECT_NE(out.find("truncated"), std::string::npos) << out;
  EXPECT_EQ(out.find("unreadable"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(dir.path() / "out" / "stats.json"));
  bool shards = false;
  if (fs::exists(dir.path() / "out")) {
    for (const auto& e : fs::recursive_directory_iterator(dir.path() / "out")) {
      shards |= e.path().filename().string().rfind("kept-", 0) == 0;
    }
  }
  EXPECT_FALSE(shards) << "no document was written";
}

TEST(ClassifierTest, SameOutputWithOneAndTwoThreads) {
  TempDir dir;
  WriteFile(dir.path() / "in.jsonl", Jsonl(MakeCorpus(300, 11)));
  std::string kept[2], rejected[2];
  for (int t = 1; t <= 2; ++t) {
    CleanOptions o;
    o.inputs = {(dir.path() / "in.jsonl").string()};
    o.output_dir = (dir.path() / ("out" + std::to_string(t))).string();
    o.threads = t;
    o.config = StageConfig("filter.classifier.q", "reject", 0.5);
    o.config.Set("output.compression", "none");
    RunStats stats;
    Status s = RunClean(o, &stats);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(stats.docs_in, 300u);
    EXPECT_GT(stats.kept, 100u);
    EXPECT_GT(stats.rejected, 100u);
    for (const auto& e : fs::directory_iterator(o.output_dir)) {
      const std::string name = e.path().filename().string();
      if (name.rfind("kept-", 0) == 0) kept[t - 1] += ReadFile(e.path());
      if (name.rfind("rejected-", 0) == 0) rejected[t - 1] += ReadFile(e.path());
    }
  }
  EXPECT_FALSE(kept[0].empty());
  EXPECT_NE(kept[0].find("\"filter.classifier.q.prose\""), std::string::npos);
  EXPECT_EQ(kept[0], kept[1]);
  EXPECT_EQ(rejected[0], rejected[1]);
}

// ../shared: turku's human line labels. Each page's kept lines and its
// dropped lines make one example each; trained on 4 pages in 5, scored as a
// stage on the fifth (unseen pages).
TEST(ClassifierTest, TurkuKeepVersusDropLines) {
  const std::string path = std::string(WINNOW_SHARED_DIR) + "/data/plaintext/turku_line_quality.jsonl.gz";
  std::string data;
  if (!fs::exists(path) || !winnow_bench::ReadGz(path, &data)) GTEST_SKIP() << "../shared absent: " << path;
  TempDir dir;
  // The fields needed (split, lines, labels) are parsed by hand, with the
  // simplified escapes below (the form the model is trained and scored on).
  std::vector<LabelledText> train;
  Corpus dev;
  std::istringstream in(data);
  std::string line;
  int docs = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> lines;
    std::vector<int> labels;
    size_t a = line.find("\"lines\": [");
    size_t b = line.find("\"labels\": [");
    if (a == std::string::npos || b == std::string::npos) continue;
    // The strings of the lines array (JSON escapes simplified: the model
    // sees the same form at training and at test).
    size_t i = a + 10;
    while (i < line.size() && line[i] != ']') {
      if (line[i] == '"') {
        std::string s;
        ++i;
        while (i < line.size() && line[i] != '"') {
          if (line[i] == '\\' && i + 1 < line.size()) {
            s += line[i + 1] == 'n' ? ' ' : line[i + 1];
            i += 2;
            continue;
          }
          s += line[i++];
        }
        lines.push_back(s);
      }
      ++i;
    }
    for (size_t j = b + 11; j < line.size() && line[j] != ']'; ++j) {
      if (line[j] == '0' || line[j] == '1') labels.push_back(line[j] - '0');
    }
    if (labels.size() != lines.size()) continue;
    std::string keep, drop;
    for (size_t j = 0; j < lines.size(); ++j) (labels[j] ? keep : drop) += lines[j] + "\n";
    // Every fifth page is held out whole: its lines are unseen in training.
    const bool held_out = docs++ % 5 == 0;
    for (auto& [text, label] : {std::pair<std::string, std::string>{keep, "keep"}, {drop, "drop"}}) {
      if (text.size() < 40) continue;
      if (held_out) dev.examples.push_back({text, label});
      else train.push_back({text, label});
    }
  }
  ASSERT_GT(docs, 500);
  ClassifierTrainOptions o;
  o.dim = 32;
  o.epoch = 25;
  o.word_ngrams = 1;  // little data: words only (bigrams and character n-grams measured worse)
  ClassifierTrainReport r;
  const std::string model = (dir.path() / "turku.bin").string();
  Status s = TrainClassifier(train, o, model, &r);
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::printf("turku, 4 pages in 5 (10%% held out):\n%s", r.ToText().c_str());
  Config c;
  c.Set("stages", "filter.classifier.turku");
  c.Set("filter.classifier.turku.model", model);
  c.Set("filter.classifier.turku.label", "keep");
  c.Set("filter.classifier.turku.mode", "tag");
  auto p = Pipeline::Create(c);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  std::vector<std::pair<double, bool>> scored;
  int right = 0;
  std::vector<Document> docs_dev = TestDocs(dev);
  for (size_t i = 0; i < docs_dev.size(); ++i) {
    (*p)->Process(docs_dev[i], nullptr);
    const double keep = docs_dev[i].annotations.quality.at("filter.classifier.turku.keep");
    const bool truth = dev.examples[i].label == "keep";
    right += (keep >= 0.5) == truth;
    scored.emplace_back(keep, truth);
  }
  // AUC on the dev pages (Mann-Whitney, ties half).
  double pos = 0, neg = 0, wins = 0;
  for (const auto& [sp, tp] : scored) {
    if (!tp) continue;
    ++pos;
    for (const auto& [sn, tn] : scored) {
      if (tn) continue;
      wins += sp > sn ? 1 : sp == sn ? 0.5 : 0;
    }
  }
  for (const auto& x : scored) neg += !x.second;
  const double auc = wins / (pos * neg);
  const double acc = static_cast<double>(right) / scored.size();
  std::printf("turku, every 5th page, as a stage: %zu texts, accuracy %.4f, AUC %.4f\n", scored.size(), acc, auc);
  // Kept lines are prose, dropped ones chrome: a learned model separates
  // most of them on unseen pages (chance is 0.5).
  EXPECT_GT(auc, 0.85);
  EXPECT_GT(acc, 0.8);
}

}  // namespace
}  // namespace winnow
