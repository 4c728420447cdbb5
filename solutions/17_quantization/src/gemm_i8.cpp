// Reference for 17.4: the int8 × int8 → int32 matrix product every fast kernel is checked against.
// Not fast on purpose: three plain loops, exact integer arithmetic.
#include <string>

#include "tt/quant/gemm_i8.hpp"

namespace tt::quant {

TensorI32 matmul_i8_reference(const TensorI8& a, const TensorI8& b) {
  if (a.dimension() != 2 || b.dimension() != 2 || a.shape()[1] != b.shape()[1]) {
    throw shape_error("matmul_i8_reference: expected a (m, k) and b (n, k), got a " + shape_of(a) + " and b " +
                      shape_of(b));
  }
  const std::size_t m = a.shape()[0], k = a.shape()[1], n = b.shape()[0];
  TensorI32 c = TensorI32::from_shape({m, n});
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      std::int32_t acc = 0;
      for (std::size_t kk = 0; kk < k; ++kk) {
        acc += static_cast<std::int32_t>(a(i, kk)) * static_cast<std::int32_t>(b(j, kk));
      }
      c(i, j) = acc;
    }
  }
  return c;
}

}  // namespace tt::quant
