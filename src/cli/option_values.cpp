#include "option_values.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "attn/model.hpp"
#include "attn/snapshots.hpp"
#include "attn/stage.hpp"

namespace attn {

std::string whole_number_problem(const std::string& text, std::uint64_t lo, std::uint64_t hi) {
  const std::string expected = fmt::format("expected a whole number from {} to {}, got \"{}\"", lo, hi, text);
  if (text.empty() || text.size() > 20 || text.find_first_not_of("0123456789") != std::string::npos) return expected;
  errno = 0;
  const unsigned long long value = std::strtoull(text.c_str(), nullptr, 10);
  if (errno == ERANGE || value < lo || value > hi) return expected;
  return {};
}

namespace {

// The number a plain decimal text holds ("0.5", "2", "1e-3"), or nothing: a text with other
// characters ("nan", "inf", "0x1"), one strtod reads only part of, or one out of range.
std::optional<double> decimal_of(const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789.eE+-") != std::string::npos) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || errno == ERANGE) return std::nullopt;
  return value;
}

}  // namespace

std::string probability_problem(const std::string& text) {
  const std::optional<double> p = decimal_of(text);
  if (p && *p >= 0.0 && *p < 1.0) return {};
  return fmt::format("expected a probability from 0 up to (not including) 1, got \"{}\"", text);
}

std::string temperature_problem(const std::string& text) {
  const std::optional<double> t = decimal_of(text);
  if (t && *t >= kLowestTemperature && *t <= kHighestTemperature) return {};
  return fmt::format("expected a temperature from {} to {}, such as 0.7 or 2, got \"{}\"", kLowestTemperature,
                     kHighestTemperature, text);
}

namespace {

// The unit's position in "KMGT" (0 for K), or npos.
std::size_t unit_of(const std::string& text) {
  const char last = static_cast<char>(std::toupper(static_cast<unsigned char>(text.back())));
  return std::string_view("KMGT").find(last);
}

}  // namespace

std::string memory_size_problem(const std::string& text) {
  const std::string expected = fmt::format("expected a size from 1M to 1T, such as 512M or 4G, got \"{}\"", text);
  if (text.empty()) return expected;
  const std::size_t unit = unit_of(text);
  const std::string digits = text.substr(0, text.size() - 1);
  if (unit == std::string_view::npos || digits.empty() || digits.size() > 16 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return expected;
  }
  const std::uint64_t value = std::strtoull(digits.c_str(), nullptr, 10);  // at most 16 digits: no overflow
  const int shift = 10 * static_cast<int>(unit + 1);
  constexpr std::uint64_t kLeast = std::uint64_t{1} << 20, kMost = std::uint64_t{1} << 40;
  if (value > kMost >> shift || value << shift < kLeast) return expected;
  return {};
}

std::uint64_t memory_size_bytes(const std::string& text) {
  const std::uint64_t value = std::strtoull(text.substr(0, text.size() - 1).c_str(), nullptr, 10);
  return value << (10 * static_cast<int>(unit_of(text) + 1));
}

std::string choice_problem(const std::string& text, const std::vector<std::string>& allowed) {
  if (std::find(allowed.begin(), allowed.end(), text) != allowed.end()) return {};
  std::string list;
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    list += (i == 0 ? "" : i + 1 == allowed.size() ? " or " : ", ") + allowed[i];
  }
  return fmt::format("expected {}, got \"{}\"", list, text);
}

std::string stage_list_problem(const std::string& list) {
  for (const std::string& name : split_on(list, ',')) {
    if (!stage_named(name)) return fmt::format("\"{}\" is not a stage; the stages are {}", name, stage_list(","));
  }
  return {};
}

std::string layer_problem(const std::string& text) {
  if (text == "all") return {};
  if (!text.empty() && text.size() < 10 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
      std::stoul(text) >= 1) {
    return {};
  }
  return fmt::format("expected a layer number from 1, or all; got \"{}\"", text);
}

std::string file_name_problem(const std::string& text) { return text.empty() ? "expected a file name, got \"\"" : ""; }

std::string model_problem(const std::string& text) {
  return text.empty() ? "expected a model's folder or name, got \"\"" : "";
}

std::string snapshot_problem(const std::string& text) {
  if (text == "list" || is_snapshot_name(text)) return {};
  return fmt::format("expected a training step, first, last or list; got \"{}\"", text);
}

std::vector<std::string> split_on(const std::string& list, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t end = std::min(list.find(separator, start), list.size());
    parts.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

}  // namespace attn
