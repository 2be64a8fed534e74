// Registration of the language-identification stage ("langid").
#ifndef WINNOW_SRC_LANGID_LANGID_STAGES_H_
#define WINNOW_SRC_LANGID_LANGID_STAGES_H_

#include "winnow/stage.h"

namespace winnow {

// Registers "langid" (see doc/langid.md for its keys).
void RegisterLangidStages(StageRegistry* registry);

}  // namespace winnow

#endif  // WINNOW_SRC_LANGID_LANGID_STAGES_H_
