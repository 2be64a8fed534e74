#include "extract/hints.h"

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/fnv.h"
#include "base/swar.h"

namespace winnow {
namespace extract_internal {

namespace {

constexpr uint32_t B = kHintBoilerplate;
constexpr uint32_t C = kHintComment;
constexpr uint32_t P = kHintContent;
constexpr uint32_t H = kHintHidden;
constexpr uint32_t R = kHintRelated | kHintBoilerplate;
constexpr uint32_t K = kHintCookie | kHintBoilerplate;
constexpr uint32_t M = kHintMeta;
constexpr uint32_t V = kHintReview;
constexpr uint32_t HD = kHintHeader;

struct Word {
  std::string_view word;
  uint32_t flags;
};

// Whole tokens (class/id split at non-alphanumerics and camelCase).
constexpr Word kTokens[] = {
    // navigation and page furniture
    {"nav", B}, {"navbar", B}, {"navigation", B}, {"menu", B}, {"menus", B},
    {"submenu", B}, {"breadcrumb", B}, {"breadcrumbs", B}, {"crumbs", B},
    {"sidebar", B}, {"side", B}, {"aside", B}, {"rail", B}, {"footer", B},
    {"foot", B}, {"masthead", B}, {"topbar", B}, {"toolbar", B}, {"skip", B},
    {"pagination", B}, {"pager", B}, {"paging", B}, {"print", B},
    {"rss", B}, {"widget", B}, {"widgets", B}, {"sitemap", B},
    {"copyright", B}, {"legal", B}, {"login", B}, {"logout", B}, {"signin", B},
    {"signup", B}, {"register", B}, {"search", 0}, {"searchbox", B},
    {"dropdown", B}, {"tabs", B}, {"tools", B}, {"utility", B}, {"utilities", B},
    {"header", HD}, {"logo", B}, {"promo", B}, {"promotion", B},
    {"outbrain", B}, {"taboola", B}, {"sponsor", B},
    {"sponsored", B}, {"partner", B}, {"partners", B}, {"disclaimer", B},
    {"signature", B}, {"signatur", B},
    // ads
    {"ad", B}, {"ads", B}, {"adv", B}, {"advert", B}, {"advertisement", B},
    {"advertising", B}, {"adsense", B}, {"adsbygoogle", B}, {"adslot", B},
    {"adunit", B}, {"dfp", B}, {"werbung", B}, {"anzeige", B}, {"pub", B},
    {"publicite", B}, {"publicidad", B}, {"publicidade", B}, {"pubblicita", B},
    {"reklama", B}, {"advertentie", B}, {"reclame", B},
    // sharing / social
    {"share", B}, {"shares", B}, {"sharing", B}, {"sharebar", B}, {"social", B},
    {"socials", B}, {"follow", B}, {"teilen", B}, {"partage", B}, {"partager", B},
    {"compartir", B}, {"compartilhar", B}, {"condividi", B}, {"delen", B},
    {"facebook", B}, {"twitter", B}, {"whatsapp", B}, {"pinterest", B}, {"linkedin", B},
    // related / recommended
    {"related", R}, {"recommended", R}, {"recommendations", R}, {"recommend", R},
    {"trending", R}, {"popular", R}, {"mostpopular", R}, {"mostread", R},
    {"more", R}, {"morestories", R}, {"readmore", R}, {"also", R}, {"similar", R},
    {"verwandte", R}, {"weitere", R}, {"empfehlungen", R}, {"lies", R}, {"similaires", R},
    {"relacionados", R}, {"relacionadas", R}, {"correlati", R}, {"powiazane", R},
    {"gerelateerd", R}, {"next", R}, {"prev", R}, {"previous", R},
    // overlays
    {"cookie", K}, {"cookies", K}, {"consent", K}, {"gdpr", K}, {"privacy", K},
    {"newsletter", K}, {"subscribe", K}, {"subscription", K},
    {"popup", K}, {"modal", K}, {"overlay", K}, {"dialog", K}, {"lightbox", K},
    {"datenschutz", K},
    // comments
    {"comment", C}, {"comments", C}, {"commentlist", C}, {"disqus", C},
    {"respond", C}, {"reply", C}, {"replies", C}, {"discussion", C},
    {"kommentar", C}, {"kommentare", C}, {"commentaire", C}, {"commentaires", C},
    {"comentario", C}, {"comentarios", C}, {"commenti", C}, {"komentarze", C},
    {"komentarz", C}, {"reacties", C}, {"responses", C}, {"review", V}, {"reviews", V},
    // genre words that contain a hint word but are content
    {"commentary", 0}, {"commented", 0}, {"commentable", 0}, {"kommentare-anzeigen", 0}, {"sharedcontent", 0},
    // meta (byline, dates, tags): weak
    {"meta", M}, {"byline", M}, {"dateline", M}, {"date", M}, {"author", M},
    {"tags", M}, {"tag", M}, {"tagcloud", M}, {"category", M}, {"categories", M},
    {"caption", M}, {"credit", M}, {"credits", M}, {"info", M},
    // content
    {"article", P}, {"articlebody", P}, {"content", P}, {"entry", P}, {"hentry", P},
    {"main", P}, {"post", P}, {"text", P}, {"body", P}, {"blog", P}, {"story", P},
    {"prose", P}, {"artikel", P}, {"inhalt", P}, {"beitrag", P}, {"contenu", P},
    {"contenido", P}, {"texto", P}, {"tekst", P}, {"testo", P}, {"conteudo", P},
    {"richtext", P}, {"postbody", P}, {"storybody", P}, {"entrycontent", P},
    // recipes: ingredients and steps are the content of a recipe page
    {"recipe", P}, {"ingredients", P}, {"ingredient", P}, {"instructions", P},
    {"zutaten", P}, {"zubereitung", P}, {"rezept", P}, {"ingredientes", P},
    {"ingredienti", P}, {"skladniki", P},
};

// Substrings looked for inside longer tokens ("sidebarleft", "commentlist").
constexpr Word kSubstrings[] = {
    {"sidebar", B}, {"navigation", B}, {"navbar", B}, {"breadcrumb", B},
    {"footer", B}, {"masthead", B}, {"advert", B}, {"sponsor", B}, {"widget", B},
    {"social", B}, {"sharing", B}, {"share", B}, {"promo", B},
    {"pagination", B}, {"menu", B}, {"related", R}, {"recommend", R},
    {"popular", R}, {"trending", R}, {"cookie", K}, {"consent", K},
    {"newsletter", K}, {"subscri", K}, {"popup", K}, {"modal", K},
    {"comment", C}, {"disqus", C}, {"kommentar", C}, {"comentario", C},
    {"byline", M}, {"article", P}, {"content", P},
};

// kTokens as an open-addressing table (built once): a token's lookup is a
// hash of its few bytes and one or two slots, not std::hash's and a node's
// (the lookups of names the memo has not seen were ~3% of `clean`).
class TokenTable {
 public:
  TokenTable() {
    for (const Word& w : kTokens) {
      size_t i = NameHash(w.word) & kMask;
      while (slots_[i].used && slots_[i].word != w.word) i = (i + 1) & kMask;
      slots_[i].used = true;
      slots_[i].word = w.word;
      slots_[i].flags |= w.flags;
    }
  }
  // Whether `token` is one of kTokens (some have no flags: "search",
  // "commentary"), and its flags.
  bool Find(std::string_view token, uint32_t* flags) const {
    for (size_t i = NameHash(token) & kMask;; i = (i + 1) & kMask) {
      const Slot& s = slots_[i];
      if (!s.used) return false;
      if (s.word == token) {
        *flags = s.flags;
        return true;
      }
    }
  }

 private:
  static constexpr size_t kSlots = 2048;  // > 2x the tokens
  static constexpr size_t kMask = kSlots - 1;
  static_assert(sizeof(kTokens) / sizeof(kTokens[0]) * 2 < kSlots, "grow kSlots");
  struct Slot {
    std::string_view word;
    uint32_t flags = 0;
    bool used = false;
  };
  Slot slots_[kSlots];
};

const TokenTable& Tokens() {
  static const TokenTable* table = new TokenTable();
  return *table;
}

// kSubstrings by their first byte: a token is scanned once, trying at each
// position only the words that start with its byte.
class SubstringIndex {
 public:
  SubstringIndex() {
    for (const Word& w : kSubstrings) by_first_[static_cast<unsigned char>(w.word[0])].push_back(&w);
  }
  uint32_t Flags(std::string_view token) const {
    uint32_t flags = 0;
    for (size_t i = 0; i < token.size(); ++i) {
      for (const Word* w : by_first_[static_cast<unsigned char>(token[i])]) {
        if (token.size() - i >= w->word.size() && token.compare(i, w->word.size(), w->word) == 0) flags |= w->flags;
      }
    }
    return flags;
  }

 private:
  std::vector<const Word*> by_first_[256];
};

uint32_t TokenHints(std::string_view token) {
  uint32_t f = 0;
  if (Tokens().Find(token, &f)) return f;
  if (token.size() < 5) return 0;
  static const SubstringIndex* substrings = new SubstringIndex();
  return substrings->Flags(token);
}

}  // namespace

namespace {

// Class names that carry taxonomy values ("tag-comments", "category-nav",
// "author-foo" in WordPress post classes) say nothing about the layout.
bool IsTaxonomyClass(std::string_view name) {
  // The prefixes by their first byte: most names start with none of them.
  static constexpr std::string_view kA[] = {"author-", "autor-"};
  static constexpr std::string_view kC[] = {"category-", "categories-", "cat-"};
  static constexpr std::string_view kE[] = {"especiales-"};
  static constexpr std::string_view kF[] = {"format-"};
  static constexpr std::string_view kH[] = {"has-"};
  static constexpr std::string_view kI[] = {"is-"};
  static constexpr std::string_view kL[] = {"label-"};
  static constexpr std::string_view kP[] = {"post-tag-", "postid-"};
  static constexpr std::string_view kR[] = {"rubrik-", "ressort-"};
  static constexpr std::string_view kS[] = {"status-", "section-"};
  static constexpr std::string_view kT[] = {"tag-", "tags-", "term-", "topic-", "type-", "tax-"};
  if (name.size() < 3) return false;  // every prefix is longer than 2 bytes
  auto any = [name](const auto& prefixes) {
    for (std::string_view p : prefixes) {
      if (name.size() > p.size() && name.substr(0, p.size()) == p) return true;
    }
    return false;
  };
  switch (name[0]) {
    case 'a': return any(kA);
    case 'c': return any(kC);
    case 'e': return any(kE);
    case 'f': return any(kF);
    case 'h': return any(kH);
    case 'i': return any(kI);
    case 'l': return any(kL);
    case 'p': return any(kP);
    case 'r': return any(kR);
    case 's': return any(kS);
    case 't': return any(kT);
    default: return false;
  }
}

uint32_t HintsFromOneName(std::string_view value);

// The hints of one white-space separated name: 0 for a taxonomy value or a
// slug of four or more words.
uint32_t NameHintsUncached(std::string_view name) {
  // Its parts: '-' and '_' counted eight bytes at a time, up to the fourth
  // part (the rest of a long slug is not read).
  unsigned parts = 1;
  size_t i = 0;
  for (; i + 8 <= name.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, name.data() + i, 8);
    parts += swar::CountMarked(swar::EqualBytes(w, '-') | swar::EqualBytes(w, '_'));
    if (parts >= 4) return 0;
  }
  for (; i < name.size(); ++i) parts += (name[i] == '-' || name[i] == '_');
  if (parts >= 4 || IsTaxonomyClass(name)) return 0;
  return HintsFromOneName(name);
}

}  // namespace

uint64_t NameHash(std::string_view v) {
  // 8 bytes a step, multiply-xorshift (names are short: "col-md-6").
  uint64_t h = 0x9E3779B97F4A7C15ull ^ v.size();
  size_t i = 0;
  for (; i + 8 <= v.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, v.data() + i, 8);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 29;
  }
  if (i < v.size()) {
    // The last 1..7 bytes, without a call to memcpy of a variable size:
    // the word ending at the last byte shifted down (a name of 8 bytes or
    // more), two overlapping 4-byte words (4..7 bytes), or the first,
    // middle and last bytes (1..3: all of them, the length being mixed in).
    const size_t rest = v.size() - i;
    const char* p = v.data();
    uint64_t w;
    if (i > 0) {
      std::memcpy(&w, p + v.size() - 8, 8);
      w >>= 8 * (8 - rest);
    } else if (rest >= 4) {
      uint32_t lo, hi;
      std::memcpy(&lo, p, 4);
      std::memcpy(&hi, p + rest - 4, 4);
      w = lo | (static_cast<uint64_t>(hi) << (8 * (rest - 4)));
    } else {
      w = static_cast<unsigned char>(p[0]) | (static_cast<uint64_t>(static_cast<unsigned char>(p[rest / 2])) << 8) |
          (static_cast<uint64_t>(static_cast<unsigned char>(p[rest - 1])) << 16);
    }
    h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
  }
  h ^= h >> 32;
  h *= 0x94D049BB133111EBull;
  return h ^ (h >> 29);
}

namespace {

// NameHintsUncached memoised per thread: the same names ("row", "col-md-6",
// "entry-content") recur on every element and every page of a site, and a
// name's hints depend on the name alone. An open-addressing table of 16-byte
// slots (a hash tag, the hints, the name's place in one string of names):
// a lookup touches one slot and the name's bytes, not a bucket, a node and
// the next node of a std::unordered_map (3 cache misses: 5% of `clean` on
// scrapinghub). Bounded: cleared when it holds kMemoMax names or
// kMemoMaxBytes of them. The same table memoises whole class and id values
// (ValueHints): a value recurs on the elements of a page and on the pages
// of a site as a name does.
constexpr size_t kMemoMax = 1 << 15;
constexpr size_t kMemoMaxBytes = 1 << 22;

template <uint32_t (*kCompute)(std::string_view), bool kWithFnv = false>
class Memo {
 public:
  // `fnv` (kWithFnv only; may be null): set to Fnv1a64(name), kept with the
  // name so that a name met again is not hashed byte by byte again
  // (site_template.cc's keys take the FNV of every element's class value).
  // Computed on the first call that asks: 0 in the table is "not yet".
  uint32_t Hints(std::string_view name, uint64_t* fnv = nullptr) { return Hints(name, NameHash(name), fnv); }
  // The same with h = NameHash(name), which the caller has.
  uint32_t Hints(std::string_view name, uint64_t h, uint64_t* fnv) {
    const uint32_t tag = static_cast<uint32_t>(h >> 32) | 1;  // 0 = an empty slot
    size_t mask = slots_.size() - 1;
    for (size_t i = Home(tag) & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.tag == 0) break;
      if (s.tag == tag && s.len == name.size() && std::memcmp(names_.data() + s.at, name.data(), name.size()) == 0) {
        if constexpr (kWithFnv) {
          if (fnv != nullptr) {
            if (fnvs_[i] == 0) fnvs_[i] = Fnv1a64(name);
            *fnv = fnvs_[i];
          }
        }
        return s.hints;
      }
    }
    const uint32_t hints = kCompute(name);
    if (count_ >= kMemoMax || names_.size() + name.size() > kMemoMaxBytes) Clear();
    if ((count_ + 1) * 2 > slots_.size()) Grow();
    mask = slots_.size() - 1;
    size_t i = Home(tag) & mask;
    while (slots_[i].tag != 0) i = (i + 1) & mask;
    slots_[i] = Slot{tag, hints, static_cast<uint32_t>(names_.size()), static_cast<uint32_t>(name.size())};
    if constexpr (kWithFnv) fnvs_[i] = fnv != nullptr ? (*fnv = Fnv1a64(name)) : 0;
    names_.append(name);
    ++count_;
    return hints;
  }

 private:
  struct Slot {
    uint32_t tag = 0;
    uint32_t hints = 0;
    uint32_t at = 0;   // in names_
    uint32_t len = 0;
  };
  // A name's first slot, from the hash bits its tag keeps (bits 33..63):
  // growing the table moves the slots without hashing the names again.
  static size_t Home(uint32_t tag) { return tag >> 1; }
  void Clear() {
    slots_.assign(kFirstSlots, Slot());
    if constexpr (kWithFnv) fnvs_.assign(kFirstSlots, 0);
    names_.clear();
    count_ = 0;
  }
  void Grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    std::vector<uint64_t> old_fnvs;
    if constexpr (kWithFnv) {
      old_fnvs.assign(slots_.size(), 0);
      old_fnvs.swap(fnvs_);
    }
    const size_t mask = slots_.size() - 1;
    for (size_t k = 0; k < old.size(); ++k) {
      const Slot& s = old[k];
      if (s.tag == 0) continue;
      size_t i = Home(s.tag) & mask;
      while (slots_[i].tag != 0) i = (i + 1) & mask;
      slots_[i] = s;
      if constexpr (kWithFnv) fnvs_[i] = old_fnvs[k];
    }
  }
  // A run's first pages meet most of its names: a table of this size does
  // not grow (moving every name) until it holds 8K of them.
  static constexpr size_t kFirstSlots = 1 << 14;
  std::vector<Slot> slots_ = std::vector<Slot>(kFirstSlots);
  std::vector<uint64_t> fnvs_ = std::vector<uint64_t>(kWithFnv ? kFirstSlots : 0);  // by slot
  std::string names_;
  size_t count_ = 0;
};

Memo<NameHintsUncached>& NameMemo() {
  thread_local Memo<NameHintsUncached> memo;
  return memo;
}

uint32_t NameHints(std::string_view name) { return NameMemo().Hints(name); }

// The separators of a value's names here: ' ', '\t' and '\n' (the tokenizer
// turns CR into LF). A byte table: one load and test a byte.
struct SpaceTable {
  bool space[256] = {};
  constexpr SpaceTable() {
    space[static_cast<unsigned char>(' ')] = true;
    space[static_cast<unsigned char>('\t')] = true;
    space[static_cast<unsigned char>('\n')] = true;
  }
};
constexpr SpaceTable kSpaces;

// The hints of a value's names, each on its own (n <= 1024 bytes).
uint32_t ValueHintsUncached(std::string_view value) {
  uint32_t flags = 0;
  size_t i = 0;
  const size_t n = value.size();
  const unsigned char* v = reinterpret_cast<const unsigned char*>(value.data());
  while (i < n) {
    while (i < n && kSpaces.space[v[i]]) ++i;
    size_t j = i;
    // The name's end: eight bytes at a time while none is a separator.
    for (; j + 8 <= n; j += 8) {
      uint64_t w;
      std::memcpy(&w, v + j, 8);
      const uint64_t sep = swar::EqualBytes(w, ' ') | swar::EqualBytes(w, '\t') | swar::EqualBytes(w, '\n');
      if (sep != 0) {
        j += static_cast<size_t>(__builtin_ctzll(sep)) / 8;
        break;
      }
    }
    while (j < n && !kSpaces.space[v[j]]) ++j;
    // A name of four or more words is a slug of a heading or title
    // ("sharing-with-a-single-developer"), not a layout name (NameHintsUncached).
    if (j > i) flags |= NameHints(value.substr(i, j - i));
    i = j;
  }
  return flags;
}

}  // namespace

uint32_t HintsFromClassName(std::string_view name) {
  if (name.empty()) return 0;
  return NameHints(name.substr(0, 1024));  // as HintsFromClassOrId cuts the value
}

uint32_t HintsFromClassName(std::string_view name, uint64_t hash) {
  if (name.empty() || name.size() > 1024) return HintsFromClassName(name);
  return NameMemo().Hints(name, hash, nullptr);
}

uint32_t HintsFromClassOrId(std::string_view value) { return HintsFromClassOrId(value, nullptr); }

uint32_t HintsFromClassOrId(std::string_view value, uint64_t* fnv) {
  // Only the first 1024 bytes count (and are memoised).
  if (value.empty()) {
    if (fnv != nullptr) *fnv = Fnv1a64(value);
    return 0;
  }
  thread_local Memo<ValueHintsUncached, true> memo;
  if (value.size() <= 1024) return memo.Hints(value, fnv);
  const uint32_t hints = memo.Hints(value.substr(0, 1024), nullptr);
  if (fnv != nullptr) *fnv = Fnv1a64(value);  // of the whole value
  return hints;
}

namespace {

uint32_t HintsFromOneName(std::string_view value) {
  // One pass: `joined` gets the name's letters and digits, lower-cased, and
  // its tokens (split at the other bytes and at camelCase boundaries) are
  // the pieces of `joined` between token starts, looked up as they end.
  uint32_t flags = 0;
  const size_t n = value.size() < 512 ? value.size() : 512;
  char joined_buf[512];  // n <= 512
  size_t joined_len = 0;
  size_t token_start = 0;
  size_t tokens = 0;
  bool prev_lower = false;
  auto flush = [&] {
    const size_t len = joined_len - token_start;
    if (len > 0) ++tokens;
    if (len > 0 && len < 64) flags |= TokenHints(std::string_view(joined_buf + token_start, len));
    token_start = joined_len;
  };
  for (size_t i = 0; i < n; ++i) {
    char c = value[i];
    if (c >= 'A' && c <= 'Z') {
      if (prev_lower) flush();  // camelCase boundary
      c = static_cast<char>(c - 'A' + 'a');
      prev_lower = false;
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      prev_lower = true;
    } else {
      flush();
      prev_lower = false;
      if (c == ' ') {
        // The joined forms are per white-space separated word.
        joined_buf[joined_len++] = ' ';
        token_start = joined_len;
      }
      continue;
    }
    joined_buf[joined_len++] = c;
  }
  flush();
  // Joined forms across separators ("sr-only", "screen-reader-text",
  // "visually-hidden", "read-more", "most-popular", "entry-content").
  if (n >= 4) {
    const std::string_view joined(joined_buf, joined_len);
    // A name that is one token (no separator, no camelCase boundary in
    // it) was looked up as that token already (TokenHints: its flags when
    // it is one of kTokens).
    const bool one_token = tokens == 1 && joined.size() < 64 && joined.find(' ') == std::string_view::npos;
    size_t start = 0;
    while (start < joined.size()) {
      size_t sp = joined.find(' ', start);
      if (sp == std::string::npos) sp = joined.size();
      std::string_view tok(joined.data() + start, sp - start);
      // Whole class names only: "hidden-xs" hides on phones, not on desktop.
      if (tok == "sronly" || tok == "visuallyhidden" || tok == "screenreadertext" ||
          tok == "screenreaderonly" || tok == "hidden" || tok == "hide" ||
          tok == "invisible" || tok == "offscreen" || tok == "dnone") {
        flags |= H;
      } else if (tok.size() >= 6 && !one_token) {
        uint32_t f = 0;
        if (Tokens().Find(tok, &f)) flags |= f;
      }
      start = sp + 1;
    }
  }
  return flags;
}

}  // namespace

uint32_t HintsFromRole(std::string_view role) {
  if (role.empty()) return 0;
  std::string r;
  for (char c : role) r.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  if (r == "navigation" || r == "menu" || r == "menubar" || r == "complementary" ||
      r == "contentinfo" || r == "banner" || r == "search" || r == "toolbar" ||
      r == "tablist") {
    return B;
  }
  if (r == "dialog" || r == "alertdialog") return K;
  if (r == "main" || r == "article") return P;
  return 0;
}

}  // namespace extract_internal
}  // namespace winnow
