// Loads the human gold texts of ../shared/data for the langid and filter
// benchmarks: the `text` of the extraction sets (the joined `with` segments
// for trafilatura's set, which has no full text) and the `text` (kept lines)
// of the plain-text set, with each page's language and where it came from.
#ifndef WINNOW_BENCH_COMMON_GOLD_TEXTS_H_
#define WINNOW_BENCH_COMMON_GOLD_TEXTS_H_

#include <simdjson.h>
#include <zlib.h>

#include <time.h>

#include <cstdio>
#include <string>
#include <vector>

namespace winnow_bench {

// CPU seconds of this thread: on a shared, overloaded machine wall time
// measures the queue for a core, CPU time the work (per core).
inline double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

struct GoldDoc {
  std::string set;          // "cleaneval", ..., "turku"
  std::string id;
  std::string lang;         // "" when the set does not know
  std::string lang_source;  // "html-lang-attr", "expected-metadata.json", "heuristic", "dataset"...
  std::string text;
};

inline bool ReadGz(const std::string& path, std::string* out) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return false;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out->append(buf, static_cast<size_t>(n));
  gzclose(f);
  return true;
}

inline std::string GetStr(simdjson::ondemand::object& o, const char* key) {
  auto field = o.find_field_unordered(key);
  if (field.error()) return "";
  std::string_view v;
  if (field.get_string().get(v)) return "";
  return std::string(v);
}

// Calls fn(simdjson::ondemand::object&) for each line of a gzip (or plain)
// JSONL file that is a JSON object; other lines are passed over. Returns
// false if the file cannot be read.
template <typename Fn>
inline bool ForEachJsonObject(const std::string& path, Fn fn) {
  std::string data;
  if (!ReadGz(path, &data)) return false;
  simdjson::ondemand::parser parser;
  size_t start = 0;
  while (start < data.size()) {
    size_t nl = data.find('\n', start);
    if (nl == std::string::npos) nl = data.size();
    std::string line = data.substr(start, nl - start);
    start = nl + 1;
    if (line.empty()) continue;
    simdjson::padded_string padded(line);
    simdjson::ondemand::document doc;
    simdjson::ondemand::object o;
    if (parser.iterate(padded).get(doc) || doc.get_object().get(o)) continue;
    fn(o);
  }
  return true;
}

// Appends the documents of one gzip JSONL file. Returns false if missing.
inline bool LoadSet(const std::string& path, const std::string& set, std::vector<GoldDoc>* out) {
  return ForEachJsonObject(path, [&](simdjson::ondemand::object& o) {
    GoldDoc g;
    g.set = set;
    g.id = GetStr(o, "id");
    g.lang = GetStr(o, "lang");
    g.lang_source = set == "turku" ? "dataset" : GetStr(o, "lang_source");
    g.text = GetStr(o, "text");
    if (g.text.empty()) {
      auto with = o.find_field_unordered("with");
      simdjson::ondemand::array arr;
      if (!with.error() && !with.get_array().get(arr)) {
        for (auto item : arr) {
          std::string_view s;
          if (item.get_string().get(s)) continue;
          if (!g.text.empty()) g.text += '\n';
          g.text += s;
        }
      }
    }
    if (!g.text.empty()) out->push_back(std::move(g));
  });
}

// All sets; *missing lists the files that could not be read. Trafilatura's
// set has no full gold text, only 2-5 short `with` segments per page: fine
// for language id, not documents for the quality filters (with_fragments).
inline std::vector<GoldDoc> LoadGold(const std::string& shared, std::vector<std::string>* missing,
                                     bool with_fragments = true) {
  std::vector<GoldDoc> docs;
  const char* sets[] = {"cleaneval", "dragnet", "readability", "scrapinghub", "trafilatura"};
  for (const char* s : sets) {
    if (!with_fragments && std::string(s) == "trafilatura") continue;
    std::string p = shared + "/data/extraction/" + s + ".jsonl.gz";
    if (!LoadSet(p, s, &docs)) missing->push_back(p);
  }
  std::string p = shared + "/data/plaintext/turku_line_quality.jsonl.gz";
  if (!LoadSet(p, "turku", &docs)) missing->push_back(p);
  return docs;
}

}  // namespace winnow_bench

#endif  // WINNOW_BENCH_COMMON_GOLD_TEXTS_H_
