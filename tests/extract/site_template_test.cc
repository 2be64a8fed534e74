// SiteTemplates: evidence from the earlier pages of a host.
#include "winnow/site_template.h"

#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "extract/extract_stages.h"
#include "extract/site_template.h"
#include "winnow/config.h"
#include "winnow/document.h"
#include "winnow/extract.h"
#include "winnow/stage.h"

namespace winnow {
namespace {

// A page of a documentation-like site: a link bar, the page's own text, and
// a notice paragraph every page repeats inside the content container (which
// a page seen alone cannot tell from content).
std::string Page(int n) {
  std::string s =
      "<html><body><div class=\"bar\"><a href=\"/\">Home</a> | <a href=\"/p" +
      std::to_string(n - 1) + "\">Previous</a> | <a href=\"/p" + std::to_string(n + 1) +
      "\">Next</a></div><div class=\"main\"><h1>Chapter " + std::to_string(n) + "</h1>";
  for (int k = 0; k < 3; ++k) {
    s += "<p>Paragraph " + std::to_string(k) + " of chapter " + std::to_string(n) +
         " explains, in some detail, how the thing number " + std::to_string(n * 7 + k) +
         " is configured, checked and kept running on a system.</p>";
  }
  s += "<p class=\"notice\">This manual is written by volunteers of the project, please send "
       "corrections and suggestions to the documentation team by mail.</p></div></body></html>";
  return s;
}

std::string Text(const StatusOr<ExtractResult>& r) {
  return r.ok() ? RenderText(r.value()) : "error: " + r.status().message();
}

TEST(SiteTemplatesTest, FirstPageOfAHostIsExtractedAsAlone) {
  SiteTemplates site;
  ExtractOptions o;
  const std::string html = Page(1);
  EXPECT_EQ(Text(site.Extract(html, "https://docs.example.org/p1", o)),
            Text(Extract(html, "https://docs.example.org/p1", o)));
}

TEST(SiteTemplatesTest, BlocksMostEarlierPagesShareAreDropped) {
  SiteTemplates site;
  ExtractOptions o;
  const std::string alone = Text(Extract(Page(5), "https://docs.example.org/p5", o));
  ASSERT_NE(alone.find("volunteers"), std::string::npos) << alone;
  std::string with_site;
  for (int n = 1; n <= 5; ++n) {
    with_site = Text(site.Extract(Page(n), "https://docs.example.org/p" + std::to_string(n), o));
  }
  EXPECT_EQ(with_site.find("volunteers"), std::string::npos) << with_site;
  EXPECT_NE(with_site.find("thing number 37"), std::string::npos) << with_site;
  EXPECT_NE(with_site.find("Chapter 5"), std::string::npos) << with_site;
  // Another host has no evidence yet.
  EXPECT_EQ(Text(site.Extract(Page(5), "https://other.example.net/p5", o)), alone);
  EXPECT_EQ(site.hosts(), 2u);
}

// The extract stage of `winnow clean`: the runner admits documents in
// input order (Provenance::sequence) and releases them after the stages.
// `restart_at`: the page before which a new stream starts (0: none).
std::string StageText(const Config& config, int pages, bool admit, int restart_at = 0) {
  StageRegistry registry;
  RegisterExtractStages(&registry);
  StatusOr<std::unique_ptr<Stage>> stage = registry.Create("extract", config);
  if (!stage.ok()) return "error: " + stage.status().message();
  std::string last;
  for (int n = 1; n <= pages; ++n) {
    if (n == restart_at) (*stage)->StartStream();
    Document doc;
    doc.kind = DocKind::kHtml;
    doc.url = "https://docs.example.org/p" + std::to_string(n);
    doc.raw = Page(n);
    doc.source.sequence = static_cast<uint64_t>(n - 1);
    if (admit) (*stage)->Admit(doc);
    (*stage)->Process(doc);
    if (admit) (*stage)->Release(doc);
    last = doc.Text();
  }
  return last;
}

TEST(SiteTemplatesTest, ExtractStageUsesTheEarlierPagesOfAHost) {
  Config config;
  const std::string with_site = StageText(config, 5, true);
  EXPECT_EQ(with_site.find("volunteers"), std::string::npos) << with_site;
  EXPECT_NE(with_site.find("thing number 37"), std::string::npos) << with_site;
  // Without admission (a driver that does not number documents, such as
  // the Python binding) every page is extracted alone.
  const std::string not_admitted = StageText(config, 5, false);
  EXPECT_NE(not_admitted.find("volunteers"), std::string::npos) << not_admitted;
  // A new stream (the next unit of `winnow clean`) forgets the evidence:
  // its first page is extracted as alone.
  EXPECT_NE(StageText(config, 5, true, 5).find("volunteers"), std::string::npos);
  Config off;
  off.Set("extract.site_templates", "false");
  const std::string alone = StageText(off, 5, true);
  EXPECT_NE(alone.find("volunteers"), std::string::npos) << alone;
  Config bad;
  bad.Set("extract.site_min_pages", "0");
  StageRegistry registry;
  RegisterExtractStages(&registry);
  EXPECT_FALSE(registry.Create("extract", bad).ok());
}

// Translations of one page (or pages that share a long note): the same
// box of prose on every page, between the page's own paragraphs, is its
// text; the notice after the text is still template.
TEST(SiteTemplatesTest, SharedProseBetweenThePagesOwnTextIsNotTemplate) {
  const std::string box =
      "<div class=\"note\"><p>Incremental updates: the update command downloads, for each package "
      "source, the list of its packages, and even compressed these files can be large.</p><p>Difference "
      "files hold only the changes since the previous update, so that the amount downloaded by a "
      "weekly update is often divided by ten, and a slow line is spared most of the work.</p></div>";
  SiteTemplates site;
  ExtractOptions o;
  std::string last;
  for (int n = 1; n <= 6; ++n) {
    std::string html = Page(n);
    const size_t at = html.find("<p>Paragraph 1 ");
    ASSERT_NE(at, std::string::npos);
    html.insert(at, box);
    last = Text(site.Extract(html, "https://docs.example.org/p" + std::to_string(n), o));
  }
  EXPECT_NE(last.find("Difference files hold only the changes"), std::string::npos) << last;
  EXPECT_EQ(last.find("volunteers"), std::string::npos) << last;
}

TEST(SiteTemplatesTest, TooFewEarlierPagesIsNoEvidence) {
  SiteTemplateOptions so;
  so.min_pages = 10;
  SiteTemplates site(so);
  ExtractOptions o;
  std::string last;
  for (int n = 1; n <= 6; ++n) {
    last = Text(site.Extract(Page(n), "https://docs.example.org/p" + std::to_string(n), o));
  }
  EXPECT_EQ(last, Text(Extract(Page(6), "https://docs.example.org/p6", o)));
}

TEST(SiteTemplatesTest, UrlHost) {
  using extract_internal::UrlHost;
  EXPECT_EQ(UrlHost("https://WWW.Example.org:8080/a/b?c"), "example.org");
  EXPECT_EQ(UrlHost("http://user@host.net/x"), "host.net");
  EXPECT_EQ(UrlHost("file:///srv/site/a.html"), "file:///srv/site");
  EXPECT_EQ(UrlHost("no-scheme/a"), "");
  EXPECT_EQ(UrlHost(""), "");
}

// Pages of three hosts; every 7th page is "rejected" before extraction
// (released without being extracted). `run` pages of a host in a row.
struct Input {
  std::string html, url;
  bool extracted;
};
std::vector<Input> Inputs(int run) {
  std::vector<Input> in;
  const char* hosts[] = {"https://a.example/", "https://b.example/", "http://c.example/"};
  for (int i = 0; i < 60; ++i) {
    in.push_back({Page(i), std::string(hosts[(i / run) % 3]) + "p" + std::to_string(i), i % 7 != 3});
  }
  return in;
}

// Admits every page first (all in flight at once), then extracts them on
// `threads` threads with uneven timing; checks the memory bound meanwhile.
std::vector<std::string> RunConcurrently(const std::vector<Input>& in, const SiteTemplateOptions& so,
                                         int threads) {
  SiteTemplates site(so);
  ExtractOptions o;
  for (size_t i = 0; i < in.size(); ++i) site.Admit(i, in[i].url);
  std::vector<std::string> got(in.size());
  std::atomic<size_t> next{0};
  std::atomic<bool> over_bound{false};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      std::mt19937 rng(t);
      for (size_t i; (i = next.fetch_add(1)) < in.size();) {
        std::this_thread::sleep_for(std::chrono::microseconds(rng() % 500));
        if (in[i].extracted) got[i] = Text(site.Extract(in[i].html, in[i].url, o, i));
        site.Release(i);
        if (site.MemoryBytes() > site.BoundBytes(in.size())) over_bound = true;
      }
    });
  }
  for (std::thread& t : pool) t.join();
  EXPECT_FALSE(over_bound.load());
  EXPECT_LE(site.hosts(), so.max_hosts);
  return got;
}

TEST(SiteTemplatesTest, SameOutputForAnyNumberOfThreads) {
  // Interleaved hosts, all remembered; then runs of 5 pages of a host with
  // room for two hosts only, so a host is forgotten while its pages are in
  // flight (they keep their state; its next pages start afresh).
  SiteTemplateOptions few;
  few.max_hosts = 2;
  for (const auto& [run, so] : {std::pair<int, SiteTemplateOptions>{1, SiteTemplateOptions()},
                                std::pair<int, SiteTemplateOptions>{5, few}}) {
    const std::vector<Input> in = Inputs(run);
    ExtractOptions o;
    std::vector<std::string> expected(in.size());
    {
      SiteTemplates site(so);
      for (size_t i = 0; i < in.size(); ++i) site.Admit(i, in[i].url);
      for (size_t i = 0; i < in.size(); ++i) {
        if (in[i].extracted) expected[i] = Text(site.Extract(in[i].html, in[i].url, o, i));
        site.Release(i);
      }
    }
    int differs_from_alone = 0;
    for (size_t i = 0; i < in.size(); ++i) {
      if (in[i].extracted && expected[i] != Text(Extract(in[i].html, in[i].url, o))) {
        ++differs_from_alone;
      }
    }
    EXPECT_GT(differs_from_alone, run == 1 ? 30 : 10) << "run " << run;  // the evidence is used
    for (int threads : {1, 2, 4, 8}) {
      const std::vector<std::string> got = RunConcurrently(in, so, threads);
      for (size_t i = 0; i < in.size(); ++i) {
        EXPECT_EQ(got[i], expected[i]) << "run " << run << ", " << threads << " threads, page " << i;
      }
    }
  }
}

// Many hosts with many distinct blocks: the state stays under its bound.
TEST(SiteTemplatesTest, MemoryStaysUnderTheBound) {
  SiteTemplateOptions so;
  so.max_hosts = 8;
  so.max_keys_per_host = 2048;
  SiteTemplates site(so);
  // The bound: hosts x (keys + one page's keys) x 16 bytes + host overhead.
  EXPECT_LE(site.BoundBytes(), 8u * ((2048 + 1536) * 16 + 1024));
  ExtractOptions o;
  std::mt19937 rng(7);
  size_t peak = 0;
  for (int page = 0; page < 200; ++page) {
    std::string html = "<html><body>";
    for (int d = 0; d < 40; ++d) {
      html += "<div class=\"c" + std::to_string(rng() % 50) + "\"><p>";
      for (int w = 0; w < 12; ++w) html += "w" + std::to_string(rng() % 100000) + " ";
      html += "<a href=\"/x\">link " + std::to_string(rng() % 1000) + "</a></p></div>";
    }
    html += "</body></html>";
    // Six hosts with many pages each (their key tables fill up), then one
    // new host per page (hosts are forgotten).
    const int host = page < 150 ? page % 6 : page;
    ASSERT_TRUE(site.Extract(html, "https://h" + std::to_string(host) + ".example/", o).ok());
    EXPECT_LE(site.hosts(), 8u);
    peak = std::max(peak, site.MemoryBytes());
    ASSERT_LE(site.MemoryBytes(), site.BoundBytes()) << "after page " << page;
  }
  EXPECT_GT(peak, site.BoundBytes() / 8);  // the test reached a real size
}

}  // namespace
}  // namespace winnow
