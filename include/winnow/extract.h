// Extraction: the main content of an HTML page as clean blocks + metadata.
//
// Extract() parses a page with winnow's own parser (winnow/html.h), finds the
// main content (article body, not navigation, sidebars, footers, comments,
// cookie banners or "related" link lists) and returns it as a list of
// winnow::Block in reading order, with the page's metadata (title, authors,
// date, site name, description, language, canonical URL). When nothing is
// found the result is empty and `reason` says why ("no content", "not html").
// The algorithm and its measured quality are described in doc/extract.md.
//
// Memory: an ExtractResult owns all its strings; the input `html` and `url`
// are only read during the call. Peak memory is about the parser's DOM
// (a small multiple of the input size) plus the extracted text.
//
// Thread-safety: Extract() and the renderers are reentrant and keep no
// shared mutable state; call them from any number of threads.
#ifndef WINNOW_EXTRACT_H_
#define WINNOW_EXTRACT_H_

#include <string>
#include <string_view>
#include <vector>

#include "winnow/document.h"
#include "winnow/status.h"

namespace winnow {

enum class ExtractFormat { kText, kMarkdown, kJson };

struct ExtractOptions {
  // Used by Render(); Extract() itself always produces blocks.
  ExtractFormat format = ExtractFormat::kText;
  // Keep reader comments (blocks under elements marked as comments).
  bool include_comments = false;
  // Keep the page's headline (the last <h1> above the main content) when
  // the main content container does not hold it. Off by default: the news
  // benchmarks' gold (articleBody) leaves the headline out.
  bool include_title = false;
  // Keep data tables (one kTable block per table, see ExtractResult).
  bool include_tables = true;
  // Keep link targets: ExtractedInline::markdown gets "[text](href)".
  bool include_links = false;
  // Keep images as "![alt](src)" in ExtractedInline::markdown.
  bool include_images = false;
  // Inputs larger than this are cut at this size (in bytes, at a UTF-8
  // boundary) before parsing, to bound memory and time.
  size_t max_input_bytes = 64u << 20;
};

// Metadata of the page, from <head> (<title>, <meta>, <link rel=canonical>),
// JSON-LD and, for the title, the first <h1>. Empty when not found.
struct PageMetadata {
  std::string title;
  std::vector<std::string> authors;
  std::string date;          // publication date as written (ISO 8601 if the page has it)
  std::string site_name;
  std::string description;
  std::string language;      // <html lang> / content-language, lower-case
  std::string canonical_url;  // <link rel=canonical> or og:url, else the url passed
};

// Per-block extras for the markdown renderer, parallel to
// ExtractResult::blocks.
struct ExtractedInline {
  // The block's text with links/images in markdown syntax; empty unless
  // include_links or include_images was set and the block had some.
  std::string markdown;
  // For kListItem: true when the list is ordered (<ol>).
  bool ordered = false;
  // For kTable: number of header rows (<th> rows / <thead>) at the top.
  int header_rows = 0;
};

struct ExtractResult {
  // Content blocks in reading order. Text is valid UTF-8 with collapsed
  // whitespace, except kCode (whitespace kept, lines joined by '\n') and
  // kTable (rows joined by '\n', cells by '\t'). kListItem level is the list
  // nesting (1 = top level); kHeading level is 1..6.
  std::vector<Block> blocks;
  std::vector<ExtractedInline> inlines;  // same size as blocks
  PageMetadata metadata;
  // Why blocks is empty: "no content", "not html", "empty input"; empty
  // when there are blocks.
  std::string reason;
  // True when the parser hit a limit (depth, nodes, attributes) or the
  // input was cut at max_input_bytes.
  bool truncated = false;
};

// Extracts the main content of `html` (UTF-8). `url` may be empty; it is
// the fallback canonical URL. Fails only on internal errors; pages without
// content are an OK result with empty blocks and a reason.
StatusOr<ExtractResult> Extract(std::string_view html, std::string_view url,
                                const ExtractOptions& options);

// Blocks as plain text: one block per line (tables: one row per line, cells
// separated by a tab; code keeps its lines), blocks separated by '\n'.
std::string RenderText(const ExtractResult& result);
// Markdown: "# heading", "- item" / "1. item" (indented by nesting), pipe
// tables, ``` fenced code, "> quote"; blocks separated by a blank line.
std::string RenderMarkdown(const ExtractResult& result);
// One JSON object: {"title", "authors", "date", "site_name", "description",
// "language", "canonical_url", "text", "blocks": [{"kind","text","level"}],
// "reason"}.
std::string RenderJson(const ExtractResult& result);
// The renderer chosen by options.format.
std::string Render(const ExtractResult& result, const ExtractOptions& options);

}  // namespace winnow

#endif  // WINNOW_EXTRACT_H_
