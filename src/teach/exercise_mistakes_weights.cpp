// The usual mistakes with weights and what is made of them: weight and weights
// (α), context (z = Σ_j α(i,j) v(j)) and attends_most (the largest α of a row).
#include "exercise_mistakes.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace attn {

// weight (one entry, at column k) and weights (the row): the weights computed wrong.
void Mistakes::weights() {
  const HeadTrace& h = head();
  const bool one = ex_.ask.quantity == Quantity::weight;
  const std::string what = one ? fmt::format("α({}, {})", tok(t()), tok(k())) : fmt::format("the row of {}", tok(t()));
  auto pick = [&](const std::vector<float>& row) { return one ? number_answer(row[k()]) : vector_answer(row); };

  pipeline_reruns();
  if (st().scale && d_k() > 1 && learner_scales()) {
    std::vector<float> s = row_of(h.attn_scores, t());
    for (float& x : s) x /= static_cast<float>(d_k());
    add("scaled by d_k instead of √d_k",
        fmt::format("That is what you get dividing the scores by d_k = {} itself: divide them by its square root, "
                    "√d_k = {}.",
                    d_k(), shown(h.scale_divisor)),
        pick(weights_from(s, t())));
  }
  if (st().scale && learner_normalises()) {
    add("not normalised",
        one ? fmt::format("That is the scaled score ω/√d_k, not yet a weight: {} the row of {} so that it sums to 1.",
                          normalise_verb(), tok(t()))
            : fmt::format("Those are the scaled scores ω/√d_k of {}, not yet weights: {} the row so that it sums to 1.",
                          tok(t()), normalise_verb()),
        pick(row_of(h.scaled_scores, t())));
  }
  if (learner_scales()) {
    add("not normalised",
        one ? fmt::format("That is the raw score ω, not a weight: take the row of scores of {}, {}, and read the "
                          "column of {}.",
                          tok(t()), steps_for(t()), tok(k()))
            : fmt::format("Those are the raw scores ω of {}, not weights: {}.", tok(t()), steps_for(t())),
        pick(row_of(h.attn_scores, t())));
  }
  if (h.dropout_mask && learner_drops()) {
    add("before dropout",
        fmt::format("That is {} before dropout: zero the weights the dropout mask drops and multiply the kept ones by "
                    "1/(1 − p) = {}.",
                    what, shown(dropout_scale_of(st().dropout))),
        pick(row_of(h.attn_weights, t())));
    add("not rescaled after dropout",
        fmt::format("Those are the kept weights without the rescaling: multiply each kept weight by 1/(1 − p) = {}.",
                    shown(dropout_scale_of(st().dropout))),
        pick(unscaled_dropout_row(t())));
  }
  weights_misread();
}

// weight and weights: the right weights, read from the wrong place.
void Mistakes::weights_misread() {
  const Matrix& w = used_weights(head());
  if (ex_.ask.quantity == Quantity::weight) {
    add("column instead of row",
        fmt::format("That is α({}, {}), how much {} attends to {}: α({}, {}) is in the row of {}, the column of {}.",
                    tok(k()), tok(t()), tok(k()), tok(t()), tok(t()), tok(k()), tok(t()), tok(k())),
        number_answer(w(k(), t())));
    for (std::size_t j = 0; j < n(); ++j) {
      if (j == t()) continue;
      add("wrong row",
          fmt::format("That is α({}, {}), from the row of {}: look in the row of {}.", tok(j), tok(k()), tok(j), tok(t())),
          number_answer(w(j, k())));
    }
    for (std::size_t j = 0; j < n(); ++j) {
      if (j == k()) continue;
      add("wrong key",
          fmt::format("That is the weight of {} for {} (the column of {}): take the column of {}.", tok(t()), tok(j),
                      tok(j), tok(k())),
          number_answer(w(t(), j)));
    }
  } else {
    add("column instead of row",
        fmt::format("That is the column of {} in α, how much every token attends to {}: the weights of {} are its row.",
                    tok(t()), tok(t()), tok(t())),
        vector_answer(column_of(w, t())));
    wrong_rows(w, "weights");
  }
}

void Mistakes::context() {
  const HeadTrace& h = head();
  pipeline_reruns();
  if (st().scale && learner_normalises()) {
    add("not normalised",
        fmt::format("That weighs the values by the scaled scores of {}, not by its weights: {} the row first.", tok(t()),
                    normalise_verb()),
        vector_answer(weighted_sum(row_of(h.scaled_scores, t()), h.values)));
  }
  if (learner_scales()) {
    add("not normalised",
        fmt::format("That weighs the values by the raw scores of {}, not by its weights. Turn them into weights "
                    "first: {}.",
                    tok(t()), steps_for(t())),
        vector_answer(weighted_sum(row_of(h.attn_scores, t()), h.values)));
  }
  if (h.dropout_mask && learner_drops()) {
    add("before dropout",
        fmt::format("That uses the weights before dropout: zero the weights the dropout mask drops and multiply the "
                    "kept ones by 1/(1 − p) = {}, then weigh the values.",
                    shown(dropout_scale_of(st().dropout))),
        vector_answer(weighted_sum(row_of(h.attn_weights, t()), h.values)));
    add("not rescaled after dropout",
        fmt::format("That uses the kept weights without the rescaling: multiply each kept weight by 1/(1 − p) = {} "
                    "before weighing the values.",
                    shown(dropout_scale_of(st().dropout))),
        vector_answer(weighted_sum(unscaled_dropout_row(t()), h.values)));
  }
  const Matrix& w = used_weights(h);
  if (has_weights()) {
    add("embeddings instead of values",
        "That weighs the embeddings x(j): weigh the value vectors v(j) = x(j)·W_value instead.",
        vector_answer(weighted_sum(row_of(w, t()), tr().inputs)));
  }
  add("column instead of row",
      fmt::format("That weighs the values by the column of {} in α: the context of {} uses its own row of weights.",
                  tok(t()), tok(t())),
      vector_answer(weighted_sum(column_of(w, t()), h.values)));
  wrong_rows_vector(h.context_vec, "context vector");
}

void Mistakes::attends_most() {
  const Matrix& w = head().attn_weights;
  const std::vector<float> row = row_of(w, t());
  const std::size_t best = argmax(row);
  auto token_of = [&](std::size_t j) { return token_answer(tr().tokens[j]); };
  add("itself",
      fmt::format("{} gives itself {}, but another key gets more: a token does not always attend most to itself.",
                  tok(t()), shown(row[t()])),
      token_of(t()));
  add("column instead of row",
      fmt::format("{} is the token that attends most to {} (the column of {}): the question is where {} looks, its row "
                  "of α.",
                  tok(argmax(column_of(w, t()))), tok(t()), tok(t()), tok(t())),
      token_of(argmax(column_of(w, t()))));
  std::vector<std::size_t> order(row.size());
  for (std::size_t j = 0; j < order.size(); ++j) order[j] = j;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return row[a] > row[b]; });
  if (order.size() > 1 && order[1] != best) {
    add("second largest",
        fmt::format("{} has the second-largest weight in the row of {} ({}): one key weighs more.", tok(order[1]), tok(t()),
                    shown(row[order[1]])),
        token_of(order[1]));
  }
  add("least instead of most",
      fmt::format("{} has the smallest weight in the row of {} ({}): look for the largest.", tok(order.back()), tok(t()),
                  shown(row[order.back()])),
      token_of(order.back()));
  pipeline_reruns();
  for (std::size_t j = 0; j < n(); ++j) {
    if (j == t()) continue;
    add("wrong row",
        fmt::format("That is where {} attends most (the row of {}): look at the row of {}.", tok(j), tok(j), tok(t())),
        token_of(argmax(row_of(w, j))));
  }
}

}  // namespace attn
