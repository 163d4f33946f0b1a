// cli_docs.hpp: the command line described as data, and the man page and shell
// completions written from that description.
//
// describe_command_line() walks the parser parse_command_line() runs
// (make_command_line_app, cli_options.hpp): every option of every command with
// its names, value name, description, default and allowed values, as --help
// shows them. The writers turn that into attn-explain.1 (roff) and the bash, zsh
// and fish completion scripts; tools/gen_cli_docs writes them at build time, so
// an option added to the parser appears in all of them without another edit.
//
// Promises:
//   - Every option --help lists (-h and -V included) is in `options`, in the
//     order --help lists them; positionals are in `positionals`.
//   - The writers are pure: the same description gives the same bytes.
#pragma once

#include <string>
#include <vector>

namespace attn {

struct OptionDoc {
  std::vector<std::string> names;    // "-p", "--projection": short names first
  std::string value;                 // the value's name ("N", "FILE", "TEXT"); empty for a flag
  std::string description;
  std::string default_value;         // empty: none shown
  std::vector<std::string> choices;  // the allowed values of an enumerated option
  bool file = false;                 // the value is a file or folder name
  bool required = false;
};

struct PositionalDoc {
  std::string name;         // "sentence", "name", "id", "trace"
  std::string value;        // its value name ("NAME|FILE")
  std::string description;
  bool file = false;        // a file name may be given
  bool many = false;        // takes several words
  // A subcommand of the program that lists the allowed names as JSON, one
  // object per name with the key `list_key` ("lesson" --json, key "name").
  std::string list_command;
  std::string list_key;
};

struct CommandDoc {
  std::string name;         // "" for the main command, else the subcommand's path ("lesson", "table extract")
  std::vector<std::string> subcommands;  // the names of its own subcommands ("extract")
  std::string description;
  std::string footer;       // the examples --help prints after the options
  std::vector<OptionDoc> options;
  std::vector<PositionalDoc> positionals;
};

struct ProgramDoc {
  std::string program;      // "attn-explain"
  std::string version;      // "0.1.0"
  // The main command first, then each subcommand in --help's order, each followed by its own.
  std::vector<CommandDoc> commands;
};

ProgramDoc describe_command_line();

std::string man_page(const ProgramDoc& doc);
std::string bash_completion(const ProgramDoc& doc);
std::string zsh_completion(const ProgramDoc& doc);
std::string fish_completion(const ProgramDoc& doc);

}  // namespace attn
