#include "output_checks.hpp"

#include <fmt/format.h>

#include "attn/util/error.hpp"
#include "attn/util/atomic_file.hpp"
#include "output.hpp"

namespace attn {

namespace {

// The file an output name ends up writing: its chain of links followed (a link
// to a file not yet made too), made absolute and canonical.
std::filesystem::path written_file(std::filesystem::path p) {
  std::error_code ec;
  for (int hops = 0; hops < 40 && std::filesystem::is_symlink(std::filesystem::symlink_status(p, ec)); ++hops) {
    const std::filesystem::path next = std::filesystem::read_symlink(p, ec);
    if (ec) break;
    p = next.is_absolute() ? next : p.parent_path() / next;
  }
  const std::filesystem::path absolute = std::filesystem::absolute(p, ec);
  const std::filesystem::path canonical = std::filesystem::weakly_canonical(absolute, ec);
  return ec ? absolute.lexically_normal() : canonical;
}

}  // namespace

void check_outputs_differ(const OutputFiles& outputs, bool json) {
  std::string on_stdout = json ? "--json" : "";
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const auto& [option, file] = outputs[i];
    if (file.empty()) continue;
    if (names_standard_output(file)) {
      if (!on_stdout.empty()) {
        throw UsageError(fmt::format("{} {}: {} writes to standard output too; only one output can go there", option, file,
                                     on_stdout),
                         fmt::format("give {} a file name", option));
      }
      on_stdout = option;
      continue;
    }
    for (std::size_t k = 0; k < i; ++k) {
      const auto& [other, other_file] = outputs[k];
      if (other_file.empty() || names_standard_output(other_file)) continue;
      if (file == other_file || written_file(file) == written_file(other_file)) {
        throw UsageError(fmt::format("{} {}: that is the {} file too; one would replace the other", option, file, other),
                         fmt::format("give {} another file name", option));
      }
    }
  }
}

void check_output_is_not_an_input(const char* option, const std::string& file, const std::filesystem::path& input,
                                  const std::string& what) {
  std::error_code ec;
  if (file.empty() || !std::filesystem::equivalent(file, input, ec)) return;
  throw UsageError(fmt::format("{} {}: that is {} this run reads; it would be replaced", option, file, what),
                   fmt::format("give {} another file name", option));
}

void check_html_is_not_the_lesson(const std::string& html_file, const std::string& lesson_path) {
  std::error_code ec;
  if (html_file.empty() || !std::filesystem::equivalent(html_file, lesson_path, ec)) return;
  throw UsageError(fmt::format("--html {}: that is the lesson file this run reads; it would be replaced", html_file),
                   "give --html another file name");
}

}  // namespace attn
