// Eight bytes at a time in a 64-bit word (SWAR): the exact per-byte
// equality mask and the count of marked bytes that extract, filter and
// langid each wrote for themselves. Internal to winnow (not a public
// header). REQUIRES: the word loaded with memcpy on a little-endian
// machine where byte order matters to the caller.
//
// Thread-safety: pure functions.
#ifndef WINNOW_SRC_BASE_SWAR_H_
#define WINNOW_SRC_BASE_SWAR_H_

#include <cstdint>

namespace winnow::swar {

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHigh = kOnes * 0x80;  // bit 7 of every byte
constexpr uint64_t kLow7 = kOnes * 0x7F;  // bits 0..6 of every byte

// Bit 7 set in each byte of w equal to b, every other bit clear. Exact: the
// add of the low seven bits carries into no neighbour, so no byte is marked
// because of another (unlike the shorter (x - kOnes) & ~x test).
inline uint64_t EqualBytes(uint64_t w, unsigned char b) {
  const uint64_t x = w ^ (kOnes * b);
  return ~(((x & kLow7) + kLow7) | x | kLow7);
}

// How many bytes of m have bit 7 set; m must have no other bit set. The
// bits shifted to bit 0 are summed into the top byte by one multiply (at
// most 8): not __builtin_popcountll, a libgcc call without -mpopcnt.
inline unsigned CountMarked(uint64_t m) { return static_cast<unsigned>(((m >> 7) * kOnes) >> 56); }

}  // namespace winnow::swar

#endif  // WINNOW_SRC_BASE_SWAR_H_
