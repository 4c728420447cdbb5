// Shape helpers and constructors for tt::Tensor.
// Not arithmetic: that is xtensor's expressions and the layers.
#include "tt/tensor.hpp"

#include <sstream>

namespace tt {

std::string shape_str(const Shape& shape) {
  std::ostringstream o;
  o << "(";
  for (std::size_t i = 0; i < shape.size(); ++i) o << (i ? ", " : "") << shape[i];
  if (shape.size() == 1) o << ",";
  o << ")";
  return o.str();
}

Tensor empty_tensor() { return Tensor::from_shape({0}); }

Tensor zeros(const Shape& shape) { return full(shape, 0.0F); }

Tensor full(const Shape& shape, float value) {
  Tensor t = Tensor::from_shape(shape);
  t.fill(value);
  return t;
}

Tensor from_vector(const Shape& shape, const std::vector<float>& values) {
  std::size_t n = 1;
  for (auto d : shape) n *= d;
  if (n != values.size()) {
    throw shape_error("from_vector: shape " + shape_str(shape) + " holds " + std::to_string(n) + " values, got " +
                      std::to_string(values.size()));
  }
  Tensor t = Tensor::from_shape(shape);
  std::copy(values.begin(), values.end(), t.begin());
  return t;
}

void check_shape(const Tensor& t, const Shape& expected, const std::string& what) {
  if (!std::equal(t.shape().begin(), t.shape().end(), expected.begin(), expected.end())) {
    throw shape_error(what + ": expected shape " + shape_str(expected) + ", got " + shape_of(t));
  }
}

void check_rank(const Tensor& t, std::size_t rank, const std::string& what) {
  if (t.dimension() != rank) {
    throw shape_error(what + ": expected a " + std::to_string(rank) + "-d tensor, got shape " + shape_of(t));
  }
  for (auto d : t.shape()) {
    if (d == 0) throw shape_error(what + ": expected no empty dimension, got shape " + shape_of(t));
  }
}

void check_same_shape(const Tensor& a, const Tensor& b, const std::string& what) {
  if (!std::equal(a.shape().begin(), a.shape().end(), b.shape().begin(), b.shape().end())) {
    throw shape_error(what + ": shapes differ: " + shape_of(a) + " vs " + shape_of(b));
  }
}

}  // namespace tt
