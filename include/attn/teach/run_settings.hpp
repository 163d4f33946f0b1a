// run_settings.hpp: the settings of one run as data files write them.
//
// Lessons and exercises describe a run with a "run" object whose keys mirror
// the command-line options (docs/lesson-format.md):
//   sentence, embeddings, projection, seed, d_out, scale, qkv_bias, softmax,
//   causal, causal_method, dropout, dropout_seed, heads, multihead, positions;
// or, for a trained model (--model), sentence, model, layer, head, positions, snapshot.
// apply_run() merges such an object over RunSettings, refusing unknown keys,
// wrong types and values out of range with a DataError that starts with
// `where`. settings_flags() gives back the options that reproduce the run.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "attn/explorer.hpp"
#include "attn/util/json_fields.hpp"
#include "attn/stage.hpp"

namespace attn {

// The settings of one run: a bundled table's name and the request.
struct RunSettings {
  std::string embeddings = "default.json";
  Request request;
  std::string model;      // a bundled model's name or a folder: a model run (--model); empty: a table run
  std::size_t layer = 1;  // a model run's block, from 1 (--layer)
  std::size_t head = 1;   // the head the tables and the "expect" claims read, from 1 (--head)
  Positions model_positions = Positions::learned;  // a model run's: none with --no-positions
  std::string snapshot;   // a model run's training snapshot: a step, first or last (--snapshot); empty: the final weights
};

void apply_run(const nlohmann::json& run, const std::string& where, RunSettings& settings);

// Refuses a "head" beyond the run's heads (a table run has `heads`, a model's
// block its own): DataError `"head" <h>: the run has <n> heads, expected 1 to <n>`
// ("the model" for a model's run). Nothing reads a head that is not there.
void check_head(const RunSettings& settings, const Trace& trace);

// A model run's trace (settings.model set): block `layer` of the model, every head.
// Throws DataError as explore(ModelRequest, model) does, and for a head beyond the model's heads.
// A model is opened once per process (the first step or exercise that names it) and
// kept open for the later ones: a lesson of five steps on GPT-2 reads its 548 MB once.
// REQUIRES: !settings.model.empty().
Trace model_trace(const RunSettings& settings);

// " --embeddings journey.json --projection none ...": each option that differs
// from its default, each with a leading space; the sentence is not included.
std::string settings_flags(const RunSettings& settings);

// The attn-explain command line: the options, `extra` (e.g. " --focus it"),
// then the sentence quoted for a POSIX shell.
std::string command_line(const RunSettings& settings, const std::string& extra = "");

// `text` quoted for a POSIX shell: double quotes when that is safe, else single quotes.
std::string shell_quote(const std::string& text);

// The stages a lesson step or an exercise lists under `key` ("show"), each a
// name of kStageNames; a DataError from `f` for any other name.
std::vector<Stage> read_stages(const Fields& f, const char* key);

}  // namespace attn
