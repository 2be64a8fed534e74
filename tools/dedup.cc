// `winnow dedup` (placeholder until src/dedup lands).
#include "cli_common.h"

namespace winnow::cli {
void AddDedupCommand(CLI::App*, const Config*, int*) {}
}  // namespace winnow::cli
