// Extraction decided by the page's structure rather than its words
// (issue 17 part 4): boxes named like sidebars inside the flow of the text,
// navigation by structure, length rules that mean the same in every script.
#include <gtest/gtest.h>

#include <string>

#include "base/utf8.h"
#include "extract/text_util.h"
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

// A short DocBook section page (the installation guide's): <link
// rel=prev/next/up> in <head> (`head_links`), a header bar and a footer bar
// of links to those pages (images, no words) beside the titles of the
// pages they lead to.
std::string SectionPage(bool head_links, const std::string& body_extra = "") {
  std::string html = "<html><head><title>4.2. Downloading files from mirrors</title>";
  if (head_links) {
    html += "<link rel=\"prev\" href=\"ch04s01.html\"><link rel=\"next\" href=\"ch04s03.html\">"
            "<link rel=\"up\" href=\"ch04.html\">";
  }
  // The bars inside the section's wrapper: nothing but the sequence links
  // tells them from the text around.
  html += "</head><body><div class=\"sect1\"><div class=\"nh\"><table width=\"100%\"><tr><th colspan=\"3\">4.2. "
          "Downloading files from mirrors</th></tr><tr><td><a href=\"ch04s01.html\"><img "
          "src=\"prev.png\" alt=\"Prev\"></a></td><th>Chapter 4. Getting the installation media</th>"
          "<td><a href=\"ch04s03.html\"><img src=\"next.png\" alt=\"Next\"></a></td></tr></table>"
          "<hr></div><div class=\"titlepage\"><h2 class=\"title\">4.2. "
          "Downloading files from mirrors</h2></div><p>To find the nearest (and thus probably the "
          "fastest) mirror, see the <a href=\"https://www.debian.org/mirror/list\">list of mirrors"
          "</a>.</p><div class=\"sect2\"><h3 class=\"title\">4.2.1. Where to find installation "
          "files</h3><p>Various installation files can be found on each mirror in the directory "
          "<a href=\"https://deb.example.org/images\">debian/dists/bookworm/images/</a> - the "
          "<a href=\"https://deb.example.org/images/MANIFEST\">MANIFEST</a> file there lists "
          "each image, the media it is for and its purpose.</p></div>" +
          body_extra +
          "<div class=\"nf\"><hr><table width=\"100%\"><tr><td><a href=\"ch04s01.html\">"
          "<img src=\"prev.png\" alt=\"Prev\"></a></td><td><a href=\"ch04.html\"><img src=\"up.png\" "
          "alt=\"Up\"></a></td><td><a href=\"ch04s03.html\"><img src=\"next.png\" alt=\"Next\"></a>"
          "</td></tr><tr><td>4.1. Official Debian installation images</td><td><a href=\"index.html\">"
          "<img src=\"home.png\" alt=\"Home\"></a></td><td>4.3. Preparing files for USB memory stick "
          "booting</td></tr></table></div></div></body></html>";
  return html;
}

TEST(ExtractStructure, BarsOfLinksToThePrevNextAndUpPagesAreNavigation) {
  // Without the sequence links the page alone keeps the bars' titles.
  const std::string before = Text(SectionPage(false));
  ASSERT_NE(before.find("4.3. Preparing files"), std::string::npos) << before;
  const std::string text = Text(SectionPage(true));
  EXPECT_EQ(text.find("Chapter 4. Getting the installation media"), std::string::npos) << text;
  EXPECT_EQ(text.find("4.3. Preparing files"), std::string::npos) << text;
  EXPECT_EQ(text.find("4.1. Official Debian"), std::string::npos) << text;
  EXPECT_NE(text.find("MANIFEST file there lists"), std::string::npos) << text;
  EXPECT_NE(text.find("4.2.1. Where to find installation files"), std::string::npos) << text;
  // The same with rel=prev/next on the links themselves, no <head> links.
  std::string rel = SectionPage(false);
  for (const std::string page : {"\"ch04s01.html\"", "\"ch04s03.html\""}) {
    const std::string attr = page.find("s01") != std::string::npos ? " rel=\"prev\"" : " rel=\"next\"";
    for (size_t at = rel.find(page); at != std::string::npos; at = rel.find(page, at + 1)) {
      rel.insert(at + page.size(), attr);
    }
  }
  const std::string rel_text = Text(rel);
  EXPECT_EQ(rel_text.find("4.3. Preparing files"), std::string::npos) << rel_text;
}

TEST(ExtractStructure, LinkToTheNextPageInRunningTextStays) {
  const std::string extra =
      "<p>The files are described in <a href=\"ch04s03.html\">the next section</a>, with the "
      "commands that write them to a memory stick.</p>";
  const std::string text = Text(SectionPage(true, extra));
  EXPECT_NE(text.find("the next section, with the commands"), std::string::npos) << text;
}

TEST(ExtractStructure, TableOfContentsStartingWithTheNextPageStays) {
  auto page = [](bool rel) {
    std::string html = "<html><head>";
    if (rel) html += "<link rel=\"next\" href=\"ch04s01.html\">";
    html += "</head><body><div id=\"docContent\"><h1>Chapter 4. Indexes</h1><div class=\"toc\"><dl>";
    for (int i = 1; i <= 12; ++i) {
      html += "<dt><a href=\"ch04s0" + std::to_string(i) + ".html\">4." + std::to_string(i) +
              ". Index section number " + std::to_string(i) + "</a></dt>";
    }
    html += "</dl></div><p>Indexes are a common way to enhance database performance. An index "
            "allows the database server to find and retrieve specific rows much faster.</p></div>"
            "</body></html>";
    return html;
  };
  const std::string without = Text(page(false));
  ASSERT_NE(without.find("4.1. Index section number 1"), std::string::npos) << without;
  EXPECT_EQ(Text(page(true)), without);
}

TEST(ExtractStructure, CollapseWhitespaceKeepsOneSpaceBetweenWords) {
  using extract_internal::AppendCollapsed;
  using extract_internal::CollapseWhitespace;
  EXPECT_EQ(CollapseWhitespace("one two  three\t\nfour "), "one two three four");
  EXPECT_EQ(CollapseWhitespace("  a b\x01" "c d\xc2\xa0" "e"), "a bc d e");  // control dropped, NBSP a space
  EXPECT_EQ(CollapseWhitespace("x \xc3\xa9t\xc3\xa9 y"), "x \xc3\xa9t\xc3\xa9 y");
  EXPECT_EQ(CollapseWhitespace("end ."), "end .");
  // Across calls: a space pending from one piece goes before the next's text.
  std::string out;
  bool pending = false;
  AppendCollapsed("first ", &out, &pending);
  AppendCollapsed("second third", &out, &pending);
  AppendCollapsed(" ", &out, &pending);
  EXPECT_EQ(out, "first second third");
  AppendCollapsed("fourth", &out, &pending);
  EXPECT_EQ(out, "first second third fourth");
  // Against the rule byte by byte (white space -> one pending space,
  // control characters dropped) on pseudo-random lines mixing words,
  // single and double white space, controls and a two-byte letter.
  // (Long words and indentation runs for the sixteen-byte steps.)
  const std::string_view pieces[] = {"a", "bc", "defghij", " ", "  ", "\t", "\n", "\x01",
                                     "\x7f", ",", "\xc3\xa9", "klmnopqrstu",
                                     "vwxyz0123456789ABCDEFGHIJ", "\n\t                  \r\f  "};
  uint32_t seed = 12345;
  for (int round = 0; round < 3000; ++round) {
    std::string line;
    seed = seed * 1103515245u + 12345u;
    const int count = static_cast<int>((seed >> 16) % 24);
    for (int k = 0; k < count; ++k) {
      seed = seed * 1103515245u + 12345u;
      line += pieces[(seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))];
    }
    std::string want;
    bool space = false;
    for (char c : line) {
      if (c == ' ' || (c >= '\t' && c <= '\r')) {
        space = true;
      } else if (c == '\x01' || c == '\x7f') {
        continue;
      } else {
        if (space && !want.empty()) want.push_back(' ');
        space = false;
        want.push_back(c);
      }
    }
    EXPECT_EQ(CollapseWhitespace(line), want) << line;
  }
}

// Text in non-Latin scripts (words of many multi-byte code points), the
// white space code points, invalid sequences and a literal U+FFFD, in
// pieces appended to a text that has some already: as the rule code
// point by code point says (AppendCollapsed appends such words whole).
TEST(ExtractStructure, CollapseWhitespaceOfMultiByteText) {
  using extract_internal::AppendCollapsed;
  const std::string_view pieces[] = {
      "\xd0\xbf\xd1\x80\xd0\xb8", "\xe4\xb8\xad\xe6\x96\x87", "\xf0\x9f\x98\x80", "abc", " ", "\n",
      "\xc2\xa0", "\xe2\x80\x80", "\xe2\x80\x8b", "\xe2\x80\xaf", "\xe2\x81\x9f", "\xe3\x80\x80",
      "\xef\xbb\xbf", "\xef\xbf\xbd", "\xed\xa0\x80", "\xe0\x80\xaf", "\xc0\xaf", "\x80", "\xc3",
      "\xe4\xb8", "\x01", "\xee\x80\x80", "\xe0\xa4\x85", "\xd7\x90"};
  auto is_space = [](char32_t cp) {
    return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) ||
           cp == 0x3000 || cp == 0x202F || cp == 0x205F || cp == 0xFEFF;
  };
  uint32_t seed = 777;
  auto next = [&seed] {
    seed = seed * 1103515245u + 12345u;
    return seed >> 16;
  };
  for (int round = 0; round < 3000; ++round) {
    std::string out = next() % 2 ? "x" : "";
    std::string want = out;
    bool pending = next() % 2 == 0, want_space = pending;
    for (int call = 0, calls = 1 + static_cast<int>(next() % 3); call < calls; ++call) {
      std::string text;
      for (int k = 0, count = static_cast<int>(next() % 12); k < count; ++k) {
        text += pieces[next() % (sizeof(pieces) / sizeof(pieces[0]))];
      }
      AppendCollapsed(text, &out, &pending);
      for (size_t i = 0; i < text.size();) {
        const size_t start = i;
        const char32_t cp = NextCodePoint(text, &i);
        if (is_space(cp)) {
          want_space = true;
          continue;
        }
        if (cp < 0x20 || cp == 0x7F) continue;
        if (want_space && !want.empty()) want.push_back(' ');
        want_space = false;
        if (cp == kReplacementChar && text.substr(start, i - start) != "\xef\xbf\xbd") {
          AppendUtf8(kReplacementChar, &want);
        } else {
          want.append(text, start, i - start);
        }
      }
    }
    EXPECT_EQ(out, want);
    EXPECT_EQ(pending, want_space);
  }
}

TEST(ExtractStructure, LinksSideBySideAreSeparateWords) {
  // A row of tag links with no white space between them (a store's genre
  // tags, a rating's star buttons): shown apart, they are separate words.
  std::string html = "<html><body><main><h1>Games on sale</h1>";
  for (int i = 0; i < 3; ++i) {
    html += "<div class=game><p>Game " + std::to_string(i) + " is a long adventure across "
            "islands, caves and cities, with a story told in letters found on the way.</p>"
            "<p>Filed under <a href=/t/rpg>Roleplaying</a><a href=/t/open>Open World</a>"
            "<a href=/t/story>Story Rich</a>, the three kinds of game the studio has made "
            "since its first one came out.</p></div>";
  }
  html += "</main></body></html>";
  const std::string text = Text(html);
  EXPECT_NE(text.find("Roleplaying Open World Story Rich"), std::string::npos) << text;
  // Text right after a link, or a link inside a word, is left alone.
  const std::string inline_text = Text(
      "<html><body><p>The guide to <a href=/a>pack</a>ages explains how the package system "
      "keeps track of installed files and which scripts run at installation and removal, "
      "and <a href=/b>why</a>.</p></body></html>");
  EXPECT_NE(inline_text.find("to packages explains"), std::string::npos) << inline_text;
  EXPECT_NE(inline_text.find("and why."), std::string::npos) << inline_text;
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(ExtractStructure, BlockRepeatedLineForLineIsShownOnce) {
  // A product page writes its description twice, one copy per screen size
  // (the other hidden by a media query the extractor does not read): the
  // page shows one of them.
  const std::string description =
      "<p>Make each cup of tea feel special with a wheel thrown stoneware mug, glazed by "
      "hand in a matte finish that feels warm in the hand.</p><ul><li>Size: approx. 9.5 x 13 "
      "x 7 cm</li><li>Volume: approx. 350 ml</li><li>Safe in dishwashers and microwave "
      "ovens</li></ul>";
  const std::string text = Text(
      "<html><body><main><h1>Stoneware mug</h1><div class=price>24.00</div>"
      "<div class='description desktop-only'>" + description + "</div>"
      "<div class=buy><button>Add to cart</button></div>"
      "<div class='description mobile-only'>" + description + "</div></main></body></html>");
  EXPECT_EQ(Count(text, "Make each cup of tea"), 1u) << text;
  EXPECT_EQ(Count(text, "Volume: approx. 350 ml"), 1u) << text;
  // One paragraph said again (a refrain, a notice repeated in the text)
  // is the text's own repetition: kept each time.
  std::string poem = "<html><body><article><h1>Song</h1>";
  for (int i = 0; i < 3; ++i) {
    poem += "<p>Verse " + std::to_string(i) + " walks down to the river where the boats come in "
            "late at night, and counts the lights along the far shore one by one.</p>"
            "<p>And the river keeps on rolling, rolling down to the sea, as it always did and "
            "always will, long after you and me.</p>";
  }
  poem += "</article></body></html>";
  const std::string song = Text(poem);
  EXPECT_EQ(Count(song, "And the river keeps on rolling"), 3u) << song;
}

TEST(ExtractStructure, PanelOpenedByAnAriaToggleIsRead) {
  // An accordion: each question is a button that names its answer by
  // aria-controls (with aria-expanded); the answer is hidden until the
  // click. A hidden element that no toggle names stays out.
  std::string html = "<html><body><main><h1>Sleeping bags</h1>";
  for (int i = 0; i < 3; ++i) {
    html += "<p>Part " + std::to_string(i) + ": our experts compare the bags of the season for "
            "warmth, weight and packed size, in every price range, on cold nights and warm.</p>";
  }
  for (int i = 0; i < 3; ++i) {
    const std::string id = "acc-" + std::to_string(i);
    html += "<div class=item><h3><button aria-expanded=false aria-controls=" + id +
            ">Question " + std::to_string(i) + "</button></h3><div class=panel aria-hidden=true id=" +
            id + "><p>Answer " + std::to_string(i) + ": a liner adds a few degrees of warmth and "
            "keeps the bag clean, so it lasts many more nights on the trail.</p></div></div>";
  }
  html += "<div aria-hidden=true id=promo><p>Winter prices on tents, bags and other camping "
          "gear in every one of our stores until the end of the month.</p></div></main></body></html>";
  const std::string text = Text(html);
  EXPECT_NE(text.find("Answer 0: a liner adds"), std::string::npos) << text;
  EXPECT_NE(text.find("Answer 2: a liner adds"), std::string::npos) << text;
  EXPECT_EQ(text.find("Winter prices"), std::string::npos) << text;
}

TEST(ExtractStructure, AriaControlsListSplitsOnAnyAsciiWhitespace) {
  // One toggle opens three panels; its aria-controls separates their ids
  // by a tab, a newline and a form feed (ASCII whitespace, as HTML splits
  // token lists), not only by spaces.
  std::string html = "<html><body><main><h1>Sleeping bags</h1>";
  for (int i = 0; i < 3; ++i) {
    html += "<p>Part " + std::to_string(i) + ": our experts compare the bags of the season for "
            "warmth, weight and packed size, in every price range, on cold nights and warm.</p>";
  }
  html += "<button aria-expanded=false aria-controls=\"acc-0\tacc-1\n\facc-2\">All answers</button>";
  for (int i = 0; i < 3; ++i) {
    const std::string id = "acc-" + std::to_string(i);
    html += "<div class=panel aria-hidden=true id=" + id + "><p>Answer " + std::to_string(i) +
            ": a liner adds a few degrees of warmth and keeps the bag clean, so it lasts many "
            "more nights on the trail.</p></div>";
  }
  html += "</main></body></html>";
  const std::string text = Text(html);
  for (int i = 0; i < 3; ++i) {
    EXPECT_NE(text.find("Answer " + std::to_string(i) + ": a liner adds"), std::string::npos) << i << text;
  }
}

TEST(ExtractStructure, TextUnitsCountWideScriptsDouble) {
  using extract_internal::TextUnits;
  EXPECT_EQ(TextUnits("Paragraph"), 9u);
  EXPECT_EQ(TextUnits("\u00e9t\u00e9"), 3u);                      // Latin with accents: 1 each
  EXPECT_EQ(TextUnits("\u4e2d\u6587"), 4u);                       // CJK ideographs
  EXPECT_EQ(TextUnits("\u3072\u3089\u30ab\u30bf"), 8u);          // hiragana, katakana
  EXPECT_EQ(TextUnits("\ud55c\uad6d\uc5b4 ok"), 9u);              // hangul syllables + " ok"
  EXPECT_EQ(TextUnits("\uf900"), 2u);                              // compatibility ideograph
  EXPECT_EQ(TextUnits("\u3001\uff0c\u2014"), 3u);                // CJK punctuation: 1 each
  EXPECT_EQ(TextUnits("\u0416\u05d0"), 2u);                       // Cyrillic, Hebrew
  // Long ASCII runs (counted eight bytes at a time) around wide characters.
  EXPECT_EQ(TextUnits("A paragraph of plain text"), 25u);
  EXPECT_EQ(TextUnits("seventeen letters\u4e2d"), 19u);
  EXPECT_EQ(TextUnits("abcdefg\u4e2dabcdefgh\u00e9abcdefghi"), 2u + 7u + 8u + 1u + 9u);
}

// TextUnits reads eight bytes at a time where no byte is E3..FF: the same
// count as byte by byte, on random mixes of ASCII, 2-, 3- and 4-byte
// sequences (wide and not), stray continuation bytes and cut sequences.
TEST(ExtractStructure, TextUnitsWordsMatchBytes) {
  auto by_bytes = [](std::string_view s) {
    uint32_t n = 0;
    for (size_t i = 0; i < s.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(s[i]);
      if ((c & 0xC0) == 0x80) continue;
      const unsigned char d = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
      const uint32_t cp = ((c & 0x0Fu) << 12) | ((d & 0x3Fu) << 6);
      const bool wide = (c >= 0xE3 && c <= 0xED && i + 1 < s.size() &&
                         ((cp >= 0x3040 && cp < 0x3100) || (cp >= 0x3400 && cp < 0xA000) ||
                          (cp >= 0xAC00 && cp < 0xD7C0))) ||
                        (c == 0xEF && d >= 0xA4 && d <= 0xAB);
      n += wide ? extract_internal::kWideUnits : 1;
    }
    return n;
  };
  const char* const pieces[] = {"a", "bc ", "defghijk", "\xC3\xA9", "\xD0\x96", "\xE2\x80\x94",
                                "\xE3\x81\xB2", "\xE4\xB8\xAD", "\xED\x95\x9C", "\xEF\xA4\x80",
                                "\xEF\xBC\x8C", "\xF0\x9F\x98\x80", "\x80", "\xE4", "\xEF", "\xFF"};
  uint64_t seed = 12345;
  for (int round = 0; round < 2000; ++round) {
    std::string s;
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    const int parts = static_cast<int>((seed >> 33) % 24);
    for (int k = 0; k < parts; ++k) {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      s += pieces[(seed >> 33) % (sizeof(pieces) / sizeof(pieces[0]))];
    }
    ASSERT_EQ(extract_internal::TextUnits(s), by_bytes(s)) << round;
  }
}

// Length rules in units: a note of 184 ideographs (two paragraphs) is a
// note of a few sentences, as an English note of 300 letters is.
TEST(ExtractStructure, ChineseNoteBetweenParagraphsIsText) {
  const std::string sentence =
      "\u8f6f\u4ef6\u5305\u7ba1\u7406\u7cfb\u7edf\u8bb0\u5f55\u6bcf\u4e2a\u5df2\u5b89"
      "\u88c5\u7684\u6587\u4ef6\uff0c\u5e76\u5728\u5b89\u88c5\u548c\u5220\u9664\u65f6"
      "\u8fd0\u884c\u76f8\u5e94\u7684\u811a\u672c\uff0c\u4ee5\u4fbf\u7cfb\u7edf\u4fdd"
      "\u6301\u4e00\u81f4\u3002";  // 46 code points
  const std::string note = "<div class=\"para\">" + sentence + sentence + "</div><div class=\"para\">" +
                           sentence + sentence + "</div>";
  const std::string text = Text(ChapterWithBox(note, true));
  EXPECT_NE(text.find(sentence + sentence), std::string::npos) << text;
  EXPECT_NE(text.find("Paragraph 4 of the chapter"), std::string::npos) << text;
}

// A book's first page: a title, a legal notice and an abstract, then the
// table of contents (links to the chapters beside it) that is most of it.
std::string BookIndex(const std::string& prefix) {
  std::string html =
      "<html><body><div class=\"book\"><div class=\"titlepage\"><div><h1>The Administrator's "
      "Handbook</h1></div><div><div class=\"legal\">"
      "<div class=\"para\">This book is available under the terms of two licenses compatible with "
      "the free software guidelines, and may be copied and changed under either of them.</div>"
      "<div class=\"para\">It is distributed in the hope that it will be useful, but without any "
      "warranty; see the licenses for more details on what that means for you.</div></div>"
      "<div class=\"abstract\"><div class=\"para\">A reference book presenting the distribution, "
      "from the first installation to the configuration of services.</div></div></div></div>"
      "<div class=\"toc\">"
      "<dl>";
  for (int c = 1; c <= 8; ++c) {
    html += "<dt><a href=\"" + prefix + "chapter-" + std::to_string(c) + ".html\">" + std::to_string(c) +
            ". A chapter about the subject number " + std::to_string(c) + "</a></dt><dd><dl>";
    for (int s = 1; s <= 5; ++s) {
      html += "<dt><a href=\"" + prefix + "sect-" + std::to_string(c) + "-" + std::to_string(s) + ".html\">" +
              std::to_string(c) + "." + std::to_string(s) + ". A section of that chapter</a></dt>";
    }
    html += "</dl></dd>";
  }
  html += "</dl></div></div></body></html>";
  return html;
}

TEST(ExtractStructure, TableOfContentsThatIsMostOfTheBookPageIsKept) {
  const std::string text = Text(BookIndex(""));
  EXPECT_NE(text.find("7.3. A section of that chapter"), std::string::npos) << text;
  EXPECT_NE(text.find("from the first installation"), std::string::npos) << text;
}

TEST(ExtractStructure, SiteMapOfRootLinksIsNotATableOfContents) {
  // The same list with links from the site's root: a site map.
  const std::string text = Text(BookIndex("/handbook/"));
  EXPECT_EQ(text.find("7.3. A section of that chapter"), std::string::npos) << text;
  EXPECT_NE(text.find("from the first installation"), std::string::npos) << text;
}

}  // namespace
}  // namespace winnow
