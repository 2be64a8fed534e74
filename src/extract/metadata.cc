#include "extract/metadata.h"

#include <simdjson.h>

#include <string>

#include "extract/text_util.h"

namespace winnow {
namespace extract_internal {

namespace {

using html::Node;
using html::Tag;

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Text content of a node (for <title>), whitespace collapsed.
std::string NodeText(const Node* n) {
  std::string out;
  bool pending = false;
  // <title> holds only text in a conforming parse; walk children shallowly.
  for (const Node* c = n->first_child; c; c = c->next_sibling) {
    if (c->is_text()) AppendCollapsed(c->text, &out, &pending);
  }
  return out;
}

void SetIfEmpty(std::string* field, std::string_view value) {
  if (field->empty()) {
    std::string v = CollapseWhitespace(value);
    if (!v.empty()) *field = std::move(v);
  }
}

void AddAuthor(std::vector<std::string>* authors, std::string_view name) {
  std::string v = CollapseWhitespace(name);
  if (v.empty() || v.size() > 200) return;
  if (v.rfind("http://", 0) == 0 || v.rfind("https://", 0) == 0) return;
  for (const auto& a : *authors) {
    if (a == v) return;
  }
  authors->push_back(std::move(v));
}

bool IsProductType(simdjson::dom::element obj) {
  auto t = obj["@type"];
  if (t.error()) return false;
  auto product = [](std::string_view v) { return v == "Product" || v == "ProductGroup"; };
  if (t.is_string()) return product(t.get_string().value_unsafe());
  if (t.is_array()) {
    for (auto e : simdjson::dom::array(t.get_array().value_unsafe())) {
      if (e.is_string() && product(e.get_string().value_unsafe())) return true;
    }
  }
  return false;
}

bool IsArticleType(simdjson::dom::element obj) {
  auto t = obj["@type"];
  if (t.error()) return false;
  auto check = [](std::string_view s) {
    return s.find("Article") != std::string_view::npos ||
           s.find("BlogPosting") != std::string_view::npos ||
           s == "Report" || s == "WebPage" || s == "Posting" ||
           s.find("NewsArticle") != std::string_view::npos;
  };
  if (t.is_string()) return check(t.get_string().value_unsafe());
  if (t.is_array()) {
    for (auto e : simdjson::dom::array(t.get_array().value_unsafe())) {
      if (e.is_string() && check(e.get_string().value_unsafe())) return true;
    }
  }
  return false;
}

void ReadAuthorValue(simdjson::dom::element v, std::vector<std::string>* authors) {
  if (v.is_string()) {
    AddAuthor(authors, v.get_string().value_unsafe());
  } else if (v.is_object()) {
    auto name = v["name"];
    if (!name.error() && name.is_string()) AddAuthor(authors, name.get_string().value_unsafe());
  } else if (v.is_array()) {
    for (auto e : simdjson::dom::array(v.get_array().value_unsafe())) ReadAuthorValue(e, authors);
  }
}

void ReadJsonLdObject(simdjson::dom::element obj, PageMetadata* md, JsonLdInfo* ld, int depth) {
  if (depth > 8) return;
  if (obj.is_array()) {
    for (auto e : simdjson::dom::array(obj.get_array().value_unsafe())) ReadJsonLdObject(e, md, ld, depth + 1);
    return;
  }
  if (!obj.is_object()) return;
  auto graph = obj["@graph"];
  if (!graph.error()) ReadJsonLdObject(graph.value_unsafe(), md, ld, depth + 1);
  const bool article = IsArticleType(obj);
  auto str = [&](const char* key) -> std::string_view {
    auto v = obj[key];
    if (v.error() || !v.is_string()) return {};
    return v.get_string().value_unsafe();
  };
  if (article) {
    std::string_view body = str("articleBody");
    if (body.size() > ld->article_body.size()) ld->article_body = std::string(body);
    if (ld->headline.empty()) ld->headline = std::string(str("headline"));
    SetIfEmpty(&md->date, str("datePublished"));
    SetIfEmpty(&md->description, str("description"));
    if (md->authors.empty()) {
      auto a = obj["author"];
      if (!a.error()) ReadAuthorValue(a.value_unsafe(), &md->authors);
    }
    auto pub = obj["publisher"];
    if (!pub.error() && pub.is_object()) {
      auto name = pub["name"];
      if (!name.error() && name.is_string()) SetIfEmpty(&md->site_name, name.get_string().value_unsafe());
    }
  } else if (IsProductType(obj)) {
    ++ld->products;
    std::string_view d = str("description");
    if (d.size() > ld->product_description.size()) ld->product_description = std::string(d);
  } else {
    auto t = obj["@type"];
    if (!t.error() && t.is_string() && t.get_string().value_unsafe() == "WebSite") {
      SetIfEmpty(&md->site_name, str("name"));
    }
  }
}

}  // namespace

void ReadMetadata(const Node* html_node, const Node* head,
                  const std::vector<const Node*>& jsonld_scripts,
                  std::string_view url, PageMetadata* md, JsonLdInfo* ld) {
  if (html_node) {
    std::string lang = AsciiLower(Trim(html_node->Attr("lang")));
    if (lang.empty()) lang = AsciiLower(Trim(html_node->Attr("xml:lang")));
    md->language = lang;
  }
  std::string title_tag, og_title, og_site, og_desc, meta_desc, og_url, canonical,
      meta_date, meta_lang;
  if (head) {
    // Iterative walk of <head> (a broken page may nest deeply even there).
    std::vector<const Node*> stack;
    for (const Node* c = head->last_child; c; c = c->prev_sibling) stack.push_back(c);
    size_t visited = 0;
    while (!stack.empty() && visited < 100000) {
      const Node* n = stack.back();
      stack.pop_back();
      ++visited;
      if (!n->is_element()) continue;
      switch (n->tag) {
        case Tag::kTitle:
          if (title_tag.empty()) title_tag = NodeText(n);
          continue;
        case Tag::kMeta: {
          std::string_view content = n->Attr("content");
          std::string_view prop = n->Attr("property");
          std::string_view name = n->Attr("name");
          std::string_view itemprop = n->Attr("itemprop");
          std::string_view http_equiv = n->Attr("http-equiv");
          std::string_view key = !prop.empty() ? prop : (!name.empty() ? name : itemprop);
          if (IEquals(http_equiv, "content-language")) meta_lang = AsciiLower(Trim(content));
          if (key.empty() || content.empty()) continue;
          if (IEquals(key, "og:type")) {
            if (ld && ld->og_type.empty()) ld->og_type = AsciiLower(Trim(content));
          } else if (IEquals(key, "og:title") || IEquals(key, "twitter:title")) {
            if (og_title.empty()) og_title = CollapseWhitespace(content);
          } else if (IEquals(key, "og:site_name") || IEquals(key, "application-name")) {
            if (og_site.empty()) og_site = CollapseWhitespace(content);
          } else if (IEquals(key, "og:description") || IEquals(key, "twitter:description")) {
            if (og_desc.empty()) og_desc = CollapseWhitespace(content);
          } else if (IEquals(key, "description") || IEquals(key, "dc.description")) {
            if (meta_desc.empty()) meta_desc = CollapseWhitespace(content);
          } else if (IEquals(key, "og:url")) {
            if (og_url.empty()) og_url = std::string(Trim(content));
          } else if (IEquals(key, "author") || IEquals(key, "article:author") ||
                     IEquals(key, "dc.creator") || IEquals(key, "byl") ||
                     IEquals(key, "parsely-author") || IEquals(key, "sailthru.author")) {
            std::string_view v = Trim(content);
            if (v.rfind("By ", 0) == 0 || v.rfind("by ", 0) == 0) v.remove_prefix(3);
            AddAuthor(&md->authors, v);
          } else if (IEquals(key, "article:published_time") || IEquals(key, "datepublished") ||
                     IEquals(key, "dc.date") || IEquals(key, "dc.date.issued") ||
                     IEquals(key, "date") || IEquals(key, "pubdate") ||
                     IEquals(key, "publish-date") || IEquals(key, "og:published_time") ||
                     IEquals(key, "parsely-pub-date") || IEquals(key, "sailthru.date")) {
            if (meta_date.empty()) meta_date = CollapseWhitespace(content);
          }
          continue;
        }
        case Tag::kLink: {
          std::string_view rel = n->Attr("rel");
          if (IEquals(Trim(rel), "canonical") && canonical.empty()) {
            canonical = std::string(Trim(n->Attr("href")));
          }
          continue;
        }
        default:
          break;
      }
      for (const Node* c = n->last_child; c; c = c->prev_sibling) stack.push_back(c);
    }
  }
  if (!jsonld_scripts.empty()) {
    simdjson::dom::parser parser;
    for (const Node* s : jsonld_scripts) {
      std::string json;
      for (const Node* c = s->first_child; c; c = c->next_sibling) {
        if (c->is_text()) json.append(c->text);
      }
      if (json.empty() || json.size() > (8u << 20)) continue;
      auto doc = parser.parse(json);
      if (doc.error()) continue;
      ReadJsonLdObject(doc.value_unsafe(), md, ld, 0);
    }
  }
  if (md->title.empty()) md->title = !og_title.empty() ? og_title : title_tag;
  if (md->title.empty() && !ld->headline.empty()) md->title = CollapseWhitespace(ld->headline);
  SetIfEmpty(&md->site_name, og_site);
  SetIfEmpty(&md->description, !og_desc.empty() ? og_desc : meta_desc);
  SetIfEmpty(&md->date, meta_date);
  if (md->language.empty()) md->language = meta_lang;
  if (md->canonical_url.empty()) {
    md->canonical_url = !canonical.empty() ? canonical : (!og_url.empty() ? og_url : std::string(url));
  }
}

}  // namespace extract_internal
}  // namespace winnow
