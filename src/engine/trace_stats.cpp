// Summaries of a Trace's rows for --compare: entropy, largest weight, spread,
// row sums and checks, naive against stable, exp overflow. Reads only.
#include "attn/trace_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <fmt/format.h>

namespace attn {

std::size_t visible_keys(const Settings& settings, std::size_t i, std::size_t n) {
  return settings.causal ? i + 1 : n;
}

RowStats row_stats(const Settings& settings, const HeadTrace& h, std::size_t i) {
  const Matrix& w = h.attn_weights;
  const std::size_t n = w.cols;
  RowStats r;
  bool distribution = true;
  double entropy = 0.0, largest = -std::numeric_limits<double>::infinity();
  for (std::size_t j = 0; j < n; ++j) {
    const double a = w(i, j);
    if (!std::isfinite(a) || a < 0.0) distribution = false;
    if (std::isnan(a)) largest = std::numeric_limits<double>::quiet_NaN();
    else if (!std::isnan(largest)) largest = std::max(largest, a);
    if (a > 0.0 && std::isfinite(a)) entropy -= a * std::log(a);
  }
  if (distribution) r.entropy = entropy;
  r.largest = largest;

  const std::size_t k = visible_keys(settings, i, n);
  double mean = 0.0, square = 0.0;
  for (std::size_t j = 0; j < k; ++j) mean += h.scaled_scores(i, j);
  mean /= static_cast<double>(k);
  for (std::size_t j = 0; j < k; ++j) square += (h.scaled_scores(i, j) - mean) * (h.scaled_scores(i, j) - mean);
  r.spread = std::sqrt(square / static_cast<double>(k));
  return r;
}

RunStats run_stats(const Settings& settings, const std::vector<const HeadTrace*>& heads) {
  RunStats out;
  double entropy = 0.0;
  bool defined = true;
  std::size_t rows = 0;
  for (const HeadTrace* h : heads) {
    const std::size_t n = h->attn_weights.rows;
    for (std::size_t i = 0; i < n; ++i, ++rows) {
      const RowStats r = row_stats(settings, *h, i);
      if (r.entropy) entropy += *r.entropy;
      else defined = false;
      out.largest += r.largest;
      out.spread += r.spread;
      const UniformRow uniform = uniform_row(visible_keys(settings, i, n));
      out.uniform_entropy += uniform.entropy;
      out.uniform_largest += uniform.weight;
    }
  }
  const double count = static_cast<double>(std::max<std::size_t>(rows, 1));
  if (defined) out.entropy = entropy / count;
  out.largest /= count;
  out.spread /= count;
  out.uniform_entropy /= count;
  out.uniform_largest /= count;
  return out;
}

RunStats run_stats(const Trace& trace) {
  std::vector<const HeadTrace*> heads;
  for (const HeadTrace& h : trace.heads) heads.push_back(&h);
  return run_stats(trace.settings, heads);
}

std::vector<float> row_sums(const Matrix& weights) {
  std::vector<float> sums(weights.rows);
  for (std::size_t i = 0; i < weights.rows; ++i) {
    double s = 0.0;
    for (std::size_t j = 0; j < weights.cols; ++j) s += weights(i, j);
    sums[i] = static_cast<float>(s);
  }
  return sums;
}

RowChecks check_rows(const Matrix& w) {
  RowChecks checks;
  for (std::size_t i = 0; i < w.rows; ++i) {
    double sum = 0.0;
    bool finite = true, below = false, above = false;
    for (std::size_t j = 0; j < w.cols; ++j) {
      const float a = w(i, j);
      sum += a;
      if (!std::isfinite(a)) finite = false;
      else if (a < 0.0f) below = true;
      else if (a > 1.0f) above = true;
    }
    if (!finite) checks.non_finite.push_back(i);
    else if (std::fabs(sum - 1.0) > kSumTolerance) checks.not_one.push_back(i);
    if (below) checks.negative.push_back(i);
    if (above) checks.above_one.push_back(i);
  }
  return checks;
}

Agreement compare_weights(const Matrix& a, const Matrix& b) {
  Agreement agreement;
  for (std::size_t i = 0; i < a.rows; ++i) {
    bool finite = true;
    for (std::size_t j = 0; j < a.cols; ++j) {
      const float x = a(i, j), y = b(i, j);
      if (!std::isfinite(x) || !std::isfinite(y)) finite = false;
      else agreement.largest_gap = std::max(agreement.largest_gap, std::fabs(static_cast<double>(x) - y));
    }
    if (!finite) agreement.broken.push_back(i);
  }
  return agreement;
}

ExpOverflow exp_overflow(const Matrix& scores) {
  ExpOverflow overflow;
  overflow.limit = std::log(std::numeric_limits<float>::max());
  for (std::size_t i = 0; i < scores.rows; ++i) {
    bool row_overflows = false;
    for (std::size_t j = 0; j < scores.cols; ++j) {
      if (scores(i, j) > overflow.limit) {
        overflow.cells.push_back({i, j});
        row_overflows = true;
      }
    }
    if (row_overflows) overflow.rows.push_back(i);
  }
  return overflow;
}

std::size_t argmax(std::span<const float> v) {
  std::size_t best = 0;
  for (std::size_t j = 1; j < v.size(); ++j)
    if (v[j] > v[best]) best = j;
  return best;
}

StrongestKeys strongest_keys(std::span<const float> row, std::size_t visible, int decimals) {
  StrongestKeys result;
  const std::span<const float> seen = row.first(visible);
  for (float w : seen)
    if (!std::isfinite(w)) return result;
  // Ties are judged on the printed digits: two weights that print alike look alike.
  const auto printed = [&](float w) { return fmt::format("{:.{}f}", w, decimals); };
  const float largest = seen[argmax(seen)];
  const std::string top = printed(largest);
  // Only a weight within one last-decimal unit of the largest can print alike.
  const double unit = std::pow(10.0, -decimals);
  for (std::size_t j = 0; j < seen.size(); ++j)
    if (static_cast<double>(largest) - seen[j] <= unit && printed(seen[j]) == top) result.keys.push_back(j);
  result.even = seen.size() >= 2 && result.keys.size() == seen.size();
  return result;
}

RowRange row_range(const Matrix& m, std::size_t row) {
  RowRange range;
  range.max = -std::numeric_limits<float>::infinity();
  range.min = std::numeric_limits<float>::infinity();
  for (std::size_t j = 0; j < m.cols; ++j) {
    range.max = std::max(range.max, m(row, j));
    range.min = std::min(range.min, m(row, j));
  }
  range.shifted_min = range.min - range.max;
  return range;
}

UniformRow uniform_row(std::size_t n) {
  const double k = static_cast<double>(n);
  return {std::log(k), 1.0 / k};
}

double score_std_dev(std::size_t d_k) { return std::sqrt(static_cast<double>(d_k)); }

}  // namespace attn
