// Document I/O of the dedup passes. With winnow_io (the normal build) the
// shared JSONL reader and DocumentToJson are used, so every field a winnow
// line carries (blocks, language, quality, decision) survives dedup. Without
// it, a minimal {"id","url","text"} reader/writer keeps the stage buildable.
#include "dedup/doc_io.h"

#ifdef WINNOW_DEDUP_HAVE_IO
#include "winnow/reader.h"
#include "winnow/writer.h"
#endif

#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <string>

#include <simdjson.h>

namespace winnow {
namespace dedup_internal {
namespace {

void AppendJsonString(std::string_view s, std::string* out);

class GzJsonlReader : public ShardDocReader {
 public:
  explicit GzJsonlReader(gzFile f) : f_(f) {}
  ~GzJsonlReader() override { gzclose(f_); }

  bool Next(Document* doc) override {
    std::string line;
    while (ReadLine(&line)) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      if (Parse(line, doc)) return true;
      ++unreadable_;
    }
    return false;
  }
  uint64_t unreadable() const override { return unreadable_; }

 private:
  bool ReadLine(std::string* line) {
    line->clear();
    if (eof_) return false;
    char buf[1 << 16];
    while (true) {
      if (gzgets(f_, buf, sizeof(buf)) == nullptr) {
        eof_ = true;
        return !line->empty();
      }
      size_t n = std::strlen(buf);
      line->append(buf, n);
      if (n > 0 && buf[n - 1] == '\n') {
        line->pop_back();
        return true;
      }
    }
  }

  bool Parse(const std::string& line, Document* doc) {
    *doc = Document();
    simdjson::padded_string padded(line);
    simdjson::ondemand::document d;
    if (parser_.iterate(padded).get(d) != simdjson::SUCCESS) return false;
    simdjson::ondemand::object obj;
    if (d.get_object().get(obj) != simdjson::SUCCESS) return false;
    bool has_text = false;
    for (auto field : obj) {
      std::string_view key;
      if (field.unescaped_key().get(key) != simdjson::SUCCESS) return false;
      simdjson::ondemand::value v;
      if (field.value().get(v) != simdjson::SUCCESS) return false;
      std::string_view sv;
      if (key == "id") {
        if (v.get_string().get(sv) == simdjson::SUCCESS) {
          doc->id = std::string(sv);
        } else {
          std::string_view raw = v.raw_json_token();
          doc->id = std::string(raw);
          while (!doc->id.empty() && doc->id.back() == ' ') doc->id.pop_back();
        }
      } else if (key == "url") {
        if (v.get_string().get(sv) == simdjson::SUCCESS) doc->url = std::string(sv);
      } else if (key == "text") {
        if (v.get_string().get(sv) != simdjson::SUCCESS) return false;
        doc->SetTextLines(sv);
        has_text = true;
      }
    }
    return has_text;
  }

  gzFile f_;
  bool eof_ = false;
  uint64_t unreadable_ = 0;
  simdjson::ondemand::parser parser_;
};

void AppendJsonString(std::string_view s, std::string* out) {  // NOLINT
  out->push_back('"');
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        if (u < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", u);
          *out += buf;
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

class PlainJsonlWriter : public ShardDocWriter {
 public:
  PlainJsonlWriter(std::FILE* f, std::string path, bool with_decision)
      : f_(f), path_(std::move(path)), with_decision_(with_decision) {}
  ~PlainJsonlWriter() override {
    if (f_) std::fclose(f_);
  }
  Status Write(const Document& doc) override {
    line_.clear();
    line_ += "{\"id\":";
    AppendJsonString(doc.id, &line_);
    line_ += ",\"url\":";
    AppendJsonString(doc.url, &line_);
    line_ += ",\"text\":";
    AppendJsonString(DocText(doc), &line_);
    if (!doc.annotations.dup_cluster.empty()) {
      line_ += ",\"dup_cluster\":";
      AppendJsonString(doc.annotations.dup_cluster, &line_);
      line_ += ",\"dup_cluster_size\":" + std::to_string(doc.annotations.dup_cluster_size);
    }
    if (with_decision_) {
      line_ += ",\"decision\":{\"stage\":";
      AppendJsonString(doc.decision.stage, &line_);
      line_ += ",\"reason\":";
      AppendJsonString(doc.decision.reason, &line_);
      line_ += ",\"detail\":";
      AppendJsonString(doc.decision.detail, &line_);
      line_ += "}";
    }
    line_ += "}\n";
    if (std::fwrite(line_.data(), 1, line_.size(), f_) != line_.size())
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
  std::string line_;
};

#ifdef WINNOW_DEDUP_HAVE_IO
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
#endif

}  // namespace

StatusOr<std::unique_ptr<ShardDocReader>> OpenShardReader(const std::string& path) {
#ifdef WINNOW_DEDUP_HAVE_IO
  ReaderOptions ro;
  ro.format = "jsonl";
  auto r = OpenReader(path, ro);
  if (!r.ok()) return r.status();
  return std::unique_ptr<ShardDocReader>(new SharedReader(std::move(*r)));
#endif
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return Status::NotFound("cannot open input shard " + path);
  gzbuffer(f, 1 << 18);
  return std::unique_ptr<ShardDocReader>(new GzJsonlReader(f));
}

StatusOr<std::unique_ptr<ShardDocWriter>> OpenShardWriter(const std::string& path,
                                                          bool with_decision) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return Status::IoError("cannot create " + path);
  std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
#ifdef WINNOW_DEDUP_HAVE_IO
  return std::unique_ptr<ShardDocWriter>(new SharedWriter(f, path, with_decision));
#endif
  return std::unique_ptr<ShardDocWriter>(new PlainJsonlWriter(f, path, with_decision));
}

std::string DocText(const Document& doc) {
  if (doc.blocks.empty()) return doc.raw;
  return doc.Text();
}

}  // namespace dedup_internal
}  // namespace winnow
