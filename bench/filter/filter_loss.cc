// filter_loss: what the default chain's filters take away from text that
// people labelled good (issue 10 item 4).
//
//  1. Turku plain-text documents (../shared/data/plaintext; OSCAR text with a
//     keep/drop label per line) run through the default chain as a WET
//     record would: text.lines, langid, the four filters, pii. For every
//     filter rule after text.lines: documents it rejects, and the labelled
//     good (and bad) lines that text.lines had kept and the rule removed (a
//     rejected document loses all its lines), with examples.
//  2. The same for the human gold main text of the extraction sets
//     (../shared/data/extraction; every line is good): langid + filters, as
//     for a page whose extraction found exactly the gold text; WCXB's
//     (wcxb-dev) per page type.
//  3. Line-level P/R/F1 on the turku dev split, per language and pooled:
//     keep every line, `text.lines` alone, and the whole default chain (a
//     rejected document counts all its lines as dropped).
//  5. WCXB's pages (wcxb-dev, HTML) through the whole default chain, per
//     page type: the extraction makes the blocks (a <pre> is one code
//     block), then each rule after it is charged with the documents it
//     rejects and the blocks it removes, counted as gold (the block's text
//     is a line of the page's human gold text, or, from 40 characters on,
//     a piece of it; white space collapsed) or other.
//  4. With --lolo DIR (only this part): the chain on languages text.lines
//     never saw. For each turku language, text.lines.model = DIR/<lang>.model
//     (scripts/train_lines.py --lolo DIR: trained without that language);
//     every labelled document of the language (train and dev, each distinct
//     document once, as lines_eval --lolo): keep all / text.lines alone /
//     whole default chain, per language and the macro mean.
//  With --dump FILE: one JSON object per turku document run (id, lang,
//  split, the language langid found, lines, labels, and per line the rule
//  that removed it: "" kept, "text.lines" or an earlier stage, a line rule,
//  or "<stage>: <reason>" for a rejected document's lines), for what-if
//  analysis of a rule without rebuilding.
// The chain is the one `winnow clean` runs: Pipeline::Create with the
// default config (plus --set KEY=VALUE overrides given here).
// Usage: filter_loss [--examples N] [--lolo DIR] [--dump FILE] [--set key=value]... [shared_dir]
#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "../text/eval_util.h"
#include "base/json_escape.h"
#include "gold_texts.h"
#include "winnow/pipeline.h"

using winnow::bench::Prf;
using winnow_bench::GoldDoc;

namespace {

struct LabelledDoc {
  std::string id, lang, split;
  std::vector<std::string> lines;
  std::vector<int> labels;  // 1 good, 0 boilerplate
};

// The labelled turku documents, read with gold_texts.h's JSONL walker.
bool LoadTurku(const std::string& path, std::vector<LabelledDoc>* out) {
  return winnow_bench::ForEachJsonObject(path, [&](simdjson::ondemand::object& o) {
    LabelledDoc d;
    d.id = winnow_bench::GetStr(o, "id");
    d.lang = winnow_bench::GetStr(o, "lang");
    d.split = winnow_bench::GetStr(o, "split");
    simdjson::ondemand::array arr;
    if (!o.find_field_unordered("lines").get_array().get(arr)) {
      for (auto item : arr) {
        std::string_view s;
        d.lines.emplace_back(item.get_string().get(s) ? "" : std::string(s));
      }
    }
    if (!o.find_field_unordered("labels").get_array().get(arr)) {
      for (auto item : arr) {
        int64_t v = 0;
        if (item.get_int64().get(v)) v = 0;
        d.labels.push_back(static_cast<int>(v));
      }
    }
    if (d.lines.size() == d.labels.size() && !d.lines.empty()) out->push_back(std::move(d));
  });
}

winnow::Document MakeDoc(const std::string& id, const std::vector<std::string>& lines) {
  winnow::Document d;
  d.id = id;
  d.kind = winnow::DocKind::kText;
  for (const std::string& l : lines) {
    d.raw += l;
    d.raw += '\n';
    winnow::Block b;
    // The readers never leave a '\r' or '\n' inside a line.
    b.text = l;
    d.blocks.push_back(std::move(b));
  }
  return d;
}

struct Loss {
  int docs = 0;
  int good = 0, bad = 0;  // labelled lines removed
  std::vector<std::string> examples;
};

std::string Clip(std::string s, size_t n) {
  for (char& c : s) {
    if (c == '\t' || c == '\n') c = ' ';
  }
  if (s.size() <= n) return s;
  size_t cut = n;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "...";
}

// Runs the stages one by one on `d` and charges each rule with what it
// removed of the lines that were still kept before it. `labels` may be empty
// (every line good). With `charge_after` set (text.lines), the stages up to
// and including it are not charged. Returns the final per-line decisions.
// With `removed_by`, also names per line what removed it ("" = kept).
std::vector<bool> RunCharged(const winnow::Pipeline& p, winnow::Document d,
                             const std::vector<int>& labels, const std::string& charge_after,
                             std::map<std::string, Loss>* losses, int max_examples,
                             std::vector<std::string>* removed_by = nullptr,
                             std::string* doc_lang = nullptr) {
  const size_t n = d.blocks.size();
  auto label = [&](size_t i) { return labels.empty() ? 1 : labels[i]; };
  bool charging = charge_after.empty();
  if (removed_by) removed_by->assign(n, "");
  for (const auto& stage : p.stages()) {
    std::vector<bool> before(n);
    for (size_t i = 0; i < n; ++i) before[i] = d.blocks[i].keep;
    stage->Process(d);
    if (doc_lang) *doc_lang = d.annotations.lang;
    if (removed_by) {
      for (size_t i = 0; i < n; ++i) {
        if (!before[i]) continue;
        if (!d.decision.keep) {
          (*removed_by)[i] = stage->name() + ": " + d.decision.reason;
        } else if (!d.blocks[i].keep) {
          (*removed_by)[i] = d.blocks[i].drop_reason.empty() ? stage->name() : d.blocks[i].drop_reason;
        }
      }
    }
    if (!charging) {
      charging = stage->name() == charge_after;
      if (!d.decision.keep) return std::vector<bool>(n, false);
      continue;
    }
    if (!d.decision.keep) {
      Loss& l = (*losses)[stage->name() + ": " + d.decision.reason];
      ++l.docs;
      std::string first_good;
      for (size_t i = 0; i < n; ++i) {
        if (!before[i]) continue;
        (label(i) ? l.good : l.bad)++;
        if (label(i) && first_good.empty()) first_good = d.blocks[i].text;
      }
      if (static_cast<int>(l.examples.size()) < max_examples) {
        l.examples.push_back(d.id + " [" + d.annotations.lang + "] " + d.decision.detail +
                             " | " + Clip(first_good, 110));
      }
      std::vector<bool> none(n, false);
      return none;
    }
    for (size_t i = 0; i < n; ++i) {
      if (before[i] && !d.blocks[i].keep) {
        Loss& l = (*losses)[d.blocks[i].drop_reason.empty() ? stage->name()
                                                            : d.blocks[i].drop_reason];
        (label(i) ? l.good : l.bad)++;
        if (label(i) && static_cast<int>(l.examples.size()) < max_examples) {
          l.examples.push_back(d.id + " [" + d.annotations.lang + "] | " +
                               Clip(d.blocks[i].text, 130));
        }
      }
    }
  }
  std::vector<bool> keep(n);
  for (size_t i = 0; i < n; ++i) keep[i] = d.blocks[i].keep;
  return keep;
}

// White space runs (ASCII and '\n') collapsed to one space, ends stripped.
std::string NormSpace(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

struct HtmlGold {
  std::string id, type, url, html;
  std::string text;             // the gold text, white space collapsed
  std::set<std::string> lines;  // its lines, white space collapsed
};

bool InGold(const HtmlGold& g, std::string_view block) {
  const std::string t = NormSpace(block);
  if (t.empty()) return false;
  return g.lines.count(t) || (t.size() >= 40 && g.text.find(t) != std::string::npos);
}

// Part 5: one page through the whole chain; the stages up to and including
// the extraction are not charged; after it every block is gold or other.
// Returns whether the document was kept.
bool RunHtmlCharged(const winnow::Pipeline& p, const HtmlGold& g, std::map<std::string, Loss>* losses,
                    int max_examples, int* gold_blocks) {
  winnow::Document d;
  d.id = g.type + ":" + g.id;
  d.url = g.url;
  d.kind = winnow::DocKind::kHtml;
  d.raw = g.html;
  bool charging = false;
  std::vector<int> gold;
  for (const auto& stage : p.stages()) {
    const size_t n = d.blocks.size();
    std::vector<bool> before(n);
    for (size_t i = 0; i < n; ++i) before[i] = d.blocks[i].keep;
    stage->Process(d);
    if (!charging) {
      if (!d.decision.keep) return false;
      if (stage->name() == "extract") {
        charging = true;
        for (const winnow::Block& b : d.blocks) {
          gold.push_back(InGold(g, b.text));
          *gold_blocks += b.keep && gold.back();
        }
      }
      continue;
    }
    if (!d.decision.keep) {
      Loss& l = (*losses)[stage->name() + ": " + d.decision.reason];
      ++l.docs;
      std::string first_gold;
      for (size_t i = 0; i < n; ++i) {
        if (!before[i]) continue;
        (gold[i] ? l.good : l.bad)++;
        if (gold[i] && first_gold.empty()) first_gold = d.blocks[i].text;
      }
      if (static_cast<int>(l.examples.size()) < max_examples) {
        l.examples.push_back(d.id + " [" + d.annotations.lang + "] " + d.decision.detail + " | " +
                             Clip(first_gold, 110));
      }
      return false;
    }
    for (size_t i = 0; i < n; ++i) {
      if (before[i] && !d.blocks[i].keep) {
        const winnow::Block& b = d.blocks[i];
        Loss& l = (*losses)[b.drop_reason.empty() ? stage->name() : b.drop_reason];
        (gold[i] ? l.good : l.bad)++;
        if (gold[i] && static_cast<int>(l.examples.size()) < max_examples) {
          l.examples.push_back(d.id + " [" + d.annotations.lang + "] " +
                               winnow::BlockKindName(b.kind) + " | " + Clip(b.text, 120));
        }
      }
    }
  }
  return true;
}

void PrintLosses(const char* title, const std::map<std::string, Loss>& losses, int docs,
                 int good_lines, bool with_bad) {
  std::printf("%s\n", title);
  std::printf("%-52s %6s %8s %9s%s\n", "rule", "docs", "(%docs)", "good lns",
              with_bad ? "  bad lns  (%good of removed)" : "");
  int td = 0, tg = 0, tb = 0;
  for (const auto& [rule, l] : losses) {
    td += l.docs, tg += l.good, tb += l.bad;
    std::printf("%-52s %6d %7.1f%% %9d", rule.c_str(), l.docs, docs ? 100.0 * l.docs / docs : 0,
                l.good);
    if (with_bad) {
      std::printf("  %7d  %5.1f%%", l.bad, l.good + l.bad ? 100.0 * l.good / (l.good + l.bad) : 0);
    }
    std::printf("\n");
  }
  std::printf("%-52s %6d %7.1f%% %9d", "(all rules)", td, docs ? 100.0 * td / docs : 0, tg);
  if (with_bad) std::printf("  %7d", tb);
  std::printf("   of %d documents, %d good lines in\n", docs, good_lines);
  for (const auto& [rule, l] : losses) {
    for (const std::string& e : l.examples) std::printf("  e.g. %-34s %s\n", rule.c_str(), e.c_str());
  }
  std::printf("\n");
}

// One --dump record.
void Dump(FILE* f, const LabelledDoc& t, bool lolo, const std::string& doc_lang,
          const std::vector<std::string>& removed_by) {
  if (!f) return;
  std::string out = "{\"id\":";
  winnow::AppendJsonString(t.id, &out);
  out += ",\"lang\":";
  winnow::AppendJsonString(t.lang, &out);
  out += ",\"split\":";
  winnow::AppendJsonString(t.split, &out);
  out += std::string(",\"lolo\":") + (lolo ? "true" : "false") + ",\"doc_lang\":";
  winnow::AppendJsonString(doc_lang, &out);
  out += ",\"labels\":[";
  for (size_t i = 0; i < t.labels.size(); ++i) out += (i ? "," : "") + std::to_string(t.labels[i]);
  out += "],\"lines\":[";
  for (size_t i = 0; i < t.lines.size(); ++i) {
    if (i) out += ",";
    winnow::AppendJsonString(t.lines[i], &out);
  }
  out += "],\"removed_by\":[";
  for (size_t i = 0; i < removed_by.size(); ++i) {
    if (i) out += ",";
    winnow::AppendJsonString(removed_by[i], &out);
  }
  out += "]}\n";
  std::fputs(out.c_str(), f);
}

struct Methods {
  Prf all, lines, chain;
  size_t n = 0;
};

// Part 4: leave-one-language-out through the default chain.
int RunLolo(const std::vector<LabelledDoc>& turku, const std::string& dir, const winnow::Config& user,
            int examples, FILE* dump) {
  std::map<std::string, std::vector<const LabelledDoc*>> by_lang;
  std::set<std::string> seen;
  size_t copies = 0;
  for (const LabelledDoc& t : turku) {
    std::string key;
    for (size_t i = 0; i < t.lines.size(); ++i) key += t.lines[i] + (t.labels[i] == 1 ? "\n1" : "\n0");
    if (!seen.insert(key).second) {
      ++copies;
      continue;
    }
    by_lang[t.lang].push_back(&t);
  }
  std::printf("== Leave-one-language-out: turku train+dev of each language, text.lines.model = "
              "%s/<lang>.model (%zu copies of a document counted once) ==\n", dir.c_str(), copies);
  std::printf("%-6s %6s | %-17s | %-17s | %-17s | %s\n", "lang", "lines", "keep all", "text.lines",
              "default chain", "docs left empty");
  double macro[3] = {0, 0, 0};
  int nlang = 0;
  std::map<std::string, Loss> losses;  // every language's, after text.lines
  int docs_in = 0, good_in = 0;
  for (const auto& [lang, docs] : by_lang) {
    winnow::Config cfg = user;
    cfg.Set("text.lines.model", dir + "/" + lang + ".model");
    auto chain = winnow::Pipeline::Create(cfg);
    cfg.Set("stages", "text.lines");
    auto lines_only = winnow::Pipeline::Create(cfg);
    if (!chain.ok() || !lines_only.ok()) {
      std::printf("%-6s (no chain: %s)\n", lang.c_str(),
                  (!chain.ok() ? chain.status() : lines_only.status()).ToString().c_str());
      continue;
    }
    Methods m;
    int rejected = 0;
    for (const LabelledDoc* t : docs) {
      std::vector<std::string> removed_by;
      std::string doc_lang;
      std::vector<bool> keep = RunCharged(**chain, MakeDoc(t->id, t->lines), t->labels, "text.lines",
                                          &losses, examples, &removed_by, &doc_lang);
      Dump(dump, *t, true, doc_lang, removed_by);
      winnow::Document dl = MakeDoc(t->id, t->lines);
      (*lines_only)->Process(dl, nullptr);
      bool any = false;
      for (size_t i = 0; i < t->lines.size(); ++i) {
        bool g = t->labels[i] == 1;
        any |= keep[i];
        m.all.Add(true, g);
        m.lines.Add(dl.decision.keep && dl.blocks[i].keep, g);
        m.chain.Add(keep[i], g);
        ++m.n;
        good_in += g;
      }
      rejected += !any;
      ++docs_in;
    }
    std::printf("%-6s %6zu | %.3f %.3f %.3f | %.3f %.3f %.3f | %.3f %.3f %.3f | %d of %zu\n",
                lang.c_str(), m.n, m.all.P(), m.all.R(), m.all.F1(), m.lines.P(), m.lines.R(),
                m.lines.F1(), m.chain.P(), m.chain.R(), m.chain.F1(), rejected, docs.size());
    macro[0] += m.all.F1();
    macro[1] += m.lines.F1();
    macro[2] += m.chain.F1();
    ++nlang;
  }
  if (nlang == 0) return 1;
  std::printf("%-6s %6s | %17.3f | %17.3f | %17.3f |   (F1, unweighted mean over %d languages)\n\n",
              "macro", "", macro[0] / nlang, macro[1] / nlang, macro[2] / nlang, nlang);
  PrintLosses("== The same documents: what each rule after text.lines removes (all languages) ==",
              losses, docs_in, good_in, true);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string shared = WINNOW_SHARED_DIR;
  int examples = 3;
  std::string lolo_dir, dump_path;
  winnow::Config user;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--examples" && i + 1 < argc) {
      examples = std::atoi(argv[++i]);
    } else if (a == "--lolo" && i + 1 < argc) {
      lolo_dir = argv[++i];
    } else if (a == "--dump" && i + 1 < argc) {
      dump_path = argv[++i];
    } else if (a == "--set" && i + 1 < argc) {
      std::string kv = argv[++i];
      size_t eq = kv.find('=');
      if (eq == std::string::npos) {
        std::fprintf(stderr, "filter_loss: --set wants key=value, got '%s'\n", kv.c_str());
        return 2;
      }
      user.Set(kv.substr(0, eq), kv.substr(eq + 1));
    } else {
      shared = a;
    }
  }
  std::vector<LabelledDoc> turku;
  std::string tpath = shared + "/data/plaintext/turku_line_quality.jsonl.gz";
  if (!LoadTurku(tpath, &turku) || turku.empty()) {
    std::fprintf(stderr, "filter_loss: cannot read %s (../shared is needed)\n", tpath.c_str());
    return 1;
  }
  FILE* dump = nullptr;
  if (!dump_path.empty() && !(dump = std::fopen(dump_path.c_str(), "w"))) {
    std::fprintf(stderr, "filter_loss: cannot write %s\n", dump_path.c_str());
    return 1;
  }
  struct Closer {
    FILE* f;
    ~Closer() {
      if (f) std::fclose(f);
    }
  } closer{dump};
  if (!lolo_dir.empty()) return RunLolo(turku, lolo_dir, user, examples, dump);
  auto chain = winnow::Pipeline::Create(user);
  winnow::Config lines_only_cfg = user;
  lines_only_cfg.Set("stages", "text.lines");
  auto lines_only = winnow::Pipeline::Create(lines_only_cfg);
  winnow::Config filters_cfg = user;
  filters_cfg.Set("stages",
                  "langid,filter.gopher_repetition,filter.gopher_quality,filter.c4,filter.fineweb");
  auto filters = winnow::Pipeline::Create(filters_cfg);
  if (!chain.ok() || !lines_only.ok() || !filters.ok()) {
    std::fprintf(stderr, "filter_loss: cannot build the chain: %s\n",
                 (!chain.ok() ? chain.status() : !lines_only.ok() ? lines_only.status()
                                                                  : filters.status())
                     .ToString()
                     .c_str());
    return 1;
  }
  std::printf("filter_loss: default chain =");
  for (const auto& s : (*chain)->stages()) std::printf(" %s", s->name().c_str());
  std::printf("\n\n");

  // 1 + 3: turku through the whole chain.
  std::map<std::string, Loss> loss_dev, loss_train;
  std::map<std::string, Methods> by_lang;
  Methods pooled;
  int docs_dev = 0, docs_train = 0, good_dev = 0, good_train = 0;
  for (const LabelledDoc& t : turku) {
    bool dev = t.split == "dev";
    winnow::Document d = MakeDoc(t.id, t.lines);
    std::vector<std::string> removed_by;
    std::string doc_lang;
    std::vector<bool> keep = RunCharged(**chain, d, t.labels, "text.lines",
                                        dev ? &loss_dev : &loss_train, examples, &removed_by, &doc_lang);
    Dump(dump, t, false, doc_lang, removed_by);
    int good = 0;
    for (int l : t.labels) good += l;
    (dev ? docs_dev : docs_train)++;
    (dev ? good_dev : good_train) += good;
    if (!dev) continue;
    winnow::Document dl = MakeDoc(t.id, t.lines);
    (*lines_only)->Process(dl, nullptr);
    Methods& m = by_lang[t.lang];
    for (size_t i = 0; i < t.lines.size(); ++i) {
      bool g = t.labels[i] == 1;
      bool lk = dl.decision.keep && dl.blocks[i].keep;
      for (Methods* x : {&m, &pooled}) {
        x->all.Add(true, g);
        x->lines.Add(lk, g);
        x->chain.Add(keep[i], g);
        ++x->n;
      }
    }
  }
  PrintLosses("== Turku dev through the default chain: what each rule after text.lines removes ==\n"
              "(good/bad = human line labels; only lines text.lines had kept are charged)",
              loss_dev, docs_dev, good_dev, true);
  PrintLosses("== Turku train (text.lines was trained on these: its kept lines are optimistic) ==",
              loss_train, docs_train, good_train, true);

  std::printf("== Line-level P/R/F1 on turku dev: keep all / text.lines alone / default chain ==\n");
  std::printf("%-6s %6s | %-17s | %-17s | %-17s | %s\n", "lang", "lines", "keep all",
              "text.lines", "default chain", "chain - lines");
  auto row = [](const char* name, const Methods& m) {
    std::printf("%-6s %6zu | %.3f %.3f %.3f | %.3f %.3f %.3f | %.3f %.3f %.3f | %+.3f\n", name, m.n,
                m.all.P(), m.all.R(), m.all.F1(), m.lines.P(), m.lines.R(), m.lines.F1(),
                m.chain.P(), m.chain.R(), m.chain.F1(), m.chain.F1() - m.lines.F1());
  };
  for (const auto& [lang, m] : by_lang) row(lang.c_str(), m);
  row("all", pooled);
  std::printf("\n");

  // 2: the extraction gold texts through langid + the filters.
  std::vector<std::string> missing;
  std::vector<GoldDoc> gold = winnow_bench::LoadGold(shared, &missing, /*with_fragments=*/false);
  std::map<std::string, std::map<std::string, Loss>> by_set;
  std::map<std::string, int> set_docs, set_lines;
  // WCXB's human-reviewed main content (7 page types, 1,295 domains; never
  // tuned on by the filters), one set per page type.
  std::vector<HtmlGold> wcxb_html;
  {
    const std::string wcxb = shared + "/data/extraction/wcxb-dev.jsonl.gz";
    bool read = winnow_bench::ForEachJsonObject(wcxb, [&](simdjson::ondemand::object& o) {
      GoldDoc g;
      g.id = winnow_bench::GetStr(o, "id");
      g.text = winnow_bench::GetStr(o, "text");
      std::string type = winnow_bench::GetStr(o, "page_type");
      g.set = "wcxb-" + (type.empty() ? std::string("untyped") : type);
      HtmlGold h;
      h.html = winnow_bench::GetStr(o, "html");
      if (!h.html.empty() && !g.text.empty()) {
        h.id = g.id;
        h.type = type.empty() ? std::string("untyped") : type;
        h.url = winnow_bench::GetStr(o, "url");
        h.text = NormSpace(g.text);
        size_t s = 0;
        while (s <= g.text.size()) {
          size_t nl = g.text.find('\n', s);
          if (nl == std::string::npos) nl = g.text.size();
          std::string line = NormSpace(std::string_view(g.text).substr(s, nl - s));
          if (!line.empty()) h.lines.insert(std::move(line));
          s = nl + 1;
        }
        wcxb_html.push_back(std::move(h));
      }
      if (!g.text.empty()) gold.push_back(std::move(g));
    });
    if (!read) missing.push_back(wcxb);
  }
  for (const GoldDoc& g : gold) {
    if (g.set == "turku") continue;  // above, with labels
    std::vector<std::string> lines;
    size_t s = 0;
    while (s <= g.text.size()) {
      size_t nl = g.text.find('\n', s);
      if (nl == std::string::npos) nl = g.text.size();
      if (nl > s) lines.push_back(g.text.substr(s, nl - s));
      s = nl + 1;
    }
    if (lines.empty()) continue;
    winnow::Document d = MakeDoc(g.set + ":" + g.id, lines);
    RunCharged(**filters, d, {}, "", &by_set[g.set], examples);
    set_docs[g.set]++;
    set_lines[g.set] += static_cast<int>(lines.size());
  }
  for (const auto& [set, losses] : by_set) {
    std::string title = "== Extraction gold text, " + set +
                        ": what each rule removes (every line is good) ==";
    PrintLosses(title.c_str(), losses, set_docs[set], set_lines[set], false);
  }
  // One table: per rule, what it takes on every set (docs rejected / good
  // lines removed; on turku also the bad lines).
  {
    std::set<std::string> rules;
    for (const auto* m : {&loss_dev, &loss_train}) {
      for (const auto& [r, l] : *m) rules.insert(r);
    }
    for (const auto& [set, losses] : by_set) {
      for (const auto& [r, l] : losses) rules.insert(r);
    }
    std::printf("== Summary: per rule, documents rejected / good lines removed (turku: / bad lines) ==\n");
    std::printf("%-50s %-16s %-16s", "rule", "turku dev", "turku train");
    for (const auto& [set, losses] : by_set) std::printf(" %-12s", set.c_str());
    std::printf("\n");
    auto cell = [](const std::map<std::string, Loss>& m, const std::string& r, bool bad) {
      auto it = m.find(r);
      if (it == m.end()) return std::string("-");
      std::string c = std::to_string(it->second.docs) + "/" + std::to_string(it->second.good);
      if (bad) c += "/" + std::to_string(it->second.bad);
      return c;
    };
    for (const std::string& r : rules) {
      std::printf("%-50s %-16s %-16s", r.c_str(), cell(loss_dev, r, true).c_str(),
                  cell(loss_train, r, true).c_str());
      for (const auto& [set, losses] : by_set) std::printf(" %-12s", cell(losses, r, false).c_str());
      std::printf("\n");
    }
    std::printf("%-50s %-16s %-16s", "(documents in)", std::to_string(docs_dev).c_str(),
                std::to_string(docs_train).c_str());
    for (const auto& [set, losses] : by_set) std::printf(" %-12d", set_docs[set]);
    std::printf("\n\n");
  }
  // 5: WCXB's pages through the whole chain, from their HTML.
  {
    std::map<std::string, std::map<std::string, Loss>> by_type;
    std::map<std::string, int> type_docs, type_kept;
    int gold_blocks = 0;  // kept by the extraction
    for (const HtmlGold& h : wcxb_html) {
      type_docs[h.type]++;
      type_kept[h.type] += RunHtmlCharged(**chain, h, &by_type[h.type], examples, &gold_blocks);
    }
    std::map<std::string, Loss> all;
    for (const auto& [type, losses] : by_type) {
      for (const auto& [r, l] : losses) {
        Loss& a = all[r];
        a.docs += l.docs, a.good += l.good, a.bad += l.bad;
        for (const std::string& e : l.examples) {
          if (static_cast<int>(a.examples.size()) < examples) a.examples.push_back(e);
        }
      }
    }
    int docs = 0, kept = 0;
    for (const auto& [type, n] : type_docs) docs += n, kept += type_kept[type];
    std::printf("== WCXB pages (wcxb-dev HTML) through the whole default chain: what each rule after the "
                "extraction removes ==\n(good = a block that is gold text, bad = any other block; "
                "%d of %d pages kept; a block repeated on the page counts as gold each time, "
                "however often the gold has it)\n", kept, docs);
    PrintLosses("(good lines in = the extraction's blocks that are gold text)", all, docs, gold_blocks, true);
    std::printf("%-50s", "rule (docs rejected / gold blocks / other blocks)");
    for (const auto& [type, n] : type_docs) std::printf(" %-16s", type.c_str());
    std::printf("\n");
    std::set<std::string> rules;
    for (const auto& [r, l] : all) rules.insert(r);
    for (const std::string& r : rules) {
      std::printf("%-50s", r.c_str());
      for (const auto& [type, n] : type_docs) {
        auto it = by_type[type].find(r);
        std::string c = it == by_type[type].end()
                            ? "-"
                            : std::to_string(it->second.docs) + "/" + std::to_string(it->second.good) +
                                  "/" + std::to_string(it->second.bad);
        std::printf(" %-16s", c.c_str());
      }
      std::printf("\n");
    }
    std::printf("%-50s", "(pages kept / in)");
    for (const auto& [type, n] : type_docs) {
      std::printf(" %-16s", (std::to_string(type_kept[type]) + "/" + std::to_string(n)).c_str());
    }
    std::printf("\n\n");
  }
  for (const std::string& m : missing) std::printf("(missing: %s)\n", m.c_str());
  return 0;
}
