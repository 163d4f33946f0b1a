// text_layout.hpp: plain text laid out for a terminal, whatever it says.
//
// The renderers build their pages from these pieces: numbers as text, text
// padded to a number of terminal columns, labels cut to a cell, lines wrapped
// into a paragraph, small tables of strings, and blocks of lines placed side by
// side (or one under the other when that would be too wide). None of them knows
// about attention; they take strings and numbers and return strings.
//
// Promises:
//   - Widths are terminal columns (display_width), not bytes, so any script
//     lines up; colour escapes (ESC [ … m) take no column where a function says
//     it reads "visible" width.
//   - Lines are laid out for a terminal of kTextWidth columns.
//   - Nothing here fails: any string and any float (nan, inf) is accepted.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace attn {

// The terminal the renderers lay their text out for, in columns.
inline constexpr std::size_t kTextWidth = 100;

// Tokens used as labels (of rows, columns, bars) are cut to this many columns.
inline constexpr std::size_t kMaxLabelWidth = 14;

// ---- numbers and labels

// A value at `precision` decimals, never "-0.0000"; non-finite as "nan"/"inf"/"-inf".
std::string format_number(float value, int precision);

// Labels d0, d1, … for `count` dimensions.
std::vector<std::string> dim_labels(std::size_t count);

// `token` shown (display_escape(): no control or bidirectional character acts)
// and cut with "…" to at most kMaxLabelWidth columns.
std::string fit_label(std::string_view token);

// ---- padding

// `text` padded with spaces to `width` terminal columns (unchanged when wider).
std::string pad_left(const std::string& text, std::size_t width);
std::string pad_right(const std::string& text, std::size_t width);

// Terminal columns of a line that may hold colour escapes (ESC [ … m take none).
std::size_t visible_width(const std::string& line);

// `line` padded on the right to `width` visible columns.
std::string pad_visible(const std::string& line, std::size_t width);

// ---- lines and words

// The lines of `text`, without their "\n".
std::vector<std::string> lines_of(const std::string& text);

// `items` joined with `separator` between them.
std::string join(const std::vector<std::string>& items, const std::string& separator);

// `text` with its spaces made unbreakable: paragraph() prints them as spaces but
// never wraps there, so a short formula such as "exp(x − m)" stays on one line.
std::string glue(std::string text);

// `text` as lines of at most kTextWidth columns (a longer word stays whole on
// its own line): the first starts with `lead`, the others with `rest` spaces.
// Ends with "\n".
std::string paragraph(const std::string& text, const std::string& lead, std::size_t rest);
// The same with `first` spaces as the lead.
std::string paragraph(const std::string& text, std::size_t first, std::size_t rest);

// A probability as a percentage to three significant digits: "23.1%", "0.312%",
// "0.00213%" (so that a small one does not read as 0.0%); NaN as "nan".
std::string percent(float probability);

// A plain table of strings, each line indented by two spaces: the first column
// left-aligned, the others right-aligned, two spaces between columns, no
// trailing spaces. Rows may have different lengths.
std::string grid(const std::vector<std::vector<std::string>>& rows);

// ---- blocks

// A block of lines printed as a unit (say a caption, then a table).
struct Block {
  std::vector<std::string> lines;
  std::size_t width() const;  // the widest line's visible width
};

// Blocks next to each other, line by line, separated by " │" (each but the
// last padded to its width; trailing spaces dropped).
std::string side_by_side(const std::vector<Block>& blocks);

// Blocks one after the other, separated by an empty line.
std::string one_under_the_other(const std::vector<Block>& blocks);

// `make(labelled)` builds the blocks, where labelled(k) says whether block k
// carries the row labels. Side by side only the first does; if that is wider
// than kTextWidth, every block does and they go one under the other.
template <typename Make>
std::string arrange(Make make) {
  const std::vector<Block> beside = make([](std::size_t k) { return k == 0; });
  std::size_t width = 0;
  for (const Block& b : beside) width += b.width() + 2;
  if (width <= kTextWidth) return side_by_side(beside);
  return one_under_the_other(make([](std::size_t) { return true; }));
}

}  // namespace attn
