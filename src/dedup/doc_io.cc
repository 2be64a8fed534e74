// Document I/O of the dedup passes: io's JSONL reader, DocumentToJson and
// io's output stream, so every field a winnow line carries (blocks, language,
// quality, decision) survives dedup.
#include "dedup/doc_io.h"

#include <cstdio>
#include <string>

#include "io/output_stream.h"
#include "winnow/reader.h"
#include "winnow/writer.h"

namespace winnow {
namespace dedup_internal {
namespace {

// io's shard reader; damaged records are skipped and counted (dedup reports
// them), the same in every pass.
class SharedReader : public ShardDocReader {
 public:
  explicit SharedReader(std::unique_ptr<ShardReader> r) : r_(std::move(r)) {}
  bool Next(Document* doc) override {
    // With kSkip only a later shard's open fails, and there is one shard.
    StatusOr<bool> more = r_->Next(doc);
    return more.ok() && *more;  // a plain {"text"} line: raw content, no blocks (DocText)
  }
  uint64_t unreadable() const override { return r_->skipped(); }

 private:
  std::unique_ptr<ShardReader> r_;
};

// Blocks are written when they carry more than the text (kinds, languages,
// dropped blocks), so a winnow line goes through dedup unchanged.
bool RichBlocks(const Document& doc) {
  for (const Block& b : doc.blocks) {
    if (b.kind != BlockKind::kParagraph || !b.lang.empty() || !b.keep || b.level != 0) return true;
  }
  return false;
}

// Writes through io's output stream (compression as asked).
class SharedWriter : public ShardDocWriter {
 public:
  SharedWriter(std::unique_ptr<io::OutputFile> f, bool with_decision, DedupOptions::Blocks blocks,
               int dropped_lines)
      : f_(std::move(f)), with_decision_(with_decision), blocks_(blocks), dropped_lines_(dropped_lines) {}
  Status Write(const Document& doc) override {
    JsonOptions jo;
    jo.annotations = true;
    jo.decision = with_decision_;
    jo.blocks = blocks_ == DedupOptions::Blocks::kAlways ||
                (blocks_ == DedupOptions::Blocks::kAsNeeded && RichBlocks(doc));
    jo.raw = doc.kind == DocKind::kHtml && !doc.raw.empty();
    jo.dropped_lines = with_decision_ ? 0 : dropped_lines_;
    line_ = DocumentToJson(doc, jo);
    line_.push_back('\n');
    return f_->Write(line_);
  }
  Status Close() override { return f_->Close(); }

 private:
  std::unique_ptr<io::OutputFile> f_;
  bool with_decision_;
  DedupOptions::Blocks blocks_;
  int dropped_lines_;
  std::string line_;
};

}  // namespace

StatusOr<std::unique_ptr<ShardDocReader>> OpenShardReader(
    const std::string& path, std::function<void(const ReadError&)> on_unreadable) {
  auto r = ShardReader::Open({path}, DamagedRecords::kSkip, std::move(on_unreadable));
  if (!r.ok()) return r.status();
  return std::unique_ptr<ShardDocReader>(new SharedReader(std::move(*r)));
}

StatusOr<std::unique_ptr<ShardDocWriter>> OpenShardWriter(const std::string& path,
                                                          const DedupOptions& options,
                                                          bool with_decision) {
  io::Compression c = io::Compression::kNone;
  if (options.output_compression == "gz") c = io::Compression::kGzip;
  if (options.output_compression == "zst") c = io::Compression::kZstd;
  auto f = io::OutputFile::Open(path, c);
  if (!f.ok()) return f.status();
  return std::unique_ptr<ShardDocWriter>(
      new SharedWriter(std::move(*f), with_decision, options.output_blocks, options.output_dropped_lines));
}

std::string DocText(const Document& doc) {
  if (doc.blocks.empty()) return doc.raw;
  return doc.Text();
}

}  // namespace dedup_internal
}  // namespace winnow
