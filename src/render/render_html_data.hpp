// render_html_data.hpp: the numbers a page's script reads, as one JSON text.
//
// The popups of a page spell a cell's arithmetic; a picture of a large matrix
// shows a cell's number when it is pointed at. Both read the numbers from a
// JSON block in the page, written by HtmlNumbers:
//
//   {"p": precision, "runs": [{"tokens": [...], "softmax": "stable", "scale": true,
//     "causal": null | "inf" | "renorm", "dropout": null | "0.5", "keep": null | "2.0000",
//     "heads": H, "m": {"KEY": {"r": rows, "c": cols, "v": "n n n ..."}, ...},
//     "t": {"KEY": value, ...}}, ...]}
//
// Each matrix's "v" holds its rows one after the other, every number exactly
// as the tables print it (format_number at the page's precision: "nan", "inf"
// and "-inf" included), separated by one space. For every head h (0-based) a
// run holds "hH.q", "hH.k" (queries, keys), "hH.s" (scores), "hH.c" (scaled
// scores, when the run scales), "hH.d" (√d_k, 1 × 1), "hH.e" (each row's
// numerators: exp(s − max), exp(s) or s, from normalise_row()), "hH.z" (each
// row's sum, 1 × n), "hH.mx" (each row's max, 1 × n, stable softmax), "hH.w"
// (weights); under --causal-method renorm "hH.mw" (the masked weights),
// "hH.sw" (the softmax's weights before the mask, normalise_row()'s) and
// "hH.rz" (each row's kept sum, 1 × n); with dropout "hH.dm" and "hH.dw".
// Pictures add the matrices they show under keys of their own; what the
// popups say beyond these numbers is in render_html_arithmetic.hpp.
//
// Promises: json() is valid JSON that holds no '<', '>' or '&' outside its
// numbers (none there either), so it can sit in a <script> element whole.
// write_json() writes the same text in pieces, a matrix row at a time: the
// numbers are formatted only then, once each, and are never all held as text
// (a 2,048-token page holds 120 MB of them).
#pragma once

#include <cstddef>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "attn/matrix.hpp"
#include "attn/trace.hpp"
#include "attn/util/text_sink.hpp"

namespace attn {

// Appends format_number(value, precision) to `out`, without a string of its own.
void append_number(std::string& out, float value, int precision);

class HtmlNumbers {
 public:
  explicit HtmlNumbers(int precision) : precision_(precision) {}

  // A run on the page, with the numbers of every head's cell arithmetic; its index.
  // REQUIRES: `trace` outlives the numbers' writing (its matrices are written then, not copied).
  std::size_t add_run(const Trace& trace);

  // The matrix a picture of run `run` shows, under `key` (a second call with the same key adds nothing);
  // a copy is kept until the numbers are written.
  // REQUIRES: run < the number of runs added.
  void add(std::size_t run, const std::string& key, const Matrix& m);

  // A matrix made a row at a time when the numbers are written: row_of(r) is row r's `cols` numbers.
  // REQUIRES: what row_of reads outlives the numbers' writing.
  void add_rows(std::size_t run, const std::string& key, std::size_t rows, std::size_t cols,
                std::function<std::vector<float>(std::size_t)> row_of);

  // A matrix of text under `key`, as "v" holds numbers: `cells` is its rows * cols
  // cells one after the other, each followed by one space but the last.
  // REQUIRES: no cell holds a space.
  void add_text(std::size_t run, const std::string& key, std::size_t rows, std::size_t cols, const std::string& cells);

  // Any JSON value under `key` of the run's "t" object. REQUIRES: json is valid
  // JSON whose strings were made with json_string().
  void add_json(std::size_t run, const std::string& key, const std::string& json);

  std::string json() const;
  void write_json(SinkBuffer& out) const;

 private:
  // One "KEY":{"r":..,"c":..,"v":..} of a run's "m": numbers (a trace's matrix, or one of its own), or text.
  struct Block {
    std::string key;
    const Matrix* numbers = nullptr;  // a trace's; nullptr: `own`, or `text` when it is not empty
    Matrix own;
    std::size_t rows = 0, cols = 0;
    std::string text;  // add_text()'s cells, as a JSON string
    std::function<std::vector<float>(std::size_t)> row_of;  // add_rows()'s rows
  };
  struct Run {
    std::string fields;  // "tokens": ..., up to "heads": H
    std::vector<Block> blocks;
    std::string texts;  // "KEY":value,... (the "t" object)
    std::set<std::string> keys;
  };
  void add_block(std::size_t run, const std::string& key, const Matrix* trace_matrix, Matrix own);
  void write_block(const Block& block, SinkBuffer& out) const;
  int precision_;
  std::vector<Run> runs_;
};

// One run being drawn: its Trace, its index among the page's numbers, the
// prefix of its element ids ("r1"), and the decimals its numbers show.
struct HtmlRun {
  const Trace& trace;
  HtmlNumbers& numbers;
  std::size_t index = 0;
  std::string id;
  int precision = 4;
  std::optional<std::size_t> head;  // --head: only this head's pictures and stages (from 0); nothing: every head's
  std::optional<std::size_t> selected_row;  // the token under discussion: its row is marked in every table
  bool drawing = true;  // false in a section --stages hides: matrix_html() draws nothing and adds no numbers
};

}  // namespace attn
