// An exercise's answer worked from the numbers its page prints (exercise_printed.hpp).
#include "exercise_printed.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "attn/softmax.hpp"

namespace attn {

namespace {

using Row = std::vector<float>;

// x as the page prints it: to kPageDecimals (an infinity stays one).
float printed(float x) {
  if (!std::isfinite(x)) return x;
  const double scale = std::pow(10.0, kPageDecimals);
  return static_cast<float>(std::round(static_cast<double>(x) * scale) / scale);
}

Row printed_row(const Matrix& m, std::size_t i) {
  Row r = row_of(m, i);
  for (float& x : r) x = printed(x);
  return r;
}

float dot(const Row& a, const Row& b) {
  float sum = 0.0f;
  for (std::size_t c = 0; c < a.size() && c < b.size(); ++c) sum += a[c] * b[c];
  return sum;
}

// One head's quantities from the page of `ex`, with √d_k = `divisor`.
class Page {
 public:
  Page(const Exercise& ex, const Trace& tr, std::size_t head, float divisor)
      : ex_(ex), tr_(tr), h_(tr.heads.at(head)), divisor_(divisor) {}

  // Row i of the raw scores ω: printed, or from printed queries and keys (the
  // inputs, without trainable weights).
  std::optional<Row> scores(std::size_t i) const {
    if (shown(Stage::scores)) return printed_row(h_.attn_scores, i);
    const bool qk = shown(Stage::queries) && shown(Stage::keys);
    const bool xx = !h_.W_query && shown(Stage::inputs);
    if (!qk && !xx) return std::nullopt;
    const Matrix& a = qk ? h_.queries : tr_.inputs;
    const Matrix& b = qk ? h_.keys : tr_.inputs;
    Row row(b.rows);
    for (std::size_t j = 0; j < b.rows; ++j) row[j] = dot(printed_row(a, i), printed_row(b, j));
    return row;
  }

  // Row i of the scaled scores (masked, when the page prints the mask).
  std::optional<Row> scaled(std::size_t i) const {
    if (shown(Stage::mask) && h_.masked_scores) return printed_row(*h_.masked_scores, i);
    if (shown(Stage::scaled)) return printed_row(h_.scaled_scores, i);
    std::optional<Row> row = scores(i);
    if (row && tr_.settings.scale)
      for (float& x : *row) x /= divisor_;
    return row;
  }

  // Row i of the weights the context uses, as attend_head() goes on from the scaled scores.
  std::optional<Row> weights(std::size_t i) const {
    if (h_.dropped_weights && shown(Stage::dropout)) return printed_row(*h_.dropped_weights, i);
    if (!h_.dropped_weights && shown(Stage::weights)) return printed_row(h_.attn_weights, i);
    std::optional<Row> row = scaled(i);
    if (!row) return std::nullopt;
    const Settings& st = tr_.settings;
    const bool inf_mask = st.causal && st.causal_method == CausalMethod::inf;
    if (inf_mask)
      for (std::size_t j = i + 1; j < row->size(); ++j) (*row)[j] = -std::numeric_limits<float>::infinity();
    Row w = normalise_row(*row, st.softmax, inf_mask ? i + 1 : row->size()).weights;
    if (st.causal && st.causal_method == CausalMethod::renorm) w = renormalise_causal(std::move(w), i);
    if (h_.dropout_mask) {
      const float keep = dropout_scale_of(st.dropout);
      for (std::size_t j = 0; j < w.size(); ++j) w[j] = w[j] * ((*h_.dropout_mask)(i, j) * keep);
    }
    return w;
  }

  // Row i's context vector: its weights times the values (the inputs, without weights).
  std::optional<Row> context(std::size_t i) const {
    const std::optional<Row> w = weights(i);
    if (!w) return std::nullopt;
    const bool as_printed = shown(Stage::values) || (!h_.W_value && shown(Stage::inputs));
    const Matrix& v = h_.W_value ? h_.values : tr_.inputs;
    Row z(v.cols, 0.0f);
    for (std::size_t j = 0; j < w->size(); ++j) {
      const Row vj = as_printed ? printed_row(v, j) : row_of(v, j);
      for (std::size_t c = 0; c < v.cols; ++c) z[c] += (*w)[j] * vj[c];
    }
    return z;
  }

  // Row i's query: printed inputs times printed W_query (and bias).
  std::optional<Row> query(std::size_t i) const {
    if (!h_.W_query || !shown(Stage::inputs) || !shown(Stage::params)) return std::nullopt;
    const Row x = printed_row(tr_.inputs, i);
    Row q(h_.W_query->cols);
    for (std::size_t c = 0; c < q.size(); ++c) {
      float sum = 0.0f;
      for (std::size_t d = 0; d < x.size(); ++d) sum += x[d] * printed((*h_.W_query)(d, c));
      q[c] = h_.b_query ? sum + printed((*h_.b_query)[c]) : sum;
    }
    return q;
  }

 private:
  const Exercise& ex_;
  const Trace& tr_;
  const HeadTrace& h_;
  float divisor_;

  bool shown(Stage s) const { return std::find(ex_.show.begin(), ex_.show.end(), s) != ex_.show.end(); }
};

// The quantity from the page, with √d_k = `divisor`; nothing when the page gives no start.
std::optional<Answer> worked(const Exercise& ex, const Solved& s, float divisor) {
  const Trace& tr = *s.trace;
  const Page page(ex, tr, s.head, divisor);
  auto number = [](const std::optional<Row>& r, std::size_t j) {
    return r ? std::optional<Answer>(number_answer(r->at(j))) : std::nullopt;
  };
  auto vector = [](const std::optional<Row>& r) { return r ? std::optional<Answer>(vector_answer(*r)) : std::nullopt; };
  switch (ex.ask.quantity) {
    case Quantity::score: return number(page.scores(s.t), s.k);
    case Quantity::scores: return vector(page.scores(s.t));
    case Quantity::scaled_score: return number(page.scaled(s.t), s.k);
    case Quantity::weight: return number(page.weights(s.t), s.k);
    case Quantity::weights: return vector(page.weights(s.t));
    case Quantity::context: return vector(page.context(s.t));
    case Quantity::query: return vector(page.query(s.t));
    case Quantity::output: {
      if (tr.out_proj || tr.model) return std::nullopt;  // out_proj's arithmetic is not on the page
      Row out;
      for (std::size_t h = 0; h < tr.heads.size(); ++h) {
        const std::optional<Row> z = Page(ex, tr, h, divisor).context(s.t);
        if (!z) return std::nullopt;
        out.insert(out.end(), z->begin(), z->end());
      }
      return vector_answer(out);
    }
    case Quantity::attends_most:
    case Quantity::scale_divisor:
    case Quantity::dropout_scale:
    case Quantity::output_shape:
    case Quantity::parameter_count: break;
  }
  return std::nullopt;
}

}  // namespace

std::vector<Answer> printed_answers(const Exercise& exercise, const Solved& solved) {
  std::vector<Answer> out;
  if (!solved.trace) return out;
  const float exact = solved.trace->heads.at(solved.head).scale_divisor;
  for (const float divisor : {printed(exact), exact}) {
    if (std::optional<Answer> a = worked(exercise, solved, divisor)) out.push_back(std::move(*a));
  }
  return out;
}

}  // namespace attn
