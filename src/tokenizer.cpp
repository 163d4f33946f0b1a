#include "attn/tokenizer.hpp"

#include <fmt/format.h>

#include "attn/error.hpp"

namespace attn {

namespace {

// Decodes one UTF-8 code point at s[i]. Returns its length in bytes, or 0 when
// the bytes there are not valid UTF-8 (bad lead byte, truncated, overlong,
// surrogate, beyond U+10FFFF).
std::size_t decode(std::string_view s, std::size_t i, char32_t& cp) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  std::size_t len;
  char32_t min;
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() - i < len) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

bool in(char32_t cp, char32_t lo, char32_t hi) { return cp >= lo && cp <= hi; }

bool is_space(char32_t cp) {
  return cp == ' ' || in(cp, 0x09, 0x0D) || cp == 0xA0 || cp == 0x1680 || in(cp, 0x2000, 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool is_control(char32_t cp) { return cp < 0x20 || in(cp, 0x7F, 0x9F); }

// Characters that belong to the one before them.
bool is_extender(char32_t cp) {
  return in(cp, 0x0300, 0x036F) || in(cp, 0x0483, 0x0489) || in(cp, 0x0591, 0x05BD) || in(cp, 0x0610, 0x061A) ||
         in(cp, 0x064B, 0x065F) || in(cp, 0x0900, 0x0903) || in(cp, 0x093A, 0x094F) || in(cp, 0x1AB0, 0x1AFF) ||
         in(cp, 0x1DC0, 0x1DFF) || in(cp, 0x20D0, 0x20FF) || in(cp, 0xFE00, 0xFE0F) || in(cp, 0xFE20, 0xFE2F) ||
         cp == 0x200C || cp == 0x200D || in(cp, 0x1F3FB, 0x1F3FF) || in(cp, 0xE0020, 0xE007F) ||
         in(cp, 0xE0100, 0xE01EF);
}

bool is_ascii_punct(char32_t cp) {
  return in(cp, 0x21, 0x2F) || in(cp, 0x3A, 0x40) || in(cp, 0x5B, 0x60) || in(cp, 0x7B, 0x7E);
}

// Punctuation, symbols and emoji: each one a token of its own.
bool is_mark(char32_t cp) {
  return is_ascii_punct(cp) || in(cp, 0xA1, 0xBF) || cp == 0xD7 || cp == 0xF7 || in(cp, 0x2010, 0x2027) ||
         in(cp, 0x2030, 0x205E) || in(cp, 0x20A0, 0x20CF) || in(cp, 0x2100, 0x214F) || in(cp, 0x2190, 0x2BFF) ||
         in(cp, 0x2E00, 0x2E7F) || in(cp, 0x3000, 0x303F) || in(cp, 0xFF01, 0xFF0F) || in(cp, 0xFF1A, 0xFF20) ||
         in(cp, 0xFF3B, 0xFF40) || in(cp, 0xFF5B, 0xFF65) || in(cp, 0x1F000, 0x1FAFF) || cp == 0xFEFF ||
         cp == 0xFFFD;
}

bool is_digit(char32_t cp) { return in(cp, '0', '9'); }

// Inside a word: ' ’ - between two word characters; . , between two digits.
bool joins_word(char32_t cp, char32_t before, char32_t after) {
  const auto word = [](char32_t c) { return !is_space(c) && !is_control(c) && !is_mark(c) && !is_extender(c); };
  if (cp == '\'' || cp == 0x2019 || cp == '-') return word(before) && word(after);
  if (cp == '.' || cp == ',') return is_digit(before) && is_digit(after);
  return false;
}

std::size_t width_of(char32_t cp) {
  if (is_extender(cp) || cp == 0x200B || cp == 0xFEFF) return 0;
  if (in(cp, 0x1100, 0x115F) || in(cp, 0x2E80, 0x303E) || in(cp, 0x3041, 0x33FF) || in(cp, 0x3400, 0x4DBF) ||
      in(cp, 0x4E00, 0x9FFF) || in(cp, 0xA000, 0xA4CF) || in(cp, 0xAC00, 0xD7A3) || in(cp, 0xF900, 0xFAFF) ||
      in(cp, 0xFE30, 0xFE4F) || in(cp, 0xFF00, 0xFF60) || in(cp, 0xFFE0, 0xFFE6) || in(cp, 0x1F300, 0x1F64F) ||
      in(cp, 0x1F680, 0x1F6FF) || in(cp, 0x1F900, 0x1F9FF) || in(cp, 0x1FA70, 0x1FAFF) ||
      in(cp, 0x20000, 0x3FFFD)) {
    return 2;
  }
  return 1;
}

}  // namespace

std::vector<Token> tokenize(std::string_view s) {
  enum class Open { none, word, mark };
  std::vector<Token> tokens;
  Open open = Open::none;    // the kind of the token being built, if any
  char32_t last = 0;         // the last code point added to it
  bool after_joiner = false;  // the last code point was a zero-width joiner

  std::size_t i = 0;
  if (s.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // a byte order mark
  while (i < s.size()) {
    char32_t cp;
    const std::size_t len = decode(s, i, cp);
    if (len == 0) throw DataError(fmt::format("invalid UTF-8 in the sentence at byte {}", i));
    if (is_space(cp)) {
      open = Open::none;
      after_joiner = false;
      i += len;
      continue;
    }
    if (is_control(cp)) {
      throw DataError(fmt::format("control character U+{:04X} in the sentence at byte {}", static_cast<unsigned>(cp), i));
    }
    const std::string_view bytes = s.substr(i, len);
    if (open != Open::none && (is_extender(cp) || after_joiner)) {
      tokens.back().text += bytes;  // a combining mark, selector, or the next part of a ZWJ sequence
    } else if (is_mark(cp) || is_extender(cp)) {
      char32_t next = 0;
      if (i + len < s.size() && decode(s, i + len, next) == 0) next = 0;
      if (open == Open::word && joins_word(cp, last, next)) {
        tokens.back().text += bytes;
      } else {
        tokens.push_back({std::string(bytes), i});
        open = Open::mark;
      }
    } else if (open == Open::word) {
      tokens.back().text += bytes;
    } else {
      tokens.push_back({std::string(bytes), i});
      open = Open::word;
    }
    after_joiner = cp == 0x200D;
    last = cp;
    i += len;
  }
  return tokens;
}

std::size_t display_width(std::string_view s) {
  std::size_t width = 0;
  bool after_joiner = false;
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp;
    std::size_t len = decode(s, i, cp);
    if (len == 0) {
      width += 1;
      i += 1;
      continue;
    }
    if (!after_joiner) width += width_of(cp);  // a ZWJ sequence shows as one glyph
    after_joiner = cp == 0x200D;
    i += len;
  }
  return width;
}

}  // namespace attn
