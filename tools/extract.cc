// `winnow extract`: HTML pages to their main content as text, Markdown or JSON.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "base/json_escape.h"
#include "cli_common.h"
#include "winnow/extract.h"
#include "winnow/reader.h"
#include "winnow/settings.h"
#include "winnow/site_template.h"

namespace winnow::cli {
namespace {

// True when `path` names a stream of pages (WARC, WET, JSONL) by its
// --input-format or its name (.gz/.zst stripped); an HTML file is one page.
bool IsStreamFile(const std::string& path, const std::string& input_format) {
  std::string f = input_format;
  if (f.empty() || f == "auto") {
    if (path == "-") return false;
    std::string name = std::filesystem::path(path).filename().string();
    for (const char* z : {".gz", ".zst", ".zstd"}) {
      std::string_view zs(z);
      if (name.size() > zs.size() && name.compare(name.size() - zs.size(), zs.size(), zs) == 0) {
        name.resize(name.size() - zs.size());
        break;
      }
    }
    for (const char* ext : {".warc", ".wet", ".jsonl", ".ndjson", ".json"}) {
      std::string_view e(ext);
      if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) return true;
    }
    return false;
  }
  return f == "warc" || f == "wet" || f == "jsonl";
}

// `{"id":..,"url":..,"source":{"file","record","offset"}` without the closing
// brace: what every result of a stream starts with, so outputs join to inputs
// (the same fields as the documents `winnow clean` writes, doc/formats.md).
std::string PageHead(const std::string& id, const std::string& url, const Provenance& src) {
  std::string out = "{\"id\":";
  AppendJsonString(id, &out);
  out += ",\"url\":";
  AppendJsonString(url, &out);
  out += ",\"source\":{\"file\":";
  AppendJsonString(src.file, &out);
  out += ",\"record\":" + std::to_string(src.record) + ",\"offset\":" + std::to_string(src.offset) + "}";
  return out;
}

}  // namespace

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
      "per page: JSON lines with --format json (with the page's id, url and source; a page\n"
      "that is skipped, not HTML or unreadable, is a line with an \"error\"), else each page\n"
      "after a header line: a form feed and the same JSON object without the content.");
  cmd->add_option("inputs", o->inputs, "HTML file(s), folders, WARC or JSONL; - for stdin")->required();
  AddChoiceOption(cmd, "--format", &o->format, {"text", "markdown", "json"},
                  "text, markdown or json");
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
    // One HTML page prints its content alone; a stream (several files, a
    // folder, WARC/WET/JSONL) prints every page with its id, url and source.
    bool stream = files->size() > 1;
    for (const std::string& in : o->inputs) {
      std::error_code ec;
      if (std::filesystem::is_directory(in, ec) || IsStreamFile(in, o->input_format)) stream = true;
    }
    // `head` is PageHead(); `body` the rendered result ("" for an error).
    auto emit = [&](std::string head, const std::string& error, const std::string& body) {
      if (!error.empty()) {
        head += ",\"error\":";
        AppendJsonString(error, &head);
      }
      if (eo.format == ExtractFormat::kJson) {
        // body is RenderJson's object: its fields follow the head's.
        if (body.size() > 2 && body[0] == '{') {
          head += ",";
          head.append(body, 1, std::string::npos);
        } else {
          head += "}";
        }
        while (!head.empty() && head.back() == '\n') head.pop_back();
        head += "\n";
        std::fwrite(head.data(), 1, head.size(), stdout);
      } else {
        head = "\f" + head + "}\n" + body;
        if (!body.empty() && body.back() != '\n') head += "\n";
        std::fwrite(head.data(), 1, head.size(), stdout);
      }
      ++pages;
    };
    // Pages are read in input order, so the evidence a page gets (earlier
    // pages of its host) is the same on every run.
    SiteTemplateOptions so;
    so.min_pages = static_cast<int>(dotted->GetInt("extract.site_min_pages", so.min_pages));
    so.max_hosts = static_cast<size_t>(
        dotted->GetInt("extract.site_max_hosts", static_cast<int64_t>(so.max_hosts)));
    so.max_keys_per_host = static_cast<size_t>(
        dotted->GetInt("extract.site_max_keys", static_cast<int64_t>(so.max_keys_per_host)));
    const bool use_site = !o->no_site && dotted->GetBool("extract.site_templates", true);
    SiteTemplates site(so);
    for (const std::string& path : *files) {
      ReaderOptions ro;
      ro.format = !o->input_format.empty() ? o->input_format : (path == "-" ? "html" : "auto");
      // A stream reports the records it cannot extract (images, PDF...).
      ro.keep_other_content_types = stream;
      StatusOr<std::unique_ptr<Reader>> reader = OpenReader(path, ro);
      if (!reader.ok()) {
        std::fprintf(stderr, "winnow: %s\n", reader.status().message().c_str());
        if (stream) emit(PageHead("", "", Provenance{path, 0, 0}), reader.status().message(), "");
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
          if (stream) emit(PageHead("", "", Provenance{err.file, err.record, err.offset}), err.message, "");
          code = kExitUnreadable;
          continue;
        }
        if (doc.kind != DocKind::kHtml) {
          if (stream) {
            emit(PageHead(doc.id, doc.url, doc.source),
                 "not HTML (" + (doc.fetch.content_type.empty() ? std::string("text") : doc.fetch.content_type) +
                     "): not extracted",
                 "");
          }
          continue;
        }
        const std::string& url = o->url.empty() ? doc.url : o->url;
        StatusOr<ExtractResult> res =
            use_site ? site.Extract(doc.raw, url, eo) : Extract(doc.raw, url, eo);
        if (!res.ok()) {
          std::fprintf(stderr, "winnow: %s record %llu: %s\n", path.c_str(),
                       (unsigned long long)doc.source.record, res.status().message().c_str());
          if (stream) emit(PageHead(doc.id, doc.url, doc.source), res.status().message(), "");
          code = kExitUnreadable;
          continue;
        }
        if (res->blocks.empty() && !res->reason.empty()) {
          std::fprintf(stderr, "winnow: %s%s: no content extracted (%s)\n", path.c_str(),
                       files->size() > 1 || pages > 0 ? "" : "", res->reason.c_str());
        }
        std::string rendered = Render(*res, eo);
        if (stream) {
          emit(PageHead(doc.id, doc.url, doc.source), "", rendered);
          continue;
        }
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
