// PII scanners (see winnow/pii.h). Each kind is one pass that collects
// [begin, end) spans, then the spans are replaced; passes run e-mail, phone,
// card, IPv6, IPv4 so that an earlier kind's digits are gone before a later
// scanner could misread them. Placeholders contain no digits, '@' or ':'.
#include "winnow/pii.h"

#include <cstring>
#include <vector>

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
  return IsAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
inline bool IsDomainChar(char c) { return IsAlnum(c) || c == '.' || c == '-'; }

std::string Replace(std::string_view text, const std::vector<Span>& spans,
                    const std::string& placeholder) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  for (const Span& s : spans) {
    out.append(text.substr(pos, s.begin - pos));
    out += placeholder;
    pos = s.end;
  }
  out.append(text.substr(pos));
  return out;
}

// local@domain.tld: local part of [A-Za-z0-9._%+-], domain labels of
// [A-Za-z0-9-] not starting or ending with '-', at least one dot, a
// top-level domain of two or more letters.
void FindEmails(std::string_view s, std::vector<Span>* out) {
  size_t last_end = 0;
  for (size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', at + 1)) {
    if (at < last_end) continue;
    size_t b = at;
    while (b > last_end && IsLocalChar(s[b - 1])) --b;
    while (b < at && s[b] == '.') ++b;  // a local part does not start with '.'
    if (b == at || s[at - 1] == '.') continue;
    size_t e = at + 1;
    while (e < s.size() && IsDomainChar(s[e])) ++e;
    while (e > at + 1 && (s[e - 1] == '.' || s[e - 1] == '-')) --e;  // sentence end
    std::string_view domain = s.substr(at + 1, e - at - 1);
    if (domain.empty()) continue;
    // Validate labels.
    bool ok = true;
    size_t labels = 0, start = 0;
    std::string_view tld;
    while (start <= domain.size()) {
      size_t dot = domain.find('.', start);
      std::string_view label =
          domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
      if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
        ok = false;
        break;
      }
      ++labels;
      tld = label;
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
    if (!ok || labels < 2 || tld.size() < 2) continue;
    bool alpha_tld = true;
    for (char c : tld) alpha_tld &= IsAsciiAlpha(c);
    if (!alpha_tld) continue;
    out->push_back({b, e});
    last_end = e;
  }
}

// +CC followed by digit groups separated by one or two of " -.()";
// 8 to 15 digits in all (E.164 allows at most 15).
void FindPhones(std::string_view s, std::vector<Span>* out) {
  for (size_t p = s.find('+'); p != std::string_view::npos; p = s.find('+', p + 1)) {
    if (p > 0 && (IsWordByte(s[p - 1]) || s[p - 1] == '+')) continue;
    if (p + 1 >= s.size() || !IsDigit(s[p + 1]) || s[p + 1] == '0') continue;
    size_t i = p + 1, digits = 0, last_digit_end = p + 1;
    while (i < s.size()) {
      if (IsDigit(s[i])) {
        ++digits;
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
      i = j;
    }
    if (digits < 8 || digits > 15) continue;
    size_t e = last_digit_end;
    if (e < s.size() && (IsWordByte(s[e]))) continue;
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
  while (i < s.size()) {
    if (!IsDigit(s[i])) {
      ++i;
      continue;
    }
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

// IPv4: four decimal octets 0-255 without leading zeros, not part of a
// longer dotted or alphanumeric run (so 1.2.3.4.5 and v1.2.3.4 are not IPs).
void FindIpv4(std::string_view s, std::vector<Span>* out) {
  size_t i = 0;
  while (i < s.size()) {
    if (!IsDigit(s[i]) || (i > 0 && (IsWordByte(s[i - 1]) || s[i - 1] == '.'))) {
      ++i;
      continue;
    }
    size_t b = i, e = i;
    int octets = 0;
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
      ++octets;
      if (octets < 4) {
        if (e + 1 < s.size() && s[e] == '.' && IsDigit(s[e + 1])) {
          ++e;
        } else {
          ok = false;
          break;
        }
      }
    }
    // Skip the rest of this dotted run either way.
    size_t run_end = e;
    while (run_end < s.size() && (IsDigit(s[run_end]) || IsWordByte(s[run_end]) ||
                                  (s[run_end] == '.' && run_end + 1 < s.size() &&
                                   IsDigit(s[run_end + 1])))) {
      ++run_end;
    }
    if (ok && run_end == e) out->push_back({b, e});
    i = std::max(run_end, b + 1);
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

std::string RunPass(std::string text, Finder find, const std::string& placeholder,
                    int64_t* count) {
  std::vector<Span> spans;
  find(text, &spans);
  if (spans.empty()) return text;
  *count += static_cast<int64_t>(spans.size());
  return Replace(text, spans, placeholder);
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

std::string MaskPii(std::string_view text, const PiiOptions& o, PiiCounts* counts) {
  PiiCounts local;
  PiiCounts* c = counts ? counts : &local;
  // Cheap checks first: most text has no '@', '+', ':' or long digit runs.
  std::string out(text);
  if (o.email && out.find('@') != std::string::npos) {
    out = RunPass(std::move(out), FindEmails, o.email_placeholder, &c->email);
  }
  if (o.phone && out.find('+') != std::string::npos) {
    out = RunPass(std::move(out), FindPhones, o.phone_placeholder, &c->phone);
  }
  bool has_digit = out.find_first_of("0123456789") != std::string::npos;
  if (!has_digit) return out;
  if (o.card) out = RunPass(std::move(out), FindCards, o.card_placeholder, &c->card_number);
  if (o.ip) {
    out = RunPass(std::move(out), FindIpv6, o.ip_placeholder, &c->ip_address);
    if (out.find('.') != std::string::npos) {
      out = RunPass(std::move(out), FindIpv4, o.ip_placeholder, &c->ip_address);
    }
  }
  return out;
}

}  // namespace winnow
