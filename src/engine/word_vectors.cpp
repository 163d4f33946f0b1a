#include "attn/word_vectors.hpp"

#include <fmt/format.h>

#include "attn/util/error.hpp"
#include "attn/util/byte_source.hpp"
#include "parameters.hpp"
#include "sliding_buffer.hpp"
#include "attn/util/text_file.hpp"
#include "tokenizer.hpp"
#include "torch_random.hpp"
#include "wanted_words.hpp"
#include "word_vector_binary.hpp"
#include "word_vector_text.hpp"

namespace attn {

namespace {

constexpr std::size_t kDetectBytes = 4096;  // what detection looks at: a header and the start of a row
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";  // U+FEFF in UTF-8

// The rest of a JSON table, after the bytes already in `buffer`, as load_table() reads it.
EmbeddingTable read_json_table(SlidingBuffer& buffer, const std::string& source, const std::string& name) {
  std::string text(buffer.begin(), buffer.size());
  buffer.consume_to(buffer.end());
  while (buffer.fill()) {
    text.append(buffer.begin(), buffer.size());
    buffer.consume_to(buffer.end());
    if (text.size() > kMaxInputFileBytes) {
      throw DataError(source + ": larger than 64 MiB; this is not a file attn-explain reads");
    }
  }
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) throw DataError(source + ": the file is empty");
  EmbeddingTable table = parse_table(text, source);
  if (table.name.empty()) table.name = name;
  return table;
}

EmbeddingTable read_vectors(ByteSource& bytes, const std::string& source, const std::string& name,
                            const VectorRequest& request) {
  SlidingBuffer buffer(bytes, request.progress);
  while (buffer.size() < kDetectBytes && buffer.fill()) {
  }
  if (buffer.size() == 0) throw DataError(fmt::format("{}: the file is empty", source));
  // A UTF-8 byte-order mark (an editor's) is not part of the first word. A JSON
  // table keeps it: the JSON reader skips it and counts its columns.
  const std::size_t bom = std::string_view(buffer.begin(), buffer.size()).rfind(kByteOrderMark, 0) == 0 ? 3 : 0;
  VectorFormat format = request.format;
  if (format == VectorFormat::automatic) {
    format = detect_vector_format(std::string_view(buffer.begin() + bom, std::min(buffer.size(), kDetectBytes) - bom));
  }
  if (format == VectorFormat::json) return read_json_table(buffer, source, name);
  buffer.consume_to(buffer.begin() + bom);
  if (buffer.size() == 0) throw DataError(fmt::format("{}: the file is empty", source));

  EmbeddingTable table;
  table.source = source;
  table.name = name;
  table.description = fmt::format("the sentence's words from {} ({})", source, name_of(kVectorFormatNames, format));
  WantedWords wanted(request.words);
  if (format == VectorFormat::word2vec_bin) {
    read_binary_vectors(buffer, source, wanted, table);
  } else {
    read_text_vectors(buffer, format == VectorFormat::word2vec_text, source, wanted, table);
  }
  return table;
}

}  // namespace

EmbeddingTable load_embeddings(const std::filesystem::path& path, const VectorRequest& request) {
  // A .json file is a table whatever it starts with, so that its errors are a table's.
  if (request.format == VectorFormat::json || (request.format == VectorFormat::automatic && path.extension() == ".json")) {
    return load_table(path);
  }
  const auto bytes = open_file_source(path);
  return read_vectors(*bytes, path.string(), path.stem().string(), request);
}

EmbeddingTable parse_word_vectors(std::string_view bytes, const std::string& source, const VectorRequest& request) {
  const auto memory = memory_source(bytes);
  return read_vectors(*memory, source, source, request);
}

std::vector<std::string> sentence_tokens(std::string_view sentence) {
  std::vector<std::string> words;
  for (const Token& t : tokenize(sentence)) words.push_back(t.text);
  return words;
}

TableWeights draw_table_weights(Projection projection, std::size_t d_in, std::size_t d_out, std::uint64_t seed) {
  // As explore() draws them: torch.manual_seed(seed), then the one head's three weights.
  TorchGenerator gen(seed);
  const EmbeddingTable no_table;
  std::optional<Parameters> p = make_parameters(projection, d_in, d_out, false, no_table, gen);
  return TableWeights{std::move(p->W_query), std::move(p->W_key), std::move(p->W_value)};
}

}  // namespace attn
