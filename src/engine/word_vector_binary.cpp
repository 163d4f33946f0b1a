#include "word_vector_binary.hpp"

#include <bit>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "attn/util/error.hpp"
#include "attn/util/echo.hpp"
#include "word_vector_format.hpp"
#include "word_vector_rows.hpp"

namespace attn {

namespace {

static_assert(std::endian::native == std::endian::little, "word2vec's floats are read as the host's (little-endian)");

// Refills until `buffer` holds at least `need` unconsumed bytes; false when the file ends first.
bool have(SlidingBuffer& buffer, std::size_t need) {
  while (buffer.size() < need) {
    if (!buffer.fill()) return false;
  }
  return true;
}

// The header line; the buffer is left after its '\n'.
VectorHeader read_header(SlidingBuffer& buffer, const std::string& source) {
  std::size_t scanned = 0;
  for (;;) {
    const void* nl = std::memchr(buffer.begin() + scanned, '\n', buffer.size() - scanned);
    if (nl) {
      const char* end = static_cast<const char*>(nl);
      std::string_view line(buffer.begin(), static_cast<std::size_t>(end - buffer.begin()));
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      const VectorHeader h = check_header(line, source);
      buffer.consume_to(end + 1);
      return h;
    }
    scanned = buffer.size();
    if (scanned > 256 || !buffer.fill()) {
      if (buffer.size() == 0) throw DataError(fmt::format("{}: the file is empty", source));
      check_header(std::string_view(buffer.begin(), std::min<std::size_t>(buffer.size(), 256)), source);
      throw DataError(fmt::format("{}: line 1: the header ends without a new line", source));
    }
  }
}

// Skips '\n' (and '\r') before a word; false at the end of the file.
bool skip_newlines(SlidingBuffer& buffer) {
  for (;;) {
    const char* p = buffer.begin();
    while (p < buffer.end() && (*p == '\n' || *p == '\r')) ++p;
    buffer.consume_to(p);
    if (buffer.size() > 0) return true;
    if (!buffer.fill()) return false;
  }
}

// The length of the word at the front of the buffer (up to its space).
// Where a record is, for a message: built only when one is thrown.
struct Record {
  const std::string& source;
  std::uint64_t number;
  std::string where() const { return fmt::format("{}: word {}", source, number); }
};

std::size_t word_length(SlidingBuffer& buffer, const Record& record) {
  std::size_t scanned = 0;
  for (;;) {
    if (const void* sp = std::memchr(buffer.begin() + scanned, ' ', buffer.size() - scanned)) {
      return static_cast<std::size_t>(static_cast<const char*>(sp) - buffer.begin());
    }
    scanned = buffer.size();
    if (scanned > kLongestVectorLine) {
      throw DataError(fmt::format("{}: longer than 16 MiB; no word is that long", record.where()));
    }
    if (!buffer.fill()) {
      throw DataError(fmt::format("{}: cut short: the file ends before the space after the word", record.where()));
    }
  }
}

void read_record(SlidingBuffer& buffer, std::size_t dim, const Record& record, WantedWords& wanted,
                 EmbeddingTable& table) {
  const std::size_t length = word_length(buffer, record);
  if (length == 0) {
    throw DataError(fmt::format("{}: the word is empty (a space where a word should start)", record.where()));
  }
  const std::size_t bytes = 4 * dim;
  const bool complete = have(buffer, length + 1 + bytes);
  const std::string_view word(buffer.begin(), length);
  if (!is_utf8_word(word)) throw_not_utf8(word, record.where());
  if (!complete) {
    throw DataError(fmt::format("{}: \"{}\" is cut short: the file ends after {} of its {} bytes of values", record.where(),
                                printable(word), buffer.size() - length - 1, bytes));
  }
  if (wanted.wants(word)) {
    std::vector<float> v(dim);
    std::memcpy(v.data(), buffer.begin() + length + 1, bytes);
    for (std::size_t i = 0; i < dim; ++i) {
      if (!std::isfinite(v[i])) {
        throw DataError(fmt::format("{}: value {} of \"{}\" is {}, not a finite float32 number", record.where(), i,
                                    printable(word), v[i]));
      }
    }
    wanted.keep(word, std::move(v), table);
  }
  buffer.consume_to(buffer.begin() + length + 1 + bytes);
}

}  // namespace

void read_binary_vectors(SlidingBuffer& buffer, const std::string& source, WantedWords& wanted,
                         EmbeddingTable& table) {
  const VectorHeader header = read_header(buffer, source);
  table.dim = header.dim;
  for (std::uint64_t record = 1; record <= header.count; ++record) {
    if (!skip_newlines(buffer)) {
      throw DataError(fmt::format("{}: the header says {} words, the file ends after {}", source, header.count,
                                  record - 1));
    }
    read_record(buffer, header.dim, Record{source, record}, wanted, table);
    if (wanted.complete()) return;
  }
  if (skip_newlines(buffer)) {
    throw DataError(fmt::format("{}: more bytes after the header's {} words", source, header.count),
                    "the header's count is less than the words in the file");
  }
}

}  // namespace attn
