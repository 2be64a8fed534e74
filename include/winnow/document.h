// Document: one web page or text record as it flows through the pipeline.
//
// A reader fills the identity, provenance and raw content; stages fill
// `blocks` (the clean content) and `annotations`; a writer serialises it.
// The document owns all its memory (std::string), so it can move between
// threads freely. A Document is not thread-safe: one stage touches it at a
// time, which the pipeline guarantees.
#ifndef WINNOW_DOCUMENT_H_
#define WINNOW_DOCUMENT_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace winnow {

enum class DocKind { kHtml, kText };

enum class BlockKind {
  kTitle,
  kHeading,
  kParagraph,
  kListItem,
  kTable,
  kCode,
  kQuote,
  kOther,
};

const char* BlockKindName(BlockKind k);

// One unit of clean content: a paragraph, heading, list item, line of text...
struct Block {
  BlockKind kind = BlockKind::kParagraph;
  std::string text;       // valid UTF-8, no trailing newline
  int level = 0;          // heading level (1-6), list nesting; 0 otherwise
  std::string lang;       // ISO 639 code when known ("fr"), else empty
  bool keep = true;       // false once a stage decided to drop this block
  std::string drop_reason;  // the stage/reason that dropped it, when !keep
};

// Where a document came from: enough to find it again.
struct Provenance {
  std::string file;          // input path ("-" for stdin)
  uint64_t record = 0;       // record number within the file, from 0
  uint64_t offset = 0;       // byte offset of the record in the (decompressed
                             // for whole-file gzip, compressed for per-record
                             // gzip) stream
  uint64_t sequence = 0;     // position in the run's input order (set by the
                             // driver, RunClean; 0 elsewhere)
};

// HTTP/fetch metadata, where the input carries it (WARC).
struct FetchInfo {
  int http_status = 0;       // 0 when unknown
  std::string content_type;  // "text/html"
  std::string charset;       // as declared by the HTTP header, lower-case
  std::string date;          // WARC-Date or fetch date, ISO 8601
};

// The outcome of the pipeline for this document.
struct Decision {
  bool keep = true;
  std::string stage;   // the stage that rejected it ("filter.gopher_quality")
  std::string reason;  // short stable reason name ("too_few_words")
  std::string detail;  // measured value etc. ("words=12 < min 50")
};

struct Annotations {
  std::string lang;               // document language, ISO 639 ("fr"), "un" unknown
  std::string script;             // ISO 15924 ("Latn") when known
  double lang_confidence = 0;     // 0..1
  std::map<std::string, double> lang_shares;  // language -> share of text
  std::map<std::string, double> quality;      // signal name -> measured value
  std::map<std::string, std::string> tags;    // tag-only filter decisions etc.
  std::map<std::string, int64_t> pii_counts;  // kind -> number masked
  std::string dup_cluster;        // near-duplicate cluster id, when in one
  int64_t dup_cluster_size = 0;
  // Extraction metadata (HTML).
  std::string title, date, site_name, description, canonical_url;
  std::vector<std::string> authors;  // in page order, as ExtractResult's metadata
};

struct Document {
  std::string id;
  std::string url;
  Provenance source;
  DocKind kind = DocKind::kText;
  std::string raw;          // raw content: HTML (UTF-8 after the reader) or text
  std::string raw_charset;  // the charset the reader decoded from
  FetchInfo fetch;
  std::vector<Block> blocks;  // clean content, in reading order
  Annotations annotations;
  Decision decision;
  uint64_t input_bytes = 0;   // bytes of the record as read (for stats)

  // The kept blocks joined by '\n'.
  std::string Text() const;
  // The same into *out (cleared first; its capacity is reused, so a caller
  // that keeps one string allocates nothing per document).
  void TextInto(std::string* out) const;
  // Text().size(), without building it.
  size_t TextSize() const;
  // Replaces blocks with one kParagraph block per line of `text`.
  void SetTextLines(std::string_view text);
  void Reject(std::string stage, std::string reason, std::string detail = "");
};

}  // namespace winnow

#endif  // WINNOW_DOCUMENT_H_
