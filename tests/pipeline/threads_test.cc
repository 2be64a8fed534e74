// Which threads a `winnow clean` run uses: one thread asked, one thread used.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "winnow/pipeline.h"
#include "winnow/stage.h"
#include "../test_files.h"

namespace winnow {
namespace {

namespace fs = std::filesystem;

// Records the thread of every call the driver makes on a stage.
struct Seen {
  std::mutex mu;
  std::set<std::thread::id> admit, process, release;
  void Clear() {
    std::lock_guard<std::mutex> lock(mu);
    admit.clear();
    process.clear();
    release.clear();
  }
};
Seen& TheSeen() {
  static Seen seen;
  return seen;
}

class ThreadProbe : public Stage {
 public:
  std::string name() const override { return "test.thread_probe"; }
  void Process(Document&) const override { Note(&TheSeen().process); }
  void Admit(const Document&) const override { Note(&TheSeen().admit); }
  void Release(const Document&) const override { Note(&TheSeen().release); }

 private:
  static void Note(std::set<std::thread::id>* ids) {
    std::lock_guard<std::mutex> lock(TheSeen().mu);
    ids->insert(std::this_thread::get_id());
  }
};

// Slow on some documents (so that workers finish out of order and the
// writer waits on an early one while the reader fills the ring), and
// rejects every fifth one.
class SlowProbe : public Stage {
 public:
  std::string name() const override { return "test.slow_probe"; }
  void Process(Document& doc) const override {
    const int n = std::stoi(doc.id.substr(1));
    if (n % 61 == 3) std::this_thread::sleep_for(std::chrono::milliseconds(15));
    else if (n % 7 == 0) std::this_thread::sleep_for(std::chrono::microseconds(300));
    if (n % 5 == 4) doc.Reject("test.slow_probe", "fifth");
  }
};

using winnow::testing::ReadFile;

class PipelineThreadsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::once_flag once;
    std::call_once(once, [] {
      StageRegistry::Global().Register(
          "test.thread_probe",
          [](const Config&) -> StatusOr<std::unique_ptr<Stage>> { return std::unique_ptr<Stage>(new ThreadProbe); },
          "records the threads the driver calls it on (tests only)");
      StageRegistry::Global().Register(
          "test.slow_probe",
          [](const Config&) -> StatusOr<std::unique_ptr<Stage>> { return std::unique_ptr<Stage>(new SlowProbe); },
          "slow on some documents, rejects every fifth (tests only)");
    });
    dir_ = fs::temp_directory_path() / ("winnow_threads_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "in");
    std::ofstream f(dir_ / "in/a.jsonl");
    for (int i = 0; i < 200; ++i) f << "{\"id\":\"d" << i << "\",\"text\":\"line " << i << " of the test\"}\n";
    f << "not json\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  RunStats Run(int threads, const std::string& out) {
    TheSeen().Clear();
    CleanOptions options;
    options.config.Set("stages", "test.thread_probe");
    options.inputs = {(dir_ / "in").string()};
    options.output_dir = (dir_ / out).string();
    options.threads = threads;
    RunStats stats;
    Status s = RunClean(options, &stats);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return stats;
  }

  fs::path dir_;
};

TEST_F(PipelineThreadsTest, OneThreadReadsProcessesAndWritesOnTheCallingThread) {
  RunStats one = Run(1, "o1");
  EXPECT_EQ(one.docs_in, 201u);
  EXPECT_EQ(one.unreadable, 1u);
  const std::set<std::thread::id> me = {std::this_thread::get_id()};
  EXPECT_EQ(TheSeen().admit, me) << "admitted (read) on another thread";
  EXPECT_EQ(TheSeen().process, me) << "processed on another thread";
  EXPECT_EQ(TheSeen().release, me);
  EXPECT_GT(one.stage_seconds.count("reader"), 0u);
  EXPECT_GT(one.stage_seconds.count("writer"), 0u);
  // The probe sees other threads when there are some: two workers and a reader.
  Run(2, "o2");
  EXPECT_EQ(TheSeen().admit.count(std::this_thread::get_id()), 0u);
  EXPECT_EQ(TheSeen().process.count(std::this_thread::get_id()), 0u);
  EXPECT_GE(TheSeen().process.size(), 1u);
}

// The ring reuses its slots (a pool) and its reader stays a few records
// ahead of the workers: whatever the threads and the ring's capacity, every
// document comes out once, in input order, kept or rejected as with one
// thread, and every unreadable line is reported with its file, record and
// byte offset.
TEST_F(PipelineThreadsTest, EveryDocumentOnceInInputOrderWithAnyThreadsAndRing) {
  const fs::path in = dir_ / "in2/b.jsonl";
  fs::create_directories(in.parent_path());
  std::vector<std::string> expected_bad;  // "record": R, "offset": O of each bad line
  {
    std::ofstream f(in);
    uint64_t record = 0;
    for (int i = 0; i < 300; ++i, ++record) {
      if (i % 41 == 17) {
        expected_bad.push_back("\"record\": " + std::to_string(record) +
                               ", \"offset\": " + std::to_string(static_cast<uint64_t>(f.tellp())) + ",");
        f << "{\"id\": broken line " << i << "\n";
        ++record;
      }
      // Documents of very different sizes, so slots are refilled with larger ones.
      f << "{\"id\":\"d" << i << "\",\"text\":\"" << std::string(1 + (i * 7919) % 3000, 'a' + i % 26)
        << "\"}\n";
    }
  }
  struct Out {
    RunStats stats;
    std::string kept, rejected, unreadable;
  };
  auto run = [&](int threads, int max_in_flight, int read_ahead, const std::string& name) {
    CleanOptions options;
    options.config.Set("stages", "test.slow_probe");
    options.config.Set("output.compression", "none");
    if (max_in_flight > 0) options.config.Set("pipeline.max_in_flight", std::to_string(max_in_flight));
    if (read_ahead > 0) options.config.Set("pipeline.read_ahead", std::to_string(read_ahead));
    options.inputs = {in.string()};
    options.output_dir = (dir_ / name).string();
    options.threads = threads;
    Out o;
    Status s = RunClean(options, &o.stats);
    EXPECT_TRUE(s.ok()) << s.ToString();
    o.kept = ReadFile(dir_ / name / "kept-00000.jsonl");
    o.rejected = ReadFile(dir_ / name / "rejected-00000.jsonl");
    o.unreadable = ReadFile(dir_ / name / "unreadable.jsonl");
    return o;
  };
  const Out one = run(1, 0, 0, "r1");
  EXPECT_EQ(one.stats.docs_in, 307u);
  EXPECT_EQ(one.stats.unreadable, 7u);
  EXPECT_EQ(one.stats.rejected, 60u);
  EXPECT_EQ(one.stats.kept, 240u);
  // Input order: the kept ids ascend, every id not rejected is there once.
  size_t at = 0;
  for (int i = 0; i < 300; ++i) {
    if (i % 5 == 4) continue;
    const std::string id = "\"id\":\"d" + std::to_string(i) + "\"";
    const size_t found = one.kept.find(id, at);
    ASSERT_NE(found, std::string::npos) << "d" << i << " missing or out of order";
    at = found + id.size();
  }
  // The unreadable lines with their file, record number and byte offset.
  std::istringstream lines(one.unreadable);
  std::string line;
  int bad = 0;
  for (; std::getline(lines, line); ++bad) {
    EXPECT_NE(line.find("\"file\": \"" + in.string() + "\""), std::string::npos) << line;
    ASSERT_LT(bad, static_cast<int>(expected_bad.size()));
    EXPECT_NE(line.find(expected_bad[bad]), std::string::npos) << line << " should have " << expected_bad[bad];
  }
  EXPECT_EQ(bad, 7);
  for (int threads : {2, 3, 4}) {
    // (max_in_flight, read_ahead): the defaults, a ring smaller than the
    // read-ahead, a read-ahead of one record per worker.
    for (auto [ring, ahead] : {std::pair{0, 0}, {2, 0}, {3, 1}, {9, 2}, {0, 1}}) {
      const std::string name = std::to_string(threads) + "-" + std::to_string(ring) + "-" + std::to_string(ahead);
      SCOPED_TRACE("threads, max_in_flight, read_ahead: " + name);
      const Out o = run(threads, ring, ahead, "r" + name);
      EXPECT_EQ(o.stats.docs_in, one.stats.docs_in);
      EXPECT_EQ(o.stats.kept, one.stats.kept);
      EXPECT_EQ(o.stats.rejected, one.stats.rejected);
      EXPECT_EQ(o.stats.unreadable, one.stats.unreadable);
      EXPECT_TRUE(o.kept == one.kept) << "kept documents differ from -t 1";
      EXPECT_TRUE(o.rejected == one.rejected) << "rejected documents differ from -t 1";
      EXPECT_EQ(o.unreadable, one.unreadable);
    }
  }
}

}  // namespace
}  // namespace winnow
