#include "linear.hpp"

#include <algorithm>
#include <cmath>

#include "linear_kernels.hpp"
#include "parallel.hpp"

namespace attn {

namespace kernels {

namespace {
constexpr std::size_t kGenericRows = 4;  // tokens that share each read of a panel
constexpr std::size_t kDotRows = 8;      // rows whose chains run side by side
}  // namespace

void panels_generic(const float* x, std::size_t rows, std::size_t in, const float* w, std::size_t ldw, std::size_t stride,
                    std::size_t count, float* y, std::size_t out, std::size_t cols) {
  for (std::size_t p = 0; p < count; ++p) {
    const float* panel = w + p * stride;
    const std::size_t j0 = p * kPanelWidth, n = std::min(kPanelWidth, cols - j0);
    for (std::size_t r0 = 0; r0 < rows; r0 += kGenericRows) {
      const std::size_t nr = std::min(kGenericRows, rows - r0);
      float acc[kGenericRows][kPanelWidth] = {};
      for (std::size_t k = 0; k < in; ++k) {
        const float* wk = panel + k * ldw;
        for (std::size_t r = 0; r < nr; ++r) {
          const float a = x[(r0 + r) * in + k];
          for (std::size_t j = 0; j < kPanelWidth; ++j) acc[r][j] = std::fma(a, wk[j], acc[r][j]);
        }
      }
      for (std::size_t r = 0; r < nr; ++r) std::copy_n(acc[r], n, y + (r0 + r) * out + j0);
    }
  }
}

void dot_rows_generic(const float* a, std::size_t n, const float* rows, std::size_t v0, std::size_t v1, float* scores) {
  for (std::size_t v = v0; v < v1; v += kDotRows) {
    const std::size_t nv = std::min(kDotRows, v1 - v);
    float acc[kDotRows] = {};
    for (std::size_t k = 0; k < n; ++k)
      for (std::size_t r = 0; r < nv; ++r) acc[r] = std::fma(a[k], rows[(v + r) * n + k], acc[r]);
    std::copy_n(acc, nv, scores + v);
  }
}

}  // namespace kernels

PackedWeights pack_weights(std::span<const float> W, std::size_t in, std::size_t out) {
  PackedWeights packed{.in = in, .out = out, .weight = W, .edge = {}};
  const std::size_t j0 = out / kPanelWidth * kPanelWidth, cols = out - j0;
  if (cols > 0) {
    packed.edge.assign(in * kPanelWidth, 0.0f);
    for (std::size_t k = 0; k < in; ++k) std::copy_n(W.data() + k * out + j0, cols, packed.edge.data() + k * kPanelWidth);
  }
  return packed;
}

Matrix linear(const Matrix& x, const PackedWeights& W, std::span<const float> bias, Kernel kernel) {
  Matrix y(x.rows, W.out);
  auto panels = kernels::panels_generic;
#ifdef ATTN_X86_KERNELS
  if (kernel == Kernel::avx2) panels = kernels::panels_avx2;
  if (kernel == Kernel::avx512) panels = kernels::panels_avx512;
#endif
  if (x.rows > 0) {
    // Whole panels in place, in groups of three (the AVX-512 kernel's width) split over the cores.
    constexpr std::size_t kGroup = 3;
    const std::size_t whole = W.out / kPanelWidth, groups = (whole + kGroup - 1) / kGroup;
    parallel_for(groups, [&](std::size_t first, std::size_t last) {
      const std::size_t p0 = first * kGroup, count = std::min(whole, last * kGroup) - p0;
      panels(x.data.data(), x.rows, x.cols, W.weight.data() + p0 * kPanelWidth, W.out, kPanelWidth, count,
             y.data.data() + p0 * kPanelWidth, W.out, count * kPanelWidth);
    });
    if (!W.edge.empty()) {
      const std::size_t j0 = whole * kPanelWidth;
      panels(x.data.data(), x.rows, x.cols, W.edge.data(), kPanelWidth, 0, 1, y.data.data() + j0, W.out, W.out - j0);
    }
  }
  if (!bias.empty())
    for (std::size_t i = 0; i < y.rows; ++i)
      for (std::size_t j = 0; j < W.out; ++j) y(i, j) += bias[j];
  return y;
}

Matrix linear(const Matrix& x, std::span<const float> W, std::span<const float> bias, std::size_t out) {
  return linear(x, pack_weights(W, x.cols, out), bias, active_kernel());
}

void dot_rows(std::span<const float> a, std::span<const float> rows, std::span<float> scores, Kernel kernel) {
  auto dot = kernels::dot_rows_generic;
#ifdef ATTN_X86_KERNELS
  if (kernel != Kernel::generic) dot = kernels::dot_rows_fma;
#endif
  parallel_for((scores.size() + 63) / 64, [&](std::size_t first, std::size_t last) {
    dot(a.data(), a.size(), rows.data(), first * 64, std::min(scores.size(), last * 64), scores.data());
  });
}

}  // namespace attn
