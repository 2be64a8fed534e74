// Main-content extraction. The algorithm, in one pass plus post-processing:
//
// 1. Walk the DOM once (iteratively, no recursion) and cut the visible text
//    into segments at block-element boundaries. Each element gets a record
//    (pre-order index, parent, subtree end) with hints from its tag and its
//    class/id/role (hints.cc), and each segment knows its owner element,
//    its length, its linked length and its context (heading, list, code,
//    quote, table cell).
// 2. Aggregate text and link lengths bottom-up, then score containers as
//    Readability does: every paragraph-like segment gives points (1 + commas
//    + length/100, max 3) to its parent and, divided, to 4 more ancestors;
//    a container's score is scaled by its tag, its hints and (1 - link
//    density). The best container (moved up to a common ancestor when the
//    runners-up share one) plus its good siblings is the main content.
// 3. Inside it, drop elements that look like boilerplate (navigation,
//    share/related/comment blocks, link-dense lists, forms) and link-only
//    segments.
// 4. When the container is weak (little text compared with the text-rich
//    blocks of the whole page), fall back to a block classifier over the
//    whole page (jusText-like: length, link density, hints, neighbours).
//
// Decisions and measured figures: doc/extract.md.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string_view>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/fnv.h"
#include "base/splitmix.h"
#include "base/swar.h"
#include "base/utf8.h"
#include "extract/hints.h"
#include "extract/metadata.h"
#include "extract/rule_switches.h"
#include "extract/site_template.h"
#include "extract/text_util.h"
#include "winnow/extract.h"
#include "winnow/html.h"

namespace winnow {

namespace {

using extract_internal::AppendCollapsed;
using extract_internal::CountChars;
using html::Node;
using html::NodeType;
using html::Tag;
namespace ei = extract_internal;

enum ElemFlags : uint32_t {
  kBlock = 1u << 0,
  kLayoutTable = 1u << 1,  // a <table> holding blocks or a single row/column
  kHeaderCell = 1u << 2,
  kDrop = 1u << 3,        // decided: not content
  kSelected = 1u << 4,
  kLink = 1u << 5,        // <a href>
  kUnlikely = 1u << 6,    // dropped before scoring (hints, nav/aside)
  kDialog = 1u << 7,      // aria-modal=true: never a wrapper of the page
  kPostItem = 1u << 8,    // a schema.org Question, Answer or DiscussionForumPosting item
};

struct Elem {
  const Node* node = nullptr;
  std::string_view cls;  // the node's class attribute, read once
  uint64_t cls_fnv = 0;  // Fnv1a64(cls) when Walker::want_cls_fnv, from hints.cc's memo
  int32_t parent = -1;
  int32_t end = 0;  // pre-order index one past the last descendant
  Tag tag = Tag::kUnknown;
  uint32_t hints = 0;
  uint32_t other_hints = 0;  // from id, role, tag: all but the class
  uint32_t rest_hints = 0;   // from role, tag, itemprop: all but class and id
  uint32_t flags = 0;
  // Aggregated over the subtree.
  uint32_t chars = 0;
  uint32_t link_chars = 0;
  uint32_t commas = 0;
  uint32_t prose = 0;  // chars in segments >= 80 chars with < 25% linked text
  uint32_t live_prose = 0;  // the same, outside dropped elements
  uint16_t p_count = 0, li_count = 0, input_count = 0, img_count = 0;
  uint16_t seg_count = 0;
  uint16_t rows = 0, max_cols = 0, cur_cols = 0;
  float score = 0;
  bool scored = false;
};

struct Seg {
  std::string text;
  std::string md;  // with links/images, when asked and different from text
  int32_t owner = -1;
  int32_t table = -1, row = -1, cell = -1;
  uint32_t chars = 0, link_chars = 0, commas = 0;
  BlockKind kind = BlockKind::kParagraph;
  int level = 0;
  bool ordered = false;
  bool header_cell = false;
  bool keep = false;
};

bool IsBlockTag(Tag t) {
  switch (t) {
    case Tag::kAddress: case Tag::kArticle: case Tag::kAside: case Tag::kBlockquote:
    case Tag::kBody: case Tag::kCenter: case Tag::kDd: case Tag::kDetails:
    case Tag::kDialog: case Tag::kDiv: case Tag::kDl: case Tag::kDt:
    case Tag::kFieldset: case Tag::kFigcaption: case Tag::kFigure: case Tag::kFooter:
    case Tag::kForm: case Tag::kH1: case Tag::kH2: case Tag::kH3: case Tag::kH4:
    case Tag::kH5: case Tag::kH6: case Tag::kHeader: case Tag::kHgroup: case Tag::kHr:
    case Tag::kHtml: case Tag::kLi: case Tag::kMain: case Tag::kMenu: case Tag::kNav:
    case Tag::kOl: case Tag::kP: case Tag::kPre: case Tag::kSection: case Tag::kTable:
    case Tag::kTbody: case Tag::kTd: case Tag::kTfoot: case Tag::kTh: case Tag::kThead:
    case Tag::kTr: case Tag::kUl: case Tag::kCaption: case Tag::kLegend:
    case Tag::kListing: case Tag::kXmp: case Tag::kPlaintext: case Tag::kSummary:
    case Tag::kFrameset: case Tag::kFrame: case Tag::kSearch: case Tag::kMarquee:
      return true;
    default:
      return false;
  }
}

bool IsTableStructure(Tag t) {
  switch (t) {
    case Tag::kTable: case Tag::kTbody: case Tag::kThead: case Tag::kTfoot:
    case Tag::kTr: case Tag::kTd: case Tag::kTh: case Tag::kCaption:
    case Tag::kColgroup: case Tag::kCol:
      return true;
    default:
      return false;
  }
}

// Elements whose content is never visible text.
bool IsSkipTag(Tag t) {
  switch (t) {
    case Tag::kScript: case Tag::kStyle: case Tag::kTemplate:
    case Tag::kSvg: case Tag::kMath: case Tag::kHead: case Tag::kIframe:
    case Tag::kObject: case Tag::kEmbed: case Tag::kSelect: case Tag::kOption:
    case Tag::kOptgroup: case Tag::kTextarea: case Tag::kButton: case Tag::kInput:
    case Tag::kCanvas: case Tag::kAudio: case Tag::kVideo: case Tag::kMap:
    case Tag::kDatalist: case Tag::kTitle: case Tag::kMeta: case Tag::kLink:
    case Tag::kBase: case Tag::kParam: case Tag::kSource: case Tag::kTrack:
    case Tag::kNoframes: case Tag::kNoembed: case Tag::kApplet: case Tag::kRp:
    case Tag::kDialog: case Tag::kArea: case Tag::kKeygen: case Tag::kLabel:
      return true;
    default:
      return false;
  }
}

int HeadingLevel(Tag t) {
  switch (t) {
    case Tag::kH1: return 1;
    case Tag::kH2: return 2;
    case Tag::kH3: return 3;
    case Tag::kH4: return 4;
    case Tag::kH5: return 5;
    case Tag::kH6: return 6;
    default: return 0;
  }
}

// The separators of the names in a class attribute's value (and of any
// other space-separated token list: aria-controls): ASCII whitespace, as
// HTML splits them. The tokenizer turns CR into LF, but a DOM built by
// other means may keep it.
inline bool IsClassSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

// The names of a class attribute's value (or of another token list):
// f(name) for each, in order.
template <typename F>
void ForEachClassName(std::string_view v, F&& f) {
  size_t i = 0;
  while (i < v.size()) {
    while (i < v.size() && IsClassSpace(v[i])) ++i;
    size_t j = i;
    while (j < v.size() && !IsClassSpace(v[j])) ++j;
    if (j > i) f(v.substr(i, j - i));
    i = j;
  }
}

// The first name of a class attribute's value (empty: none).
std::string_view FirstClassName(std::string_view v) {
  size_t i = 0;
  while (i < v.size() && IsClassSpace(v[i])) ++i;
  size_t j = i;
  while (j < v.size() && !IsClassSpace(v[j])) ++j;
  return v.substr(i, j - i);
}

bool ContainsNoCase(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    size_t k = 0;
    for (; k < needle.size(); ++k) {
      char c = hay[i + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != needle[k]) break;
    }
    if (k == needle.size()) return true;
  }
  return false;
}

// The attributes the walker reads from every element, taken in one pass
// over the element's attributes (the first of a name, as Node::Attr).
struct KeyAttrs {
  std::string_view cls, id, role, itemtype, itemprop, style, aria_hidden;
  std::string_view aria_controls;  // the ids a toggle shows or hides
  bool aria_expanded = false;      // has aria-expanded: the toggle of a disclosure
  bool hidden = false;
  bool modal = false;  // aria-modal=true
};

KeyAttrs ReadKeyAttrs(const Node* n) {
  KeyAttrs a;
  uint32_t seen = 0;
  for (uint32_t i = 0; i < n->num_attrs; ++i) {
    const std::string_view name = n->attrs[i].name;
    int k = -1;
    switch (name.size()) {
      case 2: if (name == "id") k = 1; break;
      case 4: if (name == "role") k = 2; break;
      case 5: if (name == "class") k = 0; else if (name == "style") k = 5; break;
      case 6: if (name == "hidden") k = 7; break;
      case 8: if (name == "itemtype") k = 3; else if (name == "itemprop") k = 4; break;
      case 10: if (name == "aria-modal") k = 8; break;
      case 11: if (name == "aria-hidden") k = 6; break;
      case 13: if (name == "aria-controls") k = 9; else if (name == "aria-expanded") k = 10; break;
      default: break;
    }
    if (k < 0 || ((seen >> k) & 1u)) continue;
    seen |= 1u << k;
    const std::string_view v = n->attrs[i].value;
    switch (k) {
      case 0: a.cls = v; break;
      case 1: a.id = v; break;
      case 2: a.role = v; break;
      case 3: a.itemtype = v; break;
      case 4: a.itemprop = v; break;
      case 5: a.style = v; break;
      case 6: a.aria_hidden = v; break;
      case 8: a.modal = v.size() == 4 && ContainsNoCase(v, "true"); break;
      case 9: a.aria_controls = v; break;
      case 10: a.aria_expanded = true; break;
      default: a.hidden = true; break;
    }
  }
  return a;
}

// A tab or accordion panel (ARIA role tabpanel, or region: what an
// accordion's panel is), or the collapsing wrapper whose first element is
// one: shown on a click, so its text is the page's even when hidden.
bool PanelRole(std::string_view role) { return role == "tabpanel" || role == "region"; }

bool CollapsedPanel(const Node* n, const KeyAttrs& a) {
  if (PanelRole(a.role)) return true;
  for (const Node* c = n->first_child; c; c = c->next_sibling) {
    if (c->is_element()) return PanelRole(c->Attr("role"));
  }
  return false;
}

bool IsHidden(const KeyAttrs& a) {
  if (a.hidden) return true;
  std::string_view style = a.style;
  // Both declarations below have a 'y' before their ':' (white space
  // between them aside): a style with no such colon ("width: 50%",
  // "color:#333") is not read further.
  bool y_colon = false;
  for (size_t c = style.find(':'); c != std::string_view::npos && !y_colon; c = style.find(':', c + 1)) {
    size_t b = c;
    while (b > 0 && (style[b - 1] == ' ' || style[b - 1] == '\t' || style[b - 1] == '\n')) --b;
    y_colon = b > 0 && (style[b - 1] == 'y' || style[b - 1] == 'Y');
  }
  if (y_colon) {
    // The style without white space, lower-cased: on the stack when short
    // (most are), not in a string grown a byte at a time.
    char stack[256];
    std::string heap;
    char* out = stack;
    if (style.size() > sizeof(stack)) {
      heap.resize(style.size());
      out = heap.data();
    }
    size_t k = 0;
    for (char c : style) {
      if (c != ' ' && c != '\t' && c != '\n') out[k++] = (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
    }
    const std::string_view v(out, k);
    if (v.find("display:none") != std::string_view::npos ||
        v.find("visibility:hidden") != std::string_view::npos) {
      return true;
    }
  }
  std::string_view aria = a.aria_hidden;
  if (aria.size() == 4 && ContainsNoCase(aria, "true")) return true;
  return false;
}

uint32_t CountCommas(std::string_view s) {
  uint32_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    // Eight ASCII bytes at once: their commas counted as the bytes equal
    // to ',' (the high bit of each zero byte of w ^ kCommas, exactly).
    while (i + 8 <= s.size()) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (w & swar::kHigh) break;
      n += swar::CountMarked(swar::EqualBytes(w, ','));
      i += 8;
    }
    if (i >= s.size()) break;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ',') {
      ++n;
    } else if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBC &&
               static_cast<unsigned char>(s[i + 2]) == 0x8C) {
      ++n;  // U+FF0C fullwidth comma
    } else if (c == 0xE3 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               static_cast<unsigned char>(s[i + 2]) == 0x81) {
      ++n;  // U+3001 ideographic comma
    }
  }
  return n;
}

bool DebugSegments();

// Links to the pages of the site's sequence (rel=next/prev/...) looked at
// per page (DropNavBlocks).
constexpr size_t kMaxNavLinks = 64;

// Walks the DOM into elements and segments.
class Walker {
 public:
  Walker(const ExtractOptions& options, bool walk_hidden = false)
      : options_(options), walk_hidden_(walk_hidden) {}

  std::vector<Elem> elems;
  std::vector<Seg> segs;
  std::vector<const Node*> jsonld;
  // Elem::cls_fnv is wanted (a site hook reads it): set before Run().
  bool want_cls_fnv = false;
  // Navigation by structure: hrefs of <link rel=next/prev/up/...> in
  // <head>, and the links (element indices) that point to them or carry
  // such a rel themselves.
  std::vector<std::string_view> nav_hrefs;
  std::vector<int32_t> nav_links;
  // The page declares itself a discussion (schema.org DiscussionForumPosting
  // or QAPage, as microdata itemtype or JSON-LD @type).
  bool thread_schema = false;
  // The page declared itself a QAPage (before the element being walked).
  bool qa_schema = false;
  // The page declares itself an article (og:type article, schema.org
  // Article / NewsArticle / BlogPosting).
  bool article_schema = false;
  // Microdata items of type schema.org/Product.
  int microdata_products = 0;
  // The page is about one product (one schema.org Product, or og:type
  // product): set by ExtractWithSite from the metadata.
  bool product_page = false;

  void Run(const Node* root) {
    struct Frame {
      const Node* node;
      int32_t elem;
      bool closing;
      int32_t saved_owner, saved_table, saved_row, saved_cell;
      int16_t saved_heading, saved_list_depth, saved_quote;
      bool saved_ordered, saved_in_li, saved_header;
    };
    std::vector<Frame> stack;
    stack.reserve(256);
    streamed_.clear();
    streamed_skip_.clear();
    streamed_scanned_ = false;
    stack.push_back(Frame{root, -1, false, -1, -1, -1, -1, 0, 0, 0, false, false, false});
    while (!stack.empty()) {
      // The frame read in place (the stack is this function's: nothing else
      // pushes while `top` is read), not copied out.
      const Frame& top = stack.back();
      const Node* n = top.node;
      if (!streamed_skip_.empty() &&
          std::find(streamed_skip_.begin(), streamed_skip_.end(), n) != streamed_skip_.end()) {
        stack.pop_back();
        continue;
      }
      if (top.closing) {
        if (elems[top.elem].flags & kBlock) Flush();
        Close(top.elem);
        owner_ = top.saved_owner;
        table_ = top.saved_table;
        row_ = top.saved_row;
        cell_ = top.saved_cell;
        heading_ = top.saved_heading;
        list_depth_ = top.saved_list_depth;
        quote_ = top.saved_quote;
        ordered_ = top.saved_ordered;
        in_li_ = top.saved_in_li;
        header_ = top.saved_header;
        stack.pop_back();
        continue;
      }
      const int32_t parent_elem = top.elem;  // the element it is a child of
      stack.pop_back();
      if (n->type == NodeType::kText) {
        if (!EscapedMarkupInNoscript(n)) AddText(n->text);
        continue;
      }
      if (n->type == NodeType::kDocument) {
        for (const Node* c = n->last_child; c; c = c->prev_sibling) {
          stack.push_back(Frame{c, -1, false, -1, -1, -1, -1, 0, 0, 0, false, false, false});
        }
        continue;
      }
      if (n->type != NodeType::kElement) continue;
      const Tag tag = n->tag;
      if (IsSkipTag(tag)) {
        if (tag == Tag::kTemplate) {
          // A streaming renderer's placeholder: the segment that replaces
          // it is walked here, and the fallback after it ("Loading...",
          // up to the boundary's closing comment) is not. Segments are
          // looked for at the first placeholder (they follow them).
          if (!streamed_scanned_ && IsStreamPlaceholder(n)) {
            FindStreamedSegments(root);
            streamed_scanned_ = true;
          }
          const Node* seg = streamed_.empty() ? nullptr : StreamedSegment(n);
          if (seg) {
            SkipStreamFallback(n);
            for (const Node* c = seg->last_child; c; c = c->prev_sibling) {
              if (c->type == NodeType::kComment || c->type == NodeType::kDoctype) continue;
              stack.push_back(Frame{c, parent_elem, false, -1, -1, -1, -1, 0, 0, 0, false, false, false});
            }
          }
          continue;
        }
        if (tag == Tag::kScript) {
          std::string_view type = n->Attr("type");
          if (ContainsNoCase(type, "ld+json")) {
            jsonld.push_back(n);
            for (const Node* c = n->first_child; c; c = c->next_sibling) {
              if (c->type == NodeType::kText) NoteSchemaType(c->text);
            }
          }
        } else if (tag == Tag::kHead) {
          // Only JSON-LD and navigation links matter in <head> here
          // (metadata.cc reads the rest).
          for (const Node* c = n->first_child; c; c = c->next_sibling) {
            if (c->is_element() && c->tag == Tag::kLink) NoteNavHead(c);
            if (c->is_element() && c->tag == Tag::kScript &&
                ContainsNoCase(c->Attr("type"), "ld+json")) {
              jsonld.push_back(c);
              for (const Node* t = c->first_child; t; t = t->next_sibling) {
                if (t->type == NodeType::kText) NoteSchemaType(t->text);
              }
            }
          }
        } else if (tag == Tag::kInput || tag == Tag::kSelect || tag == Tag::kTextarea ||
                   tag == Tag::kButton) {
          if (owner_ >= 0) ++elems[owner_].input_count;
          if (tag == Tag::kButton) NoteDisclosure(ReadKeyAttrs(n));
        }
        continue;
      }
      if (tag == Tag::kBr) {
        LineBreak();
        continue;
      }
      if (tag == Tag::kImg) {
        if (owner_ >= 0) ++elems[owner_].img_count;
        if (options_.include_images) AddImage(n);
        continue;
      }
      if (tag == Tag::kWbr) continue;
      const KeyAttrs attrs = ReadKeyAttrs(n);
      NoteDisclosure(attrs);
      if (!streamed_.empty() && attrs.id.starts_with("S:") && StreamedUsed(n)) continue;
      // A collapsed tab or accordion panel is hidden until a click: its
      // text is the page's (a product's description and specifications,
      // a service page's answers), not hidden furniture.
      if (!walk_hidden_ && IsHidden(attrs) && !CollapsedPanel(n, attrs) && !Disclosed(attrs.id)) {
        FindJsonLd(n);
        if (DebugSegments()) {
          std::fprintf(stderr, "hidden <%s class=%s>\n", std::string(n->name).c_str(),
                       std::string(n->Attr("class")).c_str());
        }
        continue;
      }
      uint32_t hints = 0;
      std::string_view cls = attrs.cls;
      std::string_view id = attrs.id;
      // Class and id values recur within a page and across a site's pages:
      // hints.cc memoises them per thread.
      uint64_t cls_fnv = kFnv1a64Offset;  // Fnv1a64("")
      const uint32_t cls_hints = cls.empty() ? 0 : ei::HintsFromClassOrId(cls, want_cls_fnv ? &cls_fnv : nullptr);
      const uint32_t id_hints = id.empty() ? 0 : ei::HintsFromClassOrId(id);
      std::string_view role = attrs.role;
      if (!role.empty()) hints |= ei::HintsFromRole(role);
      if (!walk_hidden_ && ((hints | id_hints | cls_hints) & ei::kHintHidden) &&
          !CollapsedPanel(n, attrs) && !Disclosed(attrs.id)) {
        FindJsonLd(n);
        continue;
      }
      std::string_view itemtype = attrs.itemtype;
      if (!itemtype.empty()) {
        // On a page of a question and its answers, a schema.org Comment
        // inside the Question or an Answer item is a remark on it (Stack
        // Exchange's "add a comment" lines), not an answer: not walked.
        // Replies that are Comments of the page itself stay.
        if (qa_schema && itemtype.ends_with("schema.org/Comment") && !options_.include_comments &&
            InsideQuestionOrAnswer(n)) {
          continue;
        }
        NoteSchemaType(itemtype);
        if (itemtype.ends_with("schema.org/Product")) ++microdata_products;
      }
      const bool post_item = !itemtype.empty() && (itemtype.ends_with("schema.org/Question") ||
                                                   itemtype.ends_with("schema.org/Answer") ||
                                                   itemtype.ends_with("schema.org/DiscussionForumPosting"));
      std::string_view itemprop = attrs.itemprop;
      if (!itemprop.empty() && ContainsNoCase(itemprop, "articlebody")) hints |= ei::kHintContent;
      switch (tag) {
        case Tag::kNav: case Tag::kAside: hints |= ei::kHintBoilerplate; break;
        case Tag::kFooter: hints |= ei::kHintBoilerplate; break;
        case Tag::kArticle: case Tag::kMain: hints |= ei::kHintContent; break;
        default: break;
      }
      const uint32_t rest_hints = hints & ~ei::kHintHidden;
      const uint32_t other_hints = hints | id_hints;
      hints = other_hints | cls_hints;

      const int32_t idx = static_cast<int32_t>(elems.size());
      elems.emplace_back();
      Elem& e = elems.back();
      e.node = n;
      e.cls = cls;
      e.cls_fnv = cls_fnv;
      e.parent = parent_elem >= 0 ? parent_elem : parent_hint_;
      e.tag = tag;
      e.hints = hints;
      e.other_hints = other_hints;
      e.rest_hints = rest_hints;
      const bool block = IsBlockTag(tag) || (tag == Tag::kUnknown && false);
      if (block) e.flags |= kBlock;
      if (attrs.modal) e.flags |= kDialog;
      if (post_item) e.flags |= kPostItem;

      Frame close{n, idx, true, owner_, table_, row_, cell_, heading_, list_depth_, quote_,
                  ordered_, in_li_, header_};
      if (block) {
        Flush();
        owner_ = idx;
        if (table_ >= 0 && !IsTableStructure(tag)) elems[table_].flags |= kLayoutTable;
      }
      switch (tag) {
        case Tag::kP: ++e.p_count; break;
        case Tag::kLi: ++e.li_count; in_li_ = true; break;
        case Tag::kDt: case Tag::kDd: in_li_ = true; break;
        case Tag::kUl: case Tag::kOl: case Tag::kMenu: case Tag::kDl:
          ++list_depth_;
          ordered_ = tag == Tag::kOl;
          break;
        case Tag::kBlockquote: ++quote_; break;
        case Tag::kPre: case Tag::kListing: case Tag::kXmp: case Tag::kPlaintext: ++pre_; break;
        case Tag::kTable:
          if (table_ >= 0) elems[table_].flags |= kLayoutTable;
          table_ = idx;
          row_ = -1;
          cell_ = -1;
          break;
        case Tag::kTr:
          if (table_ >= 0) {
            row_ = idx;
            ++elems[table_].rows;
            elems[table_].cur_cols = 0;
          }
          break;
        case Tag::kTd: case Tag::kTh:
          if (table_ >= 0) {
            cell_ = idx;
            Elem& t = elems[table_];
            ++t.cur_cols;
            if (t.cur_cols > t.max_cols) t.max_cols = t.cur_cols;
            header_ = tag == Tag::kTh;
          }
          break;
        case Tag::kThead: header_ = true; break;
        case Tag::kA: {
          // Only a link is a link: <a name=...> anchors often wrap whole
          // pages in old markup.
          bool has_href = false;
          std::string_view href_value = n->Attr("href", &has_href);
          if (!has_href) break;
          // Links side by side with nothing between them are separate
          // items (a row of tags, a breadcrumb, "1 of 5 stars" buttons):
          // a browser shows them apart (inline-block with margins), and
          // their words are not one word.
          bool prev_href = false;
          if (pre_ == 0 && n->prev_sibling && n->prev_sibling->is_element() &&
              n->prev_sibling->tag == Tag::kA) {
            n->prev_sibling->Attr("href", &prev_href);
          }
          if (prev_href) {
            pending_ = true;
            md_pending_ = true;
          }
          // A heading's anchor to itself ("#section", a permalink) is not
          // a link away from the page.
          if (heading_ > 0 && !href_value.empty() && href_value[0] == '#') break;
          e.flags |= kLink;
          if (nav_links.size() < kMaxNavLinks && IsNavLink(n, href_value)) nav_links.push_back(idx);
          ++link_depth_;
          if (options_.include_links) {
            std::string_view href = n->Attr("href");
            if (!href.empty() && href.rfind("javascript:", 0) != 0) {
              EnsureMd();
              if (md_pending_ && !cur_md_.empty()) cur_md_.push_back(' ');
              md_pending_ = false;
              cur_md_.push_back('[');
              link_open_.push_back(idx);
              md_used_ = true;
            }
          }
          break;
        }
        default:
          break;
      }
      const int hl = HeadingLevel(tag);
      if (hl) heading_ = static_cast<int16_t>(hl);
      stack.push_back(close);
      for (const Node* c = n->last_child; c; c = c->prev_sibling) {
        if (c->type == NodeType::kComment || c->type == NodeType::kDoctype) continue;
        stack.push_back(Frame{c, idx, false, -1, -1, -1, -1, 0, 0, 0, false, false, false});
      }
    }
    Flush();
    const int32_t count = static_cast<int32_t>(elems.size());
    for (int32_t i = count - 1; i >= 0; --i) {
      if (elems[i].end == 0) elems[i].end = i + 1;
    }
  }

 private:
  // rel values that name a page's place in a sequence or hierarchy of
  // pages (HTML link types; DocBook, Sphinx and most generators emit them).
  static bool NavRel(std::string_view rel) {
    static constexpr std::string_view kRels[] = {"next", "prev", "previous", "up", "home", "start",
                                                 "first", "last", "contents", "toc", "index",
                                                 "begin", "end", "parent"};
    bool found = false;
    size_t i = 0;
    while (i < rel.size() && !found) {
      while (i < rel.size() && rel[i] == ' ') ++i;
      size_t j = i;
      while (j < rel.size() && rel[j] != ' ') ++j;
      const std::string_view token = rel.substr(i, j - i);
      for (std::string_view r : kRels) {
        if (token.size() == r.size() && ContainsNoCase(token, r)) found = true;
      }
      i = j;
    }
    return found;
  }
  static std::string_view NavHref(std::string_view href) {
    href = ei::Trim(href);
    const size_t hash = href.find('#');
    if (hash != std::string_view::npos) href = href.substr(0, hash);
    if (href.starts_with("./")) href.remove_prefix(2);
    return href;
  }
  void NoteNavHead(const Node* link) {
    std::string_view href = NavHref(link->Attr("href"));
    if (!href.empty() && NavRel(link->Attr("rel")) && nav_hrefs.size() < 32) nav_hrefs.push_back(href);
  }
  bool IsNavLink(const Node* a, std::string_view href) const {
    std::string_view rel = a->Attr("rel");
    if (!rel.empty() && NavRel(rel)) return true;
    if (nav_hrefs.empty()) return false;
    // A link into a section of the next page is a table of contents entry.
    if (href.find('#') != std::string_view::npos) return false;
    href = NavHref(href);
    if (href.empty()) return false;
    for (std::string_view h : nav_hrefs) {
      if (h == href) return true;
    }
    return false;
  }

  // JSON-LD inside a subtree that is not walked (hidden): it still
  // describes the page.
  void FindJsonLd(const Node* root) {
    const Node* n = root->first_child;
    while (n && n != root) {
      if (n->is_element() && n->tag == Tag::kScript) {
        if (ContainsNoCase(n->Attr("type"), "ld+json")) {
          jsonld.push_back(n);
          for (const Node* t = n->first_child; t; t = t->next_sibling) {
            if (t->type == NodeType::kText) NoteSchemaType(t->text);
          }
        }
      } else if (n->first_child) {
        n = n->first_child;
        continue;
      }
      while (n != root && !n->next_sibling) n = n->parent;
      if (n != root) n = n->next_sibling;
    }
  }

  // An ancestor is a schema.org Question or Answer item.
  static bool InsideQuestionOrAnswer(const Node* n) {
    for (const Node* p = n->parent; p; p = p->parent) {
      if (!p->is_element()) continue;
      const std::string_view t = p->Attr("itemtype");
      if (t.ends_with("schema.org/Question") || t.ends_with("schema.org/Answer")) return true;
    }
    return false;
  }

  // Schema.org types are a fixed vocabulary (not words of a language).
  void NoteSchemaType(std::string_view text) {
    // "\"Article\"", "\"NewsArticle\"", "\"BlogPosting\"", "schema.org/Article",
    // "schema.org/NewsArticle" or "schema.org/BlogPosting": each occurrence of
    // "Article" or "BlogPosting" (rare bytes first, not every quote of a
    // JSON-LD script) checked for what is around it.
    auto around = [text](size_t at, size_t len, std::string_view before, bool quote_after) {
      if (at < before.size() || text.substr(at - before.size(), before.size()) != before) return false;
      return !quote_after || (at + len < text.size() && text[at + len] == '"');
    };
    for (size_t at = text.find("Article"); !article_schema && at != std::string_view::npos;
         at = text.find("Article", at + 1)) {
      article_schema = around(at, 7, "\"", true) || around(at, 7, "\"News", true) ||
                       around(at, 7, "schema.org/", false) || around(at, 7, "schema.org/News", false);
    }
    for (size_t at = text.find("BlogPosting"); !article_schema && at != std::string_view::npos;
         at = text.find("BlogPosting", at + 1)) {
      article_schema = around(at, 11, "\"", true) || around(at, 11, "schema.org/", false);
    }
    if (!thread_schema && (text.find("DiscussionForumPosting") != std::string_view::npos ||
                           text.find("QAPage") != std::string_view::npos)) {
      thread_schema = true;
    }
    if (!qa_schema && text.find("QAPage") != std::string_view::npos) qa_schema = true;
  }

  void Close(int32_t idx) {
    Elem& e = elems[idx];
    e.end = static_cast<int32_t>(elems.size());
    switch (e.tag) {
      case Tag::kA:
        if (!(e.flags & kLink)) break;
        --link_depth_;
        if (!link_open_.empty() && link_open_.back() == idx) {
          link_open_.pop_back();
          std::string_view href = e.node->Attr("href");
          cur_md_.append("](");
          cur_md_.append(ei::Trim(href));
          cur_md_.push_back(')');
        }
        break;
      case Tag::kPre: case Tag::kListing: case Tag::kXmp: case Tag::kPlaintext:
        if (pre_ > 0) --pre_;
        break;
      default:
        break;
    }
  }

  void EnsureMd() {
    if (!md_used_) {
      cur_md_ = cur_;
      md_pending_ = pending_;
    }
  }

  // The text of a <noscript> that is itself markup ("&lt;img src=...&gt;"
  // in the saved page): a page stored by a browser with scripting on
  // serialises <noscript> content as text, which a crawler parsing with
  // scripting off (ParseOptions::scripting) would have read as markup.
  // Tracking pixels and ad tags, never text.
  static bool EscapedMarkupInNoscript(const Node* n) {
    if (!n->parent || n->parent->tag != Tag::kNoscript) return false;
    std::string_view t = n->text;
    size_t i = 0;
    while (i < t.size() && (t[i] == ' ' || t[i] == '\n' || t[i] == '\t' || t[i] == '\r')) ++i;
    if (i + 1 >= t.size() || t[i] != '<') return false;
    const char c = t[i + 1];
    const bool tag_start = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' || c == '!';
    return tag_start && t.find('>', i) != std::string_view::npos;
  }

  void AddText(std::string_view text) {
    if (text.empty()) return;
    const size_t before = cur_.size();
    if (pre_ > 0) {
      // Keep white space in code; drop a leading newline right after <pre>.
      if (cur_.empty() && !text.empty() && text[0] == '\n') text.remove_prefix(1);
      if (pending_ && !cur_.empty()) cur_.push_back(' ');
      pending_ = false;
      cur_.append(text);
      if (md_used_) cur_md_.append(text);
    } else {
      AppendCollapsed(text, &cur_, &pending_);
      if (md_used_) AppendCollapsed(text, &cur_md_, &md_pending_);
    }
    if (link_depth_ > 0) {
      cur_links_ += ei::TextUnits(std::string_view(cur_).substr(before));
    }
  }

  void AddImage(const Node* n) {
    std::string_view src = n->Attr("src");
    if (src.empty()) src = n->Attr("data-src");
    if (src.empty()) return;
    EnsureMd();
    md_used_ = true;
    if (md_pending_ && !cur_md_.empty()) cur_md_.push_back(' ');
    md_pending_ = false;
    cur_md_.append("![");
    cur_md_.append(ei::CollapseWhitespace(n->Attr("alt")));
    cur_md_.append("](");
    cur_md_.append(ei::Trim(src));
    cur_md_.push_back(')');
    pending_ = true;
  }

  void LineBreak() {
    if (pre_ > 0) {
      cur_.push_back('\n');
      if (md_used_) cur_md_.push_back('\n');
      return;
    }
    if (link_depth_ > 0 && !link_open_.empty()) {
      pending_ = true;  // do not cut an open markdown link
      md_pending_ = true;
      return;
    }
    Flush();
  }

  // Ends the current segment: most blocks end with none (a wrapper's close
  // after its last child's), which is tested inline.
  void Flush() {
    if (!cur_.empty()) {
      FlushSegment();
      return;
    }
    ResetSegment();
  }

  // The state of the segment being read, back to none.
  void ResetSegment() {
    cur_.clear();
    cur_md_.clear();
    pending_ = false;
    md_pending_ = false;
    md_used_ = false;
    cur_links_ = 0;
    link_open_.clear();
  }

  __attribute__((noinline)) void FlushSegment() {
    std::string_view t = ei::Trim(cur_);
    bool has_text = false;
    for (char c : t) {
      if (c != ' ' && c != '\n' && c != '\t') { has_text = true; break; }
    }
    if (has_text && owner_ >= 0) {
      Seg& s = segs.emplace_back();  // filled in place, not moved in
      if (pre_ > 0) {
        // Trim trailing white space lines only.
        size_t e = cur_.size();
        while (e > 0 && (cur_[e - 1] == '\n' || cur_[e - 1] == ' ' || cur_[e - 1] == '\t' || cur_[e - 1] == '\r')) --e;
        size_t b = 0;
        while (b < e && (cur_[b] == '\n' || cur_[b] == '\r')) ++b;
        s.text.assign(cur_, b, e - b);
        s.kind = BlockKind::kCode;
      } else {
        s.text.assign(t);
        if (heading_ > 0) {
          s.kind = BlockKind::kHeading;
          s.level = heading_;
        } else if (cell_ >= 0 && row_ >= 0) {
          s.kind = BlockKind::kTable;
        } else if (in_li_ && list_depth_ > 0) {
          s.kind = BlockKind::kListItem;
          s.level = list_depth_;
          s.ordered = ordered_;
        } else if (quote_ > 0) {
          s.kind = BlockKind::kQuote;
        }
      }
      if (md_used_) {
        std::string_view m = ei::Trim(cur_md_);
        if (m != t) s.md.assign(m);
      }
      s.owner = owner_;
      s.table = cell_ >= 0 ? table_ : -1;
      s.row = row_;
      s.cell = cell_;
      s.header_cell = header_;
      s.chars = ei::TextUnits(s.text);  // units: CJK counts double (text_util.h)
      s.link_chars = std::min(cur_links_, s.chars);
      s.commas = CountCommas(s.text);
    }
    ResetSegment();
  }

  const ExtractOptions& options_;
  const bool walk_hidden_;
  // Ids named by the aria-controls of a toggle with aria-expanded (an
  // accordion's button, a "show more" link): the panels it opens on a
  // click (rule 36). Buttons come before their panels.
  std::vector<std::string_view> disclosed_;
  void NoteDisclosure(const KeyAttrs& a) {
    if (!a.aria_expanded || a.aria_controls.empty() || !ei::g_rule_switches.disclosure) return;
    ForEachClassName(a.aria_controls, [&](std::string_view id) {
      if (disclosed_.size() < 4096) disclosed_.push_back(id);
    });
  }
  bool Disclosed(std::string_view id) const {
    if (id.empty()) return false;
    for (std::string_view c : disclosed_) {
      if (c == id) return true;
    }
    return false;
  }
  int32_t parent_hint_ = -1;
  // React streaming (renderToPipeableStream): a boundary's content arrives
  // later in the page as <div hidden id="S:k">, and a script moves it to
  // its placeholder <template id="B:k">. Segments by their k; a segment
  // walked at its placeholder is marked used and not walked again.
  struct Streamed {
    std::string_view key;
    const Node* node;
    bool used;
  };
  std::vector<Streamed> streamed_;
  std::vector<const Node*> streamed_skip_;
  bool streamed_scanned_ = false;

  // The hidden S:k segments (the renderer appends them to <body>; a saved
  // page may have them deeper).
  void FindStreamedSegments(const Node* root) {
    const Node* n = root->first_child;
    while (n && n != root) {
      if (n->is_element() && n->tag == Tag::kDiv) {
        std::string_view id = n->Attr("id");
        if (id.size() > 2 && id.starts_with("S:")) {
          bool hidden = false;
          n->Attr("hidden", &hidden);
          if (hidden) streamed_.push_back({id.substr(2), n, false});
        }
      }
      if (n->first_child && !(n->is_element() && IsSkipTag(n->tag))) {
        n = n->first_child;
        continue;
      }
      while (n != root && !n->next_sibling) n = n->parent;
      if (n != root) n = n->next_sibling;
    }
  }

  // B:k a boundary's placeholder, P:k a segment's inside another one.
  static bool IsStreamPlaceholder(const Node* tmpl) {
    std::string_view id = tmpl->Attr("id");
    return id.size() > 2 && (id.starts_with("B:") || id.starts_with("P:"));
  }

  const Node* StreamedSegment(const Node* tmpl) {
    if (!IsStreamPlaceholder(tmpl)) return nullptr;
    std::string_view id = tmpl->Attr("id");
    for (Streamed& s : streamed_) {
      if (s.key == id.substr(2) && !s.used) {
        s.used = true;
        return s.node;
      }
    }
    return nullptr;
  }

  bool StreamedUsed(const Node* n) const {
    for (const Streamed& s : streamed_) {
      if (s.node == n) return s.used;
    }
    return false;
  }

  // The siblings after a placeholder up to the boundary's end comment
  // (<!--/$-->): the fallback shown until the segment arrives.
  void SkipStreamFallback(const Node* tmpl) {
    std::vector<const Node*> fallback;
    for (const Node* c = tmpl->next_sibling; c; c = c->next_sibling) {
      if (c->type == NodeType::kComment) {
        if (c->text == "/$") {
          streamed_skip_.insert(streamed_skip_.end(), fallback.begin(), fallback.end());
          return;
        }
        continue;
      }
      if (c->is_element() && c->tag == Tag::kTemplate) return;
      fallback.push_back(c);
    }
  }
  std::string cur_, cur_md_;
  bool pending_ = false, md_pending_ = false, md_used_ = false;
  uint32_t cur_links_ = 0;
  std::vector<int32_t> link_open_;
  int32_t owner_ = -1, table_ = -1, row_ = -1, cell_ = -1;
  int16_t heading_ = 0, list_depth_ = 0, quote_ = 0;
  int pre_ = 0, link_depth_ = 0;
  bool ordered_ = false, in_li_ = false, header_ = false;
};

bool Debug();

// Short lines that are site furniture whatever the layout: calls to
// subscribe/share/follow, "read also" teasers, copyright and photo credit
// lines, in the languages of the benchmark sets and a few more. Lower-case;
// matched as substrings of short segments only (see DropFurnitureLines).
constexpr std::string_view kFurniturePhrases[] = {
    // en
    "subscribe", "sign up for", "newsletter", "follow us", "follow me", "keep up with me",
    "share this", "share on", "read more", "related articles", "related stories",
    "you may also like", "you might also like", "recommended for you", "all rights reserved",
    "copyright", "\xc2\xa9", "click here", "advertisement", "if you enjoyed",
    "leave a comment", "log in to", "sign in to", "photo:", "image:", "credit:",
    "getty images", "download the", "for the full story", "istock", "shutterstock",
    "thinkstock", "unsplash", "advertising disclosure", "last modified", "last updated",
    // de
    "abonnier", "teilen", "auch interessant", "schon gelesen", "lesen sie auch", "lies auch",
    "mehr zum thema", "weitere artikel", "alle artikel", "das k\xc3\xb6nnte", "war der artikel",
    "drucken", "alle rechte vorbehalten", "anzeige", "werbung", "foto:", "bild:", "quelle:",
    "kommentieren", "vervielf\xc3\xa4ltigung", "aktualisiert am", "zuletzt aktualisiert",
    "diese website verwendet", "datenschutz", "impressum", "zum newsletter", "jetzt anmelden",
    // fr
    "abonnez", "partager", "lire aussi", "tous droits r\xc3\xa9serv\xc3\xa9s", "publicit\xc3\xa9",
    // es / pt / it
    "suscr\xc3\xad" "b", "compartir", "lee tambi\xc3\xa9n", "te puede interesar",
    "derechos reservados", "publicidad", "hazte miembro", "leia tamb\xc3\xa9m", "compartilh",
    "direitos reservados", "iscriviti", "condividi", "leggi anche", "diritti riservati",
    // pl / nl
    "czytaj tak\xc5\xbc" "e", "czytaj te\xc5\xbc", "udost\xc4\x99pnij", "zobacz te\xc5\xbc",
    "prawa zastrze\xc5\xbcone", "lees ook", "deel dit", "rechten voorbehouden",
};

// Whether `lower` holds one of kFurniturePhrases: one pass over the text,
// trying at each byte only the phrases that start with it (the same answer
// as a find per phrase, without ~100 scans of every short line).
bool HasFurniturePhrase(std::string_view lower) {
  struct ByFirst {
    std::vector<std::string_view> phrases[256];
    // The byte pairs a phrase can start with (a phrase of one byte: its
    // byte before any): most positions of a line are passed on one test.
    uint64_t pairs[65536 / 64] = {};
    void SetPair(unsigned a, unsigned b) {
      pairs[(a << 8 | b) >> 6] |= uint64_t{1} << ((a << 8 | b) & 63);
    }
    bool HasPair(unsigned a, unsigned b) const {
      return (pairs[(a << 8 | b) >> 6] >> ((a << 8 | b) & 63)) & 1;
    }
  };
  static const ByFirst* by_first = [] {
    auto* t = new ByFirst();
    for (std::string_view p : kFurniturePhrases) {
      const unsigned a = static_cast<unsigned char>(p[0]);
      t->phrases[a].push_back(p);
      if (p.size() >= 2) {
        t->SetPair(a, static_cast<unsigned char>(p[1]));
      } else {
        for (unsigned b = 0; b < 256; ++b) t->SetPair(a, b);
      }
    }
    return t;
  }();
  const size_t n = lower.size();
  for (size_t i = 0; i < n; ++i) {
    if (i + 1 < n && !by_first->HasPair(static_cast<unsigned char>(lower[i]),
                                        static_cast<unsigned char>(lower[i + 1]))) {
      continue;
    }
    for (std::string_view p : by_first->phrases[static_cast<unsigned char>(lower[i])]) {
      if (p.size() <= n - i && (p.size() < 2 || lower[i + 1] == p[1]) &&
          lower.substr(i, p.size()) == p) {
        return true;
      }
    }
  }
  return false;
}

// Trailing kept lines shorter than this without a sentence end are dropped.
constexpr uint32_t kTrimTail = 40;
// Tuned on cleaneval dev / dragnet train / even pages (doc/extract.md).
// Drop short meta blocks (1: bylines, captions, dates; 2: figures without prose).
constexpr int kDropMeta = 3;
// Segments up to this many characters are checked for furniture phrases.
constexpr uint32_t kFurnitureMaxChars = 100;
// The last kFurnitureTailLines kept lines are checked up to this length
// (end-of-article lines: "This site uses ... to reduce spam. Learn how ...").
constexpr uint32_t kFurnitureTailMaxChars = 200;
constexpr int kFurnitureTailLines = 3;
// A picture credit at the end of a caption or paragraph ("... © Thinkstock",
// "... Foto: Name/Agency", "(Quelle: ...)") within this many bytes of the
// end is cut off the line. Lower-case markers.
constexpr std::string_view kCreditMarkers[] = {
    "\xc2\xa9", "foto:", "photo:", "bild:", "image:", "credit:", "(quelle:", "(source:",
};
constexpr size_t kCreditMaxBytes = 50;
// Headings of end-of-article sections that are not the article ("About the
// author", "Related posts", "Tags"): such a short heading among the last
// kTailSectionLines kept lines is dropped with every kept line after it.
// Information and contact headings ("Further information:", "Kontakt") cut
// only when no prose line (>= kTailSectionProse chars) follows: otherwise
// the section is more text of the article. Lower-case; matched by a heading
// (or a line ending in ':') starting with the phrase, or a line that is only
// the phrase.
constexpr std::string_view kTailSectionHeadings[] = {
    "about the author", "related", "more articles", "latest articles", "tags", "comments",
    "\xc3\xbc" "ber den autor", "\xc3\xbc" "ber die autorin", "\xc3\x9c" "ber den autor",
    "\xc3\x9c" "ber die autorin", "weitere artikel", "weitere beitr\xc3\xa4ge", "neueste artikel",
    "zum weiterlesen", "kommentare", "schlagw\xc3\xb6rter", "verwandte beitr\xc3\xa4ge",
    "\xc3\xa4hnliche beitr\xc3\xa4ge", "\xc3\xa0 propos de l'auteur", "sobre el autor", "o autorze",
};
constexpr std::string_view kTailInfoHeadings[] = {
    "further information", "more information", "contact", "sources",
    "weitere informationen", "weitere infos", "zusatzinformationen", "kontakt", "quellen",
    "ansprechpartner",
};
constexpr uint32_t kTailSectionProse = 200;
constexpr int kTailSectionLines = 10;
constexpr uint32_t kTailSectionMaxChars = 40;
// Lead paragraphs above the container (KeepLead): prose segments of at least
// kLeadMinChars inside the container's kLeadUp-th ancestor, with at most
// kLeadGap short or skipped lines between them.
constexpr uint32_t kLeadMinChars = 80;
constexpr int kLeadUp = 3;
constexpr int kLeadGap = 12;
// Comment-named blocks are the content (a thread) when they hold most of
// the page's prose, at most this much lies outside them, and none of that
// in a block marked as content (an article's reader comments follow an
// article, however short; a thread's first post is named like its
// replies, or is a short question above them). 300 chars without the
// last two conditions: forum 0.649 -> 0.668 but dragnet 0.899 -> 0.897
// (short articles under long comment threads); with them dragnet and
// every other set but cleaneval do not move at 300 or 1,000.
constexpr uint32_t kThreadOutsideProse = 300;
// Repeated siblings (RepeatedSiblings): looked for at the container and up
// to kRepeatUp ancestors; members need kRepeatMinChars and at most
// kRepeatMaxLinkDensity, and the others together kRepeatOthersShare of the
// container's text.
constexpr int kRepeatUp = 2;
constexpr uint32_t kRepeatMinChars = 25;
constexpr double kRepeatMaxLinkDensity = 0.5;
constexpr double kRepeatOthersShare = 0.2;
// Cards (FindCards): at least kCardMin siblings of one shape, kCardMinAvg
// chars each on average, kCardMinSegs segments each on average, none with
// more than kCardMaxShare of the group's text. Kept by CardsAreContent.
constexpr uint32_t kCardMin = 4;
constexpr uint32_t kCardMinAvg = 20;
constexpr uint32_t kCardMinSegs = 2;
constexpr double kCardMaxShare = 0.4;
constexpr double kCardMaxBefore = 0.16;
constexpr double kCardMaxAfter = 0.6;
constexpr uint32_t kCardMaxProse = 800;
constexpr double kCardMinTop = 0.4;
// Other groups of cards of the same tag and at most this ratio of size per
// card are cards too (FindCards).
constexpr double kCardGroupRatio = 1.5;
// Pages of sections (WidenToSections): the container is widened to the
// ancestor holding kSectionsWiden of the page's live text when that adds
// kSectionsMin headed sections of >= kSectionMinChars, kSectionsMinChars in
// all, one of them above the container or the sections spread over
// kSectionsSpread children of that ancestor (headed blocks only below an
// article, in one column, are its sidebar). Chosen on WCXB's tune half and
// the five older sets, the position and spread so that every set agrees
// on the thresholds (doc/extract.md, cross-set validation).
constexpr double kSectionsWiden = 0.7;
constexpr uint32_t kSectionsMin = 3;
constexpr size_t kSectionsSpread = 3;
constexpr uint32_t kSectionMinChars = 100;
constexpr uint32_t kSectionsMinChars = 1000;
// Thread pages (comments are the content, or cards of kPostCardMinAvg chars
// on average): kept lines of <= kLabelMaxChars without a sentence end that
// occur kLabelMinRepeats times are labels (DropRepeatedLabels).
constexpr uint32_t kLabelMaxChars = 30;
constexpr int kLabelMinRepeats = 3;
constexpr size_t kPostCardMinAvg = 400;
// An element holding this share of the page's text is a wrapper: never
// dropped by its name.
constexpr double kWrapperShare = 0.7;
// A container whose link lists hold kLinkPageShare times the text it kept
// (and >= kLinkPageMin chars) is a page of links: they are kept.
constexpr double kLinkPageShare = 2.0;
constexpr size_t kLinkPageMin = 200;
// KeepTableOfContents: a list (ul/ol/dl) of >= kTocMinUnits, >= 70%
// linked, kTocShare times the kept text, >= kTocMinEntries links, 90%
// relative, of >= kTocMinEntryUnits each on average.
constexpr uint32_t kTocMinUnits = 1000;
constexpr uint32_t kTocShare = 3;
constexpr uint32_t kTocMinEntries = 10;
constexpr uint32_t kTocMinEntryUnits = 12;
// Navigation blocks (DropNavBlocks): prose is a segment of this many chars
// (< 25% linked); a block holds at most this many unlinked chars.
constexpr uint32_t kNavProse = 80;
constexpr uint32_t kNavLongProse = 200;  // prose even without a sentence end
constexpr uint32_t kNavMaxUnlinked = 300;
// A box named like a sidebar inside the content, between its prose, with
// prose of its own (segments of >= this many chars) is content.
constexpr uint32_t kInlineBoxProse = 80;
// and at least this much prose in all (a note of a few sentences, not a
// one-line banner).
constexpr uint32_t kInlineBoxMinProse = 300;
// Ids of this many words or more that spell the element's first heading
// are not hints (ForgetHeadingSlugIds).
constexpr int kSlugMinParts = 3;
// So is one holding this share of the page's text outside links (a grid of
// products under a mega-menu header holding more text, all links).
constexpr double kWrapperUnlinkedShare = 0.5;
constexpr uint32_t kWrapperUnlinkedMin = 500;
// A class whose elements hold this share of the page's text is generic.
constexpr double kGenericClassShare = 0.5;
constexpr uint32_t kGenericClassMin = 3;
// A product's JSON-LD description shorter than this is not used.
constexpr uint32_t kProductDescriptionMin = 80;
// Fall back to the block classifier when the container keeps less than this
// share of the page's prose.
constexpr double kFallbackShare = 0.25;
// An unmarked container is widened until it holds this share of the live prose.
constexpr double kWidenShare = 0.7;
// A marked one is widened to kWidenMarkedShare when it holds less and the
// page has at least kWidenMarkedMinProse chars of live prose, unless the
// widened container would hold more than kWidenMarkedMaxPage of the page's
// text (a column of news items around a short story) or adds fewer prose
// paragraphs than the container holds (AddsAsMuchProse).
constexpr double kWidenMarkedShare = 0.3;
constexpr uint32_t kWidenMarkedMinProse = 1000;
constexpr double kWidenMarkedMaxPage = 0.8;
// A page keeping fewer chars than kHiddenRetryBelow is extracted again with
// hidden elements walked when they hold kHiddenGain times the visible text;
// that is taken when it keeps kHiddenGain times more (and at least
// kHiddenGain * kHiddenMin chars).
constexpr size_t kHiddenRetryBelow = 200;
constexpr double kHiddenGain = 3;
constexpr size_t kHiddenMin = 100;
// Off articles and threads, a header-named block is boilerplate when this
// share of its text is linked (a top bar of links, not a title and intro).
constexpr double kHeaderLinkShare = 0.7;
// WidenToMain: the container is a part of <main> below this share of its
// text and this much prose.
constexpr double kMainPartShare = 0.5;
constexpr uint32_t kMainPartMaxProse = 3000;
// DropRepeatedBlocks: a block of this many kept lines and units whose text
// is an earlier block's is dropped.
constexpr uint32_t kRepeatBlockMinChars = 100;
constexpr uint32_t kRepeatBlockMinSegs = 2;
// The bench's switches (rule_switches.h) default to the constants above.
constexpr ei::RuleSwitches kShipped;
static_assert(kShipped.widen_share == kWidenShare && kShipped.widen_marked_share == kWidenMarkedShare &&
              kShipped.fallback_share == kFallbackShare &&
              kShipped.thread_outside_prose == kThreadOutsideProse &&
              kShipped.link_page_share == kLinkPageShare && kShipped.sections_min == kSectionsMin &&
              kShipped.sections_min_chars == kSectionsMinChars &&
              kShipped.card_group_ratio == kCardGroupRatio &&
              kShipped.header_link_share == kHeaderLinkShare &&
              kShipped.main_part_share == kMainPartShare &&
              kShipped.main_part_max_prose == kMainPartMaxProse &&
              kShipped.repeat_min_chars == kRepeatBlockMinChars &&
              kShipped.repeat_min_segs == kRepeatBlockMinSegs);


double LinkDensity(const Elem& e) {
  return e.chars == 0 ? 0.0 : static_cast<double>(e.link_chars) / e.chars;
}

double TagScore(Tag t) {
  switch (t) {
    case Tag::kDiv: case Tag::kArticle: case Tag::kMain: return 5;
    case Tag::kPre: case Tag::kTd: case Tag::kBlockquote: return 3;
    case Tag::kAddress: case Tag::kOl: case Tag::kUl: case Tag::kDl: case Tag::kDd:
    case Tag::kDt: case Tag::kLi: case Tag::kForm: return -3;
    case Tag::kH1: case Tag::kH2: case Tag::kH3: case Tag::kH4: case Tag::kH5:
    case Tag::kH6: case Tag::kTh: return -5;
    default: return 0;
  }
}

double ClassWeight(uint32_t hints) {
  double w = 0;
  if (hints & ei::kHintContent) w += 25;
  if (hints & (ei::kHintBoilerplate | ei::kHintComment)) w -= 25;
  return w;
}

bool ScoresParagraph(Tag t) {
  switch (t) {
    case Tag::kLi: case Tag::kH1: case Tag::kH2: case Tag::kH3: case Tag::kH4:
    case Tag::kH5: case Tag::kH6: case Tag::kTh: case Tag::kDt: case Tag::kCaption:
    case Tag::kFigcaption: case Tag::kNav: case Tag::kFooter: case Tag::kAside:
    case Tag::kLegend: case Tag::kSummary:
      return false;
    default:
      return true;
  }
}

class Extractor {
 public:
  Extractor(Walker* w, const ExtractOptions& o, ei::SitePageHook* site = nullptr)
      : w_(*w), elems_(w->elems), segs_(w->segs), opt_(o), site_hook_(site) {}

  // A class name on blocks holding half the page's text is generic even
  // when one column holds them (the retry of a page that kept nothing).
  void set_generic_in_one_column() { generic_in_one_column_ = true; }

  void Run() {
    if (elems_.empty()) return;
    // Customer reviews under a product are its readers' comments; on
    // other pages (a review article, a review site's list) they are text.
    if (w_.product_page) {
      for (Elem& e : elems_) {
        if (e.hints & ei::kHintReview) e.hints |= ei::kHintComment;
        if (e.other_hints & ei::kHintReview) e.other_hints |= ei::kHintComment;
      }
    }
    Aggregate();
    ForgetCommentWrappers();
    ForgetHeadingSlugIds();
    IgnoreGenericClasses();
    // "header" names the top part of any block: a card's, a table's, a
    // listing's title and intro. On a page that declares an article or a
    // discussion it names the headline and byline block above the text,
    // which is not the text; elsewhere only a bar of links (the page's top
    // bar, kHeaderLinkShare of it linked) is boilerplate so.
    {
      const bool article = w_.article_schema || w_.thread_schema;
      for (Elem& e : elems_) {
        if (!article && LinkDensity(e) < ei::g_rule_switches.header_link_share) continue;
        if (e.tag == Tag::kTable) continue;  // "sticky-header": a table's, not the page's
        if (e.hints & ei::kHintHeader) e.hints |= ei::kHintBoilerplate;
        if (e.other_hints & ei::kHintHeader) e.other_hints |= ei::kHintBoilerplate;
      }
    }
    if (site_hook_) ApplySite();
    DropNavBlocks();
    MarkUnlikely();
    FindCards();
    int32_t top = ChooseContainer();
    std::vector<int32_t> repeats;
    if (top >= 0 && kRepeatUp >= 0) repeats = RepeatedSiblings(top);
    if (top >= 0) top = WidenToPosts(top, &repeats);
    if (top >= 0) top = WidenToSections(top, &repeats);
    if (top >= 0) top = WidenToMain(top, &repeats);
    for (int32_t r : repeats) {
      if (elems_[r].flags & kDrop) Undrop(r);
    }
    MarkDrops(top, repeats);
    if (top >= 0) KeepInlineBoxes();
    size_t kept_chars = 0;
    if (top >= 0) kept_chars = KeepInSelection();
    if (top >= 0 && opt_.include_title) KeepTitleHeading(top);
    size_t good_chars = GoodChars();
    if (Debug()) {
      std::fprintf(stderr, "top=%d tag=%s class=%s score=%.1f chars=%u kept=%zu good=%zu sel=%zu\n", top,
                   top >= 0 ? std::string(elems_[top].node->name).c_str() : "",
                   top >= 0 ? ei::CollapseWhitespace(elems_[top].node->Attr("class")).c_str() : "",
                   top_score_, top >= 0 ? elems_[top].chars : 0, kept_chars, good_chars, selected_.size());
    }
    if (top < 0 && good_chars == 0) {
      // No paragraph anywhere (a tiny page): everything that is not
      // boilerplate or link lists.
      for (Seg& s : segs_) s.keep = !(elems_[s.owner].flags & kDrop) && !SegLinkHeavy(s);
    } else if ((top < 0 || kept_chars < ei::g_rule_switches.fallback_share * good_chars ||
                kept_chars < 100) &&
               !(top >= 0 && KeepLinkPageInstead(kept_chars, good_chars))) {
      if (Debug()) std::fprintf(stderr, "fallback classifier\n");
      for (Seg& s : segs_) s.keep = false;
      Classify();
    } else if (top >= 0) {
      if (ei::g_rule_switches.lead) KeepLead(top);
      KeepLinkListPage(kept_chars);
      KeepTableOfContents();
    }
    if (opt_.include_comments || w_.thread_schema) KeepComments();
    if (cards_.size() >= kCardMin && CardsAreContent()) { KeepCards(); cards_kept_ = true; }
    // A thread's posts (comment blocks that are the content, or cards of
    // text): labels of its user panels and buttons repeat in every post,
    // and replies quote earlier posts.
    if (comments_are_content_ ||
        (cards_kept_ && cards_chars_ >= kPostCardMinAvg * cards_.size())) {
      if (ei::g_rule_switches.thread_labels) DropRepeatedLabels();
      if (ei::g_rule_switches.thread_quotes) DropRepeatedQuotes();
    }
    DropFurnitureLines();
    TrimTail();
    DropTailSection();
    if (!site_.empty()) KeepSiteContent();
    if (ei::g_rule_switches.repeat_min_chars > 0) DropRepeatedBlocks();
    if (DebugSegments()) {
      for (const Seg& s : segs_) {
        std::string path;
        for (int32_t a = s.owner, k = 0; a >= 0 && k < 5; a = elems_[a].parent, ++k) {
          const std::string cls = ei::CollapseWhitespace(elems_[a].node->Attr("class"));
          path = std::string(elems_[a].node->name) + "." +
                 std::string(Utf8Prefix(cls, 24)) +
                 ((elems_[a].flags & kUnlikely) ? "!" : (elems_[a].flags & kDrop) ? "~" : "") +
                 " " + path;
        }
        std::fprintf(stderr, "seg %c %4u ld=%.1f %d [%s] %s\n", s.keep ? '+' : '-', s.chars,
                     s.chars ? double(s.link_chars) / s.chars : 0.0, s.owner, path.c_str(),
                     std::string(Utf8Prefix(s.text, 70)).c_str());
      }
    }
  }

  // A block whose kept text is, line for line, that of an earlier block
  // (a responsive copy of the description, a <noscript> copy of the
  // article, a carousel's cloned slides) is dropped: the page shows one
  // of them. Only blocks of several lines: one paragraph may repeat in
  // the text itself (a refrain, a repeated notice, filler text).
  void DropRepeatedBlocks() {
    const size_t n = elems_.size();
    const size_t m = segs_.size();
    if (m < 2) return;
    // Each element's range of segments (its subtree's, contiguous in
    // document order): from the owners, then up the tree.
    std::vector<int32_t> first(n, INT32_MAX), last(n, -1);
    for (size_t i = 0; i < m; ++i) {
      const int32_t o = segs_[i].owner;
      if (o < 0) continue;
      first[o] = std::min<int32_t>(first[o], static_cast<int32_t>(i));
      last[o] = std::max<int32_t>(last[o], static_cast<int32_t>(i));
    }
    for (size_t e = n; e-- > 1;) {
      const int32_t p = elems_[e].parent;
      if (p < 0) continue;
      first[p] = std::min(first[p], first[e]);
      last[p] = std::max(last[p], last[e]);
    }
    // Prefix sums over kept segments: an order-free hash of their texts,
    // their count and their units.
    std::vector<uint64_t> hash(m + 1, 0);
    std::vector<uint32_t> count(m + 1, 0), units(m + 1, 0);
    for (size_t i = 0; i < m; ++i) {
      const Seg& s = segs_[i];
      uint64_t h = 0;
      if (s.keep) {
        h = Mix64(std::hash<std::string_view>()(s.text) + kSplitMixGamma);
      }
      hash[i + 1] = hash[i] + h;
      count[i + 1] = count[i] + (s.keep ? 1 : 0);
      units[i + 1] = units[i] + (s.keep ? s.chars : 0);
    }
    struct Key {
      uint64_t h;
      uint32_t c, u;
      bool operator==(const Key& o) const { return h == o.h && c == o.c && u == o.u; }
    };
    struct KeyHash {
      size_t operator()(const Key& k) const { return k.h ^ (uint64_t{k.c} << 32) ^ k.u; }
    };
    std::unordered_map<Key, int32_t, KeyHash> seen;  // -> last segment of the first block
    for (size_t e = 0; e < n;) {
      if (last[e] < 0) { ++e; continue; }
      const int32_t a = first[e], b = last[e] + 1;
      const Key k{hash[b] - hash[a], count[b] - count[a], units[b] - units[a]};
      if (k.c < ei::g_rule_switches.repeat_min_segs || k.u < ei::g_rule_switches.repeat_min_chars) {
        // Too small: so is every block inside it.
        e = static_cast<size_t>(elems_[e].end);
        continue;
      }
      auto it = seen.find(k);
      if (it == seen.end()) {
        seen.emplace(k, last[e]);
      } else if (it->second < a) {
        if (Debug()) {
          std::fprintf(stderr, "repeated block %zu <%s class=%s> %u chars, %u lines\n", e,
                       std::string(elems_[e].node->name).c_str(),
                       ei::CollapseWhitespace(elems_[e].node->Attr("class")).c_str(), k.u, k.c);
        }
        for (int32_t i = a; i < b; ++i) segs_[i].keep = false;
        e = static_cast<size_t>(elems_[e].end);
        continue;
      }
      ++e;
    }
  }

  // Short kept lines (<= kLabelMaxChars, no sentence end) that occur
  // kLabelMinRepeats times or more on the page: the labels of a forum's
  // user panels and post buttons ("Joined", "Member Type", "Quote", "Click
  // to expand..."), in whatever language. Tables and code are left alone.
  void DropRepeatedLabels() {
    // On a comment thread, digit runs count as one: "Commented Mar 26,
    // 2019 at 16:40", "answered Mar 27", vote counts.
    const bool digits_alike = comments_are_content_;
    std::unordered_map<std::string, int> count;
    auto label = [](const Seg& s) {
      return s.keep && s.chars <= kLabelMaxChars && s.kind != BlockKind::kTable &&
             s.kind != BlockKind::kCode && !EndsSentence(s.text);
    };
    auto key = [&](const std::string& t) {
      if (!digits_alike) return t;
      std::string k;
      for (size_t i = 0; i < t.size(); ++i) {
        const bool digit = t[i] >= '0' && t[i] <= '9';
        if (!digit) {
          k.push_back(t[i]);
        } else if (i == 0 || t[i - 1] < '0' || t[i - 1] > '9') {
          k.push_back('#');
        }
      }
      return k;
    };
    for (const Seg& s : segs_) {
      if (label(s)) ++count[key(s.text)];
    }
    for (Seg& s : segs_) {
      if (label(s) && count[key(s.text)] >= kLabelMinRepeats) s.keep = false;
    }
  }

  // A reply quoting an earlier post repeats its lines inside a
  // <blockquote>: on a thread, a quoted line that is also kept outside any
  // quote is dropped (the quoted post is there already).
  void DropRepeatedQuotes() {
    std::unordered_map<std::string_view, int> plain;
    for (const Seg& s : segs_) {
      if (s.keep && s.kind != BlockKind::kQuote) ++plain[s.text];
    }
    for (Seg& s : segs_) {
      if (s.keep && s.kind == BlockKind::kQuote && plain.count(s.text)) s.keep = false;
    }
  }

  // A class name that a framework puts on every block ("celwidget", a page
  // builder's "elementor-widget" beside a per-element id class) names no
  // part of the page: when kGenericClassMin or more outermost elements
  // carrying it hold kGenericClassShare of the page's text, its hints are
  // ignored. A whole class value so; one name of several only when its
  // elements are spread over the layout (no parent holds half of them);
  // the element's other names still count.
  void IgnoreGenericClasses() {
    constexpr uint32_t kKinds =
        ei::kHintBoilerplate | ei::kHintComment | ei::kHintRelated | ei::kHintCookie;
    const uint32_t page = elems_[0].chars;
    // A name's text is that of some of the elements counted below: when all
    // of theirs (nested ones counted again) is under the share, no name is
    // generic and nothing need be counted.
    uint64_t all_chars = 0;
    for (const Elem& e : elems_) {
      if ((e.hints & ~e.other_hints & kKinds) == ei::kHintBoilerplate) all_chars += e.chars;
    }
    if (all_chars < kGenericClassShare * page) return;
    struct C {
      std::string_view name;
      uint64_t hash;
      uint32_t chars, count;
      int32_t end;
      bool whole;  // the whole class value, not one name of it
    };
    std::vector<C> names;
    // The parents of each name's outermost elements: (index in names,
    // parent), one flat list rather than a vector per name.
    std::vector<std::pair<uint32_t, int32_t>> parents;
    // names by (whole, name): open addressing, index + 1 (0: empty).
    std::vector<uint32_t> slots(64, 0);
    // name_hash: ei::NameHash(name).
    auto find_or_add = [&](std::string_view name, uint64_t name_hash, bool whole) -> C& {
      const uint64_t h = name_hash ^ static_cast<uint64_t>(whole);
      size_t mask = slots.size() - 1;
      size_t k = h & mask;
      for (; slots[k] != 0; k = (k + 1) & mask) {
        C& c = names[slots[k] - 1];
        if (c.hash == h && c.whole == whole && c.name == name) return c;
      }
      if ((names.size() + 1) * 2 > slots.size()) {
        slots.assign(slots.size() * 2, 0);
        mask = slots.size() - 1;
        for (size_t j = 0; j < names.size(); ++j) {
          size_t q = names[j].hash & mask;
          while (slots[q] != 0) q = (q + 1) & mask;
          slots[q] = static_cast<uint32_t>(j + 1);
        }
        k = h & mask;
        while (slots[k] != 0) k = (k + 1) & mask;
      }
      names.push_back(C{name, h, 0, 0, 0, whole});
      slots[k] = static_cast<uint32_t>(names.size());
      return names.back();
    };
    for (int32_t i = 0; i < static_cast<int32_t>(elems_.size()); ++i) {
      const Elem& e = elems_[i];
      if ((e.hints & ~e.other_hints & kKinds) != ei::kHintBoilerplate) continue;
      auto count = [&](std::string_view name, bool whole) {
        // One hash of the name for the memo of hints and the table here.
        const uint64_t name_hash = ei::NameHash(name);
        if (!whole && (ei::HintsFromClassName(name, name_hash) & kKinds) != ei::kHintBoilerplate) return;
        C& c = find_or_add(name, name_hash, whole);
        if (i < c.end) {  // nested in one of the same name
          // On the retry of an empty page, a name nested in itself is a
          // framework's wrapper at every level (a page builder's
          // "elementor-widget-wrap" around the page and around each
          // section): it counts, its text is its outermost element's.
          if (generic_in_one_column_) ++c.count;
          return;
        }
        c.chars += e.chars;
        ++c.count;
        c.end = e.end;
        if (!whole) parents.emplace_back(static_cast<uint32_t>(&c - names.data()), e.parent);
      };
      const std::string_view value = e.cls;
      count(value, true);
      ForEachClassName(value, [&](std::string_view name) { count(name, false); });
    }
    std::vector<std::string_view> generic, generic_values;
    bool sorted = false;
    for (size_t ci = 0; ci < names.size(); ++ci) {
      const C& c = names[ci];
      if (c.count < kGenericClassMin || c.chars < kGenericClassShare * page) continue;
      if (c.whole) {
        generic_values.push_back(c.name);
        continue;
      }
      // Spread over the page's layout, not the blocks of one column (a
      // sidebar's "widget"s are siblings): no parent holds half of them.
      if (!sorted) {
        std::sort(parents.begin(), parents.end());
        sorted = true;
      }
      const uint32_t at = static_cast<uint32_t>(ci);
      auto k = std::lower_bound(parents.begin(), parents.end(), std::make_pair(at, INT32_MIN));
      const auto first = k;
      size_t run = 0, most = 0;
      for (; k != parents.end() && k->first == at; ++k) {
        run = (k != first && k->second == (k - 1)->second) ? run + 1 : 1;
        most = std::max(most, run);
      }
      if (most * 2 < static_cast<size_t>(k - first) || generic_in_one_column_) generic.push_back(c.name);
    }
    if (generic.empty() && generic_values.empty()) return;
    for (Elem& e : elems_) {
      if (!(e.hints & ~e.other_hints)) continue;
      const std::string_view value = e.cls;
      if (std::find(generic_values.begin(), generic_values.end(), value) != generic_values.end()) {
        e.hints = e.other_hints;
        continue;
      }
      if (generic.empty()) continue;
      bool has = false;
      uint32_t h = e.other_hints;
      ForEachClassName(value, [&](std::string_view name) {
        if (std::find(generic.begin(), generic.end(), name) != generic.end()) {
          has = true;
        } else {
          h |= ei::HintsFromClassName(name);
        }
      });
      if (has) e.hints = h;
    }
  }

  // An id made from the element's own first heading ("more-on-lists" on a
  // section headed "5.1. More on Lists") names a section of the text, not
  // a part of the layout: its hints are ignored. Names of four or more
  // words are never hints (hints.cc); this takes those of kSlugMinParts.
  void ForgetHeadingSlugIds() {
    std::vector<uint8_t> seen(elems_.size(), 0);
    std::string heading, id;
    auto letters = [](std::string_view v, std::string* out) {
      out->clear();
      for (char c : v) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c & 0x80)) out->push_back(c);
      }
    };
    for (const Seg& s : segs_) {
      if (s.kind != BlockKind::kHeading) continue;
      bool lettered = false;
      int32_t a = elems_[s.owner].parent;
      for (int up = 0; a >= 0 && up < 3; ++up, a = elems_[a].parent) {
        if (seen[a]) continue;
        seen[a] = 1;
        Elem& e = elems_[a];
        if (!(e.other_hints & ~e.rest_hints)) continue;  // no hint from the id
        if (!lettered) {
          letters(s.text, &heading);
          lettered = true;
        }
        const std::string_view id_value = e.node->Attr("id");
        int parts = 1;
        for (char c : id_value) parts += (c == '-' || c == '_');
        if (parts < kSlugMinParts) continue;  // "comments" above "12 Comments" is a layout name
        letters(id_value, &id);
        if (heading.find(id) == std::string::npos) continue;
        e.other_hints = e.rest_hints;
        e.hints = e.rest_hints | ei::HintsFromClassOrId(e.cls);
      }
    }
  }

  // Evidence from the host's earlier pages (site_template.cc): template
  // elements are dropped before scoring; content they single out is kept
  // at the end (KeepSiteContent).
  void ApplySite() {
    std::vector<ei::SiteElemView> view(elems_.size());
    for (size_t i = 0; i < elems_.size(); ++i) {
      const Elem& e = elems_[i];
      view[i] = ei::SiteElemView{e.node, e.cls, e.cls_fnv, e.parent, e.end, e.chars, e.link_chars, e.prose,
                                 e.hints, (e.flags & kBlock) != 0, (e.flags & kLink) != 0};
    }
    std::vector<ei::SiteSegView> segs(segs_.size());
    for (size_t i = 0; i < segs_.size(); ++i) segs[i] = ei::SiteSegView{segs_[i].owner, segs_[i].text};
    site_ = ei::DecideSitePage(view, segs, site_hook_);
    for (size_t i = 0; i < site_.size(); ++i) {
      if (site_[i] == ei::kSiteTemplate) elems_[i].flags |= kDrop;
    }
  }

  // Prose a name hint dropped, always; a link list of the page's own (an
  // index, a table of contents) when the page kept less text than it holds.
  void KeepSiteContent() {
    size_t kept = 0;
    for (const Seg& s : segs_) kept += s.keep ? s.chars : 0;
    std::vector<uint8_t> keep(elems_.size(), 0);  // 1: keep, 2: template
    for (size_t i = 0; i < elems_.size(); ++i) {
      const int32_t p = elems_[i].parent;
      if (site_[i] == ei::kSiteTemplate || (p >= 0 && keep[p] == 2)) {
        keep[i] = 2;
        continue;
      }
      if (p >= 0 && keep[p] == 1) keep[i] = 1;
      if (site_[i] != ei::kSiteContent) continue;
      const Elem& e = elems_[i];
      const bool links = e.link_chars * 2 >= e.chars;
      if (!links || kept < e.chars) keep[i] = 1;
    }
    for (Seg& s : segs_) {
      if (keep[s.owner] == 1) s.keep = true;
    }
  }

  // Cuts an end-of-article section (kTailSectionHeadings, kTailInfoHeadings)
  // from the last kTailSectionLines kept lines: its heading and everything
  // after it.
  void DropTailSection() {
    size_t total = 0;
    for (const Seg& s : segs_) total += s.keep ? s.chars : 0;
    if (total < 500) return;  // a short page: every line may matter
    auto matches = [](std::string_view line, bool heading, std::string_view p) {
      return heading ? line.substr(0, p.size()) == p : line == p;
    };
    size_t i = segs_.size();
    bool prose_after = false;
    std::string lower;
    for (int n = 0; i > 0 && n < kTailSectionLines;) {
      Seg& s = segs_[--i];
      if (!s.keep) continue;
      ++n;
      if (s.chars > kTailSectionMaxChars) {
        prose_after = prose_after || s.chars >= kTailSectionProse;
        continue;
      }
      const bool heading = s.kind == BlockKind::kHeading ||
                           (!s.text.empty() && s.text.back() == ':');
      ei::AsciiLowerInto(s.text, &lower);
      if (!lower.empty() && lower.back() == ':') lower.pop_back();
      bool cut = false;
      for (std::string_view p : kTailSectionHeadings) cut = cut || matches(lower, heading, p);
      if (!prose_after) {
        for (std::string_view p : kTailInfoHeadings) cut = cut || matches(lower, heading, p);
      }
      if (cut) {
        for (size_t j = i; j < segs_.size(); ++j) segs_[j].keep = false;
        prose_after = false;
      }
    }
  }

  // A standfirst or lead paragraph often sits just above the body
  // container (in the article header, between headline and body, or split
  // off by an ad slot): keep prose segments directly before the first kept
  // segment, inside a near ancestor of the container, skipping up to
  // kLeadGap other lines (dates, captions, share buttons, link lines)
  // between them.
  void KeepLead(int32_t top) {
    int32_t scope = top;
    for (int u = 0; u < kLeadUp && elems_[scope].parent >= 0; ++u) scope = elems_[scope].parent;
    size_t first = 0;
    while (first < segs_.size() && !segs_[first].keep) ++first;
    if (first == segs_.size()) return;
    int gap = 0;
    for (size_t i = first; i-- > 0;) {
      Seg& s = segs_[i];
      if (s.owner < scope || s.owner >= elems_[scope].end) break;
      const bool prose = s.chars >= kLeadMinChars && s.link_chars * 4 < s.chars &&
                         s.kind == BlockKind::kParagraph;
      if (!prose) {
        if (++gap > kLeadGap) break;
        continue;
      }
      if ((elems_[s.owner].flags & kDrop) || !LeadOwner(s.owner, scope, s.chars)) {
        if (++gap <= kLeadGap) continue;
        break;
      }
      if (!EndsSentence(s.text)) break;
      s.keep = true;
      gap = 0;
    }
  }

  static bool EndsSentence(std::string_view t) {
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    if (t.empty()) return false;
    const char c = t.back();
    if (c == '.' || c == '!' || c == '?' || c == '"') return true;
    // UTF-8 closing quotes and ellipsis: ” » … (all end in a continuation byte).
    return t.size() >= 2 && (t.ends_with("\u201D") || t.ends_with("\u00BB") || t.ends_with("\u2026") ||
                             t.ends_with("\u3002") || t.ends_with("\uFF01") || t.ends_with("\uFF1F"));
  }

  // No caption, quote, byline/author box or boilerplate between the
  // segment's owner and the scope element.
  bool LeadOwner(int32_t owner, int32_t scope, uint32_t seg_chars) const {
    for (int32_t i = owner; i >= 0 && i != scope; i = elems_[i].parent) {
      const Elem& e = elems_[i];
      uint32_t bad = ei::kHintMeta | ei::kHintBoilerplate | ei::kHintComment |
                     ei::kHintRelated | ei::kHintCookie;
      // A header block holding the lead and its byline/date is named like
      // meta: only a tight wrapper (a caption or byline box) counts.
      if (e.chars > seg_chars + 100) bad &= ~ei::kHintMeta;
      if (e.hints & bad) return false;
      switch (e.tag) {
        case Tag::kFigure: case Tag::kFigcaption: case Tag::kBlockquote: case Tag::kAside:
        case Tag::kFooter: case Tag::kNav: case Tag::kA: case Tag::kLi: case Tag::kTd:
          return false;
        default: break;
      }
    }
    return true;
  }

  // Short lines after the last sentence of the content are nearly always
  // dates, counters, contact lines or "back to top" links.
  void TrimTail() {
    size_t total = 0;
    for (const Seg& s : segs_) total += s.keep ? s.chars : 0;
    if (total < 500) return;  // a short page: every line may matter
    int trimmed = 0;
    for (size_t i = segs_.size(); i-- > 0 && trimmed < 5;) {
      Seg& s = segs_[i];
      if (!s.keep) continue;
      if (s.chars >= kTrimTail || s.kind == BlockKind::kTable ||
          s.kind == BlockKind::kCode) {
        break;
      }
      const char last = s.text.empty() ? ' ' : s.text.back();
      if (last == '.' || last == '!' || last == '?') break;
      s.keep = false;
      ++trimmed;
    }
  }

 private:
  void Aggregate() {
    for (const Seg& s : segs_) {
      Elem& e = elems_[s.owner];
      e.chars += s.chars;
      e.link_chars += s.link_chars;
      e.commas += s.commas;
      if (e.seg_count < 65535) ++e.seg_count;
      if (s.chars >= 80 && s.link_chars * 4 < s.chars) e.prose += s.chars;
    }
    for (int32_t i = static_cast<int32_t>(elems_.size()) - 1; i > 0; --i) {
      const Elem& c = elems_[i];
      if (c.parent < 0) continue;
      Elem& p = elems_[c.parent];
      p.chars += c.chars;
      p.link_chars += c.link_chars;
      p.commas += c.commas;
      p.prose += c.prose;
      p.p_count = static_cast<uint16_t>(std::min<int>(65535, p.p_count + c.p_count));
      p.li_count = static_cast<uint16_t>(std::min<int>(65535, p.li_count + c.li_count));
      p.input_count = static_cast<uint16_t>(std::min<int>(65535, p.input_count + c.input_count));
      p.img_count = static_cast<uint16_t>(std::min<int>(65535, p.img_count + c.img_count));
      p.seg_count = static_cast<uint16_t>(std::min<int>(65535, p.seg_count + c.seg_count));
    }
  }

  void AddScore(int32_t e, double s) {
    Elem& el = elems_[e];
    if (!el.scored) {
      el.scored = true;
      const uint32_t h = comments_are_content_ ? el.hints & ~ei::kHintComment : el.hints;
      el.score = static_cast<float>(TagScore(el.tag) + ClassWeight(h));
    }
    el.score += static_cast<float>(s);
  }

  int32_t ChooseContainer() {
    candidates_.clear();
    for (const Seg& s : segs_) {
      if (s.chars < 25) continue;
      const Elem& o = elems_[s.owner];
      if (o.flags & kDrop) continue;
      if (!ScoresParagraph(o.tag)) continue;
      if (s.kind == BlockKind::kListItem || s.kind == BlockKind::kHeading) continue;
      double score = 1 + s.commas + std::min(3u, s.chars / 100);
      int32_t a = o.parent;
      // A div holding text directly is its own paragraph's container too.
      if (o.tag == Tag::kDiv || o.tag == Tag::kTd || o.tag == Tag::kArticle ||
          o.tag == Tag::kSection || o.tag == Tag::kMain) {
        a = s.owner;
      }
      for (int level = 0; a >= 0 && level < 5; ++level, a = elems_[a].parent) {
        const Elem& ae = elems_[a];
        if (ae.tag == Tag::kHtml) break;
        double div = level == 0 ? 1 : (level == 1 ? 2 : level * 3);
        if (!elems_[a].scored) candidates_.push_back(a);
        AddScore(a, score / div);
      }
    }
    int32_t top = -1;
    double best = 0;
    for (int32_t c : candidates_) {
      Elem& e = elems_[c];
      e.score = static_cast<float>(e.score * (1 - LinkDensity(e)));
      if (top < 0 || e.score > best) {
        best = e.score;
        top = c;
      }
    }
    if (top < 0) return -1;
    // Runners-up that share an ancestor with the top: take that ancestor.
    std::vector<int32_t> alts;
    for (int32_t c : candidates_) {
      if (c != top && elems_[c].score >= 0.75 * best) alts.push_back(c);
    }
    if (alts.size() >= 3) {
      for (int32_t a = elems_[top].parent; a >= 0 && elems_[a].tag != Tag::kBody &&
                                          elems_[a].tag != Tag::kHtml;
           a = elems_[a].parent) {
        int inside = 0;
        for (int32_t c : alts) inside += (c >= a && c < elems_[a].end);
        if (inside >= 3) {
          top = a;
          break;
        }
      }
    }
    // Climb while the parent scores higher (its paragraphs were split).
    {
      double last = elems_[top].score;
      for (int32_t p = elems_[top].parent; p >= 0 && elems_[p].tag != Tag::kBody &&
                                           elems_[p].tag != Tag::kHtml;
           p = elems_[p].parent) {
        if (!elems_[p].scored) continue;
        double ps = elems_[p].score;
        if (ps < last / 3) break;
        if (ps > last) {
          top = p;
          break;
        }
        last = ps;
      }
    }
    // Prose spread over several containers (old table layouts, pages of
    // sections): widen to the ancestor that holds most of the live prose.
    {
      for (const Seg& s : segs_) {
        if (s.chars >= 80 && s.link_chars * 4 < s.chars && !(elems_[s.owner].flags & kDrop)) {
          elems_[s.owner].live_prose += s.chars;
        }
      }
      for (int32_t i = static_cast<int32_t>(elems_.size()) - 1; i > 0; --i) {
        if (elems_[i].parent >= 0) elems_[elems_[i].parent].live_prose += elems_[i].live_prose;
      }
      // Only for containers the page did not mark as content (modern
      // article markup is trusted; old table layouts are widened).
      bool marked = false;
      for (int32_t a = top; a >= 0 && elems_[a].tag != Tag::kBody; a = elems_[a].parent) {
        if (elems_[a].hints & ei::kHintContent) marked = true;
      }
      const double need = marked ? 0 : ei::g_rule_switches.widen_share * elems_[0].live_prose;
      while (elems_[top].live_prose < need) {
        int32_t p = elems_[top].parent;
        if (p < 0 || elems_[p].tag == Tag::kHtml) break;
        top = p;
      }
      // A marked container holding little of the page's prose (one
      // section of a page of sections): widened to kWidenMarkedShare of
      // it, unless that takes most of the page's text.
      if (marked && elems_[0].live_prose >= kWidenMarkedMinProse &&
          elems_[top].live_prose < ei::g_rule_switches.widen_marked_share * elems_[0].live_prose) {
        int32_t w = top;
        while (elems_[w].live_prose < ei::g_rule_switches.widen_marked_share * elems_[0].live_prose) {
          const int32_t p = elems_[w].parent;
          if (p < 0 || elems_[p].tag == Tag::kHtml) break;
          w = p;
        }
        if (elems_[w].chars <= kWidenMarkedMaxPage * elems_[0].chars && AddsAsMuchProse(top, w)) {
          top = w;
        }
      }
    }
    // A lone child: the parent is the real container.
    while (true) {
      int32_t p = elems_[top].parent;
      if (p < 0 || elems_[p].tag == Tag::kBody || elems_[p].tag == Tag::kHtml) break;
      if (elems_[p].chars != elems_[top].chars) break;
      top = p;
    }
    top_score_ = elems_[top].score;
    return top;
  }

  // A comment-named element holding all the text of an element marked as
  // content (not named like a comment itself) is that content under a
  // feature's name ("commentOnSelection" around a post's body), not a
  // comment section: an article's comments lie beside its text.
  void ForgetCommentWrappers() {
    for (Elem& e : elems_) {
      if (!(e.hints & ei::kHintComment) || e.parent < 0 || e.chars == 0) continue;
      const Elem& p = elems_[e.parent];
      if ((p.hints & ei::kHintContent) && !(p.hints & ei::kHintComment) && p.chars == e.chars) {
        e.hints &= ~ei::kHintComment;
        e.other_hints &= ~ei::kHintComment;
      }
    }
  }

  // Pages of sections (service and product pages, landing pages): the
  // chosen container is one section of several, each a heading over its
  // own text. When, outside the container (or its repeated siblings) but
  // inside the ancestor holding kSectionsWiden of the page's live text
  // (not dropped, not link lines), kSectionsMin headings each head at
  // least kSectionMinChars of such text, kSectionsMinChars in all, and
  // one of them lies above the container or they lie in kSectionsSpread
  // children of the ancestor, that ancestor is the container. Headed
  // blocks only below an article and all in one column are its sidebar,
  // archive and "recent posts" boxes (dragnet's old blogs), whatever their
  // size; a page of sections has sections above the one chosen, or side
  // by side below it. Returns the container to use.
  int32_t WidenToSections(int32_t top, std::vector<int32_t>* repeats) {
    std::vector<uint32_t> live(elems_.size(), 0);
    for (const Seg& s : segs_) {
      if ((elems_[s.owner].flags & kDrop) || s.link_chars * 2 >= s.chars) continue;
      live[s.owner] += s.chars;
    }
    for (int32_t i = static_cast<int32_t>(elems_.size()) - 1; i > 0; --i) {
      if (elems_[i].parent >= 0) live[elems_[i].parent] += live[i];
    }
    int32_t a = top;
    while (live[a] < kSectionsWiden * live[0]) {
      const int32_t p = elems_[a].parent;
      if (p < 0 || elems_[p].tag == Tag::kHtml) break;
      a = p;
    }
    if (a == top) return top;
    auto in_container = [&](int32_t o) {
      if (repeats->empty()) return InSubtree(top, o);
      for (int32_t r : *repeats) {
        if (InSubtree(r, o)) return true;
      }
      return false;
    };
    uint32_t sections = 0, section_chars = 0, acc = 0, above = 0;
    bool open = false;
    int32_t heading = -1;
    std::vector<int32_t> branches;  // children of `a` holding sections
    auto close = [&] {
      if (open && acc >= kSectionMinChars) {
        ++sections;
        section_chars += acc;
        above += heading < top;
        int32_t b = heading;
        while (elems_[b].parent != a) b = elems_[b].parent;
        if (std::find(branches.begin(), branches.end(), b) == branches.end()) branches.push_back(b);
      }
      open = false;
      acc = 0;
    };
    for (const Seg& s : segs_) {
      if (s.owner < a) continue;
      if (s.owner >= elems_[a].end) break;
      if (in_container(s.owner)) {
        close();
        continue;
      }
      if ((elems_[s.owner].flags & kDrop) || s.link_chars * 2 >= s.chars) continue;
      if (s.kind == BlockKind::kHeading) {
        close();
        open = true;
        heading = s.owner;
      } else if (open) {
        acc += s.chars;
      }
    }
    close();
    if (Debug()) {
      std::fprintf(stderr, "sections %u (%u chars, %u above, in %zu blocks) outside the container, widened to %d\n",
                   sections, section_chars, above, branches.size(), a);
    }
    if ((above == 0 && branches.size() < kSectionsSpread) ||
        sections < ei::g_rule_switches.sections_min ||
        section_chars < ei::g_rule_switches.sections_min_chars) {
      return top;
    }
    repeats->clear();
    return a;
  }

  // The page's one <main> (rules 27 and 28). A container outside it (a
  // footer's grid, a promo block) is not the content: <main> is (rule 28,
  // any page; on a page without <main>, its one <article> is). On a page
  // that declares no article or thread, <main> is also the content when
  // the chosen container is a minor part of it
  // (< kMainPartShare of its text) and not an article body (<
  // kMainPartMaxProse chars of prose): a service, listing or product page
  // whose parts are not headed sections (rule 27).
  int32_t WidenToMain(int32_t top, std::vector<int32_t>* repeats) {
    // The one element of a tag, -1 when none, -2 when several.
    auto single = [&](Tag tag) {
      int32_t found = -1;
      for (int32_t i = 0; i < static_cast<int32_t>(elems_.size()); ++i) {
        if (elems_[i].tag != tag) continue;
        if (found >= 0) return -2;
        found = i;
      }
      return found;
    };
    const int32_t main = single(Tag::kMain);
    if (main == -1) {
      // No <main>: the page's one <article> plays its part for rule 28.
      const int32_t article = single(Tag::kArticle);
      if (article < 0 || article == top || (elems_[article].flags & kDrop) ||
          elems_[article].chars == 0 || InSubtree(top, article) || InSubtree(article, top)) {
        return top;
      }
      if (Debug()) std::fprintf(stderr, "container %d outside <article> %d\n", top, article);
      repeats->clear();
      return article;
    }
    if (main < 0 || main == top || (elems_[main].flags & kDrop) || elems_[main].chars == 0) return top;
    if (InSubtree(top, main)) return top;  // the container holds <main>
    const bool outside = !InSubtree(main, top);
    if (!outside) {
      const double share = ei::g_rule_switches.main_part_share;
      if (share <= 0 || w_.article_schema || w_.thread_schema) return top;
      if (elems_[top].chars >= share * elems_[main].chars ||
          elems_[top].prose >= ei::g_rule_switches.main_part_max_prose) {
        return top;
      }
    }
    if (Debug()) {
      std::fprintf(stderr, "container %d %s <main> %d: widened\n", top,
                   outside ? "outside" : "a part of", main);
    }
    repeats->clear();
    return main;
  }

  bool InSubtree(int32_t root, int32_t e) const { return e >= root && e < elems_[root].end; }

  // A thread's posts (schema.org Question and Answer items on a QAPage,
  // DiscussionForumPosting items): when the container lies inside one of
  // them and others lie outside it, the container is the nearest ancestor
  // of them all (a question above its answers: one answer, or the
  // question alone, scored best).
  int32_t WidenToPosts(int32_t top, std::vector<int32_t>* repeats) {
    if (!w_.thread_schema) return top;
    std::vector<int32_t> posts;
    bool inside = false;
    for (int32_t i = 0; i < static_cast<int32_t>(elems_.size()); ++i) {
      const Elem& e = elems_[i];
      if (!(e.flags & kPostItem) || (e.flags & kDrop) || e.chars == 0) continue;
      posts.push_back(i);
      if (InSubtree(i, top)) inside = true;
    }
    if (!inside || posts.size() < 2) return top;
    int32_t a = top;
    for (int32_t p : posts) {
      while (!InSubtree(a, p)) a = elems_[a].parent;
    }
    if (a == top || a < 0 || elems_[a].tag == Tag::kHtml) return top;
    if (Debug()) std::fprintf(stderr, "container %d in one of %zu posts: widened to %d\n", top, posts.size(), a);
    repeats->clear();
    return a;
  }

  // Widening `top` to its ancestor `w` takes in at least as many prose
  // paragraphs (live, >= 80 chars, < 25% linked) as `top` holds: more
  // sections or posts like it. An article's one or two footer, sidebar or
  // "about this section" paragraphs are not (dragnet's NHL.com pages
  // widened into their legal notice once the share was 0.5).
  bool AddsAsMuchProse(int32_t top, int32_t w) const {
    int in_top = 0, added = 0;
    for (const Seg& s : segs_) {
      if (s.chars < 80 || s.link_chars * 4 >= s.chars || (elems_[s.owner].flags & kDrop)) continue;
      if (InSubtree(top, s.owner)) {
        ++in_top;
      } else if (InSubtree(w, s.owner)) {
        ++added;
      }
    }
    return added >= in_top;
  }

  // Most of the page's prose: a mislabelled wrapper ("modal-enabled").
  // A comment hint counts only when the element is not also marked as
  // content (a post whose classes mention comments).
  static bool Big(const Elem& e, uint32_t page_prose) {
    const uint32_t h = e.hints;
    return e.prose > 0 && e.prose >= 0.4 * page_prose && !(e.flags & kDialog) &&
           (!(h & ei::kHintComment) || (h & ei::kHintContent));
  }

  // Not content by its hints or tag (before the prose guard).
  static bool Unlikely(const Elem& e, bool comments_ok) {
    const uint32_t h = e.hints;
    if ((h & ei::kHintComment) && !comments_ok) return true;
    if (h & (ei::kHintCookie | ei::kHintRelated)) return true;
    if ((h & ei::kHintBoilerplate) && !(h & ei::kHintContent)) return true;
    return e.tag == Tag::kNav || e.tag == Tag::kAside;
  }

  // Redoes MarkUnlikely inside `root` with comments as content.
  void Undrop(int32_t root) {
    const uint32_t page_prose = elems_[0].prose;
    for (int32_t i = root; i < elems_[root].end; ++i) {
      Elem& e = elems_[i];
      e.flags &= ~(kDrop | kUnlikely);
      if (i != root && (elems_[e.parent].flags & kDrop)) {
        e.flags |= kDrop | kUnlikely;
      } else if (Unlikely(e, true) && !Big(e, page_prose)) {
        e.flags |= kDrop | kUnlikely;
      }
    }
  }

  // The first name of the element's class names content ("forum-post",
  // "message"): the part of a shape (Shape) that says what the block is.
  static bool FirstClassNamesContent(const Elem& e) {
    const std::string_view first = FirstClassName(e.cls);
    return !first.empty() && (ei::HintsFromClassOrId(first) & ei::kHintContent);
  }

  // Shape of an element for finding repeated siblings: its tag and the
  // first token of its class without digits ("post-123" ~ "post-124").
  uint32_t Shape(int32_t i) const {
    const Elem& e = elems_[i];
    uint32_t h = (2166136261u ^ static_cast<uint32_t>(e.tag)) * 16777619u;
    for (const char c : FirstClassName(e.cls)) {
      if (c >= '0' && c <= '9') continue;
      h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    }
    return h;
  }

  // Posts of a thread, sections of a page: when the container (or a near
  // ancestor) is one of several siblings of the same shape that hold text,
  // all of them are the content. Returns the siblings (in page order), or
  // nothing when the container stands alone.
  std::vector<int32_t> RepeatedSiblings(int32_t top) {
    std::vector<int32_t> out;
    int32_t m = top;
    for (int up = 0; up <= kRepeatUp && m >= 0; ++up, m = elems_[m].parent) {
      const int32_t p = elems_[m].parent;
      if (p < 0 || elems_[m].tag == Tag::kBody || elems_[m].tag == Tag::kHtml) break;
      const uint32_t shape = Shape(m);
      out.clear();
      uint32_t others = 0;
      for (int32_t c = p + 1; c < elems_[p].end; c = elems_[c].end) {
        const Elem& e = elems_[c];
        if (e.chars < kRepeatMinChars || LinkDensity(e) > kRepeatMaxLinkDensity) continue;
        if (c != m && Shape(c) != shape) continue;
        if (c != m && Unlikely(e, true)) continue;  // navigation of the same shape
        out.push_back(c);
        if (c != m) others += e.chars;
      }
      if (out.size() >= 2 && others >= kRepeatOthersShare * elems_[m].chars) return out;
    }
    out.clear();
    return out;
  }

  // Listings and collections: the largest group of at least kCardMin
  // siblings of the same shape, not dropped, most of them holding a link,
  // with kCardMinAvg chars each on average (menus hold a word or two),
  // and the other groups of the same cards.
  void FindCards() {
    cards_.clear();
    cards_chars_ = 0;
    struct G {
      uint32_t shape;
      uint32_t n, linked, segs;
      size_t chars, max_chars;
      int32_t first;
    };
    std::vector<G> groups;
    struct Q {
      int32_t parent;
      uint32_t shape;
      int32_t first;
      uint32_t n;
      size_t chars;
    };
    std::vector<Q> all;
    for (int32_t p = 0; p < static_cast<int32_t>(elems_.size()); ++p) {
      const Elem& pe = elems_[p];
      if ((pe.flags & kDrop) || pe.chars < kCardMin * kCardMinAvg) continue;
      groups.clear();
      for (int32_t c = p + 1; c < pe.end; c = elems_[c].end) {
        const Elem& e = elems_[c];
        if ((e.flags & kDrop) || e.chars == 0) continue;
        const uint32_t shape = Shape(c);
        G* g = nullptr;
        for (G& x : groups) {
          if (x.shape == shape) { g = &x; break; }
        }
        if (!g) {
          if (groups.size() >= 32) continue;
          groups.push_back(G{shape, 0, 0, 0, 0, 0, c});
          g = &groups.back();
        }
        ++g->n;
        g->linked += e.link_chars > 0;
        g->chars += e.chars;
        g->segs += e.seg_count;
        g->max_chars = std::max<size_t>(g->max_chars, e.chars);
      }
      for (const G& g : groups) {
        if (g.n < kCardMin || g.linked * 2 < g.n || g.chars < g.n * kCardMinAvg ||
            g.segs < kCardMinSegs * g.n || g.max_chars > kCardMaxShare * g.chars) {
          continue;
        }
        all.push_back(Q{p, g.shape, g.first, g.n, g.chars});
        if (g.chars <= cards_chars_) continue;
        cards_chars_ = g.chars;
        cards_.clear();
        for (int32_t c = g.first; c < pe.end; c = elems_[c].end) {
          if (!(elems_[c].flags & kDrop) && elems_[c].chars > 0 && Shape(c) == g.shape) {
            cards_.push_back(c);
          }
        }
      }
    }
    // Other groups of the same cards (a carousel above the grid, the
    // columns of a category page): the same tag and kCardGroupRatio times
    // the size per card at most, not inside cards taken nor around them.
    if (cards_.empty()) return;
    const Tag tag = elems_[cards_[0]].tag;
    const double avg = static_cast<double>(cards_chars_) / cards_.size();
    auto overlaps = [&](int32_t parent) {
      for (int32_t c : cards_) {
        if (InSubtree(c, parent) || InSubtree(parent, c)) return true;
      }
      return false;
    };
    for (const Q& q : all) {
      if (elems_[q.first].tag != tag || overlaps(q.parent)) continue;
      const double per_card = static_cast<double>(q.chars) / q.n;
      const double ratio = ei::g_rule_switches.card_group_ratio;
      if (per_card * ratio < avg || per_card > avg * ratio) continue;
      for (int32_t c = q.first; c < elems_[q.parent].end; c = elems_[c].end) {
        if (!(elems_[c].flags & kDrop) && elems_[c].chars > 0 && Shape(c) == q.shape) {
          cards_.push_back(c);
        }
      }
      cards_chars_ += q.chars;
    }
    std::sort(cards_.begin(), cards_.end());
  }

  // Whether the cards are the page's content (a listing, a collection)
  // rather than teasers beside an article: they start near the top of the
  // page's text (at most kCardMaxBefore of it lies before the first card,
  // at most kCardMaxAfter after the last), and when more than
  // kCardMaxProse chars of prose paragraphs are kept outside them, the
  // container holds at least kCardMinTop of the page's text. Chosen by a
  // depth-3 tree on WCXB's tune half and the five older sets, confirmed on
  // WCXB's held-out half (doc/extract.md).
  bool CardsAreContent() const {
    size_t outside_prose = 0, before = 0, after = 0;
    size_t k = 0;
    for (const Seg& s : segs_) {
      while (k < cards_.size() && s.owner >= elems_[cards_[k]].end) ++k;
      const bool in = k < cards_.size() && s.owner >= cards_[k];
      if (s.keep && !in && s.chars >= kLeadMinChars && s.link_chars * 4 < s.chars &&
          s.kind == BlockKind::kParagraph && EndsSentence(s.text)) {
        outside_prose += s.chars;
      }
      if (elems_[s.owner].flags & kDrop) continue;
      if (s.owner < cards_.front()) {
        before += s.chars;
      } else if (s.owner >= elems_[cards_.back()].end) {
        after += s.chars;
      }
    }
    const double page = std::max<uint32_t>(1, elems_[0].chars);
    const double top = top_ >= 0 ? elems_[top_].chars : 0;
    if (Debug()) {
      std::fprintf(stderr, "cards %zu <%s> chars=%zu before=%.2f after=%.2f oprose=%zu top=%.2f\n",
                   cards_.size(), std::string(elems_[cards_[0]].node->name).c_str(), cards_chars_,
                   before / page, after / page, outside_prose, top / page);
    }
    if (before > kCardMaxBefore * page || after > kCardMaxAfter * page) return false;
    return outside_prose <= kCardMaxProse || top >= kCardMinTop * page;
  }

  // Keeps every card's text (titles are links there), except what was
  // dropped by its hints.
  void KeepCards() {
    size_t k = 0;
    for (Seg& s : segs_) {
      while (k < cards_.size() && s.owner >= elems_[cards_[k]].end) ++k;
      if (k >= cards_.size()) break;
      if (s.owner < cards_[k]) continue;
      if (elems_[s.owner].flags & kUnlikely) continue;
      s.keep = true;
    }
  }

  // Phase 1, before scoring: elements that are not content by their hints
  // or tag (navigation, sidebars, footers, share/related/cookie blocks,
  // comments). An element holding most of the page's text is never dropped
  // this way (a mislabelled wrapper).
  void MarkUnlikely() {
    const uint32_t page_prose = elems_[0].prose;
    // A thread (forum, Q&A, discussion): the page's prose is mostly in
    // comment-named blocks, so they are the content, not an article's
    // reader comments.
    comments_are_content_ = opt_.include_comments || w_.thread_schema;
    if (!comments_are_content_) {
      // Where each element lies: 0 elsewhere, 1 in a block marked as
      // content, 2 in a comment-named block (also when named content too:
      // "comment-content", "forum-post-reply"), 3 in a block dropped by
      // its name (sidebar, footer, navigation: its prose is nobody's text).
      std::vector<uint8_t> in(elems_.size(), 0);
      for (size_t i = 0; i < elems_.size(); ++i) {
        const Elem& e = elems_[i];
        uint8_t v = e.parent >= 0 ? in[e.parent] : 0;
        if (v < 2) {
          if (e.hints & ei::kHintComment) {
            v = 2;  // a comment's body ("comment-content") is the comment
          } else if (Unlikely(e, true) && !Big(e, page_prose)) {
            v = 3;
          } else if (v == 0 && (e.hints & ei::kHintContent)) {
            v = 1;
          }
        }
        in[i] = v;
      }
      // A thread's first post named like its replies but for the reply
      // name ("forum-post forum-post-original" beside "forum-post
      // forum-post-reply"): a sibling of a comment-named block, of its
      // shape (tag and first class name), is a post of the thread too.
      {
        std::vector<std::pair<int32_t, uint32_t>> post_shapes;
        for (size_t i = 0; i < elems_.size(); ++i) {
          const Elem& e = elems_[i];
          if (in[i] == 2 && e.parent >= 0 && in[e.parent] < 2 && (e.hints & ei::kHintContent) &&
              FirstClassNamesContent(e)) {
            const std::pair<int32_t, uint32_t> ps{e.parent, Shape(static_cast<int32_t>(i))};
            if (std::find(post_shapes.begin(), post_shapes.end(), ps) == post_shapes.end()) {
              post_shapes.push_back(ps);
            }
          }
        }
        if (!post_shapes.empty()) {
          for (size_t i = 0; i < elems_.size(); ++i) {
            const Elem& e = elems_[i];
            if (e.parent >= 0 && in[e.parent] == 2 && in[i] != 3) {
              in[i] = 2;
              continue;
            }
            if (in[i] >= 2 || e.parent < 0 || in[e.parent] >= 2) continue;
            const std::pair<int32_t, uint32_t> ps{e.parent, Shape(static_cast<int32_t>(i))};
            if (std::find(post_shapes.begin(), post_shapes.end(), ps) != post_shapes.end()) in[i] = 2;
          }
        }
      }
      uint32_t comment_prose = 0, outside = 0;
      bool marked_outside = false;
      for (const Seg& s : segs_) {
        if (s.chars < 80 || s.link_chars * 4 >= s.chars) continue;
        const uint8_t v = in[s.owner];
        if (v == 2) comment_prose += s.chars;
        if (v < 2) outside += s.chars;
        if (v == 1) marked_outside = true;
      }
      // Prose outside the comments inside a block marked as content
      // (article, entry-content, post body): an article, however short.
      comments_are_content_ = comment_prose > 0 && outside < comment_prose &&
                              outside <= ei::g_rule_switches.thread_outside_prose &&
                              !marked_outside;
    }
    // The page's first text: a wrapper of the page holds it (a footer
    // holding most of the page's links does not).
    const int32_t first_owner = segs_.empty() ? -1 : segs_[0].owner;
    const uint32_t page_unlinked = elems_[0].chars - elems_[0].link_chars;
    for (size_t i = 0; i < elems_.size(); ++i) {
      Elem& e = elems_[i];
      if (e.parent >= 0 && (elems_[e.parent].flags & kDrop)) {
        e.flags |= kDrop | kUnlikely;
        continue;
      }
      if (e.tag == Tag::kBody || e.tag == Tag::kHtml) continue;
      const uint32_t h = e.hints;
      const double ld = LinkDensity(e);
      // A wrapper of nearly the whole page (a framework's root named
      // "__next", a layout "widget") is not boilerplate, whatever its name.
      // A modal dialog (aria-modal=true; <dialog> is never walked) lies
      // over the page, it never wraps it: a policy text in a dialog can
      // hold most of the page's prose (Big() says no to it too).
      const bool big = Big(e, page_prose) ||
                       (!(h & ei::kHintComment) && !(e.flags & kDialog) &&
                        ((e.chars >= kWrapperShare * elems_[0].chars &&
                          (ld < 0.9 || InSubtree(static_cast<int32_t>(i), first_owner))) ||
                         (e.chars - e.link_chars >= kWrapperUnlinkedShare * page_unlinked &&
                          page_unlinked >= kWrapperUnlinkedMin)));
      const bool drop = Unlikely(e, comments_are_content_);
      if (drop && !big) {
        e.flags |= kDrop | kUnlikely;
        if (Debug() && e.chars > 50) {
          std::fprintf(stderr, "unlikely %zu <%s class=%s id=%s> chars=%u ld=%.2f hints=%x\n", i,
                       std::string(e.node->name).c_str(), ei::CollapseWhitespace(e.node->Attr("class")).c_str(),
                       ei::CollapseWhitespace(e.node->Attr("id")).c_str(), e.chars, ld, h);
        }
      }
    }
  }

  // Phase 2, inside the chosen container: the container's good siblings,
  // and Readability-style conditional cleaning of link-dense or list-like
  // blocks that are not content.
  void MarkDrops(int32_t top, const std::vector<int32_t>& repeats) {
    selected_.clear();
    if (top < 0) return;
    selected_.push_back(top);
    // Repeated siblings (of the container or of an ancestor) replace it.
    if (!repeats.empty()) {
      selected_.clear();
      for (int32_t r : repeats) {
        if (!(elems_[r].flags & kDrop)) selected_.push_back(r);
      }
    }
    const int32_t parent = elems_[top].parent;
    if (parent >= 0) {
      const double threshold = std::max(10.0, top_score_ * 0.2);
      for (int32_t c = parent + 1; c < elems_[parent].end; c = elems_[c].end) {
        if (c == top || std::find(selected_.begin(), selected_.end(), c) != selected_.end()) continue;
        const Elem& e = elems_[c];
        if (e.flags & kDrop) continue;
        bool append = false;
        if (e.scored && e.score >= threshold) append = true;
        if (!append && e.tag == Tag::kP) {
          double ld = LinkDensity(e);
          if (e.chars > 80 && ld < 0.25) append = true;
          else if (e.chars > 0 && e.chars <= 80 && ld == 0 && e.commas > 0) append = true;
        }
        if (append) selected_.push_back(c);
      }
      std::sort(selected_.begin(), selected_.end());
    }
    top_ = top;
    uint32_t top_prose = 0;
    for (int32_t root : selected_) top_prose += elems_[root].prose;
    for (int32_t root : selected_) {
      for (int32_t i = root + 1; i < elems_[root].end; ++i) {
        Elem& e = elems_[i];
        if (e.flags & kDrop) continue;
        if (elems_[e.parent].flags & kDrop) {
          e.flags |= kDrop;
          continue;
        }
        if (e.chars == 0) continue;
        // Bylines, datelines, captions, tag lists: short meta blocks.
        if ((kDropMeta & 1) && (e.hints & ei::kHintMeta) && !(e.hints & ei::kHintContent) &&
            e.chars < 200) {
          e.flags |= kDrop;
          continue;
        }
        if ((kDropMeta & 2) && (e.tag == Tag::kFigure || e.tag == Tag::kFigcaption) && e.prose * 2 < e.chars) {
          e.flags |= kDrop;
          continue;
        }
        if (!(e.flags & kBlock)) continue;
        if (e.tag == Tag::kP || e.tag == Tag::kPre || HeadingLevel(e.tag) != 0 ||
            e.tag == Tag::kTd || e.tag == Tag::kTh || e.tag == Tag::kTr ||
            e.tag == Tag::kBlockquote || e.tag == Tag::kLi) {
          continue;
        }
        if (e.commas >= 10) continue;
        // Never clean away a large part of the container's prose.
        if (e.prose > 0 && e.prose * 10 >= top_prose * 3) continue;
        const uint32_t h = e.hints;
        const double ld = LinkDensity(e);
        const bool positive = (h & ei::kHintContent) != 0;
        const bool is_list = e.tag == Tag::kUl || e.tag == Tag::kOl;
        bool drop = false;
        if (!positive && ld > 0.25 && e.chars < 2000) drop = true;
        if (positive && ld > 0.5) drop = true;
        if (!positive && !is_list && e.li_count > e.p_count + 1 && ld > 0.15 &&
            e.tag != Tag::kTable) {
          drop = true;
        }
        // Forms: many inputs and little text (an ingredient list with
        // serving-size inputs is not a form).
        if (!positive && e.input_count > e.p_count / 3 + 1 && e.chars < 40u * e.input_count) {
          drop = true;
        }
        if (drop) {
          e.flags |= kDrop;
          if (Debug() && e.chars > 50) {
            std::fprintf(stderr, "clean %d <%s class=%s id=%s> chars=%u ld=%.2f hints=%x\n", i,
                         std::string(e.node->name).c_str(), ei::CollapseWhitespace(e.node->Attr("class")).c_str(),
                         ei::CollapseWhitespace(e.node->Attr("id")).c_str(), e.chars, ld, h);
          }
        }
      }
    }
  }

  // Navigation by structure, not words: a link to the next, previous or
  // parent page (rel=next/prev/up/..., or the href of such a <link> in
  // <head>) lies in a navigation block: the largest ancestor without prose
  // that holds little unlinked text (the titles of the pages it links to),
  // when it lies before the page's first prose or after its last (top and
  // bottom bars: DocBook navheader/navfooter tables, Prev/Up/Next lists).
  void DropNavBlocks() {
    if (w_.nav_links.empty()) return;
    // Prose here: sentences (a page title of 80 chars is not prose).
    int32_t first_prose = -1, last_prose = -1;
    std::vector<uint8_t> has_prose(elems_.size(), 0);
    for (const Seg& s : segs_) {
      if (s.chars >= kNavProse && s.link_chars * 4 < s.chars &&
          (s.chars >= kNavLongProse || EndsSentence(s.text))) {
        if (first_prose < 0) first_prose = s.owner;
        last_prose = s.owner;
        has_prose[s.owner] = 1;
      }
    }
    for (size_t i = elems_.size(); i-- > 1;) {
      if (has_prose[i] && elems_[i].parent >= 0) has_prose[elems_[i].parent] = 1;
    }
    const uint32_t page_chars = elems_[0].chars;
    std::vector<uint8_t> is_nav(elems_.size(), 0);
    for (int32_t link : w_.nav_links) is_nav[link] = 1;
    for (int32_t link : w_.nav_links) {
      // A link in running text ("see the next chapter, ...") is not a bar.
      int32_t block = elems_[link].parent;
      while (block >= 0 && !(elems_[block].flags & kBlock)) block = elems_[block].parent;
      if (block >= 0 && elems_[block].chars - elems_[block].link_chars > elems_[block].link_chars) continue;
      int32_t b = link;
      bool entry = false;
      for (int32_t p = elems_[b].parent; p >= 0; p = elems_[p].parent) {
        const Elem& pe = elems_[p];
        if (pe.tag == Tag::kBody || pe.tag == Tag::kHtml || has_prose[p]) break;
        if (pe.chars - pe.link_chars > kNavMaxUnlinked) break;
        if (pe.chars * 2 >= page_chars) {
          entry = true;  // the page's own list, not a bar beside it
          break;
        }
        // Most of its links go to the pages of the sequence (not a table of
        // contents that starts with the next page).
        uint32_t links = 0, nav = 0;
        for (int32_t j = p; j < pe.end; ++j) {
          if (!(elems_[j].flags & kLink)) continue;
          ++links;
          nav += is_nav[j];
        }
        if (nav * 2 < links) {
          entry = true;
          break;
        }
        b = p;
      }
      // One entry of a list of other links (a table of contents whose
      // first entry is the next page) is left to the list.
      if (entry) continue;
      const Elem& be = elems_[b];
      const bool top = first_prose < 0 || be.end <= first_prose;
      const bool bottom = last_prose >= 0 && b > last_prose;
      if (!top && !bottom) continue;
      if (Debug() && !(elems_[b].flags & kDrop)) {
        std::fprintf(stderr, "nav block %d <%s class=%s> chars=%u\n", b,
                     std::string(be.node->name).c_str(),
                     ei::CollapseWhitespace(be.node->Attr("class")).c_str(), be.chars);
      }
      elems_[b].flags |= kDrop | kUnlikely;
    }
  }

  // A box the page names like a sidebar that sits in the flow of the main
  // content, between its prose, and holds prose of its own (DocBook
  // "sidebar" notes and tips, callouts) is part of the text: a page's
  // sidebar stands beside the content, not inside it between paragraphs.
  // Structure only: where the box is, not what it says.
  void KeepInlineBoxes() {
    // Live prose segments of the page, as owner indices in page order.
    std::vector<int32_t> live;
    for (const Seg& s : segs_) {
      if (elems_[s.owner].flags & kDrop) continue;
      if (s.chars >= kInlineBoxProse && s.link_chars * 4 < s.chars) live.push_back(s.owner);
    }
    for (int32_t root : selected_) {
      // Those of the selection root.
      const auto from = std::lower_bound(live.begin(), live.end(), root);
      const auto to = std::lower_bound(from, live.end(), elems_[root].end);
      if (from == to) continue;
      const int32_t first = *from, last = *(to - 1);
      for (int32_t i = root + 1; i < elems_[root].end; ++i) {
        Elem& e = elems_[i];
        if (!(e.flags & kUnlikely)) continue;
        const bool parent_live = !(elems_[e.parent].flags & kDrop);
        const uint32_t h = e.hints;
        const bool named_only = (h & ei::kHintBoilerplate) &&
                                !(h & (ei::kHintComment | ei::kHintRelated | ei::kHintCookie)) &&
                                e.tag != Tag::kNav && e.tag != Tag::kAside;
        const bool own_prose = e.prose >= kInlineBoxMinProse && e.prose * 2 >= e.chars &&
                               LinkDensity(e) < 0.25;
        // The selection's prose before and after the box.
        const bool before = first < i;
        const bool after = last >= e.end;
        if (parent_live && named_only && own_prose && before && after) {
          if (Debug()) {
            std::fprintf(stderr, "inline box %d <%s class=%s> chars=%u\n", i,
                         std::string(e.node->name).c_str(),
                         ei::CollapseWhitespace(e.node->Attr("class")).c_str(), e.chars);
          }
          e.flags &= ~(kDrop | kUnlikely);
          for (int32_t j = i + 1; j < e.end; ++j) {
            Elem& d = elems_[j];
            d.flags &= ~(kDrop | kUnlikely);
            if (elems_[d.parent].flags & kDrop) {
              d.flags |= kDrop | kUnlikely;
            } else if (Unlikely(d, comments_are_content_)) {
              d.flags |= kDrop | kUnlikely;
            }
          }
        }
        if (!parent_live || (e.flags & kDrop)) i = e.end - 1;
      }
    }
  }

  // Indexes and tables of contents outside the container: when one list
  // of links holds kTocShare times the text kept, its entries read as
  // titles (>= kTocMinEntryUnits on average, not a menu of short labels)
  // and go to pages beside it (links relative to its folder: a book's
  // chapters, not a site map's "/section/page"), it is the page's content. Lists the page names as navigation, or dropped, are not.
  void KeepTableOfContents() {
    size_t kept = 0;
    for (const Seg& s : segs_) kept += s.keep ? s.chars : 0;
    int32_t best = -1;
    for (int32_t i = 1; i < static_cast<int32_t>(elems_.size()); ++i) {
      const Elem& e = elems_[i];
      if (e.flags & kDrop) {
        i = e.end - 1;
        continue;
      }
      if (e.chars < kTocMinUnits || e.chars < kTocShare * kept) {
        i = e.end - 1;  // its descendants are smaller still
        continue;
      }
      if (e.link_chars * 10 < e.chars * 7) continue;
      if (e.tag != Tag::kUl && e.tag != Tag::kOl && e.tag != Tag::kDl) continue;
      uint32_t links = 0, relative = 0;
      for (int32_t j = i; j < e.end; ++j) {
        if (!(elems_[j].flags & kLink)) continue;
        ++links;
        const std::string_view href = elems_[j].node->Attr("href");
        // Relative to the page's folder: a book's chapters beside it (a site
        // map's links start at the root, "/section/page").
        if (href.find("://") == std::string_view::npos && !href.starts_with("mailto:") &&
            !href.starts_with("/")) {
          ++relative;
        }
      }
      if (links < kTocMinEntries || relative * 10 < links * 9) continue;
      if (e.link_chars < kTocMinEntryUnits * links) continue;
      best = i;
      break;
    }
    if (best < 0) return;
    if (Debug()) std::fprintf(stderr, "table of contents %d chars=%u kept=%zu\n", best, elems_[best].chars, kept);
    for (Seg& s : segs_) {
      if (s.owner >= best && s.owner < elems_[best].end && !(elems_[s.owner].flags & kDrop)) s.keep = true;
    }
  }

  bool SegLinkHeavy(const Seg& s) const {
    if (s.chars == 0) return true;
    return s.link_chars * 10 > s.chars * 6;  // > 60% linked
  }

  // Indexes, tables of contents, hubs: when the container's link lists
  // (cleaned inside it, not dropped by a name) hold kLinkPageShare times
  // the text it kept, the links are the page's content. Returns the chars
  // of links kept (0: not a page of links).
  // A container that keeps too little for itself (the fallback would be
  // used) but whose link lists are a page of links (KeepLinkListPage) that
  // outweighs the prose anywhere on the page: a listing of title-only
  // cards. Its links are kept instead of the block classifier, which keeps
  // no links. Returns whether it did.
  bool KeepLinkPageInstead(size_t kept, size_t good) {
    const size_t links = KeepLinkListPage(kept);
    if (links == 0) return false;
    if (links >= good) {
      links_instead_ = true;
      return true;
    }
    for (Seg& s : segs_) s.keep = false;
    return false;
  }

  size_t KeepLinkListPage(size_t kept) {
    size_t links = 0;
    size_t sel = 0;
    for (const Seg& s : segs_) {
      while (sel < selected_.size() && s.owner >= elems_[selected_[sel]].end) ++sel;
      if (sel >= selected_.size()) break;
      if (s.owner < selected_[sel] || s.keep) continue;
      if (elems_[s.owner].flags & kUnlikely) continue;
      if (s.link_chars * 2 >= s.chars) links += s.chars;
    }
    if (Debug()) std::fprintf(stderr, "link-list page? kept=%zu links=%zu\n", kept, links);
    if (links < kLinkPageMin ||
        static_cast<double>(links) < ei::g_rule_switches.link_page_share * kept) {
      return 0;
    }
    sel = 0;
    for (Seg& s : segs_) {
      while (sel < selected_.size() && s.owner >= elems_[selected_[sel]].end) ++sel;
      if (sel >= selected_.size()) break;
      if (s.owner < selected_[sel] || s.keep) continue;
      if (elems_[s.owner].flags & kUnlikely) continue;
      if (s.link_chars * 2 >= s.chars) s.keep = true;
    }
    return links;
  }

  size_t KeepInSelection() {
    size_t kept = 0;
    size_t sel = 0;
    for (Seg& s : segs_) {
      while (sel < selected_.size() && s.owner >= elems_[selected_[sel]].end) ++sel;
      if (sel >= selected_.size()) break;
      if (s.owner < selected_[sel]) continue;
      if (elems_[s.owner].flags & kDrop) continue;
      if (SegLinkHeavy(s)) continue;
      s.keep = true;
      kept += s.chars;
    }
    return kept;
  }

  // Short kept segments that read as site furniture (kFurniturePhrases).
  void DropFurnitureLines() {
    size_t tail_start = segs_.size();
    for (int n = 0; tail_start > 0 && n < kFurnitureTailLines;) {
      if (segs_[--tail_start].keep) ++n;
    }
    std::string lower;
    for (size_t i = 0; i < segs_.size(); ++i) {
      Seg& s = segs_[i];
      const uint32_t max_chars = i >= tail_start ? kFurnitureTailMaxChars : kFurnitureMaxChars;
      if (!s.keep || s.chars > max_chars ||
          s.kind == BlockKind::kCode || s.kind == BlockKind::kTable) {
        continue;
      }
      ei::AsciiLowerInto(s.text, &lower);
      if (HasFurniturePhrase(lower)) s.keep = false;
    }
    for (Seg& s : segs_) {
      if (s.keep && s.md.empty() && s.kind != BlockKind::kCode &&
          s.kind != BlockKind::kTable) {
        CutCredit(s, lower);
      }
    }
  }

  // Cuts a trailing picture credit (kCreditMarkers) off a longer line.
  static void CutCredit(Seg& s, std::string& lower) {
    if (s.text.size() <= kCreditMaxBytes) return;
    const size_t from = s.text.size() - kCreditMaxBytes;
    ei::AsciiLowerInto(std::string_view(s.text).substr(from), &lower);
    // The earliest of the markers' last occurrences (an rfind per marker),
    // taken in one forward pass: a marker is compared only where the text
    // holds its first byte.
    constexpr size_t kMarkers = sizeof(kCreditMarkers) / sizeof(kCreditMarkers[0]);
    size_t last[kMarkers];
    for (size_t k = 0; k < kMarkers; ++k) last[k] = std::string::npos;
    const std::string_view text(lower);
    static constexpr std::array<bool, 256> kFirstBytes = [] {
      std::array<bool, 256> t{};
      for (std::string_view p : kCreditMarkers) t[static_cast<unsigned char>(p[0])] = true;
      return t;
    }();
    for (size_t i = 0; i < text.size(); ++i) {
      if (!kFirstBytes[static_cast<unsigned char>(text[i])]) continue;
      for (size_t k = 0; k < kMarkers; ++k) {
        const std::string_view p = kCreditMarkers[k];
        if (text[i] == p[0] && text.substr(i, p.size()) == p) last[k] = i;
      }
    }
    size_t cut = std::string::npos;
    for (size_t at : last) {
      if (at != std::string::npos && (cut == std::string::npos || at < cut)) cut = at;
    }
    if (cut == std::string::npos) return;
    // Only a name may follow: no sentence inside the credit.
    if (lower.find(". ", cut) != std::string::npos) return;
    size_t end = from + cut;
    while (end > 0 && s.text[end - 1] == ' ') --end;
    if (end < kCreditMaxBytes) return;
    s.text.resize(end);
    s.chars = ei::TextUnits(s.text);
    s.link_chars = std::min(s.link_chars, s.chars);
  }

  // The page's headline often sits above the body container (in a header
  // block): keep the last <h1> before the container when it has none.
  void KeepTitleHeading(int32_t top) {
    for (int32_t i = top; i < elems_[top].end; ++i) {
      if (elems_[i].tag == Tag::kH1 && !(elems_[i].flags & kDrop) && elems_[i].chars > 0) return;
    }
    int32_t h1 = -1;
    for (int32_t i = 0; i < top; ++i) {
      if (elems_[i].tag == Tag::kH1 && !(elems_[i].flags & kDrop) && elems_[i].chars >= 10 &&
          !(top >= i && top < elems_[i].end)) {
        h1 = i;
      }
    }
    if (h1 < 0) return;
    for (Seg& s : segs_) {
      if (s.owner >= h1 && s.owner < elems_[h1].end && !SegLinkHeavy(s)) s.keep = true;
    }
  }

  // Reader comments, when asked for: every comment-marked block outside the
  // main content, in page order.
  void KeepComments() {
    for (Seg& s : segs_) {
      if (s.keep) continue;
      bool in_comments = false;
      for (int32_t a = s.owner; a >= 0; a = elems_[a].parent) {
        const Elem& e = elems_[a];
        if (e.hints & ei::kHintComment) {
          in_comments = true;
          break;
        }
        if (e.tag == Tag::kBody) break;
      }
      if (!in_comments) continue;
      bool dropped = false;
      for (int32_t a = s.owner; a >= 0 && !(elems_[a].hints & ei::kHintComment); a = elems_[a].parent) {
        const uint32_t h = elems_[a].hints;
        if (h & (ei::kHintCookie | ei::kHintRelated)) dropped = true;
      }
      if (!dropped && !SegLinkHeavy(s)) s.keep = true;
    }
  }

  // Text in segments that look like prose anywhere on the page.
  size_t GoodChars() const {
    size_t good = 0;
    for (const Seg& s : segs_) {
      if (s.chars < 80) continue;
      if (elems_[s.owner].flags & kDrop) continue;
      if (s.link_chars * 4 > s.chars) continue;
      good += s.chars;
    }
    return good;
  }

  // Fallback: keep prose-like segments anywhere, and short ones between them.
  void Classify() {
    const size_t n = segs_.size();
    std::vector<int8_t> cls(n, 0);  // 1 good, -1 bad, 0 near-good
    for (size_t i = 0; i < n; ++i) {
      const Seg& s = segs_[i];
      if (elems_[s.owner].flags & kDrop) { cls[i] = -1; continue; }
      const double ld = s.chars ? static_cast<double>(s.link_chars) / s.chars : 1.0;
      if (ld > 0.33) { cls[i] = -1; continue; }
      if (s.chars >= 70 || (s.chars >= 40 && s.commas > 0)) cls[i] = 1;
      else if (s.chars < 15) cls[i] = -1;
      else cls[i] = 0;
    }
    for (size_t i = 0; i < n; ++i) {
      if (cls[i] != 0) continue;
      int prev = 0, next = 0;
      for (size_t j = i; j-- > 0;) { if (cls[j] != 0) { prev = cls[j]; break; } }
      for (size_t j = i + 1; j < n; ++j) { if (cls[j] != 0) { next = cls[j]; break; } }
      segs_[i].keep = prev == 1 && next == 1 || (prev == 1 && segs_[i].kind == BlockKind::kHeading) ||
                      (next == 1 && segs_[i].kind == BlockKind::kHeading);
    }
    for (size_t i = 0; i < n; ++i) {
      if (cls[i] == 1) segs_[i].keep = true;
    }
  }

  Walker& w_;
  std::vector<Elem>& elems_;
  std::vector<Seg>& segs_;
  const ExtractOptions& opt_;
  std::vector<int32_t> candidates_;
  std::vector<int32_t> selected_;
  int32_t top_ = -1;
  double top_score_ = 0;
  ei::SitePageHook* site_hook_ = nullptr;
  bool generic_in_one_column_ = false;
  std::vector<uint8_t> site_;  // ei::SiteDecision per element, when evidence
  bool comments_are_content_ = false;
  std::vector<int32_t> cards_;
  size_t cards_chars_ = 0;
  bool cards_kept_ = false;
  bool links_instead_ = false;

 public:
  // The container's link lists were kept instead of the fallback: a weak
  // extraction, worth a retry with hidden elements walked.
  bool links_instead() const { return links_instead_; }
};

bool Debug() {
  static const bool debug = std::getenv("WINNOW_EXTRACT_DEBUG") != nullptr;
  return debug;
}

bool DebugSegments() {
  static const bool debug = [] {
    const char* v = std::getenv("WINNOW_EXTRACT_DEBUG");
    return v != nullptr && std::strcmp(v, "2") == 0;
  }();
  return debug;
}

bool LooksBinary(std::string_view s) {
  const size_t n = std::min<size_t>(s.size(), 4096);
  size_t bad = 0;
  size_t i = 0;
  // Eight bytes at once: the bytes below 0x20 (high bit clear and low seven
  // bits below 0x20; NUL among them) other than \t \n \f \r, exactly, their
  // mask's bytes summed by one multiply as in CountCommas.
  using swar::EqualBytes, swar::kHigh, swar::kLow7, swar::kOnes;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    const uint64_t below = ~(((w & kLow7) + kOnes * 0x60) | w) & kHigh;
    if (!below) continue;
    const uint64_t m =
        below & ~(EqualBytes(w, '\t') | EqualBytes(w, '\n') | EqualBytes(w, '\f') | EqualBytes(w, '\r'));
    bad += swar::CountMarked(m);
  }
  for (; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f')) ++bad;
  }
  return n > 0 && bad * 20 > n;  // more than 5% control bytes
}

bool HasMarkup(std::string_view s) {
  const size_t n = std::min<size_t>(s.size(), 1u << 16);
  for (size_t i = 0; i + 1 < n; ++i) {
    if (s[i] == '<') {
      const char c = s[i + 1];
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '!' || c == '/') return true;
    }
  }
  return false;
}

void BuildBlocks(const std::vector<Elem>& elems, std::vector<Seg>& segs,
                 const ExtractOptions& opt, ExtractResult* out) {
  size_t i = 0;
  const size_t n = segs.size();
  while (i < n) {
    Seg& s = segs[i];
    if (!s.keep) { ++i; continue; }
    const bool data_table = s.table >= 0 && !(elems[s.table].flags & kLayoutTable) &&
                            elems[s.table].rows >= 2 && elems[s.table].max_cols >= 2;
    if (s.kind == BlockKind::kTable && data_table) {
      const int32_t table = s.table;
      Block b;
      b.kind = BlockKind::kTable;
      ExtractedInline in;
      int32_t row = -1, cell = -1;
      bool first_row_header = true;
      int rows = 0;
      for (; i < n && (!segs[i].keep || segs[i].table == table); ++i) {
        const Seg& t = segs[i];
        if (!t.keep) continue;
        if (t.row != row) {
          if (row >= 0) b.text.push_back('\n');
          if (rows == 1 && first_row_header) in.header_rows = 1;
          ++rows;
          row = t.row;
        } else if (t.cell != cell) {
          b.text.push_back('\t');
        } else {
          b.text.push_back(' ');
        }
        if (rows == 1 && !t.header_cell) first_row_header = false;
        cell = t.cell;
        b.text += t.text;
      }
      if (rows >= 1 && first_row_header && rows > 1) in.header_rows = 1;
      if (opt.include_tables) {
        out->blocks.push_back(std::move(b));
        out->inlines.push_back(std::move(in));
      }
      continue;
    }
    Block b;
    b.kind = s.kind == BlockKind::kTable ? BlockKind::kParagraph : s.kind;
    b.level = s.level;
    b.text = std::move(s.text);
    ExtractedInline in;
    in.markdown = std::move(s.md);
    in.ordered = s.ordered;
    out->blocks.push_back(std::move(b));
    out->inlines.push_back(std::move(in));
    ++i;
  }
}

size_t PageChars(const Walker& w) {
  size_t n = 0;
  for (const Seg& s : w.segs) n += s.chars;
  return n;
}

// The code points of the kept blocks; counting stops between blocks once
// there are `enough` (the checks below ask whether a page kept any, or 200).
size_t KeptChars(const ExtractResult& r, size_t enough = SIZE_MAX) {
  size_t n = 0;
  for (const Block& b : r.blocks) {
    n += CountChars(b.text);
    if (n >= enough) break;
  }
  return n;
}

// A product page whose extraction holds less than half of the words of its
// schema.org description (a page rendered by script, its description in
// tabs the walk skipped, or a container of other text): the description is
// content, whatever else was kept.
void AddProductDescription(std::string_view description, ExtractResult* out) {
  const std::string text = ei::CollapseWhitespace(description);
  const uint32_t chars = CountChars(text);
  if (chars < kProductDescriptionMin) return;
  std::string all;
  for (const Block& b : out->blocks) {
    all += ei::AsciiLower(b.text);
    all.push_back('\n');
  }
  // Already there in large part (the visible description was kept).
  const std::string lower = ei::AsciiLower(text);
  size_t words = 0, found = 0;
  for (size_t i = 0; i < lower.size();) {
    while (i < lower.size() && lower[i] == ' ') ++i;
    size_t j = lower.find(' ', i);
    if (j == std::string::npos) j = lower.size();
    if (j > i) {
      ++words;
      found += all.find(std::string_view(lower).substr(i, j - i)) != std::string::npos;
    }
    i = j;
  }
  if (found * 2 >= words) return;
  Block b;
  b.kind = BlockKind::kParagraph;
  b.text = text;
  out->blocks.push_back(std::move(b));
  out->inlines.emplace_back();
}

}  // namespace

StatusOr<ExtractResult> Extract(std::string_view html, std::string_view url,
                                const ExtractOptions& options) {
  return ei::ExtractWithSite(html, url, options, nullptr);
}

StatusOr<ExtractResult> ei::ExtractWithSite(std::string_view html_in, std::string_view url,
                                            const ExtractOptions& options,
                                            ei::SitePageHook* site) {
  ExtractResult result;
  if (ei::Trim(html_in).empty()) {
    result.reason = "empty input";
    result.metadata.canonical_url = std::string(url);
    return result;
  }
  if (LooksBinary(html_in)) {
    result.reason = "not html";
    result.metadata.canonical_url = std::string(url);
    return result;
  }
  std::string_view html = Utf8Prefix(html_in, options.max_input_bytes);
  result.truncated = html.size() < html_in.size();
  if (!HasMarkup(html)) {
    result.reason = "not html";
    result.metadata.canonical_url = std::string(url);
    return result;
  }
  // Scripting off, as a crawler sees the page: <noscript> content is markup
  // and is walked (forum software serves its posts there; WCXB forum 0.450
  // -> 0.598). With scripting on it is raw text, and walking it printed
  // markup as text (dragnet 0.895 -> 0.871).
  html::ParseOptions parse_options;
  parse_options.scripting = false;
  parse_options.noscript_ends_text = true;
  std::unique_ptr<html::Dom> dom = html::Parse(html, parse_options);
  if (!dom) return Status::Internal("html parser returned no tree");
  result.truncated = result.truncated || dom->truncated();

  Walker walker(options);
  walker.want_cls_fnv = site != nullptr;  // ApplySite's keys
  walker.Run(dom->document());
  ei::JsonLdInfo ld;
  ei::ReadMetadata(dom->html(), dom->head(), walker.jsonld, url, &result.metadata, &ld);

  if (ld.og_type == "article") walker.article_schema = true;
  const int products = ld.products + walker.microdata_products;
  walker.product_page = products == 1 || (products == 0 && ld.og_type == "product");
  Extractor extractor(&walker, options, site);
  extractor.Run();
  BuildBlocks(walker.elems, walker.segs, options, &result);
  // Nothing visible is content, but the page holds it in hidden elements (a
  // streaming renderer's hidden chunks, a preloader overlay over the whole
  // page): extract again with hidden elements walked when they hold most of
  // the page's text, and take that when it keeps kHiddenGain times more.
  if (ei::g_rule_switches.hidden_retry &&
      (KeptChars(result, kHiddenRetryBelow) < kHiddenRetryBelow || extractor.links_instead())) {
    Walker hidden_walker(options, /*walk_hidden=*/true);
    hidden_walker.Run(dom->document());
    if (PageChars(hidden_walker) >= kHiddenGain * std::max<size_t>(PageChars(walker), kHiddenMin)) {
      hidden_walker.article_schema = walker.article_schema;
      hidden_walker.product_page = walker.product_page;
      Extractor again(&hidden_walker, options, nullptr);
      again.Run();
      ExtractResult second;
      BuildBlocks(hidden_walker.elems, hidden_walker.segs, options, &second);
      if (KeptChars(second) >= kHiddenGain * std::max<size_t>(KeptChars(result), kHiddenMin)) {
        result.blocks = std::move(second.blocks);
        result.inlines = std::move(second.inlines);
      }
    }
  }
  // Nothing kept: every block of text was dropped by a class name that one
  // column's blocks share (a page builder's "elementor-widget" on each
  // paragraph of the article). Rule 9 keeps such names as hints when one
  // parent holds half the blocks (a sidebar's widgets); when the page
  // would otherwise be empty, they name no part of the page.
  if (KeptChars(result, 1) == 0) {
    Walker again_walker(options);
    again_walker.Run(dom->document());
    again_walker.article_schema = walker.article_schema;
    again_walker.product_page = walker.product_page;
    Extractor again(&again_walker, options, nullptr);
    again.set_generic_in_one_column();
    again.Run();
    ExtractResult second;
    BuildBlocks(again_walker.elems, again_walker.segs, options, &second);
    if (KeptChars(second, 1) > 0) {
      result.blocks = std::move(second.blocks);
      result.inlines = std::move(second.inlines);
    }
  }
  if (walker.product_page) AddProductDescription(ld.product_description, &result);
  if (result.blocks.empty()) result.reason = "no content";
  return result;
}

}  // namespace winnow
