// Classifier: loading a fastText model (checked, shared per process),
// normalising text and predicting. fastText throws on bad files; nothing it
// throws leaves this file.
#include "winnow/classifier.h"

#include <sys/stat.h>

#include <fasttext/fasttext.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <algorithm>
#include <cstdio>
#include <tuple>
#include <vector>
#include <istream>
#include <map>
#include <mutex>
#include <new>
#include <streambuf>

namespace winnow {
namespace {

// fastText's file header (fasttext.cc: FASTTEXT_FILEFORMAT_MAGIC_INT32 and
// FASTTEXT_VERSION) and the offsets of Args::save's first fields.
constexpr int32_t kMagic = 793712314;
constexpr int32_t kVersion = 12;

// Read-only stream over a string without copying it (fastText's Dictionary
// reads words from an istream).
class ViewBuf : public std::streambuf {
 public:
  explicit ViewBuf(std::string_view s) {
    char* p = const_cast<char*>(s.data());
    setg(p, p, p + s.size());
  }
};

// A file stream that reads zero bytes past the end of the file and
// remembers that it did. fastText's Dictionary::load reads each word with
// `while ((c = in.get()) != 0)`, which never ends on a truncated file (EOF
// is not 0); with zeros past the end every loop ends and the overrun says
// the file was truncated.
class ZeroPadFileBuf : public std::streambuf {
 public:
  explicit ZeroPadFileBuf(FILE* f) : f_(f), buf_(1 << 20) {}
  bool overrun() const { return overrun_; }
  // True when every byte of the file was consumed and nothing more.
  bool AtEnd() {
    if (overrun_) return false;
    if (gptr() < egptr()) return false;
    return std::fgetc(f_) == EOF;
  }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    size_t n = overrun_ ? 0 : std::fread(buf_.data(), 1, buf_.size(), f_);
    if (n == 0) {
      overrun_ = true;
      std::fill(buf_.begin(), buf_.end(), 0);
      n = buf_.size();
    }
    setg(buf_.data(), buf_.data(), buf_.data() + n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  FILE* f_;
  std::vector<char> buf_;
  bool overrun_ = false;
};

// The protected header check and the stream loader of fastText, so that the
// stream can be checked for truncation after loading (FastText::loadModel
// with a file name drops its stream and accepts a truncated file silently:
// the missing weights read as zeros).
class Loader : public fasttext::FastText {
 public:
  bool CheckHeader(std::istream& in) { return checkModel(in); }
};

// Size of a UTF-8 sequence from its lead byte (1 for stray bytes).
inline size_t Utf8Len(unsigned char c) {
  if (c < 0xC0) return 1;
  if (c < 0xE0) return 2;
  if (c < 0xF0) return 3;
  return 4;
}

struct CacheKey {
  std::string path;
  int64_t size, mtime_ns, inode;
  bool operator<(const CacheKey& o) const {
    return std::tie(path, size, mtime_ns, inode) < std::tie(o.path, o.size, o.mtime_ns, o.inode);
  }
};

std::mutex& CacheMutex() {
  static std::mutex* mu = new std::mutex();
  return *mu;
}

std::map<CacheKey, std::weak_ptr<const Classifier>>& Cache() {
  static auto* cache = new std::map<CacheKey, std::weak_ptr<const Classifier>>();
  return *cache;
}

}  // namespace

std::string NormalizeClassifierText(std::string_view text, int64_t max_chars) {
  if (max_chars > 0) {
    size_t i = 0;
    int64_t n = 0;
    while (i < text.size() && n < max_chars) {
      i += Utf8Len(static_cast<unsigned char>(text[i]));
      ++n;
    }
    text = text.substr(0, std::min(i, text.size()));
  }
  std::string out;
  out.reserve(text.size() + 1);
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      out.push_back(' ');
    } else if (c == '_' && text.compare(i, kFastTextLabelPrefix.size(), kFastTextLabelPrefix) == 0) {
      out += "_label_";  // "__label__x" in the text would be read as a label
      i += kFastTextLabelPrefix.size() - 1;
    } else {
      out.push_back(c);
    }
  }
  out.push_back('\n');
  return out;
}

struct Classifier::Impl {
  Loader model;
  std::shared_ptr<const fasttext::Dictionary> dict;
  int32_t nlabels = 0;
};

Classifier::Classifier() : impl_(new Impl()) {}
Classifier::~Classifier() = default;

int Classifier::dimension() const { return impl_->model.getDimension(); }
bool Classifier::quantized() const { return impl_->model.isQuant(); }
int64_t Classifier::words() const { return impl_->dict->nwords(); }

int Classifier::LabelIndex(std::string_view label) const {
  if (label.substr(0, kFastTextLabelPrefix.size()) == kFastTextLabelPrefix) {
    label.remove_prefix(kFastTextLabelPrefix.size());
  }
  for (size_t i = 0; i < labels_.size(); ++i) {
    if (labels_[i] == label) return static_cast<int>(i);
  }
  return -1;
}

StatusOr<std::shared_ptr<const Classifier>> Classifier::Load(const std::string& path) {
  auto bad = [&path](const std::string& why) {
    return Status::Corrupt("classifier model '" + path + "': " + why);
  };
  if (path.empty()) return Status::InvalidArgument("no classifier model given (the `model` key)");
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return Status::NotFound("classifier model '" + path + "': " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) return bad("not a regular file");
  const CacheKey key{path, static_cast<int64_t>(st.st_size),
                     static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
                     static_cast<int64_t>(st.st_ino)};
  // One load per file: concurrent callers wait for the first (the lock is
  // held while loading; loads are rare, at start-up).
  std::lock_guard<std::mutex> lock(CacheMutex());
  auto& cache = Cache();
  for (auto it = cache.begin(); it != cache.end();) {
    it = it->second.expired() ? cache.erase(it) : std::next(it);
  }
  if (auto it = cache.find(key); it != cache.end()) {
    if (std::shared_ptr<const Classifier> c = it->second.lock()) return c;
  }

  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!file) return Status::IoError("classifier model '" + path + "': cannot be opened: " + std::strerror(errno));
  // The header first, to say what is wrong in words fastText does not use
  // and to refuse sizes that would make fastText allocate without bound:
  // magic, version, the 12 int32 and 1 double of Args, then the dictionary's
  // size, nwords, nlabels (int32), ntokens, pruneidx_size (int64).
  unsigned char h[92];
  if (std::fread(h, 1, sizeof h, file.get()) != sizeof h) {
    return bad("too short to be a fastText model (" + std::to_string(st.st_size) + " bytes)");
  }
  auto i32 = [&h](size_t at) {
    int32_t v;
    std::memcpy(&v, h + at, 4);
    return v;
  };
  auto i64 = [&h](size_t at) {
    int64_t v;
    std::memcpy(&v, h + at, 8);
    return v;
  };
  if (i32(0) != kMagic) return bad("not a fastText model (wrong magic number)");
  if (i32(4) > kVersion || i32(4) < 11) {
    return bad("fastText format version " + std::to_string(i32(4)) + " (this library reads 11-12)");
  }
  const int32_t dim = i32(8), model_kind = i32(36), dict_size = i32(64), nwords = i32(68),
                nlabels = i32(72);
  const int64_t prune_size = i64(84);
  if (model_kind != static_cast<int32_t>(fasttext::model_name::sup)) {
    return bad(model_kind == 1 || model_kind == 2 ? "a word-vector model, not a supervised classifier"
                                                  : "corrupt header (model kind " + std::to_string(model_kind) + ")");
  }
  if (dim <= 0 || dim > 100000) return bad("corrupt header (dimension " + std::to_string(dim) + ")");
  // Each dictionary entry takes at least 10 bytes (a word, its 0, an int64
  // count, a type byte), each pruned index 8.
  if (dict_size < 0 || nwords < 0 || nlabels < 0 || int64_t{nwords} + nlabels != dict_size ||
      prune_size < -1) {
    return bad("corrupt dictionary header (" + std::to_string(dict_size) + " entries)");
  }
  if (int64_t{dict_size} * 10 + std::max<int64_t>(prune_size, 0) * 8 > st.st_size) {
    return bad("truncated or corrupt dictionary header (" + std::to_string(dict_size) +
               " entries do not fit in " + std::to_string(st.st_size) + " bytes)");
  }
  if (nlabels == 0) return bad("a model without labels");
  std::rewind(file.get());

  std::shared_ptr<Classifier> c(new Classifier());
  c->path_ = path;
  ZeroPadFileBuf buf(file.get());
  std::istream in(&buf);
  try {
    if (!c->impl_->model.CheckHeader(in)) return bad("not a fastText model (wrong magic number)");
    c->impl_->model.loadModel(in);
    if (buf.overrun() || !in) return bad("truncated (the file ends before the model does)");
    if (!buf.AtEnd()) return bad("corrupt (bytes after the end of the model)");
    if (c->impl_->model.getArgs().model != fasttext::model_name::sup) {
      return bad("a word-vector model, not a supervised classifier");
    }
    c->impl_->dict = c->impl_->model.getDictionary();
  } catch (const std::bad_alloc&) {
    return bad("corrupt (its sizes ask for more memory than there is)");
  } catch (const std::exception& e) {
    return bad(std::string("corrupt (") + e.what() + ")");
  }
  const fasttext::Dictionary& dict = *c->impl_->dict;
  c->impl_->nlabels = dict.nlabels();
  for (int32_t i = 0; i < dict.nlabels(); ++i) {
    std::string l = dict.getLabel(i);
    if (l.compare(0, kFastTextLabelPrefix.size(), kFastTextLabelPrefix) == 0) {
      l.erase(0, kFastTextLabelPrefix.size());
    }
    c->labels_.push_back(std::move(l));
  }
  cache[key] = c;
  return std::shared_ptr<const Classifier>(std::move(c));
}

std::vector<double> Classifier::Predict(std::string_view text, int64_t max_chars) const {
  std::vector<double> scores(labels_.size(), 0.0);
  const std::string line = NormalizeClassifierText(text, max_chars);
  ViewBuf buf(line);
  std::istream in(&buf);
  // Per-thread scratch: the word ids and the predictions of the last call.
  thread_local std::vector<int32_t> words, label_ids;
  thread_local fasttext::Predictions predictions;
  words.clear();
  predictions.clear();
  impl_->dict->getLine(in, words, label_ids);
  if (words.empty()) return scores;
  impl_->model.predict(impl_->nlabels, words, predictions, 0.0);
  for (const auto& [log_prob, id] : predictions) {
    if (id >= 0 && static_cast<size_t>(id) < scores.size()) {
      // fastText stores log(p + 1e-5); exp() gives what its predict prints.
      scores[id] = std::min(1.0, static_cast<double>(std::exp(log_prob)));
    }
  }
  return scores;
}

}  // namespace winnow
