// Provided course code: the data sets of the fastest-trainer race (trainer.hpp), by name.
// Not student code: the entry server and the harness load the splits with this same code.
#include <string>

#include "tt/capstone/trainer.hpp"
#include "tt/cifar10.hpp"
#include "tt/errors.hpp"

namespace tt::capstone {

std::string to_string(TrainerDataset d) { return d == TrainerDataset::cifar10 ? "cifar10" : "fashion-mnist"; }

TrainerDataset trainer_dataset(const std::string& name) {
  if (name == "fashion-mnist") return TrainerDataset::fashion_mnist;
  if (name == "cifar10") return TrainerDataset::cifar10;
  throw value_error("trainer data set '" + name + "' is unknown: expected fashion-mnist or cifar10");
}

Dataset load_trainer_split(TrainerDataset d, Split split, const std::string& dir) {
  return d == TrainerDataset::cifar10 ? load_cifar10(split, 0, dir) : load_fashion_mnist(split, 0, dir);
}

}  // namespace tt::capstone
