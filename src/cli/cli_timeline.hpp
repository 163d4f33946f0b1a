// cli_timeline.hpp: attn-explain timeline [--model NAME] [--layer L|all] [--head H]
// [--focus TOKEN] [--json | --html FILE] SENTENCE.
//
// Runs the sentence through every training snapshot of the model (timeline.hpp)
// and prints the timeline as text, or as JSON, or writes it as an HTML page.
// Also `--model NAME --snapshot list` of the main command: the snapshots with
// their losses.
#pragma once

#include "cli_options.hpp"
#include "run_plan.hpp"

namespace attn {

int run_timeline(const TimelineCommand& command, const Terminal& terminal);

// --snapshot list: the model's snapshots, as a table or (json) as JSON, on stdout.
int list_snapshots(const std::string& model, bool json);

}  // namespace attn
