// TorchGenerator against values PyTorch printed (tests/data/torch_generator.json,
// made by tests/oracle/torch_generator_values.py with Debian's python3-torch).
#include "torch_random.hpp"

#include <gtest/gtest.h>

#include "test_util.hpp"

namespace attn {
namespace {

const nlohmann::json& reference() {
  static const nlohmann::json j = test::read_json(test::test_data("data/torch_generator.json"));
  return j;
}

TEST(TorchGenerator, RandMatchesPyTorchBitForBit) {
  ASSERT_FALSE(reference()["rand"].empty());
  for (const auto& c : reference()["rand"]) {
    TorchGenerator gen(c["seed"].get<std::uint64_t>());
    const auto& values = c["values"];
    for (std::size_t i = 0; i < values.size(); ++i) {
      EXPECT_EQ(gen.rand(), static_cast<float>(values[i].get<double>()))
          << "seed " << c["seed"] << ", draw " << i;
    }
  }
}

TEST(TorchGenerator, MatrixIsFilledRowMajor) {
  const auto& c = reference()["rand"][0];  // seed 123, rand(3, 2) three times
  TorchGenerator gen(c["seed"].get<std::uint64_t>());
  const Matrix W_query = gen.rand(3, 2);
  ASSERT_EQ(W_query.rows, 3u);
  ASSERT_EQ(W_query.cols, 2u);
  EXPECT_EQ(W_query(0, 1), static_cast<float>(c["values"][1].get<double>()));
  EXPECT_EQ(W_query(2, 0), static_cast<float>(c["values"][4].get<double>()));
  const Matrix W_key = gen.rand(3, 2);  // continues the same stream
  EXPECT_EQ(W_key(0, 0), static_cast<float>(c["values"][6].get<double>()));
}

TEST(TorchGenerator, UniformMatchesPyTorchBitForBit) {
  for (const auto& c : reference()["uniform"]) {
    TorchGenerator gen(c["seed"].get<std::uint64_t>());
    const float from = static_cast<float>(c["from"].get<double>());
    const float to = static_cast<float>(c["to"].get<double>());
    const auto& values = c["values"];
    for (std::size_t i = 0; i < values.size(); ++i) {
      EXPECT_EQ(gen.uniform(from, to), static_cast<float>(values[i].get<double>()))
          << "seed " << c["seed"] << ", draw " << i;
    }
  }
}

TEST(TorchGenerator, Random64TakesTheFirstDrawAsTheHighHalf) {
  TorchGenerator a(99), b(99);
  const std::uint64_t hi = a.random();
  const std::uint64_t lo = a.random();
  EXPECT_EQ(b.random64(), (hi << 32) | lo);
}

TEST(TorchGenerator, SeedUsesLow32Bits) {
  TorchGenerator a(5), b((std::uint64_t{1} << 32) + 5);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a.random(), b.random());
}

}  // namespace
}  // namespace attn

#include "attention.hpp"
#include "parameters.hpp"

namespace attn {
namespace {

TEST(TorchGenerator, NnLinearInitialisationMatchesPyTorch) {
  ASSERT_FALSE(reference()["linear"].empty());
  for (const auto& c : reference()["linear"]) {
    TorchGenerator gen(c["seed"].get<std::uint64_t>());
    const std::size_t in = c["in"], out = c["out"];
    const auto [weight, bias] = draw_linear(gen, in, out, c["bias"].get<bool>());
    ASSERT_EQ(weight.rows, in);
    ASSERT_EQ(weight.cols, out);
    // PyTorch's weight is out × in; ours is its transpose.
    for (std::size_t o = 0; o < out; ++o)
      for (std::size_t i = 0; i < in; ++i)
        EXPECT_EQ(weight(i, o), static_cast<float>(c["weight"][o * in + i].get<double>()))
            << "seed " << c["seed"] << " weight[" << o << "][" << i << "]";
    ASSERT_EQ(bias.has_value(), c["bias"].get<bool>());
    if (bias) {
      for (std::size_t o = 0; o < out; ++o) EXPECT_EQ((*bias)[o], static_cast<float>(c["bias_values"][o].get<double>()));
    }
  }
}

TEST(TorchGenerator, DropoutMaskMatchesPyTorch) {
  ASSERT_FALSE(reference()["dropout"].empty());
  for (const auto& c : reference()["dropout"]) {
    TorchGenerator gen(c["seed"].get<std::uint64_t>());
    const Matrix mask = dropout_mask(gen, c["rows"], c["cols"], c["p"].get<double>());
    for (std::size_t i = 0; i < mask.data.size(); ++i) {
      EXPECT_EQ(mask.data[i], c["kept"][i].get<int>()) << "seed " << c["seed"] << " element " << i;
    }
  }
}

}  // namespace
}  // namespace attn
