// tokenizer.hpp: splits a sentence into tokens the way the tutorials do.
//
// tokenize() turns a UTF-8 sentence into words, numbers, punctuation marks and
// emoji:
//   "How are you doing?"  → How | are | you | doing | ?
//   "The dog chased the ball, and it rolled away."
//                         → The | dog | chased | the | ball | , | and | it | rolled | away | .
// A word is a run of letters and digits in any script ("café", "Привет", "λόγος",
// "注意力"). An apostrophe (' or ’) or a hyphen between two word characters stays
// inside the word ("don't", "it’s", "self-attention"); so does a decimal point
// or a thousands comma between two digits ("3.14", "1,000"). Every other
// punctuation mark is a token of its own ("?!" → ? | !), and so is every symbol
// or emoji, together with what belongs to it: a variation selector, a skin tone,
// a zero-width-joiner sequence (one family emoji is one token), the second half
// of a flag. A combining mark stays with the character before it. White space
// separates tokens and is never part of one; a byte order mark at the very start
// is ignored.
//
// Promises:
//   - A token's text is exactly the bytes of the sentence at its offset: tokens
//     are spelled as written, never normalized or lower-cased.
//   - Invalid UTF-8 and control characters (other than white space) are refused
//     with a DataError that names the byte offset; nothing else is an error.
//   - Linear time in the length of the sentence; never reads past its end.
//   - An empty or all-white-space sentence gives no tokens (the caller reports it).
//
// Character classes follow the General_Category property of the installed
// utf8proc's Unicode (15.0 with utf8proc 2.8), through unicode.hpp, which says
// what it adds.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace attn {

struct Token {
  std::string text;    // the token's spelling, as written (for display)
  std::size_t offset;  // byte offset of the token in the sentence
};

// The tokens of `sentence`, in order.
// REQUIRES: nothing; any bytes may be passed.
// Throws DataError on invalid UTF-8 ("invalid UTF-8 in the sentence at byte 7")
// or a control character ("control character U+0007 in the sentence at byte 3").
std::vector<Token> tokenize(std::string_view sentence);

}  // namespace attn
