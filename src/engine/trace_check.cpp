// The consistency of a trace read back: sizes, scales, masks, weights and
// probabilities. See trace_check.hpp for what is refused and why.
#include "trace_check.hpp"

#include <cmath>

#include <fmt/format.h>

#include "attn/util/error.hpp"

namespace attn {

namespace {

// How far a row of float32 softmax weights may sum from 1: each weight is
// rounded once, and the sum they were divided by once per term (n · 2^-24
// each way), so 1e-3 plus that leaves room without letting 0.5 or 2 through.
double sum_tolerance(std::size_t n) { return 1e-3 + static_cast<double>(n) * 0x1.0p-23; }

}  // namespace

void check_trace_sizes(const Trace& t, const std::string& source) {
  const Settings& s = t.settings;
  if (s.multihead == Multihead::split && s.heads * s.head_dim != s.d_out) {
    throw DataError(fmt::format("{}: config.head_dim is {}, expected {} (d_out {} split into {} heads)", source, s.head_dim,
                                s.d_out / s.heads, s.d_out, s.heads));
  }
  if (s.multihead == Multihead::wrapper && s.head_dim != s.d_out) {
    throw DataError(fmt::format("{}: config.head_dim is {}, expected {} (the wrapper's heads are d_out wide)", source,
                                s.head_dim, s.d_out));
  }
  if (s.projection == Projection::none && s.d_out != s.d_in) {
    throw DataError(fmt::format("{}: config.d_out is {}, expected {} (without a projection d_out = d_in)", source, s.d_out,
                                s.d_in));
  }
  if (!t.model) return;
  if (t.model->n_head != s.heads) {
    throw DataError(fmt::format("{}: model.n_head is {}, expected {} (config.heads)", source, t.model->n_head, s.heads));
  }
  if (t.model->n_embd != s.d_in || t.model->n_embd != s.d_out) {
    throw DataError(fmt::format("{}: model.n_embd is {}, expected {} (config.d_in and d_out)", source, t.model->n_embd,
                                s.d_in));
  }
  if (t.tokens.size() > t.model->n_positions) {
    throw DataError(fmt::format("{}: \"tokens\" holds {}, more than model.n_positions {}", source, t.tokens.size(),
                                t.model->n_positions));
  }
}

namespace {

// Weights: each value in [0, 1] or NaN (null); with `sums`, each row whose
// values are all finite sums to 1.
void check_weights(const Matrix& m, const std::string& key, bool sums) {
  for (std::size_t i = 0; i < m.rows; ++i) {
    double sum = 0.0;
    bool finite = true;
    for (std::size_t j = 0; j < m.cols; ++j) {
      const float w = m(i, j);
      if (std::isnan(w)) {
        finite = false;
        continue;
      }
      if (!(w >= 0.0f && w <= 1.0f)) {
        throw DataError(fmt::format("{}: row {} column {} is {}, expected a weight from 0 to 1 (or null)", key, i + 1, j + 1, w));
      }
      sum += w;
    }
    if (sums && finite && std::fabs(sum - 1.0) > sum_tolerance(m.cols)) {
      throw DataError(fmt::format("{}: row {} sums to {}, expected 1 (a row of softmax weights)", key, i + 1, sum));
    }
  }
}

void check_head(const HeadTrace& h, const Settings& s, const std::string& where) {
  const float scale = s.scale ? std::sqrt(static_cast<float>(s.head_dim)) : 1.0f;
  if (!(std::fabs(h.scale_divisor - scale) <= 1e-6f * scale)) {
    throw DataError(fmt::format("{}.scale is {}, expected {} (config.scale is {}, head_dim {})", where, h.scale_divisor, scale,
                                s.scale, s.head_dim));
  }
  if (h.masked_scores) {
    const Matrix& m = *h.masked_scores;
    for (std::size_t i = 0; i < m.rows; ++i)
      for (std::size_t j = i + 1; j < m.cols; ++j)
        if (!(std::isinf(m(i, j)) && m(i, j) < 0.0f)) {
          throw DataError(fmt::format("{}.masked_scores: row {} column {} is {}, expected null (the causal mask, above the diagonal)",
                                      where, i + 1, j + 1, m(i, j)));
        }
  }
  if (h.dropout_mask) {
    for (std::size_t k = 0; k < h.dropout_mask->data.size(); ++k) {
      const float v = h.dropout_mask->data[k];
      if (v != 0.0f && v != 1.0f) {
        throw DataError(fmt::format("{}.dropout_mask: row {} column {} is {}, expected 0 or 1", where,
                                    k / h.dropout_mask->cols + 1, k % h.dropout_mask->cols + 1, v));
      }
    }
  }
  if (s.softmax == Softmax::sum) return;  // x / sum(x): any number
  if (h.masked_weights) check_weights(*h.masked_weights, where + ".masked_weights", false);
  check_weights(h.attn_weights, where + ".weights", s.softmax == Softmax::stable);
}

}  // namespace

void check_trace(const Trace& t, const std::string& source) {
  for (std::size_t k = 0; k < t.heads.size(); ++k) {
    check_head(t.heads[k], t.settings, fmt::format("{}: heads[{}]", source, k + 1));
  }
  for (std::size_t l = 0; l < t.layer_weights.size(); ++l)
    for (std::size_t h = 0; h < t.layer_weights[l].size(); ++h)
      check_weights(t.layer_weights[l][h], fmt::format("{}: layer_weights[{}][{}]", source, l + 1, h + 1), true);
  for (std::size_t k = 0; k < t.next_tokens.size(); ++k) {
    const float p = t.next_tokens[k].probability;
    if (!std::isnan(p) && !(p >= 0.0f && p <= 1.0f)) {
      throw DataError(fmt::format("{}: next_tokens[{}].probability is {}, expected a probability from 0 to 1 (or null)",
                                  source, k + 1, p));
    }
  }
}

}  // namespace attn
