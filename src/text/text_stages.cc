#include "text/text_stages.h"

#include <memory>

#include "winnow/lines.h"
#include "winnow/repeated_lines.h"

namespace winnow {
namespace {

class LinesStage : public Stage {
 public:
  LinesStage(LineClassifier classifier, bool apply_to_html)
      : classifier_(std::move(classifier)), apply_to_html_(apply_to_html) {}
  std::string name() const override { return "text.lines"; }

  void Process(Document& doc) const override {
    if (doc.kind == DocKind::kHtml && !apply_to_html_) return;
    if (doc.kind == DocKind::kText && doc.blocks.empty()) doc.SetTextLines(doc.raw);
    std::vector<std::string_view> lines;
    std::vector<Block*> blocks;
    for (Block& b : doc.blocks) {
      if (!b.keep) continue;
      lines.push_back(b.text);
      blocks.push_back(&b);
    }
    if (lines.empty()) {
      doc.Reject("text.lines", "no_main_text", "no lines");
      return;
    }
    std::string lang = doc.annotations.lang == "un" ? "" : doc.annotations.lang;
    LineDecision d = classifier_.Classify(lines, lang);
    int kept = 0;
    for (size_t i = 0; i < blocks.size(); ++i) {
      if (d.keep[i]) {
        ++kept;
        continue;
      }
      blocks[i]->keep = false;
      blocks[i]->drop_reason = d.state[i] == kLineTail ? "text.lines:tail" : "text.lines:boilerplate";
    }
    if (kept == 0) {
      doc.Reject("text.lines", "no_main_text", "lines=" + std::to_string(lines.size()) + " kept=0");
    }
  }

 private:
  LineClassifier classifier_;
  bool apply_to_html_;
};

class RepeatedLinesStage : public Stage {
 public:
  RepeatedLinesStage(std::unique_ptr<RepeatedLineCounter> counts, RepeatedLineFilterOptions o)
      : counts_(std::move(counts)), filter_(counts_.get(), o) {}
  std::string name() const override { return "text.repeated_lines"; }
  void Process(Document& doc) const override {
    if (doc.kind == DocKind::kText && doc.blocks.empty()) doc.SetTextLines(doc.raw);
    filter_.Apply(doc);
  }

 private:
  std::unique_ptr<RepeatedLineCounter> counts_;
  RepeatedLineFilter filter_;
};

}  // namespace

void RegisterTextStages(StageRegistry* registry) {
  registry->Register(
      "text.lines",
      [](const Config& c) -> StatusOr<std::unique_ptr<Stage>> {
        std::string path = c.GetString("model", "");
        StatusOr<LineModel> m = path.empty() ? LineModel::Embedded() : LineModel::LoadFile(path);
        if (!m.ok() && path.empty()) {
          // A build without an embedded model falls back to the source tree's.
          m = LineModel::LoadFile(WINNOW_SOURCE_DIR "/models/lines.model");
        }
        if (!m.ok()) return m.status();
        LineClassifierOptions o;
        o.use_viterbi = c.GetBool("viterbi", o.use_viterbi);
        o.main_bias = c.GetDouble("main_bias", o.main_bias);
        return std::unique_ptr<Stage>(new LinesStage(LineClassifier(std::move(*m), o),
                                                     c.GetBool("apply_to_html", false)));
      },
      "line classifier: drops boilerplate lines of text documents (LR + Viterbi)",
      {
          StringSetting("model", "", "line model file; empty = the model built into winnow"),
          BoolSetting("viterbi", LineClassifierOptions().use_viterbi,
                      "decode the line sequence (false: each line on its own)"),
          DoubleSetting("main_bias", LineClassifierOptions().main_bias, -100, 100,
                        "added to the main-text score: > 0 keeps more lines, < 0 fewer"),
          BoolSetting("apply_to_html", false,
                      "also classify the lines extracted from HTML documents"),
      });
  registry->Register(
      "text.repeated_lines",
      [](const Config& c) -> StatusOr<std::unique_ptr<Stage>> {
        std::string path = c.GetString("counts", "");
        if (path.empty())
          return Status::InvalidArgument(
              "text.repeated_lines needs text.repeated_lines.counts=<file> (pass 1 output)");
        StatusOr<RepeatedLineCounter> counts = RepeatedLineCounter::Load(path);
        if (!counts.ok()) return counts.status();
        RepeatedLineFilterOptions o;
        o.max_host_docs = static_cast<int>(c.GetInt("max_host_docs", o.max_host_docs));
        o.max_shard_docs = static_cast<int>(c.GetInt("max_shard_docs", o.max_shard_docs));
        o.min_chars = static_cast<int>(c.GetInt("min_chars", o.min_chars));
        return std::unique_ptr<Stage>(new RepeatedLinesStage(
            std::make_unique<RepeatedLineCounter>(std::move(*counts)), o));
      },
      "drops lines repeated on many pages of a host (pass 2; counts from pass 1)",
      {
          StringSetting("counts", "", "line counts file written by pass 1 (required)"),
          IntSetting("max_host_docs", RepeatedLineFilterOptions().max_host_docs, 0, 2147483647.0,
                     "drop a line found in more than this many documents of its host; 0 = off"),
          IntSetting("max_shard_docs", RepeatedLineFilterOptions().max_shard_docs, 0, 2147483647.0,
                     "drop a line found in more than this many documents in all; 0 = off"),
          IntSetting("min_chars", RepeatedLineFilterOptions().min_chars, 0, 1 << 20,
                     "lines shorter than this many bytes (normalised) are kept"),
      });
}

}  // namespace winnow
