// `winnow stats`: a run's figures as a table; `winnow stages`: the stages.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "cli_common.h"
#include "runs.h"
#include "winnow/pipeline.h"
#include "winnow/stage.h"

namespace winnow::cli {

void AddStatsCommand(CLI::App* app, int* exit_code) {
  auto path = std::make_shared<std::string>();
  CLI::App* cmd = app->add_subcommand(
      "stats", "Print the figures of a run (its stats.json or output folder) as a table; a folder of task\n"
               "outputs (subfolders that are runs) is summed.");
  cmd->add_option("run", *path, "stats.json, the output folder of `winnow clean`, or a folder of them")->required();
  cmd->callback([path, exit_code] {
    StatusOr<Runs> runs = ReadRuns(*path);
    if (!runs.ok()) {
      *exit_code = Fail(runs.status());
      return;
    }
    if (runs->folders.size() > 1) {
      std::printf("sum of %zu runs:", runs->folders.size());
      for (const std::string& f : runs->folders) std::printf(" %s", f.c_str());
      std::printf("\n\n");
    }
    std::fputs(runs->total.ToTable().c_str(), stdout);
  });
}

void AddStagesCommand(CLI::App* app, int* exit_code) {
  CLI::App* cmd = app->add_subcommand("stages", "List the per-document stages and the default chain.");
  cmd->callback([exit_code] {
    for (const auto& [name, help] : StageRegistry::Global().List()) {
      std::printf("%-28s %s\n", name.c_str(), help.c_str());
    }
    std::printf("\ndefault chain:");
    for (const std::string& s : Pipeline::DefaultStages()) std::printf(" %s", s.c_str());
    std::printf("\n");
    *exit_code = kExitOk;
  });
}

}  // namespace winnow::cli
