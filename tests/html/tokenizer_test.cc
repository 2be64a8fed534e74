// Tokenizer unit and regression tests (the conformance suite is
// tokenizer_html5lib_test.cc).
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "html/arena.h"
#include "html/tokenizer.h"

namespace winnow {
namespace html {
namespace internal {
namespace {

std::vector<std::string> Tokens(std::string_view input) {
  Arena arena;
  Tokenizer tok(NormalizeNewlines(input, &arena), &arena);
  std::vector<std::string> out;
  Token t;
  do {
    tok.Next(&t);
    switch (t.type) {
      case TokenType::kCharacter: out.push_back("C:" + std::string(t.data)); break;
      case TokenType::kComment: out.push_back("#:" + std::string(t.data)); break;
      case TokenType::kDoctype: out.push_back("D:" + std::string(t.name)); break;
      case TokenType::kStartTag: out.push_back("S:" + std::string(t.name)); break;
      case TokenType::kEndTag: out.push_back("E:" + std::string(t.name)); break;
      case TokenType::kEof: out.push_back("EOF"); break;
      case TokenType::kNone: out.push_back("?"); break;
    }
  } while (t.type != TokenType::kEof);
  return out;
}

// One step used to queue text + comment + EOF into a 2-slot queue (found by
// AddressSanitizer on truncated pages).
TEST(TokenizerRegression, CommentOrDoctypeCutByEofAfterText) {
  EXPECT_EQ(Tokens("x<!--c"), (std::vector<std::string>{"C:x", "#:c", "EOF"}));
  EXPECT_EQ(Tokens("x<!--c-"), (std::vector<std::string>{"C:x", "#:c", "EOF"}));
  EXPECT_EQ(Tokens("x<?bogus"), (std::vector<std::string>{"C:x", "#:?bogus", "EOF"}));
  EXPECT_EQ(Tokens("x<!DOCTYPE html"), (std::vector<std::string>{"C:x", "D:html", "EOF"}));
  EXPECT_EQ(Tokens("x<!DOCTYPE html PUBLIC \"a"),
            (std::vector<std::string>{"C:x", "D:html", "EOF"}));
}

TEST(Tokenizer, NewlinesNormalized) {
  EXPECT_EQ(Tokens("a\r\nb\rc\n\rd"), (std::vector<std::string>{"C:a\nb\nc\n\nd", "EOF"}));
}

TEST(Tokenizer, ScanFindsEveryPosition) {
  // The vector scan must agree with a plain loop at every offset/length.
  std::string s(200, 'a');
  for (size_t at = 0; at < s.size(); ++at) {
    std::string t = s;
    t[at] = '<';
    for (size_t from = 0; from <= at; from += 7) {
      EXPECT_EQ(FindAny4(t.data(), from, t.size(), '<', '&', '\0', '<'), at);
    }
    EXPECT_EQ(FindAny4(t.data(), at + 1, t.size(), '<', '&', '\0', '<'), t.size());
  }
}


// Every token field, and the content model switches a tree builder makes
// for a few elements, so that the fast paths also meet RCDATA and script.
std::string Describe(std::string_view input, bool fast_tags, uint32_t max_attributes) {
  Arena arena;
  Tokenizer tok(NormalizeNewlines(input, &arena), &arena, max_attributes);
  tok.set_fast_tags(fast_tags);
  std::string out;
  Token t;
  do {
    tok.Next(&t);
    out += std::to_string(static_cast<int>(t.type)) + (t.self_closing ? "/" : "") +
           (t.force_quirks ? "q" : "") + (t.has_nul ? "0" : "") + "[" + std::string(t.name) + "|" +
           std::string(TagName(t.tag)) + "|" + std::string(t.data) + "|" +
           (t.has_public_id ? std::string(t.public_id) : "-") + "|" +
           (t.has_system_id ? std::string(t.system_id) : "-") + "]";
    for (uint32_t i = 0; i < t.num_attrs; ++i) {
      out += " " + std::string(t.attrs[i].name) + "=" + std::string(t.attrs[i].value) + ";";
    }
    out += "\n";
    if (t.type == TokenType::kStartTag) {
      if (t.name == "title" || t.name == "textarea") {
        tok.SetContentState(ContentState::kRcdata);
      } else if (t.name == "style") {
        tok.SetContentState(ContentState::kRawtext);
      } else if (t.name == "script") {
        tok.SetContentState(ContentState::kScriptData);
      }
      tok.set_last_start_tag(t.name);
    }
  } while (t.type != TokenType::kEof);
  out += tok.dropped_attributes() ? "dropped" : "";
  return out;
}

std::string RandomMarkup(std::mt19937* rng) {
  static const char* const kPieces[] = {
      "<", "</", ">", "/>", "/", " ", "  ", "\t", "\n", "\r", "\r\n", "\f", "=", " = ", "\"", "'",
      "&", "&amp;", "&amp", "&lt", "&#39;", "&#x41;", "&notit;", "&copy=", "&nbsp", "\0", "div",
      "DIV", "a", "Img", "p", "br", "href", "class", "CLASS", "x", "id", "data-x", "\xC3\xA9",
      "\xE2\x82\xAC", "\xFF", "`", "<!--", "-->", "<!DOCTYPE html>", "<script>", "</script>",
      "<title>", "</title>", "<style>", "</style>", "<textarea>", "<![CDATA[", "]]>", "<br/>",
      "<a href=\"x\">", "<div class='c' id=d>", "</div>", "<img src=x alt=\"\" />", "<p a b c>",
      "<input value=\"a&amp;b\">", "<a href=x&y=1>", "text", " more text ", "<i", "<b x=1 x=2>"};
  std::uniform_int_distribution<size_t> piece(0, sizeof(kPieces) / sizeof(kPieces[0]) - 1);
  std::uniform_int_distribution<int> count(0, 40);
  std::string s;
  int k = count(*rng);
  for (int i = 0; i < k; ++i) {
    const char* p = kPieces[piece(*rng)];
    if (p[0] == '\0') {
      s.push_back('\0');
    } else {
      s += p;
    }
  }
  // Truncated input: cut at a random byte half of the time.
  if (!s.empty() && (*rng)() % 2 == 0) s.resize(std::uniform_int_distribution<size_t>(0, s.size())(*rng));
  return s;
}

TEST(Tokenizer, FastTagsMatchTheGeneralStates) {
  std::mt19937 rng(13);
  for (int i = 0; i < 30000; ++i) {
    std::string input = RandomMarkup(&rng);
    uint32_t max_attributes = i % 3 == 0 ? 2 : 256;
    ASSERT_EQ(Describe(input, true, max_attributes), Describe(input, false, max_attributes))
        << "input: " << input;
  }
}

TEST(Tokenizer, FastTagsCoverTheCommonCases) {
  // The comparison above is only useful if both paths give what the spec
  // says on the cases the fast path takes or hands over.
  for (bool fast : {true, false}) {
    std::string d = Describe("<a href=\"x&amp;y\" id=i CLASS=c>t</a ><br/><img src='s' alt>", fast, 256);
    EXPECT_EQ(d,
              "2[a|a||-|-] href=x&y; id=i; class=c;\n"
              "5[||t|-|-]\n"
              "3[a|a||-|-]\n"
              "2/[br|br||-|-]\n"
              "2[img|img||-|-] src=s; alt=;\n"
              "6[|||-|-]\n")
        << fast;
  }
}


TEST(Tokenizer, ScanMatchesAPlainLoopOnRandomBytes) {
  // The inline 16-byte check, the vector loop and the scalar tail, against a
  // plain loop on random bytes (NUL, quotes, non-ASCII) at random offsets.
  static const char kBytes[] = {'<', '&', '\0', '"', '\'', '-', 'a', ' ', '\xC3', '\x80', '\xFF'};
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    std::string s(std::uniform_int_distribution<size_t>(0, 90)(rng), 'x');
    for (char& c : s) {
      if (rng() % 8 == 0) c = kBytes[rng() % sizeof(kBytes)];
    }
    char t[4];
    for (char& c : t) c = kBytes[rng() % sizeof(kBytes)];
    size_t from = std::uniform_int_distribution<size_t>(0, s.size())(rng);
    size_t want = from;
    while (want < s.size() && s[want] != t[0] && s[want] != t[1] && s[want] != t[2] &&
           s[want] != t[3]) {
      ++want;
    }
    ASSERT_EQ(FindAny4(s.data(), from, s.size(), t[0], t[1], t[2], t[3]), want) << i;
  }
}

TEST(Tokenizer, ValueScanMatchesAPlainLoop) {
  // FindValueEnd's inline 16-byte steps (up to 64 bytes), its scalar tail and
  // its hand-over to the vector loop, against a plain loop: random lengths
  // and offsets, the stop bytes (either quote, '&', NUL) placed at random.
  static const char kBytes[] = {'"', '\'', '&', '\0', '<', '>', '=', ' ', 'a', '\xC3', '\xFF'};
  std::mt19937 rng(17);
  for (int i = 0; i < 40000; ++i) {
    std::string s(std::uniform_int_distribution<size_t>(0, 200)(rng), 'x');
    int density = 1 + static_cast<int>(rng() % 64);
    for (char& c : s) {
      if (static_cast<int>(rng() % density) == 0) c = kBytes[rng() % sizeof(kBytes)];
    }
    char quote = i % 2 == 0 ? '"' : '\'';
    size_t from = std::uniform_int_distribution<size_t>(0, s.size())(rng);
    size_t want = from;
    while (want < s.size() && s[want] != quote && s[want] != '&' && s[want] != '\0') ++want;
    ASSERT_EQ(FindValueEnd(s.data(), from, s.size(), quote), want) << i;
  }
}

TEST(Tokenizer, FastTagsMatchTheGeneralStatesOnLongValues) {
  // Tags whose quoted and unquoted values run past 16 and 64 bytes (the
  // value scan's steps), with character references, NULs, quotes and the
  // end of input inside them; duplicate names and the attribute cap.
  static const char* const kNames[] = {"class", "id", "href", "data-x", "style", "a", "CLASS"};
  static const char* const kBits[] = {"&amp;", "&", "\"", "'", " ", ">", "=", "/", "\xC3\xA9"};
  std::mt19937 rng(19);
  for (int i = 0; i < 20000; ++i) {
    std::string input = "x";
    int tags = 1 + static_cast<int>(rng() % 4);
    for (int t = 0; t < tags; ++t) {
      input += rng() % 4 == 0 ? "</div" : "<div";
      int attrs = static_cast<int>(rng() % 5);
      for (int a = 0; a < attrs; ++a) {
        input += " ";
        input += kNames[rng() % (sizeof(kNames) / sizeof(kNames[0]))];
        int form = static_cast<int>(rng() % 4);
        if (form == 0) continue;  // no value
        input += "=";
        std::string value(std::uniform_int_distribution<size_t>(0, 150)(rng), 'v');
        for (char& c : value) {
          if (rng() % 40 == 0) c = rng() % 3 == 0 ? '\0' : 'w';
        }
        if (rng() % 3 == 0) {
          value.insert(rng() % (value.size() + 1), kBits[rng() % (sizeof(kBits) / sizeof(kBits[0]))]);
        }
        const char* quote = form == 1 ? "\"" : form == 2 ? "'" : "";
        input += quote;
        input += value;
        input += quote;
      }
      input += rng() % 5 == 0 ? "/>" : ">";
      input += "text";
    }
    if (rng() % 4 == 0) input.resize(std::uniform_int_distribution<size_t>(0, input.size())(rng));
    uint32_t max_attributes = i % 3 == 0 ? 2 : 256;
    ASSERT_EQ(Describe(input, true, max_attributes), Describe(input, false, max_attributes))
        << "input: " << input;
  }
}

TEST(Tokenizer, ManyAttributesGrowTheList) {
  // The attribute list grows past its first 16 slots (and again past 32)
  // while a tag is read; duplicates among them are still dropped.
  std::string input = "<div";
  for (int i = 0; i < 70; ++i) input += " a" + std::to_string(i % 50) + "=\"v" + std::to_string(i) + "\"";
  input += "><p x=1 x=2 y>";
  for (bool fast : {true, false}) {
    std::string d = Describe(input, fast, 256);
    EXPECT_EQ(d, Describe(input, !fast, 256));
    EXPECT_NE(d.find(" a49=v49;\n"), std::string::npos) << d;  // the 50 distinct names, in order
    EXPECT_EQ(d.find("v50;"), std::string::npos);  // a0 again: dropped
    EXPECT_NE(d.find("[p|p||-|-] x=1; y=;\n"), std::string::npos) << d;
  }
  EXPECT_EQ(Describe(input, true, 40).find("a40="), std::string::npos);  // the cap
}

TEST(Tokenizer, TagLookupMatchesALinearSearch) {
  auto linear = [](std::string_view name) {
    for (int t = 1; t < static_cast<int>(Tag::kCount); ++t) {
      if (TagName(static_cast<Tag>(t)) == name) return static_cast<Tag>(t);
    }
    return Tag::kUnknown;
  };
  std::vector<std::string> names;
  for (int t = 1; t < static_cast<int>(Tag::kCount); ++t) {
    std::string name(TagName(static_cast<Tag>(t)));
    EXPECT_EQ(FindTagLower(name), static_cast<Tag>(t)) << name;
    std::string padded = name + "abcdefghijklmnop";
    EXPECT_EQ(FindTagLower(std::string_view(padded.data(), name.size()), padded.size()),
              static_cast<Tag>(t))
        << name;
    std::string upper = name;
    for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    EXPECT_EQ(TagFromName(upper), static_cast<Tag>(t)) << name;
    names.push_back(name);
  }
  // Near misses: prefixes, extensions, one byte changed (NUL, non-ASCII,
  // another letter), and random names up to 16 bytes.
  std::mt19937 rng(11);
  static const char kBytes[] = "abcdefghijklmnopqrstuvwxyz0123456789-\xC3\xA9";
  for (int i = 0; i < 50000; ++i) {
    std::string s;
    if (i % 2 == 0) {
      s = names[rng() % names.size()];
      switch (rng() % 4) {
        case 0: s.resize(rng() % (s.size() + 1)); break;
        case 1: s.push_back(kBytes[rng() % (sizeof(kBytes) - 1)]); break;
        case 2: s[rng() % s.size()] = '\0'; break;
        default: s[rng() % s.size()] = kBytes[rng() % (sizeof(kBytes) - 1)]; break;
      }
    } else {
      s.resize(rng() % 17);
      for (char& c : s) c = kBytes[rng() % (sizeof(kBytes) - 1)];
    }
    ASSERT_EQ(FindTagLower(s), linear(s)) << s;
    // The 16-byte read, with other bytes after the name.
    std::string padded = s + "divx\0abcdefghijklm";
    ASSERT_EQ(FindTagLower(std::string_view(padded.data(), s.size()), padded.size()), linear(s)) << s;
  }
}

TEST(Tokenizer, TextIsZeroCopyWhenPlain) {
  std::string input = "<p>plain text</p>";
  Arena arena;
  Tokenizer tok(NormalizeNewlines(input, &arena), &arena);
  Token t;
  tok.Next(&t);
  tok.Next(&t);
  ASSERT_EQ(t.type, TokenType::kCharacter);
  EXPECT_EQ(t.data.data(), input.data() + 3);
}

}  // namespace
}  // namespace internal
}  // namespace html
}  // namespace winnow
