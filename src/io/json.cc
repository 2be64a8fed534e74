// DocumentToJson / DocumentFromJson: winnow's JSONL line (doc/formats.md).
#include "io/json.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include "base/json_escape.h"
#include "base/utf8.h"
#include "winnow/writer.h"

namespace winnow {
namespace io {

std::string UnreadableLine(const ReadError& e) {
  std::string line = "{\"file\": ";
  AppendJsonString(e.file, &line);
  line += ", \"record\": " + std::to_string(e.record) + ", \"offset\": " + std::to_string(e.offset) +
          ", \"message\": ";
  AppendJsonString(e.message, &line);
  line += "}\n";
  return line;
}

simdjson::dom::parser& ThreadParser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

bool IsWinnowLine(simdjson::dom::object obj) {
  simdjson::dom::object src;
  return obj["source"].get(src) == simdjson::SUCCESS;
}

namespace {

// Small writer that handles the commas.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string* out) : out_(out) { out_->push_back('{'); }
  void Key(std::string_view k) {
    if (!first_) out_->push_back(',');
    first_ = false;
    AppendJsonString(k, out_);
    out_->push_back(':');
  }
  void Str(std::string_view k, std::string_view v) {
    Key(k);
    AppendJsonString(v, out_);
  }
  void StrIfSet(std::string_view k, std::string_view v) {
    if (!v.empty()) Str(k, v);
  }
  void UInt(std::string_view k, uint64_t v) {
    Key(k);
    out_->append(std::to_string(v));
  }
  void Int(std::string_view k, int64_t v) {
    Key(k);
    out_->append(std::to_string(v));
  }
  void Num(std::string_view k, double v) {
    Key(k);
    AppendJsonNumber(v, out_);
  }
  void Bool(std::string_view k, bool v) {
    Key(k);
    out_->append(v ? "true" : "false");
  }
  void End() { out_->push_back('}'); }

 private:
  std::string* out_;
  bool first_ = true;
};

template <typename Map, typename F>
void WriteMap(ObjectWriter& w, std::string* out, std::string_view key, const Map& m, F value) {
  if (m.empty()) return;
  w.Key(key);
  ObjectWriter inner(out);
  for (const auto& [k, v] : m) {
    inner.Key(k);
    value(v);
  }
  inner.End();
}

std::string GetStr(simdjson::dom::object obj, std::string_view key) {
  std::string_view v;
  if (obj[key].get_string().get(v) == simdjson::SUCCESS) return std::string(v);
  return std::string();
}

double GetNum(simdjson::dom::element e) {
  double d;
  if (e.get_double().get(d) == simdjson::SUCCESS) return d;
  int64_t i;
  if (e.get_int64().get(i) == simdjson::SUCCESS) return static_cast<double>(i);
  uint64_t u;
  if (e.get_uint64().get(u) == simdjson::SUCCESS) return static_cast<double>(u);
  return 0;
}

uint64_t GetUInt(simdjson::dom::object obj, std::string_view key) {
  simdjson::dom::element e;
  if (obj[key].get(e) != simdjson::SUCCESS) return 0;
  uint64_t u;
  if (e.get_uint64().get(u) == simdjson::SUCCESS) return u;
  double d = GetNum(e);
  if (!(d > 0)) return 0;  // negative, zero or NaN
  // A count beyond 64 bits (2e143 from a fuzzer) is the largest one, not
  // undefined behaviour.
  if (d >= 18446744073709551616.0) return UINT64_MAX;
  return static_cast<uint64_t>(d);
}

// A non-negative count that fits T (int for a status or level, int64_t for
// sizes): larger values read as T's largest, so that they write back the same.
template <typename T>
T GetCount(simdjson::dom::object obj, std::string_view key) {
  return static_cast<T>(std::min<uint64_t>(GetUInt(obj, key), static_cast<uint64_t>(std::numeric_limits<T>::max())));
}

// A signed count, clamped to int64_t (NaN reads as 0).
int64_t GetInt(simdjson::dom::element e) {
  const double d = GetNum(e);
  if (!(d == d)) return 0;
  if (d >= 9223372036854775807.0) return INT64_MAX;
  if (d <= -9223372036854775808.0) return INT64_MIN;
  return static_cast<int64_t>(d);
}

BlockKind BlockKindFromName(std::string_view n) {
  static const BlockKind kAll[] = {BlockKind::kTitle,    BlockKind::kHeading, BlockKind::kParagraph,
                                   BlockKind::kListItem, BlockKind::kTable,   BlockKind::kCode,
                                   BlockKind::kQuote,    BlockKind::kOther};
  for (BlockKind k : kAll) {
    if (n == BlockKindName(k)) return k;
  }
  return BlockKind::kOther;
}

// "dropped": the first `max` dropped blocks, each with the number of lines
// of "text" before it ("line"), its stage/reason and its text (cut to
// kDroppedTextBytes at a character boundary).
constexpr size_t kDroppedTextBytes = 300;

void WriteDropped(const Document& doc, int max, ObjectWriter* w, std::string* out) {
  int written = 0;
  uint64_t lines_before = 0;  // lines of Text() before the block
  for (const Block& b : doc.blocks) {
    if (b.keep) {
      lines_before += 1 + static_cast<uint64_t>(std::count(b.text.begin(), b.text.end(), '\n'));
      continue;
    }
    if (written == max) continue;
    if (written++ == 0) {
      w->Key("dropped");
      out->push_back('[');
    } else {
      out->push_back(',');
    }
    ObjectWriter d(out);
    d.UInt("line", lines_before);
    d.Str("stage", b.drop_reason);
    d.Str("text", Utf8Prefix(b.text, kDroppedTextBytes));
    d.End();
  }
  if (written > 0) out->push_back(']');
}

// Puts the "dropped" blocks back among the lines of "text" (one block per
// line), as !keep blocks at their place.
void ReadDropped(simdjson::dom::array dropped, Document* doc) {
  std::vector<Block> blocks;
  blocks.reserve(doc->blocks.size() + 8);
  size_t next = 0;  // the next line of text to place
  for (simdjson::dom::element e : dropped) {
    simdjson::dom::object o;
    if (e.get(o) != simdjson::SUCCESS) continue;
    const uint64_t line = GetUInt(o, "line");
    while (next < doc->blocks.size() && next < line) blocks.push_back(std::move(doc->blocks[next++]));
    Block b;
    b.text = GetStr(o, "text");
    b.keep = false;
    b.drop_reason = GetStr(o, "stage");
    blocks.push_back(std::move(b));
  }
  while (next < doc->blocks.size()) blocks.push_back(std::move(doc->blocks[next++]));
  doc->blocks = std::move(blocks);
}

}  // namespace

Status DocumentFromElement(simdjson::dom::object obj, Document* doc) {
  *doc = Document();
  doc->id = GetStr(obj, "id");
  doc->url = GetStr(obj, "url");
  simdjson::dom::object src;
  if (obj["source"].get(src) == simdjson::SUCCESS) {
    doc->source.file = GetStr(src, "file");
    doc->source.record = GetUInt(src, "record");
    doc->source.offset = GetUInt(src, "offset");
  }
  doc->kind = GetStr(obj, "kind") == "html" ? DocKind::kHtml : DocKind::kText;
  doc->raw = GetStr(obj, "raw");
  doc->raw_charset = GetStr(obj, "raw_charset");
  doc->input_bytes = GetUInt(obj, "input_bytes");
  simdjson::dom::object fetch;
  if (obj["fetch"].get(fetch) == simdjson::SUCCESS) {
    doc->fetch.http_status = GetCount<int>(fetch, "status");
    doc->fetch.content_type = GetStr(fetch, "content_type");
    doc->fetch.charset = GetStr(fetch, "charset");
    doc->fetch.date = GetStr(fetch, "date");
  }
  simdjson::dom::array blocks;
  if (obj["blocks"].get(blocks) == simdjson::SUCCESS) {
    for (simdjson::dom::element be : blocks) {
      simdjson::dom::object bo;
      if (be.get(bo) != simdjson::SUCCESS) continue;
      Block b;
      b.kind = BlockKindFromName(GetStr(bo, "kind"));
      b.text = GetStr(bo, "text");
      b.level = GetCount<int>(bo, "level");
      b.lang = GetStr(bo, "lang");
      bool keep = true;
      if (bo["keep"].get_bool().get(keep) == simdjson::SUCCESS) b.keep = keep;
      b.drop_reason = GetStr(bo, "drop_reason");
      doc->blocks.push_back(std::move(b));
    }
  } else {
    std::string_view text;
    if (obj["text"].get_string().get(text) == simdjson::SUCCESS) doc->SetTextLines(text);
    simdjson::dom::array dropped;
    if (obj["dropped"].get(dropped) == simdjson::SUCCESS) ReadDropped(dropped, doc);
  }
  Annotations& a = doc->annotations;
  a.lang = GetStr(obj, "lang");
  a.script = GetStr(obj, "script");
  simdjson::dom::element e;
  if (obj["lang_confidence"].get(e) == simdjson::SUCCESS) a.lang_confidence = GetNum(e);
  simdjson::dom::object m;
  if (obj["lang_shares"].get(m) == simdjson::SUCCESS) {
    for (auto [k, v] : m) a.lang_shares[std::string(k)] = GetNum(v);
  }
  if (obj["quality"].get(m) == simdjson::SUCCESS) {
    for (auto [k, v] : m) a.quality[std::string(k)] = GetNum(v);
  }
  if (obj["tags"].get(m) == simdjson::SUCCESS) {
    for (auto [k, v] : m) {
      std::string_view s;
      if (v.get_string().get(s) == simdjson::SUCCESS) a.tags[std::string(k)] = std::string(s);
    }
  }
  if (obj["pii"].get(m) == simdjson::SUCCESS) {
    for (auto [k, v] : m) a.pii_counts[std::string(k)] = GetInt(v);
  }
  a.dup_cluster = GetStr(obj, "dup_cluster");
  a.dup_cluster_size = GetCount<int64_t>(obj, "dup_cluster_size");
  a.title = GetStr(obj, "title");
  a.authors.clear();
  simdjson::dom::array authors;
  if (obj["authors"].get(authors) == simdjson::SUCCESS) {
    for (auto v : authors) {
      std::string_view s;
      if (v.get_string().get(s) == simdjson::SUCCESS) a.authors.emplace_back(s);
    }
  } else if (std::string one = GetStr(obj, "author"); !one.empty()) {
    a.authors.push_back(std::move(one));  // lines written before "authors" (one string)
  }
  a.date = GetStr(obj, "date");
  a.site_name = GetStr(obj, "site_name");
  a.description = GetStr(obj, "description");
  a.canonical_url = GetStr(obj, "canonical_url");
  simdjson::dom::object dec;
  if (obj["decision"].get(dec) == simdjson::SUCCESS) {
    bool keep = true;
    if (dec["keep"].get_bool().get(keep) == simdjson::SUCCESS) doc->decision.keep = keep;
    doc->decision.stage = GetStr(dec, "stage");
    doc->decision.reason = GetStr(dec, "reason");
    doc->decision.detail = GetStr(dec, "detail");
    if (!doc->decision.reason.empty() && dec["keep"].error() != simdjson::SUCCESS) {
      doc->decision.keep = false;
    }
  }
  return Status::Ok();
}

}  // namespace io

std::string DocumentToJson(const Document& doc, const JsonOptions& options) {
  std::string out;
  out.reserve(256 + doc.raw.size() / 2 + (options.raw ? doc.raw.size() : 0));
  io::ObjectWriter w(&out);
  w.Str("id", doc.id);
  w.Str("url", doc.url);
  w.Key("source");
  {
    io::ObjectWriter s(&out);
    s.Str("file", doc.source.file);
    s.UInt("record", doc.source.record);
    s.UInt("offset", doc.source.offset);
    s.End();
  }
  w.Str("kind", doc.kind == DocKind::kHtml ? "html" : "text");
  // A document no stage has touched (no blocks at all) writes its raw text
  // for kind text, so that converting a corpus without cleaning keeps the text.
  if (doc.blocks.empty() && doc.kind == DocKind::kText) {
    w.Str("text", doc.raw);
  } else {
    w.Str("text", doc.Text());
  }
  if (options.blocks) {
    w.Key("blocks");
    out.push_back('[');
    bool first = true;
    for (const Block& b : doc.blocks) {
      if (!first) out.push_back(',');
      first = false;
      io::ObjectWriter bw(&out);
      bw.Str("kind", BlockKindName(b.kind));
      bw.Str("text", b.text);
      if (b.level != 0) bw.Int("level", b.level);
      bw.StrIfSet("lang", b.lang);
      if (!b.keep) bw.Bool("keep", false);
      bw.StrIfSet("drop_reason", b.drop_reason);
      bw.End();
    }
    out.push_back(']');
  }
  if (!options.blocks && options.dropped_lines > 0) io::WriteDropped(doc, options.dropped_lines, &w, &out);
  if (options.annotations) {
    const Annotations& a = doc.annotations;
    w.StrIfSet("lang", a.lang);
    w.StrIfSet("script", a.script);
    if (!a.lang.empty()) w.Num("lang_confidence", a.lang_confidence);
    io::WriteMap(w, &out, "lang_shares", a.lang_shares, [&](double v) { AppendJsonNumber(v, &out); });
    io::WriteMap(w, &out, "quality", a.quality, [&](double v) { AppendJsonNumber(v, &out); });
    io::WriteMap(w, &out, "tags", a.tags, [&](const std::string& v) { AppendJsonString(v, &out); });
    io::WriteMap(w, &out, "pii", a.pii_counts, [&](int64_t v) { out.append(std::to_string(v)); });
    w.StrIfSet("dup_cluster", a.dup_cluster);
    if (a.dup_cluster_size != 0) w.Int("dup_cluster_size", a.dup_cluster_size);
    w.StrIfSet("title", a.title);
    if (!a.authors.empty()) {
      w.Key("authors");
      out.push_back('[');
      for (size_t i = 0; i < a.authors.size(); ++i) {
        if (i) out.push_back(',');
        AppendJsonString(a.authors[i], &out);
      }
      out.push_back(']');
    }
    w.StrIfSet("date", a.date);
    w.StrIfSet("site_name", a.site_name);
    w.StrIfSet("description", a.description);
    w.StrIfSet("canonical_url", a.canonical_url);
  }
  const FetchInfo& f = doc.fetch;
  if (f.http_status != 0 || !f.content_type.empty() || !f.charset.empty() || !f.date.empty()) {
    w.Key("fetch");
    io::ObjectWriter fw(&out);
    if (f.http_status != 0) fw.Int("status", f.http_status);
    fw.StrIfSet("content_type", f.content_type);
    fw.StrIfSet("charset", f.charset);
    fw.StrIfSet("date", f.date);
    fw.End();
  }
  w.StrIfSet("raw_charset", doc.raw_charset);
  w.UInt("input_bytes", doc.input_bytes);
  if (options.decision) {
    w.Key("decision");
    io::ObjectWriter dw(&out);
    dw.Bool("keep", doc.decision.keep);
    dw.StrIfSet("stage", doc.decision.stage);
    dw.StrIfSet("reason", doc.decision.reason);
    dw.StrIfSet("detail", doc.decision.detail);
    dw.End();
  }
  if (options.raw) w.Str("raw", doc.raw);
  w.End();
  return out;
}

Status DocumentFromJson(std::string_view line, Document* doc) {
  simdjson::dom::element root;
  auto err = io::ThreadParser().parse(line.data(), line.size(), true).get(root);
  if (err != simdjson::SUCCESS) {
    return Status::Corrupt(std::string("not a JSON line: ") + simdjson::error_message(err));
  }
  simdjson::dom::object obj;
  if (root.get(obj) != simdjson::SUCCESS) return Status::Corrupt("the JSON line is not an object");
  return io::DocumentFromElement(obj, doc);
}

}  // namespace winnow
