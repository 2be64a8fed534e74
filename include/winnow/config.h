// Config: the settings of a run, as a flat map of dotted keys to values.
//
// A YAML file is flattened ("filter: {gopher_quality: {min_words: 50}}"
// becomes "filter.gopher_quality.min_words" = "50"; a sequence becomes its
// items joined by ','), and CLI flags use the same dotted names
// (--set filter.gopher_quality.min_words=50), so a setting has one name
// everywhere. Stages read their parameters with typed getters that take the
// default; the defaults live next to the code that uses them and say where
// they come from.
//
// Thread-safety: read-only after construction; concurrent reads are safe.
#ifndef WINNOW_CONFIG_H_
#define WINNOW_CONFIG_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "winnow/status.h"

namespace winnow {

class Config {
 public:
  Config() = default;

  // Parses YAML text / a YAML file and merges it over the current values.
  Status MergeYamlText(const std::string& yaml_text);
  Status MergeYamlFile(const std::string& path);
  // "key=value"; REQUIRES: a '=' in the string.
  Status SetFromString(const std::string& key_equals_value);
  void Set(const std::string& key, const std::string& value) { values_[key] = value; }

  bool Has(const std::string& key) const { return values_.count(key) != 0; }
  std::string GetString(const std::string& key, const std::string& def) const;
  int64_t GetInt(const std::string& key, int64_t def) const;
  double GetDouble(const std::string& key, double def) const;
  bool GetBool(const std::string& key, bool def) const;
  // Comma-separated items, trimmed; `def` when the key is absent.
  std::vector<std::string> GetList(const std::string& key,
                                   const std::vector<std::string>& def) const;
  // A view of the keys under "prefix." with the prefix removed.
  Config Sub(const std::string& prefix) const;

  const std::map<std::string, std::string>& values() const { return values_; }

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace winnow

#endif  // WINNOW_CONFIG_H_
