// io_bench: reader throughput on a per-record gzip WARC, beside `zcat` on
// the same file (the ceiling for anything that must inflate it), plus the
// JSONL writer.
//
//   io_bench [--shared DIR] [--work DIR] [--pages N] [WARC.gz]
//
// Without a WARC argument it builds one in --work (default
// /tmp/winnow_io_bench) from the pages of DIR/data/extraction/*.jsonl.gz
// (DIR defaults to ../shared), one `response` record per page, gzip per
// record, as crawlers write them. Prints figures; keeps no state.
#include <sys/resource.h>
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "io/input_stream.h"
#include "winnow/reader.h"
#include "winnow/writer.h"

namespace {

double CpuSeconds() {
  rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string GzipMember(const std::string& data) {
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

// Builds the benchmark WARC; returns the number of records.
int BuildWarc(const std::string& shared, const std::string& out_path, int max_pages) {
  std::FILE* out = std::fopen(out_path.c_str(), "wb");
  if (out == nullptr) return -1;
  int n = 0;
  for (const char* set : {"cleaneval", "scrapinghub", "readability"}) {
    std::string path = shared + "/data/extraction/" + set + ".jsonl.gz";
    auto r = winnow::OpenReader(path, winnow::ReaderOptions());
    if (!r.ok()) {
      std::fprintf(stderr, "skip %s: %s\n", path.c_str(), r.status().ToString().c_str());
      continue;
    }
    winnow::Document doc;
    winnow::ReadError err;
    while (n < max_pages) {
      auto res = (*r)->Next(&doc, &err);
      if (res == winnow::Reader::Result::kEnd) break;
      if (res != winnow::Reader::Result::kDocument) continue;
      std::string http = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
                         std::to_string(doc.raw.size()) + "\r\n\r\n" + doc.raw;
      char id[64];
      std::snprintf(id, sizeof(id), "<urn:uuid:00000000-0000-0000-0000-%012d>", n);
      std::string rec = "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + doc.url +
                        "\r\nWARC-Date: 2026-11-29T00:00:00Z\r\nWARC-Record-ID: " + id +
                        "\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: " +
                        std::to_string(http.size()) + "\r\n\r\n" + http + "\r\n\r\n";
      std::string gz = GzipMember(rec);
      std::fwrite(gz.data(), 1, gz.size(), out);
      ++n;
    }
  }
  std::fclose(out);
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  std::string shared = "../shared";
  std::string work = "/tmp/winnow_io_bench";
  std::string warc;
  int pages = 100000;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--shared" && i + 1 < argc) shared = argv[++i];
    else if (a == "--work" && i + 1 < argc) work = argv[++i];
    else if (a == "--pages" && i + 1 < argc) pages = std::atoi(argv[++i]);
    else warc = a;
  }
  if (warc.empty()) {
    std::filesystem::create_directories(work);
    warc = work + "/bench.warc.gz";
    if (!std::filesystem::exists(warc)) {
      int n = BuildWarc(shared, warc, pages);
      if (n <= 0) {
        std::fprintf(stderr, "could not build a WARC from %s/data/extraction (give --shared DIR or a WARC)\n", shared.c_str());
        return 2;
      }
      std::printf("built %s: %d records\n", warc.c_str(), n);
    }
  }
  uint64_t compressed = std::filesystem::file_size(warc);

  // 1. zcat, the ceiling (CPU time of the child, best of 2).
  double zcat_s = 1e9;
  int rc = 0;
  for (int round = 0; round < 2; ++round) {
    rusage before, after;
    getrusage(RUSAGE_CHILDREN, &before);
    std::string cmd = "zcat '" + warc + "' > /dev/null";
    rc = std::system(cmd.c_str());
    getrusage(RUSAGE_CHILDREN, &after);
    auto sec = [](const rusage& r) {
      return r.ru_utime.tv_sec + r.ru_stime.tv_sec + (r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
    };
    zcat_s = std::min(zcat_s, sec(after) - sec(before));
  }
  if (rc != 0) std::fprintf(stderr, "zcat failed\n");

  // 2. Decompression alone through winnow's InputStream.
  uint64_t uncompressed = 0;
  double inflate_s = 1e9;
  for (int round = 0; round < 2; ++round) {
    auto in = winnow::io::InputStream::Open(warc);
    if (!in.ok()) return 1;
    std::vector<char> buf(1 << 20);
    winnow::Status st;
    double c0 = CpuSeconds();
    uint64_t total = 0;
    size_t got;
    while ((got = (*in)->Read(buf.data(), buf.size(), &st)) > 0 || !st.ok()) total += got;
    inflate_s = std::min(inflate_s, CpuSeconds() - c0);
    uncompressed = total;
  }

  // 3. The WARC reader (inflate + parse + HTTP + charset + UTF-8 check).
  double read_s = 1e9;
  uint64_t docs = 0, unreadable = 0, skipped = 0;
  std::vector<winnow::Document> keep;
  for (int round = 0; round < 3; ++round) {
    auto r = winnow::OpenReader(warc, winnow::ReaderOptions());
    if (!r.ok()) {
      std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
      return 1;
    }
    winnow::Document doc;
    winnow::ReadError err;
    double c0 = CpuSeconds();
    docs = unreadable = 0;
    for (;;) {
      auto res = (*r)->Next(&doc, &err);
      if (res == winnow::Reader::Result::kEnd) break;
      if (res == winnow::Reader::Result::kDocument) {
        ++docs;
        if (round == 0 && keep.size() < 2000) keep.push_back(doc);
      } else {
        ++unreadable;
      }
    }
    read_s = std::min(read_s, CpuSeconds() - c0);
    skipped = (*r)->counters().records_skipped;
  }

  // 3b. The same records uncompressed: the parsing cost without inflate.
  double plain_s = 1e9;
  std::string plain_path = work + "/bench.warc";
  {
    std::string cmd2 = "zcat '" + warc + "' > '" + plain_path + "'";
    if (std::system(cmd2.c_str()) == 0) {
      for (int round = 0; round < 3; ++round) {
        auto r = winnow::OpenReader(plain_path, winnow::ReaderOptions());
        if (!r.ok()) break;
        winnow::Document doc;
        winnow::ReadError err;
        double c0 = CpuSeconds();
        while ((*r)->Next(&doc, &err) != winnow::Reader::Result::kEnd) {
        }
        plain_s = std::min(plain_s, CpuSeconds() - c0);
      }
      std::filesystem::remove(plain_path);
    }
  }

  // 3c. The JSONL reader on one of the shared sets (HTML in a JSON field).
  double jsonl_s = 1e9;
  uint64_t jsonl_docs = 0, jsonl_bytes = 0, jsonl_compressed = 0;
  std::string jsonl_path = shared + "/data/extraction/cleaneval.jsonl.gz";
  if (std::filesystem::exists(jsonl_path)) {
    jsonl_compressed = std::filesystem::file_size(jsonl_path);
    for (int round = 0; round < 2; ++round) {
      auto r = winnow::OpenReader(jsonl_path, winnow::ReaderOptions());
      if (!r.ok()) break;
      winnow::Document doc;
      winnow::ReadError err;
      double c0 = CpuSeconds();
      jsonl_docs = jsonl_bytes = 0;
      while ((*r)->Next(&doc, &err) != winnow::Reader::Result::kEnd) {
        ++jsonl_docs;
        jsonl_bytes += doc.input_bytes;
      }
      jsonl_s = std::min(jsonl_s, CpuSeconds() - c0);
    }
  }

  // 4. The JSONL writer with raw (the heaviest line), gzip and zstd.
  double write_s[2] = {0, 0};
  uint64_t written = 0;
  for (int c = 0; c < 2; ++c) {
    written = 0;
    winnow::WriterOptions wo;
    wo.compression = c == 0 ? "gz" : "zst";
    wo.json.raw = true;
    std::string out_path = work + (c == 0 ? "/bench-out.jsonl.gz" : "/bench-out.jsonl.zst");
    auto w = winnow::OpenWriter(out_path, wo);
    if (!w.ok()) return 1;
    double c0 = CpuSeconds();
    for (const auto& d : keep) {
      (*w)->Write(d);
      written += d.raw.size();
    }
    (*w)->Close();
    write_s[c] = CpuSeconds() - c0;
    std::filesystem::remove(out_path);
  }

  const double mb = 1e6;
  std::printf("file: %s\n", warc.c_str());
  std::printf("compressed: %.1f MB, uncompressed: %.1f MB, documents: %llu, unreadable: %llu, skipped: %llu\n",
              compressed / mb, uncompressed / mb, static_cast<unsigned long long>(docs),
              static_cast<unsigned long long>(unreadable), static_cast<unsigned long long>(skipped));
  std::printf("%-34s %10s %14s %12s\n", "", "CPU s", "compressed MB/s", "uncomp. MB/s");
  std::printf("%-34s %10.3f %14.1f %12.1f   (CPU time of the zcat process)\n", "zcat > /dev/null (ceiling)", zcat_s,
              compressed / mb / zcat_s, uncompressed / mb / zcat_s);
  std::printf("%-34s %10.3f %14.1f %12.1f\n", "InputStream (inflate only)", inflate_s, compressed / mb / inflate_s,
              uncompressed / mb / inflate_s);
  std::printf("%-34s %10.3f %14.1f %12.1f   %.0f docs/s per core\n", "WARC reader (best of 3)", read_s,
              compressed / mb / read_s, uncompressed / mb / read_s, docs / read_s);
  if (plain_s < 1e9) {
    std::printf("%-34s %10.3f %14s %12.1f   %.0f docs/s per core\n", "WARC reader, uncompressed file", plain_s, "-",
                uncompressed / mb / plain_s, docs / plain_s);
  }
  if (jsonl_s < 1e9) {
    std::printf("%-34s %10.3f %14.1f %12.1f   %.0f docs/s per core (%s)\n", "JSONL reader, gzip", jsonl_s,
                jsonl_compressed / mb / jsonl_s, jsonl_bytes / mb / jsonl_s, jsonl_docs / jsonl_s,
                jsonl_path.c_str());
  }
  std::printf("%-34s %10.3f %14s %12.1f   (%zu docs, raw included)\n", "JSONL writer, gz level 6", write_s[0], "-",
              written / mb / write_s[0], keep.size());
  std::printf("%-34s %10.3f %14s %12.1f   (%zu docs, raw included)\n", "JSONL writer, zst level 3", write_s[1], "-",
              written / mb / write_s[1], keep.size());
  return 0;
}
