#include "attn/table_json.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace attn {

namespace {

std::string quoted(const std::string& s) { return nlohmann::json(s).dump(); }

// "[v1, v2, ...]", each float32 as its shortest round-trip decimal.
template <class Values>
std::string number_list(const Values& values, std::size_t count) {
  std::string out = "[";
  for (std::size_t i = 0; i < count; ++i) out += fmt::format("{}{}", i == 0 ? "" : ", ", values(i));
  return out + "]";
}

std::string matrix_text(const Matrix& m) {
  std::string out = "[\n";
  for (std::size_t r = 0; r < m.rows; ++r) {
    out += "      " + number_list([&](std::size_t c) { return m(r, c); }, m.cols);
    out += r + 1 < m.rows ? ",\n" : "\n";
  }
  return out + "    ]";
}

}  // namespace

std::string table_json_text(const EmbeddingTable& table) {
  std::string out = "{\n";
  out += fmt::format("  \"name\": {},\n", quoted(table.name));
  out += fmt::format("  \"description\": {},\n", quoted(table.description));
  out += fmt::format("  \"dim\": {},\n", table.dim);
  out += "  \"vectors\": {\n";
  const auto& words = table.words();
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::vector<float>& v = *table.find(words[i]);  // exact spelling: words are unique
    out += fmt::format("    {}: {}{}\n", quoted(words[i]), number_list([&](std::size_t k) { return v[k]; }, v.size()),
                       i + 1 < words.size() ? "," : "");
  }
  out += table.weights ? "  },\n" : "  }\n";
  if (table.weights) {
    out += "  \"weights\": {\n";
    out += fmt::format("    \"W_query\": {},\n", matrix_text(table.weights->W_query));
    out += fmt::format("    \"W_key\": {},\n", matrix_text(table.weights->W_key));
    out += fmt::format("    \"W_value\": {}\n", matrix_text(table.weights->W_value));
    out += "  }\n";
  }
  return out + "}\n";
}

}  // namespace attn
