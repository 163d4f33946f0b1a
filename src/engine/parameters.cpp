#include "parameters.hpp"

#include <cmath>

#include <fmt/format.h>

namespace attn {

std::pair<Matrix, std::optional<std::vector<float>>> draw_linear(TorchGenerator& gen, std::size_t in,
                                                                 std::size_t out, bool bias) {
  // kaiming_uniform_(weight, a=sqrt(5)), in PyTorch's own double arithmetic:
  // gain = sqrt(2 / (1 + a^2)), std = gain / sqrt(fan_in), bound = sqrt(3) * std.
  const double a = std::sqrt(5.0);
  const double gain = std::sqrt(2.0 / (1.0 + a * a));
  const double bound = std::sqrt(3.0) * (gain / std::sqrt(static_cast<double>(in)));
  Matrix weight(in, out);  // stored transposed: PyTorch fills out × in, row-major
  for (std::size_t o = 0; o < out; ++o) {
    for (std::size_t i = 0; i < in; ++i) weight(i, o) = gen.uniform(static_cast<float>(-bound), static_cast<float>(bound));
  }
  std::optional<std::vector<float>> b;
  if (bias) {
    const double bias_bound = 1.0 / std::sqrt(static_cast<double>(in));
    b.emplace(out);
    for (float& v : *b) v = gen.uniform(static_cast<float>(-bias_bound), static_cast<float>(bias_bound));
  }
  return {std::move(weight), std::move(b)};
}

std::optional<Parameters> make_parameters(Projection projection, std::size_t d_in, std::size_t d_out,
                                          bool qkv_bias, const EmbeddingTable& table, TorchGenerator& gen) {
  switch (projection) {
    case Projection::none:
    case Projection::model:  // a model's weights come from its checkpoint (model.hpp), never from here
      return std::nullopt;
    case Projection::rand: {
      // W_query, W_key, W_value = torch.rand(d_in, d_out) each, in that order
      Parameters p;
      p.W_query = gen.rand(d_in, d_out);
      p.W_key = gen.rand(d_in, d_out);
      p.W_value = gen.rand(d_in, d_out);
      return p;
    }
    case Projection::linear: {
      // W_query, W_key, W_value = nn.Linear(d_in, d_out, bias=qkv_bias) each, in that order
      Parameters p;
      std::tie(p.W_query, p.b_query) = draw_linear(gen, d_in, d_out, qkv_bias);
      std::tie(p.W_key, p.b_key) = draw_linear(gen, d_in, d_out, qkv_bias);
      std::tie(p.W_value, p.b_value) = draw_linear(gen, d_in, d_out, qkv_bias);
      return p;
    }
    case Projection::table:
      return Parameters{table.weights->W_query, table.weights->W_key, table.weights->W_value, {}, {}, {}};
  }
  return std::nullopt;
}

namespace {

std::optional<std::vector<float>> columns(const std::optional<std::vector<float>>& b, std::size_t first,
                                          std::size_t count) {
  if (!b) return std::nullopt;
  return std::vector<float>(b->begin() + static_cast<std::ptrdiff_t>(first),
                            b->begin() + static_cast<std::ptrdiff_t>(first + count));
}

}  // namespace

Parameters column_slice(const Parameters& p, std::size_t first, std::size_t count) {
  return Parameters{columns(p.W_query, first, count), columns(p.W_key, first, count),
                    columns(p.W_value, first, count), columns(p.b_query, first, count),
                    columns(p.b_key, first, count),   columns(p.b_value, first, count)};
}

ParameterCount count_parameters(std::uint64_t d_in, std::uint64_t d_out, std::uint64_t heads, Multihead multihead,
                                bool qkv_bias) {
  ParameterCount c;
  const std::uint64_t one_projection = d_in * d_out + (qkv_bias ? d_out : 0);
  if (multihead == Multihead::wrapper) {
    for (const char* name : {"W_query", "W_key", "W_value"}) {
      // One head is SelfAttention_v1: its matrices are named as split heads name theirs.
      const std::string per_head = heads == 1 ? std::string() : fmt::format("{} heads × ", heads);
      c.parts.emplace_back(fmt::format("{} ({}{} × {}{})", name, per_head, d_in, d_out, qkv_bias ? " + bias" : ""),
                           heads * one_projection);
    }
  } else {
    for (const char* name : {"W_query", "W_key", "W_value"}) {
      c.parts.emplace_back(fmt::format("{} ({} × {}{})", name, d_in, d_out, qkv_bias ? " + bias" : ""), one_projection);
    }
    c.parts.emplace_back(fmt::format("out_proj ({} × {} + bias)", d_out, d_out), d_out * d_out + d_out);
  }
  for (const auto& part : c.parts) c.total += part.second;
  return c;
}

}  // namespace attn
