// The registry of built-in stages. Each stage library offers a
// Register<Stage>Stages function; this file is the one place that knows
// them all (a registry, not an if/else chain in the CLI).
#include "winnow/stage.h"

#if __has_include("extract/extract_stages.h")
#include "extract/extract_stages.h"
#define WINNOW_HAVE_EXTRACT 1
#endif
#if __has_include("text/text_stages.h")
#include "text/text_stages.h"
#define WINNOW_HAVE_TEXT 1
#endif
#if __has_include("langid/langid_stages.h")
#include "langid/langid_stages.h"
#define WINNOW_HAVE_LANGID 1
#endif
#if __has_include("filter/filter_stages.h")
#include "filter/filter_stages.h"
#define WINNOW_HAVE_FILTER 1
#endif

namespace winnow {

StageRegistry& StageRegistry::Global() {
  static StageRegistry* registry = [] {
    auto* r = new StageRegistry();
#ifdef WINNOW_HAVE_EXTRACT
    RegisterExtractStages(r);
#endif
#ifdef WINNOW_HAVE_TEXT
    RegisterTextStages(r);
#endif
#ifdef WINNOW_HAVE_LANGID
    RegisterLangidStages(r);
#endif
#ifdef WINNOW_HAVE_FILTER
    RegisterFilterStages(r);
#endif
    return r;
  }();
  return *registry;
}

}  // namespace winnow
