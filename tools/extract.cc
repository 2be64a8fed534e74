// `winnow extract`: HTML to text (placeholder until src/extract lands).
#include "cli_common.h"

namespace winnow::cli {
void AddExtractCommand(CLI::App*, const Config*, int*) {}
}  // namespace winnow::cli
