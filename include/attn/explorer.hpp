// explorer.hpp: one whole run, from a sentence to a filled Trace: the engine's
// two entry points.
//
//   explore(Request, table)       the chapter's attention on a table's embeddings
//   explore(ModelRequest, model)  a trained GPT-2-family model's block (model.hpp)
//
// explore(Request, table) is the pipeline: tokenize → look each token up (X) → draw or read
// the weights → attend → Trace. It resolves what the request leaves open and
// records every setting in force in trace.settings:
//   projection "auto" → "table" when the table has weights, else "rand";
//   d_out unset → the table weights' width for "table", else d_in.
// Random draws follow PyTorch: torch.manual_seed(seed) once, then the weights
// in the order the book's modules create them (head after head for the
// wrapper; W_query, W_key, W_value, then out_proj for split), then, if
// dropout_seed is set, torch.manual_seed(dropout_seed), then the dropout masks
// head after head. Nothing here prints; warnings are in the Trace.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "attn/embedding_table.hpp"
#include "attn/model.hpp"
#include "attn/settings.hpp"
#include "attn/trace.hpp"

namespace attn {

// Throws DataError for a sentence that is empty, not valid UTF-8, longer than
// max_tokens tokens, or (with OovPolicy::error) has unknown words, for a run
// whose memory estimate (taken before anything is computed) is over
// memory.limit, and
// UsageError for settings that
// contradict each other or the table (projection "table" without weights, a
// d_out the projection cannot give, d_out not divisible by the heads for
// split, --qkv-bias without --projection linear, dropout outside [0, 1)).
Trace explore(const Request& request, const EmbeddingTable& table);

// The sentence through a model (model.hpp says what the Trace holds).
// Throws DataError for an empty sentence, one that is not UTF-8, longer than
// max_tokens (or n_positions) tokens, or whose trace is estimated over
// memory.limit; UsageError for a layer outside 1 … n_layer.
Trace explore(const ModelRequest& request, const Model& model);

}  // namespace attn
