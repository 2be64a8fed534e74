// Tokenizer unit and regression tests (the conformance suite is
// tokenizer_html5lib_test.cc).
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
