#include "attn/teach/run_settings.hpp"

#include <limits>
#include <map>
#include <memory>
#include <mutex>

#include <fmt/format.h>

#include "attn/util/json_fields.hpp"
#include "attn/util/error.hpp"
#include "attn/explorer.hpp"
#include "attn/snapshots.hpp"

namespace attn {

void apply_run(const json& run, const std::string& where, RunSettings& s) {
  const Fields f(run, where + " \"run\"",
                 {"sentence", "embeddings", "projection", "seed", "d_out", "scale", "qkv_bias", "softmax", "causal",
                  "causal_method", "dropout", "dropout_seed", "heads", "multihead", "model", "layer", "head", "positions", "snapshot"});
  Request& r = s.request;
  if (f.has("sentence")) r.sentence = f.text("sentence");
  if (f.has("embeddings")) s.embeddings = f.text("embeddings");
  if (f.has("projection")) {
    std::vector<std::string> names{"auto"};  // auto: nothing, the default
    for (const Named<Projection>& n : kProjectionNames) names.push_back(n.name);
    r.projection = value_named(kProjectionNames, f.choice("projection", names));
  }
  if (f.has("seed")) r.seed = f.whole("seed", 0, std::numeric_limits<std::uint64_t>::max());
  if (f.has("d_out")) r.d_out = f.whole("d_out", 1, 4096);
  if (f.has("scale")) r.scale = f.flag("scale");
  if (f.has("qkv_bias")) r.qkv_bias = f.flag("qkv_bias");
  if (f.has("softmax")) r.softmax = f.choice_of("softmax", kSoftmaxNames);
  if (f.has("causal")) r.causal = f.flag("causal");
  if (f.has("causal_method")) r.causal_method = f.choice_of("causal_method", kCausalMethodNames);
  if (f.has("dropout")) {
    r.dropout = f.number("dropout");
    if (!(r.dropout >= 0.0 && r.dropout < 1.0)) f.fail(fmt::format("\"dropout\" is {}, expected 0 ≤ p < 1", r.dropout));
  }
  if (f.has("dropout_seed")) r.dropout_seed = f.whole("dropout_seed", 0, std::numeric_limits<std::uint64_t>::max());
  if (f.has("heads")) r.heads = f.whole("heads", 1, 256);
  if (f.has("multihead")) r.multihead = f.choice_of("multihead", kMultiheadNames);
  if (f.has("model")) s.model = f.text("model");
  if (f.has("layer")) s.layer = f.whole("layer", 1, 1024);
  if (f.has("head")) s.head = f.whole("head", 1, 1024);
  if (f.has("snapshot")) {
    s.snapshot = f.text("snapshot");
    if (s.model.empty()) f.fail("\"snapshot\" is a model's training step; it needs \"model\"");
    if (!is_snapshot_name(s.snapshot)) {
      f.fail(fmt::format("\"snapshot\" is \"{}\", expected a training step, first or last", s.snapshot));
    }
  }
  // a table run's none | sinusoidal, a model's learned | none (--no-positions)
  if (f.has("positions")) {
    const Positions positions = f.choice_of("positions", kPositionsNames);
    if (s.model.empty() && positions == Positions::learned) f.fail("\"positions\" learned is a model's; a table run takes none or sinusoidal");
    if (!s.model.empty() && positions == Positions::sinusoidal) f.fail("\"positions\" sinusoidal is a table run's; a model takes learned or none");
    (s.model.empty() ? r.positions : s.model_positions) = positions;
  }
  if (!s.model.empty()) {
    for (const char* key : {"embeddings", "projection", "seed", "d_out", "scale", "qkv_bias", "softmax", "causal",
                            "causal_method", "dropout", "dropout_seed", "heads", "multihead"}) {
      if (f.has(key)) f.fail(fmt::format("\"{}\" does not apply to a run of a model (\"model\")", key));
    }
  }
}

// `text` quoted for a POSIX shell: double quotes when that is safe, else single quotes.
std::string shell_quote(const std::string& text) {
  if (text.find_first_of("\"$`\\!") == std::string::npos) return "\"" + text + "\"";
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::vector<Stage> read_stages(const Fields& f, const char* key) {
  std::vector<Stage> stages;
  for (const std::string& name : f.lines(key)) {
    const std::optional<Stage> stage = stage_named(name);
    if (!stage) f.fail(fmt::format("\"{}\" names \"{}\", which is not a stage", key, name));
    stages.push_back(*stage);
  }
  return stages;
}

void check_head(const RunSettings& settings, const Trace& trace) {
  const std::size_t n = trace.heads.size();
  if (settings.head > n) {
    throw DataError(fmt::format("\"head\" {}: the {} has {} head{}, expected 1 to {}", settings.head,
                                trace.model ? "model" : "run", n, n == 1 ? "" : "s", n));
  }
}

namespace {

// The models this process has opened, by the name the data file gives; never
// closed before the process ends (a lesson names one or two).
const Model& open_once(const std::string& name, const std::string& snapshot) {
  static std::mutex guard;
  static std::map<std::string, std::unique_ptr<Model>> opened;
  const std::lock_guard<std::mutex> lock(guard);
  std::unique_ptr<Model>& model = opened[name + "@" + snapshot];
  if (!model) model = std::make_unique<Model>(Model::open(name, snapshot));
  return *model;
}

}  // namespace

Trace model_trace(const RunSettings& settings) {
  ModelRequest request;
  request.sentence = settings.request.sentence;
  request.layer = settings.layer;
  request.positions = settings.model_positions != Positions::none;
  Trace trace = explore(request, open_once(settings.model, settings.snapshot));
  check_head(settings, trace);
  return trace;
}

std::string settings_flags(const RunSettings& settings) {
  const Request& r = settings.request;
  const Request defaults;
  std::string cmd;
  if (!settings.model.empty()) {
    cmd = fmt::format(" --model {} --layer {}", settings.model, settings.layer);
    if (settings.head != 1) cmd += fmt::format(" --head {}", settings.head);
    if (!settings.snapshot.empty()) cmd += fmt::format(" --snapshot {}", settings.snapshot);
    return settings.model_positions == Positions::none ? cmd + " --no-positions" : cmd;
  }
  if (settings.embeddings != RunSettings{}.embeddings) cmd += " --embeddings " + settings.embeddings;
  if (r.projection != defaults.projection) cmd += fmt::format(" --projection {}", to_string(r.projection));
  if (r.seed != defaults.seed) cmd += fmt::format(" --seed {}", r.seed);
  if (r.d_out) cmd += fmt::format(" --d-out {}", *r.d_out);
  if (!r.scale) cmd += " --no-scale";
  if (r.qkv_bias) cmd += " --qkv-bias";
  if (r.softmax != defaults.softmax) cmd += fmt::format(" --softmax {}", to_string(r.softmax));
  if (r.causal) cmd += " --causal";
  if (r.causal && r.causal_method != defaults.causal_method) cmd += fmt::format(" --causal-method {}", to_string(r.causal_method));
  if (r.dropout > 0.0) cmd += fmt::format(" --dropout {}", r.dropout);
  if (r.dropout_seed && r.dropout > 0.0) cmd += fmt::format(" --dropout-seed {}", *r.dropout_seed);
  if (r.heads != defaults.heads) cmd += fmt::format(" --heads {}", r.heads);
  if (r.multihead != defaults.multihead) cmd += fmt::format(" --multihead {}", to_string(r.multihead));
  if (r.positions != defaults.positions) cmd += fmt::format(" --positions {}", to_string(r.positions));
  return cmd;
}

std::string command_line(const RunSettings& settings, const std::string& extra) {
  return "attn-explain" + settings_flags(settings) + extra + " " + shell_quote(settings.request.sentence);
}

}  // namespace attn
