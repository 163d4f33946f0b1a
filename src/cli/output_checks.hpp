// output_checks.hpp: a run's output files, checked before anything runs.
//
// A run that would replace one of its own inputs (the table, the model's files,
// the trace it renders, the lesson it draws) or write two outputs onto one file
// or onto standard output is refused with a UsageError naming the option, before
// anything is computed or written.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace attn {

// Output options and their files, in order; an empty file: not asked.
using OutputFiles = std::vector<std::pair<const char*, std::string>>;

// Two of `outputs` naming one file (after links), or two outputs on standard
// output ("-", /dev/stdout, or --json when `json`), throw UsageError.
void check_outputs_differ(const OutputFiles& outputs, bool json);

// `file` (given to `option`) being `input` throws UsageError; `what` names the
// input: "the embedding table", "the model's config.json", ...
void check_output_is_not_an_input(const char* option, const std::string& file, const std::filesystem::path& input,
                                  const std::string& what = "the embedding table");

// --html onto the lesson file it draws throws UsageError.
void check_html_is_not_the_lesson(const std::string& html_file, const std::string& lesson_path);

}  // namespace attn
