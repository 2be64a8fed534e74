// Extraction decided by the page's structure rather than its words
// (issue 17 part 4): boxes named like sidebars inside the flow of the text,
// navigation by structure, length rules that mean the same in every script.
#include <gtest/gtest.h>

#include <string>

#include "winnow/extract.h"

namespace winnow {
namespace {

std::string Text(const std::string& html) {
  StatusOr<ExtractResult> r = Extract(html, "https://docs.example.org/guide/page.html", ExtractOptions());
  return r.ok() ? RenderText(r.value()) : "error: " + r.status().message();
}

std::string Para(int n) {
  return "<div class=\"para\">Paragraph " + std::to_string(n) +
         " of the chapter explains how the package system keeps track of installed files, "
         "which scripts run at installation and removal, and how conflicts are resolved.</div>";
}

// A DocBook chapter: a note box (class "sidebar") between paragraphs, and
// the site's real sidebar (a menu) beside the content. `box` is the note.
std::string ChapterWithBox(const std::string& box, bool between) {
  std::string html =
      "<html><body><div class=\"sidebar\" id=\"menu\"><p>This guide is maintained by a team of "
      "volunteers who welcome corrections, translations and new chapters from every reader of "
      "it; write to the team's mailing list or open a request on the tracker to help.</p>"
      "<a href=\"/a\">Install</a> <a href=\"/b\">Upgrade</a></div><div class=\"chapter\"><h1>Packages</h1>";
  for (int i = 0; i < 3; ++i) html += Para(i);
  html += "<div class=\"sidebar\">" + box + "</div>";
  if (between) {
    for (int i = 3; i < 6; ++i) html += Para(i);
  }
  html += "</div></body></html>";
  return html;
}

const char kNote[] =
    "<p class=\"title\"><strong>TIP Incremental updates</strong></p><div class=\"para\">The update "
    "command downloads, for each package source, the list of its packages. Even compressed, these "
    "files can be large, and a daily download of all of them takes time on a slow line.</div>"
    "<div class=\"para\">Difference files hold only the changes since the previous update, so the "
    "amount downloaded by a weekly update is often divided by ten.</div>";

TEST(ExtractStructure, BoxNamedSidebarBetweenParagraphsIsText) {
  const std::string text = Text(ChapterWithBox(kNote, true));
  EXPECT_NE(text.find("Difference files hold only the changes"), std::string::npos) << text;
  EXPECT_NE(text.find("Paragraph 4 of the chapter"), std::string::npos) << text;
  // The page's own sidebar, beside the content, stays out.
  EXPECT_EQ(text.find("volunteers who welcome corrections"), std::string::npos) << text;
}

TEST(ExtractStructure, BoxAfterTheLastParagraphStaysOut) {
  // Nothing of the text after it: a box at the end is not in the flow.
  const std::string text = Text(ChapterWithBox(kNote, false));
  EXPECT_EQ(text.find("Difference files hold only the changes"), std::string::npos) << text;
  EXPECT_NE(text.find("Paragraph 2 of the chapter"), std::string::npos) << text;
}

TEST(ExtractStructure, OneLineBannerBetweenParagraphsStaysOut) {
  const std::string banner =
      "<p>Order the printed edition of this guide today and get the companion video course "
      "free of charge.</p>";
  const std::string text = Text(ChapterWithBox(banner, true));
  EXPECT_EQ(text.find("printed edition"), std::string::npos) << text;
  EXPECT_NE(text.find("Paragraph 4 of the chapter"), std::string::npos) << text;
}

TEST(ExtractStructure, LinkBoxBetweenParagraphsStaysOut) {
  std::string links;
  for (int i = 0; i < 8; ++i) {
    links += "<a href=\"/c" + std::to_string(i) + "\">Another chapter of the guide, number " +
             std::to_string(i) + ", about something else entirely</a> ";
  }
  const std::string text = Text(ChapterWithBox("<p>" + links + "</p>", true));
  EXPECT_EQ(text.find("Another chapter of the guide"), std::string::npos) << text;
}

}  // namespace
}  // namespace winnow
