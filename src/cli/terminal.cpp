#include "terminal.hpp"

#include <cstdlib>
#include <cstring>

#include <sys/ioctl.h>
#include <unistd.h>

namespace attn {

Terminal stdout_terminal() {
  Terminal terminal;
  terminal.is_terminal = isatty(STDOUT_FILENO) == 1;
  const char* no_color = std::getenv("NO_COLOR");
  terminal.no_color = no_color != nullptr && *no_color != '\0';
  if (!terminal.is_terminal) return terminal;
  const char* columns = std::getenv("COLUMNS");
  if (columns && *columns && std::strspn(columns, "0123456789") == std::strlen(columns) && std::strlen(columns) < 6) {
    terminal.columns = static_cast<std::size_t>(std::atoi(columns));
    return terminal;
  }
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) terminal.columns = size.ws_col;
  return terminal;
}

}  // namespace attn
