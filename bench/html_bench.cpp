// How long the HTML report takes (render_html.hpp): a run of the default table
// (d = 6, its own W_query, W_key, W_value) on a sentence of n = 6, 64 and 256
// tokens, as `attn-explain --html` draws it, and the page's size in bytes.
// Run: build/bench/html_bench
#include <benchmark/benchmark.h>

#include <string>

#include "attn/embedding_table.hpp"
#include "attn/explorer.hpp"
#include "attn/util/data_dir.hpp"
#include "attn/render/render_html.hpp"

namespace {

// n tokens of "The dog chased the ball, and it rolled away." over and over.
std::string sentence_of(std::size_t n) {
  static const char* kWords[] = {"The", "dog", "chased", "the", "ball", ",", "and", "it", "rolled", "away", "."};
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += (i ? " " : "") + std::string(kWords[i % 11]);
  return s;
}

void BM_HtmlReport(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const attn::EmbeddingTable table = attn::load_table(attn::find_data_file(attn::kDefaultTable));
  attn::Request request;
  request.sentence = sentence_of(n);
  const attn::Trace trace = attn::explore(request, table);
  const attn::HtmlAssets assets = attn::load_html_assets();
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string page = attn::render_html_report(trace, attn::HtmlOptions{}, assets);
    bytes = page.size();
    benchmark::DoNotOptimize(page.data());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_HtmlReport)->Arg(6)->Arg(64)->Arg(256)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
