// word_vector_binary.hpp: word2vec's binary format (-binary 1), one streaming
// pass (the promises are word_vectors.hpp's).
//
// A first line "count dim", then `count` records: the word's bytes up to a
// space, then dim little-endian IEEE float32 values; '\n' bytes before a word
// are skipped (word2vec writes one after each record). A word that is not kept
// is stepped over without looking at its values. Errors name the record as
// "word N" (from 1): a record cut short by the end of the file, fewer records
// than the header says or bytes after the last, a value that is not finite.
#pragma once

#include <string>

#include "sliding_buffer.hpp"
#include "wanted_words.hpp"

namespace attn {

// REQUIRES: `buffer` at the start of the file. Throws DataError.
void read_binary_vectors(SlidingBuffer& buffer, const std::string& source, WantedWords& wanted, EmbeddingTable& table);

}  // namespace attn
