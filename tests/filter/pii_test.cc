// PII masking: every kind, its near-misses, counts, options, bad input.
#include "winnow/pii.h"

#include <gtest/gtest.h>

#include <random>

#include "test_util.h"

namespace winnow {
namespace {

std::string Mask(const std::string& s, PiiCounts* c = nullptr) {
  return MaskPii(s, PiiOptions(), c);
}

void ExpectUnchanged(const std::string& s) {
  PiiCounts c;
  EXPECT_EQ(Mask(s, &c), s);
  EXPECT_EQ(c.total(), 0) << s;
}

TEST(Pii, Emails) {
  PiiCounts c;
  EXPECT_EQ(Mask("Contact john.doe+news@example.co.uk today.", &c), "Contact <EMAIL> today.");
  EXPECT_EQ(c.email, 1);
  EXPECT_EQ(Mask("Mail me at a_b-c@sub.example.org."), "Mail me at <EMAIL>.");
  EXPECT_EQ(Mask("x@y.io,z@w.fr"), "<EMAIL>,<EMAIL>");
  EXPECT_EQ(Mask("(info@test.com)"), "(<EMAIL>)");
}

TEST(Pii, EmailNearMisses) {
  ExpectUnchanged("root@localhost is the admin");  // no dot in the domain
  ExpectUnchanged("a@b");
  ExpectUnchanged("follow @winnow on social");
  ExpectUnchanged("meet me @ 5pm");
  ExpectUnchanged("user@example.c");               // one-letter TLD
  ExpectUnchanged("user@example.123");             // numeric TLD
  ExpectUnchanged("user@-bad-.com");
  ExpectUnchanged("user@example..com");
  ExpectUnchanged("@@@ . @");
}

TEST(Pii, Ipv4) {
  PiiCounts c;
  EXPECT_EQ(Mask("Server 192.168.0.1 is down, try 8.8.8.8.", &c),
            "Server <IP_ADDRESS> is down, try <IP_ADDRESS>.");
  EXPECT_EQ(c.ip_address, 2);
  EXPECT_EQ(Mask("(10.0.0.255)"), "(<IP_ADDRESS>)");
}

TEST(Pii, Ipv4NearMisses) {
  ExpectUnchanged("version 1.2.3.4.5 released");
  ExpectUnchanged("v1.2.3.4");
  ExpectUnchanged("256.1.1.1");
  ExpectUnchanged("1.2.3");
  ExpectUnchanged("pi is 3.14, e is 2.71");
  ExpectUnchanged("date 2023.11.29 and 29.11.2023");
  ExpectUnchanged("01.02.03.04");
  ExpectUnchanged("1.2.3.4a");
}

TEST(Pii, Ipv6) {
  PiiCounts c;
  EXPECT_EQ(Mask("host 2001:0db8:85a3:0000:0000:8a2e:0370:7334 up", &c), "host <IP_ADDRESS> up");
  EXPECT_EQ(Mask("link fe80::1ff:fe23:4567:890a, loop ::1 and 2001:db8::1.", &c),
            "link <IP_ADDRESS>, loop ::1 and <IP_ADDRESS>.");
  EXPECT_EQ(c.ip_address, 3);
}

TEST(Pii, Ipv6NearMisses) {
  ExpectUnchanged("at 12:30:45 sharp");
  ExpectUnchanged("MAC 00:1A:2B:3C:4D:5E");
  ExpectUnchanged("std::string and a::b and dead::beef");
  ExpectUnchanged("1:2:3:4:5:6:7:8:9");
  ExpectUnchanged("1::2::3");
  ExpectUnchanged("12345::1");
  ExpectUnchanged("Note: see chapter 3");
}

TEST(Pii, Phones) {
  PiiCounts c;
  EXPECT_EQ(Mask("Call +33 1 42 68 53 00 now", &c), "Call <PHONE> now");
  EXPECT_EQ(Mask("US: +1 (555) 123-4567.", &c), "US: <PHONE>.");
  EXPECT_EQ(Mask("+44 20 7946 0958, +49-30-1234567", &c), "<PHONE>, <PHONE>");
  EXPECT_EQ(Mask("tel:+81.3.1234.5678", &c), "tel:<PHONE>");
  EXPECT_EQ(c.phone, 5);
}

TEST(Pii, PhoneNearMisses) {
  ExpectUnchanged("+5 points");
  ExpectUnchanged("growth of +2.5% and +20 000 visitors");
  ExpectUnchanged("call 555-1234");
  ExpectUnchanged("+1234567890123456789");  // more than 15 digits
  ExpectUnchanged("a+1 555 123 4567");       // glued to a word
  ExpectUnchanged("+0 12 34 56 78 90");
}

TEST(Pii, Cards) {
  PiiCounts c;
  EXPECT_EQ(Mask("card 4111 1111 1111 1111 exp", &c), "card <CARD_NUMBER> exp");
  EXPECT_EQ(Mask("4111-1111-1111-1111; 4111111111111111.", &c), "<CARD_NUMBER>; <CARD_NUMBER>.");
  EXPECT_EQ(Mask("amex 3782 822463 10005", &c), "amex <CARD_NUMBER>");
  EXPECT_EQ(Mask("mc 5555555555554444", &c), "mc <CARD_NUMBER>");
  EXPECT_EQ(c.card_number, 5);
}

TEST(Pii, CardNearMisses) {
  ExpectUnchanged("card 4111 1111 1111 1112");  // Luhn fails
  ExpectUnchanged("4111111111111112");
  ExpectUnchanged("ISBN 978-3-16-148410-0");
  ExpectUnchanged("on 2023-11-29 at 10:00");
  ExpectUnchanged("0000 0000 0000 0000");
  ExpectUnchanged("9111111111111111");           // not an issuer range
  ExpectUnchanged("41111111111111111111111");    // too long
  ExpectUnchanged("id 4111111111111111x");
  ExpectUnchanged("1,234,567,890,123,456");
  ExpectUnchanged("411 11111 11111 111");        // first group not 4 digits
}

TEST(Pii, Luhn) {
  EXPECT_TRUE(LuhnValid("79927398713"));
  EXPECT_FALSE(LuhnValid("79927398710"));
  EXPECT_TRUE(LuhnValid("4111 1111 1111 1111"));
  EXPECT_FALSE(LuhnValid(""));
}

TEST(Pii, OptionsAndPlaceholders) {
  PiiOptions o;
  o.email = false;
  o.ip_placeholder = "[IP]";
  PiiCounts c;
  EXPECT_EQ(MaskPii("a@b.com at 10.1.2.3", o, &c), "a@b.com at [IP]");
  EXPECT_EQ(c.email, 0);
  EXPECT_EQ(c.ip_address, 1);
}

TEST(PiiStage, MasksEveryBlockAndCountsTheKeptOnes) {
  Document d = DocFromText("Write to jane@example.com or call +1 555 123 4567.\n"
                           "Paid with 4111 1111 1111 1111 from 192.168.1.20.\n"
                           "secret@example.com");
  d.blocks[2].keep = false;  // a dropped block: masked (output.blocks and
                             // output.dropped_lines write it), not counted
  auto s = MakeFilterStage("pii");
  s->Process(d);
  EXPECT_EQ(d.blocks[0].text, "Write to <EMAIL> or call <PHONE>.");
  EXPECT_EQ(d.blocks[1].text, "Paid with <CARD_NUMBER> from <IP_ADDRESS>.");
  EXPECT_EQ(d.blocks[2].text, "<EMAIL>");
  EXPECT_EQ(d.annotations.pii_counts["email"], 1);
  EXPECT_EQ(d.annotations.pii_counts["phone"], 1);
  EXPECT_EQ(d.annotations.pii_counts["card_number"], 1);
  EXPECT_EQ(d.annotations.pii_counts["ip_address"], 1);
  EXPECT_TRUE(d.decision.keep);
}

TEST(PiiStage, ConfigKeys) {
  Document d = DocFromText("jane@example.com 10.0.0.1");
  auto s = MakeFilterStage("pii", {{"ip", "false"}, {"placeholder.email", "[mail]"}});
  s->Process(d);
  EXPECT_EQ(d.blocks[0].text, "[mail] 10.0.0.1");
  EXPECT_EQ(d.annotations.pii_counts.count("ip_address"), 0u);

  StageRegistry r;
  RegisterFilterStages(&r);
  Config c;
  c.Set("pii.placeholder.phone", "<PHONE 1>");
  EXPECT_FALSE(r.Create("pii", c).ok());
}

TEST(Pii, RandomInputNeverCrashesAndCleanTextIsUntouched) {
  std::mt19937 rng(7);
  const char alphabet[] = "0123456789 .:-+@()abcdefXYZ\n\xC3\xA9";
  for (int iter = 0; iter < 2000; ++iter) {
    std::string s(rng() % 200, ' ');
    for (char& ch : s) ch = alphabet[rng() % (sizeof alphabet - 1)];
    PiiCounts c;
    std::string out = Mask(s, &c);
    if (c.total() == 0) EXPECT_EQ(out, s);
    else EXPECT_NE(out, s);
  }
  // A long digit run must stay linear.
  std::string digits(1 << 20, '7');
  EXPECT_EQ(Mask(digits), digits);
  std::string ats(1 << 20, '@');
  EXPECT_EQ(Mask(ats), ats);
}

// Issue 11 item 8: ordinary text that the scanners used to mask.
TEST(Pii, SectionNumbersAndVersionsAreNotIps) {
  // Outline numbers at the start of a line, with or without U+00A0.
  ExpectUnchanged("5.2.1.1. Dependencies: the Depends field");
  ExpectUnchanged("5.2.1.1.\u00a0Dependencies");
  ExpectUnchanged("  4.8.3.1) Positional-or-Keyword Arguments");
  // A parent number in the same text makes it an outline number anywhere.
  ExpectUnchanged("Contents: 4.8.3. Special parameters 4.8.3.1. Positional arguments");
  // A word naming a section or version before it, in several languages.
  ExpectUnchanged("see Section 9.5.3.72 and section\u00a014.3.4.1");
  ExpectUnchanged("Upgrade to version 10.2.3.4 now; Abschnitt 14.3.4.2; Раздел 14.3.4.1.");
  ExpectUnchanged("第 14.3.4.1 节");
  // Versions glued to a name or a tag, and dotted runs.
  ExpectUnchanged("libfoo-1.2.3.4 and 3.10.2.1-rc2 and 1.2.3.4.tar.gz");
  // Four numbers below 32 with three or more distinct values; netmasks.
  ExpectUnchanged("Python 3.11.4.1 and netmask 255.255.255.0");
  // Just over each rule: the same numbers where they are addresses.
  EXPECT_EQ(Mask("The server is 10.2.3.4. It answers."), "The server is <IP_ADDRESS>. It answers.");
  EXPECT_EQ(Mask("10.0.0.1 is the gateway"), "<IP_ADDRESS> is the gateway");
  EXPECT_EQ(Mask("resolvers 8.8.4.4, 1.1.1.1 and 4.2.2.2"),
            "resolvers <IP_ADDRESS>, <IP_ADDRESS> and <IP_ADDRESS>");
  EXPECT_EQ(Mask("IP\u00a0192.168.1.20\u00a0(LAN)"), "IP\u00a0<IP_ADDRESS>\u00a0(LAN)");
  EXPECT_EQ(Mask("Range 10.0.0.1-10.0.0.254 is for DHCP"),
            "Range <IP_ADDRESS>-<IP_ADDRESS> is for DHCP");
  EXPECT_EQ(Mask("netmask 255.255.255.0 on 255.255.255.1"),
            "netmask 255.255.255.0 on <IP_ADDRESS>");
}

TEST(Pii, EmailsNeedARealTldAndStopAtAGluedWord) {
  ExpectUnchanged("use retina@2x.png and icon@3x.webp on phones");
  ExpectUnchanged("report@final.pdf and lodash@4.17.21");
  ExpectUnchanged("/usr/local/bin/backup@daily.sh and dataset@v1.zip");  // TLDs that are file types
  EXPECT_EQ(Mask("Write maria@kowalska.pl or team@example.ai"), "Write <EMAIL> or <EMAIL>");
  EXPECT_EQ(Mask("at webmaster@ntia.doc.govGopher menu"), "at <EMAIL>Gopher menu");
  ExpectUnchanged("at webmaster@ntia.doc.govgopher menu");  // no TLD, no case change to split at
  EXPECT_EQ(Mask("Reply to o'brien@mail.ie or 'ann@x.org'"), "Reply to <EMAIL> or '<EMAIL>'");
  EXPECT_EQ(Mask("HELP@EXAMPLE.ORG"), "<EMAIL>");
}

TEST(Pii, PhonesNeedAPlausibleGrouping) {
  ExpectUnchanged("The sum +1 2 3 4 5 6 7 8 9 is a toy example.");
  ExpectUnchanged("+3 1 2 1 3 2 1 1 in eight rounds");
  // One single-digit group after the country code (Paris' area code) is fine,
  // two are not; a "(0)" trunk prefix is not counted.
  EXPECT_EQ(Mask("Call +33 1 42 68 53 00"), "Call <PHONE>");
  ExpectUnchanged("Call +33 1 4 68 53 00 22");
  EXPECT_EQ(Mask("Standard : +33 (0)1 23 45 67 89"), "Standard : <PHONE>");
}

TEST(Pii, FindPiiGivesTheMaskedRanges) {
  std::string s = "Mail a@example.com, call +44 20 7946 0958 from 10.0.0.1.";
  auto m = FindPii(s, PiiOptions());
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].kind, PiiKind::kEmail);
  EXPECT_EQ(s.substr(m[0].begin, m[0].end - m[0].begin), "a@example.com");
  EXPECT_EQ(m[1].kind, PiiKind::kPhone);
  EXPECT_EQ(s.substr(m[1].begin, m[1].end - m[1].begin), "+44 20 7946 0958");
  EXPECT_EQ(m[2].kind, PiiKind::kIpAddress);
  EXPECT_EQ(s.substr(m[2].begin, m[2].end - m[2].begin), "10.0.0.1");
  // Outline numbers over a long text stay linear (the parent-number lookup).
  std::string many;
  for (int i = 0; i < 20000; ++i) many += "192.168.1.1 ";
  PiiCounts c;
  Mask(many, &c);
  EXPECT_EQ(c.ip_address, 20000);
}

}  // namespace
}  // namespace winnow
