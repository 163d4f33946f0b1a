// json_fields.hpp: reading the fields of one JSON object of a data file
// (lessons, exercises), refusing unknown keys and wrong types.
//
// Every failure is a DataError that starts with `where` (the file, and the step
// or key inside it), names the key, what it holds and what was expected.
#pragma once

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "attn/util/error.hpp"
#include "attn/util/echo.hpp"
#include "attn/util/json_file.hpp"

namespace attn {

using nlohmann::json;

// Reads the fields of one JSON object, refusing unknown keys and wrong types.
class Fields {
 public:
  Fields(const json& object, std::string where, const std::set<std::string>& known) : j_(object), where_(std::move(where)) {
    if (!j_.is_object()) fail(fmt::format("is {}, expected an object", json_type_name(j_)));
    for (const auto& [key, value] : j_.items()) {
      if (!known.count(key)) {
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        throw DataError(fmt::format("{}: unknown key \"{}\"", where_, printable(key)), "known keys: " + list);
      }
    }
  }

  bool has(const char* key) const { return j_.contains(key); }

  std::string text(const char* key) const {
    const json& v = get(key, "a string", [](const json& x) { return x.is_string(); });
    return v.get<std::string>();
  }

  std::string choice(const char* key, const std::vector<std::string>& allowed) const {
    const std::string v = text(key);
    if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : " | ") + a;
      fail(fmt::format("\"{}\" is \"{}\", expected {}", key, v, list));
    }
    return v;
  }

  // choice() over a table of {value, name} pairs (settings.hpp's kProjectionNames, ...):
  // the value whose name the key holds.
  template <class Names>
  auto choice_of(const char* key, const Names& names) const {
    std::vector<std::string> allowed;
    for (const auto& n : names) allowed.push_back(n.name);
    const std::string v = choice(key, allowed);
    for (const auto& n : names)
      if (v == n.name) return n.value;
    return names[0].value;  // not reached: choice() accepts only the names above
  }

  bool flag(const char* key) const {
    return get(key, "true or false", [](const json& x) { return x.is_boolean(); }).get<bool>();
  }

  std::uint64_t whole(const char* key, std::uint64_t lo, std::uint64_t hi) const {
    const json& v = get(key, "a whole number", [](const json& x) { return x.is_number_unsigned(); });
    const std::uint64_t n = v.get<std::uint64_t>();
    if (n < lo || n > hi) fail(fmt::format("\"{}\" is {}, expected {} to {}", key, n, lo, hi));
    return n;
  }

  double number(const char* key) const {
    return get(key, "a number", [](const json& x) { return x.is_number(); }).get<double>();
  }

  std::vector<std::string> lines(const char* key) const {
    const json& v = get(key, "an array of strings", [](const json& x) {
      return x.is_array() && std::all_of(x.begin(), x.end(), [](const json& e) { return e.is_string(); });
    });
    return v.get<std::vector<std::string>>();
  }

  const json& raw(const char* key) const { return j_.at(key); }
  const std::string& where() const { return where_; }

  [[noreturn]] void fail(const std::string& what) const { throw DataError(fmt::format("{}: {}", where_, what)); }

 private:
  template <class Check>
  const json& get(const char* key, const char* expected, Check ok) const {
    if (!j_.contains(key)) fail(fmt::format("\"{}\" is missing", key));
    const json& v = j_.at(key);
    if (!ok(v)) fail(fmt::format("\"{}\" is {}, expected {}", key, json_type_name(v), expected));
    return v;
  }

  const json& j_;
  std::string where_;
};

}  // namespace attn
