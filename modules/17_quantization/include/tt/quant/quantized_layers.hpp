// Part 4 of module 17: QuantizedLinear and QuantizedConv2d, int8 layers that drop into tt::Sequential.
// Not trainable: forward only (post-training quantization); backward() throws.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tt/conv2d.hpp"
#include "tt/linear.hpp"
#include "tt/quant/gemm_i8.hpp"
#include "tt/quant/qparams.hpp"
#include "tt/quant/requantize.hpp"

namespace tt::quant {

// y = x · Wᵀ + b with int8 weights (symmetric: zero point 0; per output channel or per tensor)
// and int8 activations (affine, static parameters from calibration).
// With zx the input zero point and acc[i][j] = Σ_k (xq[i][k] - zx) · wq[j][k]:
//   fp32 path: y[i][j] = sx · sw[j] · acc[i][j] + b[j]
//   int8 path: yq[i][j] = requantize(acc[i][j] + round(b[j] / (sx·sw[j])), sx·sw[j]/sy, zy)
class QuantizedLinear : public Module {
 public:
  // layer: a trained Linear (its weights are quantized and packed; the fp32 copy is not kept).
  // input: the activation parameters for x; output: the parameters of y, needed only by
  // forward_int8. Weight scales: max|W[j]|/127 per row j (per_channel) or max|W|/127.
  QuantizedLinear(const Linear& layer, QParams input, bool per_channel_weights = true,
                  std::optional<QParams> output = std::nullopt);

  std::string kind() const override { return "QuantizedLinear"; }
  // "QuantizedLinear(784 -> 256, int8, per-channel)"
  std::string describe() const override;
  // x: (..., in) fp32 → (..., out) fp32: quantize x, int8 GEMM, dequantize, add the bias.
  Tensor forward(const Tensor& x) override;
  // Throws tt::error: quantized layers are for inference only.
  Tensor backward(const Tensor& grad_out) override;

  // Zero-point-corrected int32 accumulators. xq: (rows, in) int8 → (rows, out) int32.
  TensorI32 accumulate(const TensorI8& xq) const;
  // The integer-only path. xq: (rows, in) int8 at input_params() → (rows, out) int8 at
  // output_params(). tt::error if the layer has no output parameters.
  TensorI8 forward_int8(const TensorI8& xq) const;

  std::size_t in_features() const { return weight_.k(); }
  std::size_t out_features() const { return weight_.n(); }
  const QuantParams& weight_params() const { return wparams_; }
  QParams input_params() const { return input_; }
  std::optional<QParams> output_params() const { return output_; }
  // The fp32 bias (out), empty when the Linear had none.
  const Tensor& bias() const { return bias_; }
  // The int8 weights (out, in), unpacked, and their dequantized fp32 values.
  TensorI8 weight_int8() const { return weight_.unpack(); }
  Tensor dequantized_weight() const;
  // Bytes of the stored weight: packed int8 (+ column sums) plus scales and zero points.
  std::size_t weight_bytes() const { return weight_.bytes() + wparams_.bytes(); }
  // The GEMM kernel forward() uses (default best_kernel()).
  void set_kernel(GemmKernel k) { kernel_ = k; }
  GemmKernel kernel() const { return kernel_; }

 private:
  PackedI8 weight_;
  QuantParams wparams_;
  QParams input_;
  std::optional<QParams> output_;
  Tensor bias_;                                // (out) fp32, empty when the Linear had none
  Tensor out_scale_;                           // (out) sx · sw[j]
  TensorI32 bias_q_;                           // (out) round(b[j] / (sx · sw[j])), int8 path only
  std::vector<FixedPointMultiplier> requant_;  // (out) sx · sw[j] / sy, int8 path only
  GemmKernel kernel_ = best_kernel();
  // Scratch reused from batch to batch by forward() (activations, not weights).
  TensorI8 xq_;
  TensorI32 acc_;
  void accumulate_into(const TensorI8& xq, TensorI32& acc) const;
};

// Conv2d as im2col + QuantizedLinear: the (out_c, in_c, k, k) weight is a (out_c, in_c·k·k)
// matrix; columns are quantized with the input parameters (zero padding is exactly zx).
class QuantizedConv2d : public Module {
 public:
  QuantizedConv2d(const Conv2d& layer, QParams input, bool per_channel_weights = true);

  std::string kind() const override { return "QuantizedConv2d"; }
  // "QuantizedConv2d(1 -> 8, k=3, stride=1, pad=1, int8, per-channel)"
  std::string describe() const override;
  // x: (N, in_c, H, W) fp32 → (N, out_c, OH, OW) fp32
  Tensor forward(const Tensor& x) override;
  // Throws tt::error: quantized layers are for inference only.
  Tensor backward(const Tensor& grad_out) override;

  std::size_t in_channels() const { return in_channels_; }
  std::size_t out_channels() const { return gemm_.out_features(); }
  std::size_t kernel() const { return kernel_; }
  // The GEMM inside: weight (out_c, in_c·k·k).
  const QuantizedLinear& gemm() const { return gemm_; }
  QuantizedLinear& gemm() { return gemm_; }
  std::size_t weight_bytes() const { return gemm_.weight_bytes(); }

 private:
  std::size_t in_channels_, kernel_, stride_, padding_;
  QuantizedLinear gemm_;
};

}  // namespace tt::quant
