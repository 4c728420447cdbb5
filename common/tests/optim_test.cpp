// Tests of the optimizers: SGD (plain, momentum, weight decay) and Adam, on hand-computed steps.
// Not a convergence benchmark: the quadratics here are tiny and exact.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "tt/optim.hpp"
#include "tt/testing.hpp"

using tt::testing::AllClose;

namespace {

// f(w) = ½·Σ a_i·(w_i - t_i)²: grad_i = a_i·(w_i - t_i). Writes the gradient, returns f.
double quadratic(tt::Param& p, const tt::Tensor& a, const tt::Tensor& t) {
  double f = 0;
  for (std::size_t i = 0; i < p.value.size(); ++i) {
    const double d = p.value.flat(i) - t.flat(i);
    f += 0.5 * a.flat(i) * d * d;
    p.grad.flat(i) = static_cast<float>(a.flat(i) * d);
  }
  return f;
}

tt::Param make_param(const tt::Shape& shape, std::vector<float> values) {
  return {"w", tt::from_vector(shape, values), tt::zeros(shape)};
}

}  // namespace

TEST_CASE("SGD and Adam decrease a quadratic towards its minimum", "[core][optim]") {
  const tt::Tensor a = tt::from_vector({2, 2}, {1, 4, 0.5F, 2});
  const tt::Tensor target = tt::from_vector({2, 2}, {1, -2, 3, 0.5F});
  tt::Param p = make_param({2, 2}, {0, 0, 0, 0});
  const double f0 = quadratic(p, a, target);

  SECTION("SGD") {
    tt::SGD opt({&p}, 0.1F);
    double previous = f0;
    for (int it = 0; it < 100; ++it) {
      opt.zero_grad();
      const double f = quadratic(p, a, target);
      CHECK(f <= previous);
      previous = f;
      opt.step();
    }
    CHECK(quadratic(p, a, target) < 1e-3 * f0);
  }
  SECTION("SGD with momentum") {
    tt::SGD opt({&p}, 0.05F, 0.9F);
    for (int it = 0; it < 200; ++it) {
      quadratic(p, a, target);
      opt.step();
    }
    CHECK(quadratic(p, a, target) < 1e-3 * f0);
  }
  SECTION("Adam") {
    tt::Adam opt({&p}, 0.05F);
    for (int it = 0; it < 500; ++it) {
      quadratic(p, a, target);
      opt.step();
    }
    CHECK(quadratic(p, a, target) < 1e-3 * f0);
  }
}

TEST_CASE("SGD momentum matches a hand-computed two-step update", "[core][optim]") {
  // f(w) = ½w², g = w; lr 0.1, μ 0.9. Step 1: v = 1, w = 0.9. Step 2: g = 0.9, v = 0.9·1 + 0.9 =
  // 1.8, w = 0.9 - 0.18 = 0.72.
  tt::Param p = make_param({1}, {1});
  tt::SGD opt({&p}, 0.1F, 0.9F);
  p.grad = p.value;
  opt.step();
  CHECK(p.value(0) == Approx(0.9F));
  p.grad = p.value;
  opt.step();
  CHECK(p.value(0) == Approx(0.72F));
}

TEST_CASE("SGD weight decay adds wd times w to the gradient", "[core][optim]") {
  tt::Param p = make_param({2}, {1, -2});
  tt::SGD opt({&p}, 0.5F, 0, 0.1F);
  p.grad = tt::from_vector({2}, {0.2F, 0});
  opt.step();
  // w -= 0.5·(g + 0.1·w): 1 - 0.5·0.3 = 0.85; -2 - 0.5·(-0.2) = -1.9
  CHECK_THAT(p.value, AllClose(tt::from_vector({2}, {0.85F, -1.9F})));
}

TEST_CASE("Adam's first step moves every weight by lr times the sign of its gradient", "[core][optim]") {
  tt::Param p = make_param({4}, {1, 1, 1, 1});
  tt::Adam opt({&p}, 0.01F);
  p.grad = tt::from_vector({4}, {1e-3F, -5, 100, -0.25F});
  opt.step();
  // Bias correction makes m̂ = g and v̂ = g², so the step is lr·g/|g| (up to eps).
  CHECK_THAT(p.value, AllClose(tt::from_vector({4}, {0.99F, 1.01F, 0.99F, 1.01F}), {1e-6F, 1e-5F}));
}

TEST_CASE("Optimizer::zero_grad clears every gradient and bad settings are value_errors", "[core][optim]") {
  tt::Param a = make_param({2}, {1, 2});
  tt::Param b = make_param({1}, {3});
  a.grad = tt::from_vector({2}, {4, 5});
  b.grad = tt::from_vector({1}, {6});
  tt::SGD opt({&a, &b}, 0.1F);
  CHECK(opt.params().size() == 2);
  opt.zero_grad();
  CHECK_THAT(a.grad, AllClose(tt::zeros({2})));
  CHECK_THAT(b.grad, AllClose(tt::zeros({1})));
  opt.lr = 0.2F;  // a scheduler changes lr between steps
  a.grad = tt::from_vector({2}, {1, 1});
  opt.step();
  CHECK_THAT(a.value, AllClose(tt::from_vector({2}, {0.8F, 1.8F})));

  REQUIRE_THROWS_AS(tt::SGD({&a}, -1.0F), tt::value_error);
  REQUIRE_THROWS_AS(tt::SGD({&a}, 0.1F, 1.0F), tt::value_error);
  REQUIRE_THROWS_AS(tt::SGD({&a}, 0.1F, 0, -1.0F), tt::value_error);
  REQUIRE_THROWS_AS(tt::Adam({&a}, 0.1F, 1.0F), tt::value_error);
  REQUIRE_THROWS_AS(tt::SGD({nullptr}, 0.1F), tt::value_error);
  a.grad = tt::zeros({3});
  REQUIRE_THROWS_AS(opt.step(), tt::shape_error);
}
