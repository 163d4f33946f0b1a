// word_vector_format.hpp: what the first bytes of a word-vector file say: its
// format (detect_vector_format(), public in word_vectors.hpp) and the
// word2vec header line "count dim".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace attn {

struct VectorHeader {
  std::uint64_t count = 0;  // words the header announces
  std::size_t dim = 0;      // values per word
};

// `line` (without its '\n') as two whole numbers separated by white space,
// with optional white space around them; nothing when it is not that.
std::optional<VectorHeader> read_header_numbers(std::string_view line);

// The header on line 1 of `source`, checked: count ≥ 1, 1 ≤ dim ≤ 4096.
// Throws DataError naming the file and line 1.
VectorHeader check_header(std::string_view line, const std::string& source);

}  // namespace attn
