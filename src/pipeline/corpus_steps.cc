#include "pipeline/corpus_steps.h"

#include <algorithm>
#include <filesystem>
#include <memory>

#include "winnow/corpus.h"
#include "winnow/reader.h"

namespace winnow {

namespace fs = std::filesystem;

struct CorpusSteps::Impl {
  explicit Impl(const Config& config)
      : counter(RepeatedLineCounterOptionsFromConfig(config)) {}
  RepeatedLineCounter counter;
};

CorpusSteps::CorpusSteps(const Config& config, const std::string& output_dir, int threads)
    : config_(config), output_dir_(output_dir), threads_(threads) {
  repeated_lines_ = config.GetBool("repeated_lines.enabled", false);
  dedup_ = config.GetBool("dedup.enabled", false);
  if (repeated_lines_) impl_ = new Impl(config);
}

CorpusSteps::~CorpusSteps() { delete impl_; }

Status CorpusSteps::Validate() const {
  if (dedup_) {
    StatusOr<DedupOptions> o = DedupOptionsFromConfig(config_);
    if (!o.ok()) return Status::InvalidArgument("dedup: " + o.status().message());
  }
  return Status::Ok();
}

void CorpusSteps::Observe(const Document& doc) {
  if (impl_) impl_->counter.Observe(doc);
}


Status CorpusSteps::Run(const std::vector<std::string>& shards, const WriterOptions& kept_options,
                        const WriterOptions& rejected_options, RunStats* stats) {
  const std::string work = output_dir_ + "/work";
  std::vector<std::string> current = shards;
  std::unique_ptr<DocumentWriter> rejected;
  auto reject = [&](const Document& doc) -> Status {
    if (!rejected) {
      StatusOr<std::unique_ptr<DocumentWriter>> w = OpenWriter(output_dir_ + "/rejected-corpus", rejected_options);
      if (!w.ok()) return w.status();
      rejected = std::move(w).value();
    }
    --stats->kept;
    ++stats->rejected;
    ++stats->rejected_by[doc.decision.stage][doc.decision.reason];
    return rejected->Write(doc);
  };
  WriterOptions intermediate = kept_options;
  intermediate.json.blocks = true;
  intermediate.compression = "zst";

  if (repeated_lines_) {
    RepeatedLineFilter filter(&impl_->counter, RepeatedLineFilterOptionsFromConfig(config_));
    StatusOr<std::unique_ptr<DocumentWriter>> out =
        dedup_ ? OpenWriter(work + "/lines", intermediate) : OpenWriter(output_dir_ + "/kept", kept_options);
    if (!out.ok()) return out.status();
    Status s = ForEachShardDocument(current, [&](Document& doc) -> Status {
      filter.Apply(doc);
      for (const Block& b : doc.blocks) {
        if (!b.keep && b.drop_reason.rfind("text.repeated_lines", 0) == 0) ++stats->blocks_dropped_by[b.drop_reason];
      }
      if (!doc.decision.keep) return reject(doc);
      return (*out)->Write(doc);
    });
    if (!s.ok()) return s;
    s = (*out)->Close();
    if (!s.ok()) return s;
    current = (*out)->files();
  }

  if (dedup_) {
    StatusOr<DedupOptions> o = DedupOptionsFromConfig(config_);
    if (!o.ok()) return o.status();
    DedupOptions opts = *o;
    if (!config_.Has("dedup.work_dir")) opts.work_dir = work + "/dedup";
    if (!config_.Has("dedup.threads")) opts.threads = threads_;
    DedupStats ds;
    Status s = RunDedup(current, work + "/dedup-kept", work + "/dedup-rejected", opts, &ds);
    if (!s.ok()) return Status(s);
    StatusOr<std::unique_ptr<DocumentWriter>> out = OpenWriter(output_dir_ + "/kept", kept_options);
    if (!out.ok()) return out.status();
    std::vector<std::string> kept_files, rejected_files;
    for (size_t i = 0; i < current.size(); ++i) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "-%05zu.jsonl", i);
      kept_files.push_back(work + "/dedup-kept" + buf);
      if (fs::exists(work + "/dedup-rejected" + buf)) rejected_files.push_back(work + "/dedup-rejected" + buf);
    }
    s = ForEachShardDocument(kept_files, [&](Document& doc) { return (*out)->Write(doc); });
    if (!s.ok()) return s;
    s = ForEachShardDocument(rejected_files, [&](Document& doc) {
      if (doc.decision.keep) doc.Reject("dedup", "duplicate");
      return reject(doc);
    });
    if (!s.ok()) return s;
    s = (*out)->Close();
    if (!s.ok()) return s;
  }
  if (rejected) {
    Status s = rejected->Close();
    if (!s.ok()) return s;
  }
  // The kept text now is what the last pass wrote.
  stats->bytes_out = 0;
  Status s = ForEachShardDocument(
      [&] {
        std::vector<std::string> finals;
        for (const auto& e : fs::directory_iterator(output_dir_)) {
          std::string name = e.path().filename().string();
          if (name.rfind("kept-", 0) == 0) finals.push_back(e.path().string());
        }
        std::sort(finals.begin(), finals.end());
        return finals;
      }(),
      [&](Document& doc) {
        stats->bytes_out += doc.Text().size();
        return Status::Ok();
      });
  if (!s.ok()) return s;
  if (!config_.GetBool("corpus.keep_work", false)) {
    std::error_code ec;
    fs::remove_all(work, ec);
  }
  return Status::Ok();
}

}  // namespace winnow
