#include <simdjson.h>

#include <cstdio>
#include <sstream>

#include "base/json_escape.h"
#include "winnow/pipeline.h"

namespace winnow {
namespace {

template <typename Map>
std::string FlatMapJson(const Map& m) {
  std::ostringstream o;
  o.precision(6);
  o << "{";
  bool first = true;
  for (const auto& [k, v] : m) {
    o << (first ? "" : ", ") << JsonString(k) << ": " << v;
    first = false;
  }
  o << "}";
  return o.str();
}

}  // namespace

void RunStats::Add(const Document& doc) {
  if (doc.decision.keep) {
    ++kept;
    bytes_out += doc.TextSize();
  } else {
    ++rejected;
    ++rejected_by[doc.decision.stage][doc.decision.reason];
  }
  for (const Block& b : doc.blocks) {
    if (!b.keep) ++blocks_dropped_by[b.drop_reason.empty() ? "unknown" : b.drop_reason];
  }
  for (const auto& [kind, n] : doc.annotations.pii_counts) pii_masked[kind] += n;
}

void RunStats::Merge(const RunStats& o) {
  docs_in += o.docs_in;
  bytes_in += o.bytes_in;
  kept += o.kept;
  rejected += o.rejected;
  unreadable += o.unreadable;
  bytes_out += o.bytes_out;
  records_skipped += o.records_skipped;
  invalid_utf8_replaced += o.invalid_utf8_replaced;
  for (const auto& [s, reasons] : o.rejected_by)
    for (const auto& [r, n] : reasons) rejected_by[s][r] += n;
  for (const auto& [k, n] : o.blocks_dropped_by) blocks_dropped_by[k] += n;
  for (const auto& [k, n] : o.stage_seconds) stage_seconds[k] += n;
  for (const auto& [k, n] : o.pii_masked) pii_masked[k] += n;
  wall_seconds += o.wall_seconds;
}

std::string RunStats::ToJson() const {
  std::ostringstream o;
  o.precision(6);
  o << "{\n";
  o << "  \"docs_in\": " << docs_in << ",\n";
  o << "  \"bytes_in\": " << bytes_in << ",\n";
  o << "  \"kept\": " << kept << ",\n";
  o << "  \"rejected\": " << rejected << ",\n";
  o << "  \"unreadable\": " << unreadable << ",\n";
  o << "  \"conserved\": " << (Conserved() ? "true" : "false") << ",\n";
  o << "  \"bytes_out\": " << bytes_out << ",\n";
  o << "  \"records_skipped\": " << records_skipped << ",\n";
  o << "  \"invalid_utf8_replaced\": " << invalid_utf8_replaced << ",\n";
  o << "  \"rejected_by\": {";
  bool first = true;
  for (const auto& [s, reasons] : rejected_by) {
    o << (first ? "" : ", ") << JsonString(s) << ": " << FlatMapJson(reasons);
    first = false;
  }
  o << "},\n";
  o << "  \"blocks_dropped_by\": " << FlatMapJson(blocks_dropped_by) << ",\n";
  o << "  \"stage_seconds\": " << FlatMapJson(stage_seconds) << ",\n";
  o << "  \"pii_masked\": " << FlatMapJson(pii_masked) << ",\n";
  o << "  \"wall_seconds\": " << wall_seconds << ",\n";
  o << "  \"threads\": " << threads << (run_key.empty() ? "\n" : ",\n");
  if (!run_key.empty()) o << "  \"run_key\": " << JsonString(run_key) << "\n";
  o << "}\n";
  return o.str();
}

StatusOr<RunStats> RunStats::FromJson(const std::string& json) {
  RunStats s;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json).get(root) != simdjson::SUCCESS || !root.is_object()) {
    return Status::Corrupt("stats: not a JSON object");
  }
  auto u64 = [&](const char* key, uint64_t* out) {
    uint64_t v;
    if (root[key].get_uint64().get(v) == simdjson::SUCCESS) *out = v;
  };
  u64("docs_in", &s.docs_in);
  u64("bytes_in", &s.bytes_in);
  u64("kept", &s.kept);
  u64("rejected", &s.rejected);
  u64("unreadable", &s.unreadable);
  u64("bytes_out", &s.bytes_out);
  u64("records_skipped", &s.records_skipped);
  u64("invalid_utf8_replaced", &s.invalid_utf8_replaced);
  simdjson::dom::object obj;
  if (root["rejected_by"].get_object().get(obj) == simdjson::SUCCESS) {
    for (auto [stage, reasons] : obj) {
      simdjson::dom::object r;
      if (reasons.get_object().get(r) != simdjson::SUCCESS) continue;
      for (auto [reason, n] : r) {
        uint64_t v;
        if (n.get_uint64().get(v) == simdjson::SUCCESS)
          s.rejected_by[std::string(stage)][std::string(reason)] = v;
      }
    }
  }
  auto flat_u64 = [&](const char* key, std::map<std::string, uint64_t>* out) {
    simdjson::dom::object m;
    if (root[key].get_object().get(m) != simdjson::SUCCESS) return;
    for (auto [k, n] : m) {
      uint64_t v;
      if (n.get_uint64().get(v) == simdjson::SUCCESS) (*out)[std::string(k)] = v;
    }
  };
  flat_u64("blocks_dropped_by", &s.blocks_dropped_by);
  flat_u64("pii_masked", &s.pii_masked);
  simdjson::dom::object secs;
  if (root["stage_seconds"].get_object().get(secs) == simdjson::SUCCESS) {
    for (auto [k, n] : secs) {
      double v;
      if (n.get_double().get(v) == simdjson::SUCCESS) s.stage_seconds[std::string(k)] = v;
    }
  }
  double wall;
  if (root["wall_seconds"].get_double().get(wall) == simdjson::SUCCESS) s.wall_seconds = wall;
  int64_t threads;
  if (root["threads"].get_int64().get(threads) == simdjson::SUCCESS) s.threads = static_cast<int>(threads);
  std::string_view key;
  if (root["run_key"].get_string().get(key) == simdjson::SUCCESS) s.run_key = std::string(key);
  return s;
}

std::string RunStats::ConservationLine() const {
  std::ostringstream o;
  o << "documents in " << docs_in << " = kept " << kept << " + rejected " << rejected
    << " + unreadable " << unreadable << (Conserved() ? "" : "  (MISMATCH)");
  return o.str();
}

std::string RunStats::ToTable() const {
  std::ostringstream o;
  char line[256];
  auto pct = [&](uint64_t n) { return docs_in ? 100.0 * n / docs_in : 0.0; };
  std::snprintf(line, sizeof line, "%-40s %12s %8s\n", "", "documents", "share");
  o << line;
  std::snprintf(line, sizeof line, "%-40s %12llu %7.1f%%\n", "in", (unsigned long long)docs_in, 100.0);
  o << line;
  std::snprintf(line, sizeof line, "%-40s %12llu %7.1f%%\n", "kept", (unsigned long long)kept, pct(kept));
  o << line;
  std::snprintf(line, sizeof line, "%-40s %12llu %7.1f%%\n", "rejected", (unsigned long long)rejected, pct(rejected));
  o << line;
  for (const auto& [stage, reasons] : rejected_by) {
    for (const auto& [reason, n] : reasons) {
      std::snprintf(line, sizeof line, "  %-38s %12llu %7.1f%%\n", (stage + "/" + reason).c_str(),
                    (unsigned long long)n, pct(n));
      o << line;
    }
  }
  std::snprintf(line, sizeof line, "%-40s %12llu %7.1f%%\n", "unreadable", (unsigned long long)unreadable, pct(unreadable));
  o << line;
  if (!blocks_dropped_by.empty()) {
    o << "\nblocks (lines) dropped inside kept and rejected documents\n";
    for (const auto& [reason, n] : blocks_dropped_by) {
      std::snprintf(line, sizeof line, "  %-38s %12llu\n", reason.c_str(), (unsigned long long)n);
      o << line;
    }
  }
  if (!pii_masked.empty()) {
    o << "\nPII masked\n";
    for (const auto& [kind, n] : pii_masked) {
      std::snprintf(line, sizeof line, "  %-38s %12llu\n", kind.c_str(), (unsigned long long)n);
      o << line;
    }
  }
  if (!stage_seconds.empty()) {
    o << "\ntime per stage (thread-seconds)\n";
    for (const auto& [stage, sec] : stage_seconds) {
      std::snprintf(line, sizeof line, "  %-38s %12.3f\n", stage.c_str(), sec);
      o << line;
    }
  }
  std::snprintf(line, sizeof line,
                "\ninput %.2f MB, kept text %.2f MB, %.2f s wall on %d threads (%.1f docs/s, %.2f MB/s)\n",
                bytes_in / 1e6, bytes_out / 1e6, wall_seconds, threads,
                wall_seconds > 0 ? docs_in / wall_seconds : 0.0,
                wall_seconds > 0 ? bytes_in / 1e6 / wall_seconds : 0.0);
  o << line;
  o << ConservationLine() << "\n";
  return o.str();
}

}  // namespace winnow
