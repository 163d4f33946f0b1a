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
#include "attn/stage.hpp"
#include "cli_exercise.hpp"
#include "cli_table.hpp"

namespace CLI {
class App;
}

namespace attn {

// attn-explain [options] SENTENCE
struct MainOptions {
  std::vector<std::string> words;  // the sentence, possibly as separate words; {"-"}: read stdin
  std::string embeddings;
  std::string vector_format = "auto";  // --format: of the --embeddings file (word_vectors.hpp)
  std::string projection = "auto";
  std::uint64_t seed = 123;
  std::optional<std::size_t> d_out;
  bool no_scale = false;
  bool qkv_bias = false;
  std::string softmax = "stable";
  bool causal = false;
  std::string causal_method = "inf";
  double dropout = 0.0;
  std::optional<std::uint64_t> dropout_seed;
  std::size_t heads = 1;
  std::string multihead = "wrapper";
  std::string oov = "hash";
  std::size_t max_tokens = kDefaultMaxTokens;
  std::uint64_t max_memory = MemoryBudget{}.limit;  // bytes
  int precision = 4;
  bool json = false;
  std::string trace_file;
  std::string html_file;  // --html: also write the run as an HTML page
  std::string svg_file;  // --svg: the weights heatmap
  std::optional<std::size_t> width;  // --width: the columns tables must fit (0: no limit); none: the terminal's
  std::string color = "auto";
  std::string stages;  // comma-separated stage names; empty: all
  bool explain = false;
  bool step = false;
  std::optional<std::string> focus;
  std::string compare;
  // A trained model instead of a table (--model): its folder or a bundled model's name.
  std::string model;
  std::string layer = "1";             // --layer: a block from 1, or "all"
  std::optional<std::size_t> head;     // --head: show only this head's tables, from 1
  std::size_t top = 5;                 // --top: the most likely next tokens kept
  bool max_tokens_given = false;       // --max-tokens was given (a model's default is its n_positions)
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

// attn-explain render TRACE.json [--svg FILE] [table options]
struct RenderCommand {
  std::string trace_file;  // what --json or --trace wrote
  std::string svg_file;    // the weights heatmap instead of the tables
  std::string html_file;   // the report page instead of the tables
  std::string stages;
  bool explain = false;
  std::optional<std::string> focus;
  std::optional<std::size_t> width;
  int precision = 4;
  std::string color = "auto";
};

enum class Command { explore, params, lesson, exercise, render, table_extract };

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

// The names of a settings.hpp table (kSoftmaxNames, ...), after `first`.
template <class Names>
std::vector<std::string> names_in(const Names& table, std::vector<std::string> first = {}) {
  for (const auto& n : table) first.push_back(n.name);
  return first;
}

// A check that the value is one of `allowed` ("expected a, b or c, got \"x\""),
// named kChoicesValidator + "a|b|c" for the man page and the completions.
CLI::Validator one_of(std::vector<std::string> allowed);

// A check that the value is a whole number from lo to hi in plain digits ("0x10",
// "-1", "1.5", "+3" are not): "expected a whole number from 1 to 256, got \"0\"".
CLI::Validator whole_number(std::uint64_t lo, std::uint64_t hi);

// A check that a file name was given: anything but the empty string.
CLI::Validator file_name();

// "a,b,,c" split on ',' → a | b | "" | c ("" → one empty part).
std::vector<std::string> split_on(const std::string& list, char separator);

// The stages a --stages list names; all (an empty set) for "".
// REQUIRES: the list passed --stages' check (parse_command_line).
std::set<Stage> stages_in(const std::string& list);

// The explorer's request for `sentence` with the options' settings.
Request make_request(const MainOptions& options, std::string sentence);

}  // namespace attn
