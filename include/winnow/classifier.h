// Classifier: a fastText supervised model (Joulin et al. 2017) that scores a
// document's text, and the training of one from labelled texts.
//
// This is what the learned quality filters of current corpus pipelines run
// (DCLM's fastText quality model, dolma's and NeMo Curator's fastText
// taggers, datatrove's FastTextClassifierFilter). The stage
// `filter.classifier[.<name>]` (doc/filter.md) and `winnow train-classifier`
// are built on it; the model files are fastText's own `.bin` format (also
// `.ftz`, quantised), so a model trained with the fastText tool or its Python
// module works here and one trained here works there.
//
// Text normalisation (the same at training and at prediction, so that a
// model sees at run time what it was trained on): the first `max_chars`
// code points when max_chars > 0 (Python's text[:N], as datatrove cuts), line
// breaks become spaces (fastText reads one example per line), the label
// prefix "__label__" inside the text is defused ("__label__x" in a page would
// otherwise be read as a label), and one end-of-line is appended, which
// fastText turns into its "</s>" token exactly as its Python predict() does.
//
// Memory: a Classifier owns its model; Load() shares one model per file per
// process (a second Load of the same unchanged file returns the same object
// while any holder keeps it), so several stages, pipelines and Python
// objects using one file hold it once. Text views are read only during a call.
// Thread-safety: a loaded Classifier is immutable; Predict may be called from
// any number of threads at once. TrainClassifier is thread-safe (it uses its
// own temporary file).
#ifndef WINNOW_CLASSIFIER_H_
#define WINNOW_CLASSIFIER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/status.h"

namespace winnow {

// The label prefix of fastText's training format.
inline constexpr std::string_view kFastTextLabelPrefix = "__label__";

// The normalised text as described above, with its final '\n'.
std::string NormalizeClassifierText(std::string_view text, int64_t max_chars = 0);

class Classifier {
 public:
  // Loads (or finds already loaded) the fastText supervised model at `path`.
  // A missing file, a file that is not a fastText model, a truncated one or
  // a model that is not supervised is an error naming the file and what is
  // wrong; nothing is thrown.
  static StatusOr<std::shared_ptr<const Classifier>> Load(const std::string& path);

  ~Classifier();
  Classifier(const Classifier&) = delete;
  Classifier& operator=(const Classifier&) = delete;

  // The model's labels without the "__label__" prefix, in the model's order
  // (the order of Predict's scores).
  const std::vector<std::string>& labels() const { return labels_; }
  // Index of `label` (with or without the prefix) in labels(), or -1.
  int LabelIndex(std::string_view label) const;
  const std::string& path() const { return path_; }
  int dimension() const;
  bool quantized() const;
  int64_t words() const;  // vocabulary size

  // The probability of each label (labels() order) for `text`, normalised
  // with NormalizeClassifierText(text, max_chars). These are the numbers
  // fastText's predict(k=-1) prints (softmax: they sum to ~1; one-vs-all:
  // each in [0, 1] on its own).
  std::vector<double> Predict(std::string_view text, int64_t max_chars = 0) const;

 private:
  struct Impl;
  Classifier();
  std::unique_ptr<Impl> impl_;
  std::vector<std::string> labels_;
  std::string path_;
};

// One labelled example; `label` without the "__label__" prefix (one is
// stripped if present). Labels may not contain white space.
struct LabelledText {
  std::string text;
  std::string label;
};

// Where the examples come from (`winnow train-classifier`).
struct LabelledTextsOptions {
  std::string text_field = "text";
  std::string label_field = "label";
  // Non-empty: every record of the file has this label (a file of positives
  // or of negatives); its records may then also be plain text lines (a file
  // not named *.jsonl[.gz|.zst]: one document per line).
  std::string label;
  size_t max_record_bytes = 64 << 20;
};

// Appends the examples of one file: JSONL records {text_field, label_field}
// (the label a string, an integer or a boolean), gzip or zstd compressed or
// not. A bad record (not JSON, a field missing, a label with white space,
// too long) is skipped and described in *problems with its file and line; a
// file that cannot be read is an error.
Status ReadLabelledTexts(const std::string& path, const LabelledTextsOptions& options,
                         std::vector<LabelledText>* out, std::vector<std::string>* problems);

// Training settings: fastText's supervised defaults except word_ngrams
// (2, as the published quality classifiers use; doc/filter.md).
struct ClassifierTrainOptions {
  int dim = 100;
  int epoch = 5;
  double lr = 0.1;
  int word_ngrams = 2;
  int min_count = 1;
  int buckets = 2000000;  // hashed word n-gram rows; 0 with word_ngrams 1
  int minn = 0;           // character n-grams (0 = none, fastText's supervised default)
  int maxn = 0;
  std::string loss = "softmax";  // softmax, ova (one-vs-all), hs
  // 1 makes training deterministic (fastText's threads race on the weights
  // by design, Hogwild); more threads are faster and not reproducible.
  int threads = 1;
  int seed = 0;            // fastText's seed and the held-out split's
  double holdout = 0.1;    // share of the examples kept out of training, scored
  int64_t max_chars = 0;   // normalisation: the first N code points (0 = all)
  // Product quantisation (a .ftz model, 10-100x smaller): keeps the
  // `cutoff` most useful rows (0 = all) and quantises the rest.
  bool quantize = false;
  int64_t cutoff = 0;
};

// Scores of the held-out examples for one label, one-vs-rest: precision,
// recall and F1 of "the top label is this one", AUC of this label's score.
struct LabelScores {
  std::string label;
  int64_t support = 0;    // held-out examples with this label
  int64_t predicted = 0;  // held-out examples whose top label is this one
  double precision = 0, recall = 0, f1 = 0, auc = 0;
};

struct ClassifierTrainReport {
  int64_t examples = 0, train_examples = 0, heldout_examples = 0;
  std::vector<std::pair<std::string, int64_t>> train_counts;  // label -> training examples
  double accuracy = 0;  // held-out, top label
  std::vector<LabelScores> labels;
  int64_t model_bytes = 0;
  double train_seconds = 0;
  // A readable table of the figures.
  std::string ToText() const;
};

// Trains a model on `examples` (normalised as above) after setting aside a
// held-out share, writes it to `model_path` (renamed into place when
// complete) and fills `report` with the held-out figures. Deterministic for
// a seed with threads = 1.
Status TrainClassifier(const std::vector<LabelledText>& examples, const ClassifierTrainOptions& options,
                       const std::string& model_path, ClassifierTrainReport* report);

}  // namespace winnow

#endif  // WINNOW_CLASSIFIER_H_
