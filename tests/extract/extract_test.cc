// Tests of winnow::Extract: golden pages (tests/extract/golden/<name>.html ->
// <name>.txt and, where present, <name>.md), renderers, metadata, the
// "extract" stage, hostile input, and the evaluation metrics.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "base/json_escape.h"
#include "eval_metrics.h"
#include "extract/extract_stages.h"
#include "winnow/extract.h"
#include "winnow/stage.h"
#include "../test_files.h"

namespace winnow {
namespace {

namespace fs = std::filesystem;

using winnow::testing::ReadFile;

std::string StripTrailingNewlines(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

const fs::path kGolden = fs::path(WINNOW_SOURCE_DIR) / "tests/extract/golden";

ExtractResult MustExtract(const std::string& html, const ExtractOptions& o = {}) {
  StatusOr<ExtractResult> r = Extract(html, "https://example.org/page", o);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r.value()) : ExtractResult();
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, TextMatches) {
  const std::string name = GetParam();
  const std::string html = ReadFile(kGolden / (name + ".html"));
  ASSERT_FALSE(html.empty());
  ExtractResult r = MustExtract(html);
  EXPECT_EQ(RenderText(r), StripTrailingNewlines(ReadFile(kGolden / (name + ".txt"))))
      << "golden " << name;
  EXPECT_TRUE(r.reason.empty());
  EXPECT_EQ(r.blocks.size(), r.inlines.size());
}

TEST_P(GoldenTest, MarkdownMatchesWherePresent) {
  const std::string name = GetParam();
  const fs::path md = kGolden / (name + ".md");
  if (!fs::exists(md)) GTEST_SKIP() << "no " << md;
  ExtractResult r = MustExtract(ReadFile(kGolden / (name + ".html")));
  EXPECT_EQ(StripTrailingNewlines(RenderMarkdown(r)), StripTrailingNewlines(ReadFile(md)));
}

std::vector<std::string> GoldenNames() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kGolden)) {
    if (entry.path().extension() == ".html") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenTest, ::testing::ValuesIn(GoldenNames()),
                         [](const auto& info) { return info.param; });

TEST(Extract, CommentsIncludedWhenAsked) {
  ExtractOptions o;
  o.include_comments = true;
  ExtractResult r = MustExtract(ReadFile(kGolden / "comments.html"), o);
  EXPECT_EQ(RenderText(r), StripTrailingNewlines(ReadFile(kGolden / "comments.with_comments.txt")));
}

TEST(Extract, HeadlineAboveTheBodyWhenAsked) {
  const std::string html =
      "<html><body><div class=\"top\"><h1>Storm closes the mountain pass</h1>"
      "<div class=\"byline\">By A. Reporter</div></div><div class=\"article-body\">"
      "<p>The pass was closed on Tuesday after a storm left more than a metre of snow on the "
      "road, and the police asked drivers to wait in the valley until it is cleared.</p>"
      "<p>Snowploughs worked through the night, but the road will stay closed until the "
      "avalanche risk has been assessed, which may take two more days.</p></div></body></html>";
  const std::string plain = RenderText(MustExtract(html));
  EXPECT_EQ(plain.find("Storm closes"), std::string::npos) << plain;
  ExtractOptions o;
  o.include_title = true;
  ExtractResult r = MustExtract(html, o);
  ASSERT_FALSE(r.blocks.empty());
  EXPECT_EQ(r.blocks[0].text, "Storm closes the mountain pass");
  EXPECT_EQ(r.blocks[0].kind, BlockKind::kHeading);
  EXPECT_EQ(RenderText(r).find("A. Reporter"), std::string::npos);
}

TEST(Extract, LeadParagraphAboveTheBodyIsKept) {
  const std::string html =
      "<html><body><div class=\"top\"><h1>Storm closes the pass</h1>"
      "<p>A metre of fresh snow and a high avalanche risk have closed the mountain pass, and "
      "nobody can say when it will open again.</p>"
      "<figure><img src=\"a.jpg\"><figcaption>A snowplough waits at the barrier below the pass "
      "on Tuesday morning, seen from the valley road.</figcaption></figure>"
      "<div class=\"date\">12 March</div></div>"
      "<div class=\"article-body\">"
      "<p>The pass was closed on Tuesday after a storm left more than a metre of snow on the "
      "road, and the police asked drivers to wait in the valley until it is cleared.</p>"
      "<p>Snowploughs worked through the night, but the road will stay closed until the "
      "avalanche risk has been assessed, which may take two more days.</p>"
      "<p>Hotels in the valley have offered rooms at reduced prices to the drivers who are "
      "stuck, and the local school has opened its gym for those who cannot pay.</p>"
      "</div></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("A metre of fresh snow"), std::string::npos) << text;
  EXPECT_NE(text.find("Hotels in the valley"), std::string::npos) << text;
  EXPECT_LT(text.find("A metre of fresh snow"), text.find("The pass was closed")) << text;
  EXPECT_EQ(text.find("snowplough waits"), std::string::npos) << text;
  EXPECT_EQ(text.find("12 March"), std::string::npos) << text;
}

TEST(Extract, LongFurnitureLineAtTheEndIsDropped) {
  const std::string html =
      "<html><body><div class=\"article-body\">"
      "<p>The pass was closed on Tuesday after a storm left more than a metre of snow on the "
      "road, and the police asked drivers to wait in the valley until it is cleared.</p>"
      "<p>Snowploughs worked through the night, but the road will stay closed until the "
      "avalanche risk has been assessed, which may take two more days.</p>"
      "<p>Hotels in the valley have offered rooms at reduced prices to the drivers who are "
      "stuck, and the local school has opened its gym for those who cannot pay.</p>"
      "<p>To get every new post by e-mail, subscribe to the weekly letter of this blog; you can "
      "leave again with one click at any time.</p></div></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("Hotels in the valley"), std::string::npos) << text;
  EXPECT_EQ(text.find("weekly letter"), std::string::npos) << text;
}

const char kStormBody[] =
    "<p>The pass was closed on Tuesday after a storm left more than a metre of snow on the "
    "road, and the police asked drivers to wait in the valley until it is cleared.</p>"
    "<p>Snowploughs worked through the night, but the road will stay closed until the "
    "avalanche risk has been assessed, which may take two more days.</p>"
    "<p>Hotels in the valley have offered rooms at reduced prices to the drivers who are "
    "stuck, and the local school has opened its gym for those who cannot pay.</p>";

TEST(Extract, AuthorBoxAtTheEndIsDropped) {
  const std::string html =
      std::string("<html><body><div class=\"article-body\">") + kStormBody +
      "<h3>About the author</h3>"
      "<p>Jane Doe has written about the Alps for twenty years, first for a regional paper and "
      "then for several magazines; she lives in the valley with two dogs, a cat and far too "
      "many pairs of skis, and she climbs whenever the weather allows it.</p>"
      "</div></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("Hotels in the valley"), std::string::npos) << text;
  EXPECT_EQ(text.find("About the author"), std::string::npos) << text;
  EXPECT_EQ(text.find("Jane Doe"), std::string::npos) << text;
}

TEST(Extract, InformationSectionAtTheEndIsDroppedUnlessProseFollows) {
  const std::string contact =
      std::string("<html><body><div class=\"article-body\">") + kStormBody +
      "<p><strong>Further information:</strong></p>"
      "<p>Write to the press office of the valley council for interviews.</p>"
      "<p>Road reports are updated every hour on the council hotline.</p>"
      "</div></body></html>";
  std::string text = RenderText(MustExtract(contact));
  EXPECT_NE(text.find("Hotels in the valley"), std::string::npos) << text;
  EXPECT_EQ(text.find("Further information"), std::string::npos) << text;
  EXPECT_EQ(text.find("press office"), std::string::npos) << text;
  EXPECT_EQ(text.find("council hotline"), std::string::npos) << text;

  const std::string prose =
      std::string("<html><body><div class=\"article-body\">") + kStormBody +
      "<h3>Further information</h3>"
      "<p>The valley council is a union of the five villages below the pass. It keeps the "
      "road open in winter, runs the school bus and the avalanche service, and is paid for "
      "by the villages and the canton together, in equal shares since the flood of 1987.</p>"
      "</div></body></html>";
  text = RenderText(MustExtract(prose));
  EXPECT_NE(text.find("Further information"), std::string::npos) << text;
  EXPECT_NE(text.find("union of the five villages"), std::string::npos) << text;
}

TEST(Extract, PictureCreditAndUpdateLinesAreDropped) {
  const std::string html =
      "<html><body><div class=\"article-body\">"
      "<p>The pass was closed on Tuesday after a storm left more than a metre of snow on the "
      "road, and the police asked drivers to wait in the valley until it is cleared.</p>"
      "<p>iStock.com / Walter Muster</p>"
      "<p>Snowploughs worked through the night, but the road will stay closed until the "
      "avalanche risk has been assessed, which may take two more days.</p>"
      "<p>Last updated on 12 March at 10:40.</p>"
      "<p>Hotels in the valley have offered rooms at reduced prices to the drivers who are "
      "stuck, and the local school has opened its gym for those who cannot pay.</p>"
      "</div></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("Snowploughs worked"), std::string::npos) << text;
  EXPECT_NE(text.find("Hotels in the valley"), std::string::npos) << text;
  EXPECT_EQ(text.find("Walter Muster"), std::string::npos) << text;
  EXPECT_EQ(text.find("Last updated"), std::string::npos) << text;
}

TEST(Extract, PictureCreditIsCutOffTheEndOfALine) {
  const std::string html =
      "<html><body><div class=\"article-body\">"
      "<p>Snowploughs clear the road below the pass on Tuesday, while drivers wait in the "
      "valley for the avalanche service. \xc2\xa9 Walter Muster/Alpenbild</p>" +
      std::string(kStormBody) + "</div></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("wait in the valley for the avalanche service."), std::string::npos)
      << text;
  EXPECT_EQ(text.find("Walter Muster"), std::string::npos) << text;
  EXPECT_NE(text.find("Hotels in the valley"), std::string::npos) << text;
}

TEST(Extract, PictureCreditCutAtTheEarlierOfTwoMarkersNotBeforeASentence) {
  // Two markers in the last bytes of a line: it is cut at the earlier one. A
  // marker followed by a sentence is not a credit.
  const std::string html =
      "<html><body><div class=\"article-body\">"
      "<p>Snowploughs clear the road below the pass on Tuesday, while drivers wait in the "
      "valley for the avalanche service. Foto: Anna Berg / Bildagentur (Quelle: dpa)</p>"
      "<p>The ploughs of the canton worked through the night below the pass, and the drivers "
      "waited for them. Photo: the plough. It went out at nine</p>" +
      std::string(kStormBody) + "</div></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("wait in the valley for the avalanche service."), std::string::npos)
      << text;
  EXPECT_EQ(text.find("Anna Berg"), std::string::npos) << text;
  EXPECT_EQ(text.find("Quelle"), std::string::npos) << text;
  EXPECT_NE(text.find("Photo: the plough. It went out at nine"), std::string::npos) << text;
  EXPECT_NE(text.find("Hotels in the valley"), std::string::npos) << text;
}

TEST(Extract, TablesLeftOutWhenAsked) {
  ExtractOptions o;
  o.include_tables = false;
  ExtractResult r = MustExtract(ReadFile(kGolden / "table.html"), o);
  const std::string text = RenderText(r);
  EXPECT_EQ(text.find("Bergen"), std::string::npos) << text;
  EXPECT_NE(text.find("western coast"), std::string::npos) << text;
}

TEST(Extract, BlockKinds) {
  ExtractResult r = MustExtract(ReadFile(kGolden / "lists.html"));
  int items = 0, nested = 0;
  for (size_t i = 0; i < r.blocks.size(); ++i) {
    if (r.blocks[i].kind == BlockKind::kListItem) {
      ++items;
      if (r.blocks[i].level == 2) ++nested;
    }
  }
  EXPECT_EQ(items, 5);
  EXPECT_EQ(nested, 2);
  ExtractResult code = MustExtract(ReadFile(kGolden / "code.html"));
  bool has_code = false;
  for (const Block& b : code.blocks) has_code |= b.kind == BlockKind::kCode;
  EXPECT_TRUE(has_code);
  ExtractResult q = MustExtract(ReadFile(kGolden / "quote_headings.html"));
  int headings = 0, quotes = 0;
  for (const Block& b : q.blocks) {
    headings += b.kind == BlockKind::kHeading;
    quotes += b.kind == BlockKind::kQuote;
  }
  EXPECT_EQ(headings, 3);
  EXPECT_EQ(quotes, 1);
}

TEST(Extract, Metadata) {
  ExtractResult r = MustExtract(ReadFile(kGolden / "article_nav_footer.html"));
  EXPECT_EQ(r.metadata.title, "Rivers of the North | Example News");
  ASSERT_EQ(r.metadata.authors.size(), 1u);
  EXPECT_EQ(r.metadata.authors[0], "Jane Doe");
  EXPECT_EQ(r.metadata.date, "2024-03-05T10:00:00Z");
  EXPECT_EQ(r.metadata.site_name, "Example News");
  EXPECT_EQ(r.metadata.description, "How northern rivers change with the seasons.");
  EXPECT_EQ(r.metadata.language, "en");
  EXPECT_EQ(r.metadata.canonical_url, "https://news.example.org/rivers");
}

TEST(Extract, JsonLdMetadata) {
  const std::string html =
      "<html><head><script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
      "\"@graph\":[{\"@type\":\"NewsArticle\",\"headline\":\"Head\",\"datePublished\":"
      "\"2023-01-02\",\"author\":[{\"@type\":\"Person\",\"name\":\"A. Writer\"},"
      "{\"name\":\"B. Writer\"}],\"publisher\":{\"name\":\"The Paper\"}}]}</script></head>"
      "<body><p>Short.</p></body></html>";
  ExtractResult r = MustExtract(html);
  EXPECT_EQ(r.metadata.date, "2023-01-02");
  ASSERT_EQ(r.metadata.authors.size(), 2u);
  EXPECT_EQ(r.metadata.authors[1], "B. Writer");
  EXPECT_EQ(r.metadata.site_name, "The Paper");
  EXPECT_EQ(r.metadata.title, "Head");
  EXPECT_EQ(r.metadata.canonical_url, "https://example.org/page");
}

TEST(Extract, BrokenJsonLdIsIgnored) {
  const std::string html =
      "<html><head><script type=\"application/ld+json\">{\"@type\": [1, {{{</script>"
      "<title>T</title></head><body><p>Text.</p></body></html>";
  ExtractResult r = MustExtract(html);
  EXPECT_EQ(r.metadata.title, "T");
}

TEST(Extract, LinksAndImagesInMarkdown) {
  const std::string html =
      "<html><body><article><p>The report, published on Monday by the national office of "
      "statistics, is <a href=\"https://stats.example/r\">available online</a> for everyone "
      "who wants to read it, together with its data.</p><p>It covers, for the first time, all "
      "the regions of the country, <img src=\"/map.png\" alt=\"map\"> including the islands "
      "in the north, which were left out before.</p></article></body></html>";
  ExtractOptions o;
  o.include_links = true;
  o.include_images = true;
  ExtractResult r = MustExtract(html, o);
  const std::string md = RenderMarkdown(r);
  EXPECT_NE(md.find("[available online](https://stats.example/r)"), std::string::npos) << md;
  EXPECT_NE(md.find("![map](/map.png)"), std::string::npos) << md;
  // The text rendering stays plain.
  EXPECT_EQ(RenderText(r).find("]("), std::string::npos);
  ExtractResult plain = MustExtract(html);
  EXPECT_EQ(RenderMarkdown(plain).find("]("), std::string::npos);
}

TEST(Extract, JsonRendering) {
  ExtractResult r = MustExtract(ReadFile(kGolden / "quote_headings.html"));
  const std::string json = RenderJson(r);
  EXPECT_EQ(json.front(), '{');
  EXPECT_EQ(json.back(), '}');
  EXPECT_NE(json.find("\"title\":\"On gardens\""), std::string::npos) << json;
  EXPECT_NE(json.find("{\"kind\":\"heading\",\"text\":\"Patience\",\"level\":2}"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"kind\":\"quote\""), std::string::npos);
  EXPECT_NE(json.find("\"reason\":\"\""), std::string::npos);
  ExtractResult special;
  special.blocks.push_back(Block{BlockKind::kParagraph, "a \"q\" \\ \n\t\x01"});
  special.inlines.emplace_back();
  EXPECT_NE(RenderJson(special).find("a \\\"q\\\" \\\\ \\n\\t\\u0001"), std::string::npos);
  ExtractOptions o;
  o.format = ExtractFormat::kJson;
  EXPECT_EQ(Render(r, o), json);
}

// RenderJson escapes each block once and copies it into "blocks": the text
// must stay the escape of RenderText's join (empty blocks, dropped blocks,
// invalid UTF-8 at a block's end, escapes at its ends).
TEST(Extract, JsonTextIsTheEscapedJoinOfTheBlocks) {
  const std::vector<std::vector<std::pair<std::string, bool>>> cases = {
      {},
      {{"", true}},
      {{"", true}, {"", true}, {"x", true}},
      {{"a", false}, {"", true}, {"b \"c\"", true}, {"", true}, {"", false}, {"\\", true}},
      {{"cut \xE2\x80", true}, {"\x80 next", true}, {"\xF0\x9F", true}, {"", true}},
      {{"\n\t", true}, {"\x01", true}, {"caf\xC3\xA9", false}, {"\xC3\xA9", true}},
  };
  for (const auto& blocks : cases) {
    ExtractResult r;
    for (const auto& [text, keep] : blocks) {
      r.blocks.push_back(Block{BlockKind::kParagraph, text});
      r.blocks.back().keep = keep;
    }
    const std::string json = RenderJson(r);
    std::string want = "\"text\":" + JsonString(RenderText(r)) + ",\"blocks\":[";
    bool first = true;
    for (const Block& b : r.blocks) {
      if (!b.keep) continue;
      if (!first) want += ",";
      first = false;
      want += "{\"kind\":\"paragraph\",\"text\":" + JsonString(b.text) + ",\"level\":0}";
    }
    want += "],";
    EXPECT_NE(json.find(want), std::string::npos) << json << "\n" << want;
  }
}

TEST(Extract, EmptyResultsHaveAReason) {
  EXPECT_EQ(MustExtract("").reason, "empty input");
  EXPECT_EQ(MustExtract("   \n ").reason, "empty input");
  EXPECT_EQ(MustExtract("just some words, no markup at all").reason, "not html");
  ExtractResult nav = MustExtract(
      "<html><body><nav><a href=/a>Home</a><a href=/b>About</a></nav></body></html>");
  EXPECT_TRUE(nav.blocks.empty());
  EXPECT_EQ(nav.reason, "no content");
  ExtractResult scripts = MustExtract(
      "<html><head><style>p{}</style></head><body><script>var x = 'a long text that is not "
      "content at all, only code';</script></body></html>");
  EXPECT_TRUE(scripts.blocks.empty());
  EXPECT_EQ(scripts.reason, "no content");
}

TEST(Extract, HiddenContentIsSkipped) {
  const std::string html =
      "<html><body><article><p>Visible paragraph with enough words to count as real content "
      "for the extractor, about the weather.</p><p style=\"display: none\">Hidden paragraph "
      "that must not appear in the output at all, ever.</p><p hidden>Also hidden text that "
      "must not appear in the output.</p></article></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("Visible"), std::string::npos) << text;
  EXPECT_EQ(text.find("Hidden"), std::string::npos) << text;
  EXPECT_EQ(text.find("Also hidden"), std::string::npos) << text;
}

// The style test looks at declarations with a 'y' before their colon: in
// any case and with white space around the colon, and not in a style
// whose colons follow other letters.
TEST(Extract, HiddenByStyleInAnyCaseAndSpacing) {
  const std::string prose = "paragraph with enough words to count as real content for the extractor.";
  const std::string html =
      "<html><body><article><p style=\"width: 50%; color:#333\">Shown " + prose +
      "</p><p style=\"DISPLAY :\tNone\">Gone one " + prose + "</p><p style=\"margin:0;visibility\n: hidden\">"
      "Gone two " + prose + "</p><p style=\"display:block\">Shown again " + prose + "</p></article></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("Shown paragraph"), std::string::npos) << text;
  EXPECT_NE(text.find("Shown again"), std::string::npos) << text;
  EXPECT_EQ(text.find("Gone"), std::string::npos) << text;
}

// --- page types (issue 17) ---

std::string Post(int i, const std::string& cls) {
  return "<div class=\"" + cls + "\"><div class=\"author\"><a href=/u/" + std::to_string(i) +
         ">user" + std::to_string(i) + "</a></div><div class=\"body\"><p>Reply number " +
         std::to_string(i) + " explains, at some length and with a comma or two, how the "
         "valve was replaced and why the old gasket had failed after the winter.</p></div></div>";
}

std::string ThreadPage(bool schema) {
  std::string html = "<html><head>";
  if (schema) {
    html += "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
            "\"@type\":\"DiscussionForumPosting\",\"headline\":\"Valve\"}</script>";
  }
  html += "</head><body><nav><a href=/>Home</a> <a href=/f>Forums</a></nav><main>"
          "<div class=\"topic\"><p>Original question: the heating valve in our old house "
          "leaks, drips all night, and we would like to know what part to buy for it.</p>"
          "</div><div id=\"comments\">";
  for (int i = 1; i <= 4; ++i) html += Post(i, "comment");
  html += "</div></main><footer><a href=/terms>Terms</a></footer></body></html>";
  return html;
}

TEST(ExtractPageType, ThreadSchemaKeepsReplies) {
  const std::string text = RenderText(MustExtract(ThreadPage(true)));
  EXPECT_NE(text.find("Original question"), std::string::npos) << text;
  for (int i = 1; i <= 4; ++i) {
    EXPECT_NE(text.find("Reply number " + std::to_string(i)), std::string::npos) << text;
  }
  EXPECT_EQ(text.find("Terms"), std::string::npos) << text;
}

TEST(ExtractPageType, ArticleCommentsStayOut) {
  // The same page without the discussion schema: an article with reader
  // comments, which are not its content.
  const std::string text = RenderText(MustExtract(ThreadPage(false)));
  EXPECT_NE(text.find("Original question"), std::string::npos) << text;
  EXPECT_EQ(text.find("Reply number"), std::string::npos) << text;
}

TEST(ExtractPageType, ThreadWithoutOtherProseKeepsCommentBlocks) {
  // Every post sits in comment-named blocks (first post included).
  std::string html = "<html><body><div class=\"thread comments\">";
  for (int i = 1; i <= 5; ++i) html += Post(i, "comment");
  html += "</div></body></html>";
  const std::string text = RenderText(MustExtract(html));
  for (int i = 1; i <= 5; ++i) {
    EXPECT_NE(text.find("Reply number " + std::to_string(i)), std::string::npos) << text;
  }
}

// A short text above comment-named replies holding most of the page's
// prose, in a wrapper marked as content (<article>) or not.
std::string ShortTextAboveComments(bool marked) {
  std::string html = "<html><body><div class=\"page\">";
  html += marked ? "<article>" : "<div class=\"topic\">";
  html += "<p>Question: the heating valve in our old house leaks, drips all night, and we would "
          "like to know what part to buy for it.</p>";
  html += marked ? "</article>" : "</div>";
  html += "<div class=\"replies\">";
  for (int i = 1; i <= 4; ++i) html += Post(i, "comment");
  html += "</div></div></body></html>";
  return html;
}

TEST(ExtractPageType, ShortQuestionAboveCommentsIsAThread) {
  // No schema, but the comments hold most of the prose and the little
  // outside them (<= 300 chars) is in no block marked as content.
  const std::string text = RenderText(MustExtract(ShortTextAboveComments(false)));
  EXPECT_NE(text.find("Question:"), std::string::npos) << text;
  for (int i = 1; i <= 4; ++i) {
    EXPECT_NE(text.find("Reply number " + std::to_string(i)), std::string::npos) << text;
  }
}

// A question and its answers in schema.org microdata, each with remarks
// (schema.org Comment items) under it; `qa` declares the page a QAPage,
// else a DiscussionForumPosting whose replies are the same items.
std::string QuestionPage(bool qa) {
  std::string html = std::string("<html><body><div itemscope itemtype=\"https://schema.org/") +
                     (qa ? "QAPage" : "DiscussionForumPosting") + "\">";
  auto remarks = [](int post) {
    std::string r = "<ul class=\"comments-list\">";
    for (int k = 0; k < 2; ++k) {
      r += "<li class=\"comment\" itemprop=\"comment\" itemscope itemtype=\"https://schema.org/"
           "Comment\"><span itemprop=\"text\">Remark " + std::to_string(post * 10 + k) +
           ": did you check the breaker first, and is the neutral really bonded there?</span></li>";
    }
    return r + "</ul>";
  };
  html += "<div class=\"post\" itemprop=\"mainEntity\" itemscope itemtype=\"https://schema.org/"
          "Question\"><h1>"
          "How does residential electricity work?</h1><div class=\"s-prose\"><p>Question: the "
          "transformer's secondary winding is centre tapped, so what do the electrons in the "
          "neutral do when the circuit is open, and why is it not energised?</p></div>" +
          remarks(0) + "</div>";
  for (int a = 1; a <= 2; ++a) {
    html += "<div class=\"post\" itemprop=\"suggestedAnswer\" itemscope itemtype=\"https://"
            "schema.org/Answer\"><div class=\"s-prose\"><p>Answer " + std::to_string(a) +
            ": a current of 120 V does not make sense, volts measure potential and amperes "
            "current, and the neutral stays near ground because it is bonded there.</p></div>" +
            remarks(a) + "</div>";
  }
  return html + "</div></body></html>";
}

TEST(ExtractPageType, RemarksOnAQuestionOrAnswerAreNotAnswers) {
  const std::string text = RenderText(MustExtract(QuestionPage(true)));
  EXPECT_NE(text.find("Question:"), std::string::npos) << text;
  EXPECT_NE(text.find("Answer 2"), std::string::npos) << text;
  EXPECT_EQ(text.find("Remark"), std::string::npos) << text;
}

TEST(ExtractPageType, CommentItemsOfAForumThreadAreKept) {
  const std::string text = RenderText(MustExtract(QuestionPage(false)));
  EXPECT_NE(text.find("Answer 2"), std::string::npos) << text;
  EXPECT_NE(text.find("Remark 21"), std::string::npos) << text;
}

TEST(ExtractPageType, QuestionAboveALongAnswerIsKeptWithIt) {
  // A QAPage whose one long answer scores best: the question (a Question
  // item around the question and, as Stack Exchange writes it, its
  // answers) and the short answer are posts of the same thread.
  std::string html =
      "<html><body itemscope itemtype=\"https://schema.org/QAPage\"><div class=\"side\">"
      "<a href=/a>Home</a> <a href=/b>Questions</a></div><div class=\"wrap\"><div "
      "itemprop=\"mainEntity\" itemscope itemtype=\"https://schema.org/Question\"><h1>Why "
      "does the loop block?</h1><div class=\"question\"><div class=\"postcell\"><div "
      "class=\"s-prose\"><p>Question: my coroutine counts to ten, yet the other one never "
      "runs until it is done. Why?</p></div></div></div><div id=\"answers\">";
  html += "<div class=\"answer\" itemprop=\"acceptedAnswer\" itemscope itemtype=\"https://"
          "schema.org/Answer\"><div class=\"postcell\"><div class=\"s-prose\">";
  for (int k = 0; k < 4; ++k) {
    html += "<p>Long answer, part " + std::to_string(k) +
            ": the function never awaits, so the event loop, which runs one task at a time, "
            "cannot switch to another task, and the other coroutine, however ready, waits "
            "until the loop gets control back.</p>";
  }
  html += "</div></div></div><div class=\"answer\" itemprop=\"suggestedAnswer\" itemscope "
          "itemtype=\"https://schema.org/Answer\"><div class=\"postcell\"><div class=\"s-prose\">"
          "<p>Short answer: add an await of a zero sleep inside the loop.</p></div></div></div>"
          "</div></div></div></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("Question: my coroutine"), std::string::npos) << text;
  EXPECT_NE(text.find("Long answer, part 3"), std::string::npos) << text;
  EXPECT_NE(text.find("Short answer"), std::string::npos) << text;
  EXPECT_EQ(text.find("Home"), std::string::npos) << text;
}

TEST(ExtractPageType, FirstPostNamedLikeItsRepliesIsAThread) {
  // The first post and the replies share a content name ("forum-post");
  // the replies add a reply name. The first post, marked as content, is
  // a post of the thread, not an article above reader comments.
  std::string html =
      "<html><body><header><a href=/>Home</a></header><main><article class=\"entry\"><h1>"
      "Starting projects</h1><div class=\"thread\"><div class=\"forum-post "
      "forum-post-original\"><span>Pepper</span><div class=\"forum-post-content\"><p>Hey "
      "there,</p><p>I am starting from scratch with my skills and would like advice from the "
      "more experienced among you.</p></div></div>";
  for (int i = 1; i <= 4; ++i) html += Post(i, "forum-post forum-post-reply");
  html += "</div></article></main></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("I am starting from scratch"), std::string::npos) << text;
  for (int i = 1; i <= 4; ++i) {
    EXPECT_NE(text.find("Reply number " + std::to_string(i)), std::string::npos) << text;
  }
}

// A page rendered by React's streaming renderer: the article's
// paragraphs arrive after the page's frame, in hidden <div id="S:k">
// segments that a script moves to their placeholders (<template id="B:k">
// followed by a fallback, <template id="P:k"> inside another segment).
std::string StreamedArticle(const std::string& body_class) {
  std::string html =
      "<html><body><header><nav><a href=/>Home</a> <a href=/news>News</a></nav></header><main>"
      "<div class=\"" + body_class + "\"><!--$?--><template id=\"B:0\"></template><div>Loading "
      "paragraph...</div><!--/$--></div></main><aside><p>About the author: a writer of long "
      "stories about the sea, the weather, boats, and the people who sail them.</p></aside>";
  html += "<div hidden id=\"S:0\"><p>Part one of the story: the boat left the harbour at dawn, "
          "with the wind behind it and the tide going out.</p><template id=\"P:1\"></template>"
          "</div><div hidden id=\"S:1\">";
  for (int k = 2; k <= 4; ++k) {
    html += "<p>Part " + std::to_string(k) +
            " of the story: the crew took in the sails, checked the ropes, and waited, as the "
            "clouds came down over the hills and the rain began.</p>";
  }
  return html + "</div><script>$RC(\"B:0\",\"S:0\")</script></body></html>";
}

TEST(ExtractPageType, StreamedSegmentsAreReadAtTheirPlaceholders) {
  const std::string text = RenderText(MustExtract(StreamedArticle("article-body")));
  EXPECT_NE(text.find("Part one of the story"), std::string::npos) << text;
  EXPECT_NE(text.find("Part 4 of the story"), std::string::npos) << text;
  EXPECT_EQ(text.find("Loading"), std::string::npos) << text;
  EXPECT_EQ(text.find("About the author"), std::string::npos) << text;
}

TEST(ExtractPageType, CommentNamedWrapperOfAllOfThePostIsThePost) {
  // A post's body in a block named for a feature ("commentOnSelection")
  // that holds all of the marked body, below a summary of the post: the
  // post's text, not a comment section.
  std::string html =
      "<html><body><main><div class=\"post-summary\"><p>Summary: a long story about a boat "
      "that left the harbour at dawn, about its crew, the wind and the tide, the rain that came "
      "down over the hills in the afternoon, the ropes they checked twice, and how they all came "
      "home in the evening, tired, wet and hungry, to a harbour full of people who had "
      "waited.</p></div><div class=\"post-content\"><div class=\"commentOnSelection\">";
  for (int k = 1; k <= 4; ++k) {
    html += "<p>Part " + std::to_string(k) +
            " of the story: the crew took in the sails, checked the ropes, and waited, as the "
            "clouds came down over the hills and the rain began.</p>";
  }
  html += "</div></div></main></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("Part 1 of the story"), std::string::npos) << text;
  EXPECT_NE(text.find("Part 4 of the story"), std::string::npos) << text;
}

TEST(ExtractPageType, SelfClosedIframeInNoscriptHidesNothing) {
  // A tag manager's <noscript><iframe ... /></noscript> before the page's
  // text: the iframe ends at </noscript> (ParseOptions::noscript_ends_text).
  std::string html =
      "<html><body><noscript><iframe src=\"https://www.example.com/ns.html?id=GTM-1\" "
      "height=\"0\" width=\"0\" style=\"display: none\" /></noscript><main>";
  for (int k = 1; k <= 3; ++k) {
    html += "<p>Paragraph " + std::to_string(k) +
            ": deploy your code with one click, scale it to millions of users, and let the "
            "platform handle the networking, the certificates and the rollbacks.</p>";
  }
  html += "</main></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("Paragraph 1"), std::string::npos) << text;
  EXPECT_NE(text.find("Paragraph 3"), std::string::npos) << text;
}

TEST(ExtractPageType, SignaturesUnderForumPostsAreDropped) {
  // Each member's signature under their post (a quote, their games) is
  // not the thread's text.
  std::string html =
      "<html><head><script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
      "\"@type\":\"DiscussionForumPosting\",\"headline\":\"Valve\"}</script></head><body>"
      "<div class=\"posts\">";
  for (int i = 1; i <= 4; ++i) {
    html += "<div class=\"msg\"><div class=\"body\"><p>Message number " + std::to_string(i) +
            " explains, at some length and with a comma or two, how the valve was replaced and "
            "why the old gasket had failed after the winter.</p></div><div class=\"signature\">"
            "Motto " + std::to_string(i) + ": ride on, whatever the weather</div></div>";
  }
  html += "</div></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("Message number 4"), std::string::npos) << text;
  EXPECT_EQ(text.find("Motto"), std::string::npos) << text;
}

TEST(ExtractPageType, RepliesNamedPostAndReplyAreAThread) {
  // Every post is named both like content and like a comment ("post
  // reply"): a comment's body, so the page is a thread and keeps them.
  std::string html = "<html><body><div class=\"topic\">";
  for (int i = 1; i <= 5; ++i) html += Post(i, "post reply");
  html += "</div></body></html>";
  const std::string text = RenderText(MustExtract(html));
  for (int i = 1; i <= 5; ++i) {
    EXPECT_NE(text.find("Reply number " + std::to_string(i)), std::string::npos) << text;
  }
}

TEST(ExtractPageType, SidebarProseDoesNotHideAThread) {
  // A link post (a title, no text) above its comment-named replies, with
  // a sidebar of rules in prose: the sidebar is dropped by its name, so
  // its prose is not an article outside the comments.
  std::string html = "<html><body><div class=\"side\">";
  for (int k = 0; k < 3; ++k) {
    html += "<p>Rule " + std::to_string(k) +
            ": posts must link to peer-reviewed research published in the last six months, "
            "with the title of the paper, and no editorialising.</p>";
  }
  html += "</div><div class=\"content\"><h1>Hair follicles grown in the lab</h1>"
          "<div class=\"commentarea\">";
  for (int i = 1; i <= 6; ++i) html += Post(i, "comment");
  html += "</div></div></body></html>";
  const std::string text = RenderText(MustExtract(html));
  for (int i = 1; i <= 6; ++i) {
    EXPECT_NE(text.find("Reply number " + std::to_string(i)), std::string::npos) << text;
  }
  EXPECT_EQ(text.find("Rule 1"), std::string::npos) << text;
}

TEST(ExtractPageType, ShortArticleAboveCommentsKeepsThemOut) {
  // The same text in an <article>: an article, however short, with reader
  // comments below it.
  const std::string text = RenderText(MustExtract(ShortTextAboveComments(true)));
  EXPECT_NE(text.find("Question:"), std::string::npos) << text;
  EXPECT_EQ(text.find("Reply number"), std::string::npos) << text;
}

// Posts with a user panel whose labels repeat in every post.
std::string PanelThreadPage(bool schema) {
  std::string html = "<html><head>";
  if (schema) {
    html += "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
            "\"@type\":\"DiscussionForumPosting\",\"headline\":\"Valve\"}</script>";
  }
  html += "</head><body><main><div class=\"posts\">";
  for (int i = 1; i <= 4; ++i) {
    html += "<div class=\"post\"><dl class=\"panel\"><dt>Joined</dt><dd>March " +
            std::to_string(2010 + i) + "</dd><dt>Messages</dt><dd>" + std::to_string(17 * i) +
            "</dd></dl><div class=\"body\"><p>Message number " + std::to_string(i) +
            " explains, at some length and with a comma or two, how the valve was replaced "
            "and why the old gasket had failed after the winter.</p></div></div>";
  }
  html += "</div></main></body></html>";
  return html;
}

TEST(ExtractPageType, LabelsRepeatedInEveryPostOfAThreadAreDropped) {
  const std::string text = RenderText(MustExtract(PanelThreadPage(true)));
  for (int i = 1; i <= 4; ++i) {
    EXPECT_NE(text.find("Message number " + std::to_string(i)), std::string::npos) << text;
  }
  EXPECT_EQ(text.find("Joined"), std::string::npos) << text;
  EXPECT_EQ(text.find("Messages"), std::string::npos) << text;
}

TEST(ExtractPageType, QuotesOfEarlierPostsInAThreadAreDropped) {
  std::string html = PanelThreadPage(true);
  const std::string quote =
      "<div class=\"post\"><blockquote><p>Message number 2 explains, at some length and with a "
      "comma or two, how the valve was replaced and why the old gasket had failed after the "
      "winter.</p><p>A line that no other post has, quoted from a deleted message.</p>"
      "</blockquote><p>Thanks, that was the answer I needed for the boiler in our cellar, "
      "which had the same gasket and the same leak all winter long.</p></div>";
  html.insert(html.find("</div></main>"), quote);
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("the answer I needed"), std::string::npos) << text;
  EXPECT_NE(text.find("quoted from a deleted message"), std::string::npos) << text;
  size_t count = 0;
  for (size_t at = text.find("Message number 2"); at != std::string::npos;
       at = text.find("Message number 2", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 1u) << text;
}

TEST(ExtractPageType, DatedLabelsOfAThreadAreLabelsToo) {
  // "answered Mar 21, 2019 at 11:40" differs in every post but its digits.
  std::string html = PanelThreadPage(true);
  for (int i = 1; i <= 4; ++i) {
    const std::string at = "<div class=\"body\"><p>Message number " + std::to_string(i);
    html.insert(html.find(at), "<div class=\"when\">answered Mar 2" + std::to_string(i) +
                                   ", 2019 at 1" + std::to_string(i) + ":40</div>");
  }
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("Message number 4"), std::string::npos) << text;
  EXPECT_EQ(text.find("answered Mar"), std::string::npos) << text;
}

TEST(ExtractPageType, RepeatedShortLinesOfAnArticleStay) {
  std::string html = "<html><body><article><h1>Three soups</h1>";
  for (int i = 1; i <= 3; ++i) {
    html += "<h2>Soup " + std::to_string(i) + "</h2><p>Serves four people</p><p>Soup number " +
            std::to_string(i) + " is made with leeks, potatoes, stock and cream, simmered for "
            "half an hour and blended until smooth, then seasoned to taste.</p>";
  }
  html += "</article></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("Soup number 3"), std::string::npos) << text;
  EXPECT_NE(text.find("Serves four people"), std::string::npos) << text;
}

TEST(ExtractPageType, ListingKeepsEveryCard) {
  std::string html =
      "<html><body><header><a href=/>Shop</a> <a href=/men>Men</a> <a href=/women>Women</a>"
      "</header><main><h1>Shirts</h1><ul class=\"grid\">";
  for (int i = 1; i <= 8; ++i) {
    const std::string n = std::to_string(i);
    html += "<li class=\"card\"><a href=/p/" + n + "><h3>Linen shirt model " + n +
            "</h3></a><p>regular fit</p><span class=\"price\">$" + n + "9</span></li>";
  }
  html += "</ul></main><footer><a href=/terms>Terms</a> <a href=/privacy>Privacy</a>"
          "</footer></body></html>";
  const std::string text = RenderText(MustExtract(html));
  for (int i = 1; i <= 8; ++i) {
    EXPECT_NE(text.find("Linen shirt model " + std::to_string(i)), std::string::npos) << text;
    EXPECT_NE(text.find("$" + std::to_string(i) + "9"), std::string::npos) << text;
  }
  EXPECT_EQ(text.find("Privacy"), std::string::npos) << text;
}

TEST(ExtractPageType, ListingKeepsEveryGroupOfTheSameCards) {
  // A carousel of top picks above the grid: two groups of the same cards
  // (tag and size), named differently; the carousel alone holds more text
  // than may lie above the cards of a listing.
  auto card = [](const std::string& cls, int i) {
    const std::string n = std::to_string(i);
    return "<article class=\"" + cls + "\"><a href=/r/" + n + "><h3>Crispy recipe number " + n +
           "</h3></a><p>" + n + "4 reviews, 4.8 average</p></article>";
  };
  std::string html =
      "<html><body><header><a href=/>Home</a> <a href=/recipes>Recipes</a></header><main>"
      "<h1>Air fryer recipes</h1><section class=\"top\"><h2>Top rated</h2><div class=\"carousel\">";
  for (int i = 1; i <= 6; ++i) html += card("carousel-cell", i);
  html += "</div></section><section class=\"all\"><h2>All recipes</h2><div class=\"grid\">";
  for (int i = 11; i <= 18; ++i) html += card("col-span-6", i);
  html += "</div></section></main><footer><a href=/terms>Terms</a></footer></body></html>";
  const std::string text = RenderText(MustExtract(html));
  for (int i : {1, 6, 11, 14}) {
    EXPECT_NE(text.find("Crispy recipe number " + std::to_string(i) + "\n"), std::string::npos)
        << text;
  }
  EXPECT_EQ(text.find("Terms"), std::string::npos) << text;
}

std::string CardGrid(int n) {
  std::string html = "<ul class=\"grid\">";
  for (int i = 1; i <= n; ++i) {
    const std::string k = std::to_string(i);
    html += "<li class=\"card\"><a href=/p/" + k + "><h3>Teaser title number " + k +
            "</h3></a><p>two lines of teaser " + k + "</p></li>";
  }
  return html + "</ul>";
}

TEST(ExtractPageType, ListingDeclaredAsArticleKeepsItsCards) {
  // WordPress gives every page og:type article; the cards open the page, so
  // they are its content.
  const std::string html =
      "<html><head><meta property=\"og:type\" content=\"article\"></head><body><main>"
      "<h1>Blog</h1>" + CardGrid(8) + "</main></body></html>";
  const std::string text = RenderText(MustExtract(html));
  for (int i = 1; i <= 8; ++i) {
    EXPECT_NE(text.find("Teaser title number " + std::to_string(i)), std::string::npos) << text;
  }
}

TEST(ExtractPageType, TeaserGridAfterAnArticleStaysOut) {
  std::string html = "<html><body><article><h1>The harbour reopens</h1>";
  for (int i = 1; i <= 6; ++i) {
    html += "<p>Paragraph " + std::to_string(i) +
            " of the report: the harbour reopened on Monday after three weeks of repairs to "
            "the northern quay, and the first ferries left on time.</p>";
  }
  html += "</article><section class=\"more\">" + CardGrid(6) + "</section></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("Paragraph 6"), std::string::npos) << text;
  EXPECT_EQ(text.find("Teaser title number"), std::string::npos) << text;
}

TEST(ExtractPageType, ServicePageKeepsEverySection) {
  // A landing page of sections inside <main> (marked as content): the
  // best-scored section (short lines with many commas) holds little of the
  // page's prose, so the container is widened to the sections around it.
  std::string html = "<html><body><main><div class=a><div class=b><div class=c><div class=d>";
  const char* kinds[] = {"hero", "features", "process", "pricing", "faq"};
  for (int i = 0; i < 5; ++i) {
    html += std::string("<div class=\"") + kinds[i] + "-wrap\"><section class=\"" + kinds[i] + "\">";
    if (i == 1) {
      for (int k = 0; k < 2; ++k) {
        html += "<p>Fast, safe, cheap, clear, simple, open, local, quiet, small, kind, yours " +
                std::to_string(k) + " and built to last for many years in every office we run.</p>";
      }
    } else {
      html += "<p>Section " + std::to_string(i) +
              " text 0: our team plans and builds and runs your data platform with weekly "
              "reports and clear costs and people you can call on any day of the week for "
              "help with what you need today.</p>";
    }
    html += "</section></div>";
  }
  html += "</div></div></div></div></main><footer><ul>";
  for (int i = 0; i < 40; ++i) html += "<li><a href=/l" + std::to_string(i) + ">Footer link " + std::to_string(i) + "</a></li>";
  html += "</ul></footer></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("yours 0"), std::string::npos) << text;
  for (int i : {0, 2, 3, 4}) {
    EXPECT_NE(text.find("Section " + std::to_string(i) + " text 0"), std::string::npos) << text;
  }
  EXPECT_EQ(text.find("Footer link"), std::string::npos) << text;
}

// A page under <main> whose best-scored block (many commas) is one section
// of several: `others` more sections, each a heading over its own text, or
// headed link lists when `link_lists`.
std::string SectionsPage(int others, bool link_lists) {
  std::string html = "<html><body><header><nav><a href=/>Home</a> <a href=/a>About</a></nav>"
                     "</header><main><div class=page><section class=intro><h2>Our service</h2>";
  for (int k = 0; k < 6; ++k) {
    html += "<p>Intro " + std::to_string(k) +
            ": we plan, build, test, run, watch, mend and report on your systems, every day, "
            "with people, tools, care, time and skill, so that your work goes on without a "
            "break and your customers get what they came for, quickly.</p>";
  }
  html += "</section>";
  const char* kinds[] = {"features", "process", "pricing", "support"};
  for (int i = 0; i < others; ++i) {
    html += std::string("<section class=\"") + kinds[i] + "\"><h2>Part " + std::to_string(i) + "</h2>";
    for (int k = 0; k < 2; ++k) {
      if (link_lists) {
        for (int l = 0; l < 8; ++l) {
          html += "<p><a href=/p" + std::to_string(i * 100 + k * 10 + l) + ">Linked item " +
                  std::to_string(l) + " of part " + std::to_string(i) + "</a></p>";
        }
        continue;
      }
      html += "<p>Part " + std::to_string(i) + " text " + std::to_string(k) +
              " tells what this step gives you and what it takes from your team in the "
              "first weeks of the work we do together. It names the people you will meet and "
              "the reports you will read. It says what it costs and when it ends, and how you "
              "can stop it at any time if it does not help you.</p>";
    }
    html += "</section>";
  }
  html += "</div></main><footer><p>Company footer</p></footer></body></html>";
  return html;
}

TEST(ExtractPageType, PageOfHeadedSectionsIsKeptWhole) {
  const std::string text = RenderText(MustExtract(SectionsPage(4, false)));
  EXPECT_NE(text.find("Intro 0"), std::string::npos) << text;
  for (int i = 0; i < 4; ++i) {
    EXPECT_NE(text.find("Part " + std::to_string(i) + " text 1"), std::string::npos) << text;
  }
  EXPECT_EQ(text.find("Company footer"), std::string::npos) << text;
}

TEST(ExtractPageType, HeroBannerWithThePagesIntroIsKept) {
  // "banner" names a hero section holding the page's title and intro (the
  // page header is <header> or role=banner, and ads are named ad/advert).
  std::string html = "<html><body><header><a href=/>Home</a> <a href=/s>Services</a></header>"
                     "<main><section class=\"hero-banner\"><h1>Data analytics services</h1>"
                     "<p>We turn the data your teams already collect into reports and forecasts "
                     "that people across your company can read and trust.</p></section>"
                     "<section class=\"body\">";
  for (int k = 0; k < 4; ++k) {
    html += "<p>Paragraph " + std::to_string(k) +
            ": our analysts, engineers and designers work with your staff, week by week, on "
            "the questions that matter, the data behind them and the answers you can act on.</p>";
  }
  html += "</section></main><footer><p>Company footer</p></footer></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("We turn the data"), std::string::npos) << text;
  EXPECT_NE(text.find("Paragraph 3"), std::string::npos) << text;
  EXPECT_EQ(text.find("Company footer"), std::string::npos) << text;
}

TEST(ExtractPageType, HeadedLinkListsBesideTheTextAreNotSections) {
  const std::string text = RenderText(MustExtract(SectionsPage(4, true)));
  EXPECT_NE(text.find("Intro 5"), std::string::npos) << text;
  EXPECT_EQ(text.find("Linked item"), std::string::npos) << text;
}

TEST(ExtractPageType, HeadedBoxesInAColumnBelowAnArticleAreNotSections) {
  // An old blog: the article, then an unnamed column of headed boxes
  // ("About this blog", "Contributors", ...) as long as sections of a
  // service page. Nothing is headed above the article and the boxes share
  // one column, so they are its sidebar, not more sections of the page.
  std::string html = "<html><body><div id=wrap><div class=left><h1>A lie that is good for "
                     "passwords</h1><article>";
  for (int k = 0; k < 5; ++k) {
    html += "<p>Story " + std::to_string(k) +
            ": a site that asks personal questions, the first car you owned, the street you "
            "grew up on, protects your account, but only as well as the answers are secret, "
            "so answer with something unrelated, and keep it in a safe place.</p>";
  }
  html += "</article></div><div class=right>";
  for (int i = 0; i < 5; ++i) {
    html += "<div><h3>Box " + std::to_string(i) + "</h3><p>Box " + std::to_string(i) +
            " text: this blog is about buying and using gadgets, from which one to buy and how to "
            "get the best deal, to setting it up once it is out of the box, with news, analysis "
            "and opinion from our writers, every week, for readers of every kind.</p></div>";
  }
  html += "</div></div></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("Story 4"), std::string::npos) << text;
  EXPECT_EQ(text.find("Box 2 text"), std::string::npos) << text;
}

TEST(ExtractPageType, PageWrapperNamedLikeNavigationIsKept) {
  // Next.js renders the whole page into <div id="__next">: a wrapper of the
  // page (it holds the page's first text and most of it) is not dropped by
  // its name.
  std::string html = "<html><body><div id=\"__next\"><h1>Garden tools</h1>";
  for (int i = 1; i <= 3; ++i) {
    html += "<p>Section " + std::to_string(i) +
            " explains which spade to use for clay soil, how deep to dig, and when.</p>";
  }
  html += "</div><footer><a href=/a>About</a></footer></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("Section 1"), std::string::npos) << text;
  EXPECT_NE(text.find("Section 3"), std::string::npos) << text;
  EXPECT_EQ(text.find("About"), std::string::npos) << text;
}

TEST(ExtractPageType, FooterHoldingMostLinksIsStillDropped) {
  // A footer of links holding most of the page's text is not a wrapper:
  // it does not hold the page's first text.
  std::string html =
      "<html><body><p>Short post about the summer fair, with photos of the stands and "
      "the crowd.</p><div class=\"fat-footer\"><ul>";
  for (int i = 0; i < 60; ++i) html += "<li><a href=/b" + std::to_string(i) + ">Brand " + std::to_string(i) + "</a></li>";
  html += "</ul></div></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("summer fair"), std::string::npos) << text;
  EXPECT_EQ(text.find("Brand 7"), std::string::npos) << text;
}

TEST(ExtractPageType, ClassOnEveryBlockIsNotAHint) {
  // A framework class on every block ("celwidget" contains "widget") names
  // no part of the page: its hint is ignored, the description is kept.
  std::string html = "<html><body><div class=\"celwidget\" id=nav><a href=/>Home</a></div>";
  for (int i = 1; i <= 4; ++i) {
    html += "<div class=\"celwidget\"><p>Feature " + std::to_string(i) +
            ": the kettle boils a litre in three minutes, keeps it warm for an hour, and "
            "switches itself off.</p></div>";
  }
  html += "</body></html>";
  const std::string text = RenderText(MustExtract(html));
  for (int i = 1; i <= 4; ++i) {
    EXPECT_NE(text.find("Feature " + std::to_string(i)), std::string::npos) << text;
  }
}

// A page builder's layout: every block is a "widget" (a boilerplate word)
// beside a per-element id class, each in its own column.
std::string BuilderPage(bool one_column) {
  std::string html =
      "<html><body><div class=\"col\"><div class=\"pb-element pb-element-a1 pb-widget\">"
      "<a href=/>Home</a> <a href=/about>About</a></div></div>";
  for (int i = 1; i <= 4; ++i) {
    if (!one_column || i == 1) html += "<div class=\"col\">";
    html += "<div class=\"pb-element pb-element-b" + std::to_string(i) +
            " pb-widget\"><p>Paragraph " + std::to_string(i) +
            ": the river rose overnight, and by morning the lower fields were under water, "
            "so the farmers moved the sheep to the hill pasture.</p></div>";
    if (!one_column || i == 4) html += "</div>";
  }
  html += "</body></html>";
  return html;
}

TEST(ExtractPageType, ClassNameOnEveryBlockOfTheLayoutIsNotAHint) {
  const std::string text = RenderText(MustExtract(BuilderPage(false)));
  for (int i = 1; i <= 4; ++i) {
    EXPECT_NE(text.find("Paragraph " + std::to_string(i)), std::string::npos) << text;
  }
}

TEST(ExtractPageType, ClassNameOfTheBlocksOfOneColumnStaysAHint) {
  // The same blocks as siblings in one column (a sidebar's widgets): the
  // name keeps its meaning, the blocks are not content.
  std::string html = BuilderPage(true);
  html.insert(html.find("</body>"),
              "<div class=main><p>The main story of the page: a long paragraph about the "
              "harvest, the weather of the summer, and the prices at the market, with more "
              "words.</p><p>A second paragraph of the story, also long enough to be prose, "
              "about the sheep, the hill pasture and the farmers.</p></div>");
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("main story"), std::string::npos) << text;
  EXPECT_EQ(text.find("Paragraph 2"), std::string::npos) << text;
}

TEST(ExtractPageType, GridUnderALargerMenuIsKeptWhateverItsName) {
  // A mega-menu header holds more text than the product grid, all of it
  // links; the grid's wrapper is named "promo" (a boilerplate word) but
  // holds most of the page's text outside links.
  std::string html = "<html><body><header class=site-header><ul>";
  for (int i = 0; i < 60; ++i) {
    html += "<li><a href=/c/" + std::to_string(i) + ">Category number " + std::to_string(i) +
            " of the shop</a></li>";
  }
  html += "</ul></header><div id=promo-page-wrapper><h1>Running shoes</h1><ul>";
  for (int i = 0; i < 8; ++i) {
    html += "<li class=card><a href=/p/" + std::to_string(i) + ">Trail shoe model " +
            std::to_string(i) + "</a><p>$124.93, 133 reviews, average rating 4.6 out of 5</p>"
            "<p>Heel to toe drop: 7 mm. Cushioning: maximum. Support: neutral.</p></li>";
  }
  html += "</ul></div><footer><a href=/terms>Terms</a></footer></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("Trail shoe model 0"), std::string::npos) << text;
  EXPECT_NE(text.find("Heel to toe drop: 7 mm"), std::string::npos) << text;
  EXPECT_EQ(text.find("Category number 5 "), std::string::npos) << text;
}

std::string DocsPage(const std::string& id) {
  std::string html = "<html><body><div class=sphinxsidebar><a href=/>Index</a></div><div class=body>";
  html += "<section id=intro><h1><a href=\"#intro\">Data structures</a></h1><p>This chapter "
          "describes some things you have learned about already in more detail, and adds some "
          "new things as well.</p><p>Lists, tuples, sets and dictionaries each get a section below, "
          "with the operations they support and the costs of those operations.</p><p>Looping "
          "techniques and conditions come last, with examples of comparing sequences and other "
          "types.</p><p>Each section ends with a short summary of what was shown, and the "
          "chapter ends with a list of the functions it used.</p><p>Readers who know another "
          "language may skip to the examples, which show the same ideas in fewer words.</p>"
          "</section>";
  html += "<section id=" + id + "><h2><a href=\"#" + id + "\">5.1. More on Lists</a></h2>"
          "<p>The list data type has some more methods. Here are all of the methods of list "
          "objects, with what each of them returns and when it raises an error.</p>"
          "<p>An example that uses most of the list methods follows, with the results printed "
          "after each call so that the reader can follow along.</p></section>";
  html += "</div></body></html>";
  return html;
}

TEST(ExtractPageType, SectionIdSpellingItsHeadingIsNotAHint) {
  // "more-on-lists" holds "more" (a related-content word), but it spells
  // the section's own heading: a section of the text.
  const std::string text = RenderText(MustExtract(DocsPage("more-on-lists")));
  EXPECT_NE(text.find("The list data type"), std::string::npos) << text;
  // The section headings link to themselves ("#intro"): they are headings,
  // not links away.
  EXPECT_NE(text.find("5.1. More on Lists"), std::string::npos) << text;
}

TEST(ExtractPageType, SectionIdNotSpellingItsHeadingStaysAHint) {
  const std::string text = RenderText(MustExtract(DocsPage("more-from-us")));
  EXPECT_EQ(text.find("The list data type"), std::string::npos) << text;
}

std::string ChapterPage(int entries) {
  std::string html = "<html><body><nav><a href=/>Home</a> <a href=/docs>Docs</a></nav>"
                     "<div id=docContent><h1>Chapter 11. Indexes</h1><div class=toc><dl>";
  for (int i = 1; i <= entries; ++i) {
    html += "<dt><a href=/docs/indexes-" + std::to_string(i) + ".html>11." + std::to_string(i) +
            ". Index section number " + std::to_string(i) + "</a></dt>";
  }
  html += "</dl></div><p>Indexes are a common way to enhance database performance. An index "
          "allows the database server to find and retrieve specific rows much faster.</p></div>"
          "<footer><a href=/terms>Terms</a></footer></body></html>";
  return html;
}

TEST(ExtractPageType, TableOfContentsOfAChapterPageIsKept) {
  // Nothing but the TOC and a paragraph: the links are the content.
  const std::string text = RenderText(MustExtract(ChapterPage(12)));
  EXPECT_NE(text.find("11.7. Index section number 7"), std::string::npos) << text;
  EXPECT_NE(text.find("enhance database performance"), std::string::npos) << text;
  EXPECT_EQ(text.find("Terms"), std::string::npos) << text;
}

TEST(ExtractPageType, ShortLinkListBesideTheTextStaysOut) {
  const std::string text = RenderText(MustExtract(ChapterPage(2)));
  EXPECT_EQ(text.find("Index section number 1"), std::string::npos) << text;
  EXPECT_NE(text.find("enhance database performance"), std::string::npos) << text;
}

std::string ReviewsPage(bool product) {
  std::string html = "<html><head>";
  if (product) {
    html += "<script type=\"application/ld+json\">{\"@type\":\"Product\",\"name\":\"Trail 25"
            "\"}</script>";
  }
  html += "</head><body><div class=main><h1>Trail 25 pack</h1><p>A light daypack of recycled "
          "nylon with a padded back panel, a hip belt and a rain cover in the bottom pocket.</p>"
          "<p>The main compartment opens wide and holds a hydration sleeve, and the lid pocket "
          "keeps keys and snacks within reach.</p></div><div class=reviews>";
  for (int i = 1; i <= 4; ++i) {
    html += "<div class=review-item><p>Reviewer " + std::to_string(i) + " wrote: carried it on a "
            "long weekend of hiking, comfortable all day, and the rain cover kept my things dry.</p>"
            "</div>";
  }
  html += "</div></body></html>";
  return html;
}

TEST(ExtractPageType, CustomerReviewsOfAProductStayOut) {
  const std::string text = RenderText(MustExtract(ReviewsPage(true)));
  EXPECT_NE(text.find("light daypack"), std::string::npos) << text;
  EXPECT_EQ(text.find("Reviewer 2 wrote"), std::string::npos) << text;
}

TEST(ExtractPageType, ReviewNamedBlocksOfOtherPagesAreText) {
  const std::string text = RenderText(MustExtract(ReviewsPage(false)));
  EXPECT_NE(text.find("Reviewer 2 wrote"), std::string::npos) << text;
}

TEST(ExtractPageType, ContentOnlyInHiddenElementsIsRead) {
  // A streaming renderer's hidden chunks: nothing visible but the footer.
  const std::string html =
      "<html><body><div hidden id=\"S:0\"><article><h1>Charging at home</h1><p>Most owners "
      "charge overnight in the garage, which costs less than a public charger and is ready "
      "every morning.</p><p>A wall box of eleven kilowatts fills a typical battery in about "
      "seven hours, enough for any commute.</p><p>Charging at work is often free, and a "
      "few employers now offer it to every worker who drives an electric car.</p></article></div><footer><a href=/terms>Terms"
      "</a> <a href=/privacy>Privacy</a></footer></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("Most owners charge overnight"), std::string::npos) << text;
  EXPECT_NE(text.find("wall box"), std::string::npos) << text;
}

std::string ProductPage(bool visible_description) {
  const std::string desc =
      "A dark roast of arabica and robusta beans, roasted slowly in small batches for a bold "
      "and smooth cup without bitterness.";
  std::string html =
      "<html><head><script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
      "\"@type\":\"Product\",\"name\":\"Dark Roast\",\"description\":\"" + desc +
      "\"}</script></head><body><header><a href=/>Home</a> <a href=/shop>Shop</a></header>"
      "<div id=app><h1>Dark Roast</h1>";
  if (visible_description) html += "<p>" + desc + "</p>";
  html += "</div><footer><a href=/terms>Terms</a></footer></body></html>";
  return html;
}

TEST(ExtractPageType, ProductDescriptionFromJsonLdWhenNotOnThePage) {
  const std::string text = RenderText(MustExtract(ProductPage(false)));
  EXPECT_NE(text.find("roasted slowly in small batches"), std::string::npos) << text;
  EXPECT_EQ(text.find("Terms"), std::string::npos) << text;
}

TEST(ExtractPageType, ProductDescriptionFromJsonLdBesideOtherText) {
  // The page kept more text than the description (a shipping and returns
  // note), none of it the description: the description is added.
  std::string html = ProductPage(false);
  html.insert(html.find("</div><footer>"),
              "<div class=shipping><p>Orders placed before noon leave our roastery the same day, "
              "and every order over thirty euros ships free to any address in the country.</p>"
              "<p>Unopened bags may be returned within thirty days for a full refund; opened bags "
              "are replaced when the coffee arrived damaged or stale.</p></div>");
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("Orders placed before noon"), std::string::npos) << text;
  EXPECT_NE(text.find("roasted slowly in small batches"), std::string::npos) << text;
}

TEST(ExtractPageType, ProductDescriptionOnThePageIsNotRepeated) {
  const std::string text = RenderText(MustExtract(ProductPage(true)));
  const size_t at = text.find("roasted slowly");
  ASSERT_NE(at, std::string::npos) << text;
  EXPECT_EQ(text.find("roasted slowly", at + 1), std::string::npos) << text;
}

TEST(ExtractPageType, JsonLdInsideAHiddenBlockIsRead) {
  std::string html = ProductPage(false);
  // The same JSON-LD moved into a hidden element of the body.
  const size_t s = html.find("<script");
  const size_t e = html.find("</script>") + 9;
  const std::string script = html.substr(s, e - s);
  html.erase(s, e - s);
  html.insert(html.find("<footer>"), "<div style=\"display:none\">" + script + "</div>");
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("roasted slowly in small batches"), std::string::npos) << text;
}

TEST(ExtractPageType, NoscriptContentIsRead) {
  // Scripting off, as a crawler sees the page: forum software serves its
  // posts inside <noscript>.
  const std::string html =
      "<html><body><div id=app></div><noscript><div class=\"post\"><p>The server-rendered "
      "post explains how to rotate the keys, step by step, for every node of the "
      "cluster.</p></div></noscript></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("rotate the keys"), std::string::npos) << text;
}

TEST(ExtractPageType, ArticleOfWidgetBlocksInOneColumnIsKept) {
  // A page builder names every paragraph block of the article a "widget"
  // (each class value unique), all in one column as a sidebar's widgets
  // are: when dropping them would leave the page empty, the name is no
  // hint.
  std::string html = "<html><body><div class=\"col\">";
  for (int k = 0; k < 5; ++k) {
    html += "<div class=\"elementor-element elementor-element-" + std::to_string(4711 * (k + 3)) +
            "a elementor-widget elementor-widget-text-editor\"><p>Part " + std::to_string(k) +
            " of the guide weighs the pros and cons of consulting: the pay, the hours, the "
            "travel, and what the work teaches you in your first years.</p></div>";
  }
  html += "</div></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("Part 0"), std::string::npos) << text;
  EXPECT_NE(text.find("Part 4"), std::string::npos) << text;
}

TEST(ExtractPageType, ArticleInWrappersNestedInOneAnotherIsKept) {
  // A page builder's wrapper class (a boilerplate word in it) around the
  // whole article and again around each of its sections: the outermost
  // holds all the text, one element; nested in itself at every level it
  // names no part of the page when the page would otherwise be empty.
  std::string html = "<html><body><div class=\"pb-widget-wrap pb-populated\">";
  for (int k = 0; k < 4; ++k) {
    html += "<section><div class=\"pb-widget-wrap pb-populated\"><p>Section " + std::to_string(k) +
            " of the guide: the proxies listen for the signals of phones and watches, and "
            "the nearest proxy tells the house which room you are in.</p></div></section>";
  }
  html += "</div></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("Section 0"), std::string::npos) << text;
  EXPECT_NE(text.find("Section 3"), std::string::npos) << text;
}

TEST(ExtractPageType, MarkedArticleIsNotWidenedIntoAFooterParagraph) {
  // A short marked article holding under 30% of the page's prose, and one
  // long legal paragraph below it: widening takes in fewer paragraphs
  // than the article holds, so it is no page of sections.
  std::string html = "<html><body><div class=menu><ul>";
  for (int i = 0; i < 60; ++i) {
    html += "<li><a href=/s" + std::to_string(i) + ">Section number " + std::to_string(i) + "</a></li>";
  }
  html += "</ul></div><div class=wrap><div class=main><article>";
  for (int k = 0; k < 3; ++k) {
    html += "<p>Story " + std::to_string(k) +
            ": the league and the players, after weeks apart, met again on Tuesday, in New "
            "York, for talks that both sides called useful and long.</p>";
  }
  html += "</article></div><div class=legal><p>Legal: ";
  for (int k = 0; k < 8; ++k) {
    html += "this web site is the official site of the league and its names and marks belong "
            "to their owners and may not be used without permission ";
  }
  html += "of the league.</p></div></div></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("Story 2"), std::string::npos) << text;
  EXPECT_EQ(text.find("Legal:"), std::string::npos) << text;
}

TEST(ExtractPageType, MarkupSavedAsTextInNoscriptIsNotText) {
  // A page saved by a browser with scripting on holds its <noscript>
  // content as text: "&lt;img src=...&gt;" is a tracking pixel, not text.
  // Text in a <noscript> that does not start like a tag stays.
  std::string html = "<html><body><article>";
  for (int k = 0; k < 3; ++k) {
    html += "<p>Paragraph " + std::to_string(k) +
            " of the story tells how the new protection encrypts traffic on public networks, "
            "and what it costs.</p>";
  }
  html += "<script>track()</script><noscript>&lt;div style=\"position:absolute;\"&gt;&lt;img "
          "width=1 height=1 alt=\"\" src=\"http://b.example.com/b?P=1&amp;T=2\"&gt;&lt;/div&gt;"
          "</noscript><noscript>Please enable scripts to see the comments.</noscript>"
          "</article></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("Paragraph 2"), std::string::npos) << text;
  EXPECT_EQ(text.find("position:absolute"), std::string::npos) << text;
  EXPECT_EQ(text.find("b.example.com"), std::string::npos) << text;
}

// A listing's results under a wrapper named like a search box, beside a
// sidebar of filters.
std::string SearchResultsPage(const std::string& results_class) {
  std::string html = "<html><body><header><a href=/>Home</a> <a href=/shop>Shop</a></header>"
                     "<div class=page><aside class=filters>";
  for (int i = 0; i < 10; ++i) {
    html += "<p>Brightness class " + std::to_string(i) + " (12 items)</p>";
  }
  html += "</aside><div class=\"" + results_class + "\"><h1>Helmet lights</h1><p>6 results</p><ul>";
  for (int i = 0; i < 6; ++i) {
    html += "<li class=tile><a href=/p/" + std::to_string(i) + ">Vent light model " +
            std::to_string(i) + "</a><p>$" + std::to_string(20 + i) + ".95, five LEDs, clips to "
            "the helmet's vents</p></li>";
  }
  html += "</ul></div></div><footer><a href=/terms>Terms</a><p>Lights and Helmets Ltd, 12 Mill "
          "Lane, Harbour Town. Registered in the county under number 0042, VAT number 1234. "
          "Prices include tax where it applies; delivery costs are shown at checkout. Orders "
          "placed before noon leave the same day; returns are free within thirty days.</p>"
          "</footer></body></html>";
  return html;
}

TEST(ExtractPageType, SearchResultsAreTheListing) {
  // "search" names a box of a few words and a button, which the form rule
  // drops; results under a wrapper named so are the page's listing.
  const std::string text = RenderText(MustExtract(SearchResultsPage("container search-results")));
  EXPECT_NE(text.find("Vent light model 0"), std::string::npos) << text;
  EXPECT_NE(text.find("Vent light model 5"), std::string::npos) << text;
  EXPECT_EQ(text.find("Terms"), std::string::npos) << text;
}

TEST(ExtractPageType, ModalDialogHoldingMostProseIsNoWrapper) {
  // A privacy policy in a modal dialog holds most of the page's prose; it
  // lies over the page, it does not wrap it.
  for (const std::string open : {"<div id=policy-modal aria-modal=true>",
                                 "<div role=dialog aria-modal=\"true\" class=takeover>"}) {
    const std::string close = "</div>";
    std::string html = "<html><body><main><h1>Wool runner</h1><p>A soft wool shoe for every "
                       "day, light on the foot and easy to wash.</p><ul><li>Merino wool upper, "
                       "breathable</li><li>Sugarcane sole, cushioned</li></ul></main>" + open +
                       "<h2>Privacy policy</h2>";
    for (int k = 0; k < 12; ++k) {
      html += "<p>Clause " + std::to_string(k) + ": we process personal data, as a controller, "
              "for the purposes of running our business, complying with law, and protecting "
              "our customers, and we keep it no longer than we need to.</p>";
    }
    html += close + "</body></html>";
    const std::string text = RenderText(MustExtract(html));
    EXPECT_NE(text.find("A soft wool shoe"), std::string::npos) << open << text;
    EXPECT_EQ(text.find("Clause 3"), std::string::npos) << open << text;
  }
}

// A page with a header-named block holding its title and an intro,
// above its text; `head` goes into <head>.
std::string HeaderBlockPage(const std::string& head) {
  std::string html = "<html><head>" + head + "</head><body><div class=\"browse-header\">"
                     "<h1>Trail running watches</h1><p>These watches give you answers to your "
                     "distance and pace questions, on every trail and in every weather.</p></div>"
                     "<div class=\"body\">";
  for (int k = 0; k < 4; ++k) {
    html += "<p>Paragraph " + std::to_string(k) + ": battery life, satellite systems, maps and "
            "heart rate sensors differ from one model to the next, and so does the price.</p>";
  }
  html += "</div><footer><a href=/terms>Terms</a></footer></body></html>";
  return html;
}

TEST(ExtractPageType, HeaderNamedIntroOfAListingIsKept) {
  // "header" names the top part of any block (a listing's title and intro,
  // a card's, a table's): on a page that is not an article it is no hint.
  const std::string text = RenderText(MustExtract(HeaderBlockPage("")));
  EXPECT_NE(text.find("These watches give you answers"), std::string::npos) << text;
  EXPECT_NE(text.find("Paragraph 3"), std::string::npos) << text;
}

TEST(ExtractPageType, HeaderNamedBlockOfAnArticleStaysOut) {
  // On a page that declares an article it is the headline and byline block.
  const std::string text = RenderText(
      MustExtract(HeaderBlockPage("<meta property=\"og:type\" content=\"article\">")));
  EXPECT_EQ(text.find("These watches give you answers"), std::string::npos) << text;
  EXPECT_NE(text.find("Paragraph 3"), std::string::npos) << text;
}

// A product page whose description and specifications sit in collapsed
// panels: `open` and `close` wrap each panel's content.
std::string PanelsPage(const std::string& open, const std::string& close) {
  return "<html><body><header><a href=/>Home</a> <a href=/shop>Shop</a></header><main>"
         "<h1>Summit fire pit</h1><p>Our tallest flame, lit in seconds, for five to seven "
         "people around the fire on a cold night.</p>"
         "<button aria-controls=p1 aria-expanded=false>Description</button>" + open +
         "<p>The quick-strike cone lights the fire in seconds; the double wall draws air "
         "along the steel so the wood burns with almost no smoke.</p>" + close +
         "<button aria-controls=p2 aria-expanded=false>Dimensions</button>" + open +
         "<p>Height 50 cm, diameter 61 cm, weight 18 kg, stainless steel 304 throughout, "
         "with a removable ash pan.</p>" + close +
         "<div style=\"display:none\" class=mini-cart><p>Your cart is empty. Free shipping "
         "on orders over fifty euros, returns within thirty days.</p></div>"
         "</main><footer><a href=/terms>Terms</a></footer></body></html>";
}

TEST(ExtractPageType, CollapsedTabAndAccordionPanelsAreRead) {
  // Hidden until a click, but the page's text: role=tabpanel, or a
  // collapsing wrapper around a role=region panel.
  for (const auto& [open, close] : std::vector<std::pair<std::string, std::string>>{
           {"<div role=tabpanel hidden>", "</div>"},
           {"<div class=collapse style=\"display:none\"><div role=region>", "</div></div>"}}) {
    const std::string text = RenderText(MustExtract(PanelsPage(open, close)));
    EXPECT_NE(text.find("quick-strike cone"), std::string::npos) << open << text;
    EXPECT_NE(text.find("Height 50 cm"), std::string::npos) << open << text;
    EXPECT_EQ(text.find("Your cart is empty"), std::string::npos) << open << text;
  }
}

TEST(ExtractPageType, TableNamedStickyHeaderIsKept) {
  // A list page's data table whose header row stays on screen
  // (class "sticky-header"): a table, not the page's header.
  std::string html = "<html><body><header><a href=/>Home</a></header><main><h1>List of "
                     "laureates</h1><p>The prize has been awarded every year since 1901, "
                     "except in the war years, to the people listed below.</p>";
  html += "<table class=\"wikitable sortable sticky-header\"><tr><th>Year</th>"
                     "<th>Laureate</th><th>Country</th></tr>";
  for (int i = 0; i < 30; ++i) {
    html += "<tr><td>" + std::to_string(1901 + i) + "</td><td><a href=/wiki/L" +
            std::to_string(i) + ">Laureate number " + std::to_string(i) +
            "</a></td><td><a href=/wiki/C" + std::to_string(i % 7) + ">Country " +
            std::to_string(i % 7) + "</a></td></tr>";
  }
  html += "</table></main><aside>";
  for (int k = 0; k < 6; ++k) {
    html += "<p>Note " + std::to_string(k) + ": the committee meets in the autumn, reads the "
            "nominations sent by former laureates and members of the academies, and names "
            "the winner in October, with the prize given in December.</p>";
  }
  html += "</aside><footer><a href=/terms>Terms</a></footer></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("Laureate number 29"), std::string::npos) << text;
  EXPECT_NE(text.find("1930"), std::string::npos) << text;
}

TEST(ExtractPageType, ListingOfTitleOnlyCardsKeepsItsLinks) {
  // Each card is one linked title: no prose anywhere, so the container
  // keeps too little and the block classifier keeps no links; the page is
  // its links.
  std::string html = "<html><body><header><a href=/>Home</a> <a href=/recipes>Recipes</a>"
                     "</header><main><h1>Tomato sauces</h1><div class=grid>";
  for (int i = 0; i < 30; ++i) {
    html += "<a class=card href=/r/" + std::to_string(i) + "><div>Slow-cooked tomato sauce "
            "number " + std::to_string(i) + " with basil</div></a>";
  }
  html += "</div></main><footer><a href=/terms>Terms</a></footer></body></html>";
  const std::string text = RenderText(MustExtract(html));
  EXPECT_NE(text.find("tomato sauce number 0 with"), std::string::npos) << text;
  EXPECT_NE(text.find("tomato sauce number 29 with"), std::string::npos) << text;
  EXPECT_EQ(text.find("Terms"), std::string::npos) << text;
}

// A service page under <main>: a hero, a grid of offers (short lines, more
// text than the rest) and a testimonial (the only prose), none of them
// headed sections; `head` goes into <head>.
std::string PartsUnderMainPage(const std::string& head) {
  std::string html = "<html><head>" + head + "</head><body><header><a href=/>Home</a> "
                     "<a href=/pricing>Pricing</a></header><main><div><div><div><div><div>"
                     "<div class=hero><h1>Managed "
                     "backups</h1><p>Every database, every hour.</p></div><div class=offers>";
  for (int i = 0; i < 12; ++i) {
    html += "<div class=offer><p>Offer " + std::to_string(i) + ": " + std::to_string(7 + i) +
            " days</p><p>From " + std::to_string(10 * (i + 1)) + " euros</p></div>";
  }
  html += "</div><div class=quote><p>They restored our shop in eleven minutes, on a Sunday, "
          "and the support engineer explained, step by step, what had gone wrong, why, and "
          "how to keep it from happening again.</p></div></div></div></div></div></div>"
          "</main><footer><a href=/terms>Terms"
          "</a></footer></body></html>";
  return html;
}

TEST(ExtractPageType, PartsOfMainAreKeptOnAServicePage) {
  // The best-scored block (the testimonial) is a minor part of <main>: on a
  // page that declares no article, <main> is the content.
  const std::string text = RenderText(MustExtract(PartsUnderMainPage("")));
  EXPECT_NE(text.find("Offer 11: 18 days"), std::string::npos) << text;
  EXPECT_NE(text.find("restored our shop"), std::string::npos) << text;
  EXPECT_EQ(text.find("Terms"), std::string::npos) << text;
}

TEST(ExtractPageType, PartsOfMainOfAnArticleAreNotWidened) {
  const std::string text = RenderText(
      MustExtract(PartsUnderMainPage("<meta property=\"og:type\" content=\"article\">")));
  EXPECT_NE(text.find("restored our shop"), std::string::npos) << text;
  EXPECT_EQ(text.find("Offer 11: 18 days"), std::string::npos) << text;
}

TEST(ExtractPageType, ContainerOutsideMainGivesWayToMain) {
  // The page's only prose is a company blurb below <main>; <main> holds
  // the listing's short lines. Content outside the page's one <main> (or,
  // without one, its one <article>) is not its content.
  for (const std::string tag : {"main", "article"}) {
    std::string html = "<html><body><header><a href=/>Home</a></header><div class=page><" +
                       tag + "><h1>Helmet lights</h1><ul>";
    for (int i = 0; i < 8; ++i) {
      html += "<li>Vent light model " + std::to_string(i) + ", $" + std::to_string(20 + i) +
              ".95</li>";
    }
    html += "</ul></" + tag + "></div><div class=company><p>Founded by two riders in a garage, "
            "our company has made lights, helmets and gloves for people who ride at night, in "
            "the rain and in the city, for more than twenty years, and we still test every one "
            "of them on our own bikes.</p></div><footer><a href=/terms>Terms</a></footer>"
            "</body></html>";
    const std::string text = RenderText(MustExtract(html));
    EXPECT_NE(text.find("Vent light model 7"), std::string::npos) << tag << text;
    EXPECT_EQ(text.find("Founded by two riders"), std::string::npos) << tag << text;
  }
}

// --- hostile input: no crash, bounded time/memory ---

// Input whose first 4096 bytes are more than 5% control bytes (NUL and the
// bytes below 0x20 but tab, LF, FF and CR) is not HTML; bytes 0x7F..0xFF
// and the allowed controls do not count, wherever they sit in a word.
TEST(ExtractBadInput, ControlBytesCountedExactlyAtTheFivePercentLine) {
  std::string filler;
  const std::string mix = std::string("ab\t\n\f\r \x7f\x80\x8a\x9f\xc3\xa9z ") + "word ";
  for (int i = 0; static_cast<int>(filler.size()) < 6000; ++i) filler += mix[(i * 7) % mix.size()];
  const std::string head = "<html><body><p>";
  for (int k : {204, 205}) {
    std::string page = head + filler;
    int placed = 0;
    for (size_t at = head.size() + 1; placed < k; at += 19, ++placed) {
      const unsigned char bad[] = {0x00, 0x01, 0x08, 0x0b, 0x0e, 0x1b, 0x1f};
      page[at] = static_cast<char>(bad[placed % 7]);
    }
    ASSERT_LT(head.size() + 1 + 19 * (k - 1), 4096u);
    const bool binary = MustExtract(page).reason == "not html";
    // 204 * 20 = 4080 is not more than 4096; 205 * 20 = 4100 is.
    EXPECT_EQ(binary, k == 205) << k;
  }
}

TEST(ExtractBadInput, BinaryData) {
  std::string bin;
  for (int i = 0; i < 100000; ++i) bin.push_back(static_cast<char>((i * 7919) & 0xFF));
  ExtractResult r = MustExtract(bin);
  EXPECT_TRUE(r.blocks.empty());
  EXPECT_EQ(r.reason, "not html");
  // Binary after an HTML-looking start still does not crash.
  ExtractResult r2 = MustExtract("<html><body><p>" + bin + "</p></body></html>");
  (void)r2;
}

TEST(ExtractBadInput, FiftyMegabytePage) {
  std::string html = "<html><body><article>";
  const std::string para =
      "<p>This paragraph is repeated many times to make a very large page, with commas, "
      "words and sentences.</p>\n";
  while (html.size() < (50u << 20)) html += para;
  html += "</article></body></html>";
  ExtractResult r = MustExtract(html);
  EXPECT_FALSE(r.blocks.empty());
}

TEST(ExtractBadInput, InputCutAtMaxBytes) {
  std::string html = "<html><body><article>";
  while (html.size() < 200000) html += "<p>Words and more words, in a sentence about ñ things.</p>";
  ExtractOptions o;
  o.max_input_bytes = 100001;
  ExtractResult r = MustExtract(html, o);
  EXPECT_TRUE(r.truncated);
  EXPECT_FALSE(r.blocks.empty());
}

TEST(ExtractBadInput, MillionNestedElements) {
  std::string html = "<html><body>";
  html.reserve(8u << 20);
  for (int i = 0; i < 1000000; ++i) html += "<div>";
  html += "deep text, deep down in the tree, where nobody would look for it, or so we thought";
  ExtractResult r = MustExtract(html);
  (void)r;  // no crash, no stack overflow
  std::string spans = "<html><body><p>";
  for (int i = 0; i < 1000000; ++i) spans += "<span>";
  spans += "x";
  ExtractResult r2 = MustExtract(spans);
  (void)r2;
}

TEST(ExtractBadInput, HundredThousandAttributes) {
  std::string html = "<html><body><div";
  for (int i = 0; i < 100000; ++i) html += " a" + std::to_string(i) + "=\"v\"";
  html += " class=\"content\"><p>Text after a tag with far too many attributes, which the "
          "parser caps, and the extractor must still handle well.</p></div></body></html>";
  ExtractResult r = MustExtract(html);
  EXPECT_NE(RenderText(r).find("Text after a tag"), std::string::npos);
}

TEST(ExtractBadInput, BrokenEncoding) {
  std::string html =
      "<html><body><article><p>Caf\xE9 cr\xE8me \xFF\xFE broken \xC3 bytes, and a paragraph "
      "long enough to be kept as the content of the page.</p></article></body></html>";
  ExtractResult r = MustExtract(html);
  ASSERT_FALSE(r.blocks.empty());
}

TEST(ExtractBadInput, TruncatedMarkup) {
  const char* cases[] = {"<", "<html", "<html><body><p", "<!--", "<p>a<b>b<i>c", "<table><tr><td>",
                         "<script>", "</p></div></body>", "<pre>\n", "<a href='x"};
  for (const char* c : cases) {
    StatusOr<ExtractResult> r = Extract(c, "", {});
    EXPECT_TRUE(r.ok()) << c;
  }
}

// --- the pipeline stage ---

TEST(ExtractStage, FillsBlocksAndMetadata) {
  StageRegistry registry;
  RegisterExtractStages(&registry);
  ASSERT_TRUE(registry.Has("extract"));
  Config config;
  StatusOr<std::unique_ptr<Stage>> stage = registry.Create("extract", config);
  ASSERT_TRUE(stage.ok()) << stage.status().ToString();
  Document doc;
  doc.kind = DocKind::kHtml;
  doc.url = "https://news.example.org/x";
  doc.raw = ReadFile(kGolden / "article_nav_footer.html");
  (*stage)->Process(doc);
  EXPECT_TRUE(doc.decision.keep);
  EXPECT_EQ(doc.Text(), StripTrailingNewlines(ReadFile(kGolden / "article_nav_footer.txt")));
  EXPECT_EQ(doc.annotations.title, "Rivers of the North | Example News");
  EXPECT_EQ(doc.annotations.authors, std::vector<std::string>{"Jane Doe"});
  EXPECT_EQ(doc.annotations.site_name, "Example News");

  Document empty;
  empty.kind = DocKind::kHtml;
  empty.raw = "<html><body><nav><a href=/>Home</a></nav></body></html>";
  (*stage)->Process(empty);
  EXPECT_FALSE(empty.decision.keep);
  EXPECT_EQ(empty.decision.stage, "extract");
  EXPECT_EQ(empty.decision.reason, "no_content");

  Document text;
  text.kind = DocKind::kText;
  text.raw = "plain text";
  text.SetTextLines("plain text");
  (*stage)->Process(text);
  EXPECT_TRUE(text.decision.keep);
  EXPECT_EQ(text.Text(), "plain text");
}

TEST(ExtractStage, RejectsBadConfig) {
  StageRegistry registry;
  RegisterExtractStages(&registry);
  Config config;
  config.Set("extract.max_input_bytes", "0");
  EXPECT_FALSE(registry.Create("extract", config).ok());
}

// --- metrics ---

TEST(Metrics, TokenF1) {
  EXPECT_DOUBLE_EQ(eval::TokenF1("", "").f1, 1.0);
  EXPECT_DOUBLE_EQ(eval::TokenF1("a", "").f1, 0.0);
  EXPECT_DOUBLE_EQ(eval::TokenF1("", "a").f1, 0.0);
  EXPECT_DOUBLE_EQ(eval::TokenF1("The cat, the hat.", "the CAT the hat").f1, 1.0);
  // gold {a, b, c, d}, prediction {a, b, x}: tp 2, P 2/3, R 1/2.
  eval::Prf p = eval::TokenF1("a b c d", "a b x");
  EXPECT_NEAR(p.precision, 2.0 / 3, 1e-12);
  EXPECT_NEAR(p.recall, 0.5, 1e-12);
  EXPECT_NEAR(p.f1, 2 * (2.0 / 3) * 0.5 / (2.0 / 3 + 0.5), 1e-12);
  // Multisets: a repeated token counts once per occurrence.
  EXPECT_NEAR(eval::TokenF1("a a", "a").recall, 0.5, 1e-12);
  // Unicode \w: letters of any script, digits, underscore; punctuation splits.
  std::vector<std::string> t = eval::WordTokens("Ünïcode_x 東京 l'été 42-3", true);
  ASSERT_EQ(t.size(), 6u);
  EXPECT_EQ(t[0], "ünïcode_x");
  EXPECT_EQ(t[1], "東京");
  EXPECT_EQ(t[2], "l");
  EXPECT_EQ(t[3], "été");
}

TEST(Metrics, SegmentCounts) {
  eval::SegmentCounts c = eval::SegmentMatch({"a  b", "zzz"}, {"c d", "nope"}, "x a\nb y c d");
  EXPECT_EQ(c.tp, 1);
  EXPECT_EQ(c.fn, 1);
  EXPECT_EQ(c.fp, 1);
  EXPECT_EQ(c.tn, 1);
  EXPECT_NEAR(c.Score().f1, 0.5, 1e-12);
}

TEST(Metrics, ShingleGoldVersusGold) {
  const std::string gold = "one two three four five six seven";
  eval::ShingleCounts c = eval::ShingleMatch(gold, gold);
  EXPECT_DOUBLE_EQ(c.tp, 1.0);
  EXPECT_NEAR(eval::ShingleScore({c}).f1, 1.0, 1e-12);
  eval::ShingleCounts half = eval::ShingleMatch(gold, "one two three four");
  EXPECT_GT(half.fn, 0);
  EXPECT_LT(eval::ShingleScore({half}).f1, 1.0);
}

// Gold against gold on the real sets gives exactly 1 (the metric code agrees
// with itself on real text, including non-Latin scripts).
TEST(Metrics, GoldVersusGoldOnSharedData) {
  const fs::path set = fs::path(WINNOW_SHARED_DIR) / "data/extraction/scrapinghub.jsonl.gz";
  if (!fs::exists(set)) GTEST_SKIP() << "shared data not found at " << set;
  // Reading the gzip JSONL is the bench's job; here a few fixed texts suffice.
  for (const char* g : {"Привет, мир! Это тест.", "日本語のテキスト、テスト。", "plain text 123"}) {
    EXPECT_DOUBLE_EQ(eval::TokenF1(g, g).f1, 1.0);
    EXPECT_NEAR(eval::ShingleScore({eval::ShingleMatch(g, g)}).f1, 1.0, 1e-12);
  }
}

}  // namespace
}  // namespace winnow
