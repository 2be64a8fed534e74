// An open-addressing counter over 64-bit hashes, shared by the repetition
// rules (n-gram counts) and the chain's repeated-line dropping.
#ifndef WINNOW_SRC_FILTER_HASH_COUNTER_H_
#define WINNOW_SRC_FILTER_HASH_COUNTER_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace winnow {
namespace text_units {

// Open-addressing counter over 64-bit n-gram hashes (0 is the empty slot).
// Much faster than std::unordered_map for the millions of n-grams of a
// long page, and reused per thread so it does not allocate per document.
class HashCounter {
 public:
  void Reset(size_t expected) {
    size_t cap = 16;
    while (cap < expected * 2) cap <<= 1;
    // A larger table kept from a longer text (up to 8 times the size) is
    // used and cleared only as far as `cap`: the counts do not depend on
    // the table's size, and clearing all of it cost more than the counting
    // in the later, shorter passes of the repetition rules.
    if (slots_.size() < cap || slots_.size() > cap * 8) {
      slots_.assign(cap, Slot{});
    } else {
      std::fill(slots_.begin(), slots_.begin() + cap, Slot{});
    }
    mask_ = cap - 1;
  }
  // Adds one occurrence at position `pos`; returns the new count, and in
  // *first the position of the key's first occurrence.
  uint32_t Add(uint64_t key, uint32_t pos = 0, uint32_t* first = nullptr) {
    if (key == 0) key = 1;
    size_t i = static_cast<size_t>(key >> 20) & mask_;
    while (slots_[i].key != 0 && slots_[i].key != key) i = (i + 1) & mask_;
    if (slots_[i].key == 0) {
      slots_[i].key = key;
      slots_[i].first = pos;
    }
    if (first) *first = slots_[i].first;
    return ++slots_[i].count;
  }
  // The count of `key` (0 when never added).
  uint32_t Count(uint64_t key) const {
    if (key == 0) key = 1;
    size_t i = static_cast<size_t>(key >> 20) & mask_;
    while (slots_[i].key != 0 && slots_[i].key != key) i = (i + 1) & mask_;
    return slots_[i].count;
  }

 private:
  // Key and count side by side: one cache miss per probe, not two.
  struct Slot {
    uint64_t key = 0;
    uint32_t count = 0;
    uint32_t first = 0;
  };
  std::vector<Slot> slots_;
  size_t mask_ = 0;
};

}  // namespace text_units
}  // namespace winnow

#endif  // WINNOW_SRC_FILTER_HASH_COUNTER_H_
