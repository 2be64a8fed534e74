// Helpers shared by the html tests and bench/html: reading the extraction
// sets (gzip JSONL, read with zlib + simdjson here because the io reader is
// its own stage) and the "visible body text" used to compare winnow's tree
// with gumbo's.
//
// Visible text: the text nodes under <body> (or <frameset>), skipping
// script, style, template, noscript, iframe, noembed, noframes subtrees,
// concatenated and with whitespace runs collapsed to one space.
#ifndef WINNOW_TESTS_HTML_HTML_TEST_UTIL_H_
#define WINNOW_TESTS_HTML_HTML_TEST_UTIL_H_

#include <gumbo.h>
#include <simdjson.h>
#include <zlib.h>

#include <string>
#include <string_view>
#include <vector>

#include "winnow/html.h"

namespace winnow {
namespace html {
namespace testing {

struct Page {
  std::string id;
  std::string html;
};

// Reads field `html` of every line of a .jsonl.gz file. Returns false (and
// sets *error) when the file cannot be read.
inline bool ReadPages(const std::string& path, std::vector<Page>* pages, std::string* error,
                      size_t max_pages = static_cast<size_t>(-1)) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) {
    *error = "cannot open " + path;
    return false;
  }
  gzbuffer(f, 1 << 20);
  std::string all;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof(buf))) > 0) all.append(buf, n);
  gzclose(f);
  simdjson::dom::parser parser;
  size_t pos = 0;
  while (pos < all.size() && pages->size() < max_pages) {
    size_t end = all.find('\n', pos);
    if (end == std::string::npos) end = all.size();
    std::string_view line(all.data() + pos, end - pos);
    pos = end + 1;
    if (line.empty()) continue;
    simdjson::dom::element doc;
    if (parser.parse(line.data(), line.size(), true).get(doc)) {
      // simdjson needs padding: parse from a padded copy.
      simdjson::padded_string padded(line);
      if (parser.parse(padded).get(doc)) continue;
    }
    std::string_view html, id;
    if (doc["html"].get_string().get(html)) continue;
    if (doc["id"].get_string().get(id)) id = {};
    pages->push_back(Page{std::string(id), std::string(html)});
  }
  return true;
}

inline void AppendCollapsed(std::string* out, std::string_view s) {
  for (char c : s) {
    bool ws = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
    if (ws) {
      if (!out->empty() && out->back() != ' ') out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
}

inline void TrimTrailing(std::string* s) {
  while (!s->empty() && s->back() == ' ') s->pop_back();
}

inline bool SkippedTag(Tag t) {
  return t == Tag::kScript || t == Tag::kStyle || t == Tag::kTemplate || t == Tag::kNoscript ||
         t == Tag::kIframe || t == Tag::kNoembed || t == Tag::kNoframes;
}

inline std::string VisibleText(const Dom& dom) {
  std::string out;
  const Node* body = dom.body();
  if (body == nullptr) return out;
  std::vector<const Node*> todo{body};
  while (!todo.empty()) {
    const Node* n = todo.back();
    todo.pop_back();
    if (n->type == NodeType::kText) {
      AppendCollapsed(&out, n->text);
      continue;
    }
    if (n->type != NodeType::kElement || SkippedTag(n->tag)) continue;
    for (const Node* c = n->last_child; c; c = c->prev_sibling) todo.push_back(c);
  }
  TrimTrailing(&out);
  return out;
}

inline bool GumboSkipped(const GumboNode* n) {
  if (n->type == GUMBO_NODE_TEMPLATE) return true;
  if (n->type != GUMBO_NODE_ELEMENT) return false;
  if (n->v.element.tag_namespace != GUMBO_NAMESPACE_HTML) return false;
  switch (n->v.element.tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_NOEMBED: case GUMBO_TAG_NOFRAMES: case GUMBO_TAG_TEMPLATE:
      return true;
    default:
      return false;
  }
}

inline std::string GumboVisibleText(const GumboOutput* output) {
  std::string out;
  const GumboNode* body = nullptr;
  const GumboVector& kids = output->root->v.element.children;
  for (unsigned i = 0; i < kids.length; ++i) {
    const GumboNode* c = static_cast<const GumboNode*>(kids.data[i]);
    if (c->type == GUMBO_NODE_ELEMENT &&
        (c->v.element.tag == GUMBO_TAG_BODY || c->v.element.tag == GUMBO_TAG_FRAMESET)) {
      body = c;
      break;
    }
  }
  if (body == nullptr) return out;
  std::vector<const GumboNode*> todo{body};
  while (!todo.empty()) {
    const GumboNode* n = todo.back();
    todo.pop_back();
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
        n->type == GUMBO_NODE_CDATA) {
      AppendCollapsed(&out, n->v.text.text);
      continue;
    }
    if (n->type != GUMBO_NODE_ELEMENT || GumboSkipped(n)) continue;
    const GumboVector& ch = n->v.element.children;
    for (unsigned i = ch.length; i-- > 0;) todo.push_back(static_cast<const GumboNode*>(ch.data[i]));
  }
  TrimTrailing(&out);
  return out;
}

inline std::string GumboVisibleText(std::string_view html) {
  GumboOutput* output = gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
  std::string text = GumboVisibleText(output);
  gumbo_destroy_output(&kGumboDefaultOptions, output);
  return text;
}

// Gumbo 0.10 replaces control characters (C0 except whitespace, DEL, C1) and
// noncharacters in text by U+FFFD; the WHATWG spec (and winnow) keep them
// (they are parse errors only). This applies gumbo's replacement to a
// winnow text so the two can be compared on everything else.
inline std::string GumboLikeControls(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + len > s.size()) len = 1;
    uint32_t cp = c;
    if (len == 2) cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
    if (len == 3) cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
    if (len == 4) {
      cp = ((c & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) |
           (s[i + 3] & 0x3F);
    }
    bool bad = (cp >= 0x01 && cp <= 0x08) || cp == 0x0B || (cp >= 0x0E && cp <= 0x1F) ||
               (cp >= 0x7F && cp <= 0x9F) || (cp >= 0xFDD0 && cp <= 0xFDEF) ||
               (len > 1 && (cp & 0xFFFE) == 0xFFFE);
    if (bad) {
      out.append("\xEF\xBF\xBD");
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
  return out;
}

inline std::string SharedDir() {
#ifdef WINNOW_SHARED_DIR
  return WINNOW_SHARED_DIR;
#else
  return "../shared";
#endif
}

}  // namespace testing
}  // namespace html
}  // namespace winnow

#endif  // WINNOW_TESTS_HTML_HTML_TEST_UTIL_H_
