// json_file.hpp: reading the JSON documents attn-explain ships and accepts
// (tables, lessons, explanations), with errors that say where.
//
// parse_json() promises that any failure is a DataError whose message starts
// with `<source>:<line>:<column>:` for malformed JSON and for numbers no double
// holds (such as 1e400). parse_json_document() adds the checks every hand-edited
// document wants: a nesting limit (so 200,000 '[' end in a message, not a
// stack overflow) and no duplicate keys in any object.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace attn {

// json::parse(text, callback) in time linear in the text: nlohmann's own parser
// with a callback takes time quadratic in the number of objects side by side.
// The callback sees the same events at the same depths and may discard values
// as in nlohmann; without a callback this is json::parse(text). Throws what
// json::parse throws (json::parse_error, json::out_of_range) and what the
// callback throws.
nlohmann::json parse_with_callback(std::string_view text, const nlohmann::json::parser_callback_t& callback);

// `callback` is nlohmann's parser callback; it may throw DataError.
nlohmann::json parse_json(const std::string& text, const std::string& source,
                          const nlohmann::json::parser_callback_t& callback = nullptr);

// REQUIRES: max_depth ≥ 1.
nlohmann::json parse_json_document(const std::string& text, const std::string& source, int max_depth);

// "a number", "a string", "an array", "an object", "a boolean" or "null", for messages.
std::string json_type_name(const nlohmann::json& j);

}  // namespace attn
