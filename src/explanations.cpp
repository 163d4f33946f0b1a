#include "attn/explanations.hpp"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "attn/error.hpp"
#include "attn/json_file.hpp"
#include "attn/render_table.hpp"
#include "attn/text_file.hpp"

namespace attn {

Explanations load_explanations(const std::filesystem::path& path) {
  const std::string source = path.string();
  const nlohmann::json root = parse_json_document(read_text_file(path), source, 8);
  if (!root.is_object() || !root.contains("stages") || !root["stages"].is_object()) {
    throw DataError(fmt::format("{}: expected an object {{\"stages\": {{\"<stage>\": [\"line\", ...]}}}}", source));
  }
  Explanations out;
  for (const auto& [stage, lines] : root["stages"].items()) {
    // [&name = stage]: clang 14 (the fuzz build) cannot capture a structured binding.
    const auto named = [&name = stage](const char* s) { return name == s; };
    if (std::find_if(std::begin(kStageNames), std::end(kStageNames), named) == std::end(kStageNames)) {
      throw DataError(fmt::format("{}: \"stages\".\"{}\" is not a stage name", source, stage));
    }
    if (!lines.is_array() || lines.empty()) {
      throw DataError(fmt::format("{}: \"stages\".\"{}\" is {}, expected a non-empty array of lines", source, stage,
                                  json_type_name(lines)));
    }
    for (const auto& line : lines) {
      if (!line.is_string()) {
        throw DataError(fmt::format("{}: \"stages\".\"{}\" holds {}, expected strings", source, stage,
                                    json_type_name(line)));
      }
      out[stage].push_back(line.get<std::string>());
    }
  }
  return out;
}

}  // namespace attn
