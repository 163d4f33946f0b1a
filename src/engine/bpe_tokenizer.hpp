// bpe_tokenizer.hpp: GPT-2's byte-level BPE tokenizer, read from vocab.json and merges.txt.
//
// encode() does what OpenAI's GPT-2 encoder does, in its order:
//   1. split the text with GPT-2's pre-tokenising pattern (contractions 's 't 're 've
//      'm 'll 'd; an optional space and letters; an optional space and numbers; an
//      optional space and other characters; whitespace not followed by a non-space;
//      whitespace), run by PCRE2 with Unicode properties;
//   2. map each piece's UTF-8 bytes to GPT-2's printable byte alphabet (bytes_to_unicode:
//      a space becomes "Ġ", a newline "Ċ");
//   3. merge adjacent symbols, lowest merge rank first, until no pair has a rank;
//   4. look each symbol up in vocab.json.
// Promises: the ids are those OpenAI's encoder gives for the same vocabulary and
// merges; concatenating the tokens' bytes gives back the input exactly.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace attn {

struct BpeToken {
  int id = 0;
  std::string symbol;  // as vocab.json spells it: "Ġdog"
  std::string bytes;   // the input bytes it stands for: " dog"
  std::size_t piece = 0;  // the pre-tokenising piece it came from (step 1), from 0: a word BPE split shares one
};

class BpeTokenizer {
 public:
  // Reads vocab.json (an object of symbol → id) and merges.txt (an optional
  // "#version" line, then one "left right" pair per line). Throws DataError
  // naming the file (and line, or symbol) when either is missing or malformed,
  // when an id repeats or is negative, when a byte of the alphabet has no id,
  // and when a merge's parts or result are not in the vocabulary (vocab and
  // merges that disagree).
  static BpeTokenizer load(const std::string& vocab_path, const std::string& merges_path);

  BpeTokenizer(BpeTokenizer&&) noexcept;
  BpeTokenizer& operator=(BpeTokenizer&&) noexcept;
  ~BpeTokenizer();

  // The tokens of `text`. REQUIRES: text is valid UTF-8.
  std::vector<BpeToken> encode(std::string_view text) const;

  // The number of ids (the largest id + 1).
  std::size_t vocab_size() const;
  // The symbol and the bytes of an id; "" for an id the vocabulary lacks.
  std::string symbol_of(int id) const;
  std::string bytes_of(int id) const;

 private:
  struct Impl;
  explicit BpeTokenizer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A token's bytes as a learner reads them: a space as "·" (a leading space
// "·dog", a token of three spaces "···"), a newline as "↵", a tab as "⇥", other
// C0 control characters and DEL as "\xNN", C1 controls and the bidirectional
// controls that reorder text (unicode.hpp) as "\u0085", "\u202E", and bytes
// that are not whole UTF-8 characters (a token can hold part of an emoji) as
// "<0xF0>" each. Never empty: a token of no bytes is "∅".
std::string readable_token(std::string_view bytes);

}  // namespace attn
