#include "winnow/stage.h"

namespace winnow {

void StageRegistry::Register(const std::string& name, StageFactory factory, std::string help,
                             std::vector<Setting> settings) {
  entries_[name] = Entry{std::move(factory), std::move(help), std::move(settings)};
}

std::vector<Setting> StageRegistry::Settings(const std::string& name) const {
  auto it = entries_.find(name);
  return it == entries_.end() ? std::vector<Setting>() : it->second.settings;
}

StatusOr<std::unique_ptr<Stage>> StageRegistry::Create(const std::string& name,
                                                       const Config& full_config) const {
  auto it = entries_.find(name);
  if (it == entries_.end()) {
    std::string known;
    for (const auto& e : entries_) known += (known.empty() ? "" : ", ") + e.first;
    return Status::InvalidArgument("unknown stage '" + name + "'; known stages: " + known);
  }
  return it->second.factory(full_config.Sub(name));
}

std::vector<std::pair<std::string, std::string>> StageRegistry::List() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : entries_) out.emplace_back(e.first, e.second.help);
  return out;
}

}  // namespace winnow
