#include "winnow/reader.h"

namespace winnow {

Status ForEachShardDocument(const std::vector<std::string>& shards,
                            const std::function<Status(Document&)>& fn) {
  ReaderOptions options;
  options.format = "jsonl";
  for (const std::string& shard : shards) {
    StatusOr<std::unique_ptr<Reader>> reader = OpenReader(shard, options);
    if (!reader.ok()) return reader.status();
    Document doc;
    ReadError error;
    for (;;) {
      Reader::Result r = (*reader)->Next(&doc, &error);
      if (r == Reader::Result::kEnd) break;
      if (r == Reader::Result::kUnreadable) {
        return Status::Corrupt("intermediate shard damaged: " + error.ToString());
      }
      Status s = fn(doc);
      if (!s.ok()) return s;
    }
  }
  return Status::Ok();
}

}  // namespace winnow
