// UTF-8 validation and repair, used by every reader so that documents leave
// the reader as valid UTF-8.
//
// Invalid sequences are replaced by U+FFFD following the WHATWG "maximal
// subpart" rule (one U+FFFD per maximal invalid prefix), which is what
// browsers and ICU do, so figures match other tools.
//
// Thread-safety: pure functions.
#ifndef WINNOW_IO_UTF8_H_
#define WINNOW_IO_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace winnow::io {

// True when `s` is valid UTF-8 (SIMD fast path through simdjson).
bool IsValidUtf8(std::string_view s);

// Replaces invalid sequences in *s with U+FFFD; returns how many were replaced.
uint64_t RepairUtf8(std::string* s);

// Counts valid multi-byte sequences and invalid sequences (maximal subparts).
void CountUtf8(std::string_view s, uint64_t* multibyte, uint64_t* invalid);

// True when every byte is < 0x80.
bool IsAscii(std::string_view s);

}  // namespace winnow::io

#endif  // WINNOW_IO_UTF8_H_
