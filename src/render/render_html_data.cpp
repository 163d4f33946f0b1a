// The numbers of a page as JSON. See render_html_data.hpp.
#include "render_html_data.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "attn/util/echo.hpp"
#include "attn/util/fixed_number.hpp"
#include "render_html_arithmetic.hpp"
#include "render_html_page.hpp"
#include "attn/softmax.hpp"
#include "attn/render/text_layout.hpp"

namespace attn {

namespace {

// A row of values as a 1 × n matrix.
Matrix row_matrix(const std::vector<float>& values) {
  Matrix m(1, values.size());
  m.data = values;
  return m;
}

// Row i's normalisation, as the engine made it (attend_head's call of
// normalise_row, as the focus view redoes it).
RowNormalisation normalisation_of(const Settings& s, const HeadTrace& h, std::size_t i) {
  const Matrix& input = h.masked_scores ? *h.masked_scores : h.scaled_scores;
  const std::size_t visible = h.masked_scores ? i + 1 : input.cols;
  return normalise_row(input.row(i), s.softmax, visible);
}

// Each row's sum and maximum (the numerators, n × n, are made again a row at a time when they are written).
struct Normalisations {
  std::vector<float> sums, maxima;
};

Normalisations normalisations(const Settings& s, const HeadTrace& h) {
  Normalisations out;
  for (std::size_t i = 0; i < h.attn_scores.rows; ++i) {
    const RowNormalisation r = normalisation_of(s, h, i);
    out.sums.push_back(r.sum);
    out.maxima.push_back(r.max);
  }
  return out;
}

// Under --causal-method renorm: the sum of each row's kept weights, the engine's (kept_weight_sum()).
std::vector<float> kept_sums(const Matrix& masked_weights) {
  std::vector<float> sums;
  for (std::size_t i = 0; i < masked_weights.rows; ++i) sums.push_back(kept_weight_sum(masked_weights.row(i), i));
  return sums;
}

}  // namespace

void append_number(std::string& out, float value, int precision) { append_fixed(out, value, precision); }

std::size_t HtmlNumbers::add_run(const Trace& t) {
  const Settings& s = t.settings;
  Run run;
  std::string tokens;
  for (const std::string& token : t.tokens) {
    if (!tokens.empty()) tokens += ',';
    tokens += json_string(printable(token));
  }
  const bool dropout = s.dropout > 0.0;
  run.fields = fmt::format(
      "\"tokens\":[{}],\"softmax\":\"{}\",\"scale\":{},\"causal\":{},\"dropout\":{},\"keep\":{},\"heads\":{}", tokens,
      to_string(s.softmax), s.scale ? "true" : "false",
      !s.causal ? "null" : s.causal_method == CausalMethod::inf ? "\"inf\"" : "\"renorm\"",
      dropout ? json_string(fmt::format("{}", s.dropout)) : "null",
      dropout ? json_string(format_number(1.0f / static_cast<float>(1.0 - s.dropout), precision_)) : "null",
      t.heads.size());
  runs_.push_back(std::move(run));
  const std::size_t index = runs_.size() - 1;
  for (std::size_t k = 0; k < t.heads.size(); ++k) {
    const HeadTrace& h = t.heads[k];
    const std::string p = fmt::format("h{}.", k);
    // The trace's matrices are written from the trace (pointed at); what is computed here is kept or remade.
    const auto from_trace = [&](const std::string& key, const Matrix& m) { add_block(index, p + key, &m, Matrix()); };
    from_trace("q", h.queries);
    from_trace("k", h.keys);
    from_trace("s", h.attn_scores);
    if (s.scale) from_trace("c", h.scaled_scores);
    add(index, p + "d", row_matrix({h.scale_divisor}));
    const Normalisations norm = normalisations(s, h);
    auto row = [&s, &h](std::size_t i) { return normalisation_of(s, h, i); };
    add_rows(index, p + "e", h.attn_scores.rows, h.attn_scores.cols, [row](std::size_t i) { return row(i).numerators; });
    add(index, p + "z", row_matrix(norm.sums));
    if (s.softmax == Softmax::stable) add(index, p + "mx", row_matrix(norm.maxima));
    from_trace("w", h.attn_weights);
    std::vector<float> kept;
    if (h.masked_weights) {
      kept = kept_sums(*h.masked_weights);
      from_trace("mw", *h.masked_weights);
      add(index, p + "rz", row_matrix(kept));
      // The softmax's weights before the mask: a future key's popup divides into them.
      add_rows(index, p + "sw", h.attn_scores.rows, h.attn_scores.cols, [row](std::size_t i) { return row(i).weights; });
    }
    if (h.dropout_mask) from_trace("dm", *h.dropout_mask);
    if (h.dropped_weights) from_trace("dw", *h.dropped_weights);
    add_cell_arithmetic(*this, index, t, k, {row, norm.sums, h.masked_weights ? &kept : nullptr}, precision_);
  }
  return index;
}

void HtmlNumbers::add(std::size_t run, const std::string& key, const Matrix& m) {
  if (runs_[run].keys.count(key)) return;  // before the copy: a picture of the weights shows "hH.w" again
  add_block(run, key, nullptr, m);
}

void HtmlNumbers::add_block(std::size_t run, const std::string& key, const Matrix* trace_matrix, Matrix own) {
  Run& r = runs_[run];
  if (!r.keys.insert(key).second) return;
  Block block;
  block.key = key;
  block.numbers = trace_matrix;
  block.own = std::move(own);
  const Matrix& m = trace_matrix ? *trace_matrix : block.own;
  block.rows = m.rows, block.cols = m.cols;
  r.blocks.push_back(std::move(block));
}

void HtmlNumbers::add_rows(std::size_t run, const std::string& key, std::size_t rows, std::size_t cols,
                           std::function<std::vector<float>(std::size_t)> row_of) {
  Run& r = runs_[run];
  if (!r.keys.insert(key).second) return;
  Block block;
  block.key = key;
  block.rows = rows, block.cols = cols;
  block.row_of = std::move(row_of);
  r.blocks.push_back(std::move(block));
}

void HtmlNumbers::add_text(std::size_t run, const std::string& key, std::size_t rows, std::size_t cols,
                           const std::string& cells) {
  Run& r = runs_[run];
  if (!r.keys.insert(key).second) return;
  Block block;
  block.key = key;
  block.rows = rows, block.cols = cols;
  block.text = json_string(cells);
  r.blocks.push_back(std::move(block));
}

void HtmlNumbers::add_json(std::size_t run, const std::string& key, const std::string& json) {
  std::string& texts = runs_[run].texts;
  if (!texts.empty()) texts += ',';
  texts += json_string(key) + ":" + json;
}

void HtmlNumbers::write_block(const Block& block, SinkBuffer& out) const {
  out.text() += fmt::format("{}:{{\"r\":{},\"c\":{},\"v\":", json_string(block.key), block.rows, block.cols);
  if (!block.text.empty()) {
    out.text() += block.text;
  } else if (block.row_of) {
    out.text() += '"';
    for (std::size_t r = 0; r < block.rows; ++r) {
      const std::vector<float> row = block.row_of(r);
      for (std::size_t c = 0; c < block.cols; ++c) {
        if (r + c) out.text() += ' ';
        append_number(out.text(), row[c], precision_);
      }
      out.piece_done();
    }
    out.text() += '"';
  } else {
    // The numbers, a row at a time, each as the tables print it.
    const Matrix& m = block.numbers ? *block.numbers : block.own;
    out.text() += '"';
    for (std::size_t r = 0; r < m.rows; ++r) {
      for (std::size_t c = 0; c < m.cols; ++c) {
        if (r + c) out.text() += ' ';
        append_number(out.text(), m(r, c), precision_);
      }
      out.piece_done();
    }
    out.text() += '"';
  }
  out.text() += '}';
}

void HtmlNumbers::write_json(SinkBuffer& out) const {
  out.text() += fmt::format("{{\"p\":{},\"runs\":[", precision_);
  for (std::size_t k = 0; k < runs_.size(); ++k) {
    out.text() += k ? ",{" : "{";
    out.text() += runs_[k].fields;
    out.text() += ",\"m\":{";
    for (std::size_t b = 0; b < runs_[k].blocks.size(); ++b) {
      if (b) out.text() += ',';
      write_block(runs_[k].blocks[b], out);
    }
    out.text() += "},\"t\":{";
    out.text() += runs_[k].texts;
    out.text() += "}}";
    out.piece_done();
  }
  out.text() += "]}";
}

std::string HtmlNumbers::json() const {
  std::string text;
  SinkBuffer out(text);
  write_json(out);
  out.flush();
  return text;
}

}  // namespace attn
