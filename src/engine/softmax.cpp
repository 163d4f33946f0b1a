#include "softmax_into.hpp"

#include <algorithm>
#include <cmath>

namespace attn {

RowSums normalise_row_into(std::span<const float> scores, Softmax softmax, std::size_t visible,
                           std::span<float> weights, std::span<float> numerators) {
  const std::size_t n = scores.size();
  const std::size_t summed = softmax == Softmax::sum ? std::min(n, visible) : n;  // the keys in the sum
  RowSums r;
  // The numerators first, written where the weights go.
  switch (softmax) {
    case Softmax::stable:
      // exp(x - max) / sum: the max keeps every exponent ≤ 0, so nothing overflows.
      r.max = -std::numeric_limits<float>::infinity();
      for (std::size_t j = 0; j < n; ++j) r.max = std::fmax(r.max, scores[j]);
      for (std::size_t j = 0; j < n; ++j) weights[j] = std::exp(scores[j] - r.max);
      break;
    case Softmax::naive:
      // exp(x) / sum exp(x), as the book's softmax_naive: exp overflows above ~88.7.
      for (std::size_t j = 0; j < n; ++j) weights[j] = std::exp(scores[j]);
      break;
    case Softmax::sum:
      // x / sum(x): the book's first normalisation, not a softmax (weights can be negative).
      for (std::size_t j = 0; j < n; ++j) weights[j] = j < summed ? scores[j] : 0.0f;
      break;
  }
  if (!numerators.empty()) std::copy(weights.begin(), weights.end(), numerators.begin());
  for (std::size_t j = 0; j < summed; ++j) r.sum += weights[j];
  for (std::size_t j = 0; j < summed; ++j) weights[j] /= r.sum;
  return r;
}

RowNormalisation normalise_row(std::span<const float> scores, Softmax softmax, std::size_t visible) {
  RowNormalisation r;
  r.numerators.assign(scores.size(), 0.0f);
  r.weights.assign(scores.size(), 0.0f);
  const RowSums sums = normalise_row_into(scores, softmax, visible, r.weights, r.numerators);
  r.max = sums.max;
  r.sum = sums.sum;
  return r;
}

float kept_weight_sum(std::span<const float> weights, std::size_t i) {
  float row_sum = 0.0f;
  for (std::size_t j = 0; j <= i && j < weights.size(); ++j) row_sum += weights[j];
  return row_sum;
}

void renormalise_causal_into(std::span<float> weights, std::size_t i) {
  // The keys after i are zeroed: adding their zeros would change no sum.
  for (std::size_t j = i + 1; j < weights.size(); ++j) weights[j] = 0.0f;
  const float row_sum = kept_weight_sum(weights, i);
  for (float& w : weights) w /= row_sum;
}

std::vector<float> renormalise_causal(std::vector<float> weights, std::size_t i) {
  renormalise_causal_into(weights, i);
  return weights;
}

}  // namespace attn
