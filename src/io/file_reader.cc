// Single HTML or text files (and stdin): the whole input is one document.
#include <filesystem>

#include "io/charset.h"
#include "io/reader_internal.h"

namespace winnow::io {

namespace {

class FileReader : public ReaderBase {
 public:
  FileReader(std::string path, std::unique_ptr<BufferedInput> in, const ReaderOptions& options, DocKind kind)
      : ReaderBase(std::move(path), std::move(in), options), kind_(kind) {}

  Result Next(Document* doc, ReadError* error) override {
    if (done_) return Result::kEnd;
    done_ = true;
    *doc = Document();
    uint64_t cap = options_.max_record_bytes;
    in_->Read(static_cast<size_t>(cap) + 1, &doc->raw);
    if (in_->has_error()) {
      ++counters_.records_read;
      SetError(error, 0, 0, in_->TakeError().message() + "; the file is skipped");
      doc->raw.clear();
      return Result::kUnreadable;
    }
    if (doc->raw.size() > cap) {
      ++counters_.records_read;
      SetError(error, 0, 0,
               "the file is larger than max_record_bytes (" + std::to_string(cap) +
                   "); it is skipped (raise the limit to read it)");
      doc->raw.clear();
      doc->raw.shrink_to_fit();
      return Result::kUnreadable;
    }
    // An empty file holds no document.
    if (doc->raw.empty()) return Result::kEnd;
    ++counters_.records_read;
    doc->kind = kind_;
    doc->id = path_;
    if (path_ != "-") {
      std::error_code ec;
      auto abs = std::filesystem::absolute(path_, ec);
      doc->url = "file://" + (ec ? path_ : abs.lexically_normal().string());
    }
    doc->source.file = path_;
    doc->input_bytes = doc->raw.size();
    DecodeInfo info = DecodeToUtf8(&doc->raw, kind_ == DocKind::kHtml, "");
    doc->raw_charset = info.charset;
    counters_.invalid_utf8_replaced += info.replaced;
    if (info.charset != "utf-8") ++counters_.charset_converted;
    return Result::kDocument;
  }

 private:
  DocKind kind_;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<Reader> NewFileReader(std::string path, std::unique_ptr<BufferedInput> in,
                                      const ReaderOptions& options, DocKind kind) {
  return std::make_unique<FileReader>(std::move(path), std::move(in), options, kind);
}

}  // namespace winnow::io
