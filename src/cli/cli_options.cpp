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

#include "attn/util/data_dir.hpp"
#include "attn/util/error.hpp"
#include "attn/compare.hpp"
#include "attn/stage.hpp"
#include "attn/trace.hpp"

namespace attn {

namespace {

constexpr const char* kProgram = "attn-explain";

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
  return CLI::Validator(
      [lo, hi](const std::string& text) -> std::string {
        const std::string expected = fmt::format("expected a whole number from {} to {}, got \"{}\"", lo, hi, text);
        if (text.empty() || text.size() > 20 || text.find_first_not_of("0123456789") != std::string::npos) return expected;
        errno = 0;
        const unsigned long long value = std::strtoull(text.c_str(), nullptr, 10);
        if (errno == ERANGE || value < lo || value > hi) return expected;
        return {};
      },
      fmt::format("{}..{}", lo, hi));
}

namespace {

// A dropout probability: a finite number with 0 <= p < 1.
CLI::Validator probability() {
  return CLI::Validator(
      [](const std::string& text) -> std::string {
        const std::string expected = fmt::format("expected a probability from 0 up to (not including) 1, got \"{}\"", text);
        if (text.empty() || text.find_first_not_of("0123456789.eE+-") != std::string::npos) return expected;
        char* end = nullptr;
        errno = 0;
        const double p = std::strtod(text.c_str(), &end);
        if (end != text.c_str() + text.size() || errno == ERANGE || !(p >= 0.0 && p < 1.0)) return expected;
        return {};
      },
      "[0,1)");
}

// --max-memory: a whole number and a unit, K, M, G or T (1024, 1024², ...), from
// 1M to 1T; rewritten to the number of bytes.
CLI::Validator memory_size() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const std::string expected = fmt::format("expected a size from 1M to 1T, such as 512M or 4G, got \"{}\"", text);
        if (text.empty()) return expected;
        const char last = static_cast<char>(std::toupper(static_cast<unsigned char>(text.back())));
        const std::size_t unit = std::string_view("KMGT").find(last);
        const std::string digits = text.substr(0, text.size() - 1);
        if (unit == std::string_view::npos || digits.empty() || digits.size() > 16 ||
            digits.find_first_not_of("0123456789") != std::string::npos) {
          return expected;
        }
        const std::uint64_t value = std::strtoull(digits.c_str(), nullptr, 10);  // at most 16 digits: no overflow
        const int shift = 10 * static_cast<int>(unit + 1);
        constexpr std::uint64_t kLeast = std::uint64_t{1} << 20, kMost = std::uint64_t{1} << 40;
        if (value > kMost >> shift || value << shift < kLeast) return expected;
        text = std::to_string(value << shift);
        return {};
      },
      "");
}


std::vector<std::string> split_commas(const std::string& list) { return split_on(list, ','); }

// --stages: a comma-separated list of stage names.
std::string check_stage_list(const std::string& list) {
  for (const std::string& name : split_commas(list)) {
    if (!stage_named(name)) return fmt::format("\"{}\" is not a stage; the stages are {}", name, stage_list(","));
  }
  return {};
}

const std::vector<std::string> kColors = {"auto", "always", "never"};

// --layer: a block number from 1, or "all".
std::string check_layer(const std::string& text) {
  if (text == "all") return {};
  if (!text.empty() && text.size() < 6 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
      std::stoul(text) >= 1) {
    return {};
  }
  return fmt::format("expected a layer number from 1, or all; got \"{}\"", text);
}

// The options of a model run (--model) and the table options' --head.
void add_model_options(CLI::App& app, MainOptions& o) {
  app.add_option("-m,--model", o.model,
                 "A trained GPT-2-family model instead of a table: a folder with config.json, model.safetensors, "
                 "vocab.json and merges.txt, or a bundled model's name")
      ->check(CLI::Validator(
          [](const std::string& text) -> std::string { return text.empty() ? "expected a model's folder or name, got \"\"" : ""; },
          ""))
      ->type_name("DIR|NAME");
  app.add_option("--layer", o.layer, "With --model: the block whose attention is shown, from 1, or all (a summary of every head)")
      ->check(CLI::Validator(check_layer, "L|all"))
      ->type_name("L|all")
      ->capture_default_str();
  app.add_option("--head", o.head, "Show only this head's tables, from 1 (the trace keeps every head)")
      ->check(whole_number(1, 4096))
      ->type_name("H");
  app.add_option("--top", o.top, "With --model: the K most likely next tokens, with their probabilities")
      ->check(whole_number(0, 100))
      ->type_name("K")
      ->capture_default_str();
}

// Options of a table run that a model run refuses, each with the reason.
constexpr std::pair<const char*, const char*> kNotForModels[] = {
    {"--embeddings", "the model has its own token and position embeddings"},
    {"--projection", "the model's queries, keys and values come from its trained c_attn weights"},
    {"--seed", "nothing is drawn at random: every weight is the model's"},
    {"--d-out", "the model's width is fixed by its config.json"},
    {"--no-scale", "GPT-2 always divides by √head_dim"},
    {"--qkv-bias", "GPT-2's c_attn always has biases"},
    {"--softmax", "GPT-2 uses the stable softmax"},
    {"--causal", "GPT-2 is always causal"},
    {"--causal-method", "GPT-2 masks with -inf before the softmax"},
    {"--dropout", "a trained model runs without dropout"},
    {"--dropout-seed", "a trained model runs without dropout"},
    {"--heads", "the model's number of heads is fixed by its config.json"},
    {"--multihead", "GPT-2 splits one projection into heads (split)"},
    {"--oov", "GPT-2's byte-level tokenizer has no unknown words"},
    {"--compare", "the comparisons run on the embedding tables"},
    {"--format", "it is the format of an --embeddings file; the model has its own embeddings"},
};

void check_model_options(const CLI::App& app, const MainOptions& o) {
  if (o.model.empty()) {
    for (const char* option : {"--layer", "--top"}) {
      if (app.count(option) > 0) throw UsageError(fmt::format("{} needs --model", option), "e.g. attn-explain --model gpt2 --layer 5 \"The dog chased the ball.\"");
    }
    return;
  }
  for (const auto& [option, reason] : kNotForModels) {
    if (app.count(option) > 0) throw UsageError(fmt::format("{} does not apply with --model: {}", option, reason));
  }
}

// The main command's options: attn-explain [options] SENTENCE.
void add_main_options(CLI::App& app, MainOptions& o) {
  app.add_option("sentence", o.words,
                 "The sentence to attend over (quote it, or give its words as separate arguments; - reads stdin)");
  app.add_option("-e,--embeddings", o.embeddings,
                 "Embedding table: JSON, or a GloVe, word2vec or fastText file; default: the bundled default.json")
      ->check(file_name())
      ->type_name("FILE");
  app.add_option("-p,--projection", o.projection,
                 "How Q, K, V are made: auto (table if it has weights, else rand), none (Q=K=V=X), "
                 "rand (torch.rand, SelfAttention_v1), linear (nn.Linear, SelfAttention_v2), table")
      ->check(one_of(names_in(kProjectionNames, {"auto"})))
      ->capture_default_str();
  app.add_option("-s,--seed", o.seed, "Seed for --projection rand, as torch.manual_seed(N)")
      ->check(whole_number(0, UINT64_MAX))
      ->type_name("N")
      ->capture_default_str();
  app.add_option("--d-out", o.d_out, "Width of queries, keys and values (default: d_in)")
      ->check(whole_number(1, kLargestWidth))
      ->type_name("N");
  app.add_flag("--no-scale", o.no_scale, "Skip the division by sqrt(d_k)");
  app.add_flag("--qkv-bias", o.qkv_bias, "Give the nn.Linear projections biases (with --projection linear)");
  app.add_option("--softmax", o.softmax,
                 "Normalisation: stable (max subtracted), naive (exp over sum, can overflow), sum (divide by the row sum)")
      ->check(one_of(names_in(kSoftmaxNames)))
      ->capture_default_str();
  app.add_flag("--causal", o.causal, "Mask the future: each token attends only to itself and earlier tokens");
  app.add_option("--causal-method", o.causal_method,
                 "inf (-inf above the diagonal before the softmax) or renorm (zero after it, renormalise rows)")
      ->check(one_of(names_in(kCausalMethodNames)))
      ->capture_default_str();
  app.add_option("--dropout", o.dropout, "Dropout on the attention weights, as nn.Dropout(P) in training mode")
      ->check(probability())
      ->type_name("P")
      ->capture_default_str();
  app.add_option("--dropout-seed", o.dropout_seed, "Re-seed the generator after the weights, before the first mask")
      ->check(whole_number(0, UINT64_MAX))
      ->type_name("N");
  app.add_option("--heads", o.heads, "Number of attention heads")
      ->check(whole_number(1, 256))
      ->type_name("N")
      ->capture_default_str();
  app.add_option("--multihead", o.multihead,
                 "wrapper (independent heads, concatenated) or split (one projection split into heads, then out_proj)")
      ->check(one_of(names_in(kMultiheadNames)))
      ->capture_default_str();
  app.add_option("--oov", o.oov, "Unknown words: hash (a vector derived from the word), zero, error")
      ->check(one_of(names_in(kOovNames)))
      ->capture_default_str();
  app.add_option("--max-tokens", o.max_tokens,
                 fmt::format("Refuse a longer sentence (the tables grow as n²; at most {})", kLargestMaxTokens))
      ->check(whole_number(1, kLargestMaxTokens))
      ->type_name("N")
      ->capture_default_str();
  app.add_option("--max-memory", o.max_memory,
                 "Refuse a run estimated to need more memory: 512M, 4G, ... (default 1G)")
      ->transform(memory_size())
      ->type_name("SIZE");
  app.add_option("--precision", o.precision, "Decimals shown in tables")
      ->check(whole_number(0, 9))
      ->type_name("N")
      ->capture_default_str();
  CLI::Option* focus = app.add_option("-f,--focus", o.focus,
                                      "Spell out one token's arithmetic, number by number: its text or its 1-based position")
                           ->type_name("TOKEN|N");
  CLI::Option* stages = app.add_option("--stages", o.stages,
                                       fmt::format("Print only these stages, e.g. scores,weights ({})", stage_list()))
                            ->check(CLI::Validator(check_stage_list, "LIST"))
                            ->type_name("LIST");
  CLI::Option* explain = app.add_flag("--explain", o.explain, "Before each stage, a few plain lines on what it does and why");
  CLI::Option* step = app.add_flag("--step", o.step, "On a terminal, pause after each stage (Enter: next, q: quit)");
  CLI::Option* compare = app.add_option("--compare", o.compare,
                                        "Side by side: scale (with and without sqrt(d_k), also at d_k = 64) or softmax "
                                        "(sum, naive, stable, and a case where naive overflows)")
                             ->check(one_of(names_in(kComparisonNames)))
                             ->type_name("WHAT");
  compare->excludes(focus)->excludes(stages)->excludes(step)->excludes(explain);
  app.add_option("--color", o.color, "Colour: auto (only on a terminal, not with NO_COLOR), always, never")
      ->check(one_of(kColors))
      ->capture_default_str();
  CLI::Option* json = app.add_flag("--json", o.json, "Print only the trace, as JSON, on stdout");
  json->excludes(focus)->excludes(stages)->excludes(explain)->excludes(step)->excludes(compare);
  app.add_option("--trace", o.trace_file, "Also write the JSON trace to FILE (atomically; -: on stdout, instead of the tables)")
      ->check(file_name())
      ->type_name("FILE");
  app.add_option("--html", o.html_file,
                 "Also write the run as one self-contained HTML page to FILE (atomically; -: on stdout, instead of the "
                 "tables): every stage, heatmaps, line views, each cell's arithmetic")
      ->check(file_name())
      ->type_name("FILE");
  app.add_option("--width", o.width,
                 "Columns the tables must fit; wider ones print in blocks of columns (0: no limit; default: the "
                 "terminal's width, none in a pipe)")
      ->check(whole_number(0, 100000))
      ->type_name("N");
  app.add_option("--svg", o.svg_file, "Also write the attention weights as an SVG heatmap to FILE (atomically; -: on stdout, instead of the tables)")
      ->check(file_name())
      ->type_name("FILE");
  add_model_options(app, o);

}

// Word-vector files (issue 16): the --embeddings file's format, detected unless named.
void add_vector_format_option(CLI::App& app, MainOptions& o) {
  app.add_option("--format", o.vector_format,
                 "Format of the --embeddings file: auto (from its first bytes), json, glove, word2vec-text, "
                 "word2vec-bin (docs/word-vectors.md)")
      ->check(one_of(names_in(kVectorFormatNames)))
      ->capture_default_str();
}

// --precision and --color, as the lesson and exercise subcommands take them.
void add_display_options(CLI::App& command, int& precision, std::string& color) {
  command.add_option("--precision", precision, "Decimals shown")->check(whole_number(0, 9))->type_name("N")->capture_default_str();
  command.add_option("--color", color, "auto, always, never")->check(one_of(kColors))->capture_default_str();
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

// attn-explain render TRACE.json: the tables or pictures of a saved run, not computed again.
CLI::App* add_render_command(CLI::App& app, RenderCommand& rc) {
  CLI::App* render = app.add_subcommand("render", "Draw a saved trace (from --json or --trace) again: its tables, or "
                                                  "its pictures, without computing anything");
  render->footer("Examples:\n  attn-explain --trace run.json \"The dog chased the ball, and it rolled away.\" > /dev/null\n"
                 "  attn-explain render run.json\n      the run's tables, as the run printed them\n"
                 "  attn-explain render run.json --svg weights.svg\n      its weights heatmap, the same bytes as --svg on the run\n"
                 "  attn-explain render run.json --html run.html\n      its report page, the same bytes as --html on the run\n"
                 "  attn-explain render run.json --focus it\n      every number behind \"it\", from the saved numbers\n");
  render->add_option("trace", rc.trace_file, "A trace file, as --json prints it or --trace writes it")
      ->required()
      ->check(file_name())
      ->type_name("TRACE.json");
  CLI::Option* svg = render->add_option("--svg", rc.svg_file, "Write the weights heatmap to FILE (-: stdout) instead of the tables")
                         ->check(file_name())
                         ->type_name("FILE");
  render->add_option("--html", rc.html_file, "Write the run as one self-contained HTML page to FILE (-: stdout) instead of the tables")
      ->check(file_name())
      ->type_name("FILE");
  CLI::Option* stages = render->add_option("--stages", rc.stages, fmt::format("Print only these stages ({})", stage_list()))
                            ->check(CLI::Validator(check_stage_list, "LIST"));
  CLI::Option* focus = render->add_option("-f,--focus", rc.focus, "Spell out one token's arithmetic")->type_name("TOKEN|N");
  CLI::Option* explain = render->add_flag("--explain", rc.explain, "A few plain lines on each stage");
  CLI::Option* width = render->add_option("--width", rc.width, "Columns the tables must fit (0: no limit)")
                           ->check(whole_number(0, 100000))
                           ->type_name("N");
  svg->excludes(stages)->excludes(focus)->excludes(explain)->excludes(width);  // the heatmap has no stages
  add_display_options(*render, rc.precision, rc.color);
  return render;
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
  std::string list;
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    list += (i == 0 ? "" : i + 1 == allowed.size() ? " or " : ", ") + allowed[i];
  }
  return CLI::Validator(
      [allowed, list](const std::string& text) -> std::string {
        if (std::find(allowed.begin(), allowed.end(), text) != allowed.end()) return {};
        return fmt::format("expected {}, got \"{}\"", list, text);
      },
      "", fmt::format("{}{}", kChoicesValidator, fmt::join(allowed, "|")));
}

CLI::Validator file_name() {
  return CLI::Validator([](const std::string& text) -> std::string { return text.empty() ? "expected a file name, got \"\"" : ""; },
                        "");
}

std::vector<std::string> split_on(const std::string& list, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t end = std::min(list.find(separator, start), list.size());
    parts.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::unique_ptr<CLI::App> make_command_line_app(CommandLine& cl) {
  auto app = std::make_unique<CLI::App>(
      "attn-explain: watch self-attention compute, stage by stage, with the tutorials' numbers.", kProgram);
  app->footer(kExamples);
  app->set_version_flag("-V,--version", fmt::format("{} {} ({})", kProgram, version(), build_commit()));
  app->get_formatter()->column_width(34);
  add_main_options(*app, cl.main);
  add_vector_format_option(*app, cl.main);
  add_exercise_command(*app, cl.exercise, cl.exercise_color);
  add_params_command(*app, cl.params);
  add_lesson_command(*app, cl.lesson);
  add_render_command(*app, cl.render);
  add_table_command(*app, cl.table);
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
                       fmt::format("Run '{} --version' alone, or '{} --help' for usage and examples.", kProgram, kProgram));
    }
    cl.print = fmt::format("{} {} ({})\n", kProgram, version(), build_commit());
    return cl;
  } catch (const CLI::ParseError& e) {
    throw UsageError(e.what(), fmt::format("Run '{} --help' for usage and examples.", kProgram));
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
  } else if (table->parsed()) {
    cl.command = Command::table_extract;
  } else if (exercise->parsed()) {
    cl.command = Command::exercise;
    check_exercise(cl.exercise);
  } else if (cl.main.words.empty()) {
    throw UsageError("give a sentence, e.g. attn-explain \"How are you doing?\"",
                     fmt::format("Run '{} --help' for usage and examples.", kProgram));
  } else {
    check_model_options(app, cl.main);
    cl.main.max_tokens_given = app.count("--max-tokens") > 0;
  }
  return cl;
}

std::set<Stage> stages_in(const std::string& list) {
  std::set<Stage> stages;
  if (list.empty()) return stages;
  for (const std::string& name : split_commas(list)) stages.insert(*stage_named(name));
  return stages;
}

Request make_request(const MainOptions& o, std::string sentence) {
  Request request;
  request.sentence = std::move(sentence);
  request.projection = value_named(kProjectionNames, o.projection);  // "auto": nothing
  request.seed = o.seed;
  request.d_out = o.d_out;
  request.scale = !o.no_scale;
  request.qkv_bias = o.qkv_bias;
  request.softmax = *value_named(kSoftmaxNames, o.softmax);
  request.causal = o.causal;
  request.causal_method = *value_named(kCausalMethodNames, o.causal_method);
  request.dropout = o.dropout;
  request.dropout_seed = o.dropout_seed;
  request.heads = o.heads;
  request.multihead = *value_named(kMultiheadNames, o.multihead);
  request.oov = *value_named(kOovNames, o.oov);
  request.max_tokens = o.max_tokens;
  request.memory.limit = o.max_memory;  // what the output costs is set where the colour is known (run())
  return request;
}

}  // namespace attn
