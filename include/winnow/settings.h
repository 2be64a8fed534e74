// Settings: the one table of every config key winnow reads (name, type,
// default, allowed range, one-line doc), after duckdb's settings table and
// ripgrep's table of flags.
//
// Every key a stage, reader, writer or corpus step reads is declared once,
// next to the code that reads it: a stage passes its keys to
// StageRegistry::Register (names relative to the stage), the run-level keys
// (input.*, output.*, dedup.*, repeated_lines.*, threads...) are declared in
// src/pipeline/settings_table.cc. The table then feeds
//   - validation: SettingsTable::Validate turns an unknown key into an error
//     that names the nearest known key, and a value of the wrong type or out
//     of range into an error that names key, value and the allowed range;
//   - `winnow config`, `winnow clean --help`, doc/settings.md (generated from
//     the table and checked against it by a test) and the Python API
//     (winnow.settings()).
// Defaults are written as text, the way a user would write them in YAML; a
// stage builds them from its options struct (`Int("min_doc_words",
// d.min_doc_words, ...)` with `d` default-constructed) so that the number is
// written once.
//
// Thread-safety: SettingsTable::Global() is built once and read-only after;
// concurrent reads are safe.
#ifndef WINNOW_SETTINGS_H_
#define WINNOW_SETTINGS_H_

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "winnow/config.h"
#include "winnow/status.h"

namespace winnow {

enum class SettingType {
  kBool,    // true/false (also yes/no, on/off, 1/0)
  kInt,     // a whole number in [min, max]
  kDouble,  // a number in [min, max]
  kString,  // any text, or one of `choices`
  kList,    // comma-separated items (a YAML sequence); each one of `choices` if given
  // "<prefix>.<code>.<key>": any key of the same stage, for documents whose
  // language is <code> (the name of such an entry ends in ".*").
  kPerLanguage,
};

const char* SettingTypeName(SettingType t);

struct Setting {
  // Full dotted name ("filter.gopher_quality.min_doc_words"). A segment "*"
  // matches any one segment ("filter.gopher_quality.stop_words.*").
  std::string name;
  SettingType type = SettingType::kString;
  std::string default_value;  // as written in YAML; "" = none / empty
  double min = -std::numeric_limits<double>::infinity();  // kInt, kDouble: inclusive
  double max = std::numeric_limits<double>::infinity();
  std::vector<std::string> choices;  // kString, kList: allowed values (empty = any)
  std::string doc;                   // one line: what it does, units, where the default comes from
  // Extra check of a value's form (e.g. "2:0.2,3:0.18"); returns an error
  // message, or "" when the value is fine.
  std::function<std::string(const std::string& value)> check;

  // "an integer in 0..1000000", "one of reject, tag", ... for messages and docs.
  std::string AllowedText() const;
};

// Builders. Names are relative when passed to StageRegistry::Register.
Setting BoolSetting(std::string name, bool def, std::string doc);
Setting IntSetting(std::string name, int64_t def, double min, double max, std::string doc);
Setting DoubleSetting(std::string name, double def, double min, double max, std::string doc);
Setting StringSetting(std::string name, std::string def, std::string doc,
                      std::vector<std::string> choices = {});
Setting ListSetting(std::string name, const std::vector<std::string>& def, std::string doc,
                    std::vector<std::string> choices = {});
// How a number is written in a default ("0.1", "50", "1e+09").
std::string FormatSettingNumber(double v);

class SettingsTable {
 public:
  // Every built-in setting: the run-level keys and each registered stage's
  // keys (plus "<stage>.enabled"). Defined in src/pipeline/settings_table.cc.
  static const SettingsTable& Global();

  // REQUIRES: no setting of that name yet.
  void Add(Setting s);
  // Adds `settings` with names "<prefix>.<name>".
  void AddAll(const std::string& prefix, const std::vector<Setting>& settings);

  // The setting that governs `key` (exact name, "*" pattern, or a
  // per-language override of a stage key); null when none does.
  const Setting* Find(const std::string& key) const;
  // The known key nearest to `key` (edit distance, a typo in the group
  // before the last dot costing three times one in the last segment); ""
  // when the table is empty.
  std::string Nearest(const std::string& key) const;

  // Checks one value against its setting; an InvalidArgument that names key,
  // value and the allowed values.
  Status CheckValue(const Setting& s, const std::string& key, const std::string& value) const;
  // Checks every key of `config`: unknown keys ("unknown setting 'x'; did you
  // mean 'y'?"), wrong types and values out of range. The first error.
  Status Validate(const Config& config) const;

  // Every setting, sorted by name.
  std::vector<const Setting*> List() const;
  // A text table (`winnow config`) and a markdown page (doc/settings.md).
  // With `prefix`, only the settings whose name starts with it.
  std::string ToText(const std::string& prefix = "") const;
  std::string ToMarkdown() const;

 private:
  std::map<std::string, Setting> settings_;
};

}  // namespace winnow

#endif  // WINNOW_SETTINGS_H_
