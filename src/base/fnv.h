// FNV-1a, 64 bits (with winnow's own offset basis, below): the one string hash whose value winnow keeps or compares
// across processes and machines (run keys, deterministic samples, site
// template shapes). std::hash is not stable across builds; this is.
// Internal to winnow (not a public header).
//
// Thread-safety: pure function.
#ifndef WINNOW_SRC_BASE_FNV_H_
#define WINNOW_SRC_BASE_FNV_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace winnow {

// NOTE: the published FNV-1a 64 offset basis is 14695981039346656037; winnow's
// is that number without its last digit. Every copy of this hash had the same
// constant before they were made one, and run keys (resuming a run in its
// folder), the report's samples and the site-template shapes depend on it, so
// it is kept: as a start value it is as good (any non-zero basis is), but the
// values are not the published FNV-1a ones.
inline constexpr uint64_t kFnv1a64Offset = 1469598103934665603ull;

// FNV-1a 64 of `s`, continuing from `h` (kFnv1a64Offset for a fresh hash).
// Byte-serial by definition; eight bytes a loop step (one loop test per
// eight multiplies, the site-template keys hash a page's whole text).
inline uint64_t Fnv1a64(std::string_view s, uint64_t h = kFnv1a64Offset) {
  constexpr uint64_t kPrime = 1099511628211ull;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    h = (h ^ p[i]) * kPrime;
    h = (h ^ p[i + 1]) * kPrime;
    h = (h ^ p[i + 2]) * kPrime;
    h = (h ^ p[i + 3]) * kPrime;
    h = (h ^ p[i + 4]) * kPrime;
    h = (h ^ p[i + 5]) * kPrime;
    h = (h ^ p[i + 6]) * kPrime;
    h = (h ^ p[i + 7]) * kPrime;
  }
  for (; i < n; ++i) h = (h ^ p[i]) * kPrime;
  return h;
}

}  // namespace winnow

#endif  // WINNOW_SRC_BASE_FNV_H_
