#include "io/input_stream.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <isa-l/igzip_lib.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace winnow::io {

namespace {
constexpr size_t kInBuffer = 256 * 1024;
constexpr size_t kOutChunk = 1024 * 1024;
constexpr size_t kMaxMemberStarts = 1 << 16;

// The compression a file's name promises (".gz", ".zst", ".zstd",
// case-insensitive); "" for none.
const char* CompressionFromName(const std::string& path) {
  std::string p = path;
  for (char& c : p) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  auto ends = [&](const char* suf) {
    const size_t n = std::strlen(suf);
    return p.size() >= n && p.compare(p.size() - n, n, suf) == 0;
  };
  if (ends(".gz")) return "gzip";
  if (ends(".zst") || ends(".zstd")) return "zstd";
  return "";
}

// Pipes are read when named on purpose ("-", /dev/stdin, /dev/fd/N of a
// shell's <(...)); a FIFO, socket or device elsewhere (e.g. inside an input
// folder) would block or never end, so it is refused.
bool SpecialFileAllowed(const std::string& path) {
  return path.rfind("/dev/", 0) == 0 || path.rfind("/proc/", 0) == 0;
}
}  // namespace

// gzip members are inflated by ISA-L's igzip (Debian's libisal): 2.2x the
// speed of zlib's inflate on the JSONL and WARC inputs of ../shared (0.045 s
// vs 0.100 s of CPU for scrapinghub.jsonl.gz's 34 MB), CRC and length of
// every member checked as zlib does. The reader thread is the serial part of
// a run (doc/performance.md), so this is what bounds scaling too.
struct InputStream::ZState {
  inflate_state s;
  int pending_error = 0;  // an igzip error to report at the next call
};

namespace {
std::string IgzipMessage(int ret) {
  switch (ret) {
    case ISAL_INVALID_BLOCK: return "invalid deflate block";
    case ISAL_INVALID_SYMBOL: return "invalid deflate symbol";
    case ISAL_INVALID_LOOKBACK: return "invalid distance too far back";
    case ISAL_INVALID_WRAPPER: return "invalid gzip header";
    case ISAL_UNSUPPORTED_METHOD: return "unknown compression method";
    case ISAL_INCORRECT_CHECKSUM: return "incorrect data check";
    case ISAL_NEED_DICT: return "needs a dictionary";
  }
  return "inflate error " + std::to_string(ret);
}
}  // namespace

InputStream::~InputStream() {
  if (own_fd_ && fd_ >= 0) close(fd_);
  if (zstd_ != nullptr) ZSTD_freeDCtx(static_cast<ZSTD_DCtx*>(zstd_));
}

StatusOr<std::unique_ptr<InputStream>> InputStream::Open(const std::string& path) {
  std::unique_ptr<InputStream> in(new InputStream());
  in->path_ = path;
  if (path == "-") {
    in->fd_ = 0;
  } else {
    struct stat pre;
    if (stat(path.c_str(), &pre) == 0 && !S_ISREG(pre.st_mode) && !S_ISDIR(pre.st_mode) &&
        !SpecialFileAllowed(path)) {
      const char* kind = S_ISFIFO(pre.st_mode) ? "a FIFO" : S_ISSOCK(pre.st_mode) ? "a socket" : "a device";
      return Status::InvalidArgument(path + ": not a regular file (" + kind +
                                     "); give a pipe as - or <(...) to read it");
    }
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      int e = errno;
      std::string msg = path + ": cannot open: " + std::strerror(e);
      struct stat link;
      if (e == ENOENT && lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
        return Status::NotFound(path + ": a symbolic link to a missing file (dangling link)");
      }
      if (e == ENOENT) return Status::NotFound(msg + " (check the path)");
      return Status::IoError(msg + " (check the permissions)");
    }
    in->fd_ = fd;
    in->own_fd_ = true;
    struct stat st;
    if (fstat(fd, &st) == 0) {
      if (S_ISDIR(st.st_mode)) {
        return Status::InvalidArgument(path + ": is a folder, not a file (use ListInputs to expand it)");
      }
      if (S_ISREG(st.st_mode)) in->total_bytes_ = static_cast<uint64_t>(st.st_size);
    }
  }
  in->in_.Grow(kInBuffer, 0);
  // Sniff the compression from the first bytes.
  while (in->in_end_ < 4 && in->Refill()) {
  }
  if (!in->read_error_.empty()) return Status::IoError(in->read_error_);
  const auto* b = reinterpret_cast<const unsigned char*>(in->in_.data());
  size_t n = in->in_end_;
  if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b) {
    in->compression_ = Compression::kGzip;
    in->z_ = std::make_unique<ZState>();
    isal_inflate_init(&in->z_->s);
  } else if (n >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd) {
    in->compression_ = Compression::kZstd;
    in->zstd_ = ZSTD_createDCtx();
    if (in->zstd_ == nullptr) return Status::Internal("ZSTD_createDCtx failed");
  }
  // A compressed name over uncompressed bytes is a wrong file (random bytes,
  // a failed download), not text: the name's promise is checked here. An
  // empty file is an empty input.
  const char* named = CompressionFromName(path);
  if (*named && n > 0 && in->compression_ == Compression::kNone) {
    std::string first;
    for (size_t i = 0; i < std::min<size_t>(n, 4); ++i) {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%02x", b[i]);
      first += (i ? " " : "") + std::string(hex);
    }
    const bool gz = std::strcmp(named, "gzip") == 0;
    return Status::Corrupt(path + ": named ." + (gz ? "gz" : "zst") + " but not " + named +
                           " data (it starts with " + first + ", not the " + named + " magic bytes " +
                           (gz ? "1f 8b" : "28 b5 2f fd") + ")");
  }
  return in;
}

bool InputStream::Refill() {
  if (file_eof_) return false;
  // The last kKeepBehind consumed bytes stay in front of in_pos_: igzip loads
  // input 8 bytes at a time and, when a member ends, gives back the bytes it
  // loaded but did not use (moving next_in back), which may be bytes an
  // earlier call consumed.
  constexpr size_t kKeepBehind = 16;
  if (in_pos_ > kKeepBehind) {
    const size_t from = in_pos_ - kKeepBehind;
    std::memmove(in_.data(), in_.data() + from, in_end_ - from);
    in_end_ -= from;
    in_pos_ = kKeepBehind;
  }
  if (in_end_ == in_.size()) return true;
  for (;;) {
    ssize_t got = read(fd_, in_.data() + in_end_, in_.size() - in_end_);
    if (got < 0) {
      if (errno == EINTR) continue;
      read_error_ = path_ + ": read error: " + std::strerror(errno);
      file_eof_ = true;
      return false;
    }
    if (got == 0) {
      file_eof_ = true;
      return false;
    }
    in_end_ += static_cast<size_t>(got);
    file_consumed_ += static_cast<uint64_t>(got);  // bytes read from the file
    return true;
  }
}

void InputStream::NoteMemberStart(uint64_t produced_in_call) {
  ++members_;
  uint64_t compressed = file_consumed_ - (in_end_ - in_pos_);
  if (member_starts_.size() >= kMaxMemberStarts) member_starts_.pop_front();
  member_starts_.emplace_back(produced_ + produced_in_call, compressed);
}

bool InputStream::MemberStartAt(uint64_t d, uint64_t* compressed) {
  while (!member_starts_.empty() && member_starts_.front().first < d) member_starts_.pop_front();
  bool found = false;
  for (const auto& [dec, comp] : member_starts_) {
    if (dec != d) break;
    *compressed = comp;
    found = true;
  }
  return found;
}

size_t InputStream::Read(char* buf, size_t n, Status* error) {
  *error = Status::Ok();
  if (n == 0) return 0;
  size_t got = 0;
  switch (compression_) {
    case Compression::kNone: got = ReadPlain(buf, n, error); break;
    case Compression::kGzip: got = ReadGzip(buf, n, error); break;
    case Compression::kZstd: got = ReadZstd(buf, n, error); break;
  }
  if (got == 0 && error->ok() && !read_error_.empty()) {
    *error = Status::IoError(read_error_);
    read_error_.clear();
  }
  return got;
}

size_t InputStream::ReadPlain(char* buf, size_t n, Status*) {
  if (in_pos_ == in_end_ && !Refill()) return 0;
  size_t take = std::min(n, in_end_ - in_pos_);
  std::memcpy(buf, in_.data() + in_pos_, take);
  in_pos_ += take;
  produced_ += take;
  return take;
}

bool InputStream::SkipToMagic() {
  const char* magic = compression_ == Compression::kGzip ? "\x1f\x8b\x08" : "\x28\xb5\x2f\xfd";
  size_t mlen = compression_ == Compression::kGzip ? 3 : 4;
  if (in_pos_ < in_end_) ++in_pos_;  // never find the broken member again
  for (;;) {
    std::string_view hay(in_.data() + in_pos_, in_end_ - in_pos_);
    size_t at = hay.find(std::string_view(magic, mlen));
    if (at != std::string_view::npos) {
      in_pos_ += at;
      return true;
    }
    // Keep a possible partial magic at the end.
    if (in_end_ - in_pos_ >= mlen) in_pos_ = in_end_ - (mlen - 1);
    if (!Refill()) {
      in_pos_ = in_end_;
      return false;
    }
  }
}

size_t InputStream::ReadGzip(char* buf, size_t n, Status* error) {
  if (ended_) return 0;
  inflate_state& s = z_->s;
  size_t produced = 0;
  // After an igzip error: give back the input igzip holds unread (it loads
  // 8 bytes at a time, so it may hold the start of the next member), then
  // go on at the next member: right there after a bad CRC or length (the
  // member's data ended), else at the next gzip magic.
  auto resync = [&](int ret) {
    const size_t unread = s.read_in_length > 0 ? static_cast<size_t>(s.read_in_length) / 8 : 0;
    in_pos_ -= std::min(unread, in_pos_);
    // Never back to (or before) the broken member's first byte, so that the
    // search below cannot find the same member again.
    const uint64_t at = file_consumed_ - (in_end_ - in_pos_);
    if (at <= member_start_) {
      const uint64_t ahead = member_start_ + 1 - at;
      in_pos_ = std::min(in_end_, in_pos_ + static_cast<size_t>(ahead));
    }
    s.read_in_length = 0;
    s.read_in = 0;
    member_open_ = false;
    if (ret != ISAL_INCORRECT_CHECKSUM && !SkipToMagic()) ended_ = true;
  };
  if (z_->pending_error != 0) {
    // The member broke after delivering bytes (last call): report it now.
    const int ret = z_->pending_error;
    z_->pending_error = 0;
    uint64_t at = file_consumed_ - (in_end_ - in_pos_);
    *error = Status::Corrupt(path_ + ": corrupt gzip data near byte " + std::to_string(at) + " (" +
                             IgzipMessage(ret) + "); skipping to the next gzip member");
    resync(ret);
    return 0;
  }
  while (produced < n) {
    if (!member_open_) {
      if (in_end_ - in_pos_ < 2) Refill();
      if (in_pos_ == in_end_) {
        ended_ = true;
        break;
      }
      const auto* b = reinterpret_cast<const unsigned char*>(in_.data() + in_pos_);
      if (in_end_ - in_pos_ < 2 || b[0] != 0x1f || b[1] != 0x8b) {
        uint64_t at = file_consumed_ - (in_end_ - in_pos_);
        bool zeros = true;  // some tools pad gzip files with zero bytes
        for (size_t i = in_pos_; i < in_end_ && zeros; ++i) zeros = in_.data()[i] == 0;
        if (zeros && file_eof_) {
          in_pos_ = in_end_;
          ended_ = true;
          break;
        }
        if (produced > 0) break;  // report at the break point, next call
        *error = Status::Corrupt(path_ + ": bytes at offset " + std::to_string(at) +
                                 " after a gzip member are not gzip; skipping to the next gzip member");
        if (!SkipToMagic()) ended_ = true;
        return 0;
      }
      NoteMemberStart(produced);
      isal_inflate_reset(&s);
      s.crc_flag = ISAL_GZIP;  // parse the header, check CRC and length
      member_open_ = true;
      member_start_ = file_consumed_ - (in_end_ - in_pos_);
    }
    bool no_input = false;
    if (in_pos_ == in_end_ && !Refill()) no_input = true;
    s.next_in = reinterpret_cast<uint8_t*>(in_.data() + in_pos_);
    s.avail_in = static_cast<uint32_t>(in_end_ - in_pos_);
    s.next_out = reinterpret_cast<uint8_t*>(buf + produced);
    s.avail_out = static_cast<uint32_t>(std::min<size_t>(n - produced, UINT32_MAX));
    const uint32_t avail_out = s.avail_out;
    const size_t pos_before = in_pos_;
    int ret = isal_inflate(&s);
    size_t before = produced;
    // Where igzip stopped is read off next_in, not avail_in: after some
    // errors avail_in is garbage (seen: 2^32 - 1 after an invalid distance,
    // with next_in 7 bytes before the end). A next_in outside the buffer
    // counts as nothing consumed.
    const uintptr_t base = reinterpret_cast<uintptr_t>(in_.data());
    const uintptr_t next = reinterpret_cast<uintptr_t>(s.next_in);
    in_pos_ = next >= base && next - base <= in_end_ ? static_cast<size_t>(next - base) : pos_before;
    produced += avail_out - s.avail_out;
    if (ret >= 0 && s.block_state == ISAL_BLOCK_FINISH) {
      member_open_ = false;
      continue;
    }
    if (ret >= 0) {
      if (no_input && produced == before) {
        if (produced > 0) break;  // report the truncation on the next call
        uint64_t at = file_consumed_;
        *error = Status::Corrupt(path_ + ": truncated gzip stream: the file ends at byte " +
                                 std::to_string(at) +
                                 " inside a gzip member (the file was cut short; re-fetch it, "
                                 "the records before the cut were read)");
        member_open_ = false;
        ended_ = true;
        return 0;
      }
      continue;
    }
    // A corrupt member (bad block, symbol, distance, header or CRC).
    if (produced > 0) {
      // Deliver what was decoded; the broken member is reported next call.
      z_->pending_error = ret;
      produced_ += produced;
      return produced;
    }
    uint64_t at = file_consumed_ - (in_end_ - in_pos_);
    *error = Status::Corrupt(path_ + ": corrupt gzip data near byte " + std::to_string(at) + " (" +
                             IgzipMessage(ret) + "); skipping to the next gzip member");
    resync(ret);
    return 0;
  }
  produced_ += produced;
  return produced;
}

size_t InputStream::ReadZstd(char* buf, size_t n, Status* error) {
  if (ended_) return 0;
  auto* dctx = static_cast<ZSTD_DCtx*>(zstd_);
  size_t produced = 0;
  while (produced < n) {
    if (!frame_open_) {
      if (in_end_ - in_pos_ < 4) Refill();
      if (in_pos_ == in_end_) {
        ended_ = true;
        break;
      }
      NoteMemberStart(produced);
      frame_open_ = true;
    }
    bool no_input = false;
    if (in_pos_ == in_end_ && !Refill()) no_input = true;
    ZSTD_inBuffer zin{in_.data() + in_pos_, in_end_ - in_pos_, 0};
    ZSTD_outBuffer zout{buf, n, produced};
    size_t before = produced;
    size_t ret = ZSTD_decompressStream(dctx, &zout, &zin);
    in_pos_ += zin.pos;
    produced = zout.pos;
    if (ZSTD_isError(ret)) {
      ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only);
      frame_open_ = false;
      uint64_t at = file_consumed_ - (in_end_ - in_pos_);
      Status st = Status::Corrupt(path_ + ": corrupt zstd data near byte " + std::to_string(at) +
                                  " (" + ZSTD_getErrorName(ret) + "); skipping to the next zstd frame");
      if (!SkipToMagic()) ended_ = true;
      if (produced > 0) {
        // The frame is broken: its decoded part is dropped with it.
        produced = 0;
      }
      *error = std::move(st);
      return 0;
    }
    if (ret == 0) {
      frame_open_ = false;
      continue;
    }
    if (no_input && produced == before) {
      if (produced > 0) break;
      *error = Status::Corrupt(path_ + ": truncated zstd stream: the file ends at byte " +
                               std::to_string(file_consumed_) +
                               " inside a zstd frame (the file was cut short; re-fetch it, "
                               "the records before the cut were read)");
      frame_open_ = false;
      ended_ = true;
      return 0;
    }
  }
  produced_ += produced;
  return produced;
}

// ---------------------------------------------------------------------------

void ByteBuffer::Grow(size_t n, size_t keep) {
  if (n <= size_) return;
  std::unique_ptr<char[]> bigger = std::make_unique_for_overwrite<char[]>(n);
  if (keep > 0) std::memcpy(bigger.get(), bytes_.get(), std::min(keep, size_));
  bytes_ = std::move(bigger);
  size_ = n;
}

BufferedInput::BufferedInput(std::unique_ptr<InputStream> in) : in_(std::move(in)) {
  buf_.Grow(kOutChunk, 0);
}

bool BufferedInput::Fill() {
  if (pos_ < end_) return true;
  if (!pending_.ok()) {
    error_ = std::move(pending_);
    pending_ = Status::Ok();
    return false;
  }
  if (eof_) return false;
  pos_ = end_ = 0;
  Status st;
  size_t got = in_->Read(buf_.data(), buf_.size(), &st);
  end_ = got;
  if (!st.ok()) {
    if (got == 0) {
      error_ = std::move(st);
      return false;
    }
    pending_ = std::move(st);
  }
  if (got == 0) {
    eof_ = true;
    return false;
  }
  return true;
}

bool BufferedInput::AtEnd() { return !Fill(); }

bool BufferedInput::ReadLine(std::string_view* line, size_t max_len, bool* too_long) {
  *too_long = false;
  if (!Fill()) return false;
  size_t scan = pos_;
  for (;;) {
    const void* nl = std::memchr(buf_.data() + scan, '\n', end_ - scan);
    if (nl != nullptr) {
      size_t at = static_cast<const char*>(nl) - buf_.data();
      size_t len = at - pos_;
      *line = std::string_view(buf_.data() + pos_, len);
      offset_ += len + 1;
      pos_ = at + 1;
      if (len > max_len) {
        *too_long = true;
        *line = line->substr(0, max_len);
      }
      return true;
    }
    if (end_ - pos_ > max_len) {
      // Too long: discard up to the newline without holding it.
      *too_long = true;
      *line = std::string_view();
      for (;;) {
        const void* nl2 = std::memchr(buf_.data() + pos_, '\n', end_ - pos_);
        if (nl2 != nullptr) {
          size_t at = static_cast<const char*>(nl2) - buf_.data();
          offset_ += at + 1 - pos_;
          pos_ = at + 1;
          return true;
        }
        offset_ += end_ - pos_;
        pos_ = end_;
        if (!Fill()) return !has_error();
      }
    }
    // Need more bytes after end_, keeping [pos_, end_).
    if (!pending_.ok()) {
      error_ = std::move(pending_);
      pending_ = Status::Ok();
      offset_ += end_ - pos_;
      pos_ = end_;
      return false;
    }
    if (pos_ > 0) {
      std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
      end_ -= pos_;
      pos_ = 0;
    }
    if (buf_.size() - end_ < kOutChunk / 4) buf_.Grow(buf_.size() * 2, end_);
    scan = end_;
    Status st;
    size_t got = eof_ ? 0 : in_->Read(buf_.data() + end_, buf_.size() - end_, &st);
    if (!st.ok()) {
      if (got == 0) {
        error_ = std::move(st);
        offset_ += end_ - pos_;
        pos_ = end_;
        return false;
      }
      pending_ = std::move(st);
    }
    if (got == 0) {
      eof_ = true;
      // Last line without a newline.
      size_t len = end_ - pos_;
      *line = std::string_view(buf_.data() + pos_, std::min(len, max_len));
      if (len > max_len) *too_long = true;
      offset_ += len;
      pos_ = end_;
      return len > 0;
    }
    end_ += got;
  }
}

size_t BufferedInput::Read(size_t n, std::string* out) {
  size_t done = 0;
  while (done < n) {
    if (!Fill()) break;
    size_t take = std::min(n - done, end_ - pos_);
    out->append(buf_.data() + pos_, take);
    pos_ += take;
    offset_ += take;
    done += take;
  }
  return done;
}

uint64_t BufferedInput::Skip(uint64_t n) {
  uint64_t done = 0;
  while (done < n) {
    if (!Fill()) break;
    size_t take = static_cast<size_t>(std::min<uint64_t>(n - done, end_ - pos_));
    pos_ += take;
    offset_ += take;
    done += take;
  }
  return done;
}

void BufferedInput::Unread(std::string_view data) {
  if (data.empty()) return;
  if (pos_ >= data.size()) {
    pos_ -= data.size();
    std::memcpy(buf_.data() + pos_, data.data(), data.size());
  } else {
    // Not room in front: the data, then what was buffered, at the start.
    const size_t held = end_ - pos_;
    ByteBuffer nb;
    nb.Grow(std::max(buf_.size(), data.size() + held), 0);
    std::memcpy(nb.data(), data.data(), data.size());
    if (held > 0) std::memcpy(nb.data() + data.size(), buf_.data() + pos_, held);
    end_ = data.size() + held;
    pos_ = 0;
    std::swap(buf_, nb);
  }
  offset_ -= data.size();
}

}  // namespace winnow::io
