// `winnow stats`: a run's figures as a table; `winnow stages`: the stages.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "cli_common.h"
#include "winnow/pipeline.h"
#include "winnow/stage.h"

namespace winnow::cli {

void AddStatsCommand(CLI::App* app, int* exit_code) {
  auto path = std::make_shared<std::string>();
  CLI::App* cmd = app->add_subcommand("stats", "Print the figures of a run (its stats.json or output folder) as a table.");
  cmd->add_option("run", *path, "stats.json, or the output folder of `winnow clean`")->required();
  cmd->callback([path, exit_code] {
    std::string file = *path;
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec)) {
      file += "/stats.json";
      if (!std::filesystem::exists(file, ec)) {
        *exit_code = Fail(Status::NotFound(
            *path + " holds no stats.json: the run writing there has not finished (or failed), or it is not "
                    "the output folder of `winnow clean`; its other files are not a finished run's"));
        return;
      }
    }
    std::ifstream in(file);
    if (!in) {
      *exit_code = Fail(Status::NotFound(file + " cannot be opened; give a stats.json or a `winnow clean` output folder"));
      return;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    StatusOr<RunStats> stats = RunStats::FromJson(ss.str());
    if (!stats.ok()) {
      *exit_code = Fail(Status::Corrupt(file + ": " + stats.status().message()));
      return;
    }
    std::fputs(stats->ToTable().c_str(), stdout);
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
