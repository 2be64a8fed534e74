// PII scanners (see winnow/pii.h). Each kind is one pass that collects
// [begin, end) spans, then the spans are replaced; passes run e-mail, phone,
// card, IPv6, IPv4 so that an earlier kind's digits are gone before a later
// scanner could misread them. Placeholders contain no digits, '@' or ':'.
#include "winnow/pii.h"

#include <algorithm>
#include <cstring>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "filter/text_units.h"

namespace winnow {
namespace {

struct Span {
  size_t begin, end;
};

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiAlpha(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
inline bool IsAlnum(char c) { return IsDigit(c) || IsAsciiAlpha(c); }
inline bool IsHex(char c) { return IsDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }
// Bytes >= 0x80 are parts of non-ASCII letters: treat them as word characters
// so that "é192.168.0.1" is not split mid-word.
inline bool IsWordByte(char c) { return IsAlnum(c) || (static_cast<unsigned char>(c) >= 0x80); }
inline bool IsLocalChar(char c) {
  return IsAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\'';
}
inline bool IsDomainChar(char c) { return IsAlnum(c) || c == '.' || c == '-'; }

// Word characters around a candidate, decoded: letters, digits and marks
// are word characters; white space (also U+00A0 and the other Unicode
// spaces) and punctuation are not. ASCII takes the fast path.
bool IsWordCodePoint(int32_t cp) {
  if (cp < 0x80) return IsAlnum(static_cast<char>(cp));
  return !text_units::IsSpace(cp) && !text_units::IsPunct(cp);
}
bool WordBefore(std::string_view s, size_t i) {
  if (i == 0) return false;
  size_t start;
  return IsWordCodePoint(text_units::PrevCodePoint(s, i, &start));
}
bool WordAt(std::string_view s, size_t i) {
  if (i >= s.size()) return false;
  return IsWordCodePoint(NextCodePoint(s, &i));
}
bool SpaceAt(std::string_view s, size_t i) {
  if (i >= s.size()) return false;
  return text_units::IsSpace(NextCodePoint(s, &i));
}

// The top-level domains of the root zone (generated, see the script named
// in the file), looked up lower-cased.
const std::unordered_set<std::string_view>& Tlds() {
  static const auto* set = [] {
    static const char kList[] =
#include "filter/tld_list.inc"
        ;
    auto* out = new std::unordered_set<std::string_view>;
    std::string_view all(kList);
    size_t i = 0;
    while (i < all.size()) {
      size_t sp = all.find(' ', i);
      if (sp == std::string_view::npos) sp = all.size();
      if (sp > i) out->insert(all.substr(i, sp - i));
      i = sp + 1;
    }
    return out;
  }();
  return *set;
}
bool IsTld(std::string_view label) {
  if (label.size() < 2 || label.size() > 24) return false;
  char buf[24];
  for (size_t i = 0; i < label.size(); ++i) {
    char c = label[i];
    if (!IsAsciiAlpha(c)) return false;
    buf[i] = static_cast<char>(c | 0x20);
  }
  return Tlds().count(std::string_view(buf, label.size())) > 0;
}
// TLDs that are also common file extensions: "notes@v1.zip", "/bin/x@daily.sh".
bool IsFileExtensionTld(std::string_view tld) {
  static const char* kExt[] = {"ai", "cc", "java", "md", "mov", "pl", "ps", "py", "rs", "sh", "so", "zip"};
  std::string lower;
  for (char c : tld) lower.push_back(static_cast<char>(c | 0x20));
  for (const char* e : kExt) {
    if (lower == e) return true;
  }
  return false;
}

// local@domain.tld: local part of [A-Za-z0-9._%+'-] (not starting with '.'
// or '\''), domain labels of [A-Za-z0-9-] not starting or ending with '-',
// at least two labels, and a last label that is a real top-level domain (so
// "retina@2x.png" is not an address). A TLD glued to a capitalised next word
// ("...@ntia.doc.govGopher", pages whose blocks lost their spaces) ends the
// address at the TLD. Not addresses: a domain label "<digits>x" (image
// scales, "logo@2x.py"), and with a TLD that is also a file extension (zip,
// py, sh, md...) a local part right after '/' (a path) or a second-level
// label with fewer than three letters ("dataset@v1.zip").
void FindEmails(std::string_view s, std::vector<Span>* out) {
  size_t last_end = 0;
  for (size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', at + 1)) {
    if (at < last_end) continue;
    size_t b = at;
    while (b > last_end && IsLocalChar(s[b - 1])) --b;
    while (b < at && (s[b] == '.' || s[b] == '\'')) ++b;  // not at the start
    if (b == at || s[at - 1] == '.') continue;
    size_t e = at + 1;
    while (e < s.size() && IsDomainChar(s[e])) ++e;
    while (e > at + 1 && (s[e - 1] == '.' || s[e - 1] == '-')) --e;  // sentence end
    std::string_view domain = s.substr(at + 1, e - at - 1);
    if (domain.empty()) continue;
    // Validate labels.
    bool ok = true, scale_label = false;
    std::vector<std::string_view> labels;
    size_t start = 0;
    while (start <= domain.size()) {
      size_t dot = domain.find('.', start);
      std::string_view label =
          domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
      if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
        ok = false;
        break;
      }
      if (label.size() >= 2 && (label.back() | 0x20) == 'x' &&
          label.find_first_not_of("0123456789") == label.size() - 1) {
        scale_label = true;
      }
      labels.push_back(label);
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
    if (!ok || labels.size() < 2 || scale_label) continue;
    std::string_view tld = labels.back();
    if (!IsTld(tld)) {
      // "govGopher": a lower-case TLD, then an upper-case letter.
      size_t k = 0;
      while (k < tld.size() && tld[k] >= 'a' && tld[k] <= 'z') ++k;
      if (k < 2 || k == tld.size() || !(tld[k] >= 'A' && tld[k] <= 'Z') || !IsTld(tld.substr(0, k))) {
        continue;
      }
      e = static_cast<size_t>(tld.data() - s.data()) + k;
      tld = tld.substr(0, k);
    }
    if (IsFileExtensionTld(tld)) {
      if (b > 0 && (s[b - 1] == '/' || s[b - 1] == '\\')) continue;
      std::string_view sld = labels[labels.size() - 2];
      size_t letters = 0;
      for (char c : sld) letters += IsAsciiAlpha(c);
      if (letters < 3) continue;
    }
    out->push_back({b, e});
    last_end = e;
  }
}

// +CC followed by digit groups separated by one or two of " -.()";
// 8 to 15 digits in all (E.164 allows at most 15), and a plausible grouping:
// after the country code at most one group of a single digit (an area code
// such as Paris' "1"; a "(0)" trunk prefix is not counted), so that
// "+1 2 3 4 5 6 7 8 9" (a sum, a score list) is not a number.
void FindPhones(std::string_view s, std::vector<Span>* out) {
  for (size_t p = s.find('+'); p != std::string_view::npos; p = s.find('+', p + 1)) {
    if (p > 0 && (WordBefore(s, p) || s[p - 1] == '+')) continue;
    if (p + 1 >= s.size() || !IsDigit(s[p + 1]) || s[p + 1] == '0') continue;
    size_t i = p + 1, digits = 0, last_digit_end = p + 1;
    size_t groups = 0, single_digit_groups = 0, group_len = 0;
    size_t group_start = i;
    auto close_group = [&](size_t end) {
      if (group_len == 0) return;
      bool trunk = group_len == 1 && s[group_start] == '0' && group_start > 0 &&
                   s[group_start - 1] == '(' && end < s.size() && s[end] == ')';
      if (groups > 0 && group_len == 1 && !trunk) ++single_digit_groups;
      ++groups;
      group_len = 0;
    };
    while (i < s.size()) {
      if (IsDigit(s[i])) {
        if (group_len == 0) group_start = i;
        ++digits;
        ++group_len;
        ++i;
        last_digit_end = i;
        continue;
      }
      // Up to two separator characters, then a digit must follow.
      size_t j = i, seps = 0;
      while (j < s.size() && seps < 2 &&
             (s[j] == ' ' || s[j] == '-' || s[j] == '.' || s[j] == '(' || s[j] == ')')) {
        ++j, ++seps;
      }
      if (seps == 0 || j >= s.size() || !IsDigit(s[j])) break;
      close_group(i);
      i = j;
    }
    close_group(last_digit_end);
    if (digits < 8 || digits > 15 || single_digit_groups > 1) continue;
    size_t e = last_digit_end;
    if (WordAt(s, e)) continue;
    if (e + 1 < s.size() && (s[e] == '.' || s[e] == ',') && IsDigit(s[e + 1])) continue;
    out->push_back({p, e});
    p = e - 1;
  }
}

// 13-19 digits, optionally in groups separated by single spaces or dashes
// (then the first group has 4 digits and groups have 3-6), first digit 2-6
// (the issuer ranges of the big networks), not all one digit, Luhn valid.
void FindCards(std::string_view s, std::vector<Span>* out) {
  size_t i = 0;
  while ((i = text_units::NextAsciiDigit(s, i)) < s.size()) {
    size_t b = i;
    bool left_ok = b == 0 || !(IsWordByte(s[b - 1]) || s[b - 1] == '.' || s[b - 1] == ',' ||
                               s[b - 1] == '+' || s[b - 1] == '-' || s[b - 1] == '/');
    // Collect the candidate.
    std::string digits;
    std::vector<size_t> groups;
    size_t group = 0, e = i;
    char sep = 0;
    bool bad = false;
    while (e < s.size()) {
      if (IsDigit(s[e])) {
        digits.push_back(s[e]);
        ++group;
        ++e;
        continue;
      }
      if ((s[e] == ' ' || s[e] == '-') && e + 1 < s.size() && IsDigit(s[e + 1])) {
        if (sep && s[e] != sep) break;
        sep = s[e];
        groups.push_back(group);
        group = 0;
        ++e;
        continue;
      }
      break;
    }
    groups.push_back(group);
    i = e;
    if (!left_ok) continue;
    if (e < s.size() && (IsWordByte(s[e]) || ((s[e] == '.' || s[e] == ',' || s[e] == '/') &&
                                              e + 1 < s.size() && IsDigit(s[e + 1])))) {
      continue;
    }
    if (digits.size() < 13 || digits.size() > 19) continue;
    if (digits[0] < '2' || digits[0] > '6') continue;
    if (groups.size() > 1) {
      if (groups[0] != 4) bad = true;
      for (size_t g : groups) bad |= g < 3 || g > 6;
    }
    if (bad) continue;
    if (digits.find_first_not_of(digits[0]) == std::string::npos) continue;
    if (!LuhnValid(digits)) continue;
    out->push_back({b, e});
  }
}

// Words that name a numbered part of a text or a version, right before a
// number ("Section 5.2.1.1", "version 10.2.3.4", "第 14.3.4.1 节"), in the
// languages of the bundled sample and the big European ones. The structural
// rules below (outline numbering, glued versions, dotted runs) carry most
// cases in any language; this list catches the cross-references.
bool IsNumberingWord(std::string_view word) {
  static const auto* words = new std::unordered_set<std::string_view>{
      "section", "sections", "sect", "sec", "chapter", "chap", "ch", "part", "paragraph", "para",
      "clause", "article", "art", "appendix", "annex", "rule", "step", "item", "table", "figure",
      "fig", "version", "versions", "ver", "v", "release", "rel", "revision", "rev", "build",
      "patch", "update", "firmware", "kernel", "no", "nr", "§",
      "abschnitt", "kapitel", "teil", "absatz", "fassung", "chapitre", "partie", "sección",
      "seccion", "capítulo", "capitulo", "apartado", "versión", "seção", "secção", "versão",
      "sezione", "capitolo", "versione", "hoofdstuk", "sectie", "avsnitt", "luku", "kohta",
      "rozdział", "раздел", "глава", "пункт", "версия", "قسم", "第", "章", "节", "節", "項"};
  std::string lower;
  text_units::ToLower(word, &lower);
  return words->count(lower) > 0;
}

// The word that ends right before s[i) after white space and '§'/'#'.
std::string_view WordEndingBefore(std::string_view s, size_t i) {
  size_t e = i;
  while (e > 0) {
    size_t st;
    int32_t cp = text_units::PrevCodePoint(s, e, &st);
    if (!text_units::IsSpace(cp) && cp != '#') break;
    e = st;
  }
  size_t b = e;
  while (b > 0 && e - b < 48) {
    size_t st;
    int32_t cp = text_units::PrevCodePoint(s, b, &st);
    if (!IsWordCodePoint(cp) && cp != 0xA7) break;  // letters, digits, '§'
    b = st;
    if (cp >= 0x3000) break;  // CJK: one character is the word ("第")
  }
  return s.substr(b, e - b);
}

// The first character-word after s[i) and white space ("节" in "14.3.4.1 节").
std::string_view WordStartingAt(std::string_view s, size_t i) {
  while (i < s.size() && SpaceAt(s, i)) NextCodePoint(s, &i);
  size_t b = i;
  while (i < s.size() && i - b < 48) {
    size_t k = i;
    int32_t cp = NextCodePoint(s, &k);
    if (!IsWordCodePoint(cp)) break;
    i = k;
    if (cp >= 0x3000) break;
  }
  return s.substr(b, i - b);
}

// True when only white space precedes s[i) on its line.
bool AtLineStart(std::string_view s, size_t i) {
  while (i > 0) {
    if (s[i - 1] == '\n') return true;
    size_t st;
    if (!text_units::IsSpace(text_units::PrevCodePoint(s, i, &st))) return false;
    i = st;
  }
  return true;
}

// The three-part numbers of s that stand on their own ("4.8.3" in "4.8.3.
// Special parameters", not in "4.8.3.1"): the parents of outline numbers.
void ThreePartNumbers(std::string_view s, std::unordered_set<std::string_view>* out) {
  size_t p = 0;
  while (p < s.size()) {
    if (!IsDigit(s[p]) || (p > 0 && (IsDigit(s[p - 1]) || s[p - 1] == '.'))) {
      ++p;
      continue;
    }
    size_t e = p, dots = 0;
    while (e < s.size() && (IsDigit(s[e]) || (s[e] == '.' && e + 1 < s.size() && IsDigit(s[e + 1])))) {
      dots += s[e] == '.';
      ++e;
    }
    if (dots == 2) out->insert(s.substr(p, e - p));
    p = e;
  }
}

// 255.255.255.0 and the like: leading one bits, then zeros. Not an address.
bool IsNetmask(const int v[4]) {
  uint32_t x = (uint32_t(v[0]) << 24) | (uint32_t(v[1]) << 16) | (uint32_t(v[2]) << 8) | uint32_t(v[3]);
  if (v[0] != 255) return false;
  uint32_t inv = ~x;
  return (inv & (inv + 1)) == 0;  // ~x is 0...01...1
}

// Four numbers below 32 are a version or section number far more often than
// an address (they are 1 in 4096 of the address space): 5.2.1.1, 3.11.4.1,
// 14.3.4.1. Kept as addresses: the private and loopback nets 10/8 and 127/8,
// and quads of at most two distinct numbers (public resolvers are chosen to
// be memorable: 1.1.1.1, 8.8.4.4, 9.9.9.9, 4.2.2.2).
bool LooksLikeVersion(const int v[4]) {
  for (int k = 0; k < 4; ++k) {
    if (v[k] >= 32) return false;
  }
  if (v[0] == 10 || v[0] == 127) return false;
  std::set<int> distinct(v, v + 4);
  return distinct.size() > 2;
}

// IPv4: four decimal octets 0-255 without leading zeros, and not something
// else written the same way:
//  - part of a longer dotted or alphanumeric run (1.2.3.4.5, v1.2.3.4,
//    1.2.3.4.tar), or a version glued to a name or tag (libfoo-1.2.3.4,
//    1.2.3.4-rc2);
//  - an outline number: followed by '.' or ')' and a space ("5.2.1.1.
//    Dependencies") at the start of a line, or one whose parent number
//    ("5.2.1") appears in the same text;
//  - a netmask (255.255.255.0), or four numbers below 32 that are not
//    shaped like a well-known address (LooksLikeVersion);
//  - right after a word naming a section or version ("Section 9.5.3.72",
//    "version 10.2.3.4"), or before "节"/"章" ("第 14.3.4.1 节").
void FindIpv4(std::string_view s, std::vector<Span>* out) {
  std::unordered_set<std::string_view> parents;  // filled on the first candidate
  bool parents_done = false;
  size_t i = 0;
  while ((i = text_units::NextAsciiDigit(s, i)) < s.size()) {
    if (i > 0 && (s[i - 1] == '.' || WordBefore(s, i))) {
      ++i;
      continue;
    }
    size_t b = i, e = i, third_dot = 0;
    int octets = 0;
    int value_of[4] = {0, 0, 0, 0};
    bool ok = true;
    while (octets < 4) {
      size_t start = e;
      int value = 0;
      while (e < s.size() && IsDigit(s[e]) && e - start < 4) value = value * 10 + (s[e++] - '0');
      size_t len = e - start;
      if (len == 0 || len > 3 || value > 255 || (len > 1 && s[start] == '0')) {
        ok = false;
        break;
      }
      value_of[octets] = value;
      ++octets;
      if (octets < 4) {
        if (e + 1 < s.size() && s[e] == '.' && IsDigit(s[e + 1])) {
          if (octets == 3) third_dot = e;
          ++e;
        } else {
          ok = false;
          break;
        }
      }
    }
    // Skip the rest of this dotted run either way: digits, letters, a '.'
    // before a letter or digit, a '-' before a letter.
    size_t run_end = e;
    while (run_end < s.size()) {
      char c = s[run_end];
      bool next_alnum = run_end + 1 < s.size() && IsAlnum(s[run_end + 1]);
      bool next_alpha = run_end + 1 < s.size() && IsAsciiAlpha(s[run_end + 1]);
      if (static_cast<unsigned char>(c) >= 0x80) {  // a letter glued on, not U+00A0
        size_t k = run_end;
        if (!IsWordCodePoint(NextCodePoint(s, &k))) break;
        run_end = k;
        continue;
      }
      if (IsAlnum(c) || (c == '.' && next_alnum) || (c == '-' && next_alpha)) {
        ++run_end;
        continue;
      }
      break;
    }
    i = std::max(run_end, b + 1);
    if (!ok || run_end != e) continue;
    // A version glued to a name: "libfoo-1.2.3.4", "pkg_1.2.3.4".
    if (b >= 2 && (s[b - 1] == '-' || s[b - 1] == '_') && IsAsciiAlpha(s[b - 2])) continue;
    if (IsNetmask(value_of) || LooksLikeVersion(value_of)) continue;
    bool heading = e < s.size() && (s[e] == '.' || s[e] == ')') &&
                   (e + 1 == s.size() || SpaceAt(s, e + 1));
    if (heading && AtLineStart(s, b)) continue;
    if (!parents_done) {
      ThreePartNumbers(s, &parents);
      parents_done = true;
    }
    if (parents.count(s.substr(b, third_dot - b))) continue;
    if (IsNumberingWord(WordEndingBefore(s, b))) continue;
    std::string_view after = WordStartingAt(s, e);
    if (after == "节" || after == "節" || after == "章") continue;
    out->push_back({b, e});
  }
}

// IPv6: hex groups of 1-4 digits separated by ':'; eight groups, or fewer
// with exactly one "::"; at least two groups and one decimal digit (so
// "dead::beef" and C++'s "a::b" are left alone), not glued to other word
// characters. Times (12:30:45) and MAC addresses (6 groups) do not qualify.
void FindIpv6(std::string_view s, std::vector<Span>* out) {
  if (s.find(':') == std::string_view::npos) return;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (!(IsHex(c) || c == ':') ||
        (i > 0 && (IsWordByte(s[i - 1]) || s[i - 1] == ':' || s[i - 1] == '.'))) {
      ++i;
      continue;
    }
    size_t b = i, e = i;
    while (e < s.size() && (IsHex(s[e]) || s[e] == ':')) ++e;
    size_t run_end = e;
    // A single trailing ':' is punctuation ("address 2001:db8::1:"), "::" is not.
    if (e - b >= 2 && s[e - 1] == ':' && s[e - 2] != ':') --e;
    bool glued = run_end < s.size() &&
                 (IsWordByte(s[run_end]) ||
                  (s[run_end] == '.' && run_end + 1 < s.size() && IsDigit(s[run_end + 1])));
    i = run_end;
    if (glued) continue;
    std::string_view cand = s.substr(b, e - b);
    size_t dc = cand.find("::");
    if (dc != std::string_view::npos && cand.find("::", dc + 1) != std::string_view::npos) continue;
    if (cand.find(":::") != std::string_view::npos) continue;
    int groups = 0;
    bool ok = true, digit = false;
    size_t start = 0;
    while (start <= cand.size()) {
      size_t colon = cand.find(':', start);
      size_t end = colon == std::string_view::npos ? cand.size() : colon;
      size_t len = end - start;
      if (len > 4) ok = false;
      if (len > 0) ++groups;
      for (size_t k = start; k < end; ++k) digit |= IsDigit(cand[k]);
      if (colon == std::string_view::npos) break;
      start = colon + 1;
    }
    if (!ok || !digit || groups < 2) continue;
    bool compressed = dc != std::string_view::npos;
    if (compressed ? groups > 7 : groups != 8) continue;
    // Without "::", empty groups (leading/trailing single ':') are invalid.
    if (!compressed && (cand.front() == ':' || cand.back() == ':')) continue;
    out->push_back({b, e});
  }
}

using Finder = void (*)(std::string_view, std::vector<Span>*);

// Runs one kind's scanner over `work` and blanks what it found (with a byte
// that is neither a word character, a digit nor a separator, as the
// placeholder's '<' and '>' will be), so that later kinds do not read it.
void RunPass(std::string* work, Finder find, PiiKind kind, std::vector<PiiMatch>* out) {
  std::vector<Span> spans;
  find(*work, &spans);
  for (const Span& sp : spans) {
    out->push_back({kind, sp.begin, sp.end});
    std::fill(work->begin() + static_cast<std::ptrdiff_t>(sp.begin),
              work->begin() + static_cast<std::ptrdiff_t>(sp.end), '\x1f');
  }
}

}  // namespace

bool LuhnValid(std::string_view digits) {
  int sum = 0, n = 0;
  bool dbl = false;
  for (size_t k = digits.size(); k-- > 0;) {
    char c = digits[k];
    if (!IsDigit(c)) continue;
    int d = c - '0';
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
    ++n;
  }
  return n > 0 && sum % 10 == 0;
}

std::vector<PiiMatch> FindPii(std::string_view text, const PiiOptions& o) {
  std::vector<PiiMatch> found;
  // Cheap checks first: most text has no '@', '+', ':' or long digit runs.
  bool at = o.email && text.find('@') != std::string_view::npos;
  bool plus = o.phone && text.find('+') != std::string_view::npos;
  // (A plain loop: find_first_of calls memchr on the set once per byte.)
  bool digit = (o.card || o.ip) &&
               std::any_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!at && !plus && !digit) return found;
  std::string work(text);
  if (at) RunPass(&work, FindEmails, PiiKind::kEmail, &found);
  if (plus) RunPass(&work, FindPhones, PiiKind::kPhone, &found);
  if (digit && o.card) RunPass(&work, FindCards, PiiKind::kCardNumber, &found);
  if (digit && o.ip) {
    RunPass(&work, FindIpv6, PiiKind::kIpAddress, &found);
    if (work.find('.') != std::string::npos) RunPass(&work, FindIpv4, PiiKind::kIpAddress, &found);
  }
  std::sort(found.begin(), found.end(),
            [](const PiiMatch& x, const PiiMatch& y) { return x.begin < y.begin; });
  return found;
}

std::string MaskPii(std::string_view text, const PiiOptions& o, PiiCounts* counts) {
  std::vector<PiiMatch> found = FindPii(text, o);
  if (found.empty()) return std::string(text);
  PiiCounts local;
  PiiCounts* c = counts ? counts : &local;
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  for (const PiiMatch& m : found) {
    out.append(text.substr(pos, m.begin - pos));
    switch (m.kind) {
      case PiiKind::kEmail: out += o.email_placeholder, ++c->email; break;
      case PiiKind::kIpAddress: out += o.ip_placeholder, ++c->ip_address; break;
      case PiiKind::kPhone: out += o.phone_placeholder, ++c->phone; break;
      case PiiKind::kCardNumber: out += o.card_placeholder, ++c->card_number; break;
    }
    pos = m.end;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace winnow
