#include "attn/explorer.hpp"

#include <fmt/format.h>

#include "attn/attention.hpp"
#include "attn/error.hpp"
#include "attn/parameters.hpp"
#include "attn/tokenizer.hpp"

namespace attn {

namespace {

const char* oov_name(OovPolicy p) {
  switch (p) {
    case OovPolicy::hash: return "hash";
    case OovPolicy::zero: return "zero";
    case OovPolicy::error: return "error";
  }
  return "?";
}

Projection resolve_projection(const std::string& requested, const EmbeddingTable& table) {
  if (requested == "auto") return table.weights ? Projection::table : Projection::rand;
  if (requested == "none") return Projection::none;
  if (requested == "rand") return Projection::rand;
  if (requested == "table") {
    if (!table.weights) {
      throw UsageError(fmt::format("--projection table: {} has no \"weights\"", table.source),
                       "use --projection rand (random weights) or none (no weights), or a table with weights");
    }
    return Projection::table;
  }
  throw UsageError(fmt::format("--projection: unknown value \"{}\" (expected auto, none, rand or table)", requested));
}

std::size_t resolve_d_out(Projection projection, const Request& request, const EmbeddingTable& table) {
  switch (projection) {
    case Projection::none:
      if (request.d_out && *request.d_out != table.dim) {
        throw UsageError(fmt::format("--d-out {}: with --projection none the queries are the embeddings, so d_out = d_in = {}",
                                     *request.d_out, table.dim));
      }
      return table.dim;
    case Projection::table: {
      const std::size_t width = table.weights->W_query.cols;
      if (request.d_out && *request.d_out != width) {
        throw UsageError(fmt::format("--d-out {}: the weights in {} have d_out = {}", *request.d_out, table.source, width),
                         "use --projection rand to draw weights of another width");
      }
      return width;
    }
    case Projection::rand:
      return request.d_out.value_or(table.dim);
  }
  return table.dim;
}

}  // namespace

Trace explore(const Request& request, const EmbeddingTable& table) {
  Trace trace;
  trace.sentence = request.sentence;
  for (const Token& t : tokenize(request.sentence)) trace.tokens.push_back(t.text);
  if (trace.tokens.empty()) throw DataError("the sentence is empty: give at least one word");

  Settings& s = trace.settings;
  s.table_path = table.source;
  s.table_name = table.name;
  s.projection_requested = request.projection;
  s.projection = resolve_projection(request.projection, table);
  s.seed = request.seed;
  s.d_in = table.dim;
  s.d_out = resolve_d_out(s.projection, request, table);
  s.scale = request.scale;
  s.oov = oov_name(request.oov);

  Embedded embedded = embed(trace.tokens, table, request.oov);
  trace.inputs = std::move(embedded.inputs);
  trace.oov_tokens = std::move(embedded.oov_tokens);

  const auto parameters = make_parameters(s.projection, s.d_in, s.d_out, s.seed, table);
  trace.heads.push_back(attend(trace.inputs, parameters, s.scale));
  trace.output = trace.heads.back().context_vec;
  return trace;
}

}  // namespace attn
