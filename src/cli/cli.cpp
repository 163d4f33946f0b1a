#include "cli.hpp"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <sys/ioctl.h>
#include <unistd.h>

#include "attn/util/atomic_file.hpp"
#include "attn/compare.hpp"
#include "attn/util/data_dir.hpp"
#include "attn/embedding_table.hpp"
#include "attn/util/error.hpp"
#include "attn/teach/explanations.hpp"
#include "attn/explorer.hpp"
#include "attn/model.hpp"
#include "attn/render/render_model_summary.hpp"
#include "attn/render/render_html_grid.hpp"
#include "attn/teach/lesson.hpp"
#include "attn/render/render_html.hpp"
#include "attn/render/render_lesson.hpp"
#include "attn/render/render_compare.hpp"
#include "attn/render/render_focus.hpp"
#include "attn/render/render_table.hpp"
#include "attn/render/style.hpp"
#include "attn/render/token_labels.hpp"
#include "attn/util/unicode.hpp"
#include "attn/render/render_svg.hpp"
#include "attn/trace_read.hpp"
#include "attn/word_vectors.hpp"
#include "progress_bar.hpp"
#include "attn/render/trace_json.hpp"
#include "cli_exercise.hpp"
#include "cli_options.hpp"
#include "attn/util/echo.hpp"
#include "memory_budget.hpp"
#include "output.hpp"
#include "run_notes.hpp"
#include "pager.hpp"

namespace attn {

namespace {

constexpr const char* kProgram = "attn-explain";

// The message is one line and the hint its own lines, whatever user text they
// quote: a newline or an escape sequence in a key or an argument is shown
// escaped, never obeyed (echo.hpp).
void print_error(const std::string& what, const std::string& hint) {
  std::string text = fmt::format("{}: error: {}\n", kProgram, printable(what, kMessageLineBytes));
  if (!hint.empty()) text += printable_lines(hint) + "\n";
  std::fputs(text.c_str(), stderr);
}

// The sentence from standard input, up to kMaxStdinBytes.
constexpr std::size_t kMaxStdinBytes = 1 << 20;

std::string read_stdin() {
  std::string text;
  char buffer[65536];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, stdin)) > 0) {
    text.append(buffer, got);
    if (text.size() > kMaxStdinBytes) {
      throw DataError("standard input: the sentence is longer than 1 MiB",
                      fmt::format("give a sentence of at most --max-tokens tokens (at most {})", kLargestMaxTokens));
    }
  }
  if (std::ferror(stdin)) throw DataError("standard input: cannot read");
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

int run_params(const ParamsOptions& p) {
  const Multihead multihead = p.multihead;
  const ParameterCount count = count_parameters(p.d_in, p.d_out, p.heads, multihead, p.qkv_bias);
  const std::string out = p.json ? format_json(parameter_count_to_json(count, p.d_in, p.d_out, p.heads, multihead, p.qkv_bias))
                                 : render_parameter_count(count, p.d_in, p.d_out, p.heads, multihead);
  write_stdout(out);
  return 0;
}

bool color_for(const std::string& mode) { return use_color(mode, isatty(STDOUT_FILENO) == 1, std::getenv("NO_COLOR")); }

// The width tables must fit: --width when given (0: no limit); else, on a
// terminal, $COLUMNS when it is a number, else the terminal's own width; in a
// pipe or a file, no limit.
std::size_t table_width(const std::optional<std::size_t>& option) {
  if (option) return *option;
  if (isatty(STDOUT_FILENO) != 1) return 0;
  const char* columns = std::getenv("COLUMNS");
  if (columns && *columns && std::strspn(columns, "0123456789") == std::strlen(columns) && std::strlen(columns) < 6) {
    return static_cast<std::size_t>(std::atoi(columns));
  }
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 0;
}

std::optional<Explanations> explanations_for(bool wanted) {
  if (!wanted) return std::nullopt;
  return load_explanations(find_data_file(kExplanationsFile));
}

void print_notes(const std::vector<std::string>& notes) {
  for (const std::string& note : notes) std::fputs(fmt::format("{}: note: {}\n", kProgram, note).c_str(), stderr);
}

// --html onto the lesson file it draws would replace that file: refused before anything runs.
void check_html_is_not_the_lesson(const std::string& html_file, const std::string& lesson_path) {
  std::error_code ec;
  if (html_file.empty() || !std::filesystem::equivalent(html_file, lesson_path, ec)) return;
  throw UsageError(fmt::format("--html {}: that is the lesson file this run reads; it would be replaced", html_file),
                   "give --html another file name");
}

// Output options and their files, in order; an empty file: not asked.
using Outputs = std::vector<std::pair<const char*, std::string>>;

// The file an output name ends up writing: its chain of links followed (a link
// to a file not yet made too), made absolute and canonical.
std::filesystem::path written_file(std::filesystem::path p) {
  std::error_code ec;
  for (int hops = 0; hops < 40 && std::filesystem::is_symlink(std::filesystem::symlink_status(p, ec)); ++hops) {
    const std::filesystem::path next = std::filesystem::read_symlink(p, ec);
    if (ec) break;
    p = next.is_absolute() ? next : p.parent_path() / next;
  }
  const std::filesystem::path absolute = std::filesystem::absolute(p, ec);
  const std::filesystem::path canonical = std::filesystem::weakly_canonical(absolute, ec);
  return ec ? absolute.lexically_normal() : canonical;
}

// The files a run writes, in order (--trace, --svg, --html; empty: not asked),
// checked before anything runs: two of them naming one file would replace each
// other; two outputs on standard output ("-", /dev/stdout, or --json) would run
// into each other.
void check_outputs_differ(const Outputs& outputs, bool json) {
  std::string on_stdout = json ? "--json" : "";
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const auto& [option, file] = outputs[i];
    if (file.empty()) continue;
    if (names_standard_output(file)) {
      if (!on_stdout.empty()) {
        throw UsageError(fmt::format("{} {}: {} writes to standard output too; only one output can go there", option, file,
                                     on_stdout),
                         fmt::format("give {} a file name", option));
      }
      on_stdout = option;
      continue;
    }
    for (std::size_t k = 0; k < i; ++k) {
      const auto& [other, other_file] = outputs[k];
      if (other_file.empty() || names_standard_output(other_file)) continue;
      if (file == other_file || written_file(file) == written_file(other_file)) {
        throw UsageError(fmt::format("{} {}: that is the {} file too; one would replace the other", option, file, other),
                         fmt::format("give {} another file name", option));
      }
    }
  }
}

Outputs outputs_of(const MainOptions& o) { return {{"--trace", o.trace_file}, {"--svg", o.svg_file}, {"--html", o.html_file}}; }

// Whether an output file of the run is standard output, which then carries it alone.
bool output_on_stdout(const Outputs& outputs) {
  return std::any_of(outputs.begin(), outputs.end(),
                     [](const auto& output) { return !output.second.empty() && names_standard_output(output.second); });
}

// --trace, --svg or --html onto a file the run reads would replace that file: refused
// before anything runs. `what` names the input: "the embedding table", "the model's config.json", ...
void check_output_is_not_an_input(const char* option, const std::string& file, const std::filesystem::path& input,
                                  const std::string& what = "the embedding table") {
  std::error_code ec;
  if (file.empty() || !std::filesystem::equivalent(file, input, ec)) return;
  throw UsageError(fmt::format("{} {}: that is {} this run reads; it would be replaced", option, file, what),
                   fmt::format("give {} another file name", option));
}

// The stages a model run's tables show unless --stages names others: the head's
// own, which are n or head_dim wide (inputs, params, heads and output are n_embd wide).
constexpr const char* kModelStages = "queries,keys,values,scores,scaled,mask,weights,context";

// What a run's tables look like: the options the main command and render share.
struct TableRequest {
  int precision = 4;
  bool color = false;
  std::string stages;  // as --stages gives them; empty: all
  bool explain = false;
  std::optional<std::string> focus;
  std::optional<std::size_t> width;
  std::optional<std::size_t> head;  // --head, from 1
};

// A run's tables, checked and made ready before anything is written; show()
// writes them as they are laid out.
struct Tables {
  std::optional<std::string> summary;  // a --layer all trace: the model's summary, the only section
  RenderOptions options;               // (its explain is set by show(), to explanations)
  std::optional<Explanations> explanations;
  bool header_only = false;            // --focus without --stages: the header, then the focus
  std::optional<std::string> focus;    // the --focus section
  std::string width_note;              // when some tables print in blocks of columns
};

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

// --head H, checked against the run's heads.
std::size_t check_head(const Trace& trace, std::size_t head) {
  if (head > trace.heads.size()) {
    throw UsageError(fmt::format("--head {}: the run has {} head{}", head, trace.heads.size(), trace.heads.size() == 1 ? "" : "s"));
  }
  return head;
}

// The page --html writes, made before any file is written.
std::string html_page(const TableRequest& r, const Trace& trace) {
  const std::optional<Explanations> explanations = explanations_for(r.explain);
  HtmlOptions options;
  options.precision = r.precision;
  options.explain = explanations ? &*explanations : nullptr;
  options.stages = stages_in(r.stages);
  if (trace.model && !trace.layer) return render_html_model_grid(trace, options, load_html_assets());
  if (r.focus) options.focus_row = find_focus(trace, *r.focus);
  if (r.head) options.head = check_head(trace, *r.head) - 1;
  return render_html_report(trace, options, load_html_assets());
}

// A --layer all trace with a view of one layer's heads asked for.
void refuse_one_layer_views(bool asked) {
  if (asked) {
    throw UsageError("--layer all shows every head at once; --svg, --focus, --head and --stages need one layer (--layer L)");
  }
}

Tables tables_of(const Trace& trace, const TableRequest& r) {
  Tables out;
  const std::size_t focus_row = r.focus ? find_focus(trace, *r.focus) : 0;
  out.explanations = explanations_for(r.explain);
  RenderOptions& ro = out.options;
  ro = with_precision(r.precision);
  ro.color = r.color;
  ro.stages = stages_in(r.stages);
  ro.width = table_width(r.width);
  if (r.head) ro.head = check_head(trace, *r.head) - 1;
  if (!tables_fit(trace, ro)) {
    out.width_note = fmt::format("the widest tables do not fit {} columns and print in blocks of columns; "
                                 "--html FILE draws the whole run",
                                 ro.width);
  }
  // With --focus, the tables print only when --stages asks for them.
  if (r.focus) {
    out.header_only = r.stages.empty();
    out.focus = fmt::format("\n{}", render_focus(trace, focus_row, FocusOptions{r.precision, r.color, ro.head}));
  }
  return out;
}

// The tables of any trace: a model's summary with --layer all; a model's head
// stages (kModelStages) unless --stages names others; else tables_of().
Tables tables_for(const Trace& trace, TableRequest request, bool color) {
  if (trace.model && !trace.layer) {
    Tables summary;
    summary.summary = render_model_summary(trace, SummaryOptions{color});
    return summary;
  }
  if (trace.model && request.stages.empty() && !request.focus) request.stages = kModelStages;
  return tables_of(trace, request);
}

// The sections on stdout as they are made: straight through, or one at a time
// with --step on a terminal (the pager pauses before each section but the first).
void show(const Trace& trace, const Tables& tables, bool step) {
  Pager pager(step);
  struct Quit {};
  bool first = true;
  const SectionSink sink{[&](std::optional<Stage>) {
                           if (!first && !pager.pause()) throw Quit{};
                           first = false;
                         },
                         write_stdout};
  RenderOptions options = tables.options;
  options.explain = tables.explanations ? &*tables.explanations : nullptr;
  try {
    if (tables.summary) {
      sink.begin(std::nullopt), sink.write(*tables.summary);
    } else if (tables.header_only) {
      sink.begin(std::nullopt), sink.write(render_header(trace, options.precision));
    } else {
      write_sections(trace, options, sink);
    }
    if (tables.focus) sink.begin(std::nullopt), sink.write(*tables.focus);
  } catch (const Quit&) {
  }
}

// The sentence: the words joined by spaces, or standard input for "-".
std::string sentence_of(const MainOptions& o) {
  std::string sentence;
  if (o.words.size() == 1 && o.words[0] == "-") return read_stdin();
  for (const std::string& w : o.words) sentence += (sentence.empty() ? "" : " ") + w;
  return sentence;
}

// Writes what a run made, then shows it: the notes, the warnings, then the JSON or the tables.
int finish_run(const MainOptions& o, const Trace& trace, bool color, const std::vector<std::string>& notes);

// A model run (--model): the same outputs as a table run, from the model's trace.
int run_model(const MainOptions& o) {
  const bool color = color_for(o.color);
  ModelRequest request;
  request.sentence = sentence_of(o);
  if (o.layer != "all") request.layer = std::stoul(o.layer);
  else request.layer = std::nullopt;
  request.top_k = o.top;
  if (o.max_tokens_given) request.max_tokens = o.max_tokens;
  request.memory = memory_budget(o, color);
  const Model model = Model::open(o.model);
  for (const char* file : {"config.json", "model.safetensors", "vocab.json", "merges.txt"}) {
    for (const auto& [option, out] : {std::pair{"--trace", &o.trace_file}, {"--svg", &o.svg_file}, {"--html", &o.html_file}}) {
      check_output_is_not_an_input(option, *out, model.folder() / file, fmt::format("the model's {}", file));
    }
  }
  check_outputs_differ(outputs_of(o), o.json);
  const Trace trace = explore(request, model);
  std::vector<std::string> notes;
  if (const std::vector<std::string> split = split_words(trace); !split.empty()) {
    const std::string list = named_words(split, false);
    notes.push_back(fmt::format("not whole words in {}'s vocabulary, split into pieces (marked ⁺ or °): {}", trace.model->name, list));
  }
  if (o.stages.empty() && !o.json && !output_on_stdout(outputs_of(o)) && !o.focus && trace.layer) {
    notes.push_back(fmt::format("the model's widest tables (inputs, params, heads, output: {} columns) print only when "
                                "--stages names them; --html FILE draws them all",
                                trace.settings.d_in));
  }
  return finish_run(o, trace, color, notes);
}

// The --embeddings file: a JSON table, or a word-vector file streamed for the
// sentence's words, with a progress bar on a terminal when it is big.
EmbeddingTable load_run_table(const std::filesystem::path& path, const std::string& format, const std::string& sentence) {
  ProgressBar bar(path.filename().string());
  return load_embeddings(path, VectorRequest{sentence_tokens(sentence), *value_named(kVectorFormatNames, format),
                                             bar.callback()});
}

int run(const MainOptions& o) {
  if (!o.model.empty()) return run_model(o);
  const bool color = color_for(o.color);
  Request request = make_request(o, sentence_of(o));
  request.memory = memory_budget(o, color);

  const std::filesystem::path table_path = o.embeddings.empty() ? find_data_file(kDefaultTable) : resolve_table(o.embeddings);
  check_output_is_not_an_input("--trace", o.trace_file, table_path);
  check_output_is_not_an_input("--svg", o.svg_file, table_path);
  check_output_is_not_an_input("--html", o.html_file, table_path);
  check_outputs_differ(outputs_of(o), o.json);
  const EmbeddingTable table = load_run_table(table_path, o.vector_format, request.sentence);

  if (!o.compare.empty()) {
    print_notes(ineffective_with_compare(o));
    const CompareOptions co{o.precision, color};
    write_stdout(*value_named(kComparisonNames, o.compare) == Comparison::scale
                     ? render_scale_comparison(compare_scale(request, table), co)
                     : render_softmax_comparison(compare_softmax(request, table, load_table(find_data_file(kOverflowTable))),
                                                 co));
    return 0;
  }

  const Trace trace = explore(request, table);
  std::vector<std::string> notes;
  if (!trace.oov_tokens.empty()) {
    const std::string list = named_words(trace.oov_tokens, true);
    notes.push_back(fmt::format("not in {}: {}; {}", table.source, list,
                                std::string(trace.oov_tokens.size() == 1 ? "it gets" : "they get") +
                                    (request.oov == OovPolicy::zero ? " zero vectors" : " vectors hashed from their spelling")));
  }
  return finish_run(o, trace, color, notes);
}

int finish_run(const MainOptions& o, const Trace& trace, bool color, const std::vector<std::string>& notes) {
  const bool summary = trace.model && !trace.layer;  // --layer all
  if (summary) refuse_one_layer_views(!o.svg_file.empty() || o.focus || o.head || !o.stages.empty());
  // Everything that can fail is done before anything is written: a failing run
  // leaves the --trace file as it was and prints nothing on stdout.
  const TableRequest shown{o.precision, color, o.stages, o.explain, o.focus, o.width, o.head};
  // The tables go to stdout unless --json or an output file ("-", /dev/stdout) has it.
  const bool tables_shown = !o.json && !output_on_stdout(outputs_of(o));
  const Tables tables = tables_shown ? tables_for(trace, shown, color) : Tables{};
  const std::string svg_text = o.svg_file.empty() ? "" : render_svg(trace, SvgOptions{o.precision, heatmap_css()});
  const std::string html_text = o.html_file.empty() ? "" : html_page(shown, trace);
  // The JSON is written as it is made, into the --trace file's temporary file and onto stdout.
  if (!o.trace_file.empty()) {
    write_output(o.trace_file, [&](const ContentWriter& write) { write_trace_json(trace, write); });
  }
  if (!o.svg_file.empty()) write_output(o.svg_file, svg_text);
  if (!o.html_file.empty()) write_output(o.html_file, html_text);

  for (const std::string& w : trace.warnings) {
    std::fputs(fmt::format("{}: warning: {}\n", kProgram, display_escape(w)).c_str(), stderr);
  }
  print_notes(notes);
  if (!trace.model) print_notes(ineffective_options(o, trace.settings));
  if (!tables.width_note.empty()) print_notes({tables.width_note});

  if (o.json) {
    write_trace_json(trace, write_stdout);
    return 0;
  }
  if (tables_shown) show(trace, tables, o.step);
  return 0;
}

int run_render(const RenderCommand& c) {
  check_output_is_not_an_input("--svg", c.svg_file, c.trace_file, "the trace");
  check_output_is_not_an_input("--html", c.html_file, c.trace_file, "the trace");
  check_outputs_differ({{"--svg", c.svg_file}, {"--html", c.html_file}}, false);
  const Trace trace = read_trace(c.trace_file);
  const bool pictures = !c.svg_file.empty() || !c.html_file.empty();
  // As a run: everything is made before anything is written.
  const bool summary = trace.model && !trace.layer;  // a --layer all trace
  if (summary) refuse_one_layer_views(!c.svg_file.empty() || c.focus || !c.stages.empty());
  const bool color = color_for(c.color);
  const TableRequest shown{c.precision, color, c.stages, c.explain, c.focus, c.width, std::nullopt};
  const Tables tables = pictures ? Tables{} : tables_for(trace, shown, color);
  const std::string svg_text = c.svg_file.empty() ? "" : render_svg(trace, SvgOptions{c.precision, heatmap_css()});
  const std::string html_text = c.html_file.empty() ? "" : html_page(shown, trace);
  if (!c.svg_file.empty()) write_output(c.svg_file, svg_text);
  if (!c.html_file.empty()) write_output(c.html_file, html_text);
  if (!tables.width_note.empty()) print_notes({tables.width_note});
  if (!pictures) show(trace, tables, false);
  return 0;
}

int run_lesson_command(const LessonCommand& c) {
  if (c.name.empty()) {
    const std::vector<Lesson> lessons = load_lessons();
    if (c.json) {
      nlohmann::json list = nlohmann::json::array();
      for (const Lesson& l : lessons) {
        list.push_back({{"name", l.name}, {"title", l.title}, {"source", l.source}, {"summary", l.summary},
                        {"steps", l.steps.size()}});
      }
      write_stdout(list.dump(2) + "\n");
      return 0;
    }
    std::size_t width = 0;
    for (const Lesson& l : lessons) width = std::max(width, l.name.size());
    std::string out = "Lessons (run one with: attn-explain lesson NAME)\n\n";
    for (const Lesson& l : lessons) {
      // A lesson file is data: its title and source are shown escaped, as its pages are.
      out += fmt::format("  {}  {} ({} steps)\n  {}  {}\n", pad_right(l.name, width), display_escape(l.title),
                         l.steps.size(), std::string(width, ' '), display_escape(l.source));
    }
    write_stdout(out);
    return 0;
  }
  const Lesson lesson = lesson_named(c.name);
  if (c.check) {
    const std::vector<StepRun> runs = run_lesson(lesson);
    if (const std::optional<std::string> wrong = first_false_claim(lesson, runs)) {
      throw DataError(fmt::format("{}: {}", lesson.path, *wrong), "the numbers are the engine's; change the claim or the step");
    }
    std::size_t claims = 0;
    for (const LessonStep& step : lesson.steps) claims += step.expect ? 1 : 0;
    write_stdout(fmt::format("{}: {} steps run, {} claim{} hold{}\n", lesson.path, lesson.steps.size(), claims,
                             claims == 1 ? "" : "s", claims == 1 ? "s" : ""));
    return 0;
  }
  if (c.json) {
    nlohmann::json steps = nlohmann::json::array();
    for (const LessonStep& step : lesson.steps) {
      nlohmann::json j = {{"title", step.title}, {"say", step.say}};
      if (step.computes()) j["command"] = command_for(step);
      steps.push_back(std::move(j));
    }
    write_stdout(nlohmann::json({{"name", lesson.name}, {"title", lesson.title}, {"source", lesson.source},
                                 {"summary", lesson.summary}, {"steps", steps}})
                     .dump(2) +
                 "\n");
    return 0;
  }
  const std::optional<Explanations> explanations = explanations_for(c.explain);
  if (!c.html_file.empty()) {
    check_html_is_not_the_lesson(c.html_file, lesson.path);
    HtmlOptions options;
    options.precision = c.precision;
    options.explain = explanations ? &*explanations : nullptr;
    write_output(c.html_file, render_html_lesson(lesson, run_lesson(lesson), options, load_html_assets()));
    return 0;
  }
  const std::vector<std::string> pages =
      render_lesson(lesson, run_lesson(lesson), LessonOptions{c.precision, color_for(c.color), explanations ? &*explanations : nullptr});
  Pager pager(true);
  for (std::size_t i = 0; i < pages.size(); ++i) {
    if (!pager.show(pages[i], i + 1 == pages.size())) break;
  }
  return 0;
}

}  // namespace

int run_cli(int argc, char** argv) {
  // A closed pipe is an EPIPE from write(), seen by write_stdout(), not a signal.
  std::signal(SIGPIPE, SIG_IGN);
  // A file beyond `ulimit -f` is an EFBIG from write(), reported as any failed write, not a signal.
  std::signal(SIGXFSZ, SIG_IGN);
  try {
    const CommandLine cl = parse_command_line(argc, argv);
    if (cl.print) {
      write_stdout(*cl.print);
      return 0;
    }
    switch (cl.command) {
      case Command::params: return run_params(cl.params);
      case Command::lesson: return run_lesson_command(cl.lesson);
      case Command::exercise: {
        ExerciseCommand ec = cl.exercise;
        ec.color = color_for(cl.exercise_color);
        return run_exercise(ec);
      }
      case Command::render: return run_render(cl.render);
      case Command::table_extract: return run_table_extract(cl.table);
      case Command::explore: return run(cl.main);
    }
    return 0;
  } catch (const ReaderGone&) {
    return 0;
  } catch (const Error& e) {
    // A request key an error names (error.hpp) is shown as the option that sets it.
    const auto as_option = [](std::string_view key) { return "--" + std::string(key); };
    print_error(name_keys(e.message(), as_option), name_keys(e.hint(), as_option));
    return e.exit_code();
  } catch (const std::bad_alloc&) {
    // Everything the run held is freed by now; still, this line allocates nothing.
    std::fputs("attn-explain: error: out of memory: the run needed more than the system would give it\n"
               "give a shorter sentence, fewer heads or a smaller --d-out\n",
               stderr);
    return 1;
  } catch (const std::exception& e) {
    print_error(fmt::format("internal error: {}", e.what()), "please report this as a bug");
    return 70;
  }
}

}  // namespace attn
