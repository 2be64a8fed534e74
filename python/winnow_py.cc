// winnow._winnow: the thin pybind11 binding under the `winnow` Python package.
//
// Only plain values cross the boundary (str, int, float, bool, dict, list):
// the Pythonic layer (python/winnow/__init__.py) builds on them. Every call
// converts its Python arguments to C++ values while holding the GIL, then
// releases the GIL for all native work (py::gil_scoped_release), so that
// Python threads calling into winnow run in parallel.
//
// Errors: a non-OK winnow::Status becomes a Python exception (ValueError for
// bad arguments/config, FileNotFoundError, OSError, RuntimeError otherwise).
// Rejecting a document is never an error: it is the decision in the result.
//
// Thread-safety: every function is reentrant; a Pipeline object may be used
// from several threads at once (Pipeline::Process is thread-safe).
//
// Runs over files are `winnow clean`'s steps and tasks (winnow/pipeline.h):
// plan_clean lists them, run_clean_task runs one; the Dask runner
// (winnow/dask.py) only schedules them.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "winnow/classifier.h"
#include "winnow/config.h"
#include "winnow/document.h"
#include "winnow/extract.h"
#include "winnow/langid.h"
#include "winnow/pipeline.h"
#include "winnow/reader.h"
#include "winnow/settings.h"
#include "winnow/stage.h"
#include "winnow/status.h"

namespace py = pybind11;

namespace winnow {
namespace {

using FlatConfig = std::map<std::string, std::string>;

[[noreturn]] void Raise(const Status& s) {
  switch (s.code()) {
    case Status::Code::kInvalidArgument:
    case Status::Code::kUnsupported:
      throw py::value_error(s.ToString());
    case Status::Code::kNotFound:
      PyErr_SetString(PyExc_FileNotFoundError, s.ToString().c_str());
      throw py::error_already_set();
    case Status::Code::kIoError:
      PyErr_SetString(PyExc_OSError, s.ToString().c_str());
      throw py::error_already_set();
    default:
      throw std::runtime_error(s.ToString());
  }
}

void Check(const Status& s) {
  if (!s.ok()) Raise(s);
}

// The YAML file first, then the flat keys over it (as `--config` then `--set`).
Config MakeConfig(const FlatConfig& flat, const std::string& yaml_path) {
  Config config;
  if (!yaml_path.empty()) Check(config.MergeYamlFile(yaml_path));
  for (const auto& [k, v] : flat) config.Set(k, v);
  return config;
}

// ---- Documents <-> dicts -------------------------------------------------

// A str field as UTF-8 (lone surrogates replaced, never an error), bytes
// as they are, anything else through str().
std::string GetStr(const py::dict& d, const char* key) {
  if (!d.contains(key)) return "";
  py::object v = d[key];
  if (v.is_none()) return "";
  if (py::isinstance<py::bytes>(v)) return v.cast<std::string>();
  py::object s = py::isinstance<py::str>(v) ? v : py::str(v);
  PyObject* utf8 = PyUnicode_AsEncodedString(s.ptr(), "utf-8", "replace");
  if (utf8 == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::bytes>(utf8).cast<std::string>();
}

// {id, url, text | html, lang?} -> Document.
Document DocFromDict(const py::handle& h, size_t index) {
  if (!py::isinstance<py::dict>(h)) {
    throw py::type_error("documents must be dicts with keys id, url and text or html (item " +
                         std::to_string(index) + ")");
  }
  py::dict d = py::reinterpret_borrow<py::dict>(h);
  Document doc;
  doc.id = d.contains("id") ? GetStr(d, "id") : std::to_string(index);
  doc.url = GetStr(d, "url");
  doc.source.file = "<python>";
  doc.source.record = index;
  if (d.contains("html") && !d["html"].is_none()) {
    doc.kind = DocKind::kHtml;
    doc.raw = GetStr(d, "html");
  } else {
    doc.kind = DocKind::kText;
    doc.raw = GetStr(d, "text");
  }
  doc.input_bytes = doc.raw.size();
  std::string lang = GetStr(d, "lang");
  if (!lang.empty()) doc.annotations.lang = lang;
  return doc;
}

py::list BlocksToList(const std::vector<Block>& blocks, bool all) {
  py::list out;
  for (const Block& b : blocks) {
    if (!all && !b.keep) continue;
    py::dict d;
    d["kind"] = BlockKindName(b.kind);
    d["text"] = b.text;
    d["lang"] = b.lang;
    d["level"] = b.level;
    if (all) {
      d["keep"] = b.keep;
      d["drop_reason"] = b.drop_reason;
    }
    out.append(std::move(d));
  }
  return out;
}

py::dict DocToDict(const Document& doc) {
  py::dict d;
  d["id"] = doc.id;
  d["url"] = doc.url;
  d["keep"] = doc.decision.keep;
  d["stage"] = doc.decision.stage;
  d["reason"] = doc.decision.reason;
  d["detail"] = doc.decision.detail;
  d["text"] = doc.Text();
  d["blocks"] = BlocksToList(doc.blocks, /*all=*/true);
  const Annotations& a = doc.annotations;
  d["lang"] = a.lang;
  d["script"] = a.script;
  d["lang_confidence"] = a.lang_confidence;
  d["quality"] = a.quality;
  d["tags"] = a.tags;
  d["pii_counts"] = a.pii_counts;
  if (!a.dup_cluster.empty()) {
    d["dup_cluster"] = a.dup_cluster;
    d["dup_cluster_size"] = a.dup_cluster_size;
  }
  py::dict meta;
  meta["title"] = a.title;
  meta["authors"] = a.authors;
  meta["date"] = a.date;
  meta["site_name"] = a.site_name;
  meta["description"] = a.description;
  meta["canonical_url"] = a.canonical_url;
  d["metadata"] = std::move(meta);
  return d;
}

// ---- Pipeline ------------------------------------------------------------

class PyPipeline {
 public:
  PyPipeline(const FlatConfig& flat, const std::string& yaml_path)
      : config_(MakeConfig(flat, yaml_path)) {
    StatusOr<std::unique_ptr<Pipeline>> p = Pipeline::Create(config_);
    if (!p.ok()) Raise(p.status());
    pipeline_ = std::move(p).value();
  }

  py::list Process(const py::iterable& docs) const {
    std::vector<Document> batch;
    size_t i = 0;
    for (py::handle h : docs) batch.push_back(DocFromDict(h, i++));
    {
      py::gil_scoped_release release;
      for (Document& doc : batch) pipeline_->Process(doc, nullptr);
    }
    py::list out;
    for (const Document& doc : batch) out.append(DocToDict(doc));
    return out;
  }

  std::vector<std::string> StageNames() const {
    std::vector<std::string> names;
    for (const auto& s : pipeline_->stages()) names.push_back(s->name());
    return names;
  }

 private:
  Config config_;
  std::unique_ptr<Pipeline> pipeline_;
};

// ---- Classifier ------------------------------------------------------------

// winnow.Classifier(path): a fastText model (winnow/classifier.h), shared
// with any stage or other Classifier object of the same file in this
// process. predict() scores a str (-> {label: score}) or an iterable of str
// (-> [{label: score}, ...]) with the GIL released, normalised as the
// filter.classifier stage does.
class PyClassifier {
 public:
  PyClassifier(const std::string& path, int64_t max_chars) : max_chars_(max_chars) {
    StatusOr<std::shared_ptr<const Classifier>> c = [&path] {
      py::gil_scoped_release release;
      return Classifier::Load(path);
    }();
    if (!c.ok()) Raise(c.status());
    model_ = std::move(c).value();
  }

  py::object Predict(const py::object& texts) const {
    const bool one = py::isinstance<py::str>(texts) || py::isinstance<py::bytes>(texts);
    std::vector<std::string> batch;
    if (one) {
      batch.push_back(texts.cast<std::string>());
    } else {
      for (py::handle h : texts.cast<py::iterable>()) batch.push_back(h.cast<std::string>());
    }
    std::vector<std::vector<double>> scores(batch.size());
    {
      py::gil_scoped_release release;
      for (size_t i = 0; i < batch.size(); ++i) scores[i] = model_->Predict(batch[i], max_chars_);
    }
    auto to_dict = [this](const std::vector<double>& s) {
      py::dict d;
      for (size_t l = 0; l < s.size(); ++l) d[py::str(model_->labels()[l])] = s[l];
      return d;
    };
    if (one) return to_dict(scores[0]);
    py::list out;
    for (const auto& s : scores) out.append(to_dict(s));
    return out;
  }

  std::vector<std::string> Labels() const { return model_->labels(); }
  std::string Path() const { return model_->path(); }
  int Dimension() const { return model_->dimension(); }
  bool Quantized() const { return model_->quantized(); }

 private:
  std::shared_ptr<const Classifier> model_;
  int64_t max_chars_;
};

// text_lines: the text.lines stage (line classification) on one text document.
std::string TextLines(const std::string& text, const std::string& lang) {
  // Built once; Pipeline::Process is thread-safe (stages keep no mutable state).
  static const StatusOr<std::unique_ptr<Pipeline>>* const kTextPipeline = [] {
    Config c;
    c.Set("stages", "text.lines");
    return new StatusOr<std::unique_ptr<Pipeline>>(Pipeline::Create(c));
  }();
  if (!kTextPipeline->ok()) Raise(kTextPipeline->status());
  const Pipeline* pipeline = kTextPipeline->value().get();
  py::gil_scoped_release release;
  Document doc;
  doc.kind = DocKind::kText;
  doc.raw = text;
  if (!lang.empty()) doc.annotations.lang = lang;
  pipeline->Process(doc, nullptr);
  if (!doc.decision.keep) return "";
  return doc.Text();
}

// The flat dotted keys of a YAML file with "k=v" settings over it, as
// `winnow clean --config FILE --set k=v` reads them.
FlatConfig LoadConfig(const std::string& yaml_path, const std::vector<std::string>& sets) {
  Config config;
  if (!yaml_path.empty()) Check(config.MergeYamlFile(yaml_path));
  for (const std::string& kv : sets) {
    if (kv.find('=') == std::string::npos) {
      throw py::value_error("--set wants key=value, got \"" + kv + "\"");
    }
    Check(config.SetFromString(kv));
  }
  return config.values();
}

// The settings table (winnow/settings.h) as dicts: the one place defaults,
// types and ranges are written, so Python does not repeat them.
py::list SettingsPy() {
  py::list out;
  for (const Setting* s : SettingsTable::Global().List()) {
    py::dict d;
    d["name"] = s->name;
    d["type"] = std::string(SettingTypeName(s->type));
    d["default"] = s->default_value;
    d["allowed"] = s->AllowedText();
    if (s->type == SettingType::kInt || s->type == SettingType::kDouble) {
      d["min"] = s->min;
      d["max"] = s->max;
    }
    d["choices"] = s->choices;
    d["doc"] = s->doc;
    out.append(d);
  }
  return out;
}

// Raises ValueError for an unknown key (with the nearest known one) or a bad value.
void CheckConfigPy(const FlatConfig& flat) {
  Config c;
  for (const auto& [k, v] : flat) c.Set(k, v);
  Check(SettingsTable::Global().Validate(c));
}

std::vector<std::pair<std::string, std::string>> ListStages() {
  return StageRegistry::Global().List();
}

std::string MergeStats(const std::vector<std::string>& jsons) {
  RunStats total;
  bool first = true;
  for (const std::string& j : jsons) {
    StatusOr<RunStats> s = RunStats::FromJson(j);
    if (!s.ok()) Raise(s.status());
    if (first) {
      total = *s;
      first = false;
    } else {
      total.Merge(*s);
    }
  }
  return total.ToJson();
}

std::string StatsTable(const std::string& json) {
  StatusOr<RunStats> s = RunStats::FromJson(json);
  if (!s.ok()) Raise(s.status());
  return s->ToTable();
}

// ---- Runs on files (io) -----------------------------------------------------

CleanOptions MakeCleanOptions(const std::vector<std::string>& inputs, const std::string& output_dir,
                              const FlatConfig& flat, const std::string& yaml_path, int threads,
                              bool strict) {
  CleanOptions options;
  options.inputs = inputs;
  options.output_dir = output_dir;
  options.config = MakeConfig(flat, yaml_path);
  options.threads = threads;
  options.strict = strict;
  return options;
}

std::string RunCleanPy(const std::vector<std::string>& inputs, const std::string& output_dir,
                       const FlatConfig& flat, const std::string& yaml_path, int threads,
                       bool strict) {
  CleanOptions options = MakeCleanOptions(inputs, output_dir, flat, yaml_path, threads, strict);
  RunStats stats;
  Status s;
  {
    py::gil_scoped_release release;
    s = RunClean(options, &stats);
  }
  Check(s);
  return stats.ToJson();
}

// The steps of a run: [(name, number of tasks)] in order.
std::vector<std::pair<std::string, int>> PlanCleanPy(const std::vector<std::string>& inputs,
                                                     const std::string& output_dir,
                                                     const FlatConfig& flat) {
  CleanOptions options = MakeCleanOptions(inputs, output_dir, flat, "", 1, false);
  StatusOr<std::vector<RunStep>> plan = Status::Internal("not run");
  {
    py::gil_scoped_release release;
    plan = PlanClean(options);
  }
  if (!plan.ok()) Raise(plan.status());
  std::vector<std::pair<std::string, int>> out;
  for (const RunStep& s : *plan) out.emplace_back(s.name, s.tasks);
  return out;
}

// One task of a run; returns its figures (stats JSON; for "finish" the run's).
std::string RunCleanTaskPy(const std::vector<std::string>& inputs, const std::string& output_dir,
                           const FlatConfig& flat, const std::string& step, int task, int threads,
                           bool strict) {
  CleanOptions options = MakeCleanOptions(inputs, output_dir, flat, "", threads, strict);
  RunStats stats;
  Status s;
  {
    py::gil_scoped_release release;
    s = RunCleanTask(options, step, task, &stats);
  }
  Check(s);
  return stats.ToJson();
}

// Every document of a winnow JSONL shard (any compression), in order.
py::list ReadDocuments(const std::string& path) {
  std::vector<Document> docs;
  Status status;
  uint64_t skipped = 0;
  std::string last_skipped;
  {
    py::gil_scoped_release release;
    StatusOr<std::unique_ptr<ShardReader>> r = ShardReader::Open({path}, DamagedRecords::kSkip);
    status = r.status();
    for (; status.ok();) {
      Document doc;
      StatusOr<bool> more = (*r)->Next(&doc);
      if (!more.ok()) status = more.status();
      if (!more.ok() || !*more) break;
      docs.push_back(std::move(doc));
    }
    if (r.ok() && (*r)->skipped() > 0) {
      skipped = (*r)->skipped();
      last_skipped = (*r)->last_skipped().ToString();
    }
  }
  Check(status);
  if (skipped > 0) {
    // Nothing lost silently: the damaged records are skipped, and said.
    std::string msg = "read_documents: " + std::to_string(skipped) +
                      " damaged record(s) skipped in " + path + " (last: " + last_skipped + ")";
    if (PyErr_WarnEx(PyExc_RuntimeWarning, msg.c_str(), 1) < 0) throw py::error_already_set();
  }
  py::list out;
  for (const Document& d : docs) out.append(DocToDict(d));
  return out;
}

std::vector<std::string> ListInputsPy(const std::vector<std::string>& paths) {
  StatusOr<std::vector<std::string>> files = ListInputs(paths);
  if (!files.ok()) Raise(files.status());
  return *files;
}
// ---- Extraction ------------------------------------------------------------

py::dict ExtractPy(const std::string& html, const std::string& url, const std::string& format,
                   bool include_comments, bool include_tables, bool include_links,
                   bool include_images) {
  ExtractOptions options;
  if (format == "text") {
    options.format = ExtractFormat::kText;
  } else if (format == "markdown") {
    options.format = ExtractFormat::kMarkdown;
  } else if (format == "json") {
    options.format = ExtractFormat::kJson;
  } else {
    throw py::value_error("format must be \"text\", \"markdown\" or \"json\", not \"" + format + "\"");
  }
  options.include_comments = include_comments;
  options.include_tables = include_tables;
  options.include_links = include_links;
  options.include_images = include_images;
  StatusOr<ExtractResult> result = Status::Internal("not run");
  std::string rendered;
  {
    py::gil_scoped_release release;
    result = Extract(html, url, options);
    if (result.ok()) rendered = Render(*result, options);
  }
  if (!result.ok()) Raise(result.status());
  const ExtractResult& r = *result;
  py::dict d;
  d["text"] = rendered;
  d["blocks"] = BlocksToList(r.blocks, /*all=*/false);
  py::dict meta;
  meta["title"] = r.metadata.title;
  meta["authors"] = r.metadata.authors;
  meta["date"] = r.metadata.date;
  meta["site_name"] = r.metadata.site_name;
  meta["description"] = r.metadata.description;
  meta["language"] = r.metadata.language;
  meta["canonical_url"] = r.metadata.canonical_url;
  d["metadata"] = std::move(meta);
  d["reason"] = r.reason;
  d["truncated"] = r.truncated;
  return d;
}

// ---- Language id -----------------------------------------------------------

py::dict IdentifyLanguage(const std::string& text) {
  LangGuess g;
  {
    py::gil_scoped_release release;
    g = DetectLanguage(text);
  }
  py::dict d;
  d["lang"] = g.lang;
  d["script"] = g.script;
  d["confidence"] = g.confidence;
  d["reliable"] = g.reliable;
  d["shares"] = g.shares;
  d["text_bytes"] = g.text_bytes;
  return d;
}

}  // namespace
}  // namespace winnow

PYBIND11_MODULE(_winnow, m) {
  using namespace winnow;
  m.doc() = "winnow native core (see the `winnow` package for the documented API)";

  py::class_<PyClassifier>(m, "Classifier",
                           "A fastText classifier model (.bin/.ftz), loaded once per file per process.\n"
                           "Classifier(path, max_chars=0); predict(text) -> {label: score};\n"
                           "predict([texts]) -> [{label: score}, ...] (the GIL is released).")
      .def(py::init<const std::string&, int64_t>(), py::arg("path"), py::arg("max_chars") = 0)
      .def("predict", &PyClassifier::Predict, py::arg("texts"),
           "Scores of every label for a str, or a list of such dicts for an iterable of str.")
      .def_property_readonly("labels", &PyClassifier::Labels)
      .def_property_readonly("path", &PyClassifier::Path)
      .def_property_readonly("dimension", &PyClassifier::Dimension)
      .def_property_readonly("quantized", &PyClassifier::Quantized)
      .def("__repr__", [](const PyClassifier& c) {
        return "winnow.Classifier('" + c.Path() + "', labels=" + std::to_string(c.Labels().size()) + ")";
      });
  py::class_<PyPipeline>(m, "Pipeline")
      .def(py::init<const FlatConfig&, const std::string&>(), py::arg("config"),
           py::arg("yaml_path") = "")
      .def("process", &PyPipeline::Process, py::arg("docs"))
      .def("stage_names", &PyPipeline::StageNames);

  m.def("default_stages", &Pipeline::DefaultStages);
  m.def("list_stages", &ListStages);
  m.def("settings", &SettingsPy);
  m.def("check_config", &CheckConfigPy, py::arg("config"));
  m.def("load_config", &LoadConfig, py::arg("yaml_path") = "",
        py::arg("sets") = std::vector<std::string>());
  m.def("text_lines", &TextLines, py::arg("text"), py::arg("lang") = "");
  m.def("merge_stats", &MergeStats, py::arg("stats_json"));
  m.def("stats_table", &StatsTable, py::arg("stats_json"));
  m.def("run_clean", &RunCleanPy, py::arg("inputs"), py::arg("output_dir"), py::arg("config"),
        py::arg("yaml_path") = "", py::arg("threads") = 1, py::arg("strict") = false);
  m.def("plan_clean", &PlanCleanPy, py::arg("inputs"), py::arg("output_dir"), py::arg("config"));
  m.def("run_clean_task", &RunCleanTaskPy, py::arg("inputs"), py::arg("output_dir"),
        py::arg("config"), py::arg("step"), py::arg("task"), py::arg("threads") = 1,
        py::arg("strict") = false);
  m.def("read_documents", &ReadDocuments, py::arg("path"));
  m.def("list_inputs", &ListInputsPy, py::arg("paths"));
  m.def("extract", &ExtractPy, py::arg("html"), py::arg("url") = "", py::arg("format") = "text",
        py::arg("include_comments") = false, py::arg("include_tables") = true,
        py::arg("include_links") = false, py::arg("include_images") = false);
  m.def("identify_language", &IdentifyLanguage, py::arg("text"));
}
