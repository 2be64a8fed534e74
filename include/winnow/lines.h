// Line cleaning: tells the main text of a document from its boilerplate, one
// line at a time, for plain text (WET/OSCAR-like records, where the crawler
// already flattened the page) and optionally for blocks that HTML extraction
// produced.
//
// How: every line gets a feature vector (its own shape, stop-word share in the
// document's language and in other languages, boilerplate wording in many
// languages, the shape of its neighbours, its position, whether an end marker
// such as "LIRE AUSSI" / "read more" came before it). A multinomial logistic
// regression turns the features into per-line state scores for three states
// (boilerplate, main text, tail = after the article ended) and a Viterbi
// decoder with learned transitions picks the best state sequence: main text
// is mostly contiguous, so a good sentence inside the related-news tail stays
// out, and a short line inside the article stays in. Lines decoded as "main"
// are kept. The model (weights + transitions) is a small text file trained by
// scripts/train_lines.py on features dumped by the `text_features` tool, so
// the C++ code here is the one and only feature implementation; the default
// model is embedded into the library at build time (models/lines.model).
//
// Memory: functions take string_views of lines that the caller owns; they are
// read during the call only and nothing keeps them.
// Thread-safety: LineModel and LineClassifier are immutable after
// construction; Classify() may be called from many threads at once.
#ifndef WINNOW_LINES_H_
#define WINNOW_LINES_H_

#include <string>
#include <string_view>
#include <vector>

#include "winnow/status.h"

namespace winnow {

// ---- Features --------------------------------------------------------------

// The names of the per-line features, in order. A model file lists the same
// names; loading fails when they differ, so a stale model is caught.
const std::vector<std::string>& LineFeatureNames();

// Languages with a built-in stop-word list (ISO 639-1 codes).
const std::vector<std::string>& StopWordLanguages();

// The language among StopWordLanguages() whose stop words cover most tokens
// of the lines, or "" when no list covers at least 5% of them.
std::string GuessLanguageByStopWords(const std::vector<std::string_view>& lines);

// One row of LineFeatureNames().size() values per line. `lang` is the
// document's language when known; "" (or a language without a stop-word
// list) makes the function guess it with GuessLanguageByStopWords.
// Lines may be any bytes: invalid UTF-8 counts as non-letter characters.
std::vector<std::vector<float>> ComputeLineFeatures(
    const std::vector<std::string_view>& lines, std::string_view lang);

// ---- Model and decoding ----------------------------------------------------

// The states a line can be in. Lines in kMain are kept.
enum LineState : int { kLineBoiler = 0, kLineMain = 1, kLineTail = 2 };
inline constexpr int kNumLineStates = 3;

// A trained line model: standardisation, the emission scorer (multinomial
// logistic regression, or with `hidden` > 0 a one-hidden-layer tanh network),
// state priors, start and transition log-probabilities.
// The file format is described in doc/text.md ("Model file format").
struct LineModel {
  std::vector<std::string> feature_names;
  std::vector<double> mean, scale;            // per feature
  int hidden = 0;                             // hidden units; 0 = linear
  std::vector<std::vector<double>> weights;   // [state][feature] (linear) or
                                              // [unit][feature] (hidden layer)
  std::vector<double> hidden_bias;            // [unit]
  std::vector<std::vector<double>> out_weights;  // [state][unit]
  std::vector<double> bias;                   // [state]
  std::vector<double> log_prior;              // [state], of the training data
  std::vector<double> log_start;              // [state]
  std::vector<std::vector<double>> log_trans; // [from][to]

  // Parses the text form. Corrupt on any syntax error, InvalidArgument when
  // the feature names differ from LineFeatureNames().
  static StatusOr<LineModel> Parse(std::string_view text);
  // NotFound / IoError when the file cannot be read, else as Parse.
  static StatusOr<LineModel> LoadFile(const std::string& path);
  // The model embedded at build time (models/lines.model).
  static StatusOr<LineModel> Embedded();
  // Whether a model was embedded at build time (Embedded() is not NotFound).
  static bool HasEmbedded();
  // The text form (what Parse reads).
  std::string Serialize() const;
};

// Best state sequence for per-position emission log-scores
// emission[t][s], log_start[s] and log_trans[from][to]. Ties prefer the lower
// state index. Returns one state per position; empty input gives empty output.
std::vector<int> ViterbiDecode(const std::vector<std::vector<double>>& emission,
                               const std::vector<double>& log_start,
                               const std::vector<std::vector<double>>& log_trans);

struct LineClassifierOptions {
  // false: keep a line when its own main-state posterior is the largest
  // (no sequence decoding); for comparison in benchmarks.
  bool use_viterbi = true;
  // Added to the main state's emission log-score: > 0 keeps more lines
  // (recall), < 0 fewer (precision).
  double main_bias = 0.0;
};

struct LineDecision {
  std::vector<int> state;      // LineState per line
  std::vector<double> p_main;  // the per-line posterior of main text (no sequence)
  std::vector<bool> keep;      // state == kLineMain and the line is not blank
};

class LineClassifier {
 public:
  explicit LineClassifier(LineModel model, LineClassifierOptions options = {});
  // Blank lines (only whitespace) are never kept and do not take part in the
  // decoding. `lang` as for ComputeLineFeatures. A document of more than
  // 100,000 lines is classified in pieces of that size (bounded memory).
  LineDecision Classify(const std::vector<std::string_view>& lines,
                        std::string_view lang) const;
  const LineModel& model() const { return model_; }

 private:
  LineModel model_;
  LineClassifierOptions options_;
};

}  // namespace winnow

#endif  // WINNOW_LINES_H_
