// SiteTemplates: evidence from the other pages of the same site for
// extraction. Crawls hold many pages of one host; the blocks most of them
// share at the same DOM position (same text, or the same link structure:
// Prev/Next bars, menus, breadcrumbs, footers) are the site's template and
// are dropped; a block a name hint would drop ("sidebar") that no earlier
// page of the host had, and that reads as prose, or a large link list of
// its own (an index or table-of-contents page), is kept. Decisions for a
// page use only the pages of its host that come *before* it in input order,
// so the output is the same for any number of threads. A page whose host
// has fewer than `min_pages` earlier pages is extracted as alone.
//
// Memory is bounded: at most `max_hosts` hosts (the least recently used is
// forgotten) with at most `max_keys_per_host` keys each, 16 bytes a key,
// plus, in concurrent use, one host state per page in flight at most (a
// host forgotten while its admitted pages are not done lives until they
// are); MemoryBytes() reports it and BoundBytes(pages in flight) is the
// bound. Which state a page uses, and which host is forgotten, is decided
// by Admit() (input order), never by thread timing.
//
// Use: sequentially, Extract() pages in input order. Concurrently (the
// pipeline), Admit() every document in input order from one thread, call
// Extract() with its sequence number from any thread, and Release() every
// admitted sequence number once its document is processed (extracted or
// not): a page waits until the earlier admitted pages of its host are done.
//
// Thread-safety: all methods may be called concurrently.
#ifndef WINNOW_SITE_TEMPLATE_H_
#define WINNOW_SITE_TEMPLATE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "winnow/extract.h"
#include "winnow/status.h"

namespace winnow {

struct SiteTemplateOptions {
  // Earlier pages of the host needed before its evidence is used.
  int min_pages = 3;
  // A key is template when at least this share of the host's earlier pages
  // (and 2) had it.
  double min_share = 0.6;
  // Counts are halved when a host has seen 2 * window pages, so a template
  // that changes is learnt again within about `window` pages.
  int window = 64;
  size_t max_hosts = 1024;
  size_t max_keys_per_host = 4096;
};

class SiteTemplates {
 public:
  explicit SiteTemplates(const SiteTemplateOptions& options = SiteTemplateOptions());
  ~SiteTemplates();
  SiteTemplates(const SiteTemplates&) = delete;
  SiteTemplates& operator=(const SiteTemplates&) = delete;

  // Sequential use: extracts the next page, with the evidence of the earlier
  // pages of its host, and adds its blocks to the host.
  StatusOr<ExtractResult> Extract(std::string_view html, std::string_view url,
                                  const ExtractOptions& options);

  // Concurrent use. Admit() in input order (seq increasing); then
  // Extract(..., seq) from any thread; Release(seq) when the document is done.
  // A page whose seq was not admitted is extracted alone (no evidence, and
  // it adds none).
  void Admit(uint64_t seq, std::string_view url);
  StatusOr<ExtractResult> Extract(std::string_view html, std::string_view url,
                                  const ExtractOptions& options, uint64_t seq);
  void Release(uint64_t seq);
  // Forgets every host (a new stream of pages). Not while pages are in
  // flight.
  void Reset();

  size_t hosts() const;
  size_t MemoryBytes() const;
  // `in_flight`: the most pages admitted and not released at one time (0
  // in sequential use; the ring's size in `winnow clean`).
  size_t BoundBytes(size_t in_flight = 0) const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace winnow

#endif  // WINNOW_SITE_TEMPLATE_H_
