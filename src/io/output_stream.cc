#include "io/output_stream.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace winnow::io {

namespace {
constexpr size_t kBuffer = 1 << 20;
// A compressed file is compressed as it is written, 128 KB at a time (zstd's
// block): with a 1 MB buffer a run whose output is under 1 MB compressed all
// of it in Close(), after every document was done, alone on one core (13 ms
// of scrapinghub's 1 MB of kept text at -t 2, when the workers have finished).
// The compressed stream does not depend on how its input is cut (zstd and
// zlib buffer it to their own blocks), only on its first call: no longer a
// one-shot frame with the content size in its header. Plain files: 1 MB.
constexpr size_t kCompressedFlush = 128 << 10;
}

struct OutputFile::ZState {
  z_stream s{};
  bool init = false;
  ~ZState() {
    if (init) deflateEnd(&s);
  }
};

OutputFile::~OutputFile() {
  Close();
  if (zstd_ != nullptr) ZSTD_freeCCtx(static_cast<ZSTD_CCtx*>(zstd_));
}

StatusOr<std::unique_ptr<OutputFile>> OutputFile::Open(const std::string& path, Compression c,
                                                       int level, bool sync) {
  std::unique_ptr<OutputFile> f(new OutputFile());
  f->path_ = path;
  f->sync_ = sync;
  f->compression_ = c;
  if (path == "-") {
    f->fd_ = 1;
  } else {
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(parent, ec);
      if (ec) return Status::IoError(path + ": cannot create folder " + parent.string() + ": " + ec.message());
    }
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Status::IoError(path + ": cannot create: " + std::strerror(errno));
    f->fd_ = fd;
    f->own_fd_ = true;
  }
  if (c == Compression::kGzip) {
    f->z_ = std::make_unique<ZState>();
    if (deflateInit2(&f->z_->s, level < 0 ? 6 : level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      return Status::Internal("deflateInit2 failed");
    }
    f->z_->init = true;
  } else if (c == Compression::kZstd) {
    auto* cctx = ZSTD_createCCtx();
    if (cctx == nullptr) return Status::Internal("ZSTD_createCCtx failed");
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level < 0 ? 3 : level);
    f->zstd_ = cctx;
  }
  f->in_.reserve(kBuffer);
  return f;
}

Status OutputFile::WriteRaw(const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd_, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return Status::IoError(path_ + ": write error: " + std::strerror(errno));
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return Status::Ok();
}

Status OutputFile::Write(std::string_view data) {
  if (closed_) return Status::InvalidArgument(path_ + ": write after close");
  uncompressed_ += data.size();
  in_.append(data);
  if (in_.size() >= (compression_ == Compression::kNone ? kBuffer : kCompressedFlush)) return Flush(false);
  return Status::Ok();
}

Status OutputFile::Flush(bool finish) {
  if (compression_ == Compression::kNone) {
    Status st = WriteRaw(in_.data(), in_.size());
    in_.clear();
    return st;
  }
  if (!out_) out_.reset(new char[kBuffer]);  // default-initialised: no memset of 1 MB
  if (compression_ == Compression::kGzip) {
    z_stream& s = z_->s;
    s.next_in = reinterpret_cast<Bytef*>(in_.data());
    s.avail_in = static_cast<uInt>(in_.size());
    for (;;) {
      s.next_out = reinterpret_cast<Bytef*>(out_.get());
      s.avail_out = static_cast<uInt>(kBuffer);
      int ret = deflate(&s, finish ? Z_FINISH : Z_NO_FLUSH);
      if (ret == Z_STREAM_ERROR) return Status::Internal(path_ + ": deflate failed");
      Status st = WriteRaw(out_.get(), kBuffer - s.avail_out);
      if (!st.ok()) return st;
      if (finish ? ret == Z_STREAM_END : (s.avail_in == 0 && s.avail_out != 0)) break;
    }
  } else {
    auto* cctx = static_cast<ZSTD_CCtx*>(zstd_);
    ZSTD_inBuffer zin{in_.data(), in_.size(), 0};
    for (;;) {
      ZSTD_outBuffer zout{out_.get(), kBuffer, 0};
      size_t rem = ZSTD_compressStream2(cctx, &zout, &zin, finish ? ZSTD_e_end : ZSTD_e_continue);
      if (ZSTD_isError(rem)) return Status::Internal(path_ + ": zstd: " + ZSTD_getErrorName(rem));
      Status st = WriteRaw(out_.get(), zout.pos);
      if (!st.ok()) return st;
      if (finish ? rem == 0 : zin.pos == zin.size) break;
    }
  }
  in_.clear();
  return Status::Ok();
}

Status OutputFile::Close() {
  if (closed_) return Status::Ok();
  closed_ = true;
  Status st = Flush(true);
  if (own_fd_ && fd_ >= 0) {
    // On disk before the caller renames it to its final name (a file under
    // a final name is complete, also after a power loss), unless the caller
    // syncs it itself. fsync fails with EINVAL on what cannot be synced (a
    // pipe, /dev/null): nothing to do.
    if (st.ok() && sync_ && fsync(fd_) != 0 && errno != EINVAL && errno != EROFS) {
      st = Status::IoError(path_ + ": write error (fsync): " + std::strerror(errno));
    }
    if (close(fd_) != 0 && st.ok()) st = Status::IoError(path_ + ": close failed: " + std::strerror(errno));
    fd_ = -1;
  }
  return st;
}

}  // namespace winnow::io
