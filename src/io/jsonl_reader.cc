// The JSONL reader: one JSON object per line (doc/formats.md).
#include <simdjson.h>

#include "io/json.h"
#include "io/reader_internal.h"

namespace winnow::io {

namespace {

// The largest raw buffer a document keeps for the next record.
constexpr size_t kKeepRawCapacity = 4 << 20;

class JsonlReader : public ReaderBase {
 public:
  using ReaderBase::ReaderBase;

  Result Next(Document* doc, ReadError* error) override {
    std::string_view line;
    uint64_t line_no = 0, offset = 0;
    const Result cut = CutLine(&line, &line_no, &offset, error);
    if (cut != Result::kDocument) return cut;
    // simdjson reads up to SIMDJSON_PADDING bytes past its input: the line
    // is parsed where it lies when the buffer has that many after it (the
    // next line's bytes; their values do not matter), else copied.
    const bool padded = in_->ReadableAfter(line) >= simdjson::SIMDJSON_PADDING;
    uint64_t fixed = 0;
    const Result r = Finish(line, padded, line_no, offset, doc, error, &fixed);
    counters_.invalid_utf8_replaced += fixed;
    return r;
  }

  bool SplitsRecords() const override { return true; }

  Result NextRecord(RawRecord* rec, ReadError* error) override {
    std::string_view line;
    const Result cut = CutLine(&line, &rec->record, &rec->offset, error);
    if (cut != Result::kDocument) return cut;
    // The copy keeps simdjson's padding after the line (spaces: any bytes do).
    rec->bytes.reserve(line.size() + simdjson::SIMDJSON_PADDING);
    rec->bytes.assign(line);
    rec->bytes.append(simdjson::SIMDJSON_PADDING, ' ');
    return Result::kDocument;
  }

  Result ParseRecord(const RawRecord& rec, Document* doc, ReadError* error,
                     uint64_t* utf8_replaced) const override {
    if (rec.bytes.size() < simdjson::SIMDJSON_PADDING) return Result::kEnd;
    const std::string_view line(rec.bytes.data(), rec.bytes.size() - simdjson::SIMDJSON_PADDING);
    return Finish(line, /*padded=*/true, rec.record, rec.offset, doc, error, utf8_replaced);
  }

 private:
  // The next non-blank line (kDocument), an unreadable one, or the end.
  Result CutLine(std::string_view* out, uint64_t* line_no_out, uint64_t* offset_out, ReadError* error) {
    for (;;) {
      uint64_t offset = in_->offset();
      std::string_view line;
      bool too_long = false;
      if (!in_->ReadLine(&line, options_.max_record_bytes, &too_long)) {
        if (in_->has_error()) {
          uint64_t line_no = line_++;
          ++counters_.records_read;
          SetError(error, line_no, offset,
                   "line " + std::to_string(line_no + 1) + ": " + in_->TakeError().message());
          return Result::kUnreadable;
        }
        return Result::kEnd;
      }
      uint64_t line_no = line_++;
      if (too_long) {
        ++counters_.records_read;
        SetError(error, line_no, offset,
                 "line " + std::to_string(line_no + 1) + " is longer than max_record_bytes (" +
                     std::to_string(options_.max_record_bytes) + "); the line is skipped");
        return Result::kUnreadable;
      }
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.find_first_not_of(" \t") == std::string_view::npos) continue;  // blank line
      ++counters_.records_read;
      *out = line;
      *line_no_out = line_no;
      *offset_out = offset;
      return Result::kDocument;
    }
  }

  // Parses a cut line into *doc; thread-safe (reads only the options).
  Result Finish(std::string_view line, bool padded, uint64_t line_no, uint64_t offset, Document* doc,
                ReadError* error, uint64_t* fixed) const {
    std::string why;
    if (Parse(line, padded, doc, &why, fixed)) {
      doc->source.record = doc->source.file.empty() ? line_no : doc->source.record;
      if (doc->source.file.empty()) {
        doc->source.file = path_;
        doc->source.offset = offset;
      }
      if (doc->input_bytes == 0) doc->input_bytes = line.size();
      return Result::kDocument;
    }
    SetError(error, line_no, offset,
             "line " + std::to_string(line_no + 1) + ": " + why + "; the line is skipped");
    return Result::kUnreadable;
  }

  bool Parse(std::string_view line, bool padded, Document* doc, std::string* why, uint64_t* fixed_count) const {
    simdjson::dom::element root;
    auto err = ThreadParser().parse(line.data(), line.size(), !padded).get(root);
    std::string fixed_line;
    if (err == simdjson::STRING_ERROR) {
      // Often a lone UTF-16 surrogate escape (Python's json.dumps writes
      // them): replace those by U+FFFD, count them, and try again.
      uint64_t fixed = 0;
      fixed_line = FixLoneSurrogates(line, &fixed);
      if (fixed > 0) {
        *fixed_count += fixed;
        err = ThreadParser().parse(fixed_line.data(), fixed_line.size(), true).get(root);
      }
    }
    if (err != simdjson::SUCCESS) {
      *why = std::string("not valid JSON (") + simdjson::error_message(err) + ")";
      return false;
    }
    simdjson::dom::object obj;
    if (root.get(obj) != simdjson::SUCCESS) {
      *why = "not a JSON object";
      return false;
    }
    if (IsWinnowLine(obj)) {
      // winnow's own output: restore everything it carries.
      // The kind is kept as written (a corpus pass writes the document out
      // again); a text document without "raw" gets its text as raw, an HTML
      // one keeps an empty raw (its blocks carry the content).
      DocumentFromElement(obj, doc);
      if (doc->raw.empty() && doc->kind == DocKind::kText) doc->raw = doc->Text();
      return true;
    }
    // A fresh document, but the raw buffer of the last one is kept: the
    // pages of a stream are mostly of a size, so this saves an allocation
    // (and the page faults of a fresh mmap) per page.
    std::string raw = std::move(doc->raw);
    *doc = Document();
    if (raw.capacity() <= kKeepRawCapacity) doc->raw = std::move(raw);
    std::string_view s;
    if (obj[options_.html_field].get_string().get(s) == simdjson::SUCCESS) {
      doc->kind = DocKind::kHtml;
    } else if (obj[options_.text_field].get_string().get(s) == simdjson::SUCCESS) {
      doc->kind = DocKind::kText;
    } else {
      *why = "no string field '" + options_.text_field + "' or '" + options_.html_field +
             "' (set the field names in the reader options)";
      return false;
    }
    doc->raw.assign(s);
    doc->raw_charset = "utf-8";  // JSON text is UTF-8 (simdjson validated it)
    doc->id = FieldAsString(obj, options_.id_field);
    doc->url = FieldAsString(obj, options_.url_field);
    return true;
  }

  // A string, or a number written as text (ids are often numbers).
  static std::string FieldAsString(simdjson::dom::object obj, const std::string& key) {
    simdjson::dom::element e;
    if (key.empty() || obj[key].get(e) != simdjson::SUCCESS) return std::string();
    std::string_view s;
    if (e.get_string().get(s) == simdjson::SUCCESS) return std::string(s);
    int64_t i;
    if (e.get_int64().get(i) == simdjson::SUCCESS) return std::to_string(i);
    uint64_t u;
    if (e.get_uint64().get(u) == simdjson::SUCCESS) return std::to_string(u);
    return std::string();
  }

  static int Hex4(std::string_view s, size_t at) {
    if (at + 4 > s.size()) return -1;
    int v = 0;
    for (size_t i = at; i < at + 4; ++i) {
      char c = s[i];
      int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
      if (d < 0) return -1;
      v = v * 16 + d;
    }
    return v;
  }

  static std::string FixLoneSurrogates(std::string_view line, uint64_t* fixed) {
    std::string out;
    out.reserve(line.size());
    for (size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (c != '\\' || i + 1 >= line.size()) {
        out.push_back(c);
        continue;
      }
      if (line[i + 1] != 'u') {
        out.append(line.substr(i, 2));
        ++i;
        continue;
      }
      int v = Hex4(line, i + 2);
      if (v >= 0xD800 && v <= 0xDBFF && i + 11 < line.size() && line[i + 6] == '\\' && line[i + 7] == 'u') {
        int lo = Hex4(line, i + 8);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          out.append(line.substr(i, 12));  // a valid pair
          i += 11;
          continue;
        }
      }
      if (v >= 0xD800 && v <= 0xDFFF) {
        out.append("\\ufffd");
        ++*fixed;
        i += 5;
        continue;
      }
      out.append(line.substr(i, 2));
      ++i;
    }
    return out;
  }

  uint64_t line_ = 0;
};

}  // namespace

std::unique_ptr<Reader> NewJsonlReader(std::string path, std::unique_ptr<BufferedInput> in,
                                       const ReaderOptions& options) {
  return std::make_unique<JsonlReader>(std::move(path), std::move(in), options);
}

}  // namespace winnow::io
