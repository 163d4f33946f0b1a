// token_labels.hpp: how the renderers name a run's input X and its tokens.
//
// A table run's X is the token embeddings looked up in the table; a model
// run's X is the layer's input, the residual stream after ln_1. inputs_title()
// and input_of() give the words every view uses for it, so the terminal, the
// focus walkthrough and the HTML page say the same thing.
//
// A token that is not simply a known word (Trace::token_kinds) is marked
// wherever a table, heatmap or page labels it: "*" not in the table (hashed or
// zero vector), "⁺" a piece of a word BPE split into several tokens, "°" bytes
// that are not a whole character; mark_legend() says what each mark used means.
// A run whose tokens are all known labels them exactly as before: no mark, no legend.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "attn/trace.hpp"

namespace attn {

// The title of X's section, with its shape: "Token embeddings  X  (5 × 6)" in a
// table run, "Layer input  X = ln_1(residual stream)  (5 × 64)" in a model run.
std::string inputs_title(const Trace& t);

// What X's row of a token is, after "x(3) = [...]": "the embedding of "it"" or
// "the layer input of ·it (its row of X, the ln_1 output)". `quoted` is the
// token as the caller shows it.
std::string input_of(const Trace& t, const std::string& quoted);

// The caption of X in the HTML's reading aids: "token embeddings X" or "layer input X".
std::string inputs_name(const Trace& t);

// The mark after a token of kind k: "" for a known token.
std::string_view token_mark(TokenKind k);

// The kind of token i (known when the trace records none).
TokenKind kind_of(const Trace& t, std::size_t i);

// t.tokens, each followed by its mark: the row and column labels of every table.
std::vector<std::string> marked_tokens(const Trace& t);

// One line per mark the run uses, "* not in the table: its vector is hashed from
// its spelling (--oov hash)"; none when every token is known.
std::vector<std::string> mark_legend(const Trace& t);

// A model run's words that BPE split into several tokens, each as its tokens
// joined by "|" ("·Ch|oms|ky"), in sentence order (a run of marked tokens, a new
// word at a token that starts with a space).
std::vector<std::string> split_words(const Trace& t);

// The labels of X's columns (and the weights' rows): the table's dimension
// names when it gives them, else d0, d1, ....
std::vector<std::string> input_dim_labels(const Trace& t, std::size_t count);

}  // namespace attn
