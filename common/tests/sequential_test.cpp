// Tests of Sequential (forward/backward chaining, replace, names, summary) and the two models.
// Not training tests: train_test.cpp fits models to data.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "layer_fixtures.hpp"
#include "tt/activations.hpp"
#include "tt/linear.hpp"
#include "tt/models.hpp"
#include "tt/sequential.hpp"
#include "tt/shape_layers.hpp"

using tt::testing::AllClose;

TEST_CASE("Sequential chains forward and backward through its layers", "[core][sequential]") {
  tt::Rng rng(30);
  tt::Sequential model;
  model.emplace<tt::Flatten>();
  auto& first = model.emplace<tt::Linear>(6, 4, rng);
  model.emplace<tt::GELU>();
  model.emplace<tt::Linear>(4, 3, rng);
  REQUIRE(model.size() == 4);
  CHECK(model.as<tt::Linear>(1) == &first);
  CHECK(model.as<tt::ReLU>(1) == nullptr);

  const tt::Tensor x = tt::rand_uniform({2, 2, 3}, -1, 1, rng);
  tt::Tensor expected = x;
  for (std::size_t i = 0; i < model.size(); ++i) expected = model.at(i).forward(expected);
  CHECK_THAT(model.forward(x), AllClose(expected));
  tt::testing::check_layer_gradients(model, x);
  REQUIRE_THROWS_AS(model.at(4), tt::index_error);
}

TEST_CASE("Sequential::replace returns the old layer and forward uses the new one", "[core][sequential]") {
  tt::Rng rng(31);
  tt::Sequential model;
  model.emplace<tt::Linear>(tt::from_vector({2, 2}, {1, 0, 0, 1}), tt::Tensor());
  model.emplace<tt::ReLU>();
  const tt::Tensor x = tt::from_vector({1, 2}, {-1, 2});
  CHECK_THAT(model.forward(x), AllClose(tt::from_vector({1, 2}, {0, 2})));

  std::unique_ptr<tt::Module> old =
      model.replace(0, std::make_unique<tt::Linear>(tt::from_vector({2, 2}, {-1, 0, 0, 1}), tt::Tensor()));
  REQUIRE(old != nullptr);
  CHECK(old->kind() == "Linear");
  CHECK_THAT(old->forward(x), AllClose(x));
  CHECK_THAT(model.forward(x), AllClose(tt::from_vector({1, 2}, {1, 2})));

  old = model.replace(1, std::make_unique<tt::GELU>());
  CHECK(old->kind() == "ReLU");
  CHECK(model.at(1).kind() == "GELU");
  REQUIRE_THROWS_AS(model.replace(2, std::make_unique<tt::ReLU>()), tt::index_error);
  REQUIRE_THROWS_AS(model.replace(0, nullptr), tt::value_error);
}

TEST_CASE("named_params, summary and parameter counts describe make_mlp", "[core][sequential][models]") {
  tt::Sequential mlp = tt::make_mlp({784, 256, 128, 10}, 0);
  std::vector<std::string> names;
  for (auto& [name, p] : mlp.named_params()) names.push_back(name);
  CHECK(names == std::vector<std::string>{"1.weight", "1.bias", "3.weight", "3.bias", "5.weight", "5.bias"});
  CHECK(mlp.summary() ==
        "0 Flatten\n1 Linear(784 -> 256)\n2 ReLU\n3 Linear(256 -> 128)\n4 ReLU\n5 Linear(128 -> 10)\n");
  const std::size_t count = 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10;
  CHECK(tt::parameter_count(mlp) == count);
  CHECK(tt::parameter_bytes(mlp) == count * sizeof(float));
  CHECK(mlp.forward(tt::zeros({3, 1, 28, 28})).shape() == tt::Tensor::shape_type{3, 10});
  REQUIRE_THROWS_AS(tt::make_mlp({784}, 0), tt::value_error);
}

TEST_CASE("make_cnn builds the documented layers and maps (N, 1, 28, 28) to (N, 10)", "[core][models]") {
  tt::Sequential cnn = tt::make_cnn(1);
  CHECK(cnn.summary() ==
        "0 Conv2d(1 -> 8, k=3, stride=1, pad=1)\n1 ReLU\n2 MaxPool2d(k=2, stride=2)\n"
        "3 Conv2d(8 -> 16, k=3, stride=1, pad=1)\n4 ReLU\n5 MaxPool2d(k=2, stride=2)\n6 Flatten\n"
        "7 Linear(784 -> 10)\n");
  CHECK(tt::parameter_count(cnn) == (8 * 9 + 8) + (16 * 8 * 9 + 16) + (784 * 10 + 10));
  tt::Rng rng(32);
  const tt::Tensor x = tt::rand_uniform({2, 1, 28, 28}, 0, 1, rng);
  const tt::Tensor y = cnn.forward(x);
  CHECK(y.shape() == tt::Tensor::shape_type{2, 10});
  CHECK(cnn.backward(tt::full({2, 10}, 0.1F)).shape() == x.shape());
}

TEST_CASE("models are reproducible from their seed", "[core][models]") {
  auto first_weight = [](tt::Sequential& m) { return m.params().front()->value; };
  tt::Sequential a = tt::make_mlp({8, 4, 2}, 5);
  tt::Sequential b = tt::make_mlp({8, 4, 2}, 5);
  tt::Sequential c = tt::make_mlp({8, 4, 2}, 6);
  CHECK((first_weight(a) == first_weight(b)));
  CHECK_FALSE((first_weight(a) == first_weight(c)));
  tt::Sequential d = tt::make_cnn(3);
  tt::Sequential e = tt::make_cnn(3);
  CHECK((first_weight(d) == first_weight(e)));
}

TEST_CASE("Sequential::set_training reaches every layer", "[core][sequential]") {
  tt::Sequential mlp = tt::make_mlp({4, 3, 2}, 0);
  mlp.set_training(false);
  for (std::size_t i = 0; i < mlp.size(); ++i) CHECK_FALSE(mlp.at(i).training());
  mlp.forward(tt::zeros({2, 4}));
  REQUIRE_THROWS_AS(mlp.backward(tt::zeros({2, 2})), tt::error);
  mlp.add(std::make_unique<tt::ReLU>());
  CHECK_FALSE(mlp.at(mlp.size() - 1).training());
  mlp.set_training(true);
  mlp.forward(tt::zeros({2, 4}));
  REQUIRE_NOTHROW(mlp.backward(tt::zeros({2, 2})));
}
