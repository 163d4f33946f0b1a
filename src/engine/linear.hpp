// linear.hpp: y = x · W + b for a whole sentence at once, on every core.
//
// The one matrix product of the model runs (GPT-2's c_attn, c_proj, c_fc): the
// same sum as attention.cpp's project(), Σ_k x(i, k) · W(k, j), then + b(j). The
// kernels read W where it lies (the mapped file), sixteen columns at a time (a
// panel: 64 bytes of each row k), three panels beside each other on the AVX-512 path,
// several tokens sharing each read; the last columns when out is not a multiple of 16
// are copied once, when the weights are prepared (prepare_weights, at load), into a
// panel of their own padded with zeros. The panels are split over the cores
// (parallel.hpp).
//
// Same digits on every machine: every path (kernel.hpp) computes y(i, j) as one chain
// of fused multiply-adds, acc = fma(x(i, k), W(k, j), acc) for k = 0, 1, …, in − 1
// from acc = 0 (one rounding per term, as BLAS libraries do on processors with FMA),
// then acc + b(j). The generic path uses std::fma, the others _mm256_fmadd_ps and
// _mm512_fmadd_ps, so all give the same bits, whichever runs and however many threads.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "attn/matrix.hpp"
#include "kernel.hpp"

namespace attn {

// W (in × out, row-major) as the kernels read it: its first 16·⌊out / 16⌋ columns in
// place, the rest copied side by side, in × 16, zeros past the last column.
struct PackedWeights {
  std::size_t in = 0, out = 0;
  std::span<const float> weight;  // W itself: must outlive this
  std::vector<float> edge;        // columns 16·⌊out / 16⌋ …, in × 16 (empty when out % 16 = 0)
};

inline constexpr std::size_t kPanelWidth = 16;

// REQUIRES: W.size() = in · out; W outlives the result.
PackedWeights pack_weights(std::span<const float> W, std::size_t in, std::size_t out);

// x · W + bias, x.rows × W.out, on the path `kernel`.
// REQUIRES: x.cols = W.in; bias empty or of size W.out; kernel_supported(kernel).
Matrix linear(const Matrix& x, const PackedWeights& W, std::span<const float> bias, Kernel kernel);

// The same on active_kernel(), W prepared for this one call.
// REQUIRES: W.size() = x.cols · out; bias empty or of size out.
Matrix linear(const Matrix& x, std::span<const float> W, std::span<const float> bias, std::size_t out);

// scores(v) = Σ_k a(k) · rows(v, k) for every row v of `rows` (count × a.size()), each
// a chain of fused multiply-adds over k ascending (as linear()), eight rows at a time:
// the next-token scores against the token embeddings.
// REQUIRES: rows.size() = scores.size() · a.size(); kernel_supported(kernel).
void dot_rows(std::span<const float> a, std::span<const float> rows, std::span<float> scores, Kernel kernel);

}  // namespace attn
