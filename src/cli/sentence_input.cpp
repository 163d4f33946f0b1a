// The sentence from the command line or standard input. See sentence_input.hpp.
#include "sentence_input.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "attn/settings.hpp"
#include "attn/util/error.hpp"

namespace attn {

namespace {

constexpr std::size_t kMaxStdinBytes = 1 << 20;

}  // namespace

bool sentence_on_stdin(const std::vector<std::string>& words) { return words.size() == 1 && words[0] == "-"; }

std::string read_stdin_sentence() {
  std::string text;
  char buffer[65536];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, stdin)) > 0) {
    text.append(buffer, got);
    if (text.size() > kMaxStdinBytes) {
      throw DataError("standard input: the sentence is longer than 1 MiB",
                      fmt::format("give a sentence of at most --max-tokens tokens (at most {})", kLargestMaxTokens));
    }
  }
  if (std::ferror(stdin)) throw DataError("standard input: cannot read");
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

std::string sentence_of(const std::vector<std::string>& words) {
  if (sentence_on_stdin(words)) return read_stdin_sentence();
  std::string sentence;
  for (const std::string& w : words) sentence += (sentence.empty() ? "" : " ") + w;
  return sentence;
}

}  // namespace attn
