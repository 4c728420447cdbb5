// tt::Tensor: the core's n-dimensional float array (xtensor, row-major, tracked memory) and shape checks.
// Not a framework: layers, autograd and kernels live in their own headers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include <xtensor/xarray.hpp>

#include "tt/errors.hpp"
#include "tt/tracking.hpp"

namespace tt {

// An n-d array of T whose storage is counted by tt::tracking.
template <class T>
using Array = xt::xarray<T, xt::layout_type::row_major, tracking_allocator<T>>;

using Tensor = Array<float>;          // activations, weights, gradients
using TensorI8 = Array<std::int8_t>;  // quantized values (module 17)
using TensorI32 = Array<std::int32_t>;
using Shape = std::vector<std::size_t>;

// "(2, 3, 4)"
std::string shape_str(const Shape& shape);
template <class E>
std::string shape_of(const E& e) {
  return shape_str(Shape(e.shape().begin(), e.shape().end()));
}

// A tensor with no elements, shape (0): what a layer holds for "nothing cached" or "no bias".
Tensor empty_tensor();
Tensor zeros(const Shape& shape);
Tensor full(const Shape& shape, float value);
// Copies row-major values into a tensor of that shape (size must match: else shape_error).
Tensor from_vector(const Shape& shape, const std::vector<float>& values);

// Throws shape_error "<what>: expected <expected>, got <actual>" unless shapes are equal.
void check_shape(const Tensor& t, const Shape& expected, const std::string& what);
// Throws shape_error unless t has exactly `rank` dimensions and no zero-length dimension.
void check_rank(const Tensor& t, std::size_t rank, const std::string& what);
// Throws shape_error naming both shapes unless a.shape() == b.shape().
void check_same_shape(const Tensor& a, const Tensor& b, const std::string& what);

}  // namespace tt
