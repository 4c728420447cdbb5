// Your code for 17.4: the int8 × int8 → int32 matrix product every fast kernel is checked against.
// Not fast on purpose: three plain loops, exact integer arithmetic.
#include <string>

#include "tt/quant/gemm_i8.hpp"

namespace tt::quant {

TensorI32 matmul_i8_reference(const TensorI8& a, const TensorI8& b) {
  // Check shapes (a: (m, k), b: (n, k); shape_error naming both). Widen every factor to int32
  // before multiplying: int8 · int8 overflows int8 at once, and k products of up to 2^14 need
  // int32 (safe for k < 2^17).
  // TODO(17.4): c(i, j) = Σ_k a(i, k) · b(j, k).
  TT_UNIMPLEMENTED("17.4 matmul_i8_reference");
}

}  // namespace tt::quant
