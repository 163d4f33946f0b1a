// Exercises: parsing the data files, solving them with the engine, and
// checking a learner's answer against the answer and the usual mistakes.
#include "exercise.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <iterator>
#include <limits>
#include <set>
#include <string_view>
#include <system_error>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "data_dir.hpp"
#include "attn/embedding_table.hpp"
#include "attn/error.hpp"
#include "json_file.hpp"
#include "parameters.hpp"
#include "token_lookup.hpp"
#include "text_file.hpp"
#include "json_fields.hpp"

namespace attn {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// ───────────────────────────── the quantities ─────────────────────────────

struct QuantityInfo {
  const char* name;
  Answer::Kind kind;
  bool token;  // takes "token"
  bool key;    // takes "key"
};

constexpr QuantityInfo kQuantityInfo[] = {
    {"score", Answer::Kind::number, true, true},         {"scores", Answer::Kind::vector, true, false},
    {"scaled_score", Answer::Kind::number, true, true},  {"weight", Answer::Kind::number, true, true},
    {"weights", Answer::Kind::vector, true, false},      {"context", Answer::Kind::vector, true, false},
    {"query", Answer::Kind::vector, true, false},        {"output", Answer::Kind::vector, true, false},
    {"attends_most", Answer::Kind::token, true, false},  {"scale_divisor", Answer::Kind::number, false, false},
    {"dropout_scale", Answer::Kind::number, false, false}, {"output_shape", Answer::Kind::vector, false, false},
    {"parameter_count", Answer::Kind::number, false, false},
};
constexpr bool same_quantities() {
  if (std::size(kQuantityInfo) != std::size(kQuantities)) return false;
  for (std::size_t i = 0; i < std::size(kQuantities); ++i)
    if (std::string_view(kQuantityInfo[i].name) != kQuantities[i]) return false;
  return true;
}
static_assert(same_quantities(), "kQuantityInfo must list kQuantities, in order");

const QuantityInfo* info_of(const std::string& quantity) {
  for (const QuantityInfo& q : kQuantityInfo)
    if (quantity == q.name) return &q;
  return nullptr;
}

// ───────────────────────────── parsing ─────────────────────────────

bool all_digits(std::string_view s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos; }

// Ids name files and are typed on the command line: letters, digits, - _ .;
// not starting with - or ., and not all digits (find_exercise reads those as positions).
bool valid_id(const std::string& id) {
  if (id.empty() || id.front() == '-' || id.front() == '.' || all_digits(id)) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// A token named by its text or its 1-based position ("journey", "2" or 2).
std::optional<std::string> token_spec(const Fields& a, const char* key) {
  if (!a.has(key)) return std::nullopt;
  const json& v = a.raw(key);
  if (v.is_string() && !blank(v.get<std::string>())) return v.get<std::string>();
  if (v.is_number_unsigned() && v.get<std::uint64_t>() >= 1) return std::to_string(v.get<std::uint64_t>());
  a.fail(fmt::format("\"{}\" is {}, expected a token's text or its 1-based position", key,
                     v.is_string() ? std::string("an empty string") : v.is_number() ? v.dump() : json_type_name(v)));
}

Ask parse_ask(const json& j, const std::string& source) {
  const Fields a(j, source + ": \"ask\"", {"quantity", "token", "key", "d_in", "d_out", "heads", "multihead", "qkv_bias"});
  Ask ask;
  ask.quantity = a.choice("quantity", std::vector<std::string>(std::begin(kQuantities), std::end(kQuantities)));
  const QuantityInfo& q = *info_of(ask.quantity);
  ask.token = token_spec(a, "token");
  ask.key = token_spec(a, "key");
  if (q.token && !ask.token) a.fail(fmt::format("quantity \"{}\" needs a \"token\"", ask.quantity));
  if (!q.token && ask.token) a.fail(fmt::format("\"token\" is not used by quantity \"{}\"", ask.quantity));
  if (q.key && !ask.key) a.fail(fmt::format("quantity \"{}\" needs a \"key\"", ask.quantity));
  if (!q.key && ask.key) a.fail(fmt::format("\"key\" is not used by quantity \"{}\"", ask.quantity));
  const bool counts = ask.quantity == "parameter_count";
  for (const char* k : {"d_in", "d_out", "heads", "multihead", "qkv_bias"}) {
    if (!counts && a.has(k)) a.fail(fmt::format("\"{}\" is only used by quantity \"parameter_count\"", k));
  }
  if (counts) {
    ask.d_in = a.whole("d_in", 1, 1 << 20);
    ask.d_out = a.whole("d_out", 1, 1 << 20);
    if (a.has("heads")) ask.heads = a.whole("heads", 1, 4096);
    if (a.has("multihead")) ask.multihead = a.choice("multihead", {"wrapper", "split"});
    if (a.has("qkv_bias")) ask.qkv_bias = a.flag("qkv_bias");
    if (ask.multihead == "split" && ask.d_out % ask.heads != 0) {
      a.fail(fmt::format("\"d_out\" is {}, which {} split heads cannot share: expected a multiple of \"heads\"", ask.d_out,
                         ask.heads));
    }
  }
  return ask;
}

// ───────────────────────────── solving ─────────────────────────────

std::string where_of(const Exercise& ex) { return ex.path.empty() ? fmt::format("exercise \"{}\"", ex.id) : ex.path; }

// The exercise's run and the answer read off it.
struct Solved {
  std::optional<EmbeddingTable> table;
  std::optional<Trace> trace;  // none for parameter_count
  std::size_t t = 0, k = 0;    // rows of ask.token and ask.key
  Answer answer;
};

Answer number(double x) {
  Answer a;
  a.kind = Answer::Kind::number;
  a.number = x;
  return a;
}

Answer whole_number(std::uint64_t x) {
  Answer a = number(static_cast<double>(x));
  a.whole = true;
  return a;
}

Answer vector_of(std::vector<double> v) {
  Answer a;
  a.kind = Answer::Kind::vector;
  a.vector = std::move(v);
  return a;
}

Answer vector_of(const std::vector<float>& v) { return vector_of(std::vector<double>(v.begin(), v.end())); }

Answer token_answer(std::string token) {
  Answer a;
  a.kind = Answer::Kind::token;
  a.token = std::move(token);
  return a;
}

std::vector<float> row_of(const Matrix& m, std::size_t i) {
  return std::vector<float>(m.data.begin() + static_cast<std::ptrdiff_t>(i * m.cols),
                            m.data.begin() + static_cast<std::ptrdiff_t>((i + 1) * m.cols));
}

std::vector<float> column_of(const Matrix& m, std::size_t j) {
  std::vector<float> c(m.rows);
  for (std::size_t i = 0; i < m.rows; ++i) c[i] = m(i, j);
  return c;
}

// The first largest entry.
std::size_t argmax(const std::vector<float>& v) {
  std::size_t best = 0;
  for (std::size_t j = 1; j < v.size(); ++j)
    if (v[j] > v[best]) best = j;
  return best;
}

// The weights the context vectors use: after dropout when there is dropout.
const Matrix& used_weights(const HeadTrace& h) { return h.dropped_weights ? *h.dropped_weights : h.attn_weights; }

float dropout_scale_of(double p) { return 1.0f / static_cast<float>(1.0 - p); }  // as attention.cpp computes it

// The quantity `ask` names, read off a Trace (t, k: the rows of its token and key).
Answer read(const Ask& ask, const Trace& tr, std::size_t t, std::size_t k) {
  const HeadTrace& h = tr.heads.at(0);
  const std::string& q = ask.quantity;
  if (q == "score") return number(h.attn_scores(t, k));
  if (q == "scores") return vector_of(row_of(h.attn_scores, t));
  if (q == "scaled_score") return number(h.scaled_scores(t, k));
  if (q == "weight") return number(used_weights(h)(t, k));
  if (q == "weights") return vector_of(row_of(used_weights(h), t));
  if (q == "context") return vector_of(row_of(h.context_vec, t));
  if (q == "query") return vector_of(row_of(h.queries, t));
  if (q == "output") return vector_of(row_of(tr.output, t));
  if (q == "attends_most") return token_answer(tr.tokens[argmax(row_of(h.attn_weights, t))]);
  if (q == "scale_divisor") return number(h.scale_divisor);
  if (q == "dropout_scale") return number(dropout_scale_of(tr.settings.dropout));
  if (q == "output_shape") {
    Answer a = vector_of(std::vector<double>{static_cast<double>(tr.output.rows), static_cast<double>(tr.output.cols)});
    a.whole = true;
    return a;
  }
  throw DataError(fmt::format("quantity \"{}\" cannot be read off a run", q));
}

std::size_t resolve_token(const Exercise& ex, const Trace& trace, const char* field, const std::string& spec) {
  try {
    return find_focus(trace, spec);
  } catch (const UsageError& e) {
    if (all_digits(spec)) {
      throw DataError(fmt::format("{}: \"ask\": \"{}\" is {}, but the sentence has {} token{}", where_of(ex), field, spec,
                                  trace.tokens.size(), trace.tokens.size() == 1 ? "" : "s"),
                      e.hint());
    }
    throw DataError(fmt::format("{}: \"ask\": \"{}\" is \"{}\", which is not a token of the sentence", where_of(ex), field, spec),
                    e.hint());
  }
}

Solved solve_run(const Exercise& ex) {
  Solved s;
  const Ask& ask = ex.ask;
  if (ask.quantity == "parameter_count") {
    const Multihead m = ask.multihead == "wrapper" ? Multihead::wrapper : Multihead::split;
    s.answer = whole_number(count_parameters(ask.d_in, ask.d_out, ask.heads, m, ask.qkv_bias).total);
    return s;
  }
  try {
    s.table = load_table(find_data_file(ex.settings.embeddings));
    s.trace = explore(ex.settings.request, *s.table);
  } catch (const Error& e) {
    // An exercise that cannot run is bad data, wherever the engine found the problem.
    throw DataError(fmt::format("{}: {}", where_of(ex), e.what()), e.hint());
  }
  if (ask.token) s.t = resolve_token(ex, *s.trace, "token", *ask.token);
  if (ask.key) s.k = resolve_token(ex, *s.trace, "key", *ask.key);
  s.answer = read(ask, *s.trace, s.t, s.k);
  return s;
}

// ───────────────────────────── mistakes ─────────────────────────────

bool finite(const Answer& a) {
  if (a.kind == Answer::Kind::number) return std::isfinite(a.number);
  if (a.kind == Answer::Kind::vector)
    return !a.vector.empty() && std::all_of(a.vector.begin(), a.vector.end(), [](double x) { return std::isfinite(x); });
  return !a.token.empty();
}

std::string num(double x) { return fmt::format("{:.4f}", x); }

// The mistaken variants of one exercise, built on its run.
class Mistakes {
 public:
  Mistakes(const Exercise& ex, const Solved& s) : ex_(ex), s_(s) {}

  std::vector<Mistake> list() {
    const std::string& q = ex_.ask.quantity;
    if (q == "parameter_count") {
      parameter_count();
      return std::move(list_);
    }
    if (q == "dropout_scale") {
      dropout_scale();
      return std::move(list_);
    }
    if (q == "score") score();
    if (q == "scores") scores();
    if (q == "scaled_score") scaled_score();
    if (q == "weight" || q == "weights") weights();
    if (q == "context") context();
    if (q == "query") query();
    if (q == "output") output();
    if (q == "attends_most") attends_most();
    if (q == "scale_divisor") scale_divisor();
    if (q == "output_shape") output_shape();
    return std::move(list_);
  }

 private:
  const Exercise& ex_;
  const Solved& s_;
  std::vector<Mistake> list_;

  const Trace& tr() const { return *s_.trace; }
  const HeadTrace& head() const { return tr().heads.at(0); }
  const Settings& st() const { return tr().settings; }
  std::size_t n() const { return tr().tokens.size(); }
  std::size_t t() const { return s_.t; }
  std::size_t k() const { return s_.k; }
  std::size_t d_k() const { return head().keys.cols; }
  float divisor() const { return std::sqrt(static_cast<float>(d_k())); }

  // A variant counts only when finite and different from the answer and from
  // every earlier variant: each value then explains exactly one mistake.
  void add(std::string name, std::string nudge, Answer value) {
    if (!finite(value) || answers_match(value, s_.answer, ex_.tolerance)) return;
    for (const Mistake& m : list_)
      if (answers_match(value, m.value, ex_.tolerance)) return;
    list_.push_back(Mistake{std::move(name), std::move(nudge), std::move(value)});
  }

  // A token by its text, with its position when the text occurs more than once.
  std::string tok(std::size_t i) const {
    const std::string& text = tr().tokens[i];
    const auto same = std::count(tr().tokens.begin(), tr().tokens.end(), text);
    return same > 1 ? fmt::format("\"{}\" (token {})", text, i + 1) : fmt::format("\"{}\"", text);
  }

  // The exercise's run with one setting changed; nullopt when the engine refuses it.
  std::optional<Trace> rerun(const std::function<void(Request&)>& change) const {
    Request r = ex_.settings.request;
    change(r);
    try {
      return explore(r, *s_.table);
    } catch (const Error&) {
      return std::nullopt;
    }
  }

  void add_rerun(const std::string& name, const std::string& nudge, const std::function<void(Request&)>& change) {
    if (const auto other = rerun(change)) add(name, nudge, read(ex_.ask, *other, t(), k()));
  }

  // The same quantity for the run with the scaling, the mask or the
  // normalisation done wrong: the mistakes of everything after the scores.
  void pipeline_reruns() {
    const Request& r = ex_.settings.request;
    if (r.scale) {
      add_rerun("unscaled",
                fmt::format("That is what you get without dividing the scores by √d_k = {}: divide each score by √d_k "
                            "before normalising.",
                            num(divisor())),
                [](Request& q) { q.scale = false; });
    } else {
      add_rerun("scaled",
                fmt::format("That is what you get dividing the scores by √d_k = {}, but this run does not scale them "
                            "(--no-scale): normalise the raw scores.",
                            num(divisor())),
                [](Request& q) { q.scale = true; });
    }
    if (r.causal) {
      add_rerun("no causal mask",
                fmt::format("That is what you get without the causal mask: {} may only look at itself and the tokens "
                            "before it, so mask the later ones.",
                            tok(t())),
                [](Request& q) { q.causal = false; });
    }
    if (r.softmax != Softmax::sum) {
      add_rerun("sum instead of softmax",
                "That is what you get dividing each score by the row's sum: the softmax divides exp(score) by the sum "
                "of the exps.",
                [](Request& q) { q.softmax = Softmax::sum; });
    } else {
      add_rerun("softmax instead of sum",
                "That is what you get with a softmax, but this run normalises by the plain sum (--softmax sum): divide "
                "each score by the row's sum.",
                [](Request& q) { q.softmax = Softmax::stable; });
    }
  }

  // Row i of weights from a row of (scaled) scores, the way attention.cpp goes on
  // from there: mask, normalise, renormalise, dropout. For variants only.
  std::vector<float> weights_from(std::vector<float> s, std::size_t i) const {
    constexpr float kMinusInfinity = -std::numeric_limits<float>::infinity();
    const std::size_t count = s.size();
    const bool inf_mask = st().causal && st().causal_method == CausalMethod::inf;
    if (inf_mask)
      for (std::size_t j = i + 1; j < count; ++j) s[j] = kMinusInfinity;
    std::vector<float> w(count);
    float sum = 0.0f;
    switch (st().softmax) {
      case Softmax::stable: {
        float top = kMinusInfinity;
        for (float x : s) top = std::fmax(top, x);
        for (std::size_t j = 0; j < count; ++j) sum += w[j] = std::exp(s[j] - top);
        for (float& x : w) x /= sum;
        break;
      }
      case Softmax::naive:
        for (std::size_t j = 0; j < count; ++j) sum += w[j] = std::exp(s[j]);
        for (float& x : w) x /= sum;
        break;
      case Softmax::sum:
        for (std::size_t j = 0; j < count; ++j)
          if (!(inf_mask && j > i)) sum += s[j];
        for (std::size_t j = 0; j < count; ++j) w[j] = inf_mask && j > i ? 0.0f : s[j] / sum;
        break;
    }
    if (st().causal && st().causal_method == CausalMethod::renorm) {
      float kept = 0.0f;
      for (std::size_t j = 0; j < count; ++j) kept += j > i ? (w[j] = 0.0f) : w[j];
      for (float& x : w) x /= kept;
    }
    if (head().dropout_mask) {
      const float keep = dropout_scale_of(st().dropout);
      for (std::size_t j = 0; j < count; ++j) w[j] = w[j] * ((*head().dropout_mask)(i, j) * keep);
    }
    return w;
  }

  // Σ_j w[j] · rows[j]: a weighted sum of rows (of V or of X), in float32.
  static std::vector<float> weighted_sum(const std::vector<float>& w, const Matrix& rows) {
    std::vector<float> z(rows.cols, 0.0f);
    for (std::size_t j = 0; j < w.size(); ++j)
      for (std::size_t c = 0; c < rows.cols; ++c) z[c] += w[j] * rows(j, c);
    return z;
  }

  static float dot(const Matrix& a, std::size_t i, const Matrix& b, std::size_t j) {
    float sum = 0.0f;
    for (std::size_t c = 0; c < a.cols; ++c) sum += a(i, c) * b(j, c);
    return sum;
  }

  bool has_weights() const { return head().W_query.has_value(); }

  // How this run turns a row of scores into weights, as a verb for the nudges.
  const char* normalise_verb() const { return st().softmax == Softmax::sum ? "divide by the sum of" : "apply the softmax to"; }

  // x(i)·x(j) for every j: the scores of attention without trainable weights.
  std::vector<float> embedding_scores(std::size_t i) const {
    std::vector<float> s(n());
    for (std::size_t j = 0; j < n(); ++j) s[j] = dot(tr().inputs, i, tr().inputs, j);
    return s;
  }

  // The kept weights of row i without the 1/(1 - p) factor.
  std::vector<float> unscaled_dropout_row(std::size_t i) const {
    std::vector<float> w = row_of(head().attn_weights, i);
    for (std::size_t j = 0; j < w.size(); ++j) w[j] *= (*head().dropout_mask)(i, j);
    return w;
  }

  // ── one function per quantity ──

  void score() {
    const HeadTrace& h = head();
    add("keys and queries swapped",
        fmt::format("That is ω({}, {}): the query of {} with the key of {}. The score of {} for {} takes the query of {} "
                    "and the key of {}.",
                    tok(k()), tok(t()), tok(k()), tok(t()), tok(t()), tok(k()), tok(t()), tok(k())),
        number(h.attn_scores(k(), t())));
    if (st().scale) {
      add("scaled",
          fmt::format("That is the score already divided by √d_k = {}: the score ω is the plain dot product q·k.",
                      num(h.scale_divisor)),
          number(h.scaled_scores(t(), k())));
    }
    if (has_weights()) {
      add("embeddings instead of q and k",
          fmt::format("That is x({})·x({}), the dot product of the embeddings: project them first (q = x·W_query, "
                      "k = x·W_key), then take q·k.",
                      tr().tokens[t()], tr().tokens[k()]),
          number(dot(tr().inputs, t(), tr().inputs, k())));
    }
    for (std::size_t j = 0; j < n(); ++j) {
      if (j == t()) continue;
      add("wrong row",
          fmt::format("That is ω({}, {}), the score of {} (the row of {}): use the query of {}.", tok(j), tok(k()), tok(j),
                      tok(j), tok(t())),
          number(h.attn_scores(j, k())));
    }
    for (std::size_t j = 0; j < n(); ++j) {
      if (j == k()) continue;
      add("wrong key",
          fmt::format("That is the score of {} for {} (the column of {}): use the key of {}.", tok(t()), tok(j), tok(j),
                      tok(k())),
          number(h.attn_scores(t(), j)));
    }
  }

  void scores() {
    const HeadTrace& h = head();
    add("column instead of row",
        fmt::format("That is the column of {} in ω, every query against the key of {}: the scores of {} are its row, "
                    "its query against every key.",
                    tok(t()), tok(t()), tok(t())),
        vector_of(column_of(h.attn_scores, t())));
    if (st().scale) {
      add("scaled",
          fmt::format("Those are the scores already divided by √d_k = {}: the scores ω are the plain dot products q·k.",
                      num(h.scale_divisor)),
          vector_of(row_of(h.scaled_scores, t())));
    }
    if (has_weights()) {
      add("embeddings instead of q and k",
          fmt::format("Those are the dot products of the embeddings x({})·x(j): project first (q = x·W_query, "
                      "k = x·W_key), then take q·k.",
                      tr().tokens[t()]),
          vector_of(embedding_scores(t())));
    }
    wrong_rows(h.attn_scores, "scores");
  }

  void wrong_rows(const Matrix& m, const std::string& what) {
    for (std::size_t j = 0; j < n(); ++j) {
      if (j == t()) continue;
      add("wrong row", fmt::format("That is the row of {}: the {} of {} are the row of {}.", tok(j), what, tok(t()), tok(t())),
          vector_of(row_of(m, j)));
    }
  }

  void scaled_score() {
    const HeadTrace& h = head();
    const float raw = h.attn_scores(t(), k());
    if (st().scale) {
      add("unscaled",
          fmt::format("That is the score before dividing by √d_k = {}: divide it by √d_k.", num(h.scale_divisor)),
          number(raw));
      add("scaled by d_k instead of √d_k",
          fmt::format("That is the score divided by d_k = {} itself: divide by its square root, √d_k = {}.", d_k(),
                      num(h.scale_divisor)),
          number(raw / static_cast<float>(d_k())));
      add("multiplied by √d_k",
          fmt::format("That is the score multiplied by √d_k = {}: divide by it.", num(h.scale_divisor)),
          number(raw * h.scale_divisor));
    } else {
      add("scaled",
          fmt::format("That is the score divided by √d_k = {}, but this run does not scale (--no-scale): the scaled "
                      "score is the score itself.",
                      num(divisor())),
          number(raw / divisor()));
    }
    add("keys and queries swapped",
        fmt::format("That is the scaled ω({}, {}): the query of {} with the key of {}. Use the query of {} and the key "
                    "of {}.",
                    tok(k()), tok(t()), tok(k()), tok(t()), tok(t()), tok(k())),
        number(h.scaled_scores(k(), t())));
    for (std::size_t j = 0; j < n(); ++j) {
      if (j == t()) continue;
      add("wrong row",
          fmt::format("That is the scaled score of {} for {} (the row of {}): use the query of {}.", tok(j), tok(k()),
                      tok(j), tok(t())),
          number(h.scaled_scores(j, k())));
    }
    for (std::size_t j = 0; j < n(); ++j) {
      if (j == k()) continue;
      add("wrong key",
          fmt::format("That is the scaled score of {} for {} (the column of {}): use the key of {}.", tok(t()), tok(j),
                      tok(j), tok(k())),
          number(h.scaled_scores(t(), j)));
    }
  }

  // weight (one entry, at column k) and weights (the row).
  void weights() {
    const HeadTrace& h = head();
    const bool one = ex_.ask.quantity == "weight";
    const std::string what = one ? fmt::format("α({}, {})", tok(t()), tok(k())) : fmt::format("the row of {}", tok(t()));
    auto pick = [&](const std::vector<float>& row) { return one ? number(row[k()]) : vector_of(row); };

    pipeline_reruns();
    if (st().scale && d_k() > 1) {
      std::vector<float> s = row_of(h.attn_scores, t());
      for (float& x : s) x /= static_cast<float>(d_k());
      add("scaled by d_k instead of √d_k",
          fmt::format("That is what you get dividing the scores by d_k = {} itself: divide them by its square root, "
                      "√d_k = {}.",
                      d_k(), num(h.scale_divisor)),
          pick(weights_from(s, t())));
    }
    if (st().scale) {
      add("not normalised",
          one ? fmt::format("That is the scaled score ω/√d_k, not yet a weight: {} the row of {} so that it sums to 1.",
                            normalise_verb(), tok(t()))
              : fmt::format("Those are the scaled scores ω/√d_k of {}, not yet weights: {} the row so that it sums to 1.",
                            tok(t()), normalise_verb()),
          pick(row_of(h.scaled_scores, t())));
    }
    add("not normalised",
        one ? fmt::format("That is the raw score ω, not a weight: take the row of scores of {}, {}, and read the "
                          "column of {}.",
                          tok(t()), steps_for(t()), tok(k()))
            : fmt::format("Those are the raw scores ω of {}, not weights: {}.", tok(t()), steps_for(t())),
        pick(row_of(h.attn_scores, t())));
    if (h.dropout_mask) {
      add("before dropout",
          fmt::format("That is {} before dropout: zero the weights the dropout mask drops and multiply the kept ones by "
                      "1/(1 − p) = {}.",
                      what, num(dropout_scale_of(st().dropout))),
          pick(row_of(h.attn_weights, t())));
      add("not rescaled after dropout",
          fmt::format("Those are the kept weights without the rescaling: multiply each kept weight by 1/(1 − p) = {}.",
                      num(dropout_scale_of(st().dropout))),
          pick(unscaled_dropout_row(t())));
    }
    const Matrix& w = used_weights(h);
    if (one) {
      add("column instead of row",
          fmt::format("That is α({}, {}), how much {} attends to {}: α({}, {}) is in the row of {}, the column of {}.",
                      tok(k()), tok(t()), tok(k()), tok(t()), tok(t()), tok(k()), tok(t()), tok(k())),
          number(w(k(), t())));
      for (std::size_t j = 0; j < n(); ++j) {
        if (j == t()) continue;
        add("wrong row",
            fmt::format("That is α({}, {}), from the row of {}: look in the row of {}.", tok(j), tok(k()), tok(j), tok(t())),
            number(w(j, k())));
      }
      for (std::size_t j = 0; j < n(); ++j) {
        if (j == k()) continue;
        add("wrong key",
            fmt::format("That is the weight of {} for {} (the column of {}): take the column of {}.", tok(t()), tok(j),
                        tok(j), tok(k())),
            number(w(t(), j)));
      }
    } else {
      add("column instead of row",
          fmt::format("That is the column of {} in α, how much every token attends to {}: the weights of {} are its row.",
                      tok(t()), tok(t()), tok(t())),
          vector_of(column_of(w, t())));
      wrong_rows(w, "weights");
    }
  }

  void context() {
    const HeadTrace& h = head();
    pipeline_reruns();
    if (st().scale) {
      add("not normalised",
          fmt::format("That weighs the values by the scaled scores of {}, not by its weights: {} the row first.", tok(t()),
                      normalise_verb()),
          vector_of(weighted_sum(row_of(h.scaled_scores, t()), h.values)));
    }
    add("not normalised",
        fmt::format("That weighs the values by the raw scores of {}, not by its weights. Turn them into weights "
                    "first: {}.",
                    tok(t()), steps_for(t())),
        vector_of(weighted_sum(row_of(h.attn_scores, t()), h.values)));
    if (h.dropout_mask) {
      add("before dropout",
          fmt::format("That uses the weights before dropout: zero the weights the dropout mask drops and multiply the "
                      "kept ones by 1/(1 − p) = {}, then weigh the values.",
                      num(dropout_scale_of(st().dropout))),
          vector_of(weighted_sum(row_of(h.attn_weights, t()), h.values)));
      add("not rescaled after dropout",
          fmt::format("That uses the kept weights without the rescaling: multiply each kept weight by 1/(1 − p) = {} "
                      "before weighing the values.",
                      num(dropout_scale_of(st().dropout))),
          vector_of(weighted_sum(unscaled_dropout_row(t()), h.values)));
    }
    const Matrix& w = used_weights(h);
    if (has_weights()) {
      add("embeddings instead of values",
          "That weighs the embeddings x(j): weigh the value vectors v(j) = x(j)·W_value instead.",
          vector_of(weighted_sum(row_of(w, t()), tr().inputs)));
    }
    add("column instead of row",
        fmt::format("That weighs the values by the column of {} in α: the context of {} uses its own row of weights.",
                    tok(t()), tok(t())),
        vector_of(weighted_sum(column_of(w, t()), h.values)));
    wrong_rows_vector(h.context_vec, "context vector");
  }

  void wrong_rows_vector(const Matrix& m, const std::string& what) {
    for (std::size_t j = 0; j < n(); ++j) {
      if (j == t()) continue;
      add("wrong row", fmt::format("That is the {} of {}: take the row of {}.", what, tok(j), tok(t())), vector_of(row_of(m, j)));
    }
  }

  void query() {
    const HeadTrace& h = head();
    add("W_key instead of W_query",
        fmt::format("That is the key of {}, x·W_key: the query multiplies the embedding by W_query.", tok(t())),
        vector_of(row_of(h.keys, t())));
    add("W_value instead of W_query",
        fmt::format("That is the value of {}, x·W_value: the query multiplies the embedding by W_query.", tok(t())),
        vector_of(row_of(h.values, t())));
    add("embedding instead of query",
        fmt::format("That is the embedding x({}) itself: multiply it by W_query.", tr().tokens[t()]),
        vector_of(row_of(tr().inputs, t())));
    if (h.b_query) {
      std::vector<float> q = row_of(h.queries, t());
      for (std::size_t c = 0; c < q.size(); ++c) q[c] -= (*h.b_query)[c];
      add("bias left out", "That is x·W_query without the bias: add b_query.", vector_of(q));
    }
    if (h.W_query && h.W_query->rows == h.W_query->cols) {
      const Matrix& W = *h.W_query;
      std::vector<float> q(W.rows, 0.0f);
      for (std::size_t c = 0; c < W.rows; ++c) {
        for (std::size_t i = 0; i < W.cols; ++i) q[c] += tr().inputs(t(), i) * W(c, i);
        if (h.b_query) q[c] += (*h.b_query)[c];
      }
      add("W_query transposed",
          "That multiplies by W_query transposed: its rows are the input dimensions, so component c is x · (column c "
          "of W_query).",
          vector_of(q));
    }
    wrong_rows_vector(h.queries, "query");
  }

  void output() {
    const Trace& r = tr();
    const HeadTrace& h = head();
    const std::size_t heads = r.heads.size();
    if (r.out_proj) {
      const std::vector<float> joined = row_of(r.concatenated ? *r.concatenated : h.context_vec, t());
      add("before out_proj",
          fmt::format("That is the {} of {}, before out_proj: multiply it by out_proj's weight and add its bias.",
                      heads > 1 ? "heads' context vectors side by side" : "context vector", tok(t())),
          vector_of(joined));
      std::vector<float> no_bias = weighted_sum(joined, r.out_proj->weight);
      add("out_proj bias left out", "That is the row times out_proj's weight without its bias: add the bias.",
          vector_of(no_bias));
    }
    if (heads > 1) {
      add("only head 1",
          fmt::format("That is head 1's context vector only: the output puts the {} heads' context vectors side by "
                      "side{}.",
                      heads, r.out_proj ? ", then applies out_proj" : ""),
          vector_of(row_of(h.context_vec, t())));
    }
    pipeline_reruns();
    wrong_rows_vector(r.output, "output");
  }

  void attends_most() {
    const Matrix& w = head().attn_weights;
    const std::vector<float> row = row_of(w, t());
    const std::size_t best = argmax(row);
    auto token_of = [&](std::size_t j) { return token_answer(tr().tokens[j]); };
    add("itself",
        fmt::format("{} gives itself {}, but another key gets more: a token does not always attend most to itself.",
                    tok(t()), num(row[t()])),
        token_of(t()));
    add("column instead of row",
        fmt::format("{} is the token that attends most to {} (the column of {}): the question is where {} looks, its row "
                    "of α.",
                    tok(argmax(column_of(w, t()))), tok(t()), tok(t()), tok(t())),
        token_of(argmax(column_of(w, t()))));
    std::vector<std::size_t> order(row.size());
    for (std::size_t j = 0; j < order.size(); ++j) order[j] = j;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return row[a] > row[b]; });
    if (order.size() > 1 && order[1] != best) {
      add("second largest",
          fmt::format("{} has the second-largest weight in the row of {} ({}): one key weighs more.", tok(order[1]), tok(t()),
                      num(row[order[1]])),
          token_of(order[1]));
    }
    add("least instead of most",
        fmt::format("{} has the smallest weight in the row of {} ({}): look for the largest.", tok(order.back()), tok(t()),
                    num(row[order.back()])),
        token_of(order.back()));
    pipeline_reruns();
    for (std::size_t j = 0; j < n(); ++j) {
      if (j == t()) continue;
      add("wrong row",
          fmt::format("That is where {} attends most (the row of {}): look at the row of {}.", tok(j), tok(j), tok(t())),
          token_of(argmax(row_of(w, j))));
    }
  }

  void scale_divisor() {
    const HeadTrace& h = head();
    if (st().scale) {
      Answer dk = whole_number(d_k());
      add("no square root", fmt::format("That is d_k = {} itself: the divisor is its square root.", d_k()), dk);
      add("reciprocal", "That is 1/√d_k, what the scores are multiplied by: the question asks for the divisor √d_k.",
          number(1.0f / h.scale_divisor));
      if (st().multihead == Multihead::split && st().heads > 1) {
        add("√d_out instead of √d_k",
            fmt::format("That is √d_out, the width of all {} heads together: each head divides by the square root of its "
                        "own keys' width, d_out / heads.",
                        st().heads),
            number(std::sqrt(static_cast<float>(st().d_out))));
      }
      add("√d_in instead of √d_k",
          "That is √d_in, from the embeddings' width: d_k is the width of the keys, the columns of W_key.",
          number(std::sqrt(static_cast<float>(st().d_in))));
    } else {
      add("scaled",
          "That is √d_k, but this run does not scale its scores (--no-scale): the divisor is 1.",
          number(divisor()));
    }
  }

  void output_shape() {
    const Matrix& out = tr().output;
    auto shape = [](std::size_t rows, std::size_t cols) {
      Answer a = vector_of(std::vector<double>{static_cast<double>(rows), static_cast<double>(cols)});
      a.whole = true;
      return a;
    };
    add("transposed", "That is columns × rows: the output has one row per token.", shape(out.cols, out.rows));
    if (tr().heads.size() > 1) {
      add("per-head width",
          st().multihead == Multihead::split
              ? "That is one head's width: the heads' columns are joined side by side, and out_proj keeps that width, "
                "d_out."
              : "That is one head's width: the output puts every head's columns side by side.",
          shape(out.rows, d_k()));
    }
    add("input width", "That is the shape of the inputs X: the output's width is set by the projections, not by d_in.",
        shape(out.rows, st().d_in));
    add("weights' shape", "That is the shape of the attention weights (n × n): the output has one column per output dimension.",
        shape(n(), n()));
  }

  void dropout_scale() {
    const double p = ex_.settings.request.dropout;
    add("p itself", "That is p, the probability of dropping a weight: the kept weights are scaled by 1 / (1 − p).",
        number(p));
    add("1 − p",
        "That is 1 − p, the probability of keeping a weight: the kept weights are divided by it, i.e. multiplied by 1 / (1 − p).",
        number(1.0 - p));
    if (p > 0.0) {
      add("1/p", "That is 1/p: divide by the probability of keeping, 1 − p, not by the probability of dropping.",
          number(1.0 / p));
    }
  }

  void parameter_count() {
    const Ask& a = ex_.ask;
    const Multihead m = a.multihead == "wrapper" ? Multihead::wrapper : Multihead::split;
    const bool split = m == Multihead::split;
    const std::uint64_t total = count_parameters(a.d_in, a.d_out, a.heads, m, a.qkv_bias).total;
    const std::uint64_t no_bias = count_parameters(a.d_in, a.d_out, a.heads, m, false).total - (split ? a.d_out : 0);
    add("without biases",
        fmt::format("That leaves out the biases: {}.",
                    split && a.qkv_bias ? "out_proj has one of d_out numbers, and so have W_query, W_key and W_value"
                    : split             ? "out_proj (an nn.Linear) has a bias of d_out numbers"
                                        : "each nn.Linear with qkv_bias has a bias of d_out numbers"),
        whole_number(no_bias));
    if (split) {
      add("without out_proj",
          "That leaves out out_proj, the d_out × d_out output projection (with its bias) that MultiHeadAttention applies "
          "after the heads.",
          whole_number(total - (a.d_out * a.d_out + a.d_out)));
      if (a.heads > 1) {
        add("heads × full width",
            "That gives every head its own d_in × d_out matrices: MultiHeadAttention makes one d_in × d_out projection "
            "each for queries, keys and values, and splits its columns among the heads.",
            whole_number(count_parameters(a.d_in, a.d_out, a.heads, Multihead::wrapper, a.qkv_bias).total + a.d_out * a.d_out +
                         a.d_out));
      }
    } else if (a.heads > 1) {
      add("one head only",
          fmt::format("That is one head: the wrapper has {} heads, each with its own W_query, W_key and W_value.", a.heads),
          whole_number(count_parameters(a.d_in, a.d_out, 1, m, a.qkv_bias).total));
    }
    if (!a.qkv_bias) {
      add("with qkv biases",
          "That counts a bias for each of W_query, W_key and W_value, but qkv_bias is off: nn.Linear(d_in, d_out, "
          "bias=False).",
          whole_number(count_parameters(a.d_in, a.d_out, a.heads, m, true).total));
    }
  }

 public:
  // What turns the scores of row i into its weights, in this run, as instructions.
  std::string steps_for(std::size_t i) const {
    std::vector<std::string> steps;
    if (st().scale) steps.push_back(fmt::format("divide them by √d_k = {}", num(head().scale_divisor)));
    if (st().causal && st().causal_method == CausalMethod::inf) steps.push_back("set the scores of later tokens to −∞");
    steps.push_back(st().softmax == Softmax::sum ? std::string("divide each by the row's sum")
                                                 : std::string("apply the softmax (exp of each, divided by their sum)"));
    if (st().causal && st().causal_method == CausalMethod::renorm) {
      steps.push_back("zero the weights of later tokens and divide by the new sum");
    }
    if (head().dropout_mask) {
      steps.push_back(fmt::format("zero the weights the dropout mask drops and multiply the kept ones by 1/(1 − p) = {}",
                                  num(dropout_scale_of(st().dropout))));
    }
    (void)i;
    std::string out;
    for (std::size_t s = 0; s < steps.size(); ++s) {
      if (s > 0) out += s + 1 == steps.size() ? ", then " : ", ";
      out += steps[s];
    }
    return out;
  }
};

// ───────────────────────────── the generic nudge ─────────────────────────────

// "2 and 3", "1, 2 and 5".
std::string join_numbers(const std::vector<std::size_t>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += i + 1 == v.size() ? " and " : ", ";
    out += std::to_string(v[i]);
  }
  return out;
}

std::string tolerance_text(double tolerance) { return fmt::format("{:g}", tolerance); }

// Which components of a vector answer are off, or why the lengths differ.
std::string components_off(const Answer& given, const Answer& expected, double tolerance, const std::string& what) {
  const std::vector<double> g = given.kind == Answer::Kind::vector ? given.vector : std::vector<double>{given.number};
  const std::size_t want = expected.vector.size();
  if (g.size() != want) {
    return fmt::format("The answer has {} number{}; {} has {}.", g.size(), g.size() == 1 ? "" : "s", what, want);
  }
  std::vector<std::size_t> off;
  for (std::size_t i = 0; i < want; ++i)
    if (!answers_match(number(g[i]), number(expected.vector[i]), tolerance)) off.push_back(i + 1);
  if (off.size() == want) return fmt::format("Every component is off by more than {}.", tolerance_text(tolerance));
  return fmt::format("Component{} {} (of {}) {} off by more than {}; the others are right.", off.size() == 1 ? "" : "s",
                     join_numbers(off), want, off.size() == 1 ? "is" : "are", tolerance_text(tolerance));
}

std::string generic_nudge(const Exercise& ex, const Solved& s, const Answer& given) {
  const std::string& q = ex.ask.quantity;
  if (q == "parameter_count") {
    return "Count each weight matrix (d_in × d_out numbers), each bias (d_out numbers) and, for split heads, out_proj "
           "(d_out × d_out + d_out).";
  }
  if (q == "dropout_scale") {
    return "Dropout keeps each weight with probability 1 − p and scales the kept ones so that the expected sum stays the "
           "same.";
  }
  const Trace& tr = *s.trace;
  Mistakes helper(ex, s);
  auto tok = [&](std::size_t i) { return fmt::format("\"{}\"", tr.tokens[i]); };
  const std::string T = tok(s.t);
  const std::string K = tok(s.k);
  if (q == "score") {
    return fmt::format("ω({}, {}) is the dot product of the query of {} with the key of {}: multiply them component by "
                       "component and add the products.",
                       T, K, T, K);
  }
  if (q == "scaled_score") {
    return fmt::format("Compute the score ω({}, {}) = q·k first, then divide it by √d_k.", T, K);
  }
  if (q == "weight") {
    return fmt::format("Take the row of scores of {}, {}; then read the column of {}.", T, helper.steps_for(s.t), K);
  }
  if (q == "scale_divisor") {
    return "The scores are divided by the square root of d_k, the width of one head's keys (the columns of W_key).";
  }
  if (q == "output_shape") return "One row per token, one column per dimension of the output.";
  if (q == "attends_most") {
    const auto& tokens = tr.tokens;
    const auto it = std::find_if(tokens.begin(), tokens.end(), [&](const std::string& x) {
      return answers_match(token_answer(x), given, 0.0);
    });
    if (it == tokens.end()) return fmt::format("\"{}\" is not a token of the sentence.", given.token);
    const std::size_t j = static_cast<std::size_t>(it - tokens.begin());
    return fmt::format("{} gets {} in the row of weights of {}: look for the key with the largest weight.", tok(j),
                       num(tr.heads[0].attn_weights(s.t, j)), T);
  }
  // Vectors.
  std::string what, how;
  if (q == "scores") {
    what = fmt::format("the row of scores of {}", T);
    how = fmt::format("Entry j is the query of {} dotted with the key of token j.", T);
  } else if (q == "weights") {
    what = fmt::format("the row of weights of {}", T);
    how = fmt::format("Take the row of scores of {}, {}.", T, helper.steps_for(s.t));
    double sum = 0.0;
    for (double x : given.vector) sum += x;
    if (!tr.heads[0].dropout_mask && given.kind == Answer::Kind::vector && given.vector.size() == s.answer.vector.size() &&
        std::fabs(sum - 1.0) > 0.01) {
      how = fmt::format("These weights sum to {}, not 1. {}", num(sum), how);
    }
  } else if (q == "context") {
    what = fmt::format("the context vector of {}", T);
    how = fmt::format("Weigh each value vector v(j) by the weight of {} for token j and add them up: z = Σ_j α(i,j) v(j).", T);
  } else if (q == "query") {
    what = fmt::format("the query of {}", T);
    how = tr.heads[0].W_query
              ? fmt::format("Multiply the embedding of {} by W_query{}: component c is x · (column c of W_query).", T,
                            tr.heads[0].b_query ? " and add b_query" : "")
              : std::string("Without trainable weights the query is the embedding itself.");
  } else if (q == "output") {
    what = fmt::format("the output of {}", T);
    how = tr.out_proj ? fmt::format("Put the heads' context vectors of {} side by side, then multiply by out_proj's weight "
                                    "and add its bias.",
                                    T)
                      : fmt::format("The output of {} is its heads' context vectors side by side.", T);
  }
  return components_off(given, s.answer, ex.tolerance, what) + " " + how;
}

}  // namespace

// ───────────────────────────── the public functions ─────────────────────────────

Answer::Kind answer_kind(const std::string& quantity) {
  const QuantityInfo* q = info_of(quantity);
  if (!q) throw UsageError(fmt::format("unknown quantity \"{}\"", quantity));
  return q->kind;
}

Exercise parse_exercise(const std::string& text, const std::string& source) {
  const json root = parse_json_document(text, source, 16);
  const Fields f(root, source,
                 {"$schema", "id", "title", "topic", "difficulty", "order", "source", "run", "task", "show", "ask",
                  "tolerance", "hints"});
  Exercise ex;
  ex.path = source;
  ex.id = f.text("id");
  if (!valid_id(ex.id)) {
    f.fail(fmt::format("\"id\" is \"{}\", expected letters, digits, '-', '_' or '.' (not only digits, not starting with "
                       "'-' or '.')",
                       ex.id));
  }
  ex.title = f.text("title");
  if (blank(ex.title)) f.fail("\"title\" is empty");
  ex.topic = f.text("topic");
  ex.source = f.text("source");
  if (f.has("difficulty")) ex.difficulty = static_cast<int>(f.whole("difficulty", 1, 3));
  if (f.has("order")) ex.order = static_cast<int>(f.whole("order", 0, 10000));
  if (f.has("run")) apply_run(f.raw("run"), source, ex.settings);

  ex.task = f.lines("task");
  if (std::all_of(ex.task.begin(), ex.task.end(), blank)) f.fail("\"task\" is empty, expected what to compute");
  if (f.has("show")) {
    ex.show = read_stages(f, "show");
  }

  if (!f.has("ask")) f.fail("\"ask\" is missing");
  ex.ask = parse_ask(f.raw("ask"), source);

  if (f.has("tolerance")) {
    ex.tolerance = f.number("tolerance");
    if (!(ex.tolerance >= 0.0 && ex.tolerance <= 1e9)) {
      f.fail(fmt::format("\"tolerance\" is {}, expected a number ≥ 0", ex.tolerance));
    }
  }

  ex.hints = f.lines("hints");
  if (ex.hints.empty()) f.fail("\"hints\" is empty, expected at least one hint");
  for (std::size_t i = 0; i < ex.hints.size(); ++i) {
    if (blank(ex.hints[i])) f.fail(fmt::format("\"hints\": hint {} is empty", i + 1));
  }

  const bool needs_run = ex.ask.quantity != "parameter_count";
  if (needs_run && ex.settings.request.sentence.empty()) {
    f.fail(fmt::format("quantity \"{}\" needs a \"run\" with a \"sentence\"", ex.ask.quantity));
  }
  if (!ex.show.empty() && ex.settings.request.sentence.empty()) f.fail("shows stages, but no \"sentence\" is set");
  if (ex.ask.quantity == "dropout_scale" && !(ex.settings.request.dropout > 0.0)) {
    f.fail("quantity \"dropout_scale\" needs a \"run\" with \"dropout\" above 0");
  }
  return ex;
}

Exercise load_exercise(const fs::path& path) {
  Exercise ex = parse_exercise(read_text_file(path), path.string());
  if (ex.id != path.stem().string()) {
    throw DataError(fmt::format("{}: \"id\" is \"{}\", expected the file's name, \"{}\"", path.string(), ex.id,
                                path.stem().string()));
  }
  return ex;
}

std::vector<Exercise> load_exercises() {
  std::vector<Exercise> exercises;
  for (const fs::path& file : bundled_json_files("exercises")) exercises.push_back(load_exercise(file));
  std::stable_sort(exercises.begin(), exercises.end(),
                   [](const Exercise& a, const Exercise& b) { return a.order < b.order; });
  return exercises;
}

const Exercise& find_exercise(const std::vector<Exercise>& exercises, const std::string& id) {
  for (const Exercise& e : exercises)
    if (e.id == id) return e;
  if (all_digits(id) && id.size() <= 9) {
    const std::size_t position = std::stoul(id);
    if (position >= 1 && position <= exercises.size()) return exercises[position - 1];
  }
  std::string ids;
  for (const Exercise& e : exercises) {
    if (!ids.empty()) ids += ", ";
    ids += e.id;
  }
  throw UsageError(fmt::format("exercise \"{}\": no such exercise", id), "exercises: " + ids);
}

Answer solve(const Exercise& exercise) { return solve_run(exercise).answer; }

std::vector<Mistake> mistakes_of(const Exercise& exercise) {
  const Solved s = solve_run(exercise);
  return Mistakes(exercise, s).list();
}

Verdict check(const Exercise& exercise, const Answer& given) {
  const Solved s = solve_run(exercise);
  Verdict v;
  v.expected = s.answer;
  if (answers_match(given, s.answer, exercise.tolerance)) {
    v.correct = true;
    return v;
  }
  for (Mistake& m : Mistakes(exercise, s).list()) {
    if (answers_match(given, m.value, exercise.tolerance)) {
      v.mistake = std::move(m.name);
      v.nudge = std::move(m.nudge);
      return v;
    }
  }
  v.nudge = generic_nudge(exercise, s, given);
  return v;
}

}  // namespace attn
