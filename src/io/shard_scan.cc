// ShardReader: the one reader of winnow JSONL shards (winnow/reader.h).
#include <utility>

#include "winnow/reader.h"

namespace winnow {

StatusOr<std::unique_ptr<ShardReader>> ShardReader::Open(
    std::vector<std::string> shards, DamagedRecords policy,
    std::function<void(const ReadError&)> on_skipped) {
  std::unique_ptr<ShardReader> r(
      new ShardReader(std::move(shards), policy, std::move(on_skipped)));
  Status s = r->OpenNext();
  if (!s.ok()) return s;
  return r;
}

Status ShardReader::OpenNext() {
  reader_.reset();
  if (next_shard_ == shards_.size()) return Status::Ok();
  ReaderOptions options;
  options.format = "jsonl";
  StatusOr<std::unique_ptr<Reader>> r = OpenReader(shards_[next_shard_++], options);
  if (!r.ok()) return r.status();
  reader_ = std::move(*r);
  return Status::Ok();
}

StatusOr<bool> ShardReader::Next(Document* doc) {
  while (reader_ != nullptr) {
    ReadError error;
    switch (reader_->Next(doc, &error)) {
      case Reader::Result::kDocument:
        return true;
      case Reader::Result::kUnreadable:
        if (policy_ == DamagedRecords::kStop) {
          return Status::Corrupt("damaged record in a shard this run wrote: " + error.ToString());
        }
        ++skipped_;
        if (on_skipped_) on_skipped_(error);
        last_skipped_ = std::move(error);
        break;
      case Reader::Result::kEnd: {
        Status s = OpenNext();
        if (!s.ok()) return s;
        break;
      }
    }
  }
  return false;
}

Status ForEachShardDocument(const std::vector<std::string>& shards, DamagedRecords policy,
                            const std::function<Status(Document&)>& fn) {
  StatusOr<std::unique_ptr<ShardReader>> reader = ShardReader::Open(shards, policy);
  if (!reader.ok()) return reader.status();
  Document doc;
  for (;;) {
    StatusOr<bool> more = (*reader)->Next(&doc);
    if (!more.ok()) return more.status();
    if (!*more) return Status::Ok();
    Status s = fn(doc);
    if (!s.ok()) return s;
  }
}

}  // namespace winnow
