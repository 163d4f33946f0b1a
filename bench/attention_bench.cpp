// How long the engine takes: one head of attention with d_in = d_out = 64, for
// n = 6, 64 and 512 tokens, the naive loops exactly as the CLI runs them.
// Also the renderers on such a trace: the tables, one token's focus arithmetic;
// and the text layer: tokenize and display_width on a long multilingual sentence.
// Run: build/bench/attn_bench
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "attention.hpp"
#include "attn/embedding_table.hpp"
#include "attn/render/render_focus.hpp"
#include "attn/render/render_table.hpp"
#include "tokenizer.hpp"
#include "attn/trace_json.hpp"
#include "torch_random.hpp"
#include "attn/util/unicode.hpp"

namespace {

void BM_Attend(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const std::size_t d = 64;
  attn::TorchGenerator gen(123);
  const attn::Matrix inputs = gen.rand(n, d);
  const attn::Parameters p{gen.rand(d, d), gen.rand(d, d), gen.rand(d, d), {}, {}, {}};
  for (auto _ : state) {
    attn::HeadTrace head = attn::attend_head(inputs, p, attn::AttentionOptions{});
    benchmark::DoNotOptimize(head.context_vec.data.data());
  }
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_Attend)->Arg(6)->Arg(64)->Arg(512)->Unit(benchmark::kMicrosecond);

void BM_TraceJson(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  attn::TorchGenerator gen(123);
  attn::Trace trace;
  trace.inputs = gen.rand(n, 64);
  trace.heads.push_back(attn::attend_head(trace.inputs, attn::Parameters{gen.rand(64, 64), gen.rand(64, 64), gen.rand(64, 64), {}, {}, {}},
                                          attn::AttentionOptions{}));
  trace.output = trace.heads[0].context_vec;
  for (auto _ : state) {
    std::string text = attn::format_json(attn::trace_to_json(trace));
    benchmark::DoNotOptimize(text.data());
  }
}
BENCHMARK(BM_TraceJson)->Arg(6)->Arg(64)->Unit(benchmark::kMicrosecond);

// A one-head trace of n tokens named w0, w1, ..., with d = 64.
attn::Trace make_trace(std::size_t n) {
  attn::TorchGenerator gen(123);
  attn::Trace trace;
  trace.inputs = gen.rand(n, 64);
  for (std::size_t i = 0; i < n; ++i) {
    std::string name = "w";
    name += std::to_string(i);
    trace.tokens.push_back(name);
  }
  trace.settings.d_in = trace.settings.d_out = trace.settings.head_dim = 64;
  trace.heads.push_back(attn::attend_head(
      trace.inputs, attn::Parameters{gen.rand(64, 64), gen.rand(64, 64), gen.rand(64, 64), {}, {}, {}},
      attn::AttentionOptions{}));
  trace.output = trace.heads[0].context_vec;
  return trace;
}

void BM_RenderTables(benchmark::State& state) {
  const attn::Trace trace = make_trace(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    std::string text = attn::render_walkthrough(trace, attn::with_precision(4));
    benchmark::DoNotOptimize(text.data());
  }
}
BENCHMARK(BM_RenderTables)->Arg(6)->Arg(64)->Unit(benchmark::kMicrosecond);

void BM_RenderFocus(benchmark::State& state) {
  const attn::Trace trace = make_trace(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    std::string text = attn::render_focus(trace, 1, attn::FocusOptions{});
    benchmark::DoNotOptimize(text.data());
  }
}
BENCHMARK(BM_RenderFocus)->Arg(6)->Arg(64)->Unit(benchmark::kMicrosecond);

// A sentence of about 16 KB in many scripts: Latin with accents and combining
// marks, Cyrillic, Greek, CJK, kana, Hangul (syllables and conjoining jamo),
// Devanagari, Arabic, numbers, punctuation, and emoji with skin tones, ZWJ
// sequences, U+FE0F and flags.
std::string multilingual_sentence() {
  const std::string unit =
      "The dog chased the ball, and it rolled away. Caf\u00E9 cafe\u0301 na\u00EFve don't "
      "self-attention 3.14 1,000! \u041F\u0440\u0438\u0432\u0435\u0442, \u043C\u0438\u0440. "
      "\u03BB\u03CC\u03B3\u03BF\u03C2 \u6CE8\u610F\u529B\u673A\u5236\u3002\u300C\u732B\u300D "
      "\u3053\u3093\u306B\u3061\u306F \uC548\uB155\uD558\uC138\uC694 \u1100\u1161\u11A8 "
      "\u0928\u092E\u0938\u094D\u0924\u0947 \u0645\u0631\u062D\u0628\u0627 \u00BFQu\u00E9? "
      "\u2764\uFE0F \U0001F44D\U0001F3FD \U0001F468\u200D\U0001F469\u200D\U0001F467 "
      "\U0001F1EB\U0001F1F7 \U0001F600 5\u20AC \u2192 \uFF21\uFF01 ";
  std::string s;
  while (s.size() < 16 * 1024) s += unit;
  return s;
}

void BM_Tokenize(benchmark::State& state) {
  const std::string sentence = multilingual_sentence();
  for (auto _ : state) {
    std::vector<attn::Token> tokens = attn::tokenize(sentence);
    benchmark::DoNotOptimize(tokens.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * sentence.size()));
}
BENCHMARK(BM_Tokenize)->Unit(benchmark::kMicrosecond);

void BM_DisplayWidth(benchmark::State& state) {
  const std::string sentence = multilingual_sentence();
  for (auto _ : state) {
    std::size_t width = attn::display_width(sentence);
    benchmark::DoNotOptimize(width);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * sentence.size()));
}
BENCHMARK(BM_DisplayWidth)->Unit(benchmark::kMicrosecond);

// What the CLI does with a sentence: split it, then measure and elide every
// token for the tables.
void BM_TokenizeAndWidth(benchmark::State& state) {
  const std::string sentence = multilingual_sentence();
  for (auto _ : state) {
    std::size_t columns = 0;
    for (const attn::Token& t : attn::tokenize(sentence)) {
      columns += attn::display_width(t.text) + attn::elide(t.text, 6).size();
    }
    benchmark::DoNotOptimize(columns);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * sentence.size()));
}
BENCHMARK(BM_TokenizeAndWidth)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
