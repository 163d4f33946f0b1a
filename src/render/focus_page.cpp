// The focus walkthrough's page: numbers as text, lines, titles, and sums
// spelled out term by term, wrapped and shortened to fit a terminal.
#include "focus_page.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "printed_arithmetic.hpp"
#include "attn/render/style.hpp"
#include "attn/render/text_layout.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

std::vector<std::string> shortened(const std::vector<std::string>& pieces) {
  if (pieces.size() <= kMaxTerms) return pieces;
  std::vector<std::string> shown(pieces.begin(), pieces.begin() + kShownHead);
  shown.push_back("…");
  shown.push_back(pieces.back());
  return shown;
}

std::string term_count(std::size_t terms) {
  return terms > kMaxTerms ? fmt::format("  ({} terms)", terms) : std::string();
}

std::string factor_text(float v, int precision) {
  std::string s = format_number(v, precision);
  if (std::isfinite(v) && s.find('.') != std::string::npos) {
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') s.pop_back();
    if (s == "-0") s = "0";
  }
  return s[0] == '-' ? "(" + s + ")" : s;
}

FocusPage::FocusPage(const Trace& followed, std::size_t row, const FocusOptions& options)
    : trace(followed), i(row), precision_(options.precision), color_(options.color) {
  for (const auto& token : followed.tokens) labels_.push_back(fit_label(token));
  for (const auto& label : labels_) label_width_ = std::max(label_width_, display_width(label));
}

std::string FocusPage::num(float v) const { return format_number(v, precision_); }

std::string FocusPage::factor(float v) const { return factor_text(v, precision_); }

std::string FocusPage::product(float a, float b) const { return factor(a) + "×" + factor(b); }

std::string FocusPage::quoted(std::size_t j) const { return "\"" + labels_[j] + "\""; }

std::string FocusPage::label(std::size_t j) const { return pad_right(labels_[j], label_width_); }

std::string FocusPage::note(const std::string& text) const { return dim(text, color_); }

std::string FocusPage::strong(const std::string& text) const { return bold(text, color_); }

std::string FocusPage::vec(const std::vector<float>& values) const {
  std::vector<std::string> items;
  for (float v : values) items.push_back(num(v));
  const std::vector<std::string> shown = shortened(items);
  std::string s = "[";
  for (std::size_t k = 0; k < shown.size(); ++k) s += (k ? ", " : "") + shown[k];
  s += "]";
  if (items.size() > kMaxTerms) s += note(fmt::format("  ({} values)", items.size()));
  return s;
}

void FocusPage::text(const std::string& raw) { out_ += raw; }

void FocusPage::title(const std::string& text) { out_ += fmt::format("\n{}. {}\n", ++step_, strong(text)); }

void FocusPage::line(const std::string& text) {
  out_ += "  " + text + "\n";
  after_line();
}

void FocusPage::explain(const std::string& text) { out_ += "  " + note(text) + "\n"; }

std::string FocusPage::equals(std::optional<bool> holds) {
  if (holds.value_or(true)) return " = ";
  if (!rounding_explained_) rounding_pending_ = true;
  return " ≈ ";
}

void FocusPage::after_line() {
  if (!rounding_pending_ || in_block_) return;
  rounding_pending_ = false;
  rounding_explained_ = true;
  explain(fmt::format("≈: every number shown is rounded to {} decimals, while the engine works with the unrounded",
                      precision_));
  explain("values; rounded, the two sides can differ in the last decimal.");
}

void FocusPage::spell(const std::string& prefix, const std::vector<std::string>& pieces, const std::string& result) {
  const std::vector<std::string> shown = shortened(pieces);
  const std::string count = term_count(pieces.size());
  const std::size_t start = display_width(prefix) + 2;
  const std::size_t indent = start <= 40 ? start : 8;
  std::string current = "  " + prefix;
  auto add = [&](const std::string& joiner, const std::string& piece) {
    if (display_width(current) + display_width(joiner) + display_width(piece) > kTextWidth &&
        display_width(current) > indent) {
      out_ += current + "\n";
      current = std::string(indent - 2, ' ') + joiner.substr(1) + piece;  // the joiner without its leading space
    } else {
      current += joiner + piece;
    }
  };
  for (std::size_t k = 0; k < shown.size(); ++k) {
    if (k == 0) current += shown[k];
    else add(" + ", shown[k]);
  }
  add(equals(sum_holds(pieces, result)), result);
  if (display_width(current) + display_width(count) > kTextWidth) {
    out_ += current + "\n";
    current = std::string(indent, ' ') + note(count.substr(2));
  } else {
    current += note(count);
  }
  out_ += current + "\n";
  after_line();
}

void FocusPage::spell_all(const std::vector<Sum>& sums, const std::string& gap) {
  std::vector<std::string> joined;
  std::size_t label_width = 0, width = 0;
  for (const Sum& sum : sums) {
    std::string text;
    for (const std::string& piece : shortened(sum.pieces)) text += (text.empty() ? "" : " + ") + piece;
    joined.push_back(text);
    width = std::max(width, display_width(text));
    label_width = std::max(label_width, display_width(sum.label));
  }
  bool fits = true;
  for (const Sum& sum : sums) {
    fits = fits && 2 + label_width + 3 + width + 3 + display_width(sum.result) +
                           display_width(term_count(sum.pieces.size())) <=
                       kTextWidth;
  }
  in_block_ = true;  // a block of sums stays together; the rounding note comes after it
  for (std::size_t k = 0; k < sums.size(); ++k) {
    if (!gap.empty() && k == kShownHead) explain(gap);
    if (fits) {
      line(pad_right(sums[k].label, label_width) + " = " + pad_right(joined[k], width) +
           equals(sum_holds(sums[k].pieces, sums[k].result)) + sums[k].result + note(term_count(sums[k].pieces.size())));
    } else {
      spell(pad_right(sums[k].label, label_width) + " = ", sums[k].pieces, sums[k].result);
    }
  }
  in_block_ = false;
  after_line();
}

void FocusPage::spell_components(const std::vector<Sum>& sums, std::size_t count) {
  spell_all(sums, count <= kMaxTerms ? std::string()
                                     : fmt::format("…  ({} more components, each spelled the same way)",
                                                   count - kShownHead - 1));
}

std::vector<std::size_t> spelled_components(std::size_t count) {
  std::vector<std::size_t> shown;
  for (std::size_t c = 0; c < count; ++c)
    if (count <= kMaxTerms || c < kShownHead || c + 1 == count) shown.push_back(c);
  return shown;
}

}  // namespace attn
