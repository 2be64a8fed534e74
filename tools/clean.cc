// `winnow clean`: the full pipeline, inputs to an output folder.
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "cli_common.h"
#include "winnow/pipeline.h"

namespace winnow::cli {

void AddCleanCommand(CLI::App* app, const Config* dotted, int* exit_code) {
  struct Opts {
    std::vector<std::string> inputs;
    std::string output = "out";
    int threads = 0;
    std::string format;
    std::string stages;
    std::string compression;
    int64_t shard_mb = 0;
    bool strict = false, quiet = false, dedup = false, repeated_lines = false;
    ConfigFlags config_flags;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app->add_subcommand(
      "clean",
      "Run the whole pipeline on the inputs and write kept-*.jsonl.zst, rejected-*.jsonl.zst,\n"
      "unreadable.jsonl and stats.json into the output folder.");
  cmd->add_option("inputs", o->inputs, "input files or folders; - for stdin")->required();
  cmd->add_option("-o,--output", o->output, "output folder")->capture_default_str();
  cmd->add_option("-t,--threads", o->threads, "worker threads (default: all cores)");
  cmd->add_option("-f,--format", o->format, "input format: auto, warc, wet, jsonl, html, text (= input.format)");
  cmd->add_option("--stages", o->stages, "comma-separated per-document stages (= stages); see `winnow stages`");
  cmd->add_option("--compression", o->compression, "output compression: zst, gz, none (= output.compression)");
  cmd->add_option("--shard-mb", o->shard_mb, "start a new output shard after this many MB (= output.shard_mb)");
  cmd->add_flag("--dedup", o->dedup, "remove exact and near duplicates (= dedup.enabled)");
  cmd->add_flag("--repeated-lines", o->repeated_lines,
                "remove lines repeated across documents of a site (= repeated_lines.enabled)");
  cmd->add_flag("--strict", o->strict, "stop at the first unreadable record");
  cmd->add_flag("-q,--quiet", o->quiet, "no progress line and no summary");
  o->config_flags.Add(cmd);
  cmd->callback([o, dotted, exit_code] {
    CleanOptions options;
    Status s = o->config_flags.Apply(*dotted, &options.config);
    if (!s.ok()) {
      *exit_code = Fail(s);
      return;
    }
    Config& c = options.config;
    if (!o->format.empty()) c.Set("input.format", o->format);
    if (!o->stages.empty()) c.Set("stages", o->stages);
    if (!o->compression.empty()) c.Set("output.compression", o->compression);
    if (o->shard_mb > 0) c.Set("output.shard_mb", std::to_string(o->shard_mb));
    if (o->dedup) c.Set("dedup.enabled", "true");
    if (o->repeated_lines) c.Set("repeated_lines.enabled", "true");
    options.inputs = o->inputs;
    options.output_dir = o->output;
    options.threads = o->threads > 0 ? o->threads : static_cast<int>(c.GetInt("threads", 0));
    options.strict = o->strict || c.GetBool("strict", false);
    options.progress = !o->quiet && isatty(STDERR_FILENO);
    RunStats stats;
    s = RunClean(options, &stats);
    if (!s.ok()) {
      *exit_code = Fail(s);
      return;
    }
    if (!o->quiet) {
      std::fprintf(stderr, "%s", stats.ToTable().c_str());
      std::fprintf(stderr, "output in %s/ (kept-*, rejected-*, unreadable.jsonl, stats.json)\n",
                   o->output.c_str());
    } else {
      std::fprintf(stderr, "%s\n", stats.ConservationLine().c_str());
    }
    *exit_code = stats.unreadable > 0 ? kExitUnreadable : kExitOk;
  });
}

}  // namespace winnow::cli
