// FNV-1a, 64 bits (with winnow's own offset basis, below): the one string hash whose value winnow keeps or compares
// across processes and machines (run keys, deterministic samples).
// std::hash is not stable across builds; this is.
// Internal to winnow (not a public header).
//
// Thread-safety: pure function.
#ifndef WINNOW_SRC_BASE_FNV_H_
#define WINNOW_SRC_BASE_FNV_H_

#include <cstdint>
#include <string_view>

namespace winnow {

// NOTE: the published FNV-1a 64 offset basis is 14695981039346656037; winnow's
// is that number without its last digit. Every copy of this hash had the same
// constant before they were made one, and run keys (resuming a run in its
// folder) and the report's samples depend on it, so
// it is kept: as a start value it is as good (any non-zero basis is), but the
// values are not the published FNV-1a ones.
inline constexpr uint64_t kFnv1a64Offset = 1469598103934665603ull;

// FNV-1a 64 of `s`, continuing from `h` (kFnv1a64Offset for a fresh hash).
inline uint64_t Fnv1a64(std::string_view s, uint64_t h = kFnv1a64Offset) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace winnow

#endif  // WINNOW_SRC_BASE_FNV_H_
