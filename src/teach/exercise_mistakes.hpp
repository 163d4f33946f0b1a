// exercise_mistakes.hpp: the usual mistakes of an exercise, each with the value
// it gives and a nudge that says what went wrong.
//
// Mistakes builds on the exercise's Solved run (exercise_solve.hpp). Each
// mistaken variant is computed, never stored: explore() re-run with one
// setting changed (unscaled, no causal mask, sum instead of softmax), another
// part of the same Trace (the wrong row, the column instead of the row, the
// scores instead of the weights), or the run's weights recomputed from other
// scores through the engine's own softmax (softmax.hpp). Promises:
//   - list() holds only finite variants, each more than the tolerance away
//     from the answer and from every earlier variant, so a value matches at
//     most the first variant it is near; empty when no usual mistake applies;
//   - a variant is tried only when the exercise's own tables leave its step
//     to the learner: where the exercise shows the scaled scores, no variant
//     (and no nudge) is about scaling them, but dividing them by √d_k again
//     ("scaled twice") is; where it shows the weights, nothing about making
//     them is (see start());
//   - nothing here computes an exponential: weights come from normalise_row()
//     and renormalise_causal(), the functions attend_head() uses.
//
// The variants of each kind of quantity are in their own file:
// exercise_mistakes_scores.cpp (score, scores, scaled_score),
// exercise_mistakes_weights.cpp (weight, weights, context, attends_most),
// exercise_mistakes_vectors.cpp (query, output) and
// exercise_mistakes_sizes.cpp (scale_divisor, output_shape, dropout_scale,
// parameter_count); the shared machinery is in exercise_mistakes.cpp.
#pragma once

#include <cmath>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "attn/explorer.hpp"
#include "attn/matrix.hpp"
#include "attn/trace.hpp"
#include "attn/teach/exercise.hpp"
#include "exercise_solve.hpp"
#include "attn/stage.hpp"

namespace attn {

// A number as the nudges show it: 4 decimals.
std::string shown(double x);

// The mistaken variants of one exercise, built on its run.
// REQUIRES: `solved` is solve_run(exercise), and both outlive the Mistakes.
class Mistakes {
 public:
  Mistakes(const Exercise& exercise, const Solved& solved) : ex_(exercise), s_(solved) {}

  // The variants for the exercise's quantity (see the promises above). Call once.
  std::vector<Mistake> list();

  // What turns the scores of row i into its weights, in this run, from where
  // the learner starts, as instructions ("divide them by √d_k = 1.4142, then
  // apply the softmax ..."): the steps the shown tables have done are left out.
  // REQUIRES: the exercise has a run (not parameter_count).
  std::string steps_for(std::size_t i) const;
  // The same, as one instruction from the row the learner starts from: "Take
  // the row of scaled scores of "How", apply the softmax (...)".
  std::string weights_recipe(std::size_t i) const;

  // Where the learner's pencil starts: the latest stage the exercise shows
  // (inputs when it shows none). The steps up to it are done in the tables.
  Stage start() const;

 private:
  const Exercise& ex_;
  const Solved& s_;
  std::vector<Mistake> list_;

  // ── the run ──
  const Trace& tr() const { return *s_.trace; }
  const HeadTrace& head() const { return tr().heads.at(0); }
  const Settings& st() const { return tr().settings; }
  std::size_t n() const { return tr().tokens.size(); }
  std::size_t t() const { return s_.t; }
  std::size_t k() const { return s_.k; }
  std::size_t d_k() const { return head().keys.cols; }
  float divisor() const { return std::sqrt(static_cast<float>(d_k())); }
  bool has_weights() const { return head().W_query.has_value(); }
  // Which steps are the learner's, given start().
  bool learner_scales() const { return start() <= Stage::scores; }  // the raw scores are at hand
  bool learner_masks() const { return start() < Stage::mask; }
  bool learner_normalises() const { return start() < Stage::weights; }
  bool learner_drops() const { return start() < Stage::dropout; }

  // ── the list (exercise_mistakes.cpp) ──
  void add(std::string name, std::string nudge, Answer value);
  std::string tok(std::size_t i) const;
  std::optional<Trace> rerun(const std::function<void(Request&)>& change) const;
  void add_rerun(const std::string& name, const std::string& nudge, const std::function<void(Request&)>& change);
  void pipeline_reruns();
  void scaled_twice();
  std::optional<Answer> from_weights_row(const std::vector<float>& w) const;
  void wrong_rows(const Matrix& m, const std::string& what);
  void wrong_rows_vector(const Matrix& m, const std::string& what);

  // ── computing variants (exercise_mistakes.cpp) ──
  std::vector<float> weights_from(const std::vector<float>& scores, std::size_t i) const;
  static std::vector<float> weighted_sum(const std::vector<float>& w, const Matrix& rows);
  static float dot(const Matrix& a, std::size_t i, const Matrix& b, std::size_t j);
  const char* normalise_verb() const;
  std::vector<float> embedding_scores(std::size_t i) const;
  std::vector<float> unscaled_dropout_row(std::size_t i) const;

  // ── one function per quantity (the files named above) ──
  void score();
  void scores();
  void scaled_score();
  void weights();
  void weights_misread();
  void context();
  void attends_most();
  void query();
  void output();
  void scale_divisor();
  void output_shape();
  void dropout_scale();
  void parameter_count();
};

}  // namespace attn
