#include "explanations.hpp"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "attn/error.hpp"
#include "json_file.hpp"
#include "text_file.hpp"

namespace attn {

Explanations load_explanations(const std::filesystem::path& path) {
  const std::string source = path.string();
  const nlohmann::json root = parse_json_document(read_text_file(path), source, 8);
  if (!root.is_object() || !root.contains("stages") || !root["stages"].is_object()) {
    throw DataError(fmt::format("{}: expected an object {{\"stages\": {{\"<stage>\": [\"line\", ...]}}}}", source));
  }
  Explanations out;
  for (const auto& [stage, lines] : root["stages"].items()) {
    const std::optional<Stage> named = stage_named(stage);
    if (!named) {
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
      out[*named].push_back(line.get<std::string>());
    }
  }
  return out;
}

}  // namespace attn
