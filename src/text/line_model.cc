// LineModel (text form, embedded default), Viterbi decoding, LineClassifier.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "winnow/lines.h"

namespace winnow {

// Defined in the .cc file CMake generates from models/lines.model.
extern const char kEmbeddedLinesModel[];
extern const unsigned long kEmbeddedLinesModelSize;

namespace {

constexpr const char* kMagic = "winnow-lines-model";
// Lines classified in one pass (features take ~250 bytes a line).
constexpr size_t kMaxLinesPerPass = 100000;
const char* const kStateNames[kNumLineStates] = {"boiler", "main", "tail"};

bool ReadDoubles(std::istringstream& in, size_t n, std::vector<double>& out) {
  out.resize(n);
  for (size_t i = 0; i < n; ++i) {
    if (!(in >> out[i]) || !std::isfinite(out[i])) return false;
  }
  return true;
}

}  // namespace

StatusOr<LineModel> LineModel::Parse(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::string line;
  int lineno = 0;
  auto corrupt = [&](const std::string& why) {
    return Status::Corrupt("lines model, line " + std::to_string(lineno) + ": " + why);
  };
  LineModel m;
  bool header = false, ended = false;
  size_t nfeat = 0;
  bool have_bias = false, have_prior = false, have_start = false, have_trans = false;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    std::string key;
    ls >> key;
    if (!header) {
      int version = 0;
      if (key != kMagic || !(ls >> version)) return corrupt("not a winnow lines model (expected '" + std::string(kMagic) + " 1')");
      if (version != 1) return corrupt("unsupported model version " + std::to_string(version));
      header = true;
      continue;
    }
    if (key == "states") {
      for (int s = 0; s < kNumLineStates; ++s) {
        std::string name;
        if (!(ls >> name) || name != kStateNames[s]) return corrupt("states must be 'boiler main tail'");
      }
    } else if (key == "features") {
      if (!(ls >> nfeat) || nfeat == 0 || nfeat > 10000) return corrupt("bad feature count");
      m.weights.assign(m.hidden > 0 ? m.hidden : kNumLineStates, {});
    } else if (key == "hidden") {
      if (!m.feature_names.empty()) return corrupt("'hidden' after feature rows");
      if (!(ls >> m.hidden) || m.hidden <= 0 || m.hidden > 1024) return corrupt("bad hidden size");
      m.weights.assign(m.hidden, {});
    } else if (key == "f") {
      if (m.weights.empty()) return corrupt("'f' before 'features'");
      std::string name;
      std::vector<double> v;
      const int width = m.hidden > 0 ? m.hidden : kNumLineStates;
      if (!(ls >> name) || !ReadDoubles(ls, 2 + width, v)) return corrupt("bad feature row");
      if (m.feature_names.size() >= nfeat) return corrupt("more feature rows than declared");
      m.feature_names.push_back(name);
      m.mean.push_back(v[0]);
      if (v[1] <= 0) return corrupt("feature scale must be > 0");
      m.scale.push_back(v[1]);
      for (int s = 0; s < width; ++s) m.weights[s].push_back(v[2 + s]);
    } else if (key == "hidden_bias") {
      if (m.hidden <= 0 || !ReadDoubles(ls, m.hidden, m.hidden_bias)) return corrupt("bad hidden_bias");
    } else if (key == "out") {
      std::vector<double> v;
      if (m.hidden <= 0 || !ReadDoubles(ls, m.hidden, v)) return corrupt("bad out row");
      if (m.out_weights.size() >= kNumLineStates) return corrupt("more than 3 out rows");
      m.out_weights.push_back(v);
    } else if (key == "bias") {
      if (!ReadDoubles(ls, kNumLineStates, m.bias)) return corrupt("bad bias");
      have_bias = true;
    } else if (key == "log_prior") {
      if (!ReadDoubles(ls, kNumLineStates, m.log_prior)) return corrupt("bad log_prior");
      have_prior = true;
    } else if (key == "log_start") {
      if (!ReadDoubles(ls, kNumLineStates, m.log_start)) return corrupt("bad log_start");
      have_start = true;
    } else if (key == "log_trans") {
      std::vector<double> flat;
      if (!ReadDoubles(ls, kNumLineStates * kNumLineStates, flat)) return corrupt("bad log_trans");
      m.log_trans.assign(kNumLineStates, std::vector<double>(kNumLineStates));
      for (int a = 0; a < kNumLineStates; ++a)
        for (int b = 0; b < kNumLineStates; ++b) m.log_trans[a][b] = flat[a * kNumLineStates + b];
      have_trans = true;
    } else if (key == "end") {
      ended = true;
      break;
    } else {
      return corrupt("unknown key '" + key + "'");
    }
  }
  if (!header) return Status::Corrupt("lines model: empty or not a winnow lines model");
  if (!ended) return Status::Corrupt("lines model: truncated (no 'end' line)");
  if (m.feature_names.size() != nfeat || nfeat == 0) return Status::Corrupt("lines model: feature rows do not match the declared count");
  if (!have_bias || !have_prior || !have_start || !have_trans) return Status::Corrupt("lines model: missing bias/log_prior/log_start/log_trans");
  if (m.hidden > 0 && (m.hidden_bias.size() != static_cast<size_t>(m.hidden) ||
                       m.out_weights.size() != kNumLineStates))
    return Status::Corrupt("lines model: hidden layer without hidden_bias or 3 out rows");
  if (m.feature_names != LineFeatureNames()) {
    return Status::InvalidArgument(
        "lines model: its features differ from this build's (" + std::to_string(nfeat) + " vs " +
        std::to_string(LineFeatureNames().size()) + "); retrain with scripts/train_lines.py");
  }
  return m;
}

StatusOr<LineModel> LineModel::LoadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::NotFound("lines model file '" + path + "' cannot be opened; set text.lines.model to a model written by scripts/train_lines.py");
  std::ostringstream ss;
  ss << f.rdbuf();
  if (f.bad()) return Status::IoError("lines model file '" + path + "': read error");
  StatusOr<LineModel> m = Parse(ss.str());
  if (!m.ok()) return Status(m.status().code() == Status::Code::kCorrupt
                                 ? Status::Corrupt(path + ": " + m.status().message())
                                 : Status::InvalidArgument(path + ": " + m.status().message()));
  return m;
}

bool LineModel::HasEmbedded() { return kEmbeddedLinesModelSize > 0; }

StatusOr<LineModel> LineModel::Embedded() {
  if (kEmbeddedLinesModelSize == 0) return Status::NotFound("no lines model was embedded at build time (models/lines.model missing)");
  return Parse(std::string_view(kEmbeddedLinesModel, kEmbeddedLinesModelSize));
}

std::string LineModel::Serialize() const {
  std::ostringstream o;
  o.precision(9);
  o << kMagic << " 1\nstates boiler main tail\nfeatures " << feature_names.size() << "\n";
  if (hidden > 0) o << "hidden " << hidden << "\n";
  const int width = hidden > 0 ? hidden : kNumLineStates;
  for (size_t j = 0; j < feature_names.size(); ++j) {
    o << "f " << feature_names[j] << ' ' << mean[j] << ' ' << scale[j];
    for (int s = 0; s < width; ++s) o << ' ' << weights[s][j];
    o << '\n';
  }
  auto row = [&](const char* k, const std::vector<double>& v) {
    o << k;
    for (double x : v) o << ' ' << x;
    o << '\n';
  };
  if (hidden > 0) {
    row("hidden_bias", hidden_bias);
    for (const auto& r : out_weights) row("out", r);
  }
  row("bias", bias);
  row("log_prior", log_prior);
  row("log_start", log_start);
  std::vector<double> flat;
  for (const auto& r : log_trans) flat.insert(flat.end(), r.begin(), r.end());
  row("log_trans", flat);
  o << "end\n";
  return o.str();
}

std::vector<int> ViterbiDecode(const std::vector<std::vector<double>>& emission,
                               const std::vector<double>& log_start,
                               const std::vector<std::vector<double>>& log_trans) {
  const size_t n = emission.size();
  const size_t k = log_start.size();
  std::vector<int> path(n, 0);
  if (n == 0 || k == 0) return path;
  std::vector<double> score(k), next(k);
  std::vector<int> back(n * k, 0);
  for (size_t s = 0; s < k; ++s) score[s] = log_start[s] + emission[0][s];
  for (size_t t = 1; t < n; ++t) {
    for (size_t s = 0; s < k; ++s) {
      double best = -std::numeric_limits<double>::infinity();
      int arg = 0;
      for (size_t p = 0; p < k; ++p) {
        double v = score[p] + log_trans[p][s];
        if (v > best) {
          best = v;
          arg = static_cast<int>(p);
        }
      }
      next[s] = best + emission[t][s];
      back[t * k + s] = arg;
    }
    score.swap(next);
  }
  int s = static_cast<int>(std::max_element(score.begin(), score.end()) - score.begin());
  for (size_t t = n; t-- > 0;) {
    path[t] = s;
    s = back[t * k + s];
  }
  return path;
}

LineClassifier::LineClassifier(LineModel model, LineClassifierOptions options)
    : model_(std::move(model)), options_(options) {}

LineDecision LineClassifier::Classify(const std::vector<std::string_view>& lines,
                                      std::string_view lang) const {
  LineDecision d;
  const size_t n = lines.size();
  d.state.assign(n, kLineBoiler);
  d.p_main.assign(n, 0.0);
  d.keep.assign(n, false);
  std::vector<std::string_view> nonblank;
  std::vector<size_t> index;
  for (size_t i = 0; i < n; ++i) {
    if (lines[i].find_first_not_of(" \t\r\n\f\v") == std::string_view::npos) continue;
    nonblank.push_back(lines[i]);
    index.push_back(i);
  }
  if (nonblank.empty()) return d;
  if (nonblank.size() > kMaxLinesPerPass) {
    // Bounded memory on hostile input (millions of lines): classify the
    // document in consecutive pieces, each as if it were a document.
    for (size_t start = 0; start < nonblank.size(); start += kMaxLinesPerPass) {
      size_t end = std::min(nonblank.size(), start + kMaxLinesPerPass);
      std::vector<std::string_view> piece(nonblank.begin() + start, nonblank.begin() + end);
      LineDecision pd = Classify(piece, lang);
      for (size_t t = 0; t < piece.size(); ++t) {
        d.state[index[start + t]] = pd.state[t];
        d.p_main[index[start + t]] = pd.p_main[t];
        d.keep[index[start + t]] = pd.keep[t];
      }
    }
    return d;
  }
  std::vector<std::vector<float>> feats = ComputeLineFeatures(nonblank, lang);
  const size_t nf = model_.feature_names.size();
  std::vector<std::vector<double>> emission(nonblank.size(), std::vector<double>(kNumLineStates));
  std::vector<double> x(nf), h(model_.hidden);
  for (size_t t = 0; t < nonblank.size(); ++t) {
    for (size_t j = 0; j < nf; ++j) x[j] = (feats[t][j] - model_.mean[j]) / model_.scale[j];
    double z[kNumLineStates];
    if (model_.hidden > 0) {
      for (int u = 0; u < model_.hidden; ++u) {
        double v = model_.hidden_bias[u];
        const std::vector<double>& w = model_.weights[u];
        for (size_t j = 0; j < nf; ++j) v += w[j] * x[j];
        h[u] = std::tanh(v);
      }
      for (int s = 0; s < kNumLineStates; ++s) {
        double v = model_.bias[s];
        for (int u = 0; u < model_.hidden; ++u) v += model_.out_weights[s][u] * h[u];
        z[s] = v;
      }
    } else {
      for (int s = 0; s < kNumLineStates; ++s) {
        double v = model_.bias[s];
        for (size_t j = 0; j < nf; ++j) v += model_.weights[s][j] * x[j];
        z[s] = v;
      }
    }
    double mx = std::max({z[0], z[1], z[2]});
    double sum = 0;
    for (double v : z) sum += std::exp(v - mx);
    double lse = mx + std::log(sum);
    for (int s = 0; s < kNumLineStates; ++s) {
      // Scaled likelihood: posterior over prior, as in hybrid HMMs.
      emission[t][s] = (z[s] - lse) - model_.log_prior[s];
    }
    emission[t][kLineMain] += options_.main_bias;
    d.p_main[index[t]] = std::exp(z[kLineMain] - lse);
  }
  std::vector<int> states;
  if (options_.use_viterbi) {
    states = ViterbiDecode(emission, model_.log_start, model_.log_trans);
  } else {
    states.resize(emission.size());
    for (size_t t = 0; t < emission.size(); ++t) {
      states[t] = static_cast<int>(std::max_element(emission[t].begin(), emission[t].end()) - emission[t].begin());
    }
  }
  for (size_t t = 0; t < states.size(); ++t) {
    d.state[index[t]] = states[t];
    d.keep[index[t]] = states[t] == kLineMain;
  }
  return d;
}

}  // namespace winnow
