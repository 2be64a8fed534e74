// Writers: Documents to JSONL (plain, .gz or .zst), split into shards.
//
// The line format is documented in doc/formats.md. DocumentFromJson reads it
// back (also accepted by the JSONL reader), so that corpus-level passes can
// run over the shards that per-document stages wrote.
//
// Thread-safety: one DocumentWriter is used by one thread at a time.
#ifndef WINNOW_WRITER_H_
#define WINNOW_WRITER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/document.h"
#include "winnow/status.h"

namespace winnow {

struct JsonOptions {
  bool blocks = false;       // write "blocks": [{kind, text, lang}] besides "text"
  bool annotations = true;   // write language, quality, tags, pii, dup cluster
  bool decision = false;     // write "decision": {stage, reason, detail} (rejected output)
  bool raw = false;          // write "raw" (the input HTML/text); needed for a
                             // later pass that re-runs extraction
  // Without `blocks`: write "dropped": [{line, stage, text}], the first this
  // many blocks a stage dropped (0 = none), each text cut to 300 bytes, at
  // their place among the lines of "text" (the run report shows them).
  int dropped_lines = 0;
};

// One JSON object, no newline.
std::string DocumentToJson(const Document& doc, const JsonOptions& options);
// Parses a line written by DocumentToJson (unknown fields are ignored).
Status DocumentFromJson(std::string_view line, Document* doc);

struct WriterOptions {
  std::string compression = "none";  // "none", "gz", "zst"
  uint64_t shard_bytes = 0;          // start a new shard after this many
                                     // uncompressed bytes; 0 = one file
  int level = -1;                    // compression level; -1 = default
                                     // (gz 6, zst 3)
  // fsync each file when it is closed, so that it is complete on disk
  // before anyone renames it. false: the caller syncs the files itself
  // (`clean`'s tasks sync all of a task's files at once when they commit).
  bool sync = true;
  JsonOptions json;
};

class DocumentWriter {
 public:
  virtual ~DocumentWriter() = default;
  virtual Status Write(const Document& doc) = 0;
  // Flushes and closes the current shard. Write may not be called after.
  virtual Status Close() = 0;
  // The files written so far.
  virtual const std::vector<std::string>& files() const = 0;
};

// Shards are named <prefix>-00000.jsonl[.gz|.zst]; with shard_bytes == 0 and
// a prefix ending in .jsonl/.jsonl.gz/.jsonl.zst, or "-" (stdout), exactly
// that file.
StatusOr<std::unique_ptr<DocumentWriter>> OpenWriter(const std::string& prefix,
                                                     const WriterOptions& options);

}  // namespace winnow

#endif  // WINNOW_WRITER_H_
