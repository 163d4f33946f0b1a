// The runs behind --compare: the learner's request, one setting changed at a
// time, each run by the engine. No arithmetic and no printing here.
#include "attn/compare.hpp"

namespace attn {

namespace {

Request with_scale(Request request, bool scale) {
  request.scale = scale;
  return request;
}

Request with_softmax(Request request, Softmax softmax) {
  request.softmax = softmax;
  return request;
}

// The learner's sentence at d_k = kLargeDk: random weights of that width, one
// head, and the softmax proper (see compare.hpp for why).
Request at_large_dk(const Request& learner, bool scale) {
  Request r = learner;
  r.projection = Projection::rand;
  r.d_out = kLargeDk;
  r.heads = 1;
  r.multihead = Multihead::wrapper;
  r.qkv_bias = false;
  r.softmax = Softmax::stable;
  r.scale = scale;
  return r;
}

// The overflow example: Q = K = V = X and no scaling, so the scores are the
// raw dot products x_i · x_j of the table's long vectors.
Request overflow_request(Softmax softmax) {
  Request r;
  r.sentence = kOverflowSentence;
  r.projection = Projection::none;
  r.scale = false;
  r.softmax = softmax;
  r.oov = OovPolicy::error;  // a word missing from the table is a broken install, not a hashed vector
  return r;
}

}  // namespace

ScaleComparison compare_scale(const Request& request, const EmbeddingTable& table) {
  ScaleComparison c;
  c.scaled = explore(with_scale(request, true), table);
  c.unscaled = explore(with_scale(request, false), table);
  c.scaled_large = explore(at_large_dk(request, true), table);
  c.unscaled_large = explore(at_large_dk(request, false), table);
  return c;
}

SoftmaxComparison compare_softmax(const Request& request, const EmbeddingTable& table,
                                  const EmbeddingTable& overflow_table) {
  SoftmaxComparison c;
  c.sum = explore(with_softmax(request, Softmax::sum), table);
  c.naive = explore(with_softmax(request, Softmax::naive), table);
  c.stable = explore(with_softmax(request, Softmax::stable), table);
  c.overflow_sum = explore(overflow_request(Softmax::sum), overflow_table);
  c.overflow_naive = explore(overflow_request(Softmax::naive), overflow_table);
  c.overflow_stable = explore(overflow_request(Softmax::stable), overflow_table);
  return c;
}

}  // namespace attn
