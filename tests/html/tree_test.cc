// Tree construction: golden trees (tests/html/golden/*.html -> *.tree, in
// the html5lib tree format of DumpTree), API helpers, and hostile input
// (binary data, 50 MB page, 1,000,000 nested elements, 100,000 attributes,
// broken UTF-8): no crash, limits honoured, memory bounded.
//
// To regenerate the golden files after a deliberate change, run with
// WINNOW_UPDATE_GOLDEN=1 and review the diff.
#include <sys/resource.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "winnow/html.h"

namespace winnow {
namespace html {
namespace {

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(HtmlGolden, TreesMatch) {
  std::filesystem::path dir = std::filesystem::path(WINNOW_SOURCE_DIR) / "tests/html/golden";
  bool update = std::getenv("WINNOW_UPDATE_GOLDEN") != nullptr;
  int count = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".html") continue;
    ++count;
    std::string html = ReadFile(e.path());
    auto dom = Parse(html);
    std::string tree = DumpTree(dom->document());
    std::filesystem::path expected_path = e.path();
    expected_path.replace_extension(".tree");
    if (update) {
      std::ofstream(expected_path, std::ios::binary) << tree;
      continue;
    }
    ASSERT_TRUE(std::filesystem::exists(expected_path)) << expected_path;
    EXPECT_EQ(tree, ReadFile(expected_path)) << "golden mismatch for " << e.path().filename();
  }
  EXPECT_GE(count, 20);
}

TEST(HtmlApi, TagNames) {
  EXPECT_EQ(TagFromName("div"), Tag::kDiv);
  EXPECT_EQ(TagFromName("DIV"), Tag::kDiv);
  EXPECT_EQ(TagFromName("Noindex"), Tag::kNoindex);
  EXPECT_EQ(TagFromName("my-element"), Tag::kUnknown);
  EXPECT_EQ(TagFromName(""), Tag::kUnknown);
  for (int t = 1; t < static_cast<int>(Tag::kCount); ++t) {
    EXPECT_EQ(TagFromName(TagName(static_cast<Tag>(t))), static_cast<Tag>(t)) << t;
  }
}

TEST(HtmlApi, AttributesAndStructure) {
  std::string html = "<p id=a class=\"x y\" data-e=''>t</p><p ID=b id=c>u";
  auto dom = Parse(html);
  ASSERT_NE(dom->body(), nullptr);
  const Node* p1 = dom->body()->first_child;
  ASSERT_NE(p1, nullptr);
  EXPECT_EQ(p1->tag, Tag::kP);
  EXPECT_EQ(p1->Attr("id"), "a");
  EXPECT_EQ(p1->Attr("class"), "x y");
  bool found = false;
  EXPECT_EQ(p1->Attr("data-e", &found), "");
  EXPECT_TRUE(found);
  p1->Attr("nope", &found);
  EXPECT_FALSE(found);
  const Node* p2 = p1->next_sibling;
  ASSERT_NE(p2, nullptr);
  EXPECT_EQ(p2->num_attrs, 1u);  // the duplicate "id" is dropped; the first wins
  EXPECT_EQ(p2->Attr("id"), "b");
  EXPECT_EQ(p2->parent, dom->body());
  EXPECT_EQ(p2->prev_sibling, p1);
  EXPECT_EQ(dom->head()->parent, dom->html());
  EXPECT_FALSE(dom->truncated());
}

TEST(HtmlApi, EmptyInput) {
  auto dom = Parse("");
  ASSERT_NE(dom->html(), nullptr);
  ASSERT_NE(dom->head(), nullptr);
  ASSERT_NE(dom->body(), nullptr);
  EXPECT_EQ(dom->body()->first_child, nullptr);
}

// ---- hostile input -----------------------------------------------------------

int MaxDepth(const Node* root) {
  int max_depth = 0;
  std::vector<std::pair<const Node*, int>> todo{{root, 0}};
  while (!todo.empty()) {
    auto [n, d] = todo.back();
    todo.pop_back();
    max_depth = std::max(max_depth, d);
    for (const Node* c = n->first_child; c; c = c->next_sibling) todo.push_back({c, d + 1});
  }
  return max_depth;
}

uint64_t CountNodes(const Node* root) {
  uint64_t n = 0;
  std::vector<const Node*> todo{root};
  while (!todo.empty()) {
    const Node* x = todo.back();
    todo.pop_back();
    ++n;
    for (const Node* c = x->first_child; c; c = c->next_sibling) todo.push_back(c);
  }
  return n;
}

long PeakRssMb() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

void CheckWellFormed(const Dom& dom) {
  ASSERT_NE(dom.html(), nullptr);
  ASSERT_NE(dom.head(), nullptr);
  EXPECT_EQ(CountNodes(dom.document()), dom.node_count());
}

TEST(HtmlHostile, MillionNestedElements) {
  for (const char* open : {"<div>", "<b>", "<table><tr><td>", "<span><i>", "<svg>", "<a>"}) {
    std::string html;
    for (int i = 0; i < 1000000; ++i) html += open;
    html += "deep text";
    ParseOptions opts;
    auto dom = Parse(html, opts);
    CheckWellFormed(*dom);
    // document > html > body > ... : depth counted from the document.
    EXPECT_LE(MaxDepth(dom->document()), static_cast<int>(opts.max_depth) + 2) << open;
    if (std::string(open) != "<a>") EXPECT_TRUE(dom->truncated()) << open;
  }
}

TEST(HtmlHostile, HundredThousandAttributes) {
  std::string html = "<div";
  for (int i = 0; i < 100000; ++i) html += " a" + std::to_string(i) + "=v";
  html += ">x</div><p";
  for (int i = 0; i < 100000; ++i) html += " same=1";  // all duplicates
  html += ">y";
  auto dom = Parse(html);
  CheckWellFormed(*dom);
  const Node* div = dom->body()->first_child;
  ASSERT_NE(div, nullptr);
  EXPECT_EQ(div->num_attrs, ParseOptions().max_attributes);
  EXPECT_EQ(div->Attr("a0"), "v");
  EXPECT_TRUE(dom->truncated());
  const Node* p = div->next_sibling;
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->num_attrs, 1u);
}

TEST(HtmlHostile, NodeLimit) {
  std::string html;
  for (int i = 0; i < 10000; ++i) html += "<p>x</p>";
  ParseOptions opts;
  opts.max_nodes = 1000;
  auto dom = Parse(html, opts);
  CheckWellFormed(*dom);
  EXPECT_TRUE(dom->truncated());
  EXPECT_LE(dom->node_count(), opts.max_nodes + 3);  // + the html/head/body skeleton
}

TEST(HtmlHostile, BinaryData) {
  std::mt19937 rng(42);
  for (int round = 0; round < 20; ++round) {
    std::string data(1 << 16, '\0');
    for (char& c : data) c = static_cast<char>(rng());
    // Raise the odds of hitting markup states.
    for (int i = 0; i < 2000; ++i) {
      static const char* kBits[] = {"<", ">", "&", "</", "<!--", "-->", "<script>", "<![CDATA[",
                                    "=", "\"", "'", "&#x", ";", "<svg>", "<table>", "<td>"};
      std::string bit = kBits[rng() % 16];
      size_t at = rng() % (data.size() - 16);
      data.replace(at, bit.size(), bit);
    }
    auto dom = Parse(data);
    CheckWellFormed(*dom);
  }
}

TEST(HtmlHostile, BrokenUtf8) {
  std::string html =
      "<p title=\"\xff\xfe\">\xc3\x28 \xa0\xa1 \xe2\x28\xa1 \xf0\x28\x8c\xbc \xc0\xaf "
      "\xed\xa0\x80 &#xD800; \x00 \r\n\r</p>\xf8\x88\x80\x80\x80";
  html.push_back('\0');
  html += "<b>\x80</b>";
  auto dom = Parse(html);
  CheckWellFormed(*dom);
  const Node* p = dom->body()->first_child;
  ASSERT_NE(p, nullptr);
  ASSERT_NE(p->first_child, nullptr);
  // Bytes pass through; CR/CRLF become LF.
  EXPECT_NE(p->first_child->text.find("\xc3\x28"), std::string_view::npos);
  EXPECT_EQ(p->first_child->text.find('\r'), std::string_view::npos);
}

TEST(HtmlHostile, FiftyMegabytePage) {
  std::string unit =
      "<div class=\"c\"><p>Some text &amp; more <b>bold <i>both</b> italic</i> "
      "<a href=\"/x?a=1&amp;b=2\">link</a></span><table><tr><td>cell</table>x<li>y\r\n";
  std::string html;
  html.reserve(50u << 20);
  while (html.size() < (50u << 20)) html += unit;
  long before = PeakRssMb();
  auto dom = Parse(html);
  CheckWellFormed(*dom);
  long after = PeakRssMb();
  EXPECT_GT(dom->node_count(), 1000000u);
  // Bounded memory: the tree costs a small multiple of the input (measured
  // about 10x here, nodes are 88 bytes); 20x leaves room, not a blow-up.
  EXPECT_LT(after - before, 20 * 50) << "peak RSS grew by " << (after - before) << " MB";
}

TEST(HtmlHostile, ManyUnclosedFormattingElements) {
  std::string html;
  for (int i = 0; i < 100000; ++i) html += "<p><b><i><u><s class=" + std::to_string(i % 7) + ">x</p>";
  for (int i = 0; i < 100000; ++i) html += "<a>y<div>z";
  auto dom = Parse(html);
  CheckWellFormed(*dom);
}

}  // namespace
}  // namespace html
}  // namespace winnow
