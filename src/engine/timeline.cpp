// One sentence through every training snapshot. See timeline.hpp.
#include "attn/timeline.hpp"

#include <fmt/format.h>

#include "attn/explorer.hpp"
#include "attn/model.hpp"
#include "attn/token_lookup.hpp"
#include "attn/trace_stats.hpp"
#include "attn/util/error.hpp"

namespace attn {

namespace {

// The head with the largest previous-token share at the last evaluated snapshot
// (the first such head on a tie), from 1; nothing without an evaluation.
std::optional<std::pair<std::size_t, std::size_t>> clearest_previous_token_head(const std::optional<Evaluation>& evaluation) {
  if (!evaluation || evaluation->snapshots.empty()) return std::nullopt;
  const SnapshotEvaluation& last = evaluation->snapshots.back();
  std::pair<std::size_t, std::size_t> best{1, 1};
  double share = -1.0;
  for (std::size_t l = 0; l < last.heads.size(); ++l)
    for (std::size_t h = 0; h < last.heads[l].size(); ++h)
      if (last.heads[l][h].previous_token > share) {
        share = last.heads[l][h].previous_token;
        best = {l + 1, h + 1};
      }
  return best;
}

void check_head(const TimelineRequest& r, const ModelInfo& m) {
  if (r.layer && (*r.layer < 1 || *r.layer > m.n_layer)) {
    throw UsageError(fmt::format("{} {}: {} has layers 1 to {}", key_ref("layer"), *r.layer, m.name, m.n_layer), "", "layer");
  }
  if (r.head && (*r.head < 1 || *r.head > m.n_head)) {
    throw UsageError(fmt::format("{} {}: {} has heads 1 to {}", key_ref("head"), *r.head, m.name, m.n_head), "", "head");
  }
}

}  // namespace

Timeline make_timeline(const TimelineRequest& request) {
  const ModelFolder where = find_model(request.model);
  Timeline t;
  t.folder = where.folder.string();
  t.sentence = request.sentence;
  t.all_layers = request.all_layers;
  const std::vector<Snapshot> snapshots = read_snapshots(where.folder);
  if (snapshots.empty()) {
    throw UsageError(fmt::format("{} {}: the model has no training snapshots (no snapshots.json in {})", key_ref("model"),
                                 request.model, t.folder),
                     "the bundled demo model has them: attn-explain timeline --model demo SENTENCE", "model");
  }
  // The last snapshot is the final model (snapshots.hpp): opened once, first, for its sizes.
  const Model last = Model::open(where, snapshots.back());
  t.model = last.info();
  t.model.snapshot = std::nullopt;
  check_head(request, t.model);
  const std::optional<Evaluation> evaluation = read_evaluation(where.folder, t.model.n_layer, t.model.n_head);
  if (evaluation) t.baseline_fixed_offset = evaluation->baseline_fixed_offset;
  t.evaluated = evaluation.has_value();
  const auto clearest = clearest_previous_token_head(evaluation);
  t.chosen_by_default = !request.layer && !request.head;
  t.layer = request.layer.value_or(clearest && !request.head ? clearest->first : 1);
  t.head = request.head.value_or(clearest && !request.layer ? clearest->second : 1);

  ModelRequest run;
  run.sentence = request.sentence;
  run.layer = std::nullopt;  // every block's weights
  run.top_k = 0;
  for (const Snapshot& s : snapshots) {
    // One snapshot: the sentence through its weights, every block's heads kept.
    const Trace trace = &s == &snapshots.back() ? explore(run, last) : explore(run, Model::open(where, s));
    if (t.tokens.empty()) {
      t.tokens = trace.tokens;
      t.focus = request.focus ? find_focus(trace, *request.focus) : trace.tokens.size() - 1;
    }
    TimelineFrame& f = t.frames.emplace_back();
    f.snapshot = s;
    f.weights = trace.layer_weights[t.layer - 1][t.head - 1];
    f.looks_at = argmax(f.weights.row(t.focus));
    for (const std::vector<Matrix>& layer : trace.layer_weights) {
      std::vector<HeadProfile>& row = f.patterns.emplace_back();
      for (const Matrix& head : layer) row.push_back(classify_head(head));
    }
    if (const SnapshotEvaluation* e = evaluation_at(evaluation, s.step)) f.shares = e->heads[t.layer - 1][t.head - 1];
  }
  return t;
}

}  // namespace attn
