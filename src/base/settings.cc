#include "winnow/settings.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace winnow {
namespace {

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  out.push_back(cur);
  return out;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::string Join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const std::string& i : items) {
    if (!out.empty()) out += sep;
    out += i;
  }
  return out;
}

bool PatternMatches(const std::string& pattern, const std::string& key) {
  std::vector<std::string> p = Split(pattern, '.'), k = Split(key, '.');
  if (p.size() != k.size()) return false;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] != "*" && p[i] != k[i]) return false;
    if (k[i].empty()) return false;
  }
  return true;
}

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      // A swap of two neighbours is one typo.
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev[j - 1]);  // approximates Damerau with one row
      }
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

bool ParseBool(const std::string& v, bool* out) {
  if (v == "true" || v == "yes" || v == "on" || v == "1") {
    *out = true;
    return true;
  }
  if (v == "false" || v == "no" || v == "off" || v == "0") {
    *out = false;
    return true;
  }
  return false;
}

// Parses all of `v` as a number into *d (with `integer`, a decimal int64):
// false when it is not one. *representable is false for an integer beyond
// int64's range.
bool ParseNumber(const std::string& v, bool integer, double* d, bool* representable) {
  if (v.empty()) return false;
  if (integer) {
    int64_t n = 0;
    auto r = std::from_chars(v.data(), v.data() + v.size(), n);
    if (r.ec == std::errc::invalid_argument || r.ptr != v.data() + v.size()) return false;
    *representable = r.ec != std::errc::result_out_of_range;
    *d = static_cast<double>(n);
    return true;
  }
  char* end = nullptr;
  *d = std::strtod(v.c_str(), &end);
  return *end == '\0';
}

}  // namespace

const char* SettingTypeName(SettingType t) {
  switch (t) {
    case SettingType::kBool: return "bool";
    case SettingType::kInt: return "int";
    case SettingType::kDouble: return "number";
    case SettingType::kString: return "string";
    case SettingType::kList: return "list";
    case SettingType::kPerLanguage: return "per-language";
  }
  return "?";
}

std::string FormatSettingNumber(double v) {
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buf[64];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back as v
  return std::string(buf, r.ptr);
}

std::string Setting::AllowedText() const {
  switch (type) {
    case SettingType::kBool:
      return "true or false";
    case SettingType::kInt:
    case SettingType::kDouble: {
      std::string what = type == SettingType::kInt ? "an integer" : "a number";
      bool lo = std::isfinite(min), hi = std::isfinite(max);
      if (lo && hi) return what + " in " + FormatSettingNumber(min) + ".." + FormatSettingNumber(max);
      if (lo) return what + " >= " + FormatSettingNumber(min);
      if (hi) return what + " <= " + FormatSettingNumber(max);
      return what;
    }
    case SettingType::kString:
      return choices.empty() ? "text" : "one of " + Join(choices, ", ");
    case SettingType::kList:
      return choices.empty() ? "a comma-separated list"
                             : "a comma-separated list of " + Join(choices, ", ");
    case SettingType::kPerLanguage:
      return "keys of the stage";
  }
  return "";
}

namespace {

// The fields every kind of setting has; the constructors below add the rest.
Setting MakeSetting(std::string name, SettingType type, std::string def, std::string doc) {
  Setting s;
  s.name = std::move(name);
  s.type = type;
  s.default_value = std::move(def);
  s.doc = std::move(doc);
  return s;
}

Setting NumberSetting(std::string name, SettingType type, std::string def, double min, double max,
                      std::string doc) {
  Setting s = MakeSetting(std::move(name), type, std::move(def), std::move(doc));
  s.min = min;
  s.max = max;
  return s;
}

}  // namespace

Setting BoolSetting(std::string name, bool def, std::string doc) {
  return MakeSetting(std::move(name), SettingType::kBool, def ? "true" : "false", std::move(doc));
}

Setting IntSetting(std::string name, int64_t def, double min, double max, std::string doc) {
  return NumberSetting(std::move(name), SettingType::kInt, std::to_string(def), min, max,
                       std::move(doc));
}

Setting DoubleSetting(std::string name, double def, double min, double max, std::string doc) {
  return NumberSetting(std::move(name), SettingType::kDouble, FormatSettingNumber(def), min, max,
                       std::move(doc));
}

Setting StringSetting(std::string name, std::string def, std::string doc,
                      std::vector<std::string> choices) {
  Setting s = MakeSetting(std::move(name), SettingType::kString, std::move(def), std::move(doc));
  s.choices = std::move(choices);
  return s;
}

Setting ListSetting(std::string name, const std::vector<std::string>& def, std::string doc,
                    std::vector<std::string> choices) {
  Setting s = MakeSetting(std::move(name), SettingType::kList, Join(def, ","), std::move(doc));
  s.choices = std::move(choices);
  return s;
}

void SettingsTable::Add(Setting s) {
  std::string name = s.name;
  settings_.emplace(std::move(name), std::move(s));
}

void SettingsTable::AddAll(const std::string& prefix, const std::vector<Setting>& settings) {
  for (Setting s : settings) {
    s.name = prefix.empty() ? s.name : prefix + "." + s.name;
    Add(std::move(s));
  }
}

const Setting* SettingsTable::Find(const std::string& key) const {
  auto it = settings_.find(key);
  if (it != settings_.end() && it->second.type != SettingType::kPerLanguage) return &it->second;
  for (const auto& [name, s] : settings_) {
    if (name.find('*') == std::string::npos) continue;
    if (s.type == SettingType::kPerLanguage) {
      // "<stage>.lang.*" governs "<stage>.lang.<code>.<key>" as "<stage>.<key>".
      const std::string base = name.substr(0, name.size() - 1);  // "<stage>.lang."
      if (key.size() <= base.size() || key.compare(0, base.size(), base) != 0) continue;
      size_t dot = key.find('.', base.size());
      if (dot == std::string::npos || dot == base.size()) continue;
      const std::string stage = name.substr(0, name.size() - 7);  // strip ".lang.*"
      const std::string inner = stage + "." + key.substr(dot + 1);
      if (key.substr(dot + 1) == "enabled") return nullptr;  // a stage runs for all or none
      const Setting* target = Find(inner);
      if (target && target->type != SettingType::kPerLanguage) return target;
      continue;
    }
    if (PatternMatches(name, key)) return &s;
  }
  return nullptr;
}

std::string SettingsTable::Nearest(const std::string& key) const {
  // A key is "group.name" (the group: everything before the last dot). A
  // typo in the group costs three times one in the name, so that
  // "input.lang" suggests another input.* key before a key of another
  // stage that happens to be fewer edits away ("dedup.bands").
  auto split = [](const std::string& k) {
    size_t dot = k.rfind('.');
    return dot == std::string::npos ? std::make_pair(std::string(), k)
                                    : std::make_pair(k.substr(0, dot), k.substr(dot + 1));
  };
  const auto [group, name] = split(key);
  std::string best;
  size_t best_score = static_cast<size_t>(-1), best_full = best_score;
  const std::vector<std::string> key_parts = Split(key, '.');
  for (const auto& [name, s] : settings_) {
    if (s.type == SettingType::kPerLanguage) continue;
    // A pattern is a candidate with its "*" segments taken from the key
    // ("filter.classifier.x.treshold" -> "filter.classifier.x.threshold").
    std::string known = name;
    if (name.find('*') != std::string::npos) {
      std::vector<std::string> parts = Split(name, '.');
      if (parts.size() != key_parts.size()) continue;
      for (size_t i = 0; i < parts.size(); ++i) {
        if (parts[i] == "*") parts[i] = key_parts[i];
      }
      known = Join(parts, ".");
    }
    const auto [g, n] = split(known);
    const size_t score = 3 * EditDistance(group, g) + EditDistance(name, n);
    const size_t full = EditDistance(key, known);
    if (score < best_score || (score == best_score && full < best_full)) {
      best_score = score;
      best_full = full;
      best = known;
    }
  }
  return best;
}

Status SettingsTable::CheckValue(const Setting& s, const std::string& key,
                                 const std::string& raw) const {
  const std::string v = Trim(raw);
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("setting " + key + "=" + raw + ": " + why + " (" + key +
                                   ": " + s.doc + "; default " +
                                   (s.default_value.empty() ? "none" : s.default_value) + ")");
  };
  switch (s.type) {
    case SettingType::kBool: {
      bool b;
      if (!ParseBool(v, &b)) return bad("expected true or false");
      break;
    }
    case SettingType::kInt:
    case SettingType::kDouble: {
      double d = 0;
      bool representable = true;
      if (!ParseNumber(v, s.type == SettingType::kInt, &d, &representable)) {
        return bad("expected " + s.AllowedText());
      }
      if (!representable || !std::isfinite(d) || d < s.min || d > s.max) {
        return bad("out of range: expected " + s.AllowedText());
      }
      break;
    }
    case SettingType::kString:
      if (!s.choices.empty() &&
          std::find(s.choices.begin(), s.choices.end(), v) == s.choices.end()) {
        return bad("expected " + s.AllowedText());
      }
      break;
    case SettingType::kList:
      if (!s.choices.empty()) {
        for (const std::string& item : Split(v, ',')) {
          std::string t = Trim(item);
          if (t.empty()) continue;
          // A choice may be a pattern ("filter.classifier.*": any instance).
          if (std::none_of(s.choices.begin(), s.choices.end(),
                           [&t](const std::string& c) { return c == t || PatternMatches(c, t); })) {
            return bad("'" + t + "' is not allowed; expected " + s.AllowedText());
          }
        }
      }
      break;
    case SettingType::kPerLanguage:
      return bad("a per-language key needs a language and a key: " + s.name.substr(0, s.name.size() - 1) +
                 "<code>.<key>");
  }
  if (s.check) {
    std::string why = s.check(v);
    if (!why.empty()) return bad(why);
  }
  return Status::Ok();
}

Status SettingsTable::Validate(const Config& config) const {
  for (const auto& [key, value] : config.values()) {
    const Setting* s = Find(key);
    if (!s) {
      std::string near = Nearest(key);
      return Status::InvalidArgument(
          "unknown setting '" + key + "'" +
          (near.empty() ? "" : "; did you mean '" + near + "'?") +
          " (`winnow config` lists every setting)");
    }
    Status st = CheckValue(*s, key, value);
    if (!st.ok()) return st;
  }
  return Status::Ok();
}

std::vector<const Setting*> SettingsTable::List() const {
  std::vector<const Setting*> out;
  for (const auto& [name, s] : settings_) out.push_back(&s);
  return out;
}

std::string SettingsTable::ToText(const std::string& prefix) const {
  std::ostringstream out;
  for (const auto& [name, s] : settings_) {
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    std::string shown = name;
    if (s.type == SettingType::kPerLanguage) {
      shown = name.substr(0, name.size() - 1) + "<code>.<key>";
    }
    out << shown << "  (" << SettingTypeName(s.type) << ", default "
        << (s.default_value.empty() ? "none" : s.default_value);
    if (s.type != SettingType::kBool && s.type != SettingType::kPerLanguage &&
        (s.type != SettingType::kString || !s.choices.empty()) &&
        (s.type != SettingType::kList || !s.choices.empty())) {
      out << "; " << s.AllowedText();
    }
    out << ")\n    " << s.doc << "\n";
  }
  return out.str();
}

std::string SettingsTable::ToMarkdown() const {
  std::ostringstream out;
  out << "# Settings\n\n"
         "<!-- Generated from the settings table by `winnow config --format markdown`;\n"
         "     tests/cli checks that this file matches the table. Do not edit by hand. -->\n\n"
         "Every key winnow reads, with its type, default, allowed values and what it does.\n"
         "Set a key in a YAML file (`--config`), with `--set KEY=VALUE` or as `--KEY=VALUE`;\n"
         "an unknown key, a value of the wrong type or out of range stops the run with\n"
         "exit 2 and a message naming the key (and the nearest known key for a typo).\n"
         "`build/winnow config` prints this table.\n";
  std::string group;
  for (const auto& [name, s] : settings_) {
    std::string g = name.substr(0, name.find('.'));
    if (name.find('.') == std::string::npos) g = "(run)";
    if (g != group) {
      group = g;
      out << "\n## " << group << "\n\n| key | type | default | allowed | what it does |\n"
          << "|---|---|---|---|---|\n";
    }
    std::string shown = name;
    if (s.type == SettingType::kPerLanguage) shown = name.substr(0, name.size() - 1) + "<code>.<key>";
    std::string allowed = s.AllowedText();
    std::string doc = s.doc;
    auto esc = [](std::string t) {
      std::string r;
      for (char c : t) {
        if (c == '|') r += "\\|";
        else r.push_back(c);
      }
      return r;
    };
    out << "| `" << shown << "` | " << SettingTypeName(s.type) << " | "
        << (s.default_value.empty() ? "" : "`" + esc(s.default_value) + "`") << " | "
        << esc(allowed) << " | " << esc(doc) << " |\n";
  }
  return out.str();
}

}  // namespace winnow
