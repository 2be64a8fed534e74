// Shared helpers of the `winnow` subcommands: exit codes and config flags.
#ifndef WINNOW_TOOLS_CLI_COMMON_H_
#define WINNOW_TOOLS_CLI_COMMON_H_

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

#include "winnow/config.h"
#include "winnow/status.h"

namespace winnow::cli {

// Exit codes (doc/design.md): 0 all input read, 1 some records unreadable,
// 2 usage or fatal error.
constexpr int kExitOk = 0;
constexpr int kExitUnreadable = 1;
constexpr int kExitFatal = 2;

// Takes every `--a.b=value` / `--a.b value` argument (a flag name with a dot)
// out of argv into `config`, so that any config key can be set from the
// command line under the same name as in the YAML file.
Status ExtractDottedFlags(std::vector<std::string>* args, Config* config);

// Options shared by subcommands that read a config.
struct ConfigFlags {
  std::string config_file;
  std::vector<std::string> sets;
  void Add(CLI::App* app);
  // Loads the file, then --set values, then dotted flags (later wins).
  Status Apply(const Config& dotted, Config* config) const;
};

// Prints "winnow: <message>" and returns kExitFatal.
int Fail(const Status& s);
// The --help footer that points to `winnow config`, with the setting groups.
std::string SettingsFooter();
// The same, made only when a help text is printed (CLI11 calls it then): a
// run does not pay for it (~1 M instructions, two subcommands).
std::function<std::string()> LazySettingsFooter();

// Adds option `name` (e.g. "--format") that takes one of `choices`; --help
// shows them and the default (*value as it is now).
CLI::Option* AddChoiceOption(CLI::App* cmd, const std::string& name, std::string* value,
                             const std::vector<std::string>& choices, const std::string& help);

void AddCleanCommand(CLI::App* app, const Config* dotted, int* exit_code);
void AddExtractCommand(CLI::App* app, const Config* dotted, int* exit_code);
void AddStatsCommand(CLI::App* app, int* exit_code);
void AddStagesCommand(CLI::App* app, int* exit_code);
void AddDedupCommand(CLI::App* app, const Config* dotted, int* exit_code);
void AddConfigCommand(CLI::App* app, const Config* dotted, int* exit_code);
void AddTrainClassifierCommand(CLI::App* app, int* exit_code);
void AddReportCommand(CLI::App* app, int* exit_code);

}  // namespace winnow::cli

#endif  // WINNOW_TOOLS_CLI_COMMON_H_
