// GPT-2's forward pass. Read it next to chapter 4 of Raschka's book (GPTModel,
// TransformerBlock, LayerNorm, GELU) or Hugging Face's modeling_gpt2.py: one
// pass per step, each commented with its shape. n = tokens, e = n_embd.
#include "gpt2_forward.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <cmath>

#include "linear.hpp"
#include "parallel.hpp"

namespace attn {

namespace {

// LayerNorm of each row: (x − mean) / √(var + ε) · weight + bias, n × e → n × e; each row's
// mean, variance and √(var + ε) into `stats` when given.
Matrix layer_norm(const Matrix& x, const Gpt2LayerNorm& ln, float epsilon, LayerNormTrace* stats = nullptr) {
  Matrix y(x.rows, x.cols);
  if (stats) {
    stats->weight.assign(ln.weight.begin(), ln.weight.end());
    stats->bias.assign(ln.bias.begin(), ln.bias.end());
    stats->epsilon = epsilon;
  }
  for (std::size_t i = 0; i < x.rows; ++i) {
    double mean = 0.0, var = 0.0;
    for (std::size_t c = 0; c < x.cols; ++c) mean += x(i, c);
    mean /= static_cast<double>(x.cols);
    for (std::size_t c = 0; c < x.cols; ++c) var += (x(i, c) - mean) * (x(i, c) - mean);
    var /= static_cast<double>(x.cols);
    const float inv_std = static_cast<float>(1.0 / std::sqrt(var + epsilon));
    const float m = static_cast<float>(mean);
    if (stats) {
      stats->mean.push_back(m);
      stats->variance.push_back(static_cast<float>(var));
      stats->std.push_back(static_cast<float>(std::sqrt(var + epsilon)));
    }
    for (std::size_t c = 0; c < x.cols; ++c) y(i, c) = (x(i, c) - m) * inv_std * ln.weight[c] + ln.bias[c];
  }
  return y;
}

// GELU, the tanh approximation GPT-2 uses: 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³))).
void gelu_in_place(Matrix& x) {
  const float k = std::sqrt(2.0f / 3.14159265358979323846f);
  for (float& v : x.data) v = 0.5f * v * (1.0f + std::tanh(k * (v + 0.044715f * v * v * v)));
}

// Columns [first, first + count) of a stored in × out weight, in × count; of a bias, count.
Matrix weight_columns(const Gpt2Linear& l, std::size_t first, std::size_t count) {
  Matrix out(l.in, count);
  for (std::size_t k = 0; k < l.in; ++k)
    for (std::size_t c = 0; c < count; ++c) out(k, c) = l.weight[k * l.out + first + c];
  return out;
}
std::vector<float> bias_columns(const Gpt2Linear& l, std::size_t first, std::size_t count) {
  return {l.bias.begin() + static_cast<std::ptrdiff_t>(first), l.bias.begin() + static_cast<std::ptrdiff_t>(first + count)};
}

// h + delta, row by row, n × e.
void add_in_place(Matrix& h, const Matrix& delta) {
  for (std::size_t i = 0; i < h.data.size(); ++i) h.data[i] += delta.data[i];
}

// One block's attention: ln_1 output x → every head → c_proj, as MultiHeadAttention (3.6.2).
ModuleResult block_attention(const Matrix& x, const Gpt2Block& block, const Gpt2Config& config, bool keep_weights) {
  const std::size_t e = config.n_embd, head_dim = e / config.n_head;
  // q | k | v, (n × e) · (e × 3e) → n × 3e: queries in columns [0, e), keys [e, 2e), values [2e, 3e).
  const Matrix qkv = linear(x, block.c_attn.packed, block.c_attn.bias, active_kernel());

  ModuleResult result;
  result.heads.resize(config.n_head);
  const AttentionOptions options{.scale = true, .softmax = Softmax::stable, .causal = true,
                                 .causal_method = CausalMethod::inf, .dropout = 0.0};
  // each head h: its head_dim columns of q, k and v → scores, scaled, masked, weights, context.
  parallel_for(config.n_head, [&](std::size_t first, std::size_t last) {
    for (std::size_t h = first; h < last; ++h) {
      HeadTrace& head = result.heads[h];
      const std::size_t q0 = h * head_dim, k0 = e + h * head_dim, v0 = 2 * e + h * head_dim;
      if (keep_weights) {
        head.W_query = weight_columns(block.c_attn, q0, head_dim);
        head.W_key = weight_columns(block.c_attn, k0, head_dim);
        head.W_value = weight_columns(block.c_attn, v0, head_dim);
        head.b_query = bias_columns(block.c_attn, q0, head_dim);
        head.b_key = bias_columns(block.c_attn, k0, head_dim);
        head.b_value = bias_columns(block.c_attn, v0, head_dim);
      }
      attend_projected(head, columns(qkv, q0, head_dim), columns(qkv, k0, head_dim), columns(qkv, v0, head_dim),
                       options);  // no dropout: no generator
    }
  });

  // the heads' context vectors side by side, n × e; then c_proj, (n × e) · (e × e) → n × e.
  Matrix concatenated = concatenate_heads(result.heads);
  result.output = linear(concatenated, block.attn_proj.packed, block.attn_proj.bias, active_kernel());
  result.concatenated = std::move(concatenated);
  return result;
}

// A forward pass allocates and frees the same large matrices over and over (each head's
// n × n stages, each block's n × 4e): glibc would hand each back to the system when freed
// (mmap'd blocks, the trimmed top of the heap) and the next one would fault in its pages
// again, half the CPU of a 256-token pass. Kept instead, up to these sizes, for reuse.
void keep_freed_memory() {
#if defined(__GLIBC__)
  static const bool once = [] {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    return true;
  }();
  (void)once;
#endif
}

}  // namespace

Gpt2Forward gpt2_forward(const Gpt2Checkpoint& model, const std::vector<int>& ids, const Gpt2ForwardOptions& options) {
  keep_freed_memory();
  const Gpt2Config& config = model.config;
  const std::size_t n = ids.size(), e = config.n_embd;
  Gpt2Forward out;

  // token + position embeddings, n × e (the token embeddings alone with options.positions off).
  Matrix h(n, e);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t c = 0; c < e; ++c)
      h(i, c) = model.wte[static_cast<std::size_t>(ids[i]) * e + c] + (options.positions ? model.wpe[i * e + c] : 0.0f);

  if (options.stream) out.stream.push_back(h);
  for (std::size_t l = 0; l < config.n_layer; ++l) {
    const Gpt2Block& block = model.blocks[l];
    const bool recorded = options.record_layer == l;
    if (recorded) out.block.input = h;
    // ln_1, then attention, n × e; the residual: h = h + attention.
    Matrix x = layer_norm(h, block.ln_1, config.layer_norm_epsilon, recorded ? &out.block.ln_1 : nullptr);
    ModuleResult attention = block_attention(x, block, config, recorded);
    add_in_place(h, attention.output);
    if (options.all_weights) {
      out.all_weights.emplace_back();
      for (const HeadTrace& head : attention.heads) out.all_weights.back().push_back(head.attn_weights);
    }
    // ln_2, then the MLP: (n × e) · (e × 4e), gelu, (n × 4e) · (4e × e) → n × e; h = h + mlp.
    Matrix ln_2 = layer_norm(h, block.ln_2, config.layer_norm_epsilon, recorded ? &out.block.ln_2 : nullptr);
    Matrix m = linear(ln_2, block.c_fc.packed, block.c_fc.bias, active_kernel());
    gelu_in_place(m);
    Matrix mlp = linear(m, block.mlp_proj.packed, block.mlp_proj.bias, active_kernel());
    if (recorded) {
      out.layer_input = std::move(x);
      out.attention = std::move(attention);
      out.block.residual = h;
      out.block.ln_2_output = std::move(ln_2);
      out.block.mlp_hidden = std::move(m);
      out.block.mlp_output = mlp;
    }
    add_in_place(h, mlp);
    if (recorded) out.block_output = h;
    if (options.stream) out.stream.push_back(h);
  }

  out.last_logits = final_logits(model, h.row(n - 1));
  return out;
}

std::vector<float> final_logits(const Gpt2Checkpoint& model, std::span<const float> row) {
  const std::size_t e = model.config.n_embd;
  // ln_f of the row, then its score for every token of the vocabulary: e · (vocab × e)ᵀ → vocab.
  Matrix last(1, e);
  for (std::size_t c = 0; c < e; ++c) last(0, c) = row[c];
  last = layer_norm(last, model.ln_f, model.config.layer_norm_epsilon);
  std::vector<float> logits(model.config.vocab_size, 0.0f);
  dot_rows(last.row(0), model.wte.subspan(0, model.config.vocab_size * e), logits, active_kernel());
  return logits;
}

Unembedding unembedding(const Gpt2Checkpoint& model) {
  const std::size_t e = model.config.n_embd, vocab = model.config.vocab_size;
  Unembedding u;
  // wteᵀ, e × vocab: column v is token v's embedding. Transposed a tile at a time.
  u.weight.assign(e * vocab, 0.0f);
  constexpr std::size_t kTile = 64;
  for (std::size_t v0 = 0; v0 < vocab; v0 += kTile)
    for (std::size_t c0 = 0; c0 < e; c0 += kTile)
      for (std::size_t v = v0; v < std::min(v0 + kTile, vocab); ++v)
        for (std::size_t c = c0; c < std::min(c0 + kTile, e); ++c) u.weight[c * vocab + v] = model.wte[v * e + c];
  u.packed = pack_weights(u.weight, e, vocab);
  return u;
}

Matrix final_logits(const Gpt2Checkpoint& model, const Unembedding& u, const Matrix& rows) {
  // ln_f of every row, then (rows × e) · (e × vocab): each score the chain dot_rows makes.
  return linear(layer_norm(rows, model.ln_f, model.config.layer_norm_epsilon), u.packed, {}, active_kernel());
}

}  // namespace attn
