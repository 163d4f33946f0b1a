#include "attn/trace_json.hpp"

#include <cmath>
#include <iterator>
#include <string_view>

#include <fmt/format.h>


namespace attn {

using nlohmann::ordered_json;

ordered_json matrix_to_json(const Matrix& m) {
  ordered_json rows = ordered_json::array();
  for (std::size_t r = 0; r < m.rows; ++r) {
    ordered_json row = ordered_json::array();
    for (std::size_t c = 0; c < m.cols; ++c) row.push_back(float_to_json(m(r, c)));
    rows.push_back(std::move(row));
  }
  return rows;
}

namespace {

ordered_json optional_matrix(const std::optional<Matrix>& m) { return m ? matrix_to_json(*m) : ordered_json(nullptr); }

ordered_json vector_to_json(const std::vector<float>& v) {
  ordered_json out = ordered_json::array();
  for (float x : v) out.push_back(float_to_json(x));
  return out;
}

ordered_json optional_vector(const std::optional<std::vector<float>>& v) { return v ? vector_to_json(*v) : ordered_json(nullptr); }

ordered_json head_to_json(const HeadTrace& h) {
  ordered_json j = ordered_json::object();
  j["W_query"] = optional_matrix(h.W_query);
  j["W_key"] = optional_matrix(h.W_key);
  j["W_value"] = optional_matrix(h.W_value);
  j["b_query"] = optional_vector(h.b_query);
  j["b_key"] = optional_vector(h.b_key);
  j["b_value"] = optional_vector(h.b_value);
  j["queries"] = matrix_to_json(h.queries);
  j["keys"] = matrix_to_json(h.keys);
  j["values"] = matrix_to_json(h.values);
  j["scale"] = float_to_json(h.scale_divisor);
  j["scores"] = matrix_to_json(h.attn_scores);
  j["scaled_scores"] = matrix_to_json(h.scaled_scores);
  j["masked_scores"] = optional_matrix(h.masked_scores);
  j["masked_weights"] = optional_matrix(h.masked_weights);
  j["weights"] = matrix_to_json(h.attn_weights);
  j["dropout_mask"] = optional_matrix(h.dropout_mask);
  j["dropped_weights"] = optional_matrix(h.dropped_weights);
  j["context"] = matrix_to_json(h.context_vec);
  return j;
}

ordered_json settings_to_json(const Settings& s) {
  return ordered_json{{"embeddings", s.table_path},
              {"table_name", s.table_name},
              {"projection", to_string(s.projection)},
              {"projection_requested", to_string(s.projection_requested)},
              {"seed", s.seed},
              {"d_in", s.d_in},
              {"d_out", s.d_out},
              {"heads", s.heads},
              {"multihead", to_string(s.multihead)},
              {"head_dim", s.head_dim},
              {"qkv_bias", s.qkv_bias},
              {"scale", s.scale},
              {"softmax", to_string(s.softmax)},
              {"causal", s.causal},
              {"causal_method", to_string(s.causal_method)},
              {"dropout", s.dropout},
              {"dropout_seed", s.dropout_seed ? ordered_json(*s.dropout_seed) : ordered_json(nullptr)},
              {"oov", to_string(s.oov)},
              {"positions", to_string(s.positions)}};
}

ordered_json layer_norm_to_json(const LayerNormTrace& ln) {
  return ordered_json{{"mean", vector_to_json(ln.mean)},     {"variance", vector_to_json(ln.variance)},
                      {"std", vector_to_json(ln.std)},       {"weight", vector_to_json(ln.weight)},
                      {"bias", vector_to_json(ln.bias)},     {"epsilon", float_to_json(ln.epsilon)}};
}

// "block": a model block's input, ln_1, and its stages after the attention; null without one.
ordered_json block_to_json(const std::optional<BlockTrace>& b) {
  if (!b) return ordered_json(nullptr);
  return ordered_json{{"input", matrix_to_json(b->input)},          {"ln_1", layer_norm_to_json(b->ln_1)},
                      {"residual", matrix_to_json(b->residual)},    {"ln_2", layer_norm_to_json(b->ln_2)},
                      {"ln_2_output", matrix_to_json(b->ln_2_output)}, {"mlp_hidden", matrix_to_json(b->mlp_hidden)},
                      {"mlp_output", matrix_to_json(b->mlp_output)}};
}

ordered_json next_token_to_json(const NextToken& n) {
  return ordered_json{{"token", n.token}, {"id", n.id}, {"probability", float_to_json(n.probability)}};
}

// "lens": [layer][position][k] tokens, or null without --lens.
ordered_json lens_to_json(const Trace& t) {
  if (t.lens.empty()) return ordered_json(nullptr);
  ordered_json layers = ordered_json::array();
  for (const auto& layer : t.lens) {
    ordered_json positions = ordered_json::array();
    for (const auto& top : layer) {
      ordered_json list = ordered_json::array();
      for (const NextToken& n : top) list.push_back(next_token_to_json(n));
      positions.push_back(std::move(list));
    }
    layers.push_back(std::move(positions));
  }
  return layers;
}

// "generation": --generate's steps, or null.
ordered_json generation_to_json(const std::optional<Generation>& g) {
  if (!g) return ordered_json(nullptr);
  ordered_json steps = ordered_json::array();
  for (const GenerationStep& s : g->steps) {
    ordered_json top = ordered_json::array();
    for (const NextToken& n : s.top) top.push_back(next_token_to_json(n));
    steps.push_back(ordered_json{{"top", std::move(top)},
                                 {"draw", float_to_json(s.draw)},
                                 {"chosen", next_token_to_json(s.chosen)},
                                 {"share", float_to_json(s.share)},
                                 {"cumulative", float_to_json(s.cumulative)}});
  }
  return ordered_json{{"seed", g->seed}, {"top_k", g->top_k}, {"prompt_tokens", g->prompt_tokens}, {"steps", std::move(steps)}};
}

// A model run's small keys (model.hpp), in their order: model, token_ids, layer, next_tokens, temperature.
ordered_json model_parts_to_json(const Trace& t) {
  const ModelInfo& m = *t.model;
  ordered_json parts = ordered_json::object();
  parts["model"] = ordered_json{{"name", m.name},         {"n_layer", m.n_layer},         {"n_head", m.n_head},
                        {"n_embd", m.n_embd},     {"vocab_size", m.vocab_size},   {"n_positions", m.n_positions}};
  if (m.snapshot) parts["model"]["snapshot"] = *m.snapshot;
  parts["token_ids"] = t.token_ids;
  parts["layer"] = t.layer ? ordered_json(*t.layer) : ordered_json(nullptr);
  ordered_json next = ordered_json::array();
  for (const NextToken& n : t.next_tokens) next.push_back(next_token_to_json(n));
  parts["next_tokens"] = std::move(next);
  parts["temperature"] = float_to_json(t.temperature);
  return parts;
}

// "token_kinds": each token's kind by name ("known" for every token of a trace that records none).
std::vector<std::string> token_kind_names(const Trace& t) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < t.tokens.size(); ++i)
    out.push_back(token_kind_name(i < t.token_kinds.size() ? t.token_kinds[i] : TokenKind::known));
  return out;
}

// The trace's text, appended piece by piece in the layout append_json() gives its tree.
// Each matrix row ends a piece that may go to the sink.
class TraceText {
 public:
  explicit TraceText(SinkBuffer& buffer) : buffer_(buffer), out_(buffer.text()) {}

  void trace(const Trace& t) {
    open_object();
    key(0, "schema");
    string(kTraceSchema);
    key(0, "sentence");
    string(t.sentence);
    key(0, "tokens");
    strings(t.tokens);
    key(0, "oov_tokens");
    strings(t.oov_tokens);
    key(0, "token_kinds");
    strings(token_kind_names(t));
    if (!t.dimension_names.empty()) {
      key(0, "dimension_names");
      strings(t.dimension_names);
    }
    key(0, "config");
    settings(t.settings, 1);
    key(0, "inputs");
    matrix(t.inputs, 1);
    if (t.position_encoding) {
      key(0, "token_embeddings");
      matrix(*t.token_embeddings, 1);
      key(0, "position_encoding");
      matrix(*t.position_encoding, 1);
    }
    key(0, "heads");
    heads(t.heads, 1);
    key(0, "concatenated");
    optional_matrix(t.concatenated, 1);
    key(0, "out_proj");
    if (t.out_proj) {
      open_object();
      key(1, "weight");
      matrix(t.out_proj->weight, 2);
      key(1, "bias");
      numbers(t.out_proj->bias);
      close_object(1);
    } else {
      out_ += "null";
    }
    key(0, "output");
    matrix(t.output, 1);
    key(0, "warnings");
    strings(t.warnings);
    if (t.model) {
      const ordered_json parts = model_parts_to_json(t);
      for (const auto& [name, value] : parts.items()) {
        key(0, name);
        append_json(value, 1, out_);
      }
      key(0, "block");
      block(t.block, 1);
      key(0, "block_output");
      optional_matrix(t.block_output, 1);
      key(0, "layer_weights");
      layer_weights(t.layer_weights, 1);
      key(0, "lens");
      append_json(lens_to_json(t), 1, out_);
      key(0, "generation");
      append_json(generation_to_json(t.generation), 1, out_);
    }
    close_object(0);
  }

 private:
  SinkBuffer& buffer_;
  std::string& out_;
  bool first_ = true;  // no member yet in the object being written

  void pad(int indent) { out_.append(static_cast<std::size_t>(indent) * 2, ' '); }
  void open_object() {
    out_ += "{\n";
    first_ = true;
  }
  // The next member of an object whose braces are at `level`.
  void key(int level, std::string_view name) {
    out_ += first_ ? "" : ",\n";
    first_ = false;
    pad(level + 1);
    out_ += '"';
    out_ += name;
    out_ += "\": ";
  }
  void close_object(int level) {
    out_ += '\n';
    pad(level);
    out_ += '}';
    first_ = false;  // the enclosing object has members
  }

  void string(std::string_view s) { out_ += ordered_json(s).dump(-1, ' ', false, ordered_json::error_handler_t::replace); }
  void strings(const std::vector<std::string>& list) {
    out_ += '[';
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i) out_ += ", ";
      string(list[i]);
    }
    out_ += ']';
  }
  template <class Unsigned>
  void whole(Unsigned n) {
    fmt::format_to(std::back_inserter(out_), "{}", n);
  }
  // A double as append_json() writes it: the shortest decimal in nlohmann's layout.
  void real(double x) {
    if (!std::isfinite(x)) {
      out_ += "null";
      return;
    }
    append_shortest(x, out_);
  }
  void number(float x) {
    if (!std::isfinite(x)) {
      out_ += "null";
      return;
    }
    append_shortest(x, out_);
  }
  void numbers(std::span<const float> row) {
    out_ += '[';
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) out_ += ", ";
      number(row[i]);
    }
    out_ += ']';
  }
  // An array of `count` items, each written by item(k, level + 1) on a line of its own, its
  // closing bracket at `level`; with `pieces`, a piece may end after each item.
  template <class Item>
  void lines(std::size_t count, int level, Item item, bool pieces = false) {
    if (count == 0) {
      out_ += "[]";
      return;
    }
    out_ += "[\n";
    for (std::size_t k = 0; k < count; ++k) {
      pad(level + 1);
      item(k, level + 1);
      out_ += k + 1 < count ? ",\n" : "\n";
      if (pieces) buffer_.piece_done();
    }
    pad(level);
    out_ += ']';
  }
  // A matrix whose closing bracket is at `level`: one row per line.
  void matrix(const Matrix& m, int level) {
    lines(m.rows, level, [&](std::size_t r, int) { numbers(m.row(r)); }, true);
  }
  void optional_matrix(const std::optional<Matrix>& m, int level) {
    if (m) {
      matrix(*m, level);
    } else {
      out_ += "null";
    }
  }
  // [layer][head] matrices, nested as append_json() lays out nested arrays.
  void layer_weights(const std::vector<std::vector<Matrix>>& layers, int level) {
    lines(layers.size(), level, [&](std::size_t l, int at) {
      lines(layers[l].size(), at, [&](std::size_t h, int inner) { matrix(layers[l][h], inner); });
    });
  }
  void optional_numbers(const std::optional<std::vector<float>>& v) {
    if (v) {
      numbers(*v);
    } else {
      out_ += "null";
    }
  }

  void layer_norm(const LayerNormTrace& ln, int at) {
    open_object();
    key(at, "mean"), numbers(ln.mean);
    key(at, "variance"), numbers(ln.variance);
    key(at, "std"), numbers(ln.std);
    key(at, "weight"), numbers(ln.weight);
    key(at, "bias"), numbers(ln.bias);
    key(at, "epsilon"), number(ln.epsilon);
    close_object(at);
  }
  void block(const std::optional<BlockTrace>& b, int at) {
    if (!b) {
      out_ += "null";
      return;
    }
    open_object();
    key(at, "input"), matrix(b->input, at + 1);
    key(at, "ln_1"), layer_norm(b->ln_1, at + 1);
    key(at, "residual"), matrix(b->residual, at + 1);
    key(at, "ln_2"), layer_norm(b->ln_2, at + 1);
    key(at, "ln_2_output"), matrix(b->ln_2_output, at + 1);
    key(at, "mlp_hidden"), matrix(b->mlp_hidden, at + 1);
    key(at, "mlp_output"), matrix(b->mlp_output, at + 1);
    close_object(at);
  }

  void settings(const Settings& s, int at) {
    open_object();
    key(at, "embeddings"), string(s.table_path);
    key(at, "table_name"), string(s.table_name);
    key(at, "projection"), string(to_string(s.projection));
    key(at, "projection_requested"), string(to_string(s.projection_requested));
    key(at, "seed"), whole(s.seed);
    key(at, "d_in"), whole(s.d_in);
    key(at, "d_out"), whole(s.d_out);
    key(at, "heads"), whole(s.heads);
    key(at, "multihead"), string(to_string(s.multihead));
    key(at, "head_dim"), whole(s.head_dim);
    key(at, "qkv_bias"), out_ += s.qkv_bias ? "true" : "false";
    key(at, "scale"), out_ += s.scale ? "true" : "false";
    key(at, "softmax"), string(to_string(s.softmax));
    key(at, "causal"), out_ += s.causal ? "true" : "false";
    key(at, "causal_method"), string(to_string(s.causal_method));
    key(at, "dropout"), real(s.dropout);
    key(at, "dropout_seed");
    if (s.dropout_seed) {
      whole(*s.dropout_seed);
    } else {
      out_ += "null";
    }
    key(at, "oov"), string(to_string(s.oov));
    key(at, "positions"), string(to_string(s.positions));
    close_object(at);
  }

  void head(const HeadTrace& h, int at) {
    open_object();
    const std::pair<const char*, const std::optional<Matrix>*> weights[] = {
        {"W_query", &h.W_query}, {"W_key", &h.W_key}, {"W_value", &h.W_value}};
    for (const auto& [name, m] : weights) key(at, name), optional_matrix(*m, at + 1);
    const std::pair<const char*, const std::optional<std::vector<float>>*> biases[] = {
        {"b_query", &h.b_query}, {"b_key", &h.b_key}, {"b_value", &h.b_value}};
    for (const auto& [name, v] : biases) key(at, name), optional_numbers(*v);
    key(at, "queries"), matrix(h.queries, at + 1);
    key(at, "keys"), matrix(h.keys, at + 1);
    key(at, "values"), matrix(h.values, at + 1);
    key(at, "scale"), number(h.scale_divisor);
    key(at, "scores"), matrix(h.attn_scores, at + 1);
    key(at, "scaled_scores"), matrix(h.scaled_scores, at + 1);
    key(at, "masked_scores"), optional_matrix(h.masked_scores, at + 1);
    key(at, "masked_weights"), optional_matrix(h.masked_weights, at + 1);
    key(at, "weights"), matrix(h.attn_weights, at + 1);
    key(at, "dropout_mask"), optional_matrix(h.dropout_mask, at + 1);
    key(at, "dropped_weights"), optional_matrix(h.dropped_weights, at + 1);
    key(at, "context"), matrix(h.context_vec, at + 1);
    close_object(at);
  }

  void heads(const std::vector<HeadTrace>& list, int level) {
    lines(list.size(), level, [&](std::size_t i, int at) { head(list[i], at); });
  }
};

}  // namespace

namespace {

// The trace's text and its final newline, into `buffer` (flushed to its sink, if it has one).
void write_trace(const Trace& t, SinkBuffer& buffer) {
  TraceText(buffer).trace(t);
  buffer.text() += '\n';
  buffer.flush();
}

}  // namespace

void write_trace_json(const Trace& t, const TextSink& sink) {
  SinkBuffer buffer(sink);
  write_trace(t, buffer);
}

std::string trace_json_text(const Trace& t) {
  std::string out;
  SinkBuffer buffer(out);
  write_trace(t, buffer);
  return out;
}

ordered_json trace_to_json(const Trace& t) {
  ordered_json heads = ordered_json::array();
  for (const HeadTrace& h : t.heads) heads.push_back(head_to_json(h));
  ordered_json j = ordered_json::object();
  j["schema"] = kTraceSchema;
  j["sentence"] = t.sentence;
  j["tokens"] = t.tokens;
  j["oov_tokens"] = t.oov_tokens;
  j["token_kinds"] = token_kind_names(t);
  if (!t.dimension_names.empty()) j["dimension_names"] = t.dimension_names;
  j["config"] = settings_to_json(t.settings);
  j["inputs"] = matrix_to_json(t.inputs);
  if (t.position_encoding) {
    j["token_embeddings"] = matrix_to_json(*t.token_embeddings);
    j["position_encoding"] = matrix_to_json(*t.position_encoding);
  }
  j["heads"] = std::move(heads);
  j["concatenated"] = optional_matrix(t.concatenated);
  j["out_proj"] = t.out_proj ? ordered_json{{"weight", matrix_to_json(t.out_proj->weight)}, {"bias", vector_to_json(t.out_proj->bias)}}
                             : ordered_json(nullptr);
  j["output"] = matrix_to_json(t.output);
  j["warnings"] = t.warnings;
  if (t.model) {
    const ordered_json parts = model_parts_to_json(t);
    for (const auto& [name, value] : parts.items()) j[name] = value;
    j["block"] = block_to_json(t.block);
    j["block_output"] = optional_matrix(t.block_output);
    ordered_json layers = ordered_json::array();
    for (const std::vector<Matrix>& layer : t.layer_weights) {
      ordered_json heads = ordered_json::array();
      for (const Matrix& m : layer) heads.push_back(matrix_to_json(m));
      layers.push_back(std::move(heads));
    }
    j["layer_weights"] = std::move(layers);
    j["lens"] = lens_to_json(t);
    j["generation"] = generation_to_json(t.generation);
  }
  return j;
}

ordered_json parameter_count_to_json(const ParameterCount& count, std::uint64_t d_in, std::uint64_t d_out, std::uint64_t heads,
                             Multihead multihead, bool qkv_bias) {
  ordered_json parts = ordered_json::array();
  for (const auto& [name, n] : count.parts) parts.push_back(ordered_json{{"name", name}, {"count", n}});
  return ordered_json{{"d_in", d_in},   {"d_out", d_out},         {"heads", heads},  {"multihead", to_string(multihead)},
              {"qkv_bias", qkv_bias}, {"parts", std::move(parts)}, {"total", count.total}};
}

}  // namespace attn
