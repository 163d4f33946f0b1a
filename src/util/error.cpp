// Request keys in error messages (error.hpp): a key is written between two
// control characters that no message otherwise holds (a message quotes user
// text through printable(), which escapes them), and rendered on the way out.
#include "attn/util/error.hpp"

namespace attn {

namespace {

constexpr char kKeyOpen = '\x1e';   // ASCII record separator
constexpr char kKeyClose = '\x1f';  // ASCII unit separator

bool is_key_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

}  // namespace

std::string key_ref(std::string_view key) {
  std::string out(1, kKeyOpen);
  out += key;
  out += kKeyClose;
  return out;
}

std::string quantity_name(std::string_view key) {
  std::string out(key);
  for (char& c : out) {
    if (c == '-') c = '_';
  }
  return out;
}

std::string name_keys(std::string_view text, const std::function<std::string(std::string_view)>& name) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t open = text.find(kKeyOpen, i);
    if (open == std::string_view::npos) break;
    std::size_t close = open + 1;
    while (close < text.size() && is_key_char(text[close])) ++close;
    out.append(text, i, open - i);
    if (close < text.size() && text[close] == kKeyClose && close > open + 1) {
      out += name(text.substr(open + 1, close - open - 1));
      i = close + 1;
    } else {  // not a key reference: the byte stays as it is
      out += kKeyOpen;
      i = open + 1;
    }
  }
  out.append(text, i);
  return out;
}

}  // namespace attn
