// Sparsity analysis (student stubs): zeros per layer and overall, |w| histogram.
// Not a pruner: nothing here changes a weight.
#include "tt/compress/sparsity.hpp"

#include <algorithm>
#include <cmath>

#include "tt/compress/csr.hpp"
#include "tt/conv2d.hpp"
#include "tt/errors.hpp"
#include "tt/linear.hpp"

namespace tt::compress {

double sparsity(const Tensor& t) {
  // Count entries == 0.0F; an empty tensor has sparsity 0.
  (void)t;
  // TODO(18.4): share of exact zeros.
  TT_UNIMPLEMENTED("18.4 sparsity");
}

std::vector<LayerSparsity> layer_sparsity(Sequential& model) {
  // Walk the layers: Linear and Conv2d (model.as<Linear>(i), …) count the zeros of their
  // weight; a SparseLinear has rows·cols entries of which only nnz are stored — the others
  // are zeros, and stored values may be zeros too. Names are "<i>.weight".
  (void)model;
  // TODO(18.4): one LayerSparsity per weighted layer.
  TT_UNIMPLEMENTED("18.4 layer_sparsity");
}

// Scaffolding: the weighted mean over layers.
double global_sparsity(Sequential& model) {
  std::size_t zeros = 0, total = 0;
  for (const LayerSparsity& l : layer_sparsity(model)) {
    zeros += l.zeros;
    total += l.total;
  }
  return total ? static_cast<double>(zeros) / static_cast<double>(total) : 0.0;
}

Histogram magnitude_histogram(Sequential& model, std::size_t bins) {
  // bins == 0 → value_error. First pass: hi = max |w| (lo = 0). Second pass: bin of |w| is
  // floor(|w| / hi · bins), clamped to bins − 1 (so hi lands in the last bin); with hi == 0
  // everything goes to bin 0. Entries a SparseLinear does not store count in bin 0.
  (void)model;
  (void)bins;
  // TODO(18.4): the histogram of |w|.
  TT_UNIMPLEMENTED("18.4 magnitude_histogram");
}

}  // namespace tt::compress
