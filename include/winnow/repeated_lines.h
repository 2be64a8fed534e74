// Repeated-line removal: the corpus-level step that drops lines a site
// repeats on many of its pages (navigation, sponsor teasers, "related news",
// legal footers) - CCNet's line deduplication, made per host and
// thresholded so that a line quoted by two pages survives.
//
// Two passes over the shards:
//   pass 1: RepeatedLineCounter::Observe(doc) for every document; the counts
//           can be saved (Save) per shard and merged (Merge / Load) so pass 1
//           runs in parallel over shards;
//   pass 2: RepeatedLineFilter::Apply(doc) marks every kept block whose line
//           occurs in more than `max_host_docs` documents of the same host
//           (or more than `max_shard_docs` documents overall, when set) as
//           dropped.
// A line is normalised before hashing (NormalizeRepeatedLine: lower-case,
// digits -> 0, punctuation removed, whitespace collapsed), so "Updated
// 12:04" and "updated 09:31" are the same line. Hashes are XXH3-64: a
// collision would merge two lines' counts, at about n^2/2^65 odds.
// A line is counted once per document, however often the document has it.
//
// Memory is bounded: each count table holds at most `max_entries` (hash,
// count) pairs, in 12-byte slots at load <= 1/2 (<= 24 bytes an entry). When a table is full, entries whose count is
// below a floor that rises from 2 are pruned (lossy counting, Manku &
// Motwani 2002): counts of frequent lines survive, singletons go. A pruned
// line can be undercounted by at most the number of prunings, reported by
// prune_floor(); the default 4M entries (about 100 MB per table) hold the
// distinct lines of about 40k web pages (~100 each, measured on the
// extraction sets) before pruning starts; after that only lines seen once
// are forgotten first.
//
// Thread-safety: RepeatedLineCounter is not thread-safe (one counter per
// thread or shard, then Merge). RepeatedLineFilter is immutable after
// construction; Apply() may run on many threads at once.
#ifndef WINNOW_REPEATED_LINES_H_
#define WINNOW_REPEATED_LINES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/document.h"
#include "winnow/status.h"

namespace winnow {

// Lower-case, digits -> '0', punctuation and symbols removed, runs of
// whitespace -> one space, trimmed. Invalid UTF-8 bytes are dropped.
std::string NormalizeRepeatedLine(std::string_view line);

// The host of a URL, lower-cased, without "www." and port; "" if none.
std::string UrlHost(std::string_view url);

struct RepeatedLineCounterOptions {
  uint64_t max_entries = 4u << 20;  // per table (host, shard): <= ~100 MB each
  // Normalised lines shorter than this (in bytes) are not counted or
  // dropped: "-" or "0" carry no site signature.
  int min_chars = 1;
};

class RepeatedLineCounter {
 public:
  explicit RepeatedLineCounter(RepeatedLineCounterOptions options = {});
  ~RepeatedLineCounter();
  RepeatedLineCounter(RepeatedLineCounter&&) noexcept;
  RepeatedLineCounter& operator=(RepeatedLineCounter&&) noexcept;

  // Counts the kept blocks of `doc` (its lines), once per distinct line, in
  // the table of doc's host (from doc.url; none without a host) and in the
  // shard table. A rejected document is still counted: its chrome is the
  // site's chrome.
  void Observe(const Document& doc);
  // Same, for raw lines of a document at `url`.
  void ObserveLines(std::string_view url, const std::vector<std::string_view>& lines);

  // Adds another counter's counts (e.g. from another shard).
  void Merge(const RepeatedLineCounter& other);

  // Number of documents of `host` / of all observed ones that had `line`
  // (a raw line; it is normalised here). Lower bounds after pruning.
  uint32_t HostCount(std::string_view host, std::string_view line) const;
  uint32_t ShardCount(std::string_view line) const;

  uint64_t documents() const;
  uint64_t host_entries() const;
  uint64_t shard_entries() const;
  // 0 when nothing was pruned; else counts below this may be missing.
  uint32_t prune_floor() const;

  // Binary file (format in doc/text.md): IoError on write/read failure,
  // Corrupt when the file is not a counts file or is truncated.
  Status Save(const std::string& path) const;
  static StatusOr<RepeatedLineCounter> Load(const std::string& path,
                                            RepeatedLineCounterOptions options = {});

  // Hash keys, exposed for the filter.
  static uint64_t HostKey(std::string_view host);
  static uint64_t LineKey(uint64_t host_key, std::string_view normalized);
  uint32_t HostCountByKey(uint64_t key) const;
  uint32_t ShardCountByKey(uint64_t key) const;
  const RepeatedLineCounterOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct RepeatedLineFilterOptions {
  // Drop a line found in more than this many documents of its host.
  // 0 disables the host rule. Default from bench/text (doc/text.md).
  int max_host_docs = 2;
  // Drop a line found in more than this many documents in all; 0 = off.
  int max_shard_docs = 0;
  // Only lines whose normalised form has at least this many bytes are
  // dropped: short repeated lines are often section headings of a site's
  // articles ("Background", "Conclusion"), and the line classifier handles
  // short chrome ("Menu"). Default from bench/text (doc/text.md).
  int min_chars = 1;
  // Reject the document ("all_lines_repeated") when no line survives.
  bool reject_empty = true;
};

class RepeatedLineFilter {
 public:
  // REQUIRES: `counts` outlives the filter.
  RepeatedLineFilter(const RepeatedLineCounter* counts, RepeatedLineFilterOptions options);
  // Marks repeated kept blocks keep=false, drop_reason
  // "text.repeated_lines:host" or ":shard". Returns the number dropped.
  int Apply(Document& doc) const;
  // The per-line decision for raw lines of a document at `url`: true = drop.
  std::vector<bool> Decide(std::string_view url, const std::vector<std::string_view>& lines) const;

 private:
  const RepeatedLineCounter* counts_;
  RepeatedLineFilterOptions options_;
};

}  // namespace winnow

#endif  // WINNOW_REPEATED_LINES_H_
