// Line classifier: features, Viterbi, model loading, the text.lines stage and
// the seed page (../shared/seed/biden-poutine-sommet.txt).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "text/text_stages.h"
#include "winnow/lines.h"
#include "../test_files.h"

namespace winnow {
namespace {

using winnow::testing::ReadFile;

size_t Feature(const std::string& name) {
  const auto& names = LineFeatureNames();
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return i;
  ADD_FAILURE() << "no feature " << name;
  return 0;
}

std::unique_ptr<Stage> MakeLinesStage(const Config& config = Config()) {
  StageRegistry registry;
  RegisterTextStages(&registry);
  auto stage = registry.Create("text.lines", config);
  EXPECT_TRUE(stage.ok()) << stage.status().ToString();
  return stage.ok() ? std::move(*stage) : nullptr;
}

TEST(SeedTest, BidenPoutineGivesExactlyTheArticle) {
  std::string dir = std::string(WINNOW_SHARED_DIR) + "/seed/";
  if (!std::filesystem::exists(dir + "biden-poutine-sommet.txt")) {
    GTEST_SKIP() << "shared data not found at " << dir << " (set WINNOW_SHARED_DIR)";
  }
  auto stage = MakeLinesStage();
  ASSERT_NE(stage, nullptr);
  Document doc;
  doc.kind = DocKind::kText;
  doc.raw = ReadFile(dir + "biden-poutine-sommet.txt");
  stage->Process(doc);
  std::string expected = ReadFile(dir + "biden-poutine-sommet.expected.txt");
  while (!expected.empty() && expected.back() == '\n') expected.pop_back();
  EXPECT_TRUE(doc.decision.keep);
  EXPECT_EQ(doc.Text(), expected);
  // Every dropped line carries the stage's reason.
  for (const Block& b : doc.blocks) {
    if (!b.keep) {
      EXPECT_EQ(b.drop_reason.rfind("text.lines:", 0), 0u) << b.text;
    }
  }
}

TEST(FeaturesTest, OneRowPerLineOfTheNamedWidth) {
  std::vector<std::string_view> lines = {"Hello world.", "", "Menu"};
  auto f = ComputeLineFeatures(lines, "en");
  ASSERT_EQ(f.size(), 3u);
  for (const auto& row : f) EXPECT_EQ(row.size(), LineFeatureNames().size());
  EXPECT_TRUE(ComputeLineFeatures({}, "").empty());
}

TEST(FeaturesTest, SentenceShape) {
  std::vector<std::string_view> lines = {"This is a sentence that ends well.", "Home | News | Sport"};
  auto f = ComputeLineFeatures(lines, "en");
  EXPECT_EQ(f[0][Feature("c4_rule")], 1.f);
  EXPECT_EQ(f[0][Feature("term_punct")], 1.f);
  EXPECT_EQ(f[1][Feature("c4_rule")], 0.f);
  EXPECT_GT(f[1][Feature("separators")], 0.f);
  EXPECT_GT(f[0][Feature("stop_share")], 0.2f);
  EXPECT_EQ(f[1][Feature("stop_share")], 0.f);
  EXPECT_EQ(f[0][Feature("is_first")], 1.f);
  EXPECT_EQ(f[1][Feature("is_last")], 1.f);
}

// Chinese and Japanese have no spaces: a sentence is many words, not one, and
// the document's frequent characters are its function words.
TEST(FeaturesTest, ChineseAndJapaneseSentencesAreManyWords) {
  std::vector<std::string_view> lines = {
      "首页",
      "昨天下午，市图书馆举行了地方历史协会新书的发布会。",
      "这本书讲述了本地区的老磨坊从十八世纪到今天的历史。",
      "昨日の午後、市立図書館で地元の歴史協会の新しい本が紹介されました。"};
  auto f = ComputeLineFeatures(lines, "");
  EXPECT_EQ(f[0][Feature("words_le1")], 1.f);  // a two-character menu item: one word
  for (size_t i = 1; i < lines.size(); ++i) {
    EXPECT_EQ(f[i][Feature("c4_rule")], 1.f) << i;  // ends in 。 and has >= 3 words
    EXPECT_EQ(f[i][Feature("words_10_29")], 1.f) << i;
    EXPECT_GT(f[i][Feature("freq_share")], 0.2f) << i;  // 的, 了, の, ... recur
  }
}

TEST(FeaturesTest, EndMarkerAndAfterEnd) {
  std::vector<std::string_view> lines = {"Le président a parlé de la Russie et des États-Unis.",
                                         "LIRE AUSSI", "Une phrase française après la fin."};
  auto f = ComputeLineFeatures(lines, "fr");
  EXPECT_EQ(f[0][Feature("end_marker")], 0.f);
  EXPECT_EQ(f[1][Feature("end_marker")], 1.f);
  EXPECT_EQ(f[0][Feature("after_end")], 0.f);
  EXPECT_EQ(f[1][Feature("after_end")], 0.f);
  EXPECT_EQ(f[2][Feature("after_end")], 1.f);
}

TEST(FeaturesTest, OtherLanguageStopWords) {
  std::vector<std::string_view> lines = {
      "Le président des États-Unis a proposé une rencontre au sommet dans un pays tiers.",
      "Log in of maak een account aan en mis niks meer van de sterren."};
  auto f = ComputeLineFeatures(lines, "fr");
  EXPECT_GT(f[0][Feature("stop_share")], f[1][Feature("stop_share")]);
  EXPECT_GT(f[1][Feature("other_stop_share")], 0.3f);
  EXPECT_EQ(f[1][Feature("boiler_phrase")], 1.f);  // "log in"
}

TEST(FeaturesTest, DuplicateLinesAndBoilerWording) {
  std::vector<std::string_view> lines = {"Independer", "Some text here.", "Independer",
                                         "Accept all cookies"};
  auto f = ComputeLineFeatures(lines, "");
  EXPECT_EQ(f[0][Feature("dup_in_doc")], 1.f);
  EXPECT_EQ(f[1][Feature("dup_in_doc")], 0.f);
  EXPECT_EQ(f[3][Feature("boiler_phrase")], 1.f);
  EXPECT_EQ(f[1][Feature("boiler_phrase")], 0.f);
}

// The language-independent features work without any word list: an
// Indonesian page (no stop-word list covers it) still shows its function words
// by their frequency in the document, its menu as a run of short lines of
// one shape, and a line in another script.
TEST(FeaturesTest, LanguageIndependentContext) {
  std::vector<std::string_view> lines = {
      "Beranda", "Berita", "Olahraga", "Kontak",
      "Pemerintah akan membangun jalan baru di desa itu pada tahun ini dan itu akan selesai.",
      "Warga desa itu senang karena jalan yang lama sudah rusak dan itu sangat berbahaya.",
      "Menurut kepala desa, pembangunan jalan itu akan dimulai pada bulan depan di desa.",
      "Новости спорта (12)"};
  auto f = ComputeLineFeatures(lines, "");
  const size_t freq = Feature("freq_share"), run = Feature("short_run");
  EXPECT_GT(f[4][freq], 0.3f);
  EXPECT_EQ(f[0][freq], 0.f);
  EXPECT_FLOAT_EQ(f[1][run], std::log1p(4.f));
  EXPECT_EQ(f[4][run], 0.f);
  EXPECT_EQ(f[1][Feature("same_shape_prev")], 1.f);
  EXPECT_EQ(f[4][Feature("same_shape_prev")], 0.f);
  EXPECT_EQ(f[7][Feature("other_script")], 1.f);
  EXPECT_EQ(f[4][Feature("other_script")], 0.f);
  EXPECT_EQ(f[7][Feature("ends_digit")], 1.f);
  EXPECT_EQ(f[4][Feature("ends_digit")], 0.f);
}

// Teasers after an end marker: long lines after it, headline + lead pairs
// (the shape two lines back, not the previous one), and the distance in lines
// to the nearest other sentence-like line.
TEST(FeaturesTest, TeaserBlockShapes) {
  std::vector<std::string_view> lines = {
      "The minister said on Tuesday that the new road would open next spring.",  // 0
      "Read also",                                                                // 1
      "Storm closes the harbour",                                                 // 2
      "The harbour was closed on Monday after a storm damaged the pier there.",   // 3
      "Prices rise again in spring",                                              // 4
      "Food prices rose for the third month in a row, the office said today.",    // 5
      "Home",                                                                     // 6
      "Contact",                                                                  // 7
      "Jobs"};                                                                    // 8
  auto f = ComputeLineFeatures(lines, "");
  const size_t after = Feature("after_end_long"), alt = Feature("alternating_shape"),
               dist = Feature("c4_distance");
  EXPECT_EQ(f[0][after], 0.f);  // a sentence before the marker
  EXPECT_EQ(f[2][after], 0.f);  // 4 words
  EXPECT_EQ(f[3][after], 1.f);
  EXPECT_EQ(f[5][after], 1.f);
  EXPECT_EQ(f[3][alt], 0.f);    // line 1 is not a headline of the same shape
  EXPECT_EQ(f[4][alt], 1.f);
  EXPECT_EQ(f[5][alt], 1.f);
  EXPECT_EQ(f[7][alt], 0.f);    // same shape as the previous line: a menu
  EXPECT_FLOAT_EQ(f[3][dist], std::log1p(2.f));  // line 5
  EXPECT_FLOAT_EQ(f[4][dist], std::log1p(1.f));
  EXPECT_FLOAT_EQ(f[8][dist], std::log1p(3.f));
}

// The main block: the run of lines with the most sentence-like lines net of
// the others ("Share" inside it is part of it), and how far a line is after
// or before it.
TEST(FeaturesTest, MainBlockOfTheDocument) {
  std::vector<std::string_view> lines = {
      "Home", "News",                                                              // 0 1
      "The council voted on Monday to build a new school near the station.",       // 2
      "Work will start in the spring and should take about two years to finish.",  // 3
      "Share",                                                                     // 4
      "Parents said they had waited for a school in the area for a long time.",    // 5
      "The old building will be turned into a library for the whole town.",       // 6
      "Contact", "Jobs"};                                                          // 7 8
  auto f = ComputeLineFeatures(lines, "");
  const size_t in = Feature("in_block"), after = Feature("after_block"), before = Feature("before_block");
  for (size_t i : {2, 3, 4, 5, 6}) EXPECT_EQ(f[i][in], 1.f) << i;
  for (size_t i : {0, 1, 7, 8}) EXPECT_EQ(f[i][in], 0.f) << i;
  EXPECT_FLOAT_EQ(f[7][after], std::log1p(1.f));
  EXPECT_FLOAT_EQ(f[8][after], std::log1p(2.f));
  EXPECT_EQ(f[6][after], 0.f);
  EXPECT_FLOAT_EQ(f[0][before], std::log1p(2.f));
  EXPECT_FLOAT_EQ(f[1][before], std::log1p(1.f));
  EXPECT_EQ(f[2][before], 0.f);
  // An end marker counts for end_after_block only once the block has begun:
  // "Related" in a top menu does not, "Read also" after the text does.
  auto m = ComputeLineFeatures(
      {"Related", "The council voted on Monday to build a new school near the station.",
       "Work will start in the spring and should take about two years to finish.", "Read also",
       "Parents said they had waited for a school in the area for a long time."},
      "");
  const size_t eab = Feature("end_after_block");
  EXPECT_EQ(m[1][Feature("after_end")], 1.f);
  EXPECT_EQ(m[1][eab], 0.f);
  EXPECT_EQ(m[3][eab], 0.f);
  EXPECT_EQ(m[4][eab], 1.f);
  // No sentence-like line: no block.
  auto g = ComputeLineFeatures({"Home", "News"}, "");
  EXPECT_EQ(g[0][in], 0.f);
  EXPECT_EQ(g[1][after], 0.f);
}

TEST(FeaturesTest, GuessesLanguageFromStopWords) {
  EXPECT_EQ(GuessLanguageByStopWords({"Der Hund und die Katze sind in dem Haus."}), "de");
  EXPECT_EQ(GuessLanguageByStopWords({"Le chien et le chat sont dans la maison."}), "fr");
  EXPECT_EQ(GuessLanguageByStopWords({"12345 67890"}), "");
}

TEST(FeaturesTest, InvalidUtf8DoesNotCrash) {
  std::string bad = "abc\xff\xfe\xc3 d\xe2\x82 \xf0\x9f\x98";
  std::string zeros("x\0y", 3);
  std::vector<std::string_view> lines = {bad, zeros, std::string_view("\xc0\xaf")};
  auto f = ComputeLineFeatures(lines, "xx");
  EXPECT_EQ(f.size(), 3u);
}

TEST(ViterbiTest, TransitionsOverruleAWeakEmission) {
  // Two states; state 1 is slightly likelier at position 1 on its own, but
  // switching costs more than it gains, so the path stays in state 0.
  std::vector<std::vector<double>> em = {{0, -5}, {-0.5, 0}, {0, -5}};
  std::vector<double> start = {std::log(0.5), std::log(0.5)};
  std::vector<std::vector<double>> sticky = {{std::log(0.9), std::log(0.1)},
                                             {std::log(0.1), std::log(0.9)}};
  EXPECT_EQ(ViterbiDecode(em, start, sticky), (std::vector<int>{0, 0, 0}));
  // With free transitions the per-position best wins.
  std::vector<std::vector<double>> free = {{std::log(0.5), std::log(0.5)},
                                           {std::log(0.5), std::log(0.5)}};
  EXPECT_EQ(ViterbiDecode(em, start, free), (std::vector<int>{0, 1, 0}));
  // A strong emission beats the sticky transitions.
  em[1] = {-10, 0};
  EXPECT_EQ(ViterbiDecode(em, start, sticky), (std::vector<int>{0, 1, 0}));
  EXPECT_TRUE(ViterbiDecode({}, start, sticky).empty());
}

TEST(ViterbiTest, AbsorbingTailState) {
  // Three states; tail (2) cannot go back to main (1).
  double no = -1e9;
  std::vector<std::vector<double>> trans = {{std::log(0.8), std::log(0.1), std::log(0.1)},
                                            {std::log(0.1), std::log(0.8), std::log(0.1)},
                                            {no, no, 0.0}};
  std::vector<double> start = {std::log(0.5), std::log(0.5), no};
  std::vector<std::vector<double>> em = {{-3, 0, -3}, {-3, -3, 0}, {-3, 0, -1}, {-3, -3, 0}};
  std::vector<int> path = ViterbiDecode(em, start, trans);
  EXPECT_EQ(path, (std::vector<int>{1, 2, 2, 2}));
}

TEST(ModelTest, EmbeddedModelLoadsAndRoundTrips) {
  auto m = LineModel::Embedded();
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->feature_names, LineFeatureNames());
  auto again = LineModel::Parse(m->Serialize());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->weights.size(), m->weights.size());
  EXPECT_NEAR(again->bias[1], m->bias[1], 1e-6);
}

TEST(ModelTest, HiddenLayerModelRoundTripsAndClassifies) {
  auto base = LineModel::Embedded();
  ASSERT_TRUE(base.ok());
  LineModel m = *base;
  const size_t nf = m.feature_names.size();
  m.hidden = 2;
  m.weights.assign(2, std::vector<double>(nf, 0.0));
  // Unit 0 follows the C4 rule, unit 1 the boilerplate wording.
  for (size_t j = 0; j < nf; ++j) {
    if (m.feature_names[j] == "c4_rule") m.weights[0][j] = 1.0;
    if (m.feature_names[j] == "boiler_phrase") m.weights[1][j] = 1.0;
  }
  m.mean.assign(nf, 0.0);
  m.scale.assign(nf, 1.0);
  m.hidden_bias = {0.0, 0.0};
  m.out_weights = {{0.0, 4.0}, {4.0, -4.0}, {-4.0, 0.0}};
  m.bias = {0, 0, 0};
  m.log_prior = {0, 0, 0};
  m.log_start = {0, 0, 0};
  m.log_trans.assign(3, std::vector<double>(3, 0.0));
  auto parsed = LineModel::Parse(m.Serialize());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->hidden, 2);
  LineClassifier c(*parsed);
  std::vector<std::string_view> lines = {"Share this on Facebook",
                                         "This is a complete sentence with words."};
  LineDecision d = c.Classify(lines, "en");
  EXPECT_FALSE(d.keep[0]);
  EXPECT_TRUE(d.keep[1]);
}

TEST(ModelTest, MissingFileIsNotFound) {
  auto m = LineModel::LoadFile("/nonexistent/lines.model");
  EXPECT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), Status::Code::kNotFound);
}

TEST(ModelTest, CorruptFileIsCorrupt) {
  std::string path = std::string(WINNOW_BINARY_DIR) + "/text_corrupt_lines.model";
  for (const std::string& text :
       {std::string(""), std::string("hello world\n"), std::string("winnow-lines-model 1\nfeatures 2\nf a 0 1 1 2\n"),
        std::string("winnow-lines-model 1\nfeatures 1\nf a 0 -1 1 2 3\nend\n"),
        std::string("winnow-lines-model 1\nfeatures 1\nf a 0 1 1 2 3\nbias 1 2\nend\n")}) {
    std::ofstream(path, std::ios::binary) << text;
    auto m = LineModel::LoadFile(path);
    EXPECT_FALSE(m.ok()) << text;
    EXPECT_EQ(m.status().code(), Status::Code::kCorrupt) << text << " -> " << m.status().ToString();
  }
  // Truncating the real model anywhere must fail cleanly.
  auto good = LineModel::Embedded();
  ASSERT_TRUE(good.ok());
  std::string full = good->Serialize();
  for (size_t cut : {full.size() / 3, full.size() / 2, full.size() - 5}) {
    EXPECT_FALSE(LineModel::Parse(full.substr(0, cut)).ok()) << cut;
  }
}

TEST(ModelTest, OtherFeatureSetIsRejected) {
  auto m = LineModel::Parse(
      "winnow-lines-model 1\nstates boiler main tail\nfeatures 1\nf a 0 1 1 2 3\n"
      "bias 0 0 0\nlog_prior 0 0 0\nlog_start 0 0 0\nlog_trans 0 0 0 0 0 0 0 0 0\nend\n");
  EXPECT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), Status::Code::kInvalidArgument);
}

TEST(ModelTest, StageReportsABadModelPath) {
  StageRegistry registry;
  RegisterTextStages(&registry);
  Config c;
  c.Set("text.lines.model", "/nonexistent/lines.model");
  auto stage = registry.Create("text.lines", c);
  EXPECT_FALSE(stage.ok());
  EXPECT_EQ(stage.status().code(), Status::Code::kNotFound);
}

TEST(LinesStageTest, RejectsADocumentWithoutMainText) {
  auto stage = MakeLinesStage();
  ASSERT_NE(stage, nullptr);
  Document doc;
  doc.kind = DocKind::kText;
  doc.raw = "-\n\n|\n";
  stage->Process(doc);
  EXPECT_FALSE(doc.decision.keep);
  EXPECT_EQ(doc.decision.reason, "no_main_text");
  Document empty;
  empty.kind = DocKind::kText;
  stage->Process(empty);
  EXPECT_FALSE(empty.decision.keep);
}

TEST(LinesStageTest, KeepsAPlainArticleAndDropsChrome) {
  auto stage = MakeLinesStage();
  ASSERT_NE(stage, nullptr);
  Document doc;
  doc.kind = DocKind::kText;
  doc.raw =
      "Home | News | Sport | Contact\n"
      "Log in\n"
      "The council voted on Tuesday to extend the opening hours of the public library, "
      "after months of debate about its budget and staff.\n"
      "The new hours will start in March, and the library will also open on Sunday "
      "afternoons for the first time in its history.\n"
      "Residents welcomed the decision, which they had asked for in a petition signed by "
      "more than two thousand people.\n"
      "Share on Facebook\n"
      "Copyright 2024 Example News. All rights reserved.\n";
  stage->Process(doc);
  ASSERT_TRUE(doc.decision.keep);
  std::string text = doc.Text();
  EXPECT_NE(text.find("The council voted"), std::string::npos);
  EXPECT_NE(text.find("Residents welcomed"), std::string::npos);
  EXPECT_EQ(text.find("Home | News"), std::string::npos);
  EXPECT_EQ(text.find("All rights reserved"), std::string::npos);
}

TEST(LinesStageTest, HugeDocumentIsClassifiedInPieces) {
  auto model = LineModel::Embedded();
  ASSERT_TRUE(model.ok());
  LineClassifier c(*model);
  std::vector<std::string> storage;
  for (int i = 0; i < 250000; ++i) storage.push_back(i % 2 ? "Menu" : "A real sentence with several words in it.");
  std::vector<std::string_view> lines(storage.begin(), storage.end());
  LineDecision d = c.Classify(lines, "");
  ASSERT_EQ(d.keep.size(), lines.size());
  ASSERT_EQ(d.state.size(), lines.size());
}

TEST(LinesStageTest, HtmlBlocksOnlyWhenAsked) {
  Document doc;
  doc.kind = DocKind::kHtml;
  Block b;
  b.text = "Home | News";
  doc.blocks.push_back(b);
  auto off = MakeLinesStage();
  off->Process(doc);
  EXPECT_TRUE(doc.blocks[0].keep);
  Config c;
  c.Set("text.lines.apply_to_html", "true");
  auto on = MakeLinesStage(c);
  on->Process(doc);
  EXPECT_FALSE(doc.blocks[0].keep);
}

}  // namespace
}  // namespace winnow
