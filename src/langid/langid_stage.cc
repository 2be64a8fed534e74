// The "langid" stage: document language, shares, block languages, foreign
// block removal and the language allow-list.
#include <cstdio>  // compact_lang_det.h uses FILE without including it
#include <cld2/public/compact_lang_det.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "base/fnv.h"
#include "langid/langid_stages.h"
#include "winnow/langid.h"

namespace winnow {
namespace {

// Defaults, with their reasons (doc/langid.md lists them all).
// Blocks shorter than this carry too few quadgrams for CLD2 to be right
// often enough; they inherit the document's language. The Dutch promo line
// of the seed page is 49 bytes; typical nav labels ("Mise à jour") are < 20.
constexpr int kDefaultMinBlockBytes = 25;
// The document must be at least this much one language (CLD2 share, and
// CLD2 "reliable") before any block is called foreign.
constexpr double kDefaultDocShare = 0.9;
// A block is foreign only when CLD2 is reliable on it and gives the other
// language at least this share of the block.
constexpr double kDefaultBlockShare = 0.9;
// ... and only when it has at least this many words with a letter: on the
// gold texts of ../shared most false "foreign" blocks were short name or
// place lists ("Emil Petrescu, Cluj-Napoca, Romania"); see doc/langid.md.
constexpr int kDefaultMinForeignWords = 5;
// The document's own CLD2 call reads at most this many bytes, in 256-byte
// pieces spread evenly across the text (LanguageSample): CLD2's cost is
// linear in its input (~280 instructions a byte), and the document call was
// most of the stage. At 2000, on the six extraction sets and turku, no
// document is kept or rejected differently and 2 of 5,819 change language;
// at 1000, 11 (doc/langid.md).
constexpr int kDefaultDocSampleBytes = 2000;
// A sample whose top language has less than this share, or that CLD2 does
// not call reliable, is read again whole: mixed documents are where a sample
// moves the shares across foreign_doc_share (turku: 45 of 869 documents
// change "confident" at 2000 bytes without it, 3 with it).
constexpr double kDefaultDocSampleShare = 0.95;

int LetterWords(const std::string& s) {
  int n = 0;
  bool in_word = false, has_letter = false;
  for (unsigned char c : s) {
    bool space = c == ' ' || c == '\t' || c == '\n';
    if (space) {
      n += in_word && has_letter;
      in_word = has_letter = false;
    } else {
      in_word = true;
      has_letter |= ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c >= 0x80;
    }
  }
  return n + (in_word && has_letter);
}

// The words of a document's kept blocks: which of them are the document's
// most frequent words. In a document CLD2 finds >= foreign_doc_share in one
// language, those are that language's function words ("the", "of", "de",
// "la"...), whatever the language: a block that is mostly made of them is in
// the document's language and needs no CLD2 call of its own; a foreign line
// has (almost) none of them (doc/langid.md, doc/performance.md).
class DocWords {
 public:
  // Words are runs of ASCII letters and non-ASCII bytes, ASCII lower-cased.
  void Build(const std::vector<Block>& blocks, int top_words) {
    // The table is left free where the last document's entries were only:
    // clearing those few slots costs less than refilling the table.
    for (const Entry& x : entries_) index_[x.slot] = kFree;
    entries_.clear();
    begin_.assign(blocks.size() + 1, 0);
    size_t bytes = 0, most_words = 0;
    for (const Block& b : blocks) {
      if (b.keep) bytes += b.text.size(), most_words += (b.text.size() + 1) / 2;
    }
    // Room for every word (a word and the byte after it take two bytes), so
    // Words stores without a capacity check.
    if (words_.size() < most_words) words_.resize(most_words);
    words_end_ = 0;
    size_t cap = 256;
    // ~1.5 slots per word of 6 bytes; a long text grows the table as it goes
    // (distinct words grow far slower than words).
    while (cap < bytes / 4 && cap < (1u << 16)) cap *= 2;
    cap_ = cap;
    if (index_.size() < cap_) index_.resize(cap_, kFree);
    for (size_t i = 0; i < blocks.size(); ++i) {
      begin_[i] = words_end_;
      if (blocks[i].keep) Words(blocks[i].text);
    }
    begin_[blocks.size()] = words_end_;
    // The top_words most frequent words seen at least 3 times (ties: the
    // smaller hash, so the set depends only on the text). The order is a
    // total one (hashes are distinct), so the first n after nth_element are
    // the same set a sort would give; only the set is used.
    std::vector<uint32_t>& used = used_;
    used.clear();
    for (uint32_t k = 0; k < entries_.size(); ++k) {
      if (entries_[k].count >= 3) used.push_back(k);
    }
    const size_t n = std::min<size_t>(used.size(), static_cast<size_t>(std::max(top_words, 0)));
    if (n < used.size()) {
      std::nth_element(used.begin(), used.begin() + n, used.end(), [&](uint32_t a, uint32_t b) {
        return entries_[a].count != entries_[b].count ? entries_[a].count > entries_[b].count
                                                      : entries_[a].hash < entries_[b].hash;
      });
    }
    for (size_t k = 0; k < n; ++k) entries_[used[k]].top = true;
  }

  // The share of block i's words that are top words of the document and
  // occur at least twice outside block i.
  double TopShare(size_t i) {
    const size_t b = begin_[i], e = begin_[i + 1];
    if (b == e) return 0;
    // The block's top words, each counted once in `touched`; then a top
    // word's occurrences count when it is seen twice outside the block.
    std::vector<uint32_t>& touched = touched_;
    touched.clear();
    for (size_t k = b; k < e; ++k) {
      Entry& x = entries_[words_[k]];
      if (x.top && x.in_block++ == 0) touched.push_back(words_[k]);
    }
    size_t top = 0;
    for (uint32_t t : touched) {
      Entry& x = entries_[t];
      if (x.count - x.in_block >= 2) top += x.in_block;
      x.in_block = 0;
    }
    return static_cast<double>(top) / static_cast<double>(e - b);
  }

 private:
  static constexpr uint32_t kFree = UINT32_MAX;
  struct Entry {
    uint64_t hash;
    uint32_t count;
    uint32_t in_block;  // occurrences in the block TopShare looks at (top words only)
    uint32_t slot;      // where index_ holds this entry
    bool top;
  };

  void Words(const std::string& text) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    uint32_t* out = words_.data() + words_end_;
    size_t mask = cap_ - 1;
    while (p < end) {
      while (p < end && kWordByte[*p] == 0) ++p;
      if (p == end) break;
      uint64_t h = kFnv1a64Offset;
      // A std::string ends in '\0', a byte between words (kWordByte[0] is 0):
      // a word stops there without a test for the end.
      for (unsigned char c; (c = kWordByte[*p]) != 0; ++p) h = (h ^ c) * 1099511628211ull;
      *out++ = Find(h, mask);
    }
    words_end_ = static_cast<size_t>(out - words_.data());
  }

  // The entry of word hash h (a new one on first sight); mask is cap_ - 1
  // (a growth inside sets it again).
  uint32_t Find(uint64_t h, size_t& mask) {
    size_t k = (h ^ (h >> 29)) & mask;
    while (index_[k] != kFree) {
      Entry& x = entries_[index_[k]];
      if (x.hash == h) {
        ++x.count;
        return index_[k];
      }
      k = (k + 1) & mask;
    }
    const uint32_t e = static_cast<uint32_t>(entries_.size());
    entries_.push_back(Entry{h, 1, 0, static_cast<uint32_t>(k), false});
    index_[k] = e;
    if (entries_.size() * 3 > cap_ * 2) Grow(), mask = cap_ - 1;
    return e;
  }

  void Grow() {
    for (const Entry& x : entries_) index_[x.slot] = kFree;
    cap_ *= 2;
    if (index_.size() < cap_) index_.resize(cap_, kFree);
    const size_t mask = cap_ - 1;
    for (uint32_t e = 0; e < entries_.size(); ++e) {
      const uint64_t h = entries_[e].hash;
      size_t k = (h ^ (h >> 29)) & mask;
      while (index_[k] != kFree) k = (k + 1) & mask;
      index_[k] = e;
      entries_[e].slot = static_cast<uint32_t>(k);
    }
  }

  // A word byte as hashed (ASCII letters lower-cased, non-ASCII bytes as
  // they are), 0 for the bytes between words.
  static constexpr auto kWordByte = [] {
    std::array<unsigned char, 256> t{};
    for (int c = 0; c < 256; ++c) {
      if (c >= 0x80 || (c >= 'a' && c <= 'z')) t[c] = static_cast<unsigned char>(c);
      if (c >= 'A' && c <= 'Z') t[c] = static_cast<unsigned char>(c | 0x20);
    }
    return t;
  }();

  // Open addressing, hash -> entries_ index, over index_[0, cap_); the
  // slots of no entry of the current document are kFree.
  std::vector<uint32_t> index_;
  size_t cap_ = 0;
  std::vector<Entry> entries_;    // one per distinct word
  std::vector<uint32_t> words_;   // each word's entry, in block order, in [0, words_end_)
  size_t words_end_ = 0;
  std::vector<size_t> begin_;     // block i's words: words_[begin_[i], begin_[i + 1])
  std::vector<uint32_t> used_;
  std::vector<uint32_t> touched_;
};

struct LangidOptions {
  bool drop_foreign_blocks = true;
  std::vector<std::string> languages;  // allow-list; empty = all
  double min_confidence = 0;           // 0 = off
  int min_block_bytes = kDefaultMinBlockBytes;
  int min_foreign_words = kDefaultMinForeignWords;
  double foreign_doc_share = kDefaultDocShare;
  double foreign_block_share = kDefaultBlockShare;
  bool skip_close_languages = true;
  int top_words = 32;
  // 0 = every block gets its own CLD2 call. 0.25 until 2026-12-02; at 0.2
  // the gold blocks dropped as foreign go 81 -> 67 and scrapinghub's block
  // calls in confident documents 458 -> 295 (doc/langid.md).
  double screen_share = 0.2;
  int doc_sample_bytes = kDefaultDocSampleBytes;  // 0 = the whole text
  double doc_sample_share = kDefaultDocSampleShare;
};

// Languages CLD2 confuses on short text; a block "in" a sister language of
// the document's is far more often a misreading than a foreign insert
// (Swedish blocks of Swedish pages called Norwegian, on the turku set).
// CLD2's own close sets are used too.
bool CloseLanguages(const std::string& a, const std::string& b) {
  static const char* kGroups[][6] = {
      {"da", "no", "nb", "nn", "sv", nullptr}, {"cs", "sk", nullptr},
      {"hr", "sr", "bs", "sh", nullptr},       {"id", "ms", nullptr},
      {"es", "gl", "pt", "ca", nullptr},       {"ru", "uk", "be", "bg", nullptr},
      {"nl", "af", "fy", nullptr},             {"hi", "mr", "ne", nullptr}};
  for (const auto& group : kGroups) {
    bool in_a = false, in_b = false;
    for (const char* const* l = group; *l; ++l) in_a |= a == *l, in_b |= b == *l;
    if (in_a && in_b) return true;
  }
  CLD2::Language la = CLD2::GetLanguageFromName(a.c_str());
  CLD2::Language lb = CLD2::GetLanguageFromName(b.c_str());
  int sa = CLD2::LanguageCloseSet(la);
  return sa != 0 && sa == CLD2::LanguageCloseSet(lb);
}

std::string Fmt(const char* f, double a, double b) {
  char buf[128];
  std::snprintf(buf, sizeof buf, f, a, b);
  return buf;
}

class LangidStage : public Stage {
 public:
  explicit LangidStage(LangidOptions o) : o_(std::move(o)) {}
  std::string name() const override { return "langid"; }

  void Process(Document& doc) const override {
    if (!doc.decision.keep) return;
    // The document's text in a buffer each thread keeps (no allocation per
    // document once it has grown; given back past 1 MB).
    thread_local std::string text;
    doc.TextInto(&text);
    LangGuess g;
    if (o_.doc_sample_bytes > 0 && text.size() > static_cast<size_t>(o_.doc_sample_bytes)) {
      thread_local std::string sample;
      LanguageSample(text, static_cast<size_t>(o_.doc_sample_bytes), kLanguageSamplePieceBytes,
                     &sample);
      g = DetectLanguage(sample);
      const double top = g.ShareOf(g.lang);
      // A clear-cut sample gives the document's result, its script too (the
      // sample's dominant script: the same as the text's first 16 KB on every
      // document of the shared sets); else the whole text decides.
      if (!g.reliable || g.lang == "un" || top < o_.doc_sample_share) g = DetectLanguage(text);
    } else {
      g = DetectLanguage(text);
    }
    if (text.capacity() > (size_t{1} << 20)) std::string().swap(text);
    Annotations& a = doc.annotations;
    a.lang = g.lang;
    a.script = g.script;
    a.lang_confidence = g.confidence;
    a.lang_shares.clear();
    for (const auto& [code, share] : g.shares) a.lang_shares[code] += share;

    const double doc_share = g.ShareOf(g.lang);
    const bool doc_confident = g.lang != "un" && g.reliable && doc_share >= o_.foreign_doc_share;

    size_t kept = 0;
    for (const Block& b : doc.blocks) kept += b.keep;
    // Blocks can only be dropped as foreign in a confident document: there
    // the screen spares the CLD2 call of blocks in the document's language.
    // Elsewhere (mixed documents) every block gets its own call, since its
    // language is the information.
    const bool screen = o_.screen_share > 0 && doc_confident && o_.drop_foreign_blocks && kept > 1;
    thread_local DocWords words;
    if (screen) words.Build(doc.blocks, o_.top_words);
    for (size_t i = 0; i < doc.blocks.size(); ++i) {
      Block& b = doc.blocks[i];
      if (!b.keep) continue;
      if (static_cast<int>(b.text.size()) < o_.min_block_bytes || kept == 1) {
        b.lang = g.lang;  // too short to judge on its own, or the whole text
        continue;
      }
      if (screen && words.TopShare(i) >= o_.screen_share) {
        b.lang = g.lang;
        continue;
      }
      LangGuess bg = DetectLanguage(b.text, "", /*with_script=*/false);
      b.lang = bg.lang;
      if (!o_.drop_foreign_blocks || !doc_confident) continue;
      if (bg.lang == "un" || bg.lang == g.lang || !bg.reliable) continue;
      double block_share = bg.shares.empty() ? 0 : bg.shares.front().second;
      if (block_share < o_.foreign_block_share) continue;
      if (o_.skip_close_languages && CloseLanguages(bg.lang, g.lang)) continue;
      if (LetterWords(b.text) < o_.min_foreign_words) continue;
      // Last check, with the document's language as CLD2's prior: names and
      // titles flip to the document language, real foreign text does not.
      LangGuess hinted = DetectLanguage(b.text, g.lang, /*with_script=*/false);
      if (hinted.lang == g.lang || !hinted.reliable || hinted.shares.empty() ||
          hinted.shares.front().second < o_.foreign_block_share) {
        continue;
      }
      b.keep = false;
      b.drop_reason = "langid.foreign_block";
    }

    if (!o_.languages.empty() &&
        std::find(o_.languages.begin(), o_.languages.end(), g.lang) == o_.languages.end()) {
      doc.Reject("langid", "language_not_allowed", "lang=" + g.lang);
      return;
    }
    if (o_.min_confidence > 0 && g.confidence < o_.min_confidence) {
      doc.Reject("langid", "low_language_confidence",
                 Fmt("confidence=%.3f < min %.3f", g.confidence, o_.min_confidence));
    }
  }

 private:
  LangidOptions o_;
};

StatusOr<std::unique_ptr<Stage>> MakeLangid(const Config& c) {
  LangidOptions o;
  o.drop_foreign_blocks = c.GetBool("drop_foreign_blocks", o.drop_foreign_blocks);
  o.languages = c.GetList("languages", {});
  o.min_confidence = c.GetDouble("min_confidence", o.min_confidence);
  o.min_block_bytes = static_cast<int>(c.GetInt("min_block_bytes", o.min_block_bytes));
  o.min_foreign_words = static_cast<int>(c.GetInt("min_foreign_words", o.min_foreign_words));
  o.foreign_doc_share = c.GetDouble("foreign_doc_share", o.foreign_doc_share);
  o.foreign_block_share = c.GetDouble("foreign_block_share", o.foreign_block_share);
  o.skip_close_languages = c.GetBool("skip_close_languages", o.skip_close_languages);
  o.top_words = static_cast<int>(c.GetInt("top_words", o.top_words));
  o.screen_share = c.GetDouble("screen_share", o.screen_share);
  o.doc_sample_bytes = static_cast<int>(c.GetInt("doc_sample_bytes", o.doc_sample_bytes));
  o.doc_sample_share = c.GetDouble("doc_sample_share", o.doc_sample_share);
  if (o.min_confidence < 0 || o.min_confidence > 1 || o.foreign_doc_share < 0 ||
      o.foreign_doc_share > 1 || o.foreign_block_share < 0 || o.foreign_block_share > 1) {
    return Status::InvalidArgument(
        "langid: min_confidence, foreign_doc_share and foreign_block_share must be in 0..1");
  }
  for (std::string& l : o.languages) l = NormalizeLangCode(l);
  return std::unique_ptr<Stage>(new LangidStage(std::move(o)));
}

}  // namespace

void RegisterLangidStages(StageRegistry* registry) {
  const LangidOptions d;
  registry->Register(
      "langid", MakeLangid,
      "language id (CLD2): lang/script/shares, block languages, drops "
      "foreign blocks, optional allow-list `languages`",
      {
          BoolSetting("drop_foreign_blocks", d.drop_foreign_blocks,
                      "drop blocks reliably in another language than the document's"),
          ListSetting("languages", d.languages,
                      "allow-list of language codes; other documents are rejected (empty = all)"),
          DoubleSetting("min_confidence", d.min_confidence, 0, 1,
                        "reject documents whose language confidence is below this; 0 = off"),
          IntSetting("min_block_bytes", d.min_block_bytes, 0, 1 << 30,
                     "blocks shorter than this inherit the document's language"),
          IntSetting("min_foreign_words", d.min_foreign_words, 0, 1 << 30,
                     "a foreign block has at least this many words with a letter"),
          DoubleSetting("foreign_doc_share", d.foreign_doc_share, 0, 1,
                        "the document's own language share needed before any block is foreign"),
          DoubleSetting("foreign_block_share", d.foreign_block_share, 0, 1,
                        "the other language's share of a block needed to call it foreign"),
          BoolSetting("skip_close_languages", d.skip_close_languages,
                      "never call a block foreign for a sister language (da/no/sv, cs/sk...)"),
          IntSetting("top_words", d.top_words, 1, 1 << 20,
                     "how many of the document's most frequent words screen_share counts"),
          DoubleSetting("screen_share", d.screen_share, 0, 1,
                        "in a one-language document, a block whose words are at least this share of "
                        "the document's top words takes its language without a CLD2 call; 0 = call "
                        "CLD2 on every block"),
          IntSetting("doc_sample_bytes", d.doc_sample_bytes, 0, 1 << 30,
                     "the document's language is read from at most this many bytes of its text, "
                     "in pieces spread evenly across it; 0 = all of it"),
          DoubleSetting("doc_sample_share", d.doc_sample_share, 0, 1,
                        "a sample (doc_sample_bytes) whose top language has less than this "
                        "share, or that CLD2 does not call reliable, is read again whole"),
      });
}

}  // namespace winnow
