#include "attn/compare.hpp"

namespace attn {

ScaleComparison compare_scale(const Request& request, const EmbeddingTable& table) {
  Request off = request;
  off.scale = false;
  return {explore(request, table), explore(off, table), explore(request, table), explore(off, table)};
}

SoftmaxComparison compare_softmax(const Request& request, const EmbeddingTable& table, const EmbeddingTable&) {
  const Trace t = explore(request, table);
  return {t, t, t, t, t, t};
}

}  // namespace attn
