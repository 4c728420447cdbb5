// FLOP counts of the decoder forward from its shapes (task 16.1): matmuls only, 2·m·n·k each.
// Not measured: tests compare these counts with the matmuls a counting backend sees.
#include "tt/memory/flops.hpp"

#include "tt/matmul.hpp"

namespace tt::memory {

ForwardFlops forward_flops(const GPTConfig& cfg, std::size_t batch, std::size_t t_new, std::size_t past) {
  // Every Linear multiplies (batch·t_new, in) by its (in, out) weight: tt::gemm_flops(m, n, k).
  // Per layer: q, k, v, o (d → d), fc1 (d → d_ff), fc2 (d_ff → d); attention per (batch, head):
  // (t_new, hd)·(hd, ctx) and (t_new, ctx)·(ctx, hd) with ctx = past + t_new. Once: lm_head (d → vocab).
  // TODO(16.1): fill the four fields.
  TT_UNIMPLEMENTED("16.1 forward_flops");
}

GenerationFlops generation_flops(const GPTConfig& cfg, std::size_t batch, std::size_t prompt_len, std::size_t n_new,
                                 bool use_cache) {
  // n_new steps; see the header for what each step runs with and without the cache.
  // TODO(16.1): per-step totals and their sum.
  TT_UNIMPLEMENTED("16.1 generation_flops");
}

}  // namespace tt::memory
