// Private helpers of the core's layers: input checks that throw typed errors, and row counting.
// Not public API: only common/src/*.cpp include this header (modules use tt/tensor.hpp checks).
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>

#include "tt/errors.hpp"
#include "tt/tensor.hpp"

namespace tt::detail {

// A default-constructed xarray is 0-d with one element; the layers treat it, and any tensor
// with a zero-length dimension, as "nothing there".
inline bool is_empty(const Tensor& t) { return t.dimension() == 0 || t.size() == 0; }

inline std::string shape_text(const Tensor& t) { return t.dimension() == 0 ? std::string("()") : shape_of(t); }

// shape_error "<kind>: expected <expected>, got <shape>" unless x has at least `min_rank`
// dimensions and no zero-length one.
inline void check_input(const Tensor& x, std::size_t min_rank, const std::string& kind, const std::string& expected) {
  if (x.dimension() < min_rank || x.size() == 0) {
    throw shape_error(kind + ": expected " + expected + " (non-empty), got " + shape_text(x));
  }
}

// shape_error unless grad_out has exactly the shape the last forward produced.
inline void check_grad(const Tensor& grad_out, const Shape& expected, const std::string& kind) {
  if (!std::equal(grad_out.shape().begin(), grad_out.shape().end(), expected.begin(), expected.end())) {
    throw shape_error(kind + "::backward: expected grad_out " + shape_str(expected) + " (the shape of the last " +
                      "forward output), got " + shape_text(grad_out));
  }
}

// The same message as tt::require_cached, for layers whose cache is not a tensor.
inline void require_forward(bool cached, const std::string& kind) {
  if (!cached) {
    throw error(kind + "::backward called before forward in training mode (call forward() with " +
                "set_training(true) first)");
  }
}

// Product of all dimensions but the last: the number of rows a (..., n) tensor flattens to.
inline std::size_t leading_rows(const Tensor& x) { return x.dimension() == 0 ? 0 : x.size() / x.shape().back(); }

inline Shape shape_vector(const Tensor& x) { return Shape(x.shape().begin(), x.shape().end()); }

}  // namespace tt::detail
