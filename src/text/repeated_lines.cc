// Repeated-line counting (bounded open-addressing tables, lossy-counting
// pruning) and filtering.
#include "winnow/repeated_lines.h"

#include <unicode/uchar.h>
#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "base/utf8.h"

namespace winnow {
namespace {

constexpr char kMagic[8] = {'W', 'N', 'R', 'L', 'C', '1', '\n', '\0'};

// Open addressing, linear probing, key 0 = empty. Load factor <= 1/2.
class CountTable {
 public:
  explicit CountTable(uint64_t max_entries) : max_entries_(std::max<uint64_t>(max_entries, 16)) {
    Rehash(64);
  }

  void Add(uint64_t key, uint32_t n) {
    if (key == 0) key = 1;
    if (size_ + 1 > max_entries_) Prune();
    if ((size_ + 1) * 2 > keys_.size()) Rehash(keys_.size() * 2);
    size_t i = Slot(key);
    if (keys_[i] == 0) {
      keys_[i] = key;
      counts_[i] = 0;
      ++size_;
    }
    uint64_t c = static_cast<uint64_t>(counts_[i]) + n;
    counts_[i] = c > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(c);
  }

  uint32_t Get(uint64_t key) const {
    if (key == 0) key = 1;
    size_t i = Slot(key);
    return keys_[i] == key ? counts_[i] : 0;
  }

  uint64_t size() const { return size_; }
  uint32_t floor() const { return floor_; }
  void set_floor(uint32_t f) { floor_ = std::max(floor_, f); }

  template <typename F>
  void ForEach(F&& f) const {
    for (size_t i = 0; i < keys_.size(); ++i)
      if (keys_[i] != 0) f(keys_[i], counts_[i]);
  }

 private:
  size_t Slot(uint64_t key) const {
    size_t mask = keys_.size() - 1;
    size_t i = static_cast<size_t>(key * 0x9E3779B97F4A7C15ull >> 7) & mask;
    while (keys_[i] != 0 && keys_[i] != key) i = (i + 1) & mask;
    return i;
  }

  void Rehash(size_t slots, bool prune = false) {
    // Never more slots than twice the cap: memory stays bounded.
    size_t limit = 64;
    while (limit < max_entries_ * 2) limit *= 2;
    slots = std::min(slots, limit);
    std::vector<uint64_t> old_keys;
    std::vector<uint32_t> old_counts;
    old_keys.swap(keys_);
    old_counts.swap(counts_);
    keys_.assign(slots, 0);
    counts_.assign(slots, 0);
    size_ = 0;
    for (size_t i = 0; i < old_keys.size(); ++i) {
      if (old_keys[i] == 0 || (prune && old_counts[i] < floor_)) continue;
      size_t j = Slot(old_keys[i]);
      keys_[j] = old_keys[i];
      counts_[j] = old_counts[i];
      ++size_;
    }
  }

  // Lossy counting: drop entries below a rising floor until the table is at
  // most 3/4 full.
  void Prune() {
    do {
      floor_ = std::max<uint32_t>(floor_, 1) + 1;
      Rehash(keys_.size(), /*prune=*/true);
    } while (size_ * 4 > max_entries_ * 3 && floor_ < UINT32_MAX);
  }

  uint64_t max_entries_;
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> counts_;
  uint64_t size_ = 0;
  uint32_t floor_ = 0;
};

std::vector<std::string_view> DocLines(const Document& doc, std::vector<std::string_view>& out) {
  out.clear();
  if (!doc.blocks.empty()) {
    for (const Block& b : doc.blocks)
      if (b.keep) out.push_back(b.text);
  } else if (doc.kind == DocKind::kText) {
    std::string_view raw = doc.raw;
    size_t start = 0;
    while (start < raw.size()) {
      size_t nl = raw.find('\n', start);
      if (nl == std::string_view::npos) nl = raw.size();
      out.push_back(raw.substr(start, nl - start));
      start = nl + 1;
    }
  }
  return out;
}

bool WriteAll(std::FILE* f, const void* p, size_t n) { return std::fwrite(p, 1, n, f) == n; }

}  // namespace

std::string NormalizeRepeatedLine(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  bool pending_space = false;
  size_t i = 0;
  while (i < line.size()) {
    char32_t c = NextCodePoint(line, &i);
    if (c == 0xFFFD) continue;
    bool keep_char;
    char32_t lc = c;
    if (c < 0x80) {
      if (c >= '0' && c <= '9') {
        lc = '0';
        keep_char = true;
      } else if (c >= 'A' && c <= 'Z') {
        lc = c + 32;
        keep_char = true;
      } else {
        keep_char = c >= 'a' && c <= 'z';
      }
      if (!keep_char && (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v')) {
        pending_space = !out.empty();
        continue;
      }
    } else if (u_isdigit(c)) {
      lc = '0';
      keep_char = true;
    } else if (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) {
      lc = u_tolower(c);
      keep_char = true;
    } else {
      if (u_isUWhiteSpace(c)) pending_space = !out.empty();
      continue;
    }
    if (!keep_char) continue;  // ASCII punctuation: removed, no space
    if (pending_space) out.push_back(' ');
    pending_space = false;
    AppendUtf8(lc, &out);
  }
  return out;
}

std::string UrlHost(std::string_view url) {
  size_t p = url.find("://");
  if (p == std::string_view::npos) return "";
  std::string_view rest = url.substr(p + 3);
  size_t end = rest.find_first_of("/?#");
  std::string_view auth = rest.substr(0, end);
  size_t at = auth.rfind('@');
  if (at != std::string_view::npos) auth = auth.substr(at + 1);
  size_t colon = auth.find(':');
  if (colon != std::string_view::npos) auth = auth.substr(0, colon);
  std::string host(auth);
  for (char& c : host) c = static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c);
  if (host.rfind("www.", 0) == 0) host.erase(0, 4);
  return host;
}

struct RepeatedLineCounter::Impl {
  explicit Impl(RepeatedLineCounterOptions o)
      : options(o), host(o.max_entries), shard(o.max_entries) {}
  RepeatedLineCounterOptions options;
  CountTable host, shard;
  uint64_t documents = 0;
  std::vector<uint64_t> scratch_host, scratch_shard;
  std::vector<std::string_view> scratch_lines;
};

RepeatedLineCounter::RepeatedLineCounter(RepeatedLineCounterOptions options)
    : impl_(std::make_unique<Impl>(options)) {}
RepeatedLineCounter::~RepeatedLineCounter() = default;
RepeatedLineCounter::RepeatedLineCounter(RepeatedLineCounter&&) noexcept = default;
RepeatedLineCounter& RepeatedLineCounter::operator=(RepeatedLineCounter&&) noexcept = default;

uint64_t RepeatedLineCounter::HostKey(std::string_view host) {
  return XXH3_64bits(host.data(), host.size());
}

uint64_t RepeatedLineCounter::LineKey(uint64_t host_key, std::string_view normalized) {
  return XXH3_64bits_withSeed(normalized.data(), normalized.size(), host_key);
}

void RepeatedLineCounter::Observe(const Document& doc) {
  DocLines(doc, impl_->scratch_lines);
  std::vector<std::string_view> lines;
  lines.swap(impl_->scratch_lines);
  ObserveLines(doc.url, lines);
  impl_->scratch_lines.swap(lines);
}

void RepeatedLineCounter::ObserveLines(std::string_view url,
                                       const std::vector<std::string_view>& lines) {
  std::string host = UrlHost(url);
  uint64_t hk = host.empty() ? 0 : HostKey(host);
  auto& hkeys = impl_->scratch_host;
  auto& skeys = impl_->scratch_shard;
  hkeys.clear();
  skeys.clear();
  for (std::string_view l : lines) {
    std::string norm = NormalizeRepeatedLine(l);
    if (static_cast<int>(norm.size()) < std::max(1, impl_->options.min_chars)) continue;
    if (!host.empty()) hkeys.push_back(LineKey(hk, norm));
    skeys.push_back(LineKey(0, norm));
  }
  for (auto* v : {&hkeys, &skeys}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
  for (uint64_t k : hkeys) impl_->host.Add(k, 1);
  for (uint64_t k : skeys) impl_->shard.Add(k, 1);
  ++impl_->documents;
}

void RepeatedLineCounter::Merge(const RepeatedLineCounter& other) {
  other.impl_->host.ForEach([&](uint64_t k, uint32_t c) { impl_->host.Add(k, c); });
  other.impl_->shard.ForEach([&](uint64_t k, uint32_t c) { impl_->shard.Add(k, c); });
  impl_->host.set_floor(other.impl_->host.floor());
  impl_->shard.set_floor(other.impl_->shard.floor());
  impl_->documents += other.impl_->documents;
}

uint32_t RepeatedLineCounter::HostCount(std::string_view host, std::string_view line) const {
  std::string norm = NormalizeRepeatedLine(line);
  return impl_->host.Get(LineKey(HostKey(host), norm));
}

uint32_t RepeatedLineCounter::ShardCount(std::string_view line) const {
  return impl_->shard.Get(LineKey(0, NormalizeRepeatedLine(line)));
}

uint32_t RepeatedLineCounter::HostCountByKey(uint64_t key) const { return impl_->host.Get(key); }
uint32_t RepeatedLineCounter::ShardCountByKey(uint64_t key) const { return impl_->shard.Get(key); }
uint64_t RepeatedLineCounter::documents() const { return impl_->documents; }
uint64_t RepeatedLineCounter::host_entries() const { return impl_->host.size(); }
uint64_t RepeatedLineCounter::shard_entries() const { return impl_->shard.size(); }
uint32_t RepeatedLineCounter::prune_floor() const {
  return std::max(impl_->host.floor(), impl_->shard.floor());
}
const RepeatedLineCounterOptions& RepeatedLineCounter::options() const { return impl_->options; }

Status RepeatedLineCounter::Save(const std::string& path) const {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return Status::IoError("cannot create repeated-line counts file '" + path + "'");
  bool ok = WriteAll(f, kMagic, sizeof(kMagic));
  uint64_t docs = impl_->documents;
  uint32_t floor = prune_floor();
  uint32_t min_chars = static_cast<uint32_t>(impl_->options.min_chars);
  uint64_t nh = impl_->host.size(), ns = impl_->shard.size();
  ok = ok && WriteAll(f, &docs, 8) && WriteAll(f, &floor, 4) && WriteAll(f, &min_chars, 4) &&
       WriteAll(f, &nh, 8) && WriteAll(f, &ns, 8);
  auto dump = [&](const CountTable& t) {
    t.ForEach([&](uint64_t k, uint32_t c) { ok = ok && WriteAll(f, &k, 8) && WriteAll(f, &c, 4); });
  };
  dump(impl_->host);
  dump(impl_->shard);
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) return Status::IoError("write error on repeated-line counts file '" + path + "'");
  return Status::Ok();
}

StatusOr<RepeatedLineCounter> RepeatedLineCounter::Load(const std::string& path,
                                                        RepeatedLineCounterOptions options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("repeated-line counts file '" + path + "' cannot be opened");
  in.seekg(0, std::ios::end);
  uint64_t file_size = static_cast<uint64_t>(in.tellg());
  in.seekg(0);
  char magic[8];
  uint64_t docs = 0, nh = 0, ns = 0;
  uint32_t floor = 0, min_chars = 0;
  const uint64_t header = 8 + 8 + 4 + 4 + 8 + 8;
  if (file_size < header || !in.read(magic, 8) || std::memcmp(magic, kMagic, 8) != 0)
    return Status::Corrupt("'" + path + "' is not a winnow repeated-line counts file");
  in.read(reinterpret_cast<char*>(&docs), 8);
  in.read(reinterpret_cast<char*>(&floor), 4);
  in.read(reinterpret_cast<char*>(&min_chars), 4);
  in.read(reinterpret_cast<char*>(&nh), 8);
  in.read(reinterpret_cast<char*>(&ns), 8);
  if (!in || nh > file_size / 12 || ns > file_size / 12 || header + (nh + ns) * 12 != file_size)
    return Status::Corrupt("repeated-line counts file '" + path + "' is truncated or has a bad header");
  options.min_chars = static_cast<int>(min_chars);
  options.max_entries = std::max<uint64_t>(options.max_entries, std::max(nh, ns) + 1);
  RepeatedLineCounter c(options);
  auto load = [&](CountTable& t, uint64_t n) {
    for (uint64_t i = 0; i < n && in; ++i) {
      uint64_t k;
      uint32_t v;
      in.read(reinterpret_cast<char*>(&k), 8);
      in.read(reinterpret_cast<char*>(&v), 4);
      if (in) t.Add(k, v);
    }
  };
  load(c.impl_->host, nh);
  load(c.impl_->shard, ns);
  if (!in) return Status::Corrupt("repeated-line counts file '" + path + "': read error");
  c.impl_->host.set_floor(floor);
  c.impl_->shard.set_floor(floor);
  c.impl_->documents = docs;
  return c;
}

RepeatedLineFilter::RepeatedLineFilter(const RepeatedLineCounter* counts,
                                       RepeatedLineFilterOptions options)
    : counts_(counts), options_(options) {}

std::vector<bool> RepeatedLineFilter::Decide(std::string_view url,
                                             const std::vector<std::string_view>& lines) const {
  std::vector<bool> drop(lines.size(), false);
  std::string host = UrlHost(url);
  uint64_t hk = host.empty() ? 0 : RepeatedLineCounter::HostKey(host);
  const int min_chars = std::max({1, counts_->options().min_chars, options_.min_chars});
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string norm = NormalizeRepeatedLine(lines[i]);
    if (static_cast<int>(norm.size()) < min_chars) continue;
    if (options_.max_host_docs > 0 && !host.empty() &&
        counts_->HostCountByKey(RepeatedLineCounter::LineKey(hk, norm)) >
            static_cast<uint32_t>(options_.max_host_docs)) {
      drop[i] = true;
    } else if (options_.max_shard_docs > 0 &&
               counts_->ShardCountByKey(RepeatedLineCounter::LineKey(0, norm)) >
                   static_cast<uint32_t>(options_.max_shard_docs)) {
      drop[i] = true;
    }
  }
  return drop;
}

int RepeatedLineFilter::Apply(Document& doc) const {
  std::string host = UrlHost(doc.url);
  uint64_t hk = host.empty() ? 0 : RepeatedLineCounter::HostKey(host);
  const int min_chars = std::max({1, counts_->options().min_chars, options_.min_chars});
  int dropped = 0;
  bool any_kept = false;
  for (Block& b : doc.blocks) {
    if (!b.keep) continue;
    std::string norm = NormalizeRepeatedLine(b.text);
    if (static_cast<int>(norm.size()) >= min_chars) {
      if (options_.max_host_docs > 0 && !host.empty() &&
          counts_->HostCountByKey(RepeatedLineCounter::LineKey(hk, norm)) >
              static_cast<uint32_t>(options_.max_host_docs)) {
        b.keep = false;
        b.drop_reason = "text.repeated_lines:host";
        ++dropped;
        continue;
      }
      if (options_.max_shard_docs > 0 &&
          counts_->ShardCountByKey(RepeatedLineCounter::LineKey(0, norm)) >
              static_cast<uint32_t>(options_.max_shard_docs)) {
        b.keep = false;
        b.drop_reason = "text.repeated_lines:shard";
        ++dropped;
        continue;
      }
    }
    any_kept = true;
  }
  if (options_.reject_empty && dropped > 0 && !any_kept && doc.decision.keep) {
    doc.Reject("text.repeated_lines", "all_lines_repeated",
               "lines dropped=" + std::to_string(dropped));
  }
  return dropped;
}

}  // namespace winnow
