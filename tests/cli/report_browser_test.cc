// The run report in a real browser (issue 14): Debian's chromium, headless,
// loads the report of the bundled sample (examples/). The DOM the browser
// built must hold the numbers of stats.json, every bar's drawn length must be
// its value's share of the chart, and the browser must render the page to a
// screenshot (a laptop-sized window) and print it to PDF (the print style).
// The screenshot is left at BUILD/report-screenshot.png; doc/report.png is a
// copy of it (README "Run report"). Skips with a message when no chromium is
// installed (scripts/setup.sh installs it).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "cli_util.h"
#include "winnow/pipeline.h"

namespace winnow {
namespace {

namespace fs = std::filesystem;
using cli_test::ChartValues;
using cli_test::FreshTestFolder;
using cli_test::Quote;
using cli_test::ReadFile;
using cli_test::Result;
using cli_test::RunWinnow;

// The browser: $WINNOW_CHROMIUM, else chromium or chromium-browser on PATH;
// "" when there is none.
std::string FindChromium() {
  if (const char* c = std::getenv("WINNOW_CHROMIUM"); c && *c) return c;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (const char* name : {"chromium", "chromium-browser"}) {
    size_t start = 0;
    while (start <= dirs.size()) {
      size_t end = dirs.find(':', start);
      if (end == std::string::npos) end = dirs.size();
      fs::path p = fs::path(dirs.substr(start, end - start)) / name;
      if (::access(p.c_str(), X_OK) == 0) return p.string();
      start = end + 1;
    }
  }
  return "";
}

// Runs a shell command; stdout to `out_file` (when given), stderr kept.
Result Shell(const std::string& cmd) {
  Result r;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// One bar of an SVG chart as the browser serialised it.
struct DrawnBar {
  std::string key, value, label;
  double width = 0;
};

std::string Attr(const std::string& tag, const std::string& name) {
  size_t at = tag.find(" " + name + "=\"");
  if (at == std::string::npos) return "";
  at += name.size() + 3;
  return tag.substr(at, tag.find('"', at) - at);
}

// The bars (<g class="bar">) of the chart data-chart="chart": key, value,
// the <rect>'s width and the value label (the last <text>).
std::vector<DrawnBar> Bars(const std::string& dom, const std::string& chart) {
  std::vector<DrawnBar> bars;
  size_t start = dom.find("data-chart=\"" + chart + "\"");
  if (start == std::string::npos) return bars;
  size_t end = dom.find("</svg>", start);
  for (size_t g = dom.find("<g ", start); g != std::string::npos && g < end; g = dom.find("<g ", g + 1)) {
    size_t ge = dom.find("</g>", g);
    std::string part = dom.substr(g, ge - g);
    DrawnBar b;
    std::string open = part.substr(0, part.find('>'));
    b.key = Attr(open, "data-key");
    b.value = Attr(open, "data-value");
    size_t rect = part.find("<rect");
    if (rect != std::string::npos) b.width = std::atof(Attr(part.substr(rect, part.find('>', rect) - rect), "width").c_str());
    size_t text = part.rfind("<text");
    if (text != std::string::npos) {
      size_t t = part.find('>', text) + 1;
      b.label = part.substr(t, part.find("</text>", t) - t);
    }
    bars.push_back(b);
  }
  return bars;
}

uint32_t BigEndian32(const std::string& s, size_t at) {
  return (static_cast<uint32_t>(static_cast<unsigned char>(s[at])) << 24) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8) |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 3]));
}

class ReportBrowserTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = FreshTestFolder("winnow_report_browser_"); }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(ReportBrowserTest, ChromiumShowsTheNumbersOfStatsJson) {
  const std::string chromium = FindChromium();
  if (chromium.empty()) {
    GTEST_SKIP() << "no chromium on PATH (nor $WINNOW_CHROMIUM): the report is not tested in a browser; "
                    "`apt-get install chromium` (scripts/setup.sh does)";
  }
  fs::path out = dir_ / "out";
  std::string sample = std::string(WINNOW_SOURCE_DIR) + "/examples/";
  Result r = RunWinnow("clean -q --report " + sample + "sample.warc.gz " + sample + "sample.wet.gz -o " +
                       out.string());
  ASSERT_LE(r.code, 1) << r.out;
  ASSERT_TRUE(fs::exists(out / "report.html")) << r.out;
  StatusOr<RunStats> stats = RunStats::FromJson(ReadFile(out / "stats.json"));
  ASSERT_TRUE(stats.ok()) << stats.status().message();

  // Headless, with a profile of its own. --no-sandbox: CI runs as root, where
  // chromium's sandbox refuses to start; the page is ours and loads nothing.
  const std::string browser = "timeout 180 " + Quote(chromium) +
                              " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
                              " --no-default-browser-check --hide-scrollbars --user-data-dir=" +
                              Quote((dir_ / "profile").string());
  const std::string url = "file://" + fs::absolute(out / "report.html").string();

  // A browser that is installed but cannot start here (a container without
  // the kernel features or devices it needs) is a machine's limit, not the
  // report's: a trivial page first, and a skip with chromium's own words.
  Result probe = Shell(browser + " --dump-dom " + Quote("data:text/html,<p>winnow-probe</p>"));
  if (probe.code != 0 || probe.out.find("winnow-probe") == std::string::npos) {
    GTEST_SKIP() << "chromium is installed but cannot render a trivial page here (exit " << probe.code
                 << "); the report is not tested in a browser. chromium said:\n"
                 << probe.out.substr(0, 2000);
  }

  // 1. The DOM the browser built from the page.
  Result dump = Shell(browser + " --dump-dom " + Quote(url) + " > " + Quote((dir_ / "dom.html").string()));
  ASSERT_EQ(dump.code, 0) << dump.out;
  std::string dom = ReadFile(dir_ / "dom.html");
  ASSERT_NE(dom.find("<h1>winnow run report</h1>"), std::string::npos) << dump.out << dom.substr(0, 500);

  std::map<std::string, std::string> counts = ChartValues(dom, "counts");
  EXPECT_EQ(counts["docs_in"], std::to_string(stats->docs_in));
  EXPECT_EQ(counts["kept"], std::to_string(stats->kept));
  EXPECT_EQ(counts["rejected"], std::to_string(stats->rejected));
  EXPECT_EQ(counts["unreadable"], std::to_string(stats->unreadable));
  std::map<std::string, std::string> expected;
  for (const auto& [stage, reasons] : stats->rejected_by) {
    for (const auto& [reason, n] : reasons) expected[stage + "/" + reason] = std::to_string(n);
  }
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(ChartValues(dom, "rejected"), expected);
  expected.clear();
  for (const auto& [k, n] : stats->blocks_dropped_by) expected[k] = std::to_string(n);
  EXPECT_EQ(ChartValues(dom, "lines_dropped"), expected);
  uint64_t lang_docs = 0;
  for (const auto& [lang, n] : ChartValues(dom, "languages")) lang_docs += std::stoull(n);
  EXPECT_EQ(lang_docs, stats->kept);

  // Every bar as drawn: the label shows the value, and the bar's length is
  // its share of the chart's longest bar.
  for (const char* chart : {"rejected", "lines_dropped", "languages", "stage_seconds"}) {
    std::vector<DrawnBar> bars = Bars(dom, chart);
    ASSERT_FALSE(bars.empty()) << chart;
    double max_value = 0, max_width = 0;
    for (const DrawnBar& b : bars) {
      max_value = std::max(max_value, std::stod(b.value));
      max_width = std::max(max_width, b.width);
    }
    for (const DrawnBar& b : bars) {
      EXPECT_EQ(b.label.rfind(b.value, 0), 0u) << chart << " " << b.key << ": label '" << b.label << "'";
      double want = std::max(1.0, max_width * std::stod(b.value) / max_value);
      // The width is drawn to 0.1 and from the unrounded value (seconds are
      // shown to 0.001).
      EXPECT_NEAR(b.width, want, 0.11 + max_width * 0.0011 / max_value) << chart << " " << b.key;
    }
  }

  // The samples as the browser parsed them: the same rows as in the file.
  const std::string file = ReadFile(out / "report.html");
  auto ids = [](const std::string& html, const std::string& cls) {
    std::vector<std::string> v;
    for (const auto& e : cli_test::ElementsOfClass(html, cls)) v.push_back(e.count("id") ? e.at("id") : e.at("stage"));
    return v;
  };
  for (const char* cls : {"rejected-doc", "kept-doc", "drop"}) {
    EXPECT_FALSE(ids(dom, cls).empty()) << cls;
    EXPECT_EQ(ids(dom, cls), ids(file, cls)) << cls;
  }

  // 2. A screenshot on a laptop-sized window: a PNG of that size.
  const fs::path shot = fs::path(WINNOW_BINARY_DIR) / "report-screenshot.png";
  fs::remove(shot);
  Result s = Shell(browser + " --window-size=1100,3000 --screenshot=" + Quote(shot.string()) + " " + Quote(url));
  ASSERT_EQ(s.code, 0) << s.out;
  std::string png = ReadFile(shot);
  ASSERT_GT(png.size(), 24u) << s.out;
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png.substr(12, 4), "IHDR");
  EXPECT_EQ(BigEndian32(png, 16), 1100u);
  EXPECT_EQ(BigEndian32(png, 20), 3000u);
  EXPECT_GT(png.size(), 20000u) << "an empty page compresses to a few kB";
  std::printf("screenshot: %s (%zu bytes)\n", shot.c_str(), png.size());

  // 3. Printed (the print style): a PDF with at least one page.
  const fs::path pdf = dir_ / "report.pdf";
  Result p = Shell(browser + " --no-pdf-header-footer --print-to-pdf=" + Quote(pdf.string()) + " " + Quote(url));
  ASSERT_EQ(p.code, 0) << p.out;
  std::string doc = ReadFile(pdf);
  EXPECT_EQ(doc.rfind("%PDF-", 0), 0u) << p.out;
  size_t pages = 0;
  for (size_t at = doc.find("/Type /Page"); at != std::string::npos; at = doc.find("/Type /Page", at + 1)) {
    if (doc.compare(at, 12, "/Type /Pages") != 0) ++pages;
  }
  EXPECT_GE(pages, 1u);
  std::printf("printed: %zu page(s)\n", pages);
}

}  // namespace
}  // namespace winnow
