// model.hpp: a trained GPT-2-family model, and one run of it as a Trace.
//
// Model::open() reads a folder laid out as Hugging Face publishes GPT-2
// (config.json, model.safetensors, vocab.json, merges.txt); explore(ModelRequest,
// Model) (explorer.hpp, beside the table run's explore) runs the sentence through it and fills a Trace the renderers draw like any other:
// the chosen block's attention is the book's MultiHeadAttention (split heads,
// qkv bias, √head_dim scaling, the causal mask, out_proj = c_proj), so
//   inputs          = the block's ln_1 output (n × n_embd)
//   heads[h]        = head h: its columns of c_attn as W_query, W_key, W_value (and
//                     the biases), queries … context
//   concatenated, out_proj (c_proj), output (the attention's output, before the residual)
//   block           = the block's input, its ln_1's statistics, and its stages after the attention:
//                     residual, ln_2, mlp_hidden, mlp_output (BlockTrace)
//   block_output    = the residual stream after the block
//   lens            = with request.lens, the logit lens at every layer and position
//   generation      = with request.generate, each sampled token's step; the tokens then
//                     include them, and every stage is that of the whole text
//   next_tokens     = the top_k most likely tokens after the sentence: softmax(logits / temperature)
// and settings.projection == Projection::model. Nothing here prints.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "attn/settings.hpp"
#include "attn/snapshots.hpp"
#include "attn/trace.hpp"

namespace attn {

// The temperatures a run takes (--temperature, a trace's "temperature"): below the lowest,
// the logits divided by it could overflow.
inline constexpr double kLowestTemperature = 0.001, kHighestTemperature = 1000.0;

struct ModelRequest {
  std::string sentence;
  std::optional<std::size_t> layer = 1;  // the block shown, from 1; nothing: every block's weights only
  std::size_t top_k = 5;                 // next_tokens kept (0: none)
  float temperature = 1.0f;              // the logits are divided by it before next_tokens' softmax
                                         // REQUIRES: from kLowestTemperature to kHighestTemperature
  std::size_t generate = 0;              // tokens to sample and append, one at a time (sampling.hpp)
  std::uint64_t seed = 123;              // torch.manual_seed before the first draw
  std::size_t sample_top_k = 0;          // sample among the K most likely tokens (0: all of them)
  bool lens = false;                     // fill Trace::lens, top_k tokens (at least 1) per layer and position
  bool positions = true;                 // false: leave out the learned position embeddings (wpe)
  std::optional<std::size_t> max_tokens; // a longer sentence is a DataError; nothing: the model's n_positions
  MemoryBudget memory;
};

// Where a model lives: its folder as found, and its name (the folder's own name,
// as info().name gives it once opened).
struct ModelFolder {
  std::filesystem::path folder;
  std::string name;
};

// A folder given as is, else a bundled model of that name (data/models/NAME).
// Reads nothing in it. Throws DataError (key "model") when there is neither.
ModelFolder find_model(const std::string& folder_or_name);

class Model {
 public:
  // A folder, or the name of a bundled model (data/models/NAME). Throws
  // DataError for a folder that is missing or is not a readable GPT-2 checkpoint.
  // `snapshot`: the weights of one of its training snapshots instead of the final
  // ones ("first", "last" or a step: choose_snapshot(), snapshots.hpp); info().snapshot
  // is then its step. Empty: the final weights.
  static Model open(const std::string& folder_or_name, const std::string& snapshot = "");

  // One training snapshot of a model already found, without reading snapshots.json
  // again (the timeline opens every snapshot in turn).
  // REQUIRES: `snapshot` is an entry of read_snapshots(where.folder).
  static Model open(const ModelFolder& where, const Snapshot& snapshot);

  Model(Model&&) noexcept;
  Model& operator=(Model&&) noexcept;
  ~Model();

  const ModelInfo& info() const;
  const std::filesystem::path& folder() const;

 private:
  struct Impl;  // the checkpoint as read (model_explorer.cpp)
  explicit Model(std::unique_ptr<Impl> impl);
  // The checkpoint in `folder` with the weights of `weights_file`; info().snapshot = `step`.
  static Model load(const std::filesystem::path& folder, const std::string& weights_file,
                    std::optional<std::size_t> step);
  std::unique_ptr<Impl> impl_;

  // The model's run reads the checkpoint; nothing else sees it.
  friend Trace explore(const ModelRequest& request, const Model& model);
};

}  // namespace attn
