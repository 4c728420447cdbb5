// Provided course code: export and import of classifiers for the harness (model_io.hpp).
// Not student code, and not a checkpoint format: weights as JSON numbers, for one pipe crossing.
#include "tt/capstone/model_io.hpp"

#include <memory>
#include <string>
#include <vector>

#include "tt/activations.hpp"
#include "tt/compress/csr.hpp"
#include "tt/errors.hpp"
#include "tt/linear.hpp"
#include "tt/quant/quantized_layers.hpp"
#include "tt/shape_layers.hpp"

namespace tt::capstone {
using nlohmann::json;

namespace {

template <class T, class E>
json values(const E& e) {
  return json(std::vector<T>(e.begin(), e.end()));
}

Tensor tensor(const json& j, const Shape& shape, const std::string& what) {
  const auto v = j.get<std::vector<float>>();
  std::size_t n = 1;
  for (auto s : shape) n *= s;
  if (v.size() != n)
    throw data_error("model import: " + what + " has " + std::to_string(v.size()) + " values, expected " +
                     std::to_string(n));
  return from_vector(shape, v);
}

json qparams(quant::QParams q) { return {{"scale", q.scale}, {"zero_point", q.zero_point}}; }
quant::QParams qparams(const json& j) { return {j.at("scale").get<float>(), j.at("zero_point").get<std::int32_t>()}; }

json export_layer(Module& m) {
  if (auto* l = dynamic_cast<Linear*>(&m))
    return {{"kind", "Linear"},
            {"in", l->in_features()},
            {"out", l->out_features()},
            {"weight", values<float>(l->weight.value)},
            {"bias", l->has_bias() ? values<float>(l->bias.value) : json::array()}};
  if (auto* q = dynamic_cast<quant::QuantizedLinear*>(&m)) {
    json scales = json::array();
    for (const auto& p : q->weight_params().params) scales.push_back(qparams(p));
    return {{"kind", "QuantizedLinear"},
            {"in", q->in_features()},
            {"out", q->out_features()},
            {"weight_int8", values<int>(q->weight_int8())},
            {"weight_params", scales},
            {"per_channel", q->weight_params().per_channel()},
            {"input", qparams(q->input_params())},
            {"bias", values<float>(q->bias())}};
  }
  if (auto* s = dynamic_cast<compress::SparseLinear*>(&m)) {
    const auto& w = s->weight();
    return {{"kind", "SparseLinear"},
            {"rows", w.rows},
            {"cols", w.cols},
            {"row_ptr", w.row_ptr},
            {"col_idx", w.col_idx},
            {"values", w.values},
            {"bias", values<float>(s->bias())}};
  }
  const std::string kind = m.kind();
  if (kind == "ReLU" || kind == "GELU" || kind == "Flatten") return {{"kind", kind}};
  return {{"kind", kind}, {"unsupported", true}};
}

std::unique_ptr<Module> import_layer(const json& j, std::size_t index) {
  const std::string kind = j.at("kind").get<std::string>();
  const std::string what = "layer " + std::to_string(index) + " (" + kind + ")";
  if (kind == "ReLU") return std::make_unique<ReLU>();
  if (kind == "GELU") return std::make_unique<GELU>();
  if (kind == "Flatten") return std::make_unique<Flatten>();
  const std::size_t in = j.value("in", std::size_t{0}), out = j.value("out", std::size_t{0});
  if (kind == "Linear") {
    Tensor bias = j.at("bias").empty() ? Tensor::from_shape({0}) : tensor(j.at("bias"), {out}, what + " bias");
    return std::make_unique<Linear>(tensor(j.at("weight"), {out, in}, what + " weight"), bias);
  }
  if (kind == "QuantizedLinear") {
    // Rebuilt through the course's own quantizer: the dequantized weights of a symmetric int8
    // layer quantize back to the same int8 values (each row's largest magnitude is ±127·scale).
    const auto w8 = j.at("weight_int8").get<std::vector<int>>();
    const auto& params = j.at("weight_params");
    const bool per_channel = j.at("per_channel").get<bool>();
    if (w8.size() != out * in || params.size() != (per_channel ? out : 1))
      throw data_error("model import: " + what + " has inconsistent weight sizes");
    std::vector<float> w(w8.size());
    for (std::size_t r = 0; r < out; ++r) {
      const auto p = qparams(params.at(per_channel ? r : 0));
      for (std::size_t c = 0; c < in; ++c) w[r * in + c] = p.scale * static_cast<float>(w8[r * in + c] - p.zero_point);
    }
    Tensor bias = j.at("bias").empty() ? Tensor::from_shape({0}) : tensor(j.at("bias"), {out}, what + " bias");
    const Linear dense(from_vector({out, in}, w), bias);
    return std::make_unique<quant::QuantizedLinear>(dense, qparams(j.at("input")), per_channel);
  }
  if (kind == "SparseLinear") {
    compress::CsrMatrix m;
    m.rows = j.at("rows").get<std::size_t>();
    m.cols = j.at("cols").get<std::size_t>();
    m.row_ptr = j.at("row_ptr").get<std::vector<std::uint32_t>>();
    m.col_idx = j.at("col_idx").get<std::vector<std::uint32_t>>();
    m.values = j.at("values").get<std::vector<float>>();
    Tensor bias = j.at("bias").empty() ? Tensor::from_shape({0}) : tensor(j.at("bias"), {m.rows}, what + " bias");
    return std::make_unique<compress::SparseLinear>(std::move(m), bias);
  }
  throw data_error("model import: " + what +
                   " is a layer the harness cannot rebuild (it knows Linear, ReLU, GELU, "
                   "Flatten, QuantizedLinear, SparseLinear)");
}

}  // namespace

json export_classifier(Sequential& model) {
  json layers = json::array();
  for (std::size_t i = 0; i < model.size(); ++i) layers.push_back(export_layer(model.at(i)));
  return {{"schema", kModelSchema}, {"layers", layers}};
}

Sequential import_classifier(const json& j) {
  try {
    if (j.value("schema", "") != kModelSchema)
      throw data_error("model import: not a " + std::string(kModelSchema) + " export");
    Sequential s;
    std::size_t i = 0;
    for (const auto& layer : j.at("layers")) s.add(import_layer(layer, i++));
    s.set_training(false);
    return s;
  } catch (const json::exception& e) {
    throw data_error(std::string("model import: malformed export (") + e.what() + ")");
  }
}

}  // namespace tt::capstone
