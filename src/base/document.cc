#include "winnow/document.h"

namespace winnow {

const char* BlockKindName(BlockKind k) {
  switch (k) {
    case BlockKind::kTitle: return "title";
    case BlockKind::kHeading: return "heading";
    case BlockKind::kParagraph: return "paragraph";
    case BlockKind::kListItem: return "list_item";
    case BlockKind::kTable: return "table";
    case BlockKind::kCode: return "code";
    case BlockKind::kQuote: return "quote";
    case BlockKind::kOther: return "other";
  }
  return "other";
}

std::string Document::Text() const {
  std::string out;
  TextInto(&out);
  return out;
}

size_t Document::TextSize() const {
  size_t n = 0;
  for (const Block& b : blocks) {
    if (!b.keep) continue;
    if (n > 0) ++n;  // the '\n' TextInto puts before a block after text
    n += b.text.size();
  }
  return n;
}

void Document::TextInto(std::string* out) const {
  out->clear();
  for (const Block& b : blocks) {
    if (!b.keep) continue;
    if (!out->empty()) out->push_back('\n');
    *out += b.text;
  }
}

void Document::SetTextLines(std::string_view text) {
  blocks.clear();
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!(nl == text.size() && line.empty() && start == text.size() && start != 0)) {
      Block b;
      b.text = std::string(line);
      blocks.push_back(std::move(b));
    }
    start = nl + 1;
  }
  // A trailing newline does not make an extra empty line; an empty text has no lines.
  if (text.empty()) blocks.clear();
}

void Document::Reject(std::string stage, std::string reason, std::string detail) {
  decision.keep = false;
  decision.stage = std::move(stage);
  decision.reason = std::move(reason);
  decision.detail = std::move(detail);
}

}  // namespace winnow
