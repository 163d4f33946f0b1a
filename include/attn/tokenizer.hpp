// tokenizer.hpp: a sentence → tokens, the way the tutorials split text.
//
// Words, numbers and each punctuation mark are tokens:
//   "How are you doing?"         → How | are | you | doing | ?
//   "the ball, and it"           → the | ball | , | and | it
// A word is a run of letters and digits in any script ("café", "Привет",
// "注意"); an apostrophe or hyphen between two word characters stays inside
// ("don't", "self-attention"), and so does a decimal point or thousands comma
// between two digits ("3.14", "1,000"). Every punctuation mark and every
// symbol or emoji is a token of its own; combining marks, variation selectors,
// skin tones and zero-width-joiner sequences stay with the character before.
// Tokens keep their spelling as written.
//
// tokenize() promises: linear time, never reads past the input, and throws
// DataError (with the byte offset) for invalid UTF-8 or a control character
// other than white space. An empty or blank sentence gives no tokens.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace attn {

struct Token {
  std::string text;    // the token's spelling, as written
  std::size_t offset;  // byte offset of the token in the sentence
};

std::vector<Token> tokenize(std::string_view sentence);

// Terminal columns the text takes: 0 for combining marks, joiners and
// variation selectors, 2 for East Asian wide characters and emoji, else 1.
// REQUIRES: valid UTF-8 (invalid bytes count 1 column each).
std::size_t display_width(std::string_view utf8);

}  // namespace attn
