// trace_read.hpp: a saved trace read back into a Trace, so that a run can be
// shared and drawn again without being computed again (attn-explain render).
//
// The file is what `attn-explain --json` prints or `--trace FILE` writes
// (docs/trace-format.md, schema "attn-explain/trace@1"). read_trace promises:
//   - every number reads back to the very float32 the run had (the writer
//     prints the shortest decimal that round-trips), so a picture drawn from
//     the trace is the picture of the run, byte for byte;
//   - the Trace keeps trace.hpp's promises: n tokens, n × d_in inputs, one head
//     per config "heads", n × head_dim queries, keys, values and context, n × n
//     scores and weights, the optional stages present exactly when the settings
//     make them; anything else is a DataError naming the file and the key
//     ("t.json: heads[2].weights: row 3 has 5 values, expected 6");
//   - the trace agrees with itself where the shapes cannot say (a model's
//     n_head is config.heads, each scale is √head_dim, weights and
//     probabilities lie in [0, 1], softmax rows sum to 1: trace_check.hpp);
//   - the strings (sentence, tokens, next tokens, warnings) are taken as they
//     are, whatever they hold: every renderer shows them through
//     display_escape() (echo.hpp), as it shows a live run's;
//   - null (how the writer spells a value that is not finite) reads as −∞ in
//     masked_scores above the diagonal, where the causal mask put it, and as
//     NaN elsewhere (the trace cannot say which non-finite value it was);
//   - keys it does not know are ignored: the format only ever adds keys.
// It never runs attention.
#pragma once

#include <filesystem>
#include <string>

#include "attn/trace.hpp"

namespace attn {

// The schema tag every trace carries.
inline constexpr const char* kTraceSchema = "attn-explain/trace@1";

// Throws DataError naming `source` (or the file) for anything that is not a whole trace.
Trace parse_trace(const std::string& text, const std::string& source);
Trace read_trace(const std::filesystem::path& path);

}  // namespace attn
