// Corpus-level steps of `winnow clean`: repeated-line removal and
// deduplication, run as passes over the shards that the per-document pass
// wrote. Internal to the pipeline.
#ifndef WINNOW_SRC_PIPELINE_CORPUS_STEPS_H_
#define WINNOW_SRC_PIPELINE_CORPUS_STEPS_H_

#include <string>
#include <vector>

#include "winnow/config.h"
#include "winnow/document.h"
#include "winnow/pipeline.h"
#include "winnow/writer.h"

namespace winnow {

class CorpusSteps {
 public:
  CorpusSteps(const Config& config, const std::string& output_dir, int threads);
  ~CorpusSteps();
  Status Validate() const;
  bool enabled() const { return repeated_lines_ || dedup_; }
  // Where the per-document pass writes its kept documents.
  std::string StageOnePrefix() const { return output_dir_ + "/work/docs"; }
  // Sees every kept document of the per-document pass, in input order.
  void Observe(const Document& doc);
  // Runs the passes over `shards`, writing <output_dir>/kept-* and adding
  // rejections to <output_dir>/rejected-corpus-*.
  Status Run(const std::vector<std::string>& shards, const WriterOptions& kept_options,
             const WriterOptions& rejected_options, RunStats* stats);

 private:
  struct Impl;
  const Config& config_;
  std::string output_dir_;
  int threads_;
  bool repeated_lines_ = false;
  bool dedup_ = false;
  Impl* impl_ = nullptr;
};

}  // namespace winnow

#endif  // WINNOW_SRC_PIPELINE_CORPUS_STEPS_H_
