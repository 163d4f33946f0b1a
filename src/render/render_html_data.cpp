// The numbers of a page as JSON. See render_html_data.hpp.
#include "render_html_data.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "attn/util/echo.hpp"
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

// Each row's normalisation, as the engine made it (attend_head's call of
// normalise_row, as the focus view redoes it): numerators, sums and maxima.
struct Normalisations {
  Matrix numerators;
  std::vector<float> sums, maxima;
};

Normalisations normalisations(const Settings& s, const HeadTrace& h) {
  const Matrix& input = h.masked_scores ? *h.masked_scores : h.scaled_scores;
  const std::size_t n = input.rows;
  Normalisations out{Matrix(n, n), {}, {}};
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t visible = h.masked_scores ? i + 1 : n;
    const RowNormalisation r = normalise_row(input.row(i), s.softmax, visible);
    for (std::size_t j = 0; j < n; ++j) out.numerators(i, j) = r.numerators[j];
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

void append_number(std::string& out, float value, int precision) {
  if (!std::isfinite(value)) {
    out += std::isnan(value) ? "nan" : value > 0 ? "inf" : "-inf";
    return;
  }
  const std::size_t start = out.size();
  fmt::format_to(std::back_inserter(out), "{:.{}f}", value, precision);
  // "-0.0000" is a rounding artefact: format_number drops its sign, and so does this.
  if (out[start] == '-' && out.find_first_not_of("0.", start + 1) == std::string::npos) out.erase(start, 1);
}

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
    add(index, p + "q", h.queries);
    add(index, p + "k", h.keys);
    add(index, p + "s", h.attn_scores);
    if (s.scale) add(index, p + "c", h.scaled_scores);
    add(index, p + "d", row_matrix({h.scale_divisor}));
    const Normalisations norm = normalisations(s, h);
    add(index, p + "e", norm.numerators);
    add(index, p + "z", row_matrix(norm.sums));
    if (s.softmax == Softmax::stable) add(index, p + "mx", row_matrix(norm.maxima));
    add(index, p + "w", h.attn_weights);
    std::vector<float> kept;
    if (h.masked_weights) {
      kept = kept_sums(*h.masked_weights);
      add(index, p + "mw", *h.masked_weights);
      add(index, p + "rz", row_matrix(kept));
    }
    if (h.dropout_mask) add(index, p + "dm", *h.dropout_mask);
    if (h.dropped_weights) add(index, p + "dw", *h.dropped_weights);
    add_cell_arithmetic(*this, index, t, k, {norm.numerators, norm.sums, h.masked_weights ? &kept : nullptr}, precision_);
  }
  return index;
}

void HtmlNumbers::add(std::size_t run, const std::string& key, const Matrix& m) {
  Run& r = runs_[run];
  if (!r.keys.insert(key).second) return;
  std::string& out = r.matrices;
  // Room for the numbers at once (about precision + 5 bytes each), growing geometrically.
  const std::size_t needed = out.size() + m.data.size() * static_cast<std::size_t>(precision_ + 5) + 64;
  if (needed > out.capacity()) out.reserve(std::max(needed, 2 * out.capacity()));
  if (!out.empty()) out += ',';
  out += fmt::format("{}:{{\"r\":{},\"c\":{},\"v\":\"", json_string(key), m.rows, m.cols);
  for (std::size_t k = 0; k < m.data.size(); ++k) {
    if (k) out += ' ';
    append_number(out, m.data[k], precision_);
  }
  out += "\"}";
}

void HtmlNumbers::add_text(std::size_t run, const std::string& key, std::size_t rows, std::size_t cols,
                           const std::string& cells) {
  Run& r = runs_[run];
  if (!r.keys.insert(key).second) return;
  if (!r.matrices.empty()) r.matrices += ',';
  r.matrices += fmt::format("{}:{{\"r\":{},\"c\":{},\"v\":{}}}", json_string(key), rows, cols, json_string(cells));
}

void HtmlNumbers::add_json(std::size_t run, const std::string& key, const std::string& json) {
  std::string& texts = runs_[run].texts;
  if (!texts.empty()) texts += ',';
  texts += json_string(key) + ":" + json;
}

std::string HtmlNumbers::json() const {
  std::size_t size = 32;
  for (const Run& run : runs_) size += run.fields.size() + run.matrices.size() + run.texts.size() + 24;
  std::string out;
  out.reserve(size);
  out += fmt::format("{{\"p\":{},\"runs\":[", precision_);
  for (std::size_t k = 0; k < runs_.size(); ++k) {
    out += k ? ",{" : "{";
    out += runs_[k].fields;
    out += ",\"m\":{";
    out += runs_[k].matrices;
    out += "},\"t\":{";
    out += runs_[k].texts;
    out += "}}";
  }
  out += "]}";
  return out;
}

}  // namespace attn
