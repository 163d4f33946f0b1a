// fuzz_options: attn::parse_command_line on any argument list. The input is
// split at NUL bytes into at most 64 arguments after "attn-explain". Parsing
// either throws UsageError or returns a command line that keeps
// cli_options.hpp's promises; for the explorer a sentence and options that
// resolve_run (run_plan.hpp) turns into a plan within the documented ranges
// (--heads 1..256, --d-out 1..4096, --dropout in [0, 1), --max-tokens 1..2048,
// --precision 0..9) with the values the text gave, refusing only options that
// do not go together. Anything else thrown, or a broken promise, aborts.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "attn/util/error.hpp"
#include "attn/explorer.hpp"
#include "cli_options.hpp"
#include "option_values.hpp"
#include "run_plan.hpp"

namespace {

#define CHECK(cond)                \
  do {                             \
    if (!(cond)) __builtin_trap(); \
  } while (0)

constexpr std::size_t kMaxArgs = 64;

bool one_of(const std::string& s, std::initializer_list<const char*> words) {
  return std::any_of(words.begin(), words.end(), [&](const char* w) { return s == w; });
}

// The plan of a table run keeps the documented ranges, and its Request says what the text said.
void check_table_plan(const attn::RunPlan& plan, const attn::RawOptions& given) {
  const attn::Request& r = std::get<attn::Request>(plan.compute);
  CHECK(!r.d_out || (*r.d_out >= 1 && *r.d_out <= 4096));
  CHECK(r.dropout >= 0.0 && r.dropout < 1.0);
  CHECK(r.heads >= 1 && r.heads <= 256);
  CHECK(r.max_tokens >= 1 && r.max_tokens <= attn::kLargestMaxTokens);
  CHECK(r.memory.limit >= (std::uint64_t{1} << 20) && r.memory.limit <= (std::uint64_t{1} << 40));
  for (const auto& [key, value] : given) {
    if (key == "heads") CHECK(std::stoull(value) == r.heads);  // "02" is 2
    if (key == "softmax") CHECK(attn::to_string(r.softmax) == value);
    if (key == "multihead") CHECK(attn::to_string(r.multihead) == value);
    if (key == "causal") CHECK(r.causal);
    if (key == "no-scale") CHECK(!r.scale);
  }
}

// Resolving what the parser accepted fails only for options that do not go
// together (--layer without --model, --heads with it, ...), never for a value.
void check_run(const attn::MainOptions& o) {
  CHECK(!o.words.empty());
  attn::RawOptions raw = o.given;
  raw.emplace_back("sentence", "x");
  bool model = false;
  for (const auto& [key, value] : o.given) model = model || key == "model";
  attn::RunPlan plan;
  try {
    plan = attn::resolve_run(raw, attn::Terminal{});
  } catch (const attn::OptionError& e) {
    // The options of a model run only (run_plan.cpp's check_model_keys), or a model run's refusal.
    bool crosses = model;
    for (const char* key : {"layer", "top", "temperature", "lens", "no-positions", "generate", "top-k", "snapshot"}) {
      crosses = crosses || e.key() == key;
    }
    CHECK(crosses && e.message().find("model") != std::string::npos);
    return;
  } catch (const attn::DataError&) {
    return;  // explain.json not found where the fuzzer runs
  }
  CHECK(plan.view.precision >= 0 && plan.view.precision <= 9);
  CHECK(model == std::holds_alternative<attn::ModelRequest>(plan.compute));
  if (!model) check_table_plan(plan, o.given);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> args{"attn-explain"};
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  for (std::size_t start = 0; start <= input.size() && args.size() <= kMaxArgs;) {
    const std::size_t nul = std::min(input.find('\0', start), input.size());
    args.emplace_back(input.substr(start, nul - start));
    start = nul + 1;
  }
  if (!input.empty() && input.back() == '\0') args.pop_back();  // a final NUL ends the last argument
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  argv.push_back(nullptr);

  attn::CommandLine cl;
  try {
    cl = attn::parse_command_line(static_cast<int>(args.size()), argv.data());
  } catch (const attn::UsageError&) {
    return 0;
  }
  if (cl.print) {
    CHECK(!cl.print->empty());
    return 0;
  }
  switch (cl.command) {
    case attn::Command::explore:
      check_run(cl.main);
      break;
    case attn::Command::params: {
      const attn::ParamsOptions& p = cl.params;
      CHECK(p.d_in >= 1 && p.d_in <= (1u << 20) && p.d_out >= 1 && p.d_out <= (1u << 20));
      CHECK(p.heads >= 1 && p.heads <= 4096);
      CHECK(one_of(p.multihead_name, {"wrapper", "split"}));
      CHECK(attn::to_string(p.multihead) == p.multihead_name);
      CHECK(p.multihead != attn::Multihead::split || p.d_out % p.heads == 0);
      break;
    }
    case attn::Command::lesson:
      CHECK(cl.lesson.precision >= 0 && cl.lesson.precision <= 9);
      CHECK(one_of(cl.lesson.color, {"auto", "always", "never"}));
      break;
    case attn::Command::exercise:
      CHECK(cl.exercise.precision >= 0 && cl.exercise.precision <= 9);
      CHECK(one_of(cl.exercise_color, {"auto", "always", "never"}));
      CHECK(!cl.exercise.id.empty() || !(cl.exercise.hint || cl.exercise.solution || cl.exercise.answer));
      break;
    case attn::Command::render: {
      attn::RenderPlan plan;
      try {
        plan = attn::resolve_render(cl.render.given, attn::Terminal{});
      } catch (const attn::DataError&) {
        break;  // explain.json not found where the fuzzer runs
      }
      CHECK(!plan.trace_file.empty());
      CHECK(plan.view.precision >= 0 && plan.view.precision <= 9);
      CHECK(plan.outputs.svg_file.empty() || (!plan.view.stages_given && !plan.view.focus && !plan.view.explanations));
      break;
    }
    case attn::Command::serve:
      CHECK(!cl.serve.host.empty() && cl.serve.port <= 65535 && cl.serve.jobs <= 256);
      break;
    case attn::Command::table_extract:
      CHECK(!cl.table.file.empty());
      CHECK(one_of(cl.table.weights, {"rand", "linear", "none"}));
      break;
    case attn::Command::timeline:
      CHECK(!cl.timeline.model.empty() && !cl.timeline.words.empty());
      CHECK(cl.timeline.layer.empty() || cl.timeline.layer == "all" || attn::layer_problem(cl.timeline.layer).empty());
      CHECK(cl.timeline.head <= 4096);
      CHECK(cl.timeline.precision >= 0 && cl.timeline.precision <= 9);
      CHECK(one_of(cl.timeline.color, {"auto", "always", "never"}));
      CHECK(!(cl.timeline.json && !cl.timeline.html_file.empty()));
      break;
  }
  return 0;
}
