// run_keys.hpp: the keys a run and a render take, each with its default and its check.
//
// One table per command says, for every option of the explorer (run_keys()) and
// of `render` (render_keys()): its key (the long option's name without the
// dashes), the text of its default ("" for none), and what its value may be (a
// check from option_values.hpp, with the short description --help shows after the
// type, "1..256"). The command-line parser builds its validators and defaults from
// these tables and the run plan's resolver checks and converts by them, so an
// option's range is written once. A flag takes "true" (or "false": not given).
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace attn {

struct KeyRule {
  std::string key;
  std::string default_text;                                  // "": no default
  std::function<std::string(const std::string&)> check;     // "" when allowed, else the reason; none: any text
  std::string description;                                    // "1..256", "[0,1)"; shown by --help
  std::vector<std::string> choices;                           // a value list (--color's): completed by shells
  bool flag = false;
};

// The explorer's keys: every option of attn-explain [options] SENTENCE, and "sentence".
const std::vector<KeyRule>& run_keys();
// attn-explain render's keys, and "trace" (the saved trace's file).
const std::vector<KeyRule>& render_keys();

// REQUIRES: `key` is in `rules`.
const KeyRule& rule_named(const std::vector<KeyRule>& rules, const std::string& key);

// The option a key is on the command line: "heads" → "--heads".
std::string flag_name(const std::string& key);

// Keys that exclude each other (the first is named in the message, as CLI11 does).
extern const std::vector<std::pair<const char*, const char*>> kRunExclusions;
extern const std::vector<std::pair<const char*, const char*>> kRenderExclusions;

// The explorer's keys a model run refuses, each with the reason.
extern const std::vector<std::pair<const char*, const char*>> kNotForModels;

}  // namespace attn
