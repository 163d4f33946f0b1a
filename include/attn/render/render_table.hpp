// render_table.hpp: the Trace as the labelled tables a learner reads.
//
// render_sections() turns a Trace into a header (sentence, tokens, table,
// projection, seed, scaling, ...) followed by one section per stage, in the
// tutorials' order: embeddings X, the weight matrices, Q, K, V, scores
// ω = Q·Kᵀ, scaled scores ω/√d_k, the causal mask, weights α = softmax(...),
// dropout, context vectors z = α·V, and for several heads their concatenation
// and out_proj. Each section's title carries its formula. Token names label
// the rows (and the columns of n × n matrices); d0 d1 … label dimensions.
// Numbers are shown to `precision` decimals; columns line up in terminal
// columns, whatever script the tokens are written in. It only reads the Trace.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "attn/matrix.hpp"
#include "attn/teach/explanations.hpp"
#include "attn/parameter_count.hpp"
#include "attn/render/render_header.hpp"  // render_header(), the first section
#include "attn/stage.hpp"
#include "attn/render/style.hpp"
#include "attn/util/text_sink.hpp"
#include "attn/render/text_layout.hpp"  // format_number, dim_labels, pad_left, pad_right
#include "attn/trace.hpp"

namespace attn {

struct RenderOptions {
  int precision = 4;            // REQUIRES: 0 ≤ precision ≤ 9
  bool color = false;           // shade cells, bold each row's largest weight
  std::set<Stage> stages;       // stages to print; empty means all
  // Plain-words explanation printed under a stage's title (--explain): stage → lines.
  const Explanations* explain = nullptr;
  // The terminal's width in columns: a table wider than this prints in blocks of
  // columns, each with the row labels again. 0: no limit (a pipe or a file).
  std::size_t width = 0;
  // --head: only this head's sections (from 0); nothing: every head's.
  std::optional<std::size_t> head;
};

// Default options with `precision` decimals.
inline RenderOptions with_precision(int precision) {
  RenderOptions options;
  options.precision = precision;
  return options;
}

struct Section {
  std::optional<Stage> stage;  // nothing for the header (and for the CLI's focus section)
  std::string text;
};

std::vector<Section> render_sections(const Trace& trace, const RenderOptions& options);

// Where streamed tables go: begin() opens each section (the header first, its
// stage nothing), then write() receives its text in pieces (a piece ends after
// a matrix row) until the next begin(). The sections and their text are those
// render_sections() returns, byte for byte.
struct SectionSink {
  std::function<void(std::optional<Stage>)> begin;
  TextSink write;
};

// The sections written as they are made: besides the Trace the run holds one
// piece of text (about 64 KiB) and one row of a table, never a whole table.
void write_sections(const Trace& trace, const RenderOptions& options, const SectionSink& sink);

// All sections, joined.
std::string render_walkthrough(const Trace& trace, const RenderOptions& options);

// One matrix as an aligned table. REQUIRES: row_labels.size() == m.rows,
// col_labels.size() == m.cols.
struct TableStyle {
  bool color = false;
  Shade shade = Shade::none;
  bool bold_row_max = false;
  std::size_t width = 0;  // as RenderOptions::width: wider tables print in blocks of columns
};
std::string render_matrix(const Matrix& m, const std::vector<std::string>& row_labels,
                          const std::vector<std::string>& col_labels, int precision, const TableStyle& style = {});

// What the weights normalise, "ω / √d_k" or "ω", and the weights' formula by the
// run's softmax ("α = softmax(ω / √d_k), row by row"), as the titles say them.
std::string normalised_thing(const Settings& settings);
std::string weights_title(const Settings& settings);

// Whether every table the options print (their stages, their head) fits
// `options.width` columns (always, when it is 0): when not, some print in blocks of columns.
bool tables_fit(const Trace& trace, const RenderOptions& options);

// The parameter count of `attn-explain params`, one part a line, then the total.
std::string render_parameter_count(const ParameterCount& count, std::uint64_t d_in, std::uint64_t d_out,
                                   std::uint64_t heads, Multihead multihead);

}  // namespace attn
