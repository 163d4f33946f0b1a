// A model run: open the checkpoint, tokenize with its BPE, run the forward pass,
// and keep the chosen block's attention as a Trace (model.hpp).
#include "attn/model.hpp"
#include "attn/snapshots.hpp"
#include "attn/explorer.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "attn/util/error.hpp"
#include "bpe_tokenizer.hpp"
#include "attn/util/data_dir.hpp"
#include "attn/util/echo.hpp"
#include "gpt2_checkpoint.hpp"
#include "gpt2_forward.hpp"
#include "memory_estimate.hpp"
#include "numeric_check.hpp"
#include "sampling.hpp"
#include "torch_random.hpp"
#include "attn/softmax.hpp"
#include "tokenizer.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

namespace fs = std::filesystem;

struct Model::Impl {
  Gpt2Checkpoint checkpoint;
  ModelInfo info;
};

namespace {


Settings model_settings(const Model& model) {
  const ModelInfo& m = model.info();
  Settings s;
  s.table_path = model.folder().string();
  s.table_name = m.name;
  s.projection_requested = Projection::model;
  s.projection = Projection::model;
  s.d_in = s.d_out = m.n_embd;
  s.heads = m.n_head;
  s.multihead = Multihead::split;
  s.head_dim = m.n_embd / m.n_head;
  s.qkv_bias = true;
  s.scale = true;
  s.softmax = Softmax::stable;
  s.causal = true;
  s.causal_method = CausalMethod::inf;
  s.positions = Positions::learned;
  return s;
}

// softmax(logits / temperature), as torch.softmax in float32.
std::vector<float> probabilities_of(std::vector<float> logits, float temperature) {
  if (temperature != 1.0f)
    for (float& logit : logits) logit /= temperature;  // below 1 sharpens the distribution, above 1 flattens it
  return normalise_row(logits, Softmax::stable).weights;
}

// The top_k tokens by probability (softmax over the logits divided by the temperature, as
// torch.softmax(logits / T) in float32), most likely first; ties go to the lower id, as
// torch.topk's order is not promised. A probability that is not a number (a logit was not
// finite) comes after every number, then by id, so that the order is a strict one and the
// same on every run.
std::vector<NextToken> next_tokens(std::vector<float> logits, float temperature, std::size_t top_k,
                                   const BpeTokenizer& tokenizer) {
  if (top_k == 0) return {};
  const std::vector<float> probabilities = probabilities_of(std::move(logits), temperature);
  std::vector<int> ids(probabilities.size());
  std::iota(ids.begin(), ids.end(), 0);
  const std::size_t k = std::min(top_k, ids.size());
  std::partial_sort(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(k), ids.end(), [&](int a, int b) {
    const float pa = probabilities[a], pb = probabilities[b];
    const bool nan_a = std::isnan(pa), nan_b = std::isnan(pb);
    if (nan_a != nan_b) return nan_b;  // a number before NaN
    return !nan_a && pa != pb ? pa > pb : a < b;
  });
  std::vector<NextToken> out;
  for (std::size_t i = 0; i < k; ++i)
    out.push_back({readable_token(tokenizer.bytes_of(ids[i])), ids[i], probabilities[ids[i]]});
  return out;
}

// --generate: request.generate tokens appended to the trace's one at a time, each sampled
// (sampling.hpp) from a forward pass over the tokens so far, with the draws of
// torch.manual_seed(request.seed).
void generate_tokens(const ModelRequest& request, const Gpt2Checkpoint& checkpoint, Trace& trace) {
  Generation generation;
  generation.seed = request.seed;
  generation.top_k = request.sample_top_k;
  generation.prompt_tokens = trace.tokens.size();
  TorchGenerator gen(request.seed);
  Gpt2ForwardOptions options;
  options.positions = request.positions;
  for (std::size_t step = 0; step < request.generate; ++step) {
    const std::vector<float> logits = gpt2_forward(checkpoint, trace.token_ids, options).last_logits;
    GenerationStep& s = generation.steps.emplace_back();
    s.top = next_tokens(logits, request.temperature, request.top_k, checkpoint.tokenizer);
    const std::vector<float> probabilities = probabilities_of(logits, request.temperature);
    s.draw = gen.rand();
    const Sampled chosen = sample_token(probabilities, request.sample_top_k, s.draw);
    const std::string& bytes = checkpoint.tokenizer.bytes_of(chosen.id);
    s.chosen = {readable_token(bytes), chosen.id, probabilities[chosen.id]};
    s.share = chosen.share;
    s.cumulative = chosen.cumulative;
    trace.tokens.push_back(s.chosen.token);
    trace.token_ids.push_back(chosen.id);
    trace.token_kinds.push_back(first_invalid_utf8(bytes) ? TokenKind::bytes : TokenKind::known);
  }
  trace.generation = std::move(generation);
}

}  // namespace

Model::Model(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;
Model::~Model() = default;
const ModelInfo& Model::info() const { return impl_->info; }
const fs::path& Model::folder() const { return impl_->checkpoint.dir; }

// A folder given as is, else a bundled model of that name (data/models/NAME).
ModelFolder find_model(const std::string& argument) {
  std::error_code ec;
  if (fs::is_directory(argument, ec)) return {argument, checkpoint_name(argument)};
  const bool bare = argument.find('/') == std::string::npos && !argument.empty() && argument != "." && argument != "..";
  std::string looked;
  if (bare) {
    for (const fs::path& dir : data_dirs()) {
      const fs::path candidate = dir / "models" / argument;
      if (fs::is_directory(candidate, ec)) return {candidate, checkpoint_name(candidate)};
      looked += (looked.empty() ? "" : ", ") + candidate.string();
    }
  }
  const std::string model = key_ref("model");  // the request key (error.hpp): the CLI's --model
  if (fs::exists(argument, ec)) {
    throw DataError(fmt::format("{} {}: not a folder", model, printable(argument)), "", "model");
  }
  throw DataError(fmt::format("{} {}: no such folder{}", model, printable(argument), bare ? ", nor a bundled model" : ""),
                  looked.empty() ? "a GPT-2 folder holds config.json, model.safetensors, vocab.json and merges.txt"
                                 : "looked in " + looked,
                  "model");
}

Model Model::open(const std::string& folder_or_name, const std::string& snapshot) {
  const ModelFolder where = find_model(folder_or_name);
  if (!snapshot.empty()) return open(where, choose_snapshot(read_snapshots(where.folder), snapshot, folder_or_name));
  return load(where.folder, "model.safetensors", std::nullopt);
}

Model Model::open(const ModelFolder& where, const Snapshot& snapshot) {
  std::error_code ec;
  if (!fs::is_regular_file(where.folder / snapshot.file, ec)) {
    throw DataError(fmt::format("{}: the snapshot at step {} names {}, which is not there",
                                (where.folder / "snapshots.json").string(), snapshot.step, printable(snapshot.file)),
                    "the folder's snapshots are incomplete: train them again (scripts/train_demo.py)");
  }
  return load(where.folder, snapshot.file, snapshot.step);
}

Model Model::load(const fs::path& folder, const std::string& weights_file, std::optional<std::size_t> step) {
  auto impl = std::make_unique<Impl>(Impl{load_gpt2_checkpoint(folder, weights_file), {}});
  const Gpt2Config& c = impl->checkpoint.config;
  impl->info = ModelInfo{impl->checkpoint.name, c.n_layer, c.n_head, c.n_embd, c.vocab_size, c.n_positions, step};
  return Model(std::move(impl));
}

Trace explore(const ModelRequest& request, const Model& model) {
  const Gpt2Checkpoint& checkpoint = model.impl_->checkpoint;
  const ModelInfo& info = model.info();
  Trace trace;
  trace.sentence = request.sentence;
  trace.settings = model_settings(model);
  trace.model = info;

  check_sentence(request.sentence);  // the table run's check: UTF-8, no control characters
  const std::vector<BpeToken> encoded = checkpoint.tokenizer.encode(request.sentence);
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    const BpeToken& t = encoded[i];
    trace.tokens.push_back(readable_token(t.bytes));
    trace.token_ids.push_back(t.id);
    // A piece of the text that BPE split into several tokens: each is a piece of a word, or bytes of a character.
    const bool split = (i > 0 && encoded[i - 1].piece == t.piece) || (i + 1 < encoded.size() && encoded[i + 1].piece == t.piece);
    trace.token_kinds.push_back(first_invalid_utf8(t.bytes) ? TokenKind::bytes : split ? TokenKind::piece : TokenKind::known);
  }
  if (trace.tokens.empty()) throw DataError("the sentence is empty: give at least one word");
  const std::size_t limit = std::min(request.max_tokens.value_or(info.n_positions), info.n_positions);
  if (trace.tokens.size() > limit) {
    throw DataError(fmt::format("the sentence has {} tokens, more than the limit of {}", trace.tokens.size(), limit),
                    fmt::format("{} reads at most {} tokens (its n_positions); shorten the sentence", info.name,
                                info.n_positions));
  }
  if (trace.tokens.size() + request.generate > limit) {
    throw UsageError(fmt::format("{} {}: the sentence has {} token{} and {} reads at most {}, so at most {} more",
                                 key_ref("generate"), request.generate, trace.tokens.size(),
                                 trace.tokens.size() == 1 ? "" : "s", info.name, limit,
                                 limit - trace.tokens.size()),
                     "", "generate");
  }
  for (const int id : trace.token_ids) {
    if (id < 0 || static_cast<std::size_t>(id) >= info.vocab_size) {
      throw DataError(fmt::format("{}: token id {} is outside the model's vocabulary of {}", checkpoint.dir.string(), id,
                                  info.vocab_size));
    }
  }
  if (request.layer && (*request.layer < 1 || *request.layer > info.n_layer)) {
    throw UsageError(fmt::format("{} {}: {} has layers 1 to {}", key_ref("layer"), *request.layer, info.name, info.n_layer),
                     "", "layer");
  }
  const std::size_t n = trace.tokens.size() + request.generate;
  const std::uint64_t all_weights = request.layer ? 0 : std::uint64_t{n} * n * info.n_head * info.n_layer;
  // the block's stages after its attention: about 12 rows of n_embd per token; the lens' stream, one per layer.
  const std::uint64_t block = request.layer ? std::uint64_t{n} * info.n_embd * 12 : 0;
  // the lens: the stream after every layer, wte transposed, and one layer's scores at a time
  const std::uint64_t stream =
      request.lens ? std::uint64_t{n} * info.n_embd * (info.n_layer + 1) + std::uint64_t{info.vocab_size} * (info.n_embd + n)
                   : 0;
  check_memory(trace.settings, n, request.sentence.size(), request.memory,
               all_weights + block + stream + std::uint64_t{n} * info.n_embd);

  if (request.generate > 0) generate_tokens(request, checkpoint, trace);

  Gpt2ForwardOptions options;
  if (request.layer) options.record_layer = *request.layer - 1;
  options.all_weights = !request.layer;
  options.stream = request.lens;
  options.positions = request.positions;
  Gpt2Forward forward = gpt2_forward(checkpoint, trace.token_ids, options);
  trace.next_tokens = next_tokens(forward.last_logits, request.temperature, request.top_k, checkpoint.tokenizer);
  trace.temperature = request.temperature;
  trace.settings.positions = request.positions ? Positions::learned : Positions::none;
  trace.layer_weights = std::move(forward.all_weights);
  // the logit lens: at every layer and position, what ln_f and wte make of the stream there.
  const Unembedding unembed = request.lens ? unembedding(checkpoint) : Unembedding{};
  for (const Matrix& stream_after : forward.stream) {
    std::vector<std::vector<NextToken>>& layer = trace.lens.emplace_back();
    const Matrix logits = final_logits(checkpoint, unembed, stream_after);
    for (std::size_t i = 0; i < n; ++i)
      layer.push_back(next_tokens({logits.row(i).begin(), logits.row(i).end()}, request.temperature,
                                  std::max<std::size_t>(request.top_k, 1), checkpoint.tokenizer));
  }
  if (!request.layer) {
    trace.warnings = model_numeric_warnings(trace, forward.last_logits);
    return trace;
  }

  trace.layer = request.layer;
  trace.inputs = std::move(forward.layer_input);
  trace.heads = std::move(forward.attention.heads);
  trace.concatenated = std::move(forward.attention.concatenated);
  const Gpt2Linear& c_proj = checkpoint.blocks[*request.layer - 1].attn_proj;
  trace.out_proj = OutProj{Matrix(c_proj.in, c_proj.out), {c_proj.bias.begin(), c_proj.bias.end()}};
  std::copy(c_proj.weight.begin(), c_proj.weight.end(), trace.out_proj->weight.data.begin());
  trace.output = std::move(forward.attention.output);
  trace.block = std::move(forward.block);
  trace.block_output = std::move(forward.block_output);
  trace.warnings = model_numeric_warnings(trace, forward.last_logits);
  return trace;
}

}  // namespace attn
