#include "word_vector_format.hpp"

#include <charconv>
#include <cstring>

#include <fmt/format.h>

#include "attn/util/error.hpp"
#include "attn/word_vectors.hpp"
#include "attn/util/echo.hpp"

namespace attn {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Whether `c` can be part of a row of text numbers: digits, signs, points, exponents, white space.
bool is_number_text(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' || is_blank(c);
}

// The bytes after the first row's word, up to its end or 64 bytes: text numbers or not.
bool first_row_is_text(std::string_view rest) {
  const std::size_t space = rest.find(' ');
  if (space == std::string_view::npos) return true;  // too short to say; text errors will name the line
  rest.remove_prefix(space + 1);
  for (std::size_t i = 0; i < rest.size() && i < 64 && rest[i] != '\n'; ++i) {
    if (!is_number_text(rest[i])) return false;
  }
  return true;
}

}  // namespace

std::optional<VectorHeader> read_header_numbers(std::string_view line) {
  std::size_t i = 0;
  auto skip_blanks = [&] {
    while (i < line.size() && is_blank(line[i])) ++i;
  };
  auto number = [&](std::uint64_t& out) {
    const char* first = line.data() + i;
    const auto [ptr, ec] = std::from_chars(first, line.data() + line.size(), out);
    if (ec != std::errc() || ptr == first) return false;
    i += static_cast<std::size_t>(ptr - first);
    return true;
  };
  VectorHeader h;
  std::uint64_t dim = 0;
  skip_blanks();
  if (!number(h.count)) return std::nullopt;
  const std::size_t before = i;
  skip_blanks();
  if (i == before || !number(dim)) return std::nullopt;
  skip_blanks();
  if (i != line.size() || dim > kLargestWidth * 1024ull) return std::nullopt;
  h.dim = static_cast<std::size_t>(dim);
  return h;
}

VectorHeader check_header(std::string_view line, const std::string& source) {
  const auto h = read_header_numbers(line);
  if (!h) {
    throw DataError(fmt::format("{}: line 1: the header \"{}\" is not two whole numbers \"count dim\"", source,
                                printable(line)),
                    fmt::format("a GloVe file has no header: try {} glove", key_ref("format")));
  }
  if (h->dim == 0 || h->dim > kLargestWidth) {
    throw DataError(fmt::format("{}: line 1: the header's dim is {}, expected a whole number from 1 to {}", source,
                                h->dim, kLargestWidth));
  }
  if (h->count == 0) throw DataError(fmt::format("{}: line 1: the header's count is 0, expected at least one word", source));
  return *h;
}

VectorFormat detect_vector_format(std::string_view head) {
  std::size_t i = 0;
  while (i < head.size() && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) ++i;
  if (i < head.size() && (head[i] == '{' || head[i] == '[')) return VectorFormat::json;  // [: a wrong table, said so
  const std::size_t newline = head.find('\n');
  if (newline == std::string_view::npos) return VectorFormat::glove;
  if (!read_header_numbers(head.substr(0, newline))) return VectorFormat::glove;
  return first_row_is_text(head.substr(newline + 1)) ? VectorFormat::word2vec_text : VectorFormat::word2vec_bin;
}

}  // namespace attn
