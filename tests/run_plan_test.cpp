// The run plan (src/cli/run_plan.hpp): one resolver for the command line and
// for options given as key → value (a browser's query), with the command line's
// own messages and the key each error is about.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "attn/util/error.hpp"
#include "cli_options.hpp"
#include "run_keys.hpp"
#include "run_plan.hpp"

namespace attn {
namespace {

// The command line's message for argv, or "" when it parses and resolves.
std::string cli_error(std::vector<std::string> args) {
  args.insert(args.begin(), "attn-explain");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  try {
    const CommandLine cl = parse_command_line(static_cast<int>(argv.size()), argv.data());
    RawOptions raw = cl.main.given;
    raw.emplace_back("sentence", "x");
    resolve_run(raw, Terminal{});
  } catch (const UsageError& e) {
    return e.message();
  }
  return "";
}

// The plan the command line gives for argv.
RunPlan cli_plan(std::vector<std::string> args) {
  args.insert(args.begin(), "attn-explain");
  args.push_back("words");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  const CommandLine cl = parse_command_line(static_cast<int>(argv.size()), argv.data());
  RawOptions raw = cl.main.given;
  raw.emplace_back("sentence", "How are you doing?");
  return resolve_run(raw, Terminal{});
}

OptionError resolve_error(const RawOptions& raw) {
  try {
    resolve_run(raw, Terminal{});
  } catch (const OptionError& e) {
    return e;
  }
  ADD_FAILURE() << "resolve_run accepted the options";
  return OptionError("", "");
}

TEST(RunPlan, KeysGiveTheSameRequestAsTheCommandLine) {
  const RunPlan from_argv = cli_plan({"--projection", "rand", "--seed", "7", "--d-out", "4", "--heads", "2", "--multihead",
                                      "split", "--causal", "--causal-method", "renorm", "--softmax", "naive", "--dropout",
                                      "0.25", "--dropout-seed", "9", "--oov", "zero", "--max-tokens", "12", "--max-memory", "512M",
                                      "--no-scale", "--qkv-bias"});
  const RunPlan from_keys = resolve_run({{"sentence", "How are you doing?"}, {"projection", "rand"}, {"seed", "7"}, {"d-out", "4"},
                                         {"heads", "2"}, {"multihead", "split"}, {"causal", "true"}, {"causal-method", "renorm"},
                                         {"softmax", "naive"}, {"dropout", "0.25"}, {"dropout-seed", "9"}, {"oov", "zero"},
                                         {"max-tokens", "12"}, {"max-memory", "512M"}, {"no-scale", "true"}, {"qkv-bias", "true"}},
                                        Terminal{});
  for (const RunPlan* plan : {&from_argv, &from_keys}) {
    const Request& r = std::get<Request>(plan->compute);
    EXPECT_EQ(r.sentence, "How are you doing?");
    EXPECT_EQ(r.projection, Projection::rand);
    EXPECT_EQ(r.seed, 7u);
    EXPECT_EQ(r.d_out, 4u);
    EXPECT_EQ(r.heads, 2u);
    EXPECT_EQ(r.multihead, Multihead::split);
    EXPECT_TRUE(r.causal);
    EXPECT_EQ(r.causal_method, CausalMethod::renorm);
    EXPECT_EQ(r.softmax, Softmax::naive);
    EXPECT_EQ(r.dropout, 0.25);
    EXPECT_EQ(r.dropout_seed, 9u);
    EXPECT_EQ(r.oov, OovPolicy::zero);
    EXPECT_EQ(r.max_tokens, 12u);
    EXPECT_EQ(r.memory.limit, std::uint64_t{512} << 20);
    EXPECT_FALSE(r.scale);
    EXPECT_TRUE(r.qkv_bias);
  }
}

TEST(RunPlan, DefaultsAreTheRequestsDefaults) {
  const RunPlan plan = resolve_run({{"sentence", "a b"}}, Terminal{});
  const Request& r = std::get<Request>(plan.compute);
  const Request defaults;
  EXPECT_FALSE(r.projection.has_value());  // auto
  EXPECT_EQ(r.seed, defaults.seed);
  EXPECT_EQ(r.heads, defaults.heads);
  EXPECT_EQ(r.max_tokens, defaults.max_tokens);
  EXPECT_EQ(r.memory.limit, MemoryBudget{}.limit);
  EXPECT_EQ(plan.view.precision, 4);
  EXPECT_TRUE(plan.outputs.tables);
  EXPECT_TRUE(plan.embeddings.empty());
}

// Every option that takes a value: a bad value gives the same message whether
// it came from argv (CLI11 runs the rule as a validator) or as a key, and the
// key's error names it.
TEST(RunPlan, EveryBadValueHasTheCommandLinesMessageAndItsKey) {
  std::size_t checked = 0;
  for (const KeyRule& rule : run_keys()) {
    if (rule.flag || !rule.check || rule.key == "sentence") continue;
    std::string bad;
    for (const char* candidate : {"nope", "", "-1"}) {
      if (!rule.check(candidate).empty()) {
        bad = candidate;
        break;
      }
    }
    const std::string from_argv = cli_error({"--" + rule.key, bad, "x"});
    const OptionError from_keys = resolve_error({{"sentence", "x"}, {rule.key, bad}});
    EXPECT_EQ(from_keys.key(), rule.key);
    EXPECT_EQ(from_keys.message(), from_argv) << rule.key;
    EXPECT_EQ(from_keys.message().rfind("--" + rule.key + ": expected", 0) == 0 ||
                  from_keys.message().rfind("--" + rule.key + ": \"", 0) == 0,
              true)
        << from_keys.message();
    ++checked;
  }
  EXPECT_GE(checked, 20u);
}

TEST(RunPlan, OptionsThatDoNotGoTogetherNameTheirKey) {
  OptionError e = resolve_error({{"sentence", "x"}, {"layer", "2"}});
  EXPECT_EQ(e.key(), "layer");
  EXPECT_EQ(e.message(), "--layer needs --model");
  EXPECT_EQ(e.message(), cli_error({"--layer", "2", "x"}));

  e = resolve_error({{"sentence", "x"}, {"model", "demo"}, {"heads", "2"}});
  EXPECT_EQ(e.key(), "heads");
  EXPECT_EQ(e.message(), "--heads does not apply with --model: the model's number of heads is fixed by its config.json");

  e = resolve_error({{"sentence", "x"}, {"focus", "it"}, {"compare", "scale"}});
  EXPECT_EQ(e.key(), "focus");
  EXPECT_EQ(e.message(), cli_error({"--focus", "it", "--compare", "scale", "x"}));

  e = resolve_error({{"sentence", "x"}, {"compare", "scale"}, {"json", "true"}});
  EXPECT_EQ(e.message(), cli_error({"--compare", "scale", "--json", "x"}));
}

TEST(RunPlan, UnknownRepeatedAndNonFlagValuesAreRefused) {
  EXPECT_EQ(resolve_error({{"sentence", "x"}, {"colour", "never"}}).key(), "colour");
  EXPECT_EQ(resolve_error({{"sentence", "x"}, {"heads", "2"}, {"heads", "3"}}).message(), "--heads: given more than once");
  const OptionError e = resolve_error({{"sentence", "x"}, {"causal", "yes"}});
  EXPECT_EQ(e.key(), "causal");
  EXPECT_EQ(e.message(), "--causal: expected true or false, got \"yes\"");
}

TEST(RunPlan, AFlagSetToFalseIsNotGiven) {
  const RunPlan plan = resolve_run({{"sentence", "x"}, {"model", "demo"}, {"causal", "false"}, {"json", "false"}}, Terminal{});
  EXPECT_TRUE(std::holds_alternative<ModelRequest>(plan.compute));
  EXPECT_FALSE(plan.outputs.json);
  EXPECT_TRUE(plan.outputs.tables);
}

TEST(RunPlan, ModelRequest) {
  RunPlan plan = resolve_run({{"sentence", "x"}, {"model", "demo"}, {"layer", "all"}, {"top", "3"}}, Terminal{});
  const ModelRequest& all = std::get<ModelRequest>(plan.compute);
  EXPECT_EQ(plan.model, "demo");
  EXPECT_FALSE(all.layer.has_value());
  EXPECT_EQ(all.top_k, 3u);
  EXPECT_FALSE(all.max_tokens.has_value());  // the model's n_positions
  plan = resolve_run({{"sentence", "x"}, {"model", "demo"}, {"max-tokens", "9"}}, Terminal{});
  EXPECT_EQ(std::get<ModelRequest>(plan.compute).layer, 1u);
  EXPECT_EQ(std::get<ModelRequest>(plan.compute).max_tokens, 9u);
}

TEST(RunPlan, ColourAndWidthFollowTheTerminal) {
  const Terminal tty{true, false, 77};
  const Terminal no_color{true, true, 77};
  const Terminal pipe{false, false, 0};
  EXPECT_TRUE(resolve_run({{"sentence", "x"}}, tty).view.color);
  EXPECT_FALSE(resolve_run({{"sentence", "x"}}, no_color).view.color);
  EXPECT_FALSE(resolve_run({{"sentence", "x"}}, pipe).view.color);
  EXPECT_TRUE(resolve_run({{"sentence", "x"}, {"color", "always"}}, pipe).view.color);
  EXPECT_TRUE(resolve_run({{"sentence", "x"}, {"color", "always"}}, no_color).view.color);
  EXPECT_FALSE(resolve_run({{"sentence", "x"}, {"color", "never"}}, tty).view.color);
  EXPECT_EQ(resolve_run({{"sentence", "x"}}, tty).view.width, 77u);
  EXPECT_EQ(resolve_run({{"sentence", "x"}}, pipe).view.width, 0u);
  EXPECT_EQ(resolve_run({{"sentence", "x"}, {"width", "40"}}, tty).view.width, 40u);
}

TEST(RunPlan, OutputsOnStandardOutputReplaceTheTables) {
  EXPECT_FALSE(resolve_run({{"sentence", "x"}, {"svg", "-"}}, Terminal{}).outputs.tables);
  EXPECT_FALSE(resolve_run({{"sentence", "x"}, {"json", "true"}}, Terminal{}).outputs.tables);
  EXPECT_TRUE(resolve_run({{"sentence", "x"}, {"html", "page.html"}}, Terminal{}).outputs.tables);
}

TEST(RunPlan, ViewStagesFocusHeadAndExplanations) {
  const RunPlan plan =
      resolve_run({{"sentence", "x"}, {"stages", "weights,context"}, {"head", "2"}, {"focus", "it"}, {"explain", "true"}},
                  Terminal{});
  EXPECT_EQ(plan.view.stages, (std::set<Stage>{Stage::weights, Stage::context}));
  EXPECT_TRUE(plan.view.stages_given);
  EXPECT_EQ(plan.view.head, 2u);
  EXPECT_EQ(plan.view.focus, "it");
  ASSERT_TRUE(plan.view.explanations.has_value());
  EXPECT_GT(plan.view.explanations->count(Stage::weights), 0u);
}

TEST(RunPlan, RenderTakesOnlyItsKeys) {
  const RenderPlan plan = resolve_render({{"trace", "t.json"}, {"html", "p.html"}, {"precision", "2"}}, Terminal{});
  EXPECT_EQ(plan.trace_file, "t.json");
  EXPECT_FALSE(plan.outputs.tables);
  EXPECT_EQ(plan.view.precision, 2);
  try {
    resolve_render({{"trace", "t.json"}, {"heads", "2"}}, Terminal{});
    ADD_FAILURE() << "render took --heads";
  } catch (const OptionError& e) {
    EXPECT_EQ(e.key(), "heads");
  }
  try {
    resolve_render({{"trace", "t.json"}, {"svg", "w.svg"}, {"stages", "weights"}}, Terminal{});
    ADD_FAILURE() << "render took --svg with --stages";
  } catch (const OptionError& e) {
    EXPECT_EQ(e.message(), "--svg excludes --stages");
  }
}

}  // namespace
}  // namespace attn
