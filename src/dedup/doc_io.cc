// Minimal JSONL document I/O ({"id","url","text"} in, the same plus the
// dedup annotations out), used until the shared reader/writer lands.
#include "dedup/doc_io.h"

#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <string>

#include <simdjson.h>

namespace winnow {
namespace dedup_internal {
namespace {

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

void AppendJsonString(std::string_view s, std::string* out) {
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

}  // namespace

StatusOr<std::unique_ptr<ShardDocReader>> OpenShardReader(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return Status::NotFound("cannot open input shard " + path);
  gzbuffer(f, 1 << 18);
  return std::unique_ptr<ShardDocReader>(new GzJsonlReader(f));
}

StatusOr<std::unique_ptr<ShardDocWriter>> OpenShardWriter(const std::string& path,
                                                          bool with_decision) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return Status::IoError("cannot create " + path);
  return std::unique_ptr<ShardDocWriter>(new PlainJsonlWriter(f, path, with_decision));
}

std::string DocText(const Document& doc) {
  if (doc.blocks.empty()) return doc.raw;
  return doc.Text();
}

}  // namespace dedup_internal
}  // namespace winnow
