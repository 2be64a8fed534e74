#include "winnow/langid.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "langid/langid_stages.h"
#include "winnow/stage.h"

namespace winnow {
namespace {

std::unique_ptr<Stage> MakeStage(const Config& full) {
  StageRegistry r;
  RegisterLangidStages(&r);
  auto s = r.Create("langid", full);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(s).value();
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

TEST(NormalizeLangCode, MapsLegacyAndExtendedCodes) {
  EXPECT_EQ(NormalizeLangCode("iw"), "he");
  EXPECT_EQ(NormalizeLangCode("zh-Hant"), "zh");
  EXPECT_EQ(NormalizeLangCode("xx-Cham"), "un");
  EXPECT_EQ(NormalizeLangCode(""), "un");
  EXPECT_EQ(NormalizeLangCode("fr"), "fr");
}

TEST(DetectLanguage, FrenchEnglishGermanRussian) {
  LangGuess fr = DetectLanguage(
      "Le président américain a proposé un sommet dans un pays tiers dans les prochains mois "
      "pour discuter de toute une série de sujets, a précisé la Maison Blanche.");
  EXPECT_EQ(fr.lang, "fr");
  EXPECT_EQ(fr.script, "Latn");
  EXPECT_TRUE(fr.reliable);
  EXPECT_GT(fr.confidence, 0.8);
  LangGuess en = DetectLanguage(
      "The quick brown fox jumps over the lazy dog while the farmer watches from the porch "
      "and wonders whether it will rain before the harvest is in.");
  EXPECT_EQ(en.lang, "en");
  LangGuess ru = DetectLanguage(
      "Президент России заявил, что страна будет защищать свои интересы и работать с "
      "партнерами там, где это выгодно.");
  EXPECT_EQ(ru.lang, "ru");
  EXPECT_EQ(ru.script, "Cyrl");
}

TEST(DetectLanguage, EmptyAndGarbageAreUnknownAndDoNotCrash) {
  EXPECT_EQ(DetectLanguage("").lang, "un");
  EXPECT_EQ(DetectLanguage("12345 ... !!! 678").lang, "un");
  EXPECT_EQ(DetectLanguage("12345").confidence, 0);
  std::string bad = "caf\xC3 \xFF\xFE Le président a proposé un sommet dans un pays tiers.";
  LangGuess g = DetectLanguage(bad);  // invalid UTF-8 must not crash
  EXPECT_GE(g.confidence, 0);
  EXPECT_LE(g.confidence, 1);
}

TEST(DetectLanguage, SharesOfMixedText) {
  std::string text =
      "Le président américain a proposé un sommet dans un pays tiers dans les prochains mois "
      "pour discuter de toute une série de sujets, a précisé la Maison Blanche. "
      "Der Bundestag hat am Donnerstag ein neues Gesetz beschlossen, das die Rechte der "
      "Mieter in den großen Städten deutlich stärken soll.";
  LangGuess g = DetectLanguage(text);
  ASSERT_GE(g.shares.size(), 2u);
  double sum = 0;
  bool has_fr = false, has_de = false;
  for (const auto& [l, s] : g.shares) {
    sum += s;
    has_fr |= l == "fr";
    has_de |= l == "de";
  }
  EXPECT_TRUE(has_fr);
  EXPECT_TRUE(has_de);
  EXPECT_LE(sum, 1.0001);
}

// Latin letters are counted eight ASCII bytes at a time: the bytes next to
// the letter ranges ('@', '[', '`', '{') are not letters, at any alignment.
// A tie goes to the lower script code (Cyrillic before Latin), so one
// letter miscounted either way changes the answer.
TEST(DominantScript, CountsAsciiLettersExactlyAtAnyAlignment) {
  std::string cyrillic;
  for (int k = 0; k < 12; ++k) cyrillic += "\xD0\xB6";  // 12 x U+0436
  for (int pad = 0; pad < 9; ++pad) {
    const std::string lead(static_cast<size_t>(pad), ' ');
    const std::string latin = "@[`{AZaz@[`{BYby@[`{CXcx";  // 12 letters
    EXPECT_EQ(DominantScript(lead + latin + "!~\x7f0129 " + cyrillic), "Cyrl") << pad;
    EXPECT_EQ(DominantScript(lead + latin + "q" + cyrillic), "Latn") << pad;
    EXPECT_EQ(DominantScript(cyrillic + lead + latin + "q"), "Latn") << pad;
    EXPECT_EQ(DominantScript(lead + latin + cyrillic.substr(2)), "Latn") << pad;
    EXPECT_EQ(DominantScript(lead + "@[`{@[`{" + cyrillic.substr(0, 2) + "@[`{"), "Cyrl") << pad;
  }
  EXPECT_EQ(DominantScript("@[`{@[`{!!!!"), "");
}

TEST(LangidStage, SeedPageDropsTheDutchPromoLine) {
  std::string text;
  if (!ReadFile(std::string(WINNOW_SHARED_DIR) + "/seed/biden-poutine-sommet.txt", &text)) {
    GTEST_SKIP() << "shared data not found at " << WINNOW_SHARED_DIR
                 << "/seed (set WINNOW_SHARED_DIR to the ../shared folder)";
  }
  Document doc;
  doc.SetTextLines(text);
  auto stage = MakeStage(Config());
  stage->Process(doc);
  EXPECT_TRUE(doc.decision.keep);
  EXPECT_EQ(doc.annotations.lang, "fr");
  EXPECT_EQ(doc.annotations.script, "Latn");
  EXPECT_GE(doc.annotations.lang_confidence, 0.9);
  EXPECT_GT(doc.annotations.lang_shares["fr"], 0.9);
  bool found = false;
  for (const Block& b : doc.blocks) {
    if (b.text == "Gratis onbeperkt toegang tot Showbytes? Dat kan!") {
      found = true;
      EXPECT_FALSE(b.keep);
      EXPECT_EQ(b.drop_reason, "langid.foreign_block");
      EXPECT_EQ(b.lang, "nl");
    }
  }
  EXPECT_TRUE(found);
  // The article itself (lines 1-7) stays, and is French.
  for (size_t i = 0; i < 7; ++i) {
    EXPECT_TRUE(doc.blocks[i].keep) << doc.blocks[i].text;
    EXPECT_EQ(doc.blocks[i].lang, "fr") << doc.blocks[i].text;
  }
}

// A one-language document's blocks made of its most frequent words take its
// language without a CLD2 call of their own (langid.screen_share): the page's
// title below, names and all, stays German; alone, CLD2 calls it English and
// the block check drops it (screen_share = 0, every block checked).
TEST(LangidStage, ScreenKeepsALineMadeOfTheDocumentsWords) {
  const std::string text =
      "Die Fishing Masters Show kommt im Mai wieder nach Rostock, und die Veranstalter erwarten "
      "in diesem Jahr mehr Besucher als je zuvor in der Stadt.\n"
      "Auf der Show in Rostock zeigen im Mai \xC3\xBC" "ber hundert Aussteller neue Ruten, Rollen "
      "und Boote, und an jedem Tag gibt es Vortr\xC3\xA4ge f\xC3\xBCr Anf\xC3\xA4nger und Profis.\n"
      "Wer die Show im Mai besuchen m\xC3\xB6" "chte, sollte die Karten fr\xC3\xBCh kaufen, denn in "
      "den letzten Jahren waren die Tage in Rostock schnell ausverkauft.\n"
      "Die Masters der Show stellen sich im Mai in Rostock den Fragen der Besucher, und am Abend "
      "gibt es in der Halle ein gemeinsames Essen f\xC3\xBCr alle G\xC3\xA4ste.\n"
      "Fishing Masters Show in Rostock im Mai 2022";
  auto run = [&](const char* screen_share) {
    Document doc;
    doc.SetTextLines(text);
    Config c;
    c.Set("langid.screen_share", screen_share);
    MakeStage(c)->Process(doc);
    return doc;
  };
  Document screened = run("0.25");
  ASSERT_EQ(screened.annotations.lang, "de");
  EXPECT_TRUE(screened.blocks.back().keep);
  EXPECT_EQ(screened.blocks.back().lang, "de");
  Document all = run("0");
  ASSERT_EQ(all.annotations.lang, "de");
  EXPECT_FALSE(all.blocks.back().keep);
  EXPECT_EQ(all.blocks.back().lang, "en");
  for (size_t i = 0; i + 1 < all.blocks.size(); ++i) {
    EXPECT_TRUE(screened.blocks[i].keep);
    EXPECT_EQ(screened.blocks[i].lang, "de");
  }
}

// A foreign line has none of the document's frequent words: it still gets
// its CLD2 call and is dropped (the seed page's case, in an English page).
TEST(LangidStage, ScreenStillChecksAForeignLine) {
  const std::string text =
      "The city council met on Tuesday evening to discuss the new budget for the coming year, "
      "which includes more money for schools, roads and the public library.\n"
      "Several residents spoke during the public comment period, asking the council to keep the "
      "swimming pool open through the summer months and to repair the old bridge.\n"
      "The mayor said that the city would look for ways to pay for the repairs without raising "
      "taxes, and that a final vote on the budget is expected next month.\n"
      "Gratis onbeperkt toegang tot Showbytes? Dat kan!\n"
      "Council members also approved a plan to plant two hundred trees along the main street, "
      "a project that local businesses have supported for several years.";
  Document doc;
  doc.SetTextLines(text);
  MakeStage(Config())->Process(doc);
  ASSERT_EQ(doc.annotations.lang, "en");
  ASSERT_EQ(doc.blocks.size(), 5u);
  EXPECT_FALSE(doc.blocks[3].keep);
  EXPECT_EQ(doc.blocks[3].lang, "nl");
  EXPECT_EQ(doc.blocks[3].drop_reason, "langid.foreign_block");
  for (size_t i : {0, 1, 2, 4}) {
    EXPECT_TRUE(doc.blocks[i].keep);
    EXPECT_EQ(doc.blocks[i].lang, "en");
  }
}

TEST(LangidStage, OptionOffKeepsForeignBlocks) {
  std::string text;
  if (!ReadFile(std::string(WINNOW_SHARED_DIR) + "/seed/biden-poutine-sommet.txt", &text)) {
    GTEST_SKIP() << "shared data not found at " << WINNOW_SHARED_DIR << "/seed";
  }
  Document doc;
  doc.SetTextLines(text);
  Config c;
  c.Set("langid.drop_foreign_blocks", "false");
  MakeStage(c)->Process(doc);
  for (const Block& b : doc.blocks) EXPECT_TRUE(b.keep) << b.text;
}

TEST(LangidStage, ShortBlocksInheritDocumentLanguage) {
  Document doc;
  doc.SetTextLines(
      "Le président américain a proposé un sommet dans un pays tiers dans les prochains mois.\n"
      "OK\n"
      "Pour autant, le président a assuré vouloir bâtir une relation stable avec la Russie.");
  MakeStage(Config())->Process(doc);
  EXPECT_EQ(doc.blocks[1].lang, "fr");
  EXPECT_TRUE(doc.blocks[1].keep);
}

TEST(LangidStage, SingleBlockTakesTheDocumentResult) {
  Document doc;
  doc.SetTextLines(
      "Der Bundestag hat am Donnerstag ein neues Gesetz beschlossen, das die Rechte der Mieter "
      "in den großen Städten deutlich stärken soll.");
  MakeStage(Config())->Process(doc);
  ASSERT_EQ(doc.blocks.size(), 1u);
  EXPECT_EQ(doc.annotations.lang, "de");
  EXPECT_EQ(doc.blocks[0].lang, "de");
  EXPECT_TRUE(doc.blocks[0].keep);
}

TEST(LangidStage, AllowListRejectsOtherLanguages) {
  Document doc;
  doc.SetTextLines(
      "The quick brown fox jumps over the lazy dog while the farmer watches from the porch "
      "and wonders whether it will rain before the harvest is in.");
  Config c;
  c.Set("langid.languages", "fr,de");
  MakeStage(c)->Process(doc);
  EXPECT_FALSE(doc.decision.keep);
  EXPECT_EQ(doc.decision.stage, "langid");
  EXPECT_EQ(doc.decision.reason, "language_not_allowed");

  Document ok;
  ok.SetTextLines(doc.blocks[0].text);
  c.Set("langid.languages", "en");
  MakeStage(c)->Process(ok);
  EXPECT_TRUE(ok.decision.keep);
}

TEST(LangidStage, MinConfidenceRejectsUnknown) {
  Document doc;
  doc.SetTextLines("1234 5678 !!!");
  Config c;
  c.Set("langid.min_confidence", "0.5");
  MakeStage(c)->Process(doc);
  EXPECT_FALSE(doc.decision.keep);
  EXPECT_EQ(doc.decision.reason, "low_language_confidence");
}

TEST(LangidStage, BadConfigIsAnError) {
  StageRegistry r;
  RegisterLangidStages(&r);
  Config c;
  c.Set("langid.min_confidence", "2");
  EXPECT_FALSE(r.Create("langid", c).ok());
}

}  // namespace
}  // namespace winnow
