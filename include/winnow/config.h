// Config: the settings of a run, as a flat map of dotted keys to values.
//
// A YAML file is flattened ("filter: {gopher_quality: {min_words: 50}}"
// becomes "filter.gopher_quality.min_words" = "50"; a sequence becomes its
// items joined by ','), and CLI flags use the same dotted names
// (--set filter.gopher_quality.min_words=50), so a setting has one name
// everywhere. Stages read their parameters with typed getters that take the
// default; every key and its default is declared in the settings table
// (winnow/settings.h), which validates a Config before a run reads it.
//
// A Config records which keys were read through it or through any Sub() or
// copy of it (ReadKeys(), full names), so that tests can check that every
// declared key is read and every read key is declared.
//
// Thread-safety: read-only after construction; concurrent reads are safe
// (the record of read keys has its own lock).
#ifndef WINNOW_CONFIG_H_
#define WINNOW_CONFIG_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
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

  bool Has(const std::string& key) const {
    NoteRead(key);
    return values_.count(key) != 0;
  }
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
  // The dotted prefix of this view ("filter.c4." for Sub("filter.c4")).
  const std::string& prefix() const { return prefix_; }
  // Full names of the keys read (Get*/Has) through this config, its copies and
  // its Sub() views, whether or not they were set.
  std::set<std::string> ReadKeys() const;

 private:
  struct ReadLog {
    std::mutex mu;
    std::set<std::string> keys;
  };
  void NoteRead(const std::string& key) const;

  std::map<std::string, std::string> values_;
  std::string prefix_;
  std::shared_ptr<ReadLog> read_ = std::make_shared<ReadLog>();
};

}  // namespace winnow

#endif  // WINNOW_CONFIG_H_
