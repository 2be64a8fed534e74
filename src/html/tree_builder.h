// TreeBuilder: the WHATWG tree construction stage (all insertion modes,
// template contents, foreign content, fragment parsing), with limits that
// keep nodes and memory linear in the input (see doc/html.md).
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
using Ns = Namespace;

// Parses into a new Dom (the implementation behind html::Parse). With a
// non-empty `context`, runs the fragment parsing algorithm (ParseFragment).
std::unique_ptr<Dom> BuildTree(std::string_view html, const ParseOptions& options,
                               std::string_view context = {}, Ns context_ns = Ns::kHtml);

}  // namespace internal
}  // namespace html
}  // namespace winnow

#endif  // WINNOW_SRC_HTML_TREE_BUILDER_H_
