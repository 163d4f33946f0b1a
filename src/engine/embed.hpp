// embed.hpp: tokens → the input matrix X, one row per token.
//
// Each token is looked up in the table (exact spelling, then ignoring case).
// A token the table lacks is handled by the OOV policy:
//   hash  - a deterministic vector derived from the token's lower-cased text
//           (the same word always gets the same vector, in any run, on any
//           machine), with values of two decimals inside the table's range;
//   zero  - a vector of zeros;
//   error - DataError naming the unknown tokens and the closest table words.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "attn/embedding_table.hpp"
#include "attn/matrix.hpp"
#include "attn/settings.hpp"

namespace attn {

struct Embedded {
  Matrix inputs;                        // n × dim
  std::vector<std::string> oov_tokens;  // distinct unknown tokens, in sentence order
  std::vector<bool> unknown;            // per token: the table lacks it
};

// REQUIRES: table.dim ≥ 1. Throws DataError under OovPolicy::error.
Embedded embed(const std::vector<std::string>& tokens, const EmbeddingTable& table, OovPolicy policy);

// The hash policy's vector for one token (exposed for tests and docs).
std::vector<float> hashed_vector(std::string_view token, std::size_t dim, float lo, float hi);

// Up to `count` table words closest to `word` (edit distance, ignoring case).
std::vector<std::string> closest_words(const EmbeddingTable& table, std::string_view word, std::size_t count);

}  // namespace attn
