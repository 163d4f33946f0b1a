// cli_run.hpp: the explorer's run, attn-explain [options] SENTENCE, and render.
//
// run_explorer() reads the sentence (standard input for "-"), resolves the
// options into a RunPlan once (run_plan.hpp), checks the output files against
// the inputs, computes the trace (a table's or a model's) or the comparison, and
// writes and shows what the plan asks. run_render() does the same for a saved
// trace, computing nothing.
#pragma once

#include "cli_options.hpp"
#include "run_plan.hpp"

namespace attn {

int run_explorer(const MainOptions& options, const Terminal& terminal);
int run_render(const RenderCommand& command, const Terminal& terminal);

}  // namespace attn
