#include "attn/util/json_file.hpp"

#include <set>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "attn/util/error.hpp"
#include "attn/util/echo.hpp"
#include "attn/util/text_file.hpp"

namespace attn {

using nlohmann::json;

namespace {

// The offset of the first number token spelled `literal` outside any string
// (a key "1e400" is not the number 1e400); 0 when there is none.
std::size_t number_offset(const std::string& text, const std::string& literal) {
  const auto part_of_number = [](char c) { return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'; };
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    if (part_of_number(c) && (i == 0 || !part_of_number(text[i - 1])) && text.compare(i, literal.size(), literal) == 0 &&
        (i + literal.size() == text.size() || !part_of_number(text[i + literal.size()]))) {
      return i;
    }
  }
  return 0;
}

// What json::parse(text, callback) builds, built without nlohmann's quadratic
// step: its callback parser, each time an object closes, walks the whole
// enclosing object or array looking for an element the callback discarded, so
// that n objects side by side cost n²/2 steps (100,000 of them: a minute). This
// builder gives the callback the same events at the same depths, and takes a
// discarded value out where it was put, in one step.
class CallbackBuilder {
 public:
  CallbackBuilder(json& root, const json::parser_callback_t& callback) : root_(root), callback_(callback) {}

  bool null() { return value(json(nullptr)); }
  bool boolean(bool b) { return value(json(b)); }
  bool number_integer(json::number_integer_t n) { return value(json(n)); }
  bool number_unsigned(json::number_unsigned_t n) { return value(json(n)); }
  bool number_float(json::number_float_t x, const json::string_t& /*literal*/) { return value(json(x)); }
  bool string(json::string_t& s) { return value(json(s)); }
  bool binary(json::binary_t& b) { return value(json(b)); }

  bool start_object(std::size_t /*size*/) { return start(json::parse_event_t::object_start, json::value_t::object); }
  bool start_array(std::size_t /*size*/) { return start(json::parse_event_t::array_start, json::value_t::array); }
  bool end_object() { return end(json::parse_event_t::object_end); }
  bool end_array() { return end(json::parse_event_t::array_end); }

  bool key(json::string_t& k) {
    json parsed(k);
    key_kept_ = callback_(depth(), json::parse_event_t::key, parsed);
    key_ = k;
    return true;
  }

  template <class Exception>
  bool parse_error(std::size_t /*position*/, const std::string& /*token*/, const Exception& e) {
    throw e;
  }

 private:
  // An open object or array: whether the callback kept it at its start, where it
  // is (nullptr when it or a container around it was discarded), and its key in
  // the enclosing object.
  struct Open {
    bool kept;
    json* container;
    std::string key;
  };

  int depth() const { return static_cast<int>(open_.size()); }
  bool inside_kept() const { return open_.empty() || open_.back().container != nullptr; }

  // As nlohmann: no value event inside a container discarded at its start.
  bool value(json v) {
    if (!open_.empty() && !open_.back().kept) return true;
    if (callback_(depth(), json::parse_event_t::value, v) && inside_kept()) place(std::move(v));
    return true;
  }

  // Puts `v` where the parser is: the root, the end of the open array, or the
  // open object at the last key (unless the callback discarded that key).
  json* place(json v) {
    if (open_.empty()) return &(root_ = std::move(v));
    json& parent = *open_.back().container;
    if (parent.is_array()) {
      parent.push_back(std::move(v));
      return &parent.back();
    }
    if (!key_kept_) return nullptr;
    return &(parent[key_] = std::move(v));
  }

  bool start(json::parse_event_t event, json::value_t type) {
    json unused(json::value_t::discarded);
    const bool kept = callback_(depth(), event, unused);
    const bool in_object = !open_.empty() && open_.back().container && open_.back().container->is_object();
    json* container = kept && inside_kept() ? place(json(type)) : nullptr;
    open_.push_back(Open{kept, container, in_object ? key_ : std::string()});
    return true;
  }

  bool end(json::parse_event_t event) {
    Open closing = std::move(open_.back());
    const bool keep = !closing.container || callback_(depth() - 1, event, *closing.container);
    open_.pop_back();
    if (keep) return true;
    if (open_.empty()) {
      root_ = nullptr;  // as json::parse gives a discarded document
    } else if (json& parent = *open_.back().container; parent.is_array()) {
      parent.erase(parent.size() - 1);
    } else {
      parent.erase(closing.key);
    }
    return true;
  }

  json& root_;
  const json::parser_callback_t& callback_;
  std::vector<Open> open_;
  std::string key_;  // the last key read, and whether the callback kept it
  bool key_kept_ = true;
};

}  // namespace

json parse_with_callback(std::string_view text, const json::parser_callback_t& callback) {
  if (!callback) return json::parse(text.begin(), text.end());
  json root;
  CallbackBuilder builder(root, callback);
  json::sax_parse(text.begin(), text.end(), &builder);
  return root;
}

std::string json_type_name(const json& j) {
  if (j.is_number()) return "a number";
  if (j.is_string()) return "a string";
  if (j.is_array()) return "an array";
  if (j.is_object()) return "an object";
  if (j.is_boolean()) return "a boolean";
  return "null";
}

namespace {

// The parser's reason, whole but for the text it quotes ("...; last read: '<text>'; expected ..."),
// which is cut to a short name: the cause ("ill-formed UTF-8 byte") and what was expected stay.
std::string shown_reason(const std::string& reason) {
  constexpr std::size_t kReasonBytes = 200;
  const std::string_view mark = "; last read: '";
  const std::size_t at = reason.find(mark), end = reason.rfind('\'');
  if (at == std::string::npos || end < at + mark.size()) return printable(reason, kReasonBytes);
  const std::size_t from = at + mark.size();
  return printable(reason.substr(0, at), kReasonBytes) + "; last read: '" + printable(reason.substr(from, end - from)) +
         "'" + printable(reason.substr(end + 1), kReasonBytes);
}

}  // namespace

json parse_json(const std::string& text, const std::string& source, const json::parser_callback_t& callback) {
  json document;
  try {
    document = parse_with_callback(text, callback);
  } catch (const json::parse_error& e) {
    // nlohmann counts e.byte from 1; its message ends with the reason after "column N: ".
    const TextPosition pos = position_of(text, e.byte > 0 ? e.byte - 1 : 0);
    std::string reason = e.what();
    if (auto at = reason.find(": ", reason.find("column")); at != std::string::npos) reason = reason.substr(at + 2);
    throw DataError(fmt::format("{}:{}:{}: malformed JSON: {}", source, pos.line, pos.column, shown_reason(reason)));
  } catch (const json::out_of_range& e) {
    // A literal such as 1e400 that no double holds: nlohmann names it, but not where.
    const std::string what = e.what();
    const auto open = what.find('\''), close = what.rfind('\'');
    const std::string literal = open < close ? what.substr(open + 1, close - open - 1) : "";
    const TextPosition pos = position_of(text, literal.empty() ? 0 : number_offset(text, literal));
    throw DataError(fmt::format("{}:{}:{}: number {} is beyond the float32 range", source, pos.line, pos.column,
                                literal.empty() ? "?" : printable(literal)));
  }
  // nlohmann stops at a NUL byte as at the end of the input: a document followed
  // by a NUL and anything at all would be read as if the rest were not there.
  // (Checked after parsing, so that garbage is reported as malformed JSON first.)
  if (const std::size_t nul = text.find('\0'); nul != std::string::npos) {
    const TextPosition pos = position_of(text, nul);
    throw DataError(fmt::format("{}:{}:{}: a NUL byte: binary data, not JSON text", source, pos.line, pos.column));
  }
  return document;
}

json parse_json_document(const std::string& text, const std::string& source, int max_depth) {
  std::vector<std::set<std::string>> keys;  // the keys seen in each open object
  auto callback = [&](int depth, json::parse_event_t event, json& parsed) {
    if (depth > max_depth) {
      throw DataError(fmt::format("{}: nesting deeper than {} levels", source, max_depth));
    }
    if (event == json::parse_event_t::object_start) keys.emplace_back();
    if (event == json::parse_event_t::object_end && !keys.empty()) keys.pop_back();
    if (event == json::parse_event_t::key && !keys.empty() && !keys.back().insert(parsed.get<std::string>()).second) {
      throw DataError(fmt::format("{}: duplicate key \"{}\"", source, printable(parsed.get<std::string>())));
    }
    return true;
  };
  return parse_json(text, source, callback);
}

}  // namespace attn
