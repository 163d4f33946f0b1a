// json_text.hpp: numbers and layout of the JSON text attn-explain writes (the
// trace, the tables, --json listings).
//
// Promises:
//   - a float is written as the shortest decimal that reads back to the same
//     float32 (0.7088005, not 0.7088005000000001), in nlohmann's layout of a
//     double (1.0, 0.0001, 1e-05, 1e+16, -0.0); a value that is not finite is null;
//   - format_json() indents objects and keeps arrays of numbers on one line, so
//     a matrix reads as one row per line.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace attn {

// A float as the trace writes it: the shortest decimal that reads back to the
// same float32, in nlohmann's layout of a double; "null" when it is not finite.
std::string shortest_decimal(float value);

// The same digits appended to `out` (a double: its own shortest round-trip
// digits). REQUIRES: value is finite.
void append_shortest(float value, std::string& out);
void append_shortest(double value, std::string& out);

// A float as JSON: the shortest decimal that round-trips as float32, or null.
nlohmann::ordered_json float_to_json(float value);

// Pretty JSON text: objects indented, arrays of numbers kept on one line (so a
// matrix reads as one row per line). Ends with a newline.
std::string format_json(const nlohmann::ordered_json& value);

// The same layout appended to `out`, for a value nested `indent` levels deep
// (its lines after the first indented so), without the final newline.
void append_json(const nlohmann::ordered_json& value, int indent, std::string& out);

}  // namespace attn
