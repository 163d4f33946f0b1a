// trace_json.hpp: the Trace as JSON, the contract scripts rely on.
//
// Schema tag "attn-explain/trace@1" (docs/trace-format.md,
// docs/schemas/trace.schema.json). Keys are only ever added, never renamed.
// Every number is the float32 value at full precision, written as the shortest
// decimal that reads back to the same float; a non-finite value is null.
// Matrices are arrays of rows.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "attn/matrix.hpp"
#include "attn/json_text.hpp"  // shortest_decimal, float_to_json, format_json
#include "attn/util/text_sink.hpp"
#include "attn/parameter_count.hpp"
#include "attn/trace.hpp"
#include "attn/trace_read.hpp"  // kTraceSchema

namespace attn {

nlohmann::ordered_json trace_to_json(const Trace& trace);

// format_json(trace_to_json(trace)), byte for byte, handed to `sink` as it is
// written, in pieces of about 64 KiB that end after a matrix row: no JSON tree
// and no whole text is built, so besides the Trace the run holds one piece. A
// sink that throws stops the writing there.
void write_trace_json(const Trace& trace, const TextSink& sink);

// write_trace_json() collected into one string.
std::string trace_json_text(const Trace& trace);

// A matrix as an array of rows of float_to_json() values.
nlohmann::ordered_json matrix_to_json(const Matrix& m);

// `attn-explain params --json`: {"d_in", "d_out", "heads", "multihead", "qkv_bias",
// "parts": [{"name", "count"}], "total"}.
nlohmann::ordered_json parameter_count_to_json(const ParameterCount& count, std::uint64_t d_in, std::uint64_t d_out,
                                               std::uint64_t heads, Multihead multihead, bool qkv_bias);

}  // namespace attn
