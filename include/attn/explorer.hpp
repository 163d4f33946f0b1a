// explorer.hpp: one whole run, from a sentence to a filled Trace.
//
// explore() is the pipeline: tokenize → look each token up (X) → make the
// projection weights → attend → Trace. It resolves what the request leaves
// open and records every setting in force in trace.settings:
//   projection "auto" → "table" when the table has weights, else "rand";
//   d_out unset → the table weights' width for "table", else d_in.
// Nothing here prints; notes for the user (unknown words) are in the Trace.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "attn/embed.hpp"
#include "attn/embedding_table.hpp"
#include "attn/trace.hpp"

namespace attn {

struct Request {
  std::string sentence;
  std::string projection = "auto";  // auto | none | rand | table
  std::uint64_t seed = 123;
  std::optional<std::size_t> d_out;
  bool scale = true;
  OovPolicy oov = OovPolicy::hash;
};

// The projection names a Request accepts.
inline constexpr const char* kProjectionNames[] = {"auto", "none", "rand", "table"};

// Throws DataError for a sentence that is empty or not valid UTF-8 (or, with
// OovPolicy::error, has unknown words) and UsageError for settings that
// contradict the table (projection "table" without weights, a d_out the
// projection cannot give).
Trace explore(const Request& request, const EmbeddingTable& table);

}  // namespace attn
