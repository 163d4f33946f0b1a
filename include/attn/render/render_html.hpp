// render_html.hpp: a run, or a whole lesson, as one self-contained HTML page.
//
// render_html_report() draws a Trace as a page a browser opens offline: the
// run's header (sentence, tokens, table, projection, scaling, heads, ...) as
// the terminal prints it; the attention weights of every head as a heatmap and
// as a line view (tokens in two columns, a line from each query to each key,
// its opacity the weight); then every stage the Trace holds as a labelled
// table whose cells are shaded by colour_scale.hpp, numbers at the options'
// precision, the largest weight of each row in bold and outlined. Pointing at
// (or focusing) a score or weight cell shows its arithmetic: q · k term by
// term, the scaling, the exponential, the row sum, the division, as the focus
// view spells it. render_html_lesson() draws a lesson the same way, step after
// step, each with its narration.
//
// Promises:
//   - The page is one file: the template, the style and the script are the
//     data files data/html/report.{html,css,js}, put inline; it refers to no
//     other file and no address (its Content-Security-Policy forbids every
//     request but data: images), so it works offline and sends nothing.
//   - Every number and picture is in the HTML itself: with JavaScript off the
//     page shows everything but the interactions (popups, selecting a token).
//   - It only reads the Trace (and the numbers of normalise_row(), the one
//     softmax, for the exponentials and row sums the popups show); it computes
//     no attention. Every text from a user (tokens, the sentence, a table's
//     name, a lesson's lines) is escaped (printable(), then HTML).
//   - Long inputs stay usable: a matrix wider than kHtmlTableColumns columns
//     (or of more than kHtmlTableCells cells) is drawn as a heatmap picture
//     whose numbers show on pointing or keyboard focus, and the line view of
//     more than kHtmlAllLines tokens draws each token's strongest keys. The
//     page grows with the numbers it holds (each once as text, once as a pixel).
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "attn/trace.hpp"
#include "attn/teach/explanations.hpp"
#include "attn/teach/lesson.hpp"
#include "attn/stage.hpp"
#include "attn/util/text_sink.hpp"

namespace attn {

inline constexpr std::size_t kHtmlTableColumns = 32;
inline constexpr std::size_t kHtmlTableCells = 16384;
inline constexpr std::size_t kHtmlAllLines = 48;

// The page's template, style and script (data/html/).
struct HtmlAssets {
  std::string page;  // report.html: holds {{title}}, {{css}}, {{body}}, {{data}}, {{js}} once each,
                     // and {{script_hash}} at most once
  std::string css;   // report.css
  std::string js;    // report.js
  // csp_script_hash() (digest.hpp) of the text of the <script> element that holds
  // {{js}}, as a page has it: what {{script_hash}}, in the page's policy, is filled
  // with, so that the page runs that script and no other (serve's policy names it
  // too). Empty when {{js}} is not alone in a <script> element.
  std::string script_hash;
};

// The bundled assets, found with find_data_file(). Throws DataError naming
// the file when one is missing, the template lacks a placeholder, or it holds
// {{script_hash}} and {{js}} is not alone in a <script> element.
HtmlAssets load_html_assets();

// The same from three texts (tests); `source` names the template in errors.
HtmlAssets html_assets(std::string page, std::string css, std::string js, const std::string& source = "report.html");

struct HtmlOptions {
  int precision = 4;                      // REQUIRES: 0 ≤ precision ≤ 9
  const Explanations* explain = nullptr;  // notes beside each stage, or none
  std::set<Stage> stages;                 // the stages whose tables to draw; empty: all
  std::optional<std::size_t> focus_row;   // a token to follow: its arithmetic, and its row selected
  std::optional<std::size_t> head;        // --head: the page shows this head only (from 0), as the terminal does
};

std::string render_html_report(const Trace& trace, const HtmlOptions& options, const HtmlAssets& assets);

// The same page, handed to `sink` in pieces as it is drawn (text_sink.hpp): the
// stages one section at a time, the numbers a matrix row at a time, so a
// 2,048-token page (some 150 MB) is written holding little more than its Trace.
// The pieces add up to render_html_report()'s string, byte for byte.
void write_html_report(const Trace& trace, const HtmlOptions& options, const HtmlAssets& assets, const TextSink& sink);

// REQUIRES: runs is run_lesson(lesson). options.stages and focus_row are not
// read: each step says what it shows.
std::string render_html_lesson(const Lesson& lesson, const std::vector<StepRun>& runs, const HtmlOptions& options,
                               const HtmlAssets& assets);

}  // namespace attn
