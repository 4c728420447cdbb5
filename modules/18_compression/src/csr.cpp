// CSR matrices (student stubs): conversion, storage size, the naive and the fast y = x · Wᵀ, SparseLinear.
// Not a sparse BLAS: one format, float values, the product a Linear layer needs.
#include "tt/compress/csr.hpp"

#include <algorithm>
#include <string>

#include <xsimd/xsimd.hpp>

#include "tt/errors.hpp"
#include "tt/profile_hooks.hpp"

namespace tt::compress {
namespace {

// Scaffolding: the shape check both kernels start with.
void check_x(const Tensor& x, const CsrMatrix& w, const char* what) {
  if (x.dimension() != 2 || x.shape()[1] != w.cols) {
    throw shape_error(std::string(what) + ": expected x (batch, " + std::to_string(w.cols) + ") for W (" +
                      std::to_string(w.rows) + ", " + std::to_string(w.cols) + "), got x " + shape_of(x));
  }
}

// Scaffolding: throws data_error unless the CSR arrays are consistent.
void check_csr(const CsrMatrix& m, const char* what) {
  auto fail = [&](const std::string& msg) {
    throw data_error(std::string(what) + ": inconsistent CSR matrix (" + msg + ")");
  };
  if (m.row_ptr.size() != m.rows + 1) {
    fail("row_ptr has " + std::to_string(m.row_ptr.size()) +
         " entries, expected rows + 1 = " + std::to_string(m.rows + 1));
  }
  if (m.col_idx.size() != m.values.size()) fail("col_idx and values differ in length");
  if (m.row_ptr.front() != 0 || m.row_ptr.back() != m.values.size()) fail("row_ptr must run from 0 to nnz");
  for (std::size_t r = 0; r < m.rows; ++r) {
    if (m.row_ptr[r] > m.row_ptr[r + 1]) fail("row_ptr decreases at row " + std::to_string(r));
  }
  for (std::uint32_t c : m.col_idx) {
    if (c >= m.cols) fail("column index " + std::to_string(c) + " >= cols " + std::to_string(m.cols));
  }
}

}  // namespace

CsrMatrix to_csr(const Tensor& dense) {
  // shape_error unless 2-D. Scan row by row: push (column, value) for every v != 0, and after
  // each row push the running count into row_ptr (which starts with a 0).
  (void)dense;
  // TODO(18.5): dense → CSR.
  TT_UNIMPLEMENTED("18.5 to_csr");
}

Tensor to_dense(const CsrMatrix& m) {
  // check_csr(m, "to_dense") first (inconsistent arrays → data_error), then scatter the values.
  (void)m;
  // TODO(18.5): CSR → dense.
  TT_UNIMPLEMENTED("18.5 to_dense");
}

// Given: bookkeeping, not part of a task.
std::size_t dense_bytes(std::size_t rows, std::size_t cols) { return sizeof(float) * rows * cols; }

std::size_t csr_bytes(const CsrMatrix& m) {
  // Three arrays: row_ptr (rows + 1 × uint32), col_idx (nnz × uint32), values (nnz × float).
  (void)m;
  // TODO(18.5): bytes of the CSR arrays.
  TT_UNIMPLEMENTED("18.5 csr_bytes");
}

// Given: bookkeeping, not part of a task.
double csr_storage_break_even(std::size_t rows, std::size_t cols) {
  const double entries = static_cast<double>(rows) * static_cast<double>(cols);
  if (entries == 0) return 0;
  const double max_nnz = (4.0 * entries - 4.0 * static_cast<double>(rows + 1)) / 8.0;
  return 1.0 - max_nnz / entries;
}

Tensor csr_matmul_nt_naive(const Tensor& x, const CsrMatrix& w) {
  // The oracle: y(b, o) = Σ_k values[k] · x(b, col_idx[k]) over row o's nonzeros, summed in
  // double. A row without nonzeros gives 0.
  check_x(x, w, "csr_matmul_nt_naive");
  // TODO(18.6): the plain loop.
  TT_UNIMPLEMENTED("18.6 csr_matmul_nt_naive");
}

Tensor csr_matmul_nt(const Tensor& x, const CsrMatrix& w, int threads) {
  // Two regimes (see the header):
  //  - small batch (< 8): for each batch row and each row o of W, a gather-dot
  //    Σ values[k]·x[b, col_idx[k]] (a few partial sums help the CPU overlap the loads);
  //  - batch ≥ 8: transpose x once into xt (in, ld) with ld = batch rounded up to a multiple of
  //    xsimd::batch<float>::size; then for each tile of the batch (e.g. 8 vectors = 128 rows) and
  //    each row o: keep the tile's accumulators in registers, for each nonzero
  //    acc[t] = fma(broadcast(v), load(xt + col·ld + b0 + t·lanes), acc[t]); store into yt (out, ld);
  //    finally transpose yt back into y (batch, out).
  // Speed: allocate xt/yt once (thread_local buffers), and transpose in 8×8 blocks with SIMD
  // shuffles — at 95 % sparsity the transposes cost as much as the products. For threads > 1,
  // split the rows of W into ranges with equal nonzero counts, one std::thread each (only when
  // 2·nnz·batch is a few MFLOP: starting a thread costs tens of µs).
  // Check against csr_matmul_nt_naive on awkward shapes (batch 1, 7, 17, 300; empty rows).
  if (threads < 1) throw value_error("csr_matmul_nt: threads must be >= 1, got " + std::to_string(threads));
  check_x(x, w, "csr_matmul_nt");
  // TODO(18.6): the fast kernel.
  TT_UNIMPLEMENTED("18.6 csr_matmul_nt");
}

// Given: the constructor checks and stores its arguments; not part of a task.
SparseLinear::SparseLinear(const Linear& dense)
    : weight_(to_csr(dense.weight.value)), bias_(dense.has_bias() ? dense.bias.value : Tensor::from_shape({0})) {}

// Given: the constructor checks and stores its arguments; not part of a task.
SparseLinear::SparseLinear(CsrMatrix weight, Tensor bias) : weight_(std::move(weight)), bias_(std::move(bias)) {
  check_csr(weight_, "SparseLinear");
  if (bias_.size() != 0) check_shape(bias_, {weight_.rows}, "SparseLinear bias (out)");
  if (bias_.size() == 0) bias_ = Tensor::from_shape({0});
}

// Given: text for reports and messages, not part of a task.
std::string SparseLinear::describe() const {
  return "SparseLinear(" + std::to_string(in_features()) + " -> " + std::to_string(out_features()) + ", nnz " +
         std::to_string(weight_.nnz()) + ")";
}

Tensor SparseLinear::forward(const Tensor& x) {
  // y = csr_matmul_nt(x, W) plus the bias on every row (when there is one). In training mode
  // remember the batch size in cached_rows_ (backward needs it), else set it to 0.
  (void)x;
  // TODO(18.7): the layer's forward.
  TT_UNIMPLEMENTED("18.7 SparseLinear::forward");
}

Tensor SparseLinear::backward(const Tensor& grad_out) {
  // tt::error if cached_rows_ == 0; check grad_out is (cached_rows_, out). Then
  // dx[b, j] = Σ_o grad_out[b, o] · W[o, j]: for each row o of W, scatter g[b, o] · values into
  // dx[b, col_idx]. The weight is frozen: no parameter gradients.
  (void)grad_out;
  // TODO(18.7): the layer's backward.
  TT_UNIMPLEMENTED("18.7 SparseLinear::backward");
}

// Given: bookkeeping, not part of a task.
std::size_t SparseLinear::storage_bytes() const { return csr_bytes(weight_) + sizeof(float) * bias_.size(); }

}  // namespace tt::compress
