// Helpers for the io tests: temporary folders, files, compression, and
// draining a reader.
#ifndef WINNOW_TESTS_IO_TEST_UTIL_H_
#define WINNOW_TESTS_IO_TEST_UTIL_H_

#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../test_files.h"
#include "winnow/reader.h"

namespace winnow::testing {

// A fresh folder under the build tree, removed at destruction.
class TempDir {
 public:
  TempDir() {
    std::string base = std::string(WINNOW_BINARY_DIR) + "/io_test_tmp";
    std::filesystem::create_directories(base);
    std::string tmpl = base + "/XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    path_ = mkdtemp(buf.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline void WriteFile(const std::string& path, const std::string& data) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream f(path, std::ios::binary);
  f.write(data.data(), static_cast<std::streamsize>(data.size()));
}

// ReadFile: tests/test_files.h.

// One gzip member holding `data`.
inline std::string Gzip(const std::string& data) {
  z_stream s{};
  deflateInit2(&s, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&s, data.size()) + 64, '\0');
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  s.avail_in = static_cast<uInt>(data.size());
  s.next_out = reinterpret_cast<Bytef*>(out.data());
  s.avail_out = static_cast<uInt>(out.size());
  deflate(&s, Z_FINISH);
  out.resize(out.size() - s.avail_out);
  deflateEnd(&s);
  return out;
}

inline std::string Gunzip(const std::string& data) {
  z_stream s{};
  inflateInit2(&s, 15 + 32);
  std::string out;
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  s.avail_in = static_cast<uInt>(data.size());
  char buf[65536];
  for (;;) {
    s.next_out = reinterpret_cast<Bytef*>(buf);
    s.avail_out = sizeof(buf);
    int r = inflate(&s, Z_NO_FLUSH);
    out.append(buf, sizeof(buf) - s.avail_out);
    if (r == Z_STREAM_END) {
      if (s.avail_in == 0) break;
      inflateReset(&s);
      continue;
    }
    if (r != Z_OK) break;
  }
  inflateEnd(&s);
  return out;
}

inline std::string Zstd(const std::string& data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
  out.resize(n);
  return out;
}

inline std::string Unzstd(const std::string& data) {
  std::string out;
  ZSTD_DCtx* d = ZSTD_createDCtx();
  ZSTD_inBuffer in{data.data(), data.size(), 0};
  char buf[65536];
  while (in.pos < in.size) {
    ZSTD_outBuffer o{buf, sizeof(buf), 0};
    size_t r = ZSTD_decompressStream(d, &o, &in);
    out.append(buf, o.pos);
    if (ZSTD_isError(r)) break;
  }
  ZSTD_freeDCtx(d);
  return out;
}

struct Drained {
  std::vector<Document> docs;
  std::vector<ReadError> errors;
  ReaderCounters counters;
};

// Reads everything; a guard stops a reader that would loop forever.
inline Drained Drain(Reader* r) {
  Drained d;
  for (int i = 0; i < 100000; ++i) {
    Document doc;
    ReadError err;
    Reader::Result res = r->Next(&doc, &err);
    if (res == Reader::Result::kEnd) break;
    if (res == Reader::Result::kDocument) d.docs.push_back(std::move(doc));
    if (res == Reader::Result::kUnreadable) d.errors.push_back(err);
  }
  d.counters = r->counters();
  return d;
}

inline Drained DrainPath(const std::string& path, ReaderOptions opt = ReaderOptions()) {
  auto r = OpenReader(path, opt);
  if (!r.ok()) {
    Drained d;
    ReadError e;
    e.message = "open failed: " + r.status().ToString();
    d.errors.push_back(e);
    return d;
  }
  return Drain(r->get());
}

// A WARC record with the given headers and block.
inline std::string WarcRecord(const std::string& type, const std::string& uri, const std::string& block,
                              const std::string& content_type, const std::string& id = "",
                              const std::string& version = "WARC/1.0") {
  std::string r = version + "\r\n";
  r += "WARC-Type: " + type + "\r\n";
  if (!uri.empty()) r += "WARC-Target-URI: " + uri + "\r\n";
  r += "WARC-Date: 2024-01-02T03:04:05Z\r\n";
  r += "WARC-Record-ID: <urn:uuid:" + (id.empty() ? std::string("00000000-0000-0000-0000-000000000000") : id) + ">\r\n";
  if (!content_type.empty()) r += "Content-Type: " + content_type + "\r\n";
  r += "Content-Length: " + std::to_string(block.size()) + "\r\n\r\n";
  r += block;
  r += "\r\n\r\n";
  return r;
}

inline std::string HttpResponse(const std::string& body, const std::string& content_type,
                                const std::string& extra_headers = "") {
  return "HTTP/1.1 200 OK\r\nContent-Type: " + content_type + "\r\n" + extra_headers + "\r\n" + body;
}

}  // namespace winnow::testing

#endif  // WINNOW_TESTS_IO_TEST_UTIL_H_
