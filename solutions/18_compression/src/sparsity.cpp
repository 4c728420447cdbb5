// Sparsity analysis (reference): zeros per layer and overall, |w| histogram.
// Not a pruner: nothing here changes a weight.
#include "tt/compress/sparsity.hpp"

#include <algorithm>
#include <cmath>

#include "tt/compress/csr.hpp"
#include "tt/conv2d.hpp"
#include "tt/errors.hpp"
#include "tt/linear.hpp"

namespace tt::compress {
namespace {

std::size_t count_zeros(const float* p, std::size_t n) {
  std::size_t z = 0;
  for (std::size_t i = 0; i < n; ++i) z += p[i] == 0.0F ? 1 : 0;
  return z;
}

// Calls f(values, count, total) for each prunable weight: dense ones directly, a SparseLinear
// with its stored values and its dense size.
template <class F>
void for_each_weight(Sequential& model, F&& f) {
  for (std::size_t i = 0; i < model.size(); ++i) {
    const std::string name = std::to_string(i) + ".weight";
    const Tensor* w = nullptr;
    if (auto* lin = model.as<Linear>(i)) w = &lin->weight.value;
    if (auto* conv = model.as<Conv2d>(i)) w = &conv->weight.value;
    if (w != nullptr) {
      f(name, w->data(), w->size(), w->size());
    } else if (auto* sp = model.as<SparseLinear>(i)) {
      const CsrMatrix& m = sp->weight();
      f(name, m.values.data(), m.values.size(), m.rows * m.cols);
    }
  }
}

}  // namespace

double sparsity(const Tensor& t) {
  if (t.size() == 0) return 0.0;
  return static_cast<double>(count_zeros(t.data(), t.size())) / static_cast<double>(t.size());
}

std::vector<LayerSparsity> layer_sparsity(Sequential& model) {
  std::vector<LayerSparsity> out;
  for_each_weight(model, [&](const std::string& name, const float* v, std::size_t stored, std::size_t total) {
    out.push_back({name, total, total - stored + count_zeros(v, stored)});
  });
  return out;
}

double global_sparsity(Sequential& model) {
  std::size_t zeros = 0, total = 0;
  for (const LayerSparsity& l : layer_sparsity(model)) {
    zeros += l.zeros;
    total += l.total;
  }
  return total ? static_cast<double>(zeros) / static_cast<double>(total) : 0.0;
}

Histogram magnitude_histogram(Sequential& model, std::size_t bins) {
  if (bins == 0) throw value_error("magnitude_histogram: bins must be at least 1, got 0");
  Histogram h;
  h.counts.assign(bins, 0);
  double hi = 0;
  for_each_weight(model, [&](const std::string&, const float* v, std::size_t n, std::size_t) {
    for (std::size_t i = 0; i < n; ++i) hi = std::max(hi, static_cast<double>(std::fabs(v[i])));
  });
  h.hi = hi;
  for_each_weight(model, [&](const std::string&, const float* v, std::size_t n, std::size_t total) {
    h.counts[0] += total - n;  // entries a CSR does not store are zeros
    for (std::size_t i = 0; i < n; ++i) {
      const double a = std::fabs(v[i]);
      std::size_t b = hi > 0 ? static_cast<std::size_t>(a / hi * static_cast<double>(bins)) : 0;
      h.counts[std::min(b, bins - 1)] += 1;
    }
  });
  return h;
}

}  // namespace tt::compress
