// embedding_table.hpp: a word → vector table, read from a JSON file.
//
// The file format (docs/table-format.md, schema docs/schemas/table.schema.json):
//
//   {"name": "journey", "description": "...", "dim": 3, "dimensions": ["a", "b", "c"],
//    "vectors": {"Your": [0.43, 0.15, 0.89], ...},
//    "weights": {"W_query": [[...]], "W_key": [[...]], "W_value": [[...]]}}
//
// "weights" is optional; each W_* is dim × d_out (rows are input dimensions), so
// that Q = X · W_query. All three share d_out.
//
// An EmbeddingTable promises: every vector has exactly `dim` finite float32
// values; token keys are unique and non-empty; when present, the three weight
// matrices are dim × d_out with the same d_out from 1 to kLargestWidth (4096)
// and finite values.
// Loading a file that breaks any of these throws DataError naming the file and
// the problem (line:column for malformed JSON, the token for a bad vector).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "attn/matrix.hpp"

namespace attn {

// Projection weights stored in a table, each d_in × d_out.
struct TableWeights {
  Matrix W_query;
  Matrix W_key;
  Matrix W_value;
};

class EmbeddingTable {
 public:
  std::string name;
  std::string description;
  std::string source;  // the file it came from, as given (for messages and the trace)
  std::size_t dim = 0;
  std::vector<std::string> dimensions;  // "dimensions": a short name per column of X, or none (d0, d1, ...)
  std::optional<TableWeights> weights;

  // Adds one entry. REQUIRES: vector.size() == dim, token not already present.
  void add(std::string token, std::vector<float> vector);

  // The vector for `token`: exact spelling first, then ignoring ASCII case.
  // nullptr when the table has neither.
  const std::vector<float>* find(std::string_view token) const;

  // The table's words in file order.
  const std::vector<std::string>& words() const { return words_; }
  std::size_t size() const { return words_.size(); }

  // The smallest and largest value over all vectors (0, 1 for an empty table).
  float min_value() const;
  float max_value() const;

 private:
  std::vector<std::string> words_;
  std::vector<std::vector<float>> vectors_;
  std::unordered_map<std::string, std::size_t> exact_;
  std::unordered_map<std::string, std::size_t> folded_;  // first entry per lower-cased spelling
};

// Parses a table from JSON text; `source` names it in error messages.
// Throws DataError.
EmbeddingTable parse_table(std::string_view json_text, const std::string& source);

// Reads and parses a table file. Throws DataError (missing, unreadable, a
// directory, malformed, or breaking a promise above).
EmbeddingTable load_table(const std::filesystem::path& path);

// ASCII lower-casing, used for case-insensitive lookup.
std::string ascii_lower(std::string_view s);

}  // namespace attn
