// Registration of the HTML main-content extraction stage ("extract").
#ifndef WINNOW_SRC_EXTRACT_EXTRACT_STAGES_H_
#define WINNOW_SRC_EXTRACT_EXTRACT_STAGES_H_

#include "winnow/stage.h"

namespace winnow {

// Registers "extract": for DocKind::kHtml documents, fills doc.blocks and the
// extraction metadata annotations from doc.raw (and doc.url); rejects with
// reason "no_content" when nothing is extracted. Keys (under "extract."):
// include_comments, include_title, include_tables, include_links,
// include_images (bools),
// max_input_bytes. See doc/extract.md.
void RegisterExtractStages(StageRegistry* registry);

}  // namespace winnow

#endif  // WINNOW_SRC_EXTRACT_EXTRACT_STAGES_H_
