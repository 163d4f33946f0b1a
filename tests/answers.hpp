// Answers written briefly in the tests: num(0.95), vec({0.1, 0.2}), tok("ball").
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "attn/teach/answer.hpp"

namespace attn::test {

inline Answer num(double x) {
  Answer a;
  a.number = x;
  return a;
}

inline Answer vec(std::vector<double> v) {
  Answer a;
  a.kind = Answer::Kind::vector;
  a.vector = std::move(v);
  return a;
}

inline Answer tok(const std::string& t) {
  Answer a;
  a.kind = Answer::Kind::token;
  a.token = t;
  return a;
}

}  // namespace attn::test
