#include "softmax.hpp"

#include <cmath>

namespace attn {

RowNormalisation normalise_row(std::span<const float> scores, Softmax softmax, std::size_t visible) {
  const std::size_t n = scores.size();
  RowNormalisation r;
  r.numerators.assign(n, 0.0f);
  switch (softmax) {
    case Softmax::stable:
      // exp(x - max) / sum: the max keeps every exponent ≤ 0, so nothing overflows.
      r.max = -std::numeric_limits<float>::infinity();
      for (std::size_t j = 0; j < n; ++j) r.max = std::fmax(r.max, scores[j]);
      for (std::size_t j = 0; j < n; ++j) r.numerators[j] = std::exp(scores[j] - r.max);
      break;
    case Softmax::naive:
      // exp(x) / sum exp(x), as the book's softmax_naive: exp overflows above ~88.7.
      for (std::size_t j = 0; j < n; ++j) r.numerators[j] = std::exp(scores[j]);
      break;
    case Softmax::sum:
      // x / sum(x): the book's first normalisation, not a softmax (weights can be negative).
      for (std::size_t j = 0; j < n && j < visible; ++j) r.numerators[j] = scores[j];
      break;
  }
  for (std::size_t j = 0; j < n && (softmax != Softmax::sum || j < visible); ++j) r.sum += r.numerators[j];
  r.weights.assign(n, 0.0f);
  for (std::size_t j = 0; j < n; ++j) {
    if (softmax != Softmax::sum || j < visible) r.weights[j] = r.numerators[j] / r.sum;
  }
  return r;
}

std::vector<float> renormalise_causal(std::vector<float> weights, std::size_t i) {
  for (std::size_t j = i + 1; j < weights.size(); ++j) weights[j] = 0.0f;
  float row_sum = 0.0f;
  for (float w : weights) row_sum += w;
  for (float& w : weights) w /= row_sum;
  return weights;
}

}  // namespace attn
