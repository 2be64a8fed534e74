// The WARC 1.0/1.1 reader (also WET: `conversion` records). doc/formats.md
// lists what is read from which header; doc/io.md the error handling.
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "io/charset.h"
#include "io/reader_internal.h"
#include "base/utf8.h"

namespace winnow::io {

namespace {

constexpr size_t kMaxHeaderLine = 64 * 1024;
constexpr size_t kMaxHeaderBytes = 1 << 20;

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Header fields with lower-cased names, in order.
struct Headers {
  std::vector<std::pair<std::string, std::string>> fields;
  void Add(std::string_view line) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !fields.empty()) {
      fields.back().second += " ";
      fields.back().second += Trim(line);  // folded continuation line
      return;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return;
    fields.emplace_back(LowerAscii(Trim(line.substr(0, colon))), std::string(Trim(line.substr(colon + 1))));
  }
  const std::string* Get(std::string_view name) const {
    for (const auto& [n, v] : fields) {
      if (n == name) return &v;
    }
    return nullptr;
  }
  std::string GetOr(std::string_view name) const {
    const std::string* v = Get(name);
    return v ? *v : std::string();
  }
};

std::string StripAngles(std::string s) {
  if (s.size() >= 2 && s.front() == '<' && s.back() == '>') return s.substr(1, s.size() - 2);
  return s;
}

// The media type of a Content-Type value, lower-cased, without parameters.
std::string MediaType(std::string_view ct) {
  size_t semi = ct.find(';');
  return LowerAscii(Trim(ct.substr(0, semi)));
}

bool ParseUInt(std::string_view s, uint64_t* out) {
  s = Trim(s);
  if (s.empty() || s.size() > 19) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = v;
  return true;
}

// Decodes an HTTP chunked body; false when it is not well-formed chunked
// data (the caller then keeps the body as it is).
bool DecodeChunked(std::string_view in, std::string* out) {
  out->clear();
  size_t p = 0;
  for (;;) {
    size_t eol = in.find('\n', p);
    if (eol == std::string_view::npos) return !out->empty();  // cut short: keep what came
    std::string_view line = Trim(in.substr(p, eol - p));
    size_t semi = line.find(';');
    if (semi != std::string_view::npos) line = Trim(line.substr(0, semi));
    if (line.empty() || line.size() > 15) return false;
    uint64_t size = 0;
    for (char c : line) {
      int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
      if (d < 0) return false;
      size = size * 16 + static_cast<uint64_t>(d);
    }
    p = eol + 1;
    if (size == 0) return true;
    if (size > in.size() - p) {
      out->append(in.substr(p));  // the last chunk is cut short
      return true;
    }
    out->append(in.substr(p, size));
    p += size;
    if (p < in.size() && in[p] == '\r') ++p;
    if (p < in.size() && in[p] == '\n') ++p;
  }
}

// Inflates a gzip/deflate Content-Encoding; false on error or past `cap`.
bool Inflate(std::string_view in, std::string* out, uint64_t cap) {
  z_stream s{};
  if (inflateInit2(&s, 15 + 32) != Z_OK) return false;
  out->clear();
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  s.avail_in = static_cast<uInt>(in.size());
  char buf[64 * 1024];
  int ret = Z_OK;
  while (ret == Z_OK) {
    s.next_out = reinterpret_cast<Bytef*>(buf);
    s.avail_out = sizeof(buf);
    ret = inflate(&s, Z_NO_FLUSH);
    out->append(buf, sizeof(buf) - s.avail_out);
    if (out->size() > cap) ret = Z_MEM_ERROR;
    if (ret == Z_BUF_ERROR && s.avail_in == 0) break;
  }
  inflateEnd(&s);
  return ret == Z_STREAM_END || (ret == Z_BUF_ERROR && !out->empty());
}

class WarcReader : public ReaderBase {
 public:
  using ReaderBase::ReaderBase;

  Result Next(Document* doc, ReadError* error) override {
    for (;;) {
      uint64_t start = 0;
      Result r;
      if (!ReadVersionLine(&start, error, &r)) return r;
      uint64_t rec = record_++;
      Headers h;
      if (!ReadHeaders(&h, rec, start, error)) return Unreadable();
      uint64_t len = 0;
      const std::string* cl = h.Get("content-length");
      if (cl == nullptr || !ParseUInt(*cl, &len)) {
        SetError(error, rec, Offset(start),
                 "WARC record without a valid Content-Length header; skipping to the next record");
        resyncing_ = true;
        return Unreadable();
      }
      std::string type = LowerAscii(h.GetOr("warc-type"));
      bool wanted = type == "response" || type == "resource" || type == "conversion";
      if (type == "response") {
        std::string ct = LowerAscii(h.GetOr("content-type"));
        if (!ct.empty() && ct.find("application/http") == std::string::npos) wanted = false;  // dns: etc.
      }
      body_.clear();
      if (!wanted && len <= options_.max_record_bytes) {
        // Read rather than skipped: if its length is wrong, the next record
        // may start inside it (ResyncInBody).
        uint64_t got = in_->Read(static_cast<size_t>(len), &body_);
        if (got < len) return BodyCutShort(rec, start, len, got, error);
        ++counters_.records_skipped;
        if (!CheckTrailer(body_, rec, start, len, error)) return Unreadable();
        continue;
      }
      if (len > options_.max_record_bytes) {
        uint64_t got = in_->Skip(len);
        if (got < len) return BodyCutShort(rec, start, len, got, error);
        if (!wanted) {
          ++counters_.records_skipped;
          if (!CheckTrailer(std::string_view(), rec, start, len, error)) return Unreadable();
          continue;
        }
        SetError(error, rec, Offset(start),
                 "record of " + std::to_string(len) + " bytes is larger than max_record_bytes (" +
                     std::to_string(options_.max_record_bytes) + "); it is skipped (raise the limit to read it)");
        CheckTrailer(std::string_view(), rec, start, len, nullptr);
        return Unreadable();
      }
      uint64_t got = in_->Read(static_cast<size_t>(len), &body_);
      if (got < len) return BodyCutShort(rec, start, len, got, error);
      if (!CheckTrailer(body_, rec, start, len, error)) return Unreadable();
      std::string why;
      Result built = Build(h, type, doc, &why);
      if (built == Result::kDocument) {
        doc->source.file = path_;
        doc->source.record = rec;
        doc->source.offset = Offset(start);
        doc->input_bytes = (in_->offset() - start);
        ++counters_.records_read;
        return built;
      }
      if (built == Result::kUnreadable) {
        SetError(error, rec, Offset(start), why);
        return Unreadable();
      }
      ++counters_.records_skipped;  // not HTML or text
    }
  }

 private:
  Result Unreadable() {
    ++counters_.records_read;
    return Result::kUnreadable;
  }

  // The offset reported for a record starting at decompressed offset d: the
  // compressed offset when a gzip member starts there (per-record gzip,
  // where that offset lets tools seek to the record), else d.
  uint64_t Offset(uint64_t d) {
    uint64_t c;
    if (in_->stream().MemberStartAt(d, &c)) return c;
    return d;
  }

  // Finds the next "WARC/1.x" line. Blank lines are skipped; other lines are
  // reported once as unreadable, then skipped until the next version line.
  bool ReadVersionLine(uint64_t* start, ReadError* error, Result* r) {
    if (in_->has_error()) {
      // The stream broke just after the previous record.
      SetError(error, record_, Offset(in_->offset()), in_->TakeError().message());
      resyncing_ = true;
      ++counters_.records_read;
      *r = Result::kUnreadable;
      return false;
    }
    if (have_pending_) {
      have_pending_ = false;
      *start = pending_start_;
      return true;
    }
    for (;;) {
      uint64_t off = in_->offset();
      std::string_view line;
      bool too_long = false;
      if (!in_->ReadLine(&line, kMaxHeaderLine, &too_long)) {
        if (in_->has_error()) {
          SetError(error, record_, Offset(off), in_->TakeError().message());
          resyncing_ = true;
          ++counters_.records_read;
          *r = Result::kUnreadable;
          return false;
        }
        *r = Result::kEnd;
        return false;
      }
      line = Trim(line);
      if (line.empty() && !too_long) continue;
      if (!too_long && (line.substr(0, 7) == "WARC/1." || line.substr(0, 7) == "WARC/0.")) {
        resyncing_ = false;
        *start = off;
        return true;
      }
      if (!resyncing_) {
        resyncing_ = true;
        SetError(error, record_, Offset(off),
                 "expected a WARC version line (WARC/1.0 or WARC/1.1) but found other data; "
                 "skipping to the next WARC record (is this a WARC file?)");
        ++counters_.records_read;
        *r = Result::kUnreadable;
        return false;
      }
    }
  }

  bool ReadHeaders(Headers* h, uint64_t rec, uint64_t start, ReadError* error) {
    size_t total = 0;
    for (;;) {
      std::string_view line;
      bool too_long = false;
      if (!in_->ReadLine(&line, kMaxHeaderLine, &too_long)) {
        std::string why = in_->has_error() ? in_->TakeError().message()
                                           : std::string("the file ends inside the WARC headers (truncated file)");
        SetError(error, rec, Offset(start), why);
        resyncing_ = true;
        return false;
      }
      total += line.size() + 1;
      if (too_long || total > kMaxHeaderBytes) {
        SetError(error, rec, Offset(start), "WARC headers longer than 1 MiB; skipping to the next record");
        resyncing_ = true;
        return false;
      }
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty()) return true;
      h->Add(line);
    }
  }

  // After a body: the record ends with CRLF CRLF and the next record starts
  // with a version line. Anything else means Content-Length was wrong.
  bool CheckTrailer(std::string_view body, uint64_t rec, uint64_t start, uint64_t len, ReadError* error) {
    trailer_.clear();
    in_->Read(4, &trailer_);
    if (trailer_ == "\r\n\r\n") return true;  // the normal case
    in_->Unread(trailer_);
    for (int blank = 0;; ++blank) {
      uint64_t off = in_->offset();
      std::string_view line;
      bool too_long = false;
      if (!in_->ReadLine(&line, kMaxHeaderLine, &too_long)) {
        // End of file after the record, or the stream broke after it: the
        // break belongs to the next record (ReadVersionLine reports it).
        return true;
      }
      std::string_view t = Trim(line);
      if (t.empty() && blank < 8) continue;
      if (!too_long && (t.substr(0, 7) == "WARC/1." || t.substr(0, 7) == "WARC/0.")) {
        have_pending_ = true;
        pending_start_ = off;
        return true;
      }
      // Content-Length does not match: push back what was read and, if
      // the next record starts inside the body, resume there.
      std::string back(line);
      back.push_back('\n');
      in_->Unread(back);
      std::string where = ResyncInBody(body);
      if (error) {
        SetError(error, rec, Offset(start),
                 "Content-Length " + std::to_string(len) +
                     " does not match the record (no record boundary after it)" + where +
                     "; the record is skipped");
      }
      resyncing_ = true;
      return false;
    }
  }

  // Looks for a "WARC/1." line inside a body read with a wrong length and
  // pushes the data from there back into the stream.
  std::string ResyncInBody(std::string_view body) {
    for (std::string_view marker : {std::string_view("\nWARC/1."), std::string_view("\nWARC/0.")}) {
      size_t at = body.find(marker);
      if (at != std::string_view::npos) {
        in_->Unread(body.substr(at + 1));
        return "; the next record starts inside it";
      }
    }
    return "";
  }

  Result BodyCutShort(uint64_t rec, uint64_t start, uint64_t len, uint64_t got, ReadError* error) {
    std::string why;
    if (in_->has_error()) {
      why = in_->TakeError().message();
    } else {
      why = "Content-Length " + std::to_string(len) + " runs past the end of the file (only " +
            std::to_string(got) + " bytes left): the file is truncated or the length is wrong";
    }
    why += ResyncInBody(body_);
    SetError(error, rec, Offset(start), why + "; the record is skipped");
    resyncing_ = true;
    return Unreadable();
  }

  // Turns a record into a document. kEnd here means "skip this record".
  Result Build(const Headers& h, const std::string& type, Document* doc, std::string* why) {
    *doc = Document();
    doc->id = StripAngles(h.GetOr("warc-record-id"));
    doc->url = StripAngles(h.GetOr("warc-target-uri"));
    doc->fetch.date = h.GetOr("warc-date");
    std::string_view payload = body_;
    std::string content_type;
    if (type == "response") {
      // HTTP status line and headers.
      size_t end = payload.find("\r\n\r\n");
      size_t skip = 4;
      size_t lf = payload.find("\n\n");
      if (lf != std::string_view::npos && (end == std::string_view::npos || lf < end)) {
        end = lf;
        skip = 2;
      }
      if (payload.substr(0, 5) != "HTTP/" || end == std::string_view::npos) {
        *why = "response record without a valid HTTP header; the record is skipped";
        return Result::kUnreadable;
      }
      std::string_view head = payload.substr(0, end);
      payload.remove_prefix(end + skip);
      size_t eol = head.find('\n');
      std::string_view status_line = head.substr(0, eol);
      size_t sp = status_line.find(' ');
      if (sp != std::string_view::npos) {
        uint64_t code = 0;
        std::string_view code_str = status_line.substr(sp + 1, 3);
        if (ParseUInt(code_str, &code)) doc->fetch.http_status = static_cast<int>(code);
      }
      Headers http;
      while (eol != std::string_view::npos) {
        size_t next = head.find('\n', eol + 1);
        std::string_view line = head.substr(eol + 1, next == std::string_view::npos ? std::string_view::npos : next - eol - 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        http.Add(line);
        eol = next;
      }
      content_type = http.GetOr("content-type");
      std::string te = LowerAscii(http.GetOr("transfer-encoding"));
      if (te.find("chunked") != std::string::npos && DecodeChunked(payload, &scratch_)) {
        body_.swap(scratch_);
        payload = body_;
      }
      std::string ce = LowerAscii(http.GetOr("content-encoding"));
      if ((ce == "gzip" || ce == "x-gzip" || ce == "deflate") && !payload.empty() &&
          Inflate(payload, &scratch_, options_.max_record_bytes)) {
        body_.swap(scratch_);
        payload = body_;
      }
      if (content_type.empty()) content_type = h.GetOr("warc-identified-payload-type");
    } else {
      content_type = h.GetOr("content-type");
    }
    std::string media = MediaType(content_type);
    doc->fetch.content_type = media;
    doc->fetch.charset = CharsetFromContentType(content_type);
    if (type == "conversion") {
      doc->kind = DocKind::kText;
    } else if (media == "text/html" || media == "application/xhtml+xml" || media == "application/xml+html") {
      doc->kind = DocKind::kHtml;
    } else if (media == "text/plain") {
      doc->kind = DocKind::kText;
    } else if (media.empty() && !payload.empty() && Trim(payload.substr(0, 64)).substr(0, 1) == "<") {
      doc->kind = DocKind::kHtml;  // no type given: sniff
    } else if (options_.keep_other_content_types) {
      doc->kind = DocKind::kText;
    } else {
      return Result::kEnd;
    }
    if (payload.data() == body_.data() && payload.size() == body_.size()) {
      doc->raw.swap(body_);
    } else {
      doc->raw.assign(payload);
    }
    // WET text is UTF-8 by definition; it is still validated.
    DecodeInfo info = type == "conversion" ? DecodeInfo{"utf-8", "utf8", RepairUtf8(&doc->raw)}
                                           : DecodeToUtf8(&doc->raw, doc->kind == DocKind::kHtml, doc->fetch.charset);
    doc->raw_charset = info.charset;
    counters_.invalid_utf8_replaced += info.replaced;
    if (info.charset != "utf-8") ++counters_.charset_converted;
    // Header values are the crawler's bytes; like the content they leave the
    // reader as UTF-8 (found by tests/fuzz/warc_fuzzer: a WARC-Target-URI
    // with 0xFF bytes came out as the document's url unchanged).
    for (std::string* s : {&doc->id, &doc->url, &doc->fetch.date, &doc->fetch.content_type, &doc->fetch.charset}) {
      counters_.invalid_utf8_replaced += RepairUtf8(s);
    }
    return Result::kDocument;
  }

  uint64_t record_ = 0;
  bool resyncing_ = false;
  bool have_pending_ = false;
  uint64_t pending_start_ = 0;
  std::string body_, scratch_, trailer_;
};

}  // namespace

std::unique_ptr<Reader> NewWarcReader(std::string path, std::unique_ptr<BufferedInput> in,
                                      const ReaderOptions& options) {
  return std::make_unique<WarcReader>(std::move(path), std::move(in), options);
}

}  // namespace winnow::io
