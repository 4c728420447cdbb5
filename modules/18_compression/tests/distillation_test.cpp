// Tests of the distillation loss, its gradient and the distillation trainer (tasks 18.10–18.11).
// Not a test that distillation helps: that is measured by the benchmark (kd_student_gain_pp).
#include "tt/compress/distillation.hpp"

#include <cmath>

#include "m18_fixtures.hpp"
#include "tt/loss.hpp"
#include "tt/models.hpp"
#include "tt/optim.hpp"
#include "tt/testing.hpp"
#include "tt/train.hpp"

using tt::compress::DistillationLoss;
using tt::testing::AllClose;

namespace {

// The loss computed from its definition in double.
double loss_oracle(const tt::Tensor& zs, const tt::Tensor& zt, const std::vector<std::int32_t>& y, double t,
                   double alpha, double* soft_out = nullptr, double* hard_out = nullptr) {
  const std::size_t n = zs.shape()[0], c = zs.shape()[1];
  auto softmax_row = [&](const tt::Tensor& z, std::size_t i, double temp) {
    std::vector<double> p(c);
    double mx = -1e300, s = 0;
    for (std::size_t j = 0; j < c; ++j) mx = std::max(mx, z(i, j) / temp);
    for (std::size_t j = 0; j < c; ++j) s += p[j] = std::exp(z(i, j) / temp - mx);
    for (double& v : p) v /= s;
    return p;
  };
  double kl = 0, ce = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto ps = softmax_row(zs, i, t), pt = softmax_row(zt, i, t), p1 = softmax_row(zs, i, 1.0);
    for (std::size_t j = 0; j < c; ++j) kl += pt[j] * (std::log(pt[j]) - std::log(ps[j]));
    ce -= std::log(p1[static_cast<std::size_t>(y[i])]);
  }
  const double soft = t * t * kl / static_cast<double>(n), hard = ce / static_cast<double>(n);
  if (soft_out) *soft_out = soft;
  if (hard_out) *hard_out = hard;
  return alpha * soft + (1 - alpha) * hard;
}

}  // namespace

TEST_CASE("The distillation loss is alpha T^2 KL plus (1 - alpha) cross-entropy", "[m18][18.10][points=2]") {
  tt::Rng rng(2);
  const tt::Tensor zs = tt::rand_normal({5, 4}, 0, 2, rng);
  const tt::Tensor zt = tt::rand_normal({5, 4}, 0, 2, rng);
  const std::vector<std::int32_t> y{0, 3, 1, 1, 2};
  const float t = GENERATE(1.0F, 2.0F, 5.0F);
  const float alpha = GENERATE(0.0F, 0.4F, 1.0F);
  DistillationLoss loss(t, alpha);
  double soft = 0, hard = 0;
  const double expected = loss_oracle(zs, zt, y, t, alpha, &soft, &hard);
  CHECK(loss.forward(zs, zt, y) == Approx(expected).epsilon(1e-4).margin(1e-5));
  CHECK(loss.soft_loss() == Approx(soft).epsilon(1e-4).margin(1e-5));
  CHECK(loss.hard_loss() == Approx(hard).epsilon(1e-4).margin(1e-5));

  tt::CrossEntropyLoss ce;
  CHECK(loss.hard_loss() == Approx(ce.forward(zs, y)).epsilon(1e-4));
  (void)loss.forward(zs, zs, y);  // a student equal to its teacher: KL is 0
  CHECK(loss.soft_loss() == Approx(0).margin(1e-5));

  REQUIRE_THROWS_AS(loss.forward(zs, tt::zeros({5, 3}), y), tt::shape_error);
  REQUIRE_THROWS_AS(loss.forward(zs, zt, {0, 1}), tt::shape_error);
  REQUIRE_THROWS_AS(loss.forward(zs, zt, {0, 1, 2, 3, 4}), tt::value_error);
  REQUIRE_THROWS_AS(DistillationLoss(0.0F, 0.5F), tt::value_error);
  REQUIRE_THROWS_AS(DistillationLoss(2.0F, 1.5F), tt::value_error);
}

TEST_CASE("The distillation gradient matches finite differences", "[m18][18.10][points=3]") {
  tt::Rng rng(6);
  const tt::Tensor zs = tt::rand_normal({4, 5}, 0, 1.5, rng);
  const tt::Tensor zt = tt::rand_normal({4, 5}, 0, 1.5, rng);
  const std::vector<std::int32_t> y{4, 0, 2, 2};
  const float t = GENERATE(1.0F, 3.0F);
  const float alpha = GENERATE(0.3F, 1.0F);
  CAPTURE(t, alpha);
  DistillationLoss loss(t, alpha);
  (void)loss.forward(zs, zt, y);
  const tt::Tensor analytic = loss.backward();
  const tt::Tensor numeric =
      tt::testing::numeric_gradient([&](const tt::Tensor& z) { return loss_oracle(z, zt, y, t, alpha); }, zs, 1e-2);
  CHECK_THAT(analytic, AllClose(numeric, {1e-3F, 1e-2F}));
  // And against the class's own forward, in float.
  DistillationLoss probe(t, alpha);
  const tt::Tensor numeric_self = tt::testing::numeric_gradient(
      [&](const tt::Tensor& z) { return static_cast<double>(probe.forward(z, zt, y)); }, zs, 1e-2);
  CHECK_THAT(analytic, AllClose(numeric_self, {2e-3F, 2e-2F}));
  REQUIRE_THROWS_AS(DistillationLoss(t, alpha).backward(), tt::error);
}

TEST_CASE("The distillation trainer reports both loss parts per epoch", "[m18][18.11][points=2]") {
  const tt::Dataset data = m18::synthetic_data(384, 16, 3, 2);
  tt::Sequential teacher = tt::make_mlp({16, 48, 3}, 1);
  {
    tt::Adam opt(teacher.params(), 1e-2F);
    tt::TrainOptions o;
    o.epochs = 4;
    o.batch_size = 32;
    o.progress = false;
    tt::fit(teacher, opt, data, o);
  }
  const tt::Tensor teacher_w = teacher.as<tt::Linear>(1)->weight.value;
  tt::Sequential student = tt::make_mlp({16, 6, 3}, 2);
  tt::Adam opt(student.params(), 1e-2F);
  tt::compress::DistillOptions o;
  o.epochs = 3;
  o.batch_size = 32;
  o.temperature = 3.0F;
  o.alpha = 0.6F;
  o.progress = false;
  tt::compress::KnowledgeDistillation kd(teacher, student, o);
  const auto history = kd.train(opt, data);
  REQUIRE(history.size() == 3);
  for (const auto& e : history) {
    CHECK(e.soft_loss > 0);
    CHECK(e.hard_loss > 0);
    CHECK(e.total_loss == Approx(0.6 * e.soft_loss + 0.4 * e.hard_loss).epsilon(1e-3));
    CHECK(e.accuracy >= 0);
    CHECK(e.accuracy <= 1);
  }
  CHECK(history[0].epoch == 1);
  CHECK(history[2].total_loss < history[0].total_loss);
  CHECK_THAT(teacher.as<tt::Linear>(1)->weight.value, AllClose(teacher_w, {0, 0}));  // the teacher is not trained
  CHECK(tt::evaluate(student, data) > 0.5);
}
