// terminal.hpp: where standard output goes, asked once per run.
//
// stdout_terminal() looks at the process's surroundings (whether stdout is a
// terminal, NO_COLOR, $COLUMNS and the window's width) so that the run plan's
// resolver (run_plan.hpp) does not: a server resolves plans with a Terminal of
// its own.
#pragma once

#include "run_plan.hpp"

namespace attn {

// On a terminal, columns is $COLUMNS when it is a number of at most 5 digits,
// else the window's width (0 when neither is known); off a terminal, 0.
Terminal stdout_terminal();

}  // namespace attn
