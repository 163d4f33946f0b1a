// explanations.hpp: the plain-words notes --explain prints under each stage.
//
// The text lives in data/explain.json, not in code:
//   {"stages": {"scores": ["line", "line"], "weights": [...], ...}}
// load_explanations() promises a map from Stage (stage.hpp; the file names
// them as kStageNames does) to non-empty lists of lines; anything else in the
// file is a DataError naming the file and key.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "stage.hpp"

namespace attn {

using Explanations = std::map<Stage, std::vector<std::string>>;

inline constexpr const char* kExplanationsFile = "explain.json";

Explanations load_explanations(const std::filesystem::path& path);

}  // namespace attn
