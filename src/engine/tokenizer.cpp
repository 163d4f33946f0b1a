// tokenizer.cpp: UTF-8 decoding, character classes, the token splitter and
// display widths. See tokenizer.hpp for the rules and promises.
#include "tokenizer.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>

#include "attn/error.hpp"

namespace attn {

namespace {

// ---------------------------------------------------------------------------
// UTF-8

struct Decoded {
  char32_t cp;      // the code point
  std::size_t len;  // its length in bytes; 0 when the bytes are not valid UTF-8
};

// Decodes the code point at s[i]. REQUIRES: i < s.size().
// Invalid: a byte that cannot start a sequence (80-BF, C0, C1, F5-FF), a
// sequence cut short (by its end or by a byte that is not a continuation), an
// overlong form, a surrogate (U+D800-DFFF), anything above U+10FFFF.
// Reads nothing past s.size().
Decoded decode(std::string_view s, std::size_t i) {
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = at(i);
  if (b0 < 0x80) return {b0, 1};
  std::size_t len;
  char32_t cp;
  char32_t min;  // the smallest code point this length may encode
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, cp = b0 & 0x1Fu, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, cp = b0 & 0x0Fu, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, cp = b0 & 0x07u, min = 0x10000;
  } else {
    return {0, 0};
  }
  if (s.size() - i < len) return {0, 0};
  for (std::size_t k = 1; k < len; ++k) {
    const unsigned char b = at(i + k);
    if ((b & 0xC0u) != 0x80u) return {0, 0};
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {0, 0};
  return {cp, len};
}

// ---------------------------------------------------------------------------
// Character classes

enum class Kind : unsigned char {
  word,      // letters and digits of any script, and whatever no other kind claims
  punct,     // punctuation (General_Category P*): a token of its own
  symbol,    // symbols and emoji (S*): a token of its own, with what belongs to it
  extend,    // combining marks (M*), joiners, variation selectors, other format
             // characters (Cf): they belong to the character before
  modifier,  // emoji skin tones U+1F3FB-1F3FF: belong to the emoji before
  regional,  // regional indicators U+1F1E6-1F1FF: two make a flag
  space,     // separates tokens
  control,   // refused
};

constexpr char32_t kZeroWidthJoiner = 0x200D;
constexpr char32_t kEmojiPresentation = 0xFE0F;  // variation selector 16

constexpr bool in(char32_t cp, char32_t lo, char32_t hi) { return cp >= lo && cp <= hi; }

bool is_unicode_space(char32_t cp) {
  return cp == 0xA0 || cp == 0x1680 || in(cp, 0x2000, 0x200A) || cp == 0x2028 || cp == 0x2029 ||
         cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool is_ascii_alnum(char32_t cp) { return in(cp, '0', '9') || in(cp, 'a', 'z') || in(cp, 'A', 'Z'); }

Kind table_kind(char32_t cp);  // punct, symbol, extend or word (the tables at the end)
bool is_wide(char32_t cp);     // East_Asian_Width W or F

Kind kind_of(char32_t cp) {
  if (cp < 0x80) {
    if (cp == ' ' || in(cp, '\t', '\r')) return Kind::space;  // \t \n \v \f \r
    if (cp < 0x20 || cp == 0x7F) return Kind::control;
    return is_ascii_alnum(cp) ? Kind::word : Kind::punct;
  }
  if (cp <= 0x9F) return Kind::control;  // C1 controls, including U+0085
  if (is_unicode_space(cp)) return Kind::space;
  if (in(cp, 0x1F3FB, 0x1F3FF)) return Kind::modifier;
  if (in(cp, 0x1F1E6, 0x1F1FF)) return Kind::regional;
  return table_kind(cp);
}

// Stays inside a word between two word characters.
bool is_word_joiner(char32_t cp) {
  return cp == '\'' || cp == 0x2019 || cp == '-' || cp == 0x2010 ||
         cp == 0x2011;  // ' ’ - and Unicode hyphens
}

// Stays inside a number between two digits.
bool is_number_joiner(char32_t cp) { return cp == '.' || cp == ','; }

bool is_digit(char32_t cp) { return in(cp, '0', '9'); }

[[noreturn]] void refuse_utf8(std::size_t at) {
  throw DataError("invalid UTF-8 in the sentence at byte " + std::to_string(at),
                  "the sentence must be UTF-8 text; convert other encodings first (for example with iconv)");
}

[[noreturn]] void refuse_control(char32_t cp, std::size_t at) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "%04X", static_cast<unsigned>(cp));
  throw DataError(
      "control character U+" + std::string(hex) + " in the sentence at byte " + std::to_string(at),
      "write a space instead, or remove it");
}

// ---------------------------------------------------------------------------
// Splitting

// Builds tokens from the code points fed to it, one at a time, in order.
class Splitter {
 public:
  explicit Splitter(std::string_view sentence) : sentence_(sentence) {}

  // Takes the code point `cp`, of kind `kind`, at byte `at`. `next` is the
  // code point after it, of kind `next_kind` (Kind::space at the end).
  void feed(char32_t cp, Kind kind, std::size_t at, char32_t next, Kind next_kind) {
    if (kind == Kind::space) {
      close(at);
      return;
    }
    if (after_joiner_) {
      join(cp, kind);  // the next part of a zero-width-joiner sequence
    } else {
      switch (kind) {
        case Kind::extend:
          if (open_ == Open::none) start(at, Open::lead);
          join(cp, kind);
          break;
        case Kind::modifier:
          if (open_ == Open::symbol) {
            join(cp, kind);
          } else {
            start_or_continue_lead(at, Open::symbol, cp, kind);
          }
          break;
        case Kind::regional:
          if (open_ == Open::symbol && half_flag_) {
            join(cp, kind);  // the flag is complete
          } else {
            start_or_continue_lead(at, Open::symbol, cp, kind);
            half_flag_ = true;  // (after join(), which clears it)
          }
          break;
        case Kind::punct:
          if (open_ == Open::word && stays_in_word(cp, next, next_kind)) {
            join(cp, kind);
          } else {
            start_or_continue_lead(at, Open::punct, cp, kind);
          }
          break;
        case Kind::symbol:
          start_or_continue_lead(at, Open::symbol, cp, kind);
          break;
        case Kind::word:
          if (open_ == Open::word) {
            join(cp, kind);
          } else {
            start_or_continue_lead(at, Open::word, cp, kind);
          }
          break;
        case Kind::space:
        case Kind::control:
          break;  // handled by the caller and above
      }
    }
  }

  std::vector<Token> finish() {
    close(sentence_.size());
    return std::move(tokens_);
  }

 private:
  enum class Open {
    none,    // between tokens
    lead,    // a token of only extenders so far (a stray combining mark, a
             // direction mark): it becomes whatever comes next
    word,    // letters and digits: more may follow
    punct,   // one punctuation mark: only extenders may follow
    symbol,  // one symbol or emoji: extenders, a skin tone, a ZWJ sequence may follow
  };

  // An apostrophe or hyphen between two word characters, or a point or comma
  // between two digits. `base_` is the character before it.
  bool stays_in_word(char32_t cp, char32_t next, Kind next_kind) const {
    if (is_word_joiner(cp)) return kind_of(base_) == Kind::word && next_kind == Kind::word;
    if (is_number_joiner(cp)) return is_digit(base_) && is_digit(next);
    return false;
  }

  void start(std::size_t at, Open kind) {
    close(at);
    start_ = at;
    open_ = kind;
  }

  // Starts a new token of `kind` at `at`, unless the open token has only
  // extenders so far: then that token becomes one of `kind`.
  void start_or_continue_lead(std::size_t at, Open kind, char32_t cp, Kind cp_kind) {
    if (open_ == Open::lead) {
      open_ = kind;
    } else {
      start(at, kind);
    }
    join(cp, cp_kind);
  }

  // Adds the code point to the open token (whose bytes run up to it).
  void join(char32_t cp, Kind kind) {
    after_joiner_ = cp == kZeroWidthJoiner;
    if (kind == Kind::extend) return;
    base_ = cp;
    half_flag_ = false;
    if (open_ == Open::lead) {
      open_ = kind == Kind::word ? Open::word : kind == Kind::punct ? Open::punct : Open::symbol;
    }
  }

  void close(std::size_t end) {
    if (open_ != Open::none) tokens_.push_back({std::string(sentence_.substr(start_, end - start_)), start_});
    open_ = Open::none;
    after_joiner_ = false;
    half_flag_ = false;
    base_ = 0;
  }

  std::string_view sentence_;
  std::vector<Token> tokens_;
  Open open_ = Open::none;
  std::size_t start_ = 0;      // where the open token starts
  char32_t base_ = 0;          // the open token's last character that is not an extender
  bool after_joiner_ = false;  // the last code point was a zero-width joiner
  bool half_flag_ = false;     // the open token is one regional indicator, awaiting its pair
};

}  // namespace

std::vector<Token> tokenize(std::string_view sentence) {
  Splitter splitter(sentence);
  std::size_t i = 0;
  if (sentence.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // a byte order mark at the start
  // Each code point is decoded once, one step ahead: "don't" and "3.14" need
  // the one after the mark. A bad one is refused on its own turn.
  const auto decode_at = [&](std::size_t at) {
    return at < sentence.size() ? decode(sentence, at) : Decoded{0, 0};
  };
  Decoded d = decode_at(i);
  Kind kind = d.len == 0 ? Kind::space : kind_of(d.cp);
  while (i < sentence.size()) {
    if (d.len == 0) refuse_utf8(i);
    if (kind == Kind::control) refuse_control(d.cp, i);
    const std::size_t j = i + d.len;
    const Decoded next = decode_at(j);
    const Kind next_kind = next.len == 0 ? Kind::space : kind_of(next.cp);
    splitter.feed(d.cp, kind, i, next.cp, next_kind);
    i = j, d = next, kind = next_kind;
  }
  return splitter.finish();
}

// ---------------------------------------------------------------------------
// Display width

namespace {

// Terminal columns of a UTF-8 string, measured one code point at a time. The
// width of a prefix never shrinks as the prefix grows, which elide() relies on.
class WidthMeter {
 public:
  // Measures the code point (or invalid byte) at utf8[i]; returns where the next one starts.
  // REQUIRES: i < utf8.size().
  std::size_t add(std::string_view utf8, std::size_t i) {
    const Decoded d = decode(utf8, i);
    if (d.len == 0) {  // not UTF-8: a column a byte, as a terminal shows a replacement mark
      width_ += 1, last_ = 1, symbol_ = false, after_joiner_ = false;
      return i + 1;
    }
    const char32_t cp = d.cp;
    const Kind kind = kind_of(cp);
    const bool joined = after_joiner_;
    after_joiner_ = cp == kZeroWidthJoiner;
    const bool emoji_part = kind == Kind::symbol || kind == Kind::modifier || kind == Kind::regional;
    const std::size_t w = cp < 0x80 ? 1 : is_wide(cp) ? 2 : 1;
    if (kind == Kind::control || cp < 0x20) return i + d.len;  // tab and line breaks too: no fixed width
    if (cp == kEmojiPresentation) {
      if (last_ > 0) widen(2);  // asks for the emoji form of the glyph, two columns wide
    } else if (kind == Kind::extend || in(cp, 0x1160, 0x11FF) || in(cp, 0xD7B0, 0xD7FF)) {
      // Invisible, or drawn on the glyph (the Hangul vowels and final consonants
      // join the syllable's first letter).
    } else if (symbol_ && (kind == Kind::modifier || (joined && emoji_part))) {
      widen(std::max<std::size_t>(w, 2));  // a skin tone or a ZWJ sequence: one emoji
    } else {
      width_ += w, last_ = w, symbol_ = emoji_part;
    }
    return i + d.len;
  }

  std::size_t width() const { return width_; }

 private:
  // Widens the last glyph to `w` columns.
  void widen(std::size_t w) {
    if (w > last_) width_ += w - last_, last_ = w;
  }

  std::size_t width_ = 0;
  std::size_t last_ = 0;       // columns of the last glyph (0 before the first)
  bool symbol_ = false;        // the last glyph is a symbol or emoji
  bool after_joiner_ = false;  // the code point before was a zero-width joiner
};

}  // namespace

std::size_t display_width(std::string_view utf8) {
  WidthMeter meter;
  for (std::size_t i = 0; i < utf8.size();) i = meter.add(utf8, i);
  return meter.width();
}

// ---------------------------------------------------------------------------
// Tables: Unicode 14.0 character properties as sorted, disjoint ranges of code
// points. Derived from the Unicode Character Database: kKinds holds
// General_Category P* (punct), S* (symbol), M* and Cf except U+00AD (extend),
// and kWide East_Asian_Width W and F. Unassigned code points between two ranges
// of the same value take that value, those in the emoji blocks U+1F000-1FAFF are
// symbols, and those in the ideograph and emoji blocks that Unicode reserves
// for wide characters are wide, so that characters of later versions are
// likely classed right. ASCII, controls, white space, skin tones and regional
// indicators are decided before the tables are consulted.

namespace {

struct Range {
  char32_t lo, hi;
  Kind kind;
};

struct WideRange {
  char32_t lo, hi;
};

template <typename R, std::size_t N>
constexpr bool sorted_and_disjoint(const R (&ranges)[N]) {
  for (std::size_t k = 0; k < N; ++k) {
    if (ranges[k].lo > ranges[k].hi) return false;
    if (k > 0 && ranges[k - 1].hi >= ranges[k].lo) return false;
  }
  return true;
}

// The range holding cp, or nullptr.
template <typename R, std::size_t N>
const R* find(const R (&ranges)[N], char32_t cp) {
  const R* after = std::upper_bound(std::begin(ranges), std::end(ranges), cp,
                                    [](char32_t c, const R& r) { return c < r.lo; });
  if (after == std::begin(ranges)) return nullptr;
  const R* r = after - 1;
  return cp <= r->hi ? r : nullptr;
}

constexpr Kind P = Kind::punct;
constexpr Kind S = Kind::symbol;
constexpr Kind E = Kind::extend;

// clang-format off
constexpr Range kKinds[] = {
  {0x00A1, 0x00A1, P}, {0x00A2, 0x00A6, S}, {0x00A7, 0x00A7, P}, {0x00A8, 0x00A9, S}, {0x00AB, 0x00AB, P},
  {0x00AC, 0x00AC, S}, {0x00AE, 0x00B1, S}, {0x00B4, 0x00B4, S}, {0x00B6, 0x00B7, P}, {0x00B8, 0x00B8, S},
  {0x00BB, 0x00BB, P}, {0x00BF, 0x00BF, P}, {0x00D7, 0x00D7, S}, {0x00F7, 0x00F7, S}, {0x02C2, 0x02C5, S},
  {0x02D2, 0x02DF, S}, {0x02E5, 0x02EB, S}, {0x02ED, 0x02ED, S}, {0x02EF, 0x02FF, S}, {0x0300, 0x036F, E},
  {0x0375, 0x0375, S}, {0x037E, 0x037E, P}, {0x0384, 0x0385, S}, {0x0387, 0x0387, P}, {0x03F6, 0x03F6, S},
  {0x0482, 0x0482, S}, {0x0483, 0x0489, E}, {0x055A, 0x055F, P}, {0x0589, 0x058A, P}, {0x058D, 0x058F, S},
  {0x0591, 0x05BD, E}, {0x05BE, 0x05BE, P}, {0x05BF, 0x05BF, E}, {0x05C0, 0x05C0, P}, {0x05C1, 0x05C2, E},
  {0x05C3, 0x05C3, P}, {0x05C4, 0x05C5, E}, {0x05C6, 0x05C6, P}, {0x05C7, 0x05C7, E}, {0x05F3, 0x05F4, P},
  {0x0600, 0x0605, E}, {0x0606, 0x0608, S}, {0x0609, 0x060A, P}, {0x060B, 0x060B, S}, {0x060C, 0x060D, P},
  {0x060E, 0x060F, S}, {0x0610, 0x061A, E}, {0x061B, 0x061B, P}, {0x061C, 0x061C, E}, {0x061D, 0x061F, P},
  {0x064B, 0x065F, E}, {0x066A, 0x066D, P}, {0x0670, 0x0670, E}, {0x06D4, 0x06D4, P}, {0x06D6, 0x06DD, E},
  {0x06DE, 0x06DE, S}, {0x06DF, 0x06E4, E}, {0x06E7, 0x06E8, E}, {0x06E9, 0x06E9, S}, {0x06EA, 0x06ED, E},
  {0x06FD, 0x06FE, S}, {0x0700, 0x070D, P}, {0x070F, 0x070F, E}, {0x0711, 0x0711, E}, {0x0730, 0x074A, E},
  {0x07A6, 0x07B0, E}, {0x07EB, 0x07F3, E}, {0x07F6, 0x07F6, S}, {0x07F7, 0x07F9, P}, {0x07FD, 0x07FD, E},
  {0x07FE, 0x07FF, S}, {0x0816, 0x0819, E}, {0x081B, 0x0823, E}, {0x0825, 0x0827, E}, {0x0829, 0x082D, E},
  {0x0830, 0x083E, P}, {0x0859, 0x085B, E}, {0x085E, 0x085E, P}, {0x0888, 0x0888, S}, {0x0890, 0x089F, E},
  {0x08CA, 0x0903, E}, {0x093A, 0x093C, E}, {0x093E, 0x094F, E}, {0x0951, 0x0957, E}, {0x0962, 0x0963, E},
  {0x0964, 0x0965, P}, {0x0970, 0x0970, P}, {0x0981, 0x0983, E}, {0x09BC, 0x09BC, E}, {0x09BE, 0x09CD, E},
  {0x09D7, 0x09D7, E}, {0x09E2, 0x09E3, E}, {0x09F2, 0x09F3, S}, {0x09FA, 0x09FB, S}, {0x09FD, 0x09FD, P},
  {0x09FE, 0x0A03, E}, {0x0A3C, 0x0A51, E}, {0x0A70, 0x0A71, E}, {0x0A75, 0x0A75, E}, {0x0A76, 0x0A76, P},
  {0x0A81, 0x0A83, E}, {0x0ABC, 0x0ABC, E}, {0x0ABE, 0x0ACD, E}, {0x0AE2, 0x0AE3, E}, {0x0AF0, 0x0AF0, P},
  {0x0AF1, 0x0AF1, S}, {0x0AFA, 0x0B03, E}, {0x0B3C, 0x0B3C, E}, {0x0B3E, 0x0B57, E}, {0x0B62, 0x0B63, E},
  {0x0B70, 0x0B70, S}, {0x0B82, 0x0B82, E}, {0x0BBE, 0x0BCD, E}, {0x0BD7, 0x0BD7, E}, {0x0BF3, 0x0BFA, S},
  {0x0C00, 0x0C04, E}, {0x0C3C, 0x0C3C, E}, {0x0C3E, 0x0C56, E}, {0x0C62, 0x0C63, E}, {0x0C77, 0x0C77, P},
  {0x0C7F, 0x0C7F, S}, {0x0C81, 0x0C83, E}, {0x0C84, 0x0C84, P}, {0x0CBC, 0x0CBC, E}, {0x0CBE, 0x0CD6, E},
  {0x0CE2, 0x0CE3, E}, {0x0D00, 0x0D03, E}, {0x0D3B, 0x0D3C, E}, {0x0D3E, 0x0D4D, E}, {0x0D4F, 0x0D4F, S},
  {0x0D57, 0x0D57, E}, {0x0D62, 0x0D63, E}, {0x0D79, 0x0D79, S}, {0x0D81, 0x0D83, E}, {0x0DCA, 0x0DDF, E},
  {0x0DF2, 0x0DF3, E}, {0x0DF4, 0x0DF4, P}, {0x0E31, 0x0E31, E}, {0x0E34, 0x0E3A, E}, {0x0E3F, 0x0E3F, S},
  {0x0E47, 0x0E4E, E}, {0x0E4F, 0x0E4F, P}, {0x0E5A, 0x0E5B, P}, {0x0EB1, 0x0EB1, E}, {0x0EB4, 0x0EBC, E},
  {0x0EC8, 0x0ECD, E}, {0x0F01, 0x0F03, S}, {0x0F04, 0x0F12, P}, {0x0F13, 0x0F13, S}, {0x0F14, 0x0F14, P},
  {0x0F15, 0x0F17, S}, {0x0F18, 0x0F19, E}, {0x0F1A, 0x0F1F, S}, {0x0F34, 0x0F34, S}, {0x0F35, 0x0F35, E},
  {0x0F36, 0x0F36, S}, {0x0F37, 0x0F37, E}, {0x0F38, 0x0F38, S}, {0x0F39, 0x0F39, E}, {0x0F3A, 0x0F3D, P},
  {0x0F3E, 0x0F3F, E}, {0x0F71, 0x0F84, E}, {0x0F85, 0x0F85, P}, {0x0F86, 0x0F87, E}, {0x0F8D, 0x0FBC, E},
  {0x0FBE, 0x0FC5, S}, {0x0FC6, 0x0FC6, E}, {0x0FC7, 0x0FCF, S}, {0x0FD0, 0x0FD4, P}, {0x0FD5, 0x0FD8, S},
  {0x0FD9, 0x0FDA, P}, {0x102B, 0x103E, E}, {0x104A, 0x104F, P}, {0x1056, 0x1059, E}, {0x105E, 0x1060, E},
  {0x1062, 0x1064, E}, {0x1067, 0x106D, E}, {0x1071, 0x1074, E}, {0x1082, 0x108D, E}, {0x108F, 0x108F, E},
  {0x109A, 0x109D, E}, {0x109E, 0x109F, S}, {0x10FB, 0x10FB, P}, {0x135D, 0x135F, E}, {0x1360, 0x1368, P},
  {0x1390, 0x1399, S}, {0x1400, 0x1400, P}, {0x166D, 0x166D, S}, {0x166E, 0x166E, P}, {0x169B, 0x169C, P},
  {0x16EB, 0x16ED, P}, {0x1712, 0x1715, E}, {0x1732, 0x1734, E}, {0x1735, 0x1736, P}, {0x1752, 0x1753, E},
  {0x1772, 0x1773, E}, {0x17B4, 0x17D3, E}, {0x17D4, 0x17D6, P}, {0x17D8, 0x17DA, P}, {0x17DB, 0x17DB, S},
  {0x17DD, 0x17DD, E}, {0x1800, 0x180A, P}, {0x180B, 0x180F, E}, {0x1885, 0x1886, E}, {0x18A9, 0x18A9, E},
  {0x1920, 0x193B, E}, {0x1940, 0x1940, S}, {0x1944, 0x1945, P}, {0x19DE, 0x19FF, S}, {0x1A17, 0x1A1B, E},
  {0x1A1E, 0x1A1F, P}, {0x1A55, 0x1A7F, E}, {0x1AA0, 0x1AA6, P}, {0x1AA8, 0x1AAD, P}, {0x1AB0, 0x1B04, E},
  {0x1B34, 0x1B44, E}, {0x1B5A, 0x1B60, P}, {0x1B61, 0x1B6A, S}, {0x1B6B, 0x1B73, E}, {0x1B74, 0x1B7C, S},
  {0x1B7D, 0x1B7E, P}, {0x1B80, 0x1B82, E}, {0x1BA1, 0x1BAD, E}, {0x1BE6, 0x1BF3, E}, {0x1BFC, 0x1BFF, P},
  {0x1C24, 0x1C37, E}, {0x1C3B, 0x1C3F, P}, {0x1C7E, 0x1C7F, P}, {0x1CC0, 0x1CC7, P}, {0x1CD0, 0x1CD2, E},
  {0x1CD3, 0x1CD3, P}, {0x1CD4, 0x1CE8, E}, {0x1CED, 0x1CED, E}, {0x1CF4, 0x1CF4, E}, {0x1CF7, 0x1CF9, E},
  {0x1DC0, 0x1DFF, E}, {0x1FBD, 0x1FBD, S}, {0x1FBF, 0x1FC1, S}, {0x1FCD, 0x1FCF, S}, {0x1FDD, 0x1FDF, S},
  {0x1FED, 0x1FEF, S}, {0x1FFD, 0x1FFE, S}, {0x200B, 0x200F, E}, {0x2010, 0x2027, P}, {0x202A, 0x202E, E},
  {0x2030, 0x2043, P}, {0x2044, 0x2044, S}, {0x2045, 0x2051, P}, {0x2052, 0x2052, S}, {0x2053, 0x205E, P},
  {0x2060, 0x206F, E}, {0x207A, 0x207C, S}, {0x207D, 0x207E, P}, {0x208A, 0x208C, S}, {0x208D, 0x208E, P},
  {0x20A0, 0x20C0, S}, {0x20D0, 0x20F0, E}, {0x2100, 0x2101, S}, {0x2103, 0x2106, S}, {0x2108, 0x2109, S},
  {0x2114, 0x2114, S}, {0x2116, 0x2118, S}, {0x211E, 0x2123, S}, {0x2125, 0x2125, S}, {0x2127, 0x2127, S},
  {0x2129, 0x2129, S}, {0x212E, 0x212E, S}, {0x213A, 0x213B, S}, {0x2140, 0x2144, S}, {0x214A, 0x214D, S},
  {0x214F, 0x214F, S}, {0x218A, 0x2307, S}, {0x2308, 0x230B, P}, {0x230C, 0x2328, S}, {0x2329, 0x232A, P},
  {0x232B, 0x244A, S}, {0x249C, 0x24E9, S}, {0x2500, 0x2767, S}, {0x2768, 0x2775, P}, {0x2794, 0x27C4, S},
  {0x27C5, 0x27C6, P}, {0x27C7, 0x27E5, S}, {0x27E6, 0x27EF, P}, {0x27F0, 0x2982, S}, {0x2983, 0x2998, P},
  {0x2999, 0x29D7, S}, {0x29D8, 0x29DB, P}, {0x29DC, 0x29FB, S}, {0x29FC, 0x29FD, P}, {0x29FE, 0x2BFF, S},
  {0x2CE5, 0x2CEA, S}, {0x2CEF, 0x2CF1, E}, {0x2CF9, 0x2CFC, P}, {0x2CFE, 0x2CFF, P}, {0x2D70, 0x2D70, P},
  {0x2D7F, 0x2D7F, E}, {0x2DE0, 0x2DFF, E}, {0x2E00, 0x2E2E, P}, {0x2E30, 0x2E4F, P}, {0x2E50, 0x2E51, S},
  {0x2E52, 0x2E5D, P}, {0x2E80, 0x2FFB, S}, {0x3001, 0x3003, P}, {0x3004, 0x3004, S}, {0x3008, 0x3011, P},
  {0x3012, 0x3013, S}, {0x3014, 0x301F, P}, {0x3020, 0x3020, S}, {0x302A, 0x302F, E}, {0x3030, 0x3030, P},
  {0x3036, 0x3037, S}, {0x303D, 0x303D, P}, {0x303E, 0x303F, S}, {0x3099, 0x309A, E}, {0x309B, 0x309C, S},
  {0x30A0, 0x30A0, P}, {0x30FB, 0x30FB, P}, {0x3190, 0x3191, S}, {0x3196, 0x319F, S}, {0x31C0, 0x31E3, S},
  {0x3200, 0x321E, S}, {0x322A, 0x3247, S}, {0x3250, 0x3250, S}, {0x3260, 0x327F, S}, {0x328A, 0x32B0, S},
  {0x32C0, 0x33FF, S}, {0x4DC0, 0x4DFF, S}, {0xA490, 0xA4C6, S}, {0xA4FE, 0xA4FF, P}, {0xA60D, 0xA60F, P},
  {0xA66F, 0xA672, E}, {0xA673, 0xA673, P}, {0xA674, 0xA67D, E}, {0xA67E, 0xA67E, P}, {0xA69E, 0xA69F, E},
  {0xA6F0, 0xA6F1, E}, {0xA6F2, 0xA6F7, P}, {0xA700, 0xA716, S}, {0xA720, 0xA721, S}, {0xA789, 0xA78A, S},
  {0xA802, 0xA802, E}, {0xA806, 0xA806, E}, {0xA80B, 0xA80B, E}, {0xA823, 0xA827, E}, {0xA828, 0xA82B, S},
  {0xA82C, 0xA82C, E}, {0xA836, 0xA839, S}, {0xA874, 0xA877, P}, {0xA880, 0xA881, E}, {0xA8B4, 0xA8C5, E},
  {0xA8CE, 0xA8CF, P}, {0xA8E0, 0xA8F1, E}, {0xA8F8, 0xA8FA, P}, {0xA8FC, 0xA8FC, P}, {0xA8FF, 0xA8FF, E},
  {0xA926, 0xA92D, E}, {0xA92E, 0xA92F, P}, {0xA947, 0xA953, E}, {0xA95F, 0xA95F, P}, {0xA980, 0xA983, E},
  {0xA9B3, 0xA9C0, E}, {0xA9C1, 0xA9CD, P}, {0xA9DE, 0xA9DF, P}, {0xA9E5, 0xA9E5, E}, {0xAA29, 0xAA36, E},
  {0xAA43, 0xAA43, E}, {0xAA4C, 0xAA4D, E}, {0xAA5C, 0xAA5F, P}, {0xAA77, 0xAA79, S}, {0xAA7B, 0xAA7D, E},
  {0xAAB0, 0xAAB0, E}, {0xAAB2, 0xAAB4, E}, {0xAAB7, 0xAAB8, E}, {0xAABE, 0xAABF, E}, {0xAAC1, 0xAAC1, E},
  {0xAADE, 0xAADF, P}, {0xAAEB, 0xAAEF, E}, {0xAAF0, 0xAAF1, P}, {0xAAF5, 0xAAF6, E}, {0xAB5B, 0xAB5B, S},
  {0xAB6A, 0xAB6B, S}, {0xABE3, 0xABEA, E}, {0xABEB, 0xABEB, P}, {0xABEC, 0xABED, E}, {0xFB1E, 0xFB1E, E},
  {0xFB29, 0xFB29, S}, {0xFBB2, 0xFBC2, S}, {0xFD3E, 0xFD3F, P}, {0xFD40, 0xFD4F, S}, {0xFDCF, 0xFDCF, S},
  {0xFDFC, 0xFDFF, S}, {0xFE00, 0xFE0F, E}, {0xFE10, 0xFE19, P}, {0xFE20, 0xFE2F, E}, {0xFE30, 0xFE61, P},
  {0xFE62, 0xFE62, S}, {0xFE63, 0xFE63, P}, {0xFE64, 0xFE66, S}, {0xFE68, 0xFE68, P}, {0xFE69, 0xFE69, S},
  {0xFE6A, 0xFE6B, P}, {0xFEFF, 0xFEFF, E}, {0xFF01, 0xFF03, P}, {0xFF04, 0xFF04, S}, {0xFF05, 0xFF0A, P},
  {0xFF0B, 0xFF0B, S}, {0xFF0C, 0xFF0F, P}, {0xFF1A, 0xFF1B, P}, {0xFF1C, 0xFF1E, S}, {0xFF1F, 0xFF20, P},
  {0xFF3B, 0xFF3D, P}, {0xFF3E, 0xFF3E, S}, {0xFF3F, 0xFF3F, P}, {0xFF40, 0xFF40, S}, {0xFF5B, 0xFF5B, P},
  {0xFF5C, 0xFF5C, S}, {0xFF5D, 0xFF5D, P}, {0xFF5E, 0xFF5E, S}, {0xFF5F, 0xFF65, P}, {0xFFE0, 0xFFEE, S},
  {0xFFF9, 0xFFFB, E}, {0xFFFC, 0xFFFD, S}, {0x10100, 0x10102, P}, {0x10137, 0x1013F, S},
  {0x10179, 0x10189, S}, {0x1018C, 0x101FC, S}, {0x101FD, 0x101FD, E}, {0x102E0, 0x102E0, E},
  {0x10376, 0x1037A, E}, {0x1039F, 0x1039F, P}, {0x103D0, 0x103D0, P}, {0x1056F, 0x1056F, P},
  {0x10857, 0x10857, P}, {0x10877, 0x10878, S}, {0x1091F, 0x1091F, P}, {0x1093F, 0x1093F, P},
  {0x10A01, 0x10A0F, E}, {0x10A38, 0x10A3F, E}, {0x10A50, 0x10A58, P}, {0x10A7F, 0x10A7F, P},
  {0x10AC8, 0x10AC8, S}, {0x10AE5, 0x10AE6, E}, {0x10AF0, 0x10AF6, P}, {0x10B39, 0x10B3F, P},
  {0x10B99, 0x10B9C, P}, {0x10D24, 0x10D27, E}, {0x10EAB, 0x10EAC, E}, {0x10EAD, 0x10EAD, P},
  {0x10F46, 0x10F50, E}, {0x10F55, 0x10F59, P}, {0x10F82, 0x10F85, E}, {0x10F86, 0x10F89, P},
  {0x11000, 0x11002, E}, {0x11038, 0x11046, E}, {0x11047, 0x1104D, P}, {0x11070, 0x11070, E},
  {0x11073, 0x11074, E}, {0x1107F, 0x11082, E}, {0x110B0, 0x110BA, E}, {0x110BB, 0x110BC, P},
  {0x110BD, 0x110BD, E}, {0x110BE, 0x110C1, P}, {0x110C2, 0x110CD, E}, {0x11100, 0x11102, E},
  {0x11127, 0x11134, E}, {0x11140, 0x11143, P}, {0x11145, 0x11146, E}, {0x11173, 0x11173, E},
  {0x11174, 0x11175, P}, {0x11180, 0x11182, E}, {0x111B3, 0x111C0, E}, {0x111C5, 0x111C8, P},
  {0x111C9, 0x111CC, E}, {0x111CD, 0x111CD, P}, {0x111CE, 0x111CF, E}, {0x111DB, 0x111DB, P},
  {0x111DD, 0x111DF, P}, {0x1122C, 0x11237, E}, {0x11238, 0x1123D, P}, {0x1123E, 0x1123E, E},
  {0x112A9, 0x112A9, P}, {0x112DF, 0x112EA, E}, {0x11300, 0x11303, E}, {0x1133B, 0x1133C, E},
  {0x1133E, 0x1134D, E}, {0x11357, 0x11357, E}, {0x11362, 0x11374, E}, {0x11435, 0x11446, E},
  {0x1144B, 0x1144F, P}, {0x1145A, 0x1145D, P}, {0x1145E, 0x1145E, E}, {0x114B0, 0x114C3, E},
  {0x114C6, 0x114C6, P}, {0x115AF, 0x115C0, E}, {0x115C1, 0x115D7, P}, {0x115DC, 0x115DD, E},
  {0x11630, 0x11640, E}, {0x11641, 0x11643, P}, {0x11660, 0x1166C, P}, {0x116AB, 0x116B7, E},
  {0x116B9, 0x116B9, P}, {0x1171D, 0x1172B, E}, {0x1173C, 0x1173E, P}, {0x1173F, 0x1173F, S},
  {0x1182C, 0x1183A, E}, {0x1183B, 0x1183B, P}, {0x11930, 0x1193E, E}, {0x11940, 0x11940, E},
  {0x11942, 0x11943, E}, {0x11944, 0x11946, P}, {0x119D1, 0x119E0, E}, {0x119E2, 0x119E2, P},
  {0x119E4, 0x119E4, E}, {0x11A01, 0x11A0A, E}, {0x11A33, 0x11A39, E}, {0x11A3B, 0x11A3E, E},
  {0x11A3F, 0x11A46, P}, {0x11A47, 0x11A47, E}, {0x11A51, 0x11A5B, E}, {0x11A8A, 0x11A99, E},
  {0x11A9A, 0x11A9C, P}, {0x11A9E, 0x11AA2, P}, {0x11C2F, 0x11C3F, E}, {0x11C41, 0x11C45, P},
  {0x11C70, 0x11C71, P}, {0x11C92, 0x11CB6, E}, {0x11D31, 0x11D45, E}, {0x11D47, 0x11D47, E},
  {0x11D8A, 0x11D97, E}, {0x11EF3, 0x11EF6, E}, {0x11EF7, 0x11EF8, P}, {0x11FD5, 0x11FF1, S},
  {0x11FFF, 0x11FFF, P}, {0x12470, 0x12474, P}, {0x12FF1, 0x12FF2, P}, {0x13430, 0x13438, E},
  {0x16A6E, 0x16A6F, P}, {0x16AF0, 0x16AF4, E}, {0x16AF5, 0x16AF5, P}, {0x16B30, 0x16B36, E},
  {0x16B37, 0x16B3B, P}, {0x16B3C, 0x16B3F, S}, {0x16B44, 0x16B44, P}, {0x16B45, 0x16B45, S},
  {0x16E97, 0x16E9A, P}, {0x16F4F, 0x16F4F, E}, {0x16F51, 0x16F92, E}, {0x16FE2, 0x16FE2, P},
  {0x16FE4, 0x16FF1, E}, {0x1BC9C, 0x1BC9C, S}, {0x1BC9D, 0x1BC9E, E}, {0x1BC9F, 0x1BC9F, P},
  {0x1BCA0, 0x1CF46, E}, {0x1CF50, 0x1D164, S}, {0x1D165, 0x1D169, E}, {0x1D16A, 0x1D16C, S},
  {0x1D16D, 0x1D182, E}, {0x1D183, 0x1D184, S}, {0x1D185, 0x1D18B, E}, {0x1D18C, 0x1D1A9, S},
  {0x1D1AA, 0x1D1AD, E}, {0x1D1AE, 0x1D241, S}, {0x1D242, 0x1D244, E}, {0x1D245, 0x1D245, S},
  {0x1D300, 0x1D356, S}, {0x1D6C1, 0x1D6C1, S}, {0x1D6DB, 0x1D6DB, S}, {0x1D6FB, 0x1D6FB, S},
  {0x1D715, 0x1D715, S}, {0x1D735, 0x1D735, S}, {0x1D74F, 0x1D74F, S}, {0x1D76F, 0x1D76F, S},
  {0x1D789, 0x1D789, S}, {0x1D7A9, 0x1D7A9, S}, {0x1D7C3, 0x1D7C3, S}, {0x1D800, 0x1D9FF, S},
  {0x1DA00, 0x1DA36, E}, {0x1DA37, 0x1DA3A, S}, {0x1DA3B, 0x1DA6C, E}, {0x1DA6D, 0x1DA74, S},
  {0x1DA75, 0x1DA75, E}, {0x1DA76, 0x1DA83, S}, {0x1DA84, 0x1DA84, E}, {0x1DA85, 0x1DA86, S},
  {0x1DA87, 0x1DA8B, P}, {0x1DA9B, 0x1DAAF, E}, {0x1E000, 0x1E02A, E}, {0x1E130, 0x1E136, E},
  {0x1E14F, 0x1E14F, S}, {0x1E2AE, 0x1E2AE, E}, {0x1E2EC, 0x1E2EF, E}, {0x1E2FF, 0x1E2FF, S},
  {0x1E8D0, 0x1E8D6, E}, {0x1E944, 0x1E94A, E}, {0x1E95E, 0x1E95F, P}, {0x1ECAC, 0x1ECAC, S},
  {0x1ECB0, 0x1ECB0, S}, {0x1ED2E, 0x1ED2E, S}, {0x1EEF0, 0x1F0FF, S}, {0x1F10D, 0x1FBCA, S},
  {0xE0001, 0xE01EF, E},
};
// clang-format on
static_assert(sorted_and_disjoint(kKinds));

// clang-format off
constexpr WideRange kWide[] = {
  {0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0}, {0x23F3, 0x23F3},
  {0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F}, {0x2693, 0x2693}, {0x26A1, 0x26A1},
  {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5}, {0x26CE, 0x26CE}, {0x26D4, 0x26D4}, {0x26EA, 0x26EA},
  {0x26F2, 0x26F3}, {0x26F5, 0x26F5}, {0x26FA, 0x26FA}, {0x26FD, 0x26FD}, {0x2705, 0x2705}, {0x270A, 0x270B},
  {0x2728, 0x2728}, {0x274C, 0x274C}, {0x274E, 0x274E}, {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
  {0x27B0, 0x27B0}, {0x27BF, 0x27BF}, {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55}, {0x2E80, 0x303E},
  {0x3041, 0x3247}, {0x3250, 0x4DBF}, {0x4E00, 0xA4C6}, {0xA960, 0xA97C}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
  {0xFE10, 0xFE19}, {0xFE30, 0xFE6B}, {0xFF01, 0xFF60}, {0xFFE0, 0xFFE6}, {0x16FE0, 0x1B2FB},
  {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F320},
  {0x1F32D, 0x1F335}, {0x1F337, 0x1F37C}, {0x1F37E, 0x1F393}, {0x1F3A0, 0x1F3CA}, {0x1F3CF, 0x1F3D3},
  {0x1F3E0, 0x1F3F0}, {0x1F3F4, 0x1F3F4}, {0x1F3F8, 0x1F43E}, {0x1F440, 0x1F440}, {0x1F442, 0x1F4FC},
  {0x1F4FF, 0x1F53D}, {0x1F54B, 0x1F54E}, {0x1F550, 0x1F567}, {0x1F57A, 0x1F57A}, {0x1F595, 0x1F596},
  {0x1F5A4, 0x1F5A4}, {0x1F5FB, 0x1F64F}, {0x1F680, 0x1F6C5}, {0x1F6CC, 0x1F6CC}, {0x1F6D0, 0x1F6D2},
  {0x1F6D5, 0x1F6DF}, {0x1F6EB, 0x1F6EF}, {0x1F6F4, 0x1F6FF}, {0x1F7E0, 0x1F7F0}, {0x1F90C, 0x1F93A},
  {0x1F93C, 0x1F945}, {0x1F947, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x3FFFD},
};
// clang-format on
static_assert(sorted_and_disjoint(kWide));

Kind table_kind(char32_t cp) {
  const Range* r = find(kKinds, cp);
  return r != nullptr ? r->kind : Kind::word;
}

bool is_wide(char32_t cp) { return find(kWide, cp) != nullptr; }

}  // namespace

std::string elide(std::string_view text, std::size_t columns) {
  // One pass, measuring as it goes (the width of a prefix only grows): the cut
  // is the last code point boundary that leaves a column for the "…". The
  // widths of the pieces do not simply add up (U+FE0F widens the glyph before
  // it, a ZWJ sequence is one emoji), so the prefix is measured as a whole.
  WidthMeter meter;
  std::size_t cut = 0;
  for (std::size_t at = 0; at < text.size();) {
    at = meter.add(text, at);
    if (meter.width() > columns) return std::string(text.substr(0, cut)) + "…";
    if (meter.width() < columns) cut = at;
  }
  return std::string(text);
}

}  // namespace attn
