#include "winnow/langid.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

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
// Latin letters outside ASCII count as Latin; the counts of the other
// scripts are only compared when some letter was in one.
TEST(DominantScript, NonAsciiLatinAndOneOtherLetter) {
  EXPECT_EQ(DominantScript("\xC3\xA9t\xC3\xA9 \xC3\xA0 \xC3\xBC"), "Latn");
  EXPECT_EQ(DominantScript("\xC3\xA9 \xD0\xB4\xD0\xB4"), "Cyrl");
  EXPECT_EQ(DominantScript("\xD0\xB4"), "Cyrl");
  EXPECT_EQ(DominantScript("12 \xC2\xA9 !"), "");
}

TEST(DominantScript, CountsAsciiLettersExactlyAtAnyAlignment) {
  std::string cyrillic;
  for (int k = 0; k < 12; ++k) cyrillic += "\xD0\xB6";  // 12 x U+0436
  for (int pad = 0; pad < 9; ++pad) {
    const std::string lead(static_cast<size_t>(pad), ' ');
    const std::string latin = "@[`{AZaz@[`{BYby@[`{CXcx";  // 12 letters
    EXPECT_EQ(DominantScript(lead + latin + "!~\x7f" "0129 " + cyrillic), "Cyrl") << pad;
    EXPECT_EQ(DominantScript(lead + latin + "q" + cyrillic), "Latn") << pad;
    EXPECT_EQ(DominantScript(cyrillic + lead + latin + "q"), "Latn") << pad;
    EXPECT_EQ(DominantScript(lead + latin + cyrillic.substr(2)), "Latn") << pad;
    EXPECT_EQ(DominantScript(lead + "@[`{@[`{" + cyrillic.substr(0, 2) + "@[`{"), "Cyrl") << pad;
  }
  EXPECT_EQ(DominantScript("@[`{@[`{!!!!"), "");
}

TEST(LanguageSample, ShortTextWholeAndZeroMeansAll) {
  const std::string text = "Le pr\xC3\xA9sident a propos\xC3\xA9 un sommet.";
  EXPECT_EQ(LanguageSample(text, text.size()), text);
  EXPECT_EQ(LanguageSample(text, 0), text);
  EXPECT_EQ(LanguageSample("", 10), "");
}

// Pieces from the middle of each of k equal slices, in order, whole words,
// at most max_bytes in all.
TEST(LanguageSample, PiecesSpreadEvenlyOfWholeWords) {
  std::string text;
  for (int i = 0; i < 10000; ++i) {
    char w[16];
    std::snprintf(w, sizeof w, "w%04d%c", i, i % 13 == 12 ? '\n' : ' ');
    text += w;  // 6 bytes a word: word i at byte 6 * i
  }
  for (size_t max_bytes : {100, 256, 2000, 5000}) {
    const std::string s = LanguageSample(text, max_bytes);
    ASSERT_LE(s.size(), max_bytes);
    ASSERT_GE(s.size(), max_bytes * 3 / 4) << max_bytes;
    const size_t k = std::max<size_t>(1, max_bytes / 256);
    size_t pieces = 1;
    for (char c : s) pieces += c == '\n';
    std::vector<int> words;
    std::istringstream in(s);
    for (std::string w; in >> w;) {
      ASSERT_EQ(w.size(), 5u) << w;
      ASSERT_EQ(w[0], 'w') << w;
      words.push_back(std::stoi(w.substr(1)));
    }
    ASSERT_FALSE(words.empty());
    for (size_t i = 1; i < words.size(); ++i) EXPECT_LT(words[i - 1], words[i]);
    // The words of each slice (10000 / k of them) are in the sample, from its middle.
    for (size_t j = 0; j < k; ++j) {
      const int lo = static_cast<int>(10000 * j / k), hi = static_cast<int>(10000 * (j + 1) / k);
      const int mid = (lo + hi) / 2;
      EXPECT_NE(std::find(words.begin(), words.end(), mid), words.end()) << max_bytes << " " << j;
    }
    EXPECT_GE(pieces, k);  // the text's own newlines split pieces further
  }
}

// Text without blanks (CJK) is cut on code point boundaries.
// The form that fills a caller's string gives the same bytes whatever the
// string held before (a longer sample, a short text read whole).
TEST(LanguageSample, IntoAStringThatIsReused) {
  std::string long_text, short_text = "ein kurzer Text";
  for (int i = 0; i < 400; ++i) long_text += "word" + std::to_string(i) + " of the long text ";
  std::string sample = "left over from before";
  for (const std::string* t : {&long_text, &short_text, &long_text}) {
    for (size_t max : {size_t{0}, size_t{100}, size_t{2000}}) {
      LanguageSample(*t, max, kLanguageSamplePieceBytes, &sample);
      EXPECT_EQ(sample, LanguageSample(*t, max)) << t->size() << " " << max;
    }
  }
}

TEST(LanguageSample, TextWithoutBlanksIsCutOnCodePoints) {
  std::string text;
  for (int i = 0; i < 4000; ++i) text += "\xE4\xB8\xAD\xE6\x96\x87";  // U+4E2D U+6587
  for (size_t max_bytes : {7, 1000, 2000, 2001}) {
    const std::string s = LanguageSample(text, max_bytes);
    ASSERT_LE(s.size(), max_bytes);
    ASSERT_FALSE(s.empty());
    std::istringstream in(s);
    for (std::string piece; std::getline(in, piece);) {
      ASSERT_FALSE(piece.empty());
      EXPECT_EQ(piece.size() % 3, 0u) << max_bytes;
      EXPECT_EQ(static_cast<unsigned char>(piece[0]) & 0xC0, 0xC0) << max_bytes;
    }
  }
}

// A page that starts with 2.5 KB of English and goes on in French for 7 KB.
std::string EnglishThenFrench() {
  const char* en[] = {
      "The city council met on Tuesday evening to discuss the new budget for the coming year.",
      "Several residents asked the council to keep the swimming pool open through the summer.",
      "The mayor said the city would look for ways to pay for the repairs without new taxes.",
      "Council members also approved a plan to plant two hundred trees along the main street."};
  const char* fr[] = {
      "Le conseil municipal s'est r\xC3\xA9uni mardi soir pour discuter du nouveau budget.",
      "Plusieurs habitants ont demand\xC3\xA9 de garder la piscine ouverte "
      "pendant l'\xC3\xA9t\xC3\xA9.",
      "Le maire a dit que la ville cherchera comment payer les travaux sans "
      "nouveaux imp\xC3\xB4ts.",
      "Les \xC3\xA9lus ont aussi approuv\xC3\xA9 un plan pour planter deux cents arbres en ville."};
  std::string text;
  for (int i = 0; text.size() < 2500; ++i) {
    text += std::string(en[i % 4]) + " Line " + std::to_string(i) + ".\n";
  }
  const size_t english = text.size();
  for (int i = 0; text.size() < english + 7000; ++i) {
    text += std::string(fr[i % 4]) + " Ligne " + std::to_string(i) + ".\n";
  }
  return text;
}

Annotations RunLangid(const std::string& text,
                      const std::vector<std::pair<std::string, std::string>>& set) {
  Document doc;
  doc.SetTextLines(text);
  Config c;
  for (const auto& [k, v] : set) c.Set(k, v);
  MakeStage(c)->Process(doc);
  return doc.annotations;
}

// langid.doc_sample_bytes: the document's language is read from pieces
// across the whole text, not its first bytes (which are English here).
TEST(LangidStage, DocumentSampleSpansTheWholeText) {
  const std::string text = EnglishThenFrench();
  ASSERT_EQ(DetectLanguage(text.substr(0, 2000)).lang, "en");
  const Annotations all = RunLangid(text, {{"langid.doc_sample_bytes", "0"}});
  const Annotations sampled = RunLangid(
      text, {{"langid.doc_sample_bytes", "2000"}, {"langid.doc_sample_share", "0"}});
  EXPECT_EQ(all.lang, "fr");
  EXPECT_EQ(sampled.lang, "fr");
  EXPECT_EQ(sampled.script, "Latn");
  ASSERT_EQ(sampled.lang_shares.count("en"), 1u);
  EXPECT_NEAR(sampled.lang_shares.at("fr"), all.lang_shares.at("fr"), 0.1);
  EXPECT_NEAR(sampled.lang_shares.at("en"), all.lang_shares.at("en"), 0.1);
  EXPECT_NE(sampled.lang_shares, all.lang_shares);  // the sample was read, not the text
}

// langid.doc_sample_share: a sample whose top language is under the share
// (a mixed document, where the shares decide whether blocks can be foreign)
// is read again whole: the same result as without a sample.
TEST(LangidStage, DocumentSampleNotClearCutIsReadWhole) {
  const std::string text = EnglishThenFrench();
  const Annotations all = RunLangid(text, {{"langid.doc_sample_bytes", "0"}});
  const Annotations dflt = RunLangid(text, {});
  EXPECT_EQ(dflt.lang, all.lang);
  EXPECT_EQ(dflt.lang_shares, all.lang_shares);
  EXPECT_EQ(dflt.lang_confidence, all.lang_confidence);
  // A one-language text that long is clear-cut on its sample.
  std::string fr;
  while (fr.size() < 9000) fr += text.substr(text.find("Le conseil"), 2000);
  const Annotations one = RunLangid(fr, {});
  EXPECT_EQ(one.lang, "fr");
  EXPECT_GE(one.lang_confidence, 0.95);
}

// Under doc_sample_bytes the text is read whole, as before.
TEST(LangidStage, DocumentSampleLeavesShortTextsAlone) {
  const std::string text =
      "Le pr\xC3\xA9sident am\xC3\xA9ricain a propos\xC3\xA9 un sommet dans un pays tiers "
      "dans les prochains mois.\nIl a pr\xC3\xA9" "cis\xC3\xA9 que la Maison Blanche "
      "pr\xC3\xA9parait la rencontre depuis plusieurs semaines.";
  Document doc;
  doc.SetTextLines(text);
  Config c;
  c.Set("langid.doc_sample_bytes", std::to_string(text.size()));
  MakeStage(c)->Process(doc);
  const LangGuess g = DetectLanguage(text);
  EXPECT_EQ(doc.annotations.lang, g.lang);
  EXPECT_EQ(doc.annotations.lang_confidence, g.confidence);
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

// Four German lines about one show: the screen tests' document.
const char kRostockShow[] =
    "Die Fishing Masters Show kommt im Mai wieder nach Rostock, und die Veranstalter erwarten "
    "in diesem Jahr mehr Besucher als je zuvor in der Stadt.\n"
    "Auf der Show in Rostock zeigen im Mai \xC3\xBC" "ber hundert Aussteller neue Ruten, Rollen "
    "und Boote, und an jedem Tag gibt es Vortr\xC3\xA4ge f\xC3\xBCr Anf\xC3\xA4nger und Profis.\n"
    "Wer die Show im Mai besuchen m\xC3\xB6" "chte, sollte die Karten fr\xC3\xBCh kaufen, denn in "
    "den letzten Jahren waren die Tage in Rostock schnell ausverkauft.\n"
    "Die Masters der Show stellen sich im Mai in Rostock den Fragen der Besucher, und am Abend "
    "gibt es in der Halle ein gemeinsames Essen f\xC3\xBCr alle G\xC3\xA4ste.\n";

// A one-language document's blocks made of its most frequent words take its
// language without a CLD2 call of their own (langid.screen_share): the page's
// title below, names and all, stays German; alone, CLD2 calls it English and
// the block check drops it (screen_share = 0, every block checked).
TEST(LangidStage, ScreenKeepsALineMadeOfTheDocumentsWords) {
  const std::string text = std::string(kRostockShow) +
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

// At the default screen_share (0.2) a line two of whose nine words are the
// document's frequent words ("in", "Rostock") takes the document's language
// without a CLD2 call; at 0.25 (the default before 2026-12-02) it got its own
// call, was called English and dropped (doc/langid.md: lowered after
// measuring).
TEST(LangidStage, ScreenShareDefaultSparesALineWithTwoOfNineTopWords) {
  const std::string text = std::string(kRostockShow) +
      "Die Stadt Rostock hat f\xC3\xBCr die Tage der Show im Mai zus\xC3\xA4tzliche Busse und "
      "Bahnen bestellt, damit die Besucher bequem in die Hallen am Hafen kommen.\n"
      "In den Hotels der Stadt sind f\xC3\xBCr die Woche der Show im Mai nur noch wenige Zimmer "
      "frei, und viele Besucher wohnen deshalb in den Orten rund um Rostock.\n"
      "Great food and drinks for everyone in Rostock today";
  auto run = [&](const char* screen_share) {
    Document doc;
    doc.SetTextLines(text);
    Config c;
    if (screen_share) c.Set("langid.screen_share", screen_share);
    MakeStage(c)->Process(doc);
    return doc;
  };
  Document by_default = run(nullptr);
  ASSERT_EQ(by_default.annotations.lang, "de");
  EXPECT_TRUE(by_default.blocks.back().keep);
  EXPECT_EQ(by_default.blocks.back().lang, "de");
  Document before = run("0.25");
  ASSERT_EQ(before.annotations.lang, "de");
  EXPECT_EQ(before.blocks.back().lang, "en");
  EXPECT_FALSE(before.blocks.back().keep);
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

// The screen's word table is kept by each thread from one document to the
// next (only the last document's slots are cleared): a document's blocks come
// out the same after a longer document as on a fresh thread.
TEST(LangidStage, ScreenResultsDoNotDependOnThePreviousDocument) {
  const std::string english =
      "The city council met on Tuesday evening to discuss the new budget for the coming year, "
      "which includes more money for schools, roads and the public library.\n"
      "Several residents spoke during the public comment period, asking the council to keep the "
      "swimming pool open through the summer months and to repair the old bridge.\n"
      "Gratis onbeperkt toegang tot Showbytes? Dat kan!\n"
      "The mayor said that the city would look for ways to pay for the repairs without raising "
      "taxes, and that a final vote on the budget is expected next month.";
  std::string german;
  for (int i = 0; i < 60; ++i) {
    german += "Die Stadt " + std::to_string(i) +
              " plant neue Wege f\xC3\xBCr Radfahrer, und der Rat will im Herbst \xC3\xBC"
              "ber die Kosten der Br\xC3\xBC" "cken und Stra\xC3\x9F" "en entscheiden.\n";
  }
  german += "Das Rathaus ist am Montag geschlossen, und die B\xC3\xBC" "rger k\xC3\xB6nnen "
            "ihre Fragen auch per Post schicken.";
  auto blocks = [](const Document& d) {
    std::vector<std::string> out;
    for (const Block& b : d.blocks) out.push_back(b.lang + (b.keep ? "+" : "-"));
    return out;
  };
  auto process = [](const std::string& text) {
    Document doc;
    doc.SetTextLines(text);
    MakeStage(Config())->Process(doc);
    return doc;
  };
  Document alone;
  std::thread([&] { alone = process(english); }).join();
  ASSERT_EQ(alone.annotations.lang, "en");
  EXPECT_EQ(alone.blocks[2].drop_reason, "langid.foreign_block");
  Document before = process(german);
  ASSERT_EQ(before.annotations.lang, "de");
  Document after = process(english);
  EXPECT_EQ(blocks(after), blocks(alone));
  Document german_alone;
  std::thread([&] { german_alone = process(german); }).join();
  EXPECT_EQ(blocks(process(german)), blocks(german_alone));
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
