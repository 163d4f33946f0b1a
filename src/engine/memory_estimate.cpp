#include "memory_estimate.hpp"

#include <limits>

#include <fmt/format.h>

#include "attn/util/error.hpp"

namespace attn {

namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t kFloatBytes = 4;
constexpr std::uint64_t kTokenBytes = 64;  // a token's std::string and its place in the lists
// The request's sentence, the trace's, the tokens, and the JSON trace's copies
// of both, where a control character takes 6 bytes (\u001b).
constexpr std::uint64_t kStringBytesPerByte = 3 + 2 * 6;

std::uint64_t mul(std::uint64_t a, std::uint64_t b) { return a != 0 && b > kMax / a ? kMax : a * b; }
std::uint64_t add(std::uint64_t a, std::uint64_t b) { return b > kMax - a ? kMax : a + b; }

// Adds an r × c matrix to the count.
void count_matrix(MemoryEstimate& e, std::uint64_t r, std::uint64_t c, std::uint64_t copies = 1) {
  e.numbers = add(e.numbers, mul(copies, mul(r, c)));
  e.rows = add(e.rows, mul(copies, r));
}

void count_matrix(MemoryEstimate& e, const Matrix& m) { count_matrix(e, m.rows, m.cols); }
void count_matrix(MemoryEstimate& e, const std::optional<Matrix>& m) {
  if (m) count_matrix(e, *m);
}
void count_vector(MemoryEstimate& e, const std::optional<std::vector<float>>& v) {
  if (v) count_matrix(e, 1, v->size());
}

// "2.4": bytes / unit rounded up to one decimal, without a trailing ".0".
std::string one_decimal_up(std::uint64_t bytes, std::uint64_t unit) {
  const std::uint64_t tenths = bytes / unit * 10 + (bytes % unit * 10 + unit - 1) / unit;
  return tenths % 10 == 0 ? fmt::format("{}", tenths / 10) : fmt::format("{}.{}", tenths / 10, tenths % 10);
}

// The smallest whole --max-memory value (M or G) the estimate fits under.
std::string limit_to_allow(std::uint64_t bytes) {
  constexpr std::uint64_t kMiB = std::uint64_t{1} << 20, kGiB = std::uint64_t{1} << 30;
  if (bytes < kGiB) return fmt::format("{}M", bytes / kMiB + 1);
  return fmt::format("{}G", bytes / kGiB + 1);
}

}  // namespace

MemoryEstimate estimate_memory(const Settings& s, std::size_t tokens, std::size_t sentence_bytes,
                               std::uint64_t text_per_number, std::uint64_t extra_numbers) {
  const std::uint64_t n = tokens, d_in = s.d_in, d_out = s.d_out, heads = s.heads, hd = s.head_dim;
  const bool weights = s.projection != Projection::none;
  const bool split = s.multihead == Multihead::split;
  // Per head: scores, scaled scores, weights; a mask stage when causal; the mask
  // and the dropped weights with dropout.
  const std::uint64_t squares = 3 + (s.causal ? 1 : 0) + (s.dropout > 0.0 ? 2 : 0);

  MemoryEstimate e;
  count_matrix(e, n, d_in);  // inputs
  if (weights) count_matrix(e, d_in, hd, mul(3, heads));
  if (s.qkv_bias) count_matrix(e, 1, hd, mul(3, heads));
  count_matrix(e, n, hd, mul(4, heads));              // queries, keys, values, context
  count_matrix(e, n, n, mul(squares, heads));         // the n × n stages
  if (heads > 1) count_matrix(e, n, mul(heads, hd));  // concatenated
  if (split) {
    count_matrix(e, d_out, d_out);  // out_proj weight and bias
    count_matrix(e, 1, d_out);
  }
  count_matrix(e, n, split ? d_out : mul(heads, hd));  // output
  e.numbers = add(e.numbers, extra_numbers);

  // The module's own weights, held while the heads keep copies: one set per head
  // (wrapper), or one set and one head's slice of it (split).
  std::uint64_t drawn = 0;
  if (weights) {
    const std::uint64_t per_set = mul(3, add(mul(d_in, d_out), s.qkv_bias ? d_out : 0));
    drawn = split ? add(per_set, per_set / heads) : mul(heads, per_set);
  }

  const std::uint64_t floats = mul(kFloatBytes, add(e.numbers, drawn));
  const std::uint64_t text = add(mul(e.numbers, text_per_number), mul(e.rows, kTextBytesPerRow));
  const std::uint64_t strings = add(mul(sentence_bytes, kStringBytesPerByte), mul(n, kTokenBytes));
  e.bytes = add(add(floats, text), add(strings, kProgramBytes));
  return e;
}

MemoryEstimate count_trace(const Trace& t) {
  MemoryEstimate e;
  count_matrix(e, t.inputs);
  count_matrix(e, t.token_embeddings);
  count_matrix(e, t.position_encoding);
  for (const HeadTrace& h : t.heads) {
    for (const auto* m : {&h.W_query, &h.W_key, &h.W_value}) count_matrix(e, *m);
    for (const auto* v : {&h.b_query, &h.b_key, &h.b_value}) count_vector(e, *v);
    for (const Matrix* m : {&h.queries, &h.keys, &h.values, &h.context_vec, &h.attn_scores, &h.scaled_scores,
                            &h.attn_weights})
      count_matrix(e, *m);
    for (const auto* m : {&h.masked_scores, &h.masked_weights, &h.dropout_mask, &h.dropped_weights}) count_matrix(e, *m);
  }
  count_matrix(e, t.concatenated);
  if (t.out_proj) {
    count_matrix(e, t.out_proj->weight);
    count_matrix(e, 1, t.out_proj->bias.size());
  }
  count_matrix(e, t.output);
  count_matrix(e, t.block_output);
  if (t.block) {
    for (const Matrix* m : {&t.block->input, &t.block->residual, &t.block->ln_2_output, &t.block->mlp_hidden,
                            &t.block->mlp_output})
      count_matrix(e, *m);
    for (const LayerNormTrace* ln : {&t.block->ln_1, &t.block->ln_2})
      count_matrix(e, 1, 3 * ln->mean.size() + 2 * ln->weight.size());
  }
  for (const auto& layer : t.lens) count_matrix(e, layer.size(), layer.empty() ? 0 : layer.front().size() * 3);
  for (const std::vector<Matrix>& layer : t.layer_weights)
    for (const Matrix& m : layer) count_matrix(e, m);
  return e;
}

void check_memory(const Settings& s, std::size_t tokens, std::size_t sentence_bytes, const MemoryBudget& budget,
                  std::uint64_t extra_numbers) {
  const MemoryEstimate e = estimate_memory(s, tokens, sentence_bytes, budget.text_per_number, extra_numbers);
  const std::uint64_t limit = budget.limit;
  if (e.bytes <= limit) return;
  throw DataError(fmt::format("the run would take about {} of memory, more than the limit of {}", describe_bytes(e.bytes),
                              describe_bytes(limit)),
                  fmt::format("{} token{}, {} head{} of width {}, d_in = {}: the run keeps every weight, and n × n numbers "
                              "per head and stage.\n"
                              "Give a shorter sentence, fewer heads or a smaller {}, or allow it: {} {}",
                              tokens, tokens == 1 ? "" : "s", s.heads, s.heads == 1 ? "" : "s", s.head_dim, s.d_in,
                              key_ref("d-out"), key_ref("max-memory"), limit_to_allow(e.bytes)));
}

std::string describe_bytes(std::uint64_t bytes) {
  constexpr std::uint64_t kKiB = 1024, kMiB = kKiB << 10, kGiB = kMiB << 10;
  if (bytes >= kGiB) return one_decimal_up(bytes, kGiB) + " GiB";
  if (bytes >= kMiB) return one_decimal_up(bytes, kMiB) + " MiB";
  return one_decimal_up(bytes, kKiB) + " KiB";
}

}  // namespace attn
