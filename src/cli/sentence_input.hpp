// sentence_input.hpp: the sentence a command is given, as words on the command
// line or, for the single word "-", on standard input (as other Unix tools read "-").
#pragma once

#include <string>
#include <vector>

namespace attn {

// Whether the words are the single word "-": the sentence is on standard input.
bool sentence_on_stdin(const std::vector<std::string>& words);

// The sentence from standard input, its trailing line ends removed. Throws DataError
// past 1 MiB ("standard input: the sentence is longer than 1 MiB") or when it cannot be read.
std::string read_stdin_sentence();

// The words joined by spaces, or standard input's sentence for "-".
std::string sentence_of(const std::vector<std::string>& words);

}  // namespace attn
