// fuzz_word_vectors: attn::parse_word_vectors on any bytes, in every format.
// The first byte picks the format (auto, glove, word2vec-text, word2vec-bin)
// and which words are wanted (a few common ones, or the first word of the
// input, so that kept rows are parsed too); the rest is the file. The reader
// either throws DataError or returns a table that keeps embedding_table.hpp's
// promises for what it kept: 1 ≤ dim ≤ 4096, unique non-empty words, each
// found again, each vector exactly dim finite floats, and (when the format is
// named, so never a whole JSON table) every kept word one that was wanted,
// exactly or ignoring ASCII case. A broken promise aborts.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "attn/util/error.hpp"
#include "attn/word_vectors.hpp"

namespace {

#define CHECK(cond)                \
  do {                             \
    if (!(cond)) __builtin_trap(); \
  } while (0)

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t control = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  static const attn::VectorFormat kFormats[] = {attn::VectorFormat::automatic, attn::VectorFormat::glove,
                                                attn::VectorFormat::word2vec_text, attn::VectorFormat::word2vec_bin};
  attn::VectorRequest request;
  request.format = kFormats[control & 3];
  request.words = {"the", "Your", "a"};
  if (control & 4) {
    // The input's first word (after a header line, if any), wanted too.
    std::string_view rest = text;
    if (control & 8) {
      const std::size_t nl = rest.find('\n');
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    }
    const std::size_t end = rest.find_first_of(" \t\n");
    request.words.emplace_back(rest.substr(0, end == std::string_view::npos ? rest.size() : end));
  }
  attn::EmbeddingTable table;
  try {
    table = attn::parse_word_vectors(text, "fuzz.vec", request);
  } catch (const attn::DataError&) {
    return 0;
  }
  if (table.size() == 0) return 0;
  CHECK(table.dim >= 1 && table.dim <= 4096);
  std::set<std::string> wanted;
  for (const std::string& w : request.words) wanted.insert(attn::ascii_lower(w));
  std::set<std::string> seen;
  for (const std::string& word : table.words()) {
    CHECK(!word.empty());
    CHECK(seen.insert(word).second);
    if (request.format != attn::VectorFormat::automatic) CHECK(wanted.count(attn::ascii_lower(word)) == 1);
    const std::vector<float>* v = table.find(word);
    CHECK(v != nullptr && v->size() == table.dim);
    for (float x : *v) CHECK(std::isfinite(x));
  }
  return 0;
}
