// `winnow dedup`: exact and near-duplicate removal over JSONL shards, as one
// run or one pass of a run split over processes and machines.
#include <cstdio>
#include <algorithm>
#include <filesystem>
#include <thread>
#include <memory>

#include "cli_common.h"
#include "winnow/corpus.h"
#include "winnow/dedup.h"
#include "winnow/reader.h"
#include "winnow/settings.h"

namespace winnow::cli {

void AddDedupCommand(CLI::App* app, const Config* dotted, int* exit_code) {
  struct Opts {
    std::vector<std::string> inputs;
    std::string output = "dedup";
    std::string pass = "all";
    int64_t memory_limit_mb = 0;
    int threads = 0, partitions = 0, task_index = 0, task_count = 1;
    bool url = false, jaccard_check = false, char_ngrams = false, paragraphs = false, quiet = false;
    bool overwrite = false;
    ConfigFlags config_flags;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app->add_subcommand(
      "dedup",
      "Remove exact and near duplicates (MinHash LSH) from winnow JSONL shards (the kept-*\n"
      "output of `winnow clean`). By default every candidate pair is verified and a document is\n"
      "removed only for a kept one with Jaccard >= dedup.threshold, named in its decision\n"
      "(dedup.clusters=verified; =components gives FineWeb's connected components). Writes <output>/kept-NNNNN.jsonl and rejected-NNNNN.jsonl per\n"
      "input shard. Passes: signatures, pairs, clusters, apply; each restartable. To split a run\n"
      "over machines sharing <output>/work, run each pass with --task-index/--task-count on every\n"
      "machine (clusters: one task), in order.");
  cmd->add_option("inputs", o->inputs, "input shards or folders (sorted order defines 'first')")->required();
  cmd->add_option("-o,--output", o->output, "output folder (its work/ holds the passes' files)")
      ->capture_default_str();
  AddChoiceOption(cmd, "--pass", &o->pass, {"all", "signatures", "pairs", "clusters", "apply"},
                  "all, signatures, pairs, clusters or apply");
  CLI::Option* memory_flag = cmd->add_option(
      "--memory-limit-mb", o->memory_limit_mb, "memory for sort buffers and clusters (= dedup.memory_limit_mb)");
  CLI::Option* threads_flag = cmd->add_option("-t,--threads", o->threads, "threads, 0 = all cores (= dedup.threads)");
  CLI::Option* partitions_flag =
      cmd->add_option("--partitions", o->partitions, "bucket partitions of pass 2 (= dedup.partitions)");
  cmd->add_option("--task-index", o->task_index, "this task's share of a pass");
  cmd->add_option("--task-count", o->task_count, "number of tasks a pass is split into");
  cmd->add_flag("--url", o->url, "documents with the same URL are duplicates too (= dedup.exact_url)");
  cmd->add_flag("--jaccard-check", o->jaccard_check,
                "components mode only (dedup.clusters=components): drop candidate pairs under\n"
                "dedup.threshold by true Jaccard; the default verified clusters always check\n"
                "(= dedup.jaccard_check)");
  cmd->add_flag("--paragraphs", o->paragraphs,
                "also drop paragraphs whose normalised text appeared earlier in a kept document\n"
                "(= dedup.paragraphs)");
  cmd->add_flag("--char-ngrams", o->char_ngrams, "character n-grams instead of words (= dedup.char_ngrams)");
  cmd->add_flag("--overwrite", o->overwrite,
                "the output folder may hold another run (other inputs or dedup settings, or a `winnow\n"
                "clean` run): remove that run's files first (kept-*, rejected-*, unreadable.jsonl,\n"
                "work/); without it such a folder is refused (exit 2), and a rerun of the same run\n"
                "resumes (--pass all and apply; the other passes write only into work/)");
  cmd->add_flag("-q,--quiet", o->quiet, "print nothing but errors");
  o->config_flags.Add(cmd);
  cmd->footer(LazySettingsFooter());
  cmd->callback([o, dotted, exit_code, memory_flag, threads_flag, partitions_flag] {
    Config c;
    Status s = o->config_flags.Apply(*dotted, &c);
    // A flag given is checked like its key: --memory-limit-mb 0 is an error,
    // not the default.
    if (memory_flag->count() > 0) c.Set("dedup.memory_limit_mb", std::to_string(o->memory_limit_mb));
    if (threads_flag->count() > 0) c.Set("dedup.threads", std::to_string(o->threads));
    if (partitions_flag->count() > 0) c.Set("dedup.partitions", std::to_string(o->partitions));
    if (s.ok()) s = SettingsTable::Global().Validate(c);
    if (!s.ok()) {
      *exit_code = Fail(s);
      return;
    }
    if (o->url) c.Set("dedup.exact_url", "true");
    if (o->jaccard_check) c.Set("dedup.jaccard_check", "true");
    if (o->char_ngrams) c.Set("dedup.char_ngrams", "true");
    if (o->paragraphs) c.Set("dedup.paragraphs", "true");
    c.Set("dedup.task_index", std::to_string(o->task_index));
    c.Set("dedup.task_count", std::to_string(o->task_count));
    if (!c.Has("dedup.work_dir")) c.Set("dedup.work_dir", o->output + "/work");
    StatusOr<DedupOptions> opts = DedupOptionsFromConfig(c);
    if (!opts.ok()) {
      *exit_code = Fail(opts.status());
      return;
    }
    // Each path on its own, as `winnow clean` does: one that cannot be
    // listed stays, and pass 1 counts it as one unreadable record.
    StatusOr<std::vector<std::string>> shards = std::vector<std::string>();
    for (const std::string& path : o->inputs) {
      StatusOr<std::vector<std::string>> files = ListInputs({path});
      if (files.ok()) {
        shards->insert(shards->end(), files->begin(), files->end());
      } else {
        shards->push_back(path);
      }
    }
    // The passes that write the output folder's files claim it, as `winnow
    // clean` does; signatures/pairs/clusters write only hashed work files
    // (so pass 1 can run on the shards made so far, before the whole run).
    if (o->pass == "all" || o->pass == "apply") {
      s = ClaimDedupOutputFolder(o->output, *shards, c, o->overwrite);
      if (!s.ok()) {
        *exit_code = Fail(s);
        return;
      }
    }
    std::error_code ec;
    std::filesystem::create_directories(o->output, ec);
    const std::string kept = o->output + "/kept", rejected = o->output + "/rejected";
    DedupStats stats;
    if (o->pass == "all") {
      s = RunDedup(*shards, kept, rejected, *opts, &stats);
    } else if (o->pass == "signatures") {
      s = ComputeSignatures(*shards, *opts, &stats);
    } else if (o->pass == "pairs") {
      s = FindCandidatePairs(*shards, *opts, &stats);
    } else if (o->pass == "clusters") {
      s = ComputeClusters(*shards, *opts, &stats);
    } else {
      s = ApplyDedup(*shards, kept, rejected, *opts, &stats);
    }
    if (!s.ok()) {
      *exit_code = Fail(s);
      return;
    }
    // Every unreadable record pass 1 met (file, record, offset), as `winnow
    // clean` lists them; once pass 1 is done for every shard.
    uint64_t unreadable = stats.unreadable_records;
    if (o->pass == "all" || o->pass == "apply") {
      s = CollectUnreadable(*shards, *opts, o->output + "/unreadable.jsonl", &unreadable);
      if (!s.ok()) {
        *exit_code = Fail(s);
        return;
      }
    }
    if (!o->quiet) std::fprintf(stderr, "%s", stats.ToString().c_str());
    if (unreadable > 0) {
      std::fprintf(stderr, "winnow: %llu unreadable record(s) skipped%s\n", static_cast<unsigned long long>(unreadable),
                   o->pass == "all" || o->pass == "apply" ? (", listed in " + o->output + "/unreadable.jsonl").c_str()
                                                          : "");
    }
    *exit_code = unreadable > 0 ? kExitUnreadable : kExitOk;
  });
}

}  // namespace winnow::cli
