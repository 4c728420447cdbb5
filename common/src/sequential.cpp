// Sequential: forward through the layers in order, backward in reverse, and layer surgery.
// Not a graph executor: one input, one output; branches and skips belong in custom modules.
#include "tt/sequential.hpp"

#include <string>

#include "layer_checks.hpp"

namespace tt {

namespace {
void check_layer(const std::unique_ptr<Module>& layer, const std::string& what) {
  if (!layer) throw value_error(what + ": expected a layer, got nullptr");
}
}  // namespace

Sequential& Sequential::add(std::unique_ptr<Module> layer) {
  check_layer(layer, "Sequential::add");
  layer->set_training(training_);
  layers_.push_back(std::move(layer));
  return *this;
}

Tensor Sequential::forward(const Tensor& x) {
  if (layers_.empty()) return x;
  Tensor h = layers_.front()->forward(x);
  for (std::size_t i = 1; i < layers_.size(); ++i) h = layers_[i]->forward(h);
  return h;
}

Tensor Sequential::backward(const Tensor& grad_out) {
  if (layers_.empty()) return grad_out;
  Tensor g = layers_.back()->backward(grad_out);
  for (std::size_t i = layers_.size() - 1; i-- > 0;) g = layers_[i]->backward(g);
  return g;
}

std::vector<Param*> Sequential::params() {
  std::vector<Param*> out;
  for (auto& layer : layers_) {
    for (Param* p : layer->params()) out.push_back(p);
  }
  return out;
}

void Sequential::set_training(bool on) {
  training_ = on;
  for (auto& layer : layers_) layer->set_training(on);
}

Module& Sequential::at(std::size_t i) {
  if (i >= layers_.size()) {
    throw index_error("Sequential::at: layer " + std::to_string(i) + " does not exist (the model has " +
                      std::to_string(layers_.size()) + " layers)");
  }
  return *layers_[i];
}

const Module& Sequential::at(std::size_t i) const { return const_cast<Sequential*>(this)->at(i); }

std::unique_ptr<Module> Sequential::replace(std::size_t i, std::unique_ptr<Module> layer) {
  at(i);  // index check
  check_layer(layer, "Sequential::replace");
  layer->set_training(training_);
  std::swap(layers_[i], layer);
  return layer;
}

std::vector<std::pair<std::string, Param*>> Sequential::named_params() {
  std::vector<std::pair<std::string, Param*>> out;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    for (Param* p : layers_[i]->params()) out.emplace_back(std::to_string(i) + "." + p->name, p);
  }
  return out;
}

std::string Sequential::summary() const {
  std::string s;
  for (std::size_t i = 0; i < layers_.size(); ++i) s += std::to_string(i) + " " + layers_[i]->describe() + "\n";
  return s;
}

std::size_t parameter_bytes(Module& m) { return parameter_count(m) * sizeof(float); }

std::size_t parameter_count(Module& m) {
  std::size_t n = 0;
  for (Param* p : m.params()) n += p->value.size();
  return n;
}

}  // namespace tt
