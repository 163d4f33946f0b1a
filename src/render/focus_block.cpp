#include "focus_block.hpp"

#include <fmt/format.h>

namespace attn {

namespace {

// One LayerNorm of row i: x (its input row), its statistics, y (its output row).
void write_layer_norm(FocusPage& page, const std::string& name, const Matrix& x, const LayerNormTrace& ln, const Matrix& y) {
  const std::size_t i = page.i, e = x.cols;
  const std::vector<float> row = row_of(x, i);
  page.title(fmt::format("LayerNorm {}  (x − mean) / √(variance + ε) × weight + bias, over {}'s {} numbers", name,
                         page.quoted(i), e));
  page.line(fmt::format("x = {}", page.vec(row)));
  std::vector<std::string> terms, squares;
  float sum = 0.0f, squared = 0.0f;
  for (std::size_t c = 0; c < e; ++c) {
    terms.push_back(page.factor(row[c]));
    sum += row[c];
    const float d = row[c] - ln.mean[i];
    squares.push_back(fmt::format("{}²", page.factor(d)));
    squared += d * d;
  }
  page.spell("Σ x = ", terms, page.num(sum));
  page.line(fmt::format("mean = Σ x / {} = {}", e, page.num(ln.mean[i])));
  page.spell("Σ (x − mean)² = ", squares, page.num(squared));
  page.line(fmt::format("variance = Σ (x − mean)² / {} = {}   (divided by {}, not {}: no Bessel's correction)", e,
                        page.num(ln.variance[i]), e, e - 1));
  page.line(fmt::format("√(variance + ε) = √({} + {:g}) = {}", page.num(ln.variance[i]), ln.epsilon, page.num(ln.std[i])));
  page.explain("Each component: subtract the mean, divide by √(variance + ε), then the learned weight and bias:");
  for (const std::size_t c : spelled_components(e)) {
    page.line(fmt::format("y[{}] = ({} − {}) / {} × {} + {} = {}", c, page.factor(row[c]), page.factor(ln.mean[i]),
                          page.factor(ln.std[i]), page.factor(ln.weight[c]), page.factor(ln.bias[c]), page.num(y(i, c))));
  }
  if (e > kMaxTerms) page.explain(fmt::format("… and so on for all {} components.", e));
}

// a + b = sum, component by component, as printed sums.
void write_sum(FocusPage& page, const std::string& left, const Matrix& a, const std::string& right, const Matrix& b,
               const std::string& result, const Matrix& sum) {
  const std::size_t i = page.i;
  std::vector<Sum> sums;
  for (const std::size_t c : spelled_components(a.cols))
    sums.push_back({fmt::format("{}[{}]", result, c), {page.factor(a(i, c)), page.factor(b(i, c))}, page.num(sum(i, c))});
  page.explain(fmt::format("{} = {} + {}, component by component:", result, left, right));
  page.spell_components(sums, a.cols);
}

}  // namespace

void write_block(FocusPage& page) {
  const Trace& t = page.trace;
  const BlockTrace& b = *t.block;
  const std::size_t i = page.i;
  page.text(fmt::format("\n{}\n", page.strong(fmt::format("The rest of block {} for {}", t.layer.value_or(0), page.quoted(i)))));
  page.explain("The attention read X, the block's input after ln_1: that LayerNorm first, then the rest of the block.");
  page.start_head();
  write_layer_norm(page, "ln_1 (X, the attention's input)", b.input, b.ln_1, t.inputs);
  page.title("Residual  input + attention output");
  write_sum(page, "input", b.input, "output", t.output, "residual", b.residual);
  write_layer_norm(page, "ln_2", b.residual, b.ln_2, b.ln_2_output);
  page.title(fmt::format("MLP  gelu(ln_2 · c_fc + b), {} numbers, then · c_proj + b, back to {}", b.mlp_hidden.cols,
                         b.mlp_output.cols));
  page.line(fmt::format("hidden = {}", page.vec(row_of(b.mlp_hidden, i))));
  page.line(fmt::format("mlp    = {}", page.vec(row_of(b.mlp_output, i))));
  if (t.block_output) {
    page.title("Block output  residual + MLP");
    write_sum(page, "residual", b.residual, "mlp", b.mlp_output, "output", *t.block_output);
  }
}

}  // namespace attn
