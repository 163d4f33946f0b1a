#include "numeric_check.hpp"

#include <cmath>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "attn/util/echo.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

namespace {

constexpr std::size_t kTokenColumns = 20;  // a long token is elided in a warning

// Why a model's layer (or its logits) starts from values that are not finite.
constexpr const char* kNotFiniteBefore =
    "a weight of the checkpoint is not finite, or an earlier layer passed 3.4e38";

// What is wrong in one row: how many values are ±inf and how many NaN.
struct Bad {
  std::size_t inf = 0;
  std::size_t nan = 0;
  bool any() const { return inf + nan > 0; }
};

// The non-finite values of row i; with `skip_future`, the entries above the
// diagonal (the causal mask's -inf) are not counted.
Bad bad_in_row(const Matrix& m, std::size_t i, bool skip_future = false) {
  Bad bad;
  for (std::size_t j = 0; j < m.cols; ++j) {
    if (skip_future && j > i) continue;
    const float v = m(i, j);
    if (std::isnan(v)) ++bad.nan;
    else if (std::isinf(v)) ++bad.inf;
  }
  return bad;
}

std::string count_values(const Bad& b) {
  std::string out;
  if (b.inf) out += fmt::format("{} value{} overflowed float32 (inf)", b.inf, b.inf == 1 ? "" : "s");
  if (b.inf && b.nan) out += " and ";
  if (b.nan) out += fmt::format("{} {} not a number (NaN)", b.nan, b.nan == 1 ? "is" : "are");
  return out;
}

float row_sum(const Matrix& m, std::size_t i, bool skip_future) {
  float sum = 0.0f;
  for (std::size_t j = 0; j < m.cols; ++j)
    if (!(skip_future && j > i)) sum += m(i, j);
  return sum;
}

// One stage of a head, in the engine's order.
struct CheckedStage {
  const char* name;
  const Matrix* matrix;
  bool skip_future = false;  // the causal mask's -inf is expected here
};

class Checker {
 public:
  explicit Checker(const Trace& t) : t_(t) {}

  std::vector<std::string> run() {
    const Settings& s = t_.settings;
    const bool causal_inf = s.causal && s.causal_method == CausalMethod::inf;
    // A model's layer starts from the residual stream: a row that is not finite
    // there (an earlier layer, or a weight of the checkpoint) is named once, as its input.
    std::vector<bool> bad_input(t_.tokens.size(), false);
    if (t_.model) report("", CheckedStage{"inputs", &t_.inputs}, nullptr, bad_input);
    std::vector<bool> any_head_bad = bad_input;
    for (std::size_t h = 0; h < t_.heads.size(); ++h) {
      const HeadTrace& head = t_.heads[h];
      std::vector<CheckedStage> stages = {{"queries", &head.queries},
                                   {"keys", &head.keys},
                                   {"values", &head.values},
                                   {"attention scores", &head.attn_scores},
                                   {"scaled scores", &head.scaled_scores}};
      if (head.masked_scores) stages.push_back({"masked scores", &*head.masked_scores, true});
      if (head.masked_weights) stages.push_back({"masked weights", &*head.masked_weights});
      stages.push_back({"attention weights", &head.attn_weights, causal_inf});
      if (head.dropped_weights) stages.push_back({"dropout", &*head.dropped_weights});
      stages.push_back({"context vectors", &head.context_vec});

      const std::string prefix = t_.heads.size() > 1 ? fmt::format("head {}, ", h + 1) : "";
      std::vector<bool> reported = bad_input;
      for (std::size_t k = 0; k < stages.size(); ++k) {
        report(prefix, stages[k], k > 0 ? stages[k - 1].matrix : nullptr, reported);
      }
      for (std::size_t i = 0; i < reported.size(); ++i) any_head_bad[i] = any_head_bad[i] || reported[i];
    }
    // The module's own last step: out_proj after the heads (split heads only),
    // for the rows that no head has named yet.
    if (t_.out_proj) report("", CheckedStage{"output", &t_.output}, nullptr, any_head_bad);
    // A model's block goes on after its attention: the MLP and the residual sums.
    if (t_.block_output) report("", CheckedStage{"block output", &*t_.block_output}, nullptr, any_head_bad);
    return std::move(out_);
  }

 private:
  // Names each row of `stage` not yet in `reported` that holds a value that is
  // not finite (at most kMaxRowsNamed, then a count) and marks it reported.
  void report(const std::string& prefix, const CheckedStage& stage, const Matrix* before, std::vector<bool>& reported) {
    std::size_t named = 0, more = 0;
    for (std::size_t i = 0; i < stage.matrix->rows && i < reported.size(); ++i) {
      if (reported[i]) continue;
      const Bad bad = bad_in_row(*stage.matrix, i, stage.skip_future);
      if (!bad.any()) continue;
      reported[i] = true;
      if (named == kMaxRowsNamed) {
        ++more;
        continue;
      }
      ++named;
      out_.push_back(prefix + where(stage.name, i) + ": " + count_values(bad) + cause(stage, before, i, bad));
    }
    if (more > 0) {
      out_.push_back(fmt::format("{}{}: {} more row{} with values that are not finite", prefix, stage.name, more,
                                 more == 1 ? "" : "s"));
    }
  }

  std::string where(const char* stage, std::size_t i) const {
    return fmt::format("{}, row {} (\"{}\")", stage, i + 1, elide(display_escape(t_.tokens[i]), kTokenColumns));
  }

  // The likely cause, given the stage and the row just before it.
  std::string cause(const CheckedStage& stage, const Matrix* before, std::size_t i, const Bad& bad) const {
    const std::string name = stage.name;
    const Settings& s = t_.settings;
    if (name == "inputs") return std::string("; ") + kNotFiniteBefore;
    if (name == "block output") {
      return "; the block's MLP (c_fc, c_proj) or its residual sum passed 3.4e38, or a weight of the checkpoint is not finite";
    }
    if (name == "queries" || name == "keys" || name == "values") {
      return "; the embeddings or the weights are too large for float32";
    }
    if (name == "attention scores") {
      return bad.inf ? "; a dot product passed 3.4e38, so the queries and keys are too large"
                     : "; a dot product met inf − inf";
    }
    const bool normalised_here = name == (s.causal && s.causal_method == CausalMethod::renorm ? "masked weights"
                                                                                                : "attention weights");
    if (normalised_here && before && !bad_in_row(*before, i, stage.skip_future).any()) {
      if (s.softmax == Softmax::naive) {
        return "; the naive softmax overflowed: exp of a score above 88.72 is inf in float32, and inf / inf is NaN "
               "(--softmax stable subtracts the row's maximum first)";
      }
      if (s.softmax == Softmax::sum && row_sum(*before, i, stage.skip_future) == 0.0f) {
        return "; the row's scores sum to 0, and --softmax sum divides by that sum";
      }
    }
    if (name == "attention weights" && s.causal && s.causal_method == CausalMethod::renorm) {
      return "; after the causal mask the row's weights sum to 0 (or overflow), and renormalising divides by that sum";
    }
    if (name == "context vectors") return "; the weighted sum of the values passed 3.4e38";
    if (name == "output") return "; out_proj (concatenated heads · weight + bias) passed 3.4e38";
    return "";
  }

  const Trace& t_;
  std::vector<std::string> out_;
};

// --layer all: the first layer whose weights hold a value that is not finite,
// its first row (the layers after it read its output, so they are not named).
void check_layer_weights(const Trace& t, std::vector<std::string>& out) {
  for (std::size_t l = 0; l < t.layer_weights.size(); ++l) {
    std::size_t rows = 0;
    std::string first;
    for (std::size_t h = 0; h < t.layer_weights[l].size(); ++h) {
      const Matrix& w = t.layer_weights[l][h];
      for (std::size_t i = 0; i < w.rows && i < t.tokens.size(); ++i) {
        const Bad bad = bad_in_row(w, i);
        if (!bad.any()) continue;
        if (rows++ == 0) {
          first = fmt::format("layer {}, head {}, attention weights, row {} (\"{}\"): {}; {}", l + 1, h + 1, i + 1,
                              elide(display_escape(t.tokens[i]), kTokenColumns), count_values(bad), kNotFiniteBefore);
        }
      }
    }
    if (rows == 0) continue;
    out.push_back(first);
    if (rows > 1) out.push_back(fmt::format("layer {}: {} more rows of its heads' weights are not finite", l + 1, rows - 1));
    return;
  }
}

}  // namespace

std::vector<std::string> numeric_warnings(const Trace& trace) { return Checker(trace).run(); }

std::vector<std::string> model_numeric_warnings(const Trace& trace, std::span<const float> logits) {
  std::vector<std::string> out = trace.layer ? numeric_warnings(trace) : std::vector<std::string>{};
  check_layer_weights(trace, out);
  Bad bad;
  for (const float v : logits) {
    if (std::isnan(v)) ++bad.nan;
    else if (std::isinf(v)) ++bad.inf;
  }
  if (bad.any()) {
    out.push_back(fmt::format("next-token logits, {} values: {}; {}, so the next-token probabilities are nan",
                              logits.size(), count_values(bad), kNotFiniteBefore));
  }
  return out;
}

}  // namespace attn
