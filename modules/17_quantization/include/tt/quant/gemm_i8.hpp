// Part 4 of module 17: int8 × int8 → int32 matrix multiplication, the reference and the fast kernels.
// Not requantization (requantize.hpp) and not layers (quantized_layers.hpp): raw integer dot products.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "tt/tensor.hpp"

namespace tt::quant {

// 17.4 — c[i][j] = Σ_k a[i][k] · b[j][k] in exact int32 arithmetic (no zero points: the caller
// corrects for them). b is stored like a Linear weight, one row per output.
// a: (m, k) int8 · b: (n, k) int8 → (m, n) int32; shape_error if the k's differ or a/b are not 2-D.
TensorI32 matmul_i8_reference(const TensorI8& a, const TensorI8& b);

// A weight matrix (n, k) repacked once for the fast kernels (given code, not a task):
// k is padded with zeros to a multiple of 4 (kp); columns are grouped in panels of 16 (the
// int32 lanes of one AVX-512 register); inside a panel of width w (16, or n % 16 for the last)
// the bytes are ordered [k/4][column][4]: for each group of 4 k's, 4 consecutive bytes per
// column — exactly what one vpdpbusd consumes (or four ARM sdot, 4 columns each). Also keeps Σ_k b[j][k] per column
// (needed to undo the +128 offset of the activations). Storage: n · kp bytes + 4n bytes.
class PackedI8 {
 public:
  static constexpr std::size_t kPanel = 16;
  PackedI8() = default;
  // b: (n, k) int8, n, k >= 1 (shape_error otherwise)
  explicit PackedI8(const TensorI8& b);

  std::size_t n() const { return n_; }
  std::size_t k() const { return k_; }
  std::size_t k_padded() const { return kp_; }
  // First byte of panel p (columns [16p, min(16p + 16, n))).
  const std::int8_t* panel(std::size_t p) const { return data_.data() + p * kPanel * kp_; }
  std::size_t panel_width(std::size_t p) const { return std::min(kPanel, n_ - p * kPanel); }
  std::size_t panels() const { return (n_ + kPanel - 1) / kPanel; }
  // Σ_k b[j][k], (n)
  const TensorI32& column_sums() const { return col_sums_; }
  // Byte j·k element of the original matrix (for tests and the portable kernel's epilogue).
  std::int8_t at(std::size_t j, std::size_t kk) const;
  // The original (n, k) matrix, unpacked.
  TensorI8 unpack() const;
  // Bytes held (packed values + column sums).
  std::size_t bytes() const { return data_.size() + col_sums_.size() * sizeof(std::int32_t); }

 private:
  std::size_t n_ = 0, k_ = 0, kp_ = 0;
  TensorI8 data_;
  TensorI32 col_sums_;
};

enum class GemmKernel { portable, vnni, sdot };
std::string to_string(GemmKernel k);

// Whether the VNNI kernel can run: compiled with AVX-512 VNNI (__AVX512VNNI__) and the CPU
// reports avx512vnni at run time (given code).
bool vnni_available();
// Whether the sdot kernel can run: built for 64-bit ARM Linux (__aarch64__) and the CPU has the
// Armv8.2-A dot product (getauxval(AT_HWCAP) & HWCAP_ASIMDDP: a Pi 5's Cortex-A76 has it, a Pi 4's
// A72 does not) (given code). Checked at run time: an armv8-a build runs on both.
bool sdot_available();
// vnni when vnni_available(), else sdot when sdot_available(), else portable.
GemmKernel best_kernel();

// 17.5 — c = a · bᵀ from the packed weights, bit-exact with matmul_i8_reference.
// a: (m, k) int8 · b: packed (n, k) → c: (m, n) int32 (c is resized if its shape differs).
// portable: plain C++ on the packed layout (any CPU).
void gemm_i8_portable(const TensorI8& a, const PackedI8& b, TensorI32& c);
// vnni: AVX-512 VNNI _mm512_dpbusd_epi32 (u8 × s8): a is offset by +128 into u8, and
// 128 · Σ_k b[j][k] is subtracted again. tt::error if !vnni_available().
void gemm_i8_vnni(const TensorI8& a, const PackedI8& b, TensorI32& c);
// sdot: Armv8.2-A dotprod vdotq_s32 (s8 × s8, four products into each int32 lane: signed ×
// signed, so no offset and no column-sum correction). Compiled for dotprod with a function
// target attribute, so the armv8-a build still starts on CPUs without it. tt::error if
// !sdot_available().
void gemm_i8_sdot(const TensorI8& a, const PackedI8& b, TensorI32& c);
// Dispatch (given code): the chosen kernel, shape_error if a's k differs from b's.
void gemm_i8(const TensorI8& a, const PackedI8& b, TensorI32& c, GemmKernel kernel = best_kernel());

}  // namespace tt::quant
