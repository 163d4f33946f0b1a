#include "attn/render_compare.hpp"

namespace attn {

std::string render_scale_comparison(const ScaleComparison&, const CompareOptions&) { return "(being written)\n"; }
std::string render_softmax_comparison(const SoftmaxComparison&, const CompareOptions&) { return "(being written)\n"; }

}  // namespace attn
