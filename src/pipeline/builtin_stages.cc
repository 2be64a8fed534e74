// The registry of built-in stages. Each stage library offers a
// Register<Stage>Stages function; this file is the one place that knows
// them all (a registry, not an if/else chain in the CLI). StageRegistry is
// declared in base (winnow/stage.h) but its global instance is defined here,
// in the pipeline, the lowest layer that links every stage library.
#include "extract/extract_stages.h"
#include "filter/classifier_stage.h"
#include "filter/filter_stages.h"
#include "langid/langid_stages.h"
#include "text/text_stages.h"
#include "winnow/stage.h"

namespace winnow {

StageRegistry& StageRegistry::Global() {
  static StageRegistry* registry = [] {
    auto* r = new StageRegistry();
    RegisterExtractStages(r);
    RegisterTextStages(r);
    RegisterLangidStages(r);
    RegisterFilterStages(r);
    RegisterClassifierStages(r);
    return r;
  }();
  return *registry;
}

}  // namespace winnow
