// How the renderers name a run's input X and its tokens. See token_labels.hpp.
#include "attn/render/token_labels.hpp"

#include <fmt/format.h>

#include "attn/render/text_layout.hpp"

namespace attn {

namespace {

bool model_run(const Trace& t) { return t.model.has_value(); }

}  // namespace

std::string inputs_title(const Trace& t) {
  const std::string shape = fmt::format("{} × {}", t.inputs.rows, t.inputs.cols);
  return model_run(t) ? fmt::format("Layer input  X = ln_1(residual stream)  ({})", shape)
                      : fmt::format("Token embeddings  X  ({})", shape);
}

std::string input_of(const Trace& t, const std::string& quoted) {
  return model_run(t) ? fmt::format("the layer input of {} (its row of X, the ln_1 output)", quoted)
                      : fmt::format("the embedding of {}", quoted);
}

std::string inputs_name(const Trace& t) { return model_run(t) ? "layer input X" : "token embeddings X"; }

std::string_view token_mark(TokenKind k) {
  switch (k) {
    case TokenKind::known: return "";
    case TokenKind::hashed:
    case TokenKind::zero: return "*";
    case TokenKind::piece: return "⁺";
    case TokenKind::bytes: return "°";
  }
  return "";
}

TokenKind kind_of(const Trace& t, std::size_t i) { return i < t.token_kinds.size() ? t.token_kinds[i] : TokenKind::known; }

std::vector<std::string> marked_tokens(const Trace& t) {
  std::vector<std::string> out = t.tokens;
  for (std::size_t i = 0; i < out.size(); ++i) out[i] += token_mark(kind_of(t, i));
  return out;
}

std::vector<std::string> mark_legend(const Trace& t) {
  bool hashed = false, zero = false, piece = false, bytes = false;
  for (std::size_t i = 0; i < t.tokens.size(); ++i) {
    const TokenKind k = kind_of(t, i);
    hashed |= k == TokenKind::hashed, zero |= k == TokenKind::zero, piece |= k == TokenKind::piece, bytes |= k == TokenKind::bytes;
  }
  std::vector<std::string> out;
  if (hashed) out.push_back("* not in the table: its vector is hashed from its spelling (--oov hash)");
  if (zero) out.push_back("* not in the table: its vector is zeros (--oov zero)");
  if (piece) out.push_back("⁺ a piece of a word the tokenizer split into several tokens");
  if (bytes) out.push_back("° bytes that are not a whole character (one character split across tokens)");
  return out;
}

std::vector<std::string> split_words(const Trace& t) {
  std::vector<std::string> out;
  bool open = false;
  for (std::size_t i = 0; i < t.tokens.size(); ++i) {
    const TokenKind k = kind_of(t, i);
    if (k != TokenKind::piece && k != TokenKind::bytes) {
      open = false;
      continue;
    }
    const bool starts_word = t.tokens[i].rfind("·", 0) == 0;
    if (open && !starts_word) {
      out.back() += "|" + t.tokens[i];
    } else {
      out.push_back(t.tokens[i]);
    }
    open = true;
  }
  return out;
}

std::vector<std::string> input_dim_labels(const Trace& t, std::size_t count) {
  return t.dimension_names.size() == count ? t.dimension_names : dim_labels(count);
}

}  // namespace attn
