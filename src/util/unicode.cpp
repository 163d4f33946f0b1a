// unicode.cpp: UTF-8 decoding, character classes and display widths on top of
// utf8proc. See unicode.hpp for the promises.
#include "attn/util/unicode.hpp"

#include <utf8proc.h>

#include <algorithm>

namespace attn {

namespace {

constexpr bool in(char32_t cp, char32_t lo, char32_t hi) { return cp >= lo && cp <= hi; }

// What display_width and char_class need of a code point, from one utf8proc lookup.
struct Props {
  CharClass cls;
  unsigned char columns;  // as the first code point of a glyph
  bool conjoining;        // a Hangul medial vowel or final consonant (drawn into the syllable)
};

CharClass ascii_class(char32_t cp) {
  if (cp == ' ' || in(cp, '\t', '\r')) return CharClass::space;  // \t \n \v \f \r
  if (cp < 0x20 || cp == 0x7F) return CharClass::control;
  const bool alnum = in(cp, '0', '9') || in(cp, 'a', 'z') || in(cp, 'A', 'Z');
  return alnum ? CharClass::word : CharClass::punct;
}

CharClass class_of_category(utf8proc_category_t category) {
  switch (category) {
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
      return CharClass::punct;
    case UTF8PROC_CATEGORY_SM:
    case UTF8PROC_CATEGORY_SC:
    case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_SO:
      return CharClass::symbol;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_CF:
      return CharClass::extend;
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
      return CharClass::space;
    case UTF8PROC_CATEGORY_CC:
      return CharClass::control;
    default:  // letters, numbers, private use, unassigned
      return CharClass::word;
  }
}

Props props_of(char32_t cp) {
  if (cp < 0x80) return {ascii_class(cp), 1, false};
  if (cp <= 0x9F) return {CharClass::control, 0, false};  // C1 controls, U+0085 included
  // Emoji_Modifier (emoji-data.txt), which utf8proc does not hold: to it the
  // skin tones are symbols (Sk) that extend a grapheme cluster.
  if (in(cp, 0x1F3FB, 0x1F3FF)) return {CharClass::modifier, 2, false};
  // U+00AD SOFT HYPHEN is a format character (Cf), but terminals draw it, one
  // column wide, and it stays inside a word as a letter would.
  if (cp == 0xAD) return {CharClass::word, 1, false};
  const utf8proc_property_t* p = utf8proc_get_property(static_cast<utf8proc_int32_t>(cp));
  const auto category = static_cast<utf8proc_category_t>(p->category);
  if (category == UTF8PROC_CATEGORY_CN) {
    // Unassigned in utf8proc's Unicode, but reserved by Unicode for characters
    // whose properties it already fixes: the emoji blocks (Extended_Pictographic
    // in emoji-data.txt, wide) and the ideographic planes 2 and 3 (East_Asian_Width
    // W by default). So an emoji or ideograph newer than utf8proc measures right.
    if (in(cp, 0x1F000, 0x1FAFF)) return {CharClass::symbol, 2, false};
    if (in(cp, 0x20000, 0x3FFFD)) return {CharClass::word, 2, false};
  }
  if (p->boundclass == UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR) {
    return {CharClass::regional, static_cast<unsigned char>(p->charwidth), false};
  }
  const bool conjoining = p->boundclass == UTF8PROC_BOUNDCLASS_V || p->boundclass == UTF8PROC_BOUNDCLASS_T;
  return {class_of_category(category), static_cast<unsigned char>(p->charwidth), conjoining};
}

constexpr char32_t kEmojiPresentation = 0xFE0F;  // variation selector 16
constexpr utf8proc_int32_t kNone = -1;           // no code point before (for the grapheme rules)

// Terminal columns of a UTF-8 string, measured one code point at a time. The
// width of a prefix never shrinks as the prefix grows, which elide() relies on.
class WidthMeter {
 public:
  // Measures the code point (or invalid byte) at utf8[i]; returns where the next one starts.
  // REQUIRES: i < utf8.size().
  std::size_t add(std::string_view utf8, std::size_t i) {
    const CodePoint d = decode_utf8(utf8, i);
    if (d.len == 0) {  // not UTF-8: a column a byte, as a terminal shows a replacement mark
      width_ += 1, last_ = 1, symbol_ = false, prev_ = kNone, state_ = 0;
      return i + 1;
    }
    const auto cp = static_cast<utf8proc_int32_t>(d.cp);
    const bool zwj_sequence = continues_zwj_sequence(cp);
    const Props p = props_of(d.cp);
    if (p.cls == CharClass::control || cp < 0x20) return i + d.len;  // tab and line breaks too: no fixed width
    if (cp == kEmojiPresentation) {
      if (last_ > 0) widen(2);  // asks for the emoji form of the glyph, two columns wide
    } else if (p.cls == CharClass::extend || p.conjoining) {
      // Invisible, or drawn on the glyph (the Hangul vowels and final consonants
      // join the syllable's first letter).
    } else if (zwj_sequence || (symbol_ && p.cls == CharClass::modifier)) {
      widen(std::max<std::size_t>(p.columns, 2));  // a skin tone or a ZWJ sequence: one emoji
    } else {
      const bool emoji_part =
          p.cls == CharClass::symbol || p.cls == CharClass::modifier || p.cls == CharClass::regional;
      width_ += p.columns, last_ = p.columns, symbol_ = emoji_part;
    }
    return i + d.len;
  }

  std::size_t width() const { return width_; }

 private:
  // Whether `cp` follows a zero-width joiner inside one emoji: UAX #29 keeps
  // them in one grapheme cluster (its rule GB11: pictograph, extenders, ZWJ,
  // pictograph). utf8proc's rules are fed every pair of code points in order,
  // but for two ASCII characters: those never join by a ZWJ and are apart (CR
  // LF aside, both of no width), so its state may start afresh there.
  bool continues_zwj_sequence(utf8proc_int32_t cp) {
    const utf8proc_int32_t prev = prev_;
    prev_ = cp;
    if (prev == kNone || (prev < 0x80 && cp < 0x80)) {
      state_ = 0;
      return false;
    }
    const bool apart = utf8proc_grapheme_break_stateful(prev, cp, &state_);
    return !apart && prev == static_cast<utf8proc_int32_t>(kZeroWidthJoiner);
  }

  // Widens the last glyph to `w` columns.
  void widen(std::size_t w) {
    if (w > last_) width_ += w - last_, last_ = w;
  }

  std::size_t width_ = 0;
  std::size_t last_ = 0;           // columns of the last glyph (0 before the first)
  bool symbol_ = false;            // the last glyph is a symbol or emoji
  utf8proc_int32_t prev_ = kNone;  // the code point before
  utf8proc_int32_t state_ = 0;     // utf8proc's grapheme break state
};

}  // namespace

CodePoint decode_utf8(std::string_view utf8, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(utf8[i]);
  if (b0 < 0x80) return {b0, 1};
  // utf8proc_iterate refuses what unicode.hpp promises to refuse, and reads
  // no further than the length it is given.
  utf8proc_int32_t cp = 0;
  const utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(utf8.data() + i),
                                              static_cast<utf8proc_ssize_t>(utf8.size() - i), &cp);
  if (n <= 0) return {0, 0};
  return {static_cast<char32_t>(cp), static_cast<std::size_t>(n)};
}

const char* unicode_version() { return utf8proc_unicode_version(); }

std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const CodePoint c = decode_utf8(text, i);
    if (c.len == 0) return i;
    i += c.len;
  }
  return std::nullopt;
}

CharClass char_class(char32_t cp) { return props_of(cp).cls; }

std::size_t display_width(std::string_view utf8) {
  WidthMeter meter;
  for (std::size_t i = 0; i < utf8.size();) i = meter.add(utf8, i);
  return meter.width();
}

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
