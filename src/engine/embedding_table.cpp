#include "attn/embedding_table.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "attn/util/error.hpp"
#include "attn/settings.hpp"
#include "attn/util/json_file.hpp"
#include "attn/util/echo.hpp"
#include "attn/util/text_file.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxDim = kLargestWidth;  // as the weights' d_out, as --d-out
constexpr int kMaxDepth = 16;  // a table is at most 4 levels deep; this is generous


// One float32 value; `what` says where it is, for the message.
float to_float(const json& j, const std::string& source, const std::string& what) {
  if (!j.is_number()) {
    throw DataError(fmt::format("{}: {} is {}, expected a number", source, what, json_type_name(j)));
  }
  const double d = j.get<double>();
  if (!std::isfinite(d) || std::fabs(d) > std::numeric_limits<float>::max()) {
    throw DataError(fmt::format("{}: {} is {}, beyond the float32 range", source, what, j.dump()));
  }
  return static_cast<float>(d);
}

Matrix to_weight(const json& j, std::size_t dim, const std::string& source, const std::string& key) {
  const std::string where = fmt::format("\"weights\".\"{}\"", key);
  if (!j.is_array()) {
    throw DataError(fmt::format("{}: {} is {}, expected an array of {} rows", source, where,
                                json_type_name(j), dim));
  }
  if (j.size() != dim) {
    throw DataError(fmt::format("{}: {} has {} rows, expected {} (one per input dimension, dim = {})",
                                source, where, j.size(), dim, dim));
  }
  std::size_t d_out = 0;
  Matrix m;
  for (std::size_t r = 0; r < dim; ++r) {
    const json& row = j[r];
    if (!row.is_array() || row.empty()) {
      throw DataError(fmt::format("{}: {} row {} is {}, expected a non-empty array of numbers",
                                  source, where, r, row.is_array() ? "empty" : json_type_name(row)));
    }
    if (r == 0) {
      d_out = row.size();
      if (d_out > kLargestWidth) {
        throw DataError(fmt::format("{}: {} row 0 has {} columns, more than the limit of {} (the widest {})", source,
                                    where, d_out, kLargestWidth, key_ref("d-out")));
      }
      m = Matrix(dim, d_out);
    } else if (row.size() != d_out) {
      throw DataError(fmt::format("{}: {} row {} has {} columns, row 0 has {}", source, where, r,
                                  row.size(), d_out));
    }
    for (std::size_t c = 0; c < d_out; ++c) {
      m(r, c) = to_float(row[c], source, fmt::format("{} row {} column {}", where, r, c));
    }
  }
  return m;
}

bool has_space(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; });
}

// The whole document, with duplicate keys and absurd nesting refused as it is read:
// duplicates are legal JSON but almost always a mistake in a hand-edited table.
json parse_table_document(const std::string& text, const std::string& source) {
  std::string top_key;
  std::set<std::string> top_keys;
  std::set<std::string> inner_keys;
  auto callback = [&](int depth, json::parse_event_t event, json& parsed) {
    if (depth > kMaxDepth) {
      throw DataError(fmt::format("{}: nesting deeper than {} levels; a table is at most 4 deep",
                                  source, kMaxDepth));
    }
    if (event == json::parse_event_t::object_start && depth == 1) inner_keys.clear();
    if (event == json::parse_event_t::key) {
      const std::string key = parsed.get<std::string>();
      if (depth == 1) {
        if (!top_keys.insert(key).second) {
          throw DataError(fmt::format("{}: duplicate key \"{}\"", source, printable(key)));
        }
        top_key = key;
      } else if (depth == 2 && !inner_keys.insert(key).second) {
        if (top_key == "vectors") {
          throw DataError(fmt::format("{}: duplicate token \"{}\" in \"vectors\"", source, printable(key)));
        }
        throw DataError(fmt::format("{}: duplicate key \"{}\" in \"{}\"", source, printable(key), printable(top_key)));
      }
    }
    return true;
  };
  return parse_json(text, source, callback);
}

// An object with only the keys a table may have.
void check_table_shape(const json& root, const std::string& source) {
  if (!root.is_object()) {
    throw DataError(fmt::format("{}: the table is {}, expected a JSON object with \"dim\" and \"vectors\"",
                                source, json_type_name(root)));
  }
  static const std::set<std::string> known = {"$schema", "name", "description", "dim", "dimensions", "vectors", "weights"};
  for (const auto& [key, value] : root.items()) {
    if (!known.count(key)) {
      throw DataError(fmt::format("{}: unknown key \"{}\"", source, printable(key)),
                      "a table has \"name\", \"description\", \"dim\", \"vectors\" and optionally \"dimensions\" and \"weights\"");
    }
  }
}

// "dimensions": one short name per column of X, as its tables' column labels.
std::vector<std::string> read_dimension_names(const json& names, const std::string& source, std::size_t dim) {
  constexpr std::size_t kLongestName = 24;  // a column label, not a sentence
  if (!names.is_array() || names.size() != dim) {
    throw DataError(fmt::format("{}: \"dimensions\" is {}, expected an array of {} names (one per dimension, dim = {})",
                                source, names.is_array() ? fmt::format("an array of {}", names.size()) : json_type_name(names),
                                dim, dim));
  }
  std::vector<std::string> out;
  for (const auto& name : names) {
    if (!name.is_string() || name.get<std::string>().empty() || has_space(name.get<std::string>()) ||
        display_width(name.get<std::string>()) > kLongestName) {
      throw DataError(fmt::format("{}: \"dimensions\" item {} is not a name of 1 to {} columns without white space", source,
                                  out.size(), kLongestName));
    }
    out.push_back(name.get<std::string>());
  }
  return out;
}

// "vectors": one vector of table.dim numbers per token, added to the table.
void read_vectors(const json& vectors, const std::string& source, EmbeddingTable& table) {
  for (const auto& [token, value] : vectors.items()) {
    if (token.empty()) throw DataError(fmt::format("{}: a token in \"vectors\" is the empty string", source));
    if (has_space(token)) {
      throw DataError(fmt::format("{}: token \"{}\" contains white space or a control character; "
                                  "the tokenizer never produces it", source, printable(token)));
    }
    if (!value.is_array()) {
      throw DataError(fmt::format("{}: the vector of \"{}\" is {}, expected an array of {} numbers",
                                  source, printable(token), json_type_name(value), table.dim));
    }
    if (value.size() != table.dim) {
      throw DataError(fmt::format("{}: the vector of \"{}\" has {} values, expected {} (\"dim\")",
                                  source, printable(token), value.size(), table.dim));
    }
    std::vector<float> v(table.dim);
    for (std::size_t i = 0; i < table.dim; ++i) {
      v[i] = to_float(value[i], source, fmt::format("value {} of \"{}\"", i, printable(token)));
    }
    table.add(token, std::move(v));
  }
}

// "weights": W_query, W_key and W_value, dim rows each, of one width.
TableWeights read_weights(const json& weights, const std::string& source, std::size_t dim) {
  if (!weights.is_object()) throw DataError(fmt::format("{}: \"weights\" is {}, expected an object", source, json_type_name(weights)));
  for (const auto& [key, value] : weights.items()) {
    if (key != "W_query" && key != "W_key" && key != "W_value") {
      throw DataError(fmt::format("{}: unknown key \"{}\" in \"weights\" (expected W_query, W_key, W_value)", source, printable(key)));
    }
  }
  TableWeights w;
  const char* names[] = {"W_query", "W_key", "W_value"};
  Matrix* targets[] = {&w.W_query, &w.W_key, &w.W_value};
  for (int i = 0; i < 3; ++i) {
    auto it = weights.find(names[i]);
    if (it == weights.end()) throw DataError(fmt::format("{}: \"weights\" has no \"{}\"", source, names[i]));
    *targets[i] = to_weight(*it, dim, source, names[i]);
  }
  if (w.W_key.cols != w.W_query.cols || w.W_value.cols != w.W_query.cols) {
    throw DataError(fmt::format("{}: W_query, W_key and W_value have {}, {} and {} columns; they must agree",
                                source, w.W_query.cols, w.W_key.cols, w.W_value.cols));
  }
  return w;
}

}  // namespace

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

void EmbeddingTable::add(std::string token, std::vector<float> vector) {
  const std::size_t index = words_.size();
  exact_.emplace(token, index);
  folded_.emplace(ascii_lower(token), index);  // keeps the first spelling
  words_.push_back(std::move(token));
  vectors_.push_back(std::move(vector));
}

const std::vector<float>* EmbeddingTable::find(std::string_view token) const {
  if (auto it = exact_.find(std::string(token)); it != exact_.end()) return &vectors_[it->second];
  if (auto it = folded_.find(ascii_lower(token)); it != folded_.end()) return &vectors_[it->second];
  return nullptr;
}

float EmbeddingTable::min_value() const {
  float lo = std::numeric_limits<float>::infinity();
  for (const auto& v : vectors_)
    for (float x : v) lo = std::min(lo, x);
  return std::isfinite(lo) ? lo : 0.0f;
}

float EmbeddingTable::max_value() const {
  float hi = -std::numeric_limits<float>::infinity();
  for (const auto& v : vectors_)
    for (float x : v) hi = std::max(hi, x);
  return std::isfinite(hi) ? hi : 1.0f;
}

EmbeddingTable parse_table(std::string_view json_text, const std::string& source) {
  const json root = parse_table_document(std::string(json_text), source);
  check_table_shape(root, source);

  EmbeddingTable table;
  table.source = source;
  if (auto it = root.find("name"); it != root.end()) {
    if (!it->is_string()) throw DataError(fmt::format("{}: \"name\" is {}, expected a string", source, json_type_name(*it)));
    table.name = it->get<std::string>();
  }
  if (auto it = root.find("description"); it != root.end()) {
    if (!it->is_string()) throw DataError(fmt::format("{}: \"description\" is {}, expected a string", source, json_type_name(*it)));
    table.description = it->get<std::string>();
  }

  const auto dim_it = root.find("dim");
  if (dim_it == root.end()) throw DataError(fmt::format("{}: missing \"dim\" (the length of every vector)", source));
  if (!dim_it->is_number_unsigned() || dim_it->get<std::uint64_t>() == 0 || dim_it->get<std::uint64_t>() > kMaxDim) {
    throw DataError(fmt::format("{}: \"dim\" is {}, expected a whole number from 1 to {}", source, dim_it->dump(), kMaxDim));
  }
  table.dim = dim_it->get<std::size_t>();
  if (auto it = root.find("dimensions"); it != root.end()) table.dimensions = read_dimension_names(*it, source, table.dim);

  const auto vec_it = root.find("vectors");
  if (vec_it == root.end()) throw DataError(fmt::format("{}: missing \"vectors\" (an object from token to vector)", source));
  if (!vec_it->is_object()) throw DataError(fmt::format("{}: \"vectors\" is {}, expected an object from token to vector", source, json_type_name(*vec_it)));
  if (vec_it->empty()) throw DataError(fmt::format("{}: \"vectors\" is empty", source));

  read_vectors(*vec_it, source, table);
  if (auto w_it = root.find("weights"); w_it != root.end()) table.weights = read_weights(*w_it, source, table.dim);
  return table;
}

EmbeddingTable load_table(const std::filesystem::path& path) {
  const std::string text = read_text_file(path);
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw DataError(path.string() + ": the file is empty");
  }
  EmbeddingTable table = parse_table(text, path.string());
  if (table.name.empty()) table.name = path.stem().string();
  return table;
}

}  // namespace attn
