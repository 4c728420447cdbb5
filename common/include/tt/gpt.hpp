// A small GPT-style decoder (pre-norm blocks, multi-head causal attention, GELU MLP) for generation.
// Not trained here and not a tokenizer: forward only, seeded weights, token ids in [0, vocab).
#pragma once

#include <cstdint>
#include <vector>

#include "tt/layernorm.hpp"
#include "tt/linear.hpp"
#include "tt/npy.hpp"

namespace tt {

// B sequences of equal length, each a list of token ids.
using TokenBatch = std::vector<std::vector<std::int32_t>>;

struct GPTConfig {
  std::size_t vocab = 256;
  std::size_t d_model = 128;
  std::size_t n_heads = 4;
  std::size_t n_layers = 4;
  std::size_t max_seq = 1024;
  std::size_t d_ff = 512;  // MLP hidden size
  std::uint64_t seed = 0;
  std::size_t head_dim() const { return d_model / n_heads; }
};

// (B, T, H·hd) → (B, H, T, hd)
Tensor split_heads(const Tensor& x, std::size_t n_heads);
// (B, H, T, hd) → (B, T, H·hd)
Tensor merge_heads(const Tensor& x);
// q, k, v: (B, H, T, hd) → (B, H, T, hd). Position i attends to positions 0..i, scores scaled
// by 1/sqrt(hd); both matmuls per (batch, head) go through the installed tt::matmul backend.
Tensor causal_attention(const Tensor& q, const Tensor& k, const Tensor& v);

class CausalSelfAttention {
 public:
  CausalSelfAttention(std::size_t d_model, std::size_t n_heads, Rng& rng);
  // x: (B, T, d) → (B, T, d)
  Tensor forward(const Tensor& x);

  Linear q_proj, k_proj, v_proj, o_proj;  // each (d, d)
  std::size_t n_heads;
  std::size_t head_dim;
};

struct Block {
  Block(const GPTConfig& cfg, Rng& rng);
  // x: (B, T, d) → x + attn(ln1(x)), then + mlp(ln2(·))
  Tensor forward(const Tensor& x);
  // fc2(gelu(fc1(x))): (B, T, d) → (B, T, d)
  Tensor mlp(const Tensor& x);

  LayerNorm ln1;
  CausalSelfAttention attn;
  LayerNorm ln2;
  Linear fc1;  // (d_ff, d)
  Linear fc2;  // (d, d_ff)
};

class GPT {
 public:
  explicit GPT(const GPTConfig& cfg);
  const GPTConfig& config() const { return cfg_; }

  // tokens: B sequences of equal length T, 1 ≤ T ≤ max_seq → logits (B, T, vocab).
  // Every layer is recomputed over the whole sequence (module 16 adds a cache).
  Tensor forward(const TokenBatch& tokens);
  // One sequence: (T) → (T, vocab).
  Tensor forward(const std::vector<std::int32_t>& tokens);

  // Token + position embeddings of positions start_pos … start_pos+T-1: (B, T, d). An id outside
  // [0, vocab) or start_pos + T > max_seq throws tt::value_error; no sequence, T = 0 or unequal
  // lengths throw tt::shape_error.
  Tensor embed(const TokenBatch& tokens, std::size_t start_pos);
  // Final LayerNorm and LM head: (B, T, d) → (B, T, vocab).
  Tensor head(const Tensor& h);

  // "tok_emb.table", "blocks.0.attn.q_proj.weight", … for save_weights/load_weights.
  NamedParams named_params();
  std::size_t parameter_count();

  Embedding tok_emb;
  Embedding pos_emb;
  std::vector<Block> blocks;
  LayerNorm ln_f;
  Linear lm_head;  // (vocab, d)

 private:
  GPTConfig cfg_;
};

}  // namespace tt
