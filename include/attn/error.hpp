// error.hpp: the two kinds of failure attn-explain reports.
//
// Every failure that reaches the user is one of these, thrown where the problem
// is found and caught once, at the CLI boundary, which prints
//   attn-explain: error: <what()>
// and exits with the code below. The message must name what is wrong: the file
// and line:column, the token, or the option and its allowed values.
//
//   DataError  -> exit 1: bad input data (a sentence, a table file, a trace file)
//   UsageError -> exit 2: bad usage (an option value out of range, a missing argument)
//
// A message may carry a hint: a line or two printed after the error line.
// The CLI escapes both before printing (control characters, bytes that are
// not UTF-8) and bounds their lines, whatever user text they quote.
#pragma once

#include <stdexcept>
#include <string>

namespace attn {

class Error : public std::runtime_error {
 public:
  Error(const std::string& what, std::string hint = {})
      : std::runtime_error(what), message_(what), hint_(std::move(hint)) {}
  // The whole message, a NUL byte included (what() stops at the first one).
  const std::string& message() const noexcept { return message_; }
  const std::string& hint() const noexcept { return hint_; }
  virtual int exit_code() const noexcept = 0;

 private:
  std::string message_;
  std::string hint_;
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
