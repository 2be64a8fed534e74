#include "base/splitmix.h"

#include <gtest/gtest.h>

namespace winnow {
namespace {

// The first values of the SplitMix64 sequences of seed 0 and seed 1234567
// as the reference implementation (Vigna's splitmix64.c) gives them; an
// independent Python implementation gives the same. MinHash's permutations
// are drawn from this sequence, so signatures written by one version are
// read by another only while these values hold.
TEST(SplitMix64Test, ValuesOfTheReferenceImplementation) {
  uint64_t state = 0;
  EXPECT_EQ(SplitMix64(&state), 0xe220a8397b1dcdafull);
  EXPECT_EQ(SplitMix64(&state), 0x6e789e6aa1b965f4ull);
  EXPECT_EQ(SplitMix64(&state), 0x06c45d188009454full);
  state = 1234567;
  EXPECT_EQ(SplitMix64(&state), 6457827717110365317ull);
  EXPECT_EQ(SplitMix64(&state), 3203168211198807973ull);
  EXPECT_EQ(SplitMix64(&state), 9817491932198370423ull);
}

TEST(SplitMix64Test, Mix64IsTheFinaliserOfTheSequence) {
  EXPECT_EQ(Mix64(0), 0u);
  EXPECT_EQ(Mix64(1), 0x5692161d100b05e5ull);
  EXPECT_EQ(Mix64(~0ull), 0xb4d055fcf2cbbd7bull);
  uint64_t state = 42;
  EXPECT_EQ(SplitMix64(&state), Mix64(42 + kSplitMixGamma));
  EXPECT_EQ(state, 42 + kSplitMixGamma);
}

}  // namespace
}  // namespace winnow
