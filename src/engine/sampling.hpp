// sampling.hpp: choosing the next token at random, as a model generates text.
//
// The probabilities are softmax(logits / T) (the --top list's). Sampling keeps the K most
// likely tokens (--top-k K; all of them when K is 0), divides each of their probabilities
// by their sum (so that they add up to 1 again), lays them end to end, most likely first
// (ties: the lower id first), and draws one number u from the seeded generator, u in [0, 1)
// as torch.rand(1) after torch.manual_seed(seed). The chosen token is the one whose stretch
// holds u: the first whose cumulative share exceeds u. That is inverse-transform sampling,
// written so that a learner can check it by hand (torch.multinomial draws differently, so
// its choices are not these). As T falls towards 0 the most likely token's share tends to 1
// and it is always chosen.
#pragma once

#include <cstddef>
#include <vector>

namespace attn {

struct Sampled {
  int id = 0;                // the chosen token
  float share = 0.0f;        // its probability among the kept ones (renormalised)
  float cumulative = 0.0f;   // the kept shares up to and including it, in order: u < cumulative
};

// REQUIRES: probabilities.size() ≥ 1, each a number in [0, 1]; 0 ≤ u < 1.
Sampled sample_token(const std::vector<float>& probabilities, std::size_t top_k, float u);

}  // namespace attn
