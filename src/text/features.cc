// The one implementation of the line features (training dumps them with the
// text_features tool, so Python never re-implements them).
#include <unicode/uchar.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

#include "base/utf8.h"
#include "text/lexicon.h"
#include "winnow/lines.h"

namespace winnow {
namespace {

// Longest line (in tokens) searched for boilerplate wording: a long line is
// text whatever words it contains, and skipping it keeps the cost linear.
constexpr size_t kMaxPhraseTokens = 40;
// Longest line (in tokens) that can be an end marker ("LIRE AUSSI").
constexpr size_t kMaxEndMarkerTokens = 6;
// How many of a document's most frequent tokens count as its function words.
constexpr size_t kFrequentTokens = 16;

bool IsApostrophe(char32_t c) { return c == '\'' || c == 0x2019 || c == 0x02BC || c == 0x2018; }

bool IsTokenChar(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_ND_MASK)) != 0;
}

// What one line looks like on its own.
struct LineStats {
  bool blank = true;
  int chars = 0, letters = 0, upper = 0, digits = 0, punct = 0, commas = 0;
  int words = 0, cap_words = 0;
  int separators = 0;  // | » › • · ▪ ► (menu and breadcrumb separators)
  bool term_punct = false, ends_colon = false, starts_upper = false, starts_bullet = false;
  bool has_url = false, has_copyright = false;
  bool ends_ellipsis = false, has_currency = false;
  int mojibake = 0;  // "Ã¤"-style UTF-8 read as Latin-1
  int cjk = 0;       // Han and kana letters: each is a token, two count as a word
  bool ends_digit = false;  // last non-space character a digit, or "(12)"
  int script_letters[8] = {0, 0, 0, 0, 0, 0, 0, 0};  // letters per ScriptClass
  std::vector<std::string> tokens;  // lower-cased letter/digit runs
  size_t first_token = 0;           // index of tokens[0] in the document's DocTokens arrays
};

// A coarse writing-system class of a letter, by code point block (enough to
// see a line in another script than the document's; no word list involved).
int ScriptClass(char32_t c) {
  if (c < 0x250 || (c >= 0x1E00 && c <= 0x1EFF)) return 0;    // Latin
  if (c >= 0x370 && c <= 0x3FF) return 1;                       // Greek
  if (c >= 0x400 && c <= 0x52F) return 2;                       // Cyrillic
  if (c >= 0x590 && c <= 0x8FF) return 3;                       // Hebrew, Arabic
  if (c >= 0x900 && c <= 0xDFF) return 4;                       // Indic
  if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF)) return 5;  // kana, CJK
  if ((c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF)) return 6;  // Hangul
  return 7;
}

bool IsSeparator(char32_t c) {
  return c == '|' || c == 0xBB || c == 0x203A || c == 0x2022 || c == 0xB7 || c == 0x25AA ||
         c == 0x25BA || c == 0x25B6 || c == 0x2192;
}

bool IsClosing(char32_t c) {
  return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x201D || c == 0x2019 ||
         c == 0xBB || c == 0x300D || c == '*';
}

// Builds one lower-cased token in a local buffer (std::string::push_back per
// character was ~7% of the classifier's time), spilling to a string when long.
class TokenBuilder {
 public:
  bool empty() const { return len_ == 0 && spill_.empty(); }
  void Append(char32_t c) {
    if (len_ + 4 > sizeof(buf_)) {
      spill_.append(buf_, len_);
      len_ = 0;
    }
    if (c < 0x80) {
      buf_[len_++] = static_cast<char>(c);
    } else if (c < 0x800) {
      buf_[len_++] = static_cast<char>(0xC0 | (c >> 6));
      buf_[len_++] = static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      buf_[len_++] = static_cast<char>(0xE0 | (c >> 12));
      buf_[len_++] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      buf_[len_++] = static_cast<char>(0x80 | (c & 0x3F));
    } else {
      buf_[len_++] = static_cast<char>(0xF0 | (c >> 18));
      buf_[len_++] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      buf_[len_++] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      buf_[len_++] = static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  // Moves the token to the end of `out` and starts a new one.
  void MoveTo(std::vector<std::string>* out) {
    if (spill_.empty()) {
      out->emplace_back(buf_, len_);
    } else {
      spill_.append(buf_, len_);
      out->push_back(std::move(spill_));
      spill_.clear();
    }
    len_ = 0;
  }

 private:
  char buf_[64];
  size_t len_ = 0;
  std::string spill_;
};

LineStats Analyze(std::string_view line) {
  LineStats st;
  st.tokens.reserve(line.size() / 6 + 1);
  TokenBuilder tok;
  bool in_word = false;
  char32_t last_non_closing = 0;
  bool first_letter_seen = false;
  bool first_char_seen = false;
  size_t i = 0;
  while (i < line.size()) {
    char32_t c = NextCodePoint(line, &i);
    bool space = c < 0x80 ? (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v')
                          : (u_isUWhiteSpace(c) != 0);
    // Chinese and Japanese write no spaces between words: a run of Han or
    // kana is not one word (a whole sentence would look like a one-word
    // menu item). Each such letter is a token of its own (the document's most
    // frequent ones are then its function characters, as the frequent-token
    // features expect), and two of them count as one word.
    const bool cjk = c >= 0x3040 && ScriptClass(c) == 5 && IsTokenChar(c);
    if (space) {
      in_word = false;
    } else {
      st.blank = false;
      if (cjk) {
        ++st.cjk;
        in_word = false;
      } else if (!in_word) {
        ++st.words;
        in_word = true;
        bool up = c < 0x80 ? (c >= 'A' && c <= 'Z') : (u_isupper(c) != 0);
        if (up) ++st.cap_words;
      }
      ++st.chars;
      if (!first_char_seen) {
        first_char_seen = true;
        st.starts_bullet = c == '-' || c == '*' || c == '>' || c == 0x2022 || c == 0xB7 ||
                           c == 0x25AA || c == 0x25BA || c == 0x2013 || c == 0x2014 || c == '+';
      }
      if (!IsClosing(c)) last_non_closing = c;
    }
    if (c == 0xC3 || c == 0xC2 || c == 0xE2) {
      // The lead byte of a UTF-8 sequence decoded as Latin-1 followed by a
      // continuation-range character: mojibake.
      size_t j = i;
      if (j < line.size()) {
        char32_t n = NextCodePoint(line, &j);
        if (n >= 0x80 && n <= 0xBF) ++st.mojibake;
      }
    }
    bool tokch = IsTokenChar(c);
    if (tokch) {
      bool is_digit = c < 0x80 ? (c >= '0' && c <= '9') : (u_isdigit(c) != 0);
      if (is_digit) {
        ++st.digits;
      } else {
        ++st.letters;
        bool up = c < 0x80 ? (c >= 'A' && c <= 'Z') : (u_isupper(c) != 0);
        if (up) ++st.upper;
        if (!first_letter_seen) st.starts_upper = up;
        first_letter_seen = true;
        ++st.script_letters[ScriptClass(c)];
      }
      char32_t lc = c < 0x80 ? ((c >= 'A' && c <= 'Z') ? c + 32 : c) : u_tolower(c);
      if (cjk && !tok.empty()) tok.MoveTo(&st.tokens);
      tok.Append(lc);
      if (cjk) tok.MoveTo(&st.tokens);
    } else {
      if (!space && !IsApostrophe(c) && c != 0xFFFD) {
        ++st.punct;
        if (c == ',') ++st.commas;
        if (IsSeparator(c)) ++st.separators;
        if (c == 0xA9) st.has_copyright = true;
        if (c == '$' || c == 0x20AC || c == 0xA3 || c == 0xA5) st.has_currency = true;
      }
      if (!tok.empty()) tok.MoveTo(&st.tokens);
    }
  }
  if (!tok.empty()) tok.MoveTo(&st.tokens);
  st.words += (st.cjk + 1) / 2;
  // A teaser cut short ("...", "…", "[...]") is not a finished sentence.
  {
    std::string_view t = line;
    while (!t.empty() && (t.back() == ' ' || t.back() == ']' || t.back() == ')' || t.back() == '\r')) t.remove_suffix(1);
    st.ends_ellipsis = (t.size() >= 3 && t.substr(t.size() - 3) == "...") ||
                       (t.size() >= 3 && t.substr(t.size() - 3) == "\xE2\x80\xA6");
  }
  st.term_punct = !st.ends_ellipsis &&
                  (last_non_closing == '.' || last_non_closing == '!' || last_non_closing == '?' ||
                   last_non_closing == 0x3002 || last_non_closing == 0xFF01 || last_non_closing == 0xFF1F);
  st.ends_colon = last_non_closing == ':';
  {
    size_t e = line.find_last_not_of(" \t\r");
    if (e != std::string_view::npos) {
      char c = line[e];
      if (c == ')' && e > 0) c = line[e - 1];
      st.ends_digit = c >= '0' && c <= '9';
    }
  }
  if (line.find("http") != std::string_view::npos || line.find("www.") != std::string_view::npos ||
      (line.find('@') != std::string_view::npos && line.find('.') != std::string_view::npos) ||
      line.find(".com") != std::string_view::npos) {
    st.has_url = true;
  }
  if (line.find("(c)") != std::string_view::npos || line.find("(C)") != std::string_view::npos) {
    st.has_copyright = true;
  }
  return st;
}

// Phrase lookup on tokens: phrases indexed by their first token, so a line
// costs one hash lookup per token (same result as searching " phrase " in
// " tok1 tok2 ... ", i.e. matches on token boundaries only).
struct PhraseIndex {
  enum Kind { kBoiler = 1, kEnd = 2 };
  struct Phrase {
    std::vector<std::string> tokens;
    int kind;
  };
  std::unordered_map<std::string, std::vector<Phrase>> by_first;
};

const PhraseIndex& Phrases() {
  static const PhraseIndex* index = [] {
    auto* idx = new PhraseIndex;
    auto add = [&](const std::vector<std::string>& list, int kind) {
      for (const std::string& p : list) {
        PhraseIndex::Phrase ph{{}, kind};
        size_t start = 0;
        while (start < p.size()) {
          size_t sp = p.find(' ', start);
          if (sp == std::string::npos) sp = p.size();
          if (sp > start) ph.tokens.push_back(p.substr(start, sp - start));
          start = sp + 1;
        }
        if (!ph.tokens.empty()) idx->by_first[ph.tokens[0]].push_back(std::move(ph));
      }
    };
    add(text_internal::BoilerplatePhrases(), PhraseIndex::kBoiler);
    add(text_internal::EndMarkerPhrases(), PhraseIndex::kEnd);
    return idx;
  }();
  return *index;
}

bool PhraseAt(const std::vector<std::string>& toks, size_t i, const PhraseIndex::Phrase& ph) {
  if (i + ph.tokens.size() > toks.size()) return false;
  for (size_t k = 1; k < ph.tokens.size(); ++k)
    if (toks[i + k] != ph.tokens[k]) return false;
  return true;
}

bool IsCurrencyCode(std::string_view t) {
  if (t.size() < 2 || t.size() > 3) return false;
  return t == "eur" || t == "usd" || t == "gbp" || t == "sek" || t == "chf" || t == "kr" || t == "zł" ||
         t == "pln" || t == "rub";
}

size_t HashToken(std::string_view t) { return std::hash<std::string_view>{}(t); }

// Open addressing on a power-of-two table of entry indices + 1 (0 = empty),
// probed linearly from the token's hash.
size_t TableSize(size_t entries) {
  size_t size = 16;
  while (size < 2 * entries) size *= 2;
  return size;
}

// What the lexicon knows of a token: the languages listing it as a stop word
// and the phrases it starts. One table, so a token is hashed once for both.
struct LexiconEntry {
  std::string token;
  size_t hash = 0;
  uint32_t stop_mask = 0;
  const std::vector<PhraseIndex::Phrase>* phrases = nullptr;
};

struct LexiconTable {
  size_t max_token_size = 0;
  std::vector<LexiconEntry> entries;
  std::vector<uint32_t> table;

  const LexiconEntry* Find(std::string_view tok, size_t hash) const {
    const size_t mask = table.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      const uint32_t e = table[i];
      if (e == 0) return nullptr;
      const LexiconEntry& le = entries[e - 1];
      if (le.hash == hash && le.token == tok) return &le;
    }
  }
};

const LexiconTable& Lexicon() {
  static const LexiconTable* lexicon = [] {
    auto* lex = new LexiconTable;
    std::unordered_map<std::string, LexiconEntry> merged;
    for (const auto& [w, m] : text_internal::StopWordMasks()) merged[w].stop_mask = m;
    for (const auto& [w, phrases] : Phrases().by_first) merged[w].phrases = &phrases;
    for (auto& [w, e] : merged) {
      e.token = w;
      e.hash = HashToken(w);
      lex->max_token_size = std::max(lex->max_token_size, w.size());
      lex->entries.push_back(std::move(e));
    }
    lex->table.assign(TableSize(lex->entries.size()), 0);
    const size_t mask = lex->table.size() - 1;
    for (size_t k = 0; k < lex->entries.size(); ++k) {
      size_t i = lex->entries[k].hash & mask;
      while (lex->table[i] != 0) i = (i + 1) & mask;
      lex->table[i] = static_cast<uint32_t>(k + 1);
    }
    return lex;
  }();
  return *lexicon;
}

// The distinct tokens of a document, each looked up once: how often it
// occurs, the languages listing it as a stop word, the phrases it starts,
// whether it is a currency code. Per token of the document (in order, line by
// line from each line's first_token): its entry, its stop-word languages.
struct DocTokens {
  struct Entry {
    int count = 0;
    uint32_t stop_mask = 0;
    bool currency = false;
    const std::vector<PhraseIndex::Phrase>* phrases = nullptr;  // starting with it, or null
    std::string_view token;
    size_t hash = 0;
  };
  std::vector<Entry> entries;
  std::vector<uint32_t> slot;       // per token: index in entries
  std::vector<uint32_t> stop_mask;  // per token: the languages listing it as a stop word

  explicit DocTokens(std::vector<LineStats>* stats) {
    size_t total = 0;
    for (const LineStats& st : *stats) total += st.tokens.size();
    slot.resize(total);
    stop_mask.resize(total);
    size_t next = 0;
    std::vector<uint32_t> table(TableSize(total), 0);
    const size_t mask = table.size() - 1;
    entries.reserve(total);
    const LexiconTable& lexicon = Lexicon();
    for (LineStats& st : *stats) {
      st.first_token = next;
      for (size_t t = 0; t < st.tokens.size(); ++t) {
        const std::string& tok = st.tokens[t];
        const size_t hash = HashToken(tok);
        size_t i = hash & mask;
        while (table[i] != 0) {
          const Entry& e = entries[table[i] - 1];
          if (e.hash == hash && e.token == tok) break;
          i = (i + 1) & mask;
        }
        if (table[i] == 0) {
          Entry e;
          e.token = tok;
          e.hash = hash;
          if (tok.size() <= lexicon.max_token_size) {
            if (const LexiconEntry* le = lexicon.Find(tok, hash)) {
              if (tok.size() <= 24) e.stop_mask = le->stop_mask;  // no stop word is that long
              e.phrases = le->phrases;
            }
          }
          e.currency = IsCurrencyCode(tok);
          entries.push_back(e);
          table[i] = static_cast<uint32_t>(entries.size());
        }
        Entry& e = entries[table[i] - 1];
        ++e.count;
        slot[next] = table[i] - 1;
        stop_mask[next] = e.stop_mask;
        ++next;
      }
    }
  }
};

// Bit set of PhraseIndex::Kind found anywhere in the line's tokens.
int FindPhrases(const LineStats& st, const DocTokens& doc) {
  const auto& toks = st.tokens;
  int found = 0;
  for (size_t i = 0; i < toks.size(); ++i) {
    const auto* phrases = doc.entries[doc.slot[st.first_token + i]].phrases;
    if (phrases == nullptr) continue;
    for (const auto& ph : *phrases)
      if (!(found & ph.kind) && PhraseAt(toks, i, ph)) found |= ph.kind;
  }
  return found;
}

// The last tokens of the line are a "read more" phrase ("... Lue lisää").
bool EndsWithEndPhrase(const LineStats& st, const DocTokens& doc) {
  const auto& toks = st.tokens;
  if (toks.size() < 3 || toks.size() > kMaxPhraseTokens) return false;
  // A phrase ending at the last token; phrases have at most 8 tokens.
  for (size_t len = 1; len <= 8 && len <= toks.size(); ++len) {
    size_t i = toks.size() - len;
    const auto* phrases = doc.entries[doc.slot[st.first_token + i]].phrases;
    if (phrases == nullptr) continue;
    for (const auto& ph : *phrases)
      if (ph.kind == PhraseIndex::kEnd && ph.tokens.size() == len && PhraseAt(toks, i, ph)) return true;
  }
  return false;
}

bool HasCurrencyCode(const LineStats& st, const DocTokens& doc) {
  for (size_t t = 0; t < st.tokens.size(); ++t)
    if (doc.entries[doc.slot[st.first_token + t]].currency) return true;
  return false;
}

int LangIndex(std::string_view lang) {
  const auto& langs = text_internal::StopLanguages();
  for (size_t i = 0; i < langs.size(); ++i) {
    if (langs[i] == lang) return static_cast<int>(i);
  }
  return -1;
}


int GuessLangIndex(const DocTokens& doc) {
  size_t nl = text_internal::StopLanguages().size();
  std::vector<int> total(nl, 0);
  const size_t ntok = doc.stop_mask.size();
  for (uint32_t m : doc.stop_mask) {
    for (; m != 0; m &= m - 1) ++total[__builtin_ctz(m)];
  }
  int best = -1;
  int best_count = 0;
  for (size_t l = 0; l < nl; ++l) {
    if (total[l] > best_count) {
      best = static_cast<int>(l);
      best_count = total[l];
    }
  }
  if (best < 0 || best_count * 20 < static_cast<int>(ntok)) return -1;
  return best;
}

// One line's row of features. Each value is written together with its name,
// so the names and the values come from one list: LineFeatureNames() is what
// the statements below record for a one-line document. Rows are sized
// beforehand and written by index (push_back per value cost ~8% of
// text_bench's features-only speed).
class FeatureRow {
 public:
  // Writes from (*values)[start]. `names` is null except when the names are
  // being recorded; then the row grows with them.
  FeatureRow(std::vector<float>* values, size_t start, std::vector<std::string>* names)
      : values_(values), data_(names == nullptr ? values->data() : nullptr), k_(start), names_(names) {}
  void Put(const char* name, float value) {
    if (names_ == nullptr) {
      data_[k_++] = value;
      return;
    }
    Record(name, value);
  }
  size_t end() const { return k_; }

 private:
  void Record(const char* name, float value) {
    names_->emplace_back(name);
    values_->push_back(value);
    ++k_;
  }

  std::vector<float>* values_;
  float* data_;
  size_t k_;
  std::vector<std::string>* names_;
};

// The features of every line, `width` values each; with `names` set, the
// feature names in order too (from the first line).
std::vector<std::vector<float>> ComputeFeatures(const std::vector<std::string_view>& lines,
                                                std::string_view lang, size_t width,
                                                std::vector<std::string>* names);

}  // namespace

const std::vector<std::string>& LineFeatureNames() {
  static const std::vector<std::string>* names = [] {
    auto* v = new std::vector<std::string>;
    ComputeFeatures({std::string_view("x")}, "", 0, v);
    return v;
  }();
  return *names;
}

const std::vector<std::string>& StopWordLanguages() { return text_internal::StopLanguages(); }

std::string GuessLanguageByStopWords(const std::vector<std::string_view>& lines) {
  std::vector<LineStats> stats;
  stats.reserve(lines.size());
  for (std::string_view l : lines) stats.push_back(Analyze(l));
  int idx = GuessLangIndex(DocTokens(&stats));
  return idx < 0 ? std::string() : text_internal::StopLanguages()[idx];
}

std::vector<std::vector<float>> ComputeLineFeatures(const std::vector<std::string_view>& lines,
                                                    std::string_view lang) {
  return ComputeFeatures(lines, lang, LineFeatureNames().size(), nullptr);
}

namespace {

std::vector<std::vector<float>> ComputeFeatures(const std::vector<std::string_view>& lines,
                                                std::string_view lang, size_t width,
                                                std::vector<std::string>* names) {
  const size_t n = lines.size();
  std::vector<std::vector<float>> out(n, std::vector<float>(width, 0.0f));
  if (n == 0) return out;
  std::vector<LineStats> stats;
  stats.reserve(n);
  for (std::string_view l : lines) stats.push_back(Analyze(l));
  const DocTokens doc_tokens(&stats);

  int li = LangIndex(lang);
  if (li < 0) li = GuessLangIndex(doc_tokens);
  const size_t nl = text_internal::StopLanguages().size();

  // Per-line values the neighbour and position features reuse.
  std::vector<float> log_words(n), term(n), stop(n), boiler(n), c4(n), log_chars(n);
  std::vector<bool> end_marker(n);
  // How often each line occurs (the map's values stay where they are, so
  // each line keeps a pointer to its count: one hash of the line).
  std::unordered_map<std::string_view, int> line_count;
  line_count.reserve(n);
  std::vector<const int*> count_of_line(n, nullptr);
  double total_chars = 0;
  float max_log_chars = 0;
  for (size_t i = 0; i < n; ++i) {
    const LineStats& st = stats[i];
    log_words[i] = std::log1p(static_cast<float>(st.words));
    log_chars[i] = std::log1p(static_cast<float>(st.chars));
    max_log_chars = std::max(max_log_chars, log_chars[i]);
    term[i] = st.term_punct ? 1.f : 0.f;
    c4[i] = (st.term_punct && st.words >= 3) ? 1.f : 0.f;
    total_chars += st.chars;
    if (!st.blank) {
      int& c = line_count[lines[i]];
      ++c;
      count_of_line[i] = &c;
    }
  }
  int doc_c4 = 0;
  for (size_t i = 0; i < n; ++i) doc_c4 += c4[i] > 0;

  // The document's most frequent tokens: in prose of any language these are
  // its function words, so their share tells a sentence from a list of names
  // without a stop-word list.
  // The k first tokens by count (descending), then by bytes (ascending) among
  // those seen at least twice.
  std::vector<float> freq(n, 0.f);
  {
    const auto& entries = doc_tokens.entries;
    std::vector<uint32_t> top;
    top.reserve(entries.size());
    for (uint32_t s = 0; s < entries.size(); ++s)
      if (entries[s].count >= 2) top.push_back(s);
    const size_t k = std::min<size_t>(kFrequentTokens, top.size());
    auto before = [&](uint32_t a, uint32_t b) {
      if (entries[a].count != entries[b].count) return entries[a].count > entries[b].count;
      return entries[a].token < entries[b].token;
    };
    if (k < top.size()) std::nth_element(top.begin(), top.begin() + k, top.end(), before);
    std::vector<char> frequent(entries.size(), 0);
    for (size_t j = 0; j < k; ++j) frequent[top[j]] = 1;
    for (size_t i = 0; i < n; ++i) {
      const size_t ntok = stats[i].tokens.size();
      if (ntok == 0) continue;
      int hit = 0;
      for (size_t t = 0; t < ntok; ++t) hit += frequent[doc_tokens.slot[stats[i].first_token + t]];
      freq[i] = static_cast<float>(hit) / ntok;
    }
  }
  // Runs of consecutive short lines (<= 4 words): menus, link lists, tags.
  std::vector<float> short_run(n, 0.f);
  for (size_t i = 0; i < n;) {
    if (stats[i].words > 4) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < n && stats[j].words <= 4) ++j;
    float v = std::log1p(static_cast<float>(j - i));
    for (size_t t = i; t < j; ++t) short_run[t] = v;
    i = j;
  }
  auto shape = [&](size_t i) {
    const LineStats& st = stats[i];
    int wb = st.words <= 1 ? 0 : st.words <= 3 ? 1 : st.words <= 9 ? 2 : st.words <= 29 ? 3 : 4;
    return wb | (st.term_punct << 3) | (st.starts_upper << 4) | (st.ends_digit << 5) |
           (st.ends_colon << 6) | ((st.digits > 0) << 7) | (st.starts_bullet << 8);
  };
  // log(1 + lines to the nearest other sentence-like line), 4 when none.
  std::vector<float> c4_distance(n, std::log1p(64.f));
  {
    const size_t kNone = static_cast<size_t>(-1);
    size_t last = kNone;
    for (size_t i = 0; i < n; ++i) {
      if (last != kNone) c4_distance[i] = std::log1p(static_cast<float>(std::min<size_t>(64, i - last)));
      if (c4[i] > 0) last = i;
    }
    last = kNone;
    for (size_t i = n; i-- > 0;) {
      if (last != kNone)
        c4_distance[i] = std::min(c4_distance[i], std::log1p(static_cast<float>(std::min<size_t>(64, last - i))));
      if (c4[i] > 0) last = i;
    }
  }
  // The main block: maximum-sum run of +1 (sentence-like) / -1 (other) lines
  // (Kadane); the first such run when several tie.
  bool have_block = false;
  size_t block_first = 0, block_last = 0;
  {
    int best = 0, cur = 0;
    size_t start = 0;
    for (size_t i = 0; i < n; ++i) {
      const int v = c4[i] > 0 ? 1 : -1;
      if (cur <= 0) {
        cur = v;
        start = i;
      } else {
        cur += v;
      }
      if (cur > best) {
        best = cur;
        block_first = start;
        block_last = i;
        have_block = true;
      }
    }
  }
  // The document's main script (most letters).
  int doc_letters[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (const LineStats& st : stats)
    for (int c = 0; c < 8; ++c) doc_letters[c] += st.script_letters[c];
  const int main_script = static_cast<int>(std::max_element(doc_letters, doc_letters + 8) - doc_letters);

  size_t own_features = 0;  // where the neighbour features start
  for (size_t i = 0; i < n; ++i) {
    const LineStats& st = stats[i];
    FeatureRow row(&out[i], 0, i == 0 ? names : nullptr);
    const float w = static_cast<float>(st.words);
    const float ntok = static_cast<float>(st.tokens.size());
    row.Put("log_chars", log_chars[i]);
    row.Put("log_words", log_words[i]);
    row.Put("words_le1", st.words <= 1);
    row.Put("words_2_3", st.words >= 2 && st.words <= 3);
    row.Put("words_4_9", st.words >= 4 && st.words <= 9);
    row.Put("words_10_29", st.words >= 10 && st.words <= 29);
    row.Put("words_ge30", st.words >= 30);
    row.Put("term_punct", term[i]);
    row.Put("ends_colon", st.ends_colon);
    row.Put("c4_rule", c4[i]);
    row.Put("alpha_ratio", st.chars ? static_cast<float>(st.letters) / st.chars : 0.f);
    row.Put("digit_ratio", st.chars ? static_cast<float>(st.digits) / st.chars : 0.f);
    row.Put("upper_ratio", st.letters ? static_cast<float>(st.upper) / st.letters : 0.f);
    row.Put("punct_ratio", st.chars ? static_cast<float>(st.punct) / st.chars : 0.f);
    row.Put("commas_per_word", w > 0 ? std::min(1.f, st.commas / w * 5.f) : 0.f);
    row.Put("starts_upper", st.starts_upper);
    row.Put("all_caps", st.letters >= 3 && st.upper * 10 >= st.letters * 8);
    row.Put("cap_word_ratio", w > 0 ? st.cap_words / w : 0.f);
    row.Put("avg_word_len", w > 0 ? std::min(3.f, st.chars / w / 5.f) : 0.f);
    // Stop words: share in the document's language, the best share of words
    // that only another language has (a Dutch line in a French page), any.
    float own = 0, any = 0, other = 0;
    if (ntok > 0) {
      int other_counts[32] = {0};  // nl <= 32: masks are 32-bit
      int own_count = 0, any_count = 0;
      for (size_t t = 0; t < st.tokens.size(); ++t) {
        const uint32_t mask = doc_tokens.stop_mask[st.first_token + t];
        if (mask == 0) continue;
        ++any_count;
        bool in_own = li >= 0 && (mask & (1u << li));
        if (in_own) {
          ++own_count;
          continue;
        }
        for (uint32_t m = mask; m != 0; m &= m - 1) ++other_counts[__builtin_ctz(m)];
      }
      own = own_count / ntok;
      any = any_count / ntok;
      other = *std::max_element(other_counts, other_counts + nl) / ntok;
    }
    stop[i] = li >= 0 ? own : any;
    row.Put("stop_share", stop[i]);
    row.Put("other_stop_share", other);
    row.Put("any_stop_share", any);
    int found = st.tokens.size() <= kMaxPhraseTokens ? FindPhrases(st, doc_tokens) : 0;
    bool bp = found & PhraseIndex::kBoiler;
    boiler[i] = bp;
    end_marker[i] = st.tokens.size() <= kMaxEndMarkerTokens && (found & PhraseIndex::kEnd);
    row.Put("boiler_phrase", bp);
    row.Put("boiler_short", bp && st.words <= 5);
    row.Put("end_marker", end_marker[i]);
    row.Put("has_url", st.has_url);
    row.Put("separators", std::min(3, st.separators));
    row.Put("starts_bullet", st.starts_bullet);
    row.Put("has_copyright", st.has_copyright);
    row.Put("dup_in_doc", !st.blank && *count_of_line[i] > 1);
    row.Put("rel_len", max_log_chars > 0 ? log_chars[i] / max_log_chars : 0.f);
    row.Put("ends_ellipsis", st.ends_ellipsis);
    row.Put("ends_read_more", EndsWithEndPhrase(st, doc_tokens));
    row.Put("has_currency", st.has_currency || HasCurrencyCode(st, doc_tokens));
    row.Put("lang_differs", ntok >= 4 && other > own);
    row.Put("mojibake", std::min(1.f, st.mojibake / 3.f));
    own_features = row.end();
  }

  // Neighbours and position, now that every line's own values are known.
  static const char* const kPrev[] = {"prev_log_words", "prev_term_punct", "prev_stop_share",
                                     "prev_boiler", "prev_c4"};
  static const char* const kNext[] = {"next_log_words", "next_term_punct", "next_stop_share",
                                     "next_boiler", "next_c4"};
  float chars_before = 0;
  int c4_before = 0;
  bool after_end = false, end_after_block = false;
  for (size_t i = 0; i < n; ++i) {
    FeatureRow row(&out[i], own_features, i == 0 ? names : nullptr);
    auto put_neighbour = [&](const char* const* name, bool exists, size_t j) {
      row.Put(name[0], exists ? log_words[j] : 0.f);
      row.Put(name[1], exists ? term[j] : 0.f);
      row.Put(name[2], exists ? stop[j] : 0.f);
      row.Put(name[3], exists ? boiler[j] : 0.f);
      row.Put(name[4], exists ? c4[j] : 0.f);
    };
    put_neighbour(kPrev, i > 0, i - 1);
    put_neighbour(kNext, i + 1 < n, i + 1);
    float wc4 = 0, wlw = 0, wst = 0;
    int wn = 0;
    for (size_t j = (i >= 3 ? i - 3 : 0); j <= std::min(n - 1, i + 3); ++j) {
      if (j == i) continue;
      wc4 += c4[j];
      wlw += log_words[j];
      wst += stop[j];
      ++wn;
    }
    row.Put("win_c4", wn ? wc4 / wn : 0.f);
    row.Put("win_log_words", wn ? wlw / wn : 0.f);
    row.Put("win_stop_share", wn ? wst / wn : 0.f);
    row.Put("rel_pos", n > 1 ? static_cast<float>(i) / (n - 1) : 0.f);
    row.Put("char_pos", total_chars > 0 ? static_cast<float>(chars_before / total_chars) : 0.f);
    row.Put("is_first", i == 0);
    row.Put("is_last", i + 1 == n);
    row.Put("log_lines", std::log1p(static_cast<float>(n)));
    row.Put("after_end", after_end);
    row.Put("c4_before", doc_c4 ? static_cast<float>(c4_before) / doc_c4 : 0.f);
    row.Put("c4_after", doc_c4 ? static_cast<float>(doc_c4 - c4_before - (c4[i] > 0)) / doc_c4 : 0.f);
    row.Put("doc_c4_share", static_cast<float>(doc_c4) / n);
    // Language-independent document context (no word list): share of the
    // line's tokens among the document's most frequent tokens (its function
    // words, whatever the language), the same for the neighbours; the run of
    // short lines the line is in (menus); same shape as the neighbours
    // (lists of links); letters in another script than the document's;
    // a line ending in a number ("(65)", dates, counters).
    row.Put("freq_share", freq[i]);
    row.Put("prev_freq_share", i > 0 ? freq[i - 1] : 0.f);
    row.Put("next_freq_share", i + 1 < n ? freq[i + 1] : 0.f);
    {
      float wf = 0;
      int wn2 = 0;
      for (size_t j = (i >= 3 ? i - 3 : 0); j <= std::min(n - 1, i + 3); ++j) {
        if (j == i) continue;
        wf += freq[j];
        ++wn2;
      }
      row.Put("win_freq_share", wn2 ? wf / wn2 : 0.f);
    }
    row.Put("short_run", short_run[i]);
    row.Put("same_shape_prev", i > 0 && shape(i) == shape(i - 1));
    row.Put("same_shape_next", i + 1 < n && shape(i) == shape(i + 1));
    row.Put("other_script",
            stats[i].letters ? static_cast<float>(stats[i].letters - stats[i].script_letters[main_script]) /
                                   stats[i].letters
                             : 0.f);
    row.Put("ends_digit", stats[i].ends_digit);
    row.Put("char_share", total_chars > 0 ? static_cast<float>(stats[i].chars / total_chars) : 0.f);
    // A line of 6+ words after an end marker (teasers after "read also"); the shape
    // of the line two back when the previous one differs (headline + lead
    // pairs repeated); lines to the nearest sentence-like line (menus far
    // from the text).
    row.Put("after_end_long", after_end && stats[i].words >= 6);
    row.Put("alternating_shape", i >= 2 && shape(i) == shape(i - 2) && shape(i) != shape(i - 1));
    row.Put("c4_distance", c4_distance[i]);
    // The document's main block (body-text extraction on lines, after Finn et
    // al. 2001: the run of lines maximising sentence-like lines minus other
    // lines): inside it, lines after its end, lines before its start (log).
    row.Put("in_block", have_block && i >= block_first && i <= block_last);
    row.Put("after_block", have_block && i > block_last ? std::log1p(static_cast<float>(i - block_last)) : 0.f);
    row.Put("before_block", have_block && i < block_first ? std::log1p(static_cast<float>(block_first - i)) : 0.f);
    // After an end marker that comes after the main block has started (a
    // "read also" in the top menu does not count).
    row.Put("end_after_block", end_after_block);
    chars_before += stats[i].chars;
    c4_before += c4[i] > 0;
    if (end_marker[i]) after_end = true;
    if (end_marker[i] && have_block && i >= block_first) end_after_block = true;
  }
  return out;
}

}  // namespace
}  // namespace winnow
