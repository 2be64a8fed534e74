// Text normalisation, shingling and MinHash signatures (see doc/dedup.md).
#include <xxhash.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "base/splitmix.h"
#include "dedup/minhash_internal.h"
#include "winnow/dedup.h"

namespace winnow {
namespace {

// What the normaliser does with an ASCII byte.
enum AsciiAction : uint8_t { kSpace, kDrop, kCopy, kDigit };

struct AsciiTable {
  uint8_t action[128];
  char lower[128];
  AsciiTable(bool strip_punct, bool fold_digits) {
    for (int b = 0; b < 128; ++b) {
      lower[b] = static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b);
      if (b == ' ' || b < 0x20 || b == 0x7f) action[b] = kSpace;  // controls separate words
      else if (b >= '0' && b <= '9') action[b] = fold_digits ? kDigit : kCopy;
      else if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')) action[b] = kCopy;
      else action[b] = strip_punct ? kDrop : kCopy;
    }
  }
};

// One normaliser for both keys: case folding and whitespace collapsing
// always; punctuation removal and digit folding on request. Invalid UTF-8
// bytes are dropped (the reader already replaced them, this is a safety net).
// Writes through a raw pointer into a buffer sized for the worst case (a
// simple case folding turns at most 2 UTF-8 bytes into 3), which profiling
// showed matters: std::string::push_back per byte was half of pass 1.
std::string Normalize(std::string_view text, bool strip_punct, bool fold_digits) {
  static const AsciiTable kTables[4] = {AsciiTable(false, false), AsciiTable(false, true),
                                        AsciiTable(true, false), AsciiTable(true, true)};
  const AsciiTable& table = kTables[(strip_punct ? 2 : 0) + (fold_digits ? 1 : 0)];
  std::string out;
  out.resize(text.size() + text.size() / 2 + 8);
  char* const begin = out.data();
  char* w = begin;
  bool pending_space = false;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(std::min<size_t>(text.size(), INT32_MAX));
  int32_t i = 0;
  while (i < length) {
    const uint8_t b = s[i];
    if (b < 0x80) {  // ASCII fast path
      ++i;
      switch (table.action[b]) {
        case kSpace:
          pending_space = true;
          break;
        case kDrop:
          break;
        case kCopy:
          if (pending_space && w != begin) *w++ = ' ';
          pending_space = false;
          *w++ = table.lower[b];
          break;
        case kDigit:
          if (pending_space && w != begin) *w++ = ' ';
          pending_space = false;
          *w++ = '0';
          break;
      }
      continue;
    }
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) continue;
    if (u_isUWhiteSpace(c)) {
      pending_space = true;
      continue;
    }
    if (strip_punct && u_ispunct(c)) continue;
    if (pending_space && w != begin) *w++ = ' ';
    pending_space = false;
    if (fold_digits && u_isdigit(c)) {
      *w++ = '0';
      continue;
    }
    int32_t n = 0;
    UBool error = false;
    U8_APPEND(reinterpret_cast<uint8_t*>(w), n, 4, u_foldCase(c, U_FOLD_CASE_DEFAULT), error);
    if (!error) w += n;
  }
  out.resize(w - begin);
  return out;
}

}  // namespace

std::string NormalizeForMinHash(std::string_view text) {
  return Normalize(text, /*strip_punct=*/true, /*fold_digits=*/true);
}

std::string NormalizeForExact(std::string_view text, bool strip_punct) {
  return Normalize(text, strip_punct, /*fold_digits=*/false);
}

namespace dedup_internal {

void ShingleHashesInto(std::string_view s, int ngram, bool char_ngrams, uint64_t seed,
                       std::vector<uint64_t>* out) {
  out->clear();
  if (s.empty() || ngram <= 0) return;
  // Start offsets of the units (words or code points), plus the end.
  thread_local std::vector<uint32_t> starts;
  thread_local std::vector<uint32_t> ends;
  starts.clear();
  ends.clear();
  if (char_ngrams) {
    for (uint32_t i = 0; i < s.size(); ++i) {
      if ((static_cast<uint8_t>(s[i]) & 0xC0) != 0x80) {
        if (!starts.empty()) ends.push_back(i);
        starts.push_back(i);
      }
    }
    ends.push_back(static_cast<uint32_t>(s.size()));
  } else {
    size_t i = 0;
    while (i < s.size()) {
      size_t sp = s.find(' ', i);
      if (sp == std::string_view::npos) sp = s.size();
      if (sp > i) {
        starts.push_back(static_cast<uint32_t>(i));
        ends.push_back(static_cast<uint32_t>(sp));
      }
      i = sp + 1;
    }
  }
  const size_t units = starts.size();
  if (units == 0) return;
  const size_t n = static_cast<size_t>(ngram);
  if (units < n) {
    out->push_back(XXH3_64bits_withSeed(s.data(), s.size(), seed));
    return;
  }
  out->reserve(units - n + 1);
  for (size_t k = 0; k + n <= units; ++k) {
    const uint32_t b = starts[k];
    const uint32_t e = ends[k + n - 1];
    out->push_back(XXH3_64bits_withSeed(s.data() + b, e - b, seed));
  }
}

MinHasher::MinHasher(int bands, int rows, uint64_t seed)
    : bands_(bands), rows_(rows) {
  const int k = bands * rows;
  a_.resize(k);
  b_.resize(k);
  uint64_t state = seed ^ 0x5851f42d4c957f2dull;
  for (int i = 0; i < k; ++i) {
    a_[i] = SplitMix64(&state) | 1;  // odd multiplier
    b_[i] = SplitMix64(&state);
  }
}

namespace {

// h_i(x) = high 32 bits of (a_i * x + b_i) mod 2^64 with odd random 64-bit
// a_i: Dietzfelbinger's multiply-add-shift family, universal from 64-bit
// keys to 32-bit values. The wrap-around mod 2^64 is what makes it mix: with
// 32-bit a_i and x the product never wraps and every h_i is (nearly) the
// same monotone function of x, so all rows pick the same minimum (a bug we
// measured: the S-curve collapsed). -O2 does not vectorise the loop: O3 for
// this function only; target_clones adds an AVX2 copy chosen at run time.
__attribute__((target_clones("avx2", "default"), optimize("O3")))
void MinOverShingles(const uint64_t* __restrict shingles, size_t count,
                     const uint64_t* __restrict a, const uint64_t* __restrict b, size_t k,
                     uint32_t* __restrict sig) {
  for (size_t j = 0; j < count; ++j) {
    const uint64_t x = shingles[j];
    for (size_t i = 0; i < k; ++i) {
      const uint32_t h = static_cast<uint32_t>((a[i] * x + b[i]) >> 32);
      sig[i] = h < sig[i] ? h : sig[i];
    }
  }
}

}  // namespace

void MinHasher::Signature(const uint64_t* shingles, size_t count, uint32_t* sig) const {
  const size_t k = a_.size();
  std::fill(sig, sig + k, UINT32_MAX);
  MinOverShingles(shingles, count, a_.data(), b_.data(), k, sig);
}

void MinHasher::BandHashes(const uint32_t* sig, uint64_t seed, uint64_t* out) const {
  for (int band = 0; band < bands_; ++band) {
    out[band] = XXH3_64bits_withSeed(sig + band * rows_, sizeof(uint32_t) * rows_,
                                     seed + kSplitMixGamma * (band + 1));
  }
}

uint32_t SetHash(uint64_t shingle_hash) { return static_cast<uint32_t>(shingle_hash >> 32); }

double SortedSetJaccard(const uint32_t* a, size_t na, const uint32_t* b, size_t nb) {
  if (na == 0 && nb == 0) return 1.0;
  size_t i = 0, j = 0, inter = 0;
  while (i < na && j < nb) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++inter;
      ++i;
      ++j;
    }
  }
  return static_cast<double>(inter) / static_cast<double>(na + nb - inter);
}

void ToSortedSet(const std::vector<uint64_t>& shingles, std::vector<uint32_t>* set) {
  set->clear();
  set->reserve(shingles.size());
  for (uint64_t h : shingles) set->push_back(SetHash(h));
  std::sort(set->begin(), set->end());
  set->erase(std::unique(set->begin(), set->end()), set->end());
}

}  // namespace dedup_internal

std::vector<uint64_t> ShingleHashes(std::string_view normalized, const DedupOptions& options) {
  std::vector<uint64_t> out;
  dedup_internal::ShingleHashesInto(normalized, options.ngram, options.char_ngrams,
                                    options.seed, &out);
  return out;
}

std::vector<uint32_t> MinHashSignature(const std::vector<uint64_t>& shingles,
                                       const DedupOptions& options) {
  dedup_internal::MinHasher hasher(options.bands, options.rows, options.seed);
  std::vector<uint32_t> sig(static_cast<size_t>(options.bands) * options.rows);
  hasher.Signature(shingles.data(), shingles.size(), sig.data());
  return sig;
}

double ShingleJaccard(std::string_view text_a, std::string_view text_b,
                      const DedupOptions& options) {
  std::vector<uint32_t> sa, sb;
  dedup_internal::ToSortedSet(ShingleHashes(NormalizeForMinHash(text_a), options), &sa);
  dedup_internal::ToSortedSet(ShingleHashes(NormalizeForMinHash(text_b), options), &sb);
  return dedup_internal::SortedSetJaccard(sa.data(), sa.size(), sb.data(), sb.size());
}

}  // namespace winnow
