// Tokenizer: the WHATWG HTML tokenizer (html.spec.whatwg.org, section 13.2.5)
// over a UTF-8 buffer, pulled one token at a time.
//
// Adjacent character tokens are always merged into one kCharacter token.
// Token strings point into the (newline-normalized) input or into the Arena;
// both must outlive them. Text runs without character references, NULs or
// CRs are zero-copy views of the input.
//
// The tree builder drives the content model: after a start tag it may call
// set_state() (RCDATA for <title>, RAWTEXT for <style>, ...), and it tells the
// tokenizer whether CDATA sections are allowed (foreign content).
//
// Thread-safety: none; one Tokenizer per parse.
#ifndef WINNOW_SRC_HTML_TOKENIZER_H_
#define WINNOW_SRC_HTML_TOKENIZER_H_

#include <emmintrin.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "html/arena.h"
#include "winnow/html.h"

namespace winnow {
namespace html {
namespace internal {

enum class TokenType : uint8_t { kNone, kDoctype, kStartTag, kEndTag, kComment, kCharacter, kEof };

struct Token {
  TokenType type = TokenType::kNone;
  bool self_closing = false;
  bool force_quirks = false;
  bool has_name = false;       // doctype: a name was given
  bool has_public_id = false;  // doctype
  bool has_system_id = false;  // doctype
  bool has_nul = false;        // character token contains U+0000 bytes
  Tag tag = Tag::kUnknown;     // start/end tag: the name's Tag
  std::string_view name;       // tag name (lower-case) or doctype name
  std::string_view data;       // characters / comment data
  std::string_view public_id;
  std::string_view system_id;
  const Attribute* attrs = nullptr;
  uint32_t num_attrs = 0;
};

// Lower-case tag name -> Tag (the table behind TagFromName).
Tag FindTagLower(std::string_view lower);
// The same, where `readable` >= lower.size() bytes from lower.data() may be
// read (16 or more make the lookup cheaper).
Tag FindTagLower(std::string_view lower, size_t readable);

// The tokenizer states the tree builder (and the html5lib tests) can select.
enum class ContentState : uint8_t { kData, kRcdata, kRawtext, kScriptData, kPlaintext, kCdata };

// Returns `input` with CR LF and lone CR turned into LF (the spec's input
// stream preprocessing); a view of `input` itself when it has no CR.
std::string_view NormalizeNewlines(std::string_view input, Arena* arena);

// Index of the first byte in [from, n) equal to a, b, c or d, or n.
// SSE2, or AVX2 when the CPU has it (chosen once at run time).
size_t FindAny4Dispatch(const char* s, size_t from, size_t n, char a, char b, char c, char d);
inline size_t FindAny4(const char* s, size_t from, size_t n, char a, char b, char c, char d) {
  // Runs between markup are often short: look at the next 16 bytes inline
  // (one SSE2 compare) before paying for the vector loop's call and setup.
  if (from + 16 <= n) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + from));
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(a)),
                                          _mm_cmpeq_epi8(x, _mm_set1_epi8(b))),
                             _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(c)),
                                          _mm_cmpeq_epi8(x, _mm_set1_epi8(d))));
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(m));
    if (mask != 0) return from + __builtin_ctz(mask);
    return from + 16 == n ? n : FindAny4Dispatch(s, from + 16, n, a, b, c, d);
  }
  for (size_t i = from; i < n; ++i) {
    char x = s[i];
    if (x == a || x == b || x == c || x == d) return i;
  }
  return n;
}

// Index of the first byte in [from, n) equal to quote, '&' or NUL, or n: the
// end of a quoted attribute value's plain run. Most values are short: up to
// 64 bytes are looked at inline, 16 at a time (SSE2), before the vector loop
// is called.
inline size_t FindValueEnd(const char* s, size_t from, size_t n, char quote) {
  const __m128i q = _mm_set1_epi8(quote);
  const __m128i amp = _mm_set1_epi8('&');
  const __m128i zero = _mm_setzero_si128();
  size_t stop = n - from > 64 ? from + 64 : n;
  for (; from + 16 <= stop; from += 16) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + from));
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, q), _mm_cmpeq_epi8(x, amp)),
                             _mm_cmpeq_epi8(x, zero));
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(m));
    if (mask != 0) return from + __builtin_ctz(mask);
  }
  if (from < stop && stop == n) {
    for (; from < n; ++from) {
      char x = s[from];
      if (x == quote || x == '&' || x == '\0') return from;
    }
    return n;
  }
  return from == n ? n : FindAny4Dispatch(s, from, n, quote, '&', '\0', quote);
}

class Tokenizer {
 public:
  // REQUIRES: `input` already normalized (NormalizeNewlines); it and `arena`
  // outlive the tokenizer and every token.
  Tokenizer(std::string_view input, Arena* arena, uint32_t max_attributes = 0xffffffffu);

  // The next token; the last one is kEof, after which it keeps returning
  // kEof. The token itself (which the caller may modify) is valid until the
  // next call; its strings stay valid (arena / input).
  Token* Next();
  // The same, copied to *token.
  void Next(Token* token) { *token = *Next(); }

  void SetContentState(ContentState s);
  // The "appropriate end tag" name for RCDATA/RAWTEXT/script data.
  void set_last_start_tag(std::string_view name) {
    last_start_tag_storage_.assign(name);
    last_start_tag_ = last_start_tag_storage_;
  }
  // Another end tag that also ends RCDATA/RAWTEXT (empty: none); a
  // departure from the spec, see ParseOptions::noscript_ends_text.
  void set_extra_end_tag(std::string_view name) { extra_end_tag_ = name; }
  // True when the adjusted current node is not in the HTML namespace.
  void set_allow_cdata(bool allow) { allow_cdata_ = allow; }
  // True when attributes were dropped because of max_attributes.
  bool dropped_attributes() const { return dropped_attributes_; }
  // For tests: false runs every tag through the general states instead of
  // the fast path (FastTag), which must give the same tokens.
  void set_fast_tags(bool on) { fast_tags_ = on; }

  // A string assembled from input spans and decoded bytes: stays a view of
  // the input as long as it is one contiguous span, else spills to a buffer.
  class Builder {
   public:
    void Reset() {
      b_ = e_ = nullptr;
      spilled_ = false;
      buf_.clear();
    }
    void AppendSpan(const char* b, const char* e) {
      if (b == e) return;
      if (!spilled_) {
        if (b_ == nullptr) {
          b_ = b;
          e_ = e;
          return;
        }
        if (e_ == b) {
          e_ = e;
          return;
        }
        Spill();
      }
      buf_.append(b, e - b);
    }
    void AppendBytes(std::string_view s) {
      if (s.empty()) return;
      if (!spilled_) Spill();
      buf_.append(s);
    }
    void AppendChar(char c) {
      if (!spilled_) Spill();
      buf_.push_back(c);
    }
    bool empty() const { return spilled_ ? buf_.empty() : b_ == e_; }
    std::string_view view() const {
      return spilled_ ? std::string_view(buf_) : std::string_view(b_, e_ - b_);
    }
    // A view that outlives the builder (copied to the arena when spilled).
    std::string_view Finish(Arena* arena) const {
      return spilled_ ? arena->Copy(buf_) : std::string_view(b_, e_ - b_);
    }

   private:
    void Spill() {
      spilled_ = true;
      buf_.assign(b_ ? b_ : "", b_ ? e_ - b_ : 0);
    }
    const char* b_ = nullptr;
    const char* e_ = nullptr;
    bool spilled_ = false;
    std::string buf_;
  };

 private:
  enum class State : uint8_t;
  void Step();
  void EmitText() {
    if (!text_.empty()) EmitPendingText();
  }
  void EmitPendingText();
  void EmitPendingTextInline() {
    Token& t = queue_[queue_end_++];
    // Every field set once (cheaper than t = Token() and then the fields).
    t.type = TokenType::kCharacter;
    t.self_closing = t.force_quirks = t.has_name = t.has_public_id = t.has_system_id = false;
    t.has_nul = text_has_nul_;
    t.tag = Tag::kUnknown;
    t.name = t.public_id = t.system_id = std::string_view();
    t.data = text_.Finish(arena_);
    t.attrs = nullptr;
    t.num_attrs = 0;
    text_.Reset();
    text_has_nul_ = false;
  }
  void EmitTag();
  void EmitComment();
  void EmitDoctype();
  void EmitEof();
  void StartTag(bool end);
  bool FastTag(size_t p, bool end);
  // Adds an attribute named `name` to attrs_ (value empty); false when it is
  // dropped: a later attribute of the same name, or past max_attributes_.
  bool AddAttribute(std::string_view name, bool start_tag) {
    // attr_bits_ has one bit (of length, first and last byte) per kept name:
    // only a name whose bit is set can be a duplicate.
    uint64_t bit = 1;
    if (!name.empty()) {
      bit <<= (name.size() + 3 * static_cast<unsigned char>(name[0]) +
               5 * static_cast<unsigned char>(name.back())) &
              63;
    }
    if ((attr_bits_ & bit) == 0 && attrs_.size() < max_attributes_) [[likely]] {
      attr_bits_ |= bit;
      attrs_.push_back(Attribute{name, std::string_view()});
      return true;
    }
    return AddAttributeSlow(name, start_tag, bit);
  }
  bool AddAttributeSlow(std::string_view name, bool start_tag, uint64_t bit);
  // attrs_ (not empty) copied to the arena.
  const Attribute* CopyAttributes() {
    size_t k = attrs_.size();
    Attribute* a = static_cast<Attribute*>(arena_->Allocate(k * sizeof(Attribute), alignof(Attribute)));
    // Two 16-byte moves an attribute: most tags have one to three, for which
    // a memcpy call (what a plain copy loop becomes) costs more.
    static_assert(sizeof(Attribute) == 32, "two 16-byte halves");
    const char* from = reinterpret_cast<const char*>(attrs_.data());
    char* to = reinterpret_cast<char*>(a);
    for (size_t i = 0; i < k; ++i) {
      __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(from + 32 * i));
      __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(from + 32 * i + 16));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(to + 32 * i), lo);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(to + 32 * i + 16), hi);
    }
    return a;
  }
  void StartAttribute();
  void FinishAttributeName();
  void FinishAttribute();
  void ConsumeCharRef(Builder* out, bool in_attribute);
  // In RCDATA/RAWTEXT/script data at '<' (pos_): is "</lastStartTag" + a
  // delimiter next? If so, consumes "</name" and starts the end tag.
  bool TryAppropriateEndTag();
  bool TryEndTagNamed(std::string_view name);
  void AppendText(size_t b, size_t e) { text_.AppendSpan(in_ + b, in_ + e); }

  const char* in_;
  size_t n_;
  size_t pos_ = 0;
  Arena* arena_;
  uint32_t max_attributes_;
  State state_;
  bool allow_cdata_ = false;
  bool dropped_attributes_ = false;
  bool eof_emitted_ = false;
  bool text_has_nul_ = false;
  bool fast_tags_ = true;
  std::string_view last_start_tag_;  // input, arena or _storage_
  std::string last_start_tag_storage_;
  std::string_view extra_end_tag_;  // a literal (static storage)

  // One state-machine step queues at most: pending text, a comment or
  // doctype, and EOF (a comment or doctype cut by the end of input).
  Token queue_[4];
  int queue_begin_ = 0;
  int queue_end_ = 0;

  Builder text_;
  // Tag / comment / doctype under construction.
  Token cur_;
  Builder name_;
  Builder data_;  // comment data
  Builder public_id_;
  Builder system_id_;
  Builder attr_name_;
  Builder attr_value_;
  bool attr_active_ = false;
  bool attr_dropped_ = false;
  bool attr_name_done_ = false;
  // The tag's attributes so far: a vector whose push is inline (its growth
  // is not; std::vector's push_back was a call).
  class AttrList {
   public:
    void clear() { size_ = 0; }
    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    Attribute& back() { return store_[size_ - 1]; }
    const Attribute* data() const { return store_.data(); }
    const Attribute* begin() const { return store_.data(); }
    const Attribute* end() const { return store_.data() + size_; }
    void push_back(const Attribute& a) {
      if (size_ == store_.size()) [[unlikely]] Grow();
      store_[size_++] = a;
    }

   private:
    __attribute__((noinline)) void Grow() { store_.resize(store_.empty() ? 16 : 2 * store_.size()); }
    std::vector<Attribute> store_;
    size_t size_ = 0;
  };
  AttrList attrs_;
  uint64_t attr_bits_ = 0;  // AddAttribute's filter over attrs_' names
};

}  // namespace internal
}  // namespace html
}  // namespace winnow

#endif  // WINNOW_SRC_HTML_TOKENIZER_H_
