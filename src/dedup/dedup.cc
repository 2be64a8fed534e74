// The four dedup passes (see include/winnow/dedup.h and doc/dedup.md for the
// file formats and the reasons behind the choices).
#include "winnow/dedup.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <limits>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "base/filename.h"
#include "dedup/doc_io.h"
#include "dedup/external_sort.h"
#include "dedup/minhash_internal.h"
#include "io/json.h"

namespace winnow {

using dedup_internal::ExternalSorter;
using dedup_internal::RecordReader;

namespace {

namespace fs = std::filesystem;

constexpr uint32_t kFormatVersion = 2;
constexpr int kDocBits = 56;  // global document indices are < 2^56
constexpr uint64_t kDocMask = (uint64_t{1} << kDocBits) - 1;

// Pair and exact-key kinds.
enum Kind : uint32_t { kKeep = 0, kExact = 1, kUrl = 2, kNear = 3 };

// Every binary file of the work dir starts with this header.
struct FileHeader {
  char magic[8];
  uint32_t version;
  uint32_t record_size;
  uint64_t options_hash;
  uint64_t count;
};
static_assert(sizeof(FileHeader) == 32);

// The fixed part of a signature record; `bands` uint64 band hashes follow.
struct SigFixed {
  uint64_t exact_lo, exact_hi;  // XXH3-128 of NormalizeForExact(text)
  uint64_t url_lo, url_hi;      // XXH3-128 of the URL
  uint64_t id_offset;           // into ids-NNNNN.bin
  uint64_t set_offset;          // into sets-NNNNN.bin, in uint32 units
  uint32_t id_len;
  uint32_t set_count;
  uint32_t text_len;            // bytes of NormalizeForExact(text) (keeper rule)
  uint32_t flags;               // kHas* below
  double quality;               // annotations.quality[keep_signal], NaN if none
  int64_t fetch_time;           // fetch.date as YYYYMMDDhhmmss, INT64_MIN if none
};
static_assert(sizeof(SigFixed) == 80);
constexpr uint32_t kHasShingles = 1, kHasUrl = 2, kHasExact = 4;

// Keep priority: documents are ordered by (priority, global index), the
// smallest first; the first of a group is the one kept (dedup.keep).
struct NearKey {  // one (band, band hash) bucket entry
  uint64_t hash;
  uint64_t band_doc;  // band << 56 | doc
  uint64_t prio;
};
struct NearKeyLess {
  bool operator()(const NearKey& x, const NearKey& y) const {
    if ((x.band_doc >> kDocBits) != (y.band_doc >> kDocBits))
      return (x.band_doc >> kDocBits) < (y.band_doc >> kDocBits);
    if (x.hash != y.hash) return x.hash < y.hash;
    if (x.prio != y.prio) return x.prio < y.prio;
    return x.band_doc < y.band_doc;
  }
};
struct ExactKey {  // one content or URL key
  uint64_t hi, lo;
  uint64_t kind_doc;  // kind << 56 | doc
  uint64_t prio;
};
struct ExactKeyLess {
  bool operator()(const ExactKey& x, const ExactKey& y) const {
    if ((x.kind_doc >> kDocBits) != (y.kind_doc >> kDocBits))
      return (x.kind_doc >> kDocBits) < (y.kind_doc >> kDocBits);
    if (x.hi != y.hi) return x.hi < y.hi;
    if (x.lo != y.lo) return x.lo < y.lo;
    if (x.prio != y.prio) return x.prio < y.prio;
    return x.kind_doc < y.kind_doc;
  }
};
// A candidate pair. Near: a < b. Exact/URL: a is the key's first document
// in keep-priority order, b another document with the key.
struct Pair {
  uint64_t a;
  uint64_t kind_b;  // kind << 56 | b
  uint64_t prio_a, prio_b;
};
struct PairLess {
  bool operator()(const Pair& x, const Pair& y) const {
    return x.a != y.a ? x.a < y.a : x.kind_b < y.kind_b;
  }
};
// A pair as stored in pairs-*.bin: with the Jaccard similarity of the two
// n-gram sets (1 for exact keys; -1 when not checked).
struct PairOut {
  Pair p;
  float jaccard;
  uint32_t pad;
};
static_assert(sizeof(PairOut) == 40);
struct ClusterRecord {
  uint64_t doc;
  uint64_t keeper;  // the kept document named in its decision
  uint64_t ref;     // exact/URL: the document with the same key; near: keeper
  uint32_t size;    // documents removed for this keeper, plus the keeper
  uint32_t kind;    // Kind in bits 0-7; Jaccard with the keeper x 10000 (floor) in bits 8-23
};
static_assert(sizeof(ClusterRecord) == 32);
// dedup.paragraphs: one occurrence of a paragraph (XXH3-128 of its
// NormalizeForExact text). doc: the index in the shard (paras/keys files),
// global from pass 2 on; para: the block index (or the line index of a text
// without blocks).
struct ParaKey {
  uint64_t hi, lo;
  uint64_t doc, para;
};
static_assert(sizeof(ParaKey) == 32);
struct ParaKeyLess {
  bool operator()(const ParaKey& x, const ParaKey& y) const {
    if (x.hi != y.hi) return x.hi < y.hi;
    if (x.lo != y.lo) return x.lo < y.lo;
    if (x.doc != y.doc) return x.doc < y.doc;
    return x.para < y.para;
  }
};
// A paragraph occurrence to drop (paradrops.bin, sorted by doc and para):
// `first` is the document of the occurrence that stays.
struct ParaDrop {
  uint64_t doc, para, first;
};
static_assert(sizeof(ParaDrop) == 24);
struct ParaDropLess {
  bool operator()(const ParaDrop& x, const ParaDrop& y) const {
    return x.doc != y.doc ? x.doc < y.doc : x.para < y.para;
  }
};
struct U64Less {
  bool operator()(uint64_t x, uint64_t y) const { return x < y; }
};

std::string SigPath(const DedupOptions& o, size_t s) { return filename::DedupSignatures(o.work_dir, s); }
std::string IdsPath(const DedupOptions& o, size_t s) { return filename::DedupIds(o.work_dir, s); }
std::string SetsPath(const DedupOptions& o, size_t s) { return filename::DedupSets(o.work_dir, s); }
std::string KeysPath(const DedupOptions& o, size_t s) { return filename::DedupKeys(o.work_dir, s); }
std::string PairsPath(const DedupOptions& o, int p) {
  return filename::DedupPairs(o.work_dir, p, o.partitions);
}
std::string ClustersPath(const DedupOptions& o) { return filename::DedupClusters(o.work_dir); }
std::string ApplyDonePath(const DedupOptions& o, size_t s) {
  return filename::DedupApplyDone(o.work_dir, s);
}
std::string ParasPath(const DedupOptions& o, size_t s) {
  return o.work_dir + "/paras" + filename::Number(s) + ".bin";
}
std::string ParaRepeatsPath(const DedupOptions& o, int p) {
  return o.work_dir + "/parrep" + filename::Number(p) + "-of" + filename::Number(o.partitions) + ".bin";
}
std::string ParaDropsPath(const DedupOptions& o) { return o.work_dir + "/paradrops.bin"; }
std::vector<std::string> ParaRepeatsPaths(const DedupOptions& o) {
  std::vector<std::string> v;
  for (int p = 0; p < o.partitions; ++p) v.push_back(ParaRepeatsPath(o, p));
  return v;
}
std::vector<std::string> KeysPaths(const DedupOptions& o, size_t shards) {
  std::vector<std::string> v;
  for (size_t s = 0; s < shards; ++s) v.push_back(KeysPath(o, s));
  return v;
}
std::vector<std::string> PairsPaths(const DedupOptions& o) {
  std::vector<std::string> v;
  for (int p = 0; p < o.partitions; ++p) v.push_back(PairsPath(o, p));
  return v;
}
size_t SigRecordSize(const DedupOptions& o) { return sizeof(SigFixed) + 8 * o.bands; }
bool Verified(const DedupOptions& o) { return o.clusters == DedupClusters::kVerified; }
bool NeedSets(const DedupOptions& o) { return o.near && (Verified(o) || o.jaccard_check); }

// The keep-priority key of a document (smaller is kept first).
uint64_t Priority(const SigFixed& fx, const DedupOptions& o) {
  switch (o.keep) {
    case DedupKeep::kLongest:
      return UINT32_MAX - uint64_t{fx.text_len};
    case DedupKeep::kEarliest:
      return 0;
    case DedupKeep::kQuality: {
      if (std::isnan(fx.quality)) return ~uint64_t{0};
      uint64_t bits;
      std::memcpy(&bits, &fx.quality, 8);
      // Order-preserving map of the double to uint64, then reversed (higher first).
      bits = (bits >> 63) ? ~bits : bits | (uint64_t{1} << 63);
      return ~bits;
    }
    case DedupKeep::kNewest:
      if (fx.fetch_time == INT64_MIN) return ~uint64_t{0};
      return ~uint64_t{0} - 1 - static_cast<uint64_t>(fx.fetch_time);
  }
  return 0;
}

// fetch.date (ISO 8601: 2024-03-01T12:00:00Z) as the number YYYYMMDDhhmmss
// of its first 14 digits; INT64_MIN when it has fewer than 8 digits.
int64_t FetchTime(const std::string& date) {
  int64_t v = 0;
  int digits = 0;
  for (char c : date) {
    if (c >= '0' && c <= '9') {
      v = v * 10 + (c - '0');
      if (++digits == 14) break;
    } else if (digits >= 8 && (c == '+' || c == 'Z' || c == '.')) {
      break;
    }
  }
  if (digits < 8) return INT64_MIN;
  for (; digits < 14; ++digits) v *= 10;
  return v;
}

// What pass-1 outputs depend on.
uint64_t SignatureHash(const DedupOptions& o, const std::string& shard) {
  std::string k = "sig|" + std::to_string(o.ngram) + "|" + std::to_string(o.bands) + "|" +
                  std::to_string(o.rows) + "|" + std::to_string(o.seed) + "|" +
                  std::to_string(o.char_ngrams) + "|" + std::to_string(o.exact_strip_punct) +
                  "|" + std::to_string(NeedSets(o)) + "|" + o.keep_signal + "|" + shard;
  // Only when on, so that work dirs made without paragraphs stay valid.
  if (o.paragraphs) k += "|paragraphs|" + std::to_string(o.paragraph_min_chars);
  return XXH3_64bits(k.data(), k.size());
}
// What a shard's keys file (pass 1, split by partition) depends on: its
// signatures, the partitions, which keys are made and their keep priority.
uint64_t KeysHash(const DedupOptions& o, const std::string& shard) {
  std::string k = "keys|" + std::to_string(SignatureHash(o, shard)) + "|" +
                  std::to_string(o.partitions) + "|" + std::to_string(o.near) + "|" +
                  std::to_string(o.exact) + "|" + std::to_string(o.exact_url) + "|" +
                  DedupKeepName(o.keep) + "|3sections|" + std::to_string(o.paragraphs);
  return XXH3_64bits(k.data(), k.size());
}
// What pass-2 and pass-3 outputs depend on.
uint64_t CorpusHash(const DedupOptions& o, const std::vector<std::string>& shards) {
  std::string k = "corpus|" + std::to_string(o.partitions) + "|" + std::to_string(o.near) +
                  "|" + std::to_string(o.exact) + "|" + std::to_string(o.exact_url) + "|" +
                  std::to_string(o.threshold) + "|" +
                  std::to_string(o.jaccard_check && !Verified(o)) + "|" +
                  DedupClustersName(o.clusters) + "|" + DedupKeepName(o.keep) + "|" +
                  std::to_string(o.bucket_window);
  for (const std::string& s : shards) k += "|" + std::to_string(SignatureHash(o, s));
  return XXH3_64bits(k.data(), k.size());
}
// What pass 2's repeated paragraphs depend on (dedup.paragraphs).
uint64_t ParaRepeatsHash(const DedupOptions& o, const std::vector<std::string>& shards) {
  std::string k = "parrep|" + std::to_string(o.partitions);
  for (const std::string& s : shards) k += "|" + std::to_string(SignatureHash(o, s));
  return XXH3_64bits(k.data(), k.size());
}
// What pass 3's paragraph drops (and pass 4 with paragraphs) depend on.
uint64_t ParaDropsHash(const DedupOptions& o, const std::vector<std::string>& shards) {
  std::string k = "paradrops|" + std::to_string(CorpusHash(o, shards)) + "|" +
                  std::to_string(ParaRepeatsHash(o, shards));
  return XXH3_64bits(k.data(), k.size());
}

// The number of code points of UTF-8 text.
size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// The paragraphs of a document, fn(index, text): its kept blocks (index =
// block index) or, for a text document without blocks, the lines of its
// text as Document::SetTextLines splits them (index = line). Pass 1 keys
// and pass 4 drops by this one definition. `scratch` holds the lines.
template <typename Fn>
void ForEachParagraph(const Document& doc, Document* scratch, Fn fn) {
  const std::vector<Block>* blocks = &doc.blocks;
  if (doc.blocks.empty()) {
    if (doc.kind != DocKind::kText) return;
    scratch->SetTextLines(doc.raw);
    blocks = &scratch->blocks;
  }
  for (size_t i = 0; i < blocks->size(); ++i) {
    if ((*blocks)[i].keep) fn(i, (*blocks)[i].text);
  }
}

Status WriteHeader(std::FILE* f, const char* magic, uint32_t record_size, uint64_t hash,
                   uint64_t count) {
  FileHeader h{};
  std::memcpy(h.magic, magic, 8);
  h.version = kFormatVersion;
  h.record_size = record_size;
  h.options_hash = hash;
  h.count = count;
  if (std::fseek(f, 0, SEEK_SET) != 0 || std::fwrite(&h, sizeof(h), 1, f) != 1)
    return Status::IoError("cannot write file header");
  return Status::Ok();
}

// Reads the header of a complete file of the expected kind; NotFound if it
// is absent, stale (other options) or truncated.
StatusOr<FileHeader> ReadHeader(const std::string& path, const char* magic, uint64_t hash) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Status::NotFound(path + " does not exist");
  FileHeader h{};
  bool ok = std::fread(&h, sizeof(h), 1, f) == 1;
  std::fclose(f);
  std::error_code ec;
  uint64_t size = fs::file_size(path, ec);
  if (!ok || std::memcmp(h.magic, magic, 8) != 0 || h.version != kFormatVersion ||
      h.options_hash != hash || ec || size != sizeof(h) + h.count * h.record_size) {
    return Status::NotFound(path + " is stale or incomplete");
  }
  return h;
}

// Make-like staleness: an output older than one of its inputs is redone
// (a restarted upstream unit invalidates what was built on it).
bool NewerThanAll(const std::string& path, const std::vector<std::string>& deps) {
  std::error_code ec;
  auto t = fs::last_write_time(path, ec);
  if (ec) return false;
  for (const std::string& d : deps) {
    auto td = fs::last_write_time(d, ec);
    if (ec || td > t) return false;
  }
  return true;
}

std::vector<std::string> PairsPaths(const DedupOptions& o);

Status RenameInto(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) return Status::IoError("cannot rename " + from + " to " + to + ": " + ec.message());
  return Status::Ok();
}

// Runs fn(i) for the items of this task on options.threads threads; the
// first error wins.
Status ForEachTaskItem(size_t items, const DedupOptions& o, bool split_by_task,
                       const std::function<Status(size_t)>& fn) {
  std::vector<size_t> mine;
  for (size_t i = 0; i < items; ++i) {
    if (!split_by_task || static_cast<int>(i % o.task_count) == o.task_index) mine.push_back(i);
  }
  std::atomic<size_t> next{0};
  std::mutex mu;
  Status first_error;
  auto worker = [&] {
    while (true) {
      size_t k = next.fetch_add(1);
      if (k >= mine.size()) return;
      Status s = fn(mine[k]);
      if (!s.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        if (first_error.ok()) first_error = s;
        next = mine.size();
      }
    }
  };
  int n = std::max(1, std::min<int>(o.threads, static_cast<int>(mine.size())));
  std::vector<std::thread> pool;
  for (int t = 1; t < n; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  return first_error;
}

void AddStats(const DedupStats& from, DedupStats* to, std::mutex* mu) {
  std::lock_guard<std::mutex> lock(*mu);
  to->documents += from.documents;
  to->input_bytes += from.input_bytes;
  to->unreadable_records += from.unreadable_records;
  to->candidate_pairs += from.candidate_pairs;
  to->near_pairs += from.near_pairs;
  to->exact_pairs += from.exact_pairs;
  to->spilled_runs += from.spilled_runs;
  to->kept += from.kept;
  to->removed_exact += from.removed_exact;
  to->removed_url += from.removed_url;
  to->kept_text_bytes += from.kept_text_bytes;
  to->removed_near += from.removed_near;
  to->paragraphs_dropped += from.paragraphs_dropped;
  to->removed_paragraphs += from.removed_paragraphs;
  to->passes_skipped += from.passes_skipped;
}

// CPU seconds of the whole process (all threads).
double CpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + 1e-6 * (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// ---------------------------------------------------------------- pass 1

// The first unreadable records of this process on stderr, as `winnow
// clean` prints them; all of them are in the pass's work files.
void ReportUnreadable(const ReadError& e) {
  constexpr int kMaxPrinted = 10;
  static std::atomic<int> printed{0};
  const int n = printed++;
  if (n < kMaxPrinted) {
    std::fprintf(stderr, "winnow: unreadable: %s\n", e.ToString().c_str());
  } else if (n == kMaxPrinted) {
    std::fprintf(stderr, "winnow: more unreadable records; all are listed in unreadable.jsonl\n");
  }
}

Status SignShard(const std::vector<std::string>& shards, size_t s, const DedupOptions& o,
                 DedupStats* st) {
  const uint64_t hash = SignatureHash(o, shards[s]);
  if (auto done = ReadHeader(SigPath(o, s), "WNDSIG01", hash);
      done.ok() && (!o.paragraphs || ReadHeader(ParasPath(o, s), "WNDPARA1", hash).ok())) {
    ++st->passes_skipped;
    st->documents += done->count;
    return Status::Ok();
  }
  // Unreadable records: listed beside the signatures (CollectUnreadable),
  // or the end of the pass when the input is winnow's own work files.
  const std::string bad_path = filename::DedupUnreadable(o.work_dir, s), bad_tmp = bad_path + ".tmp";
  std::error_code rm_ec;
  fs::remove(bad_path, rm_ec);  // an earlier attempt's
  std::FILE* bad = nullptr;  // opened at the first unreadable record
  bool bad_ok = true;
  ReadError first_bad;
  uint64_t bad_count = 0;
  auto on_unreadable = [&](const ReadError& e) {
    if (bad_count++ == 0) first_bad = e;
    if (o.stop_on_unreadable) return;
    if (!bad) bad = std::fopen(bad_tmp.c_str(), "wb");
    const std::string line = io::UnreadableLine(e);
    bad_ok = bad_ok && bad && std::fwrite(line.data(), 1, line.size(), bad) == line.size();
    ReportUnreadable(e);
  };
  std::unique_ptr<dedup_internal::ShardDocReader> reader;
  if (auto r = dedup_internal::OpenShardReader(shards[s], on_unreadable); r.ok()) {
    reader = std::move(*r);
  } else if (o.stop_on_unreadable) {
    return r.status();
  } else {
    // The shard counts as one unreadable record and has no documents; pass
    // 4 then writes empty shards for it.
    ReadError e;
    e.file = shards[s];
    e.message = r.status().message() + " (the file is counted as one unreadable record)";
    on_unreadable(e);
  }
  const std::string sig_tmp = SigPath(o, s) + ".tmp", ids_tmp = IdsPath(o, s) + ".tmp",
                    sets_tmp = SetsPath(o, s) + ".tmp";
  std::FILE* sig = std::fopen(sig_tmp.c_str(), "wb");
  std::FILE* ids = std::fopen(ids_tmp.c_str(), "wb");
  std::FILE* sets = NeedSets(o) ? std::fopen(sets_tmp.c_str(), "wb") : nullptr;
  const std::string paras_tmp = ParasPath(o, s) + ".tmp";
  std::FILE* paras = o.paragraphs ? std::fopen(paras_tmp.c_str(), "wb") : nullptr;
  auto close_all = [&] {
    if (sig) std::fclose(sig);
    if (ids) std::fclose(ids);
    if (sets) std::fclose(sets);
    if (paras) std::fclose(paras);
    sig = ids = sets = paras = nullptr;
  };
  if (!sig || !ids || (NeedSets(o) && !sets) || (o.paragraphs && !paras)) {
    close_all();
    return Status::IoError("cannot create files in work_dir " + o.work_dir);
  }
  const size_t rec_size = SigRecordSize(o);
  Status status = WriteHeader(sig, "WNDSIG01", static_cast<uint32_t>(rec_size), 0, 0);
  dedup_internal::MinHasher hasher(o.bands, o.rows, o.seed);
  std::vector<uint8_t> rec(rec_size);
  std::vector<uint32_t> signature(hasher.size());
  std::vector<uint64_t> shingles;
  std::vector<uint32_t> set;
  uint64_t count = 0, id_offset = 0, set_offset = 0, para_count = 0;
  bool io_ok = status.ok();
  if (paras) io_ok = io_ok && WriteHeader(paras, "WNDPARA1", sizeof(ParaKey), 0, 0).ok();
  Document doc, scratch;
  const size_t para_min = static_cast<size_t>(std::max(1, o.paragraph_min_chars));
  while (io_ok && reader && reader->Next(&doc)) {
    if (o.stop_on_unreadable && bad_count > 0) break;
    const std::string text = dedup_internal::DocText(doc);
    st->input_bytes += text.size();
    SigFixed fx{};
    fx.quality = std::numeric_limits<double>::quiet_NaN();
    if (!o.keep_signal.empty()) {
      auto q = doc.annotations.quality.find(o.keep_signal);
      if (q != doc.annotations.quality.end() && !std::isnan(q->second)) fx.quality = q->second;
    }
    fx.fetch_time = FetchTime(doc.fetch.date);
    const std::string exact_norm = NormalizeForExact(text, o.exact_strip_punct);
    if (!exact_norm.empty()) {
      XXH128_hash_t h = XXH3_128bits(exact_norm.data(), exact_norm.size());
      fx.exact_lo = h.low64;
      fx.exact_hi = h.high64;
      fx.flags |= kHasExact;
    }
    if (!doc.url.empty()) {
      XXH128_hash_t h = XXH3_128bits_withSeed(doc.url.data(), doc.url.size(), 0x75726c);
      fx.url_lo = h.low64;
      fx.url_hi = h.high64;
      fx.flags |= kHasUrl;
    }
    const std::string norm = NormalizeForMinHash(text);
    dedup_internal::ShingleHashesInto(norm, o.ngram, o.char_ngrams, o.seed, &shingles);
    auto* bands = reinterpret_cast<uint64_t*>(rec.data() + sizeof(SigFixed));
    std::fill(bands, bands + o.bands, 0);
    if (!shingles.empty()) {
      fx.flags |= kHasShingles;
      hasher.Signature(shingles.data(), shingles.size(), signature.data());
      uint64_t tmp[256];
      hasher.BandHashes(signature.data(), o.seed, tmp);
      std::memcpy(bands, tmp, 8 * o.bands);
    }
    if (sets) {
      dedup_internal::ToSortedSet(shingles, &set);
      fx.set_offset = set_offset;
      fx.set_count = static_cast<uint32_t>(set.size());
      set_offset += set.size();
      io_ok = io_ok && std::fwrite(set.data(), 4, set.size(), sets) == set.size();
    }
    const size_t id_len = std::min<size_t>(doc.id.size(), 4096);
    fx.id_offset = id_offset;
    fx.id_len = static_cast<uint32_t>(id_len);
    id_offset += id_len;
    io_ok = io_ok && std::fwrite(doc.id.data(), 1, id_len, ids) == id_len;
    // Length for dedup.keep = longest: of the exact key's text (whitespace
    // collapsed), so that exact copies tie and the earliest is kept.
    fx.text_len = static_cast<uint32_t>(std::min<size_t>(exact_norm.size(), UINT32_MAX));
    if (paras) {
      ForEachParagraph(doc, &scratch, [&](size_t i, const std::string& para_text) {
        const std::string norm_p = NormalizeForExact(para_text, o.exact_strip_punct);
        if (CodePoints(norm_p) < para_min) return;
        XXH128_hash_t h = XXH3_128bits_withSeed(norm_p.data(), norm_p.size(), 0x70617261);
        const ParaKey k{h.high64, h.low64, count, i};
        io_ok = io_ok && std::fwrite(&k, sizeof(k), 1, paras) == 1;
        ++para_count;
      });
    }
    std::memcpy(rec.data(), &fx, sizeof(fx));
    io_ok = io_ok && std::fwrite(rec.data(), 1, rec_size, sig) == rec_size;
    ++count;
  }
  if (bad) {
    bad_ok = std::fclose(bad) == 0 && bad_ok;
    bad = nullptr;
    io_ok = io_ok && bad_ok;
  }
  if (o.stop_on_unreadable && bad_count > 0) {
    close_all();
    return Status::Corrupt("dedup input: " + first_bad.ToString());
  }
  st->documents += count;
  st->unreadable_records += bad_count;
  if (io_ok) io_ok = WriteHeader(sig, "WNDSIG01", static_cast<uint32_t>(rec_size), hash, count).ok();
  if (io_ok && sig) io_ok = std::fclose(sig) == 0, sig = nullptr;
  if (io_ok && ids) io_ok = std::fclose(ids) == 0, ids = nullptr;
  if (io_ok && sets) io_ok = std::fclose(sets) == 0, sets = nullptr;
  if (io_ok && paras) io_ok = WriteHeader(paras, "WNDPARA1", sizeof(ParaKey), hash, para_count).ok();
  if (io_ok && paras) io_ok = std::fclose(paras) == 0, paras = nullptr;
  close_all();
  if (!io_ok) return Status::IoError("cannot write signatures of " + shards[s] + " (disk full?)");
  // The signature file goes last: its presence marks the shard done.
  if (bad_count > 0) {
    Status r = RenameInto(bad_tmp, bad_path);
    if (!r.ok()) return r;
  }
  if (NeedSets(o)) {
    Status r = RenameInto(sets_tmp, SetsPath(o, s));
    if (!r.ok()) return r;
  }
  if (o.paragraphs) {
    Status r = RenameInto(paras_tmp, ParasPath(o, s));
    if (!r.ok()) return r;
  }
  Status r = RenameInto(ids_tmp, IdsPath(o, s));
  if (!r.ok()) return r;
  return RenameInto(sig_tmp, SigPath(o, s));
}

// The document counts of all shards (pass 1 must be complete).
Status ShardOffsets(const std::vector<std::string>& shards, const DedupOptions& o,
                    std::vector<uint64_t>* offsets) {
  offsets->assign(1, 0);
  for (size_t s = 0; s < shards.size(); ++s) {
    auto h = ReadHeader(SigPath(o, s), "WNDSIG01", SignatureHash(o, shards[s]));
    if (!h.ok()) {
      return Status::InvalidArgument("pass 1 (signatures) is not done for shard " +
                                     std::to_string(s) + " (" + shards[s] + "): " +
                                     h.status().message());
    }
    offsets->push_back(offsets->back() + h->count);
  }
  if (offsets->back() > kDocMask) return Status::Unsupported("more than 2^56 documents");
  return Status::Ok();
}

// Random access to per-document data of pass 1 (ids and n-gram sets).
class DocLookup {
 public:
  DocLookup(const DedupOptions& o, const std::vector<uint64_t>& offsets)
      : o_(o), offsets_(offsets), sig_fd_(offsets.size(), -1), ids_fd_(offsets.size(), -1),
        sets_fd_(offsets.size(), -1) {}
  ~DocLookup() {
    for (auto* v : {&sig_fd_, &ids_fd_, &sets_fd_})
      for (int fd : *v)
        if (fd >= 0) close(fd);
  }
  Status Fixed(uint64_t doc, SigFixed* fx, size_t* shard) {
    size_t s = std::upper_bound(offsets_.begin(), offsets_.end(), doc) - offsets_.begin() - 1;
    *shard = s;
    int fd = Fd(&sig_fd_, s, SigPath(o_, s));
    if (fd < 0) return Status::IoError("cannot open " + SigPath(o_, s));
    off_t pos = sizeof(FileHeader) + (doc - offsets_[s]) * SigRecordSize(o_);
    if (pread(fd, fx, sizeof(*fx), pos) != sizeof(*fx))
      return Status::Corrupt("short read in " + SigPath(o_, s));
    return Status::Ok();
  }
  std::string Id(uint64_t doc) {
    SigFixed fx;
    size_t s;
    std::string id;
    if (Fixed(doc, &fx, &s).ok()) {
      int fd = Fd(&ids_fd_, s, IdsPath(o_, s));
      id.resize(fx.id_len);
      if (fd < 0 || pread(fd, id.data(), fx.id_len, fx.id_offset) != fx.id_len) id.clear();
    }
    if (id.empty()) id = "#" + std::to_string(doc);  // documents without an id
    return id;
  }
  Status Set(uint64_t doc, std::vector<uint32_t>* set) {
    SigFixed fx;
    size_t s;
    Status st = Fixed(doc, &fx, &s);
    if (!st.ok()) return st;
    int fd = Fd(&sets_fd_, s, SetsPath(o_, s));
    set->resize(fx.set_count);
    size_t bytes = 4ull * fx.set_count;
    if (fd < 0 || pread(fd, set->data(), bytes, 4 * fx.set_offset) != static_cast<ssize_t>(bytes))
      return Status::Corrupt("cannot read n-gram set from " + SetsPath(o_, s));
    return Status::Ok();
  }

 private:
  int Fd(std::vector<int>* fds, size_t s, const std::string& path) {
    if ((*fds)[s] < 0) (*fds)[s] = open(path.c_str(), O_RDONLY);
    return (*fds)[s];
  }
  const DedupOptions& o_;
  const std::vector<uint64_t>& offsets_;
  std::vector<int> sig_fd_, ids_fd_, sets_fd_;
};

// Sequential reader of a signature file.
class SigReader {
 public:
  ~SigReader() {
    if (f_) std::fclose(f_);
  }
  Status Open(const std::string& path, size_t rec_size) {
    f_ = std::fopen(path.c_str(), "rb");
    if (!f_) return Status::IoError("cannot open " + path);
    std::setvbuf(f_, nullptr, _IOFBF, 1 << 20);
    rec_.resize(rec_size);
    return std::fseek(f_, sizeof(FileHeader), SEEK_SET) == 0 ? Status::Ok()
                                                             : Status::IoError("seek " + path);
  }
  bool Next() { return std::fread(rec_.data(), 1, rec_.size(), f_) == rec_.size(); }
  const SigFixed& fixed() const { return *reinterpret_cast<const SigFixed*>(rec_.data()); }
  uint64_t band(int b) const {
    uint64_t v;
    std::memcpy(&v, rec_.data() + sizeof(SigFixed) + 8 * b, 8);
    return v;
  }

 private:
  std::FILE* f_ = nullptr;
  std::vector<uint8_t> rec_;
};

// ------------------------------------------------- pass 1, keys by partition
//
// keys-NNNNN.bin: the shard's LSH band keys and exact/URL keys, already split
// by partition, so that a pass-2 partition reads only its own keys (each key
// is read once in pass 2, whatever the number of partitions). The header's
// record_size is 8 and count the number of uint64 words after it: first a
// table of 3P+3 word offsets (near sections of partitions 0..P-1 and their
// end, then exact sections and their end, then paragraph sections and their
// end), then the sections: near keys {hash, band << 56 | doc, prio}, exact
// keys {hi, lo, kind << 56 | doc, prio}, paragraph keys {hi, lo, doc, para}
// (dedup.paragraphs; empty otherwise), doc being the index in the shard.
// Made from sig-NNNNN.bin and paras-NNNNN.bin (one sequential read to count,
// one to write), so a new partition count or dedup.keep redoes this step and
// not the signatures.

constexpr size_t kNearKeyWords = sizeof(NearKey) / 8, kExactKeyWords = sizeof(ExactKey) / 8,
                 kParaKeyWords = sizeof(ParaKey) / 8;
static_assert(sizeof(NearKey) == 24 && sizeof(ExactKey) == 32);
// Key kinds of a keys file, in file order: near, exact, paragraph.
constexpr size_t kKeyKinds = 3;
constexpr size_t kKeyWords[kKeyKinds] = {kNearKeyWords, kExactKeyWords, kParaKeyWords};

// Calls near(key) and exact(key) for the keys of one signature record that
// belong to partition `part` (all partitions when part < 0).
template <typename NearFn, typename ExactFn>
void KeysOfRecord(const SigReader& r, uint64_t doc, const DedupOptions& o, NearFn near,
                  ExactFn exact) {
  const uint64_t P = static_cast<uint64_t>(o.partitions);
  const SigFixed& fx = r.fixed();
  const uint64_t prio = Priority(fx, o);
  if (o.near && (fx.flags & kHasShingles)) {
    for (int b = 0; b < o.bands; ++b) {
      const uint64_t h = r.band(b);
      near(h % P, NearKey{h, (uint64_t(b) << kDocBits) | doc, prio});
    }
  }
  if (o.exact && (fx.flags & kHasExact))
    exact(fx.exact_lo % P, ExactKey{fx.exact_hi, fx.exact_lo, (uint64_t{kExact} << kDocBits) | doc, prio});
  if (o.exact_url && (fx.flags & kHasUrl))
    exact(fx.url_lo % P, ExactKey{fx.url_hi, fx.url_lo, (uint64_t{kUrl} << kDocBits) | doc, prio});
}

Status SplitShardKeys(const std::vector<std::string>& shards, size_t s, const DedupOptions& o) {
  const uint64_t hash = KeysHash(o, shards[s]);
  std::vector<std::string> deps = {SigPath(o, s)};
  if (o.paragraphs) deps.push_back(ParasPath(o, s));
  if (ReadHeader(KeysPath(o, s), "WNDKEYS1", hash).ok() && NewerThanAll(KeysPath(o, s), deps)) {
    return Status::Ok();
  }
  const size_t P = static_cast<size_t>(o.partitions);
  const size_t rec_size = SigRecordSize(o);
  // Section k * P + i: keys of kind k (near, exact, paragraph) of partition i.
  std::vector<uint64_t> count(kKeyKinds * P, 0);
  // The shard's paragraph keys (pass 1's paras file), in order.
  auto for_each_para = [&](const std::function<Status(const ParaKey&)>& fn) -> Status {
    if (!o.paragraphs) return Status::Ok();
    auto h = ReadHeader(ParasPath(o, s), "WNDPARA1", SignatureHash(o, shards[s]));
    if (!h.ok()) return Status::InvalidArgument("pass 1 (paragraphs) is not done for shard " +
                                                std::to_string(s) + ": " + h.status().message());
    RecordReader<ParaKey> r;
    Status os = r.Open(ParasPath(o, s), 1 << 18, sizeof(FileHeader));
    if (!os.ok()) return os;
    ParaKey k;
    for (uint64_t i = 0; i < h->count; ++i) {
      if (!r.Next(&k)) return Status::Corrupt("short read in " + ParasPath(o, s));
      Status st = fn(k);
      if (!st.ok()) return st;
    }
    return Status::Ok();
  };
  {
    SigReader r;
    Status os = r.Open(SigPath(o, s), rec_size);
    if (!os.ok()) return os;
    for (uint64_t doc = 0; r.Next(); ++doc) {
      KeysOfRecord(r, doc, o, [&](uint64_t p, const NearKey&) { ++count[p]; },
                   [&](uint64_t p, const ExactKey&) { ++count[P + p]; });
    }
    os = for_each_para([&](const ParaKey& k) {
      ++count[2 * P + k.lo % P];
      return Status::Ok();
    });
    if (!os.ok()) return os;
  }
  // table[k * (P + 1) + i]: the first word of section (k, i); table[k * (P +
  // 1) + P]: the end of kind k.
  std::vector<uint64_t> table(kKeyKinds * (P + 1));
  uint64_t words = table.size();
  for (size_t k = 0; k < kKeyKinds; ++k) {
    for (size_t i = 0; i <= P; ++i) {
      table[k * (P + 1) + i] = words;
      if (i < P) words += kKeyWords[k] * count[k * P + i];
    }
  }

  const std::string tmp = KeysPath(o, s) + ".tmp";
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return Status::IoError("cannot create " + tmp);
  bool ok = true;
  auto write_at = [&](const void* data, size_t bytes, uint64_t word) {
    const char* p = static_cast<const char*>(data);
    off_t pos = static_cast<off_t>(sizeof(FileHeader) + 8 * word);
    while (ok && bytes > 0) {
      ssize_t n = pwrite(fd, p, bytes, pos);
      if (n <= 0) ok = false;
      else p += n, bytes -= n, pos += n;
    }
  };
  write_at(table.data(), 8 * table.size(), 0);
  // One buffer per non-empty section, flushed at the section's cursor; a
  // thread's share of the memory limit bounds them (64 KiB each at most).
  const size_t sections = kKeyKinds * P;
  const size_t budget = o.memory_limit_bytes / std::max(1, o.threads);
  const size_t buf_words =
      std::max<size_t>(64, std::min<size_t>(8192, budget / (16 * std::max<size_t>(1, sections))));
  std::vector<std::vector<uint64_t>> buf(sections);
  std::vector<uint64_t> cursor(sections);
  for (size_t i = 0; i < sections; ++i) cursor[i] = table[(i / P) * (P + 1) + i % P];
  auto add = [&](size_t section, const void* rec, size_t rec_words) {
    std::vector<uint64_t>& b = buf[section];
    if (b.capacity() == 0) b.reserve(buf_words + kExactKeyWords);
    const uint64_t* w = static_cast<const uint64_t*>(rec);
    b.insert(b.end(), w, w + rec_words);
    if (b.size() >= buf_words) {
      write_at(b.data(), 8 * b.size(), cursor[section]);
      cursor[section] += b.size();
      b.clear();
    }
  };
  {
    SigReader r;
    Status os = r.Open(SigPath(o, s), rec_size);
    if (!os.ok()) {
      close(fd);
      return os;
    }
    for (uint64_t doc = 0; ok && r.Next(); ++doc) {
      KeysOfRecord(r, doc, o, [&](uint64_t p, const NearKey& k) { add(p, &k, kNearKeyWords); },
                   [&](uint64_t p, const ExactKey& k) { add(P + p, &k, kExactKeyWords); });
    }
    os = for_each_para([&](const ParaKey& k) {
      add(2 * P + k.lo % P, &k, kParaKeyWords);
      return Status::Ok();
    });
    if (!os.ok()) {
      close(fd);
      return os;
    }
  }
  for (size_t i = 0; i < sections; ++i) {
    if (!buf[i].empty()) write_at(buf[i].data(), 8 * buf[i].size(), cursor[i]);
  }
  FileHeader h{};
  std::memcpy(h.magic, "WNDKEYS1", 8);
  h.version = kFormatVersion;
  h.record_size = 8;
  h.options_hash = hash;
  h.count = words;
  if (ok && pwrite(fd, &h, sizeof(h), 0) != static_cast<ssize_t>(sizeof(h))) ok = false;
  ok = (close(fd) == 0) && ok;
  if (!ok) return Status::IoError("cannot write " + tmp + " (disk full?)");
  return RenameInto(tmp, KeysPath(o, s));
}

// Calls fn(record) for the `count` records of type T at word `word` of a
// keys file (reads exactly those bytes).
template <typename T, typename Fn>
Status ReadKeySection(int fd, const std::string& path, uint64_t word, uint64_t count, Fn fn) {
  std::vector<T> buf(std::min<uint64_t>(count, (256 << 10) / sizeof(T)));
  off_t pos = static_cast<off_t>(sizeof(FileHeader) + 8 * word);
  while (count > 0) {
    const size_t n = std::min<uint64_t>(count, buf.size());
    const ssize_t want = static_cast<ssize_t>(n * sizeof(T));
    if (pread(fd, buf.data(), want, pos) != want) return Status::Corrupt("short read in " + path);
    for (size_t i = 0; i < n; ++i) {
      Status st = fn(buf[i]);
      if (!st.ok()) return st;
    }
    pos += want;
    count -= n;
  }
  return Status::Ok();
}

// OK when pass 1 made the shard's keys file with these options.
Status CheckShardKeys(const std::vector<std::string>& shards, size_t s, const DedupOptions& o) {
  auto h = ReadHeader(KeysPath(o, s), "WNDKEYS1", KeysHash(o, shards[s]));
  std::vector<std::string> deps = {SigPath(o, s)};
  if (o.paragraphs) deps.push_back(ParasPath(o, s));
  if (!h.ok() || !NewerThanAll(KeysPath(o, s), deps)) {
    return Status::InvalidArgument(
        "pass 1 (keys) is not done for shard " + std::to_string(s) + " (" + shards[s] +
        ") with these options: " +
        (h.ok() ? KeysPath(o, s) + " is older than its signatures" : h.status().message()));
  }
  return Status::Ok();
}

// The keys of partition p in one shard's keys file (pass 1 must be done).
class ShardKeys {
 public:
  ShardKeys() = default;
  ShardKeys(const ShardKeys&) = delete;
  ShardKeys& operator=(const ShardKeys&) = delete;
  ~ShardKeys() {
    if (fd_ >= 0) close(fd_);
  }
  Status Open(const std::vector<std::string>& shards, size_t s, const DedupOptions& o, int p) {
    path_ = KeysPath(o, s);
    auto h = ReadHeader(path_, "WNDKEYS1", KeysHash(o, shards[s]));
    if (!h.ok()) {
      Status c = CheckShardKeys(shards, s, o);
      return c.ok() ? Status::NotFound(path_ + " changed while read") : c;
    }
    fd_ = open(path_.c_str(), O_RDONLY);
    if (fd_ < 0) return Status::IoError("cannot open " + path_);
    const size_t P = static_cast<size_t>(o.partitions);
    const off_t base = sizeof(FileHeader);
    std::pair<uint64_t, uint64_t>* sections[kKeyKinds] = {&near_, &exact_, &para_};
    for (size_t k = 0; k < kKeyKinds; ++k) {
      uint64_t w[2];
      if (pread(fd_, w, 16, base + 8 * (k * (P + 1) + p)) != 16)
        return Status::Corrupt("short read in " + path_);
      if (w[0] > w[1] || w[1] > h->count || (w[1] - w[0]) % kKeyWords[k])
        return Status::Corrupt("bad partition table in " + path_);
      *sections[k] = {w[0], (w[1] - w[0]) / kKeyWords[k]};
    }
    return Status::Ok();
  }
  // Calls fn(Key) for each key of the section of that key type.
  template <typename Key, typename Fn>
  Status ForEach(Fn fn) {
    const std::pair<uint64_t, uint64_t>& sec = std::is_same<Key, NearKey>::value    ? near_
                                               : std::is_same<Key, ExactKey>::value ? exact_
                                                                                    : para_;
    static_assert(std::is_same<Key, NearKey>::value || std::is_same<Key, ExactKey>::value ||
                      std::is_same<Key, ParaKey>::value,
                  "a key type of the keys file");
    return ReadKeySection<Key>(fd_, path_, sec.first, sec.second, fn);
  }

 private:
  int fd_ = -1;
  std::string path_;
  std::pair<uint64_t, uint64_t> near_, exact_, para_;  // (first word, records)
};

// A key's document number, shard-local in the keys file, made corpus-wide.
void AddOffset(NearKey* k, uint64_t offset) { k->band_doc += offset; }
void AddOffset(ExactKey* k, uint64_t offset) { k->kind_doc += offset; }
void AddOffset(ParaKey* k, uint64_t offset) { k->doc += offset; }

// Feeds partition p's keys of one type from every shard's keys file into
// `keys` (shard by shard, one open file at a time) and sorts them.
template <typename Key, typename Less>
Status SortPartitionKeys(const std::vector<std::string>& shards, int p, const DedupOptions& o,
                         const std::vector<uint64_t>& offsets, ExternalSorter<Key, Less>* keys) {
  for (size_t s = 0; s < shards.size(); ++s) {
    const uint64_t offset = offsets[s];  // shard index -> global index
    ShardKeys sk;
    Status as = sk.Open(shards, s, o, p);
    if (as.ok()) as = sk.ForEach<Key>([&](Key k) {
      AddOffset(&k, offset);
      return keys->Add(k);
    });
    if (!as.ok()) return as;
  }
  return keys->Finish();
}

// ---------------------------------------------------------------- pass 2

Status PartitionPairs(const std::vector<std::string>& shards, int p, const DedupOptions& o,
                      const std::vector<uint64_t>& offsets, DedupStats* st) {
  const uint64_t hash = CorpusHash(o, shards);
  if (ReadHeader(PairsPath(o, p), "WNDPAIR1", hash).ok() &&
      NewerThanAll(PairsPath(o, p), KeysPaths(o, shards.size()))) {
    ++st->passes_skipped;
    return Status::Ok();
  }
  const size_t budget = o.memory_limit_bytes / std::max(1, o.threads);
  const std::string run_name = "pairs" + filename::Number(p);
  ExternalSorter<Pair, PairLess> pairs(o.work_dir, run_name + ".pp", budget / 2);
  // Every shard's keys file must be done before any work (one open file at
  // a time below, whatever the number of shards).
  for (size_t s = 0; s < shards.size(); ++s) {
    Status os = CheckShardKeys(shards, s, o);
    if (!os.ok()) return os;
  }

  if (o.near) {
    ExternalSorter<NearKey, NearKeyLess> keys(o.work_dir, run_name + ".nk", budget / 2);
    Status fs2 = SortPartitionKeys(shards, p, o, offsets, &keys);
    if (!fs2.ok()) return fs2;
    // A bucket's members in keep-priority order: each pairs with the first
    // W members and with the W before it (all pairs when it has <= W+1);
    // W = 0: each with the first member (a star).
    const size_t W = static_cast<size_t>(std::max(0, o.bucket_window));
    std::vector<NearKey> head, recent;  // the first W; the last W (ring)
    NearKey k;
    uint64_t bucket_hash = 0, bucket_band = ~uint64_t{0};
    size_t index = 0;  // of k in its bucket
    Status as;
    auto add_pair = [&](const NearKey& x, const NearKey& y) {
      uint64_t dx = x.band_doc & kDocMask, dy = y.band_doc & kDocMask;
      Pair pr = dx < dy ? Pair{dx, (uint64_t{kNear} << kDocBits) | dy, x.prio, y.prio}
                        : Pair{dy, (uint64_t{kNear} << kDocBits) | dx, y.prio, x.prio};
      if (as.ok()) as = pairs.Add(pr);
    };
    while (keys.Next(&k)) {
      if (k.hash != bucket_hash || (k.band_doc >> kDocBits) != bucket_band) {
        bucket_hash = k.hash;
        bucket_band = k.band_doc >> kDocBits;
        head.clear();
        recent.clear();
        index = 0;
      }
      if (W == 0) {
        if (index > 0) add_pair(head[0], k);
        if (index == 0) head.push_back(k);
      } else {
        for (const NearKey& h : head) add_pair(h, k);
        // recent holds members index-W..index-1 (ring); skip those in head.
        for (size_t j = 0; j < recent.size(); ++j) {
          const size_t member = index - recent.size() + j;  // bucket index of the entry
          const NearKey& r = recent[(index - recent.size() + j) % W];
          if (member >= W) add_pair(r, k);
        }
        if (head.size() < W) head.push_back(k);
        if (recent.size() < W) recent.push_back(k); else recent[index % W] = k;
      }
      if (!as.ok()) return as;
      ++index;
    }
    st->spilled_runs += keys.spilled_runs();
  }
  if (o.exact || o.exact_url) {
    ExternalSorter<ExactKey, ExactKeyLess> keys(o.work_dir, run_name + ".ek", budget / 2);
    Status fs2 = SortPartitionKeys(shards, p, o, offsets, &keys);
    if (!fs2.ok()) return fs2;
    // Every document pairs with the key's first one in keep-priority order.
    ExactKey k, first{0, 0, ~uint64_t{0}, 0};
    while (keys.Next(&k)) {
      if (k.hi == first.hi && k.lo == first.lo &&
          (k.kind_doc >> kDocBits) == (first.kind_doc >> kDocBits)) {
        Status as = pairs.Add({first.kind_doc & kDocMask, k.kind_doc, first.prio, k.prio});
        if (!as.ok()) return as;
      } else {
        first = k;
      }
    }
    st->spilled_runs += keys.spilled_runs();
  }
  Status fs3 = pairs.Finish();
  if (!fs3.ok()) return fs3;
  st->spilled_runs += pairs.spilled_runs();

  const std::string tmp = PairsPath(o, p) + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Status::IoError("cannot create " + tmp);
  std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
  bool ok = WriteHeader(f, "WNDPAIR1", sizeof(PairOut), 0, 0).ok();
  const bool check = NeedSets(o);
  DocLookup lookup(o, offsets);
  std::vector<uint32_t> set_a, set_b;
  uint64_t set_a_doc = ~uint64_t{0};
  uint64_t count = 0;
  Pair pr, last{~uint64_t{0}, ~uint64_t{0}, 0, 0};
  Status lookup_status;
  while (ok && pairs.Next(&pr)) {
    if (pr.a == last.a && pr.kind_b == last.kind_b) continue;  // same pair from another band
    last = pr;
    const uint32_t kind = static_cast<uint32_t>(pr.kind_b >> kDocBits);
    PairOut po{pr, 1.0f, 0};
    if (kind == kNear) {
      ++st->candidate_pairs;
      po.jaccard = -1;
      if (check) {
        if (set_a_doc != pr.a) {
          lookup_status = lookup.Set(pr.a, &set_a);
          if (!lookup_status.ok()) break;
          set_a_doc = pr.a;
        }
        lookup_status = lookup.Set(pr.kind_b & kDocMask, &set_b);
        if (!lookup_status.ok()) break;
        double j = dedup_internal::SortedSetJaccard(set_a.data(), set_a.size(), set_b.data(),
                                                    set_b.size());
        if (j < o.threshold) continue;
        po.jaccard = static_cast<float>(j);
        // stored as float: keep it >= threshold when the exact value is
        if (po.jaccard < o.threshold) po.jaccard = std::nextafter(po.jaccard, 2.0f);
      }
      ++st->near_pairs;
    } else {
      ++st->exact_pairs;
    }
    ok = std::fwrite(&po, sizeof(po), 1, f) == 1;
    ++count;
  }
  ok = ok && lookup_status.ok() && WriteHeader(f, "WNDPAIR1", sizeof(PairOut), hash, count).ok();
  ok = (std::fclose(f) == 0) && ok;
  if (!lookup_status.ok()) return lookup_status;
  if (!ok) return Status::IoError("cannot write " + tmp + " (disk full?)");
  return RenameInto(tmp, PairsPath(o, p));
}

// Pass 2 of dedup.paragraphs, partition p: the paragraph keys of p from
// every keys file, sorted by (hash, doc, para); the occurrences of hashes
// seen more than once go to parrep-PPPPP.bin in that order (each paragraph
// key is read once in pass 2, as the band keys are).
Status PartitionParagraphs(const std::vector<std::string>& shards, int p, const DedupOptions& o,
                           const std::vector<uint64_t>& offsets, DedupStats* st) {
  const uint64_t hash = ParaRepeatsHash(o, shards);
  const std::string path = ParaRepeatsPath(o, p);
  if (ReadHeader(path, "WNDPREP1", hash).ok() && NewerThanAll(path, KeysPaths(o, shards.size()))) {
    ++st->passes_skipped;
    return Status::Ok();
  }
  for (size_t s = 0; s < shards.size(); ++s) {
    Status os = CheckShardKeys(shards, s, o);
    if (!os.ok()) return os;
  }
  const size_t budget = o.memory_limit_bytes / std::max(1, o.threads);
  ExternalSorter<ParaKey, ParaKeyLess> keys(o.work_dir, "parrep" + filename::Number(p) + ".k",
                                            std::max<size_t>(budget, 4096));
  Status fs2 = SortPartitionKeys(shards, p, o, offsets, &keys);
  if (!fs2.ok()) return fs2;
  st->spilled_runs += keys.spilled_runs();
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Status::IoError("cannot create " + tmp);
  std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
  bool ok = WriteHeader(f, "WNDPREP1", sizeof(ParaKey), 0, 0).ok();
  uint64_t count = 0;
  ParaKey k, prev{};
  bool have_prev = false, prev_written = false;
  while (ok && keys.Next(&k)) {
    if (have_prev && k.hi == prev.hi && k.lo == prev.lo) {
      if (!prev_written) ok = std::fwrite(&prev, sizeof(prev), 1, f) == 1, ++count;
      ok = ok && std::fwrite(&k, sizeof(k), 1, f) == 1;
      ++count;
      prev_written = true;
    } else {
      prev_written = false;
    }
    prev = k;
    have_prev = true;
  }
  ok = ok && WriteHeader(f, "WNDPREP1", sizeof(ParaKey), hash, count).ok();
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) return Status::IoError("cannot write " + tmp + " (disk full?)");
  return RenameInto(tmp, path);
}

// ---------------------------------------------------------------- pass 3

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n), size_(n, 1) {
    for (size_t i = 0; i < n; ++i) parent_[i] = static_cast<uint32_t>(i);
  }
  uint32_t Find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];  // path halving
      x = parent_[x];
    }
    return x;
  }
  void Union(uint32_t a, uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return;
    if (size_[a] < size_[b]) std::swap(a, b);
    parent_[b] = a;
    size_[a] += size_[b];
  }
  uint32_t Size(uint32_t root) const { return size_[root]; }

 private:
  std::vector<uint32_t> parent_, size_;
};

// Bytes of pass-3 memory per document that has a pair: nodes (8), union-find
// (8), exact ref (4), kind (1), priority (8), best (4), rounded up.
constexpr uint64_t kClusterBytesPerNode = 40;


// ------------------------------------------------- pass 3, out of memory
//
// Connected components when the documents with pairs do not fit the memory
// limit: min-label propagation over sorted files. Every pass is a merge of
// streams sorted by document, so memory is the sorters' budget whatever the
// corpus size. Iterations: the largest distance in a component from its
// smallest document (small for bucket stars: each bucket links to its first
// document); each iteration sorts the edge list once.

struct Edge { uint64_t u, v; };
struct EdgeLess {
  bool operator()(const Edge& x, const Edge& y) const { return x.u != y.u ? x.u < y.u : x.v < y.v; }
};
struct NodeRec {  // a document of a component, sorted by (label, node)
  uint64_t label, node, ref, prio;
  uint64_t kind;
};
struct NodeRecLess {
  bool operator()(const NodeRec& x, const NodeRec& y) const {
    return x.label != y.label ? x.label < y.label : x.node < y.node;
  }
};
struct GroupStat { uint64_t label, keeper, size; };
struct ClusterLess {
  bool operator()(const ClusterRecord& x, const ClusterRecord& y) const { return x.doc < y.doc; }
};

template <typename T>
class RecordWriter {
 public:
  ~RecordWriter() {
    if (f_) std::fclose(f_);
  }
  Status Open(const std::string& path) {
    path_ = path;
    f_ = std::fopen(path.c_str(), "wb");
    if (!f_) return Status::IoError("cannot create " + path);
    std::setvbuf(f_, nullptr, _IOFBF, 1 << 18);
    return Status::Ok();
  }
  void Write(const T& r) { ok_ = ok_ && std::fwrite(&r, sizeof(T), 1, f_) == 1; }
  Status Close() {
    ok_ = (std::fclose(f_) == 0) && ok_;
    f_ = nullptr;
    return ok_ ? Status::Ok() : Status::IoError("cannot write " + path_ + " (disk full?)");
  }

 private:
  std::FILE* f_ = nullptr;
  std::string path_;
  bool ok_ = true;
};

using ForEachPair = std::function<Status(const std::function<void(const PairOut&)>&)>;

Status ExternalClusters(const DedupOptions& o, const std::vector<uint64_t>& offsets,
                        const ForEachPair& for_each_pair,
                        std::FILE* out, uint64_t* n_nodes, uint64_t* n_clusters, DedupStats* st) {
  const size_t budget = std::max<size_t>(o.memory_limit_bytes / 2, 4096);
  const std::string edges_path = o.work_dir + "/clusters.edges.tmp";
  const std::string labels_path = o.work_dir + "/clusters.labels.tmp";
  const std::string labels_next = o.work_dir + "/clusters.labels-next.tmp";
  const std::string refs_path = o.work_dir + "/clusters.refs.tmp";
  const std::string nodes_path = o.work_dir + "/clusters.noderecs.tmp";
  const std::string groups_path = o.work_dir + "/clusters.groups.tmp";
  struct Cleanup {
    std::vector<std::string> files;
    ~Cleanup() { for (const auto& f : files) std::remove(f.c_str()); }
  } cleanup{{edges_path, labels_path, labels_next, refs_path, nodes_path, groups_path}};
  Status s;
  // Edges in both directions, sorted by source; exact/URL refs by document.
  {
    ExternalSorter<Edge, EdgeLess> edges(o.work_dir, "clusters.e", budget / 2);
    ExternalSorter<Edge, EdgeLess> refs(o.work_dir, "clusters.r", budget / 2);
    Status add;
    s = for_each_pair([&](const PairOut& po) {
      const Pair& pr = po.p;
      const uint64_t b = pr.kind_b & kDocMask, kind = pr.kind_b >> kDocBits;
      if (add.ok()) add = edges.Add({pr.a, b});
      if (add.ok()) add = edges.Add({b, pr.a});
      // (b, a | kind): the smallest a sorts first; kind rides in the top bits
      // of a separate field so it does not change the order of a.
      if (add.ok() && kind != kNear) add = refs.Add({b, (pr.a << 2) | kind});
    });
    if (!s.ok()) return s;
    if (!add.ok()) return add;
    for (auto* srt : {&edges, &refs}) {
      s = srt->Finish();
      if (!s.ok()) return s;
    }
    RecordWriter<Edge> ew, rw;
    s = ew.Open(edges_path);
    if (!s.ok()) return s;
    RecordWriter<Edge> lw;
    s = lw.Open(labels_path);
    if (!s.ok()) return s;
    // Initial label: the smallest of the document and its neighbours.
    Edge e, last{~uint64_t{0}, ~uint64_t{0}};
    uint64_t cur = ~uint64_t{0}, label = 0;
    while (edges.Next(&e)) {
      if (e.u == last.u && e.v == last.v) continue;
      last = e;
      ew.Write(e);
      if (e.u != cur) {
        if (cur != ~uint64_t{0}) lw.Write({cur, label});
        cur = e.u;
        label = e.u;
      }
      label = std::min(label, e.v);
    }
    if (cur != ~uint64_t{0}) lw.Write({cur, label});
    s = ew.Close();
    if (s.ok()) s = lw.Close();
    if (!s.ok()) return s;
    s = rw.Open(refs_path);
    if (!s.ok()) return s;
    uint64_t last_b = ~uint64_t{0};
    while (refs.Next(&e)) {
      if (e.u == last_b) continue;  // the first is the smallest a
      last_b = e.u;
      rw.Write(e);
    }
    s = rw.Close();
    if (!s.ok()) return s;
    st->spilled_runs += edges.spilled_runs() + refs.spilled_runs();
  }
  // Propagate: label(v) = min(label(v), label(u)) over edges (u, v), until
  // nothing changes.
  for (int iteration = 0;; ++iteration) {
    ExternalSorter<Edge, EdgeLess> props(o.work_dir, "clusters.p", budget);
    {
      RecordReader<Edge> er, lr;  // Edge{u,v} and label records {node,label}
      s = er.Open(edges_path, 1 << 18);
      if (s.ok()) s = lr.Open(labels_path, 1 << 18);
      if (!s.ok()) return s;
      Edge e, l{~uint64_t{0}, 0};
      bool have_l = lr.Next(&l);
      while (er.Next(&e)) {
        while (have_l && l.u < e.u) have_l = lr.Next(&l);
        if (!have_l || l.u != e.u) return Status::Internal("dedup pass 3: label missing");
        s = props.Add({e.v, l.v});
        if (!s.ok()) return s;
      }
    }
    s = props.Finish();
    if (!s.ok()) return s;
    st->spilled_runs += props.spilled_runs();
    bool changed = false;
    {
      RecordReader<Edge> lr;
      s = lr.Open(labels_path, 1 << 18);
      if (!s.ok()) return s;
      RecordWriter<Edge> lw;
      s = lw.Open(labels_next);
      if (!s.ok()) return s;
      Edge l, p;
      bool have_p = props.Next(&p);
      while (lr.Next(&l)) {
        uint64_t best = l.v;
        while (have_p && p.u < l.u) have_p = props.Next(&p);
        while (have_p && p.u == l.u) {
          best = std::min(best, p.v);
          have_p = props.Next(&p);
        }
        changed = changed || best != l.v;
        lw.Write({l.u, best});
      }
      s = lw.Close();
      if (!s.ok()) return s;
    }
    s = RenameInto(labels_next, labels_path);
    if (!s.ok()) return s;
    if (!changed) break;
    if (iteration > 100000) return Status::Internal("dedup pass 3: labels do not converge");
  }
  // Per document: label, length, exact ref; sorted by (label, doc).
  ExternalSorter<NodeRec, NodeRecLess> by_label(o.work_dir, "clusters.n", budget);
  {
    RecordReader<Edge> lr, rr;
    s = lr.Open(labels_path, 1 << 18);
    if (s.ok()) s = rr.Open(refs_path, 1 << 18);
    if (!s.ok()) return s;
    DocLookup lookup(o, offsets);
    Edge l, r;
    bool have_r = rr.Next(&r);
    while (lr.Next(&l)) {
      NodeRec n{l.v, l.u, 0, 0, kKeep};
      while (have_r && r.u < l.u) have_r = rr.Next(&r);
      if (have_r && r.u == l.u) {
        n.ref = r.v >> 2;
        n.kind = static_cast<uint32_t>(r.v & 3);
      }
      SigFixed fx;
      size_t shard;
      s = lookup.Fixed(l.u, &fx, &shard);
      if (!s.ok()) return s;
      n.prio = Priority(fx, o);
      s = by_label.Add(n);
      if (!s.ok()) return s;
      ++*n_nodes;
    }
  }
  s = by_label.Finish();
  if (!s.ok()) return s;
  // One scan keeps the sorted records and the keeper/size of each label.
  {
    RecordWriter<NodeRec> nw;
    RecordWriter<GroupStat> gw;
    s = nw.Open(nodes_path);
    if (s.ok()) s = gw.Open(groups_path);
    if (!s.ok()) return s;
    NodeRec n;
    GroupStat g{~uint64_t{0}, 0, 0};
    uint64_t best_prio = 0;
    bool have_best = false;
    while (by_label.Next(&n)) {
      if (n.label != g.label) {
        if (g.label != ~uint64_t{0}) gw.Write(g);
        g = {n.label, 0, 0};
        have_best = false;
      }
      ++g.size;
      if (n.kind == kKeep && (!have_best || n.prio < best_prio)) {  // ties: earliest
        g.keeper = n.node;
        best_prio = n.prio;
        have_best = true;
      }
      nw.Write(n);
    }
    if (g.label != ~uint64_t{0}) gw.Write(g);
    s = nw.Close();
    if (s.ok()) s = gw.Close();
    if (!s.ok()) return s;
  }
  ExternalSorter<ClusterRecord, ClusterLess> by_doc(o.work_dir, "clusters.c", budget);
  {
    RecordReader<NodeRec> nr;
    RecordReader<GroupStat> gr;
    s = nr.Open(nodes_path, 1 << 18);
    if (s.ok()) s = gr.Open(groups_path, 1 << 18);
    if (!s.ok()) return s;
    NodeRec n;
    GroupStat g{~uint64_t{0}, 0, 0};
    while (nr.Next(&n)) {
      while (g.label != n.label) {
        if (!gr.Next(&g)) return Status::Internal("dedup pass 3: group missing");
      }
      ClusterRecord c{};
      c.doc = n.node;
      c.keeper = g.keeper;
      c.size = static_cast<uint32_t>(std::min<uint64_t>(g.size, UINT32_MAX));
      if (n.node == g.keeper) {
        c.kind = kKeep;
        c.ref = n.node;
        ++*n_clusters;
      } else if (n.kind != kKeep) {
        c.kind = static_cast<uint32_t>(n.kind);
        c.ref = n.ref;
      } else {
        c.kind = kNear;
        c.ref = g.keeper;
      }
      s = by_doc.Add(c);
      if (!s.ok()) return s;
    }
  }
  s = by_doc.Finish();
  if (!s.ok()) return s;
  st->spilled_runs += by_label.spilled_runs() + by_doc.spilled_runs();
  ClusterRecord c;
  bool ok = true;
  while (ok && by_doc.Next(&c)) ok = std::fwrite(&c, sizeof(c), 1, out) == 1;
  return ok ? Status::Ok() : Status::IoError("cannot write clusters (disk full?)");
}

// ------------------------------------------------- pass 3, verified (default)
//
// Greedy in keep-priority order: a document is removed only when it has a
// verified pair (near: Jaccard >= threshold, measured in pass 2; exact/URL:
// the same key) with a document that is kept, and its decision names that
// document; otherwise it is kept. Chains do not merge: A~B, B~C with A kept
// removes B, and C stays unless it is itself verified-similar to A (or to
// another kept document). Each pair becomes an arc from its later document
// (in priority order) to its earlier one; arcs sorted by (later, earlier)
// are read once, and when a document's arcs are read every document they
// point to is already decided. State: one bit per document (kept or not)
// plus the sorters' budget.

struct Arc {
  uint64_t dprio, d;  // the later document, decided by this arc group
  uint64_t nprio, n;  // the earlier one: a possible keeper
  uint32_t kind;      // Kind
  uint32_t jaccard;   // x 10000, floor (10000 for exact/URL keys)
};
struct ArcLess {
  bool operator()(const Arc& x, const Arc& y) const {
    if (x.dprio != y.dprio) return x.dprio < y.dprio;
    if (x.d != y.d) return x.d < y.d;
    if (x.nprio != y.nprio) return x.nprio < y.nprio;
    if (x.n != y.n) return x.n < y.n;
    return x.kind < y.kind;
  }
};
struct Removal {
  uint64_t keeper, doc;
  uint64_t kind_jaccard;  // ClusterRecord::kind
};
struct RemovalLess {
  bool operator()(const Removal& x, const Removal& y) const {
    return x.keeper != y.keeper ? x.keeper < y.keeper : x.doc < y.doc;
  }
};

Status VerifiedClusters(const DedupOptions& o, uint64_t n_docs, const ForEachPair& for_each_pair,
                        std::FILE* out, uint64_t* n_records, uint64_t* n_clusters,
                        DedupStats* st) {
  const uint64_t bitmap_bytes = (n_docs + 63) / 64 * 8;
  const uint64_t rest = o.memory_limit_bytes > bitmap_bytes ? o.memory_limit_bytes - bitmap_bytes : 0;
  const size_t budget = static_cast<size_t>(std::max<uint64_t>(rest / 2, 4096));
  const std::string removed_path = o.work_dir + "/clusters.removed.tmp";
  struct Cleanup {
    std::string file;
    ~Cleanup() { std::remove(file.c_str()); }
  } cleanup{removed_path};
  ExternalSorter<Arc, ArcLess> arcs(o.work_dir, "clusters.a", budget);
  Status add;
  Status s = for_each_pair([&](const PairOut& po) {
    const Pair& pr = po.p;
    const uint64_t b = pr.kind_b & kDocMask;
    const uint32_t kind = static_cast<uint32_t>(pr.kind_b >> kDocBits);
    uint32_t j = 10000;
    if (kind == kNear) {
      if (!(po.jaccard >= o.threshold)) return;  // not verified: never a reason to remove
      j = static_cast<uint32_t>(std::min(10000.0, std::floor(double{po.jaccard} * 10000)));
    }
    const bool a_first = pr.prio_a != pr.prio_b ? pr.prio_a < pr.prio_b : pr.a < b;
    Arc x = a_first ? Arc{pr.prio_b, b, pr.prio_a, pr.a, kind, j}
                    : Arc{pr.prio_a, pr.a, pr.prio_b, b, kind, j};
    if (add.ok()) add = arcs.Add(x);
  });
  if (!s.ok()) return s;
  if (!add.ok()) return add;
  s = arcs.Finish();
  if (!s.ok()) return s;
  std::vector<uint64_t> kept((n_docs + 63) / 64, ~uint64_t{0});
  auto is_kept = [&](uint64_t d) { return (kept[d >> 6] >> (d & 63)) & 1; };
  {
    ExternalSorter<Removal, RemovalLess> removals(o.work_dir, "clusters.m", budget);
    Arc a;
    bool have = arcs.Next(&a);
    while (have) {
      const uint64_t d = a.d;
      // A kept document with the same key first (same text), else the kept
      // near copy first in priority order.
      bool found_key = false, found_near = false;
      Arc by_key{}, by_near{};
      for (; have && a.d == d; have = arcs.Next(&a)) {
        if (a.n >= n_docs || !is_kept(a.n)) continue;
        if (a.kind != kNear && !found_key) by_key = a, found_key = true;
        if (a.kind == kNear && !found_near) by_near = a, found_near = true;
      }
      if (!found_key && !found_near) continue;
      const Arc& w = found_key ? by_key : by_near;
      if (d >= n_docs) return Status::Internal("dedup pass 3: document index out of range");
      kept[d >> 6] &= ~(uint64_t{1} << (d & 63));
      s = removals.Add({w.n, d, w.kind | (uint64_t{w.jaccard} << 8)});
      if (!s.ok()) return s;
    }
    s = removals.Finish();
    if (!s.ok()) return s;
    st->spilled_runs += arcs.spilled_runs() + removals.spilled_runs();
    RecordWriter<Removal> w;
    s = w.Open(removed_path);
    if (!s.ok()) return s;
    Removal r;
    while (removals.Next(&r)) w.Write(r);
    s = w.Close();
    if (!s.ok()) return s;
  }
  // Records by document: the keeper with its group size, and each removed one.
  ExternalSorter<ClusterRecord, ClusterLess> by_doc(o.work_dir, "clusters.c", budget);
  {
    RecordReader<Removal> counter, reader;
    s = counter.Open(removed_path, 1 << 18);
    if (s.ok()) s = reader.Open(removed_path, 1 << 18);
    if (!s.ok()) return s;
    Removal r;
    bool have = counter.Next(&r);
    while (have) {
      const uint64_t keeper = r.keeper;
      uint64_t count = 0;
      for (; have && r.keeper == keeper; have = counter.Next(&r)) ++count;
      const uint32_t size = static_cast<uint32_t>(std::min<uint64_t>(count + 1, UINT32_MAX));
      s = by_doc.Add({keeper, keeper, keeper, size, kKeep});
      ++*n_clusters;
      for (uint64_t i = 0; i < count && s.ok(); ++i) {
        Removal m;
        if (!reader.Next(&m)) return Status::Internal("dedup pass 3: removal file changed");
        s = by_doc.Add({m.doc, keeper, keeper, size, static_cast<uint32_t>(m.kind_jaccard)});
      }
      if (!s.ok()) return s;
    }
  }
  s = by_doc.Finish();
  if (!s.ok()) return s;
  st->spilled_runs += by_doc.spilled_runs();
  ClusterRecord c;
  bool ok = true;
  while (ok && by_doc.Next(&c)) {
    ok = std::fwrite(&c, sizeof(c), 1, out) == 1;
    ++*n_records;
  }
  return ok ? Status::Ok() : Status::IoError("cannot write clusters (disk full?)");
}
}  // namespace

Status ParseDedupClusters(std::string_view name, DedupClusters* out) {
  if (name == "verified") *out = DedupClusters::kVerified;
  else if (name == "components") *out = DedupClusters::kComponents;
  else return Status::InvalidArgument("dedup.clusters must be verified or components, not '" + std::string(name) + "'");
  return Status::Ok();
}
Status ParseDedupKeep(std::string_view name, DedupKeep* out) {
  if (name == "longest") *out = DedupKeep::kLongest;
  else if (name == "earliest") *out = DedupKeep::kEarliest;
  else if (name == "quality") *out = DedupKeep::kQuality;
  else if (name == "newest") *out = DedupKeep::kNewest;
  else return Status::InvalidArgument("dedup.keep must be longest, earliest, quality or newest, not '" + std::string(name) + "'");
  return Status::Ok();
}
const char* DedupClustersName(DedupClusters c) {
  return c == DedupClusters::kVerified ? "verified" : "components";
}
const char* DedupKeepName(DedupKeep k) {
  switch (k) {
    case DedupKeep::kLongest: return "longest";
    case DedupKeep::kEarliest: return "earliest";
    case DedupKeep::kQuality: return "quality";
    case DedupKeep::kNewest: return "newest";
  }
  return "?";
}

std::string DedupStats::ToString() const {
  char buf[2048];
  std::snprintf(buf, sizeof(buf),
                "documents %" PRIu64 "\ninput_bytes %" PRIu64 "\nunreadable_records %" PRIu64
                "\ncandidate_pairs %" PRIu64 "\nnear_pairs %" PRIu64 "\nexact_pairs %" PRIu64
                "\nspilled_runs %" PRIu64 "\nclusters %" PRIu64 "\ndocs_in_clusters %" PRIu64
                "\nkept %" PRIu64 "\nremoved_exact %" PRIu64 "\nremoved_near %" PRIu64
                "\nparagraphs_dropped %" PRIu64 "\nremoved_paragraphs %" PRIu64
                "\npasses_skipped %" PRIu64
                "\nseconds_signatures %.3f\nseconds_pairs %.3f\nseconds_clusters %.3f"
                "\nseconds_apply %.3f\ncpu_seconds_signatures %.3f\ncpu_seconds_pairs %.3f"
                "\ncpu_seconds_clusters %.3f\ncpu_seconds_apply %.3f\n",
                documents, input_bytes, unreadable_records, candidate_pairs, near_pairs,
                exact_pairs, spilled_runs, clusters, docs_in_clusters, kept, removed_exact,
                removed_near, paragraphs_dropped, removed_paragraphs, passes_skipped, seconds[0], seconds[1], seconds[2], seconds[3],
                cpu_seconds[0], cpu_seconds[1], cpu_seconds[2], cpu_seconds[3]);
  return buf;
}

Status ValidateDedupOptions(const DedupOptions& o) {
  if (o.ngram <= 0 || o.ngram > 1000) return Status::InvalidArgument("dedup: ngram must be in 1..1000");
  if (o.bands <= 0 || o.bands > 255) return Status::InvalidArgument("dedup: bands must be in 1..255");
  if (o.rows <= 0 || o.rows > 1024) return Status::InvalidArgument("dedup: rows must be in 1..1024");
  if (o.partitions <= 0) return Status::InvalidArgument("dedup: partitions must be >= 1");
  if (o.threads <= 0) return Status::InvalidArgument("dedup: threads must be >= 1");
  if (o.task_count <= 0 || o.task_index < 0 || o.task_index >= o.task_count)
    return Status::InvalidArgument("dedup: need 0 <= task_index < task_count");
  if (o.threshold < 0 || o.threshold > 1) return Status::InvalidArgument("dedup: threshold must be in [0,1]");
  if (o.paragraph_min_chars < 1 || o.paragraph_min_chars > (1 << 20))
    return Status::InvalidArgument("dedup: paragraph_min_chars must be in 1..1048576");
  if (o.bucket_window < 0 || o.bucket_window > 1000)
    return Status::InvalidArgument("dedup: bucket_window must be in 0..1000");
  if (o.keep == DedupKeep::kQuality && o.keep_signal.empty())
    return Status::InvalidArgument("dedup: keep = quality needs keep_signal (the quality annotation, e.g. a filter's score in tag mode)");
  if (o.memory_limit_bytes < (4 << 10))
    return Status::InvalidArgument("dedup: memory_limit_bytes must be at least 4 KiB");
  if (o.output_compression != "none" && o.output_compression != "gz" && o.output_compression != "zst")
    return Status::InvalidArgument("dedup: output compression must be none, gz or zst");
  return Status::Ok();
}

namespace {

// What every pass does first: check the options, then create work_dir.
Status StartPass(const DedupOptions& o) {
  Status v = ValidateDedupOptions(o);
  if (!v.ok()) return v;
  if (o.work_dir.empty()) return Status::InvalidArgument("dedup: work_dir is required");
  std::error_code ec;
  fs::create_directories(o.work_dir, ec);
  if (ec) return Status::IoError("dedup: cannot create work_dir " + o.work_dir + ": " + ec.message());
  return Status::Ok();
}

}  // namespace

Status ComputeSignatures(const std::vector<std::string>& shards, const DedupOptions& o,
                         DedupStats* stats) {
  Status v = StartPass(o);
  if (!v.ok()) return v;
  auto t0 = std::chrono::steady_clock::now();
  const double c0 = CpuSeconds();
  std::mutex mu;
  Status s = ForEachTaskItem(shards.size(), o, true, [&](size_t i) {
    DedupStats local;
    Status r = SignShard(shards, i, o, &local);
    if (r.ok()) r = SplitShardKeys(shards, i, o);
    AddStats(local, stats, &mu);
    return r;
  });
  stats->seconds[0] += Seconds(t0);
  stats->cpu_seconds[0] += CpuSeconds() - c0;
  return s;
}

Status FindCandidatePairs(const std::vector<std::string>& shards, const DedupOptions& o,
                          DedupStats* stats) {
  Status v = StartPass(o);
  if (!v.ok()) return v;
  auto t0 = std::chrono::steady_clock::now();
  const double c0 = CpuSeconds();
  std::vector<uint64_t> offsets;
  Status os = ShardOffsets(shards, o, &offsets);
  if (!os.ok()) return os;
  std::mutex mu;
  Status s = ForEachTaskItem(o.partitions, o, true, [&](size_t p) {
    DedupStats local;
    Status r = PartitionPairs(shards, static_cast<int>(p), o, offsets, &local);
    if (r.ok() && o.paragraphs) r = PartitionParagraphs(shards, static_cast<int>(p), o, offsets, &local);
    AddStats(local, stats, &mu);
    return r;
  });
  stats->seconds[1] += Seconds(t0);
  stats->cpu_seconds[1] += CpuSeconds() - c0;
  return s;
}

namespace {

// Pass 3 of dedup.paragraphs, after the document clusters: in each group of
// occurrences of a repeated paragraph (parrep files, by (doc, para)), the
// first occurrence in a document that is kept stays and every later one in
// a kept document is dropped (occurrences in removed documents are left
// alone: their text leaves the corpus anyway, so it cannot be the copy that
// stays). Drops sorted by (doc, para) go to paradrops.bin. Memory: one bit
// per document plus the sort budget.
Status ParagraphDrops(const std::vector<std::string>& shards, const DedupOptions& o,
                      DedupStats* st) {
  const uint64_t hash = ParaDropsHash(o, shards);
  const std::string path = ParaDropsPath(o);
  std::vector<std::string> deps = ParaRepeatsPaths(o);
  deps.push_back(ClustersPath(o));
  if (ReadHeader(path, "WNDPDRP1", hash).ok() && NewerThanAll(path, deps)) {
    ++st->passes_skipped;
    return Status::Ok();
  }
  std::vector<uint64_t> offsets;
  Status os = ShardOffsets(shards, o, &offsets);
  if (!os.ok()) return os;
  const uint64_t rep_hash = ParaRepeatsHash(o, shards);
  std::vector<uint64_t> rep_count(o.partitions);
  for (int p = 0; p < o.partitions; ++p) {
    auto h = ReadHeader(ParaRepeatsPath(o, p), "WNDPREP1", rep_hash);
    if (!h.ok())
      return Status::InvalidArgument("pass 2 (paragraphs) is not done for partition " +
                                     std::to_string(p) + ": " + ParaRepeatsPath(o, p));
    rep_count[p] = h->count;
  }
  auto ch = ReadHeader(ClustersPath(o), "WNDCLUS1", CorpusHash(o, shards));
  if (!ch.ok()) return Status::InvalidArgument("pass 3 (clusters) is not done: " + ch.status().message());
  const uint64_t n_docs = offsets.back();
  std::vector<uint64_t> kept((n_docs + 63) / 64, ~uint64_t{0});
  {
    RecordReader<ClusterRecord> r;
    Status s = r.Open(ClustersPath(o), 1 << 18, sizeof(FileHeader));
    if (!s.ok()) return s;
    ClusterRecord c;
    for (uint64_t i = 0; i < ch->count; ++i) {
      if (!r.Next(&c)) return Status::Corrupt("short read in " + ClustersPath(o));
      if (c.doc >= n_docs) return Status::Corrupt("document index out of range in " + ClustersPath(o));
      if ((c.kind & 0xff) != kKeep) kept[c.doc >> 6] &= ~(uint64_t{1} << (c.doc & 63));
    }
  }
  const uint64_t bitmap_bytes = 8 * kept.size();
  const size_t budget = static_cast<size_t>(std::max<uint64_t>(
      4096, o.memory_limit_bytes > bitmap_bytes ? o.memory_limit_bytes - bitmap_bytes : 0));
  ExternalSorter<ParaDrop, ParaDropLess> drops(o.work_dir, "paradrops.d", budget);
  for (int p = 0; p < o.partitions; ++p) {
    RecordReader<ParaKey> r;
    Status s = r.Open(ParaRepeatsPath(o, p), 1 << 18, sizeof(FileHeader));
    if (!s.ok()) return s;
    ParaKey k;
    uint64_t hi = 0, lo = 0, first = 0;
    bool have_group = false, have_first = false;
    for (uint64_t i = 0; i < rep_count[p]; ++i) {
      if (!r.Next(&k)) return Status::Corrupt("short read in " + ParaRepeatsPath(o, p));
      if (k.doc >= n_docs) return Status::Corrupt("document index out of range in " + ParaRepeatsPath(o, p));
      if (!have_group || k.hi != hi || k.lo != lo) {
        hi = k.hi;
        lo = k.lo;
        have_group = true;
        have_first = false;
      }
      if (!((kept[k.doc >> 6] >> (k.doc & 63)) & 1)) continue;
      if (!have_first) {
        first = k.doc;
        have_first = true;
      } else {
        s = drops.Add({k.doc, k.para, first});
        if (!s.ok()) return s;
      }
    }
  }
  Status s = drops.Finish();
  if (!s.ok()) return s;
  st->spilled_runs += drops.spilled_runs();
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Status::IoError("cannot create " + tmp);
  std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
  bool ok = WriteHeader(f, "WNDPDRP1", sizeof(ParaDrop), 0, 0).ok();
  uint64_t count = 0;
  ParaDrop d;
  while (ok && drops.Next(&d)) ok = std::fwrite(&d, sizeof(d), 1, f) == 1, ++count;
  ok = ok && WriteHeader(f, "WNDPDRP1", sizeof(ParaDrop), hash, count).ok();
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) return Status::IoError("cannot write " + tmp + " (disk full?)");
  return RenameInto(tmp, path);
}

// Pass 3 without paragraphs: the document clusters (clusters.bin).
Status DocumentClusters(const std::vector<std::string>& shards, const DedupOptions& o,
                        DedupStats* stats);

}  // namespace

Status ComputeClusters(const std::vector<std::string>& shards, const DedupOptions& o,
                       DedupStats* stats) {
  Status v = StartPass(o);
  if (!v.ok()) return v;
  Status s = DocumentClusters(shards, o, stats);
  if (!s.ok() || !o.paragraphs) return s;
  auto t0 = std::chrono::steady_clock::now();
  const double c0 = CpuSeconds();
  s = ParagraphDrops(shards, o, stats);
  stats->seconds[2] += Seconds(t0);
  stats->cpu_seconds[2] += CpuSeconds() - c0;
  return s;
}

namespace {

Status DocumentClusters(const std::vector<std::string>& shards, const DedupOptions& o,
                        DedupStats* stats) {
  auto t0 = std::chrono::steady_clock::now();
  const double c0 = CpuSeconds();
  const uint64_t hash = CorpusHash(o, shards);
  if (ReadHeader(ClustersPath(o), "WNDCLUS1", hash).ok() &&
      NewerThanAll(ClustersPath(o), PairsPaths(o))) {
    ++stats->passes_skipped;
    stats->seconds[2] += Seconds(t0);
    stats->cpu_seconds[2] += CpuSeconds() - c0;
    return Status::Ok();
  }
  std::vector<uint64_t> offsets;
  Status os = ShardOffsets(shards, o, &offsets);
  if (!os.ok()) return os;
  for (int p = 0; p < o.partitions; ++p) {
    if (!ReadHeader(PairsPath(o, p), "WNDPAIR1", hash).ok())
      return Status::InvalidArgument("pass 2 (pairs) is not done for partition " +
                                     std::to_string(p) + ": " + PairsPath(o, p));
  }
  ForEachPair for_each_pair = [&](const std::function<void(const PairOut&)>& fn) -> Status {
    for (int p = 0; p < o.partitions; ++p) {
      RecordReader<PairOut> r;
      Status s = r.Open(PairsPath(o, p), 1 << 20, sizeof(FileHeader));
      if (!s.ok()) return s;
      PairOut pr;
      while (r.Next(&pr)) fn(pr);
    }
    return Status::Ok();
  };
  if (Verified(o)) {
    const std::string tmp = ClustersPath(o) + ".tmp";
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) return Status::IoError("cannot create " + tmp);
    std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
    uint64_t n_records = 0, n_clusters = 0;
    Status es = WriteHeader(f, "WNDCLUS1", sizeof(ClusterRecord), 0, 0);
    if (es.ok()) es = VerifiedClusters(o, offsets.back(), for_each_pair, f, &n_records, &n_clusters, stats);
    if (es.ok()) es = WriteHeader(f, "WNDCLUS1", sizeof(ClusterRecord), hash, n_records);
    const bool closed = std::fclose(f) == 0;
    if (!es.ok()) return es;
    if (!closed) return Status::IoError("cannot write " + tmp + " (disk full?)");
    stats->clusters += n_clusters;
    stats->docs_in_clusters += n_records;
    stats->seconds[2] += Seconds(t0);
    stats->cpu_seconds[2] += CpuSeconds() - c0;
    return RenameInto(tmp, ClustersPath(o));
  }
  // The documents that have at least one pair, sorted.
  std::vector<uint64_t> nodes;
  bool external = o.external_components;
  {
    ExternalSorter<uint64_t, U64Less> sorter(o.work_dir, "clusters.nodes", o.memory_limit_bytes / 4);
    Status add_status;
    Status s = for_each_pair([&](const PairOut& po) {
      if (add_status.ok()) add_status = sorter.Add(po.p.a);
      if (add_status.ok()) add_status = sorter.Add(po.p.kind_b & kDocMask);
    });
    if (!s.ok()) return s;
    if (!add_status.ok()) return add_status;
    s = sorter.Finish();
    if (!s.ok()) return s;
    uint64_t d;
    while (!external && sorter.Next(&d)) {
      if (!nodes.empty() && nodes.back() == d) continue;
      if ((nodes.size() + 1) * kClusterBytesPerNode > o.memory_limit_bytes ||
          nodes.size() >= UINT32_MAX) {
        external = true;  // does not fit: the sorted-file algorithm
        std::vector<uint64_t>().swap(nodes);
      } else {
        nodes.push_back(d);
      }
    }
    stats->spilled_runs += sorter.spilled_runs();
  }
  if (external) {
    const std::string tmp = ClustersPath(o) + ".tmp";
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) return Status::IoError("cannot create " + tmp);
    std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
    uint64_t n_nodes = 0, n_clusters = 0;
    Status es = WriteHeader(f, "WNDCLUS1", sizeof(ClusterRecord), 0, 0);
    if (es.ok()) es = ExternalClusters(o, offsets, for_each_pair, f, &n_nodes, &n_clusters, stats);
    if (es.ok()) es = WriteHeader(f, "WNDCLUS1", sizeof(ClusterRecord), hash, n_nodes);
    const bool closed = std::fclose(f) == 0;
    if (!es.ok()) return es;
    if (!closed) return Status::IoError("cannot write " + tmp + " (disk full?)");
    stats->clusters += n_clusters;
    stats->docs_in_clusters += n_nodes;
    stats->seconds[2] += Seconds(t0);
    stats->cpu_seconds[2] += CpuSeconds() - c0;
    return RenameInto(tmp, ClustersPath(o));
  }
  const size_t m = nodes.size();
  auto index_of = [&](uint64_t d) {
    return static_cast<uint32_t>(std::lower_bound(nodes.begin(), nodes.end(), d) - nodes.begin());
  };
  UnionFind uf(m);
  std::vector<uint32_t> exact_ref(m, UINT32_MAX);
  std::vector<uint8_t> exact_kind(m, 0);
  std::vector<uint64_t> prio(m, 0);
  Status s = for_each_pair([&](const PairOut& po) {
    const Pair& pr = po.p;
    const uint32_t ia = index_of(pr.a), ib = index_of(pr.kind_b & kDocMask);
    prio[ia] = pr.prio_a;
    prio[ib] = pr.prio_b;
    const uint32_t kind = static_cast<uint32_t>(pr.kind_b >> kDocBits);
    if (kind == kExact || kind == kUrl) {
      if (exact_ref[ib] == UINT32_MAX || ia < exact_ref[ib]) {
        exact_ref[ib] = ia;
        exact_kind[ib] = static_cast<uint8_t>(kind);
      }
    }
    uf.Union(ia, ib);
  });
  if (!s.ok()) return s;
  // The kept document of a component: the first in keep-priority order
  // among those that are not exact/URL duplicates, ties to the earliest.
  std::vector<uint32_t> best(m, UINT32_MAX);
  for (size_t i = 0; i < m; ++i) {
    if (exact_ref[i] != UINT32_MAX) continue;
    uint32_t r = uf.Find(static_cast<uint32_t>(i));
    uint32_t b = best[r];
    if (b == UINT32_MAX || prio[i] < prio[b]) best[r] = static_cast<uint32_t>(i);
  }
  const std::string tmp = ClustersPath(o) + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Status::IoError("cannot create " + tmp);
  std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
  bool ok = WriteHeader(f, "WNDCLUS1", sizeof(ClusterRecord), 0, 0).ok();
  uint64_t clusters = 0;
  for (size_t i = 0; i < m && ok; ++i) {
    const uint32_t r = uf.Find(static_cast<uint32_t>(i));
    const uint32_t keeper = best[r];
    ClusterRecord c{};
    c.doc = nodes[i];
    c.keeper = nodes[keeper];
    c.size = uf.Size(r);
    if (keeper == i) {
      c.kind = kKeep;
      c.ref = nodes[i];
      ++clusters;
    } else if (exact_ref[i] != UINT32_MAX) {
      c.kind = exact_kind[i];
      c.ref = nodes[exact_ref[i]];
    } else {
      c.kind = kNear;
      c.ref = nodes[keeper];
    }
    ok = std::fwrite(&c, sizeof(c), 1, f) == 1;
  }
  ok = ok && WriteHeader(f, "WNDCLUS1", sizeof(ClusterRecord), hash, m).ok();
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) return Status::IoError("cannot write " + tmp + " (disk full?)");
  stats->clusters += clusters;
  stats->docs_in_clusters += m;
  stats->seconds[2] += Seconds(t0);
  stats->cpu_seconds[2] += CpuSeconds() - c0;
  return RenameInto(tmp, ClustersPath(o));
}

std::string OutputPath(const std::string& prefix, size_t s, const DedupOptions& o) {
  return filename::Shard(prefix, s, o.output_compression);
}

// Drops a kept document's repeated paragraphs (pass 3's drops of this
// document, by paragraph index): the blocks become keep=false with
// drop_reason "dedup.paragraphs", tags["dedup.paragraphs"] says how many of
// how many and which documents hold the copies that stay, and a document
// left without text is removed ("duplicate_paragraphs").
Status DropParagraphs(const std::vector<ParaDrop>& drops, DocLookup* lookup, Document* doc,
                      uint64_t* dropped) {
  if (doc->blocks.empty()) {
    if (doc->kind != DocKind::kText) return Status::Corrupt("document " + doc->id + " has no paragraphs");
    doc->SetTextLines(doc->raw);
  }
  const size_t paragraphs = static_cast<size_t>(
      std::count_if(doc->blocks.begin(), doc->blocks.end(), [](const Block& b) { return b.keep; }));
  std::vector<uint64_t> firsts;
  for (const ParaDrop& d : drops) {
    if (d.para >= doc->blocks.size() || !doc->blocks[d.para].keep) {
      return Status::Corrupt("document " + doc->id + " changed since pass 1 (paragraph " +
                             std::to_string(d.para) + ")");
    }
    Block& b = doc->blocks[d.para];
    b.keep = false;
    b.drop_reason = "dedup.paragraphs";
    if (std::find(firsts.begin(), firsts.end(), d.first) == firsts.end()) firsts.push_back(d.first);
  }
  *dropped += drops.size();
  std::string where;
  constexpr size_t kNamed = 3;
  for (size_t i = 0; i < std::min(firsts.size(), kNamed); ++i) where += (i ? ", " : "") + lookup->Id(firsts[i]);
  if (firsts.size() > kNamed) where += " and " + std::to_string(firsts.size() - kNamed) + " more";
  const std::string detail = std::to_string(drops.size()) + " of " + std::to_string(paragraphs) +
                             " paragraphs appeared earlier (first in " + where + ")";
  doc->annotations.tags["dedup.paragraphs"] = detail;
  if (NormalizeForExact(doc->Text(), false).empty()) doc->Reject("dedup", "duplicate_paragraphs", detail);
  return Status::Ok();
}

Status ApplyShard(const std::vector<std::string>& shards, size_t s, const std::string& out_prefix,
                  const std::string& rej_prefix, const DedupOptions& o,
                  const std::vector<uint64_t>& offsets, uint64_t hash, DedupStats* st) {
  const std::string done = ApplyDonePath(o, s);
  // What this shard's outputs depend on (the mark written last).
  std::string mark = std::to_string(hash) + "|" + out_prefix + "|" + rej_prefix;
  std::vector<std::string> deps = {ClustersPath(o)};
  if (o.paragraphs) {
    mark += "|paragraphs " + std::to_string(ParaDropsHash(o, shards));
    deps.push_back(ParaDropsPath(o));
  }
  {
    std::FILE* f = std::fopen(done.c_str(), "rb");
    if (f) {
      char buf[8192];
      size_t n = std::fread(buf, 1, sizeof(buf), f);
      std::fclose(f);
      std::error_code ec;
      if (std::string(buf, n) == mark &&
          NewerThanAll(done, deps) && fs::exists(OutputPath(out_prefix, s, o), ec) &&
          (rej_prefix.empty() || fs::exists(OutputPath(rej_prefix, s, o), ec))) {
        ++st->passes_skipped;
        return Status::Ok();
      }
    }
  }
  // Position in clusters.bin: the first record with doc >= offsets[s].
  uint64_t n_records;
  {
    auto h = ReadHeader(ClustersPath(o), "WNDCLUS1", hash);
    if (!h.ok()) return Status::InvalidArgument("pass 3 (clusters) is not done: " + h.status().message());
    n_records = h->count;
  }
  uint64_t lo = 0, hi = n_records;
  {
    int fd = open(ClustersPath(o).c_str(), O_RDONLY);
    if (fd < 0) return Status::IoError("cannot open " + ClustersPath(o));
    while (lo < hi) {
      uint64_t mid = (lo + hi) / 2;
      ClusterRecord c;
      if (pread(fd, &c, sizeof(c), sizeof(FileHeader) + mid * sizeof(c)) != sizeof(c)) {
        close(fd);
        return Status::Corrupt("short read in " + ClustersPath(o));
      }
      if (c.doc < offsets[s]) lo = mid + 1; else hi = mid;
    }
    close(fd);
  }
  RecordReader<ClusterRecord> clusters;
  Status cs = clusters.Open(ClustersPath(o), 1 << 18,
                            static_cast<long>(sizeof(FileHeader) + lo * sizeof(ClusterRecord)));
  if (!cs.ok()) return cs;
  ClusterRecord c{};
  bool have = lo < n_records && clusters.Next(&c);
  // dedup.paragraphs: the drops of this shard's documents, from the first
  // with doc >= offsets[s].
  RecordReader<ParaDrop> para_drops;
  ParaDrop pd{};
  bool have_pd = false;
  if (o.paragraphs) {
    auto h = ReadHeader(ParaDropsPath(o), "WNDPDRP1", ParaDropsHash(o, shards));
    if (!h.ok()) return Status::InvalidArgument("pass 3 (paragraphs) is not done: " + h.status().message());
    int fd = open(ParaDropsPath(o).c_str(), O_RDONLY);
    if (fd < 0) return Status::IoError("cannot open " + ParaDropsPath(o));
    uint64_t plo = 0, phi = h->count;
    while (plo < phi) {
      uint64_t mid = (plo + phi) / 2;
      ParaDrop d;
      if (pread(fd, &d, sizeof(d), sizeof(FileHeader) + mid * sizeof(d)) != sizeof(d)) {
        close(fd);
        return Status::Corrupt("short read in " + ParaDropsPath(o));
      }
      if (d.doc < offsets[s]) plo = mid + 1; else phi = mid;
    }
    close(fd);
    cs = para_drops.Open(ParaDropsPath(o), 1 << 18,
                         static_cast<long>(sizeof(FileHeader) + plo * sizeof(ParaDrop)));
    if (!cs.ok()) return cs;
    have_pd = plo < h->count && para_drops.Next(&pd);
  }
  std::vector<ParaDrop> doc_drops;

  auto opened = dedup_internal::OpenShardReader(shards[s]);
  std::unique_ptr<dedup_internal::ShardDocReader> reader;
  if (opened.ok()) {
    reader = std::move(*opened);
  } else if (o.stop_on_unreadable || offsets[s] != offsets[s + 1]) {
    return opened.status();
  }  // else pass 1 counted the shard as unreadable: its outputs are empty
  const std::string out_tmp = filename::Temp(OutputPath(out_prefix, s, o));
  const std::string rej_tmp = rej_prefix.empty() ? "" : filename::Temp(OutputPath(rej_prefix, s, o));
  auto out = dedup_internal::OpenShardWriter(out_tmp, o, false);
  if (!out.ok()) return out.status();
  std::unique_ptr<dedup_internal::ShardDocWriter> rej;
  if (!rej_prefix.empty()) {
    auto r = dedup_internal::OpenShardWriter(rej_tmp, o, true);
    if (!r.ok()) return r.status();
    rej = std::move(*r);
  }
  DocLookup lookup(o, offsets);
  Document doc;
  uint64_t g = offsets[s];
  const uint64_t end = offsets[s + 1];
  Status ws;
  while (ws.ok() && reader && reader->Next(&doc)) {
    if (g >= end) {
      return Status::Corrupt("input shard " + shards[s] +
                             " changed since pass 1 (more documents than signed)");
    }
    while (have && c.doc < g) have = clusters.Next(&c);
    if (have && c.doc == g) {
      const std::string cluster_id = lookup.Id(c.keeper);
      doc.annotations.dup_cluster = cluster_id;
      doc.annotations.dup_cluster_size = c.size;
      const uint32_t kind = c.kind & 0xff;
      switch (kind) {
        case kKeep:
          break;
        case kExact:
        case kUrl: {
          std::string detail = (kind == kExact ? "same text as " : "same url as ") + lookup.Id(c.ref);
          if (c.ref != c.keeper) detail += "; cluster kept " + cluster_id;
          doc.Reject("dedup", kind == kExact ? "exact_duplicate" : "url_duplicate", detail);
          break;
        }
        default:
          if (Verified(o)) {
            char j[32];
            std::snprintf(j, sizeof(j), "%.4f", ((c.kind >> 8) & 0xffff) / 10000.0);
            doc.Reject("dedup", "near_duplicate", "near duplicate of " + cluster_id + " (jaccard " + j + ")");
          } else {
            doc.Reject("dedup", "near_duplicate",
                       "near duplicate of " + cluster_id + " (cluster of " + std::to_string(c.size) + ")");
          }
      }
    }
    if (o.paragraphs) {
      doc_drops.clear();
      while (have_pd && pd.doc < g) have_pd = para_drops.Next(&pd);
      for (; have_pd && pd.doc == g; have_pd = para_drops.Next(&pd)) doc_drops.push_back(pd);
      if (!doc_drops.empty() && doc.decision.keep) {
        ws = DropParagraphs(doc_drops, &lookup, &doc, &st->paragraphs_dropped);
        if (!ws.ok()) return Status::Corrupt("input shard " + shards[s] + ": " + ws.message());
      }
    }
    if (doc.decision.keep) {
      ++st->kept;
      st->kept_text_bytes += doc.TextSize();
      ws = (*out)->Write(doc);
    } else {
      if (doc.decision.reason == "near_duplicate") ++st->removed_near;
      else if (doc.decision.reason == "duplicate_paragraphs") ++st->removed_paragraphs;
      else ++st->removed_exact;
      if (doc.decision.reason == "url_duplicate") ++st->removed_url;
      if (rej) ws = rej->Write(doc);
    }
    ++g;
  }
  if (!ws.ok()) return ws;
  if (g != end) {
    return Status::Corrupt("input shard " + shards[s] +
                           " changed since pass 1 (fewer documents than signed)");
  }
  Status c1 = (*out)->Close();
  if (!c1.ok()) return c1;
  if (rej) {
    Status c2 = rej->Close();
    if (!c2.ok()) return c2;
    Status r = RenameInto(rej_tmp, OutputPath(rej_prefix, s, o));
    if (!r.ok()) return r;
  }
  Status r = RenameInto(out_tmp, OutputPath(out_prefix, s, o));
  if (!r.ok()) return r;
  std::FILE* f = std::fopen(done.c_str(), "wb");
  if (!f) return Status::IoError("cannot create " + done);
  bool ok = std::fwrite(mark.data(), 1, mark.size(), f) == mark.size();
  ok = (std::fclose(f) == 0) && ok;
  return ok ? Status::Ok() : Status::IoError("cannot write " + done);
}

}  // namespace

Status ApplyDedup(const std::vector<std::string>& shards, const std::string& output_prefix,
                  const std::string& rejected_prefix, const DedupOptions& o, DedupStats* stats) {
  Status v = StartPass(o);
  if (!v.ok()) return v;
  if (output_prefix.empty()) return Status::InvalidArgument("dedup: output prefix is required");
  auto t0 = std::chrono::steady_clock::now();
  const double c0 = CpuSeconds();
  std::vector<uint64_t> offsets;
  Status os = ShardOffsets(shards, o, &offsets);
  if (!os.ok()) return os;
  for (const std::string& prefix : {output_prefix, rejected_prefix}) {
    if (prefix.empty()) continue;
    fs::path parent = fs::path(prefix).parent_path();
    std::error_code ec;
    if (!parent.empty()) fs::create_directories(parent, ec);
  }
  const uint64_t hash = CorpusHash(o, shards);
  std::mutex mu;
  Status s = ForEachTaskItem(shards.size(), o, true, [&](size_t i) {
    DedupStats local;
    Status r = ApplyShard(shards, i, output_prefix, rejected_prefix, o, offsets, hash, &local);
    AddStats(local, stats, &mu);
    return r;
  });
  stats->seconds[3] += Seconds(t0);
  stats->cpu_seconds[3] += CpuSeconds() - c0;
  return s;
}

Status RunDedup(const std::vector<std::string>& shards, const std::string& output_prefix,
                const std::string& rejected_prefix, const DedupOptions& options,
                DedupStats* stats) {
  DedupOptions o = options;
  o.task_index = 0;
  o.task_count = 1;
  Status s = ComputeSignatures(shards, o, stats);
  if (s.ok()) s = FindCandidatePairs(shards, o, stats);
  if (s.ok()) s = ComputeClusters(shards, o, stats);
  if (s.ok()) s = ApplyDedup(shards, output_prefix, rejected_prefix, o, stats);
  if (s.ok() && !o.keep_work_dir) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(o.work_dir, ec)) {
      const std::string name = e.path().filename().string();
      if (name.rfind("sig-", 0) == 0 || name.rfind("ids-", 0) == 0 ||
          name.rfind("sets-", 0) == 0 || name.rfind("pairs-", 0) == 0 ||
          name.rfind("apply-", 0) == 0 || name.rfind("keys-", 0) == 0 ||
          name.rfind("paras-", 0) == 0 || name.rfind("parrep-", 0) == 0 ||
          name == "clusters.bin" || name == "paradrops.bin") {
        fs::remove(e.path(), ec);
      }
    }
  }
  return s;
}

Status CollectUnreadable(const std::vector<std::string>& shards, const DedupOptions& o,
                         const std::string& path, uint64_t* count) {
  *count = 0;
  std::string all;
  for (size_t s = 0; s < shards.size(); ++s) {
    std::error_code ec;
    if (!fs::exists(SigPath(o, s), ec)) {
      return Status::InvalidArgument("pass 1 (signatures) is not done for " + shards[s]);
    }
    std::FILE* f = std::fopen(filename::DedupUnreadable(o.work_dir, s).c_str(), "rb");
    if (!f) continue;  // no unreadable record in this shard
    char buf[1 << 16];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) all.append(buf, n);
    std::fclose(f);
  }
  *count = static_cast<uint64_t>(std::count(all.begin(), all.end(), '\n'));
  const std::string tmp = filename::Temp(path);
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  bool ok = f && std::fwrite(all.data(), 1, all.size(), f) == all.size();
  if (f) ok = std::fclose(f) == 0 && ok;
  if (!ok) {
    std::remove(tmp.c_str());
    return Status::IoError("cannot write " + path + " (disk full?)");
  }
  return RenameInto(tmp, path);
}

}  // namespace winnow
