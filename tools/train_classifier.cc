// `winnow train-classifier`: a fastText supervised model from labelled
// texts, for the filter.classifier stage (winnow/classifier.h,
// doc/filter.md "Learned classifiers").
#include <cstdio>
#include <memory>

#include "cli_common.h"
#include "winnow/classifier.h"

namespace winnow::cli {

void AddTrainClassifierCommand(CLI::App* app, int* exit_code) {
  struct Opts {
    std::vector<std::string> inputs, positives, negatives;
    std::string output;
    std::string positive_label = "pos", negative_label = "neg";
    LabelledTextsOptions read;
    ClassifierTrainOptions train;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app->add_subcommand(
      "train-classifier",
      "Train a fastText classifier for the filter.classifier stage from labelled JSONL\n"
      "({\"text\", \"label\"} lines) and/or files of positives and negatives (JSONL with a text\n"
      "field, or plain text: one document per line). The texts are normalised as the stage\n"
      "does; a held-out share is scored (precision, recall, F1, AUC per label). Deterministic\n"
      "for a --seed with --threads 1 (the default).");
  cmd->add_option("inputs", o->inputs, "labelled JSONL files (.jsonl, .jsonl.gz, .jsonl.zst)");
  cmd->add_option("-o,--output", o->output, "the model file to write (.bin; .ftz with --quantize)")->required();
  cmd->add_option("--positive", o->positives, "a file whose every record has --positive-label (repeatable)");
  cmd->add_option("--negative", o->negatives, "a file whose every record has --negative-label (repeatable)");
  cmd->add_option("--positive-label", o->positive_label, "label of --positive files")->capture_default_str();
  cmd->add_option("--negative-label", o->negative_label, "label of --negative files")->capture_default_str();
  cmd->add_option("--text-field", o->read.text_field, "JSONL field of the text")->capture_default_str();
  cmd->add_option("--label-field", o->read.label_field, "JSONL field of the label")->capture_default_str();
  ClassifierTrainOptions& t = o->train;
  cmd->add_option("--dim", t.dim, "size of the word vectors")->capture_default_str()->check(CLI::Range(1, 100000));
  cmd->add_option("--epoch", t.epoch, "passes over the training data")->capture_default_str()->check(CLI::Range(1, 100000));
  cmd->add_option("--lr", t.lr, "learning rate")->capture_default_str()->check(CLI::Range(1e-9, 100.0));
  cmd->add_option("--word-ngrams", t.word_ngrams, "word n-grams (1 = words only)")->capture_default_str()->check(CLI::Range(1, 10));
  cmd->add_option("--min-count", t.min_count, "ignore words seen fewer times")->capture_default_str()->check(CLI::Range(1, 1 << 30));
  cmd->add_option("--buckets", t.buckets, "hashed n-gram rows (model size: (words + buckets) x dim floats)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1 << 30));
  cmd->add_option("--minn", t.minn, "shortest character n-gram (0 = none)")->capture_default_str()->check(CLI::Range(0, 100));
  cmd->add_option("--maxn", t.maxn, "longest character n-gram (0 = none)")->capture_default_str()->check(CLI::Range(0, 100));
  cmd->add_option("--loss", t.loss, "softmax, ova (one-vs-all: independent scores) or hs")
      ->capture_default_str()
      ->check(CLI::IsMember({"softmax", "ova", "hs"}));
  cmd->add_option("--threads", t.threads, "training threads (> 1 is faster and not reproducible)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--seed", t.seed, "seed of fastText and of the held-out split")->capture_default_str();
  cmd->add_option("--holdout", t.holdout, "share of the examples held out and scored")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 0.99));
  cmd->add_option("--max-chars", t.max_chars,
                  "train on the first N characters of each text (0 = all); give the stage the same max_chars")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  cmd->add_flag("--quantize", t.quantize, "product-quantise the model (a small .ftz file)");
  cmd->add_option("--cutoff", t.cutoff, "with --quantize: keep this many word and n-gram rows (0 = all)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  cmd->callback([o, exit_code] {
    if (o->inputs.empty() && o->positives.empty() && o->negatives.empty()) {
      *exit_code = Fail(Status::InvalidArgument("train-classifier: no input (give labelled JSONL files, or "
                                                "--positive and --negative files)"));
      return;
    }
    std::vector<LabelledText> examples;
    std::vector<std::string> problems;
    auto read = [&](const std::vector<std::string>& files, const std::string& label) -> bool {
      LabelledTextsOptions r = o->read;
      r.label = label;
      for (const std::string& f : files) {
        Status s = ReadLabelledTexts(f, r, &examples, &problems);
        if (!s.ok()) {
          *exit_code = Fail(s);
          return false;
        }
      }
      return true;
    };
    if (!read(o->inputs, "") || !read(o->positives, o->positive_label) ||
        !read(o->negatives, o->negative_label)) {
      return;
    }
    const size_t kShown = 20;
    for (size_t i = 0; i < problems.size() && i < kShown; ++i) {
      std::fprintf(stderr, "winnow: %s\n", problems[i].c_str());
    }
    if (problems.size() > kShown) {
      std::fprintf(stderr, "winnow: ... %zu bad records in all\n", problems.size());
    }
    ClassifierTrainReport report;
    Status s = TrainClassifier(examples, o->train, o->output, &report);
    if (!s.ok()) {
      *exit_code = Fail(s);
      return;
    }
    std::printf("%s", report.ToText().c_str());
    std::printf("wrote %s%s\n", o->output.c_str(),
                problems.empty() ? "" : (" (" + std::to_string(problems.size()) + " bad records skipped)").c_str());
    *exit_code = problems.empty() ? kExitOk : kExitUnreadable;
  });
}

}  // namespace winnow::cli
