#include "run_plan.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "attn/util/atomic_file.hpp"
#include "attn/util/data_dir.hpp"
#include "memory_budget.hpp"
#include "option_values.hpp"
#include "output.hpp"
#include "run_keys.hpp"
#include "attn/render/style.hpp"

namespace attn {

OptionError::OptionError(std::string key, const std::string& message, const std::string& hint)
    : UsageError(message, hint, std::move(key)) {}

bool RunOutputs::any_file_on_stdout() const {
  for (const std::string* file : {&trace_file, &svg_file, &html_file}) {
    if (!file->empty() && names_standard_output(*file)) return true;
  }
  return false;
}

bool color_for(const std::string& mode, const Terminal& terminal) {
  return use_color(mode, terminal.is_terminal, terminal.no_color ? "1" : nullptr);
}

std::set<Stage> stages_in(const std::string& list) {
  std::set<Stage> stages;
  if (list.empty()) return stages;
  for (const std::string& name : split_on(list, ',')) stages.insert(*stage_named(name));
  return stages;
}

namespace {

// The options of one command, looked up by key: each checked before it is converted.
class Options {
 public:
  // Refuses a key `command` does not take and a key given twice.
  Options(const RawOptions& raw, const std::vector<KeyRule>& rules) : rules_(rules) {
    for (const auto& [key, value] : raw) {
      const KeyRule* rule = rule_for(key);
      if (!rule) throw OptionError(key, fmt::format("{}: not an option of this command", flag_name(key)));
      if (const std::string problem = rule->check ? rule->check(value) : ""; !problem.empty()) {
        throw OptionError(key, fmt::format("{}: {}", flag_name(key), problem));
      }
      if (rule->flag && value == "false") continue;  // a flag turned off is a flag not given
      if (!values_.emplace(key, value).second) {
        throw OptionError(key, fmt::format("{}: given more than once", flag_name(key)));
      }
    }
  }

  bool has(const std::string& key) const { return values_.count(key) > 0; }
  // The value given, or the key's default.
  const std::string& text(const std::string& key) const {
    static const std::string none;
    const auto found = values_.find(key);
    if (found != values_.end()) return found->second;
    const KeyRule* rule = rule_for(key);
    return rule ? rule->default_text : none;
  }
  bool flag(const std::string& key) const { return has(key) && text(key) == "true"; }
  std::uint64_t number(const std::string& key) const { return std::strtoull(text(key).c_str(), nullptr, 10); }
  std::optional<std::uint64_t> optional_number(const std::string& key) const {
    return has(key) ? std::optional(number(key)) : std::nullopt;
  }
  std::optional<std::string> optional_text(const std::string& key) const {
    return has(key) ? std::optional(text(key)) : std::nullopt;
  }
  template <class Table>
  auto choice(const std::string& key, const Table& names) const {
    return *value_named(names, text(key));
  }

 private:
  const KeyRule* rule_for(const std::string& key) const {
    const auto found = std::find_if(rules_.begin(), rules_.end(), [&](const KeyRule& r) { return key == r.key; });
    return found == rules_.end() ? nullptr : &*found;
  }

  const std::vector<KeyRule>& rules_;
  std::map<std::string, std::string> values_;
};

// Two keys given together that exclude each other, as CLI11 words it.
void check_exclusions(const Options& o, const std::vector<std::pair<const char*, const char*>>& excluded) {
  for (const auto& [a, b] : excluded) {
    if (o.has(a) && o.has(b)) throw OptionError(a, fmt::format("{} excludes {}", flag_name(a), flag_name(b)));
  }
}

View resolve_view(const Options& o, const Terminal& terminal) {
  View view;
  view.stages = stages_in(o.text("stages"));
  view.stages_given = o.has("stages");
  view.focus = o.optional_text("focus");
  if (o.has("head")) view.head = o.number("head");
  view.precision = static_cast<int>(o.number("precision"));
  view.color = color_for(o.text("color"), terminal);
  view.width = o.has("width") ? o.number("width") : terminal.is_terminal ? terminal.columns : 0;
  view.step = o.flag("step");
  if (o.flag("explain")) view.explanations = load_explanations(find_data_file(kExplanationsFile));
  return view;
}

RunOutputs resolve_outputs(const Options& o) {
  RunOutputs out;
  out.trace_file = o.text("trace");
  out.svg_file = o.text("svg");
  out.html_file = o.text("html");
  out.json = o.flag("json");
  out.tables = !out.json && !out.any_file_on_stdout();
  return out;
}

// A table run's Request, as the options set it.
Request table_request(const Options& o) {
  Request request;
  request.sentence = o.text("sentence");
  request.projection = value_named(kProjectionNames, o.text("projection"));  // "auto": nothing
  request.seed = o.number("seed");
  if (o.has("d-out")) request.d_out = o.number("d-out");
  request.scale = !o.flag("no-scale");
  request.qkv_bias = o.flag("qkv-bias");
  request.softmax = o.choice("softmax", kSoftmaxNames);
  request.causal = o.flag("causal");
  request.causal_method = o.choice("causal-method", kCausalMethodNames);
  request.dropout = std::strtod(o.text("dropout").c_str(), nullptr);
  request.dropout_seed = o.optional_number("dropout-seed");
  request.heads = o.number("heads");
  request.multihead = o.choice("multihead", kMultiheadNames);
  request.oov = o.choice("oov", kOovNames);
  request.positions = o.choice("positions", kPositionsNames);
  request.max_tokens = o.number("max-tokens");
  return request;
}

ModelRequest model_request(const Options& o) {
  ModelRequest request;
  request.sentence = o.text("sentence");
  if (o.text("layer") != "all") request.layer = o.number("layer");
  else request.layer = std::nullopt;
  request.top_k = o.number("top");
  request.temperature = std::strtof(o.text("temperature").c_str(), nullptr);
  request.lens = o.flag("lens");
  if (o.has("generate")) request.generate = o.number("generate");
  request.seed = o.number("seed");
  request.sample_top_k = o.number("top-k");
  request.positions = !o.flag("no-positions");
  if (request.lens && request.top_k == 0) {
    throw OptionError("top", "--top 0: --lens shows the top K tokens at every layer and position, and 0 leaves none",
                      "drop --top, or give --top 1 or more");
  }
  if (o.has("max-tokens")) request.max_tokens = o.number("max-tokens");
  return request;
}

// The options that apply to one kind of run only.
void check_model_keys(const Options& o) {
  if (!o.has("model")) {
    for (const char* key : {"layer", "top", "temperature", "lens", "no-positions", "generate", "top-k", "snapshot"}) {
      if (o.has(key)) {
        throw OptionError(key, fmt::format("{} needs --model", flag_name(key)),
                          "e.g. attn-explain --model gpt2 --layer 5 \"The dog chased the ball.\"");
      }
    }
    return;
  }
  for (const auto& [key, reason] : kNotForModels) {
    if (o.has(key)) throw OptionError(key, fmt::format("{} does not apply with --model: {}", flag_name(key), reason));
  }
  // a model run draws nothing at random but the tokens --generate samples
  for (const char* key : {"seed", "top-k"}) {
    if (o.has(key) && !o.has("generate")) {
      throw OptionError(key, fmt::format("{} needs --generate: a model run draws nothing at random but the tokens it "
                                         "samples", flag_name(key)),
                        "e.g. attn-explain --model demo --generate 5 --seed 7 \"The dog chased the ball, and it\"");
    }
  }
}

}  // namespace

RunPlan resolve_run(const RawOptions& raw, const Terminal& terminal) {
  const Options o(raw, run_keys());
  check_exclusions(o, kRunExclusions);
  check_model_keys(o);
  RunPlan plan;
  plan.outputs = resolve_outputs(o);
  plan.view = resolve_view(o, terminal);
  if (o.has("compare")) plan.compare = o.choice("compare", kComparisonNames);
  const std::uint64_t limit = o.has("max-memory") ? memory_size_bytes(o.text("max-memory")) : MemoryBudget{}.limit;
  if (o.has("model")) {
    ModelRequest request = model_request(o);
    request.memory = memory_budget(limit, 1, std::nullopt, plan.outputs, plan.view.color);
    plan.model = o.text("model");
    plan.snapshot = o.text("snapshot");
    plan.compute = std::move(request);
  } else {
    Request request = table_request(o);
    request.memory = memory_budget(limit, request.heads, plan.compare, plan.outputs, plan.view.color);
    plan.embeddings = o.text("embeddings");
    plan.format = o.choice("format", kVectorFormatNames);
    plan.compute = std::move(request);
  }
  return plan;
}

RenderPlan resolve_render(const RawOptions& raw, const Terminal& terminal) {
  const Options o(raw, render_keys());
  check_exclusions(o, kRenderExclusions);
  RenderPlan plan;
  plan.trace_file = o.text("trace");
  plan.outputs.svg_file = o.text("svg");
  plan.outputs.html_file = o.text("html");
  plan.outputs.tables = plan.outputs.svg_file.empty() && plan.outputs.html_file.empty();
  plan.view = resolve_view(o, terminal);
  return plan;
}

}  // namespace attn
