// Cross-page template evidence (see include/winnow/site_template.h and
// doc/extract.md, "Evidence from the other pages of a site").
//
// Keys of an element: its DOM position (the path of tag and class names from
// the root, with the index among siblings of the same name) combined with
//   T  its text (a footer, a banner, a "Navigation" heading),
//   S  its exact block/link structure, when it has >= 4 block or link
//      elements and a link (a Prev/Next table whose titles change),
//   C  its structure as sets (each element: its name and the set of its
//      children's C structures, a 64-bit Bloom signature), when >= half of
//      its text is linked (a menu, a table of contents of any length).
// An element is template when one of its keys was on >= min_share of the
// host's earlier pages. Only elements with less than half of the page's
// text have keys, and at most kMaxCandidates from the top and from the
// bottom of the page (template sits at the top and bottom of pages).
#include "extract/site_template.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "base/fnv.h"
#include "extract/hints.h"
#include "extract/text_util.h"
#include "winnow/site_template.h"

namespace winnow {
namespace extract_internal {
namespace {

constexpr size_t kMaxCandidates = 256;          // from each end of the page
constexpr size_t kMaxPageKeys = 3 * 2 * kMaxCandidates;
constexpr size_t kMaxHostName = 255;
// KeepProseBoxesInTheText: a box of >= kSiteBoxProse chars of prose between
// segments of the page's own prose (>= kSiteBoxSegProse chars).
constexpr uint32_t kSiteBoxProse = 300;
constexpr uint32_t kSiteBoxSegProse = 80;

inline uint64_t Mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  h ^= h >> 31;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 29;
  return h;
}

// Counts per 64-bit key for one page (the ordinal of an element among its
// siblings of the same name): open addressing, reused across the pages of
// a thread (a std::unordered_map allocated a node per element).
class OrdinalTable {
 public:
  void Reset(size_t n) {
    size_t cap = 16;
    while (cap < 2 * n) cap *= 2;
    if (cap > keys_.size()) {
      keys_.assign(cap, 0);
      counts_.assign(cap, 0);
      stamps_.assign(cap, 0);
      stamp_ = 0;
    }
    mask_ = cap - 1;
    if (++stamp_ == 0) {  // wrapped: clear the stamps once
      std::fill(stamps_.begin(), stamps_.end(), 0);
      stamp_ = 1;
    }
  }
  // The key's count before this call; counts it.
  uint32_t Next(uint64_t key) {
    size_t i = static_cast<size_t>(key ^ (key >> 32)) & mask_;
    while (stamps_[i] == stamp_) {
      if (keys_[i] == key) return counts_[i]++;
      i = (i + 1) & mask_;
    }
    stamps_[i] = stamp_;
    keys_[i] = key;
    counts_[i] = 1;
    return 0;
  }

 private:
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> counts_, stamps_;
  uint32_t stamp_ = 0;
  size_t mask_ = 0;
};

}  // namespace

std::string UrlHost(std::string_view url) {
  if (url.rfind("file://", 0) == 0) {
    // Local files: the pages of one folder are one site.
    const size_t slash = url.rfind('/');
    return slash > 7 ? std::string(url.substr(0, std::min(slash, kMaxHostName))) : "";
  }
  size_t p = url.find("://");
  if (p == std::string_view::npos) return "";
  url.remove_prefix(p + 3);
  size_t end = url.find_first_of("/?#");
  if (end != std::string_view::npos) url = url.substr(0, end);
  const size_t at = url.rfind('@');
  if (at != std::string_view::npos) url.remove_prefix(at + 1);
  const size_t colon = url.find(':');
  if (colon != std::string_view::npos) url = url.substr(0, colon);
  std::string host(url.substr(0, kMaxHostName));
  for (char& c : host) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (host.rfind("www.", 0) == 0) host.erase(0, 4);
  return host;
}

namespace {

// Template sits at the top and bottom of pages. A block of prose that
// earlier pages had with the same text, but that lies between the page's
// own prose (a note or tip that every translation of one page repeats, an
// untranslated box), is the page's text: not template.
void KeepProseBoxesInTheText(const std::vector<SiteElemView>& elems, const std::vector<SiteSegView>& segs,
                             const std::vector<uint8_t>& by_text_only, std::vector<uint8_t>* out) {
  const size_t n = elems.size();
  std::vector<uint8_t> in_template(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const int32_t p = elems[i].parent;
    in_template[i] = (*out)[i] == kSiteTemplate || (p >= 0 && in_template[p]);
  }
  // Owners of the page's own prose segments, in page order.
  std::vector<int32_t> own;
  for (const SiteSegView& s : segs) {
    if (s.owner < 0 || in_template[s.owner]) continue;
    const SiteElemView& o = elems[s.owner];
    // The cheap tests first: a text of b bytes has at most 2b units
    // (kWideUnits), and most segments are short or links.
    if (o.link_chars * 4 >= o.chars || s.text.size() * kWideUnits < kSiteBoxSegProse) continue;
    if (TextUnits(s.text) >= kSiteBoxSegProse) own.push_back(s.owner);
  }
  if (own.empty()) return;
  for (size_t i = 0; i < n; ++i) {
    if ((*out)[i] != kSiteTemplate || !by_text_only[i]) continue;
    const SiteElemView& e = elems[i];
    const bool prose = e.prose >= kSiteBoxProse && e.prose * 2 >= e.chars && e.link_chars * 4 < e.chars;
    if (prose && own.front() < static_cast<int32_t>(i) && own.back() >= e.end) (*out)[i] = kSiteNone;
  }
}

}  // namespace

std::vector<uint8_t> DecideSitePage(const std::vector<SiteElemView>& elems,
                                    const std::vector<SiteSegView>& segs, SitePageHook* hook) {
  const size_t n = elems.size();
  std::vector<uint8_t> out(n, kSiteNone);
  if (n == 0 || hook == nullptr) return out;
  std::vector<uint64_t> pos(n), text(n, 0), shape(n, 0), cshape(n, 0);
  std::vector<uint32_t> size(n, 0);
  std::vector<uint8_t> has_link(n, 0);
  thread_local OrdinalTable ordinal;
  ordinal.Reset(n);
  std::vector<uint64_t> name(n);
  // FNV of the tag names by the name's bytes (a page's element names point
  // into the parser's table or its input, alive for this call): a page has
  // a few dozen names and hundreds of elements.
  struct TagHash {
    const char* data = nullptr;
    size_t size = 0;
    uint64_t fnv = 0;
  };
  TagHash tag_hash[64];
  for (size_t i = 0; i < n; ++i) {
    const SiteElemView& e = elems[i];
    const std::string_view tag_name = e.node->name;
    TagHash& t = tag_hash[((reinterpret_cast<uintptr_t>(tag_name.data()) >> 3) ^ tag_name.size()) & 63];
    if (t.data != tag_name.data() || t.size != tag_name.size() || t.data == nullptr) {
      t = TagHash{tag_name.data(), tag_name.size(), Fnv1a64(tag_name)};
    }
    name[i] = Mix(t.fnv, e.cls_fnv);
    const uint64_t parent = e.parent >= 0 ? pos[e.parent] : 0x5eed;
    const uint32_t k = ordinal.Next(Mix(static_cast<uint64_t>(e.parent + 1), name[i]));
    pos[i] = Mix(Mix(parent, name[i]), k);
  }
  for (const SiteSegView& s : segs) {
    if (s.owner >= 0) text[s.owner] = Mix(text[s.owner], Fnv1a64(s.text));
  }
  for (size_t j = n; j-- > 0;) {
    const SiteElemView& e = elems[j];
    const bool named = e.block || e.link;
    shape[j] = named ? Mix(name[j], shape[j]) : shape[j];
    // cshape[j] holds the set signature of the children until here.
    cshape[j] = named ? Mix(name[j], cshape[j]) : cshape[j];
    size[j] += named ? 1 : 0;
    has_link[j] |= e.link ? 1 : 0;
    if (e.parent < 0) continue;
    const size_t p = static_cast<size_t>(e.parent);
    text[p] = Mix(text[p], text[j]);
    if (shape[j] != 0) shape[p] = Mix(shape[p], shape[j]);
    if (cshape[j] != 0) {
      if (named) {
        // A set: three bits per distinct child structure (order and
        // repetition do not matter).
        const uint64_t h = cshape[j];
        cshape[p] |= (1ull << (h & 63)) | (1ull << ((h >> 6) & 63)) | (1ull << ((h >> 12) & 63));
      } else {
        cshape[p] |= cshape[j];  // inline wrapper: its children's set
      }
    }
    size[p] += size[j];
    has_link[p] |= has_link[j];
  }
  const uint32_t page_chars = elems[0].chars;
  std::vector<uint32_t> cand;
  for (size_t i = 1; i < n; ++i) {
    const SiteElemView& e = elems[i];
    if (e.chars == 0 || e.chars * 2 >= page_chars) continue;
    cand.push_back(static_cast<uint32_t>(i));
  }
  if (cand.size() > 2 * kMaxCandidates) {
    cand.erase(cand.begin() + kMaxCandidates, cand.end() - kMaxCandidates);
  }
  struct Keys {
    uint64_t t = 0, s = 0, c = 0;
  };
  std::vector<Keys> keys(cand.size());
  std::vector<uint64_t> all;
  all.reserve(cand.size() * 3);
  for (size_t k = 0; k < cand.size(); ++k) {
    const uint32_t i = cand[k];
    const SiteElemView& e = elems[i];
    keys[k].t = Mix(Mix(1, pos[i]), text[i]) | 1;
    all.push_back(keys[k].t);
    if (size[i] >= 4 && has_link[i]) {
      keys[k].s = Mix(Mix(2, pos[i]), shape[i]) | 1;
      all.push_back(keys[k].s);
    }
    if (e.link_chars * 2 >= e.chars) {
      keys[k].c = Mix(Mix(3, pos[i]), cshape[i]) | 1;
      all.push_back(keys[k].c);
    }
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  std::vector<uint32_t> counts;
  uint32_t need = 0;
  if (!hook->Exchange(all, &counts, &need) || need == 0 || counts.size() != all.size()) return out;
  auto count = [&](uint64_t key) -> uint32_t {
    if (key == 0) return 0;
    auto it = std::lower_bound(all.begin(), all.end(), key);
    return it != all.end() && *it == key ? counts[it - all.begin()] : 0;
  };
  std::vector<uint8_t> seen(n, 0);  // some key of the element was on an earlier page
  std::vector<uint8_t> by_text_only(n, 0);
  std::vector<uint8_t> text_seen(n, 0);  // the element's text was on an earlier page
  for (size_t k = 0; k < cand.size(); ++k) {
    const uint32_t i = cand[k];
    const uint32_t ct = count(keys[k].t), cs = count(keys[k].s), cc = count(keys[k].c);
    if (ct >= need || cs >= need || cc >= need) out[i] = kSiteTemplate;
    by_text_only[i] = ct >= need && cs < need && cc < need;
    seen[i] = ct > 0 || cs > 0 || cc > 0;
    text_seen[i] = ct > 0;
  }
  // Keep only the topmost template elements; then content candidates that
  // lie outside template: prose a name hint would drop, and large link
  // lists of the page's own (an index, a table of contents).
  for (size_t i = 0; i < n; ++i) {
    if (out[i] != kSiteTemplate) continue;
    for (int32_t j = static_cast<int32_t>(i) + 1; j < elems[i].end; ++j) out[j] = kSiteNone;
    i = static_cast<size_t>(elems[i].end) - 1;
  }
  KeepProseBoxesInTheText(elems, segs, by_text_only, &out);
  uint32_t template_chars = 0;
  for (size_t i = 0; i < n; ++i) {
    if (out[i] != kSiteTemplate) continue;
    template_chars += elems[i].chars;
    i = static_cast<size_t>(elems[i].end) - 1;
  }
  const uint32_t own_chars = page_chars > template_chars ? page_chars - template_chars : 0;
  for (size_t i = 1; i < n; ++i) {
    if (out[i] == kSiteTemplate) {
      i = static_cast<size_t>(elems[i].end) - 1;
      continue;
    }
    const SiteElemView& e = elems[i];
    if (e.chars == 0 || text_seen[i]) continue;
    if (e.hints & (kHintComment | kHintRelated | kHintCookie)) continue;
    if (e.node->tag == html::Tag::kNav) continue;
    bool inside_bad = false;
    for (int32_t a = e.parent; a >= 0 && !inside_bad; a = elems[a].parent) {
      inside_bad = (elems[a].hints & (kHintComment | kHintRelated | kHintCookie)) != 0;
    }
    if (inside_bad) continue;
    // Prose: only where no key of the element was on an earlier page.
    const bool prose = !seen[i] && e.chars * 2 < page_chars && (e.hints & kHintBoilerplate) &&
                       e.prose >= 80 && e.link_chars * 4 < e.chars;
    const bool link_list = e.link_chars * 2 >= e.chars && e.chars * 5 >= own_chars;
    if (prose || link_list) {
      out[i] = kSiteContent;
      i = static_cast<size_t>(e.end) - 1;
    }
  }
  return out;
}

}  // namespace extract_internal

// ---- host state ----

namespace ei = extract_internal;

class SiteTemplates::Impl {
 public:
  explicit Impl(const SiteTemplateOptions& o) : opt_(o) {
    opt_.min_pages = std::max(1, opt_.min_pages);
    opt_.window = std::max(1, opt_.window);
    opt_.max_hosts = std::max<size_t>(1, opt_.max_hosts);
    opt_.max_keys_per_host = std::max<size_t>(ei::kMaxPageKeys, opt_.max_keys_per_host);
  }

  struct Entry {
    uint64_t key;
    uint32_t count;
    uint32_t last;  // page number (low 32 bits) that last had the key
  };
  struct Host {
    std::vector<Entry> entries;  // sorted by key
    uint32_t pages = 0;          // (decayed) pages seen
    uint32_t page_no = 0;        // pages seen, for eviction age
    // Admitted pages not yet done, in input order (seq, released).
    std::deque<std::pair<uint64_t, bool>> queue;
    std::list<std::string>::iterator lru;  // valid while in hosts_
  };
  using HostPtr = std::shared_ptr<Host>;

  // Which host state a page uses is decided here, in input order: a host
  // forgotten (least recently admitted) while its pages are in flight stays
  // alive for them, and its later pages start a new state. So eviction does
  // not depend on thread timing either.
  void Admit(uint64_t seq, std::string_view url) {
    std::string host = ei::UrlHost(url);
    if (host.empty()) return;
    std::lock_guard<std::mutex> lock(mu_);
    HostPtr h = Touch(host);
    h->queue.emplace_back(seq, false);
    pending_.emplace(seq, std::move(h));
  }

  void Release(uint64_t seq) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = pending_.find(seq);
    if (it == pending_.end()) return;
    HostPtr h = std::move(it->second);
    pending_.erase(it);
    for (auto& q : h->queue) {
      if (q.first == seq) q.second = true;
    }
    Advance(*h);
    cv_.notify_all();
  }

  // The hook's Exchange for one page. `seq` < 0: not admitted (sequential).
  bool Exchange(std::string_view url, int64_t seq, const std::vector<uint64_t>& keys,
                std::vector<uint32_t>* counts, uint32_t* need) {
    std::unique_lock<std::mutex> lock(mu_);
    HostPtr h;
    auto pit = seq >= 0 ? pending_.find(static_cast<uint64_t>(seq)) : pending_.end();
    if (pit != pending_.end()) {
      h = pit->second;
      // The earlier admitted pages of this host state come first.
      cv_.wait(lock, [&] { return h->queue.front().first == static_cast<uint64_t>(seq); });
    } else if (seq >= 0) {
      return false;  // not admitted (no host, or a driver that admits none): alone
    } else {
      std::string host = ei::UrlHost(url);
      if (host.empty()) return false;
      h = Touch(host);
    }
    counts->assign(keys.size(), 0);
    const bool evidence = static_cast<int>(h->pages) >= opt_.min_pages;
    *need = evidence ? std::max<uint32_t>(
                           2, static_cast<uint32_t>(opt_.min_share * h->pages + 0.999))
                     : 0;
    Absorb(*h, keys, counts);
    if (pit != pending_.end()) {
      pending_.erase(pit);
      h->queue.pop_front();
      Advance(*h);
      cv_.notify_all();
    }
    return evidence;
  }

  void Reset() {
    std::lock_guard<std::mutex> lock(mu_);
    hosts_.clear();
    lru_.clear();
    pending_.clear();
  }

  size_t hosts() const {
    std::lock_guard<std::mutex> lock(mu_);
    return hosts_.size();
  }
  // Every live host state: those remembered and those forgotten that pages
  // in flight still hold.
  size_t MemoryBytes() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::unordered_set<const Host*> live;
    size_t bytes = 0;
    auto add = [&](const std::string& name, const Host& h) {
      if (!live.insert(&h).second) return;
      bytes += sizeof(Host) + name.capacity() + h.entries.capacity() * sizeof(Entry) +
               h.queue.size() * sizeof(h.queue.front());
    };
    for (const auto& [name, h] : hosts_) add(name, *h);
    for (const auto& [seq, h] : pending_) add(std::string(), *h);
    return bytes;
  }
  size_t BoundBytes(size_t in_flight) const {
    return (opt_.max_hosts + in_flight) * HostBoundBytes() +
           in_flight * sizeof(std::pair<uint64_t, bool>);
  }

 private:
  size_t HostBoundBytes() const {
    return sizeof(Host) + ei::kMaxHostName + 1 +
           (opt_.max_keys_per_host + ei::kMaxPageKeys) * sizeof(Entry);
  }

  // The host's current state (a new one if it has none), made the most
  // recently used; the least recently used beyond max_hosts are forgotten.
  HostPtr Touch(const std::string& name) {
    auto it = hosts_.find(name);
    if (it != hosts_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second->lru);
      return it->second;
    }
    while (hosts_.size() >= opt_.max_hosts) {
      hosts_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.push_front(name);
    HostPtr h = std::make_shared<Host>();
    h->lru = lru_.begin();
    hosts_.emplace(name, h);
    return h;
  }

  void Advance(Host& h) {
    while (!h.queue.empty() && h.queue.front().second) h.queue.pop_front();
  }

  // Adds the page's keys (sorted, unique) to the host; `counts` (same size,
  // zeros) gets each key's count before this page, in the same merge.
  void Absorb(Host& h, const std::vector<uint64_t>& keys, std::vector<uint32_t>* counts) {
    ++h.page_no;
    ++h.pages;
    std::vector<Entry> merged;
    merged.reserve(h.entries.size() + keys.size());
    size_t a = 0, b = 0;
    while (a < h.entries.size() || b < keys.size()) {
      if (b == keys.size() || (a < h.entries.size() && h.entries[a].key < keys[b])) {
        merged.push_back(h.entries[a++]);
      } else if (a == h.entries.size() || keys[b] < h.entries[a].key) {
        merged.push_back(Entry{keys[b++], 1, h.page_no});
      } else {
        Entry e = h.entries[a++];
        (*counts)[b] = e.count;
        ++e.count;
        e.last = h.page_no;
        merged.push_back(e);
        ++b;
      }
    }
    if (static_cast<int>(h.pages) >= 2 * opt_.window) {
      h.pages /= 2;
      size_t w = 0;
      for (Entry e : merged) {
        e.count /= 2;
        if (e.count > 0 || e.last == h.page_no) merged[w++] = Entry{e.key, std::max(e.count, 1u), e.last};
      }
      merged.resize(w);
    }
    if (merged.size() > opt_.max_keys_per_host) Evict(h, &merged);
    h.entries.swap(merged);
  }

  // Drops the keys with the lowest counts (the oldest first) that this page
  // did not have, down to 3/4 of the bound.
  void Evict(const Host& h, std::vector<Entry>* entries) {
    std::vector<size_t> order;
    for (size_t i = 0; i < entries->size(); ++i) {
      if ((*entries)[i].last != h.page_no) order.push_back(i);
    }
    std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
      const Entry& a = (*entries)[x];
      const Entry& b = (*entries)[y];
      return a.count != b.count ? a.count < b.count : a.last < b.last;
    });
    const size_t target = opt_.max_keys_per_host * 3 / 4;
    std::vector<uint8_t> drop(entries->size(), 0);
    size_t size = entries->size();
    for (size_t i = 0; i < order.size() && size > target; ++i, --size) drop[order[i]] = 1;
    size_t w = 0;
    for (size_t i = 0; i < entries->size(); ++i) {
      if (!drop[i]) (*entries)[w++] = (*entries)[i];
    }
    entries->resize(w);
    entries->shrink_to_fit();
  }

  SiteTemplateOptions opt_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::unordered_map<std::string, HostPtr> hosts_;
  std::list<std::string> lru_;
  std::unordered_map<uint64_t, HostPtr> pending_;  // admitted, not yet done
};

namespace {

class Hook : public ei::SitePageHook {
 public:
  Hook(SiteTemplates::Impl* impl, std::string_view url, int64_t seq)
      : impl_(impl), url_(url), seq_(seq) {}
  bool Exchange(const std::vector<uint64_t>& keys, std::vector<uint32_t>* counts,
                uint32_t* need) override {
    return impl_->Exchange(url_, seq_, keys, counts, need);
  }

 private:
  SiteTemplates::Impl* impl_;
  std::string_view url_;
  int64_t seq_;
};

}  // namespace

SiteTemplates::SiteTemplates(const SiteTemplateOptions& options)
    : impl_(new Impl(options)) {}
SiteTemplates::~SiteTemplates() = default;

StatusOr<ExtractResult> SiteTemplates::Extract(std::string_view html, std::string_view url,
                                               const ExtractOptions& options) {
  Hook hook(impl_.get(), url, -1);
  return ei::ExtractWithSite(html, url, options, &hook);
}

void SiteTemplates::Admit(uint64_t seq, std::string_view url) { impl_->Admit(seq, url); }

StatusOr<ExtractResult> SiteTemplates::Extract(std::string_view html, std::string_view url,
                                               const ExtractOptions& options, uint64_t seq) {
  Hook hook(impl_.get(), url, static_cast<int64_t>(seq));
  return ei::ExtractWithSite(html, url, options, &hook);
}

void SiteTemplates::Release(uint64_t seq) { impl_->Release(seq); }
void SiteTemplates::Reset() { impl_->Reset(); }
size_t SiteTemplates::hosts() const { return impl_->hosts(); }
size_t SiteTemplates::MemoryBytes() const { return impl_->MemoryBytes(); }
size_t SiteTemplates::BoundBytes(size_t in_flight) const { return impl_->BoundBytes(in_flight); }

}  // namespace winnow
