// Readers: stream Documents out of WARC, WET, JSONL, HTML and text files.
//
// A reader is chosen by file extension (after stripping .gz / .zst) or by
// ReaderOptions::format. Every record leaves the reader as valid UTF-8
// (bad sequences replaced by U+FFFD and counted). A record that cannot be
// read is reported as kUnreadable with its file, record number and byte
// offset; the reader then resynchronises and the caller may go on.
//
// Thread-safety: one Reader is used by one thread at a time.
#ifndef WINNOW_READER_H_
#define WINNOW_READER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "winnow/document.h"
#include "winnow/status.h"

namespace winnow {

struct ReaderOptions {
  // "auto" (by extension), "warc", "wet", "jsonl", "html", "text".
  std::string format = "auto";
  // JSONL field names. A record with `html_field` becomes an HTML document,
  // otherwise one with `text_field` a text document.
  std::string id_field = "id";
  std::string url_field = "url";
  std::string text_field = "text";
  std::string html_field = "html";
  // A record (WARC record, JSONL line, HTML/text file) larger than this is
  // reported as kUnreadable and skipped without being loaded whole.
  uint64_t max_record_bytes = 64ull << 20;
  // WARC: also turn `response`/`resource` records whose content type is
  // neither HTML nor text (images, PDF...) into documents. Off: they are
  // skipped and counted in records_skipped.
  bool keep_other_content_types = false;
};

struct ReadError {
  std::string file;
  uint64_t record = 0;
  uint64_t offset = 0;
  std::string message;  // what is wrong and what to do
  std::string ToString() const;  // "file:record N (byte B): message"
};

struct ReaderCounters {
  uint64_t records_skipped = 0;        // WARC records of other types (request, metadata...)
  uint64_t invalid_utf8_replaced = 0;  // bad byte sequences replaced by U+FFFD
  uint64_t records_read = 0;           // records seen: documents + unreadable
  uint64_t charset_converted = 0;      // documents decoded from a charset other than UTF-8
};

// A record cut from the input but not parsed yet (Reader::NextRecord).
struct RawRecord {
  std::string bytes;    // the record as read (a JSONL line), owned
  uint64_t record = 0;  // as Provenance::record / offset
  uint64_t offset = 0;
};

class Reader {
 public:
  enum class Result { kDocument, kUnreadable, kEnd };
  virtual ~Reader() = default;
  // kDocument: *doc is overwritten with the next record. kUnreadable: *error
  // says why; call Next again to go on. kEnd: the input is exhausted.
  virtual Result Next(Document* doc, ReadError* error) = 0;

  // Next() in two steps, for a driver whose reading thread must do only
  // the serial part: NextRecord() decompresses and cuts the next record
  // (kDocument: *rec holds it; kUnreadable and kEnd as from Next), and
  // ParseRecord() turns it into the document as Next() would have (same
  // document, same errors). ParseRecord is const and thread-safe: several
  // threads may parse records while NextRecord goes on; it adds the bad
  // sequences it replaced to *utf8_replaced (not to counters()). Readers
  // that do not split say so here, and are read with Next().
  virtual bool SplitsRecords() const { return false; }
  virtual Result NextRecord(RawRecord* rec, ReadError* error) {
    (void)rec;
    (void)error;
    return Result::kEnd;
  }
  virtual Result ParseRecord(const RawRecord& rec, Document* doc, ReadError* error,
                             uint64_t* utf8_replaced) const {
    (void)rec;
    (void)doc;
    (void)error;
    (void)utf8_replaced;
    return Result::kEnd;
  }
  // Bytes consumed from the underlying file (compressed), and its size (0
  // when unknown, e.g. stdin): for progress reports.
  virtual uint64_t bytes_consumed() const = 0;
  virtual uint64_t total_bytes() const = 0;
  virtual const ReaderCounters& counters() const = 0;
};

// Opens one file ("-" for stdin). Fails if the file cannot be opened or the
// format cannot be decided.
StatusOr<std::unique_ptr<Reader>> OpenReader(const std::string& path,
                                             const ReaderOptions& options);

// Expands files and folders (recursively) into the sorted list of input files.
StatusOr<std::vector<std::string>> ListInputs(const std::vector<std::string>& paths);

// What a reader of winnow JSONL shards does with a record it cannot read.
enum class DamagedRecords {
  // An error (Corrupt, naming the file and record): for files a run wrote
  // itself (the corpus steps' work files), whose damage must stop the pass.
  kStop,
  // Skipped and counted (ShardReader::skipped(), last_skipped()); the caller
  // reports the count (dedup's figures, a Python warning).
  kSkip,
};

// The one reader of winnow JSONL shards (the corpus steps, dedup's passes,
// Python's read_documents): the documents of `shards`, one file after
// another, in order, with an explicit policy for damaged records.
// Not thread-safe; one object per thread.
class ShardReader {
 public:
  // Opens the first shard (an error when it cannot be opened); the others
  // are opened when reached. `on_skipped` (may be empty) is called with each
  // record skipped (kSkip), e.g. to report it with its file and offset.
  static StatusOr<std::unique_ptr<ShardReader>> Open(
      std::vector<std::string> shards, DamagedRecords policy,
      std::function<void(const ReadError&)> on_skipped = {});
  // true: the next document is in *doc. false: the end. An error when a
  // later shard cannot be opened or (kStop) a record is damaged.
  StatusOr<bool> Next(Document* doc);
  uint64_t skipped() const { return skipped_; }
  // The last record skipped (kSkip), for the caller's report.
  const ReadError& last_skipped() const { return last_skipped_; }

 private:
  ShardReader(std::vector<std::string> shards, DamagedRecords policy,
              std::function<void(const ReadError&)> on_skipped)
      : shards_(std::move(shards)), policy_(policy), on_skipped_(std::move(on_skipped)) {}
  Status OpenNext();

  std::vector<std::string> shards_;
  DamagedRecords policy_;
  std::function<void(const ReadError&)> on_skipped_;
  size_t next_shard_ = 0;
  std::unique_ptr<Reader> reader_;
  uint64_t skipped_ = 0;
  ReadError last_skipped_;
};

// Calls fn(doc) for every document of `shards` (a ShardReader with
// `policy`), in order, and stops at the first non-OK Status fn returns.
Status ForEachShardDocument(const std::vector<std::string>& shards, DamagedRecords policy,
                            const std::function<Status(Document&)>& fn);

}  // namespace winnow

#endif  // WINNOW_READER_H_
