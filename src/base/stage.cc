#include "winnow/stage.h"

#include <cctype>

namespace winnow {

void StageRegistry::Register(const std::string& name, StageFactory factory, std::string help,
                             std::vector<Setting> settings) {
  entries_[name] = Entry{std::move(factory), nullptr, std::move(help), std::move(settings)};
}

void StageRegistry::RegisterWithInstances(const std::string& name, NamedStageFactory factory,
                                          std::string help, std::vector<Setting> settings) {
  entries_[name] = Entry{nullptr, std::move(factory), std::move(help), std::move(settings)};
}

const StageRegistry::Entry* StageRegistry::Find(const std::string& name) const {
  auto it = entries_.find(name);
  if (it != entries_.end()) return &it->second;
  const size_t dot = name.rfind('.');
  if (dot == std::string::npos || dot + 1 == name.size()) return nullptr;
  it = entries_.find(name.substr(0, dot));
  if (it == entries_.end() || !it->second.named_factory) return nullptr;
  const std::string instance = name.substr(dot + 1);
  for (char c : instance) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return nullptr;
  }
  for (const Setting& s : it->second.settings) {
    if (s.name == instance || s.name.compare(0, instance.size() + 1, instance + ".") == 0) return nullptr;
  }
  if (instance == "enabled") return nullptr;
  return &it->second;
}

bool StageRegistry::HasInstances(const std::string& name) const {
  auto it = entries_.find(name);
  return it != entries_.end() && it->second.named_factory != nullptr;
}

std::vector<Setting> StageRegistry::Settings(const std::string& name) const {
  const Entry* e = Find(name);
  return e ? e->settings : std::vector<Setting>();
}

StatusOr<std::unique_ptr<Stage>> StageRegistry::Create(const std::string& name,
                                                       const Config& full_config) const {
  const Entry* e = Find(name);
  if (!e) {
    std::string known;
    for (const auto& [n, entry] : entries_) {
      known += (known.empty() ? "" : ", ") + n + (entry.named_factory ? " (and " + n + ".<name>)" : "");
    }
    return Status::InvalidArgument("unknown stage '" + name + "'; known stages: " + known);
  }
  if (e->named_factory) return e->named_factory(name, full_config.Sub(name));
  return e->factory(full_config.Sub(name));
}

std::vector<std::pair<std::string, std::string>> StageRegistry::List() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : entries_) out.emplace_back(e.first, e.second.help);
  return out;
}

}  // namespace winnow
