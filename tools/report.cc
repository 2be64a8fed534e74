// `winnow report OUT/ [-o report.html]`: a run's figures as one
// self-contained HTML page (inline CSS and SVG, no script, no network):
// documents in / kept / rejected / unreadable, rejections by stage and
// reason, lines dropped by stage, languages of the kept documents (read from
// the kept shards), time per stage. Every number is also an attribute
// (data-chart, data-key, data-value) so a test can check it against
// stats.json.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "report.h"

#include "cli_common.h"
#include "winnow/pipeline.h"
#include "winnow/reader.h"

namespace winnow::cli {
namespace {

std::string Html(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Num(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

struct Bar {
  std::string key;
  double value = 0;
  std::string note;  // shown after the value ("1.2 MB")
};

// A horizontal bar chart as inline SVG, bars in the given order.
std::string BarChart(const std::string& chart, const std::string& title, const std::vector<Bar>& bars,
                     int decimals) {
  std::string out = "<section><h2>" + Html(title) + "</h2>\n";
  if (bars.empty()) return out + "<p class=\"none\">none</p></section>\n";
  double max = 0;
  for (const Bar& b : bars) max = std::max(max, b.value);
  const int row = 22, label_w = 300, bar_w = 330, width = 760;
  int height = row * static_cast<int>(bars.size()) + 4;
  out += "<svg class=\"chart\" role=\"img\" aria-label=\"" + Html(title) + "\" width=\"100%\" viewBox=\"0 0 " +
         std::to_string(width) + " " + std::to_string(height) + "\" data-chart=\"" + chart + "\">\n";
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    int y = static_cast<int>(i) * row + 2;
    double w = max > 0 ? bar_w * b.value / max : 0;
    std::string value = Num(b.value, decimals);
    out += "<g class=\"bar\" data-key=\"" + Html(b.key) + "\" data-value=\"" + value + "\">";
    out += "<text x=\"" + std::to_string(label_w - 6) + "\" y=\"" + std::to_string(y + 15) +
           "\" text-anchor=\"end\">" + Html(b.key) + "</text>";
    out += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" +
           Num(std::max(w, 1.0), 1) + "\" height=\"" + std::to_string(row - 6) + "\"/>";
    out += "<text x=\"" + Num(label_w + std::max(w, 1.0) + 6, 1) + "\" y=\"" + std::to_string(y + 15) + "\">" +
           value + (b.note.empty() ? "" : " (" + Html(b.note) + ")") + "</text></g>\n";
  }
  return out + "</svg></section>\n";
}

std::vector<Bar> SortedBars(const std::map<std::string, double>& m) {
  std::vector<Bar> bars;
  for (const auto& [k, v] : m) bars.push_back({k, v, ""});
  std::stable_sort(bars.begin(), bars.end(), [](const Bar& a, const Bar& b) { return a.value > b.value; });
  return bars;
}

std::string Bytes(double b) {
  if (b >= 1e9) return Num(b / 1e9, 2) + " GB";
  if (b >= 1e6) return Num(b / 1e6, 2) + " MB";
  if (b >= 1e3) return Num(b / 1e3, 1) + " kB";
  return Num(b, 0) + " B";
}

const char kStyle[] = R"(
body { font: 15px/1.45 system-ui, sans-serif; max-width: 60em; margin: 1.5em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.15em; margin: 1.4em 0 0.4em; }
.meta { color: #555; }
table.counts { border-collapse: collapse; } table.counts td { padding: 0.15em 1em 0.15em 0; }
table.counts td.n { text-align: right; font-variant-numeric: tabular-nums; }
svg.chart { max-width: 760px; display: block; } svg.chart text { font-size: 12px; fill: #222; }
svg.chart rect { fill: #4a7bb7; } .none { color: #777; }
@media print { body { max-width: none; margin: 0; font-size: 11pt; } section { break-inside: avoid; }
  svg.chart rect { fill: #555; } }
)";

}  // namespace

Status WriteRunReport(const std::string& run, const std::string& output) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::string stats_path = run + "/stats.json";
  if (!fs::is_directory(run, ec) || !fs::exists(stats_path, ec)) {
    return Status::NotFound(run + " holds no stats.json: give the output folder of a finished "
                            "`winnow clean` run");
  }
  std::ifstream in(stats_path);
  std::stringstream ss;
  ss << in.rdbuf();
  StatusOr<RunStats> stats = RunStats::FromJson(ss.str());
  if (!stats.ok()) {
    return Status::Corrupt(stats_path + ": " + stats.status().message());
  }
  // Languages: every kept document's, from the kept shards.
  std::vector<std::string> shards;
  for (const auto& e : fs::directory_iterator(run, ec)) {
    std::string name = e.path().filename().string();
    if (name.rfind("kept-", 0) == 0 && name.find(".jsonl") != std::string::npos) shards.push_back(e.path().string());
  }
  std::sort(shards.begin(), shards.end());
  std::map<std::string, double> lang_docs, lang_bytes;
  // The run's own output: a damaged record is an error (kStop), not a skipped line.
  Status read = ForEachShardDocument(shards, DamagedRecords::kStop, [&](Document& doc) {
    std::string lang = doc.annotations.lang.empty() ? "un" : doc.annotations.lang;
    lang_docs[lang] += 1;
    lang_bytes[lang] += static_cast<double>(doc.Text().size());
    return Status::Ok();
  });
  if (!read.ok()) {
    return read;
  }
  const RunStats& s = *stats;
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<title>winnow report: " + Html(run) + "</title>\n<style>" + kStyle + "</style></head>\n<body>\n";
  h += "<h1>winnow run report</h1>\n<p class=\"meta\">" + Html(fs::absolute(run).lexically_normal().string()) +
       (s.run_key.empty() ? "" : " &middot; run " + Html(s.run_key)) + " &middot; " + Num(s.wall_seconds, 1) +
       " s on " + std::to_string(s.threads) + " threads</p>\n";
  h += "<section><h2>Documents</h2>\n<table class=\"counts\" data-chart=\"counts\">\n";
  auto row = [&](const std::string& key, const std::string& label, uint64_t v, const std::string& note) {
    h += "<tr data-key=\"" + key + "\" data-value=\"" + std::to_string(v) + "\"><td>" + label +
         "</td><td class=\"n\">" + std::to_string(v) + "</td><td>" + note + "</td></tr>\n";
  };
  auto pct = [&](uint64_t v) {
    return s.docs_in ? Num(100.0 * static_cast<double>(v) / static_cast<double>(s.docs_in), 1) + "%" : "";
  };
  row("docs_in", "documents in", s.docs_in, Bytes(static_cast<double>(s.bytes_in)) + " of input");
  row("kept", "kept", s.kept, pct(s.kept) + ", " + Bytes(static_cast<double>(s.bytes_out)) + " of text");
  row("rejected", "rejected", s.rejected, pct(s.rejected));
  row("unreadable", "unreadable", s.unreadable, pct(s.unreadable));
  row("records_skipped", "WARC records skipped (other types)", s.records_skipped, "");
  h += "</table>\n<p class=\"meta\">" + Html(s.ConservationLine()) + "</p></section>\n";

  std::map<std::string, double> rejected;
  for (const auto& [stage, reasons] : s.rejected_by) {
    for (const auto& [reason, n] : reasons) rejected[stage + "/" + reason] = static_cast<double>(n);
  }
  h += BarChart("rejected", "Rejected documents by stage / reason", SortedBars(rejected), 0);
  std::map<std::string, double> dropped;
  for (const auto& [k, n] : s.blocks_dropped_by) dropped[k] = static_cast<double>(n);
  h += BarChart("lines_dropped", "Lines dropped by stage / reason", SortedBars(dropped), 0);
  std::vector<Bar> langs = SortedBars(lang_docs);
  for (Bar& b : langs) b.note = Bytes(lang_bytes[b.key]) + " of text";
  h += BarChart("languages", "Languages of the kept documents", langs, 0);
  h += BarChart("stage_seconds", "Time per stage (CPU-thread seconds)", SortedBars(s.stage_seconds), 3);
  std::map<std::string, double> pii;
  for (const auto& [k, n] : s.pii_masked) pii[k] = static_cast<double>(n);
  h += BarChart("pii_masked", "Personal data masked", SortedBars(pii), 0);
  h += "</body></html>\n";

  std::string out = output.empty() ? run + "/report.html" : output;
  std::ofstream f(out, std::ios::binary);
  f << h;
  f.close();
  if (!f) {
    return Status::IoError("cannot write " + out);
  }
  return Status::Ok();
}

void AddReportCommand(CLI::App* app, int* exit_code) {
  struct Opts {
    std::string run;
    std::string output;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app->add_subcommand(
      "report", "Write a run's figures as one self-contained HTML page (no network): counts, rejections\n"
                "by stage and reason, lines dropped, languages of the kept documents, time per stage.");
  cmd->add_option("run", o->run, "the output folder of `winnow clean`")->required();
  cmd->add_option("-o,--output", o->output, "the HTML file to write (default: RUN/report.html)");
  cmd->callback([o, exit_code] {
    Status s = WriteRunReport(o->run, o->output);
    if (!s.ok()) {
      *exit_code = Fail(s);
      return;
    }
    std::fprintf(stderr, "winnow: wrote %s\n", (o->output.empty() ? o->run + "/report.html" : o->output).c_str());
    *exit_code = kExitOk;
  });
}

}  // namespace winnow::cli
