#include "attn/explorer.hpp"

#include <fmt/format.h>

#include "attention.hpp"
#include "embed.hpp"
#include "memory_estimate.hpp"
#include "attn/util/error.hpp"
#include "numeric_check.hpp"
#include "parameters.hpp"
#include "positions.hpp"
#include "tokenizer.hpp"
#include "torch_random.hpp"

namespace attn {

namespace {

// The request keys these errors are about and name, as error.hpp writes them: the
// CLI renders each as its option (--d-out), another front end as it names them.
const std::string kProjection = key_ref("projection");
const std::string kDOut = key_ref("d-out");
const std::string kHeads = key_ref("heads");
const std::string kMultihead = key_ref("multihead");

Projection resolve_projection(const std::optional<Projection>& requested, const EmbeddingTable& table) {
  if (!requested) return table.weights ? Projection::table : Projection::rand;  // auto
  if (*requested == Projection::table && !table.weights) {
    throw UsageError(fmt::format("{} table: {} has no \"weights\"", kProjection, table.source),
                     fmt::format("use {} rand or linear (random weights) or none (no weights), or a table with weights",
                                 kProjection),
                     "projection");
  }
  return *requested;
}

std::size_t resolve_d_out(Projection projection, const Request& request, const EmbeddingTable& table) {
  switch (projection) {
    case Projection::none:
      if (request.d_out && *request.d_out != table.dim) {
        throw UsageError(fmt::format("{} {}: with {} none the queries are the embeddings, so d_out = d_in = {}", kDOut,
                                     *request.d_out, kProjection, table.dim),
                         "", "d-out");
      }
      return table.dim;
    case Projection::table: {
      const std::size_t width = table.weights->W_query.cols;
      if (request.d_out && *request.d_out != width) {
        throw UsageError(fmt::format("{} {}: the weights in {} have d_out = {}", kDOut, *request.d_out, table.source, width),
                         fmt::format("use {} rand or linear to draw weights of another width", kProjection), "d-out");
      }
      return width;
    }
    case Projection::rand:
    case Projection::linear:
    case Projection::model:  // never asked for with a table (model.hpp runs models)
      return request.d_out.value_or(table.dim);
  }
  return table.dim;
}

void check_settings(const Settings& s) {
  if (s.heads < 1) throw UsageError(fmt::format("{} {}: expected at least 1", kHeads, s.heads), "", "heads");
  if (s.multihead == Multihead::split && s.d_out % s.heads != 0) {
    throw UsageError(fmt::format("{} {}: with {} split, d_out = {} must be divisible by the number of heads", kHeads,
                                 s.heads, kMultihead, s.d_out),
                     fmt::format("choose {} as a multiple of {}, or use {} wrapper", kDOut, kHeads, kMultihead), "heads");
  }
  if (s.multihead == Multihead::wrapper && s.heads > 1 && s.projection == Projection::table) {
    throw UsageError(fmt::format("{} {}: a table holds one head's weights; the wrapper needs one set per head", kHeads, s.heads),
                     fmt::format("use {} split (which splits the table's weights into heads) or {} rand|linear", kMultihead,
                                 kProjection),
                     "heads");
  }
  if (s.qkv_bias && s.projection != Projection::linear) {
    throw UsageError(fmt::format("{}: only nn.Linear weights have biases; it needs {} linear (not {})", key_ref("qkv-bias"),
                                 kProjection, to_string(s.projection)),
                     "", "qkv-bias");
  }
  if (!(s.dropout >= 0.0 && s.dropout < 1.0)) {
    throw UsageError(fmt::format("{} {}: expected a probability in [0, 1)", key_ref("dropout"), s.dropout), "", "dropout");
  }
}

}  // namespace

Trace explore(const Request& request, const EmbeddingTable& table) {
  Trace trace;
  trace.sentence = request.sentence;
  for (const Token& t : tokenize(request.sentence)) trace.tokens.push_back(t.text);
  if (trace.tokens.empty()) throw DataError("the sentence is empty: give at least one word");
  if (trace.tokens.size() > request.max_tokens) {
    throw DataError(fmt::format("the sentence has {} tokens, more than the limit of {}", trace.tokens.size(),
                                request.max_tokens),
                    fmt::format("attention compares every token with every other, so the work grows as n²; "
                                "shorten the sentence or raise {} (at most {})",
                                key_ref("max-tokens"), kLargestMaxTokens));
  }

  Settings& s = trace.settings;
  s.table_path = table.source;
  s.table_name = table.name;
  s.projection_requested = request.projection;
  s.projection = resolve_projection(request.projection, table);
  s.seed = request.seed;
  s.d_in = table.dim;
  s.d_out = resolve_d_out(s.projection, request, table);
  s.heads = request.heads;
  s.multihead = request.multihead;
  s.qkv_bias = request.qkv_bias;
  s.scale = request.scale;
  s.softmax = request.softmax;
  s.causal = request.causal;
  s.causal_method = request.causal_method;
  s.dropout = request.dropout;
  s.dropout_seed = request.dropout_seed;
  s.oov = request.oov;
  s.positions = request.positions;
  check_settings(s);
  s.head_dim = s.multihead == Multihead::split ? s.d_out / s.heads : s.d_out;
  // Before anything is computed: a run too large for the budget is refused whole.
  check_memory(s, trace.tokens.size(), request.sentence.size(), request.memory);

  Embedded embedded = embed(trace.tokens, table, request.oov);
  trace.inputs = std::move(embedded.inputs);
  trace.oov_tokens = std::move(embedded.oov_tokens);
  const TokenKind unknown = request.oov == OovPolicy::zero ? TokenKind::zero : TokenKind::hashed;
  for (std::size_t i = 0; i < trace.tokens.size(); ++i)
    trace.token_kinds.push_back(embedded.unknown[i] ? unknown : TokenKind::known);
  trace.dimension_names = table.dimensions;
  if (s.positions == Positions::sinusoidal) {
    // X = the token embeddings + PE, n × d_in: the same word at another place gets another vector.
    Matrix pe = sinusoidal_encoding(trace.tokens.size(), s.d_in);
    trace.token_embeddings = trace.inputs;
    for (std::size_t k = 0; k < pe.data.size(); ++k) trace.inputs.data[k] += pe.data[k];
    trace.position_encoding = std::move(pe);
  }

  // torch.manual_seed(seed), then every weight in the order the modules create them.
  TorchGenerator gen(s.seed);
  ModuleParameters parameters;
  const std::size_t sets = s.multihead == Multihead::wrapper ? s.heads : 1;
  for (std::size_t h = 0; h < sets; ++h) {
    parameters.heads.push_back(make_parameters(s.projection, s.d_in, s.d_out, s.qkv_bias, table, gen));
  }
  if (s.multihead == Multihead::split) {
    auto [weight, bias] = draw_linear(gen, s.d_out, s.d_out, true);
    parameters.out_proj = OutProj{std::move(weight), std::move(*bias)};
  }
  if (s.dropout_seed) gen = TorchGenerator(*s.dropout_seed);

  const AttentionOptions options{s.scale, s.softmax, s.causal, s.causal_method, s.dropout};
  ModuleResult result = attend_module(trace.inputs, std::move(parameters), s.heads, s.multihead, options, &gen);
  trace.heads = std::move(result.heads);
  trace.concatenated = std::move(result.concatenated);
  trace.out_proj = std::move(result.out_proj);
  trace.output = std::move(result.output);
  trace.warnings = numeric_warnings(trace);
  return trace;
}

}  // namespace attn
