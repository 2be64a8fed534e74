// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
// generators", 2014) and its 64-bit finaliser: the one integer mixer of
// winnow. Mix64 spreads every input bit over the whole output, so a sum, a
// low-bit mask or an order-free combination of its values behaves like one
// of random values (extract's repeated-block hash, dedup's MinHash seeds).
// Internal to winnow (not a public header).
//
// Thread-safety: pure functions (SplitMix64 advances only *state).
#ifndef WINNOW_SRC_BASE_SPLITMIX_H_
#define WINNOW_SRC_BASE_SPLITMIX_H_

#include <cstdint>

namespace winnow {

// The golden-ratio step of SplitMix64's state (2^64 / phi, odd).
inline constexpr uint64_t kSplitMixGamma = 0x9e3779b97f4a7c15ull;

// SplitMix64's finaliser: a bijection of 64-bit values.
inline constexpr uint64_t Mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// The next value of the SplitMix64 sequence whose state is *state.
inline uint64_t SplitMix64(uint64_t* state) { return Mix64(*state += kSplitMixGamma); }

}  // namespace winnow

#endif  // WINNOW_SRC_BASE_SPLITMIX_H_
