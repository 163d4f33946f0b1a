// cli_run_options.hpp: the explorer's and render's options on the command line.
//
// Both commands' options are bound to their text (OptionTexts), checked by the
// rules of run_keys.hpp as argv is parsed, and handed on as RawOptions: what
// run_plan.hpp resolves. Nothing here converts an option's value.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "run_plan.hpp"
#include "run_keys.hpp"

namespace CLI {
class App;
}

namespace attn {

// The texts the parser binds the options to, by key, and the flags.
struct OptionTexts {
  std::map<std::string, std::string> text;
  std::map<std::string, bool> flags;
};

// attn-explain [options] SENTENCE: the options, bound into `texts` and `words`.
void add_main_options(CLI::App& app, OptionTexts& texts, std::vector<std::string>& words);

// attn-explain render TRACE.json [options]. Returns the subcommand.
CLI::App* add_render_command(CLI::App& app, OptionTexts& texts);

// The options of `rules` given on `app`'s command line, key → value (a flag: "true").
RawOptions given_options(const CLI::App& app, const std::vector<KeyRule>& rules, const OptionTexts& texts);

}  // namespace attn
