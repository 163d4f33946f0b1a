// fuzz_options: attn::parse_command_line on any argument list. The input is
// split at NUL bytes into at most 64 arguments after "attn-explain". Parsing
// either throws UsageError or returns a command line that keeps
// cli_options.hpp's promises: every option value within its documented range
// (--heads 1..256, --d-out 1..4096, --dropout in [0, 1), --max-tokens
// 1..2048, --precision 0..9, the word options one of their words), and for the
// explorer a sentence, which make_request turns into a Request with the same
// settings. Anything else thrown, or a broken promise, aborts.
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

namespace {

#define CHECK(cond)                \
  do {                             \
    if (!(cond)) __builtin_trap(); \
  } while (0)

constexpr std::size_t kMaxArgs = 64;

bool one_of(const std::string& s, std::initializer_list<const char*> words) {
  return std::any_of(words.begin(), words.end(), [&](const char* w) { return s == w; });
}

void check_main(const attn::MainOptions& o) {
  CHECK(one_of(o.projection, {"auto", "none", "rand", "linear", "table"}));
  CHECK(!o.d_out || (*o.d_out >= 1 && *o.d_out <= 4096));
  CHECK(one_of(o.softmax, {"stable", "naive", "sum"}));
  CHECK(one_of(o.causal_method, {"inf", "renorm"}));
  CHECK(o.dropout >= 0.0 && o.dropout < 1.0);
  CHECK(o.heads >= 1 && o.heads <= 256);
  CHECK(one_of(o.multihead, {"wrapper", "split"}));
  CHECK(one_of(o.oov, {"hash", "zero", "error"}));
  CHECK(o.max_tokens >= 1 && o.max_tokens <= attn::kLargestMaxTokens);
  CHECK(o.precision >= 0 && o.precision <= 9);
  CHECK(one_of(o.color, {"auto", "always", "never"}));
  CHECK(o.compare.empty() || one_of(o.compare, {"scale", "softmax"}));
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
    case attn::Command::explore: {
      const attn::MainOptions& o = cl.main;
      check_main(o);
      CHECK(!o.words.empty());
      std::string sentence;
      for (const auto& w : o.words) sentence += (sentence.empty() ? "" : " ") + w;
      const attn::Request r = attn::make_request(o, sentence);
      CHECK(r.sentence == sentence);
      CHECK(attn::to_string(r.projection) == o.projection && r.seed == o.seed && r.d_out == o.d_out);
      CHECK(r.scale == !o.no_scale && r.qkv_bias == o.qkv_bias && r.causal == o.causal);
      CHECK(r.dropout == o.dropout && r.dropout_seed == o.dropout_seed);
      CHECK(r.heads == o.heads && r.max_tokens == o.max_tokens);
      CHECK((r.softmax == attn::Softmax::naive) == (o.softmax == "naive"));
      CHECK((r.softmax == attn::Softmax::sum) == (o.softmax == "sum"));
      CHECK((r.causal_method == attn::CausalMethod::renorm) == (o.causal_method == "renorm"));
      CHECK((r.multihead == attn::Multihead::split) == (o.multihead == "split"));
      CHECK((r.oov == attn::OovPolicy::zero) == (o.oov == "zero"));
      CHECK((r.oov == attn::OovPolicy::error) == (o.oov == "error"));
      break;
    }
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
    case attn::Command::render:
      CHECK(!cl.render.trace_file.empty());
      CHECK(cl.render.precision >= 0 && cl.render.precision <= 9);
      CHECK(one_of(cl.render.color, {"auto", "always", "never"}));
      CHECK(cl.render.svg_file.empty() || (cl.render.stages.empty() && !cl.render.focus && !cl.render.explain));
      break;
    case attn::Command::table_extract:
      CHECK(!cl.table.file.empty());
      CHECK(one_of(cl.table.weights, {"rand", "linear", "none"}));
      break;
  }
  return 0;
}
