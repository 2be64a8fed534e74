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
// Stage libraries land one by one: each part of the binding is compiled only
// when its library is in the build (WINNOW_PY_HAVE_*); `features()` tells
// Python which parts exist.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "winnow/config.h"
#include "winnow/document.h"
#include "winnow/pipeline.h"
#include "winnow/stage.h"
#include "winnow/status.h"
#ifdef WINNOW_PY_HAVE_IO
#include "winnow/reader.h"
#include "winnow/writer.h"
#endif
#ifdef WINNOW_PY_HAVE_EXTRACT
#include "winnow/extract.h"
#endif
#if defined(WINNOW_PY_HAVE_TEXT) && defined(WINNOW_PY_HAVE_IO) && __has_include("winnow/corpus.h")
#include <cstdio>
#include "winnow/corpus.h"
#include "winnow/repeated_lines.h"
#define WINNOW_PY_HAVE_REPEATED_LINES 1
#endif
#ifdef WINNOW_PY_HAVE_LANGID
#include "winnow/langid.h"
#endif
#ifdef WINNOW_PY_HAVE_DEDUP
#include "winnow/corpus.h"
#include "winnow/dedup.h"
#endif

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
  meta["author"] = a.author;
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

// clean_text: the plain-text line cleaning stage on one text document.
std::string CleanText(const std::string& text, const std::string& lang) {
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

#ifdef WINNOW_PY_HAVE_IO
std::string RunCleanPy(const std::vector<std::string>& inputs, const std::string& output_dir,
                       const FlatConfig& flat, const std::string& yaml_path, int threads,
                       bool strict) {
  CleanOptions options;
  options.inputs = inputs;
  options.output_dir = output_dir;
  options.config = MakeConfig(flat, yaml_path);
  options.threads = threads;
  options.strict = strict;
  options.progress = false;
  RunStats stats;
  Status s;
  {
    py::gil_scoped_release release;
    s = RunClean(options, &stats);
  }
  Check(s);
  return stats.ToJson();
}

// Every document of a winnow JSONL shard (any compression), in order.
py::list ReadDocuments(const std::string& path) {
  std::vector<Document> docs;
  uint64_t unreadable = 0;
  Status open_status;
  {
    py::gil_scoped_release release;
    ReaderOptions ro;
    ro.format = "jsonl";
    StatusOr<std::unique_ptr<Reader>> r = OpenReader(path, ro);
    open_status = r.status();
    for (; r.ok();) {
      Document doc;
      ReadError err;
      Reader::Result res = (*r)->Next(&doc, &err);
      if (res == Reader::Result::kEnd) break;
      if (res == Reader::Result::kUnreadable) {
        ++unreadable;
        continue;
      }
      docs.push_back(std::move(doc));
    }
  }
  Check(open_status);
  (void)unreadable;
  py::list out;
  for (const Document& d : docs) out.append(DocToDict(d));
  return out;
}

std::vector<std::string> ListInputsPy(const std::vector<std::string>& paths) {
  StatusOr<std::vector<std::string>> files = ListInputs(paths);
  if (!files.ok()) Raise(files.status());
  return *files;
}
#endif  // WINNOW_PY_HAVE_IO

// ---- Repeated-line removal as count / merge / apply tasks ------------------

#ifdef WINNOW_PY_HAVE_REPEATED_LINES
Status SaveAtomically(const RepeatedLineCounter& counter, const std::string& path) {
  const std::string tmp = path + ".tmp";
  Status s = counter.Save(tmp);
  if (!s.ok()) return s;
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::IoError("cannot rename " + tmp + " to " + path);
  }
  return Status::Ok();
}

// Pass 1 over some kept files: per-host line counts, saved to counts_path.
uint64_t RepeatedLinesCount(const std::vector<std::string>& files, const std::string& counts_path,
                            const FlatConfig& flat) {
  Config config = MakeConfig(flat, "");
  Status s;
  uint64_t docs = 0;
  {
    py::gil_scoped_release release;
    RepeatedLineCounter counter(RepeatedLineCounterOptionsFromConfig(config));
    s = ForEachShardDocument(files, [&](Document& doc) {
      counter.Observe(doc);
      return Status::Ok();
    });
    if (s.ok()) s = SaveAtomically(counter, counts_path);
    docs = counter.documents();
  }
  Check(s);
  return docs;
}

// Sums count files into one.
void RepeatedLinesMerge(const std::vector<std::string>& count_paths, const std::string& out_path,
                        const FlatConfig& flat) {
  Config config = MakeConfig(flat, "");
  Status s;
  {
    py::gil_scoped_release release;
    RepeatedLineCounterOptions o = RepeatedLineCounterOptionsFromConfig(config);
    RepeatedLineCounter total(o);
    for (const std::string& p : count_paths) {
      StatusOr<RepeatedLineCounter> c = RepeatedLineCounter::Load(p, o);
      if (!c.ok()) {
        s = c.status();
        break;
      }
      total.Merge(*c);
    }
    if (s.ok()) s = SaveAtomically(total, out_path);
  }
  Check(s);
}

// Pass 2 over some kept files: drops repeated lines, writes kept documents
// to kept_path and rejected ones ("all_lines_repeated") to rejected_path.
py::dict RepeatedLinesApply(const std::vector<std::string>& files, const std::string& counts_path,
                            const std::string& kept_path, const std::string& rejected_path,
                            const FlatConfig& flat, bool kept_blocks) {
  Config config = MakeConfig(flat, "");
  Status s;
  uint64_t kept = 0, bytes_out = 0;
  std::map<std::string, std::map<std::string, uint64_t>> rejected_by;
  std::map<std::string, uint64_t> blocks_dropped_by;
  {
    py::gil_scoped_release release;
    StatusOr<RepeatedLineCounter> counts =
        RepeatedLineCounter::Load(counts_path, RepeatedLineCounterOptionsFromConfig(config));
    s = counts.status();
    if (counts.ok()) {
      RepeatedLineFilter filter(&*counts, RepeatedLineFilterOptionsFromConfig(config));
      WriterOptions ko;
      ko.json.blocks = kept_blocks;
      WriterOptions ro;
      ro.json.decision = true;
      StatusOr<std::unique_ptr<DocumentWriter>> kw = OpenWriter(kept_path, ko);
      StatusOr<std::unique_ptr<DocumentWriter>> rw = OpenWriter(rejected_path, ro);
      s = !kw.ok() ? kw.status() : rw.status();
      if (kw.ok() && rw.ok()) {
        Status write;
        s = ForEachShardDocument(files, [&](Document& doc) -> Status {
          if (!write.ok()) return write;
          filter.Apply(doc);
          for (const Block& b : doc.blocks) {
            if (!b.keep && b.drop_reason.rfind("text.repeated_lines", 0) == 0) {
              ++blocks_dropped_by[b.drop_reason];
            }
          }
          if (doc.decision.keep) {
            ++kept;
            bytes_out += doc.Text().size();
            write = (*kw)->Write(doc);
          } else {
            ++rejected_by[doc.decision.stage][doc.decision.reason];
            write = (*rw)->Write(doc);
          }
          return write;
        });
        if (s.ok()) s = write;
        Status c1 = (*kw)->Close();
        Status c2 = (*rw)->Close();
        if (s.ok()) s = c1.ok() ? c2 : c1;
      }
    }
  }
  Check(s);
  py::dict d;
  d["kept"] = kept;
  d["bytes_out"] = bytes_out;
  d["rejected_by"] = rejected_by;
  d["blocks_dropped_by"] = blocks_dropped_by;
  return d;
}
#endif  // WINNOW_PY_HAVE_REPEATED_LINES

// ---- Extraction ------------------------------------------------------------

#ifdef WINNOW_PY_HAVE_EXTRACT
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
#endif

// ---- Language id -----------------------------------------------------------

#ifdef WINNOW_PY_HAVE_LANGID
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
#endif

// ---- Dedup passes ----------------------------------------------------------

#ifdef WINNOW_PY_HAVE_DEDUP
// DedupOptions from the "dedup." keys of a config: the same function as
// `winnow clean --dedup` and `winnow dedup` use (winnow/corpus.h), so a
// setting means the same in every runner.
StatusOr<DedupOptions> DedupOptionsFor(const Config& config) {
  return DedupOptionsFromConfig(config);
}

py::dict DedupStatsToDict(const DedupStats& s) {
  py::dict d;
  d["documents"] = s.documents;
  d["input_bytes"] = s.input_bytes;
  d["unreadable_records"] = s.unreadable_records;
  d["candidate_pairs"] = s.candidate_pairs;
  d["near_pairs"] = s.near_pairs;
  d["exact_pairs"] = s.exact_pairs;
  d["spilled_runs"] = s.spilled_runs;
  d["clusters"] = s.clusters;
  d["docs_in_clusters"] = s.docs_in_clusters;
  d["kept"] = s.kept;
  d["removed_exact"] = s.removed_exact;
  d["removed_near"] = s.removed_near;
  d["passes_skipped"] = s.passes_skipped;
  d["seconds"] = std::vector<double>(s.seconds, s.seconds + 4);
  return d;
}

// One share of one dedup pass: "signatures", "pairs", "clusters", "apply"
// (or "all" = RunDedup in this process).
py::dict DedupPass(const std::string& pass, const std::vector<std::string>& shards,
                   const FlatConfig& flat, const std::string& yaml_path,
                   const std::string& work_dir, int partitions, int task_index, int task_count,
                   int threads, const std::string& output_prefix,
                   const std::string& rejected_prefix) {
  Config config = MakeConfig(flat, yaml_path);
  StatusOr<DedupOptions> parsed = DedupOptionsFor(config);
  if (!parsed.ok()) Raise(parsed.status());
  DedupOptions o = *parsed;
  o.work_dir = work_dir;
  if (partitions > 0) o.partitions = partitions;
  o.task_index = task_index;
  o.task_count = task_count;
  o.threads = threads > 0 ? threads : 1;
  Check(ValidateDedupOptions(o));
  DedupStats stats;
  Status s;
  {
    py::gil_scoped_release release;
    if (pass == "signatures") {
      s = ComputeSignatures(shards, o, &stats);
    } else if (pass == "pairs") {
      s = FindCandidatePairs(shards, o, &stats);
    } else if (pass == "clusters") {
      s = ComputeClusters(shards, o, &stats);
    } else if (pass == "apply") {
      s = ApplyDedup(shards, output_prefix, rejected_prefix, o, &stats);
    } else if (pass == "all") {
      s = RunDedup(shards, output_prefix, rejected_prefix, o, &stats);
    } else {
      s = Status::InvalidArgument("unknown dedup pass \"" + pass +
                                  "\" (signatures, pairs, clusters, apply, all)");
    }
  }
  Check(s);
  py::dict d = DedupStatsToDict(stats);
  d["partitions"] = o.partitions;
  return d;
}
#endif  // WINNOW_PY_HAVE_DEDUP

}  // namespace
}  // namespace winnow

PYBIND11_MODULE(_winnow, m) {
  using namespace winnow;
  m.doc() = "winnow native core (see the `winnow` package for the documented API)";

  py::list features;
  features.append("pipeline");
#ifdef WINNOW_PY_HAVE_IO
  features.append("io");
#endif
#ifdef WINNOW_PY_HAVE_EXTRACT
  features.append("extract");
#endif
#ifdef WINNOW_PY_HAVE_TEXT
  features.append("text");
#endif
#ifdef WINNOW_PY_HAVE_LANGID
  features.append("langid");
#endif
#ifdef WINNOW_PY_HAVE_DEDUP
  features.append("dedup");
#endif
#ifdef WINNOW_PY_HAVE_REPEATED_LINES
  features.append("repeated_lines");
#endif
  m.attr("features") = features;

  py::class_<PyPipeline>(m, "Pipeline")
      .def(py::init<const FlatConfig&, const std::string&>(), py::arg("config"),
           py::arg("yaml_path") = "")
      .def("process", &PyPipeline::Process, py::arg("docs"))
      .def("stage_names", &PyPipeline::StageNames);

  m.def("default_stages", &Pipeline::DefaultStages);
  m.def("list_stages", &ListStages);
  m.def("load_config", &LoadConfig, py::arg("yaml_path") = "",
        py::arg("sets") = std::vector<std::string>());
  m.def("clean_text", &CleanText, py::arg("text"), py::arg("lang") = "");
  m.def("merge_stats", &MergeStats, py::arg("stats_json"));
  m.def("stats_table", &StatsTable, py::arg("stats_json"));
#ifdef WINNOW_PY_HAVE_IO
  m.def("run_clean", &RunCleanPy, py::arg("inputs"), py::arg("output_dir"), py::arg("config"),
        py::arg("yaml_path") = "", py::arg("threads") = 1, py::arg("strict") = false);
  m.def("read_documents", &ReadDocuments, py::arg("path"));
  m.def("list_inputs", &ListInputsPy, py::arg("paths"));
#endif
#ifdef WINNOW_PY_HAVE_REPEATED_LINES
  m.def("repeated_lines_count", &RepeatedLinesCount, py::arg("files"), py::arg("counts_path"),
        py::arg("config"));
  m.def("repeated_lines_merge", &RepeatedLinesMerge, py::arg("count_paths"),
        py::arg("out_path"), py::arg("config"));
  m.def("repeated_lines_apply", &RepeatedLinesApply, py::arg("files"), py::arg("counts_path"),
        py::arg("kept_path"), py::arg("rejected_path"), py::arg("config"),
        py::arg("kept_blocks") = false);
#endif
#ifdef WINNOW_PY_HAVE_EXTRACT
  m.def("extract", &ExtractPy, py::arg("html"), py::arg("url") = "", py::arg("format") = "text",
        py::arg("include_comments") = false, py::arg("include_tables") = true,
        py::arg("include_links") = false, py::arg("include_images") = false);
#endif
#ifdef WINNOW_PY_HAVE_LANGID
  m.def("identify_language", &IdentifyLanguage, py::arg("text"));
#endif
#ifdef WINNOW_PY_HAVE_DEDUP
  m.def("dedup_pass", &DedupPass, py::arg("pass_name"), py::arg("shards"), py::arg("config"),
        py::arg("yaml_path"), py::arg("work_dir"), py::arg("partitions"), py::arg("task_index"),
        py::arg("task_count"), py::arg("threads") = 1, py::arg("output_prefix") = "",
        py::arg("rejected_prefix") = "");
#endif
}
