#include "base/fnv.h"

#include <gtest/gtest.h>

#include <string>

namespace winnow {
namespace {

// Values from an independent implementation (Python: h = basis; for each
// byte h = ((h ^ byte) * 0x100000001b3) mod 2^64) with winnow's offset basis
// (fnv.h says why it is not the published one): run keys and samples that
// winnow compares across machines and versions depend on these values.
TEST(Fnv1a64Test, ValuesOfAReferenceImplementation) {
  EXPECT_EQ(Fnv1a64(""), 0x14650fb0739d0383ull);
  EXPECT_EQ(Fnv1a64("a"), 0x44bd8ad473cd9906ull);
  EXPECT_EQ(Fnv1a64("foobar"), 0x88fad7c0a8ff07f2ull);
}

// Eight bytes a loop step: the same values as byte by byte at every length
// around the step.
TEST(Fnv1a64Test, UnrolledLoopGivesTheByteLoopsValues) {
  std::string s;
  for (int len = 0; len < 40; ++len) {
    uint64_t want = kFnv1a64Offset;
    for (unsigned char c : s) want = (want ^ c) * 1099511628211ull;
    EXPECT_EQ(Fnv1a64(s), want) << len;
    s.push_back(static_cast<char>(0x41 + len * 37 % 190));
  }
}

TEST(Fnv1a64Test, ContinuesFromAnEarlierHash) {
  EXPECT_EQ(Fnv1a64("bar", Fnv1a64("foo")), Fnv1a64("foobar"));
}

}  // namespace
}  // namespace winnow
