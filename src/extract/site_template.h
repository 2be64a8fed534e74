// Cross-page template evidence, internal side: how one page's elements are
// turned into keys (DOM position + text, position + shape), and how the
// counts other pages of the host hold for those keys become decisions
// (template: drop; unique content a name hint would drop: keep).
//
// extract.cc hands a flat view of its elements (pre-order, subtree ranges,
// aggregated text/link lengths, hints) to DecideSitePage() and applies the
// decisions; the host state lives behind SitePageHook (site_template.cc's
// SiteTemplates, include/winnow/site_template.h). Thread-safety: pure
// functions; the hook is called once per page.
#ifndef WINNOW_SRC_EXTRACT_SITE_TEMPLATE_H_
#define WINNOW_SRC_EXTRACT_SITE_TEMPLATE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/extract.h"
#include "winnow/html.h"

namespace winnow {
namespace extract_internal {

struct SiteElemView {
  const html::Node* node = nullptr;
  std::string_view cls;  // the node's class attribute (as Attr("class"))
  uint64_t cls_fnv = 0;  // Fnv1a64(cls) (the walker has it from hints.cc's memo)
  int32_t parent = -1;
  int32_t end = 0;  // pre-order index one past the subtree
  uint32_t chars = 0, link_chars = 0, prose = 0;
  uint32_t hints = 0;  // HintFlags
  bool block = false, link = false;
};

struct SiteSegView {
  int32_t owner = -1;
  std::string_view text;
};

// One page's exchange with its host's state: `keys` are the page's keys
// (sorted, unique); the hook fills `counts` (same size: on how many earlier
// pages of the host each key was seen) and `need` (the count that makes a
// key template), then adds this page's keys to the host. Returns false when
// there is no evidence (no host, too few earlier pages): the page is
// extracted as alone.
class SitePageHook {
 public:
  virtual ~SitePageHook() = default;
  virtual bool Exchange(const std::vector<uint64_t>& keys, std::vector<uint32_t>* counts,
                        uint32_t* need) = 0;
};

enum SiteDecision : uint8_t {
  kSiteNone = 0,
  kSiteTemplate = 1,  // shared with most earlier pages: chrome
  kSiteContent = 2,   // never seen on the host and reads as content: keep
};

// Decisions per element (same size as elems; subtrees are not expanded:
// a kSiteTemplate element's descendants are template too).
std::vector<uint8_t> DecideSitePage(const std::vector<SiteElemView>& elems,
                                    const std::vector<SiteSegView>& segs, SitePageHook* hook);

// Extract() with a hook (nullptr: as Extract()). Defined in extract.cc.
StatusOr<ExtractResult> ExtractWithSite(std::string_view html, std::string_view url,
                                        const ExtractOptions& options, SitePageHook* hook);

// The host part of a URL, lower-case, without port or "www."; for file://
// URLs the folder; empty when there is none.
std::string UrlHost(std::string_view url);

}  // namespace extract_internal
}  // namespace winnow

#endif  // WINNOW_SRC_EXTRACT_SITE_TEMPLATE_H_
