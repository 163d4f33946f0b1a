// focus_query.hpp: the first two steps of the focus walkthrough, the query of
// token i and its scores against every key.
//
// write_query() shows q = x(i) without trainable weights, or q = x(i) · W_query
// (+ b_query) with each component as the dot product of x(i) with a column of
// W_query; write_scores() shows every score ω(i,j) = q · k(j) term by term.
// Every quantity (x(i), q, ω) is printed from the Trace; only the products
// that make up each sum are computed, for display.
#pragma once

#include <cstddef>

#include "attn/trace.hpp"
#include "focus_page.hpp"

namespace attn {

// The query of page.i for head `head_index` of page.trace.
// REQUIRES: h is page.trace.heads[head_index].
void write_query(FocusPage& page, const HeadTrace& h, std::size_t head_index);

// Every score of row page.i, as the dot product of q with each key.
// REQUIRES: h is one of page.trace.heads.
void write_scores(FocusPage& page, const HeadTrace& h);

}  // namespace attn
