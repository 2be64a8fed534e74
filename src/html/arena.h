// Arena: a bump allocator that owns every Node, Attribute array and decoded
// string of one parsed page. Blocks grow geometrically; everything is freed at
// once when the Arena dies (no per-node destructors, so freeing a 1,000,000
// deep tree is a loop over a few blocks, never a recursion).
//
// Thread-safety: none; one Arena belongs to one Parse.
#ifndef WINNOW_SRC_HTML_ARENA_H_
#define WINNOW_SRC_HTML_ARENA_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string_view>
#include <type_traits>
#include <vector>

namespace winnow {
namespace html {
namespace internal {

class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena() {
    for (char* b : blocks_) std::free(b);
  }

  void* Allocate(size_t n, size_t align = alignof(std::max_align_t)) {
    uintptr_t p = (reinterpret_cast<uintptr_t>(ptr_) + align - 1) & ~(uintptr_t)(align - 1);
    if (p + n > reinterpret_cast<uintptr_t>(end_) || ptr_ == nullptr) [[unlikely]] {
      return AllocateSlow(n, align);
    }
    ptr_ = reinterpret_cast<char*>(p + n);
    return reinterpret_cast<void*>(p);
  }

  template <typename T>
  T* New() {
    static_assert(std::is_trivially_destructible_v<T>, "arena objects are never destroyed");
    return new (Allocate(sizeof(T), alignof(T))) T();
  }

  template <typename T>
  T* NewArray(size_t n) {
    static_assert(std::is_trivially_destructible_v<T>, "arena objects are never destroyed");
    T* a = static_cast<T*>(Allocate(sizeof(T) * (n ? n : 1), alignof(T)));
    for (size_t i = 0; i < n; ++i) new (a + i) T();
    return a;
  }

  std::string_view Copy(std::string_view s) {
    if (s.empty()) return std::string_view();
    char* p = static_cast<char*>(Allocate(s.size(), 1));
    std::memcpy(p, s.data(), s.size());
    return std::string_view(p, s.size());
  }

  size_t bytes_reserved() const { return reserved_; }

 private:
  __attribute__((noinline)) void* AllocateSlow(size_t n, size_t align) {
    size_t size = next_block_;
    if (next_block_ < (size_t{8} << 20)) next_block_ *= 2;
    if (n + align > size / 4) {
      // Big requests get their own block so the current one stays usable.
      char* b = static_cast<char*>(std::malloc(n + align));
      if (b == nullptr) throw std::bad_alloc();
      blocks_.push_back(b);
      reserved_ += n + align;
      uintptr_t p = (reinterpret_cast<uintptr_t>(b) + align - 1) & ~(uintptr_t)(align - 1);
      return reinterpret_cast<void*>(p);
    }
    char* b = static_cast<char*>(std::malloc(size));
    if (b == nullptr) throw std::bad_alloc();
    blocks_.push_back(b);
    reserved_ += size;
    ptr_ = b;
    end_ = b + size;
    return Allocate(n, align);
  }

  char* ptr_ = nullptr;
  char* end_ = nullptr;
  size_t next_block_ = 16 << 10;
  size_t reserved_ = 0;
  std::vector<char*> blocks_;
};

}  // namespace internal
}  // namespace html
}  // namespace winnow

#endif  // WINNOW_SRC_HTML_ARENA_H_
