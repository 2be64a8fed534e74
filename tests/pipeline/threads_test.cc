// Which threads a `winnow clean` run uses: one thread asked, one thread used.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "winnow/pipeline.h"
#include "winnow/stage.h"

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

class PipelineThreadsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::once_flag once;
    std::call_once(once, [] {
      StageRegistry::Global().Register(
          "test.thread_probe",
          [](const Config&) -> StatusOr<std::unique_ptr<Stage>> { return std::unique_ptr<Stage>(new ThreadProbe); },
          "records the threads the driver calls it on (tests only)");
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

}  // namespace
}  // namespace winnow
