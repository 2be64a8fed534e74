// The Stage wrappers: options from Config, reject or tag, PII masking.
#include "filter/filter_stages.h"

#include <map>
#include <memory>

#include "winnow/filter.h"
#include "winnow/pii.h"

namespace winnow {
namespace {

// Applies a verdict: reject, or in tag mode record values and decision.
void Apply(Document& doc, const std::string& stage, FilterMode mode, const FilterVerdict& v) {
  if (mode == FilterMode::kTag) {
    for (const auto& [k, value] : v.values) doc.annotations.quality[stage + "." + k] = value;
    doc.annotations.tags[stage] = v.keep ? "pass" : v.reason;
    return;
  }
  if (!v.keep) doc.Reject(stage, v.reason, v.detail);
}

// A filter's options, with per-language overrides: keys under
// "lang.<code>." (e.g. filter.gopher_quality.lang.zh.min_doc_words=-1) apply
// to documents whose annotations.lang is <code>, over the stage's own keys.
template <typename Opt>
class PerLang {
 public:
  static StatusOr<PerLang> FromConfig(const Config& c) {
    PerLang p;
    auto base = Opt::FromConfig(c);
    if (!base.ok()) return base.status();
    p.base_ = std::move(base).value();
    const std::string prefix = "lang.";
    for (const auto& [key, value] : c.values()) {
      if (key.compare(0, prefix.size(), prefix) != 0) continue;
      size_t dot = key.find('.', prefix.size());
      if (dot == std::string::npos) {
        return Status::InvalidArgument("'" + key + "': per-language keys are lang.<code>.<key>");
      }
      std::string lang = key.substr(prefix.size(), dot - prefix.size());
      if (p.by_lang_.count(lang)) continue;
      Config merged = c;
      const Config overrides = c.Sub(prefix + lang);  // must outlive the loop
      for (const auto& [k, v] : overrides.values()) merged.Set(k, v);
      auto o = Opt::FromConfig(merged);
      if (!o.ok()) return o.status();
      p.by_lang_.emplace(lang, std::move(o).value());
    }
    return p;
  }
  const Opt& For(const std::string& lang) const {
    auto it = by_lang_.find(lang);
    return it == by_lang_.end() ? base_ : it->second;
  }

 private:
  Opt base_;
  std::map<std::string, Opt> by_lang_;
};

class GopherQualityStage : public Stage {
 public:
  explicit GopherQualityStage(PerLang<GopherQualityOptions> o) : o_(std::move(o)) {}
  std::string name() const override { return "filter.gopher_quality"; }
  void Process(Document& doc) const override {
    if (!doc.decision.keep) return;
    const auto& o = o_.For(doc.annotations.lang);
    Apply(doc, name(), o.mode, EvaluateGopherQuality(doc.Text(), doc.annotations.lang, o));
  }

 private:
  PerLang<GopherQualityOptions> o_;
};

class GopherRepetitionStage : public Stage {
 public:
  explicit GopherRepetitionStage(PerLang<GopherRepetitionOptions> o) : o_(std::move(o)) {}
  std::string name() const override { return "filter.gopher_repetition"; }
  void Process(Document& doc) const override {
    if (!doc.decision.keep) return;
    const auto& o = o_.For(doc.annotations.lang);
    Apply(doc, name(), o.mode, EvaluateGopherRepetition(doc, o));
  }

 private:
  PerLang<GopherRepetitionOptions> o_;
};

class C4Stage : public Stage {
 public:
  explicit C4Stage(PerLang<C4Options> o) : o_(std::move(o)) {}
  std::string name() const override { return "filter.c4"; }
  void Process(Document& doc) const override {
    if (!doc.decision.keep) return;
    const auto& o = o_.For(doc.annotations.lang);
    C4Result r = EvaluateC4(doc, o);
    if (o.mode == FilterMode::kReject && r.verdict.keep) {
      for (auto& [i, reason] : r.dropped) {
        doc.blocks[i].keep = false;
        doc.blocks[i].drop_reason = reason;
      }
      for (auto& [i, text] : r.edited) doc.blocks[i].text = std::move(text);
    }
    Apply(doc, name(), o.mode, r.verdict);
  }

 private:
  PerLang<C4Options> o_;
};

class FineWebStage : public Stage {
 public:
  explicit FineWebStage(PerLang<FineWebOptions> o) : o_(std::move(o)) {}
  std::string name() const override { return "filter.fineweb"; }
  void Process(Document& doc) const override {
    if (!doc.decision.keep) return;
    const auto& o = o_.For(doc.annotations.lang);
    Apply(doc, name(), o.mode, EvaluateFineWeb(doc.Text(), o));
  }

 private:
  PerLang<FineWebOptions> o_;
};

class PiiStage : public Stage {
 public:
  explicit PiiStage(PiiOptions o) : o_(std::move(o)) {}
  std::string name() const override { return "pii"; }
  void Process(Document& doc) const override {
    if (!doc.decision.keep) return;
    PiiCounts c;
    for (Block& b : doc.blocks) {
      if (!b.keep) continue;
      PiiCounts before = c;
      std::string masked = MaskPii(b.text, o_, &c);
      if (c.total() != before.total()) b.text = std::move(masked);
    }
    auto add = [&doc](const char* kind, int64_t n) {
      if (n) doc.annotations.pii_counts[kind] += n;
    };
    add("email", c.email);
    add("ip_address", c.ip_address);
    add("phone", c.phone);
    add("card_number", c.card_number);
  }

 private:
  PiiOptions o_;
};

template <typename Opt, typename St>
StageFactory Factory() {
  return [](const Config& c) -> StatusOr<std::unique_ptr<Stage>> {
    auto o = PerLang<Opt>::FromConfig(c);
    if (!o.ok()) return o.status();
    return std::unique_ptr<Stage>(new St(std::move(o).value()));
  };
}

StatusOr<std::unique_ptr<Stage>> MakePii(const Config& c) {
  PiiOptions o;
  o.email = c.GetBool("email", o.email);
  o.ip = c.GetBool("ip", o.ip);
  o.phone = c.GetBool("phone", o.phone);
  o.card = c.GetBool("card", o.card);
  o.email_placeholder = c.GetString("placeholder.email", o.email_placeholder);
  o.ip_placeholder = c.GetString("placeholder.ip", o.ip_placeholder);
  o.phone_placeholder = c.GetString("placeholder.phone", o.phone_placeholder);
  o.card_placeholder = c.GetString("placeholder.card", o.card_placeholder);
  for (const std::string* p : {&o.email_placeholder, &o.ip_placeholder, &o.phone_placeholder,
                               &o.card_placeholder}) {
    if (p->find_first_of("0123456789@:+") != std::string::npos) {
      return Status::InvalidArgument("pii.placeholder.*: a placeholder may not contain digits, "
                                     "'@', ':' or '+' (later scanners would match it): '" + *p + "'");
    }
  }
  return std::unique_ptr<Stage>(new PiiStage(std::move(o)));
}

}  // namespace

void RegisterFilterStages(StageRegistry* r) {
  r->Register("filter.gopher_quality", Factory<GopherQualityOptions, GopherQualityStage>(),
              "Gopher quality rules: word count, word length, symbols, bullets, stop words");
  r->Register("filter.gopher_repetition",
              Factory<GopherRepetitionOptions, GopherRepetitionStage>(),
              "Gopher repetition rules: duplicate lines/paragraphs, top and duplicated n-grams");
  r->Register("filter.c4", Factory<C4Options, C4Stage>(),
              "C4 rules: drops lines (punctuation, javascript, policy...), rejects lorem ipsum, '{', "
              "< 5 sentences");
  r->Register("filter.fineweb", Factory<FineWebOptions, FineWebStage>(),
              "FineWeb rules: line punctuation, short lines, duplicated line chars, list ratio");
  r->Register("pii", MakePii,
              "masks e-mails, IPv4/IPv6, +CC phone numbers, Luhn-valid card numbers");
}

}  // namespace winnow
