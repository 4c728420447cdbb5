// The GPT-style decoder: head split/merge, causal attention through the matmul backend, blocks, model.
// Not a trainer or a sampler: forward passes over whole sequences with seeded random weights.
#include "tt/gpt.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "tt/activations.hpp"
#include "tt/errors.hpp"
#include "tt/matmul.hpp"
#include "tt/profile_hooks.hpp"

namespace tt {
namespace {

std::string num(std::size_t v) { return std::to_string(v); }

void check_rank4(const Tensor& t, const char* what) {
  if (t.dimension() != 4) {
    throw shape_error(std::string(what) + ": expected (B, H, T, hd), got " + shape_of(t));
  }
}

// An independent, reproducible seed for each part of the model (splitmix64 of seed and part),
// so the embeddings, the blocks and the head do not share one stream's order of use.
std::uint64_t part_seed(std::uint64_t seed, std::uint64_t part) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (part + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

Embedding make_embedding(std::size_t rows, std::size_t dim, std::uint64_t seed) {
  Rng rng(seed);
  return Embedding(rows, dim, rng);
}

Linear make_linear(std::size_t in, std::size_t out, std::uint64_t seed, bool bias) {
  Rng rng(seed);
  return Linear(in, out, rng, bias);
}

std::size_t checked_head_count(std::size_t d_model, std::size_t n_heads) {
  if (n_heads == 0 || d_model == 0 || d_model % n_heads != 0) {
    throw value_error("CausalSelfAttention: d_model (" + num(d_model) + ") must be a positive multiple of n_heads (" +
                      num(n_heads) + ")");
  }
  return n_heads;
}

}  // namespace

Tensor split_heads(const Tensor& x, std::size_t n_heads) {
  if (x.dimension() != 3) throw shape_error("split_heads: expected (B, T, H·hd), got " + shape_of(x));
  const std::size_t B = x.shape()[0], T = x.shape()[1], D = x.shape()[2];
  if (n_heads == 0 || D % n_heads != 0) {
    throw shape_error("split_heads: the last dimension of " + shape_of(x) +
                      " is not a multiple of n_heads = " + num(n_heads));
  }
  const std::size_t hd = D / n_heads;
  Tensor out = Tensor::from_shape({B, n_heads, T, hd});
  const float* src = x.data();
  float* dst = out.data();
  for (std::size_t b = 0; b < B; ++b) {
    for (std::size_t t = 0; t < T; ++t) {
      for (std::size_t h = 0; h < n_heads; ++h) {
        const float* s = src + (b * T + t) * D + h * hd;
        std::copy(s, s + hd, dst + ((b * n_heads + h) * T + t) * hd);
      }
    }
  }
  return out;
}

Tensor merge_heads(const Tensor& x) {
  check_rank4(x, "merge_heads");
  const std::size_t B = x.shape()[0], H = x.shape()[1], T = x.shape()[2], hd = x.shape()[3];
  Tensor out = Tensor::from_shape({B, T, H * hd});
  const float* src = x.data();
  float* dst = out.data();
  for (std::size_t b = 0; b < B; ++b) {
    for (std::size_t h = 0; h < H; ++h) {
      for (std::size_t t = 0; t < T; ++t) {
        const float* s = src + ((b * H + h) * T + t) * hd;
        std::copy(s, s + hd, dst + (b * T + t) * H * hd + h * hd);
      }
    }
  }
  return out;
}

Tensor causal_attention(const Tensor& q, const Tensor& k, const Tensor& v) {
  check_rank4(q, "causal_attention q");
  if (q.shape() != k.shape() || q.shape() != v.shape()) {
    throw shape_error("causal_attention: q, k and v must have the same shape (B, H, T, hd), got q " + shape_of(q) +
                      ", k " + shape_of(k) + ", v " + shape_of(v));
  }
  const std::size_t B = q.shape()[0], H = q.shape()[1], T = q.shape()[2], hd = q.shape()[3];
  Tensor out = Tensor::from_shape({B, H, T, hd});
  if (out.size() == 0) return out;
  // Two (T, hd)·(hd, T) and (T, T)·(T, hd) products per head: 4·T²·hd flops.
  TT_PROFILE_SCOPE("causal_attention", 4.0 * static_cast<double>(B * H) * static_cast<double>(T * T * hd));

  Backend& backend = current_backend();
  const float scale = 1.0F / std::sqrt(static_cast<float>(hd));
  const auto ld = static_cast<std::ptrdiff_t>(hd);
  const auto ldt = static_cast<std::ptrdiff_t>(T);
  Tensor scores = Tensor::from_shape({T, T});  // one head's (T, T) scores, reused
  const MatrixRef s{scores.data(), T, T, ldt};
  const ConstMatrixRef p{scores.data(), T, T, ldt, 1};

  for (std::size_t bh = 0; bh < B * H; ++bh) {
    const std::size_t off = bh * T * hd;
    const ConstMatrixRef qm{q.data() + off, T, hd, ld, 1};
    const ConstMatrixRef kt = ConstMatrixRef{k.data() + off, T, hd, ld, 1}.t();  // (hd, T): a stride swap
    const ConstMatrixRef vm{v.data() + off, T, hd, ld, 1};
    backend.gemm(qm, kt, s);  // scores = q · kᵀ: (T, T)

    // Row i keeps columns 0..i (the causal mask), scaled, as a max-subtracted softmax; the
    // masked columns become exact zeros so the second product ignores them.
    for (std::size_t i = 0; i < T; ++i) masked_softmax_row(&s(i, 0), T, i + 1, scale);
    backend.gemm(p, vm, MatrixRef{out.data() + off, T, hd, ld});  // out = probs · v: (T, hd)
  }
  return out;
}

CausalSelfAttention::CausalSelfAttention(std::size_t d_model, std::size_t heads, Rng& rng)
    : q_proj(d_model, d_model, rng),
      k_proj(d_model, d_model, rng),
      v_proj(d_model, d_model, rng),
      o_proj(d_model, d_model, rng),
      n_heads(checked_head_count(d_model, heads)),
      head_dim(d_model / heads) {
  for (Linear* l : {&q_proj, &k_proj, &v_proj, &o_proj}) l->set_training(false);
}

Tensor CausalSelfAttention::forward(const Tensor& x) {
  TT_PROFILE_SCOPE("attention");
  const std::size_t d = n_heads * head_dim;
  if (x.dimension() != 3 || x.shape()[2] != d) {
    throw shape_error("CausalSelfAttention: expected x (B, T, " + num(d) + "), got " + shape_of(x));
  }
  const Tensor q = split_heads(q_proj.forward(x), n_heads);
  const Tensor k = split_heads(k_proj.forward(x), n_heads);
  const Tensor v = split_heads(v_proj.forward(x), n_heads);
  return o_proj.forward(merge_heads(causal_attention(q, k, v)));
}

Block::Block(const GPTConfig& cfg, Rng& rng)
    : ln1(cfg.d_model),
      attn(cfg.d_model, cfg.n_heads, rng),
      ln2(cfg.d_model),
      fc1(cfg.d_model, cfg.d_ff, rng),
      fc2(cfg.d_ff, cfg.d_model, rng) {
  for (Module* m : std::initializer_list<Module*>{&ln1, &ln2, &fc1, &fc2}) m->set_training(false);
}

Tensor Block::mlp(const Tensor& x) {
  TT_PROFILE_SCOPE("mlp");
  return fc2.forward(gelu(fc1.forward(x)));
}

Tensor Block::forward(const Tensor& x) {
  TT_PROFILE_SCOPE("block");
  Tensor h = x + attn.forward(ln1.forward(x));
  h += mlp(ln2.forward(h));
  return h;
}

GPT::GPT(const GPTConfig& cfg)
    : tok_emb(make_embedding(cfg.vocab, cfg.d_model, part_seed(cfg.seed, 0))),
      pos_emb(make_embedding(cfg.max_seq, cfg.d_model, part_seed(cfg.seed, 1))),
      ln_f(cfg.d_model),
      lm_head(make_linear(cfg.d_model, cfg.vocab, part_seed(cfg.seed, 2), /*bias=*/false)),
      cfg_(cfg) {
  if (cfg.vocab == 0 || cfg.max_seq == 0 || cfg.d_ff == 0 || cfg.n_layers == 0) {
    throw value_error("GPT: vocab, max_seq, d_ff and n_layers must be positive");
  }
  checked_head_count(cfg.d_model, cfg.n_heads);
  Rng rng(part_seed(cfg.seed, 3));
  blocks.reserve(cfg.n_layers);
  for (std::size_t i = 0; i < cfg.n_layers; ++i) blocks.emplace_back(cfg, rng);
  // Forward only: no layer keeps activations for a backward pass.
  for (Module* m : std::initializer_list<Module*>{&tok_emb, &pos_emb, &ln_f, &lm_head}) m->set_training(false);
}

Tensor GPT::embed(const TokenBatch& tokens, std::size_t start_pos) {
  TT_PROFILE_SCOPE("embedding");
  if (tokens.empty()) throw shape_error("GPT::embed: expected at least one sequence, got none");
  const std::size_t B = tokens.size();
  const std::size_t T = tokens[0].size();
  if (T == 0) throw shape_error("GPT::embed: expected sequences of length >= 1, got length 0");
  for (std::size_t b = 1; b < B; ++b) {
    if (tokens[b].size() != T) {
      throw shape_error("GPT::embed: all sequences must have the same length: sequence 0 has " + num(T) +
                        " tokens, sequence " + num(b) + " has " + num(tokens[b].size()));
    }
  }
  if (start_pos > cfg_.max_seq || T > cfg_.max_seq - start_pos) {
    throw value_error("GPT::embed: positions " + num(start_pos) + ".." + num(start_pos + T - 1) +
                      " exceed max_seq = " + num(cfg_.max_seq) + " (shorten the sequence or raise max_seq)");
  }
  std::vector<std::int32_t> ids;
  ids.reserve(B * T);
  for (std::size_t b = 0; b < B; ++b) {
    for (std::size_t t = 0; t < T; ++t) {
      const std::int32_t id = tokens[b][t];
      if (id < 0 || static_cast<std::size_t>(id) >= cfg_.vocab) {
        throw value_error("GPT::embed: token id " + std::to_string(id) + " at sequence " + num(b) + ", position " +
                          num(t) + " is outside [0, " + num(cfg_.vocab) + ")");
      }
      ids.push_back(id);
    }
  }
  const std::size_t d = cfg_.d_model;
  Tensor x = tok_emb.lookup(ids);  // (B·T, d)
  x.reshape({B, T, d});
  const float* pos = pos_emb.table.value.data() + start_pos * d;
  float* out = x.data();
  for (std::size_t b = 0; b < B; ++b) {
    for (std::size_t i = 0; i < T * d; ++i) out[b * T * d + i] += pos[i];
  }
  return x;
}

Tensor GPT::head(const Tensor& h) {
  TT_PROFILE_SCOPE("lm_head");
  return lm_head.forward(ln_f.forward(h));
}

Tensor GPT::forward(const TokenBatch& tokens) {
  TT_PROFILE_SCOPE("gpt_forward");
  Tensor h = embed(tokens, 0);
  for (Block& b : blocks) h = b.forward(h);
  return head(h);
}

Tensor GPT::forward(const std::vector<std::int32_t>& tokens) {
  Tensor logits = forward(TokenBatch{tokens});
  logits.reshape({tokens.size(), cfg_.vocab});
  return logits;
}

NamedParams GPT::named_params() {
  NamedParams out;
  const auto add = [&out](const std::string& prefix, Module& m) {
    for (Param* p : m.params()) out.emplace_back(prefix + "." + p->name, p);
  };
  add("tok_emb", tok_emb);
  add("pos_emb", pos_emb);
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const std::string b = "blocks." + num(i) + ".";
    Block& blk = blocks[i];
    add(b + "ln1", blk.ln1);
    add(b + "attn.q_proj", blk.attn.q_proj);
    add(b + "attn.k_proj", blk.attn.k_proj);
    add(b + "attn.v_proj", blk.attn.v_proj);
    add(b + "attn.o_proj", blk.attn.o_proj);
    add(b + "ln2", blk.ln2);
    add(b + "fc1", blk.fc1);
    add(b + "fc2", blk.fc2);
  }
  add("ln_f", ln_f);
  add("lm_head", lm_head);
  return out;
}

std::size_t GPT::parameter_count() {
  std::size_t n = 0;
  for (const auto& [name, p] : named_params()) n += p->value.size();
  return n;
}

}  // namespace tt
