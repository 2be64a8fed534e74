// TrainClassifier: held-out split, fastText supervised training on the
// normalised texts, optional quantisation, held-out figures per label.
#include <fasttext/fasttext.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "winnow/classifier.h"

namespace winnow {
namespace {

namespace fs = std::filesystem;

// Area under the ROC curve of `scores` for positives `pos` (Mann-Whitney U,
// ties counted half). 0.5 when one class is absent... by convention NaN.
double Auc(const std::vector<std::pair<double, bool>>& scored) {
  std::vector<std::pair<double, bool>> s = scored;
  std::sort(s.begin(), s.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  double rank_sum = 0;
  int64_t pos = 0, neg = 0;
  for (size_t i = 0; i < s.size();) {
    size_t j = i;
    while (j < s.size() && s[j].first == s[i].first) ++j;
    const double mid_rank = (i + 1 + j) / 2.0;  // ranks i+1..j share their mean
    for (size_t k = i; k < j; ++k) {
      if (s[k].second) {
        rank_sum += mid_rank;
        ++pos;
      } else {
        ++neg;
      }
    }
    i = j;
  }
  if (pos == 0 || neg == 0) return std::nan("");
  return (rank_sum - pos * (pos + 1) / 2.0) / (static_cast<double>(pos) * neg);
}

fasttext::loss_name LossName(const std::string& loss, bool* ok) {
  *ok = true;
  if (loss == "softmax") return fasttext::loss_name::softmax;
  if (loss == "ova") return fasttext::loss_name::ova;
  if (loss == "hs") return fasttext::loss_name::hs;
  *ok = false;
  return fasttext::loss_name::softmax;
}

std::string Label(std::string_view l) {
  if (l.substr(0, kFastTextLabelPrefix.size()) == kFastTextLabelPrefix) {
    l.remove_prefix(kFastTextLabelPrefix.size());
  }
  return std::string(l);
}

}  // namespace

Status TrainClassifier(const std::vector<LabelledText>& examples, const ClassifierTrainOptions& o,
                       const std::string& model_path, ClassifierTrainReport* report) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point t0 = Clock::now();
  *report = ClassifierTrainReport();
  bool loss_ok;
  const fasttext::loss_name loss = LossName(o.loss, &loss_ok);
  if (!loss_ok) return Status::InvalidArgument("loss must be softmax, ova or hs, not '" + o.loss + "'");
  if (o.dim < 1 || o.epoch < 1 || o.lr <= 0 || o.word_ngrams < 1 || o.threads < 1 || o.buckets < 0 ||
      o.holdout < 0 || o.holdout >= 1 || o.minn < 0 || o.maxn < o.minn) {
    return Status::InvalidArgument("bad training settings (dim, epoch, lr, word_ngrams, threads >= 1; "
                                   "buckets >= 0; 0 <= holdout < 1; 0 <= minn <= maxn)");
  }
  // Labels are checked, examples with an empty text are kept (they still
  // carry "</s>"): the count of examples is what the user gave.
  std::map<std::string, int64_t> label_counts;
  for (size_t i = 0; i < examples.size(); ++i) {
    const std::string l = Label(examples[i].label);
    if (l.empty() || l.find_first_of(" \t\n\r\v\f") != std::string::npos) {
      return Status::InvalidArgument("example " + std::to_string(i) + ": label '" + examples[i].label +
                                     "' is empty or contains white space");
    }
    ++label_counts[l];
  }
  if (label_counts.size() < 2) {
    return Status::InvalidArgument("training needs examples of at least two labels (got " +
                                   std::to_string(label_counts.size()) + ")");
  }

  // A seeded shuffle (own Fisher-Yates over mt19937_64, whose output the
  // standard fixes): the first `holdout` share is held out, the rest is the
  // training file in shuffled order (fastText reads it in order; sorted by
  // label it would learn the last label's examples last).
  std::vector<size_t> order(examples.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937_64 rng(static_cast<uint64_t>(o.seed) * 0x9E3779B97F4A7C15ULL + 1);
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
  size_t heldout = static_cast<size_t>(std::floor(o.holdout * examples.size()));
  if (o.holdout > 0 && heldout == 0 && examples.size() >= 10) heldout = 1;
  report->examples = static_cast<int64_t>(examples.size());
  report->heldout_examples = static_cast<int64_t>(heldout);
  report->train_examples = static_cast<int64_t>(examples.size() - heldout);

  const std::string tmp_dir = fs::path(model_path).parent_path().string();
  const std::string base = (tmp_dir.empty() ? std::string(".") : tmp_dir) + "/." +
                           fs::path(model_path).filename().string() + "." + std::to_string(::getpid());
  const std::string train_file = base + ".train";
  const std::string tmp_model = base + ".tmp";
  std::map<std::string, int64_t> train_counts;
  {
    std::ofstream out(train_file, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IoError("cannot write the training file " + train_file);
    for (size_t k = heldout; k < order.size(); ++k) {
      const LabelledText& e = examples[order[k]];
      const std::string l = Label(e.label);
      ++train_counts[l];
      out << kFastTextLabelPrefix << l << ' ' << NormalizeClassifierText(e.text, o.max_chars);
    }
    if (!out.flush()) {
      fs::remove(train_file);
      return Status::IoError("cannot write the training file " + train_file);
    }
  }
  for (const auto& kv : train_counts) report->train_counts.push_back(kv);
  if (train_counts.size() < 2) {
    fs::remove(train_file);
    return Status::InvalidArgument("after the held-out split the training set has one label only");
  }

  fasttext::Args args;
  args.input = train_file;
  args.output = tmp_model;
  args.model = fasttext::model_name::sup;
  args.loss = loss;
  args.dim = o.dim;
  args.epoch = o.epoch;
  args.lr = o.lr;
  args.wordNgrams = o.word_ngrams;
  args.minCount = o.min_count;
  args.bucket = o.word_ngrams > 1 || o.maxn > 0 ? o.buckets : 0;
  args.minn = o.minn;
  args.maxn = o.maxn;
  args.thread = o.threads;
  args.seed = o.seed;
  args.verbose = 0;
  fasttext::FastText ft;
  try {
    ft.train(args);
    if (o.quantize) {
      fasttext::Args q = args;
      q.qnorm = true;
      q.qout = false;
      q.retrain = false;
      q.cutoff = static_cast<size_t>(std::max<int64_t>(o.cutoff, 0));
      q.dsub = 2;
      ft.quantize(q);
    }
    ft.saveModel(tmp_model);
  } catch (const std::exception& e) {
    fs::remove(train_file);
    fs::remove(tmp_model);
    return Status::Internal(std::string("fastText training failed: ") + e.what());
  }
  fs::remove(train_file);
  std::error_code ec;
  fs::rename(tmp_model, model_path, ec);
  if (ec) {
    fs::remove(tmp_model);
    return Status::IoError("cannot write " + model_path + ": " + ec.message());
  }
  report->model_bytes = static_cast<int64_t>(fs::file_size(model_path, ec));
  report->train_seconds = std::chrono::duration<double>(Clock::now() - t0).count();

  // Held-out figures through the same path as the stage: Load + Predict.
  if (heldout == 0) return Status::Ok();
  StatusOr<std::shared_ptr<const Classifier>> model = Classifier::Load(model_path);
  if (!model.ok()) return model.status();
  const Classifier& c = **model;
  const size_t nl = c.labels().size();
  std::vector<std::vector<std::pair<double, bool>>> scored(nl);
  std::vector<int64_t> tp(nl, 0), predicted(nl, 0), support(nl, 0);
  int64_t correct = 0;
  for (size_t k = 0; k < heldout; ++k) {
    const LabelledText& e = examples[order[k]];
    const int truth = c.LabelIndex(Label(e.label));  // -1: a label absent from training
    std::vector<double> s = c.Predict(e.text, o.max_chars);
    const int top = static_cast<int>(std::max_element(s.begin(), s.end()) - s.begin());
    ++predicted[top];
    if (truth >= 0) ++support[truth];
    if (top == truth) {
      ++tp[top];
      ++correct;
    }
    for (size_t l = 0; l < nl; ++l) scored[l].emplace_back(s[l], static_cast<int>(l) == truth);
  }
  report->accuracy = static_cast<double>(correct) / heldout;
  for (size_t l = 0; l < nl; ++l) {
    LabelScores ls;
    ls.label = c.labels()[l];
    ls.support = support[l];
    ls.predicted = predicted[l];
    ls.precision = predicted[l] ? static_cast<double>(tp[l]) / predicted[l] : 0;
    ls.recall = support[l] ? static_cast<double>(tp[l]) / support[l] : 0;
    ls.f1 = ls.precision + ls.recall > 0 ? 2 * ls.precision * ls.recall / (ls.precision + ls.recall) : 0;
    ls.auc = Auc(scored[l]);
    report->labels.push_back(ls);
  }
  std::sort(report->labels.begin(), report->labels.end(),
            [](const LabelScores& a, const LabelScores& b) { return a.label < b.label; });
  return Status::Ok();
}

std::string ClassifierTrainReport::ToText() const {
  std::ostringstream out;
  char buf[256];
  out << "examples " << examples << ": training " << train_examples << " (";
  for (size_t i = 0; i < train_counts.size(); ++i) {
    out << (i ? ", " : "") << train_counts[i].first << " " << train_counts[i].second;
  }
  out << "), held out " << heldout_examples << "\n";
  std::snprintf(buf, sizeof buf, "model %.1f MB, trained in %.1f s\n", model_bytes / 1e6, train_seconds);
  out << buf;
  if (heldout_examples == 0) return out.str();
  std::snprintf(buf, sizeof buf, "held-out accuracy (top label) %.4f\n", accuracy);
  out << buf;
  std::snprintf(buf, sizeof buf, "%-20s %8s %9s %9s %9s %9s %9s\n", "label", "support", "predicted",
                "precision", "recall", "F1", "AUC");
  out << buf;
  for (const LabelScores& l : labels) {
    std::snprintf(buf, sizeof buf, "%-20s %8lld %9lld %9.4f %9.4f %9.4f %9.4f\n", l.label.c_str(),
                  static_cast<long long>(l.support), static_cast<long long>(l.predicted), l.precision,
                  l.recall, l.f1, l.auc);
    out << buf;
  }
  return out.str();
}

}  // namespace winnow
