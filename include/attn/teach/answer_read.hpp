// answer_read.hpp: a learner's text read as an Answer (answer.hpp).
//
// An Answer is a number (0.9544), a vector (written "0.44, 0.65, 0.57",
// "[0.44 0.65 0.57]" or "(0.44; 0.65; 0.57)"), or a token ("ball"). parse_answer()
// promises to accept those spellings and to throw UsageError, saying what it
// expected, for anything else (an empty answer, "abc" where a number is due, a
// non-finite number).
//
// Spellings parse_answer() accepts, by the kind expected:
//   number  0.9544  .5  -1e-3  +2  −0.5 (the Unicode minus)  [0.9544]  2360064  2,360,064
//           Commas are thousands separators here, and only in groups of three
//           ("0,9544" is refused with a hint to write the decimal point as ".").
//   vector  components separated by commas, semicolons, spaces or x / × ("6 × 2"),
//           optionally inside one pair of [ ] or ( ); a lone number is a vector of
//           length 1. One comma, semicolon or x at most between two components.
//   token   any non-empty text; one pair of surrounding quotes ("ball", 'ball',
//           “ball”) is removed, as are spaces around it.
// Numbers and vectors may also be pasted as PyTorch prints them:
//   tensor(0.9544)  tensor([-0.0748,  0.0703], grad_fn=<SelectBackward0>)
//   tensor([[-0.0748, 0.0703]])  (a matrix of one row, over several lines too)
//   torch.Size([6, 4])
// The keyword arguments after the numbers (grad_fn=..., requires_grad=...,
// dtype=..., device=...) are ignored; a matrix of several rows is refused.
#pragma once

#include <string_view>

#include "attn/teach/answer.hpp"

namespace attn {

// `expected` is the kind of the exercise's answer: the text is read as that kind
// (a lone number may answer a vector of length 1; a token answer is any non-empty text).
// Throws UsageError whose message quotes the answer and says what was expected.
Answer parse_answer(std::string_view text, Answer::Kind expected);

}  // namespace attn
