// cli_options.hpp: the command line, parsed and checked, before anything runs.
//
// parse_command_line() turns argv into one of four commands (the explorer,
// `params`, `lesson`, `exercise`) with every option value checked against its
// allowed range. It reads no file, writes nothing and computes nothing, so it
// can be called on any argv (the option fuzzer does).
//
// Promises:
//   - Any argv either parses or throws UsageError whose message names the
//     option and its allowed values ("--heads: expected a whole number from 1
//     to 256, got 0"); it never crashes or prints.
//   - --help and --version are not errors: `print` holds the text to show.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "attn/explorer.hpp"
#include "cli_exercise.hpp"
#include "cli_run_options.hpp"
#include "option_values.hpp"
#include "cli_table.hpp"
#include "serve.hpp"

namespace CLI {
class App;
}

namespace attn {

// attn-explain [options] SENTENCE, as parsed: its words, and every other option
// given, as text (run_plan.hpp's resolve_run() turns them into a RunPlan).
struct MainOptions {
  std::vector<std::string> words;  // the sentence, possibly as separate words; {"-"}: read stdin
  RawOptions given;                // key → value, in the order of run_keys()
};

// attn-explain params --d-in A --d-out B [--heads H]
struct ParamsOptions {
  std::uint64_t d_in = 0;
  std::uint64_t d_out = 0;
  std::uint64_t heads = 1;
  std::string multihead_name = "wrapper";  // as typed; the main command's default
  Multihead multihead = Multihead::wrapper;  // what it names
  bool qkv_bias = false;
  bool json = false;
};

// attn-explain lesson [NAME]
struct LessonCommand {
  std::string name;  // a bundled lesson's name or a lesson file; empty: list the lessons
  bool check = false;  // run every step and check every claim, print a summary
  bool json = false;
  bool explain = false;
  int precision = 4;
  std::string color = "auto";
  std::string html_file;  // --html: write the lesson as an HTML page instead of paging through it
};

// attn-explain render TRACE.json [--svg FILE] [table options], as parsed
// (run_plan.hpp's resolve_render() turns it into a RenderPlan).
struct RenderCommand {
  RawOptions given;  // key → value, the trace file under "trace"
};

// attn-explain timeline [--model NAME] [--layer L|all] [--head H] [--focus TOKEN] SENTENCE
// (timeline.hpp): one head at every training snapshot.
struct TimelineCommand {
  std::string model = "demo";
  std::string layer;   // a layer from 1, "all", or empty (the default head's)
  std::size_t head = 0;  // from 1; 0: the default head
  std::optional<std::string> focus;  // nothing: the last token ("" is refused as the main command refuses it)
  bool json = false;
  std::string html_file;
  int precision = 2;
  std::string color = "auto";
  std::vector<std::string> words;
};

enum class Command { explore, params, lesson, exercise, render, table_extract, serve, timeline };

struct CommandLine {
  Command command = Command::explore;
  std::optional<std::string> print;  // --help or --version: print this on stdout and exit 0
  MainOptions main;
  ParamsOptions params;
  LessonCommand lesson;
  ExerciseCommand exercise;
  std::string exercise_color = "auto";
  RenderCommand render;
  TableExtractCommand table;  // attn-explain table extract
  ServeCommand serve;         // attn-explain serve
  TimelineCommand timeline;   // attn-explain timeline
  OptionTexts main_texts;     // what the parser binds the explorer's options to
  OptionTexts render_texts;   // and render's
};

// REQUIRES: argv[0..argc) are NUL-terminated strings (argv[0] is the program).
// Throws UsageError.
CommandLine parse_command_line(int argc, const char* const* argv);

// The parser parse_command_line() runs: every option and subcommand, bound to
// `cl`'s fields, with the descriptions --help prints. The man page and the shell
// completions are generated from it (src/cli/gen_cli_docs.cpp), so that they
// name the same options. An option whose values are a fixed list carries a
// validator named kChoicesValidator followed by the values joined with '|'
// ("choices:auto|always|never").
// REQUIRES: `cl` outlives the returned parser.
inline constexpr const char* kChoicesValidator = "choices:";
std::unique_ptr<CLI::App> make_command_line_app(CommandLine& cl);

// A check that the value is one of `allowed` ("expected a, b or c, got \"x\""),
// named kChoicesValidator + "a|b|c" for the man page and the completions.
CLI::Validator one_of(std::vector<std::string> allowed);

// A check that the value is a whole number from lo to hi in plain digits ("0x10",
// "-1", "1.5", "+3" are not): "expected a whole number from 1 to 256, got \"0\"".
CLI::Validator whole_number(std::uint64_t lo, std::uint64_t hi);

// A check that a file name was given: anything but the empty string.
CLI::Validator file_name();

}  // namespace attn
