// bpe_tokenizer.cpp: GPT-2's byte-level BPE (see bpe_tokenizer.hpp), on PCRE2.
//
// The reference is OpenAI's encoder.py, which runs the pattern with Python's
// `regex` module. Three engines read its classes differently:
//   - \s in Python's `regex` is the Unicode White_Space property (25 code points).
//   - \s in PCRE2 with PCRE2_UCP is \p{Z}, \h and \v, which adds U+180E MONGOLIAN
//     VOWEL SEPARATOR (a format character since Unicode 6.3, not White_Space).
//   - \s in JavaScript (the npm package gpt-3-encoder that the tests compare with)
//     lacks U+0085 NEXT LINE and adds U+FEFF ZERO WIDTH NO-BREAK SPACE.
// So the pattern below spells \s as Python's set, the Unicode White_Space
// property (unchanged since Unicode 6.3 took U+180E out), written as a class: the
// same 25 code points as PCRE2's \p{White_Space}, which only PCRE2 10.40 and
// later know. Where the npm package differs (U+0085, U+FEFF), this code does what
// Python does; the tests' corpus leaves those two characters out, and
// bpe_tokenizer_test.cpp checks them.
//
// \p{L} and \p{N} come from PCRE2's Unicode tables: Debian 12's PCRE2 10.42 has
// Unicode 14, so a letter or digit first assigned in a later Unicode version
// (CJK Extension H, Kawi, ...) counts as "other" here and as a letter for an
// encoder with newer tables. Every character GPT-2 saw in training (2019) is
// older than that.
#include "bpe_tokenizer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <new>
#include <stdexcept>
#include <unordered_map>
#include <utility>

// PCRE2's API for 8-bit code units (UTF-8 with PCRE2_UTF).
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "attn/token_lookup.hpp"  // kSpaceMark
#include "attn/util/error.hpp"
#include "attn/util/echo.hpp"
#include "attn/util/json_file.hpp"
#include "attn/util/text_file.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

namespace {

// encoder.py's pattern,
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// with \s the White_Space class and \S its complement.
std::string gpt2_pattern() {
  const std::string space =
      R"(\t\n\x{0B}\f\r\x{20}\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000})";
  return R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^)" + space + R"(\p{L}\p{N}]+|[)" + space +
         "]+(?![^" + space + "])|[" + space + "]+";
}

// The largest id accepted, so that vocab_size() (the largest id + 1) is an int.
constexpr std::int64_t kMaxId = std::numeric_limits<int>::max() - 1;

struct CodeDeleter {
  void operator()(pcre2_code* code) const { pcre2_code_free(code); }
};
struct MatchDataDeleter {
  void operator()(pcre2_match_data* data) const { pcre2_match_data_free(data); }
};
using MatchData = std::unique_ptr<pcre2_match_data, MatchDataDeleter>;

std::string pcre2_message(int code) {
  PCRE2_UCHAR buffer[256];
  if (pcre2_get_error_message(code, buffer, sizeof buffer) < 0) return fmt::format("PCRE2 error {}", code);
  return reinterpret_cast<const char*>(buffer);
}

// The pattern, compiled once for the program (a compiled pattern may be shared
// between threads; each match gets its own match data). JIT-compiled when PCRE2
// has a JIT for this machine; the interpreter runs it otherwise.
struct Pattern {
  std::unique_ptr<pcre2_code, CodeDeleter> code;
  bool jit = false;

  Pattern() {
    int error = 0;
    PCRE2_SIZE offset = 0;
    const std::string text = gpt2_pattern();
    code.reset(pcre2_compile(reinterpret_cast<PCRE2_SPTR>(text.c_str()), text.size(), PCRE2_UTF | PCRE2_UCP,
                             &error, &offset, nullptr));
    if (!code) {
      throw std::logic_error(
          fmt::format("GPT-2's pattern does not compile at offset {}: {}", offset, pcre2_message(error)));
    }
    jit = pcre2_jit_compile(code.get(), PCRE2_JIT_COMPLETE) == 0;
  }
};

const Pattern& pattern() {
  static const Pattern compiled;
  return compiled;
}

// GPT-2's bytes_to_unicode: the code point that stands for byte b in a symbol.
// The printable bytes '!'..'~', '¡'..'¬' and '®'..'ÿ' stand for themselves; the
// other 68 bytes, in increasing order, for U+0100, U+0101, ... U+0143.
std::array<char32_t, 256> make_byte_alphabet() {
  std::array<char32_t, 256> alphabet{};
  char32_t next = 256;
  for (int b = 0; b < 256; ++b) {
    const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    alphabet[static_cast<std::size_t>(b)] = printable ? static_cast<char32_t>(b) : next++;
  }
  return alphabet;
}

const std::array<char32_t, 256>& byte_alphabet() {
  static const std::array<char32_t, 256> alphabet = make_byte_alphabet();
  return alphabet;
}

std::string utf8_of(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

// The bytes a symbol stands for: each character of the byte alphabet is its
// byte; any other character (a symbol no merge makes, such as an added token)
// stands for its own UTF-8.
std::string bytes_of_symbol(std::string_view symbol) {
  static const std::unordered_map<char32_t, unsigned char> byte_of = [] {
    std::unordered_map<char32_t, unsigned char> map;
    for (int b = 0; b < 256; ++b)
      map.emplace(byte_alphabet()[static_cast<std::size_t>(b)], static_cast<unsigned char>(b));
    return map;
  }();
  std::string out;
  for (std::size_t i = 0; i < symbol.size();) {
    const CodePoint c = decode_utf8(symbol, i);
    const std::size_t len = c.len == 0 ? 1 : c.len;
    const auto it = c.len == 0 ? byte_of.end() : byte_of.find(c.cp);
    if (it != byte_of.end()) {
      out += static_cast<char>(it->second);
    } else {
      out.append(symbol.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::uint64_t pair_key(int left, int right) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(left)) << 32) |
         static_cast<std::uint32_t>(right);
}

}  // namespace

struct BpeTokenizer::Impl {
  struct Entry {
    int id = 0;
    std::string symbol;
    std::string bytes;
  };
  struct Merge {
    std::size_t rank = 0;
    int result = 0;        // an index into entries
    std::size_t line = 0;  // of merges.txt, for messages
  };

  std::vector<Entry> entries;  // in vocab.json's order; BPE works on indices into it
  std::unordered_map<std::string, int> index_of_symbol;
  std::unordered_map<int, int> index_of_id;
  std::array<int, 256> index_of_byte{};
  std::unordered_map<std::uint64_t, Merge> merges;  // (left, right) indices → rank, result
  std::size_t vocab_size = 0;

  void load_vocab(const std::string& path);
  template <typename Refuse>
  void add_symbol(const std::string& path, const std::string& symbol, const nlohmann::json& value,
                  const Refuse& refuse_id);
  void load_merges(const std::string& path, const std::string& vocab_path);
  void add_merge(std::string_view line, std::size_t line_number, std::size_t rank, const std::string& path,
                 const std::string& vocab_path);
  void merge_piece(std::string_view piece, std::vector<BpeToken>& out) const;
};

// vocab.json is read as it is parsed: each symbol → id pair is taken when the
// parser reaches it and then dropped from the document, so that 50,000 entries
// make no tree of JSON values (and no second copy of every symbol).
void BpeTokenizer::Impl::load_vocab(const std::string& path) {
  const std::string text = read_text_file(path);
  const std::size_t expected = std::min<std::size_t>(text.size() / 12, std::size_t{1} << 20);  // ~20 bytes a pair
  index_of_symbol.reserve(expected);
  entries.reserve(expected);
  std::string symbol;  // the key whose id comes next
  const auto refuse_id = [&](const std::string& what) {
    throw DataError(fmt::format("{}: the id of \"{}\" is {}, expected a whole number from 0 to {}", path,
                                printable(symbol), printable(what), kMaxId));
  };
  auto callback = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    const bool starts = event == Event::object_start || event == Event::array_start;
    if (depth == 0 && (event == Event::array_start || event == Event::value)) {
      throw DataError(fmt::format("{}: the vocabulary is {}, expected a JSON object of symbol → id", path,
                                  event == Event::array_start ? "an array" : json_type_name(parsed)));
    }
    if (depth == 1 && starts) refuse_id(event == Event::object_start ? "an object" : "an array");
    if (depth == 1 && event == Event::key) {
      symbol = parsed.get_ref<const std::string&>();
      return false;  // no place for its value in the document: the value still comes, below
    }
    if (depth == 1 && event == Event::value) {
      add_symbol(path, symbol, parsed, refuse_id);
      return false;  // taken: not kept in the document
    }
    return true;
  };
  parse_json(text, path, callback);
  for (int b = 0; b < 256; ++b) {
    const std::string byte_symbol = utf8_of(byte_alphabet()[static_cast<std::size_t>(b)]);
    const auto it = index_of_symbol.find(byte_symbol);
    if (it == index_of_symbol.end()) {
      throw DataError(fmt::format("{}: no id for \"{}\", the symbol of byte 0x{:02X}", path, byte_symbol, b));
    }
    index_of_byte[static_cast<std::size_t>(b)] = it->second;
  }
}

template <typename Refuse>
void BpeTokenizer::Impl::add_symbol(const std::string& path, const std::string& symbol,
                                    const nlohmann::json& value, const Refuse& refuse_id) {
  if (!value.is_number_integer()) refuse_id(value.dump());
  const std::int64_t id = value.is_number_unsigned() && value.get<std::uint64_t>() > std::uint64_t(kMaxId)
                              ? kMaxId + 1
                              : value.get<std::int64_t>();
  if (id < 0 || id > kMaxId) refuse_id(value.dump());
  const int index = static_cast<int>(entries.size());
  if (!index_of_symbol.emplace(symbol, index).second) {
    throw DataError(fmt::format("{}: duplicate key \"{}\"", path, printable(symbol)));
  }
  const auto [at, fresh] = index_of_id.emplace(static_cast<int>(id), index);
  if (!fresh) {
    throw DataError(fmt::format("{}: \"{}\" and \"{}\" have the same id {}", path,
                                printable(entries[static_cast<std::size_t>(at->second)].symbol),
                                printable(symbol), id));
  }
  entries.push_back(Entry{static_cast<int>(id), symbol, bytes_of_symbol(symbol)});
  vocab_size = std::max(vocab_size, static_cast<std::size_t>(id) + 1);
}

void BpeTokenizer::Impl::add_merge(std::string_view line, std::size_t line_number, std::size_t rank,
                                   const std::string& path, const std::string& vocab_path) {
  const std::size_t space = line.find(' ');
  if (space == 0 || space == std::string_view::npos || space + 1 == line.size() ||
      line.find(' ', space + 1) != std::string_view::npos) {
    throw DataError(fmt::format("{}:{}: expected two symbols separated by a space, got \"{}\"", path,
                                line_number, printable(line)));
  }
  const std::string left(line.substr(0, space));
  const std::string right(line.substr(space + 1));
  const std::string merged = left + right;
  const std::pair<const char*, const std::string*> parts[] = {
      {"left symbol", &left}, {"right symbol", &right}, {"merged symbol", &merged}};
  int index[3] = {0, 0, 0};
  for (std::size_t p = 0; p < 3; ++p) {
    const auto it = index_of_symbol.find(*parts[p].second);
    if (it == index_of_symbol.end()) {
      throw DataError(fmt::format("{}:{}: the {} \"{}\" is not in {}", path, line_number, parts[p].first,
                                  printable(*parts[p].second), vocab_path));
    }
    index[p] = it->second;
  }
  const auto [at, fresh] = merges.emplace(pair_key(index[0], index[1]), Merge{rank, index[2], line_number});
  if (!fresh) {
    throw DataError(fmt::format("{}:{}: the merge \"{}\" repeats line {}", path, line_number, printable(line),
                                at->second.line));
  }
}

// Lines end in "\n", "\r\n" or a lone "\r" (an old Mac editor's): no symbol of
// GPT-2's byte alphabet is a control character, so a '\r' can only end a line.
// A UTF-8 byte-order mark before the first line is skipped, as in vocab.json.
void BpeTokenizer::Impl::load_merges(const std::string& path, const std::string& vocab_path) {
  const std::string text = read_text_file(path);
  merges.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  std::size_t line_number = 0, rank = 0;
  for (std::size_t start = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0; start < text.size();) {
    std::size_t end = text.find_first_of("\r\n", start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + start, end - start);
    start = end + (text.compare(end, 2, "\r\n") == 0 ? 2 : 1);
    ++line_number;
    // Blank lines hold no merge (encoder.py gives them an inert rank; the order is the same).
    if (line.empty() || (line_number == 1 && line.rfind("#version", 0) == 0)) continue;
    add_merge(line, line_number, rank++, path, vocab_path);
  }
}

// encoder.py's bpe(): the piece's bytes as symbols, then, while some adjacent
// pair has a rank, every occurrence (left to right) of the lowest-ranked pair
// merged into one symbol.
void BpeTokenizer::Impl::merge_piece(std::string_view piece, std::vector<BpeToken>& out) const {
  std::vector<int> word;
  word.reserve(piece.size());
  for (const char c : piece) word.push_back(index_of_byte[static_cast<unsigned char>(c)]);
  std::vector<int> next;
  while (word.size() > 1) {
    const Merge* best = nullptr;
    int left = 0, right = 0;
    for (std::size_t i = 0; i + 1 < word.size(); ++i) {
      const auto it = merges.find(pair_key(word[i], word[i + 1]));
      if (it != merges.end() && (best == nullptr || it->second.rank < best->rank)) {
        best = &it->second;
        left = word[i];
        right = word[i + 1];
      }
    }
    if (best == nullptr) break;
    next.clear();
    for (std::size_t i = 0; i < word.size();) {
      if (i + 1 < word.size() && word[i] == left && word[i + 1] == right) {
        next.push_back(best->result);
        i += 2;
      } else {
        next.push_back(word[i]);
        i += 1;
      }
    }
    word.swap(next);
  }
  for (const int index : word) {
    const Entry& e = entries[static_cast<std::size_t>(index)];
    out.push_back(BpeToken{e.id, e.symbol, e.bytes});
  }
}

BpeTokenizer::BpeTokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
BpeTokenizer::BpeTokenizer(BpeTokenizer&&) noexcept = default;
BpeTokenizer& BpeTokenizer::operator=(BpeTokenizer&&) noexcept = default;
BpeTokenizer::~BpeTokenizer() = default;

BpeTokenizer BpeTokenizer::load(const std::string& vocab_path, const std::string& merges_path) {
  auto impl = std::make_unique<Impl>();
  impl->load_vocab(vocab_path);
  impl->load_merges(merges_path, vocab_path);
  pattern();  // compiled now, not at the first encode()
  return BpeTokenizer(std::move(impl));
}

std::vector<BpeToken> BpeTokenizer::encode(std::string_view text) const {
  if (const auto bad = first_invalid_utf8(text)) {
    throw DataError("invalid UTF-8 in the sentence at byte " + std::to_string(*bad));
  }
  const Pattern& pat = pattern();
  const MatchData data(pcre2_match_data_create_from_pattern(pat.code.get(), nullptr));
  if (!data) throw std::bad_alloc();
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  std::vector<BpeToken> out;
  std::size_t offset = 0, pieces = 0;
  while (offset < text.size()) {
    // The text was checked above: PCRE2 need not check it again at every piece.
    int rc =
        pcre2_match(pat.code.get(), subject, text.size(), offset, PCRE2_NO_UTF_CHECK, data.get(), nullptr);
    if (rc == PCRE2_ERROR_JIT_STACKLIMIT) {  // the interpreter keeps its backtracking on the heap
      rc = pcre2_match(pat.code.get(), subject, text.size(), offset, PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT,
                       data.get(), nullptr);
    }
    if (rc == PCRE2_ERROR_NOMATCH) break;
    if (rc < 0) {
      throw DataError(fmt::format("the sentence cannot be split into GPT-2's pieces at byte {}: {}", offset,
                                  pcre2_message(rc)));
    }
    const PCRE2_SIZE* span = pcre2_get_ovector_pointer(data.get());
    if (span[1] <= offset) break;  // cannot happen: every branch takes a character
    const std::size_t first = out.size();
    impl_->merge_piece(text.substr(span[0], span[1] - span[0]), out);
    for (std::size_t k = first; k < out.size(); ++k) out[k].piece = pieces;
    ++pieces;
    offset = span[1];
  }
  return out;
}

std::size_t BpeTokenizer::vocab_size() const { return impl_->vocab_size; }

std::string BpeTokenizer::symbol_of(int id) const {
  const auto it = impl_->index_of_id.find(id);
  return it == impl_->index_of_id.end() ? "" : impl_->entries[static_cast<std::size_t>(it->second)].symbol;
}

std::string BpeTokenizer::bytes_of(int id) const {
  const auto it = impl_->index_of_id.find(id);
  return it == impl_->index_of_id.end() ? "" : impl_->entries[static_cast<std::size_t>(it->second)].bytes;
}

std::string readable_token(std::string_view bytes) {
  if (bytes.empty()) return "∅";
  std::string out;
  for (std::size_t i = 0; i < bytes.size();) {
    const CodePoint c = decode_utf8(bytes, i);
    if (c.len == 0) {  // part of a character: the token holds only some of its bytes
      out += fmt::format("<0x{:02X}>", static_cast<unsigned char>(bytes[i]));
      i += 1;
      continue;
    }
    if (c.cp == ' ') {
      out += kSpaceMark;
    } else if (c.cp == '\n') {
      out += "↵";
    } else if (c.cp == '\t') {
      out += "⇥";
    } else if (c.cp < 0x20 || c.cp == 0x7F) {
      out += fmt::format("\\x{:02X}", static_cast<unsigned>(c.cp));
    } else if ((c.cp >= 0x80 && c.cp <= 0x9F) || is_bidi_control(c.cp)) {  // C1, or a reordering control
      out += fmt::format("\\u{:04X}", static_cast<unsigned>(c.cp));
    } else {
      out.append(bytes.substr(i, c.len));
    }
    i += c.len;
  }
  return out;
}

}  // namespace attn
