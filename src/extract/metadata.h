// Page metadata from <head> and JSON-LD. Internal to src/extract.
#ifndef WINNOW_SRC_EXTRACT_METADATA_H_
#define WINNOW_SRC_EXTRACT_METADATA_H_

#include <string>
#include <string_view>
#include <vector>

#include "winnow/extract.h"
#include "winnow/html.h"

namespace winnow {
namespace extract_internal {

// What JSON-LD said about the main content, used as a signal by the
// extractor (not copied into the output).
struct JsonLdInfo {
  std::string og_type;  // <meta property=og:type>, lower-case
  std::string article_body;  // "articleBody" of an Article-like object
  std::string headline;
  // schema.org Product objects (top level or in @graph) and the longest
  // description among them.
  int products = 0;
  std::string product_description;
};

// Fills *md from <html lang>, <title>, <meta> (OpenGraph, Twitter, Dublin
// Core, name=author/description/date...), <link rel=canonical> under `head`
// and from the JSON-LD scripts given. `url` is the fallback canonical URL.
void ReadMetadata(const html::Node* html_node, const html::Node* head,
                  const std::vector<const html::Node*>& jsonld_scripts,
                  std::string_view url, PageMetadata* md, JsonLdInfo* ld);

}  // namespace extract_internal
}  // namespace winnow

#endif  // WINNOW_SRC_EXTRACT_METADATA_H_
