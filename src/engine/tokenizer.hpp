// tokenizer.hpp: splits a sentence into tokens the way the tutorials do, and
// measures text in terminal columns.
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
// Character classes follow the Unicode 14.0 General_Category and
// East_Asian_Width properties (tables in tokenizer.cpp).
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

// Number of terminal columns the UTF-8 string takes (for aligning tables):
// ASCII 1; combining marks, zero-width joiner, variation selectors and other
// invisible format characters 0; East Asian Wide and Fullwidth characters (CJK,
// Hangul, kana, fullwidth forms) and emoji 2. An emoji sequence (with a skin
// tone, U+FE0F, or zero-width joiners) counts as the one glyph it shows as;
// a flag (two regional indicators) is 2.
// REQUIRES: valid UTF-8. (Otherwise each invalid byte counts as 1 column; it
// never fails or reads past the end.)
std::size_t display_width(std::string_view utf8);

// `text` cut on a code point boundary so that it takes at most `columns`
// terminal columns, with "…" (one column) marking the cut; `text` itself when
// it fits. Used for token labels, so that a 100,000-letter word stays one cell.
// REQUIRES: columns ≥ 1. Linear in the length of `text`.
std::string elide(std::string_view text, std::size_t columns);

}  // namespace attn
