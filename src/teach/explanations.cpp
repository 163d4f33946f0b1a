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

// The object "paragraphs" (name → text) into `out`.
void read_paragraphs(const nlohmann::json& paragraphs, const std::string& source, std::map<std::string, std::string>& out) {
  if (!paragraphs.is_object()) {
    throw DataError(fmt::format("{}: \"paragraphs\" is {}, expected an object {{\"<name>\": \"text\"}}", source,
                                json_type_name(paragraphs)));
  }
  for (const auto& [name, text] : paragraphs.items()) {
    if (!text.is_string() || text.get<std::string>().empty()) {
      throw DataError(fmt::format("{}: \"paragraphs\".\"{}\" is {}, expected a non-empty string", source, name,
                                  json_type_name(text)));
    }
    out[name] = text.get<std::string>();
  }
}

}  // namespace

const std::string& Explanations::paragraph(const std::string& name) const {
  const auto it = paragraphs.find(name);
  if (it == paragraphs.end()) {
    throw DataError(fmt::format("{}: \"paragraphs\" has no \"{}\"", source, name),
                    "reinstall attn-explain, or set ATTN_EXPLAIN_DATA to a folder with an intact explain.json");
  }
  return it->second;
}

Explanations load_explanations(const std::filesystem::path& path) {
  const std::string source = path.string();
  const nlohmann::json root = parse_json_document(read_text_file(path), source, 8);
  if (!root.is_object() || !root.contains("stages") || !root["stages"].is_object()) {
    throw DataError(fmt::format("{}: expected an object {{\"stages\": {{\"<stage>\": [\"line\", ...]}}}}", source));
  }
  Explanations out;
  out.source = source;
  read_stages(root["stages"], "stages", source, out);
  if (root.contains("model_stages")) read_stages(root["model_stages"], "model_stages", source, out.model);
  if (root.contains("paragraphs")) read_paragraphs(root["paragraphs"], source, out.paragraphs);
  return out;
}

}  // namespace attn
