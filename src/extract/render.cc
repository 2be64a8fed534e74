// Renderers of an ExtractResult: plain text, Markdown, JSON.
#include <string>
#include <utility>
#include <vector>

#include "base/json_escape.h"
#include "winnow/extract.h"

namespace winnow {

namespace {

// Escapes characters that would start Markdown syntax at the start of a line.
std::string EscapeMarkdownLine(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  if (!s.empty()) {
    const char c = s[0];
    if (c == '#' || c == '>' || c == '-' || c == '+' || c == '*' || c == '|' || c == '`') {
      out.push_back('\\');
    } else if (c >= '0' && c <= '9') {
      size_t i = 0;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      if (i < s.size() && (s[i] == '.' || s[i] == ')')) {
        out.append(s.substr(0, i));
        out.push_back('\\');
        out.append(s.substr(i));
        return out;
      }
    }
  }
  out.append(s);
  return out;
}

std::string TableCellMarkdown(std::string_view cell) {
  std::string out;
  for (char c : cell) {
    if (c == '|') out.append("\\|");
    else out.push_back(c);
  }
  return out;
}

}  // namespace

std::string RenderText(const ExtractResult& result) {
  std::string out;
  for (const Block& b : result.blocks) {
    if (!b.keep) continue;
    if (!out.empty()) out.push_back('\n');
    out += b.text;
  }
  return out;
}

std::string RenderMarkdown(const ExtractResult& result) {
  std::string out;
  int ordinal = 0;
  BlockKind prev = BlockKind::kOther;
  for (size_t i = 0; i < result.blocks.size(); ++i) {
    const Block& b = result.blocks[i];
    if (!b.keep) continue;
    const ExtractedInline* in = i < result.inlines.size() ? &result.inlines[i] : nullptr;
    const std::string& text = (in && !in->markdown.empty()) ? in->markdown : b.text;
    // List items of one list stay together; everything else is a paragraph.
    if (!out.empty()) {
      out += (b.kind == BlockKind::kListItem && prev == BlockKind::kListItem) ? "\n" : "\n\n";
    }
    if (b.kind != BlockKind::kListItem) ordinal = 0;
    switch (b.kind) {
      case BlockKind::kTitle:
        out += "# ";
        out += text;
        break;
      case BlockKind::kHeading: {
        const int level = b.level >= 1 && b.level <= 6 ? b.level : 2;
        out.append(static_cast<size_t>(level), '#');
        out.push_back(' ');
        out += text;
        break;
      }
      case BlockKind::kListItem: {
        const int depth = b.level > 0 ? b.level : 1;
        out.append(static_cast<size_t>(2 * (depth - 1)), ' ');
        if (in && in->ordered) {
          out += std::to_string(++ordinal);
          out += ". ";
        } else {
          out += "- ";
        }
        out += text;
        break;
      }
      case BlockKind::kCode: {
        // A fence longer than any backtick run inside the code.
        size_t run = 0, longest = 0;
        for (char c : b.text) {
          run = c == '`' ? run + 1 : 0;
          longest = std::max(longest, run);
        }
        const std::string fence(std::max<size_t>(3, longest + 1), '`');
        out += fence;
        out.push_back('\n');
        out += b.text;
        out.push_back('\n');
        out += fence;
        break;
      }
      case BlockKind::kQuote: {
        out += "> ";
        for (char c : text) {
          out.push_back(c);
          if (c == '\n') out += "> ";
        }
        break;
      }
      case BlockKind::kTable: {
        // Rows by '\n', cells by '\t'; a header separator after the header
        // row (or after the first row: Markdown tables need one).
        size_t cols = 0;
        std::vector<std::vector<std::string>> rows;
        size_t start = 0;
        while (start <= b.text.size()) {
          size_t nl = b.text.find('\n', start);
          if (nl == std::string::npos) nl = b.text.size();
          std::vector<std::string> cells;
          size_t cs = start;
          while (true) {
            size_t tab = b.text.find('\t', cs);
            if (tab == std::string::npos || tab > nl) tab = nl;
            cells.push_back(TableCellMarkdown(std::string_view(b.text).substr(cs, tab - cs)));
            if (tab == nl) break;
            cs = tab + 1;
          }
          cols = std::max(cols, cells.size());
          rows.push_back(std::move(cells));
          if (nl == b.text.size()) break;
          start = nl + 1;
        }
        for (size_t r = 0; r < rows.size(); ++r) {
          if (r > 0) out.push_back('\n');
          out += "|";
          for (size_t c = 0; c < cols; ++c) {
            out.push_back(' ');
            if (c < rows[r].size()) out += rows[r][c];
            out += " |";
          }
          if (r == 0) {
            out += "\n|";
            for (size_t c = 0; c < cols; ++c) out += " --- |";
          }
        }
        break;
      }
      default:
        out += EscapeMarkdownLine(text);
        break;
    }
    prev = b.kind;
  }
  if (!out.empty()) out.push_back('\n');
  return out;
}

std::string RenderJson(const ExtractResult& result) {
  const PageMetadata& m = result.metadata;
  // Room for the text twice (in "text" and in "blocks") and a little
  // escaping: the output is not copied as it grows.
  size_t room = 256 + m.title.size() + m.date.size() + m.site_name.size() + m.description.size() +
                m.canonical_url.size() + result.reason.size();
  for (const std::string& a : m.authors) room += a.size() + 4;
  for (const Block& b : result.blocks) room += b.keep ? 2 * b.text.size() + b.text.size() / 8 + 48 : 0;
  std::string out;
  out.reserve(room);
  out = "{\"title\":";
  AppendJsonString(m.title, &out);
  out += ",\"authors\":[";
  for (size_t i = 0; i < m.authors.size(); ++i) {
    if (i) out.push_back(',');
    AppendJsonString(m.authors[i], &out);
  }
  out += "],\"date\":";
  AppendJsonString(m.date, &out);
  out += ",\"site_name\":";
  AppendJsonString(m.site_name, &out);
  out += ",\"description\":";
  AppendJsonString(m.description, &out);
  out += ",\"language\":";
  AppendJsonString(m.language, &out);
  out += ",\"canonical_url\":";
  AppendJsonString(m.canonical_url, &out);
  out += ",\"text\":";
  // The text is RenderText's join of the kept blocks by '\n'. Each block is
  // escaped once, in place in the text, and the blocks below copy their
  // escaped text from there: escaping (and the repair of invalid UTF-8, one
  // U+FFFD per maximal invalid subpart, which never spans a '\n') works
  // byte by byte, so the escape of the join is the join of the escapes.
  std::vector<std::pair<size_t, size_t>> escaped;  // each kept block's, in out
  escaped.reserve(result.blocks.size());
  bool text_so_far = false;  // RenderText's output not empty
  for (const Block& b : result.blocks) {
    if (!b.keep) continue;
    const bool after = !escaped.empty();
    if (after && text_so_far) {
      out.back() = '\\';  // the last block's closing quote, then 'n' below
    } else if (after) {
      out.resize(out.size() - 2);  // only empty blocks so far: their ""
    }
    const size_t at = out.size();
    AppendJsonString(b.text, &out);
    if (after && text_so_far) out[at] = 'n';
    escaped.emplace_back(at + 1, out.size() - at - 2);
    text_so_far = text_so_far || !b.text.empty();
  }
  if (escaped.empty()) out += "\"\"";
  out += ",\"blocks\":[";
  size_t k = 0;
  for (const Block& b : result.blocks) {
    if (!b.keep) continue;
    if (k > 0) out.push_back(',');
    out += "{\"kind\":";
    AppendJsonString(BlockKindName(b.kind), &out);
    out += ",\"text\":\"";
    out.append(out, escaped[k].first, escaped[k].second);
    out.push_back('"');
    ++k;
    out += ",\"level\":";
    out += std::to_string(b.level);
    out.push_back('}');
  }
  out += "],\"reason\":";
  AppendJsonString(result.reason, &out);
  out.push_back('}');
  return out;
}

std::string Render(const ExtractResult& result, const ExtractOptions& options) {
  switch (options.format) {
    case ExtractFormat::kMarkdown: return RenderMarkdown(result);
    case ExtractFormat::kJson: return RenderJson(result);
    case ExtractFormat::kText: break;
  }
  return RenderText(result);
}

}  // namespace winnow
