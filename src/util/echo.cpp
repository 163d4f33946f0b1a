// printable(): control characters and stray bytes escaped, long text elided in
// the middle. See echo.hpp.
#include "attn/util/echo.hpp"

#include <vector>

#include <fmt/format.h>

#include "attn/util/unicode.hpp"

namespace attn {

namespace {

// The length of the well-formed UTF-8 sequence at text[i] (no overlong form, no
// surrogate, nothing above U+10FFFF), or 0.
std::size_t sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char c = byte(0);
  if (c < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) len = 2;
  else if (c == 0xE0) len = 3, lo = 0xA0;
  else if (c == 0xED) len = 3, hi = 0x9F;
  else if (c >= 0xE1 && c <= 0xEF) len = 3;
  else if (c == 0xF0) len = 4, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) len = 4;
  else if (c == 0xF4) len = 4, hi = 0x8F;
  if (len == 0 || len > text.size() - i) return 0;
  if (byte(1) < lo || byte(1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k)
    if ((byte(k) & 0xC0) != 0x80) return 0;
  return len;
}

// Each character of `text` as it is shown: itself, or its escape.
std::vector<std::string> shown_pieces(std::string_view text) {
  std::vector<std::string> pieces;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t len = sequence_length(text, i);
    const bool c0 = len == 1 && (c < 0x20 || c == 0x7F);
    const bool c1 = len == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0;  // U+0080 … U+009F
    const char32_t cp = len == 3 ? decode_utf8(text, i).cp : 0;
    if (len == 0) {
      pieces.push_back(fmt::format("\\x{:02X}", c));
      ++i;
    } else if (c0) {
      pieces.push_back(c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : c == 0 ? "\\0" : fmt::format("\\x{:02X}", c));
      ++i;
    } else if (c1) {
      pieces.push_back(fmt::format("\\u{:04X}", static_cast<unsigned char>(text[i + 1])));
      i += 2;
    } else if (is_bidi_control(cp)) {
      pieces.push_back(fmt::format("\\u{:04X}", static_cast<unsigned>(cp)));
      i += 3;
    } else {
      pieces.emplace_back(text.substr(i, len));
      i += len;
    }
  }
  return pieces;
}

}  // namespace

std::string display_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const std::string& piece : shown_pieces(text)) out += piece;
  return out;
}

std::string printable(std::string_view text, std::size_t limit) {
  constexpr std::string_view kGap = " … ";
  // Of a huge text only the ends can be shown: escape no more of it than they need
  // (each byte shows as at least one byte, so 4 × limit at either end is plenty).
  const bool huge = text.size() > 8 * limit;
  const std::vector<std::string> pieces = shown_pieces(huge ? text.substr(0, 4 * limit) : text);
  const std::vector<std::string> last = huge ? shown_pieces(text.substr(text.size() - 4 * limit)) : pieces;
  std::size_t total = 0;
  for (const std::string& p : pieces) total += p.size();
  if (!huge && total <= limit) {
    std::string out;
    for (const std::string& p : pieces) out += p;
    return out;
  }
  const std::size_t head_budget = (limit - kGap.size()) * 2 / 3, tail_budget = limit - kGap.size() - head_budget;
  std::string head;
  std::size_t k = 0;
  for (; k < pieces.size() && head.size() + pieces[k].size() <= head_budget; ++k) head += pieces[k];
  // The tail from the end backwards; in a text that is not huge, never into the head.
  const std::size_t stop = huge ? 0 : k;
  std::size_t first = last.size(), tail_size = 0;
  while (first > stop && tail_size + last[first - 1].size() <= tail_budget) tail_size += last[--first].size();
  std::string tail;
  for (std::size_t j = first; j < last.size(); ++j) tail += last[j];
  return head + std::string(kGap) + tail;
}

std::string printable_lines(std::string_view text, std::size_t limit) {
  std::string out;
  for (std::size_t from = 0;;) {
    const std::size_t to = text.find('\n', from);
    out += printable(text.substr(from, to == std::string_view::npos ? std::string_view::npos : to - from), limit);
    if (to == std::string_view::npos) return out;
    out += '\n';
    from = to + 1;
  }
}

}  // namespace attn
