// How long the engine takes: one head of attention with d_in = d_out = 64, for
// n = 6, 64 and 512 tokens, the naive loops exactly as the CLI runs them.
// Also the renderers on such a trace: the tables, one token's focus arithmetic.
// Run: build/bench/attn_bench
#include <benchmark/benchmark.h>

#include "attention.hpp"
#include "attn/embedding_table.hpp"
#include "render_focus.hpp"
#include "render_table.hpp"
#include "trace_json.hpp"
#include "torch_random.hpp"

namespace {

void BM_Attend(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const std::size_t d = 64;
  attn::TorchGenerator gen(123);
  const attn::Matrix inputs = gen.rand(n, d);
  const attn::Parameters p{gen.rand(d, d), gen.rand(d, d), gen.rand(d, d), {}, {}, {}};
  attn::TorchGenerator unused(0);
  for (auto _ : state) {
    attn::HeadTrace head = attn::attend_head(inputs, p, attn::AttentionOptions{}, unused);
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
                                          attn::AttentionOptions{}, gen));
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
      attn::AttentionOptions{}, gen));
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

}  // namespace

BENCHMARK_MAIN();
