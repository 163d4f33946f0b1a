// run_plan.hpp: one run, resolved once from its options (ripgrep's LowArgs → HiArgs).
//
// A run's options arrive as text, key → value (RawOptions), from the command line
// (after CLI11 has parsed argv) or from a browser's query. Keys are the long
// options' names without the dashes ("heads", "d-out", "layer"); a flag's value is
// "true"; the sentence is the key "sentence" and a saved trace (render) "trace".
// resolve_run() and resolve_render() turn them, once, into a plan: what to compute
// (a table run's Request or a model's ModelRequest), the outputs to write, and how
// to show the tables (the View). Every later step reads only the plan; no option's
// text is converted anywhere else.
//
// Promises:
//   - Every value is checked as the command line checks it (option_values.hpp);
//     a bad value, an unknown or repeated key, two keys that exclude each other, or
//     a key that does not apply (--layer without --model, --heads with it) throws
//     OptionError naming the key, with the command line's own message
//     ("--heads: expected a whole number from 1 to 256, got \"0\"").
//   - It computes nothing and reads one file at most: data/explain.json, when
//     "explain" asks for the notes (View::explanations, loaded once).
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "attn/util/error.hpp"
#include "attn/explorer.hpp"
#include "attn/model.hpp"
#include "attn/word_vectors.hpp"
#include "attn/compare.hpp"
#include "attn/teach/explanations.hpp"
#include "attn/stage.hpp"

namespace attn {

// A run's options as text, in the order given.
using RawOptions = std::vector<std::pair<std::string, std::string>>;

// A bad option: a UsageError whose key() (error.hpp) is the option's key, its
// message written with the option's name as the command line spells it.
class OptionError : public UsageError {
 public:
  OptionError(std::string key, const std::string& message, const std::string& hint = "");
};

// Where the tables are shown: whether stdout is a terminal, whether NO_COLOR is
// set (and not empty), and the terminal's width ($COLUMNS, else the window's; 0: unknown).
struct Terminal {
  bool is_terminal = false;
  bool no_color = false;
  std::size_t columns = 0;
};

// The files a run writes (empty: not asked; "-" or /dev/stdout: standard output).
struct RunOutputs {
  std::string trace_file;
  std::string svg_file;
  std::string html_file;
  bool json = false;    // the trace on stdout
  bool tables = true;   // the tables on stdout: neither --json nor an output file is there
  bool any_file_on_stdout() const;
};

// How a trace is shown: the tables, the focus view and the pictures.
struct View {
  std::set<Stage> stages;            // --stages; empty: every stage (a model: its head's own)
  bool stages_given = false;         // --stages was given
  std::optional<std::string> focus;  // --focus: a token's text or 1-based position
  std::optional<std::size_t> head;   // --head: from 1
  int precision = 4;
  bool color = false;                // --color resolved against the terminal and NO_COLOR
  std::size_t width = 0;             // the columns the tables must fit; 0: no limit
  bool step = false;                 // pause between sections (on a terminal)
  std::optional<Explanations> explanations;  // --explain: the notes, loaded once
};

// The explorer's run: attn-explain [options] SENTENCE.
struct RunPlan {
  std::variant<Request, ModelRequest> compute;  // what to compute (the request holds the sentence)
  std::string model;                    // with a ModelRequest: the model's folder or bundled name
  std::string snapshot;                 // with a ModelRequest: --snapshot (a step, first, last, list); empty: the final weights
  std::string embeddings;               // with a Request: the --embeddings file; empty: default.json
  VectorFormat format = VectorFormat::automatic;  // of the --embeddings file
  std::optional<Comparison> compare;    // --compare: side by side instead of one trace
  RunOutputs outputs;
  View view;
};

// attn-explain render TRACE.json: a saved trace drawn again.
struct RenderPlan {
  std::string trace_file;
  RunOutputs outputs;  // svg and html only; the tables unless one is asked
  View view;
};

// Throws OptionError (see the promises above).
RunPlan resolve_run(const RawOptions& options, const Terminal& terminal);
RenderPlan resolve_render(const RawOptions& options, const Terminal& terminal);

// --color's value against the terminal: "always", or "auto" on a terminal without NO_COLOR (style.hpp).
// REQUIRES: mode is one of kColorNames.
bool color_for(const std::string& mode, const Terminal& terminal);

// The stages of a --stages list; every stage (an empty set) for "".
// REQUIRES: stage_list_problem(list) is "".
std::set<Stage> stages_in(const std::string& list);

}  // namespace attn
