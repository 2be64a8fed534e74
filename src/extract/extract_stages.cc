#include "extract/extract_stages.h"

#include <memory>
#include <string>

#include "winnow/extract.h"

namespace winnow {

namespace {

class ExtractStage : public Stage {
 public:
  explicit ExtractStage(ExtractOptions options) : options_(options) {}
  std::string name() const override { return "extract"; }

  void Process(Document& doc) const override {
    if (doc.kind != DocKind::kHtml) return;
    StatusOr<ExtractResult> r = Extract(doc.raw, doc.url, options_);
    if (!r.ok()) {
      doc.Reject("extract", "error", r.status().message());
      return;
    }
    ExtractResult& res = r.value();
    Annotations& a = doc.annotations;
    const PageMetadata& m = res.metadata;
    a.title = m.title;
    a.authors = m.authors;
    a.date = m.date;
    a.site_name = m.site_name;
    a.description = m.description;
    a.canonical_url = m.canonical_url;
    if (!m.language.empty()) a.tags["html_lang"] = m.language;
    if (res.truncated) a.tags["extract_truncated"] = "true";
    doc.blocks = std::move(res.blocks);
    if (doc.blocks.empty()) {
      doc.Reject("extract", "no_content", res.reason);
    }
  }

 private:
  ExtractOptions options_;
};

StatusOr<std::unique_ptr<Stage>> MakeExtract(const Config& c) {
  ExtractOptions o;
  o.include_comments = c.GetBool("include_comments", o.include_comments);
  o.include_tables = c.GetBool("include_tables", o.include_tables);
  o.include_title = c.GetBool("include_title", o.include_title);
  o.include_links = c.GetBool("include_links", o.include_links);
  o.include_images = c.GetBool("include_images", o.include_images);
  const int64_t max_bytes = c.GetInt("max_input_bytes", static_cast<int64_t>(o.max_input_bytes));
  if (max_bytes <= 0) {
    return Status::InvalidArgument("extract.max_input_bytes must be > 0");
  }
  o.max_input_bytes = static_cast<size_t>(max_bytes);
  return std::unique_ptr<Stage>(new ExtractStage(o));
}

}  // namespace

void RegisterExtractStages(StageRegistry* registry) {
  const ExtractOptions d;
  registry->Register("extract", MakeExtract,
                     "HTML main-content extraction: blocks + title/author/date/site "
                     "metadata; rejects no_content (include_comments, include_title, include_tables, "
                     "include_links, include_images)",
                     {
                         BoolSetting("include_comments", d.include_comments, "keep reader comments"),
                         BoolSetting("include_tables", d.include_tables, "keep data tables"),
                         BoolSetting("include_title", d.include_title,
                                     "keep the page's headline when the main content lacks it"),
                         BoolSetting("include_links", d.include_links, "keep link targets (markdown)"),
                         BoolSetting("include_images", d.include_images, "keep images (markdown)"),
                         IntSetting("max_input_bytes", static_cast<int64_t>(d.max_input_bytes), 1,
                                    4294967296.0,
                                    "pages larger than this are cut at this size before parsing"),
                     });
}

}  // namespace winnow
