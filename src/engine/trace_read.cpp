// Reading a trace: the JSON document, its config, its matrices with their
// shapes checked against the config. See trace_read.hpp.
#include "attn/trace_read.hpp"

#include <cmath>
#include <limits>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "attn/model.hpp"
#include "attn/util/error.hpp"
#include "attn/util/echo.hpp"
#include "attn/util/json_fields.hpp"
#include "attn/util/json_file.hpp"
#include "attn/util/text_file.hpp"
#include "trace_check.hpp"

namespace attn {

namespace {

// The keys of `j`, so that Fields accepts whatever a later version adds.
std::set<std::string> keys_of(const json& j) {
  std::set<std::string> keys;
  if (j.is_object())
    for (const auto& [key, value] : j.items()) keys.insert(key);
  return keys;
}

// f's key, which must be there.
const json& required(const Fields& f, const char* key) {
  if (!f.has(key)) f.fail(fmt::format("\"{}\" is missing", key));
  return f.raw(key);
}

// One number of a matrix or vector: a JSON number that float32 holds, or null.
float number_at(const json& v, const std::string& where, float null_value) {
  if (v.is_null()) return null_value;
  if (!v.is_number()) throw DataError(fmt::format("{}: {}, expected a number or null", where, json_type_name(v)));
  const double d = v.get<double>();
  if (std::isfinite(d) && std::fabs(d) > static_cast<double>(std::numeric_limits<float>::max())) {
    throw DataError(fmt::format("{}: {} is beyond the float32 range", where, d));
  }
  return static_cast<float>(d);
}

// A rows × cols matrix; `null_value(r, c)` is what a null there stands for.
template <class NullValue>
Matrix read_matrix(const json& j, const std::string& where, std::size_t rows, std::size_t cols, NullValue null_value) {
  if (!j.is_array()) throw DataError(fmt::format("{}: {}, expected an array of {} rows", where, json_type_name(j), rows));
  if (j.size() != rows) throw DataError(fmt::format("{}: {} rows, expected {}", where, j.size(), rows));
  Matrix m(rows, cols);
  for (std::size_t r = 0; r < rows; ++r) {
    const json& row = j[r];
    if (!row.is_array() || row.size() != cols) {
      throw DataError(fmt::format("{}: row {} has {} values, expected {}", where, r + 1,
                                  row.is_array() ? row.size() : 0, cols));
    }
    for (std::size_t c = 0; c < cols; ++c)
      m(r, c) = number_at(row[c], fmt::format("{}: row {} column {}", where, r + 1, c + 1), null_value(r, c));
  }
  return m;
}

Matrix read_matrix(const json& j, const std::string& where, std::size_t rows, std::size_t cols) {
  return read_matrix(j, where, rows, cols, [](std::size_t, std::size_t) { return std::nanf(""); });
}

std::vector<float> read_vector(const json& j, const std::string& where, std::size_t size) {
  if (!j.is_array() || j.size() != size) {
    throw DataError(fmt::format("{}: {}, expected an array of {} numbers", where, json_type_name(j), size));
  }
  std::vector<float> v(size);
  for (std::size_t k = 0; k < size; ++k) v[k] = number_at(j[k], fmt::format("{}: value {}", where, k + 1), std::nanf(""));
  return v;
}

// An optional stage: present exactly when `wanted`.
template <class Read>
auto optional_stage(const Fields& f, const char* key, bool wanted, Read read) -> std::optional<decltype(read(json()))> {
  const bool present = f.has(key) && !f.raw(key).is_null();
  if (present != wanted) {
    f.fail(fmt::format("\"{}\" is {}, but the config {}", key, present ? "given" : "missing or null",
                       wanted ? "makes it" : "has no such stage"));
  }
  if (!present) return std::nullopt;
  return read(f.raw(key));
}

Settings read_settings(const json& j, const std::string& where) {
  const Fields f(j, where, keys_of(j));
  Settings s;
  s.table_path = f.text("embeddings");
  s.table_name = f.text("table_name");
  s.projection = f.choice_of("projection", kTraceProjectionNames);
  const std::string requested = f.text("projection_requested");
  s.projection_requested = value_named(kTraceProjectionNames, requested);
  if (!s.projection_requested && requested != "auto") {
    f.fail(fmt::format("\"projection_requested\" is \"{}\", expected auto | none | rand | linear | table | model", printable(requested)));
  }
  s.seed = f.whole("seed", 0, std::numeric_limits<std::uint64_t>::max());
  s.d_in = f.whole("d_in", 1, 1u << 20);
  s.d_out = f.whole("d_out", 1, 1u << 20);
  s.heads = f.whole("heads", 1, 4096);
  s.multihead = f.choice_of("multihead", kMultiheadNames);
  s.head_dim = f.whole("head_dim", 1, 1u << 20);
  s.qkv_bias = f.flag("qkv_bias");
  s.scale = f.flag("scale");
  s.softmax = f.choice_of("softmax", kSoftmaxNames);
  s.causal = f.flag("causal");
  s.causal_method = f.choice_of("causal_method", kCausalMethodNames);
  s.dropout = f.number("dropout");
  if (!(s.dropout >= 0.0 && s.dropout < 1.0)) f.fail(fmt::format("\"dropout\" is {}, expected 0 ≤ p < 1", s.dropout));
  if (f.has("dropout_seed") && !f.raw("dropout_seed").is_null()) {
    s.dropout_seed = f.whole("dropout_seed", 0, std::numeric_limits<std::uint64_t>::max());
  }
  s.oov = f.choice_of("oov", kOovNames);
  // a trace written before positions were recorded: a model's learned ones, a table run's none
  if (f.has("positions")) {
    s.positions = f.choice_of("positions", kPositionsNames);
  } else {
    s.positions = s.projection == Projection::model ? Positions::learned : Positions::none;
  }
  return s;
}

HeadTrace read_head(const json& j, const std::string& where, const Settings& s, std::size_t n) {
  const Fields f(j, where, keys_of(j));
  const std::size_t d = s.head_dim;
  auto field = [&](const char* key) { return fmt::format("{}.{}", where, key); };
  HeadTrace h;
  const bool weights = s.projection != Projection::none;
  const bool bias = s.qkv_bias;
  h.W_query = optional_stage(f, "W_query", weights, [&](const json& m) { return read_matrix(m, field("W_query"), s.d_in, d); });
  h.W_key = optional_stage(f, "W_key", weights, [&](const json& m) { return read_matrix(m, field("W_key"), s.d_in, d); });
  h.W_value = optional_stage(f, "W_value", weights, [&](const json& m) { return read_matrix(m, field("W_value"), s.d_in, d); });
  h.b_query = optional_stage(f, "b_query", bias, [&](const json& v) { return read_vector(v, field("b_query"), d); });
  h.b_key = optional_stage(f, "b_key", bias, [&](const json& v) { return read_vector(v, field("b_key"), d); });
  h.b_value = optional_stage(f, "b_value", bias, [&](const json& v) { return read_vector(v, field("b_value"), d); });
  h.queries = read_matrix(required(f, "queries"), field("queries"), n, d);
  h.keys = read_matrix(required(f, "keys"), field("keys"), n, d);
  h.values = read_matrix(required(f, "values"), field("values"), n, d);
  h.scale_divisor = number_at(required(f, "scale"), field("scale"), std::nanf(""));
  h.attn_scores = read_matrix(required(f, "scores"), field("scores"), n, n);
  h.scaled_scores = read_matrix(required(f, "scaled_scores"), field("scaled_scores"), n, n);
  const bool inf_mask = s.causal && s.causal_method == CausalMethod::inf;
  const bool renorm = s.causal && s.causal_method == CausalMethod::renorm;
  h.masked_scores = optional_stage(f, "masked_scores", inf_mask, [&](const json& m) {
    return read_matrix(m, field("masked_scores"), n, n, [](std::size_t r, std::size_t c) {
      return c > r ? -std::numeric_limits<float>::infinity() : std::nanf("");
    });
  });
  h.masked_weights = optional_stage(f, "masked_weights", renorm, [&](const json& m) { return read_matrix(m, field("masked_weights"), n, n); });
  h.attn_weights = read_matrix(required(f, "weights"), field("weights"), n, n);
  const bool dropout = s.dropout > 0.0;
  h.dropout_mask = optional_stage(f, "dropout_mask", dropout, [&](const json& m) { return read_matrix(m, field("dropout_mask"), n, n); });
  h.dropped_weights =
      optional_stage(f, "dropped_weights", dropout, [&](const json& m) { return read_matrix(m, field("dropped_weights"), n, n); });
  h.context_vec = read_matrix(required(f, "context"), field("context"), n, d);
  return h;
}

LayerNormTrace read_layer_norm(const json& j, const std::string& where, std::size_t n, std::size_t e) {
  const Fields f(j, where, keys_of(j));
  LayerNormTrace ln;
  ln.mean = read_vector(required(f, "mean"), where + ".mean", n);
  ln.variance = read_vector(required(f, "variance"), where + ".variance", n);
  ln.std = read_vector(required(f, "std"), where + ".std", n);
  ln.weight = read_vector(required(f, "weight"), where + ".weight", e);
  ln.bias = read_vector(required(f, "bias"), where + ".bias", e);
  ln.epsilon = number_at(required(f, "epsilon"), where + ".epsilon", std::nanf(""));
  return ln;
}

// "block": a model block's stages after its attention (n_embd wide, the MLP's 4 · n_embd).
BlockTrace read_block(const json& j, const std::string& where, std::size_t n, std::size_t e) {
  const Fields f(j, where, keys_of(j));
  BlockTrace b;
  b.input = read_matrix(required(f, "input"), where + ".input", n, e);
  b.ln_1 = read_layer_norm(required(f, "ln_1"), where + ".ln_1", n, e);
  b.residual = read_matrix(required(f, "residual"), where + ".residual", n, e);
  b.ln_2 = read_layer_norm(required(f, "ln_2"), where + ".ln_2", n, e);
  b.ln_2_output = read_matrix(required(f, "ln_2_output"), where + ".ln_2_output", n, e);
  b.mlp_hidden = read_matrix(required(f, "mlp_hidden"), where + ".mlp_hidden", n, 4 * e);
  b.mlp_output = read_matrix(required(f, "mlp_output"), where + ".mlp_output", n, e);
  return b;
}

// One {token, id, probability} of next_tokens or the lens.
NextToken read_next_token(const json& j, const std::string& where, std::size_t vocab_size) {
  const Fields nf(j, where, keys_of(j));
  return {nf.text("token"), static_cast<int>(nf.whole("id", 0, vocab_size - 1)),
          number_at(required(nf, "probability"), where + ".probability", std::nanf(""))};
}

// "lens": null, or n_layer + 1 layers of n positions of the same number of tokens each.
void read_lens(const Fields& f, const std::string& source, Trace& t, const ModelInfo& info) {
  if (!f.has("lens") || f.raw("lens").is_null()) return;
  const json& lens = f.raw("lens");
  const std::size_t n = t.tokens.size();
  if (!lens.is_array() || lens.size() != info.n_layer + 1) f.fail(fmt::format("\"lens\" must hold {} layers", info.n_layer + 1));
  std::optional<std::size_t> top;
  for (std::size_t l = 0; l < lens.size(); ++l) {
    if (!lens[l].is_array() || lens[l].size() != n) f.fail(fmt::format("\"lens\" layer {} must hold {} positions", l, n));
    auto& layer = t.lens.emplace_back();
    for (std::size_t i = 0; i < n; ++i) {
      const json& list = lens[l][i];
      if (!list.is_array() || list.empty() || list.size() != top.value_or(list.size())) {
        f.fail(fmt::format("\"lens\" layer {} position {} must hold the same number of tokens as the others, at least one", l, i + 1));
      }
      top = list.size();
      auto& tokens = layer.emplace_back();
      for (std::size_t k = 0; k < list.size(); ++k)
        tokens.push_back(read_next_token(list[k], fmt::format("{}: lens[{}][{}][{}]", source, l, i + 1, k + 1), info.vocab_size));
    }
  }
}

// "generation": null, or --generate's steps, one per token after the sentence's.
void read_generation(const Fields& f, const std::string& source, Trace& t, const ModelInfo& info) {
  if (!f.has("generation") || f.raw("generation").is_null()) return;
  const std::string where = source + ": generation";
  const Fields g(f.raw("generation"), where, keys_of(f.raw("generation")));
  Generation out;
  out.seed = g.whole("seed", 0, std::numeric_limits<std::uint64_t>::max());
  out.top_k = g.whole("top_k", 0, info.vocab_size);
  out.prompt_tokens = g.whole("prompt_tokens", 1, t.tokens.size());
  const json& steps = required(g, "steps");
  if (!steps.is_array() || out.prompt_tokens + steps.size() != t.tokens.size()) {
    g.fail(fmt::format("\"steps\" must hold one step per generated token ({})", t.tokens.size() - out.prompt_tokens));
  }
  for (std::size_t k = 0; k < steps.size(); ++k) {
    const std::string at = fmt::format("{}.steps[{}]", where, k + 1);
    const Fields sf(steps[k], at, keys_of(steps[k]));
    GenerationStep s;
    const json& top = required(sf, "top");
    if (!top.is_array()) sf.fail("\"top\" is not an array");
    for (std::size_t i = 0; i < top.size(); ++i)
      s.top.push_back(read_next_token(top[i], fmt::format("{}.top[{}]", at, i + 1), info.vocab_size));
    s.draw = number_at(required(sf, "draw"), at + ".draw", std::nanf(""));
    s.chosen = read_next_token(required(sf, "chosen"), at + ".chosen", info.vocab_size);
    s.share = number_at(required(sf, "share"), at + ".share", std::nanf(""));
    s.cumulative = number_at(required(sf, "cumulative"), at + ".cumulative", std::nanf(""));
    if (s.chosen.id != t.token_ids[out.prompt_tokens + k]) {
      sf.fail(fmt::format("\"chosen\" is token id {}, but token {} is id {}", s.chosen.id, out.prompt_tokens + k + 1,
                          t.token_ids[out.prompt_tokens + k]));
    }
    out.steps.push_back(std::move(s));
  }
  t.generation = std::move(out);
}

// A model run's keys (model.hpp): model, token_ids, layer, next_tokens, layer_weights.
void read_model_parts(const Fields& f, const json& root, const std::string& source, Trace& t) {
  const std::size_t n = t.tokens.size();
  const json& m = root.at("model");
  const Fields mf(m, source + ": model", keys_of(m));
  ModelInfo info;
  info.name = mf.text("name");
  info.n_layer = mf.whole("n_layer", 1, 1024);
  info.n_head = mf.whole("n_head", 1, 1024);
  info.n_embd = mf.whole("n_embd", 1, 1 << 16);
  info.vocab_size = mf.whole("vocab_size", 1, 1 << 20);
  info.n_positions = mf.whole("n_positions", 1, 1 << 16);
  if (mf.has("snapshot")) info.snapshot = mf.whole("snapshot", 0, 1u << 30);
  const json& ids = required(f, "token_ids");
  if (!ids.is_array() || ids.size() != n) f.fail(fmt::format("\"token_ids\" must hold {} ids, one per token", n));
  for (std::size_t i = 0; i < n; ++i) {
    if (!ids[i].is_number_unsigned() || ids[i].get<std::uint64_t>() >= info.vocab_size) {
      f.fail(fmt::format("\"token_ids\" value {} is not an id below the vocabulary size {}", i + 1, info.vocab_size));
    }
    t.token_ids.push_back(ids[i].get<int>());
  }
  if (!required(f, "layer").is_null()) t.layer = f.whole("layer", 1, info.n_layer);
  const json& next = required(f, "next_tokens");
  if (!next.is_array()) f.fail("\"next_tokens\" is not an array");
  for (std::size_t k = 0; k < next.size(); ++k)
    t.next_tokens.push_back(read_next_token(next[k], fmt::format("{}: next_tokens[{}]", source, k + 1), info.vocab_size));
  if (root.contains("temperature")) {  // a trace written before it was recorded has none: 1
    const double temperature = f.number("temperature");
    if (!(temperature >= kLowestTemperature && temperature <= kHighestTemperature)) {
      f.fail(fmt::format("\"temperature\" is {}, expected a temperature from {} to {}", temperature, kLowestTemperature,
                         kHighestTemperature));
    }
    t.temperature = static_cast<float>(temperature);
  }
  const json& layers = required(f, "layer_weights");
  if (!layers.is_array() || (!layers.empty() && layers.size() != info.n_layer)) {
    f.fail(fmt::format("\"layer_weights\" must be empty or hold {} layers", info.n_layer));
  }
  for (std::size_t l = 0; l < layers.size(); ++l) {
    if (!layers[l].is_array() || layers[l].size() != info.n_head) {
      f.fail(fmt::format("\"layer_weights\" layer {} must hold {} heads", l + 1, info.n_head));
    }
    t.layer_weights.emplace_back();
    for (std::size_t h = 0; h < info.n_head; ++h)
      t.layer_weights.back().push_back(
          read_matrix(layers[l][h], fmt::format("{}: layer_weights[{}][{}]", source, l + 1, h + 1), n, n));
  }
  if (!t.layer && t.layer_weights.empty()) f.fail("\"layer\" is null but \"layer_weights\" is empty");
  read_lens(f, source, t, info);
  read_generation(f, source, t, info);
  // "block" (absent in a trace written before it was recorded): a layer's, null with --layer all
  if (f.has("block") && !f.raw("block").is_null()) {
    if (!t.layer) f.fail("\"block\" is given, but \"layer\" is null (--layer all keeps no block's stages)");
    t.block = read_block(f.raw("block"), source + ": block", n, info.n_embd);
  }
  t.model = std::move(info);
}

// "token_kinds" (one name per token) and "dimension_names" (one per column of X), both optional.
void read_token_parts(const Fields& f, Trace& t) {
  if (f.has("token_kinds")) {
    for (const std::string& name : f.lines("token_kinds")) {
      const std::optional<TokenKind> kind = token_kind_named(name);
      if (!kind) f.fail(fmt::format("\"token_kinds\" holds \"{}\", expected known, hashed, zero, piece or bytes", printable(name)));
      t.token_kinds.push_back(*kind);
    }
    if (t.token_kinds.size() != t.tokens.size()) {
      f.fail(fmt::format("\"token_kinds\" has {} kinds, expected one per token ({})", t.token_kinds.size(), t.tokens.size()));
    }
  }
  if (f.has("dimension_names")) {
    t.dimension_names = f.lines("dimension_names");
    if (t.dimension_names.size() != t.settings.d_in) {
      f.fail(fmt::format("\"dimension_names\" has {} names, expected d_in = {}", t.dimension_names.size(), t.settings.d_in));
    }
  }
}

}  // namespace

Trace parse_trace(const std::string& text, const std::string& source) {
  const json root = parse_json_document(text, source, 16);
  const Fields f(root, source, keys_of(root));
  if (!root.contains("schema") || !root["schema"].is_string() || root["schema"] != kTraceSchema) {
    f.fail(fmt::format("not a trace: \"schema\" is not \"{}\" (a trace is what attn-explain --json or --trace writes)",
                       kTraceSchema));
  }
  Trace t;
  t.sentence = f.text("sentence");
  t.tokens = f.lines("tokens");
  t.oov_tokens = f.lines("oov_tokens");
  t.warnings = f.lines("warnings");
  const std::size_t n = t.tokens.size();
  if (n == 0) f.fail("\"tokens\" is empty");
  t.settings = read_settings(required(f, "config"), source + ": config");
  const Settings& s = t.settings;
  read_token_parts(f, t);
  if (root.contains("model")) read_model_parts(f, root, source, t);
  check_trace_sizes(t, source);
  // A model run with --layer all keeps every block's weights, and no one block's stages.
  if (t.model && !t.layer) {
    check_trace(t, source);
    return t;
  }
  t.inputs = read_matrix(required(f, "inputs"), source + ": inputs", n, s.d_in);
  const bool sinusoidal = s.positions == Positions::sinusoidal;
  t.token_embeddings = optional_stage(f, "token_embeddings", sinusoidal,
                                      [&](const json& m) { return read_matrix(m, source + ": token_embeddings", n, s.d_in); });
  t.position_encoding = optional_stage(f, "position_encoding", sinusoidal,
                                       [&](const json& m) { return read_matrix(m, source + ": position_encoding", n, s.d_in); });
  const json& heads = required(f, "heads");
  if (!heads.is_array() || heads.size() != s.heads) {
    f.fail(fmt::format("\"heads\" holds {} heads, the config says {}", heads.is_array() ? heads.size() : 0, s.heads));
  }
  for (std::size_t k = 0; k < heads.size(); ++k) t.heads.push_back(read_head(heads[k], fmt::format("{}: heads[{}]", source, k + 1), s, n));
  const std::size_t width = s.heads * s.head_dim;
  t.concatenated = optional_stage(f, "concatenated", s.heads > 1,
                                  [&](const json& m) { return read_matrix(m, source + ": concatenated", n, width); });
  t.out_proj = optional_stage(f, "out_proj", s.multihead == Multihead::split, [&](const json& o) {
    const Fields p(o, source + ": out_proj", keys_of(o));
    return OutProj{read_matrix(required(p, "weight"), source + ": out_proj.weight", width, width),
                   read_vector(required(p, "bias"), source + ": out_proj.bias", width)};
  });
  t.output = read_matrix(required(f, "output"), source + ": output", n, s.heads > 1 ? width : s.head_dim);
  if (t.model) t.block_output = read_matrix(required(f, "block_output"), source + ": block_output", n, s.d_in);
  check_trace(t, source);  // what the shapes cannot say: sizes, scales, masks, weights (trace_check.hpp)
  return t;
}

Trace read_trace(const std::filesystem::path& path) { return parse_trace(read_text_file(path), path.string()); }

}  // namespace attn
