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
//   - Invalid UTF-8, control characters (other than white space) and the
//     bidirectional controls U+202A-202E and U+2066-2069 (which would reorder
//     the sentence on screen) are refused with a DataError that names the byte
//     offset and the code point; nothing else is an error. check_sentence()
//     is that check alone: a model run's sentence passes the same one.
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

// Refuses the first problem in `sentence`, in byte order, as tokenize() does:
// invalid UTF-8 ("invalid UTF-8 in the sentence at byte 7"), a control character
// ("control character U+0007 in the sentence at byte 3"), a bidirectional control
// ("bidirectional control U+202E (right-to-left override) in the sentence at byte 4").
// Returns when there is none. REQUIRES: nothing; any bytes may be passed.
void check_sentence(std::string_view sentence);

// The tokens of `sentence`, in order.
// REQUIRES: nothing; any bytes may be passed.
// Throws DataError as check_sentence() does.
std::vector<Token> tokenize(std::string_view sentence);

}  // namespace attn
