// word_vector_text.hpp: GloVe and word2vec/fastText text files, one streaming
// pass (the promises are word_vectors.hpp's).
//
// A row is `word v1 ... vd`: the word ends at the first space or tab, values are
// separated by spaces or tabs, a '\r' before the '\n' and white space at the end
// (fastText's .vec) are allowed, blank lines are skipped. Each line is found with
// memchr; a row's numbers are parsed only when the row is kept, or is the first.
#pragma once

#include <string>

#include "sliding_buffer.hpp"
#include "wanted_words.hpp"

namespace attn {

// REQUIRES: `buffer` at the start of the file. `header`: the first line is
// "count dim" (word2vec-text), else there is none (glove). Throws DataError.
void read_text_vectors(SlidingBuffer& buffer, bool header, const std::string& source, WantedWords& wanted,
                       EmbeddingTable& table);

}  // namespace attn
