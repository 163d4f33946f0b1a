#include "attn/head_patterns.hpp"

#include "attn/trace_stats.hpp"

namespace attn {

double HeadProfile::share() const {
  if (rows == 0) return 0.0;
  switch (pattern) {
    case HeadPattern::previous: return static_cast<double>(previous) / static_cast<double>(rows);
    case HeadPattern::first: return static_cast<double>(first) / static_cast<double>(rows);
    case HeadPattern::self: return static_cast<double>(self) / static_cast<double>(rows);
    case HeadPattern::other: return static_cast<double>(other) / static_cast<double>(rows);
    case HeadPattern::mixed: return 0.0;
  }
  return 0.0;
}

HeadProfile classify_head(const Matrix& weights) {
  HeadProfile p;
  const std::size_t n = weights.rows;
  for (std::size_t i = rows_left_out(n); i < n; ++i) {
    const std::size_t j = argmax(weights.row(i).first(i + 1));  // the keys a causal row can see
    ++p.rows;
    if (j + 1 == i) {
      ++p.previous;
    } else if (j == 0) {
      ++p.first;
    } else if (j == i) {
      ++p.self;
    } else {
      ++p.other;
      if (p.other == 1 || weights(i, j) > p.link_weight) p.link_query = i, p.link_key = j, p.link_weight = weights(i, j);
    }
  }
  const std::pair<HeadPattern, std::size_t> counts[] = {
      {HeadPattern::previous, p.previous}, {HeadPattern::first, p.first}, {HeadPattern::self, p.self}, {HeadPattern::other, p.other}};
  for (const auto& [pattern, count] : counts)
    if (2 * count > p.rows) p.pattern = pattern;
  return p;
}

const char* to_string(HeadPattern pattern) {
  switch (pattern) {
    case HeadPattern::previous: return "previous";
    case HeadPattern::first: return "first";
    case HeadPattern::self: return "self";
    case HeadPattern::other: return "other";
    case HeadPattern::mixed: return "mixed";
  }
  return "?";
}

std::size_t layer_argmax(const std::vector<Matrix>& heads, std::size_t i) {
  const std::size_t n = heads.front().cols;
  std::vector<float> mean(n, 0.0f);
  for (const Matrix& w : heads)
    for (std::size_t j = 0; j < n; ++j) mean[j] += w(i, j) / static_cast<float>(heads.size());
  return argmax(mean);
}

}  // namespace attn
