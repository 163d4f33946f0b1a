// gpt2_checkpoint.hpp: a GPT-2-family checkpoint in the folder layout Hugging Face
// publishes: config.json, model.safetensors, vocab.json, merges.txt.
//
// load_gpt2_checkpoint() reads config.json (n_layer, n_head, n_embd, n_positions,
// vocab_size, layer_norm_epsilon), maps model.safetensors and finds every weight
// by Hugging Face's GPT-2 names (wte, wpe, h.N.ln_1, h.N.attn.c_attn, h.N.attn.c_proj,
// h.N.ln_2, h.N.mlp.c_fc, h.N.mlp.c_proj, ln_f; a "transformer." prefix tolerated),
// and loads the tokenizer. It promises, once it returns:
//   - every tensor has the shape the config gives it (Conv1D weights in × out, as
//     stored: c_attn n_embd × 3·n_embd with q, k, v side by side along the output);
//   - the weights are float32 views: into the mapped file for F32, into storage
//     owned here for F16 and BF16 (converted once);
//   - the tokenizer's vocabulary has vocab_size ids at most;
//   - every Conv1D weight is prepared for linear() (linear.hpp), once;
//   - ATTN_KERNEL, if set, names a path this processor runs (kernel.hpp).
// Every problem is a one-line DataError naming the file and the key or tensor.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "bpe_tokenizer.hpp"
#include "attn/util/safetensors.hpp"
#include "linear.hpp"

namespace attn {

struct Gpt2Config {
  std::size_t n_layer = 0, n_head = 0, n_embd = 0, n_positions = 0, vocab_size = 0;
  float layer_norm_epsilon = 1e-5f;
};

// A Conv1D: y = x · weight + bias, weight in × out (row k holds input k's weights).
struct Gpt2Linear {
  std::span<const float> weight;  // in × out, row-major
  std::span<const float> bias;    // out
  std::size_t in = 0, out = 0;
  PackedWeights packed;           // weight, as linear() reads it (a view of it and its last columns)
};

struct Gpt2LayerNorm {
  std::span<const float> weight, bias;  // n_embd each
};

struct Gpt2Block {
  Gpt2LayerNorm ln_1;
  Gpt2Linear c_attn;     // n_embd × 3·n_embd: queries, keys, values
  Gpt2Linear attn_proj;  // h.N.attn.c_proj, n_embd × n_embd
  Gpt2LayerNorm ln_2;
  Gpt2Linear c_fc;       // n_embd × 4·n_embd
  Gpt2Linear mlp_proj;   // h.N.mlp.c_proj, 4·n_embd × n_embd
};

struct Gpt2Checkpoint {
  std::string name;  // the folder's name
  std::filesystem::path dir;
  Gpt2Config config;
  std::span<const float> wte;  // vocab_size × n_embd: token embeddings, also the output layer
  std::span<const float> wpe;  // n_positions × n_embd: position embeddings
  std::vector<Gpt2Block> blocks;
  Gpt2LayerNorm ln_f;
  BpeTokenizer tokenizer;
  SafetensorsFile file;
  std::vector<std::vector<float>> storage;  // converted F16/BF16 tensors
};

// A checkpoint's name: its folder's own name ("demo" for data/models/demo/).
std::string checkpoint_name(const std::filesystem::path& dir);

// REQUIRES: nothing; throws DataError for a folder that lacks a file, a config
// without a field or with a value out of range, missing or misshapen tensors,
// and a tokenizer with more ids than vocab_size; UsageError for an ATTN_KERNEL the
// processor cannot run. `weights_file`: the weights to map instead of
// model.safetensors (a training snapshot, snapshots.hpp), relative to `dir`.
Gpt2Checkpoint load_gpt2_checkpoint(const std::filesystem::path& dir,
                                    const std::string& weights_file = "model.safetensors");

}  // namespace attn
