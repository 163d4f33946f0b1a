// pager.hpp: printing pages with a pause between them (--step, lessons).
//
// A Pager pauses only when asked to and when both stdin and stdout are
// terminals: piped, redirected or run by a script, it prints straight through
// and never waits. At a pause, Enter shows the next page and q (then Enter)
// stops; end of input (Ctrl-D) stops pausing and prints the rest.
#pragma once

#include <string>

namespace attn {

class Pager {
 public:
  explicit Pager(bool wanted);

  // Prints `page` on stdout, then pauses unless it is the last page. Returns
  // false when the learner asked to quit.
  bool show(const std::string& page, bool last);

  // The pause between two pages written some other way (pieces through
  // write_stdout): returns false when the learner asked to quit. No pause, and
  // true, when not pausing.
  bool pause();

  bool pausing() const { return pausing_; }

 private:
  bool pausing_;
};

}  // namespace attn
