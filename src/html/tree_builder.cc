// Tree construction (html.spec.whatwg.org, section 13.2.6), simplified:
// - insertion modes: initial .. after after frameset, with the table modes
//   (in table / table body / row / cell / caption / column group), select and
//   text; "in template" is treated as "in body" (template content is parsed as
//   ordinary children of <template>);
// - the scripting flag is off (like gumbo): <noscript> content is markup;
// - the adoption agency algorithm follows the spec (outer loop 8, inner 3);
// - foster parenting moves text and elements in table context in front of
//   the table;
// - of quirks mode only what changes the tree: <table> does not close <p>;
// - attributes of a second <html>/<body> tag are not merged.
#include "html/tree_builder.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "html/arena.h"
#include "html/tokenizer.h"

namespace winnow {
namespace html {
namespace {

constexpr std::string_view kTagNames[] = {
    "",
#define WINNOW_HTML_TAG_NAME(id, str) str,
    WINNOW_HTML_TAGS(WINNOW_HTML_TAG_NAME)
#undef WINNOW_HTML_TAG_NAME
};

uint32_t HashName(std::string_view s) {
  uint32_t h = 2166136261u;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

class TagTable {
 public:
  TagTable() {
    std::memset(slots_, 0, sizeof(slots_));
    for (int t = 1; t < static_cast<int>(Tag::kCount); ++t) {
      uint32_t i = HashName(kTagNames[t]) & (kSize - 1);
      while (slots_[i] != 0) i = (i + 1) & (kSize - 1);
      slots_[i] = static_cast<uint16_t>(t);
    }
  }
  // REQUIRES: `lower` is lower-case.
  Tag Find(std::string_view lower) const {
    uint32_t i = HashName(lower) & (kSize - 1);
    while (slots_[i] != 0) {
      if (kTagNames[slots_[i]] == lower) return static_cast<Tag>(slots_[i]);
      i = (i + 1) & (kSize - 1);
    }
    return Tag::kUnknown;
  }

 private:
  static constexpr uint32_t kSize = 512;
  uint16_t slots_[kSize];
};

const TagTable& Tags() {
  static const TagTable table;
  return table;
}

}  // namespace

namespace internal {
Tag FindTagLower(std::string_view lower) { return Tags().Find(lower); }
}  // namespace internal

Tag TagFromName(std::string_view name) {
  if (name.empty() || name.size() > 16) return Tag::kUnknown;
  char buf[16];
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  return Tags().Find(std::string_view(buf, name.size()));
}

std::string_view TagName(Tag tag) {
  size_t i = static_cast<size_t>(tag);
  return i < sizeof(kTagNames) / sizeof(kTagNames[0]) ? kTagNames[i] : std::string_view();
}

std::string_view Node::Attr(std::string_view attr_name, bool* found) const {
  for (uint32_t i = 0; i < num_attrs; ++i) {
    if (attrs[i].name == attr_name) {
      if (found) *found = true;
      return attrs[i].value;
    }
  }
  if (found) *found = false;
  return std::string_view();
}

namespace internal {
namespace {

class DomImpl final : public Dom {
 public:
  const Node* document() const override { return document_; }
  const Node* html() const override { return html_; }
  const Node* head() const override { return head_; }
  const Node* body() const override { return body_; }
  uint64_t node_count() const override { return count_; }
  bool truncated() const override { return truncated_; }

  Arena arena;
  Node* document_ = nullptr;
  Node* html_ = nullptr;
  Node* head_ = nullptr;
  Node* body_ = nullptr;
  uint64_t count_ = 0;
  bool truncated_ = false;
};

enum class Mode : uint8_t {
  kInitial,
  kBeforeHtml,
  kBeforeHead,
  kInHead,
  kInHeadNoscript,
  kAfterHead,
  kInBody,
  kText,
  kInTable,
  kInCaption,
  kInColumnGroup,
  kInTableBody,
  kInRow,
  kInCell,
  kInSelect,
  kInSelectInTable,
  kAfterBody,
  kInFrameset,
  kAfterFrameset,
  kAfterAfterBody,
  kAfterAfterFrameset,
};

enum class Scope : uint8_t { kDefault, kListItem, kButton, kTable, kSelect };

inline bool IsWsChar(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r'; }

size_t LeadingWs(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && IsWsChar(s[i])) ++i;
  return i;
}

using T = Tag;

bool IsSpecialHtml(Tag t) {
  switch (t) {
    case T::kAddress: case T::kApplet: case T::kArea: case T::kArticle: case T::kAside:
    case T::kBase: case T::kBasefont: case T::kBgsound: case T::kBlockquote: case T::kBody:
    case T::kBr: case T::kButton: case T::kCaption: case T::kCenter: case T::kCol:
    case T::kColgroup: case T::kDd: case T::kDetails: case T::kDiv: case T::kDl: case T::kDt:
    case T::kEmbed: case T::kFieldset: case T::kFigcaption: case T::kFigure: case T::kFooter:
    case T::kForm: case T::kFrame: case T::kFrameset: case T::kH1: case T::kH2: case T::kH3:
    case T::kH4: case T::kH5: case T::kH6: case T::kHead: case T::kHeader: case T::kHgroup:
    case T::kHr: case T::kHtml: case T::kIframe: case T::kImg: case T::kInput: case T::kKeygen:
    case T::kLi: case T::kLink: case T::kListing: case T::kMain: case T::kMarquee:
    case T::kMenu: case T::kMeta: case T::kNav: case T::kNoembed: case T::kNoframes:
    case T::kNoscript: case T::kObject: case T::kOl: case T::kP: case T::kParam:
    case T::kPlaintext: case T::kPre: case T::kScript: case T::kSearch: case T::kSection:
    case T::kSelect: case T::kSource: case T::kStyle: case T::kSummary: case T::kTable:
    case T::kTbody: case T::kTd: case T::kTemplate: case T::kTextarea: case T::kTfoot:
    case T::kTh: case T::kThead: case T::kTitle: case T::kTr: case T::kTrack: case T::kUl:
    case T::kWbr: case T::kXmp:
      return true;
    default:
      return false;
  }
}

bool IsHeading(Tag t) {
  return t == T::kH1 || t == T::kH2 || t == T::kH3 || t == T::kH4 || t == T::kH5 || t == T::kH6;
}

bool IsImpliedEnd(Tag t, std::string_view name) {
  switch (t) {
    case T::kDd: case T::kDt: case T::kLi: case T::kOptgroup: case T::kOption: case T::kP:
    case T::kRp: case T::kRt:
      return true;
    case T::kUnknown:
      return name == "rb" || name == "rtc";
    default:
      return false;
  }
}

bool IsTableContext(Tag t) {
  return t == T::kTable || t == T::kTbody || t == T::kTfoot || t == T::kThead || t == T::kTr;
}

// Start tags that break out of foreign content.
bool IsForeignBreakout(Tag t) {
  switch (t) {
    case T::kB: case T::kBig: case T::kBlockquote: case T::kBody: case T::kBr: case T::kCenter:
    case T::kCode: case T::kDd: case T::kDiv: case T::kDl: case T::kDt: case T::kEm:
    case T::kEmbed: case T::kH1: case T::kH2: case T::kH3: case T::kH4: case T::kH5: case T::kH6:
    case T::kHead: case T::kHr: case T::kI: case T::kImg: case T::kLi: case T::kListing:
    case T::kMenu: case T::kMeta: case T::kNobr: case T::kOl: case T::kP: case T::kPre:
    case T::kRuby: case T::kS: case T::kSmall: case T::kSpan: case T::kStrong: case T::kStrike:
    case T::kSub: case T::kSup: case T::kTable: case T::kTt: case T::kU: case T::kUl: case T::kVar:
      return true;
    default:
      return false;
  }
}

using internal::Token;
using internal::TokenType;

class TreeBuilder {
 public:
  TreeBuilder(DomImpl* dom, std::string_view input, const ParseOptions& options)
      : dom_(dom),
        arena_(&dom->arena),
        options_(options),
        tok_(NormalizeNewlines(input, &dom->arena), &dom->arena,
             options.max_attributes) {}

  void Run() {
    dom_->document_ = NewNode(NodeType::kDocument, T::kUnknown, {}, true);
    Token t;
    for (;;) {
      tok_.set_allow_cdata(!stack_.empty() && stack_.back().ns != Ns::kHtml);
      tok_.Next(&t);
      if (t.type == TokenType::kCharacter && skip_newline_) {
        skip_newline_ = false;
        if (!t.data.empty() && t.data[0] == '\n') t.data.remove_prefix(1);
        if (t.data.empty()) continue;
      }
      skip_newline_ = false;
      Process(&t);
      if (t.type == TokenType::kEof) break;
    }
    FlushPendingText();
    Finish();
    if (tok_.dropped_attributes()) dom_->truncated_ = true;
  }

 private:
  struct Open {
    Node* node;
    Tag tag;
    Ns ns;
  };

  // ---- node creation and tree surgery ----------------------------------

  Node* NewNode(NodeType type, Tag tag, std::string_view name, bool force = false) {
    if (!force && dom_->count_ >= options_.max_nodes) {
      dom_->truncated_ = true;
      return nullptr;
    }
    Node* n = arena_->New<Node>();
    n->type = type;
    n->tag = tag;
    n->name = name;
    ++dom_->count_;
    return n;
  }

  static void Append(Node* parent, Node* child) {
    child->parent = parent;
    child->prev_sibling = parent->last_child;
    child->next_sibling = nullptr;
    if (parent->last_child) {
      parent->last_child->next_sibling = child;
    } else {
      parent->first_child = child;
    }
    parent->last_child = child;
  }

  static void InsertBefore(Node* parent, Node* child, Node* ref) {
    if (ref == nullptr) {
      Append(parent, child);
      return;
    }
    child->parent = parent;
    child->next_sibling = ref;
    child->prev_sibling = ref->prev_sibling;
    if (ref->prev_sibling) {
      ref->prev_sibling->next_sibling = child;
    } else {
      parent->first_child = child;
    }
    ref->prev_sibling = child;
  }

  static void Detach(Node* n) {
    Node* p = n->parent;
    if (p == nullptr) return;
    if (n->prev_sibling) {
      n->prev_sibling->next_sibling = n->next_sibling;
    } else {
      p->first_child = n->next_sibling;
    }
    if (n->next_sibling) {
      n->next_sibling->prev_sibling = n->prev_sibling;
    } else {
      p->last_child = n->prev_sibling;
    }
    n->parent = n->prev_sibling = n->next_sibling = nullptr;
  }

  static void MoveChildren(Node* from, Node* to) {
    Node* c = from->first_child;
    if (c == nullptr) return;
    for (Node* x = c; x; x = x->next_sibling) x->parent = to;
    if (to->last_child) {
      to->last_child->next_sibling = c;
      c->prev_sibling = to->last_child;
    } else {
      to->first_child = c;
    }
    to->last_child = from->last_child;
    from->first_child = from->last_child = nullptr;
  }

  struct Place {
    Node* parent;
    Node* before;
  };

  Node* Current() const { return stack_.empty() ? nullptr : stack_.back().node; }
  const Open* CurrentOpen() const { return stack_.empty() ? nullptr : &stack_.back(); }

  bool CurrentIs(Tag t) const {
    return !stack_.empty() && stack_.back().ns == Ns::kHtml && stack_.back().tag == t;
  }

  Place AppropriatePlace(Node* override_target = nullptr) {
    Node* target = override_target ? override_target : Current();
    if (target == nullptr) return {dom_->document_, nullptr};
    if (foster_parenting_ && target->type == NodeType::kElement && IsTableContext(target->tag)) {
      for (size_t i = stack_.size(); i-- > 0;) {
        if (stack_[i].ns == Ns::kHtml && stack_[i].tag == T::kTable) {
          Node* table = stack_[i].node;
          if (table->parent) return {table->parent, table};
          return {stack_[i > 0 ? i - 1 : 0].node, nullptr};
        }
      }
      return {stack_[0].node, nullptr};
    }
    return {target, nullptr};
  }

  void FlushPendingText() {
    if (pending_node_) {
      pending_node_->text = arena_->Copy(pending_buf_);
      pending_node_ = nullptr;
      pending_buf_.clear();
    }
  }

  void AppendToText(Node* t, std::string_view s) {
    if (t == pending_node_) {
      pending_buf_.append(s);
      return;
    }
    if (t->text.data() + t->text.size() == s.data()) {  // contiguous: just extend
      t->text = std::string_view(t->text.data(), t->text.size() + s.size());
      return;
    }
    FlushPendingText();
    pending_node_ = t;
    pending_buf_.assign(t->text);
    pending_buf_.append(s);
  }

  void InsertTextAt(Place place, std::string_view s) {
    if (s.empty()) return;
    Node* prev = place.before ? place.before->prev_sibling : place.parent->last_child;
    if (prev && prev->type == NodeType::kText) {
      AppendToText(prev, s);
      return;
    }
    if (place.parent->type == NodeType::kDocument) return;  // text is never a document child
    Node* n = NewNode(NodeType::kText, T::kUnknown, {});
    if (n == nullptr) return;
    n->text = s;
    InsertBefore(place.parent, n, place.before);
  }

  void InsertText(std::string_view s) { InsertTextAt(AppropriatePlace(), s); }

  void InsertComment(const Token& t, Node* parent = nullptr) {
    Node* n = NewNode(NodeType::kComment, T::kUnknown, {});
    if (n == nullptr) return;
    n->text = t.data;
    if (parent) {
      Append(parent, n);
    } else {
      Place p = AppropriatePlace();
      InsertBefore(p.parent, n, p.before);
    }
  }

  Node* CreateElement(const Token& t, Ns ns) {
    Tag tag = T::kUnknown;
    if (ns == Ns::kHtml) {
      tag = t.tag;
    } else if (t.name == "svg" && ns == Ns::kSvg) {
      tag = T::kSvg;
    } else if (t.name == "math" && ns == Ns::kMathMl) {
      tag = T::kMath;
    }
    Node* n = NewNode(NodeType::kElement, tag, t.name);
    if (n == nullptr) return nullptr;
    n->attrs = t.attrs;
    n->num_attrs = t.num_attrs;
    return n;
  }

  Node* Clone(const Node* src) {
    Node* n = NewNode(NodeType::kElement, src->tag, src->name);
    if (n == nullptr) return nullptr;
    n->attrs = src->attrs;
    n->num_attrs = src->num_attrs;
    return n;
  }

  bool Push(Node* n, Ns ns) {
    if (stack_.size() >= options_.max_depth) {
      dom_->truncated_ = true;
      return false;
    }
    stack_.push_back({n, n->tag, ns});
    if (ns == Ns::kHtml) ++open_count_[static_cast<size_t>(n->tag)];
    return true;
  }

  void Pop() {
    if (stack_.empty()) return;
    const Open& o = stack_.back();
    if (o.ns == Ns::kHtml) --open_count_[static_cast<size_t>(o.tag)];
    stack_.pop_back();
  }

  void EraseFromStack(size_t i) {
    if (stack_[i].ns == Ns::kHtml) --open_count_[static_cast<size_t>(stack_[i].tag)];
    stack_.erase(stack_.begin() + i);
  }

  // Inserts an HTML (or foreign) element for `t`; returns it, or null when a
  // limit dropped it. `*pushed` tells whether it went on the stack.
  Node* InsertElement(const Token& t, Ns ns = Ns::kHtml, bool push = true, bool* pushed = nullptr) {
    if (pushed) *pushed = false;
    Node* n = CreateElement(t, ns);
    if (n == nullptr) return nullptr;
    Place p = AppropriatePlace();
    InsertBefore(p.parent, n, p.before);
    if (push) {
      bool ok = Push(n, ns);
      if (pushed) *pushed = ok;
    }
    return n;
  }

  // ---- stack queries ---------------------------------------------------

  static bool IsScopeBoundary(const Open& e, Scope s) {
    if (e.ns == Ns::kHtml) {
      switch (s) {
        case Scope::kTable:
          return e.tag == T::kHtml || e.tag == T::kTable || e.tag == T::kTemplate;
        case Scope::kSelect:
          return e.tag != T::kOptgroup && e.tag != T::kOption;
        default:
          break;
      }
      switch (e.tag) {
        case T::kApplet: case T::kCaption: case T::kHtml: case T::kTable: case T::kTd:
        case T::kTh: case T::kMarquee: case T::kObject: case T::kTemplate:
          return true;
        case T::kOl: case T::kUl:
          return s == Scope::kListItem;
        case T::kButton:
          return s == Scope::kButton;
        default:
          return false;
      }
    }
    if (s == Scope::kTable) return false;
    if (s == Scope::kSelect) return true;
    std::string_view n = e.node->name;
    if (e.ns == Ns::kMathMl) {
      return n == "mi" || n == "mo" || n == "mn" || n == "ms" || n == "mtext" ||
             n == "annotation-xml";
    }
    return n == "foreignobject" || n == "desc" || n == "title";
  }

  bool InScope(Tag t, Scope s) const {
    if (open_count_[static_cast<size_t>(t)] == 0) return false;
    for (size_t i = stack_.size(); i-- > 0;) {
      const Open& e = stack_[i];
      if (e.ns == Ns::kHtml && e.tag == t) return true;
      if (IsScopeBoundary(e, s)) return false;
    }
    return false;
  }

  bool HeadingInScope() const {
    for (size_t i = stack_.size(); i-- > 0;) {
      const Open& e = stack_[i];
      if (e.ns == Ns::kHtml && IsHeading(e.tag)) return true;
      if (IsScopeBoundary(e, Scope::kDefault)) return false;
    }
    return false;
  }

  bool NodeInScope(const Node* n, Scope s) const {
    for (size_t i = stack_.size(); i-- > 0;) {
      if (stack_[i].node == n) return true;
      if (IsScopeBoundary(stack_[i], s)) return false;
    }
    return false;
  }

  int StackIndex(const Node* n) const {
    for (size_t i = stack_.size(); i-- > 0;) {
      if (stack_[i].node == n) return static_cast<int>(i);
    }
    return -1;
  }

  void PopUntil(Tag t) {
    while (!stack_.empty()) {
      bool hit = stack_.back().ns == Ns::kHtml && stack_.back().tag == t;
      Pop();
      if (hit) return;
    }
  }

  void PopUntilHeading() {
    while (!stack_.empty()) {
      bool hit = stack_.back().ns == Ns::kHtml && IsHeading(stack_.back().tag);
      Pop();
      if (hit) return;
    }
  }

  void PopUntilNode(const Node* n) {
    while (!stack_.empty()) {
      bool hit = stack_.back().node == n;
      Pop();
      if (hit) return;
    }
  }

  void GenerateImpliedEndTags(Tag except = T::kCount) {
    while (!stack_.empty()) {
      const Open& e = stack_.back();
      if (e.ns != Ns::kHtml || e.tag == except || !IsImpliedEnd(e.tag, e.node->name)) return;
      Pop();
    }
  }

  void ClosePElement() {
    GenerateImpliedEndTags(T::kP);
    PopUntil(T::kP);
  }

  void ClosePIfInButtonScope() {
    if (InScope(T::kP, Scope::kButton)) ClosePElement();
  }

  // ---- active formatting elements ---------------------------------------

  void PushMarker() { formatting_.push_back(nullptr); }

  void ClearFormattingToMarker() {
    while (!formatting_.empty()) {
      Node* n = formatting_.back();
      formatting_.pop_back();
      if (n == nullptr) return;
    }
  }

  static bool SameAttributes(const Node* a, const Node* b) {
    if (a->num_attrs != b->num_attrs) return false;
    for (uint32_t i = 0; i < a->num_attrs; ++i) {
      bool found = false;
      if (b->Attr(a->attrs[i].name, &found) != a->attrs[i].value || !found) return false;
    }
    return true;
  }

  void PushFormatting(Node* n) {
    // Noah's Ark: at most three identical entries after the last marker.
    int count = 0;
    size_t earliest = 0;
    for (size_t i = formatting_.size(); i-- > 0;) {
      Node* f = formatting_[i];
      if (f == nullptr) break;
      if (f->tag == n->tag && f->name == n->name && SameAttributes(f, n)) {
        ++count;
        earliest = i;
      }
    }
    if (count >= 3) formatting_.erase(formatting_.begin() + earliest);
    formatting_.push_back(n);
  }

  int FormattingIndex(const Node* n) const {
    for (size_t i = formatting_.size(); i-- > 0;) {
      if (formatting_[i] == n) return static_cast<int>(i);
    }
    return -1;
  }

  void ReconstructFormatting() {
    if (formatting_.empty()) return;
    Node* last = formatting_.back();
    if (last == nullptr || StackIndex(last) >= 0) return;
    size_t i = formatting_.size() - 1;
    while (i > 0) {
      Node* e = formatting_[i - 1];
      if (e == nullptr || StackIndex(e) >= 0) break;
      --i;
    }
    for (; i < formatting_.size(); ++i) {
      Node* n = Clone(formatting_[i]);
      if (n == nullptr) return;
      Place p = AppropriatePlace();
      InsertBefore(p.parent, n, p.before);
      if (!Push(n, Ns::kHtml)) {
        // Too deep: stop reconstructing (the entries would only be cloned again).
        formatting_.erase(formatting_.begin() + i, formatting_.end());
        return;
      }
      formatting_[i] = n;
    }
  }

  // Returns false when the token must be handled as "any other end tag".
  bool AdoptionAgency(const Token& t, Tag subject) {
    if (CurrentIs(subject) && FormattingIndex(Current()) < 0) {
      Pop();
      return true;
    }
    for (int outer = 0; outer < 8; ++outer) {
      int fi = -1;
      for (size_t i = formatting_.size(); i-- > 0;) {
        if (formatting_[i] == nullptr) break;
        if (formatting_[i]->tag == subject) {
          fi = static_cast<int>(i);
          break;
        }
      }
      if (fi < 0) return false;
      Node* fe = formatting_[fi];
      int fe_idx = StackIndex(fe);
      if (fe_idx < 0) {
        formatting_.erase(formatting_.begin() + fi);
        return true;
      }
      if (!NodeInScope(fe, Scope::kDefault)) return true;
      int fb_idx = -1;
      for (size_t i = fe_idx + 1; i < stack_.size(); ++i) {
        const Open& e = stack_[i];
        bool special = e.ns == Ns::kHtml ? IsSpecialHtml(e.tag) : IsScopeBoundary(e, Scope::kDefault);
        if (special) {
          fb_idx = static_cast<int>(i);
          break;
        }
      }
      if (fb_idx < 0) {
        PopUntilNode(fe);
        formatting_.erase(formatting_.begin() + fi);
        return true;
      }
      Node* common_ancestor = stack_[fe_idx - 1 >= 0 ? fe_idx - 1 : 0].node;
      Node* furthest_block = stack_[fb_idx].node;
      int bookmark = fi;
      Node* last_node = furthest_block;
      int node_idx = fb_idx;
      for (int inner = 1;; ++inner) {
        --node_idx;
        Node* node = stack_[node_idx].node;
        if (node == fe) break;
        int ni = FormattingIndex(node);
        if (inner > 3 && ni >= 0) {
          formatting_.erase(formatting_.begin() + ni);
          if (ni < bookmark) --bookmark;
          ni = -1;
        }
        if (ni < 0) {
          EraseFromStack(node_idx);
          continue;
        }
        Node* clone = Clone(node);
        if (clone == nullptr) return true;
        formatting_[ni] = clone;
        stack_[node_idx].node = clone;
        node = clone;
        if (last_node == furthest_block) bookmark = ni + 1;
        Detach(last_node);
        Append(node, last_node);
        last_node = node;
      }
      Detach(last_node);
      Place p = AppropriatePlace(common_ancestor);
      InsertBefore(p.parent, last_node, p.before);
      Node* ne = Clone(fe);
      if (ne == nullptr) return true;
      MoveChildren(furthest_block, ne);
      Append(furthest_block, ne);
      fi = FormattingIndex(fe);
      if (fi >= 0) {
        formatting_.erase(formatting_.begin() + fi);
        if (fi < bookmark) --bookmark;
      }
      bookmark = std::clamp(bookmark, 0, static_cast<int>(formatting_.size()));
      formatting_.insert(formatting_.begin() + bookmark, ne);
      int old = StackIndex(fe);
      if (old >= 0) EraseFromStack(old);
      int fb = StackIndex(furthest_block);
      stack_.insert(stack_.begin() + fb + 1, Open{ne, ne->tag, Ns::kHtml});
      ++open_count_[static_cast<size_t>(ne->tag)];
    }
    (void)t;
    return true;
  }

  void AnyOtherEndTag(const Token& t) {
    for (size_t i = stack_.size(); i-- > 0;) {
      const Open& e = stack_[i];
      if (e.ns == Ns::kHtml && e.node->name == t.name) {
        Node* n = e.node;
        GenerateImpliedEndTagsExceptName(t.name);
        PopUntilNode(n);
        return;
      }
      if (e.ns == Ns::kHtml ? IsSpecialHtml(e.tag) : IsScopeBoundary(e, Scope::kDefault)) return;
    }
  }

  void GenerateImpliedEndTagsExceptName(std::string_view name) {
    while (!stack_.empty()) {
      const Open& e = stack_.back();
      if (e.ns != Ns::kHtml || e.node->name == name || !IsImpliedEnd(e.tag, e.node->name)) return;
      Pop();
    }
  }

  // ---- insertion modes -----------------------------------------------------

  void ResetInsertionMode() {
    for (size_t i = stack_.size(); i-- > 0;) {
      const Open& e = stack_[i];
      bool last = i == 0;
      if (e.ns != Ns::kHtml) {
        if (last) break;
        continue;
      }
      switch (e.tag) {
        case T::kSelect: {
          for (size_t j = i; j-- > 0;) {
            if (stack_[j].ns == Ns::kHtml && stack_[j].tag == T::kTable) {
              mode_ = Mode::kInSelectInTable;
              return;
            }
          }
          mode_ = Mode::kInSelect;
          return;
        }
        case T::kTd: case T::kTh:
          if (!last) {
            mode_ = Mode::kInCell;
            return;
          }
          break;
        case T::kTr: mode_ = Mode::kInRow; return;
        case T::kTbody: case T::kThead: case T::kTfoot: mode_ = Mode::kInTableBody; return;
        case T::kCaption: mode_ = Mode::kInCaption; return;
        case T::kColgroup: mode_ = Mode::kInColumnGroup; return;
        case T::kTable: mode_ = Mode::kInTable; return;
        case T::kHead:
          if (!last) {
            mode_ = Mode::kInHead;
            return;
          }
          break;
        case T::kBody: mode_ = Mode::kInBody; return;
        case T::kFrameset: mode_ = Mode::kInFrameset; return;
        case T::kHtml: mode_ = head_seen_ ? Mode::kAfterHead : Mode::kBeforeHead; return;
        default: break;
      }
      if (last) break;
    }
    mode_ = Mode::kInBody;
  }

  bool UseForeignRules(const Token& t) const {
    if (stack_.empty()) return false;
    const Open& e = stack_.back();
    if (e.ns == Ns::kHtml) return false;
    if (t.type == TokenType::kEof) return false;
    std::string_view n = e.node->name;
    bool start = t.type == TokenType::kStartTag;
    if (e.ns == Ns::kMathMl) {
      bool text_ip = n == "mi" || n == "mo" || n == "mn" || n == "ms" || n == "mtext";
      if (text_ip && ((start && t.name != "mglyph" && t.name != "malignmark") ||
                      t.type == TokenType::kCharacter)) {
        return false;
      }
      if (n == "annotation-xml") {
        if (start && t.name == "svg") return false;
        std::string_view enc = e.node->Attr("encoding");
        bool html_ip = EqualsLower(enc, "text/html") || EqualsLower(enc, "application/xhtml+xml");
        if (html_ip && (start || t.type == TokenType::kCharacter)) return false;
      }
      return true;
    }
    if ((n == "foreignobject" || n == "desc" || n == "title") &&
        (start || t.type == TokenType::kCharacter)) {
      return false;
    }
    return true;
  }

  static bool EqualsLower(std::string_view s, std::string_view lower) {
    if (s.size() != lower.size()) return false;
    for (size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      if (c != lower[i]) return false;
    }
    return true;
  }

  void Process(Token* t) {
    if (t->type == TokenType::kCharacter && t->has_nul) StripNuls(t);
    // A token is reprocessed at most a few times (each time in a new mode);
    // the cap only guards against a bug turning into a hang.
    for (int i = 0; i < 16; ++i) {
      bool again = UseForeignRules(*t) ? InForeign(t) : Dispatch(t);
      if (!again) return;
    }
  }

  void StripNuls(Token* t) {
    // U+0000 is dropped in HTML content and becomes U+FFFD in foreign content.
    bool foreign = !stack_.empty() && stack_.back().ns != Ns::kHtml;
    std::string out;
    out.reserve(t->data.size());
    for (char c : t->data) {
      if (c != '\0') {
        out.push_back(c);
      } else if (foreign) {
        out.append("\xEF\xBF\xBD");
      }
    }
    t->data = arena_->Copy(out);
  }

  bool Dispatch(Token* t) {
    switch (mode_) {
      case Mode::kInitial: return Initial(t);
      case Mode::kBeforeHtml: return BeforeHtml(t);
      case Mode::kBeforeHead: return BeforeHead(t);
      case Mode::kInHead: return InHead(t);
      case Mode::kInHeadNoscript: return InHeadNoscript(t);
      case Mode::kAfterHead: return AfterHead(t);
      case Mode::kInBody: return InBody(t);
      case Mode::kText: return InText(t);
      case Mode::kInTable: return InTable(t);
      case Mode::kInCaption: return InCaption(t);
      case Mode::kInColumnGroup: return InColumnGroup(t);
      case Mode::kInTableBody: return InTableBody(t);
      case Mode::kInRow: return InRow(t);
      case Mode::kInCell: return InCell(t);
      case Mode::kInSelect: return InSelect(t, false);
      case Mode::kInSelectInTable: return InSelect(t, true);
      case Mode::kAfterBody: return AfterBody(t);
      case Mode::kInFrameset: return InFrameset(t);
      case Mode::kAfterFrameset: return AfterFrameset(t);
      case Mode::kAfterAfterBody: return AfterAfterBody(t);
      case Mode::kAfterAfterFrameset: return AfterAfterFrameset(t);
    }
    return false;
  }

  // Handles the leading whitespace of a character token with `ws`, leaves
  // the rest in *t; returns true when something non-whitespace remains.
  template <typename F>
  bool SplitWhitespace(Token* t, F ws) {
    size_t n = LeadingWs(t->data);
    if (n > 0) ws(t->data.substr(0, n));
    t->data.remove_prefix(n);
    return !t->data.empty();
  }

  bool Initial(Token* t) {
    switch (t->type) {
      case TokenType::kCharacter:
        if (!SplitWhitespace(t, [](std::string_view) {})) return false;
        break;
      case TokenType::kComment:
        InsertComment(*t, dom_->document_);
        return false;
      case TokenType::kDoctype: {
        Node* n = NewNode(NodeType::kDoctype, T::kUnknown, t->name);
        if (n) Append(dom_->document_, n);
        quirks_ = IsQuirksDoctype(*t);
        mode_ = Mode::kBeforeHtml;
        return false;
      }
      default:
        break;
    }
    quirks_ = true;  // no doctype
    mode_ = Mode::kBeforeHtml;
    return true;
  }

  static bool StartsWithLower(std::string_view s, std::string_view lower_prefix) {
    return s.size() >= lower_prefix.size() && EqualsLower(s.substr(0, lower_prefix.size()), lower_prefix);
  }

  // The spec's quirks-mode doctypes (the only quirk honoured here: <table>
  // does not close an open <p>). Legacy public ids are matched by family.
  static bool IsQuirksDoctype(const Token& t) {
    if (t.force_quirks || t.name != "html") return true;
    if (!t.has_public_id) {
      return t.has_system_id &&
             EqualsLower(t.system_id, "http://www.ibm.com/data/dtd/v11/ibmxhtml1-transitional.dtd");
    }
    std::string_view id = t.public_id;
    if (EqualsLower(id, "-//w3o//dtd w3 html strict 3.0//en//") ||
        EqualsLower(id, "-/w3c/dtd html 4.0 transitional/en") || EqualsLower(id, "html")) {
      return true;
    }
    static constexpr std::string_view kPrefixes[] = {
        "+//silmaril//dtd html pro v0r11 19970101//", "-//as//dtd html 3.0 aswedit + extensions//",
        "-//advasoft ltd//dtd html 3.0 aswedit + extensions//", "-//ietf//dtd html",
        "-//metrius//dtd metrius presentational//", "-//microsoft//dtd internet explorer",
        "-//netscape comm. corp.//dtd", "-//o'reilly and associates//dtd html",
        "-//sq//dtd html 2.0 hotmetal + extensions//", "-//softquad software//dtd hotmetal pro",
        "-//softquad//dtd hotmetal pro", "-//spyglass//dtd html 2.0 extended//",
        "-//sun microsystems corp.//dtd hotjava", "-//w3c//dtd html 3",
        "-//w3c//dtd html 4.0 frameset//", "-//w3c//dtd html 4.0 transitional//",
        "-//w3c//dtd html experimental", "-//w3c//dtd w3 html//", "-//w3o//dtd w3 html",
        "-//webtechs//dtd mozilla html"};
    for (std::string_view p : kPrefixes) {
      if (StartsWithLower(id, p)) return true;
    }
    if (!t.has_system_id && (StartsWithLower(id, "-//w3c//dtd html 4.01 frameset//") ||
                             StartsWithLower(id, "-//w3c//dtd html 4.01 transitional//"))) {
      return true;
    }
    return false;
  }

  void CreateHtml(const Token* t) {
    Node* n = NewNode(NodeType::kElement, T::kHtml, kTagNames[static_cast<size_t>(T::kHtml)], true);
    if (t) {
      n->attrs = t->attrs;
      n->num_attrs = t->num_attrs;
    }
    Append(dom_->document_, n);
    stack_.push_back({n, T::kHtml, Ns::kHtml});
    ++open_count_[static_cast<size_t>(T::kHtml)];
    dom_->html_ = n;
  }

  bool BeforeHtml(Token* t) {
    switch (t->type) {
      case TokenType::kDoctype:
        return false;
      case TokenType::kComment:
        InsertComment(*t, dom_->document_);
        return false;
      case TokenType::kCharacter:
        if (!SplitWhitespace(t, [](std::string_view) {})) return false;
        break;
      case TokenType::kStartTag:
        if (t->name == "html") {
          CreateHtml(t);
          mode_ = Mode::kBeforeHead;
          return false;
        }
        break;
      case TokenType::kEndTag:
        if (t->name != "head" && t->name != "body" && t->name != "html" && t->name != "br") {
          return false;
        }
        break;
      default:
        break;
    }
    CreateHtml(nullptr);
    mode_ = Mode::kBeforeHead;
    return true;
  }

  void CreateHead(const Token* t) {
    Node* n = NewNode(NodeType::kElement, T::kHead, kTagNames[static_cast<size_t>(T::kHead)], true);
    if (t) {
      n->attrs = t->attrs;
      n->num_attrs = t->num_attrs;
    }
    Place p = AppropriatePlace();
    InsertBefore(p.parent, n, p.before);
    stack_.push_back({n, T::kHead, Ns::kHtml});
    ++open_count_[static_cast<size_t>(T::kHead)];
    dom_->head_ = n;
    head_seen_ = true;
  }

  bool BeforeHead(Token* t) {
    switch (t->type) {
      case TokenType::kCharacter:
        if (!SplitWhitespace(t, [](std::string_view) {})) return false;
        break;
      case TokenType::kComment:
        InsertComment(*t);
        return false;
      case TokenType::kDoctype:
        return false;
      case TokenType::kStartTag:
        if (t->name == "html") return InBody(t);
        if (t->name == "head") {
          CreateHead(t);
          mode_ = Mode::kInHead;
          return false;
        }
        break;
      case TokenType::kEndTag:
        if (t->name != "head" && t->name != "body" && t->name != "html" && t->name != "br") {
          return false;
        }
        break;
      default:
        break;
    }
    CreateHead(nullptr);
    mode_ = Mode::kInHead;
    return true;
  }

  // Inserts an element whose content the tokenizer reads as text.
  void InsertTextElement(const Token& t, ContentState state) {
    bool pushed = false;
    Node* n = InsertElement(t, Ns::kHtml, true, &pushed);
    tok_.SetContentState(state);
    tok_.set_last_start_tag(t.name);
    text_target_ = n;
    text_pushed_ = pushed;
    original_mode_ = mode_;
    mode_ = Mode::kText;
  }

  bool InHead(Token* t) {
    Tag tag = T::kUnknown;
    switch (t->type) {
      case TokenType::kCharacter:
        if (!SplitWhitespace(t, [this](std::string_view ws) { InsertText(ws); })) return false;
        break;
      case TokenType::kComment:
        InsertComment(*t);
        return false;
      case TokenType::kDoctype:
        return false;
      case TokenType::kStartTag:
        tag = t->tag;
        switch (tag) {
          case T::kHtml:
            return InBody(t);
          case T::kBase: case T::kBasefont: case T::kBgsound: case T::kLink: case T::kMeta:
            InsertElement(*t, Ns::kHtml, false);
            return false;
          case T::kTitle:
            InsertTextElement(*t, ContentState::kRcdata);
            return false;
          case T::kNoframes: case T::kStyle:
            InsertTextElement(*t, ContentState::kRawtext);
            return false;
          case T::kNoscript: {
            bool pushed = false;
            InsertElement(*t, Ns::kHtml, true, &pushed);
            if (pushed) mode_ = Mode::kInHeadNoscript;
            return false;
          }
          case T::kScript:
            InsertTextElement(*t, ContentState::kScriptData);
            return false;
          case T::kTemplate:
            InsertElement(*t);
            PushMarker();
            return false;
          case T::kHead:
            return false;
          default:
            break;
        }
        break;
      case TokenType::kEndTag:
        tag = t->tag;
        if (tag == T::kHead) {
          Pop();
          mode_ = Mode::kAfterHead;
          return false;
        }
        if (tag == T::kTemplate) {
          if (InScope(T::kTemplate, Scope::kTable)) {
            GenerateImpliedEndTags();
            PopUntil(T::kTemplate);
            ClearFormattingToMarker();
          }
          return false;
        }
        if (tag != T::kBody && tag != T::kHtml && tag != T::kBr) return false;
        break;
      default:
        break;
    }
    if (CurrentIs(T::kHead)) Pop();
    mode_ = Mode::kAfterHead;
    return true;
  }

  bool InHeadNoscript(Token* t) {
    switch (t->type) {
      case TokenType::kDoctype:
        return false;
      case TokenType::kComment:
        return InHead(t);
      case TokenType::kCharacter:
        if (!SplitWhitespace(t, [this](std::string_view ws) { InsertText(ws); })) return false;
        break;
      case TokenType::kStartTag: {
        Tag tag = t->tag;
        if (tag == T::kHtml) return InBody(t);
        if (tag == T::kBasefont || tag == T::kBgsound || tag == T::kLink || tag == T::kMeta ||
            tag == T::kNoframes || tag == T::kStyle) {
          return InHead(t);
        }
        if (tag == T::kHead || tag == T::kNoscript) return false;
        break;
      }
      case TokenType::kEndTag: {
        Tag tag = t->tag;
        if (tag == T::kNoscript) {
          Pop();
          mode_ = Mode::kInHead;
          return false;
        }
        if (tag != T::kBr) return false;
        break;
      }
      default:
        break;
    }
    Pop();
    mode_ = Mode::kInHead;
    return true;
  }

  void CreateBody(const Token* t, Tag tag = T::kBody) {
    Node* n = NewNode(NodeType::kElement, tag, kTagNames[static_cast<size_t>(tag)], true);
    if (t) {
      n->attrs = t->attrs;
      n->num_attrs = t->num_attrs;
    }
    Place p = AppropriatePlace();
    InsertBefore(p.parent, n, p.before);
    stack_.push_back({n, tag, Ns::kHtml});
    ++open_count_[static_cast<size_t>(tag)];
    dom_->body_ = n;
  }

  bool AfterHead(Token* t) {
    switch (t->type) {
      case TokenType::kCharacter:
        if (!SplitWhitespace(t, [this](std::string_view ws) { InsertText(ws); })) return false;
        break;
      case TokenType::kComment:
        InsertComment(*t);
        return false;
      case TokenType::kDoctype:
        return false;
      case TokenType::kStartTag: {
        Tag tag = t->tag;
        switch (tag) {
          case T::kHtml:
            return InBody(t);
          case T::kBody:
            CreateBody(t);
            frameset_ok_ = false;
            mode_ = Mode::kInBody;
            return false;
          case T::kFrameset:
            CreateBody(t, T::kFrameset);
            mode_ = Mode::kInFrameset;
            return false;
          case T::kBase: case T::kBasefont: case T::kBgsound: case T::kLink: case T::kMeta:
          case T::kNoframes: case T::kScript: case T::kStyle: case T::kTemplate: case T::kTitle: {
            // Goes into <head>, which is put back on the stack for the occasion.
            Node* head = dom_->head_;
            if (head == nullptr) break;
            stack_.push_back({head, T::kHead, Ns::kHtml});
            ++open_count_[static_cast<size_t>(T::kHead)];
            InHead(t);
            int i = StackIndex(head);
            if (i >= 0) EraseFromStack(i);
            return false;
          }
          case T::kHead:
            return false;
          default:
            break;
        }
        break;
      }
      case TokenType::kEndTag: {
        Tag tag = t->tag;
        if (tag == T::kTemplate) return InHead(t);
        if (tag != T::kBody && tag != T::kHtml && tag != T::kBr) return false;
        break;
      }
      default:
        break;
    }
    CreateBody(nullptr);
    mode_ = Mode::kInBody;
    return true;
  }

  bool InText(Token* t) {
    switch (t->type) {
      case TokenType::kCharacter:
        if (text_target_) {
          Node* prev = text_target_->last_child;
          if (prev && prev->type == NodeType::kText) {
            AppendToText(prev, t->data);
          } else {
            Node* n = NewNode(NodeType::kText, T::kUnknown, {});
            if (n) {
              n->text = t->data;
              Append(text_target_, n);
            }
          }
        }
        return false;
      case TokenType::kEof:
        if (text_pushed_ && Current() == text_target_) Pop();
        mode_ = original_mode_;
        return true;
      case TokenType::kEndTag:
        if (text_pushed_ && Current() == text_target_) Pop();
        mode_ = original_mode_;
        return false;
      default:
        return false;
    }
  }

  // The body end: text after </body> still belongs to it.
  bool InBody(Token* t) {
    switch (t->type) {
      case TokenType::kCharacter: {
        if (t->data.empty()) return false;
        ReconstructFormatting();
        InsertText(t->data);
        if (frameset_ok_ && LeadingWs(t->data) != t->data.size()) frameset_ok_ = false;
        return false;
      }
      case TokenType::kComment:
        InsertComment(*t);
        return false;
      case TokenType::kDoctype:
        return false;
      case TokenType::kStartTag:
        return InBodyStart(t);
      case TokenType::kEndTag:
        return InBodyEnd(t);
      case TokenType::kEof:
        return false;
      default:
        return false;
    }
  }

  bool InBodyStart(Token* t) {
    Tag tag = t->tag;
    switch (tag) {
      case T::kHtml:
        return false;
      case T::kBase: case T::kBasefont: case T::kBgsound: case T::kLink: case T::kMeta:
      case T::kNoframes: case T::kScript: case T::kStyle: case T::kTemplate: case T::kTitle:
        return InHead(t);
      case T::kBody:
        frameset_ok_ = false;
        return false;
      case T::kFrameset:
        return false;
      case T::kAddress: case T::kArticle: case T::kAside: case T::kBlockquote: case T::kCenter:
      case T::kDetails: case T::kDialog: case T::kDiv: case T::kDl: case T::kFieldset:
      case T::kFigcaption: case T::kFigure: case T::kFooter: case T::kHeader: case T::kHgroup:
      case T::kMain: case T::kMenu: case T::kNav: case T::kOl: case T::kP: case T::kSearch:
      case T::kSection: case T::kSummary: case T::kUl:
        ClosePIfInButtonScope();
        InsertElement(*t);
        return false;
      case T::kH1: case T::kH2: case T::kH3: case T::kH4: case T::kH5: case T::kH6:
        ClosePIfInButtonScope();
        if (!stack_.empty() && stack_.back().ns == Ns::kHtml && IsHeading(stack_.back().tag)) Pop();
        InsertElement(*t);
        return false;
      case T::kPre: case T::kListing:
        ClosePIfInButtonScope();
        InsertElement(*t);
        skip_newline_ = true;
        frameset_ok_ = false;
        return false;
      case T::kForm: {
        if (form_ != nullptr && open_count_[static_cast<size_t>(T::kTemplate)] == 0) return false;
        ClosePIfInButtonScope();
        bool pushed = false;
        Node* n = InsertElement(*t, Ns::kHtml, true, &pushed);
        if (pushed && open_count_[static_cast<size_t>(T::kTemplate)] == 0) form_ = n;
        return false;
      }
      case T::kLi: case T::kDd: case T::kDt: {
        frameset_ok_ = false;
        for (size_t i = stack_.size(); i-- > 0;) {
          const Open& e = stack_[i];
          bool match = e.ns == Ns::kHtml &&
                       (tag == T::kLi ? e.tag == T::kLi : (e.tag == T::kDd || e.tag == T::kDt));
          if (match) {
            Tag found = e.tag;
            GenerateImpliedEndTags(found);
            PopUntil(found);
            break;
          }
          if (e.ns == Ns::kHtml && IsSpecialHtml(e.tag) && e.tag != T::kAddress &&
              e.tag != T::kDiv && e.tag != T::kP) {
            break;
          }
        }
        ClosePIfInButtonScope();
        InsertElement(*t);
        return false;
      }
      case T::kPlaintext:
        ClosePIfInButtonScope();
        InsertElement(*t);
        tok_.SetContentState(ContentState::kPlaintext);
        return false;
      case T::kButton:
        if (InScope(T::kButton, Scope::kDefault)) {
          GenerateImpliedEndTags();
          PopUntil(T::kButton);
        }
        ReconstructFormatting();
        InsertElement(*t);
        frameset_ok_ = false;
        return false;
      case T::kA: {
        for (size_t i = formatting_.size(); i-- > 0;) {
          Node* f = formatting_[i];
          if (f == nullptr) break;
          if (f->tag == T::kA) {
            Token end;
            end.type = TokenType::kEndTag;
            end.name = "a";
            end.tag = T::kA;
            if (!AdoptionAgency(end, T::kA)) AnyOtherEndTag(end);
            int fi = FormattingIndex(f);
            if (fi >= 0) formatting_.erase(formatting_.begin() + fi);
            int si = StackIndex(f);
            if (si >= 0) EraseFromStack(si);
            break;
          }
        }
        ReconstructFormatting();
        bool pushed = false;
        Node* n = InsertElement(*t, Ns::kHtml, true, &pushed);
        if (pushed) PushFormatting(n);
        return false;
      }
      case T::kB: case T::kBig: case T::kCode: case T::kEm: case T::kFont: case T::kI:
      case T::kS: case T::kSmall: case T::kStrike: case T::kStrong: case T::kTt: case T::kU: {
        ReconstructFormatting();
        bool pushed = false;
        Node* n = InsertElement(*t, Ns::kHtml, true, &pushed);
        if (pushed) PushFormatting(n);
        return false;
      }
      case T::kNobr: {
        ReconstructFormatting();
        if (InScope(T::kNobr, Scope::kDefault)) {
          Token end;
          end.type = TokenType::kEndTag;
          end.name = "nobr";
            end.tag = T::kNobr;
          if (!AdoptionAgency(end, T::kNobr)) AnyOtherEndTag(end);
          ReconstructFormatting();
        }
        bool pushed = false;
        Node* n = InsertElement(*t, Ns::kHtml, true, &pushed);
        if (pushed) PushFormatting(n);
        return false;
      }
      case T::kApplet: case T::kMarquee: case T::kObject: {
        ReconstructFormatting();
        bool pushed = false;
        InsertElement(*t, Ns::kHtml, true, &pushed);
        if (pushed) PushMarker();
        frameset_ok_ = false;
        return false;
      }
      case T::kTable: {
        if (!quirks_) ClosePIfInButtonScope();
        bool pushed = false;
        InsertElement(*t, Ns::kHtml, true, &pushed);
        frameset_ok_ = false;
        if (pushed) mode_ = Mode::kInTable;
        return false;
      }
      case T::kArea: case T::kBr: case T::kEmbed: case T::kImg: case T::kKeygen: case T::kWbr:
      case T::kInput: case T::kImage:
        ReconstructFormatting();
        if (tag == T::kImage) {
          t->name = "img";
          t->tag = T::kImg;
        }
        InsertElement(*t, Ns::kHtml, false);
        frameset_ok_ = false;
        return false;
      case T::kParam: case T::kSource: case T::kTrack:
        InsertElement(*t, Ns::kHtml, false);
        return false;
      case T::kHr:
        ClosePIfInButtonScope();
        InsertElement(*t, Ns::kHtml, false);
        frameset_ok_ = false;
        return false;
      case T::kTextarea:
        skip_newline_ = true;
        frameset_ok_ = false;
        InsertTextElement(*t, ContentState::kRcdata);
        return false;
      case T::kXmp:
        ClosePIfInButtonScope();
        ReconstructFormatting();
        frameset_ok_ = false;
        InsertTextElement(*t, ContentState::kRawtext);
        return false;
      case T::kIframe:
        frameset_ok_ = false;
        InsertTextElement(*t, ContentState::kRawtext);
        return false;
      case T::kNoembed:
        InsertTextElement(*t, ContentState::kRawtext);
        return false;
      case T::kSelect: {
        ReconstructFormatting();
        bool pushed = false;
        InsertElement(*t, Ns::kHtml, true, &pushed);
        frameset_ok_ = false;
        if (pushed) {
          mode_ = (mode_ == Mode::kInTable || mode_ == Mode::kInCaption ||
                   mode_ == Mode::kInTableBody || mode_ == Mode::kInRow || mode_ == Mode::kInCell)
                      ? Mode::kInSelectInTable
                      : Mode::kInSelect;
        }
        return false;
      }
      case T::kOptgroup: case T::kOption:
        if (CurrentIs(T::kOption)) Pop();
        ReconstructFormatting();
        InsertElement(*t);
        return false;
      case T::kRp: case T::kRt:
        if (InScope(T::kRuby, Scope::kDefault)) GenerateImpliedEndTagsExceptName("rtc");
        InsertElement(*t);
        return false;
      case T::kMath: case T::kSvg: {
        ReconstructFormatting();
        bool pushed = false;
        InsertElement(*t, tag == T::kMath ? Ns::kMathMl : Ns::kSvg, true, &pushed);
        if (pushed && t->self_closing) Pop();
        return false;
      }
      case T::kCaption: case T::kCol: case T::kColgroup: case T::kFrame: case T::kHead:
      case T::kTbody: case T::kTd: case T::kTfoot: case T::kTh: case T::kThead: case T::kTr:
        return false;
      default: {
        if (tag == T::kUnknown && (t->name == "rb" || t->name == "rtc")) {
          if (InScope(T::kRuby, Scope::kDefault)) GenerateImpliedEndTags();
          InsertElement(*t);
          return false;
        }
        ReconstructFormatting();
        InsertElement(*t);
        return false;
      }
    }
  }

  bool InBodyEnd(Token* t) {
    Tag tag = t->tag;
    switch (tag) {
      case T::kTemplate:
        return InHead(t);
      case T::kBody:
        if (InScope(T::kBody, Scope::kDefault)) mode_ = Mode::kAfterBody;
        return false;
      case T::kHtml:
        if (!InScope(T::kBody, Scope::kDefault)) return false;
        mode_ = Mode::kAfterBody;
        return true;
      case T::kAddress: case T::kArticle: case T::kAside: case T::kBlockquote: case T::kButton:
      case T::kCenter: case T::kDetails: case T::kDialog: case T::kDiv: case T::kDl:
      case T::kFieldset: case T::kFigcaption: case T::kFigure: case T::kFooter: case T::kHeader:
      case T::kHgroup: case T::kListing: case T::kMain: case T::kMenu: case T::kNav: case T::kOl:
      case T::kPre: case T::kSearch: case T::kSection: case T::kSummary: case T::kUl:
        if (!InScope(tag, Scope::kDefault)) return false;
        GenerateImpliedEndTags();
        PopUntil(tag);
        return false;
      case T::kForm: {
        if (open_count_[static_cast<size_t>(T::kTemplate)] == 0) {
          Node* node = form_;
          form_ = nullptr;
          if (node == nullptr || !NodeInScope(node, Scope::kDefault)) return false;
          GenerateImpliedEndTags();
          int i = StackIndex(node);
          if (i >= 0) EraseFromStack(i);
        } else {
          if (!InScope(T::kForm, Scope::kDefault)) return false;
          GenerateImpliedEndTags();
          PopUntil(T::kForm);
        }
        return false;
      }
      case T::kP:
        if (!InScope(T::kP, Scope::kButton)) {
          Token start;
          start.type = TokenType::kStartTag;
          start.name = "p";
            start.tag = T::kP;
          InsertElement(start);
        }
        ClosePElement();
        return false;
      case T::kLi:
        if (!InScope(T::kLi, Scope::kListItem)) return false;
        GenerateImpliedEndTags(T::kLi);
        PopUntil(T::kLi);
        return false;
      case T::kDd: case T::kDt:
        if (!InScope(tag, Scope::kDefault)) return false;
        GenerateImpliedEndTags(tag);
        PopUntil(tag);
        return false;
      case T::kH1: case T::kH2: case T::kH3: case T::kH4: case T::kH5: case T::kH6:
        if (!HeadingInScope()) return false;
        GenerateImpliedEndTags();
        PopUntilHeading();
        return false;
      case T::kA: case T::kB: case T::kBig: case T::kCode: case T::kEm: case T::kFont:
      case T::kI: case T::kNobr: case T::kS: case T::kSmall: case T::kStrike: case T::kStrong:
      case T::kTt: case T::kU:
        if (!AdoptionAgency(*t, tag)) AnyOtherEndTag(*t);
        return false;
      case T::kApplet: case T::kMarquee: case T::kObject:
        if (!InScope(tag, Scope::kDefault)) return false;
        GenerateImpliedEndTags();
        PopUntil(tag);
        ClearFormattingToMarker();
        return false;
      case T::kBr: {
        Token start;
        start.type = TokenType::kStartTag;
        start.name = "br";
            start.tag = T::kBr;
        ReconstructFormatting();
        InsertElement(start, Ns::kHtml, false);
        frameset_ok_ = false;
        return false;
      }
      default:
        AnyOtherEndTag(*t);
        return false;
    }
  }

  // ---- tables --------------------------------------------------------------

  void ClearStackBackTo(std::initializer_list<Tag> tags) {
    while (!stack_.empty()) {
      const Open& e = stack_.back();
      if (e.ns == Ns::kHtml &&
          (e.tag == T::kHtml || e.tag == T::kTemplate ||
           std::find(tags.begin(), tags.end(), e.tag) != tags.end())) {
        return;
      }
      Pop();
    }
  }

  bool InTable(Token* t) {
    switch (t->type) {
      case TokenType::kCharacter: {
        const Open* cur = CurrentOpen();
        if (cur && cur->ns == Ns::kHtml && IsTableContext(cur->tag)) {
          // "in table text": whitespace stays, anything else is fostered.
          if (LeadingWs(t->data) == t->data.size()) {
            InsertText(t->data);
          } else {
            foster_parenting_ = true;
            InBody(t);
            foster_parenting_ = false;
          }
          return false;
        }
        break;
      }
      case TokenType::kComment:
        InsertComment(*t);
        return false;
      case TokenType::kDoctype:
        return false;
      case TokenType::kStartTag: {
        Tag tag = t->tag;
        switch (tag) {
          case T::kCaption: {
            ClearStackBackTo({T::kTable});
            PushMarker();
            bool pushed = false;
            InsertElement(*t, Ns::kHtml, true, &pushed);
            if (pushed) mode_ = Mode::kInCaption;
            return false;
          }
          case T::kColgroup: {
            ClearStackBackTo({T::kTable});
            bool pushed = false;
            InsertElement(*t, Ns::kHtml, true, &pushed);
            if (pushed) mode_ = Mode::kInColumnGroup;
            return false;
          }
          case T::kCol: {
            ClearStackBackTo({T::kTable});
            Token cg;
            cg.type = TokenType::kStartTag;
            cg.name = "colgroup";
            cg.tag = T::kColgroup;
            bool pushed = false;
            InsertElement(cg, Ns::kHtml, true, &pushed);
            if (!pushed) return false;
            mode_ = Mode::kInColumnGroup;
            return true;
          }
          case T::kTbody: case T::kTfoot: case T::kThead: {
            ClearStackBackTo({T::kTable});
            bool pushed = false;
            InsertElement(*t, Ns::kHtml, true, &pushed);
            if (pushed) mode_ = Mode::kInTableBody;
            return false;
          }
          case T::kTd: case T::kTh: case T::kTr: {
            ClearStackBackTo({T::kTable});
            Token tb;
            tb.type = TokenType::kStartTag;
            tb.name = "tbody";
            tb.tag = T::kTbody;
            bool pushed = false;
            InsertElement(tb, Ns::kHtml, true, &pushed);
            if (!pushed) return false;
            mode_ = Mode::kInTableBody;
            return true;
          }
          case T::kTable:
            if (!InScope(T::kTable, Scope::kTable)) return false;
            PopUntil(T::kTable);
            ResetInsertionMode();
            return true;
          case T::kStyle: case T::kScript: case T::kTemplate:
            return InHead(t);
          case T::kInput: {
            std::string_view type = t->attrs ? FindAttr(*t, "type") : std::string_view();
            if (!EqualsLower(type, "hidden")) break;
            InsertElement(*t, Ns::kHtml, false);
            return false;
          }
          case T::kForm:
            if (form_ != nullptr || open_count_[static_cast<size_t>(T::kTemplate)] > 0) {
              return false;
            }
            form_ = InsertElement(*t, Ns::kHtml, false);
            return false;
          default:
            break;
        }
        break;
      }
      case TokenType::kEndTag: {
        Tag tag = t->tag;
        switch (tag) {
          case T::kTable:
            if (!InScope(T::kTable, Scope::kTable)) return false;
            PopUntil(T::kTable);
            ResetInsertionMode();
            return false;
          case T::kBody: case T::kCaption: case T::kCol: case T::kColgroup: case T::kHtml:
          case T::kTbody: case T::kTd: case T::kTfoot: case T::kTh: case T::kThead: case T::kTr:
            return false;
          case T::kTemplate:
            return InHead(t);
          default:
            break;
        }
        break;
      }
      case TokenType::kEof:
        return InBody(t);
      default:
        break;
    }
    foster_parenting_ = true;
    InBody(t);
    foster_parenting_ = false;
    return false;
  }

  static std::string_view FindAttr(const Token& t, std::string_view name) {
    for (uint32_t i = 0; i < t.num_attrs; ++i) {
      if (t.attrs[i].name == name) return t.attrs[i].value;
    }
    return {};
  }

  bool InCaption(Token* t) {
    Tag tag = t->type == TokenType::kStartTag || t->type == TokenType::kEndTag
                  ? t->tag
                  : T::kUnknown;
    bool closes = false;
    if (t->type == TokenType::kEndTag && tag == T::kCaption) {
      if (!InScope(T::kCaption, Scope::kTable)) return false;
      GenerateImpliedEndTags();
      PopUntil(T::kCaption);
      ClearFormattingToMarker();
      mode_ = Mode::kInTable;
      return false;
    }
    if (t->type == TokenType::kStartTag) {
      closes = tag == T::kCaption || tag == T::kCol || tag == T::kColgroup || tag == T::kTbody ||
               tag == T::kTd || tag == T::kTfoot || tag == T::kTh || tag == T::kThead ||
               tag == T::kTr;
    } else if (t->type == TokenType::kEndTag) {
      if (tag == T::kTable) closes = true;
      if (tag == T::kBody || tag == T::kCol || tag == T::kColgroup || tag == T::kHtml ||
          tag == T::kTbody || tag == T::kTd || tag == T::kTfoot || tag == T::kTh ||
          tag == T::kThead || tag == T::kTr) {
        return false;
      }
    }
    if (closes) {
      if (!InScope(T::kCaption, Scope::kTable)) return false;
      GenerateImpliedEndTags();
      PopUntil(T::kCaption);
      ClearFormattingToMarker();
      mode_ = Mode::kInTable;
      return true;
    }
    return InBody(t);
  }

  bool InColumnGroup(Token* t) {
    switch (t->type) {
      case TokenType::kCharacter:
        if (!SplitWhitespace(t, [this](std::string_view ws) { InsertText(ws); })) return false;
        break;
      case TokenType::kComment:
        InsertComment(*t);
        return false;
      case TokenType::kDoctype:
        return false;
      case TokenType::kStartTag: {
        Tag tag = t->tag;
        if (tag == T::kHtml) return InBody(t);
        if (tag == T::kCol) {
          InsertElement(*t, Ns::kHtml, false);
          return false;
        }
        if (tag == T::kTemplate) return InHead(t);
        break;
      }
      case TokenType::kEndTag: {
        Tag tag = t->tag;
        if (tag == T::kColgroup) {
          if (CurrentIs(T::kColgroup)) {
            Pop();
            mode_ = Mode::kInTable;
          }
          return false;
        }
        if (tag == T::kCol) return false;
        if (tag == T::kTemplate) return InHead(t);
        break;
      }
      case TokenType::kEof:
        return InBody(t);
      default:
        break;
    }
    if (!CurrentIs(T::kColgroup)) return false;
    Pop();
    mode_ = Mode::kInTable;
    return true;
  }

  bool InTableBody(Token* t) {
    Tag tag = t->type == TokenType::kStartTag || t->type == TokenType::kEndTag
                  ? t->tag
                  : T::kUnknown;
    if (t->type == TokenType::kStartTag) {
      if (tag == T::kTr) {
        ClearStackBackTo({T::kTbody, T::kTfoot, T::kThead});
        bool pushed = false;
        InsertElement(*t, Ns::kHtml, true, &pushed);
        if (pushed) mode_ = Mode::kInRow;
        return false;
      }
      if (tag == T::kTh || tag == T::kTd) {
        ClearStackBackTo({T::kTbody, T::kTfoot, T::kThead});
        Token tr;
        tr.type = TokenType::kStartTag;
        tr.name = "tr";
            tr.tag = T::kTr;
        bool pushed = false;
        InsertElement(tr, Ns::kHtml, true, &pushed);
        if (!pushed) return false;
        mode_ = Mode::kInRow;
        return true;
      }
      if (tag == T::kCaption || tag == T::kCol || tag == T::kColgroup || tag == T::kTbody ||
          tag == T::kTfoot || tag == T::kThead) {
        if (!InScope(T::kTbody, Scope::kTable) && !InScope(T::kThead, Scope::kTable) &&
            !InScope(T::kTfoot, Scope::kTable)) {
          return false;
        }
        ClearStackBackTo({T::kTbody, T::kTfoot, T::kThead});
        Pop();
        mode_ = Mode::kInTable;
        return true;
      }
    } else if (t->type == TokenType::kEndTag) {
      if (tag == T::kTbody || tag == T::kTfoot || tag == T::kThead) {
        if (!InScope(tag, Scope::kTable)) return false;
        ClearStackBackTo({T::kTbody, T::kTfoot, T::kThead});
        Pop();
        mode_ = Mode::kInTable;
        return false;
      }
      if (tag == T::kTable) {
        if (!InScope(T::kTbody, Scope::kTable) && !InScope(T::kThead, Scope::kTable) &&
            !InScope(T::kTfoot, Scope::kTable)) {
          return false;
        }
        ClearStackBackTo({T::kTbody, T::kTfoot, T::kThead});
        Pop();
        mode_ = Mode::kInTable;
        return true;
      }
      if (tag == T::kBody || tag == T::kCaption || tag == T::kCol || tag == T::kColgroup ||
          tag == T::kHtml || tag == T::kTd || tag == T::kTh || tag == T::kTr) {
        return false;
      }
    }
    return InTable(t);
  }

  bool InRow(Token* t) {
    Tag tag = t->type == TokenType::kStartTag || t->type == TokenType::kEndTag
                  ? t->tag
                  : T::kUnknown;
    if (t->type == TokenType::kStartTag) {
      if (tag == T::kTh || tag == T::kTd) {
        ClearStackBackTo({T::kTr});
        bool pushed = false;
        InsertElement(*t, Ns::kHtml, true, &pushed);
        if (pushed) {
          mode_ = Mode::kInCell;
          PushMarker();
        }
        return false;
      }
      if (tag == T::kCaption || tag == T::kCol || tag == T::kColgroup || tag == T::kTbody ||
          tag == T::kTfoot || tag == T::kThead || tag == T::kTr) {
        if (!InScope(T::kTr, Scope::kTable)) return false;
        ClearStackBackTo({T::kTr});
        Pop();
        mode_ = Mode::kInTableBody;
        return true;
      }
    } else if (t->type == TokenType::kEndTag) {
      if (tag == T::kTr) {
        if (!InScope(T::kTr, Scope::kTable)) return false;
        ClearStackBackTo({T::kTr});
        Pop();
        mode_ = Mode::kInTableBody;
        return false;
      }
      if (tag == T::kTable) {
        if (!InScope(T::kTr, Scope::kTable)) return false;
        ClearStackBackTo({T::kTr});
        Pop();
        mode_ = Mode::kInTableBody;
        return true;
      }
      if (tag == T::kTbody || tag == T::kTfoot || tag == T::kThead) {
        if (!InScope(tag, Scope::kTable)) return false;
        if (!InScope(T::kTr, Scope::kTable)) return false;
        ClearStackBackTo({T::kTr});
        Pop();
        mode_ = Mode::kInTableBody;
        return true;
      }
      if (tag == T::kBody || tag == T::kCaption || tag == T::kCol || tag == T::kColgroup ||
          tag == T::kHtml || tag == T::kTd || tag == T::kTh) {
        return false;
      }
    }
    return InTable(t);
  }

  void CloseCell() {
    GenerateImpliedEndTags();
    while (!stack_.empty()) {
      const Open& e = stack_.back();
      bool hit = e.ns == Ns::kHtml && (e.tag == T::kTd || e.tag == T::kTh);
      Pop();
      if (hit) break;
    }
    ClearFormattingToMarker();
    mode_ = Mode::kInRow;
  }

  bool InCell(Token* t) {
    Tag tag = t->type == TokenType::kStartTag || t->type == TokenType::kEndTag
                  ? t->tag
                  : T::kUnknown;
    if (t->type == TokenType::kEndTag) {
      if (tag == T::kTd || tag == T::kTh) {
        if (!InScope(tag, Scope::kTable)) return false;
        GenerateImpliedEndTags();
        PopUntil(tag);
        ClearFormattingToMarker();
        mode_ = Mode::kInRow;
        return false;
      }
      if (tag == T::kBody || tag == T::kCaption || tag == T::kCol || tag == T::kColgroup ||
          tag == T::kHtml) {
        return false;
      }
      if (tag == T::kTable || tag == T::kTbody || tag == T::kTfoot || tag == T::kThead ||
          tag == T::kTr) {
        if (!InScope(tag, Scope::kTable)) return false;
        CloseCell();
        return true;
      }
    } else if (t->type == TokenType::kStartTag) {
      if (tag == T::kCaption || tag == T::kCol || tag == T::kColgroup || tag == T::kTbody ||
          tag == T::kTd || tag == T::kTfoot || tag == T::kTh || tag == T::kThead ||
          tag == T::kTr) {
        if (!InScope(T::kTd, Scope::kTable) && !InScope(T::kTh, Scope::kTable)) return false;
        CloseCell();
        return true;
      }
    }
    return InBody(t);
  }

  bool InSelect(Token* t, bool in_table) {
    Tag tag = t->type == TokenType::kStartTag || t->type == TokenType::kEndTag
                  ? t->tag
                  : T::kUnknown;
    if (in_table) {
      bool table_tag = tag == T::kCaption || tag == T::kTable || tag == T::kTbody ||
                       tag == T::kTfoot || tag == T::kThead || tag == T::kTr || tag == T::kTd ||
                       tag == T::kTh;
      if (table_tag && t->type == TokenType::kStartTag) {
        PopUntil(T::kSelect);
        ResetInsertionMode();
        return true;
      }
      if (table_tag && t->type == TokenType::kEndTag) {
        if (!InScope(tag, Scope::kTable)) return false;
        PopUntil(T::kSelect);
        ResetInsertionMode();
        return true;
      }
    }
    switch (t->type) {
      case TokenType::kCharacter:
        InsertText(t->data);
        return false;
      case TokenType::kComment:
        InsertComment(*t);
        return false;
      case TokenType::kDoctype:
        return false;
      case TokenType::kStartTag:
        switch (tag) {
          case T::kHtml:
            return InBody(t);
          case T::kOption:
            if (CurrentIs(T::kOption)) Pop();
            InsertElement(*t);
            return false;
          case T::kOptgroup:
            if (CurrentIs(T::kOption)) Pop();
            if (CurrentIs(T::kOptgroup)) Pop();
            InsertElement(*t);
            return false;
          case T::kHr:
            if (CurrentIs(T::kOption)) Pop();
            if (CurrentIs(T::kOptgroup)) Pop();
            InsertElement(*t, Ns::kHtml, false);
            return false;
          case T::kSelect:
            if (InScope(T::kSelect, Scope::kSelect)) {
              PopUntil(T::kSelect);
              ResetInsertionMode();
            }
            return false;
          case T::kInput: case T::kKeygen: case T::kTextarea:
            if (!InScope(T::kSelect, Scope::kSelect)) return false;
            PopUntil(T::kSelect);
            ResetInsertionMode();
            return true;
          case T::kScript: case T::kTemplate:
            return InHead(t);
          default:
            return false;
        }
      case TokenType::kEndTag:
        switch (tag) {
          case T::kOptgroup:
            if (CurrentIs(T::kOption) && stack_.size() >= 2 &&
                stack_[stack_.size() - 2].ns == Ns::kHtml &&
                stack_[stack_.size() - 2].tag == T::kOptgroup) {
              Pop();
            }
            if (CurrentIs(T::kOptgroup)) Pop();
            return false;
          case T::kOption:
            if (CurrentIs(T::kOption)) Pop();
            return false;
          case T::kSelect:
            if (!InScope(T::kSelect, Scope::kSelect)) return false;
            PopUntil(T::kSelect);
            ResetInsertionMode();
            return false;
          case T::kTemplate:
            return InHead(t);
          default:
            return false;
        }
      case TokenType::kEof:
        return InBody(t);
      default:
        return false;
    }
  }

  // ---- after body / frameset ------------------------------------------------

  bool AfterBody(Token* t) {
    switch (t->type) {
      case TokenType::kCharacter:
        if (LeadingWs(t->data) == t->data.size()) return InBody(t);
        break;
      case TokenType::kComment:
        InsertComment(*t, dom_->html_);
        return false;
      case TokenType::kDoctype:
        return false;
      case TokenType::kStartTag:
        if (t->name == "html") return InBody(t);
        break;
      case TokenType::kEndTag:
        if (t->name == "html") {
          mode_ = Mode::kAfterAfterBody;
          return false;
        }
        break;
      case TokenType::kEof:
        return false;
      default:
        break;
    }
    mode_ = Mode::kInBody;
    return true;
  }

  bool AfterAfterBody(Token* t) {
    switch (t->type) {
      case TokenType::kComment:
        InsertComment(*t, dom_->document_);
        return false;
      case TokenType::kDoctype:
        return InBody(t);
      case TokenType::kCharacter:
        if (LeadingWs(t->data) == t->data.size()) return InBody(t);
        break;
      case TokenType::kStartTag:
        if (t->name == "html") return InBody(t);
        break;
      case TokenType::kEof:
        return false;
      default:
        break;
    }
    mode_ = Mode::kInBody;
    return true;
  }

  bool InFrameset(Token* t) {
    switch (t->type) {
      case TokenType::kCharacter: {
        std::string ws;
        for (char c : t->data) {
          if (IsWsChar(c)) ws.push_back(c);
        }
        if (!ws.empty()) InsertText(arena_->Copy(ws));
        return false;
      }
      case TokenType::kComment:
        InsertComment(*t);
        return false;
      case TokenType::kStartTag: {
        Tag tag = t->tag;
        if (tag == T::kHtml) return InBody(t);
        if (tag == T::kFrameset) {
          InsertElement(*t);
        } else if (tag == T::kFrame) {
          InsertElement(*t, Ns::kHtml, false);
        } else if (tag == T::kNoframes) {
          return InHead(t);
        }
        return false;
      }
      case TokenType::kEndTag:
        if (t->name == "frameset") {
          if (CurrentIs(T::kHtml)) return false;
          Pop();
          if (!CurrentIs(T::kFrameset)) mode_ = Mode::kAfterFrameset;
        }
        return false;
      default:
        return false;
    }
  }

  bool AfterFrameset(Token* t) {
    switch (t->type) {
      case TokenType::kCharacter: {
        std::string ws;
        for (char c : t->data) {
          if (IsWsChar(c)) ws.push_back(c);
        }
        if (!ws.empty()) InsertText(arena_->Copy(ws));
        return false;
      }
      case TokenType::kComment:
        InsertComment(*t);
        return false;
      case TokenType::kStartTag:
        if (t->name == "html") return InBody(t);
        if (t->name == "noframes") return InHead(t);
        return false;
      case TokenType::kEndTag:
        if (t->name == "html") mode_ = Mode::kAfterAfterFrameset;
        return false;
      default:
        return false;
    }
  }

  bool AfterAfterFrameset(Token* t) {
    switch (t->type) {
      case TokenType::kComment:
        InsertComment(*t, dom_->document_);
        return false;
      case TokenType::kStartTag:
        if (t->name == "html") return InBody(t);
        if (t->name == "noframes") return InHead(t);
        return false;
      case TokenType::kCharacter:
        return AfterFrameset(t);
      default:
        return false;
    }
  }

  // ---- foreign content -------------------------------------------------------

  bool InForeign(Token* t) {
    switch (t->type) {
      case TokenType::kCharacter:
        InsertText(t->data);
        if (LeadingWs(t->data) != t->data.size()) frameset_ok_ = false;
        return false;
      case TokenType::kComment:
        InsertComment(*t);
        return false;
      case TokenType::kDoctype:
        return false;
      case TokenType::kStartTag: {
        Tag tag = t->tag;
        bool breakout = IsForeignBreakout(tag);
        if (tag == T::kFont) {  // <font> breaks out only with color, face or size
          bool f = false;
          for (uint32_t i = 0; i < t->num_attrs; ++i) {
            std::string_view n = t->attrs[i].name;
            if (n == "color" || n == "face" || n == "size") f = true;
          }
          breakout = f;
        }
        if (breakout) {
          while (!stack_.empty()) {
            const Open& e = stack_.back();
            if (e.ns == Ns::kHtml) break;
            if (IsIntegrationPoint(e)) break;
            Pop();
          }
          return Dispatch(t);
        }
        Ns ns = stack_.back().ns;
        bool pushed = false;
        InsertElement(*t, ns, true, &pushed);
        if (pushed && t->self_closing) Pop();
        return false;
      }
      case TokenType::kEndTag: {
        for (size_t i = stack_.size(); i-- > 0;) {
          const Open& e = stack_[i];
          if (e.ns == Ns::kHtml) return Dispatch(t);
          if (e.node->name == t->name) {
            Node* n = e.node;
            PopUntilNode(n);
            return false;
          }
        }
        return false;
      }
      default:
        return Dispatch(t);
    }
  }

  bool IsIntegrationPoint(const Open& e) const {
    std::string_view n = e.node->name;
    if (e.ns == Ns::kMathMl) {
      if (n == "mi" || n == "mo" || n == "mn" || n == "ms" || n == "mtext") return true;
      if (n == "annotation-xml") {
        std::string_view enc = e.node->Attr("encoding");
        return EqualsLower(enc, "text/html") || EqualsLower(enc, "application/xhtml+xml");
      }
      return false;
    }
    return n == "foreignobject" || n == "desc" || n == "title";
  }

  // ---- end of input ----------------------------------------------------------

  void Finish() {
    if (dom_->html_ == nullptr) CreateHtml(nullptr);
    if (dom_->head_ == nullptr) {
      Node* n = NewNode(NodeType::kElement, T::kHead, kTagNames[static_cast<size_t>(T::kHead)], true);
      InsertBefore(dom_->html_, n, dom_->html_->first_child);
      dom_->head_ = n;
    }
    if (dom_->body_ == nullptr) {
      bool has_frameset = false;
      for (Node* c = dom_->html_->first_child; c; c = c->next_sibling) {
        if (c->tag == T::kFrameset) has_frameset = true;
      }
      if (!has_frameset) {
        Node* n =
            NewNode(NodeType::kElement, T::kBody, kTagNames[static_cast<size_t>(T::kBody)], true);
        Append(dom_->html_, n);
        dom_->body_ = n;
      }
    }
  }

  DomImpl* dom_;
  Arena* arena_;
  ParseOptions options_;
  Tokenizer tok_;
  Mode mode_ = Mode::kInitial;
  Mode original_mode_ = Mode::kInBody;
  std::vector<Open> stack_;
  std::vector<Node*> formatting_;
  uint32_t open_count_[static_cast<size_t>(T::kCount) + 1] = {};
  Node* form_ = nullptr;
  Node* text_target_ = nullptr;
  bool text_pushed_ = false;
  bool head_seen_ = false;
  bool frameset_ok_ = true;
  bool quirks_ = false;
  bool foster_parenting_ = false;
  bool skip_newline_ = false;
  Node* pending_node_ = nullptr;
  std::string pending_buf_;
};

}  // namespace

std::unique_ptr<Dom> BuildTree(std::string_view html, const ParseOptions& options) {
  auto dom = std::make_unique<DomImpl>();
  try {
    TreeBuilder builder(dom.get(), html, options);
    builder.Run();
  } catch (const std::bad_alloc&) {
    // Out of memory mid-page: no exception crosses the API. Whatever tree
    // was built stays (it is consistent after every step), marked truncated;
    // if even the skeleton is missing, start over with an empty page.
    dom->truncated_ = true;
    if (dom->html_ == nullptr || dom->head_ == nullptr || dom->body_ == nullptr) {
      auto empty = std::make_unique<DomImpl>();
      TreeBuilder builder(empty.get(), std::string_view(), options);
      builder.Run();
      empty->truncated_ = true;
      return empty;
    }
  }
  return dom;
}

}  // namespace internal

std::unique_ptr<Dom> Parse(std::string_view html, const ParseOptions& options) {
  return internal::BuildTree(html, options);
}

}  // namespace html
}  // namespace winnow
