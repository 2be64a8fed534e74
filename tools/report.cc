// `winnow report OUT/ [-o report.html]`: a run's figures as one
// self-contained HTML page (inline CSS and SVG, no script, no network):
// documents in / kept / rejected / unreadable, rejections by stage and
// reason, lines dropped by stage, languages of the kept documents (read from
// the kept shards), record and text lengths, time per stage, and samples: a
// few rejected documents per reason with the measured value against the
// threshold, and a few kept documents with the lines the stages dropped
// struck through (when the run kept them: output.dropped_lines, set by
// `clean --report`). Every number is also an attribute (data-chart,
// data-key, data-value) so a test can check it against stats.json.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "report.h"

#include "base/fnv.h"
#include "base/utf8.h"
#include "cli_common.h"
#include "runs.h"
#include "winnow/dedup.h"
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

// Deterministic samples: the documents whose ids hash lowest, the same
// whichever shard or task wrote them.
uint64_t IdHash(const std::string& id) { return Fnv1a64(id); }

// Keeps the `n` documents of lowest IdHash offered to it.
class Sample {
 public:
  explicit Sample(size_t n) : n_(n) {}
  void Offer(const Document& doc) {
    const uint64_t h = IdHash(doc.id);
    if (docs_.size() == n_ && h >= docs_.rbegin()->first) return;
    docs_.emplace(h, doc);
    if (docs_.size() > n_) docs_.erase(std::prev(docs_.end()));
  }
  std::vector<const Document*> docs() const {
    std::vector<const Document*> out;
    for (const auto& [h, d] : docs_) out.push_back(&d);
    return out;
  }

 private:
  size_t n_;
  std::multimap<uint64_t, Document> docs_;
};

// The first `max` bytes of `s`, cut at a character boundary, "..." when cut.
std::string Excerpt(const std::string& s, size_t max) {
  if (s.size() <= max) return s;
  return std::string(Utf8Prefix(s, max)) + " \u2026";
}

// Length bins, powers of 4 bytes: "< 64", "64-256", ..., "256k-1M", ">= 1M".
constexpr int kLengthBins = 9;
int LengthBin(uint64_t bytes) {
  int bin = 0;
  for (uint64_t edge = 64; bin < kLengthBins - 1 && bytes >= edge; edge *= 4) ++bin;
  return bin;
}
std::string LengthBinName(int bin) {
  static const char* kNames[kLengthBins] = {"< 64",     "64-256",   "256-1k",  "1k-4k", "4k-16k",
                                            "16k-64k",  "64k-256k", "256k-1M", ">= 1M"};
  return kNames[bin];
}

// Two series per bin as grouped columns (SVG), each column with data-chart
// (the series), data-key (the bin) and data-value.
std::string Histogram(const std::string& title, const std::string& chart_a, const std::string& label_a,
                      const std::vector<uint64_t>& a, const std::string& chart_b, const std::string& label_b,
                      const std::vector<uint64_t>& b) {
  std::string out = "<section><h2>" + Html(title) + "</h2>\n";
  uint64_t max = 1;
  for (uint64_t v : a) max = std::max(max, v);
  for (uint64_t v : b) max = std::max(max, v);
  const int bins = static_cast<int>(a.size()), col = 80, plot_h = 160, top = 24, width = 60 + bins * col;
  const int height = top + plot_h + 40;
  out += "<svg class=\"chart hist\" role=\"img\" aria-label=\"" + Html(title) +
         "\" width=\"100%\" viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) + "\">\n";
  out += "<g class=\"legend\"><rect class=\"a\" x=\"60\" y=\"4\" width=\"12\" height=\"12\"/><text x=\"78\" y=\"14\">" +
         Html(label_a) + "</text><rect class=\"b\" x=\"360\" y=\"4\" width=\"12\" height=\"12\"/><text x=\"378\" y=\"14\">" +
         Html(label_b) + "</text></g>\n";
  auto series = [&](const std::string& chart, const char* cls, const std::vector<uint64_t>& v, int dx) {
    std::string g = "<g data-chart=\"" + chart + "\">";
    for (int i = 0; i < bins; ++i) {
      double h = static_cast<double>(plot_h) * static_cast<double>(v[i]) / static_cast<double>(max);
      int x = 60 + i * col + dx;
      g += "<g class=\"bar\" data-key=\"" + Html(LengthBinName(i)) + "\" data-value=\"" + std::to_string(v[i]) +
           "\"><rect class=\"" + cls + "\" x=\"" + std::to_string(x) + "\" y=\"" + Num(top + plot_h - h, 1) +
           "\" width=\"30\" height=\"" + Num(h, 1) + "\"/>";
      if (v[i] > 0) {
        g += "<text x=\"" + std::to_string(x + 15) + "\" y=\"" + Num(top + plot_h - h - 3, 1) +
             "\" text-anchor=\"middle\">" + std::to_string(v[i]) + "</text>";
      }
      g += "</g>";
    }
    return g + "</g>\n";
  };
  out += series(chart_a, "a", a, 8) + series(chart_b, "b", b, 40);
  for (int i = 0; i < bins; ++i) {
    out += "<text class=\"axis\" x=\"" + std::to_string(60 + i * col + 40) + "\" y=\"" +
           std::to_string(top + plot_h + 16) + "\" text-anchor=\"middle\">" + Html(LengthBinName(i)) + "</text>";
  }
  out += "<text class=\"axis\" x=\"" + std::to_string(width - 4) + "\" y=\"" + std::to_string(top + plot_h + 34) +
         "\" text-anchor=\"end\">bytes</text>\n";
  out += "<line x1=\"56\" x2=\"" + std::to_string(width) + "\" y1=\"" + std::to_string(top + plot_h) + "\" y2=\"" +
         std::to_string(top + plot_h) + "\" stroke=\"#888\"/>\n";
  return out + "</svg></section>\n";
}

// The sampled rejected documents of each stage/reason: id, url, the measured
// value against the threshold (the decision's detail), the text's start.
std::string RejectedSamples(const std::map<std::string, Sample>& samples) {
  std::string out = "<section class=\"samples\" data-samples=\"rejected\"><h2>Rejected documents: a sample per "
                    "reason</h2>\n<p class=\"meta\">The documents of lowest id hash (the same for any shard "
                    "or task layout), with what was measured against the threshold.</p>\n";
  if (samples.empty()) return out + "<p class=\"none\">none</p></section>\n";
  for (const auto& [reason, sample] : samples) {
    out += "<h3>" + Html(reason) + "</h3>\n<table class=\"rej\">\n";
    for (const Document* d : sample.docs()) {
      out += "<tr class=\"rejected-doc\" data-reason=\"" + Html(reason) + "\" data-id=\"" + Html(d->id) +
             "\" data-detail=\"" + Html(d->decision.detail) + "\"><td class=\"detail\">" +
             Html(d->decision.detail.empty() ? "(no detail)" : d->decision.detail) + "</td><td><div class=\"id\">" +
             Html(d->url.empty() ? d->id : d->url) + "</div><div class=\"excerpt\">" +
             Html(Excerpt(d->Text(), 240)) + "</div></td></tr>\n";
    }
    out += "</table>\n";
  }
  return out + "</section>\n";
}

// The sampled kept documents with their dropped lines struck through, each
// labelled with the stage/reason that dropped it.
std::string KeptSamples(const Sample& sample, bool any_dropped_recorded, int max_lines) {
  std::string out = "<section class=\"samples\" data-samples=\"kept\"><h2>Kept documents: the lines the stages "
                    "dropped</h2>\n";
  if (!any_dropped_recorded) {
    return out + "<p class=\"none\">This run did not keep its dropped lines: run with <code>--report</code> or "
                 "<code>--output.dropped_lines N</code> to see them here.</p></section>\n";
  }
  out += "<p class=\"meta\">A few kept documents (lowest id hash among those with dropped lines); the "
         "struck-through lines were dropped by the stage named beside them, shown with the kept line either "
         "side (at most the first " +
         std::to_string(kReportDroppedLines) + " per document when set by <code>--report</code>).</p>\n";
  for (const Document* d : sample.docs()) {
    out += "<article class=\"kept-doc\" data-id=\"" + Html(d->id) + "\"><div class=\"id\">" +
           Html(d->url.empty() ? d->id : d->url) + (d->annotations.lang.empty() ? "" : " &middot; " + Html(d->annotations.lang)) +
           "</div>\n<div class=\"lines\">\n";
    // The dropped lines with one kept line either side; the other kept lines
    // are folded into "N kept lines".
    const size_t n = d->blocks.size();
    std::vector<bool> show(n, false);
    for (size_t i = 0; i < n; ++i) {
      if (d->blocks[i].keep) continue;
      for (size_t j = i == 0 ? 0 : i - 1; j <= i + 1 && j < n; ++j) show[j] = true;
    }
    int shown = 0;
    size_t folded = 0;
    auto fold = [&] {
      if (folded) out += "<p class=\"more\">&hellip; " + std::to_string(folded) + " kept line" + (folded == 1 ? "" : "s") + "</p>\n";
      folded = 0;
    };
    for (size_t i = 0; i < n; ++i) {
      const Block& b = d->blocks[i];
      if (!show[i] || shown == max_lines) {
        ++folded;
        continue;
      }
      fold();
      ++shown;
      if (b.keep) {
        out += "<p class=\"keep\">" + Html(Excerpt(b.text, 300)) + "</p>\n";
      } else {
        out += "<p class=\"drop\" data-stage=\"" + Html(b.drop_reason) + "\"><span class=\"stage\">" +
               Html(b.drop_reason) + "</span><del>" + Html(Excerpt(b.text, 300)) + "</del></p>\n";
      }
    }
    fold();
    out += "</div></article>\n";
  }
  return out + "</section>\n";
}

// Cluster size bins of a dedup run (the keeper and its removed copies).
constexpr int kClusterBins = 8;
int ClusterBin(int64_t size) {
  if (size <= 4) return static_cast<int>(std::max<int64_t>(size, 2) - 2);  // 2, 3, 4
  int bin = 3;
  for (int64_t edge = 8; bin < kClusterBins - 1 && size > edge; edge *= 2) ++bin;
  return bin;  // 5-8, 9-16, 17-32, 33-64, > 64
}
const char* ClusterBinName(int bin) {
  static const char* kNames[kClusterBins] = {"2", "3", "4", "5-8", "9-16", "17-32", "33-64", "> 64"};
  return kNames[bin];
}

// A removed duplicate and the document kept for it (its dup_cluster).
struct DupPair {
  Document removed;
  const Document* keeper = nullptr;  // null: not in the kept shards
};

// Removed duplicates beside their keepers: the decision (with the Jaccard
// similarity dedup measured, when it did) and the similarity of the two
// texts as this page measures it (5-word shingles, dedup's default).
std::string DupPairs(const std::vector<DupPair>& pairs) {
  std::string out = "<section class=\"samples\" data-samples=\"dedup\"><h2>Duplicates: removed and kept copies</h2>\n"
                    "<p class=\"meta\">A few removed documents (lowest id hash) beside the document kept for "
                    "them; similarity: the Jaccard similarity of their 5-word shingle sets.</p>\n";
  DedupOptions shingles;
  for (const DupPair& p : pairs) {
    const std::string removed = p.removed.Text();
    const std::string keeper = p.keeper ? p.keeper->Text() : "";
    const double j = p.keeper ? ShingleJaccard(removed, keeper, shingles) : 0;
    out += "<div class=\"pair\" data-removed=\"" + Html(p.removed.id) + "\" data-keeper=\"" +
           Html(p.removed.annotations.dup_cluster) + "\" data-similarity=\"" + (p.keeper ? Num(j, 4) : "") +
           "\">\n<p class=\"pairhead\"><span class=\"detail\">" + Html(p.removed.decision.reason) + ": " +
           Html(p.removed.decision.detail) + "</span> &middot; similarity " + (p.keeper ? Num(j, 4) : "unknown") +
           " &middot; cluster of " + std::to_string(p.removed.annotations.dup_cluster_size) + "</p>\n";
    out += "<div class=\"side\"><div class=\"id\">removed: " + Html(p.removed.url.empty() ? p.removed.id : p.removed.url) +
           "</div><div class=\"excerpt\">" + Html(Excerpt(removed, 500)) + "</div></div>\n";
    out += "<div class=\"side\"><div class=\"id\">kept: " +
           Html(p.keeper ? (p.keeper->url.empty() ? p.keeper->id : p.keeper->url) : p.removed.annotations.dup_cluster) +
           "</div><div class=\"excerpt\">" + (p.keeper ? Html(Excerpt(keeper, 500)) : "(not in the kept shards)") +
           "</div></div>\n</div>\n";
  }
  return out + "</section>\n";
}

const char kStyle[] = R"(
body { font: 15px/1.45 system-ui, sans-serif; max-width: 60em; margin: 1.5em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.15em; margin: 1.4em 0 0.4em; }
.meta { color: #555; }
table.counts { border-collapse: collapse; } table.counts td { padding: 0.15em 1em 0.15em 0; }
table.counts td.n { text-align: right; font-variant-numeric: tabular-nums; }
svg.chart { max-width: 760px; display: block; } svg.chart text { font-size: 12px; fill: #222; }
svg.chart rect { fill: #4a7bb7; } .none { color: #777; }
svg.hist { max-width: 820px; } svg.hist rect.b { fill: #e08a3c; } svg.hist text.axis { font-size: 11px; fill: #555; }
h3 { font-size: 1em; margin: 1em 0 0.3em; font-family: ui-monospace, monospace; }
table.rej { border-collapse: collapse; width: 100%; table-layout: fixed; } td.detail { width: 22em; } table.rej td { border-top: 1px solid #ddd; padding: 0.3em 0.6em 0.3em 0; vertical-align: top; }
td.detail { font: 13px ui-monospace, monospace; overflow-wrap: anywhere; color: #8a1c1c; }
.id { font-size: 12px; color: #555; overflow-wrap: anywhere; } .excerpt { font-size: 13px; color: #333; overflow-wrap: anywhere; }
article.kept-doc { border: 1px solid #ccc; border-radius: 4px; padding: 0.4em 0.8em; margin: 0.8em 0; }
.lines p { margin: 0.15em 0; font-size: 13px; overflow-wrap: anywhere; }
p.drop del { color: #8a1c1c; text-decoration-thickness: 1px; } p.drop { color: #8a1c1c; }
span.stage { display: inline-block; font: 11px ui-monospace, monospace; background: #f6e3e3; color: #6d1414; border-radius: 3px; padding: 0 0.4em; margin-right: 0.5em; }
p.more { color: #777; font-style: italic; }
div.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 0.3em 1em; border-top: 1px solid #ddd; padding: 0.4em 0; }
div.pair p.pairhead { grid-column: 1 / 3; margin: 0; font-size: 13px; } div.pair .detail { font-family: ui-monospace, monospace; color: #8a1c1c; }
div.side { min-width: 0; }
@media print { body { max-width: none; margin: 0; font-size: 11pt; } section { break-inside: avoid; }
  section.samples { break-inside: auto; } article.kept-doc, table.rej tr, div.pair { break-inside: avoid; }
  svg.chart rect { fill: #555; } svg.hist rect.b { fill: #aaa; } p.drop, p.drop del, td.detail { color: #000; }
  span.stage { background: none; border: 1px solid #000; color: #000; } }
)";

}  // namespace

std::string DefaultReportPath(const std::string& run) {
  std::error_code ec;
  if (std::filesystem::is_directory(run, ec)) return run + "/report.html";
  const std::filesystem::path folder = std::filesystem::path(run).parent_path();  // of a stats.json
  return (folder.empty() ? std::string(".") : folder.string()) + "/report.html";
}

Status WriteRunReport(const std::string& run, const std::string& output) {
  namespace fs = std::filesystem;
  std::error_code ec;
  StatusOr<Runs> runs = ReadRuns(run);
  if (!runs.ok()) {
    return runs.status();
  }
  // The kept shards: languages, text lengths, the kept sample; the rejected
  // shards (every step's): record lengths and the samples per reason. Of
  // every run of a folder of task outputs.
  std::vector<std::string> kept_shards, rejected_shards;
  for (const std::string& folder : runs->folders) {
    for (const auto& e : fs::directory_iterator(folder, ec)) {
      std::string name = e.path().filename().string();
      if (name.find(".jsonl") == std::string::npos || name.find(".tmp-") != std::string::npos) continue;
      if (name.rfind("kept-", 0) == 0) kept_shards.push_back(e.path().string());
      if (name.rfind("rejected-", 0) == 0) rejected_shards.push_back(e.path().string());
    }
  }
  std::sort(kept_shards.begin(), kept_shards.end());
  std::sort(rejected_shards.begin(), rejected_shards.end());
  std::map<std::string, double> lang_docs, lang_bytes;
  std::vector<uint64_t> record_bins(kLengthBins, 0), text_bins(kLengthBins, 0);
  Sample kept_sample(3);
  bool any_dropped = false;
  std::map<std::string, Sample> rejected_samples;
  Sample removed_sample(4);  // dedup's removed documents
  // The run's own output: a damaged record is an error (kStop), not a skipped line.
  Status read = ForEachShardDocument(rejected_shards, DamagedRecords::kStop, [&](Document& doc) {
    ++record_bins[LengthBin(doc.input_bytes)];
    const std::string reason = doc.decision.stage + "/" + doc.decision.reason;
    rejected_samples.try_emplace(reason, 3).first->second.Offer(doc);
    if (doc.decision.stage == "dedup" && !doc.annotations.dup_cluster.empty()) removed_sample.Offer(doc);
    return Status::Ok();
  });
  if (!read.ok()) {
    return read;
  }
  std::map<std::string, Document> keepers;  // of the sampled removed documents
  for (const Document* d : removed_sample.docs()) keepers.emplace(d->annotations.dup_cluster, Document());
  std::vector<uint64_t> cluster_bins(kClusterBins, 0);
  uint64_t clusters = 0, in_clusters = 0;
  read = ForEachShardDocument(kept_shards, DamagedRecords::kStop, [&](Document& doc) {
    std::string lang = doc.annotations.lang.empty() ? "un" : doc.annotations.lang;
    const std::string text = doc.Text();
    lang_docs[lang] += 1;
    lang_bytes[lang] += static_cast<double>(text.size());
    ++record_bins[LengthBin(doc.input_bytes)];
    ++text_bins[LengthBin(text.size())];
    if (doc.annotations.dup_cluster_size > 1 && doc.annotations.dup_cluster == doc.id) {
      ++clusters;
      in_clusters += static_cast<uint64_t>(doc.annotations.dup_cluster_size);
      ++cluster_bins[ClusterBin(doc.annotations.dup_cluster_size)];
    }
    // The keeper names itself as its cluster (ids need not be unique: the
    // bundled sample's WET records reuse the WARC records' ids).
    if (auto k = keepers.find(doc.id); k != keepers.end() && doc.annotations.dup_cluster == doc.id) {
      k->second = doc;
    }
    for (const Block& b : doc.blocks) {
      if (b.keep) continue;
      any_dropped = true;
      kept_sample.Offer(doc);
      break;
    }
    return Status::Ok();
  });
  if (!read.ok()) {
    return read;
  }
  const RunStats& s = runs->total;
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<title>winnow report: " + Html(run) + "</title>\n<style>" + kStyle + "</style></head>\n<body>\n";
  h += "<h1>winnow run report</h1>\n<p class=\"meta\">" + Html(fs::absolute(run).lexically_normal().string()) +
       (s.run_key.empty() ? "" : " &middot; run " + Html(s.run_key)) + " &middot; " + Num(s.wall_seconds, 1) +
       " s on " + std::to_string(s.threads) + " threads" +
       (runs->folders.size() > 1 ? " (summed)" : "") + "</p>\n";
  if (runs->folders.size() > 1) {
    h += "<p class=\"meta\" data-runs=\"" + std::to_string(runs->folders.size()) + "\">The sum of " +
         std::to_string(runs->folders.size()) + " runs (a folder of task outputs):";
    for (const std::string& f : runs->folders) h += " " + Html(fs::path(f).filename().string());
    h += "</p>\n";
  }
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
  h += Histogram("Lengths: input records and kept text", "length_records", "input record (kept and rejected)",
                 record_bins, "length_kept_text", "kept text", text_bins);
  h += BarChart("stage_seconds", "Time per stage (CPU-thread seconds)", SortedBars(s.stage_seconds), 3);
  std::map<std::string, double> pii;
  for (const auto& [k, n] : s.pii_masked) pii[k] = static_cast<double>(n);
  h += BarChart("pii_masked", "Personal data masked", SortedBars(pii), 0);
  h += RejectedSamples(rejected_samples);
  if (clusters > 0 || !removed_sample.docs().empty()) {
    h += "<section><h2>Duplicate clusters</h2>\n<table class=\"counts\" data-chart=\"dedup\">\n";
    h += "<tr data-key=\"clusters\" data-value=\"" + std::to_string(clusters) + "\"><td>clusters (a kept document "
         "with removed copies)</td><td class=\"n\">" + std::to_string(clusters) + "</td></tr>\n";
    h += "<tr data-key=\"in_clusters\" data-value=\"" + std::to_string(in_clusters) + "\"><td>documents in them "
         "(kept and removed)</td><td class=\"n\">" + std::to_string(in_clusters) + "</td></tr>\n</table></section>\n";
    std::vector<Bar> sizes;
    for (int i = 0; i < kClusterBins; ++i) sizes.push_back({ClusterBinName(i), static_cast<double>(cluster_bins[i]), ""});
    h += BarChart("dup_cluster_sizes", "Duplicate clusters by size (documents)", sizes, 0);
    std::vector<DupPair> pairs;
    for (const Document* d : removed_sample.docs()) {
      DupPair p{*d, nullptr};
      auto k = keepers.find(d->annotations.dup_cluster);
      if (k != keepers.end() && !k->second.id.empty()) p.keeper = &k->second;
      pairs.push_back(std::move(p));
    }
    h += DupPairs(pairs);
  }
  h += KeptSamples(kept_sample, any_dropped, 40);
  h += "</body></html>\n";

  std::string out = output.empty() ? DefaultReportPath(run) : output;
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
                "by stage and reason with sample documents, dropped lines, languages, lengths, duplicates,\n"
                "time per stage. A folder of task outputs (subfolders that are runs) is summed.");
  cmd->add_option("run", o->run, "the output folder of `winnow clean`, or a folder of them")->required();
  cmd->add_option("-o,--output", o->output, "the HTML file to write (default: RUN/report.html)");
  cmd->callback([o, exit_code] {
    Status s = WriteRunReport(o->run, o->output);
    if (!s.ok()) {
      *exit_code = Fail(s);
      return;
    }
    std::fprintf(stderr, "winnow: wrote %s\n", (o->output.empty() ? DefaultReportPath(o->run) : o->output).c_str());
    *exit_code = kExitOk;
  });
}

}  // namespace winnow::cli
