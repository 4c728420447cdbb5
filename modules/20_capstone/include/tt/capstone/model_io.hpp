// A classifier as data: exported by the entry's process (every stored number, layer by layer) and
// rebuilt by the harness with the course's own layers, so the harness can count the bytes itself
// and check that the rebuilt model gives the entry's answers.
// Not a file format for students to depend on: it only crosses the pipe between the two processes.
#pragma once

#include <nlohmann/json.hpp>

#include "tt/sequential.hpp"

namespace tt::capstone {

inline constexpr const char* kModelSchema = "tt-capstone-model/1";

// Layers the format knows: Linear, ReLU, GELU, Flatten, QuantizedLinear, SparseLinear. Any other
// layer is exported as {"kind": K, "unsupported": true}: the harness cannot rebuild that model.
nlohmann::json export_classifier(Sequential& model);

// The model the export describes, built from the course's layers. data_error naming the layer
// for a malformed export or an unsupported layer.
Sequential import_classifier(const nlohmann::json& model);

}  // namespace tt::capstone
