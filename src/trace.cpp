#include "attn/trace.hpp"

#include <fmt/format.h>

namespace attn {

const char* to_string(Projection p) {
  switch (p) {
    case Projection::none: return "none";
    case Projection::rand: return "rand";
    case Projection::linear: return "linear";
    case Projection::table: return "table";
  }
  return "?";
}

const char* to_string(Softmax s) {
  switch (s) {
    case Softmax::stable: return "stable";
    case Softmax::naive: return "naive";
    case Softmax::sum: return "sum";
  }
  return "?";
}

const char* to_string(CausalMethod m) { return m == CausalMethod::inf ? "inf" : "renorm"; }
const char* to_string(Multihead m) { return m == Multihead::wrapper ? "wrapper" : "split"; }

}  // namespace attn
