#include "io/charset.h"

#include <uchardet/uchardet.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>

#include <cstring>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

#include "base/utf8.h"

namespace winnow::io {

namespace {

// The WHATWG Encoding Standard label table (https://encoding.spec.whatwg.org/#names-and-labels).
const std::unordered_map<std::string, std::string>& LabelTable() {
  static const auto* table = [] {
    auto* t = new std::unordered_map<std::string, std::string>();
    struct Row {
      const char* name;
      std::vector<const char*> labels;
    };
    const Row rows[] = {
        {"utf-8", {"unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"}},
        {"ibm866", {"866", "cp866", "csibm866", "ibm866"}},
        {"iso-8859-2", {"csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592", "iso_8859-2", "iso_8859-2:1987", "l2", "latin2"}},
        {"iso-8859-3", {"csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593", "iso_8859-3", "iso_8859-3:1988", "l3", "latin3"}},
        {"iso-8859-4", {"csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594", "iso_8859-4", "iso_8859-4:1988", "l4", "latin4"}},
        {"iso-8859-5", {"csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144", "iso8859-5", "iso88595", "iso_8859-5", "iso_8859-5:1988"}},
        {"iso-8859-6", {"arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic", "ecma-114", "iso-8859-6", "iso-8859-6-e", "iso-8859-6-i", "iso-ir-127", "iso8859-6", "iso88596", "iso_8859-6", "iso_8859-6:1987"}},
        {"iso-8859-7", {"csisolatingreek", "ecma-118", "elot_928", "greek", "greek8", "iso-8859-7", "iso-ir-126", "iso8859-7", "iso88597", "iso_8859-7", "iso_8859-7:1987", "sun_eu_greek"}},
        {"iso-8859-8", {"csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8", "iso-8859-8-e", "iso-ir-138", "iso8859-8", "iso88598", "iso_8859-8", "iso_8859-8:1988", "visual"}},
        {"iso-8859-8-i", {"csiso88598i", "iso-8859-8-i", "logical"}},
        {"iso-8859-10", {"csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10", "iso885910", "l6", "latin6"}},
        {"iso-8859-13", {"iso-8859-13", "iso8859-13", "iso885913"}},
        {"iso-8859-14", {"iso-8859-14", "iso8859-14", "iso885914"}},
        {"iso-8859-15", {"csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15", "l9"}},
        {"iso-8859-16", {"iso-8859-16"}},
        {"koi8-r", {"cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"}},
        {"koi8-u", {"koi8-ru", "koi8-u"}},
        {"macintosh", {"csmacintosh", "mac", "macintosh", "x-mac-roman"}},
        {"windows-874", {"dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874"}},
        {"windows-1250", {"cp1250", "windows-1250", "x-cp1250"}},
        {"windows-1251", {"cp1251", "windows-1251", "x-cp1251"}},
        {"windows-1252", {"ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252", "x-cp1252"}},
        {"windows-1253", {"cp1253", "windows-1253", "x-cp1253"}},
        {"windows-1254", {"cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599", "iso_8859-9", "iso_8859-9:1989", "l5", "latin5", "windows-1254", "x-cp1254"}},
        {"windows-1255", {"cp1255", "windows-1255", "x-cp1255"}},
        {"windows-1256", {"cp1256", "windows-1256", "x-cp1256"}},
        {"windows-1257", {"cp1257", "windows-1257", "x-cp1257"}},
        {"windows-1258", {"cp1258", "windows-1258", "x-cp1258"}},
        {"x-mac-cyrillic", {"x-mac-cyrillic", "x-mac-ukrainian"}},
        {"gbk", {"chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk", "iso-ir-58", "x-gbk"}},
        {"gb18030", {"gb18030"}},
        {"big5", {"big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"}},
        {"euc-jp", {"cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"}},
        {"iso-2022-jp", {"csiso2022jp", "iso-2022-jp"}},
        {"shift_jis", {"csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j", "x-sjis"}},
        {"euc-kr", {"cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949"}},
        {"replacement", {"csiso2022kr", "hz-gb-2312", "iso-2022-cn", "iso-2022-cn-ext", "iso-2022-kr", "replacement"}},
        {"utf-16be", {"unicodefffe", "utf-16be"}},
        {"utf-16le", {"csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le"}},
        {"x-user-defined", {"x-user-defined"}},
        // Names uchardet uses that the WHATWG table lacks.
        {"x-mac-cyrillic", {"mac-cyrillic", "maccyrillic"}},
        {"windows-874", {"tis620"}},
    };
    for (const Row& r : rows) {
      for (const char* l : r.labels) t->emplace(l, r.name);
    }
    return t;
  }();
  return *table;
}

// ICU converter names for the WHATWG encodings where they differ.
const char* IcuName(const std::string& enc) {
  static const std::map<std::string, const char*> kIcu = {
      {"gbk", "gb18030"},           // WHATWG decodes gbk with the gb18030 decoder
      {"euc-kr", "windows-949"},    // WHATWG's euc-kr is windows-949
      {"shift_jis", "windows-31j"}, // WHATWG's Shift_JIS is Microsoft's
      {"iso-8859-8-i", "iso-8859-8"},
      {"x-mac-cyrillic", "x-mac-cyrillic"},
      {"big5", "big5-hkscs"},
  };
  auto it = kIcu.find(enc);
  return it == kIcu.end() ? enc.c_str() : it->second;
}

bool IsSpace(unsigned char c) { return c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D || c == 0x20; }
unsigned char Lower(unsigned char c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

bool StartsWithNoCase(std::string_view s, size_t pos, std::string_view prefix) {
  if (s.size() - pos < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (Lower(static_cast<unsigned char>(s[pos + i])) != static_cast<unsigned char>(prefix[i])) return false;
  }
  return true;
}

// The WHATWG "get an attribute" step of the prescan. Returns false when
// there is no attribute (or the input ran out).
bool GetAttribute(std::string_view s, size_t* pos, std::string* name, std::string* value) {
  size_t p = *pos;
  name->clear();
  value->clear();
  while (p < s.size() && (IsSpace(s[p]) || s[p] == '/')) ++p;
  if (p >= s.size() || s[p] == '>') {
    *pos = p;
    return false;
  }
  for (;;) {
    if (p >= s.size()) {
    *pos = s.size();
    return false;
  }
    unsigned char c = s[p];
    if (c == '=' && !name->empty()) {
      ++p;
      goto value;
    }
    if (IsSpace(c)) break;
    if (c == '/' || c == '>') {
      *pos = p;
      return true;
    }
    name->push_back(static_cast<char>(Lower(c)));
    ++p;
  }
  while (p < s.size() && IsSpace(s[p])) ++p;
  if (p >= s.size()) {
    *pos = s.size();
    return false;
  }
  if (s[p] != '=') {
    *pos = p;
    return true;
  }
  ++p;
value:
  while (p < s.size() && IsSpace(s[p])) ++p;
  if (p >= s.size()) {
    *pos = s.size();
    return false;
  }
  if (s[p] == '"' || s[p] == '\'') {
    char quote = s[p];
    for (;;) {
      ++p;
      if (p >= s.size()) {
    *pos = s.size();
    return false;
  }
      if (s[p] == quote) {
        *pos = p + 1;
        return true;
      }
      value->push_back(static_cast<char>(Lower(s[p])));
    }
  }
  if (s[p] == '>') {
    *pos = p;
    return true;
  }
  value->push_back(static_cast<char>(Lower(s[p])));
  ++p;
  for (;;) {
    if (p >= s.size()) {
    *pos = s.size();
    return false;
  }
    unsigned char c = s[p];
    if (IsSpace(c) || c == '>') {
      *pos = p;
      return true;
    }
    value->push_back(static_cast<char>(Lower(c)));
    ++p;
  }
}

// "Extract a character encoding from a meta element" on a content value.
std::string CharsetFromMetaContent(std::string_view v) {
  size_t p = 0;
  for (;;) {
    size_t at = std::string_view::npos;
    for (size_t i = p; i + 7 <= v.size(); ++i) {
      if (StartsWithNoCase(v, i, "charset")) {
        at = i;
        break;
      }
    }
    if (at == std::string_view::npos) return "";
    p = at + 7;
    while (p < v.size() && IsSpace(v[p])) ++p;
    if (p >= v.size() || v[p] != '=') continue;
    ++p;
    while (p < v.size() && IsSpace(v[p])) ++p;
    if (p >= v.size()) return "";
    if (v[p] == '"' || v[p] == '\'') {
      size_t end = v.find(v[p], p + 1);
      if (end == std::string_view::npos) return "";
      return std::string(v.substr(p + 1, end - p - 1));
    }
    size_t end = p;
    while (end < v.size() && !IsSpace(v[end]) && v[end] != ';') ++end;
    return std::string(v.substr(p, end - p));
  }
}

struct ConverterCache {
  std::map<std::string, UConverter*> open;
  ~ConverterCache() {
    for (auto& [n, c] : open) {
      if (c != nullptr) ucnv_close(c);
    }
  }
  UConverter* Get(const std::string& name) {
    auto it = open.find(name);
    if (it != open.end()) return it->second;
    UErrorCode err = U_ZERO_ERROR;
    UConverter* c = ucnv_open(name.c_str(), &err);
    if (U_FAILURE(err)) c = nullptr;
    if (c != nullptr) {
      err = U_ZERO_ERROR;
      ucnv_setToUCallBack(c, UCNV_TO_U_CALLBACK_SUBSTITUTE, nullptr, nullptr, nullptr, &err);
    }
    open[name] = c;
    return c;
  }
};

// Converts with ICU; false when ICU has no converter for `enc`.
bool Convert(const std::string& enc, std::string* data, uint64_t* replaced) {
  thread_local ConverterCache cache;
  UConverter* conv = cache.Get(IcuName(enc));
  if (conv == nullptr) return false;
  ucnv_reset(conv);
  std::vector<UChar> u16(data->size() + 16);
  UErrorCode err = U_ZERO_ERROR;
  int32_t n16 = ucnv_toUChars(conv, u16.data(), static_cast<int32_t>(u16.size()), data->data(),
                              static_cast<int32_t>(data->size()), &err);
  if (err == U_BUFFER_OVERFLOW_ERROR) {
    u16.resize(static_cast<size_t>(n16) + 16);
    err = U_ZERO_ERROR;
    ucnv_reset(conv);
    n16 = ucnv_toUChars(conv, u16.data(), static_cast<int32_t>(u16.size()), data->data(),
                        static_cast<int32_t>(data->size()), &err);
  }
  if (U_FAILURE(err)) return false;
  for (int32_t i = 0; i < n16; ++i) {
    if (u16[static_cast<size_t>(i)] == 0xFFFD) ++*replaced;
  }
  std::string out(static_cast<size_t>(n16) * 3 + 16, '\0');
  int32_t n8 = 0;
  int32_t subs = 0;
  err = U_ZERO_ERROR;
  u_strToUTF8WithSub(out.data(), static_cast<int32_t>(out.size()), &n8, u16.data(), n16, 0xFFFD, &subs, &err);
  if (U_FAILURE(err)) return false;
  out.resize(static_cast<size_t>(n8));
  *replaced += static_cast<uint64_t>(subs);
  data->swap(out);
  return true;
}

std::string Detect(std::string_view data) {
  uchardet_t ud = uchardet_new();
  if (ud == nullptr) return "";
  size_t n = std::min<size_t>(data.size(), 64 * 1024);
  std::string result;
  if (uchardet_handle_data(ud, data.data(), n) == 0) {
    uchardet_data_end(ud);
    const char* cs = uchardet_get_charset(ud);
    if (cs != nullptr) result = cs;
  }
  uchardet_delete(ud);
  return result;
}

}  // namespace

std::string EncodingForLabel(std::string_view label) {
  size_t b = 0, e = label.size();
  while (b < e && IsSpace(label[b])) ++b;
  while (e > b && IsSpace(label[e - 1])) --e;
  std::string key;
  key.reserve(e - b);
  for (size_t i = b; i < e; ++i) key.push_back(static_cast<char>(Lower(label[i])));
  auto it = LabelTable().find(key);
  return it == LabelTable().end() ? std::string() : it->second;
}

std::string CharsetFromContentType(std::string_view ct) {
  size_t p = 0;
  for (;;) {
    size_t semi = ct.find(';', p);
    if (semi == std::string_view::npos) return "";
    p = semi + 1;
    while (p < ct.size() && IsSpace(ct[p])) ++p;
    if (StartsWithNoCase(ct, p, "charset")) {
      size_t q = p + 7;
      while (q < ct.size() && IsSpace(ct[q])) ++q;
      if (q < ct.size() && ct[q] == '=') {
        ++q;
        while (q < ct.size() && IsSpace(ct[q])) ++q;
        size_t end = q;
        if (q < ct.size() && (ct[q] == '"' || ct[q] == '\'')) {
          char quote = ct[q++];
          end = ct.find(quote, q);
          if (end == std::string_view::npos) end = ct.size();
        } else {
          while (end < ct.size() && ct[end] != ';' && !IsSpace(ct[end])) ++end;
        }
        std::string out;
        for (size_t i = q; i < end; ++i) out.push_back(static_cast<char>(Lower(ct[i])));
        return out;
      }
    }
  }
}

std::string PrescanMetaCharset(std::string_view html, size_t limit) {
  std::string_view s = html.substr(0, std::min(limit, html.size()));
  std::string name, value;
  size_t p = 0;
  while (p < s.size()) {
    if (s[p] != '<') {
      ++p;
      continue;
    }
    if (s.compare(p, 4, "<!--") == 0) {
      size_t end = s.find("-->", p + 2);
      if (end == std::string_view::npos) return "";
      p = end + 3;
      continue;
    }
    if (StartsWithNoCase(s, p, "<meta") && p + 5 < s.size() &&
        (IsSpace(s[p + 5]) || s[p + 5] == '/')) {
      p += 6;
      std::vector<std::string> seen;
      bool got_pragma = false;
      int need_pragma = -1;  // -1 null, 0 false, 1 true
      std::string charset;
      for (;;) {
        if (!GetAttribute(s, &p, &name, &value)) break;
        bool dup = false;
        for (const auto& n : seen) dup = dup || n == name;
        if (dup) continue;
        seen.push_back(name);
        if (name == "http-equiv") {
          if (value == "content-type") got_pragma = true;
        } else if (name == "content") {
          if (charset.empty()) {
            std::string c = CharsetFromMetaContent(value);
            if (!c.empty()) {
              charset = EncodingForLabel(c);
              if (charset.empty()) charset = "?";  // unknown label: still "found"
              need_pragma = 1;
            }
          }
        } else if (name == "charset") {
          charset = EncodingForLabel(value);
          if (charset.empty()) charset = "?";
          need_pragma = 0;
        }
      }
      if (p >= s.size()) return "";  // ran out of input inside the tag: abort
      bool ok = need_pragma != -1 && !(need_pragma == 1 && !got_pragma) && !charset.empty() && charset != "?";
      if (ok) {
        if (charset == "utf-16le" || charset == "utf-16be") charset = "utf-8";
        if (charset == "x-user-defined") charset = "windows-1252";
        return charset;
      }
      ++p;
      continue;
    }
    if (p + 1 < s.size() && ((s[p + 1] >= 'a' && s[p + 1] <= 'z') || (s[p + 1] >= 'A' && s[p + 1] <= 'Z') ||
                             (s[p + 1] == '/' && p + 2 < s.size() &&
                              ((s[p + 2] >= 'a' && s[p + 2] <= 'z') || (s[p + 2] >= 'A' && s[p + 2] <= 'Z'))))) {
      while (p < s.size() && !IsSpace(s[p]) && s[p] != '>') ++p;
      while (GetAttribute(s, &p, &name, &value)) {
      }
      if (p >= s.size()) return "";
      ++p;
      continue;
    }
    if (s.compare(p, 2, "<!") == 0 || s.compare(p, 2, "</") == 0 || s.compare(p, 2, "<?") == 0) {
      size_t end = s.find('>', p + 1);
      if (end == std::string_view::npos) return "";
      p = end + 1;
      continue;
    }
    ++p;
  }
  return "";
}

DecodeInfo DecodeToUtf8(std::string* data, bool html, std::string_view declared, size_t prescan_limit) {
  DecodeInfo info;
  std::string_view d(*data);
  // 1. Byte-order mark.
  if (d.substr(0, 3) == "\xEF\xBB\xBF") {
    data->erase(0, 3);
    info.charset = "utf-8";
    info.evidence = "bom";
    info.replaced = RepairUtf8(data);
    return info;
  }
  if (d.substr(0, 2) == "\xFF\xFE" || d.substr(0, 2) == "\xFE\xFF") {
    info.charset = d[0] == '\xFF' ? "utf-16le" : "utf-16be";
    info.evidence = "bom";
    data->erase(0, 2);
    if (!Convert(info.charset, data, &info.replaced)) info.replaced += RepairUtf8(data);
    return info;
  }
  std::string label = declared.empty() ? std::string() : EncodingForLabel(declared);
  // 7-bit encodings whose bytes also pass as ASCII must be converted.
  bool seven_bit = label == "iso-2022-jp" || label == "utf-16le" || label == "utf-16be";
  // 2. Valid UTF-8 is UTF-8.
  if (!seven_bit && IsValidUtf8(d)) {
    info.charset = "utf-8";
    info.evidence = "utf8";
    return info;
  }
  // 2b. Mostly valid UTF-8 (a page cut inside a character, a few stray
  // bytes) is UTF-8 too: legacy text has no valid multi-byte sequences to
  // speak of. Needs 10 valid sequences per invalid one.
  if (!seven_bit) {
    uint64_t multibyte = 0, invalid = 0;
    CountUtf8(d, &multibyte, &invalid);
    if (multibyte >= 10 * invalid) {
      info.charset = "utf-8";
      info.evidence = "utf8";
      info.replaced = RepairUtf8(data);
      return info;
    }
  }
  // 3. HTTP header, 4. meta prescan, 5. detection, 6. default.
  if (!label.empty() && label != "replacement") {
    info.evidence = "http";
  } else {
    label.clear();
    if (html) {
      label = PrescanMetaCharset(d, prescan_limit);
      if (!label.empty()) info.evidence = "meta";
    }
    if (label.empty() || label == "replacement") {
      std::string detected = Detect(d);
      label = EncodingForLabel(detected);
      info.evidence = "detected";
      if (label.empty() || label == "replacement") {
        label = "windows-1252";
        info.evidence = "default";
      }
    }
  }
  info.charset = label;
  if (label == "utf-8" || !Convert(label, data, &info.replaced)) {
    info.replaced = RepairUtf8(data);
    if (label != "utf-8") info.charset = "utf-8";
  }
  // ICU output is valid UTF-8; the check is a cheap guarantee.
  info.replaced += RepairUtf8(data);
  return info;
}

}  // namespace winnow::io
