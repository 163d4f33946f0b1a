// Reading a GPT-2 folder: config.json, then every tensor by its Hugging Face name.
#include "gpt2_checkpoint.hpp"

#include <cerrno>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "attn/util/error.hpp"
#include "attn/util/echo.hpp"
#include "attn/util/json_file.hpp"
#include "attn/util/text_file.hpp"

namespace attn {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Hugging Face's config.json nests 3 levels ("task_specific_params"); room for more.
constexpr int kMaxConfigDepth = 16;

// A positive whole number of config.json, at most `most`.
std::size_t config_whole(const json& j, const std::string& source, const char* key, std::size_t most) {
  if (!j.contains(key)) throw DataError(fmt::format("{}: missing \"{}\"", source, key));
  const json& v = j.at(key);
  if (!v.is_number_unsigned() || v.get<std::uint64_t>() < 1 || v.get<std::uint64_t>() > most) {
    throw DataError(fmt::format("{}: \"{}\" is {}, expected a whole number from 1 to {}", source, key,
                                printable(v.dump()), most));
  }
  return v.get<std::size_t>();
}

Gpt2Config read_config(const fs::path& path) {
  const std::string source = path.string();
  // As every other JSON file: a key twice (the last would silently win) is refused.
  const json j = parse_json_document(read_text_file(path), source, kMaxConfigDepth);
  if (!j.is_object()) throw DataError(fmt::format("{}: is {}, expected an object", source, json_type_name(j)));
  Gpt2Config c;
  c.n_layer = config_whole(j, source, "n_layer", 1024);
  c.n_head = config_whole(j, source, "n_head", 1024);
  c.n_embd = config_whole(j, source, "n_embd", 1 << 16);
  c.n_positions = config_whole(j, source, "n_positions", 1 << 16);
  c.vocab_size = config_whole(j, source, "vocab_size", 1 << 20);
  if (j.contains("layer_norm_epsilon")) {
    const json& e = j.at("layer_norm_epsilon");
    if (!e.is_number() || !(e.get<double>() > 0.0 && e.get<double>() < 1.0)) {
      throw DataError(fmt::format("{}: \"layer_norm_epsilon\" is {}, expected a number between 0 and 1", source,
                                  printable(e.dump())));
    }
    c.layer_norm_epsilon = e.get<float>();
  }
  if (c.n_embd % c.n_head != 0) {
    throw DataError(fmt::format("{}: \"n_embd\" {} is not divisible by \"n_head\" {}", source, c.n_embd, c.n_head));
  }
  return c;
}

// Finds tensors by name, with or without the "transformer." prefix, and checks shapes.
class TensorFinder {
 public:
  TensorFinder(Gpt2Checkpoint& c) : c_(c) {}

  std::span<const float> get(const std::string& name, std::vector<std::size_t> shape) {
    const TensorInfo* t = c_.file.find(name);
    if (!t) t = c_.file.find("transformer." + name);
    if (!t) throw DataError(fmt::format("{}: missing tensor \"{}\"", c_.file.path(), name));
    if (t->shape != shape) {
      throw DataError(fmt::format("{}: tensor \"{}\" has shape [{}], but config.json makes it [{}]", c_.file.path(),
                                  t->name, fmt::join(t->shape, ", "), fmt::join(shape, ", ")));
    }
    std::vector<float> storage;
    const std::span<const float> values = c_.file.floats(*t, storage);
    if (storage.empty()) return values;
    c_.storage.push_back(std::move(storage));
    return c_.storage.back();
  }

  Gpt2LayerNorm layer_norm(const std::string& name, std::size_t width) {
    Gpt2LayerNorm ln;
    ln.weight = get(name + ".weight", {width});
    ln.bias = get(name + ".bias", {width});
    return ln;
  }

  Gpt2Linear linear(const std::string& name, std::size_t in, std::size_t out) {
    Gpt2Linear l;
    l.weight = get(name + ".weight", {in, out});
    l.bias = get(name + ".bias", {out});
    l.in = in;
    l.out = out;
    l.packed = pack_weights(l.weight, in, out);
    return l;
  }

 private:
  Gpt2Checkpoint& c_;
};

// Only its absence is reported here (a symbolic link that leads nowhere is not an
// absence): a directory, a FIFO or an unreadable file in its place is refused by
// the file's reader, which says which.
fs::path required_file(const fs::path& dir, const char* name) {
  const fs::path path = dir / name;
  std::error_code ec;
  if (fs::exists(path, ec)) return path;
  if (ec.value() == ELOOP) {
    throw DataError(fmt::format("{}: too many levels of symbolic links (a loop?)", path.string()));
  }
  std::error_code link_ec;
  if (fs::is_symlink(fs::symlink_status(path, link_ec))) {
    throw DataError(fmt::format("{}: a symbolic link to a file that does not exist", path.string()));
  }
  if (!ec || ec == std::errc::no_such_file_or_directory) {
    throw DataError(fmt::format("{}: missing {} (a GPT-2 folder holds config.json, model.safetensors, vocab.json and merges.txt)",
                                dir.string(), name));
  }
  return path;  // not readable: its reader says why
}

}  // namespace

std::string checkpoint_name(const fs::path& dir) {
  const fs::path whole = fs::absolute(dir).lexically_normal();
  std::string name = whole.filename().string();
  if (name.empty()) name = whole.parent_path().filename().string();  // "models/demo/" ends in an empty name
  return name;
}

Gpt2Checkpoint load_gpt2_checkpoint(const fs::path& dir, const std::string& weights_file) {
  const fs::path config = required_file(dir, "config.json");
  const fs::path weights = required_file(dir, weights_file.c_str());
  const fs::path vocab = required_file(dir, "vocab.json");
  const fs::path merges = required_file(dir, "merges.txt");
  Gpt2Checkpoint c{.name = checkpoint_name(dir),
                   .dir = dir,
                   .config = read_config(config),
                   .wte = {},
                   .wpe = {},
                   .blocks = {},
                   .ln_f = {},
                   .tokenizer = BpeTokenizer::load(vocab.string(), merges.string()),
                   .file = SafetensorsFile::open(weights.string()),
                   .storage = {}};
  const Gpt2Config& g = c.config;
  if (c.tokenizer.vocab_size() > g.vocab_size) {
    throw DataError(fmt::format("{}: {} ids, but config.json's \"vocab_size\" is {}", vocab.string(),
                                c.tokenizer.vocab_size(), g.vocab_size));
  }
  active_kernel();  // an ATTN_KERNEL this processor cannot run is refused before any work
  c.storage.reserve(c.file.tensors().size());  // spans into storage stay valid
  TensorFinder find(c);
  const std::size_t e = g.n_embd;
  c.wte = find.get("wte.weight", {g.vocab_size, e});
  c.wpe = find.get("wpe.weight", {g.n_positions, e});
  for (std::size_t l = 0; l < g.n_layer; ++l) {
    const std::string h = fmt::format("h.{}.", l);
    Gpt2Block b;
    b.ln_1 = find.layer_norm(h + "ln_1", e);
    b.c_attn = find.linear(h + "attn.c_attn", e, 3 * e);
    b.attn_proj = find.linear(h + "attn.c_proj", e, e);
    b.ln_2 = find.layer_norm(h + "ln_2", e);
    b.c_fc = find.linear(h + "mlp.c_fc", e, 4 * e);
    b.mlp_proj = find.linear(h + "mlp.c_proj", 4 * e, e);
    c.blocks.push_back(std::move(b));  // not a copy of its packed weights
  }
  c.ln_f = find.layer_norm("ln_f", e);
  return c;
}

}  // namespace attn
