// Tests of CSR conversion, storage bytes, the sparse kernels and SparseLinear (tasks 18.5–18.7).
// Not speed tests: speed is measured by bench/m18_bench.cpp.
#include "tt/compress/csr.hpp"

#include <vector>

#include "m18_fixtures.hpp"
#include "tt/testing.hpp"

using tt::compress::CsrMatrix;
using tt::testing::AllClose;

TEST_CASE("CSR conversion round-trips a dense matrix with empty rows", "[m18][18.5][points=2]") {
  SECTION("a hand-made example has the expected arrays") {
    const tt::Tensor d = tt::from_vector({3, 4}, {0, 2, 0, 3, 0, 0, 0, 0, 5, 0, 0, 0});
    const CsrMatrix m = tt::compress::to_csr(d);
    CHECK(m.rows == 3);
    CHECK(m.cols == 4);
    CHECK(m.row_ptr == std::vector<std::uint32_t>{0, 2, 2, 3});
    CHECK(m.col_idx == std::vector<std::uint32_t>{1, 3, 0});
    CHECK(m.values == std::vector<float>{2, 3, 5});
    CHECK_THAT(tt::compress::to_dense(m), AllClose(d, {0, 0}));
  }
  SECTION("random matrices of awkward shapes") {
    const auto shape = GENERATE(std::pair<std::size_t, std::size_t>{1, 1}, std::pair<std::size_t, std::size_t>{7, 5},
                                std::pair<std::size_t, std::size_t>{33, 70}, std::pair<std::size_t, std::size_t>{0, 4});
    const double s = GENERATE(0.0, 0.5, 0.97, 1.0);
    const tt::Tensor d = m18::random_sparse(shape.first, shape.second, s, 11, 3);
    const CsrMatrix m = tt::compress::to_csr(d);
    CHECK(m.row_ptr.size() == shape.first + 1);
    std::size_t nonzeros = 0;
    for (float v : d) nonzeros += v != 0.0F ? 1 : 0;
    CHECK(m.nnz() == nonzeros);
    CHECK_THAT(tt::compress::to_dense(m), AllClose(d, {0, 0}));
  }
  SECTION("bad input") {
    REQUIRE_THROWS_AS(tt::compress::to_csr(tt::zeros({2, 2, 2})), tt::shape_error);
    CsrMatrix bad = tt::compress::to_csr(tt::from_vector({2, 2}, {1, 0, 0, 1}));
    bad.col_idx[1] = 9;  // past the last column
    REQUIRE_THROWS_AS(tt::compress::to_dense(bad), tt::data_error);
  }
}

TEST_CASE("CSR storage bytes count row pointers and columns and values", "[m18][18.5][points=1]") {
  const tt::Tensor d = m18::random_sparse(100, 200, 0.9, 5);
  const CsrMatrix m = tt::compress::to_csr(d);
  CHECK(tt::compress::csr_bytes(m) == std::size_t{4} * 101 + 8 * m.nnz());
  CHECK(tt::compress::dense_bytes(100, 200) == 80000);
  CHECK(tt::compress::csr_bytes(m) < tt::compress::dense_bytes(100, 200) / 4);
  const CsrMatrix full = tt::compress::to_csr(m18::random_sparse(100, 200, 0.0, 5));
  CHECK(tt::compress::csr_bytes(full) > tt::compress::dense_bytes(100, 200));
  CHECK(tt::compress::csr_storage_break_even(100, 200) == Approx(0.5).margin(0.01));
}

TEST_CASE("CSR times dense matches the dense product on awkward shapes", "[m18][18.6][points=4]") {
  const auto shape =
      GENERATE(std::pair<std::size_t, std::size_t>{1, 1}, std::pair<std::size_t, std::size_t>{7, 5},
               std::pair<std::size_t, std::size_t>{33, 70}, std::pair<std::size_t, std::size_t>{100, 129});
  const std::size_t batch = GENERATE(1, 3, 8, 17, 130, 256, 300);
  const double s = GENERATE(0.0, 0.7, 0.95, 1.0);
  CAPTURE(shape.first, shape.second, batch, s);
  const tt::Tensor w = m18::random_sparse(shape.first, shape.second, s, 21, 4);  // rows 0, 4, 8… empty
  tt::Rng rng(batch);
  const tt::Tensor x = tt::rand_uniform({batch, shape.second}, -1.0F, 1.0F, rng);
  const CsrMatrix m = tt::compress::to_csr(w);
  const tt::Tensor expected = m18::dense_oracle_nt(x, w);
  CHECK_THAT(tt::compress::csr_matmul_nt_naive(x, m), AllClose(expected, {1e-5F, 1e-5F}));
  CHECK_THAT(tt::compress::csr_matmul_nt(x, m), AllClose(expected, {1e-4F, 1e-4F}));
  CHECK_THAT(tt::compress::csr_matmul_nt(x, m, 2), AllClose(expected, {1e-4F, 1e-4F}));
  CHECK_THAT(tt::compress::csr_matmul_nt(x, m), AllClose(expected, {1e-4F, 1e-4F}));  // buffers reused
  REQUIRE_THROWS_AS(tt::compress::csr_matmul_nt(tt::zeros({batch, shape.second + 1}), m), tt::shape_error);
  REQUIRE_THROWS_AS(tt::compress::csr_matmul_nt_naive(tt::zeros({shape.second}), m), tt::shape_error);
  REQUIRE_THROWS_AS(tt::compress::csr_matmul_nt(x, m, 0), tt::value_error);
}

TEST_CASE("SparseLinear computes what the pruned Linear computed in forward and backward", "[m18][18.7][points=2]") {
  tt::Rng rng(3);
  tt::Linear dense(37, 19, rng);
  dense.weight.value = m18::random_sparse(19, 37, 0.8, 9, 5);
  tt::compress::SparseLinear sparse(dense);
  CHECK(sparse.kind() == "SparseLinear");
  CHECK(sparse.in_features() == 37);
  CHECK(sparse.out_features() == 19);
  CHECK(sparse.storage_bytes() == tt::compress::csr_bytes(sparse.weight()) + std::size_t{4} * 19);

  const std::size_t batch = GENERATE(1, 20);
  const tt::Tensor x = tt::rand_uniform({batch, 37}, -1.0F, 1.0F, rng);
  const tt::Tensor y_dense = dense.forward(x);
  const tt::Tensor y_sparse = sparse.forward(x);
  CHECK_THAT(y_sparse, AllClose(y_dense, {1e-5F, 1e-4F}));

  const tt::Tensor g = tt::rand_uniform({batch, 19}, -1.0F, 1.0F, rng);
  CHECK_THAT(sparse.backward(g), AllClose(dense.backward(g), {1e-5F, 1e-4F}));

  tt::Sequential seq;
  seq.add(std::make_unique<tt::compress::SparseLinear>(dense));
  seq.emplace<tt::ReLU>();
  seq.set_training(false);
  CHECK_THAT(seq.forward(x), AllClose(tt::Tensor(xt::maximum(y_dense, 0.0F)), {1e-5F, 1e-4F}));
  sparse.set_training(false);
  (void)sparse.forward(x);
  REQUIRE_THROWS_AS(sparse.backward(g), tt::error);
}
