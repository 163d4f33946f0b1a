#include "pager.hpp"

#include <cstdio>
#include <iostream>

#include <unistd.h>

#include "attn/error.hpp"

namespace attn {

Pager::Pager(bool wanted) : pausing_(wanted && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1) {}

bool Pager::show(const std::string& page, bool last) {
  std::fwrite(page.data(), 1, page.size(), stdout);
  if (std::fflush(stdout) != 0) throw DataError("cannot write to standard output");
  if (!pausing_ || last) return true;
  std::fputs("\n── Enter: next · q: quit ── ", stderr);
  std::string answer;
  if (!std::getline(std::cin, answer)) {
    pausing_ = false;  // end of input: print the rest without waiting
    std::fputs("\n", stderr);
    return true;
  }
  const bool quit = answer == "q" || answer == "Q" || answer == "quit";
  if (quit) std::fputs("\n", stdout);
  return !quit;
}

}  // namespace attn
