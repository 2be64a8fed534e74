// PII masking: finds e-mail addresses, IP addresses (v4 and v6),
// international phone numbers (+CC ...) and payment-card numbers (13-19
// digits passing the Luhn check) in text and replaces each with a placeholder
// for its kind.
//
// The scanners are hand-written single passes (no std::regex: it is an order
// of magnitude slower and can blow the stack on long inputs); each one is
// strict about its boundaries so that version numbers (1.2.3.4.5), dates,
// times and Luhn-failing digit runs are left alone. doc/filter.md lists the
// exact rules.
//
// Memory: MaskPii returns a new string; the input view is only read.
// Thread-safety: thread-safe.
#ifndef WINNOW_PII_H_
#define WINNOW_PII_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace winnow {

struct PiiOptions {
  bool email = true;
  bool ip = true;
  bool phone = true;
  bool card = true;
  std::string email_placeholder = "<EMAIL>";
  std::string ip_placeholder = "<IP_ADDRESS>";
  std::string phone_placeholder = "<PHONE>";
  std::string card_placeholder = "<CARD_NUMBER>";
};

struct PiiCounts {
  int64_t email = 0;
  int64_t ip_address = 0;
  int64_t phone = 0;
  int64_t card_number = 0;
  int64_t total() const { return email + ip_address + phone + card_number; }
};

enum class PiiKind { kEmail, kIpAddress, kPhone, kCardNumber };

// One address or number found: its kind and byte range [begin, end) in the text.
struct PiiMatch {
  PiiKind kind;
  size_t begin, end;
};

// The matches MaskPii replaces, as byte ranges of `text`, in text order,
// never overlapping. Kinds are looked for in the order e-mail, phone, card,
// IPv6, IPv4; what one kind found is not read by the later ones.
std::vector<PiiMatch> FindPii(std::string_view text, const PiiOptions& options);

// Returns `text` with every match replaced by its placeholder; adds the
// numbers of matches to *counts (which may be null).
std::string MaskPii(std::string_view text, const PiiOptions& options, PiiCounts* counts);

// True when the digits of `digits` (other characters ignored) pass the Luhn check.
bool LuhnValid(std::string_view digits);

}  // namespace winnow

#endif  // WINNOW_PII_H_
