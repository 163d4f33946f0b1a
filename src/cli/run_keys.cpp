#include "run_keys.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "attn/explorer.hpp"
#include "attn/model.hpp"
#include "attn/word_vectors.hpp"
#include "attn/compare.hpp"
#include "option_values.hpp"
#include "run_plan.hpp"

namespace attn {

namespace {

KeyRule whole(std::string key, std::uint64_t lo, std::uint64_t hi, std::string default_text = "") {
  return {std::move(key), std::move(default_text),
          [lo, hi](const std::string& text) { return whole_number_problem(text, lo, hi); }, fmt::format("{}..{}", lo, hi),
          {}};
}

KeyRule choice(std::string key, std::vector<std::string> allowed, std::string default_text) {
  return {std::move(key), std::move(default_text),
          [allowed](const std::string& text) { return choice_problem(text, allowed); }, "", allowed};
}

KeyRule file(std::string key) { return {std::move(key), "", file_name_problem, "", {}}; }

KeyRule text(std::string key) { return {std::move(key), "", nullptr, "", {}}; }

KeyRule flag(std::string key) {
  KeyRule rule{std::move(key), "false", [](const std::string& text) { return choice_problem(text, {"true", "false"}); }, "",
               {}};
  rule.flag = true;
  return rule;
}

// The options every view of a trace takes (a run's and render's).
void add_view_keys(std::vector<KeyRule>& rules) {
  rules.push_back(whole("precision", 0, 9, std::to_string(View{}.precision)));
  rules.push_back(text("focus"));
  rules.push_back({"stages", "", stage_list_problem, "LIST", {}});
  rules.push_back(flag("explain"));
  rules.push_back(choice("color", kColorNames, "auto"));
  rules.push_back(file("html"));
  rules.push_back(whole("width", 0, 100000));
  rules.push_back(file("svg"));
}

std::vector<KeyRule> make_run_keys() {
  const Request defaults;
  std::vector<KeyRule> rules = {
      text("sentence"),
      file("embeddings"),
      choice("projection", names_in(kProjectionNames, {"auto"}), "auto"),
      whole("seed", 0, UINT64_MAX, std::to_string(defaults.seed)),
      whole("d-out", 1, kLargestWidth),
      flag("no-scale"),
      flag("qkv-bias"),
      choice("softmax", names_in(kSoftmaxNames), name_of(kSoftmaxNames, defaults.softmax)),
      flag("causal"),
      choice("causal-method", names_in(kCausalMethodNames), name_of(kCausalMethodNames, defaults.causal_method)),
      {"dropout", fmt::format("{}", defaults.dropout), probability_problem, "[0,1)", {}},
      whole("dropout-seed", 0, UINT64_MAX),
      whole("heads", 1, 256, std::to_string(defaults.heads)),
      choice("multihead", names_in(kMultiheadNames), name_of(kMultiheadNames, defaults.multihead)),
      choice("oov", names_in(kOovNames), name_of(kOovNames, defaults.oov)),
      choice("positions", {"none", "sinusoidal"}, "none"),
      whole("max-tokens", 1, kLargestMaxTokens, std::to_string(defaults.max_tokens)),
      {"max-memory", "", memory_size_problem, "", {}},
      flag("step"),
      choice("compare", names_in(kComparisonNames), ""),
      flag("json"),
      file("trace"),
      {"model", "", model_problem, "", {}},
      {"layer", std::to_string(*ModelRequest{}.layer), layer_problem, "L|all", {}},
      whole("head", 1, 4096),
      whole("top", 0, 100, std::to_string(ModelRequest{}.top_k)),
      {"temperature", "1", temperature_problem, "[0.001,1000]", {}},
      flag("lens"),
      whole("generate", 1, 1024),
      whole("top-k", 0, 1u << 20, "0"),
      flag("no-positions"),
      {"snapshot", "", snapshot_problem, "STEP|first|last|list", {}},
      choice("format", names_in(kVectorFormatNames), "auto"),
  };
  add_view_keys(rules);
  return rules;
}

std::vector<KeyRule> make_render_keys() {
  std::vector<KeyRule> rules = {file("trace")};
  add_view_keys(rules);
  return rules;
}

}  // namespace

const std::vector<KeyRule>& run_keys() {
  static const std::vector<KeyRule> rules = make_run_keys();
  return rules;
}

const std::vector<KeyRule>& render_keys() {
  static const std::vector<KeyRule> rules = make_render_keys();
  return rules;
}

const KeyRule& rule_named(const std::vector<KeyRule>& rules, const std::string& key) {
  return *std::find_if(rules.begin(), rules.end(), [&](const KeyRule& r) { return r.key == key; });
}

std::string flag_name(const std::string& key) { return "--" + key; }

const std::vector<std::pair<const char*, const char*>> kRunExclusions = {
    {"focus", "compare"}, {"stages", "compare"}, {"explain", "compare"}, {"step", "compare"}, {"focus", "json"},
    {"stages", "json"},   {"explain", "json"},   {"step", "json"},       {"compare", "json"},
};

const std::vector<std::pair<const char*, const char*>> kRenderExclusions = {
    {"svg", "stages"}, {"svg", "focus"}, {"svg", "explain"}, {"svg", "width"}};

const std::vector<std::pair<const char*, const char*>> kNotForModels = {
    {"embeddings", "the model has its own token and position embeddings"},
    {"projection", "the model's queries, keys and values come from its trained c_attn weights"},
    {"d-out", "the model's width is fixed by its config.json"},
    {"no-scale", "GPT-2 always divides by √head_dim"},
    {"qkv-bias", "GPT-2's c_attn always has biases"},
    {"softmax", "GPT-2 uses the stable softmax"},
    {"causal", "GPT-2 is always causal"},
    {"causal-method", "GPT-2 masks with -inf before the softmax"},
    {"dropout", "a trained model runs without dropout"},
    {"dropout-seed", "a trained model runs without dropout"},
    {"heads", "the model's number of heads is fixed by its config.json"},
    {"multihead", "GPT-2 splits one projection into heads (split)"},
    {"oov", "GPT-2's byte-level tokenizer has no unknown words"},
    {"compare", "the comparisons run on the embedding tables"},
    {"format", "it is the format of an --embeddings file; the model has its own embeddings"},
    {"positions", "the model has its own learned position embeddings (--no-positions leaves them out)"},
};

}  // namespace attn
