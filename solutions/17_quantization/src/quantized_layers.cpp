// Reference for 17.6: QuantizedLinear and QuantizedConv2d (int8 weights, int8 GEMM, fp32 or int8 output).
// Not the kernels (gemm_fast.cpp) and not the model conversion (convert.cpp).
#include <cmath>
#include <string>

#include "tt/quant/quantized_layers.hpp"

namespace tt::quant {
namespace {

[[noreturn]] void inference_only(const std::string& kind) {
  throw error(kind +
              "::backward: quantized layers are inference-only (post-training quantization); train the fp32 "
              "model, then convert it with tt::quant::quantize_model");
}

float weight_scale(const QuantParams& w, std::size_t j) { return w.params[w.per_channel() ? j : 0].scale; }

}  // namespace

QuantizedLinear::QuantizedLinear(const Linear& layer, QParams input, bool per_channel_weights,
                                 std::optional<QParams> output)
    : input_(input), output_(output) {
  if (!(input.scale > 0.0F) || !std::isfinite(input.scale) || input.zero_point < kQMin || input.zero_point > kQMax) {
    throw value_error(
        "QuantizedLinear: input parameters need a finite scale > 0 and a zero point in [-128, 127], got "
        "scale " +
        std::to_string(input.scale) + ", zero point " + std::to_string(input.zero_point));
  }
  const Tensor& w = layer.weight.value;
  const Quantizer wq(Scheme::symmetric, per_channel_weights ? std::optional<std::size_t>(0) : std::nullopt);
  wparams_ = wq.fit(w);
  weight_ = PackedI8(Quantizer::quantize_with(w, wparams_));
  const std::size_t out = w.shape()[0];
  out_scale_ = Tensor::from_shape({out});
  for (std::size_t j = 0; j < out; ++j) out_scale_(j) = input.scale * weight_scale(wparams_, j);
  if (layer.has_bias()) bias_ = layer.bias.value;
  if (output) {
    bias_q_ = TensorI32::from_shape({out});
    requant_.resize(out);
    for (std::size_t j = 0; j < out; ++j) {
      const double s = static_cast<double>(out_scale_(j));
      bias_q_(j) = layer.has_bias() ? static_cast<std::int32_t>(std::llround(layer.bias.value(j) / s)) : 0;
      requant_[j] = quantize_multiplier(s / static_cast<double>(output->scale));
    }
  }
}

std::string QuantizedLinear::describe() const {
  return "QuantizedLinear(" + std::to_string(in_features()) + " -> " + std::to_string(out_features()) + ", int8, " +
         (wparams_.per_channel() ? "per-channel" : "per-tensor") + ")";
}

void QuantizedLinear::accumulate_into(const TensorI8& xq, TensorI32& acc) const {
  gemm_i8(xq, weight_, acc, kernel_);
  const std::size_t rows = acc.shape()[0], out = acc.shape()[1];
  const std::int32_t zx = input_.zero_point;
  const std::int32_t* sums = weight_.column_sums().data();
  for (std::size_t i = 0; i < rows; ++i) {
    std::int32_t* r = acc.data() + i * out;
    for (std::size_t j = 0; j < out; ++j) r[j] -= zx * sums[j];
  }
}

TensorI32 QuantizedLinear::accumulate(const TensorI8& xq) const {
  TensorI32 acc;
  accumulate_into(xq, acc);
  return acc;
}

Tensor QuantizedLinear::forward(const Tensor& x) {
  const std::size_t in = in_features(), out = out_features();
  if (x.dimension() == 0 || x.shape()[x.dimension() - 1] != in) {
    throw shape_error("QuantizedLinear::forward: expected input (..., " + std::to_string(in) + "), got " + shape_of(x));
  }
  const std::size_t rows = x.size() / in;
  Quantizer::quantize_into(x, QuantParams{Scheme::affine, std::nullopt, {input_}}, xq_);
  xq_.reshape({rows, in});
  accumulate_into(xq_, acc_);
  Shape shape(x.shape().begin(), x.shape().end());
  shape.back() = out;
  Tensor y = Tensor::from_shape(shape);
  const float* sc = out_scale_.data();
  const float* b = bias_.dimension() == 1 && bias_.size() == out ? bias_.data() : nullptr;
  for (std::size_t i = 0; i < rows; ++i) {
    const std::int32_t* a = acc_.data() + i * out;
    float* yr = y.data() + i * out;
    if (b != nullptr) {
      for (std::size_t j = 0; j < out; ++j) yr[j] = sc[j] * static_cast<float>(a[j]) + b[j];
    } else {
      for (std::size_t j = 0; j < out; ++j) yr[j] = sc[j] * static_cast<float>(a[j]);
    }
  }
  return y;
}

Tensor QuantizedLinear::backward(const Tensor&) { inference_only(kind()); }

TensorI8 QuantizedLinear::forward_int8(const TensorI8& xq) const {
  if (!output_) {
    throw error(
        "QuantizedLinear::forward_int8: this layer has no output parameters; construct it with output "
        "QParams (from an observer of the layer's output)");
  }
  const TensorI32 acc = accumulate(xq);
  const std::size_t rows = acc.shape()[0], out = acc.shape()[1];
  TensorI8 y = TensorI8::from_shape({rows, out});
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < out; ++j)
      y(i, j) = requantize(acc(i, j) + bias_q_(j), requant_[j], output_->zero_point);
  }
  return y;
}

Tensor QuantizedLinear::dequantized_weight() const { return Quantizer::dequantize(weight_.unpack(), wparams_); }

namespace {
// The conv weight (out_c, in_c, k, k) as a Linear (out_c, in_c·k·k); a missing bias becomes zeros.
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
  return "QuantizedConv2d(" + std::to_string(in_channels_) + " -> " + std::to_string(out_channels()) +
         ", k=" + std::to_string(kernel_) + ", stride=" + std::to_string(stride_) +
         ", pad=" + std::to_string(padding_) + ", int8, " +
         (gemm_.weight_params().per_channel() ? "per-channel" : "per-tensor") + ")";
}

Tensor QuantizedConv2d::forward(const Tensor& x) {
  if (x.dimension() != 4 || x.shape()[1] != in_channels_) {
    throw shape_error("QuantizedConv2d::forward: expected input (N, " + std::to_string(in_channels_) + ", H, W), got " +
                      shape_of(x));
  }
  const ConvGeometry g{in_channels_, x.shape()[2], x.shape()[3], kernel_, stride_, padding_};
  const std::size_t n = x.shape()[0], oh = g.out_height(), ow = g.out_width(), oc = out_channels();
  const Tensor cols = im2col(x, kernel_, stride_, padding_);  // (N·OH·OW, C·k·k)
  const Tensor y2 = gemm_.forward(cols);                      // (N·OH·OW, out_c)
  Tensor y = Tensor::from_shape({n, oc, oh, ow});
  const std::size_t hw = oh * ow;
  for (std::size_t b = 0; b < n; ++b) {
    for (std::size_t p = 0; p < hw; ++p) {
      const float* src = y2.data() + (b * hw + p) * oc;
      for (std::size_t c = 0; c < oc; ++c) y.data()[(b * oc + c) * hw + p] = src[c];
    }
  }
  return y;
}

Tensor QuantizedConv2d::backward(const Tensor&) { inference_only(kind()); }

}  // namespace tt::quant
