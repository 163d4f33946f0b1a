#include "attn/render/render_table.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "attn/render/render_header.hpp"
#include "attn/render/render_lens.hpp"
#include "attn/render/style.hpp"
#include "attn/render/text_layout.hpp"
#include "attn/render/token_labels.hpp"
#include "attn/trace_stats.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

namespace {

std::string shape(const Matrix& m) { return fmt::format("{} × {}", m.rows, m.cols); }

}  // namespace

// 2360064 → "2,360,064", as the book writes counts.
std::string group_digits(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string render_parameter_count(const ParameterCount& count, std::uint64_t d_in, std::uint64_t d_out,
                                   std::uint64_t heads, Multihead multihead) {
  // One wrapper head is the book's SelfAttention_v1 (SelfAttention_v2 with --qkv-bias).
  const char* module = multihead == Multihead::split ? "MultiHeadAttention (split heads, out_proj)"
                       : heads == 1                  ? "SelfAttention (one head, as SelfAttention_v1/v2)"
                                                     : "MultiHeadAttentionWrapper (independent heads)";
  std::string out = fmt::format("{}, d_in = {}, d_out = {}, {} head{}\n", module, d_in, d_out, heads, heads == 1 ? "" : "s");
  std::size_t width = 5;
  for (const auto& part : count.parts) width = std::max(width, display_width(part.first));
  for (const auto& part : count.parts) {
    out += fmt::format("  {}  {:>13}\n", pad_right(part.first, width), group_digits(part.second));
  }
  out += fmt::format("  {}  {:>13}\n", pad_right("total", width), group_digits(count.total));
  return out;
}

namespace {

// The width of each column (its widest cell or label) and of the row labels. The
// cells are formatted here only to be measured, and formatted again as their
// rows are written, so that no n × n matrix of strings is ever held.
struct MatrixLayout {
  std::vector<std::string> rows, cols;
  std::vector<std::size_t> width;  // per column: its widest cell or label
  std::size_t label_width = 0;

  // The columns [first, last) of each block that fits `max_width` (one block when 0).
  std::vector<std::pair<std::size_t, std::size_t>> blocks(std::size_t max_width) const {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    std::size_t first = 0, used = 2 + label_width;
    for (std::size_t c = 0; c < width.size(); ++c) {
      if (max_width > 0 && c > first && used + 2 + width[c] > max_width) {
        out.emplace_back(first, c);
        first = c;
        used = 2 + label_width;
      }
      used += 2 + width[c];
    }
    out.emplace_back(first, width.size());
    return out;
  }
};

MatrixLayout layout_matrix(const Matrix& m, const std::vector<std::string>& row_labels,
                           const std::vector<std::string>& col_labels, int precision) {
  MatrixLayout l;
  for (const auto& r : row_labels) l.rows.push_back(fit_label(r));
  for (const auto& c : col_labels) l.cols.push_back(fit_label(c));
  for (const auto& r : l.rows) l.label_width = std::max(l.label_width, display_width(r));
  l.width.assign(m.cols, 0);
  for (std::size_t c = 0; c < m.cols; ++c) l.width[c] = display_width(l.cols[c]);
  for (std::size_t r = 0; r < m.rows; ++r)
    for (std::size_t c = 0; c < m.cols; ++c) l.width[c] = std::max(l.width[c], format_number(m(r, c), precision).size());
  return l;
}

// The columns [first, last) of the table, a piece per row.
void matrix_block(SinkBuffer& buffer, const Matrix& m, const MatrixLayout& l, int precision, const TableStyle& style,
                  std::size_t first, std::size_t last) {
  std::string& out = buffer.text();
  float largest = 0.0f;  // for the diverging scale
  for (float v : m.data)
    if (std::isfinite(v)) largest = std::max(largest, std::fabs(v));
  out += "  " + std::string(l.label_width, ' ');
  for (std::size_t c = first; c < last; ++c) out += "  " + pad_left(l.cols[c], l.width[c]);
  out += "\n";
  std::vector<bool> row_max(m.cols, false);
  for (std::size_t r = 0; r < m.rows; ++r) {
    // The row's largest weights, every one that prints alike; none for an even row.
    if (style.bold_row_max && m.cols > 0) {
      row_max.assign(m.cols, false);
      const StrongestKeys top = strongest_keys(m.row(r), m.cols, precision);
      for (std::size_t c : top.keys) row_max[c] = !top.even && m(r, c) > 0.0f;
    }
    out += "  " + pad_right(l.rows[r], l.label_width);
    for (std::size_t c = first; c < last; ++c) {
      // Pad first, colour after: escape codes take no columns.
      const std::string cell = format_number(m(r, c), precision);
      out += "  ";
      if (!style.color) {  // as below, without the copies
        out.append(l.width[c] > cell.size() ? l.width[c] - cell.size() : 0, ' ');
        out += cell;
        continue;
      }
      const std::string padded = pad_left(cell, l.width[c]);
      const float t = style.shade == Shade::diverging ? (largest > 0 ? m(r, c) / largest : 0.0f) : m(r, c);
      const std::string shaded = shade(padded, style.shade, t, style.color);
      // A row of zeros (dropout can leave one) has no largest weight to point at.
      out += row_max[c] ? bold(shaded, style.color) : shaded;
    }
    out += "\n";
    buffer.piece_done();
  }
}

// The table into `buffer`, as render_matrix() returns it.
void write_matrix(SinkBuffer& buffer, const Matrix& m, const std::vector<std::string>& row_labels,
                  const std::vector<std::string>& col_labels, int precision, const TableStyle& style = {}) {
  const MatrixLayout l = layout_matrix(m, row_labels, col_labels, precision);
  const auto blocks = l.blocks(style.width);
  if (blocks.size() == 1) return matrix_block(buffer, m, l, precision, style, 0, m.cols);
  // Too wide for the terminal: blocks of columns, each under a line naming its columns.
  for (std::size_t k = 0; k < blocks.size(); ++k) {
    const auto [first, last] = blocks[k];
    std::string& out = buffer.text();
    if (k > 0) out += '\n';
    out += dim(fmt::format("  columns {}–{} of {}", first + 1, last, m.cols), style.color);
    out += '\n';
    matrix_block(buffer, m, l, precision, style, first, last);
  }
}

}  // namespace

std::string render_matrix(const Matrix& m, const std::vector<std::string>& row_labels,
                          const std::vector<std::string>& col_labels, int precision, const TableStyle& style) {
  std::string out;
  SinkBuffer buffer(append_to(out));
  write_matrix(buffer, m, row_labels, col_labels, precision, style);
  buffer.flush();
  return out;
}

namespace {

// Bias vectors as the rows of one aligned table.
std::string render_biases(const std::vector<std::string>& names, const std::vector<const std::vector<float>*>& biases,
                          int p) {
  Matrix m(biases.size(), biases.front()->size());
  for (std::size_t r = 0; r < biases.size(); ++r)
    for (std::size_t c = 0; c < m.cols; ++c) m(r, c) = (*biases[r])[c];
  return render_matrix(m, names, dim_labels(m.cols), p);
}


}  // namespace

namespace {

// Writes the sections of a walkthrough as they are made: numbers the shown
// stages, adds the --explain lines under a stage's first title, and drops hidden
// stages (whose tables are never laid out).
class SectionWriter {
 public:
  SectionWriter(const RenderOptions& options, const SectionSink& sink, bool model_run)
      : options_(options), sink_(sink), buffer_(sink.write), model_run_(model_run) {}

  bool shown(Stage stage) const { return options_.stages.empty() || options_.stages.count(stage) > 0; }

  // The header, before any stage.
  void header(const std::string& text) {
    sink_.begin(std::nullopt);
    buffer_.text() += text;
  }

  // Starts a section and writes its title; false (and nothing written) when the stage is hidden.
  bool begin(Stage stage, const std::string& title) {
    if (!shown(stage)) return false;
    buffer_.flush();
    sink_.begin(stage);
    std::string& text = buffer_.text();
    text += pending_;  // a head's banner goes before its first shown section
    pending_.clear();
    text += fmt::format("\n{}. {}\n", ++step_, bold(title, options_.color));
    if (options_.explain && explained_.insert(stage).second) {
      if (const std::vector<std::string>* lines = options_.explain->lines(stage, model_run_)) {
        for (const std::string& line : *lines) text += dim("   │ " + line, options_.color) + "\n";
      }
    }
    return true;
  }

  // A section of no stage (the logit lens), numbered like the stages.
  void unstaged(const std::string& title) {
    buffer_.flush();
    sink_.begin(std::nullopt);
    buffer_.text() += pending_ + fmt::format("\n{}. {}\n", ++step_, bold(title, options_.color));
    pending_.clear();
  }

  // A head's banner, written before its first shown section; dropped when none is shown.
  void banner(std::string text) { pending_ = std::move(text); }

  // Text of the section begun last.
  void text(std::string_view more) { buffer_.text() += more; }
  void matrix(const Matrix& m, const std::vector<std::string>& rows, const std::vector<std::string>& cols, int precision,
              const TableStyle& style) {
    write_matrix(buffer_, m, rows, cols, precision, style);
  }

  void finish() { buffer_.flush(); }

 private:
  const RenderOptions& options_;
  const SectionSink& sink_;
  SinkBuffer buffer_;
  std::set<Stage> explained_;
  std::string pending_;
  bool model_run_;
  int step_ = 0;
};

// Where row i attends most, in words: one key, a tie naming the tied keys (at
// most three, then how many more), "evenly spread", or no key at all when a
// weight is not a number.
std::string strongest_text(const Settings& s, const HeadTrace& h, const std::vector<std::string>& tokens, std::size_t i,
                           int p) {
  const StrongestKeys top = strongest_keys(h.attn_weights.row(i), visible_keys(s, i, tokens.size()), p);
  if (top.keys.empty()) return "no key: its weights are not numbers";
  const std::string weight = format_number(h.attn_weights(i, top.keys.front()), p);
  if (top.even) return fmt::format("evenly spread ({} each)", weight);
  if (top.keys.size() == 1) return fmt::format("{} ({})", fit_label(tokens[top.keys.front()]), weight);
  std::vector<std::string> names;
  for (std::size_t k = 0; k < top.keys.size() && k < 3; ++k) names.push_back(fit_label(tokens[top.keys[k]]));
  if (top.keys.size() > 3) names.push_back(fmt::format("{} more", top.keys.size() - 3));
  std::string list = names.front();
  for (std::size_t k = 1; k < names.size(); ++k) list += (k + 1 == names.size() ? " and " : ", ") + names[k];
  return fmt::format("{}, tied ({} each)", list, weight);
}

// The weights of head h and, under them, the key each token attends to most.
void weights_text(SectionWriter& w, const Settings& s, const HeadTrace& h, const std::vector<std::string>& tokens, int p,
                  const TableStyle& style) {
  const std::size_t n = tokens.size();
  w.matrix(h.attn_weights, tokens, tokens, p, style);
  w.text("\n  Each token attends most to:\n");
  std::size_t label_width = 0;
  for (const auto& tok : tokens) label_width = std::max(label_width, display_width(fit_label(tok)));
  for (std::size_t i = 0; i < n; ++i)
    w.text(fmt::format("    {} → {}\n", pad_right(fit_label(tokens[i]), label_width), strongest_text(s, h, tokens, i, p)));
}

// The sections of one head, from its weight matrices to its context vectors.
void head_sections(SectionWriter& w, const Trace& t, std::size_t head_index, const RenderOptions& options) {
  const int p = options.precision;
  const Settings& s = t.settings;
  const TableStyle plain{options.color, Shade::diverging, false, options.width};
  const TableStyle weights_style{options.color, Shade::sequential, true, options.width};
  const HeadTrace& h = t.heads[head_index];
  const std::vector<std::string> tokens = marked_tokens(t);
  w.banner(t.heads.size() > 1 ? fmt::format("\n──── head {} of {} ────\n", head_index + 1, t.heads.size()) : "");
  const std::vector<std::string> out_dims = dim_labels(h.queries.cols);
  if (h.W_query) {
    // (a model's are 768 rows: laid out only when shown)
    if (w.begin(Stage::params, fmt::format("Weight matrices  W_query, W_key, W_value  ({} each; rows are "
                                           "input dimensions)", shape(*h.W_query)))) {
      const std::vector<std::string> in_dims = input_dim_labels(t, h.W_query->rows);
      w.text("  W_query\n"), w.matrix(*h.W_query, in_dims, out_dims, p, plain);
      w.text("  W_key\n"), w.matrix(*h.W_key, in_dims, out_dims, p, plain);
      w.text("  W_value\n"), w.matrix(*h.W_value, in_dims, out_dims, p, plain);
      if (h.b_query) {
        w.text("  biases\n" + render_biases({"b_query", "b_key", "b_value"}, {&*h.b_query, &*h.b_key, &*h.b_value}, p));
      }
    }
    const std::string plus = h.b_query ? " + b" : "";
    if (w.begin(Stage::queries, fmt::format("Queries  Q = X · W_query{}  ({})", plus, shape(h.queries))))
      w.matrix(h.queries, tokens, out_dims, p, plain);
    if (w.begin(Stage::keys, fmt::format("Keys  K = X · W_key{}  ({})", plus, shape(h.keys))))
      w.matrix(h.keys, tokens, out_dims, p, plain);
    if (w.begin(Stage::values, fmt::format("Values  V = X · W_value{}  ({})", plus, shape(h.values))))
      w.matrix(h.values, tokens, out_dims, p, plain);
  } else if (w.begin(Stage::queries, fmt::format("Queries, keys and values  Q = K = V = X{}  (no trainable weights)",
                                                 s.multihead == Multihead::split && s.heads > 1 ? " (this head's columns)" : ""))) {
    w.text("  Each token's embedding is its own query, key and value.\n");
  }

  if (w.begin(Stage::scores, fmt::format("Attention scores  ω = Q · Kᵀ  ({}; row = query, column = key)", shape(h.attn_scores))))
    w.matrix(h.attn_scores, tokens, tokens, p, plain);
  if (s.scale && w.begin(Stage::scaled, fmt::format("Scaled scores  ω / √d_k = ω / {}  ({})", format_number(h.scale_divisor, p),
                                                    shape(h.scaled_scores))))
    w.matrix(h.scaled_scores, tokens, tokens, p, plain);
  if (h.masked_scores && w.begin(Stage::mask, fmt::format("Causal mask  {} with -inf above the diagonal (the future is hidden)",
                                                          normalised_thing(s))))
    w.matrix(*h.masked_scores, tokens, tokens, p, plain);
  bool weights_shown;
  if (h.masked_weights) {
    if (w.begin(Stage::mask, fmt::format("Masked weights  {}, then 0 above the diagonal  ({})", weights_title(s),
                                         shape(h.attn_weights))))
      w.matrix(*h.masked_weights, tokens, tokens, p, weights_style);
    weights_shown = w.begin(Stage::weights, "Attention weights  α = masked weights / their row sum  (each row sums to 1 again)");
  } else {
    weights_shown = w.begin(Stage::weights, fmt::format("Attention weights  {}  ({}{})", weights_title(s), shape(h.attn_weights),
                                                        s.softmax == Softmax::sum ? "" : "; each row sums to 1"));
  }
  if (weights_shown) weights_text(w, s, h, tokens, p, weights_style);

  if (h.dropped_weights && w.begin(Stage::dropout, fmt::format("Dropout mask  (1 = kept, 0 = dropped; p = {})", s.dropout))) {
    w.matrix(*h.dropout_mask, tokens, tokens, 0, plain);
    w.text(fmt::format("\n  Weights after dropout  α · mask / (1 - p) = α · mask × {}\n",
                       format_number(1.0f / static_cast<float>(1.0 - s.dropout), p)));
    w.matrix(*h.dropped_weights, tokens, tokens, p, weights_style);
  }

  if (w.begin(Stage::context, fmt::format("Context vectors  z = {} · V  ({}; row i is token i's new vector)",
                                          h.dropped_weights ? "dropout(α)" : "α", shape(h.context_vec))))
    w.matrix(h.context_vec, tokens, out_dims, p, plain);
  w.banner("");  // shown with none of this head's sections: dropped
}

// After the heads: their concatenation and the output projection.
void final_sections(SectionWriter& w, const Trace& t, const RenderOptions& options) {
  const int p = options.precision;
  const std::vector<std::string> tokens = marked_tokens(t);
  const TableStyle plain{options.color, Shade::diverging, false, options.width};
  if (t.concatenated && w.begin(Stage::heads, fmt::format("Heads concatenated  [z₁ | z₂ | …]  ({})", shape(*t.concatenated))))
    w.matrix(*t.concatenated, tokens, dim_labels(t.concatenated->cols), p, plain);
  if (t.out_proj && w.begin(Stage::output, fmt::format("Output projection  out_proj = nn.Linear({0}, {0}): weight ({1}, "
                                                       "rows are inputs) and bias, then output = concatenated · weight + bias",
                                                       t.out_proj->weight.rows, shape(t.out_proj->weight)))) {
    const std::vector<std::string> dims = dim_labels(t.out_proj->weight.cols);
    w.matrix(t.out_proj->weight, dim_labels(t.out_proj->weight.rows), dims, p, plain);
    w.text(render_biases({"bias"}, {&t.out_proj->bias}, p));
    w.text(fmt::format("\n  Output  ({})\n", shape(t.output)));
    w.matrix(t.output, tokens, dims, p, plain);
  }
}

// The sinusoidal position encoding (--positions sinusoidal) and X with it added.
void position_sections(SectionWriter& w, const Trace& t, const RenderOptions& options) {
  if (!t.position_encoding) return;
  const TableStyle plain{options.color, Shade::diverging, false, options.width};
  const std::vector<std::string> tokens = marked_tokens(t), dims = input_dim_labels(t, t.settings.d_in);
  if (!w.begin(Stage::positions, fmt::format("Position encoding  PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = "
                                             "cos(pos / 10000^(2i/d))  ({}; row = position from 0)",
                                             shape(*t.position_encoding))))
    return;
  w.matrix(*t.position_encoding, tokens, dim_labels(t.settings.d_in), options.precision, plain);
  w.text(fmt::format("\n  X = token embeddings + PE  ({}): what the attention below reads\n", shape(t.inputs)));
  w.matrix(t.inputs, tokens, dims, options.precision, plain);
}

// A model's block after its attention: residual, ln_2, the MLP, the block's output.
void block_sections(SectionWriter& w, const Trace& t, const RenderOptions& options) {
  if (!t.block) return;
  const int p = options.precision;
  const BlockTrace& b = *t.block;
  const TableStyle plain{options.color, Shade::diverging, false, options.width};
  const std::vector<std::string> tokens = marked_tokens(t), dims = dim_labels(b.residual.cols);
  if (w.begin(Stage::residual, fmt::format("Residual  x + attention output  ({}; the block's input, plus what attention "
                                           "added to it)", shape(b.residual))))
    w.matrix(b.residual, tokens, dims, p, plain);
  if (w.begin(Stage::ln_2, fmt::format("LayerNorm ln_2  (residual − mean) / √(variance + ε) × weight + bias  ({}; ε = {:g})",
                                       shape(b.ln_2_output), b.ln_2.epsilon))) {
    w.text("  each token's mean and variance over its numbers, and √(variance + ε)\n");
    w.matrix(layer_norm_statistics(b.ln_2), tokens, {"mean", "variance", "√(var+ε)"}, p, plain);
    w.text("\n  ln_2 output\n");
    w.matrix(b.ln_2_output, tokens, dims, p, plain);
  }
  if (w.begin(Stage::mlp_hidden, fmt::format("MLP hidden layer  gelu(ln_2 · c_fc + b)  ({}: four times as wide)",
                                             shape(b.mlp_hidden))))
    w.matrix(b.mlp_hidden, tokens, dim_labels(b.mlp_hidden.cols), p, plain);
  if (w.begin(Stage::mlp, fmt::format("MLP output  hidden · c_proj + b  ({})", shape(b.mlp_output))))
    w.matrix(b.mlp_output, tokens, dims, p, plain);
  const bool last = t.layer && t.model && *t.layer == t.model->n_layer;
  if (t.block_output && w.begin(Stage::block, fmt::format("Block output  residual + MLP output  ({}; {})", shape(*t.block_output),
                                                          last ? "ln_f and the tied embedding turn its last row into the "
                                                                 "next-token scores"
                                                               : fmt::format("the input of block {}", *t.layer + 1))))
    w.matrix(*t.block_output, tokens, dims, p, plain);
}

// The logit lens (--lens) and --generate's steps (render_lens.hpp), each a numbered section.
void lens_section(SectionWriter& w, const Trace& t, const RenderOptions& options) {
  if (t.lens.empty()) return;
  w.unstaged(kLensTitle);
  w.text(render_lens(t, options.width));
}

void generation_section(SectionWriter& w, const Trace& t, const RenderOptions& options) {
  if (!t.generation) return;
  w.unstaged(generation_title(t));
  w.text(render_generation(t, options.precision));
}

}  // namespace

std::string normalised_thing(const Settings& s) { return s.scale ? "ω / √d_k" : "ω"; }

std::string weights_title(const Settings& s) {
  const std::string x = normalised_thing(s);
  switch (s.softmax) {
    case Softmax::stable: return fmt::format("α = softmax({}), row by row", x);
    case Softmax::naive: return fmt::format("α = exp({0}) / Σ exp({0}), the naive softmax, row by row", x);
    case Softmax::sum: return fmt::format("α = ({0}) / Σ ({0}), divided by the row sum (not a softmax)", x);
  }
  return "";
}

bool tables_fit(const Trace& t, const RenderOptions& options) {
  if (options.width == 0) return true;
  const auto fits = [&](const Matrix& m, const std::vector<std::string>& rows, const std::vector<std::string>& cols) {
    return layout_matrix(m, rows, cols, options.precision).blocks(options.width).size() == 1;
  };
  // Only the tables that print: a model's 768-column stages are laid out only when asked for.
  const auto shown = [&](Stage s) { return options.stages.empty() || options.stages.count(s) > 0; };
  const std::vector<std::string> tokens = marked_tokens(t);
  bool all = true;
  if (shown(Stage::inputs)) all = fits(t.inputs, tokens, input_dim_labels(t, t.inputs.cols));
  if (shown(Stage::output)) all = all && fits(t.output, tokens, dim_labels(t.output.cols));
  for (std::size_t k = 0; k < t.heads.size(); ++k) {
    if (options.head && *options.head != k) continue;
    const HeadTrace& h = t.heads[k];
    if (shown(Stage::scores)) all = all && fits(h.attn_scores, tokens, tokens);
    if (shown(Stage::scaled)) all = all && fits(h.scaled_scores, tokens, tokens);
    if (shown(Stage::weights)) all = all && fits(h.attn_weights, tokens, tokens);
    if (shown(Stage::queries)) all = all && fits(h.queries, tokens, dim_labels(h.queries.cols));
  }
  if (t.concatenated && shown(Stage::heads)) all = all && fits(*t.concatenated, tokens, dim_labels(t.concatenated->cols));
  return all;
}

void write_sections(const Trace& t, const RenderOptions& options, const SectionSink& sink) {
  SectionWriter w(options, sink, t.model.has_value());
  w.header(render_header(t, options.precision));
  if (w.begin(Stage::inputs, inputs_title(t))) {
    w.matrix(t.token_embeddings ? *t.token_embeddings : t.inputs, marked_tokens(t), input_dim_labels(t, t.settings.d_in), options.precision,
             {options.color, Shade::diverging, false, options.width});
  }
  position_sections(w, t, options);
  for (std::size_t head_index = 0; head_index < t.heads.size(); ++head_index)
    if (!options.head || *options.head == head_index) head_sections(w, t, head_index, options);
  w.banner("");
  final_sections(w, t, options);
  block_sections(w, t, options);
  lens_section(w, t, options);
  generation_section(w, t, options);
  w.finish();
}

std::vector<Section> render_sections(const Trace& trace, const RenderOptions& options) {
  std::vector<Section> all;
  const SectionSink sink{[&](std::optional<Stage> stage) { all.push_back({stage, ""}); },
                         [&](std::string_view text) { all.back().text += text; }};
  write_sections(trace, options, sink);
  return all;
}

std::string render_walkthrough(const Trace& trace, const RenderOptions& options) {
  std::string out;
  write_sections(trace, options, SectionSink{[](std::optional<Stage>) {}, append_to(out)});
  return out;
}

}  // namespace attn
