// Tree construction (html.spec.whatwg.org, section 13.2.6): every insertion
// mode, including "in template" (template contents go to a separate
// fragment) and the 2025 select parsing (select content is parsed "in body");
// foreign content with the SVG/MathML name adjustments and integration
// points; the fragment parsing algorithm; the scripting flag
// (ParseOptions::scripting). Departures, all limits that keep nodes and
// memory linear in the input: max_depth, max_attributes, max_nodes and the
// clone budget of the formatting-element steps (ParseOptions).
#include "html/tree_builder.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <string>
#include <unordered_map>
#include <vector>

#include "html/arena.h"
#include "html/tag_table.h"
#include "html/tokenizer.h"

namespace winnow {
namespace html {
namespace {

using internal::kMaxTagName;
using internal::kTagNames;

const internal::TagTable& Tags() { return internal::kTagTable; }

}  // namespace

namespace internal {
Tag FindTagLower(std::string_view lower) { return Tags().Find(lower); }
Tag FindTagLower(std::string_view lower, size_t readable) { return FindTagLowerInline(lower, readable); }
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
  QuirksMode quirks_mode() const override { return quirks_; }

  Arena arena;
  Node* document_ = nullptr;
  Node* html_ = nullptr;
  Node* head_ = nullptr;
  Node* body_ = nullptr;
  uint64_t count_ = 0;
  bool truncated_ = false;
  QuirksMode quirks_ = QuirksMode::kNoQuirks;
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
  kInTemplate,
  kAfterBody,
  kInFrameset,
  kAfterFrameset,
  kAfterAfterBody,
  kAfterAfterFrameset,
};

enum class Scope : uint8_t { kDefault, kListItem, kButton, kTable };

inline bool IsWsChar(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r'; }

size_t LeadingWs(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && IsWsChar(s[i])) ++i;
  return i;
}

bool AllWs(std::string_view s) { return LeadingWs(s) == s.size(); }

using T = Tag;

bool IsSpecialHtml(Tag t) {
  switch (t) {
    case T::kAddress: case T::kApplet: case T::kArea: case T::kArticle: case T::kAside:
    case T::kBase: case T::kBasefont: case T::kBgsound: case T::kBlockquote: case T::kBody:
    case T::kBr: case T::kButton: case T::kCaption: case T::kCenter: case T::kCol:
    case T::kColgroup: case T::kDd: case T::kDetails: case T::kDir: case T::kDiv: case T::kDl:
    case T::kDt: case T::kEmbed: case T::kFieldset: case T::kFigcaption: case T::kFigure:
    case T::kFooter: case T::kForm: case T::kFrame: case T::kFrameset: case T::kH1: case T::kH2:
    case T::kH3: case T::kH4: case T::kH5: case T::kH6: case T::kHead: case T::kHeader:
    case T::kHgroup: case T::kHr: case T::kHtml: case T::kIframe: case T::kImg: case T::kInput:
    case T::kKeygen: case T::kLi: case T::kLink: case T::kListing: case T::kMain:
    case T::kMarquee: case T::kMenu: case T::kMeta: case T::kNav: case T::kNoembed:
    case T::kNoframes: case T::kNoscript: case T::kObject: case T::kOl: case T::kP:
    case T::kParam: case T::kPlaintext: case T::kPre: case T::kScript: case T::kSearch:
    case T::kSection: case T::kSelect: case T::kSource: case T::kStyle: case T::kSummary:
    case T::kTable: case T::kTbody: case T::kTd: case T::kTemplate: case T::kTextarea:
    case T::kTfoot: case T::kTh: case T::kThead: case T::kTitle: case T::kTr: case T::kTrack:
    case T::kUl: case T::kWbr: case T::kXmp:
      return true;
    default:
      return false;
  }
}

bool IsHeading(Tag t) {
  return t == T::kH1 || t == T::kH2 || t == T::kH3 || t == T::kH4 || t == T::kH5 || t == T::kH6;
}

// "Generate implied end tags" (thorough: also the table parts).
bool IsImpliedEnd(Tag t, std::string_view name, bool thorough) {
  switch (t) {
    case T::kDd: case T::kDt: case T::kLi: case T::kOptgroup: case T::kOption: case T::kP:
    case T::kRp: case T::kRt:
      return true;
    case T::kCaption: case T::kColgroup: case T::kTbody: case T::kTd: case T::kTfoot:
    case T::kTh: case T::kThead: case T::kTr:
      return thorough;
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

bool EqualsLower(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != lower[i]) return false;
  }
  return true;
}

bool StartsWithLower(std::string_view s, std::string_view lower_prefix) {
  return s.size() >= lower_prefix.size() &&
         EqualsLower(s.substr(0, lower_prefix.size()), lower_prefix);
}

struct NamePair {
  std::string_view lower;
  std::string_view adjusted;
};

// The spec's "adjust SVG tag name" table.
constexpr NamePair kSvgTagNames[] = {
    {"altglyph", "altGlyph"}, {"altglyphdef", "altGlyphDef"}, {"altglyphitem", "altGlyphItem"},
    {"animatecolor", "animateColor"}, {"animatemotion", "animateMotion"},
    {"animatetransform", "animateTransform"}, {"clippath", "clipPath"}, {"feblend", "feBlend"},
    {"fecolormatrix", "feColorMatrix"}, {"fecomponenttransfer", "feComponentTransfer"},
    {"fecomposite", "feComposite"}, {"feconvolvematrix", "feConvolveMatrix"},
    {"fediffuselighting", "feDiffuseLighting"}, {"fedisplacementmap", "feDisplacementMap"},
    {"fedistantlight", "feDistantLight"}, {"fedropshadow", "feDropShadow"},
    {"feflood", "feFlood"}, {"fefunca", "feFuncA"}, {"fefuncb", "feFuncB"},
    {"fefuncg", "feFuncG"}, {"fefuncr", "feFuncR"}, {"fegaussianblur", "feGaussianBlur"},
    {"feimage", "feImage"}, {"femerge", "feMerge"}, {"femergenode", "feMergeNode"},
    {"femorphology", "feMorphology"}, {"feoffset", "feOffset"},
    {"fepointlight", "fePointLight"}, {"fespecularlighting", "feSpecularLighting"},
    {"fespotlight", "feSpotLight"}, {"fetile", "feTile"}, {"feturbulence", "feTurbulence"},
    {"foreignobject", "foreignObject"}, {"glyphref", "glyphRef"},
    {"lineargradient", "linearGradient"}, {"radialgradient", "radialGradient"},
    {"textpath", "textPath"},
};

// The spec's "adjust SVG attributes" table.
constexpr NamePair kSvgAttrNames[] = {
    {"attributename", "attributeName"}, {"attributetype", "attributeType"},
    {"basefrequency", "baseFrequency"}, {"baseprofile", "baseProfile"},
    {"calcmode", "calcMode"}, {"clippathunits", "clipPathUnits"},
    {"diffuseconstant", "diffuseConstant"}, {"edgemode", "edgeMode"},
    {"filterunits", "filterUnits"}, {"glyphref", "glyphRef"},
    {"gradienttransform", "gradientTransform"}, {"gradientunits", "gradientUnits"},
    {"kernelmatrix", "kernelMatrix"}, {"kernelunitlength", "kernelUnitLength"},
    {"keypoints", "keyPoints"}, {"keysplines", "keySplines"}, {"keytimes", "keyTimes"},
    {"lengthadjust", "lengthAdjust"}, {"limitingconeangle", "limitingConeAngle"},
    {"markerheight", "markerHeight"}, {"markerunits", "markerUnits"},
    {"markerwidth", "markerWidth"}, {"maskcontentunits", "maskContentUnits"},
    {"maskunits", "maskUnits"}, {"numoctaves", "numOctaves"}, {"pathlength", "pathLength"},
    {"patterncontentunits", "patternContentUnits"}, {"patterntransform", "patternTransform"},
    {"patternunits", "patternUnits"}, {"pointsatx", "pointsAtX"}, {"pointsaty", "pointsAtY"},
    {"pointsatz", "pointsAtZ"}, {"preservealpha", "preserveAlpha"},
    {"preserveaspectratio", "preserveAspectRatio"}, {"primitiveunits", "primitiveUnits"},
    {"refx", "refX"}, {"refy", "refY"}, {"repeatcount", "repeatCount"},
    {"repeatdur", "repeatDur"}, {"requiredextensions", "requiredExtensions"},
    {"requiredfeatures", "requiredFeatures"}, {"specularconstant", "specularConstant"},
    {"specularexponent", "specularExponent"}, {"spreadmethod", "spreadMethod"},
    {"startoffset", "startOffset"}, {"stddeviation", "stdDeviation"},
    {"stitchtiles", "stitchTiles"}, {"surfacescale", "surfaceScale"},
    {"systemlanguage", "systemLanguage"}, {"tablevalues", "tableValues"},
    {"targetx", "targetX"}, {"targety", "targetY"}, {"textlength", "textLength"},
    {"viewbox", "viewBox"}, {"viewtarget", "viewTarget"},
    {"xchannelselector", "xChannelSelector"}, {"ychannelselector", "yChannelSelector"},
    {"zoomandpan", "zoomAndPan"},
};

// The adjusted name, or `name` itself. The tables are sorted: binary search.
template <size_t N>
std::string_view Adjusted(const NamePair (&table)[N], std::string_view name) {
  const NamePair* it = std::lower_bound(
      table, table + N, name, [](const NamePair& p, std::string_view n) { return p.lower < n; });
  return it != table + N && it->lower == name ? it->adjusted : name;
}

// Public ids that put a document in quirks mode (prefix match, ASCII
// case-insensitive), from the spec's list.
constexpr std::string_view kQuirksPublicPrefixes[] = {
    "+//silmaril//dtd html pro v0r11 19970101//",
    "-//as//dtd html 3.0 aswedit + extensions//",
    "-//advasoft ltd//dtd html 3.0 aswedit + extensions//",
    "-//ietf//dtd html 2.0 level 1//",
    "-//ietf//dtd html 2.0 level 2//",
    "-//ietf//dtd html 2.0 strict level 1//",
    "-//ietf//dtd html 2.0 strict level 2//",
    "-//ietf//dtd html 2.0 strict//",
    "-//ietf//dtd html 2.0//",
    "-//ietf//dtd html 2.1e//",
    "-//ietf//dtd html 3.0//",
    "-//ietf//dtd html 3.2 final//",
    "-//ietf//dtd html 3.2//",
    "-//ietf//dtd html 3//",
    "-//ietf//dtd html level 0//",
    "-//ietf//dtd html level 1//",
    "-//ietf//dtd html level 2//",
    "-//ietf//dtd html level 3//",
    "-//ietf//dtd html strict level 0//",
    "-//ietf//dtd html strict level 1//",
    "-//ietf//dtd html strict level 2//",
    "-//ietf//dtd html strict level 3//",
    "-//ietf//dtd html strict//",
    "-//ietf//dtd html//",
    "-//metrius//dtd metrius presentational//",
    "-//microsoft//dtd internet explorer 2.0 html strict//",
    "-//microsoft//dtd internet explorer 2.0 html//",
    "-//microsoft//dtd internet explorer 2.0 tables//",
    "-//microsoft//dtd internet explorer 3.0 html strict//",
    "-//microsoft//dtd internet explorer 3.0 html//",
    "-//microsoft//dtd internet explorer 3.0 tables//",
    "-//netscape comm. corp.//dtd html//",
    "-//netscape comm. corp.//dtd strict html//",
    "-//o'reilly and associates//dtd html 2.0//",
    "-//o'reilly and associates//dtd html extended 1.0//",
    "-//o'reilly and associates//dtd html extended relaxed 1.0//",
    "-//sq//dtd html 2.0 hotmetal + extensions//",
    "-//softquad software//dtd hotmetal pro 6.0::19990601::extensions to html 4.0//",
    "-//softquad//dtd hotmetal pro 4.0::19971010::extensions to html 4.0//",
    "-//spyglass//dtd html 2.0 extended//",
    "-//sun microsystems corp.//dtd hotjava html//",
    "-//sun microsystems corp.//dtd hotjava strict html//",
    "-//w3c//dtd html 3 1995-03-24//",
    "-//w3c//dtd html 3.2 draft//",
    "-//w3c//dtd html 3.2 final//",
    "-//w3c//dtd html 3.2//",
    "-//w3c//dtd html 3.2s draft//",
    "-//w3c//dtd html 4.0 frameset//",
    "-//w3c//dtd html 4.0 transitional//",
    "-//w3c//dtd html experimental 19960712//",
    "-//w3c//dtd html experimental 970421//",
    "-//w3c//dtd w3 html//",
    "-//w3o//dtd w3 html 3.0//",
    "-//webtechs//dtd mozilla html 2.0//",
    "-//webtechs//dtd mozilla html//",
};

using internal::Token;
using internal::TokenType;

class TreeBuilder {
 public:
  TreeBuilder(DomImpl* dom, std::string_view input, const ParseOptions& options)
      : dom_(dom),
        arena_(&dom->arena),
        options_(options),
        tok_(NormalizeNewlines(input, &dom->arena), &dom->arena,
             options.max_attributes) {
    uint64_t budget = options.clone_budget_base;
    if (options.clone_budget_bytes > 0) budget += input.size() / options.clone_budget_bytes;
    clone_budget_ = budget;
  }

  // The fragment parsing algorithm's set-up (before Run): a context element
  // (not part of the tree), the root <html> on the stack, the tokenizer
  // state the context implies.
  void SetFragmentContext(std::string_view name, Ns ns) {
    dom_->document_ = NewNode(NodeType::kDocument, T::kUnknown, {}, true);
    context_ = NewNode(NodeType::kElement, T::kUnknown, arena_->Copy(name), true);
    context_->ns = ns;
    fragment_ = true;
    if (ns == Ns::kHtml) {
      context_->tag = FindTagLower(name);
    } else if (ns == Ns::kSvg && name == "svg") {
      context_->tag = T::kSvg;
    } else if (ns == Ns::kMathMl && name == "math") {
      context_->tag = T::kMath;
    }
    context_open_ = {context_, context_->tag, ns};
    if (ns == Ns::kHtml) {
      switch (context_->tag) {
        case T::kTitle: case T::kTextarea:
          tok_.SetContentState(ContentState::kRcdata);
          break;
        case T::kStyle: case T::kXmp: case T::kIframe: case T::kNoembed: case T::kNoframes:
          tok_.SetContentState(ContentState::kRawtext);
          break;
        case T::kScript:
          tok_.SetContentState(ContentState::kScriptData);
          break;
        case T::kNoscript:
          if (options_.scripting) tok_.SetContentState(ContentState::kRawtext);
          break;
        case T::kPlaintext:
          tok_.SetContentState(ContentState::kPlaintext);
          break;
        default:
          break;
      }
      // No start tag has been emitted: no end tag is "appropriate", so
      // "</title>" in a title fragment is text.
    }
    Node* root = NewNode(NodeType::kElement, T::kHtml, kTagNames[static_cast<size_t>(T::kHtml)], true);
    Append(dom_->document_, root);
    stack_.push_back({root, T::kHtml, Ns::kHtml});
    ++open_count_[static_cast<size_t>(T::kHtml)];
    if (ns == Ns::kHtml && context_->tag == T::kTemplate) template_modes_.push_back(Mode::kInTemplate);
    ResetInsertionMode();
    if (ns == Ns::kHtml && context_->tag == T::kForm) form_ = context_;
  }

  void Run() {
    if (dom_->document_ == nullptr) {
      dom_->document_ = NewNode(NodeType::kDocument, T::kUnknown, {}, true);
    }
    for (;;) {
      const Open* adjusted = AdjustedCurrent();
      tok_.set_allow_cdata(adjusted != nullptr && adjusted->ns != Ns::kHtml);
      Token* t = tok_.Next();  // valid until the next call
      if (t->type == TokenType::kCharacter && skip_newline_) {
        skip_newline_ = false;
        if (!t->data.empty() && t->data[0] == '\n') t->data.remove_prefix(1);
        if (t->data.empty()) continue;
      }
      skip_newline_ = false;
      Process(t);
      if (t->type == TokenType::kEof) break;
    }
    // Stopping parsing pops every open element (an <option> still open
    // may fill a <selectedcontent>).
    while (!stack_.empty()) Pop();
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

  // Inline: a call per node cost more than the node.
  __attribute__((always_inline)) Node* NewNode(NodeType type, Tag tag, std::string_view name,
                                               bool force = false) {
    if (!force && dom_->count_ >= options_.max_nodes) {
      dom_->truncated_ = true;
      return nullptr;
    }
    // Every field given once (value-initialising the node, then setting
    // three of them, was a 12-step `rep stosq` and the three stores).
    Node* n = new (arena_->Allocate(sizeof(Node), alignof(Node)))
        Node{type, Namespace::kHtml, tag, 0, name, {}, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};
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

  // The spec's "adjusted current node": the context element when parsing a
  // fragment and only the root is open.
  const Open* AdjustedCurrent() const {
    if (stack_.empty()) return nullptr;
    if (fragment_ && stack_.size() == 1) return &context_open_;
    return &stack_.back();
  }

  bool CurrentIs(Tag t) const {
    return !stack_.empty() && stack_.back().ns == Ns::kHtml && stack_.back().tag == t;
  }

  bool TemplateOpen() const { return open_count_[static_cast<size_t>(T::kTemplate)] > 0; }

  // The spec's "appropriate place for inserting a node".
  // Inline: the usual answer (the current node) is a few loads.
  __attribute__((always_inline)) Place AppropriatePlace(Node* override_target = nullptr) {
    Node* target = override_target ? override_target : Current();
    if (target == nullptr) return {dom_->document_, nullptr};
    if (!foster_parenting_ && target->template_content == nullptr) [[likely]] {
      return {target, nullptr};
    }
    return AppropriatePlaceSlow(target);
  }

  Place AppropriatePlaceSlow(Node* target) {
    Place place{target, nullptr};
    if (foster_parenting_ && target->is_html() && IsTableContext(target->tag)) {
      int last_template = -1, last_table = -1;
      for (size_t i = stack_.size(); i-- > 0;) {
        if (stack_[i].ns != Ns::kHtml) continue;
        if (last_template < 0 && stack_[i].tag == T::kTemplate) last_template = static_cast<int>(i);
        if (last_table < 0 && stack_[i].tag == T::kTable) last_table = static_cast<int>(i);
        if (last_template >= 0 && last_table >= 0) break;
      }
      if (last_template >= 0 && (last_table < 0 || last_template > last_table)) {
        place = {stack_[last_template].node, nullptr};
      } else if (last_table < 0) {
        place = {stack_[0].node, nullptr};
      } else if (Node* table = stack_[last_table].node; table->parent != nullptr) {
        place = {table->parent, table};
      } else {
        place = {stack_[last_table > 0 ? last_table - 1 : 0].node, nullptr};
      }
    }
    if (place.parent->template_content != nullptr && place.before == nullptr) {
      place.parent = place.parent->template_content;
    }
    return place;
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

  // Attributes with the spec's foreign-content name adjustments (a copy in
  // the arena when a name changes).
  void AdjustForeignAttributes(Token* t, Ns ns) {
    if (t->num_attrs == 0) return;
    Attribute* copy = nullptr;
    for (uint32_t i = 0; i < t->num_attrs; ++i) {
      std::string_view name = t->attrs[i].name;
      std::string_view adjusted = name;
      if (ns == Ns::kSvg) {
        adjusted = Adjusted(kSvgAttrNames, name);
      } else if (ns == Ns::kMathMl && name == "definitionurl") {
        adjusted = "definitionURL";
      }
      if (adjusted.data() == name.data()) continue;
      if (copy == nullptr) {
        copy = arena_->NewArray<Attribute>(t->num_attrs);
        std::copy(t->attrs, t->attrs + t->num_attrs, copy);
        t->attrs = copy;
      }
      copy[i].name = adjusted;
    }
  }

  Node* CreateElement(const Token& t, Ns ns) {
    Tag tag = T::kUnknown;
    std::string_view name = t.name;
    if (ns == Ns::kHtml) {
      tag = t.tag;
    } else if (ns == Ns::kSvg) {
      if (name == "svg") {
        tag = T::kSvg;
      } else {
        name = Adjusted(kSvgTagNames, name);
      }
    } else if (name == "math") {
      tag = T::kMath;
    }
    Node* n = NewNode(NodeType::kElement, tag, name);
    if (n == nullptr) return nullptr;
    n->ns = ns;
    n->attrs = t.attrs;
    n->num_attrs = t.num_attrs;
    if (tag == T::kTemplate && ns == Ns::kHtml) {
      n->template_content = NewNode(NodeType::kFragment, T::kUnknown, {}, true);
    }
    return n;
  }

  // A clone for the formatting-element steps; null past the clone budget
  // or the node cap.
  Node* Clone(const Node* src) {
    if (clone_budget_ == 0) {
      dom_->truncated_ = true;
      return nullptr;
    }
    Node* n = NewNode(NodeType::kElement, src->tag, src->name);
    if (n == nullptr) return nullptr;
    --clone_budget_;
    n->ns = src->ns;
    n->attrs = src->attrs;
    n->num_attrs = src->num_attrs;
    return n;
  }

  bool Push(Node* n) {
    if (stack_.size() >= options_.max_depth) {
      dom_->truncated_ = true;
      return false;
    }
    stack_.push_back({n, n->tag, n->ns});
    if (n->ns == Ns::kHtml) ++open_count_[static_cast<size_t>(n->tag)];
    return true;
  }

  void PushForce(Node* n) {
    stack_.push_back({n, n->tag, n->ns});
    if (n->ns == Ns::kHtml) ++open_count_[static_cast<size_t>(n->tag)];
  }

  void Pop() {
    if (stack_.empty()) return;
    const Open& o = stack_.back();
    if (o.ns == Ns::kHtml) {
      --open_count_[static_cast<size_t>(o.tag)];
      if (o.tag == T::kOption && !selectedcontent_.empty()) OptionPopped(o.node);
    }
    stack_.pop_back();
  }

  void EraseFromStack(size_t i) {
    if (stack_[i].ns == Ns::kHtml) {
      --open_count_[static_cast<size_t>(stack_[i].tag)];
      if (stack_[i].tag == T::kOption && !selectedcontent_.empty()) OptionPopped(stack_[i].node);
    }
    stack_.erase(stack_.begin() + i);
  }

  // ---- <selectedcontent> -------------------------------------------------
  // A <select> whose <button> holds a <selectedcontent> shows a copy of the
  // selected <option>'s content there: when an option leaves the stack of
  // open elements and it is the selected one (it has `selected`, or it is
  // the first option and none so far has), its children are cloned into
  // the select's first <selectedcontent> (replacing what was there).

  static Node* NearestSelect(const Node* n) {
    for (Node* p = n->parent; p != nullptr; p = p->parent) {
      if (!p->is_html()) continue;
      if (p->tag == T::kSelect) return p;
      if (p->tag == T::kDatalist || p->tag == T::kHr || p->tag == T::kOption) return nullptr;
    }
    return nullptr;
  }

  void SelectedContentInserted(Node* n) {
    Node* select = NearestSelect(n);
    if (select == nullptr) return;
    bool multiple = false;
    select->Attr("multiple", &multiple);
    if (multiple) return;
    selectedcontent_.try_emplace(select, SelectState{n, false, false});
  }

  void OptionPopped(Node* option) {
    Node* select = NearestSelect(option);
    if (select == nullptr) return;
    auto it = selectedcontent_.find(select);
    if (it == selectedcontent_.end()) return;
    SelectState& st = it->second;
    bool explicit_selected = false;
    option->Attr("selected", &explicit_selected);
    bool first = !st.seen_option;
    st.seen_option = true;
    if (explicit_selected) {
      st.seen_selected = true;
    } else if (!first || st.seen_selected) {
      return;
    }
    Node* target = st.selectedcontent;
    while (target->first_child) Detach(target->first_child);
    CloneChildren(option, target);
  }

  // Deep copy of `from`'s children under `to`, iterative, within the clone
  // budget.
  void CloneChildren(const Node* from, Node* to) {
    struct Item {
      const Node* src;
      Node* dst_parent;
    };
    std::vector<Item> todo;
    for (const Node* c = from->last_child; c; c = c->prev_sibling) todo.push_back({c, to});
    while (!todo.empty()) {
      Item it = todo.back();
      todo.pop_back();
      if (clone_budget_ == 0) {
        dom_->truncated_ = true;
        return;
      }
      Node* n = NewNode(it.src->type, it.src->tag, it.src->name);
      if (n == nullptr) return;
      --clone_budget_;
      n->ns = it.src->ns;
      n->text = it.src->text;
      n->attrs = it.src->attrs;
      n->num_attrs = it.src->num_attrs;
      if (it.src == pending_node_) n->text = arena_->Copy(pending_buf_);
      Append(it.dst_parent, n);
      for (const Node* c = it.src->last_child; c; c = c->prev_sibling) todo.push_back({c, n});
    }
  }

  // Inserts an element for `t` in namespace `ns` at the appropriate place;
  // returns it, or null when a limit dropped it. `*pushed` tells whether it
  // went on the stack.
  Node* InsertElement(const Token& t, Ns ns = Ns::kHtml, bool push = true, bool* pushed = nullptr) {
    if (pushed) *pushed = false;
    Node* n = CreateElement(t, ns);
    if (n == nullptr) return nullptr;
    Place p = AppropriatePlace();
    InsertBefore(p.parent, n, p.before);
    if (push) {
      bool ok = Push(n);
      if (pushed) *pushed = ok;
    }
    if (n->tag == T::kUnknown && ns == Ns::kHtml && n->name == "selectedcontent") {
      SelectedContentInserted(n);
    }
    return n;
  }

  Node* InsertPhantom(Tag tag, bool* pushed) {
    Token t;
    t.type = TokenType::kStartTag;
    t.name = kTagNames[static_cast<size_t>(tag)];
    t.tag = tag;
    return InsertElement(t, Ns::kHtml, true, pushed);
  }

  // Adds the token's attributes that `n` lacks (a second <html> or <body>).
  void AddMissingAttributes(Node* n, const Token& t) {
    if (t.num_attrs == 0) return;
    std::vector<Attribute> add;
    for (uint32_t i = 0; i < t.num_attrs; ++i) {
      bool found = false;
      n->Attr(t.attrs[i].name, &found);
      if (!found && n->num_attrs + add.size() < options_.max_attributes) add.push_back(t.attrs[i]);
    }
    if (add.empty()) return;
    Attribute* a = arena_->NewArray<Attribute>(n->num_attrs + add.size());
    std::copy(n->attrs, n->attrs + n->num_attrs, a);
    std::copy(add.begin(), add.end(), a + n->num_attrs);
    n->attrs = a;
    n->num_attrs += static_cast<uint32_t>(add.size());
  }

  // ---- stack queries ---------------------------------------------------

  static bool IsMathMlTextIp(const Open& e) {
    if (e.ns != Ns::kMathMl) return false;
    std::string_view n = e.node->name;
    return n == "mi" || n == "mo" || n == "mn" || n == "ms" || n == "mtext";
  }

  static bool IsHtmlIp(const Open& e) {
    std::string_view n = e.node->name;
    if (e.ns == Ns::kMathMl) {
      if (n != "annotation-xml") return false;
      std::string_view enc = e.node->Attr("encoding");
      return EqualsLower(enc, "text/html") || EqualsLower(enc, "application/xhtml+xml");
    }
    if (e.ns == Ns::kSvg) return n == "foreignObject" || n == "desc" || n == "title";
    return false;
  }

  // Special foreign elements (also the default scope's foreign boundaries).
  static bool IsSpecialForeign(const Open& e) {
    std::string_view n = e.node->name;
    if (e.ns == Ns::kMathMl) {
      return n == "mi" || n == "mo" || n == "mn" || n == "ms" || n == "mtext" ||
             n == "annotation-xml";
    }
    return n == "foreignObject" || n == "desc" || n == "title";
  }

  static bool IsSpecial(const Open& e) {
    return e.ns == Ns::kHtml ? IsSpecialHtml(e.tag) : IsSpecialForeign(e);
  }

  static bool IsScopeBoundary(const Open& e, Scope s) {
    if (e.ns == Ns::kHtml) {
      switch (e.tag) {
        case T::kHtml: case T::kTable: case T::kTemplate:
          return true;
        case T::kApplet: case T::kCaption: case T::kTd: case T::kTh: case T::kMarquee:
        case T::kObject: case T::kSelect:
          return s != Scope::kTable;
        case T::kOl: case T::kUl:
          return s == Scope::kListItem;
        case T::kButton:
          return s == Scope::kButton;
        default:
          return false;
      }
    }
    if (s == Scope::kTable) return false;
    return IsSpecialForeign(e);
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

  void GenerateImpliedEndTags(Tag except = T::kCount, bool thorough = false) {
    while (!stack_.empty()) {
      const Open& e = stack_.back();
      if (e.ns != Ns::kHtml || e.tag == except || !IsImpliedEnd(e.tag, e.node->name, thorough)) {
        return;
      }
      Pop();
    }
  }

  void GenerateImpliedEndTagsExceptName(std::string_view name) {
    while (!stack_.empty()) {
      const Open& e = stack_.back();
      if (e.ns != Ns::kHtml || e.node->name == name || !IsImpliedEnd(e.tag, e.node->name, false)) {
        return;
      }
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
    size_t earliest = 0, after_marker = 0;
    for (size_t i = formatting_.size(); i-- > 0;) {
      Node* f = formatting_[i];
      if (f == nullptr) break;
      ++after_marker;
      if (f->tag == n->tag && f->name == n->name && SameAttributes(f, n)) {
        ++count;
        earliest = i;
      }
    }
    if (count >= 3) {
      formatting_.erase(formatting_.begin() + earliest);
      --after_marker;
    }
    // Not in the spec: at most max_active_formatting entries after the last marker
    // (the oldest goes), so that every scan of the list is bounded and one
    // reconstruction clones at most that many elements.
    if (after_marker >= options_.max_active_formatting && after_marker > 0) {
      formatting_.erase(formatting_.end() - static_cast<ptrdiff_t>(after_marker));
    }
    formatting_.push_back(n);
  }

  int FormattingIndex(const Node* n) const {
    for (size_t i = formatting_.size(); i-- > 0;) {
      if (formatting_[i] == n) return static_cast<int>(i);
    }
    return -1;
  }

  // Whether a formatting-list entry is on the stack of open elements (a
  // per-tag count answers "no" without a scan in the common case).
  bool IsOpen(const Node* e) const {
    if (e->ns == Ns::kHtml && open_count_[static_cast<size_t>(e->tag)] == 0) return false;
    return StackIndex(e) >= 0;
  }

  // The test for an empty list inline (most text and tags meet one); the
  // rest out of line.
  void ReconstructFormatting() {
    if (!formatting_.empty()) ReconstructFormattingNonEmpty();
  }
  __attribute__((noinline)) void ReconstructFormattingNonEmpty() {
    Node* last = formatting_.back();
    if (last == nullptr || IsOpen(last)) return;
    if (clone_budget_ == 0) {
      dom_->truncated_ = true;
      return;
    }
    // No more entries than fit under max_depth are reconstructed (the rest
    // could not be pushed), which also bounds the scan.
    size_t room = stack_.size() < options_.max_depth ? options_.max_depth - stack_.size() : 1;
    size_t i = formatting_.size() - 1;
    while (i > 0 && formatting_.size() - i < room) {
      Node* e = formatting_[i - 1];
      if (e == nullptr || IsOpen(e)) break;
      --i;
    }
    for (; i < formatting_.size(); ++i) {
      Node* n = Clone(formatting_[i]);
      if (n == nullptr) return;
      Place p = AppropriatePlace();
      InsertBefore(p.parent, n, p.before);
      if (!Push(n)) {
        // Too deep: stop reconstructing (the entries would only be cloned again).
        formatting_.erase(formatting_.begin() + i, formatting_.end());
        return;
      }
      formatting_[i] = n;
    }
  }

  // The adoption agency algorithm. Returns false when the token must be
  // handled as "any other end tag".
  bool AdoptionAgency(std::string_view subject_name, Tag subject) {
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
        if (IsSpecial(stack_[i])) {
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
      stack_.insert(stack_.begin() + fb + 1, Open{ne, ne->tag, ne->ns});
      if (ne->ns == Ns::kHtml) ++open_count_[static_cast<size_t>(ne->tag)];
    }
    (void)subject_name;
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
      if (IsSpecial(e)) return;
    }
  }

  // ---- insertion modes -----------------------------------------------------

  void ResetInsertionMode() {
    for (size_t i = stack_.size(); i-- > 0;) {
      bool last = i == 0;
      const Open& e = last && fragment_ctx_set() ? context_open_ : stack_[i];
      if (e.ns == Ns::kHtml) {
        switch (e.tag) {
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
          case T::kTemplate:
            mode_ = template_modes_.empty() ? Mode::kInBody : template_modes_.back();
            return;
          case T::kHead:
            if (!last) {
              mode_ = Mode::kInHead;
              return;
            }
            break;
          case T::kBody: mode_ = Mode::kInBody; return;
          case T::kFrameset: mode_ = Mode::kInFrameset; return;
          case T::kHtml: mode_ = dom_->head_ ? Mode::kAfterHead : Mode::kBeforeHead; return;
          default: break;
        }
      }
      if (last) break;
    }
    mode_ = Mode::kInBody;
  }

  bool fragment_ctx_set() const { return context_ != nullptr; }

  // Whether the token is processed by the rules for foreign content (the
  // tree construction dispatcher).
  bool UseForeignRules(const Token& t) const {
    const Open* e = AdjustedCurrent();
    if (e == nullptr || e->ns == Ns::kHtml) return false;
    if (t.type == TokenType::kEof) return false;
    bool start = t.type == TokenType::kStartTag;
    bool chars = t.type == TokenType::kCharacter;
    if (IsMathMlTextIp(*e)) {
      if (start && t.name != "mglyph" && t.name != "malignmark") return false;
      if (chars) return false;
    }
    if (e->ns == Ns::kMathMl && e->node->name == "annotation-xml" && start && t.name == "svg") {
      return false;
    }
    if (IsHtmlIp(*e) && (start || chars)) return false;
    return true;
  }

  void Process(Token* t) {
    // A token is reprocessed at most a few times (each time in a new mode);
    // the cap only guards against a bug turning into a hang.
    for (int i = 0; i < 16; ++i) {
      // "in body" takes most tokens: called directly, not through
      // Dispatch's switch (whose prologue saves the registers of every mode
      // inlined into it).
      bool again = UseForeignRules(*t) ? InForeign(t) : mode_ == Mode::kInBody ? InBody(t) : Dispatch(t);
      if (!again) return;
    }
  }

  // Removes U+0000 from a character token (ignored in HTML content), or
  // replaces it with U+FFFD (foreign content).
  void FixNuls(Token* t, bool replace) {
    if (t->has_nul) [[unlikely]] FixNulsSlow(t, replace);
  }

  void FixNulsSlow(Token* t, bool replace) {
    std::string out;
    out.reserve(t->data.size());
    for (char c : t->data) {
      if (c != '\0') {
        out.push_back(c);
      } else if (replace) {
        out.append("\xEF\xBF\xBD");
      }
    }
    t->data = arena_->Copy(out);
    t->has_nul = false;
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
      case Mode::kInTemplate: return InTemplate(t);
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
        if (n) {
          int k = (t->has_public_id ? 1 : 0) + (t->has_system_id ? 1 : 0);
          if (k > 0) {
            Attribute* a = arena_->NewArray<Attribute>(k);
            int j = 0;
            if (t->has_public_id) a[j++] = {"public", t->public_id};
            if (t->has_system_id) a[j++] = {"system", t->system_id};
            n->attrs = a;
            n->num_attrs = static_cast<uint32_t>(k);
          }
          Append(dom_->document_, n);
        }
        dom_->quirks_ = DoctypeQuirks(*t);
        mode_ = Mode::kBeforeHtml;
        return false;
      }
      default:
        break;
    }
    dom_->quirks_ = QuirksMode::kQuirks;  // no doctype
    mode_ = Mode::kBeforeHtml;
    return true;
  }

  // The spec's quirks / limited-quirks doctypes (what quirks mode changes
  // in the tree: <table> does not close an open <p>).
  static QuirksMode DoctypeQuirks(const Token& t) {
    if (t.force_quirks || t.name != "html") return QuirksMode::kQuirks;
    std::string_view pub = t.has_public_id ? t.public_id : std::string_view();
    std::string_view sys = t.system_id;
    if (t.has_system_id &&
        EqualsLower(sys, "http://www.ibm.com/data/dtd/v11/ibmxhtml1-transitional.dtd")) {
      return QuirksMode::kQuirks;
    }
    if (!t.has_public_id) return QuirksMode::kNoQuirks;
    if (EqualsLower(pub, "-//w3o//dtd w3 html strict 3.0//en//") ||
        EqualsLower(pub, "-/w3c/dtd html 4.0 transitional/en") || EqualsLower(pub, "html")) {
      return QuirksMode::kQuirks;
    }
    for (std::string_view p : kQuirksPublicPrefixes) {
      if (StartsWithLower(pub, p)) return QuirksMode::kQuirks;
    }
    bool html401 = StartsWithLower(pub, "-//w3c//dtd html 4.01 frameset//") ||
                   StartsWithLower(pub, "-//w3c//dtd html 4.01 transitional//");
    if (html401 && !t.has_system_id) return QuirksMode::kQuirks;
    if (html401 || StartsWithLower(pub, "-//w3c//dtd xhtml 1.0 frameset//") ||
        StartsWithLower(pub, "-//w3c//dtd xhtml 1.0 transitional//")) {
      return QuirksMode::kLimitedQuirks;
    }
    return QuirksMode::kNoQuirks;
  }

  void CreateHtml(const Token* t) {
    Node* n = NewNode(NodeType::kElement, T::kHtml, kTagNames[static_cast<size_t>(T::kHtml)], true);
    if (t) {
      n->attrs = t->attrs;
      n->num_attrs = t->num_attrs;
    }
    Append(dom_->document_, n);
    PushForce(n);
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
        if (t->tag == T::kHtml) {
          CreateHtml(t);
          mode_ = Mode::kBeforeHead;
          return false;
        }
        break;
      case TokenType::kEndTag:
        if (t->tag != T::kHead && t->tag != T::kBody && t->tag != T::kHtml && t->tag != T::kBr) {
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
    PushForce(n);
    dom_->head_ = n;
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
        if (t->tag == T::kHtml) return InBody(t);
        if (t->tag == T::kHead) {
          CreateHead(t);
          mode_ = Mode::kInHead;
          return false;
        }
        break;
      case TokenType::kEndTag:
        if (t->tag != T::kHead && t->tag != T::kBody && t->tag != T::kHtml && t->tag != T::kBr) {
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
    tok_.set_extra_end_tag(options_.noscript_ends_text && !options_.scripting &&
                                   state != ContentState::kScriptData && NoscriptOpen()
                               ? "noscript"
                               : "");
    text_target_ = n;
    text_pushed_ = pushed;
    original_mode_ = mode_;
    mode_ = Mode::kText;
  }

  bool InHead(Token* t) {
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
        switch (t->tag) {
          case T::kHtml:
            return InBody(t);
          case T::kBase: case T::kBasefont: case T::kBgsound: case T::kLink: case T::kMeta:
            InsertElement(*t, Ns::kHtml, false);
            return false;
          case T::kTitle:
            InsertTextElement(*t, ContentState::kRcdata);
            return false;
          case T::kNoscript:
            if (options_.scripting) {
              InsertTextElement(*t, ContentState::kRawtext);
            } else {
              bool pushed = false;
              InsertElement(*t, Ns::kHtml, true, &pushed);
              if (pushed) mode_ = Mode::kInHeadNoscript;
            }
            return false;
          case T::kNoframes: case T::kStyle:
            InsertTextElement(*t, ContentState::kRawtext);
            return false;
          case T::kScript:
            InsertTextElement(*t, ContentState::kScriptData);
            return false;
          case T::kTemplate: {
            bool pushed = false;
            InsertElement(*t, Ns::kHtml, true, &pushed);
            if (!pushed) return false;
            PushMarker();
            frameset_ok_ = false;
            mode_ = Mode::kInTemplate;
            template_modes_.push_back(Mode::kInTemplate);
            return false;
          }
          case T::kHead:
            return false;
          default:
            break;
        }
        break;
      case TokenType::kEndTag:
        switch (t->tag) {
          case T::kHead:
            Pop();
            mode_ = Mode::kAfterHead;
            return false;
          case T::kTemplate:
            if (!TemplateOpen()) return false;
            GenerateImpliedEndTags(T::kCount, true);
            PopUntil(T::kTemplate);
            ClearFormattingToMarker();
            if (!template_modes_.empty()) template_modes_.pop_back();
            ResetInsertionMode();
            return false;
          case T::kBody: case T::kHtml: case T::kBr:
            break;
          default:
            return false;
        }
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
    PushForce(n);
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
        switch (t->tag) {
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
            PushForce(head);
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
        tok_.set_extra_end_tag("");
        return true;
      case TokenType::kEndTag:
        if (text_pushed_ && Current() == text_target_) Pop();
        mode_ = original_mode_;
        tok_.set_extra_end_tag("");
        // </noscript> ending the text (ParseOptions::noscript_ends_text):
        // it closes the noscript too, in the original mode.
        return t->tag == T::kNoscript && text_target_ && text_target_->tag != T::kNoscript;
      default:
        return false;
    }
  }

  bool NoscriptOpen() const {
    for (const Open& o : stack_) {
      if (o.tag == T::kNoscript) return true;
    }
    return false;
  }

  bool InBody(Token* t) {
    switch (t->type) {
      case TokenType::kCharacter: {
        FixNuls(t, false);
        if (t->data.empty()) return false;
        ReconstructFormatting();
        InsertText(t->data);
        if (frameset_ok_ && !AllWs(t->data)) frameset_ok_ = false;
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
        if (!template_modes_.empty()) return InTemplate(t);
        return false;
      default:
        return false;
    }
  }

  bool SelectInScope() const { return InScope(T::kSelect, Scope::kDefault); }

  bool ContextIs(Tag tag) const {
    return context_ != nullptr && context_->ns == Ns::kHtml && context_->tag == tag;
  }

  bool InBodyStart(Token* t) {
    Tag tag = t->tag;
    switch (tag) {
      case T::kHtml:
        if (!TemplateOpen() && !stack_.empty()) AddMissingAttributes(stack_[0].node, *t);
        return false;
      case T::kBase: case T::kBasefont: case T::kBgsound: case T::kLink: case T::kMeta:
      case T::kNoframes: case T::kScript: case T::kStyle: case T::kTemplate: case T::kTitle:
        return InHead(t);
      case T::kBody:
        if (stack_.size() < 2 || !(stack_[1].ns == Ns::kHtml && stack_[1].tag == T::kBody) ||
            TemplateOpen()) {
          return false;
        }
        frameset_ok_ = false;
        AddMissingAttributes(stack_[1].node, *t);
        return false;
      case T::kFrameset: {
        if (stack_.size() < 2 || !(stack_[1].ns == Ns::kHtml && stack_[1].tag == T::kBody)) {
          return false;
        }
        if (!frameset_ok_) return false;
        Detach(stack_[1].node);
        while (stack_.size() > 1) Pop();
        bool pushed = false;
        Node* n = InsertElement(*t, Ns::kHtml, true, &pushed);
        if (n && !fragment_) dom_->body_ = n;
        mode_ = Mode::kInFrameset;
        return false;
      }
      case T::kAddress: case T::kArticle: case T::kAside: case T::kBlockquote: case T::kCenter:
      case T::kDetails: case T::kDialog: case T::kDir: case T::kDiv: case T::kDl:
      case T::kFieldset: case T::kFigcaption: case T::kFigure: case T::kFooter: case T::kHeader:
      case T::kHgroup: case T::kMain: case T::kMenu: case T::kNav: case T::kOl: case T::kP:
      case T::kSearch: case T::kSection: case T::kSummary: case T::kUl:
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
        if (form_ != nullptr && !TemplateOpen()) return false;
        ClosePIfInButtonScope();
        bool pushed = false;
        Node* n = InsertElement(*t, Ns::kHtml, true, &pushed);
        if (pushed && !TemplateOpen()) form_ = n;
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
          if (IsSpecial(e) &&
              !(e.ns == Ns::kHtml &&
                (e.tag == T::kAddress || e.tag == T::kDiv || e.tag == T::kP))) {
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
            if (!AdoptionAgency(end.name, T::kA)) AnyOtherEndTag(end);
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
          if (!AdoptionAgency(end.name, T::kNobr)) AnyOtherEndTag(end);
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
        if (dom_->quirks_ != QuirksMode::kQuirks) ClosePIfInButtonScope();
        bool pushed = false;
        InsertElement(*t, Ns::kHtml, true, &pushed);
        frameset_ok_ = false;
        if (pushed) mode_ = Mode::kInTable;
        return false;
      }
      case T::kArea: case T::kBr: case T::kEmbed: case T::kImg: case T::kKeygen: case T::kWbr:
        ReconstructFormatting();
        InsertElement(*t, Ns::kHtml, false);
        frameset_ok_ = false;
        return false;
      case T::kInput: {
        if (ContextIs(T::kSelect)) return false;
        if (SelectInScope()) PopUntil(T::kSelect);
        ReconstructFormatting();
        InsertElement(*t, Ns::kHtml, false);
        std::string_view type = FindAttr(*t, "type");
        if (!EqualsLower(type, "hidden")) frameset_ok_ = false;
        return false;
      }
      case T::kImage:
        t->name = "img";
        t->tag = T::kImg;
        return InBodyStart(t);
      case T::kParam: case T::kSource: case T::kTrack:
        InsertElement(*t, Ns::kHtml, false);
        return false;
      case T::kHr:
        ClosePIfInButtonScope();
        if (SelectInScope()) GenerateImpliedEndTags();
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
      case T::kNoscript:
        if (options_.scripting) {
          InsertTextElement(*t, ContentState::kRawtext);
          return false;
        }
        ReconstructFormatting();
        InsertElement(*t);
        return false;
      case T::kSelect:
        if (ContextIs(T::kSelect)) return false;
        if (SelectInScope()) {
          PopUntil(T::kSelect);
          return false;
        }
        ReconstructFormatting();
        InsertElement(*t);
        frameset_ok_ = false;
        return false;
      case T::kOption:
        if (SelectInScope()) {
          GenerateImpliedEndTags(T::kOptgroup);
        } else if (CurrentIs(T::kOption)) {
          Pop();
        }
        ReconstructFormatting();
        InsertElement(*t);
        return false;
      case T::kOptgroup:
        if (SelectInScope()) {
          GenerateImpliedEndTags();
        } else if (CurrentIs(T::kOption)) {
          Pop();
        }
        ReconstructFormatting();
        InsertElement(*t);
        return false;
      case T::kRp: case T::kRt:
        if (InScope(T::kRuby, Scope::kDefault)) GenerateImpliedEndTagsExceptName("rtc");
        InsertElement(*t);
        return false;
      case T::kMath: case T::kSvg: {
        ReconstructFormatting();
        Ns ns = tag == T::kMath ? Ns::kMathMl : Ns::kSvg;
        AdjustForeignAttributes(t, ns);
        bool pushed = false;
        InsertElement(*t, ns, true, &pushed);
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
      case T::kCenter: case T::kDetails: case T::kDialog: case T::kDir: case T::kDiv: case T::kDl:
      case T::kFieldset: case T::kFigcaption: case T::kFigure: case T::kFooter: case T::kHeader:
      case T::kHgroup: case T::kListing: case T::kMain: case T::kMenu: case T::kNav: case T::kOl:
      case T::kPre: case T::kSearch: case T::kSection: case T::kSelect: case T::kSummary:
      case T::kUl:
        if (!InScope(tag, Scope::kDefault)) return false;
        GenerateImpliedEndTags();
        PopUntil(tag);
        return false;
      case T::kForm: {
        if (!TemplateOpen()) {
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
          bool pushed = false;
          InsertPhantom(T::kP, &pushed);
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
        if (!AdoptionAgency(t->name, tag)) AnyOtherEndTag(*t);
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

  // Anything else in table modes: in-body rules with foster parenting.
  bool FosterInBody(Token* t) {
    foster_parenting_ = true;
    bool again = InBody(t);
    foster_parenting_ = false;
    return again;
  }

  bool InTable(Token* t) {
    switch (t->type) {
      case TokenType::kCharacter: {
        const Open* cur = CurrentOpen();
        if (cur && cur->ns == Ns::kHtml && (IsTableContext(cur->tag) || cur->tag == T::kTemplate)) {
          // "in table text": NULs are dropped; whitespace stays, anything
          // else is fostered.
          FixNuls(t, false);
          if (AllWs(t->data)) {
            InsertText(t->data);
            return false;
          }
          return FosterInBody(t);
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
            bool pushed = false;
            InsertPhantom(T::kColgroup, &pushed);
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
            bool pushed = false;
            InsertPhantom(T::kTbody, &pushed);
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
            if (!EqualsLower(FindAttr(*t, "type"), "hidden")) break;
            InsertElement(*t, Ns::kHtml, false);
            return false;
          }
          case T::kForm:
            if (form_ != nullptr || TemplateOpen()) return false;
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
    return FosterInBody(t);
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
        bool pushed = false;
        InsertPhantom(T::kTr, &pushed);
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

  // ---- template --------------------------------------------------------------

  void SwitchTemplateMode(Mode m) {
    if (!template_modes_.empty()) template_modes_.pop_back();
    template_modes_.push_back(m);
    mode_ = m;
  }

  bool InTemplate(Token* t) {
    switch (t->type) {
      case TokenType::kCharacter:
      case TokenType::kComment:
      case TokenType::kDoctype:
        return InBody(t);
      case TokenType::kStartTag:
        switch (t->tag) {
          case T::kBase: case T::kBasefont: case T::kBgsound: case T::kLink: case T::kMeta:
          case T::kNoframes: case T::kScript: case T::kStyle: case T::kTemplate: case T::kTitle:
            return InHead(t);
          case T::kCaption: case T::kColgroup: case T::kTbody: case T::kTfoot: case T::kThead:
            SwitchTemplateMode(Mode::kInTable);
            return true;
          case T::kCol:
            SwitchTemplateMode(Mode::kInColumnGroup);
            return true;
          case T::kTr:
            SwitchTemplateMode(Mode::kInTableBody);
            return true;
          case T::kTd: case T::kTh:
            SwitchTemplateMode(Mode::kInRow);
            return true;
          default:
            SwitchTemplateMode(Mode::kInBody);
            return true;
        }
      case TokenType::kEndTag:
        if (t->tag == T::kTemplate) return InHead(t);
        return false;
      case TokenType::kEof:
        if (!TemplateOpen()) return false;
        PopUntil(T::kTemplate);
        ClearFormattingToMarker();
        if (!template_modes_.empty()) template_modes_.pop_back();
        ResetInsertionMode();
        return true;
      default:
        return false;
    }
  }

  // ---- after body / frameset ------------------------------------------------

  bool AfterBody(Token* t) {
    switch (t->type) {
      case TokenType::kCharacter:
        if (AllWs(t->data)) return InBody(t);
        break;
      case TokenType::kComment:
        InsertComment(*t, stack_.empty() ? dom_->html_ : stack_[0].node);
        return false;
      case TokenType::kDoctype:
        return false;
      case TokenType::kStartTag:
        if (t->tag == T::kHtml) return InBody(t);
        break;
      case TokenType::kEndTag:
        if (t->tag == T::kHtml) {
          if (!fragment_) mode_ = Mode::kAfterAfterBody;
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
        if (AllWs(t->data)) return InBody(t);
        break;
      case TokenType::kStartTag:
        if (t->tag == T::kHtml) return InBody(t);
        break;
      case TokenType::kEof:
        return false;
      default:
        break;
    }
    mode_ = Mode::kInBody;
    return true;
  }

  // Whitespace characters of `s` (frameset modes ignore the others).
  std::string_view WhitespaceOnly(std::string_view s) {
    if (AllWs(s)) return s;
    std::string ws;
    for (char c : s) {
      if (IsWsChar(c)) ws.push_back(c);
    }
    return ws.empty() ? std::string_view() : arena_->Copy(ws);
  }

  bool InFrameset(Token* t) {
    switch (t->type) {
      case TokenType::kCharacter:
        InsertText(WhitespaceOnly(t->data));
        return false;
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
        if (t->tag == T::kFrameset) {
          if (stack_.size() <= 1) return false;
          Pop();
          if (!fragment_ && !CurrentIs(T::kFrameset)) mode_ = Mode::kAfterFrameset;
        }
        return false;
      default:
        return false;
    }
  }

  bool AfterFrameset(Token* t) {
    switch (t->type) {
      case TokenType::kCharacter:
        InsertText(WhitespaceOnly(t->data));
        return false;
      case TokenType::kComment:
        InsertComment(*t);
        return false;
      case TokenType::kStartTag:
        if (t->tag == T::kHtml) return InBody(t);
        if (t->tag == T::kNoframes) return InHead(t);
        return false;
      case TokenType::kEndTag:
        if (t->tag == T::kHtml) mode_ = Mode::kAfterAfterFrameset;
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
        if (t->tag == T::kHtml) return InBody(t);
        if (t->tag == T::kNoframes) return InHead(t);
        return false;
      case TokenType::kCharacter: {
        std::string_view ws = WhitespaceOnly(t->data);
        if (ws.empty()) return false;
        t->data = ws;
        return InBody(t);
      }
      default:
        return false;
    }
  }

  // ---- foreign content -------------------------------------------------------

  bool InForeign(Token* t) {
    switch (t->type) {
      case TokenType::kCharacter: {
        bool non_ws = false;
        for (char c : t->data) {
          if (c != '\0' && !IsWsChar(c)) {
            non_ws = true;
            break;
          }
        }
        FixNuls(t, true);
        InsertText(t->data);
        if (non_ws) frameset_ok_ = false;
        return false;
      }
      case TokenType::kComment:
        InsertComment(*t);
        return false;
      case TokenType::kDoctype:
        return false;
      case TokenType::kStartTag: {
        Tag tag = t->tag;
        bool breakout = IsForeignBreakout(tag);
        if (tag == T::kFont) {  // <font> breaks out only with color, face or size
          breakout = false;
          for (uint32_t i = 0; i < t->num_attrs; ++i) {
            std::string_view n = t->attrs[i].name;
            if (n == "color" || n == "face" || n == "size") breakout = true;
          }
        }
        if (breakout) return BreakOut(t);
        Ns ns = AdjustedCurrent()->ns;
        AdjustForeignAttributes(t, ns);
        bool pushed = false;
        InsertElement(*t, ns, true, &pushed);
        if (pushed && t->self_closing) Pop();
        return false;
      }
      case TokenType::kEndTag: {
        if (t->tag == T::kBr || t->tag == T::kP) return BreakOut(t);
        for (size_t i = stack_.size(); i-- > 0;) {
          const Open& e = stack_[i];
          if (i + 1 < stack_.size() && e.ns == Ns::kHtml) return Dispatch(t);
          if (i == 0) return false;
          if (EqualsLower(e.node->name, t->name)) {
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

  // A start tag (or </br>, </p>) that ends foreign content: pops to the
  // nearest HTML element or integration point, then the HTML rules apply.
  bool BreakOut(Token* t) {
    while (!stack_.empty()) {
      const Open& e = stack_.back();
      if (e.ns == Ns::kHtml || IsMathMlTextIp(e) || IsHtmlIp(e)) break;
      Pop();
    }
    return Dispatch(t);
  }

  // ---- end of input ----------------------------------------------------------

  void Finish() {
    if (fragment_) {
      // The parsed nodes are the root <html>'s children.
      Node* frag = NewNode(NodeType::kFragment, T::kUnknown, {}, true);
      Node* root = dom_->document_->first_child;
      if (root) MoveChildren(root, frag);
      dom_->document_ = frag;
      dom_->html_ = dom_->head_ = dom_->body_ = nullptr;
      return;
    }
    // Limits (node cap, out of memory) can stop the spec's steps before the
    // skeleton exists; the API promises <html> and <head>.
    if (dom_->html_ == nullptr) CreateHtml(nullptr);
    if (dom_->head_ == nullptr) {
      Node* n = NewNode(NodeType::kElement, T::kHead, kTagNames[static_cast<size_t>(T::kHead)], true);
      InsertBefore(dom_->html_, n, dom_->html_->first_child);
      dom_->head_ = n;
    }
    if (dom_->body_ == nullptr) {
      Node* n = NewNode(NodeType::kElement, T::kBody, kTagNames[static_cast<size_t>(T::kBody)], true);
      Append(dom_->html_, n);
      dom_->body_ = n;
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
  std::vector<Mode> template_modes_;
  struct SelectState {
    Node* selectedcontent;
    bool seen_option;
    bool seen_selected;
  };
  std::unordered_map<Node*, SelectState> selectedcontent_;
  uint32_t open_count_[static_cast<size_t>(T::kCount) + 1] = {};
  uint64_t clone_budget_ = 0;
  Node* form_ = nullptr;
  Node* text_target_ = nullptr;
  Node* context_ = nullptr;  // fragment parsing: the context element
  Open context_open_{nullptr, T::kUnknown, Ns::kHtml};
  bool fragment_ = false;
  bool text_pushed_ = false;
  bool frameset_ok_ = true;
  bool foster_parenting_ = false;
  bool skip_newline_ = false;
  Node* pending_node_ = nullptr;
  std::string pending_buf_;
};

}  // namespace

std::unique_ptr<Dom> BuildTree(std::string_view html, const ParseOptions& options,
                               std::string_view context, Ns context_ns) {
  auto dom = std::make_unique<DomImpl>();
  try {
    TreeBuilder builder(dom.get(), html, options);
    if (!context.empty()) builder.SetFragmentContext(context, context_ns);
    builder.Run();
  } catch (const std::bad_alloc&) {
    // Out of memory mid-page: no exception crosses the API. Whatever tree
    // was built stays (it is consistent after every step), marked truncated;
    // if even the skeleton is missing, start over with an empty page.
    dom->truncated_ = true;
    bool skeleton = context.empty()
                        ? dom->html_ != nullptr && dom->head_ != nullptr && dom->body_ != nullptr
                        : dom->document_ != nullptr &&
                              dom->document_->type == NodeType::kFragment;
    if (!skeleton) {
      auto empty = std::make_unique<DomImpl>();
      TreeBuilder builder(empty.get(), std::string_view(), options);
      if (!context.empty()) builder.SetFragmentContext(context, context_ns);
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

std::unique_ptr<Dom> ParseFragment(std::string_view html, std::string_view context,
                                   Namespace context_ns, const ParseOptions& options) {
  if (context.empty()) context = "body";
  return internal::BuildTree(html, options, context, context_ns);
}

}  // namespace html
}  // namespace winnow
