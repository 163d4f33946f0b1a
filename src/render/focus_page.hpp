// focus_page.hpp: the page the focus walkthrough (render_focus.hpp) is written
// on, and the ways it lays arithmetic out.
//
// A FocusPage is bound to one Trace and one query row i. The stage writers
// (focus_query.hpp, focus_normalisation.hpp, focus_context.hpp) add to it with
// numbered titles, indented lines, dim explanations, and spelled-out sums
// ("label = a×b + c×d + … = result"); take() returns the text.
//
// Promises (those of render_focus.hpp):
//   - Every number goes through format_number() at the page's precision;
//     factors inside a sum drop trailing zeros and put a negative value in
//     parentheses (0.55×(-0.1)).
//   - A sum or a vector of more than kMaxTerms items shows the first
//     kShownHead, "…", the last, and says how many there are.
//   - Lines stay within kTextWidth columns where practical: a long sum wraps,
//     its continuation lines starting with "+" under the first term.
//   - Token labels are cut to kMaxLabelWidth columns and padded to a common
//     width in terminal columns.
//   - With color off the text holds no escape code.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "attn/matrix.hpp"
#include "attn/trace.hpp"
#include "attn/render/render_focus.hpp"

namespace attn {

// Longer sums and vectors are shortened ...
inline constexpr std::size_t kMaxTerms = 8;
// ... to their first kShownHead items, "…", and the last.
inline constexpr std::size_t kShownHead = 3;

// One line of a block of sums: "label = pieces joined by + = result".
struct Sum {
  std::string label;
  std::vector<std::string> pieces;
  std::string result;
};

class FocusPage {
 public:
  // REQUIRES: row < trace.tokens.size(); the trace outlives the page.
  FocusPage(const Trace& trace, std::size_t row, const FocusOptions& options);

  const Trace& trace;   // the run being followed
  const std::size_t i;  // the query row

  // ---- numbers and pieces of text (nothing is written)

  int precision() const { return precision_; }        // the decimals every number is shown to
  std::string num(float v) const;                     // format_number at the page's precision
  std::string factor(float v) const;                  // a factor inside a sum: 0.55, (-0.1)
  std::string product(float a, float b) const;        // "a×b" of two factors
  std::string quoted(std::size_t j) const;            // token j's label in quotes
  std::string label(std::size_t j) const;             // token j's label padded to the common width
  std::string note(const std::string& text) const;    // dim when colour is on
  std::string strong(const std::string& text) const;  // bold when colour is on
  // [a, b, c], or [a, b, c, …, z] followed by its length when long.
  std::string vec(const std::vector<float>& values) const;

  // ---- writing

  void text(const std::string& raw);      // appended as it is
  void title(const std::string& text);    // "\n<step>. <text>\n", the step counted per head
  void line(const std::string& text);     // "  <text>\n"
  void explain(const std::string& text);  // "  <note>\n"
  void start_head() { step_ = 0; }        // number the next head's titles from 1 again

  // " = " when the arithmetic of a line holds for its numbers as printed (or
  // cannot be checked), " ≈ " when it holds only before rounding. The first
  // "≈" of a page is followed, after its line, by a note saying why.
  std::string equals(std::optional<bool> holds);

  // "prefix a + b + … + z = result  (N terms)", wrapped at kTextWidth; "≈"
  // instead of "=" when the printed terms do not add up to the printed result.
  void spell(const std::string& prefix, const std::vector<std::string>& pieces, const std::string& result);

  // A block of sums, one a line. When every one fits on a line the labels and
  // the "=" line up; otherwise each is spelled (and wrapped) on its own. `gap`,
  // when not empty, is a note after the first kShownHead sums.
  void spell_all(const std::vector<Sum>& sums, const std::string& gap = {});

  // The sums of spelled_components(count), with a line for the components left out.
  void spell_components(const std::vector<Sum>& sums, std::size_t count);

  // The text written so far; the page is left empty.
  std::string take() {
    std::string text = std::move(out_);
    out_.clear();
    return text;
  }

 private:
  void after_line();  // the rounding note, once, after the line that first needed it

  int precision_;
  bool color_;
  bool rounding_pending_ = false, rounding_explained_ = false, in_block_ = false;
  std::vector<std::string> labels_;  // the tokens cut to kMaxLabelWidth
  std::size_t label_width_ = 0;
  int step_ = 0;
  std::string out_;
};


// A factor inside a sum at `precision` decimals: trailing zeros dropped, a
// negative value in parentheses (0.55, (-0.1)).
std::string factor_text(float v, int precision);

// The pieces of a sum as shown: all of them, or, when there are more than
// kMaxTerms, the first kShownHead, "…" and the last.
std::vector<std::string> shortened(const std::vector<std::string>& pieces);

// "  (N terms)" after a shortened sum of N pieces, else nothing.
std::string term_count(std::size_t terms);

// The components to spell out of `count`: all of them, or the first
// kShownHead and the last when there are more than kMaxTerms.
std::vector<std::size_t> spelled_components(std::size_t count);

}  // namespace attn
