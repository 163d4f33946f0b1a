#include "cli_run.hpp"
#include "cli_timeline.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "attn/util/error.hpp"
#include "attn/explorer.hpp"
#include "attn/model.hpp"
#include "attn/word_vectors.hpp"
#include "attn/compare.hpp"
#include "attn/util/data_dir.hpp"
#include "attn/util/echo.hpp"
#include "attn/util/unicode.hpp"
#include "output.hpp"
#include "output_checks.hpp"
#include "progress_bar.hpp"
#include "attn/render/render_compare.hpp"
#include "run_notes.hpp"
#include "sentence_input.hpp"
#include "show_trace.hpp"
#include "attn/render/token_labels.hpp"
#include "attn/trace_json.hpp"
#include "attn/trace_read.hpp"

namespace attn {

namespace {

constexpr const char* kProgram = "attn-explain";

void print_notes(const std::vector<std::string>& notes) {
  for (const std::string& note : notes) std::fputs(fmt::format("{}: note: {}\n", kProgram, note).c_str(), stderr);
}

OutputFiles output_files(const RunOutputs& o) {
  return {{"--trace", o.trace_file}, {"--svg", o.svg_file}, {"--html", o.html_file}};
}

// The words of a note (unknown words, words split into pieces): at most 8, each
// cut to 20 columns, then "and N more", so a pasted paragraph gives one short line.
std::string named_words(const std::vector<std::string>& words, bool quoted) {
  constexpr std::size_t kNamed = 8;
  std::string list;
  for (std::size_t i = 0; i < words.size() && i < kNamed; ++i) {
    const std::string word = elide(words[i], 20);
    list += fmt::format("{}{}", i == 0 ? "" : ", ", quoted ? "\"" + word + "\"" : word);
  }
  if (words.size() > kNamed) list += fmt::format(" and {} more", words.size() - kNamed);
  return list;
}

// Makes what a run asks for, writes it, then shows it: the warnings, the notes,
// then the JSON or the tables. Everything that can fail is done before anything
// is written: a failing run leaves the --trace file as it was and prints nothing on stdout.
int finish_run(const RunPlan& plan, const Trace& trace, std::vector<std::string> notes) {
  const MadeOutputs made = make_outputs(trace, plan.outputs, plan.view);
  write_outputs(trace, plan.outputs, made);
  for (const std::string& w : trace.warnings) {
    std::fputs(fmt::format("{}: warning: {}\n", kProgram, display_escape(w)).c_str(), stderr);
  }
  if (!trace.model) {
    const std::vector<std::string> more = ineffective_options(plan, trace.settings);
    notes.insert(notes.end(), more.begin(), more.end());
  }
  if (!made.tables.width_note.empty()) notes.push_back(made.tables.width_note);
  print_notes(notes);
  if (plan.outputs.json) {
    write_trace_json(trace, write_stdout);
    return 0;
  }
  if (plan.outputs.tables) show(trace, made.tables, plan.view);
  return 0;
}

// A model run (--model): the same outputs as a table run, from the model's trace.
int run_model(const RunPlan& plan) {
  const ModelRequest& request = std::get<ModelRequest>(plan.compute);
  if (plan.snapshot == "list") {
    if (!plan.outputs.trace_file.empty() || !plan.outputs.svg_file.empty() || !plan.outputs.html_file.empty()) {
      throw OptionError("snapshot", "--snapshot list prints the list of snapshots: it writes no --trace, --svg or --html",
                        "give a step (--snapshot 0) to run one");
    }
    return list_snapshots(plan.model, plan.outputs.json);
  }
  const Model model = Model::open(plan.model, plan.snapshot);
  for (const char* file : {"config.json", "model.safetensors", "vocab.json", "merges.txt"}) {
    for (const auto& [option, out] : output_files(plan.outputs)) {
      check_output_is_not_an_input(option, out, model.folder() / file, fmt::format("the model's {}", file));
    }
  }
  check_outputs_differ(output_files(plan.outputs), plan.outputs.json);
  const Trace trace = explore(request, model);
  std::vector<std::string> notes;
  if (const std::vector<std::string> split = split_words(trace); !split.empty()) {
    notes.push_back(fmt::format("not whole words in {}'s vocabulary, split into pieces (marked ⁺ or °): {}", trace.model->name,
                                named_words(split, false)));
  }
  if (!plan.view.stages_given && plan.outputs.tables && !plan.view.focus && trace.layer) {
    notes.push_back(fmt::format("the model's widest tables (inputs, params, heads, output, and the rest of the block: "
                                "residual, ln_2, mlp_hidden, mlp, block; {} columns and more) print only when --stages "
                                "names them (on an --html page too)",
                                trace.settings.d_in));
  }
  return finish_run(plan, trace, notes);
}

// The side-by-side comparisons (--compare): several traces, shown as one table each.
int run_comparison(const RunPlan& plan, const Request& request, const EmbeddingTable& table) {
  print_notes(ineffective_with_compare(plan.outputs));
  const CompareOptions co{plan.view.precision, plan.view.color};
  write_stdout(*plan.compare == Comparison::scale
                   ? render_scale_comparison(compare_scale(request, table), co)
                   : render_softmax_comparison(compare_softmax(request, table, load_table(find_data_file(kOverflowTable))), co));
  return 0;
}

// A table run: the --embeddings file (a JSON table, or a word-vector file
// streamed for the sentence's words, with a progress bar on a terminal when it is big).
int run_table(const RunPlan& plan) {
  const Request& request = std::get<Request>(plan.compute);
  const std::filesystem::path table_path = plan.embeddings.empty() ? find_data_file(kDefaultTable) : resolve_table(plan.embeddings);
  for (const auto& [option, out] : output_files(plan.outputs)) check_output_is_not_an_input(option, out, table_path);
  check_outputs_differ(output_files(plan.outputs), plan.outputs.json);
  ProgressBar bar(table_path.filename().string());
  const EmbeddingTable table =
      load_embeddings(table_path, VectorRequest{sentence_tokens(request.sentence), plan.format, bar.callback()});
  if (plan.compare) return run_comparison(plan, request, table);

  const Trace trace = explore(request, table);
  std::vector<std::string> notes;
  if (!trace.oov_tokens.empty()) {
    notes.push_back(fmt::format("not in {}: {}; {}", table.source, named_words(trace.oov_tokens, true),
                                std::string(trace.oov_tokens.size() == 1 ? "it gets" : "they get") +
                                    (request.oov == OovPolicy::zero ? " zero vectors" : " vectors hashed from their spelling")));
  }
  return finish_run(plan, trace, notes);
}

// --snapshot list prints the list alone: the options that shape a run do nothing with it.
std::vector<std::string> list_notes(const RawOptions& given) {
  std::vector<std::string> unused;
  for (const auto& [key, value] : given) {
    const bool used = key == "model" || key == "snapshot" || key == "json" || key == "color";
    const std::string name = "--" + key;
    if (!used && std::find(unused.begin(), unused.end(), name) == unused.end()) unused.push_back(name);
  }
  if (unused.empty()) return {};
  return {fmt::format("--snapshot list prints only the list of snapshots; {} did nothing", fmt::join(unused, ", "))};
}

}  // namespace

int run_explorer(const MainOptions& options, const Terminal& terminal) {
  const bool from_stdin = sentence_on_stdin(options.words);
  RawOptions raw = options.given;
  raw.emplace(raw.begin(), "sentence", from_stdin ? "" : sentence_of(options.words));
  RunPlan plan = resolve_run(raw, terminal);
  if (plan.snapshot == "list" && plan.outputs.trace_file.empty() && plan.outputs.svg_file.empty() &&
      plan.outputs.html_file.empty()) {
    print_notes(list_notes(options.given));
  }
  // Standard input is read once the options are known to be good.
  if (from_stdin) std::visit([](auto& request) { request.sentence = read_stdin_sentence(); }, plan.compute);
  return std::holds_alternative<ModelRequest>(plan.compute) ? run_model(plan) : run_table(plan);
}

int run_render(const RenderCommand& command, const Terminal& terminal) {
  const RenderPlan plan = resolve_render(command.given, terminal);
  check_output_is_not_an_input("--svg", plan.outputs.svg_file, plan.trace_file, "the trace");
  check_output_is_not_an_input("--html", plan.outputs.html_file, plan.trace_file, "the trace");
  check_outputs_differ({{"--svg", plan.outputs.svg_file}, {"--html", plan.outputs.html_file}}, false);
  const Trace trace = read_trace(plan.trace_file);
  // As a run: everything is made before anything is written.
  const MadeOutputs made = make_outputs(trace, plan.outputs, plan.view);
  write_outputs(trace, plan.outputs, made);
  if (!made.tables.width_note.empty()) print_notes({made.tables.width_note});
  if (plan.outputs.tables) show(trace, made.tables, plan.view);
  return 0;
}

}  // namespace attn
