#include "json_file.hpp"

#include <set>
#include <vector>

#include <fmt/format.h>

#include "attn/error.hpp"
#include "echo.hpp"
#include "text_file.hpp"

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

}  // namespace

std::string json_type_name(const json& j) {
  if (j.is_number()) return "a number";
  if (j.is_string()) return "a string";
  if (j.is_array()) return "an array";
  if (j.is_object()) return "an object";
  if (j.is_boolean()) return "a boolean";
  return "null";
}

json parse_json(const std::string& text, const std::string& source, const json::parser_callback_t& callback) {
  json document;
  try {
    document = json::parse(text, callback);
  } catch (const json::parse_error& e) {
    // nlohmann counts e.byte from 1; its message ends with the reason after "column N: ".
    const TextPosition pos = position_of(text, e.byte > 0 ? e.byte - 1 : 0);
    std::string reason = e.what();
    if (auto at = reason.find(": ", reason.find("column")); at != std::string::npos) reason = reason.substr(at + 2);
    throw DataError(fmt::format("{}:{}:{}: malformed JSON: {}", source, pos.line, pos.column, printable(reason)));
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
      throw DataError(fmt::format("{}: duplicate key \"{}\"", source, parsed.get<std::string>()));
    }
    return true;
  };
  return parse_json(text, source, callback);
}

}  // namespace attn
