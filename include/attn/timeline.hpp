// timeline.hpp: one sentence through every training snapshot of a model, to
// watch a head become what it is (attn-explain timeline).
//
// make_timeline() opens each snapshot of the model (snapshots.hpp), runs the
// sentence through it with every block's weights kept (explore, --layer all),
// and keeps, per snapshot:
//   - the chosen head's weights (n × n) and the key the focus token looks at most;
//   - every head's pattern (head_patterns.hpp), for the --layer all captions;
//   - the snapshot's losses and, when the folder has evaluation.json, the head's
//     measured antecedent and previous-token shares.
// The head, when not asked for, is the one with the largest previous-token share
// at the last snapshot (the evaluation's; without one, layer 1 head 1); the focus
// token, when not asked for, is the last one. Nothing here prints.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "attn/head_patterns.hpp"
#include "attn/matrix.hpp"
#include "attn/snapshots.hpp"
#include "attn/trace.hpp"

namespace attn {

struct TimelineRequest {
  std::string model = "demo";         // a folder or a bundled model's name
  std::string sentence;
  std::optional<std::size_t> layer;   // from 1; nothing: the default head's layer
  std::optional<std::size_t> head;    // from 1; nothing: the default head
  bool all_layers = false;            // --layer all: every head's pattern in each snapshot
  std::optional<std::string> focus;   // a token's text or 1-based position; nothing: the last token
};

struct TimelineFrame {
  Snapshot snapshot;
  std::optional<HeadShares> shares;               // the chosen head's, measured (evaluation.json)
  Matrix weights;                                 // the chosen head's attention weights, n × n
  std::size_t looks_at = 0;                       // the key the focus row weighs most (the first largest)
  std::vector<std::vector<HeadProfile>> patterns; // [layer][head], every head's pattern on this sentence
};

struct Timeline {
  ModelInfo model;                    // of the final weights (snapshot unset)
  std::string folder;                 // the model's folder
  std::string sentence;
  std::vector<std::string> tokens;
  std::size_t layer = 1, head = 1;    // from 1
  bool chosen_by_default = false;     // the head was not asked for
  bool evaluated = false;             // the model has an evaluation.json (the shares, the default head)
  bool all_layers = false;
  std::size_t focus = 0;              // the focus row, from 0
  std::optional<double> baseline_fixed_offset;  // the evaluation's, for the antecedent shares
  std::vector<TimelineFrame> frames;  // one per snapshot, steps ascending
};

// REQUIRES: nothing. Throws UsageError (key "model") when the model has no
// snapshots, (key "layer"/"head") for a layer or head it lacks, DataError as
// Model::open and explore do, and as find_focus for a focus the sentence lacks.
Timeline make_timeline(const TimelineRequest& request);

}  // namespace attn
