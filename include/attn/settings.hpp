// settings.hpp: what a run can be asked to do, as types.
//
// Every choice a learner makes on the command line or in a lesson's "run"
// object (how Q, K and V are made, how scores become weights, the causal mask,
// how heads combine, what happens to unknown words) is an enum here, and a
// whole run is a Request. Strings become these types once, at the edge (the
// option parser, the lesson and exercise loaders), through value_named(); the
// engine and the renderers decide what to do by these types, never by a string.
//
// Each enum has a table of the names the options and data files use
// (kProjectionNames, ...), in the order the help text lists them. Promises:
//   - name_of(table, v) is the name of every value in the table;
//   - value_named(table, s) is the value whose name is exactly s, or nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace attn {

// How Q, K and V are made from X.
enum class Projection {
  none,    // Q = K = V = X: the book's simplified attention without trainable weights
  rand,    // W_* = torch.rand(d_in, d_out) each, after torch.manual_seed(seed) (SelfAttention_v1)
  linear,  // W_* = nn.Linear(d_in, d_out, bias) each, after torch.manual_seed(seed) (SelfAttention_v2)
  table,   // W_* read from the embedding table's "weights"
  model,   // a trained model's weights (GPT-2's c_attn), with --model: never asked for with --projection
};

// How a row of scores becomes a row of weights.
enum class Softmax {
  stable,  // exp(x - max) / sum: torch.softmax
  naive,   // exp(x) / sum exp(x): the book's softmax_naive, which can overflow
  sum,     // x / sum(x): the book's first normalisation
};

// How the causal mask is applied.
enum class CausalMethod {
  inf,     // scores above the diagonal set to -inf before the softmax
  renorm,  // softmax, zero above the diagonal, divide each row by its new sum
};

// How several heads are combined.
enum class Multihead {
  wrapper,  // MultiHeadAttentionWrapper: H independent heads, outputs concatenated
  split,    // MultiHeadAttention: one projection split into H heads, then out_proj
};

// What a token the table lacks gets.
enum class OovPolicy {
  hash,   // a vector derived from its spelling (the same word, the same vector)
  zero,   // zeros
  error,  // the run is refused, naming the word and the closest table words
};

// What tells the attention where each token stands.
enum class Positions {
  none,        // nothing: a table run's attention sees a bag of words, in any order alike
  sinusoidal,  // the sine and cosine encoding of "Attention Is All You Need", added to X (--positions)
  learned,     // a model's learned position embeddings (GPT-2's wpe), added to the token embeddings
};

// One value of an enum and the name the options and data files give it.
template <class Enum>
struct Named {
  Enum value;
  const char* name;
};

inline constexpr Named<Projection> kProjectionNames[] = {
    {Projection::none, "none"}, {Projection::rand, "rand"}, {Projection::linear, "linear"}, {Projection::table, "table"}};
// Every projection a trace can record: the ones --projection asks for, and "model".
inline constexpr Named<Projection> kTraceProjectionNames[] = {
    {Projection::none, "none"},   {Projection::rand, "rand"},   {Projection::linear, "linear"},
    {Projection::table, "table"}, {Projection::model, "model"}};
inline constexpr Named<Softmax> kSoftmaxNames[] = {
    {Softmax::stable, "stable"}, {Softmax::naive, "naive"}, {Softmax::sum, "sum"}};
inline constexpr Named<CausalMethod> kCausalMethodNames[] = {{CausalMethod::inf, "inf"}, {CausalMethod::renorm, "renorm"}};
inline constexpr Named<Multihead> kMultiheadNames[] = {{Multihead::wrapper, "wrapper"}, {Multihead::split, "split"}};
inline constexpr Named<Positions> kPositionsNames[] = {
    {Positions::none, "none"}, {Positions::sinusoidal, "sinusoidal"}, {Positions::learned, "learned"}};
inline constexpr Named<OovPolicy> kOovNames[] = {{OovPolicy::hash, "hash"}, {OovPolicy::zero, "zero"}, {OovPolicy::error, "error"}};

// The name of `value` in `names`; "?" for a value the table lacks.
template <class Enum, std::size_t N>
constexpr const char* name_of(const Named<Enum> (&names)[N], Enum value) {
  for (const Named<Enum>& n : names)
    if (n.value == value) return n.name;
  return "?";
}

// The value called `name` in `names`, or nothing.
template <class Enum, std::size_t N>
constexpr std::optional<Enum> value_named(const Named<Enum> (&names)[N], std::string_view name) {
  for (const Named<Enum>& n : names)
    if (name == n.name) return n.value;
  return std::nullopt;
}

inline const char* to_string(Projection p) { return name_of(kTraceProjectionNames, p); }
inline const char* to_string(Softmax s) { return name_of(kSoftmaxNames, s); }
inline const char* to_string(CausalMethod m) { return name_of(kCausalMethodNames, m); }
inline const char* to_string(Multihead m) { return name_of(kMultiheadNames, m); }
inline const char* to_string(OovPolicy p) { return name_of(kOovNames, p); }
inline const char* to_string(Positions p) { return name_of(kPositionsNames, p); }

// A projection as asked for: nothing means "auto" (the table's weights when it
// has them, else rand).
inline const char* to_string(const std::optional<Projection>& requested) {
  return requested ? to_string(*requested) : "auto";
}

// The longest sentence explored by default, and the most --max-tokens allows:
// attention compares every token with every other, so the work and the tables
// grow as n².
constexpr std::size_t kDefaultMaxTokens = 256;
constexpr std::size_t kLargestMaxTokens = 2048;

// The widest queries, keys and values: the most --d-out allows, and the most
// columns a table's weights may have.
constexpr std::size_t kLargestWidth = 4096;

// The memory a run may take: the limit, and what its caller will make of the
// trace besides holding it, per number of the trace (its text: the JSON trace,
// the tables). The engine's estimate (memory_estimate.hpp) counts both before
// anything is computed, and refuses a run estimated over the limit.
struct MemoryBudget {
  std::uint64_t limit = std::uint64_t{1} << 30;  // bytes: 1 GiB unless --max-memory says otherwise
  std::uint64_t text_per_number = 16;            // the JSON trace's: 12 bytes a number, up to 15, and margin
};

// One run, as asked for: the sentence and every setting (the options of the
// main command, or a lesson's "run").
struct Request {
  std::string sentence;
  std::optional<Projection> projection;  // nothing: auto
  std::uint64_t seed = 123;
  std::optional<std::size_t> d_out;
  bool scale = true;
  bool qkv_bias = false;
  Softmax softmax = Softmax::stable;
  bool causal = false;
  CausalMethod causal_method = CausalMethod::inf;
  double dropout = 0.0;
  std::optional<std::uint64_t> dropout_seed;
  std::size_t heads = 1;
  Multihead multihead = Multihead::wrapper;
  OovPolicy oov = OovPolicy::hash;
  Positions positions = Positions::none;  // none or sinusoidal (a model's are its own)
  std::size_t max_tokens = kDefaultMaxTokens;  // a longer sentence is a DataError
  MemoryBudget memory;  // a run estimated to take more than memory.limit is a DataError
};

// Every setting in force for a run, as it ends up in the trace's "config":
// the Request with what it left open resolved.
struct Settings {
  std::string table_path;                  // the embedding table file
  std::string table_name;                  // its "name"
  std::optional<Projection> projection_requested;  // what the user asked for (nothing: auto)
  Projection projection = Projection::rand;        // what was used
  std::uint64_t seed = 123;                // torch.manual_seed before any weight is drawn
  std::size_t d_in = 0;
  std::size_t d_out = 0;     // columns of W_query (per head for wrapper, in all for split)
  std::size_t heads = 1;
  Multihead multihead = Multihead::wrapper;
  std::size_t head_dim = 0;  // columns each head works with: d_out (wrapper) or d_out / heads (split)
  bool qkv_bias = false;
  bool scale = true;         // divide the scores by sqrt(head_dim)
  Softmax softmax = Softmax::stable;
  bool causal = false;
  CausalMethod causal_method = CausalMethod::inf;
  double dropout = 0.0;
  std::optional<std::uint64_t> dropout_seed;  // re-seed after the weights, before the first mask
  OovPolicy oov = OovPolicy::hash;
  Positions positions = Positions::none;   // learned for a model run (none with --no-positions)
};

}  // namespace attn
