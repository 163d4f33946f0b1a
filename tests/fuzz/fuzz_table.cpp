// fuzz_table: attn::parse_table on any bytes, then the engine on small tables.
// parse_table either throws DataError or returns a table that keeps
// embedding_table.hpp's promises: 1 ≤ dim ≤ 4096, at least one word, words
// unique, non-empty and found again by find(), every vector exactly dim finite
// floats, and weights (when present) three dim × d_out matrices with one
// d_out ≥ 1 and finite values. A small table (dim ≤ 16, ≤ 64 words) then runs
// through attn::explore with a short sentence of its first words and an unknown
// one, under settings chosen by the input's hash; explore may throw DataError
// or UsageError (attn::Error), nothing else. A broken promise aborts.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "attn/embedding_table.hpp"
#include "attn/util/error.hpp"
#include "attn/explorer.hpp"

namespace {

#define CHECK(cond)                \
  do {                             \
    if (!(cond)) __builtin_trap(); \
  } while (0)

void check_matrix(const attn::Matrix& m, std::size_t rows, std::size_t cols) {
  CHECK(m.rows == rows && m.cols == cols && cols >= 1);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c) CHECK(std::isfinite(m(r, c)));
}

// FNV-1a: the same input always gets the same settings.
std::uint64_t hash(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  attn::EmbeddingTable table;
  try {
    table = attn::parse_table(text, "fuzz.json");
  } catch (const attn::DataError&) {
    return 0;
  }

  CHECK(table.dim >= 1 && table.dim <= 4096);
  CHECK(table.size() >= 1 && table.words().size() == table.size());
  std::set<std::string> seen;
  for (const auto& word : table.words()) {
    CHECK(!word.empty());
    CHECK(seen.insert(word).second);
    const std::vector<float>* v = table.find(word);
    CHECK(v != nullptr && v->size() == table.dim);
    for (float x : *v) CHECK(std::isfinite(x));
  }
  CHECK(table.min_value() <= table.max_value());
  if (table.weights) {
    const std::size_t d_out = table.weights->W_query.cols;
    check_matrix(table.weights->W_query, table.dim, d_out);
    check_matrix(table.weights->W_key, table.dim, d_out);
    check_matrix(table.weights->W_value, table.dim, d_out);
  }

  if (table.dim > 16 || table.size() > 64) return 0;  // keep each run fast

  const std::uint64_t h = hash(text);
  attn::Request request;
  for (std::size_t i = 0; i < table.size() && i < 4; ++i) request.sentence += table.words()[i] + " ";
  if (h & 1) request.sentence += "zqxj";
  static const char* const kProjections[] = {"auto", "none", "rand", "linear", "table"};
  request.projection = attn::value_named(attn::kProjectionNames, kProjections[(h >> 1) % 5]);
  request.seed = (h >> 4) % 1000;
  if ((h >> 14) & 1) request.d_out = 1 + (h >> 15) % 8;
  request.scale = ((h >> 18) & 3) != 0;
  request.qkv_bias = request.projection == attn::Projection::linear && ((h >> 20) & 1);
  request.softmax = static_cast<attn::Softmax>((h >> 21) % 3);
  request.causal = (h >> 23) & 1;
  request.causal_method = ((h >> 24) & 1) ? attn::CausalMethod::renorm : attn::CausalMethod::inf;
  if ((h >> 25) & 1) request.dropout = 0.25;
  if ((h >> 26) & 1) request.dropout_seed = (h >> 27) % 100;
  request.heads = 1 + (h >> 34) % 3;
  request.multihead = ((h >> 36) & 1) ? attn::Multihead::split : attn::Multihead::wrapper;
  request.oov = static_cast<attn::OovPolicy>((h >> 37) % 3);
  try {
    const attn::Trace trace = attn::explore(request, table);
    (void)trace;
  } catch (const attn::Error&) {
    // DataError (the sentence) or UsageError (settings the table cannot take): a fine result.
  }
  return 0;
}
