// Registration of the learned-classifier stage filter.classifier (and its
// named instances filter.classifier.<name>), kept apart from the rule
// filters because it links fastText (libfasttext-dev).
#ifndef WINNOW_SRC_FILTER_CLASSIFIER_STAGE_H_
#define WINNOW_SRC_FILTER_CLASSIFIER_STAGE_H_

#include "winnow/stage.h"

namespace winnow {

// Registers "filter.classifier" with instances (doc/filter.md lists its keys).
void RegisterClassifierStages(StageRegistry* registry);

}  // namespace winnow

#endif  // WINNOW_SRC_FILTER_CLASSIFIER_STAGE_H_
