// The tag-name table: lower-case name -> Tag, one multiplicative hash of the
// name packed into two integers (tree_builder.cc's FindTagLower and
// TagFromName, and the tokenizer's fast path, which inlines the lookup).
#ifndef WINNOW_SRC_HTML_TAG_TABLE_H_
#define WINNOW_SRC_HTML_TAG_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "winnow/html.h"

namespace winnow {
namespace html {
namespace internal {

inline constexpr std::string_view kTagNames[] = {
    "",
#define WINNOW_HTML_TAG_NAME(id, str) str,
    WINNOW_HTML_TAGS(WINNOW_HTML_TAG_NAME)
#undef WINNOW_HTML_TAG_NAME
};

// Tag names are at most 10 bytes: a name packs into two integers (bytes 0-7,
// bytes 8-15 plus the length in the top byte), so the lookup is one
// multiplicative hash and integer compares, no string compare.
inline constexpr size_t kMaxTagName = 10;

constexpr bool AllTagNamesFit() {
  for (std::string_view name : kTagNames) {
    if (name.size() > kMaxTagName) return false;
  }
  return true;
}
static_assert(AllTagNamesFit(), "raise kMaxTagName");

struct PackedName {
  uint64_t lo = 0;
  uint64_t hi = 0;
};

// REQUIRES: 0 < s.size() <= kMaxTagName.
constexpr PackedName Pack(std::string_view s) {
  PackedName k;
  size_t n = s.size();
  size_t head = n < 8 ? n : 8;
  for (size_t i = 0; i < head; ++i) k.lo |= uint64_t{static_cast<unsigned char>(s[i])} << (8 * i);
  for (size_t i = 8; i < n; ++i) k.hi |= uint64_t{static_cast<unsigned char>(s[i])} << (8 * (i - 8));
  k.hi |= uint64_t{n} << 56;
  return k;
}

constexpr uint32_t SlotOf(const PackedName& k, uint32_t mask) {
  return static_cast<uint32_t>(((k.lo ^ (k.hi * 0x9E3779B97F4A7C15ull)) * 0xD6E8FEB86659FD93ull) >> 40) &
         mask;
}

class TagTable {
 public:
  constexpr TagTable() {
    for (int t = 1; t < static_cast<int>(Tag::kCount); ++t) {
      PackedName k = Pack(kTagNames[t]);
      uint32_t i = SlotOf(k, kSize - 1);
      while (slots_[i].tag != 0) i = (i + 1) & (kSize - 1);
      slots_[i] = Slot{k.lo, k.hi, static_cast<uint16_t>(t)};
    }
  }
  // REQUIRES: `lower` is lower-case.
  Tag Find(std::string_view lower) const {
    if (lower.empty() || lower.size() > kMaxTagName) return Tag::kUnknown;
    return FindPacked(Pack(lower));
  }
  // The same, reading 16 bytes at once. REQUIRES: 0 < len <= kMaxTagName
  // and s[0, 16) readable.
  Tag FindWide(const char* s, size_t len) const {
    uint64_t lo, hi;
    std::memcpy(&lo, s, 8);
    std::memcpy(&hi, s + 8, 8);
    PackedName k;
    k.lo = len >= 8 ? lo : lo & ((uint64_t{1} << (8 * len)) - 1);
    k.hi = (len > 8 ? hi & ((uint64_t{1} << (8 * (len - 8))) - 1) : 0) | (uint64_t{len} << 56);
    return FindPacked(k);
  }

 private:
  Tag FindPacked(const PackedName& k) const {
    uint32_t i = SlotOf(k, kSize - 1);
    while (slots_[i].tag != 0) {
      if (slots_[i].lo == k.lo && slots_[i].hi == k.hi) return static_cast<Tag>(slots_[i].tag);
      i = (i + 1) & (kSize - 1);
    }
    return Tag::kUnknown;
  }

  struct Slot {
    uint64_t lo = 0;
    uint64_t hi = 0;
    uint16_t tag = 0;
  };
  static constexpr uint32_t kSize = 512;
  Slot slots_[kSize];
};

inline constexpr TagTable kTagTable;

// FindTagLower(lower, readable), inline: `readable` >= lower.size() bytes
// from lower.data() may be read (16 or more: one 16-byte read).
inline Tag FindTagLowerInline(std::string_view lower, size_t readable) {
  if (readable < 16 || lower.empty() || lower.size() > kMaxTagName) return kTagTable.Find(lower);
  return kTagTable.FindWide(lower.data(), lower.size());
}

}  // namespace internal
}  // namespace html
}  // namespace winnow

#endif  // WINNOW_SRC_HTML_TAG_TABLE_H_
