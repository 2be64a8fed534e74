#include "winnow/config.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace winnow {
namespace {

void Flatten(const YAML::Node& node, const std::string& prefix,
             std::map<std::string, std::string>* out) {
  if (node.IsMap()) {
    for (const auto& kv : node) {
      std::string key = kv.first.as<std::string>();
      Flatten(kv.second, prefix.empty() ? key : prefix + "." + key, out);
    }
  } else if (node.IsSequence()) {
    std::string joined;
    for (const auto& item : node) {
      if (!joined.empty()) joined += ",";
      joined += item.IsScalar() ? item.as<std::string>() : std::string();
    }
    (*out)[prefix] = joined;
  } else if (node.IsScalar()) {
    (*out)[prefix] = node.as<std::string>();
  } else if (node.IsNull() && !prefix.empty()) {
    (*out)[prefix] = "";
  }
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace

Status Config::MergeYamlText(const std::string& yaml_text) {
  try {
    YAML::Node root = YAML::Load(yaml_text);
    if (!root.IsNull() && !root.IsMap()) {
      return Status::InvalidArgument("config: the top level must be a mapping of keys to values");
    }
    Flatten(root, "", &values_);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(std::string("config: YAML error: ") + e.what());
  }
  return Status::Ok();
}

Status Config::MergeYamlFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("config file " + path + " cannot be opened");
  std::stringstream ss;
  ss << in.rdbuf();
  Status s = MergeYamlText(ss.str());
  if (!s.ok()) return Status::InvalidArgument(path + ": " + s.message());
  return s;
}

Status Config::SetFromString(const std::string& kv) {
  size_t eq = kv.find('=');
  if (eq == std::string::npos || eq == 0) {
    return Status::InvalidArgument("setting '" + kv + "' is not of the form key=value");
  }
  values_[Trim(kv.substr(0, eq))] = Trim(kv.substr(eq + 1));
  return Status::Ok();
}

std::string Config::GetString(const std::string& key, const std::string& def) const {
  NoteRead(key);
  auto it = values_.find(key);
  return it == values_.end() ? def : it->second;
}

int64_t Config::GetInt(const std::string& key, int64_t def) const {
  NoteRead(key);
  auto it = values_.find(key);
  if (it == values_.end() || it->second.empty()) return def;
  char* end = nullptr;
  long long v = std::strtoll(it->second.c_str(), &end, 10);
  return (end && *end == '\0') ? v : def;
}

double Config::GetDouble(const std::string& key, double def) const {
  NoteRead(key);
  auto it = values_.find(key);
  if (it == values_.end() || it->second.empty()) return def;
  char* end = nullptr;
  double v = std::strtod(it->second.c_str(), &end);
  return (end && *end == '\0') ? v : def;
}

bool Config::GetBool(const std::string& key, bool def) const {
  NoteRead(key);
  auto it = values_.find(key);
  if (it == values_.end()) return def;
  const std::string& v = it->second;
  if (v == "true" || v == "yes" || v == "on" || v == "1") return true;
  if (v == "false" || v == "no" || v == "off" || v == "0") return false;
  return def;
}

std::vector<std::string> Config::GetList(const std::string& key,
                                         const std::vector<std::string>& def) const {
  NoteRead(key);
  auto it = values_.find(key);
  if (it == values_.end()) return def;
  std::vector<std::string> out;
  std::stringstream ss(it->second);
  std::string item;
  while (std::getline(ss, item, ',')) {
    item = Trim(item);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

void Config::NoteRead(const std::string& key) const {
  std::lock_guard<std::mutex> lock(read_->mu);
  read_->keys.insert(prefix_ + key);
}

std::set<std::string> Config::ReadKeys() const {
  std::lock_guard<std::mutex> lock(read_->mu);
  return read_->keys;
}

Config Config::Sub(const std::string& prefix) const {
  Config sub;
  sub.read_ = read_;
  sub.prefix_ = prefix_ + prefix + ".";
  const std::string p = prefix + ".";
  for (auto it = values_.lower_bound(p); it != values_.end(); ++it) {
    if (it->first.compare(0, p.size(), p) != 0) break;
    sub.values_[it->first.substr(p.size())] = it->second;
  }
  return sub;
}

}  // namespace winnow
