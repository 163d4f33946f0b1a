#include "attn/teach/explanations.hpp"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "attn/util/error.hpp"
#include "attn/util/json_file.hpp"
#include "attn/util/text_file.hpp"

namespace attn {

namespace {

// The object `key` of the file (stage → lines) into `out`.
void read_stages(const nlohmann::json& stages, const char* key, const std::string& source,
                 std::map<Stage, std::vector<std::string>>& out) {
  if (!stages.is_object()) {
    throw DataError(fmt::format("{}: \"{}\" is {}, expected an object {{\"<stage>\": [\"line\", ...]}}", source, key,
                                json_type_name(stages)));
  }
  for (const auto& [stage, lines] : stages.items()) {
    const std::optional<Stage> named = stage_named(stage);
    if (!named) {
      throw DataError(fmt::format("{}: \"{}\".\"{}\" is not a stage name", source, key, stage));
    }
    if (!lines.is_array() || lines.empty()) {
      throw DataError(fmt::format("{}: \"{}\".\"{}\" is {}, expected a non-empty array of lines", source, key, stage,
                                  json_type_name(lines)));
    }
    for (const auto& line : lines) {
      if (!line.is_string()) {
        throw DataError(fmt::format("{}: \"{}\".\"{}\" holds {}, expected strings", source, key, stage,
                                    json_type_name(line)));
      }
      out[*named].push_back(line.get<std::string>());
    }
  }
}

}  // namespace

Explanations load_explanations(const std::filesystem::path& path) {
  const std::string source = path.string();
  const nlohmann::json root = parse_json_document(read_text_file(path), source, 8);
  if (!root.is_object() || !root.contains("stages") || !root["stages"].is_object()) {
    throw DataError(fmt::format("{}: expected an object {{\"stages\": {{\"<stage>\": [\"line\", ...]}}}}", source));
  }
  Explanations out;
  read_stages(root["stages"], "stages", source, out);
  if (root.contains("model_stages")) read_stages(root["model_stages"], "model_stages", source, out.model);
  return out;
}

}  // namespace attn
