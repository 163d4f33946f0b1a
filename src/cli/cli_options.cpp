#include "cli_options.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <string_view>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli_run_options.hpp"
#include "attn/util/data_dir.hpp"
#include "option_values.hpp"
#include "attn/util/error.hpp"
#include "attn/compare.hpp"
#include "attn/stage.hpp"
#include "attn/trace.hpp"

namespace attn {

namespace {

constexpr const char* kProgramName = "attn-explain";

constexpr const char* kExamples = R"(Examples:
  attn-explain "How are you doing?"
      every stage of scaled dot-product attention, with the default table
  attn-explain --projection none --no-scale --embeddings data/journey.json "Your journey starts with one step"
      the book's simplified attention (Raschka, ch. 3.3), to four decimals
  attn-explain --projection rand --seed 123 --d-out 2 --embeddings data/journey.json "Your journey starts with one step"
      the book's trainable weights (ch. 3.4): query_2 = [0.4306, 1.4551]
  attn-explain --focus it "The dog chased the ball, and it rolled away."
      every number behind the word "it": dot products, scaling, softmax, context vector
  attn-explain --explain --step "How are you doing?"
      a note on each stage, pausing after each one (Enter: next, q: quit)
  attn-explain --compare scale "How are you doing?"
      weights with and without the division by sqrt(d_k), also at d_k = 64
  attn-explain lesson journey
      a narrated lesson replaying the book's example (attn-explain lesson lists them all)
  attn-explain exercise
      exercises that check your own arithmetic (attn-explain exercise dot-product to start)
  attn-explain --json "The dog chased the ball, and it rolled away." > trace.json
      the whole trace as JSON (docs/trace-format.md)
  attn-explain --html report.html "The dog chased the ball, and it rolled away."
      also a page to open in a browser: every stage, heatmaps, line views, each cell's arithmetic
  attn-explain --svg weights.svg --heads 4 --projection rand "The dog chased the ball, and it rolled away."
      the attention weights as an SVG heatmap, one panel per head, for a paper or a slide
  attn-explain --model gpt2 --layer 5 --head 1 "The dog chased the ball, and it rolled away."
      a real GPT-2's attention: block 5, head 1, every stage with the model's own numbers
      (a folder with GPT-2's four files; README, "A real model")
  attn-explain --model gpt2 --layer all --html heads.html "The dog chased the ball, and it rolled away."
      every layer and head at once: which token each attends to most, and a grid of every head

Colour: on a terminal only; --color never or NO_COLOR=1 turns it off, --color always forces it.
Exit status: 0 success, 1 bad input data, 2 bad usage (docs/errors.md lists every message).
Documentation: docs/ in the source tree, or the README.
)";

// The option checks. CLI11 prints "<option>: <message>", so each message says
// what is allowed and what was given: "--heads: expected a whole number from 1
// to 256, got 0".

}  // namespace

CLI::Validator whole_number(std::uint64_t lo, std::uint64_t hi) {
  return CLI::Validator([lo, hi](const std::string& text) { return whole_number_problem(text, lo, hi); },
                        fmt::format("{}..{}", lo, hi));
}

namespace {

// --precision and --color, as the lesson and exercise subcommands take them.
void add_display_options(CLI::App& command, int& precision, std::string& color) {
  command.add_option("--precision", precision, "Decimals shown")->check(whole_number(0, 9))->type_name("N")->capture_default_str();
  command.add_option("--color", color, "auto, always, never")->check(one_of(kColorNames))->capture_default_str();
}

// attn-explain exercise [ID] [--hint | --solution | --answer VALUE | --reset].
CLI::App* add_exercise_command(CLI::App& app, ExerciseCommand& ec, std::string& color) {
  CLI::App* exercise = app.add_subcommand("exercise", "Exercises from the walkthroughs: pose one, check your answer, hints, solutions");
  exercise->footer(
      "Examples:\n"
      "  attn-explain exercise                        the exercises, and which you have solved\n"
      "  attn-explain exercise dot-product            pose one (or give its number in the list)\n"
      "  attn-explain exercise dot-product --hint     the next hint\n"
      "  attn-explain exercise dot-product --answer 0.95\n"
      "                                               check your answer (exit 0 right, 1 wrong)\n"
      "  attn-explain exercise context-vector --answer \"0.44, 0.65, 0.57\"\n"
      "  attn-explain exercise dot-product --solution\n"
      "                                               the worked solution\n"
      "  attn-explain exercise --reset                forget your progress\n"
      "Progress: $XDG_STATE_HOME/attn-explain/progress.json (default ~/.local/state/attn-explain/).\n");
  exercise->add_option("id", ec.id, "The exercise: its id or its number in the list (none: list them)")->type_name("ID");
  CLI::Option* ex_hint = exercise->add_flag("--hint", ec.hint, "Show the next hint");
  CLI::Option* ex_solution = exercise->add_flag("--solution", ec.solution, "Show the worked solution and the answer");
  CLI::Option* ex_answer =
      exercise->add_option("--answer", ec.answer, "Check your answer: a number, numbers as \"a, b, c\" or \"[a b c]\", or a token")
          ->type_name("VALUE");
  CLI::Option* ex_reset = exercise->add_flag("--reset", ec.reset, "Forget which exercises you have solved");
  ex_hint->excludes(ex_solution)->excludes(ex_answer)->excludes(ex_reset);
  ex_solution->excludes(ex_answer)->excludes(ex_reset);
  ex_answer->excludes(ex_reset);
  exercise->add_flag("--json", ec.json, "Print as JSON (the list, the task, a hint, {\"id\", \"answer\"}, or the verdict)");
  add_display_options(*exercise, ec.precision, color);

  return exercise;
}

// attn-explain params --d-in A --d-out B [--heads H] [--multihead KIND].
CLI::App* add_params_command(CLI::App& app, ParamsOptions& po) {
  CLI::App* params = app.add_subcommand("params", "Count the trainable parameters of the module (the book's exercise 3.3)");
  params->footer("Examples:\n  attn-explain params --d-in 3 --d-out 2\n"
                 "      SelfAttention_v1 (one head, as the main command runs it): 18 parameters\n"
                 "  attn-explain params --d-in 768 --d-out 768 --heads 12 --multihead split\n"
                 "      the chapter's GPT-2-size MultiHeadAttention: 2,360,064 parameters\n");
  params->add_option("--d-in", po.d_in, "Input width d_in")->required()->check(whole_number(1, 1 << 20))->type_name("A");
  params->add_option("--d-out", po.d_out, "Output width d_out")->required()->check(whole_number(1, 1 << 20))->type_name("B");
  params->add_option("--heads", po.heads, "Number of heads")->check(whole_number(1, 4096))->type_name("H")->capture_default_str();
  params->add_option("--multihead", po.multihead_name,
                     "wrapper (independent heads, as the main command) or split (one projection split into heads, then "
                     "out_proj)")
      ->check(one_of(names_in(kMultiheadNames)))
      ->capture_default_str();
  params->add_flag("--qkv-bias", po.qkv_bias, "The query, key and value projections have biases");
  params->add_flag("--json", po.json, "Print the count as JSON");

  return params;
}

// attn-explain lesson [NAME].
CLI::App* add_lesson_command(CLI::App& app, LessonCommand& lc) {
  CLI::App* lesson = app.add_subcommand("lesson", "List the lessons, or run one: a narrated walkthrough of a tutorial's example");
  lesson->footer("Examples:\n  attn-explain lesson\n      the lessons, with the document each one replays\n"
                 "  attn-explain lesson journey\n      the book's example, step by step (Enter: next, q: quit)\n"
                 "  attn-explain lesson journey --html journey.html\n      the whole lesson as one page for a browser\n"
                 "  attn-explain lesson --json\n      the list as JSON: [{\"name\", \"title\", \"source\", \"summary\", \"steps\"}]\n");
  lesson->add_option("name", lc.name, "The lesson to run, by name or as a lesson file (none: list them)")
      ->type_name("NAME|FILE");
  CLI::Option* json = lesson->add_flag("--json", lc.json, "The list (or, with NAME, the lesson's steps and commands) as JSON");
  CLI::Option* explain = lesson->add_flag("--explain", lc.explain, "A few plain lines on each stage a step shows");
  CLI::Option* check =
      lesson->add_flag("--check", lc.check, "Check a lesson: run every step and test every \"expect\" claim (exit 1 at the first false one)")
          ->excludes(json)
          ->excludes(explain);
  lesson->add_option("--html", lc.html_file, "Write the whole lesson as one self-contained HTML page to FILE (-: stdout) instead of paging through it")
      ->check(file_name())
      ->type_name("FILE")
      ->excludes(json)
      ->excludes(check);
  add_display_options(*lesson, lc.precision, lc.color);

  return lesson;
}

// attn-explain serve: the explorer as a local page.
CLI::App* add_serve_command(CLI::App& app, ServeCommand& sc) {
  CLI::App* serve = app.add_subcommand("serve", "Serve the explorer as a local web page: type, click and edit, every stage recomputed");
  serve->footer("Examples:\n  attn-explain serve\n      prints http://127.0.0.1:PORT/ (a free port): open it in a browser; Ctrl-C stops it\n"
                "  attn-explain serve --port 8000 -e glove.6B.50d.txt --model gpt2\n"
                "      also a word-vector table and a GPT-2 folder, chosen by name in the page\n"
                "  curl 'http://127.0.0.1:8000/api/trace?sentence=How+are+you+doing%3F&heads=2'\n"
                "      the trace attn-explain --json --heads 2 \"How are you doing?\" prints, byte for byte\n");
  serve->add_option("--port", sc.port, "Port to listen on (0: a free one, printed on the first line)")
      ->check(whole_number(0, 65535))
      ->type_name("N")
      ->capture_default_str();
  serve->add_option("--host", sc.host, "Address to listen on (only this machine unless you say otherwise)")
      ->check(file_name())
      ->type_name("ADDR")
      ->capture_default_str();
  serve->add_option("-e,--embeddings", sc.tables, "Also offer this table (JSON or word vectors), by its file's name; repeatable")
      ->check(file_name())
      ->type_name("FILE");
  serve->add_option("-m,--model", sc.models, "Also offer this model (a GPT-2 folder or a bundled name); repeatable")
      ->check(file_name())
      ->type_name("DIR|NAME");
  serve->add_option("--jobs", sc.jobs, "Computations at once, more wait (default: the cores)")
      ->check(whole_number(1, 256))
      ->type_name("N");
  return serve;
}

// attn-explain timeline: one head at every training snapshot (issue 28).
CLI::App* add_timeline_command(CLI::App& app, TimelineCommand& tc) {
  CLI::App* timeline = app.add_subcommand("timeline", "Watch a head form: one sentence through every training snapshot of a model");
  timeline->footer(
      "Examples:\n  attn-explain timeline \"The dog chased the ball, and it rolled away.\"\n"
      "      the demo model's clearest previous-token head at each snapshot, with the losses and measured shares\n"
      "  attn-explain timeline --layer 1 --head 2 --focus it --html t.html \"He fed the dog because it was hungry.\"\n"
      "      one head's heatmaps in a row, the share curve under them, as one page\n"
      "  attn-explain timeline --layer all \"Your journey starts with one step.\"\n"
      "      also every head's pattern at each snapshot\n");
  timeline->add_option("sentence", tc.words, "The sentence (several words are joined with spaces; - reads stdin)")->required();
  timeline->add_option("-m,--model", tc.model, "A model with training snapshots (snapshots.json): a folder or a bundled name")
      ->check(CLI::Validator(model_problem, ""))
      ->type_name("DIR|NAME")
      ->capture_default_str();
  timeline->add_option("--layer", tc.layer, "The head's layer, from 1, or all (also every head's pattern); default: the clearest previous-token head's")
      ->check(CLI::Validator(layer_problem, ""))
      ->type_name("L|all");
  timeline->add_option("--head", tc.head, "The head, from 1; default: the clearest previous-token head")
      ->check(whole_number(1, 4096))
      ->type_name("H");
  timeline->add_option("--focus", tc.focus, "The token whose row is followed (its text or position); default: the last")
      ->type_name("TOKEN");
  CLI::Option* json = timeline->add_flag("--json", tc.json, "Print the timeline as JSON (attn-explain/timeline@1)");
  timeline->add_option("--html", tc.html_file, "Write the heatmaps in a row, with the share curve, as one HTML page to FILE (-: stdout)")
      ->check(file_name())
      ->type_name("FILE")
      ->excludes(json);
  add_display_options(*timeline, tc.precision, tc.color);
  return timeline;
}

// What the parser cannot say alone, command by command.
void check_params(ParamsOptions& po) {
  po.multihead = *value_named(kMultiheadNames, po.multihead_name);
  if (po.multihead == Multihead::split && po.d_out % po.heads != 0) {
    throw UsageError(fmt::format("--heads {}: with --multihead split, --d-out {} must be divisible by the number of heads",
                                 po.heads, po.d_out));
  }
}

void check_exercise(const ExerciseCommand& ec) {
  if (ec.id.empty() && (ec.hint || ec.solution || ec.answer)) {
    throw UsageError("--hint, --solution and --answer need an exercise, e.g. attn-explain exercise dot-product --hint");
  }
  if (!ec.id.empty() && ec.reset) throw UsageError("--reset clears all progress; give it without an exercise");
}

}  // namespace

CLI::Validator one_of(std::vector<std::string> allowed) {
  const std::string name = fmt::format("{}{}", kChoicesValidator, fmt::join(allowed, "|"));
  return CLI::Validator([allowed](const std::string& text) { return choice_problem(text, allowed); }, "", name);
}

CLI::Validator file_name() { return CLI::Validator(file_name_problem, ""); }

std::unique_ptr<CLI::App> make_command_line_app(CommandLine& cl) {
  auto app = std::make_unique<CLI::App>(
      "attn-explain: watch self-attention compute, stage by stage, with the tutorials' numbers.", kProgramName);
  app->footer(kExamples);
  app->set_version_flag("-V,--version", fmt::format("{} {} ({})", kProgramName, version(), build_commit()));
  app->get_formatter()->column_width(34);
  add_main_options(*app, cl.main_texts, cl.main.words);
  add_exercise_command(*app, cl.exercise, cl.exercise_color);
  add_params_command(*app, cl.params);
  add_lesson_command(*app, cl.lesson);
  add_render_command(*app, cl.render_texts);
  add_table_command(*app, cl.table);
  add_serve_command(*app, cl.serve);
  add_timeline_command(*app, cl.timeline);
  return app;
}

CommandLine parse_command_line(int argc, const char* const* argv) {
  CommandLine cl;
  const std::unique_ptr<CLI::App> built = make_command_line_app(cl);
  CLI::App& app = *built;
  CLI::App* exercise = app.get_subcommand("exercise");
  CLI::App* params = app.get_subcommand("params");
  CLI::App* lesson = app.get_subcommand("lesson");
  CLI::App* render = app.get_subcommand("render");
  CLI::App* table = app.get_subcommand("table");  // issue 16
  CLI::App* serve = app.get_subcommand("serve");  // issue 27
  CLI::App* timeline = app.get_subcommand("timeline");  // issue 28

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    cl.print = app.help();
    return cl;
  } catch (const CLI::CallForAllHelp&) {
    cl.print = app.help("", CLI::AppFormatMode::All);
    return cl;
  } catch (const CLI::CallForVersion&) {
    if (argc > 2) {
      throw UsageError("--version takes no other arguments",
                       fmt::format("Run '{} --version' alone, or '{} --help' for usage and examples.", kProgramName, kProgramName));
    }
    cl.print = fmt::format("{} {} ({})\n", kProgramName, version(), build_commit());
    return cl;
  } catch (const CLI::ParseError& e) {
    throw UsageError(e.what(), fmt::format("Run '{} --help' for usage and examples.", kProgramName));
  }

  if (params->parsed()) {
    cl.command = Command::params;
    check_params(cl.params);
  } else if (lesson->parsed()) {
    cl.command = Command::lesson;
    if (cl.lesson.check && cl.lesson.name.empty()) {
      throw UsageError("--check needs a lesson, e.g. attn-explain lesson --check ./my-lesson.json");
    }
    if (!cl.lesson.html_file.empty() && cl.lesson.name.empty()) {
      throw UsageError("--html needs a lesson, e.g. attn-explain lesson journey --html journey.html");
    }
  } else if (render->parsed()) {
    cl.command = Command::render;
    cl.render.given = given_options(*render, render_keys(), cl.render_texts);
  } else if (serve->parsed()) {
    cl.command = Command::serve;
  } else if (timeline->parsed()) {
    cl.command = Command::timeline;
  } else if (table->parsed()) {
    cl.command = Command::table_extract;
  } else if (exercise->parsed()) {
    cl.command = Command::exercise;
    check_exercise(cl.exercise);
  } else {
    cl.main.given = given_options(app, run_keys(), cl.main_texts);
    const bool listing = std::any_of(cl.main.given.begin(), cl.main.given.end(),
                                     [](const auto& kv) { return kv.first == "snapshot" && kv.second == "list"; });
    if (cl.main.words.empty() && !listing) {
      throw UsageError("give a sentence, e.g. attn-explain \"How are you doing?\"",
                       fmt::format("Run '{} --help' for usage and examples.", kProgramName));
    }
  }
  return cl;
}

}  // namespace attn
