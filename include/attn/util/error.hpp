// error.hpp: the two kinds of failure attn-explain reports.
//
// Every failure that reaches the user is one of these, thrown where the problem
// is found and caught once, at the CLI boundary, which prints
//   attn-explain: error: <message>
// and exits with the code below. The message must name what is wrong: the file
// and line:column, the token, or the quantity asked for and its allowed values.
//
//   DataError  -> exit 1: bad input data (a sentence, a table file, a trace file)
//   UsageError -> exit 2: bad usage (an option value out of range, a missing argument)
//
// A message may carry a hint: a line or two printed after the error line.
// The CLI escapes both before printing (control characters, bytes that are
// not UTF-8) and bounds their lines, whatever user text they quote.
//
// Request keys. What a run is asked (d_out, the layer, the focus token) comes
// from the command line's options or, later, from an HTTP query's keys; a key
// is the long option's name without its dashes ("d-out", "layer", "focus"). An
// error about one of them says which in key(), and its message and hint name
// keys through key_ref(), which each front end renders its own way with
// name_keys(): the CLI as its flag ("--d-out 3: ..."), what() and everything
// else as the quantity ("d_out 3: ...", quantity_name()).
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace attn {

// A request key named inside a message or hint, to be rendered by name_keys().
// REQUIRES: key is a long option's name without dashes: [a-z0-9-]+.
std::string key_ref(std::string_view key);

// How a message names a key when its front end has no name of its own: the
// quantity, dashes as underscores ("d-out" -> "d_out").
std::string quantity_name(std::string_view key);

// `text` with every key_ref(key) replaced by name(key). Text that holds none is
// returned unchanged.
std::string name_keys(std::string_view text,
                      const std::function<std::string(std::string_view)>& name = quantity_name);

class Error : public std::runtime_error {
 public:
  // key: the request key the error is about ("d-out"), or empty.
  Error(const std::string& what, std::string hint = {}, std::string key = {})
      : std::runtime_error(name_keys(what)), message_(what), hint_(std::move(hint)), key_(std::move(key)) {}
  // The whole message as thrown, key references and a NUL byte included (what()
  // stops at the first NUL and names keys as quantities): for a front end to
  // render with name_keys(), or to quote in an error of its own.
  const std::string& message() const noexcept { return message_; }
  const std::string& hint() const noexcept { return hint_; }  // as message(): with key references
  const std::string& key() const noexcept { return key_; }
  virtual int exit_code() const noexcept = 0;

 private:
  std::string message_;
  std::string hint_;
  std::string key_;
};

// Bad input data: exit code 1.
class DataError : public Error {
 public:
  using Error::Error;
  int exit_code() const noexcept override { return 1; }
};

// Bad usage: exit code 2.
class UsageError : public Error {
 public:
  using Error::Error;
  int exit_code() const noexcept override { return 2; }
};

}  // namespace attn
