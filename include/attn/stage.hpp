// stage.hpp: the stages of one attention run, as the tutorials order them.
//
// A Trace holds one matrix (or set of matrices) per stage; the renderers print
// them in this order, --stages and the lessons' "show" name them, and
// data/explain.json keys its notes by them. kStageNames gives each the one name
// every file and option uses.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "attn/settings.hpp"

namespace attn {

enum class Stage {
  inputs,   // the token embeddings X
  positions,  // the position encoding added to them (--positions sinusoidal)
  params,   // W_query, W_key, W_value (and their biases)
  queries,  // Q = X · W_query
  keys,     // K = X · W_key
  values,   // V = X · W_value
  scores,   // ω = Q · Kᵀ
  scaled,   // ω / √d_k
  mask,     // the causal mask
  weights,  // α = softmax(...)
  dropout,  // the dropout mask and the kept weights
  context,  // z = α · V
  heads,    // the heads' context vectors side by side
  output,   // out_proj, or the concatenation
  // A model's block goes on after its attention:
  residual,    // the block's input + the attention's output
  ln_2,        // LayerNorm of the residual
  mlp_hidden,  // gelu(ln_2 · c_fc + b), 4 · n_embd wide
  mlp,         // the MLP's output, mlp_hidden · c_proj + b
  block,       // residual + MLP: the block's output, the next block's input
};

// Every stage, in the order the walkthrough prints them.
inline constexpr Named<Stage> kStageNames[] = {
    {Stage::inputs, "inputs"}, {Stage::positions, "positions"}, {Stage::params, "params"},   {Stage::queries, "queries"}, {Stage::keys, "keys"},
    {Stage::values, "values"}, {Stage::scores, "scores"},   {Stage::scaled, "scaled"},   {Stage::mask, "mask"},
    {Stage::weights, "weights"}, {Stage::dropout, "dropout"}, {Stage::context, "context"}, {Stage::heads, "heads"},
    {Stage::output, "output"}, {Stage::residual, "residual"}, {Stage::ln_2, "ln_2"}, {Stage::mlp_hidden, "mlp_hidden"},
    {Stage::mlp, "mlp"}, {Stage::block, "block"}};

inline const char* to_string(Stage s) { return name_of(kStageNames, s); }

// The stage called `name`, or nothing.
inline std::optional<Stage> stage_named(std::string_view name) { return value_named(kStageNames, name); }

// "inputs, params, …, output": every stage name, for messages.
inline std::string stage_list(const char* separator = ", ") {
  std::string list;
  for (const Named<Stage>& s : kStageNames) list += (list.empty() ? "" : separator) + std::string(s.name);
  return list;
}

}  // namespace attn
