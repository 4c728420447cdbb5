// Elementwise tolerance comparison with a message naming the first mismatch.
// Not a matcher: tt/testing.hpp wraps this for Catch2.
#include "tt/allclose.hpp"

#include <cmath>
#include <sstream>

namespace tt {

Comparison compare(const Tensor& actual, const Tensor& expected, Tolerance tol) {
  Comparison c;
  if (!std::equal(actual.shape().begin(), actual.shape().end(), expected.shape().begin(), expected.shape().end())) {
    c.ok = false;
    c.message = "shape " + shape_of(actual) + " differs from expected " + shape_of(expected);
    return c;
  }
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const float a = actual.flat(i);
    const float e = expected.flat(i);
    const float err = std::fabs(a - e);
    const bool close = err <= tol.atol + tol.rtol * std::fabs(e);  // false for NaN
    if (!std::isnan(err) && err > c.max_abs_error) c.max_abs_error = err;
    if (!close) {
      if (c.mismatches == 0) {
        c.first_index = i;
        c.expected = e;
        c.actual = a;
      }
      ++c.mismatches;
    }
  }
  if (c.mismatches > 0) {
    c.ok = false;
    std::ostringstream o;
    o << c.mismatches << " of " << actual.size() << " elements differ; first at flat index " << c.first_index
      << ": expected " << c.expected << ", got " << c.actual << " (max abs error " << c.max_abs_error << ")";
    c.message = o.str();
  }
  return c;
}

bool allclose(const Tensor& actual, const Tensor& expected, Tolerance tol) { return compare(actual, expected, tol).ok; }

}  // namespace tt
