// token_lookup.hpp: finding a token of a run by what a learner types.
//
// --focus, a lesson's "focus" and an exercise's "token" name a token by its
// text or its position; find_focus() turns that into a row of the Trace, and
// token_list() is the line that lists the tokens when the name fits none.
// A model's token after a space reads "·ball" (readable_token(), bpe_tokenizer.cpp);
// after_space() is how a learner's "ball" names it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "attn/trace.hpp"

namespace attn {

// How readable_token() shows a space: "·".
inline constexpr std::string_view kSpaceMark = "·";

// What a learner types for a token after a space ("ball") as readable_token()
// shows it ("·ball"): every place that lets "ball" name "·ball" asks this.
inline std::string after_space(std::string_view word) { return std::string(kSpaceMark) + std::string(word); }

// The 0-based row of the token `spec` names, tried in this order: a token whose
// text equals spec exactly, then one equal to it ignoring ASCII case (the first
// occurrence either way), then a model's token of spec after a space ("·it" for
// "it", ignoring case), then, if spec is all digits, the 1-based position
// ("2" is the book's x(2), row 1).
// Throws UsageError (exit code 2) otherwise:
//   --focus "cat": not a token of the sentence
//   --focus 9: the sentence has 5 tokens
// with a hint listing the tokens and their positions (tokens: 1 How, 2 are, …).
// REQUIRES: nothing; any spec may be passed.
std::size_t find_focus(const Trace& trace, std::string_view spec);

// "tokens: 1 How, 2 are, 3 you, …, 5 ?": the tokens with their 1-based
// positions, long tokens elided, cut with "…" before the last to stay within
// 96 terminal columns.
std::string token_list(const std::vector<std::string>& tokens);

}  // namespace attn
