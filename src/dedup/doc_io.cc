// Document I/O of the dedup passes: the shared JSONL reader and
// DocumentToJson, so every field a winnow line carries (blocks, language,
// quality, decision) survives dedup.
#include "dedup/doc_io.h"

#include <cstdio>
#include <string>

#include "winnow/reader.h"
#include "winnow/writer.h"

namespace winnow {
namespace dedup_internal {
namespace {

class SharedReader : public ShardDocReader {
 public:
  explicit SharedReader(std::unique_ptr<Reader> r) : r_(std::move(r)) {}
  bool Next(Document* doc) override {
    while (true) {
      ReadError error;
      switch (r_->Next(doc, &error)) {
        case Reader::Result::kDocument:
          return true;  // a plain {"text"} line: raw content, no blocks (DocText)
        case Reader::Result::kUnreadable:
          ++unreadable_;
          continue;
        case Reader::Result::kEnd:
          return false;
      }
    }
  }
  uint64_t unreadable() const override { return unreadable_; }

 private:
  std::unique_ptr<Reader> r_;
  uint64_t unreadable_ = 0;
};

// Blocks are written when they carry more than the text (kinds, languages,
// dropped blocks), so a winnow line goes through dedup unchanged.
bool RichBlocks(const Document& doc) {
  for (const Block& b : doc.blocks) {
    if (b.kind != BlockKind::kParagraph || !b.lang.empty() || !b.keep || b.level != 0) return true;
  }
  return false;
}

class SharedWriter : public ShardDocWriter {
 public:
  SharedWriter(std::FILE* f, std::string path, bool with_decision)
      : f_(f), path_(std::move(path)), with_decision_(with_decision) {}
  ~SharedWriter() override {
    if (f_) std::fclose(f_);
  }
  Status Write(const Document& doc) override {
    JsonOptions jo;
    jo.annotations = true;
    jo.decision = with_decision_;
    jo.blocks = RichBlocks(doc);
    jo.raw = doc.kind == DocKind::kHtml && !doc.raw.empty();
    std::string line = DocumentToJson(doc, jo);
    line.push_back('\n');
    if (std::fwrite(line.data(), 1, line.size(), f_) != line.size())
      return Status::IoError("cannot write " + path_ + " (disk full?)");
    return Status::Ok();
  }
  Status Close() override {
    int rc = std::fclose(f_);
    f_ = nullptr;
    if (rc != 0) return Status::IoError("cannot write " + path_ + " (disk full?)");
    return Status::Ok();
  }

 private:
  std::FILE* f_;
  std::string path_;
  bool with_decision_;
};

}  // namespace

StatusOr<std::unique_ptr<ShardDocReader>> OpenShardReader(const std::string& path) {
  ReaderOptions ro;
  ro.format = "jsonl";
  auto r = OpenReader(path, ro);
  if (!r.ok()) return r.status();
  return std::unique_ptr<ShardDocReader>(new SharedReader(std::move(*r)));
}

StatusOr<std::unique_ptr<ShardDocWriter>> OpenShardWriter(const std::string& path,
                                                          bool with_decision) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return Status::IoError("cannot create " + path);
  std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
  return std::unique_ptr<ShardDocWriter>(new SharedWriter(f, path, with_decision));
}

std::string DocText(const Document& doc) {
  if (doc.blocks.empty()) return doc.raw;
  return doc.Text();
}

}  // namespace dedup_internal
}  // namespace winnow
