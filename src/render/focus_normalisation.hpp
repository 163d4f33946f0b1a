// focus_normalisation.hpp: how the focus walkthrough turns token i's scores
// into weights: scaling, the causal mask, the normalisation, renormalisation.
//
// write_scaling() divides each score by √d_k; write_mask() shows which keys
// the -inf mask hides; write_normalisation() spells the softmax (stable: minus
// the row max, each exp, their sum, each division; naive; or the division by
// the row sum) and checks that the weights sum to 1; write_renormalisation()
// zeroes the future weights and divides by the new row sum (--causal-method
// renorm).
//
// Promises: the scores, scaled and masked scores and weights are the Trace's;
// the row max, each numerator (exp) and their sum are those of the engine's
// normalise_row() (softmax.hpp) on the row the engine normalised, so the
// walkthrough shows the very arithmetic that made the weights. Only sums of
// displayed weights (the checks) are added up here.
#pragma once

#include "attn/trace.hpp"
#include "focus_page.hpp"

namespace attn {

// Each of these: REQUIRES h is one of page.trace.heads.

// ω / √d_k for every key (when the run scales).
void write_scaling(FocusPage& page, const HeadTrace& h);

// The -inf causal mask of row page.i. REQUIRES: h.masked_scores.
void write_mask(FocusPage& page, const HeadTrace& h);

// The normalisation of row page.i, by the run's softmax.
void write_normalisation(FocusPage& page, const HeadTrace& h);

// The causal mask by renormalisation. REQUIRES: h.masked_weights.
void write_renormalisation(FocusPage& page, const HeadTrace& h);

}  // namespace attn
