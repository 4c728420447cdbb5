// FLOP counts of the decoder forward from its shapes, reference: matmuls only, 2·m·n·k each.
// Not measured: tests compare these counts with the matmuls a counting backend sees.
#include "tt/memory/flops.hpp"

#include "tt/matmul.hpp"

namespace tt::memory {

ForwardFlops forward_flops(const GPTConfig& cfg, std::size_t batch, std::size_t t_new, std::size_t past) {
  const std::size_t rows = batch * t_new;  // every Linear sees (B·t, in)
  const std::size_t ctx = past + t_new;
  const double L = static_cast<double>(cfg.n_layers);
  ForwardFlops f;
  f.projections = L * 4 * gemm_flops(rows, cfg.d_model, cfg.d_model);
  // Per (batch, head): (t, hd)·(hd, ctx) scores and (t, ctx)·(ctx, hd) output.
  f.attention = L * static_cast<double>(batch * cfg.n_heads) *
                (gemm_flops(t_new, ctx, cfg.head_dim()) + gemm_flops(t_new, cfg.head_dim(), ctx));
  f.mlp = L * (gemm_flops(rows, cfg.d_ff, cfg.d_model) + gemm_flops(rows, cfg.d_model, cfg.d_ff));
  f.head = gemm_flops(rows, cfg.vocab, cfg.d_model);
  return f;
}

GenerationFlops generation_flops(const GPTConfig& cfg, std::size_t batch, std::size_t prompt_len, std::size_t n_new,
                                 bool use_cache) {
  GenerationFlops g;
  g.per_step.reserve(n_new);
  for (std::size_t s = 0; s < n_new; ++s) {
    const ForwardFlops f = (!use_cache || s == 0) ? forward_flops(cfg, batch, prompt_len + s, 0)
                                                  : forward_flops(cfg, batch, 1, prompt_len + s - 1);
    g.per_step.push_back(f.total());
    g.total += f.total();
  }
  return g;
}

}  // namespace tt::memory
