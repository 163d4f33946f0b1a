#include "sampling.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace attn {

Sampled sample_token(const std::vector<float>& probabilities, std::size_t top_k, float u) {
  // the K most likely ids, most likely first (ties to the lower id)
  std::vector<int> ids(probabilities.size());
  std::iota(ids.begin(), ids.end(), 0);
  const std::size_t k = top_k == 0 ? ids.size() : std::min(top_k, ids.size());
  std::partial_sort(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(k), ids.end(), [&](int a, int b) {
    const float pa = probabilities[a], pb = probabilities[b];
    return pa != pb ? pa > pb : a < b;
  });
  ids.resize(k);
  // their sum, then each share of it laid end to end until the stretch that holds u
  float sum = 0.0f;
  for (const int id : ids) sum += probabilities[id];
  Sampled out;
  for (const int id : ids) {
    out.id = id;
    out.share = sum > 0.0f ? probabilities[id] / sum : 0.0f;
    out.cumulative += out.share;
    if (u < out.cumulative) break;  // the last one when rounding leaves the total just under u
  }
  return out;
}

}  // namespace attn
