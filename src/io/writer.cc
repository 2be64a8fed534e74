// OpenWriter: JSONL shards (doc/formats.md).
#include "winnow/writer.h"

#include <cstdio>

#include "io/output_stream.h"

namespace winnow {

namespace {

bool EndsWith(std::string_view s, std::string_view suf) {
  return s.size() >= suf.size() && s.substr(s.size() - suf.size()) == suf;
}

class JsonlWriter : public DocumentWriter {
 public:
  JsonlWriter(std::string prefix, std::string exact, io::Compression c, WriterOptions options)
      : prefix_(std::move(prefix)), exact_(std::move(exact)), compression_(c), options_(std::move(options)) {}
  ~JsonlWriter() override { Close(); }

  Status Write(const Document& doc) override {
    if (closed_) return Status::InvalidArgument("DocumentWriter::Write after Close");
    if (!file_ || (options_.shard_bytes > 0 && exact_.empty() &&
                   file_->uncompressed_bytes() >= options_.shard_bytes)) {
      Status st = NextShard();
      if (!st.ok()) return st;
    }
    line_ = DocumentToJson(doc, options_.json);
    line_.push_back('\n');
    return file_->Write(line_);
  }

  Status Close() override {
    if (closed_) return Status::Ok();
    closed_ = true;
    // An empty run still leaves one (empty) file, so that readers find it.
    if (!file_) {
      Status st = NextShard();
      if (!st.ok()) return st;
    }
    return file_->Close();
  }

 public:
  const std::vector<std::string>& files() const override { return files_; }

  // Opens the next shard (the first one eagerly, so a bad path fails early).
  Status NextShard() {
    if (file_) {
      Status st = file_->Close();
      if (!st.ok()) return st;
    }
    std::string path = files_.empty() ? exact_ : std::string();
    if (path.empty()) {
      char num[32];
      std::snprintf(num, sizeof(num), "-%05zu.jsonl", files_.size());
      path = prefix_ + num;
      if (compression_ == io::Compression::kGzip) path += ".gz";
      if (compression_ == io::Compression::kZstd) path += ".zst";
    }
    auto f = io::OutputFile::Open(path, compression_, options_.level, options_.sync);
    if (!f.ok()) return f.status();
    file_ = std::move(f.value());
    files_.push_back(path);
    return Status::Ok();
  }

  std::string prefix_, exact_;
 private:
  io::Compression compression_;
  WriterOptions options_;
  std::unique_ptr<io::OutputFile> file_;
  std::vector<std::string> files_;
  std::string line_;
  bool closed_ = false;
};

}  // namespace

StatusOr<std::unique_ptr<DocumentWriter>> OpenWriter(const std::string& prefix,
                                                     const WriterOptions& options) {
  io::Compression c;
  if (options.compression == "none" || options.compression.empty()) {
    c = io::Compression::kNone;
  } else if (options.compression == "gz" || options.compression == "gzip") {
    c = io::Compression::kGzip;
  } else if (options.compression == "zst" || options.compression == "zstd") {
    c = io::Compression::kZstd;
  } else {
    return Status::InvalidArgument("unknown compression '" + options.compression +
                                   "' (use none, gz or zst)");
  }
  if (prefix.empty()) return Status::InvalidArgument("empty output path");
  // A name with a JSONL extension: its extension decides the compression;
  // with sharding it is the prefix without the extension.
  std::string base = prefix;
  bool has_ext = false;
  for (auto [ext, comp] : {std::pair{".jsonl.gz", io::Compression::kGzip},
                           std::pair{".jsonl.zst", io::Compression::kZstd},
                           std::pair{".jsonl", io::Compression::kNone}}) {
    if (EndsWith(prefix, ext)) {
      c = comp;
      base = prefix.substr(0, prefix.size() - std::string_view(ext).size());
      has_ext = true;
      break;
    }
  }
  std::string exact;
  if (prefix == "-" || (has_ext && options.shard_bytes == 0)) exact = prefix;
  auto writer = std::make_unique<JsonlWriter>(base, exact, c, options);
  Status st = writer->NextShard();
  if (!st.ok()) return st;
  return std::unique_ptr<DocumentWriter>(std::move(writer));
}

}  // namespace winnow
