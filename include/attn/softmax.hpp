// softmax.hpp: one row of scores → one row of weights, the one normalisation
// every part of attn-explain uses.
//
// attend_head() normalises each row with normalise_row(); the focus view reads
// the same function's intermediate numbers to spell the arithmetic out, and
// the exercises call it to compute a learner's likely mistakes. So there is a
// single softmax, and it is the one checked against PyTorch.
//
//   Softmax::stable  numerator_j = exp(s_j − max), max the row's largest value
//                    (torch.softmax: nothing overflows)
//   Softmax::naive   numerator_j = exp(s_j)        (the book's softmax_naive)
//   Softmax::sum     numerator_j = s_j             (the book's first normalisation)
//   then             weight_j = numerator_j / Σ_k numerator_k
//
// float32, summed left to right, exactly as the engine has always done it.
// The engine's own loops write into their rows in place (softmax_into.hpp, private).
#pragma once

#include <cstddef>
#include <limits>
#include <span>
#include <vector>

#include "attn/settings.hpp"

namespace attn {

// One row's normalisation, with the numbers that make it up.
struct RowNormalisation {
  float max = 0.0f;               // Softmax::stable: the value subtracted (the row's largest); else 0
  std::vector<float> numerators;  // one per key: exp(s − max), exp(s) or s; 0 for a key the sum leaves out
  float sum = 0.0f;               // Σ numerators
  std::vector<float> weights;     // numerators / sum (a left-out key: 0)
};

// Normalises `scores` by `softmax`. Keys from `visible` on are left out of a
// Softmax::sum (the causal mask for the sum normalisation, whose masked scores
// are -inf); the exponential softmaxes see every key (exp(-inf) = 0).
// REQUIRES: scores is not empty.
RowNormalisation normalise_row(std::span<const float> scores, Softmax softmax,
                               std::size_t visible = std::numeric_limits<std::size_t>::max());

// The causal mask by renormalisation (CausalMethod::renorm), for query row i:
// the weights of keys after i set to 0, then each divided by the new row sum.
// REQUIRES: i < weights.size().
std::vector<float> renormalise_causal(std::vector<float> weights, std::size_t i);
// The row sum renormalise_causal() divides by: the weights kept for query row
// i (keys 0 … i) added left to right, in float32. The focus view and the HTML
// page show this sum; they take it from here rather than adding it again.
// REQUIRES: i < weights.size().
float kept_weight_sum(std::span<const float> weights, std::size_t i);

}  // namespace attn
