#include "run_notes.hpp"

#include <fmt/format.h>

namespace attn {

namespace {

// Why a stage --stages names has no table in this run, or "" when it has one.
std::string missing_stage(Stage stage, const Settings& s) {
  switch (stage) {
    case Stage::params:
      return s.projection == Projection::none ? "with --projection none there are no weight matrices" : "";
    case Stage::mask:
      return s.causal ? "" : "this run has no causal mask (add --causal)";
    case Stage::dropout:
      return s.dropout > 0.0 ? "" : "this run has no dropout (add --dropout P)";
    case Stage::heads:
      return s.heads > 1 ? "" : "this run has one head (add --heads N)";
    case Stage::output:
      return s.multihead == Multihead::split ? ""
                                             : "only MultiHeadAttention has an output projection (add --multihead split)";
    case Stage::positions:
      return s.positions == Positions::sinusoidal ? "" : "this run adds no position encoding (add --positions sinusoidal)";
    case Stage::residual:
    case Stage::ln_2:
    case Stage::mlp_hidden:
    case Stage::mlp:
    case Stage::block:
      return s.projection != Projection::model ? "a table run stops after the attention; the rest of a block comes "
                                                 "with a model (--model demo)"
                                               : "";
    default:
      return "";
  }
}

}  // namespace

std::vector<std::string> ineffective_options(const RunPlan& plan, const Settings& s) {
  std::vector<std::string> notes;
  const View& view = plan.view;
  for (const Stage stage : view.stages) {
    const std::string why = missing_stage(stage, s);
    if (!why.empty()) notes.push_back(fmt::format("--stages {}: {}", to_string(stage), why));
  }
  if (view.explanations && view.focus && !view.stages_given) {
    notes.push_back("--explain: its notes go under the tables' titles, and with --focus alone no table is printed "
                    "(add --stages)");
  }
  const bool weights_drawn = s.projection == Projection::rand || s.projection == Projection::linear;
  const bool masks_drawn = s.dropout > 0.0 && !s.dropout_seed;
  const std::uint64_t seed = std::get<Request>(plan.compute).seed;
  if (seed != Request{}.seed && !weights_drawn && !masks_drawn) {
    notes.push_back(fmt::format("--seed {}: nothing is drawn at random in this run (the weights come from {}, and "
                                "there is no dropout)",
                                seed, s.projection == Projection::table ? "the table" : "nowhere: --projection none"));
  }
  return notes;
}

std::vector<std::string> ineffective_with_compare(const RunOutputs& o) {
  std::vector<std::string> notes;
  if (!o.trace_file.empty()) {
    notes.push_back(fmt::format("--trace {}: --compare runs several traces and writes none (drop --compare to write one)",
                                o.trace_file));
  }
  if (!o.svg_file.empty()) {
    notes.push_back(fmt::format("--svg {}: --compare runs several traces and draws none (drop --compare to draw one)",
                                o.svg_file));
  }
  if (!o.html_file.empty()) {
    notes.push_back(fmt::format("--html {}: --compare runs several traces and draws none (drop --compare to draw one)",
                                o.html_file));
  }
  return notes;
}

}  // namespace attn
