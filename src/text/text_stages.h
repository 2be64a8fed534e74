// The text stages for the pipeline's registry:
//   "text.lines"           line classifier (boilerplate removal) for plain-text
//                          documents, optionally for extracted HTML blocks;
//   "text.repeated_lines"  pass 2 of repeated-line removal, from a counts file
//                          written by RepeatedLineCounter::Save (pass 1).
// Config keys (under the stage name):
//   text.lines.model       model file; default: the model embedded at build
//                          time (models/lines.model)
//   text.lines.apply_to_html  also classify blocks of HTML documents (false)
//   text.lines.main_bias   > 0 keeps more lines, < 0 fewer (0)
//   text.lines.viterbi     sequence decoding (true)
//   text.repeated_lines.counts         counts file (required)
//   text.repeated_lines.max_host_docs  (2), .max_shard_docs (0 = off),
//                          .min_chars (1)
// Thread-safety: the stages are immutable after creation.
#ifndef WINNOW_SRC_TEXT_TEXT_STAGES_H_
#define WINNOW_SRC_TEXT_TEXT_STAGES_H_

#include "winnow/stage.h"

namespace winnow {

void RegisterTextStages(StageRegistry* registry);

}  // namespace winnow

#endif  // WINNOW_SRC_TEXT_TEXT_STAGES_H_
