// render_compare.hpp: comparisons side by side (--compare scale|softmax).
// (Being written.)
#pragma once

#include <string>

#include "attn/compare.hpp"

namespace attn {

struct CompareOptions {
  int precision = 4;   // REQUIRES: 0 ≤ precision ≤ 9
  bool color = false;
};

std::string render_scale_comparison(const ScaleComparison& c, const CompareOptions& options);
std::string render_softmax_comparison(const SoftmaxComparison& c, const CompareOptions& options);

}  // namespace attn
