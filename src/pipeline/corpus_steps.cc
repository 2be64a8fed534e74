#include "pipeline/corpus_steps.h"

namespace winnow {

struct CorpusSteps::Impl {};

CorpusSteps::CorpusSteps(const Config& config, const std::string& output_dir, int threads)
    : config_(config), output_dir_(output_dir), threads_(threads) {
  repeated_lines_ = config.GetBool("repeated_lines.enabled", false);
  dedup_ = config.GetBool("dedup.enabled", false);
}

CorpusSteps::~CorpusSteps() { delete impl_; }

Status CorpusSteps::Validate() const {
  if (enabled()) return Status::Unsupported("corpus-level steps are not wired into this build yet");
  return Status::Ok();
}

void CorpusSteps::Observe(const Document&) {}

Status CorpusSteps::Run(const std::vector<std::string>&, const WriterOptions&,
                        const WriterOptions&, RunStats*) {
  return Status::Unsupported("corpus-level steps are not wired into this build yet");
}

}  // namespace winnow
