#include "text/text_stages.h"

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "winnow/lines.h"
#include "winnow/repeated_lines.h"

namespace winnow {
namespace {

class LinesStage : public Stage {
 public:
  // `load` gives the classifier; it runs on the first document the stage
  // classifies (the embedded model takes ~2.7 M instructions to parse, and
  // the default chain never classifies HTML documents), or at once when
  // `eager` (a model file: a bad one must stop the run before it starts).
  using Loader = std::function<StatusOr<LineClassifier>()>;
  LinesStage(Loader load, bool apply_to_html) : load_(std::move(load)), apply_to_html_(apply_to_html) {}
  Status LoadNow() {
    StatusOr<LineClassifier> c = load_();
    if (!c.ok()) return c.status();
    classifier_.emplace(std::move(c).value());
    std::call_once(loaded_, [] {});
    return Status::Ok();
  }
  std::string name() const override { return "text.lines"; }

  void Process(Document& doc) const override {
    if (doc.kind == DocKind::kHtml && !apply_to_html_) return;
    std::call_once(loaded_, [this] {
      StatusOr<LineClassifier> c = load_();
      if (!c.ok()) {
        // Only the model built into winnow loads here, which its tests parse.
        std::fprintf(stderr, "winnow: text.lines: the built-in model does not load: %s\n",
                     c.status().ToString().c_str());
        std::abort();
      }
      classifier_.emplace(std::move(c).value());
    });
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
    LineDecision d = classifier_->Classify(lines, lang);
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
  Loader load_;
  mutable std::once_flag loaded_;
  mutable std::optional<LineClassifier> classifier_;
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
        LineClassifierOptions o;
        o.use_viterbi = c.GetBool("viterbi", o.use_viterbi);
        o.main_bias = c.GetDouble("main_bias", o.main_bias);
        auto load = [path, o]() -> StatusOr<LineClassifier> {
          StatusOr<LineModel> m = path.empty() ? LineModel::Embedded() : LineModel::LoadFile(path);
          if (!m.ok() && path.empty()) {
            // A build without an embedded model falls back to the source tree's.
            m = LineModel::LoadFile(WINNOW_SOURCE_DIR "/models/lines.model");
          }
          if (!m.ok()) return m.status();
          return LineClassifier(std::move(*m), o);
        };
        auto stage = std::make_unique<LinesStage>(load, c.GetBool("apply_to_html", false));
        // The built-in model loads on first use; a model file (or the source
        // tree's, in a build without one) now, so that a bad one stops the run.
        if (!path.empty() || !LineModel::HasEmbedded()) {
          Status s = stage->LoadNow();
          if (!s.ok()) return s;
        }
        return std::unique_ptr<Stage>(std::move(stage));
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
