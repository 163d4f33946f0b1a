// fuzz_tokenizer: attn::tokenize, display_width and elide on any bytes.
// tokenize either throws DataError (invalid UTF-8, a control character, a
// bidirectional control), exactly when the bytes are not valid UTF-8 or hold a
// control character or a bidi embedding/override/isolate control, or returns
// tokens that keep tokenizer.hpp's promises: each non-empty, spelled exactly as
// the sentence's bytes at its offset, in increasing offset order without
// overlap, free of ASCII white space, with only white space (and a leading byte
// order mark) between them, and the same tokens again when they are re-joined
// with single spaces. display_width and elide (unicode.hpp) never fail, and
// display_width never counts more than 2 columns a byte; elide's result fits
// its columns and is the text, or a prefix of it on a code point boundary + "…".
// A broken promise aborts (a finding); any exception other than DataError too.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "attn/util/error.hpp"
#include "tokenizer.hpp"
#include "attn/util/unicode.hpp"

namespace {

#define CHECK(cond)                \
  do {                             \
    if (!(cond)) __builtin_trap(); \
  } while (0)

// A strict UTF-8 decoder, independent of the tokenizer's: the code point at s[i]
// and its length, or length 0 when the bytes there are not valid UTF-8.
struct CodePoint {
  char32_t cp;
  std::size_t len;
};

CodePoint decode(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = b(i);
  if (b0 < 0x80) return {b0, 1};
  std::size_t len = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0)
    len = 2, cp = b0 & 0x1F;
  else if ((b0 & 0xF0) == 0xE0)
    len = 3, cp = b0 & 0x0F;
  else if ((b0 & 0xF8) == 0xF0)
    len = 4, cp = b0 & 0x07;
  else
    return {0, 0};
  if (i + len > s.size()) return {0, 0};
  for (std::size_t k = 1; k < len; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return {0, 0};
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {0, 0};
  return {cp, len};
}

bool is_ascii_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// Unicode White_Space (U+0085 aside: it is a C1 control, refused).
bool is_white_space(char32_t cp) {
  return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000;
}

bool is_control(char32_t cp) { return (cp < 0x20 && !is_white_space(cp)) || (cp >= 0x7F && cp <= 0x9F); }

// The bidi embedding, override and isolate controls a sentence may not hold
// (issue 23, item 12): LRE RLE PDF LRO RLO, LRI RLI FSI PDI.
bool is_bidi(char32_t cp) { return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069); }

// Whether tokenize must accept `s`: valid UTF-8, no control character, no bidi control.
bool acceptable(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const CodePoint c = decode(s, i);
    if (c.len == 0 || is_control(c.cp) || is_bidi(c.cp)) return false;
    i += c.len;
  }
  return true;
}

// `gap` (bytes between tokens) is white space only.
bool all_white_space(std::string_view gap) {
  for (std::size_t i = 0; i < gap.size();) {
    const CodePoint c = decode(gap, i);
    if (c.len == 0 || !is_white_space(c.cp)) return false;
    i += c.len;
  }
  return true;
}

std::vector<std::string> texts(const std::vector<attn::Token>& tokens) {
  std::vector<std::string> out;
  for (const auto& t : tokens) out.push_back(t.text);
  return out;
}

void check_elide(std::string_view text, std::size_t columns) {
  const std::string e = attn::elide(text, columns);
  CHECK(attn::display_width(e) <= columns);
  if (attn::display_width(text) <= columns) {
    CHECK(e == text);
    return;
  }
  static constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // …
  CHECK(e.size() >= kEllipsis.size() && std::string_view(e).substr(e.size() - kEllipsis.size()) == kEllipsis);
  const std::string_view kept = std::string_view(e).substr(0, e.size() - kEllipsis.size());
  CHECK(text.substr(0, kept.size()) == kept);
  CHECK(kept.size() == text.size() || decode(text, kept.size()).len > 0);  // cut on a code point boundary
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view sentence(reinterpret_cast<const char*>(data), size);

  // display_width: any bytes, never more than 2 columns a byte.
  CHECK(attn::display_width(sentence) <= 2 * sentence.size());

  std::vector<attn::Token> tokens;
  bool refused = false;
  try {
    tokens = attn::tokenize(sentence);
  } catch (const attn::DataError&) {
    refused = true;
  }
  CHECK(refused == !acceptable(sentence));
  if (refused) return 0;

  std::size_t end = 0;                                   // where the previous token ends
  if (sentence.substr(0, 3) == "\xEF\xBB\xBF") end = 3;  // a leading byte order mark is ignored
  for (const auto& t : tokens) {
    CHECK(!t.text.empty());
    CHECK(t.offset >= end);
    CHECK(t.offset <= sentence.size() && t.text.size() <= sentence.size() - t.offset);
    CHECK(sentence.substr(t.offset, t.text.size()) == t.text);
    for (unsigned char c : t.text) CHECK(!is_ascii_space(c));
    CHECK(all_white_space(sentence.substr(end, t.offset - end)));
    end = t.offset + t.text.size();
  }
  CHECK(all_white_space(sentence.substr(end)));

  // White space only separates: the tokens, re-joined with spaces, give themselves.
  std::string joined;
  for (const auto& t : tokens) joined += " " + t.text;
  CHECK(texts(attn::tokenize(joined)) == texts(tokens));

  // elide on valid text, to a width from 1 to 16 chosen by the input.
  const std::size_t columns = 1 + (size == 0 ? 0 : data[size - 1] % 16);
  check_elide(sentence, columns);
  for (std::size_t i = 0; i < tokens.size() && i < 8; ++i) check_elide(tokens[i].text, columns);
  return 0;
}
