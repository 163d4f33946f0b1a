// show_trace.hpp: a trace's outputs, all made before any is written, then written and shown.
//
// The end of a run and of `render`: make_outputs() draws everything the plan's
// outputs and view ask for (the tables, the SVG; the HTML page's options and its
// template, style and script checked and loaded), so that a failure (a --focus
// that names no token, a --head the run does not have, a view of one layer asked
// of a --layer all trace, a damaged page template) leaves every file as it was
// and stdout empty; write_outputs() then writes the files (the JSON trace and the
// HTML page streamed as they are drawn) and show() prints the tables. The --focus token and the --head
// are looked up once, for the tables and the page alike.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "attn/trace.hpp"
#include "attn/render/render_table.hpp"
#include "attn/util/text_sink.hpp"
#include "run_plan.hpp"

namespace attn {

// A run's tables, checked and laid out before anything is written.
struct Tables {
  std::optional<std::string> summary;  // a --layer all trace: the model's summary, the only section
  RenderOptions options;               // (its explain points into the View's explanations)
  bool header_only = false;            // --focus without --stages: the header, then the focus
  std::optional<std::string> focus;    // the --focus section
  std::string width_note;              // when some tables print in blocks of columns
};

// Everything a trace's outputs need, made.
struct MadeOutputs {
  Tables tables;     // when outputs.tables
  std::string svg;   // when outputs.svg_file
  // When outputs.html_file: draws the page into a sink, in pieces (an empty function otherwise).
  std::function<void(const TextSink&)> html;

  // The page as one string (serve's answers).
  std::string html_text() const;
};

// REQUIRES: `view` outlives the result (its explanations are pointed at).
// Throws UsageError for a --focus, --head or one-layer view the trace cannot give.
MadeOutputs make_outputs(const Trace& trace, const RunOutputs& outputs, const View& view);

// Writes the --trace, --svg and --html files ("-" on stdout): each into a temporary
// file beside it, then the one on stdout, then all renamed into place, so that one
// that cannot be written leaves the others as they were too (StagedFile,
// atomic_file.hpp). Only a rename that fails after another succeeded (the folder
// gone meanwhile) leaves some replaced.
void write_outputs(const Trace& trace, const RunOutputs& outputs, const MadeOutputs& made);

// The tables on stdout: straight through, or one section at a time with `step`
// on a terminal (the pager pauses before each section but the first).
void show(const Trace& trace, const Tables& tables, const View& view);

}  // namespace attn
