// option_values.hpp: what an option's text may be, checked in one place.
//
// Each check takes an option's value as text and returns "" when it is allowed,
// else the reason, worded for the learner: `expected a whole number from 1 to
// 256, got "0"`. The command-line parser (cli_options.cpp) runs them as CLI11
// validators, so a bad argument is refused while argv is parsed, and the run
// plan's resolver (run_plan.cpp) runs the same ones on options that came from
// elsewhere (a browser's query) before it converts them. The conversions that
// go with the checks are here too, and take only text a check allowed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace attn {

// A whole number from lo to hi in plain digits ("0x10", "-1", "1.5", "+3" are not).
std::string whole_number_problem(const std::string& text, std::uint64_t lo, std::uint64_t hi);

// A dropout probability: a finite number with 0 <= p < 1.
std::string probability_problem(const std::string& text);

// --temperature: a finite number from kLowestTemperature to kHighestTemperature (attn/model.hpp).
std::string temperature_problem(const std::string& text);

// --max-memory: a whole number and a unit, K, M, G or T (1024, 1024², ...), from 1M to 1T.
std::string memory_size_problem(const std::string& text);
// REQUIRES: memory_size_problem(text) is "".
std::uint64_t memory_size_bytes(const std::string& text);

// One of `allowed`: "expected a, b or c, got \"x\"".
std::string choice_problem(const std::string& text, const std::vector<std::string>& allowed);

// --stages: a comma-separated list of stage names.
std::string stage_list_problem(const std::string& list);

// --layer: a block number from 1, or "all".
std::string layer_problem(const std::string& text);

// A file or folder name: anything but the empty string.
std::string file_name_problem(const std::string& text);

// --model: a model's folder or name, anything but the empty string.
std::string model_problem(const std::string& text);

// --snapshot: a training step, first, last, or list.
std::string snapshot_problem(const std::string& text);

// "a,b,,c" split on ',' → a | b | "" | c ("" → one empty part).
std::vector<std::string> split_on(const std::string& list, char separator);

// The names of a settings.hpp table (kSoftmaxNames, ...), after `first`.
template <class Names>
std::vector<std::string> names_in(const Names& table, std::vector<std::string> first = {}) {
  for (const auto& n : table) first.push_back(n.name);
  return first;
}

// The values --color takes.
inline const std::vector<std::string> kColorNames = {"auto", "always", "never"};

}  // namespace attn
