// `winnow config`: every setting with its type, default, allowed values and
// doc line, from the one settings table (winnow/settings.h). With --config,
// --set or --KEY=VALUE it checks those settings and prints the values a run
// would use.
#include <cstdio>
#include <memory>

#include "cli_common.h"
#include "winnow/settings.h"

namespace winnow::cli {

void AddConfigCommand(CLI::App* app, const Config* dotted, int* exit_code) {
  struct Opts {
    std::string prefix;
    std::string format = "text";
    ConfigFlags config_flags;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app->add_subcommand(
      "config",
      "List every setting (key, type, default, allowed values, what it does); doc/settings.md\n"
      "is this list. With --config/--set/--KEY=VALUE: check those settings (exit 2 on an\n"
      "unknown key or a bad value) and print the values a run would use.");
  cmd->add_option("prefix", o->prefix, "only keys starting with this (e.g. filter.c4)");
  AddChoiceOption(cmd, "--format", &o->format, {"text", "markdown", "names"},
                  "text, markdown (doc/settings.md) or names");
  o->config_flags.Add(cmd);
  cmd->callback([o, dotted, exit_code] {
    const SettingsTable& table = SettingsTable::Global();
    Config c;
    Status s = o->config_flags.Apply(*dotted, &c);
    if (s.ok()) s = table.Validate(c);
    if (!s.ok()) {
      *exit_code = Fail(s);
      return;
    }
    if (!c.values().empty()) {
      // Checked settings: the value a run uses for each key given.
      for (const auto& [k, v] : c.values()) {
        if (k.compare(0, o->prefix.size(), o->prefix) != 0) continue;
        const Setting* st = table.Find(k);
        std::printf("%s=%s  (default %s)\n", k.c_str(), v.c_str(),
                    st && !st->default_value.empty() ? st->default_value.c_str() : "none");
      }
      *exit_code = kExitOk;
      return;
    }
    std::string out;
    if (o->format == "markdown") {
      out = table.ToMarkdown();
    } else if (o->format == "names") {
      for (const Setting* st : table.List()) {
        if (st->name.compare(0, o->prefix.size(), o->prefix) == 0) out += st->name + "\n";
      }
    } else {
      out = table.ToText(o->prefix);
    }
    if (out.empty()) {
      *exit_code = Fail(Status::InvalidArgument("no setting starts with '" + o->prefix + "'"));
      return;
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    *exit_code = kExitOk;
  });
}

}  // namespace winnow::cli
