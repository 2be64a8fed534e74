// The WHATWG tokenizer as a byte-level state machine. Every character that
// matters to the state machine is ASCII, so UTF-8 sequences pass through as
// "anything else" bytes. Hot states (data, RCDATA, RAWTEXT, script data,
// attribute values, comments) skip uninteresting bytes a vector at a time.
#include "html/tokenizer.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "html/tag_table.h"

namespace winnow {
namespace html {
namespace internal {
namespace {

struct Entity {
  const char* name;
  uint8_t name_len;
  const char* value;
  uint8_t value_len;
};

constexpr Entity kEntities[] = {
#include "html/entities.inc"
};
constexpr size_t kNumEntities = sizeof(kEntities) / sizeof(kEntities[0]);

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

inline bool IsAsciiAlpha(int c) { return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }
inline bool IsAsciiDigit(int c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiAlnum(int c) { return IsAsciiAlpha(c) || IsAsciiDigit(c); }
inline bool IsAsciiUpper(int c) { return c >= 'A' && c <= 'Z'; }
inline bool IsHexDigit(int c) {
  return IsAsciiDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}
// '\t', '\n', '\f', ' ' (false for -1, the end of input): one shift and test.
inline bool IsWs(int c) {
  constexpr uint64_t kWs = (uint64_t{1} << '\t') | (uint64_t{1} << '\n') | (uint64_t{1} << '\f') |
                           (uint64_t{1} << ' ');
  return static_cast<unsigned>(c) <= ' ' && ((kWs >> c) & 1) != 0;
}
inline char Lower(int c) { return IsAsciiUpper(c) ? static_cast<char>(c + 32) : static_cast<char>(c); }

// Bytes that end a run of plain name bytes in the tag name / attribute name states.
struct NameTable {
  bool stop[256];
  constexpr NameTable() : stop() {
    for (int c = 'A'; c <= 'Z'; ++c) stop[c] = true;
    stop[0] = stop[(int)'\t'] = stop[(int)'\n'] = stop[(int)'\f'] = stop[(int)' '] = true;
    stop[(int)'/'] = stop[(int)'>'] = stop[(int)'='] = stop[(int)'"'] = stop[(int)'\''] = true;
    stop[(int)'<'] = true;
  }
};
constexpr NameTable kNameStop;

// Index of the first byte in [p, n) that ends a run of plain name bytes, or
// n; four bytes per loop test.
inline size_t ScanName(const char* in, size_t p, size_t n) {
  for (; p + 4 <= n; p += 4) {
    if (kNameStop.stop[static_cast<unsigned char>(in[p])]) return p;
    if (kNameStop.stop[static_cast<unsigned char>(in[p + 1])]) return p + 1;
    if (kNameStop.stop[static_cast<unsigned char>(in[p + 2])]) return p + 2;
    if (kNameStop.stop[static_cast<unsigned char>(in[p + 3])]) return p + 3;
  }
  while (p < n && !kNameStop.stop[static_cast<unsigned char>(in[p])]) ++p;
  return p;
}

// Bytes with a meaning in the unquoted attribute value state.
struct UnquotedTable {
  bool stop[256];
  constexpr UnquotedTable() : stop() {
    stop[0] = stop[(int)'\t'] = stop[(int)'\n'] = stop[(int)'\f'] = stop[(int)' '] = true;
    stop[(int)'&'] = stop[(int)'>'] = true;
  }
};
constexpr UnquotedTable kUnquotedStop;

size_t EncodeUtf8(uint32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

uint32_t C1Replacement(uint32_t cp) {
  static constexpr uint16_t kTable[32] = {
      0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0x8D,   0x017D, 0x8F,   0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178};
  return kTable[cp - 0x80];
}

// ---- vector scanning -------------------------------------------------------

size_t FindAny4Sse2(const char* s, size_t i, size_t n, char a, char b, char c, char d) {
  const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b), vc = _mm_set1_epi8(c),
                vd = _mm_set1_epi8(d);
  for (; i + 16 <= n; i += 16) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(x, vb)),
                             _mm_or_si128(_mm_cmpeq_epi8(x, vc), _mm_cmpeq_epi8(x, vd)));
    int mask = _mm_movemask_epi8(m);
    if (mask) return i + __builtin_ctz(mask);
  }
  for (; i < n; ++i) {
    char x = s[i];
    if (x == a || x == b || x == c || x == d) return i;
  }
  return n;
}

__attribute__((target("avx2"))) size_t FindAny4Avx2(const char* s, size_t i, size_t n, char a,
                                                     char b, char c, char d) {
  const __m256i va = _mm256_set1_epi8(a), vb = _mm256_set1_epi8(b), vc = _mm256_set1_epi8(c),
                vd = _mm256_set1_epi8(d);
  for (; i + 32 <= n; i += 32) {
    __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i));
    __m256i m =
        _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(x, va), _mm256_cmpeq_epi8(x, vb)),
                        _mm256_or_si256(_mm256_cmpeq_epi8(x, vc), _mm256_cmpeq_epi8(x, vd)));
    unsigned mask = static_cast<unsigned>(_mm256_movemask_epi8(m));
    if (mask) return i + __builtin_ctz(mask);
  }
  return FindAny4Sse2(s, i, n, a, b, c, d);
}

using FindFn = size_t (*)(const char*, size_t, size_t, char, char, char, char);

FindFn ChooseFind() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) return FindAny4Avx2;
  return FindAny4Sse2;
}

const FindFn kFind = ChooseFind();

bool EqualsExact(const char* s, std::string_view v) {
  return std::memcmp(s, v.data(), v.size()) == 0;
}

bool EqualsIgnoreCase(const char* s, std::string_view lower) {
  for (size_t i = 0; i < lower.size(); ++i) {
    if (Lower(static_cast<unsigned char>(s[i])) != lower[i]) return false;
  }
  return true;
}

}  // namespace

size_t FindAny4Dispatch(const char* s, size_t from, size_t n, char a, char b, char c, char d) {
  return kFind(s, from, n, a, b, c, d);
}

std::string_view NormalizeNewlines(std::string_view input, Arena* arena) {
  const void* cr = std::memchr(input.data(), '\r', input.size());
  if (cr == nullptr) return input;
  char* out = static_cast<char*>(arena->Allocate(input.size(), 1));
  size_t o = 0, i = 0, n = input.size();
  const char* s = input.data();
  while (i < n) {
    const char* p = static_cast<const char*>(std::memchr(s + i, '\r', n - i));
    size_t j = p ? static_cast<size_t>(p - s) : n;
    std::memcpy(out + o, s + i, j - i);
    o += j - i;
    if (j == n) break;
    out[o++] = '\n';
    i = j + 1;
    if (i < n && s[i] == '\n') ++i;
  }
  return std::string_view(out, o);
}

enum class Tokenizer::State : uint8_t {
  kData,
  kRcdata,
  kRawtext,
  kScriptData,
  kPlaintext,
  kTagOpen,
  kEndTagOpen,
  kTagName,
  kScriptDataEscapeStart,
  kScriptDataEscapeStartDash,
  kScriptDataEscaped,
  kScriptDataEscapedDash,
  kScriptDataEscapedDashDash,
  kScriptDataEscapedLessThan,
  kScriptDataDoubleEscaped,
  kScriptDataDoubleEscapedDash,
  kScriptDataDoubleEscapedDashDash,
  kScriptDataDoubleEscapedLessThan,
  kBeforeAttributeName,
  kAttributeName,
  kAfterAttributeName,
  kBeforeAttributeValue,
  kAttributeValueDouble,
  kAttributeValueSingle,
  kAttributeValueUnquoted,
  kAfterAttributeValueQuoted,
  kSelfClosingStartTag,
  kBogusComment,
  kMarkupDeclarationOpen,
  kCommentStart,
  kCommentStartDash,
  kComment,
  kCommentLessThan,
  kCommentLessThanBang,
  kCommentLessThanBangDash,
  kCommentLessThanBangDashDash,
  kCommentEndDash,
  kCommentEnd,
  kCommentEndBang,
  kDoctype,
  kBeforeDoctypeName,
  kDoctypeName,
  kAfterDoctypeName,
  kAfterDoctypePublicKeyword,
  kBeforeDoctypePublicId,
  kDoctypePublicIdDouble,
  kDoctypePublicIdSingle,
  kAfterDoctypePublicId,
  kBetweenDoctypePublicAndSystemIds,
  kAfterDoctypeSystemKeyword,
  kBeforeDoctypeSystemId,
  kDoctypeSystemIdDouble,
  kDoctypeSystemIdSingle,
  kAfterDoctypeSystemId,
  kBogusDoctype,
  kCdataSection,
};

Tokenizer::Tokenizer(std::string_view input, Arena* arena, uint32_t max_attributes)
    : in_(input.data()),
      n_(input.size()),
      arena_(arena),
      max_attributes_(max_attributes),
      state_(State::kData) {}

void Tokenizer::SetContentState(ContentState s) {
  switch (s) {
    case ContentState::kData: state_ = State::kData; break;
    case ContentState::kRcdata: state_ = State::kRcdata; break;
    case ContentState::kRawtext: state_ = State::kRawtext; break;
    case ContentState::kScriptData: state_ = State::kScriptData; break;
    case ContentState::kPlaintext: state_ = State::kPlaintext; break;
    case ContentState::kCdata: state_ = State::kCdataSection; break;
  }
}

Token* Tokenizer::Next() {
  while (queue_begin_ == queue_end_) {
    queue_begin_ = queue_end_ = 0;
    if (eof_emitted_) {
      queue_[0] = Token();
      queue_[0].type = TokenType::kEof;
      return &queue_[0];
    }
    Step();
  }
  return &queue_[queue_begin_++];
}

void Tokenizer::EmitPendingText() { EmitPendingTextInline(); }

void Tokenizer::EmitEof() {
  EmitText();
  Token& t = queue_[queue_end_++];
  t = Token();
  t.type = TokenType::kEof;
  eof_emitted_ = true;
}

void Tokenizer::StartTag(bool end) {
  cur_ = Token();
  cur_.type = end ? TokenType::kEndTag : TokenType::kStartTag;
  name_.Reset();
  attrs_.clear();
  attr_bits_ = 0;
  attr_active_ = false;
}

void Tokenizer::StartAttribute() {
  FinishAttribute();
  attr_name_.Reset();
  attr_value_.Reset();
  attr_active_ = true;
  attr_dropped_ = false;
  attr_name_done_ = false;
}

bool Tokenizer::AddAttributeSlow(std::string_view name, bool start_tag, uint64_t bit) {
  // AddAttribute's rare cases: a name whose filter bit is set (a duplicate
  // is dropped) or the cap on attributes reached.
  if ((attr_bits_ & bit) != 0) {
    for (const Attribute& a : attrs_) {
      if (a.name.size() == name.size() && a.name == name) return false;
    }
  }
  if (attrs_.size() >= max_attributes_) {
    if (start_tag) dropped_attributes_ = true;
    return false;
  }
  attr_bits_ |= bit;
  attrs_.push_back(Attribute{name, std::string_view()});
  return true;
}

void Tokenizer::FinishAttributeName() {
  // Called when leaving the attribute name state.
  if (!attr_active_ || attr_name_done_) return;
  attr_name_done_ = true;
  attr_dropped_ = !AddAttribute(attr_name_.view(), cur_.type == TokenType::kStartTag);
  // A spilled name's view points into the builder: keep the arena's copy.
  if (!attr_dropped_) attrs_.back().name = attr_name_.Finish(arena_);
}

void Tokenizer::FinishAttribute() {
  if (!attr_active_) return;
  FinishAttributeName();
  if (!attr_dropped_) attrs_.back().value = attr_value_.Finish(arena_);
  attr_active_ = false;
}

void Tokenizer::EmitTag() {
  FinishAttribute();
  EmitText();
  Token& t = queue_[queue_end_++];
  t = cur_;
  t.name = name_.Finish(arena_);
  t.tag = FindTagLower(t.name);
  if (cur_.type == TokenType::kStartTag) {
    last_start_tag_ = t.name;
    if (!attrs_.empty()) {
      t.attrs = CopyAttributes();
      t.num_attrs = static_cast<uint32_t>(attrs_.size());
    }
  } else {
    t.self_closing = false;
  }
  state_ = State::kData;
}

bool Tokenizer::FastTag(size_t p, bool end) {
  // The usual tag, read without a trip through the state switch per state:
  // a lower-case name, attributes whose names are plain lower-case runs.
  // Returns false, having changed nothing the general states read, when the
  // tag is anything else before its first attribute value (upper case, NUL,
  // '=' or a quote in a name, end of input); the caller then runs the
  // general states from the same '<'. Inside a value, a character reference,
  // NUL or the end of input hands the tag over to the general value state
  // with everything read so far, which is where the general states would be.
  const char* in = in_;
  const size_t n = n_;
  const bool start = !end;
  const size_t name_begin = p;
  p = ScanName(in, p, n);
  if (p >= n) return false;
  std::string_view name(in + name_begin, p - name_begin);
  {
    char ch = in[p];
    if (!IsWs(ch) && ch != '/' && ch != '>') return false;
  }
  attrs_.clear();
  attr_bits_ = 0;
  bool self_closing = false;
  for (;;) {
    // Before attribute name (also after a value and the reconsumed "/x").
    while (p < n && IsWs(in[p])) ++p;
    if (p >= n) return false;
    char ch = in[p];
    if (ch == '>') {
      ++p;
      break;
    }
    if (ch == '/') {
      if (p + 1 >= n) return false;
      if (in[p + 1] == '>') {
        self_closing = true;
        p += 2;
        break;
      }
      ++p;  // self-closing start tag state: reconsume in before attribute name
      continue;
    }
    // Attribute name: a plain run ended by '=', white space, '/' or '>'.
    size_t attr_begin = p;
    p = ScanName(in, p, n);
    if (p >= n || p == attr_begin) return false;
    ch = in[p];
    if (ch != '=' && !IsWs(ch) && ch != '/' && ch != '>') return false;
    std::string_view attr_name(in + attr_begin, p - attr_begin);
    // After attribute name.
    size_t q = p;
    while (q < n && IsWs(in[q])) ++q;
    if (q >= n) return false;
    // The kept attribute's slot (null: dropped), for its value below.
    Attribute* kept = AddAttribute(attr_name, start) ? &attrs_.back() : nullptr;
    if (in[q] != '=') {  // no value: what follows is '/', '>' or another name
      p = q;
      continue;
    }
    // Before attribute value.
    p = q + 1;
    while (p < n && IsWs(in[p])) ++p;
    size_t value_begin, value_end;
    State value_state;
    ch = p < n ? in[p] : '\0';
    if (p < n && (ch == '"' || ch == '\'')) {
      value_begin = p + 1;
      value_end = FindValueEnd(in, value_begin, n, ch);
      value_state = ch == '"' ? State::kAttributeValueDouble : State::kAttributeValueSingle;
      if (value_end < n && in[value_end] == ch) {
        if (kept) kept->value = std::string_view(in + value_begin, value_end - value_begin);
        p = value_end + 1;
        continue;  // after attribute value (quoted) acts as before attribute name
      }
    } else if (p < n && ch == '>') {
      continue;  // missing value: the tag ends, the value stays empty
    } else {
      value_begin = p;
      value_end = p;
      while (value_end < n && !kUnquotedStop.stop[static_cast<unsigned char>(in[value_end])]) {
        ++value_end;
      }
      value_state = State::kAttributeValueUnquoted;
      if (value_end < n && in[value_end] != '&' && in[value_end] != '\0') {  // white space or '>'
        if (kept) kept->value = std::string_view(in + value_begin, value_end - value_begin);
        p = value_end;
        continue;
      }
    }
    // A character reference, NUL or the end of input inside the value: hand
    // over to the general value state at that byte.
    cur_ = Token();
    cur_.type = end ? TokenType::kEndTag : TokenType::kStartTag;
    name_.Reset();
    name_.AppendSpan(name.data(), name.data() + name.size());
    attr_name_.Reset();
    attr_name_.AppendSpan(attr_name.data(), attr_name.data() + attr_name.size());
    attr_value_.Reset();
    attr_value_.AppendSpan(in + value_begin, in + value_end);
    attr_active_ = true;
    attr_name_done_ = true;
    attr_dropped_ = kept == nullptr;
    state_ = value_state;
    pos_ = value_end;
    return true;
  }
  if (!text_.empty()) EmitPendingTextInline();  // the call cost more than the token
  Token& t = queue_[queue_end_++];
  // Every field set once (cheaper than t = Token() and then the fields).
  t.type = end ? TokenType::kEndTag : TokenType::kStartTag;
  t.self_closing = start && self_closing;
  t.force_quirks = t.has_name = t.has_public_id = t.has_system_id = t.has_nul = false;
  t.tag = FindTagLowerInline(name, n - name_begin);
  t.name = name;
  t.data = std::string_view();
  t.public_id = std::string_view();
  t.system_id = std::string_view();
  t.attrs = nullptr;
  t.num_attrs = 0;
  if (start) {
    last_start_tag_ = name;
    if (!attrs_.empty()) {
      t.attrs = CopyAttributes();
      t.num_attrs = static_cast<uint32_t>(attrs_.size());
    }
  }
  attr_active_ = false;
  state_ = State::kData;
  pos_ = p;
  return true;
}

void Tokenizer::EmitComment() {
  EmitText();
  Token& t = queue_[queue_end_++];
  t = Token();
  t.type = TokenType::kComment;
  t.data = data_.Finish(arena_);
}

void Tokenizer::EmitDoctype() {
  EmitText();
  Token& t = queue_[queue_end_++];
  t = cur_;
  t.type = TokenType::kDoctype;
  t.name = name_.Finish(arena_);
  if (t.has_public_id) t.public_id = public_id_.Finish(arena_);
  if (t.has_system_id) t.system_id = system_id_.Finish(arena_);
}

bool Tokenizer::TryAppropriateEndTag() {
  if (TryEndTagNamed(last_start_tag_)) return true;
  return !extra_end_tag_.empty() && TryEndTagNamed(extra_end_tag_);
}

bool Tokenizer::TryEndTagNamed(std::string_view name) {
  size_t len = name.size();
  size_t p = pos_ + 2;
  if (len == 0 || p + len >= n_ || in_[pos_ + 1] != '/') return false;
  if (!EqualsIgnoreCase(in_ + p, name)) return false;
  char d = in_[p + len];
  if (!IsWs(d) && d != '/' && d != '>') return false;
  StartTag(true);
  name_.AppendSpan(in_ + p, in_ + p + len);
  if (!EqualsExact(in_ + p, name)) {
    name_.Reset();
    name_.AppendBytes(name);
  }
  pos_ = p + len;
  if (IsWs(d)) {
    state_ = State::kBeforeAttributeName;
    ++pos_;
  } else if (d == '/') {
    state_ = State::kSelfClosingStartTag;
    ++pos_;
  } else {
    ++pos_;
    EmitTag();
  }
  return true;
}

void Tokenizer::ConsumeCharRef(Builder* out, bool in_attribute) {
  // pos_ is at '&'.
  size_t amp = pos_;
  size_t p = amp + 1;
  if (p < n_ && in_[p] == '#') {
    size_t q = p + 1;
    bool hex = false;
    if (q < n_ && (in_[q] == 'x' || in_[q] == 'X')) {
      hex = true;
      ++q;
    }
    size_t digits = q;
    uint32_t value = 0;
    while (q < n_ && (hex ? IsHexDigit(in_[q]) : IsAsciiDigit(in_[q]))) {
      int c = in_[q];
      int d = IsAsciiDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
      value = value * (hex ? 16 : 10) + d;
      if (value > 0x10FFFF) value = 0x110000;
      ++q;
    }
    if (q == digits) {  // no digits: "&#" / "&#x" are plain text
      out->AppendSpan(in_ + amp, in_ + q);
      pos_ = q;
      return;
    }
    if (q < n_ && in_[q] == ';') ++q;
    pos_ = q;
    if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
      out->AppendBytes(kReplacement);
      return;
    }
    if (value >= 0x80 && value <= 0x9F) value = C1Replacement(value);
    char buf[4];
    out->AppendBytes(std::string_view(buf, EncodeUtf8(value, buf)));
    return;
  }
  if (p >= n_ || !IsAsciiAlnum(in_[p])) {
    out->AppendSpan(in_ + amp, in_ + amp + 1);
    pos_ = amp + 1;
    return;
  }
  // The usual suspects first; each is the longest match of its prefix.
  {
    static constexpr struct {
      std::string_view name, value;
    } kCommon[] = {{"amp;", "&"}, {"nbsp;", "\xC2\xA0"}, {"lt;", "<"}, {"gt;", ">"},
                   {"quot;", "\""}};
    for (const auto& e : kCommon) {
      if (p + e.name.size() <= n_ && std::memcmp(in_ + p, e.name.data(), e.name.size()) == 0) {
        out->AppendBytes(e.value);
        pos_ = p + e.name.size();
        return;
      }
    }
  }
  // Longest match in the sorted table, narrowing [lo, hi) one byte at a time.
  size_t lo = 0, hi = kNumEntities;
  size_t best = kNumEntities, best_len = 0;
  for (size_t k = 0; p + k < n_ && lo < hi; ++k) {
    char c = in_[p + k];
    if (kEntities[lo].name_len == k) ++lo;  // the exact match of length k sorts first
    lo = std::lower_bound(kEntities + lo, kEntities + hi, c,
                          [k](const Entity& e, char ch) {
                            return static_cast<unsigned char>(e.name[k]) <
                                   static_cast<unsigned char>(ch);
                          }) -
         kEntities;
    hi = std::upper_bound(kEntities + lo, kEntities + hi, c,
                          [k](char ch, const Entity& e) {
                            return static_cast<unsigned char>(ch) <
                                   static_cast<unsigned char>(e.name[k]);
                          }) -
         kEntities;
    if (lo >= hi) break;
    if (kEntities[lo].name_len == k + 1) {
      best = lo;
      best_len = k + 1;
    }
  }
  if (best == kNumEntities) {
    // Ambiguous ampersand: '&' is text, the alphanumerics follow as text.
    out->AppendSpan(in_ + amp, in_ + amp + 1);
    pos_ = amp + 1;
    return;
  }
  size_t end = p + best_len;
  if (in_attribute && in_[end - 1] != ';' && end < n_ &&
      (in_[end] == '=' || IsAsciiAlnum(in_[end]))) {
    out->AppendSpan(in_ + amp, in_ + end);
    pos_ = end;
    return;
  }
  out->AppendBytes(std::string_view(kEntities[best].value, kEntities[best].value_len));
  pos_ = end;
}

#define EOF_CHECK() (pos_ >= n_)

void Tokenizer::Step() {
  // Runs the state machine until at least one token is queued.
  while (queue_end_ == 0) {
    int c = pos_ < n_ ? static_cast<unsigned char>(in_[pos_]) : -1;
    switch (state_) {
      case State::kData: {
        size_t p = FindAny4(in_, pos_, n_, '<', '&', '\0', '<');
        AppendText(pos_, p);
        pos_ = p;
        if (p >= n_) {
          EmitEof();
          break;
        }
        char ch = in_[p];
        if (ch == '&') {
          ConsumeCharRef(&text_, false);
        } else if (ch == '<') {
          ++pos_;
          // Shortcut for the common "<a" / "</a": straight to the tag name.
          if (pos_ < n_ && IsAsciiAlpha(in_[pos_])) {
            if (fast_tags_ && FastTag(pos_, false)) break;
            StartTag(false);
            state_ = State::kTagName;
          } else if (pos_ + 1 < n_ && in_[pos_] == '/' && IsAsciiAlpha(in_[pos_ + 1])) {
            ++pos_;
            if (fast_tags_ && FastTag(pos_, true)) break;
            StartTag(true);
            state_ = State::kTagName;
          } else {
            state_ = State::kTagOpen;
          }
        } else {  // NUL: emitted as is (the tree builder drops it)
          AppendText(p, p + 1);
          text_has_nul_ = true;
          ++pos_;
        }
        break;
      }
      case State::kRcdata: {
        size_t p = FindAny4(in_, pos_, n_, '<', '&', '\0', '<');
        AppendText(pos_, p);
        pos_ = p;
        if (p >= n_) {
          EmitEof();
          break;
        }
        char ch = in_[p];
        if (ch == '&') {
          ConsumeCharRef(&text_, false);
        } else if (ch == '<') {
          if (!TryAppropriateEndTag()) {
            AppendText(p, p + 1);
            ++pos_;
          }
        } else {
          text_.AppendBytes(kReplacement);
          ++pos_;
        }
        break;
      }
      case State::kRawtext:
      case State::kScriptData:
      case State::kPlaintext: {
        size_t p = state_ == State::kPlaintext ? FindAny4(in_, pos_, n_, '\0', '\0', '\0', '\0')
                                               : FindAny4(in_, pos_, n_, '<', '\0', '<', '\0');
        AppendText(pos_, p);
        pos_ = p;
        if (p >= n_) {
          EmitEof();
          break;
        }
        if (in_[p] == '\0') {
          text_.AppendBytes(kReplacement);
          ++pos_;
          break;
        }
        if (TryAppropriateEndTag()) break;
        AppendText(p, p + 1);
        ++pos_;
        if (state_ == State::kScriptData && pos_ < n_ && in_[pos_] == '!') {
          AppendText(pos_, pos_ + 1);
          ++pos_;
          state_ = State::kScriptDataEscapeStart;
        }
        break;
      }
      case State::kScriptDataEscapeStart:
        if (c == '-') {
          AppendText(pos_, pos_ + 1);
          ++pos_;
          state_ = State::kScriptDataEscapeStartDash;
        } else {
          state_ = State::kScriptData;
        }
        break;
      case State::kScriptDataEscapeStartDash:
        if (c == '-') {
          AppendText(pos_, pos_ + 1);
          ++pos_;
          state_ = State::kScriptDataEscapedDashDash;
        } else {
          state_ = State::kScriptData;
        }
        break;
      case State::kScriptDataEscaped: {
        size_t p = FindAny4(in_, pos_, n_, '-', '<', '\0', '-');
        AppendText(pos_, p);
        pos_ = p;
        if (p >= n_) {
          EmitEof();
          break;
        }
        char ch = in_[p];
        if (ch == '-') {
          AppendText(p, p + 1);
          ++pos_;
          state_ = State::kScriptDataEscapedDash;
        } else if (ch == '<') {
          state_ = State::kScriptDataEscapedLessThan;
        } else {
          text_.AppendBytes(kReplacement);
          ++pos_;
        }
        break;
      }
      case State::kScriptDataEscapedDash:
      case State::kScriptDataEscapedDashDash:
        if (c == -1) {
          EmitEof();
        } else if (c == '-') {
          AppendText(pos_, pos_ + 1);
          ++pos_;
          state_ = State::kScriptDataEscapedDashDash;
        } else if (c == '<') {
          state_ = State::kScriptDataEscapedLessThan;
        } else if (c == '>' && state_ == State::kScriptDataEscapedDashDash) {
          AppendText(pos_, pos_ + 1);
          ++pos_;
          state_ = State::kScriptData;
        } else if (c == 0) {
          text_.AppendBytes(kReplacement);
          ++pos_;
          state_ = State::kScriptDataEscaped;
        } else {
          AppendText(pos_, pos_ + 1);
          ++pos_;
          state_ = State::kScriptDataEscaped;
        }
        break;
      case State::kScriptDataEscapedLessThan: {
        // pos_ at '<'.
        if (TryAppropriateEndTag()) break;
        AppendText(pos_, pos_ + 1);
        ++pos_;
        state_ = State::kScriptDataEscaped;
        if (pos_ < n_ && IsAsciiAlpha(in_[pos_])) {
          // Script data double escape start: "<script" + delimiter.
          size_t q = pos_;
          while (q < n_ && IsAsciiAlpha(in_[q])) ++q;
          AppendText(pos_, q);
          if (q < n_ && q - pos_ == 6 && EqualsIgnoreCase(in_ + pos_, "script") &&
              (IsWs(in_[q]) || in_[q] == '/' || in_[q] == '>')) {
            AppendText(q, q + 1);
            ++q;
            state_ = State::kScriptDataDoubleEscaped;
          }
          pos_ = q;
        }
        break;
      }
      case State::kScriptDataDoubleEscaped: {
        size_t p = FindAny4(in_, pos_, n_, '-', '<', '\0', '-');
        AppendText(pos_, p);
        pos_ = p;
        if (p >= n_) {
          EmitEof();
          break;
        }
        char ch = in_[p];
        if (ch == '-') {
          AppendText(p, p + 1);
          ++pos_;
          state_ = State::kScriptDataDoubleEscapedDash;
        } else if (ch == '<') {
          AppendText(p, p + 1);
          ++pos_;
          state_ = State::kScriptDataDoubleEscapedLessThan;
        } else {
          text_.AppendBytes(kReplacement);
          ++pos_;
        }
        break;
      }
      case State::kScriptDataDoubleEscapedDash:
      case State::kScriptDataDoubleEscapedDashDash:
        if (c == -1) {
          EmitEof();
        } else if (c == '-') {
          AppendText(pos_, pos_ + 1);
          ++pos_;
          state_ = State::kScriptDataDoubleEscapedDashDash;
        } else if (c == '<') {
          AppendText(pos_, pos_ + 1);
          ++pos_;
          state_ = State::kScriptDataDoubleEscapedLessThan;
        } else if (c == '>' && state_ == State::kScriptDataDoubleEscapedDashDash) {
          AppendText(pos_, pos_ + 1);
          ++pos_;
          state_ = State::kScriptData;
        } else if (c == 0) {
          text_.AppendBytes(kReplacement);
          ++pos_;
          state_ = State::kScriptDataDoubleEscaped;
        } else {
          AppendText(pos_, pos_ + 1);
          ++pos_;
          state_ = State::kScriptDataDoubleEscaped;
        }
        break;
      case State::kScriptDataDoubleEscapedLessThan:
        state_ = State::kScriptDataDoubleEscaped;
        if (c == '/') {
          AppendText(pos_, pos_ + 1);
          ++pos_;
          size_t q = pos_;
          while (q < n_ && IsAsciiAlpha(in_[q])) ++q;
          AppendText(pos_, q);
          if (q < n_ && q - pos_ == 6 && EqualsIgnoreCase(in_ + pos_, "script") &&
              (IsWs(in_[q]) || in_[q] == '/' || in_[q] == '>')) {
            AppendText(q, q + 1);
            ++q;
            state_ = State::kScriptDataEscaped;
          }
          pos_ = q;
        }
        break;
      case State::kTagOpen:
        // pos_ is just after '<'.
        if (c == '!') {
          ++pos_;
          state_ = State::kMarkupDeclarationOpen;
        } else if (c == '/') {
          ++pos_;
          state_ = State::kEndTagOpen;
        } else if (IsAsciiAlpha(c)) {
          StartTag(false);
          state_ = State::kTagName;
        } else if (c == '?') {
          data_.Reset();
          state_ = State::kBogusComment;
        } else {
          AppendText(pos_ - 1, pos_);
          state_ = State::kData;
        }
        break;
      case State::kEndTagOpen:
        if (IsAsciiAlpha(c)) {
          StartTag(true);
          state_ = State::kTagName;
        } else if (c == '>') {
          ++pos_;
          state_ = State::kData;
        } else if (c == -1) {
          AppendText(pos_ - 2, pos_);
          state_ = State::kData;
        } else {
          data_.Reset();
          state_ = State::kBogusComment;
        }
        break;
      case State::kTagName: {
        size_t p = pos_;
        while (p < n_ && !kNameStop.stop[static_cast<unsigned char>(in_[p])]) ++p;
        name_.AppendSpan(in_ + pos_, in_ + p);
        pos_ = p;
        if (p >= n_) {
          EmitEof();
          break;
        }
        char ch = in_[p];
        ++pos_;
        if (IsWs(ch)) {
          while (pos_ < n_ && IsWs(in_[pos_])) ++pos_;
          state_ = State::kBeforeAttributeName;
        } else if (ch == '/') {
          state_ = State::kSelfClosingStartTag;
        } else if (ch == '>') {
          EmitTag();
        } else if (ch == '\0') {
          name_.AppendBytes(kReplacement);
        } else if (IsAsciiUpper(ch)) {
          name_.AppendChar(Lower(ch));
        } else {
          name_.AppendSpan(in_ + p, in_ + p + 1);
        }
        break;
      }
      case State::kBeforeAttributeName:
        if (IsWs(c)) {
          do ++pos_;
          while (pos_ < n_ && IsWs(in_[pos_]));
        } else if (c == '/' || c == '>' || c == -1) {
          state_ = State::kAfterAttributeName;
        } else if (c == '=') {
          StartAttribute();
          attr_name_.AppendSpan(in_ + pos_, in_ + pos_ + 1);
          ++pos_;
          state_ = State::kAttributeName;
        } else {
          StartAttribute();
          state_ = State::kAttributeName;
        }
        break;
      case State::kAttributeName: {
        size_t p = pos_;
        while (p < n_ && !kNameStop.stop[static_cast<unsigned char>(in_[p])]) ++p;
        attr_name_.AppendSpan(in_ + pos_, in_ + p);
        pos_ = p;
        int ch = p < n_ ? static_cast<unsigned char>(in_[p]) : -1;
        if (IsWs(ch) || ch == '/' || ch == '>' || ch == -1) {
          FinishAttributeName();
          state_ = State::kAfterAttributeName;
        } else if (ch == '=') {
          FinishAttributeName();
          ++pos_;
          if (pos_ < n_ && in_[pos_] == '"') {  // the usual name="value"
            ++pos_;
            state_ = State::kAttributeValueDouble;
          } else {
            state_ = State::kBeforeAttributeValue;
          }
        } else if (ch == 0) {
          attr_name_.AppendBytes(kReplacement);
          ++pos_;
        } else if (IsAsciiUpper(ch)) {
          attr_name_.AppendChar(Lower(ch));
          ++pos_;
        } else {  // '"', '\'', '<': parse error, part of the name
          attr_name_.AppendSpan(in_ + p, in_ + p + 1);
          ++pos_;
        }
        break;
      }
      case State::kAfterAttributeName:
        if (IsWs(c)) {
          ++pos_;
        } else if (c == '/') {
          ++pos_;
          state_ = State::kSelfClosingStartTag;
        } else if (c == '=') {
          ++pos_;
          state_ = State::kBeforeAttributeValue;
        } else if (c == '>') {
          ++pos_;
          EmitTag();
        } else if (c == -1) {
          EmitEof();
        } else {
          StartAttribute();
          state_ = State::kAttributeName;
        }
        break;
      case State::kBeforeAttributeValue:
        if (IsWs(c)) {
          ++pos_;
        } else if (c == '"') {
          ++pos_;
          state_ = State::kAttributeValueDouble;
        } else if (c == '\'') {
          ++pos_;
          state_ = State::kAttributeValueSingle;
        } else if (c == '>') {
          ++pos_;
          EmitTag();
        } else {
          state_ = State::kAttributeValueUnquoted;
        }
        break;
      case State::kAttributeValueDouble:
      case State::kAttributeValueSingle: {
        char quote = state_ == State::kAttributeValueDouble ? '"' : '\'';
        size_t p = FindAny4(in_, pos_, n_, quote, '&', '\0', quote);
        attr_value_.AppendSpan(in_ + pos_, in_ + p);
        pos_ = p;
        if (p >= n_) {
          EmitEof();
          break;
        }
        char ch = in_[p];
        if (ch == quote) {
          ++pos_;
          // The usual continuations, without a trip through the state switch.
          if (pos_ < n_ && in_[pos_] == '>') {
            ++pos_;
            EmitTag();
          } else if (pos_ < n_ && IsWs(in_[pos_])) {
            do ++pos_;
            while (pos_ < n_ && IsWs(in_[pos_]));
            state_ = State::kBeforeAttributeName;
          } else {
            state_ = State::kAfterAttributeValueQuoted;
          }
        } else if (ch == '&') {
          ConsumeCharRef(&attr_value_, true);
        } else {
          attr_value_.AppendBytes(kReplacement);
          ++pos_;
        }
        break;
      }
      case State::kAttributeValueUnquoted:
        if (c >= 0 && !kUnquotedStop.stop[c]) {
          size_t p = pos_ + 1;
          while (p < n_ && !kUnquotedStop.stop[static_cast<unsigned char>(in_[p])]) ++p;
          attr_value_.AppendSpan(in_ + pos_, in_ + p);
          pos_ = p;
          break;
        }
        if (IsWs(c)) {
          ++pos_;
          state_ = State::kBeforeAttributeName;
        } else if (c == '&') {
          ConsumeCharRef(&attr_value_, true);
        } else if (c == '>') {
          ++pos_;
          EmitTag();
        } else if (c == 0) {
          attr_value_.AppendBytes(kReplacement);
          ++pos_;
        } else if (c == -1) {
          EmitEof();
        } else {
          attr_value_.AppendSpan(in_ + pos_, in_ + pos_ + 1);
          ++pos_;
        }
        break;
      case State::kAfterAttributeValueQuoted:
        if (IsWs(c)) {
          ++pos_;
          state_ = State::kBeforeAttributeName;
        } else if (c == '/') {
          ++pos_;
          state_ = State::kSelfClosingStartTag;
        } else if (c == '>') {
          ++pos_;
          EmitTag();
        } else if (c == -1) {
          EmitEof();
        } else {
          state_ = State::kBeforeAttributeName;
        }
        break;
      case State::kSelfClosingStartTag:
        if (c == '>') {
          ++pos_;
          cur_.self_closing = true;
          EmitTag();
        } else if (c == -1) {
          EmitEof();
        } else {
          state_ = State::kBeforeAttributeName;
        }
        break;
      case State::kBogusComment: {
        size_t p = FindAny4(in_, pos_, n_, '>', '\0', '>', '\0');
        data_.AppendSpan(in_ + pos_, in_ + p);
        pos_ = p;
        if (p >= n_) {
          EmitComment();
          EmitEof();
        } else if (in_[p] == '>') {
          ++pos_;
          EmitComment();
          state_ = State::kData;
        } else {
          data_.AppendBytes(kReplacement);
          ++pos_;
        }
        break;
      }
      case State::kMarkupDeclarationOpen:
        data_.Reset();
        if (pos_ + 2 <= n_ && in_[pos_] == '-' && in_[pos_ + 1] == '-') {
          pos_ += 2;
          state_ = State::kCommentStart;
        } else if (pos_ + 7 <= n_ && EqualsIgnoreCase(in_ + pos_, "doctype")) {
          pos_ += 7;
          state_ = State::kDoctype;
        } else if (pos_ + 7 <= n_ && std::memcmp(in_ + pos_, "[CDATA[", 7) == 0) {
          pos_ += 7;
          if (allow_cdata_) {
            state_ = State::kCdataSection;
          } else {
            data_.AppendSpan(in_ + pos_ - 7, in_ + pos_);
            state_ = State::kBogusComment;
          }
        } else {
          state_ = State::kBogusComment;
        }
        break;
      case State::kCommentStart:
        if (c == '-') {
          ++pos_;
          state_ = State::kCommentStartDash;
        } else if (c == '>') {
          ++pos_;
          EmitComment();
          state_ = State::kData;
        } else {
          state_ = State::kComment;
        }
        break;
      case State::kCommentStartDash:
        if (c == '-') {
          ++pos_;
          state_ = State::kCommentEnd;
        } else if (c == '>') {
          ++pos_;
          EmitComment();
          state_ = State::kData;
        } else if (c == -1) {
          EmitComment();
          EmitEof();
        } else {
          data_.AppendChar('-');
          state_ = State::kComment;
        }
        break;
      case State::kComment: {
        size_t p = FindAny4(in_, pos_, n_, '<', '-', '\0', '-');
        data_.AppendSpan(in_ + pos_, in_ + p);
        pos_ = p;
        if (p >= n_) {
          EmitComment();
          EmitEof();
          break;
        }
        char ch = in_[p];
        ++pos_;
        if (ch == '<') {
          data_.AppendSpan(in_ + p, in_ + p + 1);
          state_ = State::kCommentLessThan;
        } else if (ch == '-') {
          state_ = State::kCommentEndDash;
        } else {
          data_.AppendBytes(kReplacement);
        }
        break;
      }
      case State::kCommentLessThan:
        if (c == '!') {
          data_.AppendSpan(in_ + pos_, in_ + pos_ + 1);
          ++pos_;
          state_ = State::kCommentLessThanBang;
        } else if (c == '<') {
          data_.AppendSpan(in_ + pos_, in_ + pos_ + 1);
          ++pos_;
        } else {
          state_ = State::kComment;
        }
        break;
      case State::kCommentLessThanBang:
        if (c == '-') {
          ++pos_;
          state_ = State::kCommentLessThanBangDash;
        } else {
          state_ = State::kComment;
        }
        break;
      case State::kCommentLessThanBangDash:
        if (c == '-') {
          ++pos_;
          state_ = State::kCommentLessThanBangDashDash;
        } else {
          state_ = State::kCommentEndDash;
        }
        break;
      case State::kCommentLessThanBangDashDash:
        state_ = State::kCommentEnd;
        break;
      case State::kCommentEndDash:
        if (c == '-') {
          ++pos_;
          state_ = State::kCommentEnd;
        } else if (c == -1) {
          EmitComment();
          EmitEof();
        } else {
          data_.AppendChar('-');
          state_ = State::kComment;
        }
        break;
      case State::kCommentEnd:
        if (c == '>') {
          ++pos_;
          EmitComment();
          state_ = State::kData;
        } else if (c == '!') {
          ++pos_;
          state_ = State::kCommentEndBang;
        } else if (c == '-') {
          ++pos_;
          data_.AppendChar('-');
        } else if (c == -1) {
          EmitComment();
          EmitEof();
        } else {
          data_.AppendBytes("--");
          state_ = State::kComment;
        }
        break;
      case State::kCommentEndBang:
        if (c == '-') {
          ++pos_;
          data_.AppendBytes("--!");
          state_ = State::kCommentEndDash;
        } else if (c == '>') {
          ++pos_;
          EmitComment();
          state_ = State::kData;
        } else if (c == -1) {
          EmitComment();
          EmitEof();
        } else {
          data_.AppendBytes("--!");
          state_ = State::kComment;
        }
        break;
      case State::kDoctype:
        cur_ = Token();
        cur_.type = TokenType::kDoctype;
        name_.Reset();
        public_id_.Reset();
        system_id_.Reset();
        if (IsWs(c)) {
          ++pos_;
          state_ = State::kBeforeDoctypeName;
        } else if (c == -1) {
          cur_.force_quirks = true;
          EmitDoctype();
          EmitEof();
        } else {
          state_ = State::kBeforeDoctypeName;
        }
        break;
      case State::kBeforeDoctypeName:
        if (IsWs(c)) {
          ++pos_;
        } else if (c == '>') {
          ++pos_;
          cur_.force_quirks = true;
          EmitDoctype();
          state_ = State::kData;
        } else if (c == -1) {
          cur_.force_quirks = true;
          EmitDoctype();
          EmitEof();
        } else {
          cur_.has_name = true;
          state_ = State::kDoctypeName;
        }
        break;
      case State::kDoctypeName:
        if (IsWs(c)) {
          ++pos_;
          state_ = State::kAfterDoctypeName;
        } else if (c == '>') {
          ++pos_;
          EmitDoctype();
          state_ = State::kData;
        } else if (c == -1) {
          cur_.force_quirks = true;
          EmitDoctype();
          EmitEof();
        } else if (c == 0) {
          ++pos_;
          name_.AppendBytes(kReplacement);
        } else if (IsAsciiUpper(c)) {
          ++pos_;
          name_.AppendChar(Lower(c));
        } else {
          name_.AppendSpan(in_ + pos_, in_ + pos_ + 1);
          ++pos_;
        }
        break;
      case State::kAfterDoctypeName:
        if (IsWs(c)) {
          ++pos_;
        } else if (c == '>') {
          ++pos_;
          EmitDoctype();
          state_ = State::kData;
        } else if (c == -1) {
          cur_.force_quirks = true;
          EmitDoctype();
          EmitEof();
        } else if (pos_ + 6 <= n_ && EqualsIgnoreCase(in_ + pos_, "public")) {
          pos_ += 6;
          state_ = State::kAfterDoctypePublicKeyword;
        } else if (pos_ + 6 <= n_ && EqualsIgnoreCase(in_ + pos_, "system")) {
          pos_ += 6;
          state_ = State::kAfterDoctypeSystemKeyword;
        } else {
          cur_.force_quirks = true;
          state_ = State::kBogusDoctype;
        }
        break;
      case State::kAfterDoctypePublicKeyword:
      case State::kBeforeDoctypePublicId:
      case State::kAfterDoctypeSystemKeyword:
      case State::kBeforeDoctypeSystemId: {
        bool is_public = state_ == State::kAfterDoctypePublicKeyword ||
                         state_ == State::kBeforeDoctypePublicId;
        bool after_keyword = state_ == State::kAfterDoctypePublicKeyword ||
                             state_ == State::kAfterDoctypeSystemKeyword;
        if (IsWs(c)) {
          ++pos_;
          if (after_keyword) {
            state_ = is_public ? State::kBeforeDoctypePublicId : State::kBeforeDoctypeSystemId;
          }
        } else if (c == '"' || c == '\'') {
          ++pos_;
          if (is_public) {
            cur_.has_public_id = true;
            state_ = c == '"' ? State::kDoctypePublicIdDouble : State::kDoctypePublicIdSingle;
          } else {
            cur_.has_system_id = true;
            state_ = c == '"' ? State::kDoctypeSystemIdDouble : State::kDoctypeSystemIdSingle;
          }
        } else if (c == '>') {
          ++pos_;
          cur_.force_quirks = true;
          EmitDoctype();
          state_ = State::kData;
        } else if (c == -1) {
          cur_.force_quirks = true;
          EmitDoctype();
          EmitEof();
        } else {
          cur_.force_quirks = true;
          state_ = State::kBogusDoctype;
        }
        break;
      }
      case State::kDoctypePublicIdDouble:
      case State::kDoctypePublicIdSingle:
      case State::kDoctypeSystemIdDouble:
      case State::kDoctypeSystemIdSingle: {
        bool is_public = state_ == State::kDoctypePublicIdDouble ||
                         state_ == State::kDoctypePublicIdSingle;
        char quote = (state_ == State::kDoctypePublicIdDouble ||
                      state_ == State::kDoctypeSystemIdDouble)
                         ? '"'
                         : '\'';
        Builder* b = is_public ? &public_id_ : &system_id_;
        if (c == quote) {
          ++pos_;
          state_ = is_public ? State::kAfterDoctypePublicId : State::kAfterDoctypeSystemId;
        } else if (c == 0) {
          ++pos_;
          b->AppendBytes(kReplacement);
        } else if (c == '>') {
          ++pos_;
          cur_.force_quirks = true;
          EmitDoctype();
          state_ = State::kData;
        } else if (c == -1) {
          cur_.force_quirks = true;
          EmitDoctype();
          EmitEof();
        } else {
          b->AppendSpan(in_ + pos_, in_ + pos_ + 1);
          ++pos_;
        }
        break;
      }
      case State::kAfterDoctypePublicId:
      case State::kBetweenDoctypePublicAndSystemIds:
        if (IsWs(c)) {
          ++pos_;
          state_ = State::kBetweenDoctypePublicAndSystemIds;
        } else if (c == '>') {
          ++pos_;
          EmitDoctype();
          state_ = State::kData;
        } else if (c == '"' || c == '\'') {
          ++pos_;
          cur_.has_system_id = true;
          state_ = c == '"' ? State::kDoctypeSystemIdDouble : State::kDoctypeSystemIdSingle;
        } else if (c == -1) {
          cur_.force_quirks = true;
          EmitDoctype();
          EmitEof();
        } else {
          cur_.force_quirks = true;
          state_ = State::kBogusDoctype;
        }
        break;
      case State::kAfterDoctypeSystemId:
        if (IsWs(c)) {
          ++pos_;
        } else if (c == '>') {
          ++pos_;
          EmitDoctype();
          state_ = State::kData;
        } else if (c == -1) {
          cur_.force_quirks = true;
          EmitDoctype();
          EmitEof();
        } else {
          state_ = State::kBogusDoctype;
        }
        break;
      case State::kBogusDoctype:
        if (c == '>') {
          ++pos_;
          EmitDoctype();
          state_ = State::kData;
        } else if (c == -1) {
          EmitDoctype();
          EmitEof();
        } else {
          ++pos_;
        }
        break;
      case State::kCdataSection: {
        const void* q = n_ > pos_ ? std::memchr(in_ + pos_, ']', n_ - pos_) : nullptr;
        while (q != nullptr) {
          size_t p = static_cast<const char*>(q) - in_;
          if (p + 2 < n_ && in_[p + 1] == ']' && in_[p + 2] == '>') break;
          q = p + 1 < n_ ? std::memchr(in_ + p + 1, ']', n_ - p - 1) : nullptr;
        }
        if (q == nullptr) {
          AppendText(pos_, n_);
          if (std::memchr(in_ + pos_, '\0', n_ - pos_) != nullptr) text_has_nul_ = true;
          pos_ = n_;
          EmitEof();
          break;
        }
        size_t p = static_cast<const char*>(q) - in_;
        AppendText(pos_, p);
        if (std::memchr(in_ + pos_, '\0', p - pos_) != nullptr) text_has_nul_ = true;
        pos_ = p + 3;
        state_ = State::kData;
        break;
      }
    }
  }
}

}  // namespace internal
}  // namespace html
}  // namespace winnow
