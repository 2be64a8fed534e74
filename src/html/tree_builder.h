// TreeBuilder: the WHATWG tree construction stage, simplified where real
// pages do not need the full machinery (see doc/html.md for what is left out).
//
// It pulls tokens from a Tokenizer and builds Nodes in the Dom's arena.
// Everything is iterative: the stack of open elements is a vector, and no
// helper recurses over the tree, so nesting depth costs no C++ stack.
//
// Thread-safety: none; one TreeBuilder per parse.
#ifndef WINNOW_SRC_HTML_TREE_BUILDER_H_
#define WINNOW_SRC_HTML_TREE_BUILDER_H_

#include <memory>
#include <string_view>

#include "winnow/html.h"

namespace winnow {
namespace html {
namespace internal {

// Element namespaces; Node::tag is kUnknown for every non-HTML element
// except <svg> and <math> themselves.
enum class Ns : uint8_t { kHtml, kSvg, kMathMl };

// Parses into a new Dom (the implementation behind html::Parse).
std::unique_ptr<Dom> BuildTree(std::string_view html, const ParseOptions& options);

}  // namespace internal
}  // namespace html
}  // namespace winnow

#endif  // WINNOW_SRC_HTML_TREE_BUILDER_H_
