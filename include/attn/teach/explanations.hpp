// explanations.hpp: the plain-words notes --explain prints under each stage.
//
// The text lives in data/explain.json, not in code:
//   {"stages": {"scores": ["line", "line"], "weights": [...], ...},
//    "model_stages": {"inputs": [...]}}
// "model_stages" (optional) holds a model run's own note where it differs from
// a table run's (a model's X is its layer input, not a table lookup).
// "paragraphs" (optional) holds the longer teaching prose of other views, by
// name ({"compare_scale_why": "text", ...}): each one paragraph, which may
// hold {name} marks that the view fills with its numbers.
// load_explanations() promises a map from Stage (stage.hpp; the file names
// them as kStageNames does) to non-empty lists of lines, and the same for the
// model's notes; anything else in the file is a DataError naming the file and key.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "attn/stage.hpp"

namespace attn {

// The table runs' notes, stage → lines; `model` the model runs' own notes.
struct Explanations : std::map<Stage, std::vector<std::string>> {
  std::map<Stage, std::vector<std::string>> model;
  std::map<std::string, std::string> paragraphs;  // name → one paragraph
  std::string source;                             // the file they were read from, for messages

  // The paragraph `name`. Throws DataError naming the file when it has none.
  const std::string& paragraph(const std::string& name) const;

  // The note for `stage` in a model run (model_run) or a table run; nullptr when there is none.
  const std::vector<std::string>* lines(Stage stage, bool model_run) const {
    if (model_run) {
      if (auto it = model.find(stage); it != model.end()) return &it->second;
    }
    auto it = find(stage);
    return it == end() ? nullptr : &it->second;
  }
};

inline constexpr const char* kExplanationsFile = "explain.json";

Explanations load_explanations(const std::filesystem::path& path);

}  // namespace attn
