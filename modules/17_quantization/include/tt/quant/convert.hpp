// Part 5 of module 17: post-training static quantization of a trained Sequential (calibrate, convert, report).
// Not quantization-aware training: the fp32 weights are frozen; only ranges are learned from data.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tt/fashion_mnist.hpp"
#include "tt/quant/observers.hpp"
#include "tt/quant/quantized_layers.hpp"
#include "tt/sequential.hpp"

namespace tt::quant {

// 17.7 — signal-to-quantization-noise ratio in dB: 10·log10(Σ ref² / Σ (ref - approx)²).
// +infinity when approx == ref exactly; shape_error unless the shapes match.
double sqnr_db(const Tensor& reference, const Tensor& approx);

// 17.7 — runs `images` through `model` in eval mode, batch by batch, and feeds one clone of
// `prototype` per Linear/Conv2d layer with that layer's input. images: (N, ...) → for each
// quantizable layer index, the range its observer chose. Training mode is restored after.
std::map<std::size_t, Range> calibrate(Sequential& model, const Tensor& images, const Observer& prototype,
                                       std::size_t batch_size = 256);

struct PtqOptions {
  std::size_t calibration_batches = 8;  // N batches of the calibration set
  std::size_t batch_size = 256;
  bool per_channel_weights = true;
  const Observer* observer = nullptr;  // prototype; nullptr → MinMaxObserver
};

struct LayerReport {
  std::size_t index = 0;
  std::string before, after;          // describe() of the fp32 and the int8 layer
  std::size_t bytes_before = 0;       // tracked bytes the fp32 layer held (freed when replaced)
  std::size_t bytes_after = 0;        // tracked bytes the int8 layer holds
  std::size_t weight_bytes_fp32 = 0;  // weight values only
  std::size_t weight_bytes_int8 = 0;  // int8 weights + scales + zero points
  double sqnr = 0;                    // dB, layer output, int8 vs fp32, on the same fp32 input
  Range input_range;
};

struct PtqReport {
  std::vector<LayerReport> layers;
  std::size_t bytes_before() const;
  std::size_t bytes_after() const;
  // Σ fp32 weight bytes / Σ int8 weight bytes (scales and zero points included).
  double size_ratio() const;
  // "idx  before → after  bytes  SQNR" one line per layer
  std::string summary() const;
};

// 17.7 — post-training static quantization: calibrates on the first
// calibration_batches · batch_size images of `calibration`, then replaces every Linear with a
// QuantizedLinear and every Conv2d with a QuantizedConv2d (other layers stay fp32), measuring
// bytes held before/after with tt::tracking and each layer's output SQNR on the first batch.
PtqReport quantize_model(Sequential& model, const Dataset& calibration, const PtqOptions& options = {});

}  // namespace tt::quant
