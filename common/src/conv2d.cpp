// Conv2d as im2col + one matmul (through tt::matmul's backend), and the im2col/col2im pair.
// Not a direct, FFT or Winograd convolution; NCHW only, square kernels, zero padding.
#include "tt/conv2d.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "layer_checks.hpp"
#include "tt/matmul.hpp"
#include "tt/profile_hooks.hpp"

namespace tt {

namespace {

void check_conv_args(std::size_t kernel, std::size_t stride, const std::string& what) {
  if (kernel == 0 || stride == 0) {
    throw value_error(what + ": kernel and stride must be positive, got kernel " + std::to_string(kernel) +
                      ", stride " + std::to_string(stride));
  }
}

void check_fits(const ConvGeometry& g, const std::string& what) {
  if (g.height + 2 * g.padding < g.kernel || g.width + 2 * g.padding < g.kernel) {
    throw shape_error(what + ": a " + std::to_string(g.kernel) + "x" + std::to_string(g.kernel) +
                      " kernel does not fit the padded input " + std::to_string(g.height + 2 * g.padding) + "x" +
                      std::to_string(g.width + 2 * g.padding) + " (input " + std::to_string(g.height) + "x" +
                      std::to_string(g.width) + ", padding " + std::to_string(g.padding) + ")");
  }
}

// Walks the column matrix in order, one kernel row (c, kh) of one output position at a time,
// and splits its k entries into runs: run(col, src, len) for entries that read input[src…src+len)
// (consecutive kw read consecutive iw, whatever the stride) and pad(col, len) for entries that
// fall on the zero padding. im2col and col2im share this one definition of the layout.
template <class Run, class Pad>
void for_each_patch_run(std::size_t n, const ConvGeometry& g, Run run, Pad pad) {
  const std::size_t oh_n = g.out_height();
  const std::size_t ow_n = g.out_width();
  const auto k = static_cast<std::ptrdiff_t>(g.kernel);
  const auto h = static_cast<std::ptrdiff_t>(g.height);
  const auto w = static_cast<std::ptrdiff_t>(g.width);
  const auto padding = static_cast<std::ptrdiff_t>(g.padding);
  std::size_t col = 0;
  for (std::size_t b = 0; b < n; ++b) {
    for (std::size_t oh = 0; oh < oh_n; ++oh) {
      for (std::size_t ow = 0; ow < ow_n; ++ow) {
        const std::ptrdiff_t iw0 = static_cast<std::ptrdiff_t>(ow * g.stride) - padding;
        // Valid kw are those with 0 <= iw0 + kw < w.
        const std::ptrdiff_t kw_lo = std::clamp<std::ptrdiff_t>(-iw0, 0, k);
        const std::ptrdiff_t kw_hi = std::clamp<std::ptrdiff_t>(w - iw0, kw_lo, k);
        for (std::size_t c = 0; c < g.channels; ++c) {
          const auto plane = static_cast<std::ptrdiff_t>((b * g.channels + c) * g.height * g.width);
          for (std::ptrdiff_t kh = 0; kh < k; ++kh, col += static_cast<std::size_t>(k)) {
            const std::ptrdiff_t ih = static_cast<std::ptrdiff_t>(oh * g.stride) + kh - padding;
            if (ih < 0 || ih >= h) {
              pad(col, static_cast<std::size_t>(k));
              continue;
            }
            if (kw_lo > 0) pad(col, static_cast<std::size_t>(kw_lo));
            if (kw_hi > kw_lo) {
              run(col + static_cast<std::size_t>(kw_lo), plane + ih * w + iw0 + kw_lo,
                  static_cast<std::size_t>(kw_hi - kw_lo));
            }
            if (kw_hi < k) pad(col + static_cast<std::size_t>(kw_hi), static_cast<std::size_t>(k - kw_hi));
          }
        }
      }
    }
  }
}

}  // namespace

Tensor im2col(const Tensor& x, std::size_t kernel, std::size_t stride, std::size_t padding) {
  if (x.dimension() != 4 || x.size() == 0) {
    throw shape_error("im2col: expected input (N, C, H, W) (non-empty), got " + detail::shape_text(x));
  }
  check_conv_args(kernel, stride, "im2col");
  const ConvGeometry g{x.shape()[1], x.shape()[2], x.shape()[3], kernel, stride, padding};
  check_fits(g, "im2col");
  const std::size_t n = x.shape()[0];
  Tensor cols = Tensor::from_shape({n * g.out_height() * g.out_width(), g.channels * kernel * kernel});
  const float* in = x.data();
  float* out = cols.data();
  for_each_patch_run(
      n, g, [&](std::size_t col, std::ptrdiff_t src, std::size_t len) { std::copy_n(in + src, len, out + col); },
      [&](std::size_t col, std::size_t len) { std::fill_n(out + col, len, 0.0F); });
  return cols;
}

Tensor col2im(const Tensor& cols, std::size_t n, const ConvGeometry& g) {
  check_conv_args(g.kernel, g.stride, "col2im");
  check_fits(g, "col2im");
  const Shape expected{n * g.out_height() * g.out_width(), g.channels * g.kernel * g.kernel};
  check_shape(cols, expected, "col2im columns (N*OH*OW, C*k*k)");
  Tensor x = zeros({n, g.channels, g.height, g.width});
  const float* in = cols.data();
  float* out = x.data();
  for_each_patch_run(
      n, g,
      [&](std::size_t col, std::ptrdiff_t dst, std::size_t len) {
        for (std::size_t i = 0; i < len; ++i) out[dst + static_cast<std::ptrdiff_t>(i)] += in[col + i];
      },
      [](std::size_t /*col*/, std::size_t /*len*/) {});
  return x;
}

Conv2d::Conv2d(std::size_t in_channels, std::size_t out_channels, std::size_t kernel, Rng& rng, std::size_t stride,
               std::size_t padding, bool bias)
    : stride_(stride), padding_(padding), has_bias_(bias) {
  check_conv_args(kernel, stride, "Conv2d");
  if (in_channels == 0 || out_channels == 0) {
    throw value_error("Conv2d: channel counts must be positive, got " + std::to_string(in_channels) + " -> " +
                      std::to_string(out_channels));
  }
  const std::size_t fan_in = in_channels * kernel * kernel;
  const Shape ws{out_channels, in_channels, kernel, kernel};
  weight = {"weight", kaiming_uniform(ws, fan_in, rng), zeros(ws)};
  if (has_bias_) {
    this->bias = {"bias", kaiming_uniform({out_channels}, fan_in, rng), zeros({out_channels})};
  } else {
    this->bias = {"bias", empty_tensor(), empty_tensor()};
  }
}

Conv2d::Conv2d(Tensor w, Tensor b, std::size_t stride, std::size_t padding)
    : stride_(stride), padding_(padding), has_bias_(!detail::is_empty(b)) {
  check_rank(w, 4, "Conv2d weight (out_c, in_c, k, k)");
  if (w.shape()[2] != w.shape()[3]) {
    throw shape_error("Conv2d weight: expected a square kernel (out_c, in_c, k, k), got " + shape_of(w));
  }
  check_conv_args(w.shape()[2], stride, "Conv2d");
  const std::size_t out_c = w.shape()[0];
  if (has_bias_) check_shape(b, {out_c}, "Conv2d bias (out_c)");
  Shape ws = detail::shape_vector(w);
  weight = {"weight", std::move(w), zeros(ws)};
  if (has_bias_) {
    bias = {"bias", std::move(b), zeros({out_c})};
  } else {
    bias = {"bias", empty_tensor(), empty_tensor()};
  }
}

std::string Conv2d::describe() const {
  return "Conv2d(" + std::to_string(in_channels()) + " -> " + std::to_string(out_channels()) +
         ", k=" + std::to_string(kernel()) + ", stride=" + std::to_string(stride_) +
         ", pad=" + std::to_string(padding_) + (has_bias_ ? ")" : ", no bias)");
}

namespace {
// The weight as the (out_c, in_c·k·k) matrix the im2col product needs (a small copy).
Tensor weight_matrix(const Tensor& w) {
  Tensor w2 = w;
  w2.reshape({w.shape()[0], w.size() / w.shape()[0]});
  return w2;
}
}  // namespace

Tensor Conv2d::forward(const Tensor& x) {
  const std::size_t in_c = in_channels();
  if (x.dimension() != 4 || x.size() == 0 || x.shape()[1] != in_c) {
    throw shape_error("Conv2d: expected input (N, " + std::to_string(in_c) + ", H, W) (non-empty), got " +
                      detail::shape_text(x));
  }
  const std::size_t n = x.shape()[0];
  const std::size_t out_c = out_channels();
  const ConvGeometry g{in_c, x.shape()[2], x.shape()[3], kernel(), stride_, padding_};
  check_fits(g, "Conv2d");
  const std::size_t plane = g.out_height() * g.out_width();
  const std::size_t ckk = in_c * kernel() * kernel();
  TT_PROFILE_SCOPE("Conv2d", gemm_flops(n * plane, out_c, ckk));

  Tensor cols = im2col(x, kernel(), stride_, padding_);
  // (N·OH·OW, C·k·k) · (out_c, C·k·k)ᵀ → (N·OH·OW, out_c), then to NCHW with the bias added.
  const Tensor y2 = matmul_nt(cols, weight_matrix(weight.value));
  Tensor y = Tensor::from_shape({n, out_c, g.out_height(), g.out_width()});
  const float* src = y2.data();
  const float* b = has_bias_ ? bias.value.data() : nullptr;
  float* dst = y.data();
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t o = 0; o < out_c; ++o) {
      const float bo = b != nullptr ? b[o] : 0.0F;
      float* yp = dst + (i * out_c + o) * plane;
      const float* sp = src + i * plane * out_c + o;
      for (std::size_t p = 0; p < plane; ++p) yp[p] = sp[p * out_c] + bo;
    }
  }
  cols_ = training_ ? std::move(cols) : empty_tensor();
  input_shape_ = training_ ? detail::shape_vector(x) : Shape{};
  return y;
}

Tensor Conv2d::backward(const Tensor& grad_out) {
  require_cached(cols_, "Conv2d");
  const std::size_t n = input_shape_[0];
  const std::size_t out_c = out_channels();
  const ConvGeometry g{input_shape_[1], input_shape_[2], input_shape_[3], kernel(), stride_, padding_};
  const std::size_t plane = g.out_height() * g.out_width();
  detail::check_grad(grad_out, {n, out_c, g.out_height(), g.out_width()}, "Conv2d");
  TT_PROFILE_SCOPE("Conv2d.backward", 2 * gemm_flops(n * plane, out_c, cols_.shape()[1]));

  // grad_out NCHW → g2 (N·OH·OW, out_c), the layout of the forward product; db = Σ g.
  Tensor g2 = Tensor::from_shape({n * plane, out_c});
  const float* gp = grad_out.data();
  float* g2p = g2.data();
  float* db = has_bias_ ? bias.grad.data() : nullptr;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t o = 0; o < out_c; ++o) {
      const float* src = gp + (i * out_c + o) * plane;
      float* dst = g2p + i * plane * out_c + o;
      float sum = 0;
      for (std::size_t p = 0; p < plane; ++p) {
        dst[p * out_c] = src[p];
        sum += src[p];
      }
      if (db != nullptr) db[o] += sum;
    }
  }
  // dW = g2ᵀ · cols: (out_c, C·k·k), the weight's memory layout.
  const Tensor dw = matmul_tn(g2, cols_);
  float* wg = weight.grad.data();
  const float* dwp = dw.data();
  for (std::size_t i = 0, sz = dw.size(); i < sz; ++i) wg[i] += dwp[i];
  // dcols = g2 · W: (N·OH·OW, C·k·k), folded back onto the input.
  return col2im(matmul(g2, weight_matrix(weight.value)), n, g);
}

std::vector<Param*> Conv2d::params() {
  if (has_bias_) return {&weight, &bias};
  return {&weight};
}

}  // namespace tt
