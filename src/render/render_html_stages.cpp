// The stages of a run as HTML sections of tables. See render_html_stages.hpp.
#include "render_html_stages.hpp"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "colour_scale.hpp"
#include "attn/render/render_focus.hpp"
#include "attn/render/render_html.hpp"
#include "attn/render/render_lens.hpp"
#include "render_html_page.hpp"
#include "attn/render/render_table.hpp"  // weights_title, normalised_thing
#include "attn/render/text_layout.hpp"
#include "attn/render/token_labels.hpp"
#include "attn/trace_stats.hpp"

namespace attn {

namespace {

std::string shape(const Matrix& m) { return fmt::format("{} × {}", m.rows, m.cols); }

// One table row of cells: each number shaded, the row's largest weights marked.
void append_row(std::string& out, const HtmlMatrix& h, std::size_t r, const std::vector<char>& top) {
  const Matrix& m = *h.m;
  out += h.selected == r ? "<tr class=\"sel\"><th scope=\"row\">" : "<tr><th scope=\"row\">";
  out += label_html(h.rows[r]) + "</th>";
  for (std::size_t c = 0; c < m.cols; ++c) {
    const float v = m(r, c);
    const Rgb background = h.scale(v);
    const bool dark = text_colour_on(background).r == 255;
    const bool largest = !top.empty() && top[r * m.cols + c];
    out += largest ? (dark ? "<td class=\"max d\"" : "<td class=\"max\"") : (dark ? "<td class=\"d\"" : "<td");
    fmt::format_to(std::back_inserter(out), " style=\"background:#{:02x}{:02x}{:02x}\">", background.r, background.g,
                   background.b);
    if (largest) out += "<strong>";
    append_number(out, v, h.precision);
    out += largest ? "</strong></td>" : "</td>";
  }
  out += "</tr>";
}

std::string table_html(const HtmlMatrix& h) {
  const Matrix& m = *h.m;
  const std::vector<char> top = h.mark_row_max ? row_maxima(m, h.precision) : std::vector<char>{};
  const std::string head = h.head ? fmt::format(" data-head=\"{}\"", *h.head) : "";
  std::string out = fmt::format(
      "<div class=\"mbox\" role=\"region\" tabindex=\"0\" aria-label=\"{0}\"><table class=\"matrix\" data-m=\"{1}\"{2}>"
      "<caption>{0} ({3})</caption><thead><tr><td class=\"corner\"></td>",
      html_escape(h.what), html_escape(h.key), head, shape(m));
  for (const std::string& label : h.cols) out += "<th scope=\"col\">" + label_html(label) + "</th>";
  out += "</tr></thead><tbody>";
  for (std::size_t r = 0; r < m.rows; ++r) append_row(out, h, r, top);
  return out + "</tbody></table></div>";
}

// A figure: a caption over a matrix.
std::string figure(HtmlRun& run, const std::string& caption, const HtmlMatrix& h) {
  return "<figure class=\"mfig\"><figcaption>" + html_escape(caption) + "</figcaption>" + matrix_html(run, h) +
         "</figure>";
}

// Collects the sections: numbers the shown stages as the terminal does, puts
// the --explain note beside a stage's first section, and a head's banner
// before its first shown section.
class StageWriter {
 public:
  StageWriter(HtmlRun& run, const std::set<Stage>& stages, const Explanations* explain, std::string prefix, SinkBuffer& out)
      : run_(run), stages_(stages), explain_(explain), prefix_(std::move(prefix)), out_(out) {}

  bool shown(Stage stage) const { return stages_.empty() || stages_.count(stage) > 0; }

  // Starts a section; returns where its body goes (a scratch string when hidden).
  // It also says whether matrix_html() draws: call it before drawing the section's
  // matrices (not as `begin(...) += matrix_html(...)`, whose right side C++17 evaluates first).
  std::string& begin(Stage stage, const std::string& title) {
    close();
    body_.clear();
    run_.drawing = shown(stage);
    if (!shown(stage)) {
      scratch_.clear();
      current_ = &scratch_;
      return scratch_;
    }
    current_ = &body_;
    open_ = true;
    ++step_;
    const std::string id = fmt::format("{}-s{}", run_.id, ++sections_);
    out_.text() += banner_;
    banner_.clear();
    out_.text() += fmt::format("<section class=\"stage\" id=\"{0}\" data-stage=\"{1}\" aria-labelledby=\"{0}-t\"><h3 id=\"{0}-t\">"
                        "<span class=\"num\">{2}</span> {3}</h3><div class=\"sbody\">",
                        id, to_string(stage), prefix_.empty() ? fmt::format("{}.", step_) : fmt::format("{}.{}", prefix_, step_),
                        html_escape(title));
    aside_.clear();
    if (explain_ && explained_.insert(stage).second) {
      if (const std::vector<std::string>* lines = explain_->lines(stage, run_.trace.model.has_value())) {
        aside_ = "<aside class=\"explain\"><p>" + html_escape(printable(join(*lines, " "), kMessageLineBytes * 4)) +
                 "</p></aside>";
      }
    }
    return body_;
  }

  // Where the section begun last goes.
  std::string& body() { return *current_; }

  void banner(const std::string& html) { banner_ = html; }
  int step() const { return step_; }
  void restart_at(int step) { step_ = step; }
  HtmlRun& run() { return run_; }

  // Writes the last section.
  void finish() {
    close();
    run_.drawing = true;
  }

 private:
  void close() {
    if (!open_) return;
    std::string& out = out_.text();
    out += "<div class=\"main\">";
    out += body_;
    out += "</div>";
    out += aside_;
    out += "</div></section>";
    out_.piece_done();
    body_.clear();
    open_ = false;
  }

  HtmlRun& run_;
  const std::set<Stage>& stages_;
  const Explanations* explain_;
  std::string prefix_;  // a lesson's step number: its tables are "3.1", "3.2", ...
  std::set<Stage> explained_;
  SinkBuffer& out_;  // where each section goes when it is done
  std::string body_, aside_, banner_, scratch_;
  std::string* current_ = &scratch_;
  bool open_ = false;
  int step_ = 0;      // the number shown
  int sections_ = 0;  // sections begun, for their ids
};

// A matrix of the run with its labels and scale.
HtmlMatrix signed_matrix(const HtmlRun& run, const Matrix& m, std::vector<std::string> rows, std::vector<std::string> cols,
                         std::string key, std::string what) {
  const bool token_rows = rows == marked_tokens(run.trace);
  return HtmlMatrix{&m,           std::move(rows), std::move(cols), signed_scale(m),
                    false,        std::move(key),  std::nullopt,    std::move(what),
                    run.precision, token_rows ? run.selected_row : std::nullopt};
}

// An n × n matrix of head k: its cells open their arithmetic.
HtmlMatrix square(const HtmlRun& run, const Matrix& m, std::size_t k, const std::string& key, std::string what,
                  bool weights) {
  const std::vector<std::string> tokens = marked_tokens(run.trace);
  return HtmlMatrix{&m, tokens, tokens, weights ? weight_scale(m) : signed_scale(m), weights,
                    fmt::format("h{}.{}", k, key), k, std::move(what), run.precision, run.selected_row};
}

std::string head_name(const Trace& t, std::size_t k) { return t.heads.size() > 1 ? fmt::format(", head {}", k + 1) : ""; }


// W_query, W_key, W_value (and the biases), then Q, K and V.
void projection_sections(StageWriter& w, std::size_t k) {
  HtmlRun& run = w.run();
  const Trace& t = run.trace;
  const HeadTrace& h = t.heads[k];
  const std::vector<std::string> tokens = marked_tokens(t);
  const std::vector<std::string> out_dims = dim_labels(h.queries.cols);
  const std::string p = fmt::format("h{}.", k), hn = head_name(t, k);
  if (!h.W_query) {
    w.begin(Stage::queries, fmt::format("Queries, keys and values  Q = K = V = X{}  (no trainable weights)",
                                        t.settings.multihead == Multihead::split && t.settings.heads > 1 ? " (this head's columns)" : ""));
    w.body() +=
        "<p>Each token's embedding is its own query, key and value.</p>";
    return;
  }
  std::string& params = w.begin(Stage::params, fmt::format("Weight matrices  W_query, W_key, W_value  ({} each; rows are "
                                                           "input dimensions)", shape(*h.W_query)));
  const std::vector<std::string> in_dims = input_dim_labels(t, h.W_query->rows);
  params += "<div class=\"figs\">";
  params += figure(run, "W_query", signed_matrix(run, *h.W_query, in_dims, out_dims, p + "Wq", "W_query" + hn));
  params += figure(run, "W_key", signed_matrix(run, *h.W_key, in_dims, out_dims, p + "Wk", "W_key" + hn));
  params += figure(run, "W_value", signed_matrix(run, *h.W_value, in_dims, out_dims, p + "Wv", "W_value" + hn));
  params += "</div>";
  if (h.b_query) {
    // The biases as the rows of one table, as the terminal prints them.
    Matrix b(3, h.b_query->size());
    for (std::size_t c = 0; c < b.cols; ++c) b(0, c) = (*h.b_query)[c], b(1, c) = (*h.b_key)[c], b(2, c) = (*h.b_value)[c];
    params += figure(run, "biases", signed_matrix(run, b, {"b_query", "b_key", "b_value"}, out_dims, p + "b", "biases" + hn));
  }
  const std::string plus = h.b_query ? " + b" : "";
  w.begin(Stage::queries, fmt::format("Queries  Q = X · W_query{}  ({})", plus, shape(h.queries)));
  w.body() +=
      matrix_html(run, signed_matrix(run, h.queries, tokens, out_dims, p + "q", "queries Q" + hn));
  w.begin(Stage::keys, fmt::format("Keys  K = X · W_key{}  ({})", plus, shape(h.keys)));
  w.body() +=
      matrix_html(run, signed_matrix(run, h.keys, tokens, out_dims, p + "k", "keys K" + hn));
  w.begin(Stage::values, fmt::format("Values  V = X · W_value{}  ({})", plus, shape(h.values)));
  w.body() +=
      matrix_html(run, signed_matrix(run, h.values, tokens, out_dims, p + "v", "values V" + hn));
}

// From the scores to the context vectors of head k.
void attention_sections(StageWriter& w, std::size_t k) {
  HtmlRun& run = w.run();
  const Trace& t = run.trace;
  const Settings& s = t.settings;
  const HeadTrace& h = t.heads[k];
  const std::string hn = head_name(t, k);
  w.begin(Stage::scores, fmt::format("Attention scores  ω = Q · Kᵀ  ({}; row = query, column = key)", shape(h.attn_scores)));
  w.body() +=
      matrix_html(run, square(run, h.attn_scores, k, "s", "scores ω" + hn, false));
  if (s.scale) {
    w.begin(Stage::scaled, fmt::format("Scaled scores  ω / √d_k = ω / {}  ({})", format_number(h.scale_divisor, run.precision),
                                       shape(h.scaled_scores)));
    w.body() +=
        matrix_html(run, square(run, h.scaled_scores, k, "c", "scaled scores" + hn, false));
  }
  if (h.masked_scores) {
    w.begin(Stage::mask, fmt::format("Causal mask  {} with -inf above the diagonal (the future is hidden)", normalised_thing(s)));
    w.body() +=
        matrix_html(run, square(run, *h.masked_scores, k, "ms", "masked scores" + hn, false));
  }
  std::string* weights = nullptr;
  if (h.masked_weights) {
    w.begin(Stage::mask, fmt::format("Masked weights  {}, then 0 above the diagonal  ({})", weights_title(s), shape(h.attn_weights)));
    w.body() +=
        matrix_html(run, square(run, *h.masked_weights, k, "mw", "masked weights" + hn, true));
    weights = &w.begin(Stage::weights, "Attention weights  α = masked weights / their row sum  (each row sums to 1 again)");
  } else {
    weights = &w.begin(Stage::weights, fmt::format("Attention weights  {}  ({}{})", weights_title(s), shape(h.attn_weights),
                                                   s.softmax == Softmax::sum ? "" : "; each row sums to 1"));
  }
  *weights += matrix_html(run, square(run, h.attn_weights, k, "w", "attention weights α" + hn, true));
  *weights += strongest_html(run, k);
  if (h.dropped_weights && h.dropout_mask) {
    std::string& d = w.begin(Stage::dropout, fmt::format("Dropout mask  (1 = kept, 0 = dropped; p = {})", s.dropout));
    HtmlMatrix mask = square(run, *h.dropout_mask, k, "dm", "dropout mask" + hn, false);
    mask.scale = weight_scale(*h.dropout_mask), mask.precision = 0, mask.head.reset();
    d += matrix_html(run, mask);
    d += "<h4>" + html_escape(fmt::format("Weights after dropout  α · mask / (1 - p) = α · mask × {}",
                                          format_number(1.0f / static_cast<float>(1.0 - s.dropout), run.precision))) + "</h4>";
    d += matrix_html(run, square(run, *h.dropped_weights, k, "dw", "weights after dropout" + hn, true));
  }
  w.begin(Stage::context, fmt::format("Context vectors  z = {} · V  ({}; row i is token i's new vector)",
                                      h.dropped_weights ? "dropout(α)" : "α", shape(h.context_vec)));
  w.body() +=
      matrix_html(run, signed_matrix(run, h.context_vec, marked_tokens(t), dim_labels(h.context_vec.cols), fmt::format("h{}.ctx", k),
                                     "context vectors z" + hn));
}

// After the heads: their concatenation and the output projection.
void final_sections(StageWriter& w) {
  HtmlRun& run = w.run();
  const Trace& t = run.trace;
  if (t.concatenated) {
    w.begin(Stage::heads, fmt::format("Heads concatenated  [z₁ | z₂ | …]  ({})", shape(*t.concatenated)));
    w.body() +=
        matrix_html(run, signed_matrix(run, *t.concatenated, marked_tokens(t), dim_labels(t.concatenated->cols), "cat",
                                       "heads concatenated"));
  }
  if (t.out_proj) {
    const Matrix& weight = t.out_proj->weight;
    const std::vector<std::string> dims = dim_labels(weight.cols);
    std::string& out = w.begin(Stage::output, fmt::format("Output projection  out_proj = nn.Linear({0}, {0}): weight ({1}, "
                                                          "rows are inputs) and bias, then output = concatenated · weight + bias",
                                                          weight.rows, shape(weight)));
    Matrix bias(1, t.out_proj->bias.size());
    bias.data = t.out_proj->bias;
    out += "<div class=\"figs\">";
    out += figure(run, "weight", signed_matrix(run, weight, dim_labels(weight.rows), dims, "Wo", "out_proj weight"));
    out += figure(run, "bias", signed_matrix(run, bias, {"bias"}, dims, "bo", "out_proj bias"));
    out += "</div>";
    out += figure(run, fmt::format("Output  ({})", shape(t.output)),
                  signed_matrix(run, t.output, marked_tokens(t), dims, "out", "output"));
  }
}

// --positions sinusoidal: the encoding, then X with it added.
void position_sections(StageWriter& w) {
  HtmlRun& run = w.run();
  const Trace& t = run.trace;
  if (!t.position_encoding) return;
  const std::vector<std::string> tokens = marked_tokens(t);
  std::string& out = w.begin(Stage::positions, fmt::format("Position encoding  PE(pos, 2i) = sin(pos / 10000^(2i/d)), "
                                                           "PE(pos, 2i+1) = cos(pos / 10000^(2i/d))  ({})",
                                                           shape(*t.position_encoding)));
  out += figure(run, "PE (row = position from 0)",
                signed_matrix(run, *t.position_encoding, tokens, dim_labels(t.settings.d_in), "pe", "position encoding"));
  out += figure(run, "X = token embeddings + PE: what the attention reads",
                signed_matrix(run, t.inputs, tokens, input_dim_labels(t, t.settings.d_in), "xpe", "X with positions"));
}

// A model's block after its attention: residual, ln_2, the MLP, the block's output.
void block_sections(StageWriter& w) {
  HtmlRun& run = w.run();
  const Trace& t = run.trace;
  if (!t.block) return;
  const BlockTrace& b = *t.block;
  const std::vector<std::string> tokens = marked_tokens(t), dims = dim_labels(b.residual.cols);
  w.begin(Stage::residual, fmt::format("Residual  x + attention output  ({})", shape(b.residual)));
  w.body() += matrix_html(run, signed_matrix(run, b.residual, tokens, dims, "res", "residual"));
  std::string& ln = w.begin(Stage::ln_2, fmt::format("LayerNorm ln_2  (residual − mean) / √(variance + ε) × weight + bias  "
                                                     "({}; ε = {:g})", shape(b.ln_2_output), b.ln_2.epsilon));
  const Matrix statistics = layer_norm_statistics(b.ln_2);
  ln += figure(run, "each token's mean, variance and √(variance + ε)",
               signed_matrix(run, statistics, tokens, {"mean", "variance", "√(var+ε)"}, "ln2s", "ln_2 statistics"));
  ln += figure(run, "ln_2 output", signed_matrix(run, b.ln_2_output, tokens, dims, "ln2", "ln_2 output"));
  w.begin(Stage::mlp_hidden, fmt::format("MLP hidden layer  gelu(ln_2 · c_fc + b)  ({})", shape(b.mlp_hidden)));
  w.body() += matrix_html(run, signed_matrix(run, b.mlp_hidden, tokens, dim_labels(b.mlp_hidden.cols), "mlph", "MLP hidden"));
  w.begin(Stage::mlp, fmt::format("MLP output  hidden · c_proj + b  ({})", shape(b.mlp_output)));
  w.body() += matrix_html(run, signed_matrix(run, b.mlp_output, tokens, dims, "mlp", "MLP output"));
  if (t.block_output) {
    w.begin(Stage::block, fmt::format("Block output  residual + MLP output  ({})", shape(*t.block_output)));
    w.body() += matrix_html(run, signed_matrix(run, *t.block_output, tokens, dims, "blk", "block output"));
  }
}

}  // namespace

std::string stages_html(HtmlRun& run, const std::set<Stage>& stages, const Explanations* explain,
                        const std::string& number_prefix) {
  std::string text;
  SinkBuffer out(text);
  write_stages_html(run, stages, explain, number_prefix, out);
  out.flush();
  return text;
}

void write_stages_html(HtmlRun& run, const std::set<Stage>& stages, const Explanations* explain,
                       const std::string& number_prefix, SinkBuffer& out) {
  StageWriter w(run, stages, explain, number_prefix, out);
  const Trace& t = run.trace;
  w.begin(Stage::inputs, inputs_title(t));
  w.body() += matrix_html(run, signed_matrix(run, t.token_embeddings ? *t.token_embeddings : t.inputs, marked_tokens(t),
                                             input_dim_labels(t, t.settings.d_in), "x", inputs_name(t)));
  position_sections(w);
  // Each head's stages are numbered from the same number: step 5 is the scores in every head.
  const int first = w.step();
  int last = first;
  for (std::size_t k = 0; k < t.heads.size(); ++k) {
    if (run.head && *run.head != k) continue;
    if (t.heads.size() > 1) {
      w.banner(fmt::format("<h3 class=\"banner\" id=\"{}-head{}\">Head {} of {}{}</h3>", run.id, k + 1, k + 1, t.heads.size(),
                           run.head ? " (--head: the other heads are not drawn)" : ""));
    }
    w.restart_at(first);
    projection_sections(w, k);
    attention_sections(w, k);
    last = std::max(last, w.step());
  }
  w.restart_at(last);
  w.banner("");
  final_sections(w);
  block_sections(w);
  w.finish();
}

std::string matrix_html(HtmlRun& run, const HtmlMatrix& h) {
  if (!run.drawing) return "";  // a hidden section's: neither drawn nor among the page's numbers
  std::string out = drawn_as_table(*h.m) ? table_html(h) : heatmap_svg(run, h);
  out += legend_html(h.scale, h.precision);
  return out;
}

std::string strongest_html(const HtmlRun& run, std::size_t k) {
  const Trace& t = run.trace;
  const HeadTrace& h = t.heads[k];
  const std::size_t n = t.tokens.size();
  const std::vector<std::string> tokens = marked_tokens(t);
  std::string out = "<div class=\"strongest\"><p>Each token attends most to:</p><ol>";
  for (std::size_t i = 0; i < n; ++i) {
    const StrongestKeys top = strongest_keys(h.attn_weights.row(i), visible_keys(t.settings, i, n), run.precision);
    std::string what;
    if (top.keys.empty()) {
      what = "no key: its weights are not numbers";
    } else if (top.even) {
      what = fmt::format("evenly spread ({} each)", format_number(h.attn_weights(i, top.keys.front()), run.precision));
    } else {
      for (std::size_t j : top.keys) what += (what.empty() ? "" : ", ") + label_html(tokens[j]);
      what += fmt::format(" ({}{})", format_number(h.attn_weights(i, top.keys.front()), run.precision),
                          top.keys.size() > 1 ? " each, tied" : "");
    }
    out += fmt::format("<li data-i=\"{}\"><span class=\"tok\">{}</span> → {}</li>", i, label_html(tokens[i]), what);
  }
  return out + "</ol></div>";
}

std::string focus_html(const HtmlRun& run, std::size_t row, bool block) {
  const std::string text = render_focus(run.trace, row, FocusOptions{run.precision, false, std::nullopt, block});
  return fmt::format("<section class=\"focus\" id=\"{0}-focus\" aria-labelledby=\"{0}-focus-t\"><h2 id=\"{0}-focus-t\">"
                     "Every number behind {1}</h2><pre>{2}</pre></section>",
                     run.id, "\"" + user_text(run.trace.tokens[row]) + "\"",
                     html_escape(printable_lines(text, kMessageLineBytes * 8)));
}

}  // namespace attn
