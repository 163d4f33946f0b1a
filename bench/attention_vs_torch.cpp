// The engine's side of issue 16's speed comparison: one head of attention from X,
// timed the way bench/attention_vs_torch.py times PyTorch eager on the same shapes.
//
// usage: attention_vs_torch N D [SEED [MIN_SECONDS]]
//
// X = torch.rand(N, D) after torch.manual_seed(SEED), then W_query, W_key, W_value
// drawn as three nn.Linear(D, D, bias=False) (the book's SelfAttention_v2), so that
// PyTorch, seeded alike, holds the very same floats. One run is what the CLI's
// engine does for one head: attend_head() with the default options (scaled,
// stable softmax, no mask, no dropout): the projections, the scores, the scaling,
// the softmax and the context vectors, every stage kept in the HeadTrace. The
// weights go into the trace and are taken back after each run (the engine keeps
// them; it does not copy them).
//
// Runs are timed in batches of at least 2 ms of this thread's CPU time
// (CLOCK_THREAD_CPUTIME_ID, so other processes on a shared machine do not count),
// until MIN_SECONDS (default 1) have passed; the fastest batch's time per run is
// reported. Prints one JSON object:
//   {"n": N, "d": D, "seconds": per run, "runs": R, "context_sum": Σ context_vec}
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "attention.hpp"
#include "parameters.hpp"
#include "torch_random.hpp"

namespace {

double thread_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// One run: the head's trace, with the weights handed back to `p` afterwards.
attn::HeadTrace run(const attn::Matrix& inputs, attn::Parameters& p) {
  attn::HeadTrace head = attn::attend_head(inputs, std::move(p), attn::AttentionOptions{});
  p.W_query = std::move(*head.W_query);
  p.W_key = std::move(*head.W_key);
  p.W_value = std::move(*head.W_value);
  return head;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: attention_vs_torch N D [SEED [MIN_SECONDS]]\n");
    return 2;
  }
  const std::size_t n = std::strtoul(argv[1], nullptr, 10);
  const std::size_t d = std::strtoul(argv[2], nullptr, 10);
  const std::uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 123;
  const double min_seconds = argc > 4 ? std::strtod(argv[4], nullptr) : 1.0;
  if (n == 0 || d == 0) {
    std::fprintf(stderr, "attention_vs_torch: N and D must be at least 1\n");
    return 2;
  }

  attn::TorchGenerator gen(seed);
  const attn::Matrix inputs = gen.rand(n, d);
  attn::Parameters p;
  p.W_query = attn::draw_linear(gen, d, d, false).first;
  p.W_key = attn::draw_linear(gen, d, d, false).first;
  p.W_value = attn::draw_linear(gen, d, d, false).first;

  double context_sum = 0.0;
  for (float v : run(inputs, p).context_vec.data) context_sum += v;

  // How many runs make a batch of at least 2 ms.
  std::size_t batch = 1;
  for (;;) {
    const double t0 = thread_seconds();
    for (std::size_t r = 0; r < batch; ++r) run(inputs, p);
    if (thread_seconds() - t0 >= 2e-3) break;
    batch *= 2;
  }
  double best = 1e30;
  std::size_t runs = 0;
  const double start = thread_seconds();
  while (runs == 0 || thread_seconds() - start < min_seconds) {
    const double t0 = thread_seconds();
    for (std::size_t r = 0; r < batch; ++r) run(inputs, p);
    best = std::min(best, (thread_seconds() - t0) / static_cast<double>(batch));
    runs += batch;
  }
  std::printf("{\"n\": %zu, \"d\": %zu, \"seconds\": %.9g, \"runs\": %zu, \"context_sum\": %.9g}\n", n, d, best, runs,
              context_sum);
  return 0;
}
