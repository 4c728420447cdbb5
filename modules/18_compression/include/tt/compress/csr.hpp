// Compressed sparse row (CSR) matrices: conversion from/to dense, storage size, and the sparse
// kernel y = x · Wᵀ (W sparse (out, in), x dense (batch, in)) with a SparseLinear layer on top.
// Not a general sparse library: one format, float values, the one product a Linear layer needs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tt/linear.hpp"
#include "tt/tensor.hpp"

namespace tt::compress {

// Row r's nonzeros are values[row_ptr[r] .. row_ptr[r+1]) at columns col_idx[same range],
// columns increasing within a row. row_ptr has rows + 1 entries, row_ptr[0] = 0.
struct CsrMatrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<std::uint32_t> row_ptr;  // (rows + 1)
  std::vector<std::uint32_t> col_idx;  // (nnz)
  std::vector<float> values;           // (nnz)
  std::size_t nnz() const { return values.size(); }
};

// dense: (rows, cols) → CSR keeping the entries that are not exactly 0. shape_error unless 2-D
// (zero rows or columns are allowed: an empty matrix).
CsrMatrix to_csr(const Tensor& dense);
// CSR → dense (rows, cols). data_error if the CSR arrays are inconsistent (sizes, bounds).
Tensor to_dense(const CsrMatrix& m);

// Bytes of a dense float (rows, cols) matrix: 4 · rows · cols.
std::size_t dense_bytes(std::size_t rows, std::size_t cols);
// Bytes of the CSR arrays: 4 · (rows + 1) + 4 · nnz (columns) + 4 · nnz (values).
std::size_t csr_bytes(const CsrMatrix& m);
// The sparsity at which CSR and dense take the same bytes (CSR is smaller above it): with
// 32-bit values and indices, 4·(rows + 1) + 8·nnz = 4·rows·cols, so just above 0.5.
double csr_storage_break_even(std::size_t rows, std::size_t cols);

// x: (batch, in) · w: CSR (out, in) → (batch, out), i.e. y = x · Wᵀ. The oracle: one scalar
// loop per (batch row, nonzero). shape_error if x is not (batch, w.cols).
Tensor csr_matmul_nt_naive(const Tensor& x, const CsrMatrix& w);
// Same result, fast: batch 1 is a gather-dot per row of W; larger batches transpose x once to
// (in, batch) so that each nonzero (o, j) becomes y[:, o] += v · xᵀ[j, :], contiguous over the
// batch and done with SIMD, with a tile of the batch kept in registers across a row of W.
// threads > 1 splits the rows of W into ranges of equal nonzero count, one std::thread each,
// when the product is large enough to pay for starting them. value_error if threads < 1.
Tensor csr_matmul_nt(const Tensor& x, const CsrMatrix& w, int threads = 1);

// A Linear layer whose weight is stored in CSR; for inference (forward) and for passing
// gradients back to earlier layers (backward computes dx only: its weight is frozen).
class SparseLinear : public Module {
 public:
  // From a (pruned) Linear: its weight becomes CSR (exact zeros dropped), its bias is copied.
  explicit SparseLinear(const Linear& dense);
  // weight (out, in) CSR, bias (out) or empty.
  SparseLinear(CsrMatrix weight, Tensor bias);

  std::string kind() const override { return "SparseLinear"; }
  std::string describe() const override;
  // x: (batch, in) → (batch, out)
  Tensor forward(const Tensor& x) override;
  // grad_out: (batch, out) → dx: (batch, in) = grad_out · W (no parameter gradients).
  Tensor backward(const Tensor& grad_out) override;

  const CsrMatrix& weight() const { return weight_; }
  const Tensor& bias() const { return bias_; }
  std::size_t in_features() const { return weight_.cols; }
  std::size_t out_features() const { return weight_.rows; }
  // CSR bytes of the weight plus dense bytes of the bias.
  std::size_t storage_bytes() const;

 private:
  CsrMatrix weight_;
  Tensor bias_;
  std::size_t cached_rows_ = 0;  // batch of the last training forward (0: none)
};

}  // namespace tt::compress
