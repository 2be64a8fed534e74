// Status and StatusOr<T>: how every public winnow function reports failure.
//
// A Status is either OK or carries a code and a message meant for a person
// ("file x.warc.gz, record 12 at byte 40960: Content-Length 900 past end of
// file; the record is skipped"). No exception crosses the public API.
// Rejecting a document (too short, duplicate, ...) is NOT an error: it is a
// Decision on the document (see document.h).
//
// Thread-safety: value types, safe to copy between threads.
#ifndef WINNOW_STATUS_H_
#define WINNOW_STATUS_H_

#include <optional>
#include <string>
#include <utility>

namespace winnow {

class Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,  // bad usage or configuration
    kNotFound,         // a file or key that does not exist
    kIoError,          // read/write failure
    kCorrupt,          // input that cannot be parsed (bad record, bad gzip)
    kUnsupported,      // a format or option this build does not handle
    kInternal,
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return Status(Code::kInvalidArgument, std::move(m)); }
  static Status NotFound(std::string m) { return Status(Code::kNotFound, std::move(m)); }
  static Status IoError(std::string m) { return Status(Code::kIoError, std::move(m)); }
  static Status Corrupt(std::string m) { return Status(Code::kCorrupt, std::move(m)); }
  static Status Unsupported(std::string m) { return Status(Code::kUnsupported, std::move(m)); }
  static Status Internal(std::string m) { return Status(Code::kInternal, std::move(m)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "corrupt: <message>", or "OK".
  std::string ToString() const;

 private:
  Status(Code c, std::string m) : code_(c), message_(std::move(m)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Either a value or a non-OK Status.
template <typename T>
class StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  StatusOr(Status status) : status_(std::move(status)) {}  // NOLINT
  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  // REQUIRES: ok()
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace winnow

#endif  // WINNOW_STATUS_H_
