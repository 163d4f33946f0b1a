// linear() and dot_rows() (issue 25.2): every path the processor has gives the bits the
// specification defines, acc = fma(x(i, k), W(k, j), acc) for k ascending from 0, then
// + b(j), written out here in plain loops, on shapes that are not multiples of the
// kernels' tiles (16-column panels, 6 or 8 rows, groups of 3 panels); and stays within
// rounding of a double-precision sum. Also the choice of path (ATTN_KERNEL) and the
// thread pool's ranges.
#include <atomic>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "attn/util/error.hpp"
#include "kernel.hpp"
#include "linear.hpp"
#include "parallel.hpp"

namespace {

using attn::Kernel;

std::vector<Kernel> supported() {
  std::vector<Kernel> kernels;
  for (Kernel k : {Kernel::generic, Kernel::avx2, Kernel::avx512})
    if (attn::kernel_supported(k)) kernels.push_back(k);
  return kernels;
}

std::vector<float> random_values(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> v(n);
  for (float& f : v) f = normal(gen);
  return v;
}

struct Shape {
  std::size_t rows, in, out;
};

TEST(Linear, EveryPathGivesTheFmaChainsBitsOnOddShapes) {
  const Shape shapes[] = {{1, 1, 1},    {1, 7, 5},    {2, 3, 16},   {3, 17, 33},  {5, 64, 47}, {6, 40, 48},
                          {7, 13, 49},  {8, 3, 144},  {9, 100, 97}, {13, 31, 16}, {17, 5, 95}, {1, 768, 50},
                          {25, 70, 161}, {0, 5, 7},   {4, 0, 9}};
  unsigned seed = 1;
  for (const Shape& s : shapes) {
    attn::Matrix x(s.rows, s.in);
    x.data = random_values(s.rows * s.in, seed++);
    const std::vector<float> W = random_values(s.in * s.out, seed++), b = random_values(s.out, seed++);
    const attn::PackedWeights packed = attn::pack_weights(W, s.in, s.out);
    for (Kernel k : supported()) {
      SCOPED_TRACE(testing::Message() << attn::kernel_name(k) << " " << s.rows << "×" << s.in << " → " << s.out);
      const attn::Matrix y = attn::linear(x, packed, b, k);
      ASSERT_EQ(y.rows, s.rows);
      ASSERT_EQ(y.cols, s.out);
      for (std::size_t i = 0; i < s.rows; ++i)
        for (std::size_t j = 0; j < s.out; ++j) {
          float acc = 0.0f;
          double exact = 0.0, size = 0.0;
          for (std::size_t k2 = 0; k2 < s.in; ++k2) {
            acc = std::fma(x(i, k2), W[k2 * s.out + j], acc);
            exact += static_cast<double>(x(i, k2)) * W[k2 * s.out + j];
            size += std::fabs(static_cast<double>(x(i, k2)) * W[k2 * s.out + j]);
          }
          const float want = acc + b[j], got = y(i, j);
          ASSERT_EQ(std::memcmp(&got, &want, sizeof want), 0) << i << "," << j << ": " << got << " vs " << want;
          exact += b[j];
          EXPECT_NEAR(y(i, j), exact, 1e-6 * (size + std::fabs(b[j])) * static_cast<double>(s.in + 2));
        }
      // Without a bias: the chains alone.
      const attn::Matrix bare = attn::linear(x, packed, {}, k);
      for (std::size_t i = 0; i < s.rows; ++i)
        for (std::size_t j = 0; j < s.out; ++j) ASSERT_EQ(bare(i, j) + b[j], y(i, j));
    }
  }
}

TEST(Linear, TheLastColumnsAreCopiedZeroPaddedTheRestReadInPlace) {
  const std::size_t in = 3, out = 20;
  std::vector<float> W(in * out);
  for (std::size_t i = 0; i < W.size(); ++i) W[i] = static_cast<float>(i + 1);
  const attn::PackedWeights p = attn::pack_weights(W, in, out);
  EXPECT_EQ(p.weight.data(), W.data());
  ASSERT_EQ(p.edge.size(), in * 16);
  EXPECT_EQ(p.edge[0], 17.0f);            // W(0, 16)
  EXPECT_EQ(p.edge[2 * 16 + 3], 60.0f);   // W(2, 19)
  EXPECT_EQ(p.edge[2 * 16 + 4], 0.0f);    // past the last column
  EXPECT_TRUE(attn::pack_weights(W, 4, 15).edge.size() == 4 * 16);
  EXPECT_TRUE(attn::pack_weights(W, 2, 16).edge.empty());
}

TEST(DotRows, EveryPathGivesTheFmaChainsBits) {
  for (std::size_t n : {1u, 13u, 32u, 100u})
    for (std::size_t count : {1u, 7u, 8u, 9u, 63u, 64u, 65u, 200u}) {
      const std::vector<float> a = random_values(n, static_cast<unsigned>(n * 1000 + count));
      const std::vector<float> rows = random_values(n * count, static_cast<unsigned>(n * 7 + count));
      for (Kernel k : supported()) {
        std::vector<float> scores(count, -1.0f);
        attn::dot_rows(a, rows, scores, k);
        for (std::size_t v = 0; v < count; ++v) {
          float acc = 0.0f;
          for (std::size_t i = 0; i < n; ++i) acc = std::fma(a[i], rows[v * n + i], acc);
          ASSERT_EQ(std::memcmp(&scores[v], &acc, sizeof acc), 0)
              << attn::kernel_name(k) << " n " << n << " row " << v << ": " << scores[v] << " vs " << acc;
        }
      }
    }
}

TEST(Kernel, UnsetChoosesTheBestTheProcessorHas) {
  EXPECT_EQ(attn::choose_kernel(nullptr, true, true), Kernel::avx512);
  EXPECT_EQ(attn::choose_kernel("", true, false), Kernel::avx2);
  EXPECT_EQ(attn::choose_kernel(nullptr, false, false), Kernel::generic);
  EXPECT_EQ(attn::choose_kernel("generic", true, true), Kernel::generic);
  EXPECT_EQ(attn::choose_kernel("avx2", true, true), Kernel::avx2);
  EXPECT_EQ(attn::choose_kernel("avx512", true, true), Kernel::avx512);
}

std::string refusal(const char* value, bool avx2, bool avx512) {
  try {
    attn::choose_kernel(value, avx2, avx512);
  } catch (const attn::UsageError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(Kernel, APathTheProcessorLacksOrNoPathIsRefused) {
  EXPECT_EQ(refusal("avx512", true, false), "ATTN_KERNEL=avx512: this processor lacks AVX-512F; it can run generic, avx2");
  EXPECT_EQ(refusal("avx2", false, false), "ATTN_KERNEL=avx2: this processor lacks AVX2 and FMA; it can run generic");
  EXPECT_EQ(refusal("AVX2", true, true),
            "ATTN_KERNEL=\"AVX2\" is not a kernel: expected generic, avx2 or avx512 (or unset: the best this "
            "processor has)");
  EXPECT_NE(refusal("haswell", true, true).find("is not a kernel"), std::string::npos);
}

TEST(ParallelFor, EveryIndexOnceOverManyCallsAndNestedCalls) {
  for (std::size_t count : {0u, 1u, 2u, 3u, 17u, 1000u}) {
    for (int round = 0; round < 50; ++round) {
      std::vector<std::atomic<int>> seen(count);
      attn::parallel_for(count, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) seen[i]++;
        attn::parallel_for(3, [&](std::size_t, std::size_t) {});  // inside a body: runs here
      });
      for (std::size_t i = 0; i < count; ++i) ASSERT_EQ(seen[i].load(), 1) << count << " " << i;
    }
  }
}

}  // namespace
