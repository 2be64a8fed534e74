// Internal pieces of the MinHash computation shared by the passes, the tests
// and the benchmarks. Not a public API.
#ifndef WINNOW_SRC_DEDUP_MINHASH_INTERNAL_H_
#define WINNOW_SRC_DEDUP_MINHASH_INTERNAL_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace winnow {
namespace dedup_internal {

// Shingle hashes of a normalised text into *out (cleared first).
void ShingleHashesInto(std::string_view normalized, int ngram, bool char_ngrams,
                       uint64_t seed, std::vector<uint64_t>* out);

// bands*rows hash functions drawn from `seed`. Immutable: thread-safe.
class MinHasher {
 public:
  MinHasher(int bands, int rows, uint64_t seed);
  // sig: bands*rows values; all UINT32_MAX for no shingles.
  void Signature(const uint64_t* shingles, size_t count, uint32_t* sig) const;
  // out: `bands` values, the hash of each band's rows.
  void BandHashes(const uint32_t* sig, uint64_t seed, uint64_t* out) const;
  int size() const { return static_cast<int>(a_.size()); }

 private:
  int bands_, rows_;
  std::vector<uint64_t> a_, b_;
};

// The 32-bit value a shingle contributes to the n-gram set (jaccard_check).
uint32_t SetHash(uint64_t shingle_hash);
void ToSortedSet(const std::vector<uint64_t>& shingles, std::vector<uint32_t>* set);
double SortedSetJaccard(const uint32_t* a, size_t na, const uint32_t* b, size_t nb);

}  // namespace dedup_internal
}  // namespace winnow

#endif  // WINNOW_SRC_DEDUP_MINHASH_INTERNAL_H_
