// parameter_count.hpp: how many trainable numbers a module of the chapter holds.
//
// `attn-explain params`, the parameter-count exercises and their mistakes all
// count the same way: the one function below, which the tests check against
// PyTorch's sum(p.numel() for p in module.parameters()). The weights themselves
// are the engine's (src/engine/parameters.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "attn/settings.hpp"

namespace attn {

// Trainable parameters of the module, by part, as PyTorch's
// sum(p.numel() for p in module.parameters()) counts them.
struct ParameterCount {
  std::vector<std::pair<std::string, std::uint64_t>> parts;  // name, count
  std::uint64_t total = 0;
};
// REQUIRES: heads ≥ 1; for split, d_out divisible by heads.
ParameterCount count_parameters(std::uint64_t d_in, std::uint64_t d_out, std::uint64_t heads, Multihead multihead,
                                bool qkv_bias);

}  // namespace attn
