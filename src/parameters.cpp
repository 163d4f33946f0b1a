#include "attn/parameters.hpp"

#include "attn/torch_random.hpp"

namespace attn {

std::optional<Parameters> make_parameters(Projection projection, std::size_t d_in, std::size_t d_out,
                                          std::uint64_t seed, const EmbeddingTable& table) {
  switch (projection) {
    case Projection::none:
      return std::nullopt;
    case Projection::rand: {
      // torch.manual_seed(seed); W_query, W_key, W_value = torch.rand(d_in, d_out) each
      TorchGenerator gen(seed);
      Parameters p;
      p.W_query = gen.rand(d_in, d_out);
      p.W_key = gen.rand(d_in, d_out);
      p.W_value = gen.rand(d_in, d_out);
      return p;
    }
    case Projection::table:
      return Parameters{table.weights->W_query, table.weights->W_key, table.weights->W_value};
  }
  return std::nullopt;
}

const char* to_string(Projection p) {
  switch (p) {
    case Projection::none: return "none";
    case Projection::rand: return "rand";
    case Projection::table: return "table";
  }
  return "?";
}

}  // namespace attn
