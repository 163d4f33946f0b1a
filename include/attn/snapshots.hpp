// snapshots.hpp: a model's weights as they were during its training, and what was
// measured of each snapshot's heads.
//
// A model folder may hold, beside its final weights, snapshots of its training
// (scripts/train_demo.py writes them for the bundled demo model):
//   snapshots.json   {"snapshots": [{"step", "file", "train_loss", "heldout_loss"}, ...]}:
//                    the optimizer steps taken, ascending from 0, the weights' file
//                    (relative to the folder; the last one is model.safetensors) and the
//                    mean next-token cross-entropy, in nats a token, on the training and
//                    the held-out sentences at that step;
//   evaluation.json  {"baseline_fixed_offset", "snapshots": [{"step", "heads": [layer][head]
//                    {"antecedent_share", "previous_token_share"}]}]}: what
//                    scripts/eval_demo.py measured with the binary on the held-out
//                    sentences at every snapshot (docs/demo-model.md says how).
// The tokenizer and config.json are the folder's, shared by every snapshot.
//
// Promises: read_snapshots() and read_evaluation() return the files' contents
// checked (steps ascending and unique, files inside the folder, losses finite, one
// share per layer and head in [0, 1]) or throw DataError naming the file and the
// entry; a folder without the file gives an empty list / nothing.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace attn {

struct Snapshot {
  std::size_t step = 0;        // optimizer steps taken when the weights were saved
  std::string file;            // the weights, relative to the model's folder
  double train_loss = 0.0;     // nats a token, on the training sentences
  double heldout_loss = 0.0;   // nats a token, on the held-out sentences
};

// A head's shares, as scripts/eval_demo.py measures them on the held-out sentences.
struct HeadShares {
  double antecedent = 0.0;      // sentences whose "it" row looks most at the noun "it" refers to
  double previous_token = 0.0;  // rows (but the first) that look most at the token just before
};

struct SnapshotEvaluation {
  std::size_t step = 0;
  std::vector<std::vector<HeadShares>> heads;  // [layer][head]
};

struct Evaluation {
  double baseline_fixed_offset = 0.0;  // the best antecedent share of always looking k tokens back
  std::vector<SnapshotEvaluation> snapshots;
};

// The folder's snapshots.json; empty when there is none.
std::vector<Snapshot> read_snapshots(const std::filesystem::path& model_folder);

// The folder's evaluation.json; nothing when there is none.
// REQUIRES: n_layer, n_head: the model's, which every entry must match.
std::optional<Evaluation> read_evaluation(const std::filesystem::path& model_folder, std::size_t n_layer,
                                          std::size_t n_head);

// Whether `which` is the form of a snapshot's name: "first", "last" or a step
// number (digits, at most 19: any step a file can hold in practice; leading zeros
// allowed, "014" is step 14). Whether the model has that step is choose_snapshot()'s.
bool is_snapshot_name(const std::string& which);

// The snapshot `which` names: "first", "last" or a step number of the list.
// Throws UsageError (key "snapshot") naming the steps there are, or saying that
// `model` has none.
const Snapshot& choose_snapshot(const std::vector<Snapshot>& snapshots, const std::string& which,
                                const std::string& model);

// The shares measured at `step`, or nothing when the evaluation has none for it.
const SnapshotEvaluation* evaluation_at(const std::optional<Evaluation>& evaluation, std::size_t step);

}  // namespace attn
