// `winnow`: raw web crawl in, clean text out. Glue over the public headers.
#include <csignal>
#include <cstdio>
#include <exception>
#include <new>

#include "cli_common.h"

#include <map>
#include <string>

#include "winnow/settings.h"

#ifdef WINNOW_JEMALLOC
// jemalloc's options, read when it starts (before main; MALLOC_CONF in the
// environment is read after these and wins). thp:always: its extents on
// transparent huge pages (madvise; the kernel's default THP mode honours it),
// so a run faults in 2 MB at a time instead of 4 kB: a page fault costs
// 12-16 us on the virtual machines we measure on, and a run that parses a
// page per millisecond touches fresh memory all the time (the document's
// buffers, simdjson's, the tree's nodes: each page larger than the ones
// before grows them). doc/performance.md, session 12, has the figures.
extern "C" {
const char* malloc_conf = "thp:always,metadata_thp:auto";
}
#endif

namespace winnow::cli {

Status ExtractDottedFlags(std::vector<std::string>* args, Config* config) {
  std::vector<std::string> rest;
  for (size_t i = 0; i < args->size(); ++i) {
    const std::string& a = (*args)[i];
    if (a == "--") {  // everything after is positional
      rest.insert(rest.end(), args->begin() + i, args->end());
      break;
    }
    if (a.size() > 2 && a.compare(0, 2, "--") == 0) {
      std::string body = a.substr(2);
      size_t eq = body.find('=');
      std::string name = body.substr(0, eq);
      if (name.find('.') != std::string::npos) {
        if (eq != std::string::npos) {
          config->Set(name, body.substr(eq + 1));
        } else if (i + 1 < args->size()) {
          config->Set(name, (*args)[++i]);
        } else {
          return Status::InvalidArgument("flag --" + name + " needs a value");
        }
        continue;
      }
    }
    rest.push_back(a);
  }
  *args = std::move(rest);
  return Status::Ok();
}

void ConfigFlags::Add(CLI::App* app) {
  app->add_option("--config", config_file, "YAML config file (keys as in doc/design.md)")
      ->check(CLI::ExistingFile);
  app->add_option("--set", sets, "set a config key: --set filter.c4.enabled=false (repeatable); "
                                 "--filter.c4.enabled=false is the same");
}

Status ConfigFlags::Apply(const Config& dotted, Config* config) const {
  if (!config_file.empty()) {
    Status s = config->MergeYamlFile(config_file);
    if (!s.ok()) return s;
  }
  for (const std::string& kv : sets) {
    Status s = config->SetFromString(kv);
    if (!s.ok()) return s;
  }
  for (const auto& [k, v] : dotted.values()) config->Set(k, v);
  return Status::Ok();
}

std::string SettingsFooter() {
  // The groups of the settings table with their sizes; `winnow config`
  // prints every key.
  std::map<std::string, int> groups;
  for (const winnow::Setting* st : winnow::SettingsTable::Global().List()) {
    const std::string& n = st->name;
    size_t dot = n.find('.');
    if (dot != std::string::npos && n.compare(0, dot, "filter") == 0) dot = n.find('.', dot + 1);
    ++groups[dot == std::string::npos ? n : n.substr(0, dot)];
  }
  std::string out =
      "Settings: every key of `winnow config` can be given as --KEY=VALUE, --set KEY=VALUE or\n"
      "in the --config YAML file; unknown keys and bad values are errors (exit 2). Keys:\n ";
  size_t col = 1;
  for (const auto& [g, n] : groups) {
    std::string item = " " + g + (n > 1 ? ".* (" + std::to_string(n) + ")" : "");
    if (col + item.size() > 88) {
      out += "\n ";
      col = 1;
    }
    out += item;
    col += item.size();
  }
  return out + "\n";
}

std::function<std::string()> LazySettingsFooter() {
  // CLI11 adds a newline after the callback's text: the footer's own last
  // one is left out, so the help text is the same bytes as before.
  return [] {
    std::string footer = SettingsFooter();
    if (!footer.empty() && footer.back() == '\n') footer.pop_back();
    return footer;
  };
}

CLI::Option* AddChoiceOption(CLI::App* cmd, const std::string& name, std::string* value,
                             const std::vector<std::string>& choices, const std::string& help) {
  return cmd->add_option(name, *value, help)->check(CLI::IsMember(choices))->capture_default_str();
}

int Fail(const Status& s) {
  std::fprintf(stderr, "winnow: %s\n", s.message().c_str());
  return kExitFatal;
}

}  // namespace winnow::cli

namespace {

int Main(int argc, char** argv) {
  using namespace winnow::cli;
  std::vector<std::string> args(argv + 1, argv + argc);
  winnow::Config dotted;
  winnow::Status s = ExtractDottedFlags(&args, &dotted);
  if (!s.ok()) return Fail(s);

  CLI::App app{
      "winnow: turns raw web crawl (WARC, WET, JSONL, HTML, text) into clean text.\n"
      "Extraction, line cleaning, language id, quality filters, PII masking and\n"
      "deduplication in one engine. See README.md and doc/design.md."};
  app.require_subcommand(1);
  int exit_code = kExitOk;
  AddCleanCommand(&app, &dotted, &exit_code);
  AddExtractCommand(&app, &dotted, &exit_code);
  AddDedupCommand(&app, &dotted, &exit_code);
  AddStatsCommand(&app, &exit_code);
  AddReportCommand(&app, &exit_code);
  AddStagesCommand(&app, &exit_code);
  AddConfigCommand(&app, &dotted, &exit_code);
  AddTrainClassifierCommand(&app, &exit_code);

  std::reverse(args.begin(), args.end());  // CLI11 takes them reversed
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitFatal;
  }
  return exit_code;
}

}  // namespace

// No exception leaves the program: one that escapes a subcommand (a failed
// allocation, a thread that cannot start) is a fatal error with a message and
// exit 2, not an abort.
int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "winnow: out of memory (lower the memory settings or the threads)\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "winnow: fatal error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "winnow: fatal error (unknown exception)\n");
  }
  return winnow::cli::kExitFatal;
}
