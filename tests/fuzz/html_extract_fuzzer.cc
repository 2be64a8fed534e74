// libFuzzer harness: bytes -> charset decoding (as the readers do) -> the
// HTML parser (document and fragment) -> main-content extraction -> the
// three renderers. Checks: no crash or sanitizer report, every output is
// valid UTF-8, the parser's node count stays under its cap.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_util.h"
#include "io/charset.h"
#include "winnow/extract.h"
#include "winnow/html.h"

namespace {

constexpr const char* kContexts[] = {"div", "td", "title", "textarea", "template", "select", "table", "svg"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace winnow;
  if (size == 0) return 0;
  const uint8_t flags = data[0];
  std::string html(reinterpret_cast<const char*>(data + 1), size - 1);
  io::DecodeToUtf8(&html, /*html=*/true, /*declared=*/"");
  fuzz::CheckUtf8(html, "decoded input");

  html::ParseOptions po;
  po.scripting = flags & 1;
  // Small limits now and then, so that the limit paths run too.
  if (flags & 2) {
    po.max_depth = 16;
    po.max_nodes = 200;
    po.max_attributes = 4;
    po.clone_budget_base = 8;
    po.max_active_formatting = 4;
  }
  {
    std::unique_ptr<html::Dom> dom = html::Parse(html, po);
    if (!dom || !dom->html() || !dom->head()) fuzz::Fail("Parse returned no html/head");
    if (dom->node_count() > po.max_nodes + 16) fuzz::Fail("node count over max_nodes");
    fuzz::CheckUtf8(html::DumpTree(dom->document()), "DumpTree");
  }
  if (flags & 4) {
    const char* context = kContexts[(flags >> 3) % (sizeof kContexts / sizeof *kContexts)];
    const html::Namespace ns = std::string(context) == "svg" ? html::Namespace::kSvg : html::Namespace::kHtml;
    std::unique_ptr<html::Dom> frag = html::ParseFragment(html, context, ns, po);
    if (!frag) fuzz::Fail("ParseFragment returned null");
    fuzz::CheckUtf8(html::DumpTree(frag->document()), "DumpTree(fragment)");
  }

  ExtractOptions eo;
  eo.include_comments = flags & 8;
  eo.include_title = flags & 16;
  eo.include_tables = !(flags & 32);
  eo.include_links = flags & 64;
  eo.include_images = flags & 128;
  StatusOr<ExtractResult> r = Extract(html, "https://example.org/page", eo);
  if (!r.ok()) return 0;  // internal errors only; none expected, but not a crash
  if (r->inlines.size() != r->blocks.size()) fuzz::Fail("inlines and blocks differ in size");
  for (const Block& b : r->blocks) fuzz::CheckUtf8(b.text, "block text");
  fuzz::CheckUtf8(RenderText(*r), "RenderText");
  fuzz::CheckUtf8(RenderMarkdown(*r), "RenderMarkdown");
  fuzz::CheckUtf8(RenderJson(*r), "RenderJson");
  return 0;
}
