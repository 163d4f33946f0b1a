#include "attn/trace_json.hpp"

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

json head_to_json(const HeadTrace& h) {
  json j = json::object();
  j["W_query"] = optional_matrix(h.W_query);
  j["W_key"] = optional_matrix(h.W_key);
  j["W_value"] = optional_matrix(h.W_value);
  j["queries"] = matrix_to_json(h.queries);
  j["keys"] = matrix_to_json(h.keys);
  j["values"] = matrix_to_json(h.values);
  j["scale"] = float_to_json(h.scale_divisor);
  j["scores"] = matrix_to_json(h.attn_scores);
  j["scaled_scores"] = matrix_to_json(h.scaled_scores);
  j["weights"] = matrix_to_json(h.attn_weights);
  j["context"] = matrix_to_json(h.context_vec);
  return j;
}

json settings_to_json(const Settings& s) {
  return json{{"embeddings", s.table_path},
              {"table_name", s.table_name},
              {"projection", to_string(s.projection)},
              {"projection_requested", s.projection_requested},
              {"seed", s.seed},
              {"d_in", s.d_in},
              {"d_out", s.d_out},
              {"heads", 1},
              {"scale", s.scale},
              {"softmax", s.softmax},
              {"oov", s.oov}};
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
  j["output"] = matrix_to_json(t.output);
  return j;
}

std::string format_json(const json& value) {
  std::string out;
  write(value, 0, out);
  out += "\n";
  return out;
}

}  // namespace attn
