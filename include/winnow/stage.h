// Stage: one per-document step of the pipeline (extraction, line cleaning,
// language id, a quality filter, PII masking...), and the registry that
// finds stages by name.
//
// A stage reads and changes one Document: it may fill or edit blocks, add
// annotations, or reject the document with Document::Reject (a result with a
// reason, never an error). The pipeline skips later stages for a rejected
// document. Process() is called concurrently from several threads on
// different documents, so a stage keeps no mutable shared state (use
// thread_local scratch if needed).
#ifndef WINNOW_STAGE_H_
#define WINNOW_STAGE_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "winnow/config.h"
#include "winnow/document.h"
#include "winnow/settings.h"
#include "winnow/status.h"

namespace winnow {

class Stage {
 public:
  virtual ~Stage() = default;
  // Stable name used in configs, stats and rejection records ("filter.c4").
  virtual std::string name() const = 0;
  virtual void Process(Document& doc) const = 0;
  // For stages that use evidence from earlier documents (the extract
  // stage's site templates): the driver calls StartStream() before each
  // ordered stream of documents (a unit of work of `winnow clean`: the
  // evidence of earlier streams is forgotten, so a unit's output does not
  // depend on which units ran before it in the same process), Admit() for
  // every document in input order before any stage runs on it, with
  // Provenance::sequence set, and Release() when the pipeline is done with
  // it, so that decisions depend on input order, not on thread timing. A
  // driver that does none of these gets no evidence across documents.
  virtual void StartStream() const {}
  virtual void Admit(const Document& doc) const { (void)doc; }
  virtual void Release(const Document& doc) const { (void)doc; }
};

// Builds a stage from the config keys under its name (e.g. for "filter.c4",
// the Config passed holds the keys under "filter.c4." with that prefix removed).
using StageFactory =
    std::function<StatusOr<std::unique_ptr<Stage>>(const Config& stage_config)>;
// The same for a stage that may run as several named instances: `name` is
// the instance's full name ("filter.classifier.edu"), which the stage
// reports as its name().
using NamedStageFactory = std::function<StatusOr<std::unique_ptr<Stage>>(
    const std::string& name, const Config& stage_config)>;

class StageRegistry {
 public:
  // The registry with every built-in stage.
  static StageRegistry& Global();

  // `settings`: every key the factory reads, named relative to the stage
  // ("min_doc_words" for "filter.gopher_quality.min_doc_words"), with its
  // default and range (winnow/settings.h). "<name>.enabled" is added for all.
  void Register(const std::string& name, StageFactory factory, std::string help,
                std::vector<Setting> settings = {});
  // A stage that also runs as named instances "<name>.<instance>" (several
  // classifiers in one chain: filter.classifier.edu, filter.classifier.toxic),
  // each with its own keys under its full name. <instance> is one segment
  // of letters, digits and '_' that is not one of the stage's own keys.
  void RegisterWithInstances(const std::string& name, NamedStageFactory factory, std::string help,
                             std::vector<Setting> settings = {});
  // True for a registered name and for an instance of a stage that has them.
  bool Has(const std::string& name) const { return Find(name) != nullptr; }
  StatusOr<std::unique_ptr<Stage>> Create(const std::string& name, const Config& full_config) const;
  // name -> one-line help, sorted by name (registered names, no instances).
  std::vector<std::pair<std::string, std::string>> List() const;
  // The stage's settings as registered (relative names); empty if unknown.
  // An instance has the settings of its stage.
  std::vector<Setting> Settings(const std::string& name) const;
  // Whether `name` (a registered name) runs as named instances too.
  bool HasInstances(const std::string& name) const;

 private:
  struct Entry {
    StageFactory factory;
    NamedStageFactory named_factory;  // set for stages with instances
    std::string help;
    std::vector<Setting> settings;
  };
  const Entry* Find(const std::string& name) const;
  std::map<std::string, Entry> entries_;
};

}  // namespace winnow

#endif  // WINNOW_STAGE_H_
