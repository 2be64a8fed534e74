#include "winnow/pipeline.h"

#include <chrono>

namespace winnow {

std::vector<std::string> Pipeline::DefaultStages() {
  // HTML extraction and plain-text line cleaning each skip documents of the
  // other kind; then language id, the FineWeb filter chain (datatrove's order:
  // Gopher repetition, Gopher quality, C4, FineWeb), then PII masking.
  return {"extract",        "text.lines",          "langid",
          "filter.gopher_repetition", "filter.gopher_quality", "filter.c4",
          "filter.fineweb", "pii"};
}

namespace {

// Settings of the default chain that differ from a stage's own defaults,
// applied under the user's config (which wins). FineWeb ran datatrove's C4
// filter with filter_no_terminal_punct=False: the rule drops every heading
// and list line (54,923 lines of the extraction sets' gold text,
// doc/filter.md), and the FineWeb filter's line-punctuation ratio covers the
// same signal at document level.
const std::pair<const char*, const char*> kChainDefaults[] = {
    {"filter.c4.filter_no_terminal_punct", "false"},
};

}  // namespace

StatusOr<std::unique_ptr<Pipeline>> Pipeline::Create(const Config& user_config) {
  Config config;
  for (const auto& [k, v] : kChainDefaults) config.Set(k, v);
  for (const auto& [k, v] : user_config.values()) config.Set(k, v);
  const StageRegistry& registry = StageRegistry::Global();
  std::vector<std::string> names = config.GetList("stages", {});
  if (names.size() == 1 && names[0] == "none") names.clear();  // no per-document stage
  if (!config.Has("stages")) {
    for (const std::string& n : DefaultStages()) {
      if (registry.Has(n)) names.push_back(n);
    }
  }
  auto pipeline = std::unique_ptr<Pipeline>(new Pipeline());
  for (const std::string& n : names) {
    if (config.GetBool(n + ".enabled", true) == false) continue;
    StatusOr<std::unique_ptr<Stage>> stage = registry.Create(n, config);
    if (!stage.ok()) {
      return Status::InvalidArgument("stage " + n + ": " + stage.status().message());
    }
    pipeline->stages_.push_back(std::move(stage).value());
  }
  return pipeline;
}

void Pipeline::Process(Document& doc, std::map<std::string, double>* stage_seconds) const {
  using Clock = std::chrono::steady_clock;
  // Plain text enters as one block per line: the unit of line cleaning.
  if (doc.kind == DocKind::kText && doc.blocks.empty()) doc.SetTextLines(doc.raw);
  for (const auto& stage : stages_) {
    if (!doc.decision.keep) break;
    Clock::time_point t0 = Clock::now();
    stage->Process(doc);
    if (stage_seconds) {
      (*stage_seconds)[stage->name()] +=
          std::chrono::duration<double>(Clock::now() - t0).count();
    }
  }
}

}  // namespace winnow
