// End-to-end tests of the `winnow` program: conservation, bad input, exit
// codes, determinism across thread counts.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <functional>
#include <string>
#include <vector>

#include "base/filename.h"
#include "cli_util.h"
#include "../io/test_util.h"
#include "winnow/pipeline.h"
#include "winnow/reader.h"
#include "winnow/writer.h"

namespace winnow {
namespace {

namespace fs = std::filesystem;
using cli_test::Bin;
using cli_test::ChartValues;
using cli_test::FreshTestFolder;
using cli_test::ReadFile;
using cli_test::Result;
using cli_test::RunWinnow;
using cli_test::WriteFile;
using testing::Gzip;  // tests/io/test_util.h: one gzip member

// Runs `winnow args` in a child process that first calls setup() with its own
// pid (the pid winnow keeps, since it is exec'd): setup can place a symlink
// at the process's temporary file names or limit its resources.
Result RunWinnowAfter(const std::string& args, const std::function<void()>& setup) {
  char log[] = "/tmp/winnow_cli_log_XXXXXX";
  int fd = ::mkstemp(log);
  Result r;
  if (fd < 0) return r;
  pid_t pid = ::fork();
  if (pid == 0) {
    setup();
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execl("/bin/sh", "sh", "-c", ("exec " + Bin() + " " + args).c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(fd);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadFile(log);
  std::remove(log);
  return r;
}

// The output folder's files under final names (its work folder aside).
std::vector<std::string> FinalFiles(const fs::path& out) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(out)) {
    if (e.path().filename() != "work") names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTestFolder("winnow_cli_");
    fs::create_directories(dir_ / "in");
  }
  void TearDown() override { fs::remove_all(dir_); }

  RunStats Stats(const fs::path& out) {
    StatusOr<RunStats> s = RunStats::FromJson(ReadFile(out / "stats.json"));
    EXPECT_TRUE(s.ok());
    return s.ok() ? *s : RunStats();
  }

  // Many small text documents, some of them duplicates and short ones.
  std::string Corpus(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) {
      std::string text = "Document " + std::to_string(i % 37) +
                         " tells a story about the weather in a small town near the sea.\\n"
                         "The town has " + std::to_string(i * 7 % 101) +
                         " houses and one church, and the people there like to talk.";
      s += "{\"id\": \"d" + std::to_string(i) + "\", \"url\": \"https://example.org/" +
           std::to_string(i) + "\", \"text\": \"" + text + "\"}\n";
    }
    return s;
  }

  fs::path dir_;
};

TEST_F(CliTest, UsageErrorExitsTwo) {
  EXPECT_EQ(RunWinnow("").code, 2);
  EXPECT_EQ(RunWinnow("clean").code, 2);  // no input
  EXPECT_EQ(RunWinnow("no-such-command").code, 2);
  Result help = RunWinnow("clean --help");
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("--threads"), std::string::npos);
}

TEST_F(CliTest, ConservationWithEveryKindOfBadInput) {
  WriteFile(dir_ / "in/good.jsonl", Corpus(5));
  WriteFile(dir_ / "in/bad.jsonl",
            "{\"id\": \"ok\", \"text\": \"fine line of text\"}\n"
            "this is not json\n"
            "{\"id\": \"notext\", \"title\": \"no text field\"}\n");
  std::string gz = Gzip(Corpus(50));
  WriteFile(dir_ / "in/truncated.jsonl.gz", gz.substr(0, gz.size() / 2));
  WriteFile(dir_ / "in/empty.jsonl", "");
  fs::path out = dir_ / "out";
  Result r = RunWinnow("clean -q --stages none " + (dir_ / "in").string() + " " +
                 (dir_ / "missing.jsonl").string() + " -o " + out.string());
  EXPECT_EQ(r.code, 1) << r.out;  // some records unreadable
  RunStats s = Stats(out);
  EXPECT_TRUE(s.Conserved()) << s.ConservationLine();
  EXPECT_GE(s.kept, 6u);
  // not json, no text field, truncated gzip, missing file
  EXPECT_GE(s.unreadable, 4u) << r.out;
  std::string log = ReadFile(out / "unreadable.jsonl");
  EXPECT_NE(log.find("bad.jsonl"), std::string::npos);
  EXPECT_NE(log.find("truncated.jsonl.gz"), std::string::npos);
  EXPECT_NE(log.find("missing.jsonl"), std::string::npos);
  EXPECT_NE(r.out.find("documents in"), std::string::npos);
}

TEST_F(CliTest, StrictStopsAtFirstUnreadableRecord) {
  WriteFile(dir_ / "in/bad.jsonl", "not json\n" + Corpus(3));
  Result r = RunWinnow("clean -q --strict --stages none " + (dir_ / "in").string() + " -o " +
                 (dir_ / "out").string());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("strict"), std::string::npos) << r.out;
}

TEST_F(CliTest, SameOutputWithOneAndTwoThreads) {
  for (int f = 0; f < 3; ++f) WriteFile(dir_ / ("in/part" + std::to_string(f) + ".jsonl"), Corpus(300));
  // Bad lines among good ones: with three workers they parse the lines (the
  // reader only cuts them), and the errors must come out the same, in order.
  WriteFile(dir_ / "in/part1b.jsonl", Corpus(5) + "this is not json\n{\"text\":\"a\\ud800b\"}\n\n" +
                                          "{\"id\":\"no text\"}\n" + Corpus(7));
  Result a = RunWinnow("clean -q --compression none -t 1 " + (dir_ / "in").string() + " -o " + (dir_ / "o1").string());
  Result b = RunWinnow("clean -q --compression none -t 2 " + (dir_ / "in").string() + " -o " + (dir_ / "o2").string());
  // Three workers: they parse the lines the reader cut (see runner.cc).
  Result c = RunWinnow("clean -q --compression none -t 3 " + (dir_ / "in").string() + " -o " + (dir_ / "o3").string());
  ASSERT_LE(a.code, 1) << a.out;
  ASSERT_LE(b.code, 1) << b.out;
  ASSERT_LE(c.code, 1) << c.out;
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir_ / "o1")) {
    std::string name = e.path().filename().string();
    if (name == "stats.json") continue;
    ++files;
    EXPECT_EQ(ReadFile(e.path()), ReadFile(dir_ / "o2" / name)) << name;
    EXPECT_EQ(ReadFile(e.path()), ReadFile(dir_ / "o3" / name)) << name;
  }
  EXPECT_GE(files, 2);
  RunStats s1 = Stats(dir_ / "o1"), s2 = Stats(dir_ / "o2");
  EXPECT_EQ(s1.docs_in, 915u);
  EXPECT_EQ(s1.unreadable, 2u);
  EXPECT_EQ(s1.invalid_utf8_replaced, 1u);
  RunStats s3 = Stats(dir_ / "o3");
  for (const RunStats* s : {&s2, &s3}) {
    EXPECT_EQ(s->unreadable, s1.unreadable);
    EXPECT_EQ(s->invalid_utf8_replaced, s1.invalid_utf8_replaced);
  }
  EXPECT_GT(s3.stage_seconds.count("parse"), 0u) << "-t 3: the workers parse";
  EXPECT_EQ(s1.kept, s2.kept);
  EXPECT_EQ(s1.rejected_by, s2.rejected_by);
  EXPECT_TRUE(s1.Conserved());
  EXPECT_TRUE(s2.Conserved());
}

TEST_F(CliTest, StatsCommandPrintsTheTable) {
  WriteFile(dir_ / "in/a.jsonl", Corpus(4));
  ASSERT_EQ(RunWinnow("clean -q --stages none " + (dir_ / "in").string() + " -o " + (dir_ / "o").string()).code, 0);
  Result r = RunWinnow("stats " + (dir_ / "o").string());
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("documents in 4 = kept 4"), std::string::npos) << r.out;
  EXPECT_EQ(RunWinnow("stats " + (dir_ / "nothing").string()).code, 2);
}

// One line of 60 words drawn from 24 by a seeded generator (dedup normalises
// digits away, so texts differ by their words).
std::string Article(int seed) {
  static const char* kWords[] = {"river", "market", "council", "garden", "winter", "station",
                                 "teacher", "harbour", "festival", "library", "bridge", "orchard",
                                 "village", "museum", "theatre", "forest", "planning", "budget",
                                 "railway", "school", "hospital", "mountain", "island", "factory"};
  std::string text;
  uint32_t state = 2166136261u ^ static_cast<uint32_t>(seed);
  for (int k = 0; k < 60; ++k) {
    state = state * 1664525u + 1013904223u;
    text += kWords[(state >> 16) % 24];
    text += (k % 12 == 11) ? ". " : " ";
  }
  return text;
}

// Every file of an output folder but stats.json (its wall time and thread
// count differ between runs), name -> bytes.
std::map<std::string, std::string> OutputFiles(const fs::path& out) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::directory_iterator(out)) {
    std::string name = e.path().filename().string();
    if (name != "stats.json") files[name] = ReadFile(e.path());
  }
  return files;
}

// A single run, a run split over two processes (their shares of the
// per-document step, then one run for the rest) and a run with every step
// split over two processes (--plan, then --step) write the same files.
TEST_F(CliTest, SplitRunsWriteTheSameFilesAsOneRun) {
  // Five sites; each has 6 articles, copies of 2 articles of site 0 (exact
  // duplicates) and 3 pages with the same sign-up line (repeated lines).
  auto line = [](const std::string& id, const std::string& url, const std::string& text) {
    return "{\"id\": \"" + id + "\", \"url\": \"" + url + "\", \"text\": \"" + text + "\"}\n";
  };
  for (int f = 0; f < 5; ++f) {
    const std::string id = "f" + std::to_string(f) + "-";
    const std::string site = "https://site" + std::to_string(f) + ".example/";
    std::string s;
    for (int d = 0; d < 6; ++d) {
      s += line(id + std::to_string(d), site + std::to_string(d), Article(f * 100 + d));
    }
    for (int d = 0; f > 0 && d < 2; ++d) {
      s += line(id + "copy" + std::to_string(d), site + "c" + std::to_string(d), Article(d));
    }
    for (int d = 0; d < 3; ++d) {
      s += line(id + "s" + std::to_string(d), site + "s" + std::to_string(d),
                "Sign up for the weekly letter of the town council today\\n" +
                    Article(f * 100 + 50 + d));
    }
    WriteFile(dir_ / ("in/p" + std::to_string(f) + ".jsonl"), s);
  }
  WriteFile(dir_ / "in/p5.jsonl", "not json\n");
  const std::string args = "clean -q --stages none --set output.shard_mb=0 --compression none "
                           "--dedup --repeated-lines " + (dir_ / "in").string() + " -o ";
  Result one = RunWinnow(args + (dir_ / "one").string());
  ASSERT_EQ(one.code, 1) << one.out;  // 1: one unreadable record
  for (int t = 0; t < 2; ++t) {
    Result r = RunWinnow(args + (dir_ / "two").string() + " --task-count 2 --task-index " +
                         std::to_string(t));
    ASSERT_LE(r.code, 1) << r.out;
  }
  EXPECT_FALSE(fs::exists(dir_ / "two/stats.json")) << "the shares do not finish the run";
  Result rest = RunWinnow(args + (dir_ / "two").string());
  ASSERT_EQ(rest.code, 1) << rest.out;

  Result plan = RunWinnow(args + (dir_ / "steps").string() + " --plan");
  ASSERT_EQ(plan.code, 0) << plan.out;
  std::istringstream lines(plan.out);
  std::string step;
  int tasks, steps = 0;
  while (lines >> step >> tasks) {
    ++steps;
    for (int t = 0; t < std::min(tasks, 2); ++t) {
      Result r = RunWinnow(args + (dir_ / "steps").string() + " --step " + step +
                           " --task-count " + std::to_string(std::min(tasks, 2)) +
                           " --task-index " + std::to_string(t));
      ASSERT_LE(r.code, 1) << step << " " << t << ": " << r.out;
    }
  }
  EXPECT_EQ(steps, 8);  // docs, lines-merge, lines, 4 dedup passes, finish

  std::map<std::string, std::string> files = OutputFiles(dir_ / "one");
  EXPECT_TRUE(files.count("kept-00005.jsonl") && files.count("rejected-dedup-00003.jsonl") &&
              files.count("rejected-lines-00000.jsonl") && files.count("unreadable.jsonl"));
  EXPECT_FALSE(files.count("work")) << "work files are removed at the end";
  for (const char* other : {"two", "steps"}) {
    std::map<std::string, std::string> got = OutputFiles(dir_ / other);
    EXPECT_EQ(got.size(), files.size()) << other;
    for (const auto& [name, bytes] : files) EXPECT_EQ(got[name], bytes) << other << "/" << name;
  }
  RunStats a = Stats(dir_ / "one"), b = Stats(dir_ / "two"), c = Stats(dir_ / "steps");
  EXPECT_TRUE(a.Conserved()) << a.ConservationLine();
  EXPECT_EQ(a.docs_in, 54u);  // 5 x 9 + 4 x 2 copies + 1 unreadable
  EXPECT_GT(a.rejected_by["dedup"].size(), 0u) << a.ToTable();
  for (const RunStats* s : {&b, &c}) {
    EXPECT_EQ(s->ConservationLine(), a.ConservationLine());
    EXPECT_EQ(s->rejected_by, a.rejected_by);
    EXPECT_EQ(s->blocks_dropped_by, a.blocks_dropped_by);
    EXPECT_EQ(s->bytes_out, a.bytes_out);
  }
}

// Site-template evidence in `winnow clean` (the extract stage): the pages
// of a host get the evidence of its earlier pages in their unit, the same
// for any number of threads, ring size, rings at once or split, and a unit starts afresh
// (two units of the same pages give the same text).
TEST_F(CliTest, SiteEvidenceIsPerUnitAndTheSameForAnyThreadsOrSplit) {
  std::string pages;
  for (int n = 1; n <= 12; ++n) {
    std::string html =
        "<html><body><div class=\"bar\"><a href=\"/\">Home</a> | <a href=\"/p" + std::to_string(n - 1) +
        "\">Previous</a> | <a href=\"/p" + std::to_string(n + 1) + "\">Next</a></div><div class=\"main\">"
        "<h1>Chapter " + std::to_string(n) + "</h1>";
    for (int k = 0; k < 3; ++k) {
      html += "<p>Paragraph " + std::to_string(k) + " of chapter " + std::to_string(n) +
              " explains, in some detail, how the thing number " + std::to_string(n * 7 + k) +
              " is configured, checked and kept running on a system.</p>";
    }
    html += "<p class=\"notice\">This manual is written by volunteers of the project, please send "
            "corrections and suggestions to the documentation team by mail.</p></div></body></html>";
    // Quotes escaped for JSON.
    std::string escaped;
    for (char c : html) escaped += (c == '"' ? std::string("\\\"") : std::string(1, c));
    pages += "{\"id\": \"p" + std::to_string(n) + "\", \"url\": \"https://docs.example.org/p" +
             std::to_string(n) + "\", \"html\": \"" + escaped + "\"}\n";
  }
  WriteFile(dir_ / "in/a.jsonl", pages);
  WriteFile(dir_ / "in/b.jsonl", pages);
  const std::string args = "clean -q --stages extract --shard-mb 0 --compression none " +
                           (dir_ / "in").string() + " -o ";
  ASSERT_EQ(RunWinnow(args + (dir_ / "t1").string() + " -t 1").code, 0);
  ASSERT_EQ(RunWinnow(args + (dir_ / "t4").string() + " -t 4 --pipeline.max_in_flight=3").code, 0);
  // Both units at once, one ring each (each ring has its own stages and so
  // its own evidence).
  ASSERT_EQ(RunWinnow(args + (dir_ / "rings").string() + " -t 4 --pipeline.ring_threads=1").code, 0);
  // The second unit first, in a process of its own.
  ASSERT_EQ(RunWinnow(args + (dir_ / "split").string() + " --task-count 2 --task-index 1").code, 0);
  ASSERT_EQ(RunWinnow(args + (dir_ / "split").string() + " --task-count 2 --task-index 0").code, 0);
  ASSERT_EQ(RunWinnow(args + (dir_ / "split").string()).code, 0);
  ASSERT_EQ(RunWinnow(args + (dir_ / "alone").string() + " --extract.site_templates=false").code, 0);
  std::map<std::string, std::string> one = OutputFiles(dir_ / "t1");
  ASSERT_TRUE(one.count("kept-00000.jsonl") && one.count("kept-00001.jsonl"));
  for (const char* other : {"t4", "rings", "split"}) {
    std::map<std::string, std::string> got = OutputFiles(dir_ / other);
    EXPECT_EQ(got.size(), one.size()) << other;
    for (const auto& [name, bytes] : one) EXPECT_EQ(got[name], bytes) << other << "/" << name;
  }
  auto texts = [](const fs::path& file) {
    std::vector<std::string> out;
    EXPECT_TRUE(ForEachShardDocument({file.string()}, DamagedRecords::kStop, [&](Document& d) {
                  out.push_back(d.Text());
                  return Status::Ok();
                }).ok());
    return out;
  };
  const std::vector<std::string> unit0 = texts(dir_ / "t1/kept-00000.jsonl");
  const std::vector<std::string> unit1 = texts(dir_ / "t1/kept-00001.jsonl");
  const std::vector<std::string> alone = texts(dir_ / "alone/kept-00000.jsonl");
  ASSERT_EQ(unit0.size(), 12u);
  ASSERT_EQ(alone.size(), 12u);
  EXPECT_EQ(unit0, unit1) << "each unit starts without evidence";
  EXPECT_EQ(unit0[0], alone[0]) << "the first page of a host is extracted alone";
  EXPECT_NE(alone[11].find("volunteers"), std::string::npos) << alone[11];
  EXPECT_EQ(unit0[11].find("volunteers"), std::string::npos) << "the repeated notice is template: " << unit0[11];
  EXPECT_NE(unit0[11].find("thing number 84"), std::string::npos) << unit0[11];
}

TEST_F(CliTest, StepBeforeItsInputsIsAUsageError) {
  WriteFile(dir_ / "in/a.jsonl", Corpus(4));
  Result r = RunWinnow("clean -q --stages none --dedup " + (dir_ / "in").string() + " -o " +
                       (dir_ / "o").string() + " --step dedup-pairs");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("--step docs"), std::string::npos) << r.out;
  r = RunWinnow("clean -q --stages none " + (dir_ / "in").string() + " -o " +
                (dir_ / "o").string() + " --step dedup");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("no step \"dedup\""), std::string::npos) << r.out;
}

// Regression: every `clean --dedup` left an empty ./dedup-work in the
// current folder (validation created it).
TEST_F(CliTest, DedupLeavesNothingOutsideTheOutputFolder) {
  WriteFile(dir_ / "in/a.jsonl", Corpus(40));
  fs::create_directories(dir_ / "cwd");
  Result r = RunWinnow("clean -q --stages none --dedup --repeated-lines " + (dir_ / "in").string() +
                       " -o " + (dir_ / "out").string(), (dir_ / "cwd").string());
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(fs::is_empty(dir_ / "cwd"));
  std::vector<std::string> in_dir;
  for (const auto& e : fs::directory_iterator(dir_)) in_dir.push_back(e.path().filename().string());
  std::sort(in_dir.begin(), in_dir.end());
  EXPECT_EQ(in_dir, (std::vector<std::string>{"cwd", "in", "out"}));
  EXPECT_FALSE(fs::exists(dir_ / "out/work"));
  EXPECT_TRUE(Stats(dir_ / "out").Conserved());
  // `winnow dedup` keeps its passes' files under its output folder too.
  r = RunWinnow("dedup -q " + (dir_ / "out/kept-00000.jsonl.zst").string() + " -o " +
                (dir_ / "dd").string(), (dir_ / "cwd").string());
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(fs::is_empty(dir_ / "cwd"));
  EXPECT_TRUE(fs::exists(dir_ / "dd/work"));
}

TEST_F(CliTest, ExtractPrintsTextMarkdownAndJson) {
  WriteFile(dir_ / "page.html",
            "<html><head><title>T</title></head><body><nav><a href=\"/\">Home</a> "
            "<a href=\"/n\">News</a></nav><article><h1>Big news</h1><p>The council approved the "
            "new bridge on Monday, after a long debate about its cost and design.</p><ul>"
            "<li>Cost: twelve million</li><li>Opening: next spring</li></ul></article>"
            "<footer>Copyright 2026 Example</footer></body></html>");
  std::string page = (dir_ / "page.html").string();
  Result text = RunWinnow("extract " + page + " --format text");
  ASSERT_EQ(text.code, 0) << text.out;
  EXPECT_NE(text.out.find("Big news\nThe council approved"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("Copyright"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("Home"), std::string::npos) << text.out;
  Result md = RunWinnow("extract " + page + " --format markdown");
  EXPECT_NE(md.out.find("# Big news"), std::string::npos) << md.out;
  EXPECT_NE(md.out.find("- Cost: twelve million"), std::string::npos) << md.out;
  Result js = RunWinnow("extract " + page + " --format json");
  EXPECT_NE(js.out.find("\"kind\":\"heading\""), std::string::npos) << js.out;
  EXPECT_NE(js.out.find("\"title\":\"T\""), std::string::npos) << js.out;
  Result stdin_run = RunWinnow("extract - < " + page);
  EXPECT_EQ(stdin_run.out, text.out);
  EXPECT_EQ(RunWinnow("extract " + page + " --format pdf").code, 2);
}

// The lines of a command's output, without winnow's messages on stderr
// (RunWinnow sends stderr where stdout goes).
std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> lines;
  std::stringstream ss(s);
  for (std::string line; std::getline(ss, line);) {
    if (line.rfind("winnow: ", 0) != 0) lines.push_back(line);
  }
  return lines;
}

std::string ArticlePage(const std::string& words) {
  std::string p;
  for (int i = 0; i < 6; ++i) p += words + " sentence number " + std::to_string(i) + ". ";
  return "<html><body><article><p>" + p + "</p></article></body></html>";
}

// A stream (JSONL, WARC, folder) gives one result per page with its id, url
// and source; a page that is skipped (not HTML, unreadable) is a result with
// an error, so outputs join to inputs (issue 14 item 4).
TEST_F(CliTest, ExtractStreamWritesIdUrlSourceAndErrors) {
  std::string html = ArticlePage("The harbour reopened after the storm");
  std::string escaped;
  for (char c : html) escaped += c == '"' ? std::string("\\\"") : std::string(1, c);
  WriteFile(dir_ / "in/pages.jsonl",
            "{\"id\":\"p1\",\"url\":\"https://a.example/1\",\"html\":\"" + escaped + "\"}\n"
            "{\"id\":\"p2\",\"url\":\"https://a.example/2\",\"text\":\"plain text only\"}\n"
            "not json\n");
  fs::path out = dir_ / "out.txt";
  Result js = RunWinnow("extract --format json " + (dir_ / "in/pages.jsonl").string() + " > " + out.string());
  EXPECT_EQ(js.code, 1) << js.out;  // the unreadable line
  std::vector<std::string> lines = Lines(ReadFile(out));
  ASSERT_EQ(lines.size(), 3u) << ReadFile(out);
  std::string file = (dir_ / "in/pages.jsonl").string();
  EXPECT_EQ(lines[0].rfind("{\"id\":\"p1\",\"url\":\"https://a.example/1\",\"source\":{\"file\":\"" + file +
                               "\",\"record\":0,\"offset\":0},",
                           0),
            0u)
      << lines[0];
  EXPECT_NE(lines[0].find("The harbour reopened after the storm sentence number 5."), std::string::npos);
  EXPECT_EQ(lines[0].find("\"error\""), std::string::npos) << lines[0];
  EXPECT_EQ(lines[1].rfind("{\"id\":\"p2\",\"url\":\"https://a.example/2\",\"source\":{\"file\":\"" + file +
                               "\",\"record\":1,",
                           0),
            0u)
      << lines[1];
  EXPECT_NE(lines[1].find("\"error\":\"not HTML"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find("\"record\":2,"), std::string::npos) << lines[2];
  EXPECT_NE(lines[2].find("\"error\":\"line 3: not valid JSON"), std::string::npos) << lines[2];

  // Text and Markdown: a header line (form feed + the same object) per page.
  for (const char* format : {"text", "markdown"}) {
    Result t = RunWinnow("extract --format " + std::string(format) + " " + file + " > " + out.string());
    EXPECT_EQ(t.code, 1) << t.out;
    std::vector<std::string> tl = Lines(ReadFile(out));
    ASSERT_EQ(tl.size(), 4u) << ReadFile(out);
    EXPECT_EQ(tl[0].rfind("\f{\"id\":\"p1\",\"url\":\"https://a.example/1\",\"source\":{", 0), 0u) << tl[0];
    EXPECT_EQ(tl[0].back(), '}');
    EXPECT_NE(tl[1].find("The harbour reopened"), std::string::npos) << tl[1];
    EXPECT_EQ(tl[2].rfind("\f{\"id\":\"p2\"", 0), 0u) << tl[2];
    EXPECT_NE(tl[2].find("\"error\":\"not HTML"), std::string::npos) << tl[2];
    EXPECT_NE(tl[3].find("\"error\":\"line 3"), std::string::npos) << tl[3];
  }

  // A WARC: the HTML response and an image (reported, not extracted).
  auto record = [](const std::string& uri, const std::string& id, const std::string& type,
                   const std::string& body) {
    std::string http = "HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\n\r\n" + body;
    return "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <" + id + ">\r\nWARC-Target-URI: " + uri +
           "\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: " +
           std::to_string(http.size()) + "\r\n\r\n" + http + "\r\n\r\n";
  };
  WriteFile(dir_ / "in/crawl.warc",
            record("https://b.example/page", "urn:uuid:1", "text/html", html) +
                record("https://b.example/logo.png", "urn:uuid:2", "image/png", "\x89PNG\r\n..."));
  Result w = RunWinnow("extract --format json " + (dir_ / "in/crawl.warc").string() + " > " + out.string());
  EXPECT_EQ(w.code, 0) << w.out;
  lines = Lines(ReadFile(out));
  ASSERT_EQ(lines.size(), 2u) << ReadFile(out);
  EXPECT_EQ(lines[0].rfind("{\"id\":\"urn:uuid:1\",\"url\":\"https://b.example/page\",\"source\":{", 0), 0u)
      << lines[0];
  EXPECT_NE(lines[0].find("The harbour reopened"), std::string::npos);
  EXPECT_EQ(lines[1].rfind("{\"id\":\"urn:uuid:2\",\"url\":\"https://b.example/logo.png\",\"source\":{", 0), 0u)
      << lines[1];
  EXPECT_NE(lines[1].find("\"error\":\"not HTML (image/png)"), std::string::npos) << lines[1];

  // A folder of HTML files: one result per file, the path as id.
  fs::create_directories(dir_ / "site");
  WriteFile(dir_ / "site/a.html", ArticlePage("The first page talks about bridges"));
  WriteFile(dir_ / "site/b.html", ArticlePage("The second page talks about rivers"));
  Result f = RunWinnow("extract --format json " + (dir_ / "site").string() + " > " + out.string());
  EXPECT_EQ(f.code, 0) << f.out;
  lines = Lines(ReadFile(out));
  ASSERT_EQ(lines.size(), 2u) << ReadFile(out);
  EXPECT_EQ(lines[0].rfind("{\"id\":\"" + (dir_ / "site/a.html").string() + "\",\"url\":\"file://", 0), 0u)
      << lines[0];
  EXPECT_NE(lines[0].find("bridges"), std::string::npos);
  EXPECT_EQ(lines[1].rfind("{\"id\":\"" + (dir_ / "site/b.html").string() + "\",", 0), 0u) << lines[1];
  EXPECT_NE(lines[1].find("rivers"), std::string::npos);

  // One HTML page stays its content alone (no header).
  Result one = RunWinnow("extract " + (dir_ / "site/a.html").string() + " > " + out.string());
  EXPECT_EQ(one.code, 0) << one.out;
  EXPECT_EQ(ReadFile(out).rfind("The first page talks about bridges sentence number 0.", 0), 0u) << ReadFile(out);
}

// `winnow report` of the bundled sample: every number on the page equals
// stats.json's, and the languages count every kept document.
TEST_F(CliTest, ReportNumbersEqualStatsJson) {
  fs::path out = dir_ / "out";
  std::string sample = std::string(WINNOW_SOURCE_DIR) + "/examples/";
  Result r = RunWinnow("clean -q " + sample + "sample.warc.gz " + sample + "sample.wet.gz -o " + out.string());
  ASSERT_LE(r.code, 1) << r.out;
  Result rep = RunWinnow("report " + out.string() + " -o " + (dir_ / "report.html").string());
  ASSERT_EQ(rep.code, 0) << rep.out;
  std::string html = ReadFile(dir_ / "report.html");
  RunStats stats = Stats(out);
  ASSERT_GT(stats.rejected, 0u);
  // The page loads nothing: no tag with a source or a link, no url() in the
  // style (the documents' URLs are text; text never holds a raw '<').
  for (size_t at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
    const std::string tag = html.substr(at, html.find('>', at) - at);
    for (const char* loads : {"<script", "<link", "<img", "<iframe", "<object", "<embed", " src=", " href=", "url("}) {
      EXPECT_EQ(tag.find(loads), std::string::npos) << tag;
    }
  }
  const std::string style = html.substr(0, html.find("</style>"));
  EXPECT_EQ(style.find("url("), std::string::npos);
  EXPECT_EQ(style.find("@import"), std::string::npos);

  std::map<std::string, std::string> counts = ChartValues(html, "counts");
  EXPECT_EQ(counts["docs_in"], std::to_string(stats.docs_in));
  EXPECT_EQ(counts["kept"], std::to_string(stats.kept));
  EXPECT_EQ(counts["rejected"], std::to_string(stats.rejected));
  EXPECT_EQ(counts["unreadable"], std::to_string(stats.unreadable));

  std::map<std::string, std::string> expected;
  for (const auto& [stage, reasons] : stats.rejected_by) {
    for (const auto& [reason, n] : reasons) expected[stage + "/" + reason] = std::to_string(n);
  }
  EXPECT_EQ(ChartValues(html, "rejected"), expected);
  expected.clear();
  for (const auto& [k, n] : stats.blocks_dropped_by) expected[k] = std::to_string(n);
  EXPECT_EQ(ChartValues(html, "lines_dropped"), expected);
  std::map<std::string, std::string> secs = ChartValues(html, "stage_seconds");
  ASSERT_EQ(secs.size(), stats.stage_seconds.size());
  // Three decimals of stats.json's value, rounded as the report rounds it:
  // a tolerance of 0.0005 fails on a value that ends in 5 at the fourth
  // decimal (0.3575 -> "0.357" is 0.0005000000000000004 off), which CPU
  // times hit now and then (a flake under load in session 8).
  for (const auto& [stage, s] : stats.stage_seconds) {
    char three[64];
    std::snprintf(three, sizeof three, "%.3f", s);
    EXPECT_EQ(secs[stage], three) << stage << " " << s;
  }

  uint64_t lang_docs = 0;
  for (const auto& [lang, n] : ChartValues(html, "languages")) lang_docs += std::stoull(n);
  EXPECT_EQ(lang_docs, stats.kept);

  EXPECT_NE(RunWinnow("report " + (dir_ / "in").string()).code, 0);  // no stats.json

  // `clean --report` writes the same page into the output folder.
  fs::path out2 = dir_ / "out2";
  Result rc = RunWinnow("clean -q --report " + sample + "sample.warc.gz " + sample + "sample.wet.gz -o " +
                        out2.string());
  ASSERT_LE(rc.code, 1) << rc.out;
  std::string html2 = ReadFile(out2 / "report.html");
  EXPECT_EQ(ChartValues(html2, "counts"), counts);
  EXPECT_EQ(ChartValues(html2, "rejected"), ChartValues(html, "rejected"));

  // Lengths: every document read has a record length, every kept one a text length.
  uint64_t records = 0, texts = 0;
  for (const auto& [bin, n] : ChartValues(html, "length_records")) records += std::stoull(n);
  for (const auto& [bin, n] : ChartValues(html, "length_kept_text")) texts += std::stoull(n);
  EXPECT_EQ(records, stats.kept + stats.rejected);
  EXPECT_EQ(texts, stats.kept);

  // Rejected samples: min(3, n) per reason, each the measured value against
  // the threshold (the record's decision detail), the same rows in both runs.
  std::map<std::string, std::string> detail_of;  // id -> detail
  std::vector<std::string> rejected_files;
  for (const auto& e : fs::directory_iterator(out)) {
    if (e.path().filename().string().rfind("rejected-", 0) == 0) rejected_files.push_back(e.path().string());
  }
  ASSERT_TRUE(ForEachShardDocument(rejected_files, DamagedRecords::kStop, [&](Document& d) {
                detail_of[d.id] = d.decision.detail;
                return Status::Ok();
              }).ok());
  std::map<std::string, int> rows;
  for (const auto& row : cli_test::ElementsOfClass(html, "rejected-doc")) {
    ++rows[row.at("reason")];
    ASSERT_TRUE(detail_of.count(row.at("id"))) << row.at("id");
    EXPECT_EQ(row.at("detail"), cli_test::HtmlEscaped(detail_of[row.at("id")]));
    EXPECT_FALSE(row.at("detail").empty()) << row.at("id");
  }
  for (const auto& [stage, reasons] : stats.rejected_by) {
    for (const auto& [reason, n] : reasons) {
      EXPECT_EQ(rows[stage + "/" + reason], static_cast<int>(std::min<uint64_t>(3, n))) << stage << "/" << reason;
    }
  }
  EXPECT_EQ(cli_test::ElementsOfClass(html2, "rejected-doc"), cli_test::ElementsOfClass(html, "rejected-doc"));

  // Dropped lines: a plain run keeps none (and the page says how to get
  // them); --report keeps them, and the page strikes them through, each
  // labelled with a stage/reason that stats.json counts.
  EXPECT_NE(html.find("did not keep its dropped lines"), std::string::npos);
  EXPECT_TRUE(cli_test::ElementsOfClass(html, "drop").empty());
  std::vector<std::map<std::string, std::string>> drops = cli_test::ElementsOfClass(html2, "drop");
  ASSERT_FALSE(drops.empty()) << html2;
  for (const auto& d : drops) EXPECT_TRUE(stats.blocks_dropped_by.count(d.at("stage"))) << d.at("stage");
  EXPECT_EQ(cli_test::ElementsOfClass(html2, "kept-doc").size(), 3u);
  EXPECT_NE(html2.find("<del>"), std::string::npos);
}

// `clean --report --dedup` of the bundled sample (it holds exact and near
// copies): the cluster figures add up to stats.json's dedup removals, each
// sampled pair names the keeper its record names, with the similarity of
// the two texts (1 for exact copies, dedup's Jaccard for near ones), and the
// kept documents still carry their dropped lines through the dedup step.
TEST_F(CliTest, ReportOfADedupRunShowsClustersAndPairs) {
  fs::path out = dir_ / "out";
  std::string sample = std::string(WINNOW_SOURCE_DIR) + "/examples/";
  Result r = RunWinnow("clean -q --report --dedup " + sample + "sample.warc.gz " + sample + "sample.wet.gz -o " +
                       out.string());
  ASSERT_LE(r.code, 1) << r.out;
  std::string html = ReadFile(out / "report.html");
  RunStats stats = Stats(out);
  uint64_t removed = 0;
  for (const auto& [reason, n] : stats.rejected_by["dedup"]) removed += n;
  ASSERT_GT(removed, 0u) << "the sample has copies";

  std::vector<std::string> kept_files, removed_files;
  for (const auto& e : fs::directory_iterator(out)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("kept-", 0) == 0) kept_files.push_back(e.path().string());
    if (name.rfind("rejected-dedup-", 0) == 0) removed_files.push_back(e.path().string());
  }
  uint64_t keepers = 0, with_dropped = 0;
  ASSERT_TRUE(ForEachShardDocument(kept_files, DamagedRecords::kStop, [&](Document& d) {
                if (d.annotations.dup_cluster == d.id && d.annotations.dup_cluster_size > 1) ++keepers;
                for (const Block& b : d.blocks) with_dropped += b.keep ? 0 : 1;
                return Status::Ok();
              }).ok());
  // Every record of the sample has an id of its own (WET records too), so a
  // pair's ids name one removed document and one keeper.
  std::map<std::string, Document> removed_docs;
  uint64_t removed_read = 0;
  ASSERT_TRUE(ForEachShardDocument(removed_files, DamagedRecords::kStop, [&](Document& d) {
                EXPECT_TRUE(removed_docs.emplace(d.id, d).second) << "id of two removed documents: " << d.id;
                ++removed_read;
                return Status::Ok();
              }).ok());
  ASSERT_EQ(removed_read, removed);

  std::map<std::string, std::string> figures = ChartValues(html, "dedup");
  EXPECT_EQ(figures["clusters"], std::to_string(keepers));
  EXPECT_EQ(std::stoull(figures["in_clusters"]), keepers + removed) << "each cluster: its keeper and its removed";
  uint64_t by_size = 0;
  for (const auto& [bin, n] : ChartValues(html, "dup_cluster_sizes")) by_size += std::stoull(n);
  EXPECT_EQ(by_size, keepers);

  std::vector<std::map<std::string, std::string>> pairs = cli_test::ElementsOfClass(html, "pair");
  EXPECT_EQ(pairs.size(), std::min<size_t>(4, removed));
  for (const auto& p : pairs) {
    ASSERT_TRUE(removed_docs.count(p.at("removed"))) << p.at("removed");
    const Document& d = removed_docs[p.at("removed")];
    EXPECT_EQ(p.at("keeper"), d.annotations.dup_cluster);
    ASSERT_FALSE(p.at("similarity").empty()) << "the keeper is in the kept shards";
    const double similarity = std::stod(p.at("similarity"));
    if (d.decision.reason == "exact_duplicate") {
      EXPECT_EQ(p.at("similarity"), "1.0000") << d.id;
    } else {
      const size_t j = d.decision.detail.find("jaccard ");
      ASSERT_NE(j, std::string::npos) << d.decision.detail;
      EXPECT_NEAR(similarity, std::stod(d.decision.detail.substr(j + 8)), 0.00015) << d.decision.detail;
      EXPECT_GE(similarity, 0.8);
    }
  }
  EXPECT_GT(with_dropped, 0u) << "--report keeps the dropped lines through the dedup step";
  EXPECT_FALSE(cli_test::ElementsOfClass(html, "drop").empty());
}

// Issue 14 item 3: `winnow stats` and `winnow report` sum a folder of task
// outputs (each task a run in a subfolder of its own): two runs, one per
// file of the sample, give the figures and the page of one run of both.
TEST_F(CliTest, StatsAndReportSumAFolderOfTaskOutputs) {
  std::string sample = std::string(WINNOW_SOURCE_DIR) + "/examples/";
  fs::path parts = dir_ / "parts", whole = dir_ / "whole";
  ASSERT_LE(RunWinnow("clean -q " + sample + "sample.warc.gz -o " + (parts / "task-0").string()).code, 1);
  ASSERT_LE(RunWinnow("clean -q " + sample + "sample.wet.gz -o " + (parts / "task-1").string()).code, 1);
  ASSERT_LE(RunWinnow("clean -q " + sample + "sample.warc.gz " + sample + "sample.wet.gz -o " + whole.string()).code,
            1);
  fs::create_directories(parts / "notes");  // a subfolder that is no run is left alone

  // The table's figures (up to the times, which differ run to run).
  auto figures = [](std::string table) {
    if (table.rfind("sum of ", 0) == 0) table = table.substr(table.find("\n\n") + 2);
    return table.substr(0, table.find("\ntime per stage"));
  };
  Result sum = RunWinnow("stats " + parts.string());
  ASSERT_EQ(sum.code, 0) << sum.out;
  EXPECT_EQ(sum.out.rfind("sum of 2 runs: ", 0), 0u) << sum.out;
  Result one = RunWinnow("stats " + whole.string());
  ASSERT_EQ(one.code, 0) << one.out;
  EXPECT_EQ(figures(sum.out), figures(one.out));
  EXPECT_NE(figures(sum.out).find("documents"), std::string::npos) << sum.out;

  Result rep = RunWinnow("report " + parts.string());
  ASSERT_EQ(rep.code, 0) << rep.out;
  ASSERT_EQ(RunWinnow("report " + whole.string()).code, 0);
  const std::string a = ReadFile(parts / "report.html"), b = ReadFile(whole / "report.html");
  EXPECT_NE(a.find("data-runs=\"2\""), std::string::npos);
  for (const char* chart : {"counts", "rejected", "lines_dropped", "languages", "length_records",
                            "length_kept_text", "pii_masked"}) {
    EXPECT_FALSE(ChartValues(a, chart).empty()) << chart;
    EXPECT_EQ(ChartValues(a, chart), ChartValues(b, chart)) << chart;
  }
  EXPECT_EQ(cli_test::ElementsOfClass(a, "rejected-doc"), cli_test::ElementsOfClass(b, "rejected-doc"));

  // A folder with no run, and one with a run that has not finished: errors
  // that say so.
  fs::create_directories(dir_ / "empty");
  Result none = RunWinnow("stats " + (dir_ / "empty").string());
  EXPECT_EQ(none.code, 2) << none.out;
  EXPECT_NE(none.out.find("no stats.json"), std::string::npos) << none.out;
  fs::create_directories(parts / "task-2");
  WriteFile(parts / "task-2/kept-00000.jsonl", "");
  for (const char* cmd : {"stats ", "report "}) {
    Result unfinished = RunWinnow(cmd + parts.string());
    EXPECT_EQ(unfinished.code, 2) << unfinished.out;
    EXPECT_NE(unfinished.out.find("task-2 holds a run that has not finished"), std::string::npos) << unfinished.out;
  }
}

// The seed page (../shared/seed): a French article and 25 lines of chrome.
// The default chain (line classifier, langid, filters) must keep exactly the
// article's seven lines.
TEST_F(CliTest, SeedPageComesOutAsItsArticle) {
  fs::path seed = fs::path(WINNOW_SHARED_DIR) / "seed/biden-poutine-sommet.txt";
  if (!fs::exists(seed)) GTEST_SKIP() << "../shared/seed is absent: " << seed;
  fs::path out = dir_ / "out";
  Result r = RunWinnow("clean -q --compression none " + seed.string() + " -o " + out.string());
  ASSERT_EQ(r.code, 0) << r.out;
  std::string line = ReadFile(out / "kept-00000.jsonl");
  ASSERT_FALSE(line.empty()) << ReadFile(out / "rejected-00000.jsonl");
  Document doc;
  ASSERT_TRUE(DocumentFromJson(line.substr(0, line.find('\n')), &doc).ok());
  std::string expected = ReadFile(fs::path(WINNOW_SHARED_DIR) / "seed/biden-poutine-sommet.expected.txt");
  while (!expected.empty() && expected.back() == '\n') expected.pop_back();
  EXPECT_EQ(doc.Text(), expected);
  EXPECT_EQ(doc.annotations.lang, "fr");
}

TEST_F(CliTest, CorpusStepsRemoveDuplicatesAndSiteChromeAndConserve) {
  // 40 distinct articles of one host, each with the same two chrome lines;
  // then 10 exact copies of the first articles.
  std::string s;
  // Digits are normalised away by dedup, so articles differ by their words.
  static const char* kWords[] = {"river", "market", "council", "garden", "winter", "station",
                                 "teacher", "harbour", "festival", "library", "bridge", "orchard",
                                 "village", "museum", "theatre", "forest", "planning", "budget",
                                 "railway", "school", "hospital", "mountain", "island", "factory"};
  auto doc = [&](int id, int art) {
    std::string text = "Subscribe to our newsletter for more stories\\n";
    uint32_t state = 2166136261u ^ static_cast<uint32_t>(art);
    for (int k = 0; k < 60; ++k) {
      state = state * 1664525u + 1013904223u;
      text += kWords[(state >> 16) % 24];
      text += (k % 12 == 11) ? ". " : " ";
    }
    text += "\\nCopyright example news all rights reserved";
    s += "{\"id\": \"d" + std::to_string(id) + "\", \"url\": \"https://news.example.com/a" +
         std::to_string(id) + "\", \"text\": \"" + text + "\"}\n";
  };
  for (int i = 0; i < 40; ++i) doc(i, i);
  for (int i = 0; i < 10; ++i) doc(100 + i, i);
  WriteFile(dir_ / "in/site.jsonl", s);
  fs::path out = dir_ / "out";
  Result r = RunWinnow("clean -q --stages none --compression none --dedup --repeated-lines " +
                 (dir_ / "in").string() + " -o " + out.string());
  ASSERT_EQ(r.code, 0) << r.out;
  RunStats st = Stats(out);
  EXPECT_TRUE(st.Conserved()) << st.ConservationLine();
  EXPECT_EQ(st.docs_in, 50u);
  EXPECT_EQ(st.kept, 40u) << st.ToTable();
  EXPECT_EQ(st.rejected, 10u);
  std::string kept = ReadFile(out / "kept-00000.jsonl");
  EXPECT_EQ(kept.find("Subscribe to our newsletter"), std::string::npos);
  EXPECT_EQ(kept.find("Copyright example news"), std::string::npos);
  EXPECT_EQ(std::count(kept.begin(), kept.end(), '\n'), 40);  // one line per kept document
  EXPECT_GT(st.blocks_dropped_by.size(), 0u);
}

// Issue 11 item 1: a full disk at stats.json (its temporary name points at
// /dev/full) is exit 2 with a message, and no stats.json is left behind.
TEST_F(CliTest, FullDiskAtStatsJsonExitsTwoAndLeavesNoStatsJson) {
  WriteFile(dir_ / "in/a.jsonl", Corpus(20));
  const std::string out = (dir_ / "out").string();
  fs::create_directories(out);
  Result r = RunWinnowAfter("clean -q --stages none " + (dir_ / "in").string() + " -o " + out, [&] {
    fs::create_symlink("/dev/full", filename::Temp(filename::Stats(out)));
  });
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("stats.json"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir_ / "out/stats.json"));
  for (const std::string& name : FinalFiles(out)) EXPECT_NE(name.rfind("stats.json", 0), 0u) << name;
  Result stats = RunWinnow("stats " + out);
  EXPECT_EQ(stats.code, 2);
  EXPECT_NE(stats.out.find("no stats.json"), std::string::npos) << stats.out;
}

// Issue 11 item 2: a write error in a kept shard (the file size limit stands
// in for a full disk: writes past it fail with EFBIG) is exit 2, and no
// kept-*, rejected-*, unreadable.jsonl or stats.json appears under its final
// name; a failed rerun into a finished folder removes the old stats.json.
TEST_F(CliTest, WriteErrorInAShardLeavesNoFinalFile) {
  WriteFile(dir_ / "in/a.jsonl", Corpus(3000));
  WriteFile(dir_ / "in/b.jsonl", "not json\n");
  const std::string args = "clean -q --stages none --compression none " + (dir_ / "in").string() + " -o ";
  auto limit = [] {
    ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl = {64 * 1024, 64 * 1024};
    ::setrlimit(RLIMIT_FSIZE, &rl);
  };
  Result r = RunWinnowAfter(args + (dir_ / "out").string(), limit);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("kept-00000.jsonl"), std::string::npos) << r.out;
  EXPECT_EQ(FinalFiles(dir_ / "out"), std::vector<std::string>{}) << r.out;

  // A finished run, then a rerun of another run (one more input): refused
  // without --overwrite, the old run untouched; with --overwrite and a write
  // error, neither run's final files are left (the old ones were removed
  // first).
  ASSERT_EQ(RunWinnow(args + (dir_ / "again").string()).code, 1);
  const std::string kept = ReadFile(dir_ / "again/kept-00000.jsonl");
  const std::string stats = ReadFile(dir_ / "again/stats.json");
  ASSERT_GT(kept.size(), 64u * 1024);
  WriteFile(dir_ / "in/c.jsonl", Corpus(10));
  r = RunWinnowAfter(args + (dir_ / "again").string(), limit);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("--overwrite"), std::string::npos) << r.out;
  EXPECT_EQ(ReadFile(dir_ / "again/kept-00000.jsonl"), kept);
  EXPECT_EQ(ReadFile(dir_ / "again/stats.json"), stats);
  r = RunWinnowAfter(args + (dir_ / "again").string() + " --overwrite", limit);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("kept-00000.jsonl"), std::string::npos) << r.out;
  EXPECT_EQ(FinalFiles(dir_ / "again"), std::vector<std::string>{}) << r.out;
}

// Issue 11 item 7: a dangling symlink and a FIFO inside an input folder are
// one unreadable record each, with their paths (the run does not hang).
TEST_F(CliTest, DanglingLinkAndFifoInAFolderAreUnreadableRecords) {
  WriteFile(dir_ / "in/good.jsonl", Corpus(5));
  fs::create_symlink(dir_ / "in/nowhere.jsonl", dir_ / "in/dangling.jsonl");
  ASSERT_EQ(::mkfifo((dir_ / "in/pipe.jsonl").c_str(), 0644), 0);
  fs::path out = dir_ / "out";
  Result r = RunWinnow("clean -q --stages none " + (dir_ / "in").string() + " -o " + out.string());
  EXPECT_EQ(r.code, 1) << r.out;
  RunStats s = Stats(out);
  EXPECT_EQ(s.kept, 5u);
  EXPECT_EQ(s.unreadable, 2u);
  EXPECT_TRUE(s.Conserved()) << s.ConservationLine();
  std::string log = ReadFile(out / "unreadable.jsonl");
  EXPECT_NE(log.find("dangling.jsonl"), std::string::npos) << log;
  EXPECT_NE(log.find("dangling link"), std::string::npos) << log;
  EXPECT_NE(log.find("pipe.jsonl"), std::string::npos) << log;
  EXPECT_NE(log.find("FIFO"), std::string::npos) << log;
}

// Issue 11 item 7: compression is recognised by its magic bytes, and a
// .zst/.gz name over other bytes is one unreadable record saying so.
TEST_F(CliTest, CompressionByMagicBytesAndMisnamedFilesAreUnreadable) {
  WriteFile(dir_ / "in/gzip-without-its-name.jsonl", Gzip(Corpus(4)));
  std::string noise;
  for (int i = 0; i < 5000; ++i) noise.push_back(static_cast<char>((i * 7919 + 13) % 251));
  WriteFile(dir_ / "in/noise.jsonl.zst", noise);
  WriteFile(dir_ / "in/plain.jsonl.gz", Corpus(3));
  fs::path out = dir_ / "out";
  Result r = RunWinnow("clean -q --stages none " + (dir_ / "in").string() + " -o " + out.string());
  EXPECT_EQ(r.code, 1) << r.out;
  RunStats s = Stats(out);
  EXPECT_EQ(s.kept, 4u);
  EXPECT_EQ(s.unreadable, 2u);  // one per misnamed file, not one per line
  std::string log = ReadFile(out / "unreadable.jsonl");
  EXPECT_NE(log.find("noise.jsonl.zst: named .zst but not zstd data"), std::string::npos) << log;
  EXPECT_NE(log.find("plain.jsonl.gz: named .gz but not gzip data (it starts with 7b 22 69 64"),
            std::string::npos) << log;
}

// Issue 11 item 7: `winnow stats` on a folder without stats.json says so.
TEST_F(CliTest, StatsOnAFolderWithoutStatsJsonSaysSo) {
  Result r = RunWinnow("stats " + (dir_ / "in").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("holds no stats.json"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("not a JSON object"), std::string::npos) << r.out;
}

// Lines of every kept-* file of a folder (one per document).
size_t KeptLines(const fs::path& out) {
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(out)) {
    if (e.path().filename().string().rfind("kept-", 0) != 0) continue;
    std::string s = ReadFile(e.path());
    n += std::count(s.begin(), s.end(), '\n');
  }
  return n;
}

// Issue 11 item 3: a folder holding another run (other inputs, other
// settings, or files winnow cannot attribute) is refused with exit 2 and a
// message saying what differs, and is left untouched; --overwrite removes
// that run's files (only winnow's) first, so no old shard stays beside the
// new run (the defect: stats.json said 156 kept, the kept-* files held 767).
TEST_F(CliTest, ReusedOutputFolderIsRefusedUnlessOverwrite) {
  for (int i = 0; i < 4; ++i) WriteFile(dir_ / ("in/" + std::to_string(i) + ".jsonl"), Corpus(20 + i));
  const std::string out = (dir_ / "out").string();
  const std::string clean = "clean -q --stages none --compression none --shard-mb 0 -o " + out + " ";
  ASSERT_EQ(RunWinnow(clean + (dir_ / "in").string()).code, 0);
  ASSERT_TRUE(fs::exists(dir_ / "out/kept-00003.jsonl"));
  EXPECT_FALSE(fs::exists(dir_ / "out/work")) << "a finished run leaves no work folder";
  EXPECT_EQ(Stats(out).run_key.size(), 16u) << "stats.json says which run the folder holds";
  WriteFile(dir_ / "out/notes.txt", "mine");
  fs::create_directories(dir_ / "out/kept-mine");
  std::map<std::string, std::string> before;
  for (const auto& e : fs::directory_iterator(out))
    if (e.is_regular_file()) before[e.path().filename().string()] = ReadFile(e.path());

  // Other inputs: refused, nothing touched.
  Result r = RunWinnow(clean + (dir_ / "in/0.jsonl").string());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("holds the files of another finished run"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--overwrite"), std::string::npos) << r.out;
  std::map<std::string, std::string> after;
  for (const auto& e : fs::directory_iterator(out))
    if (e.is_regular_file()) after[e.path().filename().string()] = ReadFile(e.path());
  EXPECT_EQ(after, before);

  // Other settings: refused, and the message names the setting while the
  // other run is unfinished (its identity is in work/run).
  const std::string two = (dir_ / "two").string();
  ASSERT_EQ(RunWinnow("clean -q --stages none --set corpus.keep_work=true -o " + two + " " +
                      (dir_ / "in").string()).code, 0);
  ASSERT_TRUE(fs::exists(dir_ / "two/work/run"));
  r = RunWinnow("clean -q --stages none --compression gz --set corpus.keep_work=true -o " + two + " " +
                (dir_ / "in").string());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("output.compression unset there, gz here"), std::string::npos) << r.out;

  // The same run again (another thread count too): not refused, same files.
  r = RunWinnow(clean + (dir_ / "in").string() + " -t 1");
  EXPECT_EQ(r.code, 0) << r.out;
  after.clear();
  for (const auto& e : fs::directory_iterator(out))
    if (e.is_regular_file() && e.path().filename() != "stats.json")
      after[e.path().filename().string()] = ReadFile(e.path());
  before.erase("stats.json");
  EXPECT_EQ(after, before);

  // --overwrite: the old run's shards (and its report) go, the user's files
  // stay, the kept-* files hold what stats.json counts.
  WriteFile(dir_ / "out/report.html", "old report");
  r = RunWinnow(clean + (dir_ / "in/0.jsonl").string() + " --overwrite");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_FALSE(fs::exists(dir_ / "out/kept-00001.jsonl"));
  EXPECT_FALSE(fs::exists(dir_ / "out/report.html"));
  EXPECT_EQ(ReadFile(dir_ / "out/notes.txt"), "mine");
  EXPECT_TRUE(fs::is_directory(dir_ / "out/kept-mine"));
  RunStats s = Stats(out);
  EXPECT_EQ(s.docs_in, 20u);
  EXPECT_EQ(KeptLines(out), s.kept);

  // A share of a split run cannot --overwrite (the other shares write there).
  r = RunWinnow(clean + (dir_ / "in").string() + " --overwrite --task-count 2 --task-index 0");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("--overwrite"), std::string::npos) << r.out;
}

// Issue 11 item 3: winnow's files that name no run (the output of `winnow
// dedup`, or of an older winnow) are refused too: they cannot be told apart
// from another run's.
TEST_F(CliTest, OutputFolderWithFilesOfAnUnknownRunIsRefused) {
  WriteFile(dir_ / "in/a.jsonl", Corpus(10));
  fs::create_directories(dir_ / "out");
  WriteFile(dir_ / "out/kept-00000.jsonl", "{\"id\": \"x\", \"text\": \"OLD-RUN\"}\n");
  const std::string clean = "clean -q --stages none --compression none " + (dir_ / "in").string() + " -o " +
                            (dir_ / "out").string();
  Result r = RunWinnow(clean);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("cannot identify"), std::string::npos) << r.out;
  EXPECT_NE(ReadFile(dir_ / "out/kept-00000.jsonl").find("OLD-RUN"), std::string::npos);
  r = RunWinnow(clean + " --overwrite");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(ReadFile(dir_ / "out/kept-00000.jsonl").find("OLD-RUN"), std::string::npos);
  EXPECT_EQ(KeptLines(dir_ / "out"), Stats(dir_ / "out").kept);
}

// Issue 11 item 3: an output folder inside an input folder (the next run
// would read this run's output) and an input inside the output folder (a run
// replaces or removes it) are refused before anything is written.
TEST_F(CliTest, OutputInsideInputAndInputInsideOutputAreRefused) {
  WriteFile(dir_ / "in/a.jsonl", Corpus(10));
  Result r = RunWinnow("clean -q --stages none " + (dir_ / "in").string() + " -o " + (dir_ / "in/out").string());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("is inside the input folder"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir_ / "in/out"));
  // The same folder through another spelling (a trailing slash, "..").
  r = RunWinnow("clean -q --stages none " + (dir_ / "in").string() + "/ -o " + (dir_ / "in/x/../").string());
  EXPECT_EQ(r.code, 2) << r.out;
  // An input inside the output folder.
  fs::create_directories(dir_ / "out");
  WriteFile(dir_ / "out/data.jsonl", Corpus(3));
  r = RunWinnow("clean -q --stages none " + (dir_ / "out/data.jsonl").string() + " -o " + (dir_ / "out").string());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("is inside the output folder"), std::string::npos) << r.out;
  EXPECT_EQ(FinalFiles(dir_ / "out"), std::vector<std::string>{"data.jsonl"});
  // Files of an input folder beside the output folder are fine.
  r = RunWinnow("clean -q --stages none " + (dir_ / "in/a.jsonl").string() + " -o " + (dir_ / "in2").string());
  EXPECT_EQ(r.code, 0) << r.out;
}

// Files of a folder (recursively, relative names) -> their inode: a task
// that is redone writes its marker anew (a rename: another inode).
std::map<std::string, ino_t> Inodes(const fs::path& dir) {
  std::map<std::string, ino_t> m;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    struct stat st;
    const std::string name = e.path().filename().string();
    if (name.find(".tmp-") != std::string::npos) continue;  // a killed attempt's
    if (e.is_regular_file() && ::stat(e.path().c_str(), &st) == 0)
      m[fs::relative(e.path(), dir).string()] = st.st_ino;
  }
  return m;
}

// Issue 11 item 4: a run killed with SIGKILL at points of every step (the
// per-document pass, repeated lines, each dedup pass, the final writes) and
// run again with the same command gives the same bytes as a run that was
// never killed, and the rerun does not redo the tasks that had finished
// (their markers are untouched). The kill comes from the process itself at a
// named point (WINNOW_TEST_KILL_AT, tasks.h KillPoint): a kill -9 at a known
// instant, with the other tasks of the step running on the other thread.
TEST_F(CliTest, KilledRunsResumeToTheSameBytes) {
  for (int i = 0; i < 5; ++i) WriteFile(dir_ / ("in/" + std::to_string(i) + ".jsonl"), Corpus(150 + 40 * i));
  WriteFile(dir_ / "in/5.jsonl", Corpus(60) + "not json\n");
  const std::string args = "clean -q --stages none --compression none --shard-mb 0 --dedup --repeated-lines -t 2 " +
                           (dir_ / "in").string() + " -o ";
  const std::string keep = " --set corpus.keep_work=true";
  ASSERT_EQ(RunWinnow(args + (dir_ / "ref").string() + keep).code, 1);
  std::map<std::string, std::string> ref;
  for (const std::string& name : FinalFiles(dir_ / "ref"))
    if (name != "stats.json") ref[name] = ReadFile(dir_ / "ref" / name);
  ASSERT_TRUE(ref.count("kept-00005.jsonl") && ref.count("rejected-dedup-00000.jsonl")) << ref.size();
  const RunStats want = Stats(dir_ / "ref");
  const size_t markers = Inodes(dir_ / "ref/work/done").size();
  ASSERT_EQ(markers, 6u + 1 + 6 + 6 + 4 + 1 + 6);  // docs, lines-merge, lines, dedup's 4 steps

  const std::vector<std::string> points = {
      "docs-00000:written", "docs-00002:unmarked", "docs-00005:written", "lines-merge-00000:unmarked",
      "lines-00003:written", "dedup-signatures-00001:unmarked", "dedup-pairs-00002:unmarked",
      "dedup-clusters-00000:unmarked", "dedup-00004:unmarked", "finish-00000:unreadable",
      "finish-00000:stats", "finish-00000:work"};
  for (const std::string& point : points) {
    SCOPED_TRACE(point);
    const std::string name = "kill-" + point.substr(0, point.find(':')) + "-" + point.substr(point.find(':') + 1);
    const fs::path out = dir_ / name;
    // "work" is reached only when the work folder is removed.
    const std::string k = point == "finish-00000:work" ? "" : keep;
    Result killed = RunWinnowAfter(args + out.string() + k, [&] { ::setenv("WINNOW_TEST_KILL_AT", point.c_str(), 1); });
    EXPECT_EQ(killed.code, -1) << "not killed at " << point << ": " << killed.out;
    const std::map<std::string, ino_t> before = Inodes(out / "work/done");
    EXPECT_FALSE(fs::exists(out / "stats.json") && point.rfind("finish", 0) != 0) << "stats.json of a killed run";

    Result again = RunWinnow(args + out.string() + k);
    EXPECT_EQ(again.code, 1) << again.out;
    std::map<std::string, std::string> got;
    for (const std::string& f : FinalFiles(out))
      if (f != "stats.json") got[f] = ReadFile(out / f);
    EXPECT_EQ(got.size(), ref.size());
    for (const auto& [f, bytes] : ref) EXPECT_TRUE(got[f] == bytes) << f << " differs after resuming";
    const RunStats s = Stats(out);
    EXPECT_EQ(s.docs_in, want.docs_in);
    EXPECT_EQ(s.kept, want.kept);
    EXPECT_EQ(s.rejected_by, want.rejected_by);
    EXPECT_EQ(s.unreadable, want.unreadable);
    if (!k.empty()) EXPECT_EQ(s.run_key, want.run_key);
    // Every task finished before the kill was not redone.
    if (!k.empty()) {
      const std::map<std::string, ino_t> after = Inodes(out / "work/done");
      for (const auto& [m, ino] : before) EXPECT_EQ(after.at(m), ino) << m << " was redone";
      EXPECT_EQ(after.size(), markers);
    }
  }
}

// The run's identity (work/run) is written unsynced and synced by the first
// task that commits: a power loss before that may leave it empty. A rerun
// then writes it again (and resumes the run to the same bytes), rather than
// keep a file that names no run.
TEST_F(CliTest, AnEmptiedRunIdentityIsWrittenAgain) {
  for (int i = 0; i < 2; ++i) WriteFile(dir_ / ("in/" + std::to_string(i) + ".jsonl"), Corpus(40 + 20 * i));
  const std::string args = "clean -q --stages none --compression none --shard-mb 0 -t 1 " + (dir_ / "in").string() + " -o ";
  const std::string keep = " --set corpus.keep_work=true";
  ASSERT_EQ(RunWinnow(args + (dir_ / "ref").string() + keep).code, 0);
  const std::string identity = ReadFile(dir_ / "ref/work/run");
  ASSERT_EQ(identity.rfind("winnow-run ", 0), 0u) << identity;
  const fs::path out = dir_ / "out";
  Result killed =
      RunWinnowAfter(args + out.string() + keep, [] { ::setenv("WINNOW_TEST_KILL_AT", "docs-00001:written", 1); });
  ASSERT_EQ(killed.code, -1) << killed.out;
  WriteFile(out / "work/run", "");
  Result again = RunWinnow(args + out.string() + keep);
  EXPECT_EQ(again.code, 0) << again.out;
  EXPECT_EQ(ReadFile(out / "work/run"), identity);
  EXPECT_EQ(FinalFiles(out), FinalFiles(dir_ / "ref"));
  for (const std::string& f : FinalFiles(dir_ / "ref"))
    if (f != "stats.json") EXPECT_TRUE(ReadFile(out / f) == ReadFile(dir_ / "ref" / f)) << f;
}

// A finished run rerun with the same command does nothing: the folder holds
// its result (and says so); --overwrite runs it again.
TEST_F(CliTest, RerunOfAFinishedRunDoesNothing) {
  WriteFile(dir_ / "in/a.jsonl", Corpus(30));
  const std::string clean = "clean --stages none " + (dir_ / "in").string() + " -o " + (dir_ / "out").string();
  ASSERT_EQ(RunWinnow(clean).code, 0);
  const std::map<std::string, ino_t> first = Inodes(dir_ / "out");
  Result r = RunWinnow(clean);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("already holds this run"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("documents in 30"), std::string::npos) << r.out;
  EXPECT_EQ(Inodes(dir_ / "out"), first);
  r = RunWinnow(clean + " --overwrite");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.out.find("already holds"), std::string::npos) << r.out;
  EXPECT_TRUE(Stats(dir_ / "out").Conserved());
}

// Issue 11 item 7: `winnow dedup` reports each unreadable record with its
// file, record and byte offset (on stderr and in OUT/unreadable.jsonl, as
// `winnow clean` does), counts a shard it cannot open as one, and goes on:
// the readable documents are deduplicated, exit 1.
// `winnow dedup -o` claims its folder as `clean` does: the same run resumes,
// another (inputs, settings, a clean run) is refused without --overwrite.
TEST_F(CliTest, DedupClaimsItsOutputFolder) {
  WriteFile(dir_ / "in/a.jsonl", Corpus(20));
  WriteFile(dir_ / "b.jsonl", Corpus(7));
  const std::string in = (dir_ / "in").string(), in2 = (dir_ / "b.jsonl").string();
  const std::string out = (dir_ / "out").string();
  Result r = RunWinnow("dedup -q " + in + " -o " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  const std::string kept = ReadFile(dir_ / "out/kept-00000.jsonl");
  ASSERT_FALSE(kept.empty());
  // The same run again, with other threads and partitions: it resumes.
  r = RunWinnow("dedup " + in + " -o " + out + " -t 1 --partitions 3");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(ReadFile(dir_ / "out/kept-00000.jsonl"), kept);
  // Other inputs or other settings: refused, the folder unchanged.
  for (const std::string& other : {"dedup -q " + in2 + " -o " + out, "dedup -q --paragraphs " + in + " -o " + out,
                                   "dedup -q --pass apply " + in + " -o " + out + " --set dedup.keep=earliest"}) {
    r = RunWinnow(other);
    EXPECT_EQ(r.code, 2) << other << "\n" << r.out;
    EXPECT_NE(r.out.find("--overwrite"), std::string::npos) << r.out;
  }
  EXPECT_EQ(ReadFile(dir_ / "out/kept-00000.jsonl"), kept);
  // A `winnow clean` run's folder too.
  r = RunWinnow("clean -q --stages none " + in + " -o " + (dir_ / "c").string());
  ASSERT_EQ(r.code, 0) << r.out;
  r = RunWinnow("dedup -q " + in + " -o " + (dir_ / "c").string());
  EXPECT_EQ(r.code, 2) << r.out;
  // --overwrite: the other run's files go, this run's come.
  r = RunWinnow("dedup -q " + in2 + " -o " + out + " --overwrite");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(ReadFile(dir_ / "out/kept-00000.jsonl"), kept);
  EXPECT_NE(ReadFile(dir_ / "out/kept-00000.jsonl").find("\"id\""), std::string::npos);
}

TEST_F(CliTest, DedupReportsUnreadableRecordsWithFileAndOffset) {
  const std::string good = Corpus(40);
  const std::string first_lines = Corpus(3);
  WriteFile(dir_ / "in/a.jsonl", first_lines + "{\"id\": broken\n" + good);
  WriteFile(dir_ / "in/b.jsonl.zst", "plain text, not zstd\n");
  WriteFile(dir_ / "in/c.jsonl", good);
  const fs::path out = dir_ / "out";
  Result r = RunWinnow("dedup " + (dir_ / "in").string() + " " + (dir_ / "missing.jsonl").string() +
                       " -o " + out.string());
  EXPECT_EQ(r.code, 1) << r.out;
  const std::string where = (dir_ / "in/a.jsonl").string() + ":record 3 (byte " +
                            std::to_string(first_lines.size()) + ")";
  EXPECT_NE(r.out.find("unreadable: " + where), std::string::npos) << r.out;
  const std::string log = ReadFile(out / "unreadable.jsonl");
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 3) << log;
  EXPECT_NE(log.find("\"record\": 3, \"offset\": " + std::to_string(first_lines.size())), std::string::npos) << log;
  EXPECT_NE(log.find("b.jsonl.zst"), std::string::npos) << log;
  EXPECT_NE(log.find("not zstd data"), std::string::npos) << log;
  EXPECT_NE(log.find("missing.jsonl"), std::string::npos) << log;
  // The readable documents went through: c.jsonl repeats a.jsonl's 40, so
  // it keeps none of them; every shard has its output (empty for b).
  EXPECT_EQ(ReadFile(out / "kept-00002.jsonl"), "");
  EXPECT_TRUE(fs::exists(out / "kept-00001.jsonl"));
  EXPECT_TRUE(fs::exists(out / "kept-00003.jsonl"));
  EXPECT_GT(ReadFile(out / "kept-00000.jsonl").size(), 0u);
  EXPECT_FALSE(fs::exists(dir_ / "in/dedup-work"));
}

}  // namespace
}  // namespace winnow
