#include "extract/extract_stages.h"

#include <memory>
#include <string>

#include "winnow/extract.h"
#include "winnow/site_template.h"

namespace winnow {

namespace {

class ExtractStage : public Stage {
 public:
  // `site` null: every page alone.
  ExtractStage(ExtractOptions options, std::unique_ptr<SiteTemplates> site)
      : options_(options), site_(std::move(site)) {}
  std::string name() const override { return "extract"; }

  // Site templates: a page's decisions use the earlier pages (in input
  // order) of its host; SiteTemplates orders the pages of one host. Only
  // admitted documents get evidence: a driver that admits none (the Python
  // binding, whose calls may come from several threads) extracts every page
  // alone, so its output does not depend on call order.
  void StartStream() const override {
    if (site_) site_->Reset();
  }
  void Admit(const Document& doc) const override {
    if (site_ && doc.kind == DocKind::kHtml) site_->Admit(doc.source.sequence, doc.url);
  }
  void Release(const Document& doc) const override {
    if (site_) site_->Release(doc.source.sequence);
  }

  void Process(Document& doc) const override {
    if (doc.kind != DocKind::kHtml) return;
    StatusOr<ExtractResult> r = site_ ? site_->Extract(doc.raw, doc.url, options_, doc.source.sequence)
                                      : Extract(doc.raw, doc.url, options_);
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
  // Shared, internally synchronised state (the one exception to "a stage
  // keeps no mutable shared state"): the per-host template counts.
  std::unique_ptr<SiteTemplates> site_;
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
  std::unique_ptr<SiteTemplates> site;
  if (c.GetBool("site_templates", true)) {
    SiteTemplateOptions so;
    so.min_pages = static_cast<int>(c.GetInt("site_min_pages", so.min_pages));
    const int64_t hosts = c.GetInt("site_max_hosts", static_cast<int64_t>(so.max_hosts));
    const int64_t keys = c.GetInt("site_max_keys", static_cast<int64_t>(so.max_keys_per_host));
    if (so.min_pages < 1 || hosts < 1 || keys < 1) {
      return Status::InvalidArgument(
          "extract.site_min_pages, site_max_hosts and site_max_keys must be >= 1");
    }
    so.max_hosts = static_cast<size_t>(hosts);
    so.max_keys_per_host = static_cast<size_t>(keys);
    site = std::make_unique<SiteTemplates>(so);
  }
  return std::unique_ptr<Stage>(new ExtractStage(o, std::move(site)));
}

}  // namespace

void RegisterExtractStages(StageRegistry* registry) {
  const ExtractOptions d;
  const SiteTemplateOptions so;
  registry->Register("extract", MakeExtract,
                     "HTML main-content extraction: blocks + title/author/date/site "
                     "metadata; rejects no_content (include_comments, include_title, include_tables, "
                     "include_links, include_images; site_templates, site_min_pages, "
                     "site_max_hosts, site_max_keys: blocks most earlier pages of a host "
                     "share are its template)",
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
                         BoolSetting("site_templates", true,
                                     "drop blocks most earlier pages of the same host share "
                                     "(decisions from earlier pages in input order only)"),
                         IntSetting("site_min_pages", so.min_pages, 1, 1000000,
                                    "earlier pages of a host needed before its evidence is used"),
                         IntSetting("site_max_hosts", static_cast<int64_t>(so.max_hosts), 1, 1000000,
                                    "hosts remembered (least recently used forgotten)"),
                         IntSetting("site_max_keys", static_cast<int64_t>(so.max_keys_per_host), 1,
                                    1000000, "block keys remembered per host (16 bytes each)"),
                     });
}

}  // namespace winnow
