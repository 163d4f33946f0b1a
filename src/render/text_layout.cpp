// Text laid out in terminal columns: numbers, padding, paragraphs, grids and
// blocks side by side. Nothing here knows what the text is about.
#include "attn/render/text_layout.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <fmt/format.h>

#include "attn/util/echo.hpp"
#include "attn/util/fixed_number.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

namespace {

// The unbreakable space of glue(): it prints as a space.
constexpr char kGlue = '\x01';

std::string unglue(std::string text) {
  std::replace(text.begin(), text.end(), kGlue, ' ');
  return text;
}

}  // namespace

std::string format_number(float value, int precision) {
  if (precision >= 0 && precision <= 9) {
    char text[kFixedChars];
    return std::string(text, write_fixed(text, value, precision));
  }
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  std::string s = fmt::format("{:.{}f}", value, precision);
  // "-0.0000" is a rounding artefact: a learner would read a sign that is not there.
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

std::vector<std::string> dim_labels(std::size_t count) {
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < count; ++i) labels.push_back(fmt::format("d{}", i));
  return labels;
}

std::string fit_label(std::string_view token) { return elide(display_escape(token), kMaxLabelWidth); }

std::string pad_left(const std::string& s, std::size_t width) {
  const std::size_t w = display_width(s);
  return w >= width ? s : std::string(width - w, ' ') + s;
}

std::string pad_right(const std::string& s, std::size_t width) {
  const std::size_t w = display_width(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

std::size_t visible_width(const std::string& line) {
  std::string plain;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\x1b') {
      while (i < line.size() && line[i] != 'm') ++i;
      continue;
    }
    plain += line[i];
  }
  return display_width(plain);
}

std::string pad_visible(const std::string& line, std::size_t width) {
  const std::size_t w = visible_width(line);
  return w >= width ? line : line + std::string(width - w, ' ');
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? separator : "") + items[i];
  return out;
}

std::string glue(std::string text) {
  std::replace(text.begin(), text.end(), ' ', kGlue);
  return text;
}

std::string paragraph(const std::string& text, const std::string& lead, std::size_t rest) {
  std::string out, line = lead;
  bool empty = true;
  std::istringstream words(text);
  for (std::string word; words >> word;) {
    word = unglue(word);
    if (!empty && display_width(line) + 1 + display_width(word) > kTextWidth) {
      out += line + "\n";
      line.assign(rest, ' ');
      empty = true;
    }
    line += (empty ? "" : " ") + word;
    empty = false;
  }
  return out + line + "\n";
}

std::string paragraph(const std::string& text, std::size_t first, std::size_t rest) {
  return paragraph(text, std::string(first, ' '), rest);
}

std::string grid(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    if (width.size() < row.size()) width.resize(row.size(), 0);
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], display_width(row[c]));
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line = "  ";
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += c == 0 ? pad_right(row[c], width[c]) : "  " + pad_left(row[c], width[c]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::size_t Block::width() const {
  std::size_t w = 0;
  for (const auto& l : lines) w = std::max(w, visible_width(l));
  return w;
}

std::string side_by_side(const std::vector<Block>& blocks) {
  std::size_t height = 0;
  for (const auto& b : blocks) height = std::max(height, b.lines.size());
  std::string out;
  for (std::size_t i = 0; i < height; ++i) {
    std::string line;
    for (std::size_t k = 0; k < blocks.size(); ++k) {
      const std::string& part = i < blocks[k].lines.size() ? blocks[k].lines[i] : std::string();
      if (k > 0) line += " │";
      line += k + 1 < blocks.size() ? pad_visible(part, blocks[k].width()) : part;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string one_under_the_other(const std::vector<Block>& blocks) {
  std::string out;
  for (std::size_t k = 0; k < blocks.size(); ++k) {
    if (k > 0) out += "\n";
    for (const auto& l : blocks[k].lines) out += l + "\n";
  }
  return out;
}

}  // namespace attn

namespace attn {

std::string percent(float probability) {
  if (std::isnan(probability)) return "nan";  // never "-nan%": the sign of a NaN means nothing
  return fmt::format("{:.3g}%", 100.0 * static_cast<double>(probability));
}

}  // namespace attn
