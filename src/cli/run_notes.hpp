// run_notes.hpp: what a run's options did not do, said as notes.
//
// Some options are legal but have nothing to act on in a given run: --stages
// naming a stage the run does not have (mask without --causal, dropout without
// --dropout, heads with one head, output without out_proj, params without
// weights), --explain with --focus alone (no table prints, so no note has a
// place), --seed when nothing is drawn (the table's weights or none, and no
// dropout to seed), --trace, --svg or --html with --compare (which writes no trace). The run
// still succeeds (exit 0); each such option gets one line on stderr saying why
// it had no effect and what would give it one. docs/errors.md lists them.
#pragma once

#include <string>
#include <vector>

#include "attn/settings.hpp"
#include "run_plan.hpp"

namespace attn {

// The notes for a table run planned as `plan` whose settings in force are
// `settings` (trace.settings), each without the "attn-explain: note: " prefix;
// empty when every option had its effect.
// REQUIRES: plan.compute holds a Request.
std::vector<std::string> ineffective_options(const RunPlan& plan, const Settings& settings);

// The notes for --trace, --svg and --html given with --compare, or nothing.
std::vector<std::string> ineffective_with_compare(const RunOutputs& outputs);

}  // namespace attn
