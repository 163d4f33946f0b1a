// The usual mistakes with scores: score (ω for one pair), scores (a row of ω),
// scaled_score (ω / √d_k).
#include "exercise_mistakes.hpp"

#include <fmt/format.h>

namespace attn {

void Mistakes::score() {
  const HeadTrace& h = head();
  add("keys and queries swapped",
      fmt::format("That is ω({}, {}): the query of {} with the key of {}. The score of {} for {} takes the query of {} "
                  "and the key of {}.",
                  tok(k()), tok(t()), tok(k()), tok(t()), tok(t()), tok(k()), tok(t()), tok(k())),
      number_answer(h.attn_scores(k(), t())));
  if (st().scale) {
    add("scaled",
        fmt::format("That is the score already divided by √d_k = {}: the score ω is the plain dot product q·k.",
                    shown(h.scale_divisor)),
        number_answer(h.scaled_scores(t(), k())));
  }
  if (has_weights()) {
    add("embeddings instead of q and k",
        fmt::format("That is x({})·x({}), the dot product of the embeddings: project them first (q = x·W_query, "
                    "k = x·W_key), then take q·k.",
                    tr().tokens[t()], tr().tokens[k()]),
        number_answer(dot(tr().inputs, t(), tr().inputs, k())));
  }
  for (std::size_t j = 0; j < n(); ++j) {
    if (j == t()) continue;
    add("wrong row",
        fmt::format("That is ω({}, {}), the score of {} (the row of {}): use the query of {}.", tok(j), tok(k()), tok(j),
                    tok(j), tok(t())),
        number_answer(h.attn_scores(j, k())));
  }
  for (std::size_t j = 0; j < n(); ++j) {
    if (j == k()) continue;
    add("wrong key",
        fmt::format("That is the score of {} for {} (the column of {}): use the key of {}.", tok(t()), tok(j), tok(j),
                    tok(k())),
        number_answer(h.attn_scores(t(), j)));
  }
}

void Mistakes::scores() {
  const HeadTrace& h = head();
  add("column instead of row",
      fmt::format("That is the column of {} in ω, every query against the key of {}: the scores of {} are its row, "
                  "its query against every key.",
                  tok(t()), tok(t()), tok(t())),
      vector_answer(column_of(h.attn_scores, t())));
  if (st().scale) {
    add("scaled",
        fmt::format("Those are the scores already divided by √d_k = {}: the scores ω are the plain dot products q·k.",
                    shown(h.scale_divisor)),
        vector_answer(row_of(h.scaled_scores, t())));
  }
  if (has_weights()) {
    add("embeddings instead of q and k",
        fmt::format("Those are the dot products of the embeddings x({})·x(j): project first (q = x·W_query, "
                    "k = x·W_key), then take q·k.",
                    tr().tokens[t()]),
        vector_answer(embedding_scores(t())));
  }
  wrong_rows(h.attn_scores, "scores");
}

void Mistakes::scaled_score() {
  const HeadTrace& h = head();
  const float raw = h.attn_scores(t(), k());
  if (st().scale) {
    add("unscaled",
        fmt::format("That is the score before dividing by √d_k = {}: divide it by √d_k.", shown(h.scale_divisor)),
        number_answer(raw));
    add("scaled by d_k instead of √d_k",
        fmt::format("That is the score divided by d_k = {} itself: divide by its square root, √d_k = {}.", d_k(),
                    shown(h.scale_divisor)),
        number_answer(raw / static_cast<float>(d_k())));
    add("multiplied by √d_k",
        fmt::format("That is the score multiplied by √d_k = {}: divide by it.", shown(h.scale_divisor)),
        number_answer(raw * h.scale_divisor));
  } else {
    add("scaled",
        fmt::format("That is the score divided by √d_k = {}, but this run does not scale (--no-scale): the scaled "
                    "score is the score itself.",
                    shown(divisor())),
        number_answer(raw / divisor()));
  }
  add("keys and queries swapped",
      fmt::format("That is the scaled ω({}, {}): the query of {} with the key of {}. Use the query of {} and the key "
                  "of {}.",
                  tok(k()), tok(t()), tok(k()), tok(t()), tok(t()), tok(k())),
      number_answer(h.scaled_scores(k(), t())));
  for (std::size_t j = 0; j < n(); ++j) {
    if (j == t()) continue;
    add("wrong row",
        fmt::format("That is the scaled score of {} for {} (the row of {}): use the query of {}.", tok(j), tok(k()),
                    tok(j), tok(t())),
        number_answer(h.scaled_scores(j, k())));
  }
  for (std::size_t j = 0; j < n(); ++j) {
    if (j == k()) continue;
    add("wrong key",
        fmt::format("That is the scaled score of {} for {} (the column of {}): use the key of {}.", tok(t()), tok(j),
                    tok(j), tok(k())),
        number_answer(h.scaled_scores(t(), j)));
  }
}

}  // namespace attn
