#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "pipeline/tasks.h"

#include "winnow/document.h"
#include "winnow/pipeline.h"

namespace winnow {
namespace {

TEST(RunStatsTest, CountsAndJsonRoundTrip) {
  RunStats s;
  Document kept;
  kept.SetTextLines("hello world");
  kept.annotations.pii_counts["email"] = 2;
  Document rej;
  rej.Reject("filter.c4", "lorem_ipsum", "found 'lorem ipsum'");
  s.docs_in = 3;
  s.unreadable = 1;
  s.Add(kept);
  s.Add(rej);
  EXPECT_TRUE(s.Conserved());
  EXPECT_EQ(s.rejected_by["filter.c4"]["lorem_ipsum"], 1u);
  StatusOr<RunStats> back = RunStats::FromJson(s.ToJson());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->docs_in, 3u);
  EXPECT_EQ(back->kept, 1u);
  EXPECT_EQ(back->rejected, 1u);
  EXPECT_EQ(back->unreadable, 1u);
  EXPECT_EQ(back->rejected_by["filter.c4"]["lorem_ipsum"], 1u);
  EXPECT_EQ(back->pii_masked["email"], 2u);
  EXPECT_NE(s.ToTable().find("filter.c4/lorem_ipsum"), std::string::npos);
  s.docs_in = 4;
  EXPECT_FALSE(s.Conserved());
  EXPECT_NE(s.ConservationLine().find("MISMATCH"), std::string::npos);
}

TEST(PipelineTest, UnknownStageIsAnError) {
  Config c;
  c.Set("stages", "no.such.stage");
  StatusOr<std::unique_ptr<Pipeline>> p = Pipeline::Create(c);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("no.such.stage"), std::string::npos);
}

TEST(PipelineTest, EmptyChainKeepsTextDocumentsAsLines) {
  Config c;
  c.Set("stages", "");
  StatusOr<std::unique_ptr<Pipeline>> p = Pipeline::Create(c);
  ASSERT_TRUE(p.ok());
  Document d;
  d.kind = DocKind::kText;
  d.raw = "one\ntwo\n";
  (*p)->Process(d, nullptr);
  EXPECT_TRUE(d.decision.keep);
  EXPECT_EQ(d.Text(), "one\ntwo");
}

}  // namespace
}  // namespace winnow

namespace winnow::tasks {
namespace {

// SyncTogether fsyncs files and folders side by side; what is absent is
// skipped (a task's optional file), nothing else is touched.
TEST(SyncTogetherTest, SyncsFilesAndFoldersAndSkipsAbsentOnes) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("winnow_sync_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  std::vector<std::string> paths = {dir.string(), (dir / "sub").string(), (dir / "absent").string()};
  for (int i = 0; i < 12; ++i) {  // more than the 8 threads
    const fs::path f = dir / ("f" + std::to_string(i));
    std::ofstream(f) << std::string(i * 1000, 'x');
    paths.push_back(f.string());
  }
  EXPECT_TRUE(SyncTogether(paths).ok());
  EXPECT_TRUE(SyncTogether({}).ok());
  EXPECT_EQ(fs::file_size(dir / "f11"), 11000u);
  EXPECT_FALSE(fs::exists(dir / "absent"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace winnow::tasks
