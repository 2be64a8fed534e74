// DumpTree: the html5lib tree-construction format, for tests and debugging.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "winnow/html.h"

namespace winnow {
namespace html {
namespace {

// The html5lib "attribute name string": namespaced attributes of foreign
// elements are printed as "xlink href", "xml lang", "xmlns xlink".
std::string AttrName(const Node* element, std::string_view name) {
  if (element->ns != Namespace::kHtml) {
    if (name.size() > 6 && name.substr(0, 6) == "xlink:") {
      std::string_view local = name.substr(6);
      if (local == "actuate" || local == "arcrole" || local == "href" || local == "role" ||
          local == "show" || local == "title" || local == "type") {
        return "xlink " + std::string(local);
      }
    }
    if (name == "xml:lang" || name == "xml:space") return "xml " + std::string(name.substr(4));
    if (name == "xmlns") return "xmlns xmlns";
    if (name == "xmlns:xlink") return "xmlns xlink";
  }
  return std::string(name);
}

}  // namespace

std::string DumpTree(const Node* root) {
  std::string out;
  if (root == nullptr) return out;
  // Iterative pre-order walk. The root itself is printed only when it is an
  // element, text or comment; a document or fragment prints its children at
  // depth 0. A template's contents follow its attributes as "content".
  struct Item {
    const Node* node;
    int depth;
    bool content_label;  // the "content" line of a template
  };
  std::vector<Item> todo;
  auto push_children = [&todo](const Node* parent, int depth) {
    for (const Node* c = parent->last_child; c; c = c->prev_sibling) {
      todo.push_back({c, depth, false});
    }
  };
  if (root->type == NodeType::kDocument || root->type == NodeType::kFragment) {
    push_children(root, 0);
  } else {
    todo.push_back({root, 0, false});
  }
  std::vector<std::pair<std::string, std::string_view>> attrs;
  while (!todo.empty()) {
    Item it = todo.back();
    todo.pop_back();
    const Node* n = it.node;
    std::string indent = "| " + std::string(2 * it.depth, ' ');
    if (it.content_label) {
      out += indent + "content\n";
      push_children(n, it.depth + 1);
      continue;
    }
    switch (n->type) {
      case NodeType::kDocument:
      case NodeType::kFragment:
        break;
      case NodeType::kDoctype: {
        out += indent + "<!DOCTYPE " + std::string(n->name);
        std::string_view pub = n->Attr("public"), sys = n->Attr("system");
        if (!pub.empty() || !sys.empty()) {
          out += " \"" + std::string(pub) + "\" \"" + std::string(sys) + "\"";
        }
        out += ">\n";
        break;
      }
      case NodeType::kComment:
        out += indent + "<!-- " + std::string(n->text) + " -->\n";
        break;
      case NodeType::kText:
        out += indent + "\"" + std::string(n->text) + "\"\n";
        break;
      case NodeType::kElement: {
        const char* prefix =
            n->ns == Namespace::kSvg ? "svg " : n->ns == Namespace::kMathMl ? "math " : "";
        out += indent + "<" + prefix + std::string(n->name) + ">\n";
        attrs.clear();
        for (uint32_t i = 0; i < n->num_attrs; ++i) {
          attrs.emplace_back(AttrName(n, n->attrs[i].name), n->attrs[i].value);
        }
        std::sort(attrs.begin(), attrs.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        for (const auto& [name, value] : attrs) {
          out += indent + "  " + name + "=\"" + std::string(value) + "\"\n";
        }
        break;
      }
    }
    if (n->template_content != nullptr) {
      // Children of a template never exist (the parser inserts into its
      // contents), but print both if a caller built such a tree.
      push_children(n, it.depth + 1);
      todo.push_back({n->template_content, it.depth + 1, true});
    } else if (n->type != NodeType::kDocument && n->type != NodeType::kFragment) {
      push_children(n, it.depth + 1);
    }
  }
  return out;
}

}  // namespace html
}  // namespace winnow
