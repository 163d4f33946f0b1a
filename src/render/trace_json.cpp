#include "trace_json.hpp"

#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace attn {

using json = nlohmann::ordered_json;

json float_to_json(float value) {
  if (!std::isfinite(value)) return nullptr;
  // fmt prints the shortest float32 round-trip digits; as a double those digits
  // print back unchanged, so the JSON holds exactly what float32 had.
  return std::strtod(fmt::format("{}", value).c_str(), nullptr);
}

json matrix_to_json(const Matrix& m) {
  json rows = json::array();
  for (std::size_t r = 0; r < m.rows; ++r) {
    json row = json::array();
    for (std::size_t c = 0; c < m.cols; ++c) row.push_back(float_to_json(m(r, c)));
    rows.push_back(std::move(row));
  }
  return rows;
}

namespace {

json optional_matrix(const std::optional<Matrix>& m) { return m ? matrix_to_json(*m) : json(nullptr); }

json vector_to_json(const std::vector<float>& v) {
  json out = json::array();
  for (float x : v) out.push_back(float_to_json(x));
  return out;
}

json optional_vector(const std::optional<std::vector<float>>& v) { return v ? vector_to_json(*v) : json(nullptr); }

json head_to_json(const HeadTrace& h) {
  json j = json::object();
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

json settings_to_json(const Settings& s) {
  return json{{"embeddings", s.table_path},
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
              {"dropout_seed", s.dropout_seed ? json(*s.dropout_seed) : json(nullptr)},
              {"oov", to_string(s.oov)}};
}

bool is_flat_array(const json& j) {
  if (!j.is_array()) return false;
  for (const json& e : j)
    if (e.is_structured()) return false;
  return true;
}

void write(const json& j, int indent, std::string& out) {
  const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  const std::string inner(static_cast<std::size_t>(indent + 1) * 2, ' ');
  if (j.is_object() && !j.empty()) {
    out += "{\n";
    std::size_t i = 0;
    for (const auto& [key, value] : j.items()) {
      out += inner + json(key).dump() + ": ";
      write(value, indent + 1, out);
      out += ++i < j.size() ? ",\n" : "\n";
    }
    out += pad + "}";
  } else if (j.is_array() && !j.empty() && !is_flat_array(j)) {
    out += "[\n";
    for (std::size_t i = 0; i < j.size(); ++i) {
      out += inner;
      write(j[i], indent + 1, out);
      out += i + 1 < j.size() ? ",\n" : "\n";
    }
    out += pad + "]";
  } else if (is_flat_array(j)) {
    out += "[";
    for (std::size_t i = 0; i < j.size(); ++i) out += (i ? ", " : "") + j[i].dump();
    out += "]";
  } else {
    out += j.dump(-1, ' ', false, json::error_handler_t::replace);
  }
}

}  // namespace

json trace_to_json(const Trace& t) {
  json heads = json::array();
  for (const HeadTrace& h : t.heads) heads.push_back(head_to_json(h));
  json j = json::object();
  j["schema"] = kTraceSchema;
  j["sentence"] = t.sentence;
  j["tokens"] = t.tokens;
  j["oov_tokens"] = t.oov_tokens;
  j["config"] = settings_to_json(t.settings);
  j["inputs"] = matrix_to_json(t.inputs);
  j["heads"] = std::move(heads);
  j["concatenated"] = optional_matrix(t.concatenated);
  j["out_proj"] = t.out_proj ? json{{"weight", matrix_to_json(t.out_proj->weight)}, {"bias", vector_to_json(t.out_proj->bias)}}
                             : json(nullptr);
  j["output"] = matrix_to_json(t.output);
  j["warnings"] = t.warnings;
  return j;
}

json parameter_count_to_json(const ParameterCount& count, std::uint64_t d_in, std::uint64_t d_out, std::uint64_t heads,
                             Multihead multihead, bool qkv_bias) {
  json parts = json::array();
  for (const auto& [name, n] : count.parts) parts.push_back(json{{"name", name}, {"count", n}});
  return json{{"d_in", d_in},   {"d_out", d_out},         {"heads", heads},  {"multihead", to_string(multihead)},
              {"qkv_bias", qkv_bias}, {"parts", std::move(parts)}, {"total", count.total}};
}

std::string format_json(const json& value) {
  std::string out;
  write(value, 0, out);
  out += "\n";
  return out;
}

}  // namespace attn
