// The run's header as fields and as text. See render_header.hpp.
#include "attn/render/render_header.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "attn/util/echo.hpp"
#include "attn/render/text_layout.hpp"
#include "attn/render/token_labels.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

namespace {

constexpr std::size_t kMaxSentenceWidth = 400;  // the header quotes a pasted paragraph, not a book

std::string join_tokens(const std::vector<std::string>& tokens) {
  std::string line;
  for (std::size_t i = 0; i < tokens.size(); ++i) line += (i ? " | " : "") + fit_label(tokens[i]);
  return line;
}

std::string projection_line(const Settings& s) {
  switch (s.projection) {
    case Projection::none:
      return "none: Q = K = V = X (simplified attention, no trainable weights)";
    case Projection::rand:
      return fmt::format("rand: torch.manual_seed({}); W_query, W_key, W_value = torch.rand({}, {}) each", s.seed,
                         s.d_in, s.d_out);
    case Projection::linear:
      return fmt::format("linear: torch.manual_seed({}); W_query, W_key, W_value = nn.Linear({}, {}, bias={}) each",
                         s.seed, s.d_in, s.d_out, s.qkv_bias ? "True" : "False");
    case Projection::table:
      return fmt::format("table: W_query, W_key, W_value from the table, d_out = {}", s.d_out);
    case Projection::model:
      return fmt::format("model: W_query, W_key, W_value are {}'s c_attn, split into {} heads of {}", printable(s.table_name),
                         s.heads, s.head_dim);
  }
  return "";
}

// The mark that closes the sentence, ".", "?" or "!" (before any closing quotes, brackets
// and spaces: `Sit!")`), or 0 when it ends otherwise.
char closing_mark(const std::string& sentence) {
  const std::size_t end = sentence.find_last_not_of(" \t\r\n\"')]");
  if (end == std::string::npos) return 0;
  const char c = sentence[end];
  return c == '.' || c == '?' || c == '!' ? c : 0;
}

// A model run's fields: the model, the block, the token ids, the next tokens.
void model_fields(const Trace& t, std::vector<HeaderField>& out) {
  const ModelInfo& m = *t.model;
  out.push_back({"model", fmt::format("{} ({}): {} layers × {} heads, n_embd = {}, vocabulary of {}", printable(m.name),
                                      printable(t.settings.table_path, kMessageLineBytes), m.n_layer, m.n_head, m.n_embd,
                                      m.vocab_size)});
  if (m.snapshot) {
    out.push_back({"snapshot", fmt::format("the weights at step {} of its training (--snapshot; --snapshot list shows them all)",
                                           *m.snapshot)});
  }
  if (t.layer) {
    out.push_back({"layer", fmt::format("{} of {} (weights h.{}); X below is its ln_1 output, the input of its attention",
                                        *t.layer, m.n_layer, *t.layer - 1)});
  }
  out.push_back({"token ids", fmt::format("{}", fmt::join(t.token_ids, " "))});
  if (!t.next_tokens.empty()) {
    std::vector<std::string> next;
    for (const NextToken& n : t.next_tokens)
      next.push_back(fmt::format("{} {}", fit_label(n.token), percent(n.probability)));
    out.push_back({"next token", fmt::format("{}", fmt::join(next, ", "))});
    if (const char mark = closing_mark(t.sentence)) {
      out.push_back({"", fmt::format("(the sentence ends with \"{}\": the list is the model's guess at what comes "
                                     "after it, the start of a next sentence)",
                                     mark)});
    }
    if (t.generation) {
      const Generation& g = *t.generation;
      std::string text;
      for (std::size_t i = g.prompt_tokens; i < t.tokens.size(); ++i) text += (text.empty() ? "" : " | ") + fit_label(t.tokens[i]);
      out.push_back({"generated", fmt::format("{} ({} token{} sampled after the sentence's {}, torch.manual_seed({}), {}); "
                                              "the tables cover them all",
                                              text, g.steps.size(), g.steps.size() == 1 ? "" : "s", g.prompt_tokens, g.seed,
                                              g.top_k == 0 ? "among all tokens" : fmt::format("among the top {}", g.top_k))});
    }
    if (t.temperature != 1.0f) {
      out.push_back({"softmax T", fmt::format("temperature {:g}: the logits were divided by {:g} before the softmax ({})",
                                                t.temperature, t.temperature,
                                                t.temperature < 1.0f ? "below 1: the likeliest tokens gain"
                                                                     : "above 1: the unlikely tokens gain")});
    }
  }
}

// The fields of the settings in force, after the table or the model.
void setting_fields(const Trace& t, int p, std::vector<HeaderField>& out) {
  const Settings& s = t.settings;
  out.push_back({"projection", projection_line(s)});
  if (s.heads > 1 || s.multihead == Multihead::split) {
    out.push_back({"heads", s.multihead == Multihead::wrapper
                                ? fmt::format("{} independent heads of d_out = {}, concatenated (MultiHeadAttentionWrapper)",
                                              s.heads, s.head_dim)
                                : fmt::format("d_out = {} split into {} heads of {}, then out_proj (MultiHeadAttention)",
                                              s.d_out, s.heads, s.head_dim)});
  }
  out.push_back({"scaling", s.scale ? fmt::format("divide the scores by √d_k = √{} = {}", s.head_dim,
                                                  format_number(t.heads.front().scale_divisor, p))
                                    : "off (--no-scale): the weights come from the raw scores"});
  if (s.softmax != Softmax::stable) out.push_back({"softmax", std::string(to_string(s.softmax))});
  if (s.causal) {
    out.push_back({"causal", fmt::format("each token sees only itself and the tokens before it ({})",
                                         s.causal_method == CausalMethod::inf ? "-inf above the diagonal before the softmax"
                                                                              : "zeroed after the softmax, rows renormalised")});
  }
  if (s.dropout > 0.0) {
    out.push_back({"dropout", fmt::format("p = {}: weights kept with probability {}, scaled by 1/(1 - p){}", s.dropout,
                                          1.0 - s.dropout,
                                          s.dropout_seed ? fmt::format("; masks after torch.manual_seed({})", *s.dropout_seed)
                                                         : "")});
  }
  if (s.positions == Positions::sinusoidal) {
    out.push_back({"positions", "sinusoidal: X = token embeddings + PE(position), sines and cosines of the position "
                                "(\"Attention Is All You Need\")"});
  } else if (t.model && s.positions == Positions::none) {
    out.push_back({"positions", "none (--no-positions): the learned position embeddings (wpe) are left out; only the "
                                "causal mask tells one place from another"});
  }
  if (!t.oov_tokens.empty()) {
    out.push_back({"unknown", fmt::format("{} (not in the table: {} vectors)", join_tokens(t.oov_tokens),
                                          s.oov == OovPolicy::zero ? "zero" : "hashed")});
  }
}

}  // namespace

std::vector<HeaderField> header_fields(const Trace& t, int precision) {
  const Settings& s = t.settings;
  std::vector<HeaderField> out;
  out.push_back({"sentence", elide(display_escape(t.sentence), kMaxSentenceWidth)});
  out.push_back({"tokens", fmt::format("{}   (n = {})", join_tokens(marked_tokens(t)), t.tokens.size())});
  const std::vector<std::string> legend = mark_legend(t);
  if (!legend.empty()) out.push_back({"marks", fmt::format("{}", fmt::join(legend, "; "))});
  if (t.model) {
    model_fields(t, out);
  } else {
    out.push_back({"table", fmt::format("{} ({}), d_in = {}", printable(s.table_name),
                                        printable(s.table_path, kMessageLineBytes), s.d_in)});
  }
  setting_fields(t, precision, out);
  return out;
}

std::string render_header(const Trace& trace, int precision) {
  std::string head = "Self-attention, step by step\n\n";
  for (const HeaderField& field : header_fields(trace, precision)) head += fmt::format("  {:<10}  {}\n", field.name, field.value);
  return head;
}

}  // namespace attn
