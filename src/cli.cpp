#include "cli.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <unistd.h>

#include "attn/atomic_file.hpp"
#include "attn/compare.hpp"
#include "attn/data_dir.hpp"
#include "attn/embedding_table.hpp"
#include "attn/error.hpp"
#include "attn/explanations.hpp"
#include "attn/explorer.hpp"
#include "attn/lesson.hpp"
#include "attn/render_compare.hpp"
#include "attn/render_focus.hpp"
#include "attn/render_table.hpp"
#include "attn/style.hpp"
#include "attn/trace_json.hpp"
#include "cli_exercise.hpp"
#include "pager.hpp"

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

Colour: on a terminal only; --color never or NO_COLOR=1 turns it off, --color always forces it.
Exit status: 0 success, 1 bad input data, 2 bad usage.
Documentation: docs/ in the source tree, or the README.
)";

struct Options {
  std::vector<std::string> words;
  std::string embeddings;
  std::string projection = "auto";
  std::uint64_t seed = 123;
  std::optional<std::size_t> d_out;
  bool no_scale = false;
  bool qkv_bias = false;
  std::string softmax = "stable";
  bool causal = false;
  std::string causal_method = "inf";
  double dropout = 0.0;
  std::optional<std::string> dropout_seed;
  std::size_t heads = 1;
  std::string multihead = "wrapper";
  std::string oov = "hash";
  int precision = 4;
  bool json = false;
  std::string trace_file;
  std::string color = "auto";
  std::string stages;  // comma-separated stage names; empty: all
  bool explain = false;
  bool step = false;
  std::optional<std::string> focus;
  std::string compare;
};

// Options shared by the main command and `lesson`.
struct TextOptions {
  int precision = 4;
  std::string color = "auto";
  bool explain = false;
};

void print_error(const std::string& what, const std::string& hint) {
  std::string text = fmt::format("{}: error: {}\n", kProgram, what);
  if (!hint.empty()) text += hint + "\n";
  std::fputs(text.c_str(), stderr);
}

// A seed is what torch.manual_seed accepts here: a whole number from 0 to 2^64 - 1.
std::string whole_number_u64(const std::string& text) {
  const std::string range = "expected a whole number from 0 to 18446744073709551615";
  if (text.empty() || text.size() > 20 || text.find_first_not_of("0123456789") != std::string::npos ||
      (text.size() == 20 && text > "18446744073709551615")) {
    return range + ", got " + text;
  }
  return {};
}

OovPolicy parse_oov(const std::string& s) {
  if (s == "zero") return OovPolicy::zero;
  if (s == "error") return OovPolicy::error;
  return OovPolicy::hash;
}

std::string read_stdin() {
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

struct ParamsOptions {
  std::uint64_t d_in = 0;
  std::uint64_t d_out = 0;
  std::uint64_t heads = 1;
  std::string multihead = "split";
  bool qkv_bias = false;
  bool json = false;
};

int run_params(const ParamsOptions& p) {
  const Multihead multihead = p.multihead == "wrapper" ? Multihead::wrapper : Multihead::split;
  if (multihead == Multihead::split && p.d_out % p.heads != 0) {
    throw UsageError(fmt::format("--heads {}: with --multihead split, --d-out {} must be divisible by the number of heads",
                                 p.heads, p.d_out));
  }
  const ParameterCount count = count_parameters(p.d_in, p.d_out, p.heads, multihead, p.qkv_bias);
  const std::string out = p.json ? format_json(parameter_count_to_json(count, p.d_in, p.d_out, p.heads, multihead, p.qkv_bias))
                                 : render_parameter_count(count, p.d_in, p.d_out, p.heads, multihead);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

bool color_for(const std::string& mode) { return use_color(mode, isatty(STDOUT_FILENO) == 1, std::getenv("NO_COLOR")); }

std::optional<Explanations> explanations_for(bool wanted) {
  if (!wanted) return std::nullopt;
  return load_explanations(find_data_file(kExplanationsFile));
}

// --stages: a comma-separated list of stage names.
std::string check_stage_list(const std::string& list) {
  std::string names;
  for (const char* name : kStageNames) {
    if (!names.empty()) names += ',';
    names += name;
  }
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    const std::string name = list.substr(start, comma - start);
    if (std::find(std::begin(kStageNames), std::end(kStageNames), name) == std::end(kStageNames)) {
      return fmt::format("\"{}\" is not a stage; the stages are {}", name, names);
    }
    start = comma + 1;
  }
  return {};
}

std::set<std::string> split_stages(const std::string& list) {
  std::set<std::string> stages;
  std::size_t start = 0;
  while (!list.empty() && start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    stages.insert(list.substr(start, comma - start));
    start = comma + 1;
  }
  return stages;
}

void write_stdout(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (std::fflush(stdout) != 0) throw DataError("cannot write to standard output");
}

int run(const Options& o) {
  if (o.words.empty()) {
    throw UsageError("give a sentence, e.g. attn-explain \"How are you doing?\"");
  }
  Request request;
  if (o.words.size() == 1 && o.words[0] == "-") {
    request.sentence = read_stdin();
  } else {
    for (const std::string& w : o.words) request.sentence += (request.sentence.empty() ? "" : " ") + w;
  }
  request.projection = o.projection;
  request.seed = o.seed;
  request.d_out = o.d_out;
  request.scale = !o.no_scale;
  request.qkv_bias = o.qkv_bias;
  request.softmax = o.softmax == "naive" ? Softmax::naive : o.softmax == "sum" ? Softmax::sum : Softmax::stable;
  request.causal = o.causal;
  request.causal_method = o.causal_method == "renorm" ? CausalMethod::renorm : CausalMethod::inf;
  request.dropout = o.dropout;
  if (o.dropout_seed) request.dropout_seed = std::stoull(*o.dropout_seed);
  request.heads = o.heads;
  request.multihead = o.multihead == "split" ? Multihead::split : Multihead::wrapper;
  request.oov = parse_oov(o.oov);

  const EmbeddingTable table = load_table(o.embeddings.empty() ? find_data_file(kDefaultTable) : resolve_table(o.embeddings));
  const bool color = color_for(o.color);

  if (!o.compare.empty()) {
    const CompareOptions co{o.precision, color};
    write_stdout(o.compare == "scale"
                     ? render_scale_comparison(compare_scale(request, table), co)
                     : render_softmax_comparison(compare_softmax(request, table, load_table(find_data_file(kOverflowTable))),
                                                 co));
    return 0;
  }

  const Trace trace = explore(request, table);
  // Find the focus token before anything is written, so a wrong one writes nothing.
  const std::size_t focus_row = o.focus ? find_focus(trace, *o.focus) : 0;

  if (!trace.oov_tokens.empty()) {
    std::string list;
    for (const auto& w : trace.oov_tokens) list += (list.empty() ? "\"" : ", \"") + w + "\"";
    std::fputs(fmt::format("{}: note: not in {}: {}; {}\n", kProgram, table.source, list,
                           std::string(trace.oov_tokens.size() == 1 ? "it gets" : "they get") +
                               (request.oov == OovPolicy::zero ? " zero vectors" : " vectors hashed from their spelling"))
                   .c_str(),
               stderr);
  }

  for (const std::string& w : all_warnings(trace)) {
    std::fputs(fmt::format("{}: warning: {}\n", kProgram, w).c_str(), stderr);
  }

  std::string json_text;
  if (o.json || !o.trace_file.empty()) json_text = format_json(trace_to_json(trace));
  if (!o.trace_file.empty()) write_file_atomically(o.trace_file, json_text);
  if (o.json) {
    write_stdout(json_text);
    return 0;
  }

  const std::optional<Explanations> explanations = explanations_for(o.explain);
  RenderOptions ro = with_precision(o.precision);
  ro.color = color;
  ro.stages = split_stages(o.stages);
  ro.explain = explanations ? &*explanations : nullptr;
  std::vector<Section> sections = render_sections(trace, ro);
  // With --focus, the tables print only when --stages asks for them.
  if (o.focus) {
    if (o.stages.empty()) sections.resize(1);
    sections.push_back({"focus", fmt::format("\n{}", render_focus(trace, focus_row, FocusOptions{o.precision, color}))});
  }

  Pager pager(o.step);
  if (!pager.pausing()) {
    std::string all;
    for (const Section& section : sections) all += section.text;
    write_stdout(all);
    return 0;
  }
  for (std::size_t i = 0; i < sections.size(); ++i) {
    if (!pager.show(sections[i].text, i + 1 == sections.size())) break;
  }
  return 0;
}

struct LessonCommand {
  std::string name;
  bool json = false;
  TextOptions text;
};

int run_lesson(const LessonCommand& c) {
  const std::vector<Lesson> lessons = load_lessons();
  if (c.name.empty()) {
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
      out += fmt::format("  {}  {} ({} steps)\n  {}  {}\n", pad_right(l.name, width), l.title, l.steps.size(),
                         std::string(width, ' '), l.source);
    }
    write_stdout(out);
    return 0;
  }
  const Lesson& lesson = find_lesson(lessons, c.name);
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
  const std::optional<Explanations> explanations = explanations_for(c.text.explain);
  const std::vector<std::string> pages =
      render_lesson(lesson, LessonOptions{c.text.precision, color_for(c.text.color), explanations ? &*explanations : nullptr});
  Pager pager(true);
  for (std::size_t i = 0; i < pages.size(); ++i) {
    if (!pager.show(pages[i], i + 1 == pages.size())) break;
  }
  return 0;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"attn-explain: watch self-attention compute, stage by stage, with the tutorials' numbers.",
               kProgram};
  app.footer(kExamples);
  app.set_version_flag("-V,--version", fmt::format("{} {}", kProgram, version()));
  app.get_formatter()->column_width(34);

  Options o;
  app.add_option("sentence", o.words,
                 "The sentence to attend over (quote it, or give its words as separate arguments; - reads stdin)");
  app.add_option("-e,--embeddings", o.embeddings, "Embedding table (JSON); default: the bundled default.json")
      ->type_name("FILE");
  app.add_option("-p,--projection", o.projection,
                 "How Q, K, V are made: auto (table if it has weights, else rand), none (Q=K=V=X), "
                 "rand (torch.rand, SelfAttention_v1), linear (nn.Linear, SelfAttention_v2), table")
      ->check(CLI::IsMember({"auto", "none", "rand", "linear", "table"}))
      ->capture_default_str();
  app.add_option("-s,--seed", o.seed, "Seed for --projection rand, as torch.manual_seed(N)")
      ->check(CLI::Validator(whole_number_u64, ""))
      ->type_name("N")
      ->capture_default_str();
  app.add_option("--d-out", o.d_out, "Width of queries, keys and values (default: d_in)")
      ->check(CLI::Range(1, 4096))
      ->type_name("N");
  app.add_flag("--no-scale", o.no_scale, "Skip the division by sqrt(d_k)");
  app.add_flag("--qkv-bias", o.qkv_bias, "Give the nn.Linear projections biases (with --projection linear)");
  app.add_option("--softmax", o.softmax,
                 "Normalisation: stable (max subtracted), naive (exp over sum, can overflow), sum (divide by the row sum)")
      ->check(CLI::IsMember({"stable", "naive", "sum"}))
      ->capture_default_str();
  app.add_flag("--causal", o.causal, "Mask the future: each token attends only to itself and earlier tokens");
  app.add_option("--causal-method", o.causal_method,
                 "inf (-inf above the diagonal before the softmax) or renorm (zero after it, renormalise rows)")
      ->check(CLI::IsMember({"inf", "renorm"}))
      ->capture_default_str();
  app.add_option("--dropout", o.dropout, "Dropout on the attention weights, as nn.Dropout(P) in training mode")
      ->type_name("P")
      ->capture_default_str();
  app.add_option("--dropout-seed", o.dropout_seed, "Re-seed the generator after the weights, before the first mask")
      ->check(CLI::Validator(whole_number_u64, ""))
      ->type_name("N");
  app.add_option("--heads", o.heads, "Number of attention heads")->check(CLI::Range(1, 256))->capture_default_str();
  app.add_option("--multihead", o.multihead,
                 "wrapper (independent heads, concatenated) or split (one projection split into heads, then out_proj)")
      ->check(CLI::IsMember({"wrapper", "split"}))
      ->capture_default_str();
  app.add_option("--oov", o.oov, "Unknown words: hash (a vector derived from the word), zero, error")
      ->check(CLI::IsMember({"hash", "zero", "error"}))
      ->capture_default_str();
  app.add_option("--precision", o.precision, "Decimals shown in tables")
      ->check(CLI::Range(0, 9))
      ->capture_default_str();
  CLI::Option* focus = app.add_option("-f,--focus", o.focus,
                                      "Spell out one token's arithmetic, number by number: its text or its 1-based position")
                           ->type_name("TOKEN|N");
  CLI::Option* stages = app.add_option("--stages", o.stages,
                                       "Print only these stages, e.g. scores,weights (inputs, params, queries, keys, values, "
                                       "scores, scaled, mask, weights, dropout, context, heads, output)")
                            ->check(CLI::Validator(check_stage_list, "LIST"))
                            ->type_name("LIST");
  CLI::Option* explain = app.add_flag("--explain", o.explain, "Before each stage, a few plain lines on what it does and why");
  CLI::Option* step = app.add_flag("--step", o.step, "On a terminal, pause after each stage (Enter: next, q: quit)");
  CLI::Option* compare = app.add_option("--compare", o.compare,
                                        "Side by side: scale (with and without sqrt(d_k), also at d_k = 64) or softmax "
                                        "(sum, naive, stable, and a case where naive overflows)")
                             ->check(CLI::IsMember({"scale", "softmax"}))
                             ->type_name("WHAT");
  compare->excludes(focus)->excludes(stages)->excludes(step)->excludes(explain);
  app.add_option("--color", o.color, "Colour: auto (only on a terminal, not with NO_COLOR), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  CLI::Option* json = app.add_flag("--json", o.json, "Print only the trace, as JSON, on stdout");
  json->excludes(focus)->excludes(stages)->excludes(explain)->excludes(step)->excludes(compare);
  app.add_option("--trace", o.trace_file, "Also write the JSON trace to FILE (atomically)")->type_name("FILE");

  ExerciseCommand ec;
  std::string exercise_color = "auto";
  CLI::App* exercise = app.add_subcommand("exercise", "Exercises from the walkthroughs: pose one, check your answer, hints, solutions");
  exercise->footer(
      "Examples:\n"
      "  attn-explain exercise                        the exercises, and which you have solved\n"
      "  attn-explain exercise dot-product            pose one (or give its number in the list)\n"
      "  attn-explain exercise dot-product --hint     the next hint\n"
      "  attn-explain exercise dot-product --answer 0.95\n"
      "                                               check your answer (exit 0 right, 1 wrong)\n"
      "  attn-explain exercise context-vector --answer \"0.44, 0.65, 0.57\"\n"
      "  attn-explain exercise dot-product --solution the worked solution\n"
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
  exercise->add_option("--precision", ec.precision, "Decimals shown")->check(CLI::Range(0, 9))->capture_default_str();
  exercise->add_option("--color", exercise_color, "auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();

  ParamsOptions po;
  CLI::App* params = app.add_subcommand("params", "Count the trainable parameters of the module (the book's exercise 3.3)");
  params->footer("Example:\n  attn-explain params --d-in 768 --d-out 768 --heads 12\n"
                 "      the chapter's GPT-2-size MultiHeadAttention: 2,360,064 parameters\n");
  params->add_option("--d-in", po.d_in, "Input width d_in")->required()->check(CLI::Range(1, 1 << 20))->type_name("A");
  params->add_option("--d-out", po.d_out, "Output width d_out")->required()->check(CLI::Range(1, 1 << 20))->type_name("B");
  params->add_option("--heads", po.heads, "Number of heads")->check(CLI::Range(1, 4096))->type_name("H")->capture_default_str();
  params->add_option("--multihead", po.multihead, "wrapper or split")
      ->check(CLI::IsMember({"wrapper", "split"}))
      ->capture_default_str();
  params->add_flag("--qkv-bias", po.qkv_bias, "The query, key and value projections have biases");
  params->add_flag("--json", po.json, "Print the count as JSON");

  LessonCommand lc;
  CLI::App* lesson = app.add_subcommand("lesson", "List the lessons, or run one: a narrated walkthrough of a tutorial's example");
  lesson->footer("Examples:\n  attn-explain lesson\n      the lessons, with the document each one replays\n"
                 "  attn-explain lesson journey\n      the book's example, step by step (Enter: next, q: quit)\n"
                 "  attn-explain lesson --json\n      the list as JSON: [{\"name\", \"title\", \"source\", \"summary\", \"steps\"}]\n");
  lesson->add_option("name", lc.name, "The lesson to run (none: list them)")->type_name("NAME");
  lesson->add_flag("--json", lc.json, "The list (or, with NAME, the lesson's steps and commands) as JSON");
  lesson->add_flag("--explain", lc.text.explain, "A few plain lines on each stage a step shows");
  lesson->add_option("--precision", lc.text.precision, "Decimals shown")->check(CLI::Range(0, 9))->capture_default_str();
  lesson->add_option("--color", lc.text.color, "auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
    return 0;
  } catch (const CLI::CallForVersion&) {
    std::fputs(fmt::format("{} {}\n", kProgram, version()).c_str(), stdout);
    return 0;
  } catch (const CLI::ParseError& e) {
    print_error(e.what(), fmt::format("Run '{} --help' for usage and examples.", kProgram));
    return 2;
  }

  try {
    if (params->parsed()) return run_params(po);
    if (lesson->parsed()) return run_lesson(lc);
    if (exercise->parsed()) {
      if (ec.id.empty() && (ec.hint || ec.solution || ec.answer)) {
        throw UsageError("--hint, --solution and --answer need an exercise, e.g. attn-explain exercise dot-product --hint");
      }
      if (!ec.id.empty() && ec.reset) throw UsageError("--reset clears all progress; give it without an exercise");
      ec.color = color_for(exercise_color);
      return run_exercise(ec);
    }
    return run(o);
  } catch (const Error& e) {
    print_error(e.what(), e.hint());
    return e.exit_code();
  } catch (const std::bad_alloc&) {
    print_error("out of memory", "");
    return 1;
  } catch (const std::exception& e) {
    print_error(fmt::format("internal error: {}", e.what()), "please report this as a bug");
    return 70;
  }
}

}  // namespace attn
