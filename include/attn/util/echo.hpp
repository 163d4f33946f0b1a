// echo.hpp: the one way text from a user reaches the terminal.
//
// A sentence, a table key or "name", a file name, an option value, a lesson
// id: any of them may hold a newline (which would print a fake second
// "attn-explain: error:" line), a NUL (which would cut a message short), an
// escape sequence (which the terminal would obey), bytes that are not UTF-8,
// or a megabyte of text. Every message, hint and header line that quotes such
// text passes it through printable(), and the CLI passes every error message
// through it once more before printing, so that none of these reaches the
// terminal raw.
//
// Text from data that a renderer shows (a sentence, a token, a next token, a
// piece of a model's vocabulary, a word of a table, any string of a trace read
// back) passes through display_escape(), the same escaping without the cut,
// before it is laid out for the terminal, an HTML page or an SVG picture.
//
// display_escape() promises: the result is valid UTF-8 holding no C0 or C1
// control character, no DEL and no bidirectional control (U+202A-202E,
// U+2066-2069, which would reorder what the reader sees: unicode.hpp); text
// without them is kept as it is, byte for byte; "\n", "\r", "\t" and "\0" are
// written as those two characters, any other C0 control, DEL or byte that is
// not UTF-8 as \xNN, a C1 or bidirectional control as \uNNNN ("\u0085",
// "\u202E"): visible, and inert in a terminal, in HTML and in XML.
// printable() promises the same, and a result longer than `limit` bytes keeps
// its beginning and its end (about two thirds and one third of `limit`) around
// " … ", cut only between whole characters.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace attn {

// The widest a quoted name (a token, a key, an id, an option value) is shown.
inline constexpr std::size_t kQuotedNameBytes = 80;

// The widest one printed line of a message is, user text included.
inline constexpr std::size_t kMessageLineBytes = 1000;

// `text` with every character that would act instead of showing escaped (see above).
std::string display_escape(std::string_view text);

// REQUIRES: limit ≥ 16.
std::string printable(std::string_view text, std::size_t limit = kQuotedNameBytes);

// A text of several lines (a hint): each line through printable(line, limit),
// joined by "\n" again.
std::string printable_lines(std::string_view text, std::size_t limit = kMessageLineBytes);

}  // namespace attn
