// Document I/O of the dedup passes: reads the documents of one shard in
// order and writes the kept/rejected shards. Kept behind this small interface
// so that the passes do not depend on how documents are serialised.
// Not thread-safe; one object per thread.
#ifndef WINNOW_SRC_DEDUP_DOC_IO_H_
#define WINNOW_SRC_DEDUP_DOC_IO_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "winnow/dedup.h"
#include "winnow/document.h"
#include "winnow/reader.h"
#include "winnow/status.h"

namespace winnow {
namespace dedup_internal {

class ShardDocReader {
 public:
  virtual ~ShardDocReader() = default;
  // False at the end. Records that cannot be read are skipped and counted;
  // the record index of a document counts only readable records, the same
  // in every pass.
  virtual bool Next(Document* doc) = 0;
  virtual uint64_t unreadable() const = 0;
};
// `on_unreadable` (may be empty) is called with each record skipped.
StatusOr<std::unique_ptr<ShardDocReader>> OpenShardReader(
    const std::string& path, std::function<void(const ReadError&)> on_unreadable = {});

class ShardDocWriter {
 public:
  virtual ~ShardDocWriter() = default;
  virtual Status Write(const Document& doc) = 0;
  virtual Status Close() = 0;
};
// Compression and blocks as `options` say (output_compression,
// output_blocks); with_decision: also the document's decision (rejected output).
StatusOr<std::unique_ptr<ShardDocWriter>> OpenShardWriter(const std::string& path,
                                                          const DedupOptions& options,
                                                          bool with_decision);

// The text a document is deduplicated on: its kept blocks, or its raw
// content when it has no blocks.
std::string DocText(const Document& doc);

}  // namespace dedup_internal
}  // namespace winnow

#endif  // WINNOW_SRC_DEDUP_DOC_IO_H_
