// Reference for 17.2: the Quantizer (affine/symmetric, per-tensor/per-channel), quantize and dequantize.
// Not calibration: the range here is the exact min and max of the tensor given.
#include <algorithm>
#include <cmath>
#include <string>

#ifdef __AVX512F__
#include <immintrin.h>
// GCC 12 false positive: the masked intrinsics start from _mm512_undefined_*() ("'__Y' may be
// used uninitialized" inside avx512fintrin.h). GCC only: clang-tidy reads this file too.
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#elif defined(__aarch64__)
#include <arm_neon.h>
#endif

#include "tt/quant/qparams.hpp"

namespace tt::quant {
namespace {

// The tensor as (outer, channels, inner) around `axis`, so channel c of flat index i is
// (i / inner) % channels.
struct AxisSplit {
  std::size_t outer = 1, channels = 1, inner = 1;
};

template <class T>
AxisSplit split_at(const T& x, std::optional<std::size_t> axis, const char* what) {
  AxisSplit s;
  if (!axis) {
    s.inner = x.size();
    return s;
  }
  if (*axis >= x.dimension()) {
    throw shape_error(std::string(what) + ": axis " + std::to_string(*axis) +
                      " is out of range for a tensor of shape " + shape_of(x));
  }
  for (std::size_t d = 0; d < x.dimension(); ++d) {
    if (d < *axis) s.outer *= x.shape()[d];
    if (d > *axis) s.inner *= x.shape()[d];
  }
  s.channels = x.shape()[*axis];
  return s;
}

void check_finite(const Tensor& x, const char* what) {
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x.flat(i))) {
      throw value_error(std::string(what) + ": element " + std::to_string(i) + " is " + std::to_string(x.flat(i)) +
                        "; int8 quantization needs finite values (check the data or the model for NaN/Inf)");
    }
  }
}

template <class T>
void check_params(const T& x, const QuantParams& p, const AxisSplit& s, const char* what) {
  if (p.params.size() != s.channels) {
    throw shape_error(std::string(what) + ": expected " + std::to_string(s.channels) +
                      " (scale, zero point) pairs for " + shape_of(x) +
                      (p.axis ? " along axis " + std::to_string(*p.axis) : std::string(" per tensor")) + ", got " +
                      std::to_string(p.params.size()));
  }
}

// std::round (half away from zero) in a form the compiler vectorizes: v - trunc(v) is exact
// in float, so comparing it with ±0.5 decides the rounding exactly as std::round does.
inline float round_half_away(float v) {
  const float t = std::trunc(v);
  const float d = v - t;
  return t + (d >= 0.5F ? 1.0F : 0.0F) - (d <= -0.5F ? 1.0F : 0.0F);
}

// One channel's run of values: quantize into dst; returns false if any value was NaN/Inf
// (those are replaced by 0 on the way so that no NaN reaches the int8 conversion).
// GCC does not vectorize trunc() without -fno-trapping-math, so the AVX-512 and NEON paths are
// written with intrinsics; they compute exactly what the scalar loop computes (NEON's frinta is
// round half away from zero itself).
inline bool quantize_run(const float* src, std::int8_t* dst, std::size_t n, float scale, float zp) {
  bool finite = true;
  std::size_t i = 0;
#ifdef __AVX512F__
  const __m512 vs = _mm512_set1_ps(scale), vz = _mm512_set1_ps(zp), zero = _mm512_setzero_ps();
  const __m512 one = _mm512_set1_ps(1.0F), half = _mm512_set1_ps(0.5F), mhalf = _mm512_set1_ps(-0.5F);
  const __m512 lo = _mm512_set1_ps(static_cast<float>(kQMin)), hi = _mm512_set1_ps(static_cast<float>(kQMax));
  __mmask16 all_ok = 0xFFFF;
  for (; i + 16 <= n; i += 16) {
    __m512 v = _mm512_loadu_ps(src + i);
    const __mmask16 ok = _mm512_cmp_ps_mask(_mm512_sub_ps(v, v), zero, _CMP_EQ_OQ);
    all_ok &= ok;
    v = _mm512_maskz_mov_ps(ok, v);
    const __m512 x = _mm512_div_ps(v, vs);
    __m512 t = _mm512_roundscale_ps(x, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    const __m512 d = _mm512_sub_ps(x, t);
    t = _mm512_mask_add_ps(t, _mm512_cmp_ps_mask(d, half, _CMP_GE_OQ), t, one);
    t = _mm512_mask_sub_ps(t, _mm512_cmp_ps_mask(d, mhalf, _CMP_LE_OQ), t, one);
    t = _mm512_min_ps(_mm512_max_ps(_mm512_add_ps(t, vz), lo), hi);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i), _mm512_cvtepi32_epi8(_mm512_cvttps_epi32(t)));
  }
  finite = all_ok == 0xFFFF;
#elif defined(__aarch64__)
  const float32x4_t vs = vdupq_n_f32(scale), vz = vdupq_n_f32(zp), zero = vdupq_n_f32(0.0F);
  const float32x4_t lo = vdupq_n_f32(static_cast<float>(kQMin)), hi = vdupq_n_f32(static_cast<float>(kQMax));
  uint32x4_t all_ok = vdupq_n_u32(~0U);
  const auto quantize4 = [&](const float* p) {
    const float32x4_t v = vld1q_f32(p);
    const uint32x4_t ok = vceqq_f32(vsubq_f32(v, v), zero);
    all_ok = vandq_u32(all_ok, ok);
    const float32x4_t x = vdivq_f32(vreinterpretq_f32_u32(vandq_u32(vreinterpretq_u32_f32(v), ok)), vs);
    const float32x4_t t = vminq_f32(vmaxq_f32(vaddq_f32(vrndaq_f32(x), vz), lo), hi);
    return vmovn_s32(vcvtq_s32_f32(t));
  };
  for (; i + 8 <= n; i += 8) vst1_s8(dst + i, vmovn_s16(vcombine_s16(quantize4(src + i), quantize4(src + i + 4))));
  finite = vminvq_u32(all_ok) != 0;
#endif
  for (; i < n; ++i) {
    const float raw = src[i];
    const bool ok = raw - raw == 0.0F;  // false for NaN and ±Inf
    finite &= ok;
    float q = round_half_away((ok ? raw : 0.0F) / scale) + zp;
    q = q < static_cast<float>(kQMin) ? static_cast<float>(kQMin) : q;
    q = q > static_cast<float>(kQMax) ? static_cast<float>(kQMax) : q;
    dst[i] = static_cast<std::int8_t>(q);
  }
  return finite;
}

}  // namespace

Quantizer::Quantizer(Scheme scheme, std::optional<std::size_t> axis) : scheme_(scheme), axis_(axis) {}

QuantParams Quantizer::fit(const Tensor& x) const {
  if (x.size() == 0) throw shape_error("Quantizer::fit: expected a non-empty tensor, got shape " + shape_of(x));
  check_finite(x, "Quantizer::fit");
  const AxisSplit s = split_at(x, axis_, "Quantizer::fit");
  std::vector<float> lo(s.channels, x.flat(0)), hi(s.channels, x.flat(0));
  for (std::size_t o = 0; o < s.outer; ++o) {
    for (std::size_t c = 0; c < s.channels; ++c) {
      const float* p = x.data() + (o * s.channels + c) * s.inner;
      if (o == 0) lo[c] = hi[c] = p[0];
      for (std::size_t i = 0; i < s.inner; ++i) {
        lo[c] = std::min(lo[c], p[i]);
        hi[c] = std::max(hi[c], p[i]);
      }
    }
  }
  QuantParams qp{scheme_, axis_, {}};
  qp.params.reserve(s.channels);
  for (std::size_t c = 0; c < s.channels; ++c) qp.params.push_back(choose_qparams(lo[c], hi[c], scheme_));
  return qp;
}

QTensor Quantizer::quantize(const Tensor& x) const {
  QuantParams p = fit(x);
  TensorI8 q = quantize_with(x, p);
  return {std::move(q), std::move(p)};
}

TensorI8 Quantizer::quantize_with(const Tensor& x, const QuantParams& p) {
  TensorI8 q;
  quantize_into(x, p, q);
  return q;
}

void Quantizer::quantize_into(const Tensor& x, const QuantParams& p, TensorI8& out) {
  const AxisSplit s = split_at(x, p.axis, "Quantizer::quantize_with");
  check_params(x, p, s, "Quantizer::quantize_with");
  if (out.size() == x.size()) {
    out.reshape(x.shape());
  } else {
    out = TensorI8::from_shape(x.shape());
  }
  bool finite = true;
  for (std::size_t o = 0; o < s.outer; ++o) {
    for (std::size_t c = 0; c < s.channels; ++c) {
      const std::size_t base = (o * s.channels + c) * s.inner;
      finite &= quantize_run(x.data() + base, out.data() + base, s.inner, p.params[c].scale,
                             static_cast<float>(p.params[c].zero_point));
    }
  }
  if (!finite) check_finite(x, "Quantizer::quantize_with");  // throws, naming the element
}

Tensor Quantizer::dequantize(const TensorI8& q, const QuantParams& p) {
  const AxisSplit s = split_at(q, p.axis, "Quantizer::dequantize");
  check_params(q, p, s, "Quantizer::dequantize");
  Tensor x = Tensor::from_shape(q.shape());
  for (std::size_t o = 0; o < s.outer; ++o) {
    for (std::size_t c = 0; c < s.channels; ++c) {
      const std::size_t base = (o * s.channels + c) * s.inner;
      const float scale = p.params[c].scale;
      const std::int32_t zp = p.params[c].zero_point;
      for (std::size_t i = 0; i < s.inner; ++i) {
        x.data()[base + i] = scale * static_cast<float>(static_cast<std::int32_t>(q.data()[base + i]) - zp);
      }
    }
  }
  return x;
}

}  // namespace tt::quant
