#include "attn/render_table.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "attn/tokenizer.hpp"

namespace attn {

namespace {

constexpr std::size_t kMaxLabelWidth = 14;  // longer tokens are cut with "…"

std::string fit_label(const std::string& label) {
  if (display_width(label) <= kMaxLabelWidth) return label;
  // Cut on a code point boundary, leaving room for the ellipsis.
  std::string out;
  std::size_t i = 0;
  while (i < label.size()) {
    std::size_t len = 1;
    const auto c = static_cast<unsigned char>(label[i]);
    if (c >= 0xF0) len = 4; else if (c >= 0xE0) len = 3; else if (c >= 0xC0) len = 2;
    const std::string next = label.substr(i, len);
    if (display_width(out + next) > kMaxLabelWidth - 1) break;
    out += next;
    i += len;
  }
  return out + "…";
}

std::string pad_left(const std::string& s, std::size_t width) {
  const std::size_t w = display_width(s);
  return w >= width ? s : std::string(width - w, ' ') + s;
}

std::string pad_right(const std::string& s, std::size_t width) {
  const std::size_t w = display_width(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

std::vector<std::string> dim_labels(std::size_t count) {
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < count; ++i) labels.push_back(fmt::format("d{}", i));
  return labels;
}

std::string shape(const Matrix& m) { return fmt::format("{} × {}", m.rows, m.cols); }

void section(std::string& out, int& step, const std::string& title) {
  out += fmt::format("\n{}. {}\n", ++step, title);
}

}  // namespace

std::string format_number(float value, int precision) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  std::string s = fmt::format("{:.{}f}", value, precision);
  // "-0.0000" is a rounding artefact: a learner would read a sign that is not there.
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

std::string render_matrix(const Matrix& m, const std::vector<std::string>& row_labels,
                          const std::vector<std::string>& col_labels, int precision) {
  std::vector<std::string> rows, cols;
  for (const auto& l : row_labels) rows.push_back(fit_label(l));
  for (const auto& l : col_labels) cols.push_back(fit_label(l));

  std::size_t label_width = 0;
  for (const auto& r : rows) label_width = std::max(label_width, display_width(r));

  std::vector<std::string> cells(m.data.size());
  std::vector<std::size_t> width(m.cols, 0);
  for (std::size_t c = 0; c < m.cols; ++c) {
    width[c] = display_width(cols[c]);
    for (std::size_t r = 0; r < m.rows; ++r) {
      cells[r * m.cols + c] = format_number(m(r, c), precision);
      width[c] = std::max(width[c], cells[r * m.cols + c].size());
    }
  }

  std::string out = "  " + std::string(label_width, ' ');
  for (std::size_t c = 0; c < m.cols; ++c) out += "  " + pad_left(cols[c], width[c]);
  out += "\n";
  for (std::size_t r = 0; r < m.rows; ++r) {
    out += "  " + pad_right(rows[r], label_width);
    for (std::size_t c = 0; c < m.cols; ++c) out += "  " + pad_left(cells[r * m.cols + c], width[c]);
    out += "\n";
  }
  return out;
}

std::string render_walkthrough(const Trace& t, const RenderOptions& options) {
  const int p = options.precision;
  const Settings& s = t.settings;
  const std::vector<std::string>& tokens = t.tokens;
  const std::size_t n = tokens.size();
  std::string out;

  // The header: what is in force.
  std::string token_line;
  for (std::size_t i = 0; i < n; ++i) token_line += (i ? " | " : "") + tokens[i];
  out += "Self-attention, step by step\n\n";
  out += fmt::format("  sentence    {}\n", t.sentence);
  out += fmt::format("  tokens      {}   (n = {})\n", token_line, n);
  out += fmt::format("  table       {} ({}), d_in = {}\n", s.table_name, s.table_path, s.d_in);
  switch (s.projection) {
    case Projection::none:
      out += "  projection  none: Q = K = V = X (simplified attention, no trainable weights)\n";
      break;
    case Projection::rand:
      out += fmt::format("  projection  rand: torch.manual_seed({}); W_query, W_key, W_value = torch.rand({}, {}) each\n",
                         s.seed, s.d_in, s.d_out);
      break;
    case Projection::table:
      out += fmt::format("  projection  table: W_query, W_key, W_value from the table, d_out = {}\n", s.d_out);
      break;
  }
  if (s.scale) {
    out += fmt::format("  scaling     divide the scores by √d_k = √{} = {}\n", t.heads.front().keys.cols,
                       format_number(t.heads.front().scale_divisor, p));
  } else {
    out += "  scaling     off (--no-scale): the weights are the softmax of the raw scores\n";
  }
  if (!t.oov_tokens.empty()) {
    std::string list;
    for (const auto& w : t.oov_tokens) list += (list.empty() ? "" : ", ") + w;
    out += fmt::format("  unknown     {} (not in the table: {} vectors)\n", list, s.oov == "zero" ? "zero" : "hashed");
  }

  int step = 0;
  section(out, step, fmt::format("Token embeddings  X  ({})", shape(t.inputs)));
  out += render_matrix(t.inputs, tokens, dim_labels(s.d_in), p);

  for (const HeadTrace& h : t.heads) {
    const std::vector<std::string> out_dims = dim_labels(h.queries.cols);
    if (h.W_query) {
      section(out, step, fmt::format("Weight matrices  W_query, W_key, W_value  ({} each; rows are input dimensions)",
                                     shape(*h.W_query)));
      const std::vector<std::string> in_dims = dim_labels(h.W_query->rows);
      out += "  W_query\n" + render_matrix(*h.W_query, in_dims, out_dims, p);
      out += "  W_key\n" + render_matrix(*h.W_key, in_dims, out_dims, p);
      out += "  W_value\n" + render_matrix(*h.W_value, in_dims, out_dims, p);
      section(out, step, fmt::format("Queries  Q = X · W_query  ({})", shape(h.queries)));
      out += render_matrix(h.queries, tokens, out_dims, p);
      section(out, step, fmt::format("Keys  K = X · W_key  ({})", shape(h.keys)));
      out += render_matrix(h.keys, tokens, out_dims, p);
      section(out, step, fmt::format("Values  V = X · W_value  ({})", shape(h.values)));
      out += render_matrix(h.values, tokens, out_dims, p);
    } else {
      section(out, step, "Queries, keys and values  Q = K = V = X  (no trainable weights)");
      out += "  Each token's embedding is its own query, key and value.\n";
    }

    section(out, step, fmt::format("Attention scores  ω = Q · Kᵀ  ({}; row = query, column = key)",
                                   shape(h.attn_scores)));
    out += render_matrix(h.attn_scores, tokens, tokens, p);

    if (s.scale) {
      section(out, step, fmt::format("Scaled scores  ω / √d_k = ω / {}  ({})", format_number(h.scale_divisor, p),
                                     shape(h.scaled_scores)));
      out += render_matrix(h.scaled_scores, tokens, tokens, p);
      section(out, step, fmt::format("Attention weights  α = softmax(ω / √d_k), row by row  ({}; each row sums to 1)",
                                     shape(h.attn_weights)));
    } else {
      section(out, step, fmt::format("Attention weights  α = softmax(ω), row by row  ({}; each row sums to 1)",
                                     shape(h.attn_weights)));
    }
    out += render_matrix(h.attn_weights, tokens, tokens, p);

    out += "\n  Each token attends most to:\n";
    std::size_t label_width = 0;
    for (const auto& tok : tokens) label_width = std::max(label_width, display_width(fit_label(tok)));
    for (std::size_t i = 0; i < n; ++i) {
      std::size_t best = 0;
      for (std::size_t j = 1; j < n; ++j)
        if (h.attn_weights(i, j) > h.attn_weights(i, best)) best = j;
      out += fmt::format("    {} → {} ({})\n", pad_right(fit_label(tokens[i]), label_width), tokens[best],
                         format_number(h.attn_weights(i, best), p));
    }

    section(out, step, fmt::format("Context vectors  z = α · V  ({}; row i is token i's new vector)",
                                   shape(h.context_vec)));
    out += render_matrix(h.context_vec, tokens, out_dims, p);
  }
  return out;
}

}  // namespace attn
