// DumpTree: the html5lib tree-construction format, for tests and debugging.
#include <algorithm>
#include <string>
#include <vector>

#include "winnow/html.h"

namespace winnow {
namespace html {

std::string DumpTree(const Node* root) {
  std::string out;
  if (root == nullptr) return out;
  // Iterative pre-order walk; depth counted from root's children (root itself
  // is printed only when it is not the document).
  struct Item {
    const Node* node;
    int depth;
  };
  std::vector<Item> todo;
  int base = root->type == NodeType::kDocument ? 0 : 1;
  if (root->type == NodeType::kDocument) {
    for (const Node* c = root->last_child; c; c = c->prev_sibling) todo.push_back({c, 0});
  } else {
    todo.push_back({root, 0});
  }
  std::vector<const Attribute*> attrs;
  while (!todo.empty()) {
    Item it = todo.back();
    todo.pop_back();
    const Node* n = it.node;
    std::string indent = "| " + std::string(2 * it.depth, ' ');
    switch (n->type) {
      case NodeType::kDocument:
        break;
      case NodeType::kDoctype:
        out += indent + "<!DOCTYPE " + std::string(n->name) + ">\n";
        break;
      case NodeType::kComment:
        out += indent + "<!-- " + std::string(n->text) + " -->\n";
        break;
      case NodeType::kText:
        out += indent + "\"" + std::string(n->text) + "\"\n";
        break;
      case NodeType::kElement: {
        out += indent + "<" + std::string(n->name) + ">\n";
        attrs.clear();
        for (uint32_t i = 0; i < n->num_attrs; ++i) attrs.push_back(&n->attrs[i]);
        std::sort(attrs.begin(), attrs.end(),
                  [](const Attribute* a, const Attribute* b) { return a->name < b->name; });
        for (const Attribute* a : attrs) {
          out += indent + "  " + std::string(a->name) + "=\"" + std::string(a->value) + "\"\n";
        }
        break;
      }
    }
    for (const Node* c = n->last_child; c; c = c->prev_sibling) todo.push_back({c, it.depth + 1});
  }
  (void)base;
  return out;
}

}  // namespace html
}  // namespace winnow
