// How long GPT-2's forward pass takes (issue 14): the whole pass over n tokens
// (every block, the next-token scores), as `--model DIR --layer 1` runs it, and
// linear() alone at GPT-2 small's widest product (768 → 3072).
// The model is a folder in the layout --model reads, named by $ATTN_BENCH_MODEL;
// tests/oracle/make_gpt2_checkpoint.py writes one at GPT-2 small's size:
//   /usr/bin/python3 tests/oracle/make_gpt2_checkpoint.py /tmp/gpt2-small --layers 12 --heads 12
//       --embd 768 --positions 1024 --vocab gpt2 --seed 1
//   ATTN_BENCH_MODEL=/tmp/gpt2-small build/bench/gpt2_bench
// ATTN_THREADS=1 runs it on one core.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "gpt2_checkpoint.hpp"
#include "gpt2_forward.hpp"
#include "linear.hpp"
#include "torch_random.hpp"

namespace {

const attn::Gpt2Checkpoint* model() {
  static const attn::Gpt2Checkpoint* loaded = [] () -> const attn::Gpt2Checkpoint* {
    const char* dir = std::getenv("ATTN_BENCH_MODEL");
    if (!dir) return nullptr;
    return new attn::Gpt2Checkpoint(attn::load_gpt2_checkpoint(dir));
  }();
  return loaded;
}

void BM_Gpt2Forward(benchmark::State& state) {
  const attn::Gpt2Checkpoint* m = model();
  if (!m) {
    state.SkipWithError("set ATTN_BENCH_MODEL to a GPT-2 folder (see the top of bench/gpt2_bench.cpp)");
    return;
  }
  std::vector<int> ids;
  for (int i = 0; i < state.range(0); ++i) ids.push_back((i * 7919) % static_cast<int>(m->config.vocab_size));
  attn::Gpt2ForwardOptions options;
  options.record_layer = 0;
  for (auto _ : state) {
    attn::Gpt2Forward out = attn::gpt2_forward(*m, ids, options);
    benchmark::DoNotOptimize(out.last_logits.data());
  }
}
BENCHMARK(BM_Gpt2Forward)->Arg(16)->Arg(256)->Unit(benchmark::kMillisecond);

// linear() at GPT-2 small's three shapes (in → out): c_attn 768 → 2304, c_fc 768 → 3072,
// mlp c_proj 3072 → 768; state.range(0) rows (tokens), state.range(1) the path (0 generic,
// 1 avx2, 2 avx512; skipped where the processor lacks it). W is prepared once, as at load.
template <std::size_t in, std::size_t out>
void BM_Linear(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const auto kernel = static_cast<attn::Kernel>(state.range(1));
  if (!attn::kernel_supported(kernel)) {
    state.SkipWithError("this processor lacks the path");
    return;
  }
  state.SetLabel(attn::kernel_name(kernel));
  attn::TorchGenerator gen(1);
  const attn::Matrix x = gen.rand(n, in);
  const attn::Matrix weight = gen.rand(in, out);
  const attn::PackedWeights W = attn::pack_weights(weight.data, in, out);
  const std::vector<float> b(out, 0.5f);
  for (auto _ : state) {
    attn::Matrix y = attn::linear(x, W, b, kernel);
    benchmark::DoNotOptimize(y.data.data());
  }
  // Multiplies and adds, in billions per second (of CPU time).
  state.counters["GFLOP/s"] =
      benchmark::Counter(2.0 * static_cast<double>(n * in * out) / 1e9, benchmark::Counter::kIsIterationInvariantRate);
}
#define ATTN_LINEAR_ARGS ->ArgsProduct({{16, 256}, {1, 2}})->Unit(benchmark::kMillisecond)
BENCHMARK(BM_Linear<768, 2304>) ATTN_LINEAR_ARGS;
BENCHMARK(BM_Linear<768, 3072>) ATTN_LINEAR_ARGS;
BENCHMARK(BM_Linear<3072, 768>) ATTN_LINEAR_ARGS;

}  // namespace

BENCHMARK_MAIN();
