#include "pager.hpp"

#include <cstdio>
#include <iostream>

#include <unistd.h>

#include "output.hpp"

namespace attn {

Pager::Pager(bool wanted) : pausing_(wanted && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1) {}

bool Pager::show(const std::string& page, bool last) {
  write_stdout(page);
  if (last) return true;
  return pause();
}

bool Pager::pause() {
  if (!pausing_) return true;
  std::fputs("\n── Enter: next · q: quit ── ", stderr);
  std::string answer;
  if (!std::getline(std::cin, answer)) {
    pausing_ = false;  // end of input: print the rest without waiting
    std::fputs("\n", stderr);
    return true;
  }
  const bool quit = answer == "q" || answer == "Q" || answer == "quit";
  if (quit) write_stdout("\n");
  return !quit;
}

}  // namespace attn
