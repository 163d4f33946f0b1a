// A program that embeds the engine, built without the engine's own folder on
// its include path: what include/attn/ promises is enough to load a table, run
// attention and read any stage off the Trace. Here: the book's simplified
// self-attention (Raschka, ch. 3.3.1) on "Your journey starts with one step",
// printing the context vector of "journey", which the book prints as
// tensor([0.4419, 0.6515, 0.5683]).
//
// usage: embed_engine JOURNEY_TABLE
#include <cstdio>

#include "attn/embedding_table.hpp"
#include "attn/util/error.hpp"
#include "attn/explorer.hpp"
#include "attn/settings.hpp"
#include "attn/trace.hpp"

// The engine's private headers (src/engine/) must be out of reach: were its folder on the
// path, this program would prove nothing about include/attn/.
#if __has_include("attention.hpp") || __has_include("linear_kernels.hpp") || __has_include("softmax_into.hpp")
#error "src/engine/ is on embed_engine's include path"
#endif

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: embed_engine JOURNEY_TABLE\n");
    return 2;
  }
  try {
    attn::Request request;
    request.sentence = "Your journey starts with one step";
    request.projection = attn::Projection::none;  // Q = K = V = X
    request.scale = false;                        // 3.3.1 does not scale yet
    const attn::Trace trace = attn::explore(request, attn::load_table(argv[1]));
    const attn::Matrix& context_vec = trace.heads.front().context_vec;
    std::printf("%s:", trace.tokens[1].c_str());
    for (std::size_t k = 0; k < context_vec.cols; ++k) std::printf(" %.4f", context_vec(1, k));
    std::printf("\n");
  } catch (const attn::Error& e) {
    std::fprintf(stderr, "embed_engine: %s\n", e.what());
    return e.exit_code();
  }
  return 0;
}
