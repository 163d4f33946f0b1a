#include "attn/token_lookup.hpp"

#include <fmt/format.h>

#include "attn/util/error.hpp"
#include "bpe_tokenizer.hpp"
#include "attn/util/echo.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

namespace {

constexpr std::size_t kMaxLabel = 14;   // longer tokens are cut with "…"
constexpr std::size_t kHintWidth = 96;  // the width of the token list

bool ascii_iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

std::string token_list(const std::vector<std::string>& tokens) {
  std::vector<std::string> items;
  for (std::size_t i = 0; i < tokens.size(); ++i) items.push_back(fmt::format("{} {}", i + 1, elide(display_escape(tokens[i]), kMaxLabel)));
  std::string all = "tokens: ";
  for (std::size_t i = 0; i < items.size(); ++i) all += (i ? ", " : "") + items[i];
  if (display_width(all) <= kHintWidth || items.size() < 3) return all;
  const std::string tail = ", …, " + items.back();
  std::string line = "tokens: " + items.front();
  for (std::size_t i = 1; i + 1 < items.size(); ++i) {
    if (display_width(line) + 2 + display_width(items[i]) + display_width(tail) > kHintWidth) break;
    line += ", " + items[i];
  }
  return line + tail;
}

std::size_t find_focus(const Trace& trace, std::string_view spec) {
  const std::vector<std::string>& tokens = trace.tokens;
  // Nothing names no token (not the space token "·" of a model that has one).
  if (spec.empty()) {
    throw UsageError(fmt::format("{} \"{}\": not a token of the sentence", key_ref("focus"), spec), token_list(tokens),
                     "focus");
  }
  for (std::size_t i = 0; i < tokens.size(); ++i)
    if (tokens[i] == spec) return i;
  for (std::size_t i = 0; i < tokens.size(); ++i)
    if (ascii_iequal(tokens[i], spec)) return i;
  // A model's token shows its leading space as "·" ("·it"): "it" names it too.
  const std::string dotted = after_space(spec);
  for (std::size_t i = 0; i < tokens.size(); ++i)
    if (ascii_iequal(tokens[i], dotted)) return i;
  const std::string text(spec);
  if (!spec.empty() && spec.find_first_not_of("0123456789") == std::string_view::npos) {
    // More digits than any sentence has tokens is simply out of range (and cannot overflow).
    const std::size_t position = spec.size() > 9 ? 0 : std::stoul(text);
    if (position >= 1 && position <= tokens.size()) return position - 1;
    throw UsageError(fmt::format("{} {}: the sentence has {} token{}{}", key_ref("focus"), text, tokens.size(),
                                 tokens.size() == 1 ? "" : "s", position == 0 && spec.size() <= 9 ? " (positions count from 1)" : ""),
                     token_list(tokens), "focus");
  }
  throw UsageError(fmt::format("{} \"{}\": not a token of the sentence", key_ref("focus"), printable(text)), token_list(tokens),
                   "focus");
}

}  // namespace attn
