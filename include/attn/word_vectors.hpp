// word_vectors.hpp: word-vector files (GloVe, word2vec, fastText) as embedding
// tables, read in one streaming pass that keeps only the words a run needs.
//
// The formats (docs/word-vectors.md):
//   glove          text, no header: `word v1 v2 ... vd` per line (glove.6B.50d.txt)
//   word2vec-text  text with a first line `count dim`, then rows as GloVe's
//                  (word2vec -binary 0, fastText's .vec)
//   word2vec-bin   a first line `count dim`, then per word: its bytes up to a
//                  space, dim little-endian float32, optionally '\n'
//                  (GoogleNews-vectors-negative300.bin)
//   json           our own table format (docs/table-format.md), read as before
//   auto           a file named *.json is json; otherwise decided from the first
//                  bytes: '{' or '[' is json; a first line of two
//                  whole numbers is a header, then word2vec-text when the first
//                  row after it reads as text numbers, else word2vec-bin; anything
//                  else is glove.
//
// Promises of load_embeddings() / parse_word_vectors():
//   - The table holds, for each wanted word, the row spelled exactly so and the
//     first row spelled so ignoring ASCII case (when the file has them), each
//     once, in file order; EmbeddingTable::find() then prefers the exact spelling.
//   - The pass stops early once every wanted word has been found in its own
//     spelling or in lower case (GloVe is lower case): a row with the exact
//     spelling after that point is not seen.
//   - Memory stays bounded by the wanted rows plus a buffer of a few MiB
//     (a line may be at most kLongestVectorLine bytes), whatever the file's size.
//   - The first row is always read whole (it fixes a GloVe file's width); other
//     rows' numbers are read only when the row is kept. A row that is read and
//     is bad, a bad header, a word that is not UTF-8 (every word is checked),
//     a header count that disagrees with the rows of a file read to its end, a
//     truncated binary record: DataError naming the file and the line (the
//     record for binary files).
//   - The table has no weights; `source` is the file as given, `name` its stem.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "attn/embedding_table.hpp"
#include "attn/settings.hpp"

namespace attn {

enum class VectorFormat { automatic, json, glove, word2vec_text, word2vec_bin };

inline constexpr Named<VectorFormat> kVectorFormatNames[] = {
    {VectorFormat::automatic, "auto"},
    {VectorFormat::json, "json"},
    {VectorFormat::glove, "glove"},
    {VectorFormat::word2vec_text, "word2vec-text"},
    {VectorFormat::word2vec_bin, "word2vec-bin"}};

// The longest line (or binary word) read: far beyond 4096 values of any spelling.
inline constexpr std::size_t kLongestVectorLine = std::size_t{16} << 20;  // 16 MiB

// Called as the file is read: bytes read so far, and the file's size (0 when
// unknown, as for a pipe). The engine prints nothing; the CLI draws a bar.
using ReadProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

struct VectorRequest {
  std::vector<std::string> words;  // the words wanted (a sentence's tokens)
  VectorFormat format = VectorFormat::automatic;
  ReadProgress progress;  // may be empty
};

// The format `automatic` resolves to for a file that starts with `head` (its
// first bytes; a few KiB are plenty).
VectorFormat detect_vector_format(std::string_view head);

// Reads a table file of any format: json through load_table(), the others
// streamed. Throws DataError (and UsageError never).
EmbeddingTable load_embeddings(const std::filesystem::path& path, const VectorRequest& request);

// The same on bytes in memory (tests, the fuzzer); `source` names them in messages.
// A json format (asked for or detected) goes through parse_table().
EmbeddingTable parse_word_vectors(std::string_view bytes, const std::string& source, const VectorRequest& request);

// The tokens of a sentence, as the explorer splits it: the words to look up.
std::vector<std::string> sentence_tokens(std::string_view sentence);

// W_query, W_key, W_value as a run with --projection rand or linear (no bias) and
// --seed `seed` draws them for a table of width d_in (one head, the wrapper):
// a table with these weights under --projection table gives that run's numbers.
// REQUIRES: projection is rand or linear; 1 ≤ d_in, d_out ≤ kLargestWidth.
TableWeights draw_table_weights(Projection projection, std::size_t d_in, std::size_t d_out, std::uint64_t seed);

}  // namespace attn
