// An exercise's answer: its run made with the engine, the quantity read off it.
#include "exercise_solve.hpp"

#include <fmt/format.h>

#include "attn/util/error.hpp"
#include "attn/explorer.hpp"
#include "attn/util/data_dir.hpp"
#include "exercise_format.hpp"
#include "attn/parameter_count.hpp"
#include "attn/token_lookup.hpp"

namespace attn {

std::string where_of(const Exercise& ex) { return ex.path.empty() ? fmt::format("exercise \"{}\"", ex.id) : ex.path; }

// ───────────────────────────── answers ─────────────────────────────

Answer number_answer(double x) {
  Answer a;
  a.kind = Answer::Kind::number;
  a.number = x;
  return a;
}

Answer whole_answer(std::uint64_t x) {
  Answer a = number_answer(static_cast<double>(x));
  a.whole = true;
  return a;
}

Answer vector_answer(std::vector<double> v) {
  Answer a;
  a.kind = Answer::Kind::vector;
  a.vector = std::move(v);
  return a;
}

Answer vector_answer(const std::vector<float>& v) { return vector_answer(std::vector<double>(v.begin(), v.end())); }

Answer shape_answer(std::size_t rows, std::size_t cols) {
  Answer a = vector_answer(std::vector<double>{static_cast<double>(rows), static_cast<double>(cols)});
  a.whole = true;
  return a;
}

Answer token_answer(std::string token) {
  Answer a;
  a.kind = Answer::Kind::token;
  a.token = std::move(token);
  return a;
}

// ───────────────────────────── reading a Trace ─────────────────────────────

std::vector<float> column_of(const Matrix& m, std::size_t j) {
  std::vector<float> c(m.rows);
  for (std::size_t i = 0; i < m.rows; ++i) c[i] = m(i, j);
  return c;
}

const Matrix& used_weights(const HeadTrace& h) { return h.dropped_weights ? *h.dropped_weights : h.attn_weights; }

float dropout_scale_of(double p) { return 1.0f / static_cast<float>(1.0 - p); }

Answer read_quantity(const Ask& ask, const Trace& tr, std::size_t t, std::size_t k, std::size_t head) {
  const HeadTrace& h = tr.heads.at(head);
  switch (ask.quantity) {
    case Quantity::score: return number_answer(h.attn_scores(t, k));
    case Quantity::scores: return vector_answer(row_of(h.attn_scores, t));
    case Quantity::scaled_score: return number_answer(h.scaled_scores(t, k));
    case Quantity::weight: return number_answer(used_weights(h)(t, k));
    case Quantity::weights: return vector_answer(row_of(used_weights(h), t));
    case Quantity::context: return vector_answer(row_of(h.context_vec, t));
    case Quantity::query: return vector_answer(row_of(h.queries, t));
    case Quantity::output: return vector_answer(row_of(tr.output, t));
    case Quantity::attends_most: return token_answer(tr.tokens[argmax(row_of(h.attn_weights, t))]);
    case Quantity::scale_divisor: return number_answer(h.scale_divisor);
    case Quantity::dropout_scale: return number_answer(dropout_scale_of(tr.settings.dropout));
    case Quantity::output_shape: return shape_answer(tr.output.rows, tr.output.cols);
    case Quantity::parameter_count: break;
  }
  throw DataError(fmt::format("quantity \"{}\" cannot be read off a run", to_string(ask.quantity)));
}

// ───────────────────────────── solving ─────────────────────────────

namespace {

std::size_t resolve_token(const Exercise& ex, const Trace& trace, const char* field, const std::string& spec) {
  try {
    return find_focus(trace, spec);
  } catch (const UsageError& e) {
    if (all_digits(spec)) {
      throw DataError(fmt::format("{}: \"ask\": \"{}\" is {}, but the sentence has {} token{}", where_of(ex), field, spec,
                                  trace.tokens.size(), trace.tokens.size() == 1 ? "" : "s"),
                      e.hint());
    }
    throw DataError(fmt::format("{}: \"ask\": \"{}\" is \"{}\", which is not a token of the sentence", where_of(ex), field, spec),
                    e.hint());
  }
}

}  // namespace

Solved solve_run(const Exercise& ex) {
  Solved s;
  const Ask& ask = ex.ask;
  if (ask.quantity == Quantity::parameter_count) {
    s.answer = whole_answer(count_parameters(ask.d_in, ask.d_out, ask.heads, ask.multihead, ask.qkv_bias).total);
    return s;
  }
  try {
    if (!ex.settings.model.empty()) {
      s.trace = model_trace(ex.settings);  // a trained model: no table, no reruns with other settings
      s.head = ex.settings.head - 1;
    } else {
      s.table = load_table(find_data_file(ex.settings.embeddings));
      s.trace = explore(ex.settings.request, *s.table);
      check_head(ex.settings, *s.trace);
    }
  } catch (const Error& e) {
    // An exercise that cannot run is bad data, wherever the engine found the problem.
    throw DataError(fmt::format("{}: {}", where_of(ex), e.message().c_str()), e.hint());  // its keys kept for the CLI
  }
  if (ask.token) s.t = resolve_token(ex, *s.trace, "token", *ask.token);
  if (ask.key) s.k = resolve_token(ex, *s.trace, "key", *ask.key);
  s.answer = read_quantity(ask, *s.trace, s.t, s.k, s.head);
  return s;
}

Answer solve(const Exercise& exercise) { return solve_run(exercise).answer; }

}  // namespace attn
