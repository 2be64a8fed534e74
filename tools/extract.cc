// `winnow extract`: HTML pages to their main content as text, Markdown or JSON.
#include <cstdio>
#include <memory>

#include "cli_common.h"
#include "winnow/extract.h"
#include "winnow/reader.h"
#include "winnow/settings.h"
#include "winnow/site_template.h"

namespace winnow::cli {

void AddExtractCommand(CLI::App* app, const Config* dotted, int* exit_code) {
  struct Opts {
    std::vector<std::string> inputs;
    std::string format = "text";
    std::string input_format;
    std::string url;
    bool comments = false, no_tables = false, links = false, images = false, no_site = false;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app->add_subcommand(
      "extract",
      "Extract the main content of HTML pages. One page (a file, or - for stdin) prints its\n"
      "content; a stream of pages (WARC, JSONL with an html field, a folder) prints one result\n"
      "per page: JSON lines with --format json, else pages separated by a form feed line.");
  cmd->add_option("inputs", o->inputs, "HTML file(s), folders, WARC or JSONL; - for stdin")->required();
  cmd->add_option("--format", o->format, "text, markdown or json")
      ->check(CLI::IsMember({"text", "markdown", "json"}))
      ->capture_default_str();
  cmd->add_option("--input-format", o->input_format, "auto, html, warc, jsonl (default: auto; html for stdin)");
  cmd->add_option("--url", o->url, "the page's URL (for metadata and relative links)");
  cmd->add_flag("--comments", o->comments, "keep reader comments");
  cmd->add_flag("--no-tables", o->no_tables, "leave tables out");
  cmd->add_flag("--links", o->links, "keep links (markdown)");
  cmd->add_flag("--images", o->images, "keep images (markdown)");
  cmd->add_flag("--no-site", o->no_site,
                "extract every page alone (by default the blocks most earlier pages of a host "
                "share are dropped as the site's template)");
  cmd->callback([o, dotted, exit_code] {
    // Only the extract stage's settings apply here; any other key is a
    // mistake, not something to ignore.
    Status valid = SettingsTable::Global().Validate(*dotted);
    for (const auto& [k, v] : dotted->values()) {
      if (valid.ok() && k.compare(0, 8, "extract.") != 0) {
        valid = Status::InvalidArgument("setting " + k + ": `winnow extract` reads only extract.* settings");
      }
    }
    if (!valid.ok()) {
      *exit_code = Fail(valid);
      return;
    }
    ExtractOptions eo;
    eo.include_title = dotted->GetBool("extract.include_title", eo.include_title);
    eo.max_input_bytes = static_cast<size_t>(
        dotted->GetInt("extract.max_input_bytes", static_cast<int64_t>(eo.max_input_bytes)));
    eo.format = o->format == "json" ? ExtractFormat::kJson
                : o->format == "markdown" ? ExtractFormat::kMarkdown
                                          : ExtractFormat::kText;
    eo.include_comments = o->comments || dotted->GetBool("extract.include_comments", eo.include_comments);
    eo.include_tables = !o->no_tables && dotted->GetBool("extract.include_tables", eo.include_tables);
    eo.include_links = o->links || dotted->GetBool("extract.include_links", eo.include_links);
    eo.include_images = o->images || dotted->GetBool("extract.include_images", eo.include_images);
    StatusOr<std::vector<std::string>> files = ListInputs(o->inputs);
    if (!files.ok()) {
      *exit_code = Fail(files.status());
      return;
    }
    int code = kExitOk;
    uint64_t pages = 0;
    // Pages are read in input order, so the evidence a page gets (earlier
    // pages of its host) is the same on every run.
    SiteTemplates site;
    for (const std::string& path : *files) {
      ReaderOptions ro;
      ro.format = !o->input_format.empty() ? o->input_format : (path == "-" ? "html" : "auto");
      StatusOr<std::unique_ptr<Reader>> reader = OpenReader(path, ro);
      if (!reader.ok()) {
        std::fprintf(stderr, "winnow: %s\n", reader.status().message().c_str());
        code = kExitUnreadable;
        continue;
      }
      Document doc;
      ReadError err;
      for (;;) {
        Reader::Result r = (*reader)->Next(&doc, &err);
        if (r == Reader::Result::kEnd) break;
        if (r == Reader::Result::kUnreadable) {
          std::fprintf(stderr, "winnow: unreadable: %s\n", err.ToString().c_str());
          code = kExitUnreadable;
          continue;
        }
        if (doc.kind != DocKind::kHtml) continue;
        const std::string& url = o->url.empty() ? doc.url : o->url;
        StatusOr<ExtractResult> res =
            o->no_site ? Extract(doc.raw, url, eo) : site.Extract(doc.raw, url, eo);
        if (!res.ok()) {
          std::fprintf(stderr, "winnow: %s record %llu: %s\n", path.c_str(),
                       (unsigned long long)doc.source.record, res.status().message().c_str());
          code = kExitUnreadable;
          continue;
        }
        if (res->blocks.empty() && !res->reason.empty()) {
          std::fprintf(stderr, "winnow: %s%s: no content extracted (%s)\n", path.c_str(),
                       files->size() > 1 || pages > 0 ? "" : "", res->reason.c_str());
        }
        std::string rendered = Render(*res, eo);
        if (eo.format != ExtractFormat::kJson && pages > 0) std::fputs("\f\n", stdout);
        std::fwrite(rendered.data(), 1, rendered.size(), stdout);
        if (rendered.empty() || rendered.back() != '\n') std::fputc('\n', stdout);
        ++pages;
      }
    }
    *exit_code = code;
  });
}

}  // namespace winnow::cli
