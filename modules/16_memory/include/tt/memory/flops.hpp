// Analytic FLOP counts of the GPT decoder's forward, with and without a KV cache (task 16.1).
// Not a profiler: it counts from shapes; tests check it against the matmuls actually run.
#pragma once

#include <cstddef>
#include <vector>

#include "tt/gpt.hpp"

namespace tt::memory {

// Floating-point operations of one decoder forward, matmuls only (2·m·n·k each, tt::gemm_flops);
// LayerNorm, softmax, GELU, bias and residual adds are O(tokens·d) and left out.
struct ForwardFlops {
  double projections = 0;  // q, k, v, o: 4 · 2·B·t·d·d per layer
  double attention = 0;    // q·Kᵀ and P·V over the whole context: 2 · 2·B·H·t·ctx·hd per layer
  double mlp = 0;          // fc1, fc2: 2 · 2·B·t·d·d_ff per layer
  double head = 0;         // lm_head on every new position: 2·B·t·d·vocab
  double total() const { return projections + attention + mlp + head; }
};

// One forward over t_new new tokens whose attention context is past + t_new positions (past =
// positions already in the cache; 0 for an uncached forward over t_new tokens).
// Attention counts the full (t_new × ctx) score rectangle, as the kernels compute it.
ForwardFlops forward_flops(const GPTConfig& cfg, std::size_t batch, std::size_t t_new, std::size_t past);

// FLOPs per generation step and in total, producing n_new tokens from a prompt of P tokens.
// Uncached: step s runs forward_flops(cfg, B, P + s, 0). Cached: step 0 is the prefill
// forward_flops(cfg, B, P, 0), step s ≥ 1 is forward_flops(cfg, B, 1, P + s - 1).
struct GenerationFlops {
  std::vector<double> per_step;  // n_new entries
  double total = 0;
};
GenerationFlops generation_flops(const GPTConfig& cfg, std::size_t batch, std::size_t prompt_len, std::size_t n_new,
                                 bool use_cache);

}  // namespace tt::memory
