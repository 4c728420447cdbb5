// Your code for 17.6: QuantizedLinear and QuantizedConv2d (int8 weights, int8 GEMM, fp32 or int8 output).
// Not the kernels (gemm_fast.cpp, 17.5) and not the model conversion (convert.cpp, 17.7).
#include <cmath>
#include <string>

#include "tt/quant/quantized_layers.hpp"

namespace tt::quant {

QuantizedLinear::QuantizedLinear(const Linear& layer, QParams input, bool per_channel_weights,
                                 std::optional<QParams> output)
    : input_(input), output_(output) {
  // 1. value_error unless input.scale is finite and > 0 and the zero point fits int8.
  // 2. Weights: Quantizer(Scheme::symmetric, axis 0 or none).fit, quantize_with, PackedI8.
  // 3. out_scale_(j) = sx · sw[j] (sw[0] for every j when per-tensor); copy the bias.
  // 4. With output params: bias_q_(j) = round(b[j] / out_scale_(j)) and
  //    requant_[j] = quantize_multiplier(out_scale_(j) / sy).
  // TODO(17.6): build the int8 layer from the fp32 one.
  TT_UNIMPLEMENTED("17.6 QuantizedLinear::QuantizedLinear");
}

std::string QuantizedLinear::describe() const {
  // TODO(17.6): "QuantizedLinear(784 -> 256, int8, per-channel)" (or per-tensor).
  TT_UNIMPLEMENTED("17.6 QuantizedLinear::describe");
}

void QuantizedLinear::accumulate_into(const TensorI8& xq, TensorI32& acc) const {
  // Σ_k (xq - zx) · wq = Σ_k xq · wq - zx · Σ_k wq: one gemm_i8 with kernel_ (it reuses acc when
  // the shape fits), then subtract zx · column_sums()(j) from column j.
  // TODO(17.6): zero-point-corrected accumulators.
  TT_UNIMPLEMENTED("17.6 QuantizedLinear::accumulate_into");
}

// Given: bookkeeping, not part of a task.
TensorI32 QuantizedLinear::accumulate(const TensorI8& xq) const {
  TensorI32 acc;
  accumulate_into(xq, acc);
  return acc;
}

Tensor QuantizedLinear::forward(const Tensor& x) {
  // shape_error unless the last dimension is in_features(). Quantize x with input_ (one
  // QuantParams, per tensor) into the scratch xq_, view it as (rows, in) (xq_.reshape),
  // accumulate_into acc_, then
  // y = out_scale_(j) · acc + bias(j) in the shape (..., out).
  // TODO(17.6): the fp32-in, fp32-out forward.
  TT_UNIMPLEMENTED("17.6 QuantizedLinear::forward");
}

Tensor QuantizedLinear::backward(const Tensor&) {
  // TODO(17.6): throw tt::error with a message that says the layer is "inference-only" and
  // what to do instead (train in fp32, then convert).
  TT_UNIMPLEMENTED("17.6 QuantizedLinear::backward");
}

TensorI8 QuantizedLinear::forward_int8(const TensorI8& xq) const {
  // tt::error without output params. Else requantize(acc + bias_q_(j), requant_[j], zy).
  // TODO(17.6): the integer-only forward.
  TT_UNIMPLEMENTED("17.6 QuantizedLinear::forward_int8");
}

Tensor QuantizedLinear::dequantized_weight() const {
  // TODO(17.6): Quantizer::dequantize of the unpacked weights with wparams_.
  TT_UNIMPLEMENTED("17.6 QuantizedLinear::dequantized_weight");
}

namespace {
// The conv weight (out_c, in_c, k, k) as a Linear (out_c, in_c·k·k); a missing bias becomes zeros.
// Given: bookkeeping, not part of a task.
Linear conv_as_linear(const Conv2d& conv) {
  Tensor w = conv.weight.value;
  const std::size_t out = conv.out_channels();
  w.reshape({out, w.size() / out});
  Tensor b = conv.has_bias() ? Tensor(conv.bias.value) : Tensor(xt::zeros<float>({out}));
  return Linear(std::move(w), std::move(b));
}
}  // namespace

QuantizedConv2d::QuantizedConv2d(const Conv2d& layer, QParams input, bool per_channel_weights)
    : in_channels_(layer.in_channels()),
      kernel_(layer.kernel()),
      stride_(layer.stride()),
      padding_(layer.padding()),
      gemm_(conv_as_linear(layer), input, per_channel_weights) {}

std::string QuantizedConv2d::describe() const {
  // TODO(17.6): "QuantizedConv2d(1 -> 8, k=3, stride=1, pad=1, int8, per-channel)".
  TT_UNIMPLEMENTED("17.6 QuantizedConv2d::describe");
}

Tensor QuantizedConv2d::forward(const Tensor& x) {
  // shape_error unless x is (N, in_channels(), H, W). im2col (tt/conv2d.hpp) gives
  // (N·OH·OW, C·k·k) columns; gemm_.forward gives (N·OH·OW, out_c); reorder to (N, out_c, OH, OW).
  // TODO(17.6): convolution as im2col + the int8 GEMM.
  TT_UNIMPLEMENTED("17.6 QuantizedConv2d::forward");
}

Tensor QuantizedConv2d::backward(const Tensor&) {
  // TODO(17.6): as QuantizedLinear::backward.
  TT_UNIMPLEMENTED("17.6 QuantizedConv2d::backward");
}

}  // namespace tt::quant
