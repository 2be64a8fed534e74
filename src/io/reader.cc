// OpenReader and ListInputs: choosing a reader for a path.
#include "winnow/reader.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "io/reader_internal.h"

namespace winnow {

std::string ReadError::ToString() const {
  return file + ":record " + std::to_string(record) + " (byte " + std::to_string(offset) + "): " + message;
}

namespace {

bool EndsWith(std::string_view s, std::string_view suf) {
  return s.size() >= suf.size() && s.substr(s.size() - suf.size()) == suf;
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// The format from the name, after stripping .gz/.zst; "" when unknown.
std::string FormatFromName(const std::string& path) {
  std::string p = Lower(std::filesystem::path(path).filename().string());
  for (const char* z : {".gz", ".zst", ".zstd"}) {
    if (EndsWith(p, z)) {
      p.resize(p.size() - std::string_view(z).size());
      break;
    }
  }
  if (EndsWith(p, ".wet") || EndsWith(p, ".warc.wet")) return "wet";
  if (EndsWith(p, ".warc") || EndsWith(p, ".arc.warc")) return "warc";
  if (EndsWith(p, ".jsonl") || EndsWith(p, ".ndjson") || EndsWith(p, ".json")) return "jsonl";
  if (EndsWith(p, ".html") || EndsWith(p, ".htm") || EndsWith(p, ".xhtml")) return "html";
  if (EndsWith(p, ".txt") || EndsWith(p, ".text")) return "text";
  return "";
}

// The format from the first decompressed bytes; "" when unsure.
std::string SniffFormat(std::string_view head) {
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  size_t i = 0;
  while (i < head.size() && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) ++i;
  head.remove_prefix(i);
  if (head.substr(0, 7) == "WARC/1.") return "warc";
  if (!head.empty() && head[0] == '{') return "jsonl";
  if (!head.empty() && head[0] == '<') return "html";
  return "text";
}

}  // namespace

StatusOr<std::unique_ptr<Reader>> OpenReader(const std::string& path, const ReaderOptions& options) {
  std::string format = Lower(options.format);
  static const char* kKnown[] = {"auto", "warc", "wet", "jsonl", "html", "text"};
  if (std::find(std::begin(kKnown), std::end(kKnown), format) == std::end(kKnown)) {
    return Status::InvalidArgument("unknown input format '" + options.format +
                                   "' (use auto, warc, wet, jsonl, html or text)");
  }
  auto stream = io::InputStream::Open(path);
  if (!stream.ok()) return stream.status();
  auto in = std::make_unique<io::BufferedInput>(std::move(stream.value()));
  if (format == "auto") format = FormatFromName(path);
  if (format.empty()) {
    std::string_view head = in->Peek();
    if (in->has_error()) {
      Status st = in->TakeError();
      return Status::Corrupt(st.message() + " (while detecting the format; give it with the format option)");
    }
    format = SniffFormat(head);
  }
  if (format == "warc" || format == "wet") return io::NewWarcReader(path, std::move(in), options);
  if (format == "jsonl") return io::NewJsonlReader(path, std::move(in), options);
  if (format == "html") return io::NewFileReader(path, std::move(in), options, DocKind::kHtml);
  return io::NewFileReader(path, std::move(in), options, DocKind::kText);
}

StatusOr<std::vector<std::string>> ListInputs(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    if (p == "-") {
      out.push_back(p);
      continue;
    }
    std::error_code ec;
    auto st = std::filesystem::status(p, ec);
    if (ec || !std::filesystem::exists(st)) {
      return Status::NotFound(p + ": no such file or folder (check the path)");
    }
    if (!std::filesystem::is_directory(st)) {
      out.push_back(p);
      continue;
    }
    std::vector<std::string> found;
    std::filesystem::recursive_directory_iterator it(
        p, std::filesystem::directory_options::skip_permission_denied, ec);
    if (ec) return Status::IoError(p + ": cannot list folder: " + ec.message());
    for (auto end = std::filesystem::recursive_directory_iterator(); it != end; it.increment(ec)) {
      if (ec) return Status::IoError(p + ": cannot list folder: " + ec.message());
      const std::string name = it->path().filename().string();
      if (!name.empty() && name[0] == '.') {
        // Hidden files and folders (.git, editor swap files) are not input.
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      // Every other entry is input: a regular file is read; a dangling
      // link, FIFO, socket or device fails to open and is counted as one
      // unreadable record with its path, so nothing is skipped silently.
      if (it->is_directory(ec)) continue;
      found.push_back(it->path().string());
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

}  // namespace winnow
