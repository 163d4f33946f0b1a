// word_vector_rows.hpp: the pieces a word-vector row is checked with, shared by
// the text and the binary readers: the word's UTF-8, and one value as float32.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace attn {

// Whether `word` is valid UTF-8 (an ASCII word is seen at once).
bool is_utf8_word(std::string_view word);

// Throws DataError "<where>: the word "<word>" is not valid UTF-8".
// `where` is "<file>: line N" or "<file>: word N".
[[noreturn]] void throw_not_utf8(std::string_view word, const std::string& where);

// A value as the JSON tables take it: the nearest double, then float32. Throws
// DataError naming `where`, the value's index (from 0) and the word when `text`
// is not a number or not a finite float32.
float text_value(std::string_view text, std::size_t index, std::string_view word, const std::string& where);

}  // namespace attn
