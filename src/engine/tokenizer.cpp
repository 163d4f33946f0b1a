// tokenizer.cpp: the token splitter, on the UTF-8 decoding and character
// classes of unicode.hpp. See tokenizer.hpp for the rules and promises.
#include "tokenizer.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "attn/util/error.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

namespace {

// Stays inside a word between two word characters.
bool is_word_joiner(char32_t cp) {
  return cp == '\'' || cp == 0x2019 || cp == '-' || cp == 0x2010 ||
         cp == 0x2011;  // ' ’ - and Unicode hyphens
}

// Stays inside a number between two digits.
bool is_number_joiner(char32_t cp) { return cp == '.' || cp == ','; }

bool is_digit(char32_t cp) { return cp >= '0' && cp <= '9'; }

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

// The short name of a bidirectional control, for the message.
const char* bidi_name(char32_t cp) {
  switch (cp) {
    case 0x202A: return "left-to-right embedding";
    case 0x202B: return "right-to-left embedding";
    case 0x202C: return "pop directional formatting";
    case 0x202D: return "left-to-right override";
    case 0x202E: return "right-to-left override";
    case 0x2066: return "left-to-right isolate";
    case 0x2067: return "right-to-left isolate";
    case 0x2068: return "first strong isolate";
    default: return "pop directional isolate";  // U+2069
  }
}

[[noreturn]] void refuse_bidi(char32_t cp, std::size_t at) {
  throw DataError(fmt::format("bidirectional control U+{:04X} ({}) in the sentence at byte {}",
                              static_cast<unsigned>(cp), bidi_name(cp), at),
                  "it would reorder the text shown after it; remove it");
}

// ---------------------------------------------------------------------------
// Splitting

// Builds tokens from the code points fed to it, one at a time, in order.
class Splitter {
 public:
  explicit Splitter(std::string_view sentence) : sentence_(sentence) {}

  // Takes the code point `cp`, of kind `kind`, at byte `at`. `next` is the
  // code point after it, of kind `next_kind` (CharClass::space at the end).
  void feed(char32_t cp, CharClass kind, std::size_t at, char32_t next, CharClass next_kind) {
    if (kind == CharClass::space) {
      close(at);
      return;
    }
    if (after_joiner_) {
      join(cp, kind);  // the next part of a zero-width-joiner sequence
    } else {
      switch (kind) {
        case CharClass::extend:
          if (open_ == Open::none) start(at, Open::lead);
          join(cp, kind);
          break;
        case CharClass::modifier:
          if (open_ == Open::symbol) {
            join(cp, kind);
          } else {
            start_or_continue_lead(at, Open::symbol, cp, kind);
          }
          break;
        case CharClass::regional:
          if (open_ == Open::symbol && half_flag_) {
            join(cp, kind);  // the flag is complete
          } else {
            start_or_continue_lead(at, Open::symbol, cp, kind);
            half_flag_ = true;  // (after join(), which clears it)
          }
          break;
        case CharClass::punct:
          if (open_ == Open::word && stays_in_word(cp, next, next_kind)) {
            join(cp, kind);
          } else {
            start_or_continue_lead(at, Open::punct, cp, kind);
          }
          break;
        case CharClass::symbol:
          start_or_continue_lead(at, Open::symbol, cp, kind);
          break;
        case CharClass::word:
          if (open_ == Open::word) {
            join(cp, kind);
          } else {
            start_or_continue_lead(at, Open::word, cp, kind);
          }
          break;
        case CharClass::space:
        case CharClass::control:
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
  bool stays_in_word(char32_t cp, char32_t next, CharClass next_kind) const {
    if (is_word_joiner(cp)) return char_class(base_) == CharClass::word && next_kind == CharClass::word;
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
  void start_or_continue_lead(std::size_t at, Open kind, char32_t cp, CharClass cp_kind) {
    if (open_ == Open::lead) {
      open_ = kind;
    } else {
      start(at, kind);
    }
    join(cp, cp_kind);
  }

  // Adds the code point to the open token (whose bytes run up to it).
  void join(char32_t cp, CharClass kind) {
    after_joiner_ = cp == kZeroWidthJoiner;
    if (kind == CharClass::extend) return;
    base_ = cp;
    half_flag_ = false;
    if (open_ == Open::lead) {
      open_ = kind == CharClass::word ? Open::word : kind == CharClass::punct ? Open::punct : Open::symbol;
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

void check_sentence(std::string_view sentence) {
  for (std::size_t i = 0; i < sentence.size();) {
    const CodePoint c = decode_utf8(sentence, i);
    if (c.len == 0) refuse_utf8(i);
    if (char_class(c.cp) == CharClass::control) refuse_control(c.cp, i);
    if (is_bidi_control(c.cp)) refuse_bidi(c.cp, i);
    i += c.len;
  }
}

std::vector<Token> tokenize(std::string_view sentence) {
  check_sentence(sentence);
  Splitter splitter(sentence);
  std::size_t i = 0;
  if (sentence.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // a byte order mark at the start
  // Each code point is decoded once, one step ahead: "don't" and "3.14" need
  // the one after the mark (check_sentence() has refused every bad one).
  const auto decode_at = [&](std::size_t at) {
    return at < sentence.size() ? decode_utf8(sentence, at) : CodePoint{0, 0};
  };
  CodePoint d = decode_at(i);
  CharClass kind = d.len == 0 ? CharClass::space : char_class(d.cp);
  while (i < sentence.size()) {
    if (d.len == 0) refuse_utf8(i);  // neither can happen after check_sentence()
    if (kind == CharClass::control) refuse_control(d.cp, i);
    const std::size_t j = i + d.len;
    const CodePoint next = decode_at(j);
    const CharClass next_kind = next.len == 0 ? CharClass::space : char_class(next.cp);
    splitter.feed(d.cp, kind, i, next.cp, next_kind);
    i = j, d = next, kind = next_kind;
  }
  return splitter.finish();
}

}  // namespace attn
