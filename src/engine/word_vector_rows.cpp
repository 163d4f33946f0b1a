#include "word_vector_rows.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include <fmt/format.h>

#include "attn/util/error.hpp"
#include "attn/util/echo.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

bool is_utf8_word(std::string_view word) {
  for (const char c : word) {
    if (static_cast<unsigned char>(c) >= 0x80) return !first_invalid_utf8(word);
  }
  return true;
}

void throw_not_utf8(std::string_view word, const std::string& where) {
  throw DataError(fmt::format("{}: the word \"{}\" is not valid UTF-8", where, printable(word)));
}

float text_value(std::string_view text, std::size_t index, std::string_view word, const std::string& where) {
  const char* first = text.data();
  const char* last = first + text.size();
  if (first != last && *first == '+') ++first;  // from_chars takes no plus sign
  double d = 0.0;
  const auto [ptr, ec] = std::from_chars(first, last, d);
  if (first == last || ptr != last || ec == std::errc::invalid_argument) {
    throw DataError(fmt::format("{}: value {} of \"{}\" is \"{}\", not a number", where, index, printable(word),
                                printable(text)));
  }
  if (ec == std::errc::result_out_of_range) {
    // Beyond a double, or below its smallest: strtod says which (±HUGE_VAL or a tiny value).
    d = std::strtod(std::string(text).c_str(), nullptr);
  }
  if (!std::isfinite(d) || std::fabs(d) > std::numeric_limits<float>::max()) {
    throw DataError(fmt::format("{}: value {} of \"{}\" is {}, not a finite float32 number", where, index,
                                printable(word), printable(text)));
  }
  return static_cast<float>(d);
}

}  // namespace attn
