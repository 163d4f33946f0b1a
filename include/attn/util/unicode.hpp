// unicode.hpp: UTF-8 text as the tokenizer and a terminal see it: strict
// decoding, the character classes that decide where tokens break, and the
// number of columns a string takes (for aligning tables and cutting labels).
//
// The character properties come from the installed utf8proc (Unicode 15.0 with
// Debian 12's utf8proc 2.8; tests/tokenizer_test.cpp pins that version, since
// another Unicode version can split and measure some text differently):
// General_Category for the classes, its East_Asian_Width-based character width
// and the grapheme cluster rules of UAX #29 for the columns. What utf8proc does
// not hold is decided here, each with its reason in unicode.cpp: emoji skin
// tones (Emoji_Modifier), U+00AD SOFT HYPHEN drawn as a visible hyphen, and
// unassigned code points where Unicode already fixes what later characters will
// be (emoji blocks, ideographic planes), so that newer emoji measure right.
//
// Promises:
//   - Decoding refuses invalid UTF-8 exactly: a byte that cannot start a
//     sequence, a sequence cut short, an overlong form, a surrogate, anything
//     above U+10FFFF. It never reads past the end of the view.
//   - Every function takes linear time in the length of its text and never fails.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace attn {

// A decoded code point: its value and length in bytes; len 0 when the bytes
// are not valid UTF-8 (then cp is 0).
struct CodePoint {
  char32_t cp;
  std::size_t len;
};

// The code point at utf8[i].
// REQUIRES: i < utf8.size(). Reads nothing past utf8.size().
CodePoint decode_utf8(std::string_view utf8, std::size_t i);

// The Unicode version of the character data in use ("15.0.0"): utf8proc's.
const char* unicode_version();

// The byte offset of the first byte of `text` that is not valid UTF-8 (as
// decode_utf8() judges it), or nothing when all of it is.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

// What a code point is to the tokenizer.
enum class CharClass : unsigned char {
  word,      // letters and digits of any script, and whatever no other class claims
             // (unassigned and private-use code points, U+00AD soft hyphen)
  punct,     // punctuation (General_Category P*)
  symbol,    // symbols and emoji (S*; unassigned code points of the emoji blocks)
  extend,    // combining marks (M*), joiners, variation selectors, other format
             // characters (Cf): they belong to the character before
  modifier,  // emoji skin tones U+1F3FB-1F3FF
  regional,  // regional indicators U+1F1E6-1F1FF: two make a flag
  space,     // white space: ASCII \t \n \v \f \r and space, Zs, Zl, Zp
  control,   // C0 and C1 controls (other than white space) and U+007F
};

// The class of `cp`. REQUIRES: cp ≤ U+10FFFF and not a surrogate.
CharClass char_class(char32_t cp);

inline constexpr char32_t kZeroWidthJoiner = 0x200D;

// The bidirectional embedding, override and isolate controls (U+202A-202E,
// U+2066-2069; Unicode's Bidi_Control property less the marks LRM, RLM and
// ALM). A terminal or a browser obeys them: they reorder the text after them on
// screen, so that what a reader sees is not what the text says. The marks
// (U+200E, U+200F, U+061C) do not, and stay legitimate in right-to-left text.
inline constexpr bool is_bidi_control(char32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

// Number of terminal columns the UTF-8 string takes (for aligning tables):
// ASCII 1; combining marks, zero-width joiner, variation selectors and other
// invisible format characters 0; East Asian Wide and Fullwidth characters (CJK,
// Hangul, kana, fullwidth forms) and emoji 2. A Hangul syllable spelled with
// conjoining jamo is one syllable, 2. An emoji sequence (with a skin tone,
// U+FE0F, or zero-width joiners) counts as the one glyph it shows as; a flag
// (two regional indicators) is 2. Controls, tab and line breaks take none.
// REQUIRES: valid UTF-8. (Otherwise each invalid byte counts as 1 column; it
// never fails or reads past the end.)
std::size_t display_width(std::string_view utf8);

// `text` cut on a code point boundary so that it takes at most `columns`
// terminal columns, with "…" (one column) marking the cut; `text` itself when
// it fits. Used for token labels, so that a 100,000-letter word stays one cell.
// REQUIRES: columns ≥ 1. Linear in the length of `text`.
std::string elide(std::string_view text, std::size_t columns);

}  // namespace attn
