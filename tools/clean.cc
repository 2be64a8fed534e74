// `winnow clean`: the full pipeline, inputs to an output folder.
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <cstdio>
#include <memory>

#include "cli_common.h"
#include "report.h"
#include "winnow/pipeline.h"
#include "winnow/settings.h"

namespace winnow::cli {
namespace {

// `--dask ADDR` hands the run to the Python runner (python/winnow/dask.py),
// found next to this binary in the build tree or installed for python3.
// `extra` holds the settings the clean flags made (--dedup, --stages...).
int RunOnDask(const std::string& scheduler, const std::string& output, const ConfigFlags& flags,
              const Config& dotted, const Config& extra, int threads,
              const std::vector<std::string>& inputs) {
  std::vector<std::string> args = {"/usr/bin/python3", "-m", "winnow.dask", "--scheduler", scheduler,
                                    "--output", output};
  if (!flags.config_file.empty()) {
    args.push_back("--config");
    args.push_back(flags.config_file);
  }
  for (const std::string& kv : flags.sets) {
    args.push_back("--set");
    args.push_back(kv);
  }
  for (const Config* c : {&dotted, &extra}) {
    for (const auto& [k, v] : c->values()) {
      args.push_back("--set");
      args.push_back(k + "=" + v);
    }
  }
  if (threads > 0) {
    args.push_back("--threads");
    args.push_back(std::to_string(threads));
  }
  for (const std::string& in : inputs) args.push_back(in);
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = 0;
    std::string dir(exe);
    dir = dir.substr(0, dir.rfind('/'));
    // The build tree keeps the package in build/python, beside build/winnow.
    std::string py = dir + "/python";
    const char* old = getenv("PYTHONPATH");
    std::string path = py + (old && *old ? ":" + std::string(old) : "");
    setenv("PYTHONPATH", path.c_str(), 1);
  }
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  execv(argv[0], argv.data());
  std::fprintf(stderr, "winnow: cannot run /usr/bin/python3 for --dask: %s\n", strerror(errno));
  return kExitFatal;
}

}  // namespace

void AddCleanCommand(CLI::App* app, const Config* dotted, int* exit_code) {
  struct Opts {
    std::vector<std::string> inputs;
    std::string output = "out";
    int threads = 0;
    std::string format;
    std::string stages;
    std::string compression;
    int64_t shard_mb = 0;
    int task_index = 0, task_count = 1;
    std::string step;
    bool plan = false;
    std::string dask;
    bool strict = false, quiet = false, dedup = false, repeated_lines = false, overwrite = false, report = false;
    ConfigFlags config_flags;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app->add_subcommand(
      "clean",
      "Run the whole pipeline on the inputs and write kept-*.jsonl.zst, rejected-*.jsonl.zst,\n"
      "unreadable.jsonl and stats.json into the output folder.");
  cmd->add_option("inputs", o->inputs, "input files or folders; - for stdin")->required();
  cmd->add_option("-o,--output", o->output, "output folder")->capture_default_str();
  CLI::Option* threads_flag =
      cmd->add_option("-t,--threads", o->threads, "worker threads, 0 = all cores (= threads)");
  cmd->add_option("-f,--format", o->format, "input format: auto, warc, wet, jsonl, html, text (= input.format)");
  cmd->add_option("--stages", o->stages, "comma-separated per-document stages, or none (= stages); see `winnow stages`");
  cmd->add_option("--compression", o->compression, "output compression: zst, gz, none (= output.compression)");
  CLI::Option* shard_flag = cmd->add_option(
      "--shard-mb", o->shard_mb,
      "group input files into units of about this many MB, one output shard each (= output.shard_mb)");
  cmd->add_flag("--dedup", o->dedup, "remove exact and near duplicates (= dedup.enabled)");
  cmd->add_flag("--repeated-lines", o->repeated_lines,
                "remove lines repeated across documents of a site (= repeated_lines.enabled)");
  cmd->add_option("--task-index", o->task_index, "this process's share of the tasks (0-based), with --task-count");
  cmd->add_option("--task-count", o->task_count, "split the tasks over this many processes (Slurm arrays, k8s jobs)");
  cmd->add_option("--step", o->step, "run only this step's tasks (see --plan; default: every step)");
  cmd->add_flag("--plan", o->plan, "print the run's steps and their task counts, run nothing");
  cmd->add_option("--dask", o->dask, "run on a Dask cluster: tcp://HOST:PORT of its scheduler (see doc/python.md)");
  cmd->add_flag("--strict", o->strict, "stop at the first unreadable record");
  cmd->add_flag("--overwrite", o->overwrite,
                "the output folder may hold another run: remove that run's files first (only winnow's "
                "files: kept-*, rejected-*, unreadable.jsonl, stats.json, work/); without it such a "
                "folder is refused (exit 2), and a rerun of the same run resumes");
  cmd->add_flag("-q,--quiet", o->quiet, "no progress line and no summary");
  cmd->add_flag("--report", o->report, "at the end, write OUT/report.html (as `winnow report OUT`)");
  o->config_flags.Add(cmd);
  cmd->footer(LazySettingsFooter());
  cmd->callback([o, dotted, exit_code, threads_flag, shard_flag] {
    Config flag_settings;  // what the named flags set, applied over the config
    if (!o->format.empty()) flag_settings.Set("input.format", o->format);
    if (!o->stages.empty()) flag_settings.Set("stages", o->stages);
    if (!o->compression.empty()) flag_settings.Set("output.compression", o->compression);
    // A flag given is checked like its key (0 or 100000 is an error, not the default).
    if (shard_flag->count() > 0) flag_settings.Set("output.shard_mb", std::to_string(o->shard_mb));
    if (threads_flag->count() > 0) flag_settings.Set("threads", std::to_string(o->threads));
    if (o->dedup) flag_settings.Set("dedup.enabled", "true");
    if (o->repeated_lines) flag_settings.Set("repeated_lines.enabled", "true");
    CleanOptions options;
    Status s = o->config_flags.Apply(*dotted, &options.config);
    Config& c = options.config;
    for (const auto& [k, v] : flag_settings.values()) c.Set(k, v);
    // The report shows dropped lines of a few kept documents: --report keeps
    // 20 per document unless set (shares given --report too keep them, so
    // every share of a run has the same settings).
    if (o->report && !c.Has("output.dropped_lines")) {
      flag_settings.Set("output.dropped_lines", std::to_string(kReportDroppedLines));
      c.Set("output.dropped_lines", std::to_string(kReportDroppedLines));
    }
    if (s.ok()) s = SettingsTable::Global().Validate(c);
    if (!s.ok()) {
      *exit_code = Fail(s);
      return;
    }
    if (!o->dask.empty() && o->overwrite) {
      *exit_code = Fail(Status::InvalidArgument(
          "--overwrite is not for --dask runs: remove the old run's files first, or use another folder"));
      return;
    }
    if (!o->dask.empty()) {
      *exit_code = RunOnDask(o->dask, o->output, o->config_flags, *dotted, flag_settings,
                             o->threads, o->inputs);
      return;
    }
    options.inputs = o->inputs;
    options.output_dir = o->output;
    options.threads = 0;  // RunClean reads `threads` (set by -t above)
    options.task_index = o->task_index;
    options.task_count = o->task_count;
    options.step = o->step;
    if (o->plan) {
      StatusOr<std::vector<RunStep>> plan = PlanClean(options);
      if (!plan.ok()) {
        *exit_code = Fail(plan.status());
        return;
      }
      for (const RunStep& step : *plan) std::printf("%s %d\n", step.name.c_str(), step.tasks);
      *exit_code = kExitOk;
      return;
    }
    options.strict = o->strict;  // or `strict`, read by RunClean
    options.overwrite = o->overwrite;
    options.progress = !o->quiet && isatty(STDERR_FILENO);
    RunStats stats;
    s = RunClean(options, &stats);
    if (!s.ok()) {
      *exit_code = Fail(s);
      return;
    }
    const bool share = o->task_count > 1 || !o->step.empty();
    if (share && !o->quiet) {
      std::fprintf(stderr, "%s\n", stats.ConservationLine().c_str());
      std::fprintf(stderr, "this share is done; when every share is, run the same command without "
                           "--task-index/--task-count/--step to finish (stats.json)\n");
    } else if (!o->quiet) {
      std::fprintf(stderr, "%s", stats.ToTable().c_str());
      std::fprintf(stderr, "output in %s/ (kept-*, rejected-*, unreadable.jsonl, stats.json)\n",
                   o->output.c_str());
    } else {
      std::fprintf(stderr, "%s\n", stats.ConservationLine().c_str());
    }
    *exit_code = stats.unreadable > 0 ? kExitUnreadable : kExitOk;
    if (o->report && !share) {
      Status r = WriteRunReport(o->output, "");
      if (!r.ok()) {
        *exit_code = Fail(r);
      } else if (!o->quiet) {
        std::fprintf(stderr, "report in %s/report.html\n", o->output.c_str());
      }
    }
  });
}

}  // namespace winnow::cli
