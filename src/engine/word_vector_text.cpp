#include "word_vector_text.hpp"

#include <cstring>
#include <optional>

#include <fmt/format.h>

#include "attn/util/error.hpp"
#include "attn/util/echo.hpp"
#include "word_vector_format.hpp"
#include "word_vector_rows.hpp"

namespace attn {

namespace {

bool is_field_gap(char c) { return c == ' ' || c == '\t'; }

class TextScan {
 public:
  TextScan(bool header, const std::string& source, WantedWords& wanted, EmbeddingTable& table)
      : expect_header_(header), source_(source), wanted_(wanted), table_(table) {}

  // One line, without its '\n'.
  void row(const char* p, const char* e);
  // Once the first row is read, every word found: the rest need not be read.
  bool done() const { return rows_ > 0 && wanted_.complete(); }
  std::uint64_t line() const { return line_; }
  // At the end of the file: the checks that need all of it.
  void finish() const;

 private:
  std::string where() const { return fmt::format("{}: line {}", source_, line_); }
  void read_values(const char* p, const char* e, std::string_view word);

  bool expect_header_;
  const std::string& source_;
  WantedWords& wanted_;
  EmbeddingTable& table_;
  std::optional<VectorHeader> header_;
  std::size_t dim_ = 0;  // 0 until the header or the first row says
  std::uint64_t line_ = 0;
  std::uint64_t rows_ = 0;
  std::uint64_t first_row_line_ = 0;
  std::vector<float> values_;
};

void TextScan::row(const char* p, const char* e) {
  ++line_;
  if (e > p && e[-1] == '\r') --e;
  if (line_ == 1 && expect_header_) {
    header_ = check_header(std::string_view(p, static_cast<std::size_t>(e - p)), source_);
    dim_ = header_->dim;
    table_.dim = dim_;
    return;
  }
  const char* word_end = p;
  while (word_end < e && !is_field_gap(*word_end)) ++word_end;
  if (word_end == p) {
    while (p < e && is_field_gap(*p)) ++p;
    if (p == e) return;  // a blank line
    throw DataError(fmt::format("{}: the line starts with white space, expected a word first", where()));
  }
  const std::string_view word(p, static_cast<std::size_t>(word_end - p));
  if (!is_utf8_word(word)) throw_not_utf8(word, where());
  ++rows_;
  const bool keep = wanted_.wants(word);
  if (!keep && rows_ > 1) return;  // the fast path: no number is parsed
  read_values(word_end, e, word);
  if (keep) wanted_.keep(word, values_, table_);
}

void TextScan::read_values(const char* p, const char* e, std::string_view word) {
  const std::string here = where();
  values_.clear();
  for (;;) {
    while (p < e && is_field_gap(*p)) ++p;
    if (p == e) break;
    const char* start = p;
    while (p < e && !is_field_gap(*p)) ++p;
    values_.push_back(text_value(std::string_view(start, static_cast<std::size_t>(p - start)), values_.size(), word, here));
  }
  if (values_.empty()) {
    throw DataError(fmt::format("{}: \"{}\" has no values, expected a word and then its numbers", where(), printable(word)));
  }
  if (header_ && values_.size() != dim_) {
    throw DataError(fmt::format("{}: \"{}\" has {} values, expected {} (the header's dim)", where(), printable(word),
                                values_.size(), dim_));
  }
  if (dim_ == 0) {
    if (values_.size() > kLargestWidth) {
      throw DataError(fmt::format("{}: \"{}\" has {} values, more than the limit of {}", where(), printable(word),
                                  values_.size(), kLargestWidth));
    }
    dim_ = values_.size();
    first_row_line_ = line_;
    table_.dim = dim_;
  } else if (values_.size() != dim_) {
    throw DataError(fmt::format("{}: \"{}\" has {} values, expected {} (as on line {})", where(), printable(word),
                                values_.size(), dim_, first_row_line_));
  }
}

void TextScan::finish() const {
  if (rows_ == 0 && !header_) throw DataError(fmt::format("{}: the file is empty", source_));
  if (header_ && rows_ != header_->count) {
    throw DataError(fmt::format("{}: the header says {} words, the file has {} rows", source_, header_->count, rows_));
  }
}

[[noreturn]] void too_long(const std::string& source, std::uint64_t line) {
  throw DataError(fmt::format("{}: line {}: longer than 16 MiB; no word vector is that long", source, line));
}

}  // namespace

void read_text_vectors(SlidingBuffer& buffer, bool header, const std::string& source, WantedWords& wanted,
                       EmbeddingTable& table) {
  TextScan scan(header, source, wanted, table);
  for (;;) {
    const char* p = buffer.begin();
    const char* const e = buffer.end();
    while (const void* found = std::memchr(p, '\n', static_cast<std::size_t>(e - p))) {
      const char* nl = static_cast<const char*>(found);
      if (static_cast<std::size_t>(nl - p) > kLongestVectorLine) too_long(source, scan.line() + 1);
      scan.row(p, nl);
      p = nl + 1;
      if (scan.done()) return;
    }
    buffer.consume_to(p);
    if (buffer.size() > kLongestVectorLine) too_long(source, scan.line() + 1);
    if (!buffer.fill()) {
      if (buffer.size() > 0) scan.row(buffer.begin(), buffer.end());  // the last line, without '\n'
      if (scan.done()) return;
      break;
    }
  }
  scan.finish();
}

}  // namespace attn
