// CSR matrices (reference): conversion, storage size, the naive and the fast y = x · Wᵀ, SparseLinear.
// Not a sparse BLAS: one format, float values, the product a Linear layer needs.
#include "tt/compress/csr.hpp"

#include <algorithm>
#include <string>
#include <thread>

#include <xsimd/xsimd.hpp>
#if defined(__AVX__)
#include <immintrin.h>
#endif

#include "tt/errors.hpp"
#include "tt/profile_hooks.hpp"

namespace tt::compress {
namespace {

using vfloat = xsimd::batch<float>;
constexpr std::size_t kLanes = vfloat::size;
// Batch sizes below this take the gather-dot path (a transpose does not pay for itself).
constexpr std::size_t kMinBatchForTranspose = 8;
// Accumulator registers per tile of the batch: 8 × 16 lanes = 128 batch rows with AVX-512.
constexpr std::size_t kTileVectors = 8;
constexpr std::size_t kTransposeBlock = 32;
// Below this many FLOPs (2·nnz·batch) starting a thread (tens of µs) costs more than it saves.
constexpr double kParallelMinFlops = 4e6;

void check_x(const Tensor& x, const CsrMatrix& w, const char* what) {
  if (x.dimension() != 2 || x.shape()[1] != w.cols) {
    throw shape_error(std::string(what) + ": expected x (batch, " + std::to_string(w.cols) + ") for W (" +
                      std::to_string(w.rows) + ", " + std::to_string(w.cols) + "), got x " + shape_of(x));
  }
}

#if defined(__AVX__)
// dst (8 × 8 block, row stride ld_dst) = srcᵀ (8 × 8 block, row stride ld_src): the classic
// unpack / shuffle / permute sequence, 24 shuffles for 64 floats instead of 64 scalar moves.
inline void transpose8x8(const float* src, std::size_t ld_src, float* dst, std::size_t ld_dst) {
  __m256 r[8];
  for (int i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(src + static_cast<std::size_t>(i) * ld_src);
  __m256 t[8];
  for (int i = 0; i < 8; i += 2) {
    t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
  }
  __m256 u[8];
  for (int i = 0; i < 8; i += 4) {
    u[i] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
    u[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
    u[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
    u[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  for (int i = 0; i < 4; ++i) {
    _mm256_storeu_ps(dst + static_cast<std::size_t>(i) * ld_dst, _mm256_permute2f128_ps(u[i], u[i + 4], 0x20));
    _mm256_storeu_ps(dst + static_cast<std::size_t>(i + 4) * ld_dst, _mm256_permute2f128_ps(u[i], u[i + 4], 0x31));
  }
}
constexpr std::size_t kBlock = 8;
#endif

// dst (cols, ld_dst) = srcᵀ for src (rows, cols) with row stride ld_src.
void transpose(const float* src, std::size_t rows, std::size_t cols, std::size_t ld_src, float* dst,
               std::size_t ld_dst) {
  std::size_t r0 = 0;
#if defined(__AVX__)
  // Whole 8 × 8 blocks with SIMD, 16 × 16 groups of them for locality.
  const std::size_t rows8 = rows / kBlock * kBlock, cols8 = cols / kBlock * kBlock;
  for (std::size_t rb = 0; rb < rows8; rb += kTransposeBlock) {
    const std::size_t re = std::min(rows8, rb + kTransposeBlock);
    for (std::size_t cb = 0; cb < cols8; cb += kTransposeBlock) {
      const std::size_t ce = std::min(cols8, cb + kTransposeBlock);
      for (std::size_t r = rb; r < re; r += kBlock) {
        for (std::size_t c = cb; c < ce; c += kBlock)
          transpose8x8(src + r * ld_src + c, ld_src, dst + c * ld_dst + r, ld_dst);
      }
    }
    for (std::size_t r = rb; r < re; ++r) {
      for (std::size_t c = cols8; c < cols; ++c) dst[c * ld_dst + r] = src[r * ld_src + c];
    }
  }
  r0 = rows8;
#endif
  for (std::size_t r = r0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) dst[c * ld_dst + r] = src[r * ld_src + c];
  }
}

// Scratch space reused across calls (per thread): allocating and zeroing ~1 MB per call costs
// as much as the sparse product itself at high sparsity.
std::vector<float>& scratch(int which, std::size_t n) {
  thread_local std::vector<float> buffers[2];
  std::vector<float>& b = buffers[which];
  if (b.size() < n) b.assign(n, 0.0F);
  return b;
}

// yt[o, b0 .. b0 + NV·lanes) = Σ_j v_j · xt[col_j, same range], for every row o of W.
// The NV accumulators stay in registers across a row's nonzeros.
template <std::size_t NV>
void csr_tile(const CsrMatrix& w, std::size_t o0, std::size_t o1, const float* xt, std::size_t ld, std::size_t b0,
              float* yt) {
  const std::uint32_t* rp = w.row_ptr.data();
  const std::uint32_t* ci = w.col_idx.data();
  const float* va = w.values.data();
  for (std::size_t o = o0; o < o1; ++o) {
    vfloat acc[NV];
    for (std::size_t t = 0; t < NV; ++t) acc[t] = vfloat(0.0F);
    for (std::uint32_t k = rp[o]; k < rp[o + 1]; ++k) {
      const vfloat v(va[k]);
      const float* xr = xt + static_cast<std::size_t>(ci[k]) * ld + b0;
      for (std::size_t t = 0; t < NV; ++t) acc[t] = xsimd::fma(v, vfloat::load_unaligned(xr + t * kLanes), acc[t]);
    }
    float* yr = yt + o * ld + b0;
    for (std::size_t t = 0; t < NV; ++t) acc[t].store_unaligned(yr + t * kLanes);
  }
}

// y (batch, out): one gather-dot per (batch row, row of W), four partial sums for ILP.
void csr_gather_dot(const Tensor& x, const CsrMatrix& w, Tensor& y) {
  const std::size_t batch = x.shape()[0];
  for (std::size_t b = 0; b < batch; ++b) {
    const float* xr = x.data() + b * w.cols;
    float* yr = y.data() + b * w.rows;
    for (std::size_t o = 0; o < w.rows; ++o) {
      std::uint32_t k = w.row_ptr[o];
      const std::uint32_t end = w.row_ptr[o + 1];
      float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (; k + 4 <= end; k += 4) {
        s0 += w.values[k] * xr[w.col_idx[k]];
        s1 += w.values[k + 1] * xr[w.col_idx[k + 1]];
        s2 += w.values[k + 2] * xr[w.col_idx[k + 2]];
        s3 += w.values[k + 3] * xr[w.col_idx[k + 3]];
      }
      for (; k < end; ++k) s0 += w.values[k] * xr[w.col_idx[k]];
      yr[o] = (s0 + s1) + (s2 + s3);
    }
  }
}

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
  if (dense.dimension() != 2) throw shape_error("to_csr: expected a 2-D matrix (rows, cols), got " + shape_of(dense));
  CsrMatrix m;
  m.rows = dense.shape()[0];
  m.cols = dense.shape()[1];
  m.row_ptr.reserve(m.rows + 1);
  m.row_ptr.push_back(0);
  const float* d = dense.data();
  for (std::size_t r = 0; r < m.rows; ++r) {
    for (std::size_t c = 0; c < m.cols; ++c) {
      const float v = d[r * m.cols + c];
      if (v != 0.0F) {
        m.col_idx.push_back(static_cast<std::uint32_t>(c));
        m.values.push_back(v);
      }
    }
    m.row_ptr.push_back(static_cast<std::uint32_t>(m.values.size()));
  }
  return m;
}

Tensor to_dense(const CsrMatrix& m) {
  check_csr(m, "to_dense");
  Tensor d = zeros({m.rows, m.cols});
  for (std::size_t r = 0; r < m.rows; ++r) {
    for (std::uint32_t k = m.row_ptr[r]; k < m.row_ptr[r + 1]; ++k) d(r, m.col_idx[k]) = m.values[k];
  }
  return d;
}

std::size_t dense_bytes(std::size_t rows, std::size_t cols) { return sizeof(float) * rows * cols; }

std::size_t csr_bytes(const CsrMatrix& m) {
  return sizeof(std::uint32_t) * (m.rows + 1) + (sizeof(std::uint32_t) + sizeof(float)) * m.nnz();
}

double csr_storage_break_even(std::size_t rows, std::size_t cols) {
  // 8 bytes per nonzero against 4 per entry: nnz < cols·rows/2 ⇒ sparsity > 1/2 (+ row pointers).
  const double entries = static_cast<double>(rows) * static_cast<double>(cols);
  if (entries == 0) return 0;
  const double max_nnz = (4.0 * entries - 4.0 * static_cast<double>(rows + 1)) / 8.0;
  return 1.0 - max_nnz / entries;
}

Tensor csr_matmul_nt_naive(const Tensor& x, const CsrMatrix& w) {
  check_x(x, w, "csr_matmul_nt_naive");
  const std::size_t batch = x.shape()[0];
  Tensor y = zeros({batch, w.rows});
  for (std::size_t b = 0; b < batch; ++b) {
    for (std::size_t o = 0; o < w.rows; ++o) {
      double s = 0;
      for (std::uint32_t k = w.row_ptr[o]; k < w.row_ptr[o + 1]; ++k) {
        s += static_cast<double>(w.values[k]) * x(b, w.col_idx[k]);
      }
      y(b, o) = static_cast<float>(s);
    }
  }
  return y;
}

Tensor csr_matmul_nt(const Tensor& x, const CsrMatrix& w, int threads) {
  if (threads < 1) throw value_error("csr_matmul_nt: threads must be >= 1, got " + std::to_string(threads));
  check_x(x, w, "csr_matmul_nt");
  const std::size_t batch = x.shape()[0];
  TT_PROFILE_SCOPE("csr_matmul_nt", 2.0 * static_cast<double>(batch) * static_cast<double>(w.nnz()));
  Tensor y = Tensor::from_shape({batch, w.rows});
  if (batch == 0 || w.rows == 0) return y;
  if (batch < kMinBatchForTranspose || w.cols == 0) {
    csr_gather_dot(x, w, y);
    return y;
  }
  // xᵀ (in, ld) with the batch padded to whole vectors. The padding columns hold stale values
  // from earlier calls; they only feed padding columns of yt, which are never read back.
  const std::size_t ld = (batch + kLanes - 1) / kLanes * kLanes;
  std::vector<float>& xt = scratch(0, w.cols * ld);
  std::vector<float>& yt = scratch(1, w.rows * ld);
  transpose(x.data(), batch, w.cols, w.cols, xt.data(), ld);
  // Rows [o0, o1) of W: all batch tiles, then their block of y. Independent across row ranges.
  auto rows_part = [&](std::size_t o0, std::size_t o1) {
    std::size_t b0 = 0;
    for (; b0 + kTileVectors * kLanes <= ld; b0 += kTileVectors * kLanes) {
      csr_tile<kTileVectors>(w, o0, o1, xt.data(), ld, b0, yt.data());
    }
    for (; b0 + 4 * kLanes <= ld; b0 += 4 * kLanes) csr_tile<4>(w, o0, o1, xt.data(), ld, b0, yt.data());
    for (; b0 < ld; b0 += kLanes) csr_tile<1>(w, o0, o1, xt.data(), ld, b0, yt.data());
    transpose(yt.data() + o0 * ld, o1 - o0, batch, ld, y.data() + o0, w.rows);
  };
  const double flops = 2.0 * static_cast<double>(w.nnz()) * static_cast<double>(batch);
  const std::size_t parts =
      threads > 1 && flops >= kParallelMinFlops ? std::min<std::size_t>(static_cast<std::size_t>(threads), w.rows) : 1;
  if (parts <= 1) {
    rows_part(0, w.rows);
    return y;
  }
  // Row ranges with about the same number of nonzeros each; the caller takes the first.
  std::vector<std::size_t> cut{0};
  for (std::size_t p = 1; p < parts; ++p) {
    const auto target = static_cast<std::uint32_t>(w.nnz() * p / parts);
    const auto it = std::lower_bound(w.row_ptr.begin(), w.row_ptr.end(), target);
    cut.push_back(std::clamp<std::size_t>(static_cast<std::size_t>(it - w.row_ptr.begin()), cut.back(), w.rows));
  }
  cut.push_back(w.rows);
  std::vector<std::thread> workers;
  for (std::size_t p = 1; p < parts; ++p) workers.emplace_back(rows_part, cut[p], cut[p + 1]);
  rows_part(cut[0], cut[1]);
  for (auto& t : workers) t.join();
  return y;
}

SparseLinear::SparseLinear(const Linear& dense)
    : weight_(to_csr(dense.weight.value)), bias_(dense.has_bias() ? dense.bias.value : Tensor::from_shape({0})) {}

SparseLinear::SparseLinear(CsrMatrix weight, Tensor bias) : weight_(std::move(weight)), bias_(std::move(bias)) {
  check_csr(weight_, "SparseLinear");
  if (bias_.size() != 0) check_shape(bias_, {weight_.rows}, "SparseLinear bias (out)");
  if (bias_.size() == 0) bias_ = Tensor::from_shape({0});
}

std::string SparseLinear::describe() const {
  return "SparseLinear(" + std::to_string(in_features()) + " -> " + std::to_string(out_features()) + ", nnz " +
         std::to_string(weight_.nnz()) + ")";
}

Tensor SparseLinear::forward(const Tensor& x) {
  Tensor y = csr_matmul_nt(x, weight_);
  if (bias_.size() != 0) {
    const std::size_t out = weight_.rows;
    float* yp = y.data();
    for (std::size_t r = 0, rows = y.shape()[0]; r < rows; ++r, yp += out) {
      for (std::size_t j = 0; j < out; ++j) yp[j] += bias_(j);
    }
  }
  cached_rows_ = training_ ? x.shape()[0] : 0;
  return y;
}

Tensor SparseLinear::backward(const Tensor& grad_out) {
  if (cached_rows_ == 0) throw error("SparseLinear::backward called before forward in training mode");
  check_shape(grad_out, {cached_rows_, weight_.rows}, "SparseLinear::backward grad_out (batch, out)");
  // dx[b, j] = Σ_o g[b, o] · W[o, j]: scatter each row of W scaled by g[b, o].
  Tensor dx = zeros({cached_rows_, weight_.cols});
  for (std::size_t b = 0; b < cached_rows_; ++b) {
    float* d = dx.data() + b * weight_.cols;
    for (std::size_t o = 0; o < weight_.rows; ++o) {
      const float g = grad_out(b, o);
      for (std::uint32_t k = weight_.row_ptr[o]; k < weight_.row_ptr[o + 1]; ++k)
        d[weight_.col_idx[k]] += g * weight_.values[k];
    }
  }
  return dx;
}

std::size_t SparseLinear::storage_bytes() const { return csr_bytes(weight_) + sizeof(float) * bias_.size(); }

}  // namespace tt::compress
