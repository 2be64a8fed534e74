// pii_eval: precision and recall of the pii scanners per kind on a labelled
// set (bench/filter/pii_cases.txt: sentences with real addresses and numbers
// marked [[kind:text]], and lookalikes that must be left alone: sections,
// versions, ISBNs, dates, prices, file names). A found span counts as right
// only when kind and bytes match a marked one exactly (an address that
// swallows a glued word is a false positive and a miss).
// Usage: pii_eval [cases file] [--show]   (--show prints every error)
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "winnow/pii.h"

namespace {

const char* KindName(winnow::PiiKind k) {
  switch (k) {
    case winnow::PiiKind::kEmail: return "email";
    case winnow::PiiKind::kIpAddress: return "ip";
    case winnow::PiiKind::kPhone: return "phone";
    case winnow::PiiKind::kCardNumber: return "card";
  }
  return "?";
}

struct Gold {
  std::string kind;
  size_t begin, end;
  bool operator<(const Gold& o) const {
    return std::tie(kind, begin, end) < std::tie(o.kind, o.begin, o.end);
  }
};

// Strips the [[kind:text]] marks of one line into *text and *gold.
bool Parse(const std::string& line, std::string* text, std::vector<Gold>* gold) {
  text->clear();
  gold->clear();
  size_t i = 0;
  while (i < line.size()) {
    size_t open = line.find("[[", i);
    if (open == std::string::npos) {
      text->append(line, i, std::string::npos);
      break;
    }
    text->append(line, i, open - i);
    size_t colon = line.find(':', open);
    size_t close = line.find("]]", open);
    if (colon == std::string::npos || close == std::string::npos || colon > close) return false;
    std::string kind = line.substr(open + 2, colon - open - 2);
    size_t b = text->size();
    text->append(line, colon + 1, close - colon - 1);
    gold->push_back({kind, b, text->size()});
    i = close + 2;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = WINNOW_SOURCE_DIR "/bench/filter/pii_cases.txt";
  bool show = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--show") show = true;
    else path = a;
  }
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "pii_eval: cannot read %s\n", path.c_str());
    return 1;
  }
  const std::vector<std::string> kinds = {"email", "ip", "phone", "card"};
  std::map<std::string, int> tp, fp, fn, gold_n;
  int lines = 0, clean_lines = 0, clean_touched = 0;
  std::string line, text;
  std::vector<Gold> gold;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty() || line[0] == '#') continue;
    if (!Parse(line, &text, &gold)) {
      std::fprintf(stderr, "pii_eval: %s:%d: bad [[kind:text]] mark\n", path.c_str(), lineno);
      return 1;
    }
    ++lines;
    std::set<Gold> want(gold.begin(), gold.end()), got;
    for (const auto& m : winnow::FindPii(text, winnow::PiiOptions())) {
      got.insert({KindName(m.kind), m.begin, m.end});
    }
    for (const Gold& g : want) gold_n[g.kind]++;
    if (want.empty()) {
      ++clean_lines;
      clean_touched += !got.empty();
    }
    for (const Gold& g : got) {
      if (want.count(g)) {
        tp[g.kind]++;
      } else {
        fp[g.kind]++;
        if (show) {
          std::printf("FP %-5s %s\n      in: %s\n", g.kind.c_str(),
                      text.substr(g.begin, g.end - g.begin).c_str(), text.c_str());
        }
      }
    }
    for (const Gold& g : want) {
      if (!got.count(g)) {
        fn[g.kind]++;
        if (show) {
          std::printf("FN %-5s %s\n      in: %s\n", g.kind.c_str(),
                      text.substr(g.begin, g.end - g.begin).c_str(), text.c_str());
        }
      }
    }
  }
  std::printf("pii_eval: %s\n%d sentences, %d of them with no address or number (lookalikes); "
              "%d of those touched\n\n",
              path.c_str(), lines, clean_lines, clean_touched);
  std::printf("%-6s %6s %5s %5s %5s %9s %7s\n", "kind", "marked", "tp", "fp", "fn", "precision",
              "recall");
  for (const std::string& k : kinds) {
    double p = tp[k] + fp[k] ? double(tp[k]) / (tp[k] + fp[k]) : 1.0;
    double r = gold_n[k] ? double(tp[k]) / gold_n[k] : 1.0;
    std::printf("%-6s %6d %5d %5d %5d %9.3f %7.3f\n", k.c_str(), gold_n[k], tp[k], fp[k], fn[k], p,
                r);
  }
  return 0;
}
