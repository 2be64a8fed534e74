// Registration of the quality-filter stages and the PII-masking stage.
#ifndef WINNOW_SRC_FILTER_FILTER_STAGES_H_
#define WINNOW_SRC_FILTER_FILTER_STAGES_H_

#include "winnow/stage.h"

namespace winnow {

// Registers "filter.gopher_quality", "filter.gopher_repetition", "filter.c4",
// "filter.fineweb" and "pii" (doc/filter.md lists their keys).
void RegisterFilterStages(StageRegistry* registry);

}  // namespace winnow

#endif  // WINNOW_SRC_FILTER_FILTER_STAGES_H_
