// The stage filter.classifier[.<name>]: a fastText model's scores of the
// document's kept text, written on the document, and a threshold on one
// label's score (reject or tag). doc/filter.md, "Learned classifiers".
#include "filter/classifier_stage.h"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "winnow/classifier.h"
#include "winnow/filter.h"

namespace winnow {
namespace {

struct ClassifierStageOptions {
  std::string model;
  std::string label;
  double threshold = 0.5;
  FilterMode mode = FilterMode::kReject;
  int64_t max_chars = 0;
};

class ClassifierStage : public Stage {
 public:
  ClassifierStage(std::string name, ClassifierStageOptions o, std::shared_ptr<const Classifier> model,
                  int label)
      : name_(std::move(name)), o_(std::move(o)), model_(std::move(model)), label_(label) {
    for (const std::string& l : model_->labels()) keys_.push_back(name_ + "." + l);
  }
  std::string name() const override { return name_; }

  void Process(Document& doc) const override {
    if (!doc.decision.keep) return;
    const std::vector<double> scores = model_->Predict(doc.Text(), o_.max_chars);
    // Every label's score, in both modes: thresholds can be chosen later,
    // and dedup.keep=quality can prefer the better copy by one of them.
    for (size_t i = 0; i < scores.size(); ++i) doc.annotations.quality[keys_[i]] = scores[i];
    const double score = scores[label_];
    const bool pass = score >= o_.threshold;
    if (o_.mode == FilterMode::kTag) {
      doc.annotations.tags[name_] = pass ? "pass" : "below_threshold";
      return;
    }
    if (!pass) {
      char detail[160];
      std::snprintf(detail, sizeof detail, "%s=%.4f < %g", model_->labels()[label_].c_str(), score,
                    o_.threshold);
      doc.Reject(name_, "below_threshold", detail);
    }
  }

 private:
  std::string name_;
  ClassifierStageOptions o_;
  std::shared_ptr<const Classifier> model_;
  int label_;
  std::vector<std::string> keys_;  // "<stage>.<label>" per label
};

StatusOr<std::unique_ptr<Stage>> MakeClassifier(const std::string& name, const Config& c) {
  ClassifierStageOptions o;
  o.model = c.GetString("model", o.model);
  o.label = c.GetString("label", o.label);
  o.threshold = c.GetDouble("threshold", o.threshold);
  o.max_chars = c.GetInt("max_chars", o.max_chars);
  const std::string mode = c.GetString("mode", "reject");
  if (mode == "tag") {
    o.mode = FilterMode::kTag;
  } else if (mode == "reject" || mode == "drop") {
    o.mode = FilterMode::kReject;
  } else {
    return Status::InvalidArgument("mode must be reject (or drop) or tag, not '" + mode + "'");
  }
  if (o.model.empty()) {
    return Status::InvalidArgument("no model: set " + name + ".model to a fastText .bin/.ftz file "
                                   "(`winnow train-classifier` makes one)");
  }
  // Loaded here, when the pipeline is built, so a bad file stops the run
  // before any document is read; shared by every thread and instance.
  StatusOr<std::shared_ptr<const Classifier>> model = Classifier::Load(o.model);
  if (!model.ok()) return model.status();
  const std::vector<std::string>& labels = (*model)->labels();
  std::string known;
  for (const std::string& l : labels) known += (known.empty() ? "" : ", ") + l;
  if (o.label.empty()) {
    return Status::InvalidArgument("no label: set " + name + ".label to the label whose score is "
                                   "thresholded (the model has: " + known + ")");
  }
  const int label = (*model)->LabelIndex(o.label);
  if (label < 0) {
    return Status::InvalidArgument("label '" + o.label + "' is not in the model " + o.model +
                                   " (its labels: " + known + ")");
  }
  return std::unique_ptr<Stage>(new ClassifierStage(name, std::move(o), std::move(model).value(), label));
}

std::vector<Setting> ClassifierSettings() {
  const ClassifierStageOptions d;
  return {
      StringSetting("model", d.model, "fastText supervised model file (.bin or quantised .ftz); required"),
      StringSetting("label", d.label,
                    "the label whose score is thresholded (with or without __label__); required"),
      DoubleSetting("threshold", d.threshold, 0, 1, "keep a document whose label score is at least this"),
      StringSetting("mode", "reject",
                    "reject (or drop): reject documents below the threshold; tag: record the verdict, "
                    "keep all (scores are recorded in both)",
                    {"reject", "drop", "tag"}),
      IntSetting("max_chars", d.max_chars, 0, 1e12,
                 "score the first N characters (code points) of the text; 0 = the whole text"),
  };
}

}  // namespace

void RegisterClassifierStages(StageRegistry* registry) {
  registry->RegisterWithInstances(
      "filter.classifier", MakeClassifier,
      "fastText classifier (several in a chain as filter.classifier.<name>): every label's score on the "
      "document, threshold on one (reject or tag)",
      ClassifierSettings());
}

}  // namespace winnow
