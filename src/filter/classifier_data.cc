// ReadLabelledTexts: the training inputs of `winnow train-classifier`
// (labelled JSONL, or files of one class), with bad records reported and
// skipped.
#include <simdjson.h>

#include "io/input_stream.h"
#include "io/json.h"
#include "winnow/classifier.h"

namespace winnow {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool IsJsonlName(const std::string& path) {
  for (const char* ext : {".jsonl", ".jsonl.gz", ".jsonl.zst", ".json", ".json.gz", ".json.zst"}) {
    if (EndsWith(path, ext)) return true;
  }
  return false;
}

}  // namespace

Status ReadLabelledTexts(const std::string& path, const LabelledTextsOptions& o,
                         std::vector<LabelledText>* out, std::vector<std::string>* problems) {
  StatusOr<std::unique_ptr<io::InputStream>> in = io::InputStream::Open(path);
  if (!in.ok()) return in.status();
  io::BufferedInput lines(std::move(in).value());
  const bool jsonl = IsJsonlName(path);
  if (!jsonl && o.label.empty()) {
    return Status::InvalidArgument(path + ": a file of plain text lines has no labels; give it as a file "
                                   "of one class (positives or negatives) or give JSONL");
  }
  simdjson::dom::parser& parser = io::ThreadParser();
  std::string_view line;
  bool too_long = false;
  uint64_t n = 0;
  auto problem = [&](const std::string& what) {
    if (problems) problems->push_back(path + ":" + std::to_string(n) + ": " + what + " (skipped)");
  };
  while (lines.ReadLine(&line, o.max_record_bytes, &too_long)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (too_long) {
      problem("record longer than " + std::to_string(o.max_record_bytes) + " bytes");
      continue;
    }
    if (!jsonl) {
      out->push_back({std::string(line), o.label});
      continue;
    }
    simdjson::dom::element e;
    if (parser.parse(line.data(), line.size()).get(e) != simdjson::SUCCESS || !e.is_object()) {
      problem("not a JSON object");
      continue;
    }
    std::string_view text, label = o.label;
    if (e[o.text_field].get_string().get(text) != simdjson::SUCCESS) {
      problem("no string field \"" + o.text_field + "\"");
      continue;
    }
    if (o.label.empty()) {
      simdjson::dom::element l;
      int64_t as_int;
      if (e[o.label_field].get(l) != simdjson::SUCCESS) {
        problem("no field \"" + o.label_field + "\"");
        continue;
      }
      std::string owned;
      if (l.get_string().get(label) == simdjson::SUCCESS) {
      } else if (l.get_int64().get(as_int) == simdjson::SUCCESS) {
        owned = std::to_string(as_int);  // 0/1 labels, as many data sets have
      } else if (l.is_bool()) {
        owned = l.get_bool().value() ? "true" : "false";
      } else {
        problem("field \"" + o.label_field + "\" is not a string, integer or boolean");
        continue;
      }
      if (!owned.empty()) {
        out->push_back({std::string(text), owned});
        continue;
      }
    }
    if (label.empty() || label.find_first_of(" \t\n\r\v\f") != std::string_view::npos) {
      problem("label '" + std::string(label) + "' is empty or contains white space");
      continue;
    }
    out->push_back({std::string(text), std::string(label)});
  }
  if (lines.has_error()) return Status::Corrupt(path + ": " + lines.TakeError().message());
  return Status::Ok();
}

}  // namespace winnow
