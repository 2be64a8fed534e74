// HTML parsing: winnow's own WHATWG-style tokenizer and tree builder.
//
// Parse() turns a page (UTF-8) into a Dom: a tree of Nodes allocated in an
// arena owned by the Dom. All string_views in Nodes point either into the
// Dom's arena or into the input buffer, so BOTH the Dom and the input passed
// to Parse must outlive every Node pointer and view taken from it.
// Parsing is linear in the input, never recurses on nesting depth, and caps
// depth, attributes per tag and node count (ParseOptions) so that hostile
// input cannot blow up memory.
//
// Thread-safety: a Dom is immutable after Parse and may be read from several
// threads; Parse itself is reentrant.
#ifndef WINNOW_HTML_H_
#define WINNOW_HTML_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "winnow/status.h"

namespace winnow {
namespace html {

// Known HTML element names. kUnknown for anything else (custom elements,
// SVG/MathML children...). Node::tag is meaningful for HTML-namespace
// elements; foreign elements have kUnknown except <svg> and <math> themselves.
#define WINNOW_HTML_TAGS(X)                                                   \
  X(A, "a") X(Abbr, "abbr") X(Address, "address") X(Area, "area")             \
  X(Article, "article") X(Aside, "aside") X(Audio, "audio") X(B, "b")         \
  X(Base, "base") X(Bdi, "bdi") X(Bdo, "bdo") X(Blockquote, "blockquote")     \
  X(Body, "body") X(Br, "br") X(Button, "button") X(Canvas, "canvas")         \
  X(Caption, "caption") X(Center, "center") X(Cite, "cite") X(Code, "code")   \
  X(Col, "col") X(Colgroup, "colgroup") X(Data, "data")                       \
  X(Datalist, "datalist") X(Dd, "dd") X(Del, "del") X(Details, "details")     \
  X(Dfn, "dfn") X(Dialog, "dialog") X(Div, "div") X(Dl, "dl") X(Dt, "dt")     \
  X(Em, "em") X(Embed, "embed") X(Fieldset, "fieldset")                       \
  X(Figcaption, "figcaption") X(Figure, "figure") X(Font, "font")             \
  X(Footer, "footer") X(Form, "form") X(Frame, "frame")                       \
  X(Frameset, "frameset") X(H1, "h1") X(H2, "h2") X(H3, "h3") X(H4, "h4")     \
  X(H5, "h5") X(H6, "h6") X(Head, "head") X(Header, "header")                 \
  X(Hgroup, "hgroup") X(Hr, "hr") X(Html, "html") X(I, "i")                   \
  X(Iframe, "iframe") X(Img, "img") X(Input, "input") X(Ins, "ins")           \
  X(Kbd, "kbd") X(Label, "label") X(Legend, "legend") X(Li, "li")             \
  X(Link, "link") X(Main, "main") X(Map, "map") X(Mark, "mark")               \
  X(Menu, "menu") X(Meta, "meta") X(Meter, "meter") X(Nav, "nav")             \
  X(Nobr, "nobr") X(Noembed, "noembed") X(Noframes, "noframes")               \
  X(Noscript, "noscript") X(Object, "object") X(Ol, "ol")                     \
  X(Optgroup, "optgroup") X(Option, "option") X(Output, "output") X(P, "p")   \
  X(Param, "param") X(Picture, "picture") X(Plaintext, "plaintext")           \
  X(Pre, "pre") X(Progress, "progress") X(Q, "q") X(Rp, "rp") X(Rt, "rt")     \
  X(Ruby, "ruby") X(S, "s") X(Samp, "samp") X(Script, "script")               \
  X(Search, "search") X(Section, "section") X(Select, "select")               \
  X(Slot, "slot") X(Small, "small") X(Source, "source") X(Span, "span")       \
  X(Strike, "strike") X(Strong, "strong") X(Style, "style") X(Sub, "sub")     \
  X(Summary, "summary") X(Sup, "sup") X(Svg, "svg") X(Math, "math")           \
  X(Table, "table") X(Tbody, "tbody") X(Td, "td") X(Template, "template")     \
  X(Textarea, "textarea") X(Tfoot, "tfoot") X(Th, "th") X(Thead, "thead")     \
  X(Time, "time") X(Title, "title") X(Tr, "tr") X(Track, "track") X(Tt, "tt") \
  X(U, "u") X(Ul, "ul") X(Var, "var") X(Video, "video") X(Wbr, "wbr")         \
  X(Xmp, "xmp") X(Listing, "listing") X(Marquee, "marquee")                   \
  X(Applet, "applet") X(Big, "big") X(Basefont, "basefont")                   \
  X(Bgsound, "bgsound") X(Keygen, "keygen") X(Image, "image")                 \
  X(Isindex, "isindex") X(Noindex, "noindex") X(Dir, "dir")

enum class Tag : uint16_t {
  kUnknown = 0,
#define WINNOW_HTML_TAG_ENUM(id, str) k##id,
  WINNOW_HTML_TAGS(WINNOW_HTML_TAG_ENUM)
#undef WINNOW_HTML_TAG_ENUM
      kCount
};

// Lower-case name -> Tag (kUnknown if not listed). ASCII case-insensitive.
Tag TagFromName(std::string_view name);
std::string_view TagName(Tag tag);

// kFragment: the root of a <template>'s contents and of ParseFragment's result.
enum class NodeType : uint8_t { kDocument, kElement, kText, kComment, kDoctype, kFragment };

// Element namespaces.
enum class Namespace : uint8_t { kHtml, kSvg, kMathMl };

struct Attribute {
  // Lower-case, except on SVG/MathML elements, where the spec's case
  // adjustments apply ("viewBox", "definitionURL"). The namespaced attributes
  // of foreign elements keep their qualified name ("xlink:href", "xml:lang",
  // "xmlns:xlink"); on HTML elements such names are in no namespace.
  std::string_view name;
  std::string_view value;  // character references decoded
};

struct Node {
  NodeType type = NodeType::kElement;
  Namespace ns = Namespace::kHtml;  // elements
  Tag tag = Tag::kUnknown;
  uint32_t num_attrs = 0;
  // Element: tag name, lower-case for HTML and MathML, with the spec's case
  // adjustments for SVG ("foreignObject", "clipPath"); doctype: its name.
  std::string_view name;
  // Text/comment data, character references decoded. Doctype: the public id
  // and system id are Attr("public") and Attr("system") (absent when the
  // doctype has none).
  std::string_view text;
  const Attribute* attrs = nullptr;
  Node* parent = nullptr;
  Node* first_child = nullptr;
  Node* last_child = nullptr;
  Node* prev_sibling = nullptr;
  Node* next_sibling = nullptr;
  // <template>: its contents, a kFragment node that is NOT among the
  // template's children (never rendered; tree walks do not see it unless
  // they follow this pointer). Null for every other node.
  Node* template_content = nullptr;

  bool is_element() const { return type == NodeType::kElement; }
  bool is_text() const { return type == NodeType::kText; }
  bool is_html() const { return type == NodeType::kElement && ns == Namespace::kHtml; }
  // The value of attribute `name` (lower-case), or empty; `found` tells apart
  // a missing attribute from an empty one.
  std::string_view Attr(std::string_view name, bool* found = nullptr) const;
};

struct ParseOptions {
  uint32_t max_depth = 512;           // deeper elements are attached at this depth
  uint32_t max_attributes = 256;      // further attributes on one tag are dropped
  uint64_t max_nodes = 4'000'000;     // beyond this, text is still read, no new nodes
  // The spec's scripting flag. On (as in a browser with JavaScript, what a
  // reader sees): <noscript> content is raw text. Off (gumbo's choice):
  // it is parsed as markup, and a stray "<noscript><div></noscript>" then
  // swallows the rest of the page into the <noscript>. On is the better
  // choice for extraction (doc/html.md: 2 pages of the extraction sets go
  // from empty to correct, none changes otherwise).
  bool scripting = true;
  // A departure from the spec, for scripting off only: an element whose
  // content is text (iframe, noembed, noframes, xmp, style, textarea,
  // title) opened inside a <noscript> also ends at </noscript>, which
  // closes both. A browser with scripting on never parses a noscript's
  // markup, so "<noscript><iframe src=... /></noscript>" (a self-closed
  // iframe, common in tag-manager snippets) hides nothing there; with
  // scripting off the spec makes the rest of the page the iframe's text.
  // Off by default (html5lib's script-off tests expect the spec);
  // extraction turns it on.
  bool noscript_ends_text = false;
  // Elements the tree builder may clone (reconstruction of active formatting
  // elements, adoption agency) over the whole page: clone_budget_base plus
  // one per clone_budget_bytes bytes of input. The spec's cloning can
  // multiply nodes (N open formatting elements re-cloned in each of N
  // paragraphs: quadratic); past the budget formatting elements are no
  // longer reconstructed (text lands in the current node) and truncated()
  // is set. Real pages use a small fraction of it (doc/html.md).
  uint32_t clone_budget_base = 10'000;
  uint32_t clone_budget_bytes = 8;
  // Entries of the list of active formatting elements kept after its last
  // marker (the oldest goes first), which bounds every scan of the list and
  // what one reconstruction clones. Not in the spec (which only drops a
  // fourth identical entry); real pages stay far below it.
  uint32_t max_active_formatting = 128;
};

enum class QuirksMode : uint8_t { kNoQuirks, kLimitedQuirks, kQuirks };

class Dom {
 public:
  virtual ~Dom() = default;
  // The document node: its children are the doctype, comments and <html>.
  virtual const Node* document() const = 0;
  virtual const Node* html() const = 0;   // never null after Parse
  virtual const Node* head() const = 0;   // never null after Parse
  virtual const Node* body() const = 0;   // <body>, or <frameset>; may be null
  virtual uint64_t node_count() const = 0;
  // True when a ParseOptions limit was hit (the tree is then partial).
  virtual bool truncated() const = 0;
  // From the doctype (or its absence), as the spec decides it.
  virtual QuirksMode quirks_mode() const = 0;
};

// REQUIRES: `html` is UTF-8 (readers guarantee it) and outlives the Dom.
std::unique_ptr<Dom> Parse(std::string_view html, const ParseOptions& options = {});

// The spec's HTML fragment parsing algorithm (innerHTML): parses `html` as
// the content of an element named `context` (lower-case local name, e.g.
// "div", "td", "title", "svg" with Namespace::kSvg). document() is then a
// kFragment node whose children are the parsed nodes; html(), head() and
// body() are null. Same lifetime rules as Parse.
std::unique_ptr<Dom> ParseFragment(std::string_view html, std::string_view context,
                                   Namespace context_ns = Namespace::kHtml,
                                   const ParseOptions& options = {});

// The subtree under `root` in the html5lib tree-construction test format
// ("| <html>", "|   <head>", "|   \"text\"", attributes sorted, "svg "/"math "
// element prefixes, "xlink href" namespaced attributes, DOCTYPE ids,
// template contents under "content"), one line per node; for golden tests
// and debugging. Iterative: any depth is fine.
std::string DumpTree(const Node* root);

}  // namespace html
}  // namespace winnow

#endif  // WINNOW_HTML_H_
