// wanted_words.hpp: which rows of a word-vector file a run keeps, and when it
// has them all.
//
// For each wanted word w a file may give two rows: the one spelled exactly w,
// and the first one spelled w ignoring ASCII case (GloVe's "your" for "Your").
// Both are kept, each once (a later duplicate of a kept spelling is not), so
// that EmbeddingTable::find() on the result answers as it would on the whole
// file, exact spelling first. complete() is true once every wanted word has
// its exact row or its lower-case row: then the scan may stop.
//
// wants() is the scanner's fast path: most rows of a big file are rejected by
// the length of their word alone, without hashing it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "attn/embedding_table.hpp"

namespace attn {

class WantedWords {
 public:
  explicit WantedWords(const std::vector<std::string>& words);

  // Whether a row spelled `word` is to be kept.
  bool wants(std::string_view word) {
    const std::size_t n = word.size();
    if (n < 64 ? !((lengths_ >> n) & 1u) : !long_words_) return false;
    return wants_slow(word);
  }

  // Adds a row that wants() accepted to `table`.
  void keep(std::string_view word, std::vector<float> vector, EmbeddingTable& table);

  bool complete() const { return missing_ == 0; }
  bool empty() const { return words_.empty(); }

 private:
  bool wants_slow(std::string_view word);
  void satisfy(std::size_t index);

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Set = std::unordered_set<std::string, Hash, std::equal_to<>>;
  template <class T>
  using Map = std::unordered_map<std::string, T, Hash, std::equal_to<>>;

  std::vector<std::string> words_;               // unique
  Map<std::size_t> exact_;                       // a word as spelled → its index in words_
  Map<std::vector<std::size_t>> folded_;         // an ASCII lower-case form → the words that have it
  std::vector<bool> found_;                      // words_[i] has its exact or its lower-case row
  Set kept_exact_;                  // spellings kept
  Set kept_folded_;                 // lower-case forms that have a row
  std::uint64_t lengths_ = 0;       // bit n: some wanted word has n bytes (n < 64)
  bool long_words_ = false;         // some wanted word has 64 bytes or more
  std::size_t missing_ = 0;
  std::string lowered_;             // scratch
};

}  // namespace attn
