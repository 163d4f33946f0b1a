// cli.hpp: the command line. It only wires options to the engine and the
// renderers; it computes nothing itself.
//
// run_cli() never throws: every failure becomes
//   attn-explain: error: <what>      (stderr, then at most two lines of hint)
// and its exit code: 0 success, 1 bad input data, 2 bad usage.
#pragma once

namespace attn {

int run_cli(int argc, char** argv);

}  // namespace attn
