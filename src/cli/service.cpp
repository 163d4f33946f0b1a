#include "service.hpp"

#include <algorithm>
#include <filesystem>
#include <new>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "attn/embedding_table.hpp"
#include "attn/util/error.hpp"
#include "attn/explorer.hpp"
#include "attn/word_vectors.hpp"
#include "attn/snapshots.hpp"
#include "attn/util/data_dir.hpp"
#include "attn/render/render_head_view.hpp"
#include "option_values.hpp"
#include "run_keys.hpp"
#include "show_trace.hpp"
#include "attn/stage.hpp"
#include "attn/util/text_file.hpp"
#include "attn/trace_json.hpp"

namespace attn {

namespace fs = std::filesystem;

namespace {

// The bundled tables a page offers, by name.
constexpr const char* kBundledTables[] = {"default", "journey", "journey-sa-v2"};

// The bundled models a page offers, opened when the service starts.
constexpr const char* kBundledModels[] = {"demo"};

// Keys a page may not ask: they name files or the terminal.
constexpr const char* kNotAsked[] = {"trace", "svg", "html", "json", "step", "color", "width", "embeddings", "format",
                                    "compare"};

// The page is held whole before it is sent, which the command line writes as it is drawn: 38 to
// 41 bytes a number held (measured when the command line held it too), less memory_budget.hpp's 6
// for --html. (The trace's JSON is written as it is sent, as the command line writes it.)
constexpr std::uint64_t kPageHeld = 50;

Reply error_reply(int status, const std::string& message, const std::string* key) {
  nlohmann::ordered_json body = {{"error", message}, {"key", key ? nlohmann::ordered_json(*key) : nlohmann::ordered_json()}};
  return {status, "application/json", body.dump() + "\n", nullptr};
}

std::string content_type_of(Product product) {
  switch (product) {
    case Product::trace: return "application/json";
    case Product::report: return "text/html; charset=utf-8";
    case Product::svg:
    case Product::heads: return "image/svg+xml";
  }
  return "text/plain";
}

// The bytes the command line prints for the product.
std::string product_bytes(Product product, const Trace& trace, const RunPlan& plan) {
  const MadeOutputs made = make_outputs(trace, plan.outputs, plan.view);  // a --head the run lacks is refused
  if (product == Product::heads) return render_head_view(trace);
  return product == Product::svg ? made.svg : made.html_text();
}

// The answer for the product: the trace itself, to be written as it is sent, or the bytes of the others.
Reply reply(Product product, std::shared_ptr<const Trace> trace, const RunPlan& plan) {
  if (product == Product::trace) {
    make_outputs(*trace, plan.outputs, plan.view);  // as --json: a --head the run does not have is refused
    return {200, content_type_of(product), {}, std::move(trace)};
  }
  return {200, content_type_of(product), product_bytes(product, *trace, plan), nullptr};
}

void add_named(std::map<std::string, std::string>& named, const std::string& name, const std::string& what, std::string value) {
  if (!named.emplace(name, std::move(value)).second) {
    throw UsageError(fmt::format("serve: two {} are named {}", what, name), "give each a file or folder of its own name");
  }
}

}  // namespace

Service::Service(const std::vector<std::string>& tables, const std::vector<std::string>& models) {
  for (const char* name : kBundledTables) tables_[name] = find_data_file(std::string(name) + ".json").string();
  for (const std::string& file : tables) {
    const fs::path path = resolve_table(file);
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw DataError(fmt::format("-e {}: no such file", file));
    tables_.erase(path.stem().string());  // a table given replaces a bundled one of its name
    add_named(tables_, path.stem().string(), "tables", path.string());
  }
  for (const char* name : kBundledModels) models_[name] = std::make_unique<Model>(Model::open(name));
  for (const std::string& folder : models) {
    auto model = std::make_unique<Model>(Model::open(folder));
    const std::string name = model->info().name;
    if (models_.count(name) && !std::count(std::begin(kBundledModels), std::end(kBundledModels), name)) throw UsageError(fmt::format("serve: two models are named {}", name), "give each a folder of its own name");
    models_[name] = std::move(model);
  }
}

const Model& Service::model_named(const std::string& name) const {
  const std::lock_guard<std::mutex> lock(models_guard_);
  std::unique_ptr<Model>& model = models_[name];
  if (!model) {
    // Only the models given at start and the bundled ones: never a path a page sends.
    if (name.find('/') != std::string::npos || name.empty() || name[0] == '.') {
      models_.erase(name);
      throw OptionError("model", fmt::format("--model {}: not a model of this server", name));
    }
    try {
      model = std::make_unique<Model>(Model::open(name));
    } catch (...) {
      models_.erase(name);
      throw;
    }
  }
  return *model;
}

const Model& Service::snapshot_of(const std::string& name, const std::string& snapshot) const {
  const Model& final_model = model_named(name);
  if (snapshot.empty()) return final_model;
  if (snapshot == "list") {
    throw OptionError("snapshot", "--snapshot list: a page asks for one snapshot (a step, first or last)",
                      "the command line lists them: attn-explain --model " + name + " --snapshot list");
  }
  const std::lock_guard<std::mutex> lock(models_guard_);
  auto listed = snapshot_lists_.find(name);
  if (listed == snapshot_lists_.end()) listed = snapshot_lists_.emplace(name, read_snapshots(final_model.folder())).first;
  // The command line's own message for a step the model lacks, naming the model as asked.
  const Snapshot& chosen = choose_snapshot(listed->second, snapshot, name);
  // Kept by its step, however it was named (14, 014, last): one copy of each snapshot's weights.
  const std::string key = name + "@" + std::to_string(chosen.step);
  std::unique_ptr<Model>& model = snapshots_[key];
  if (!model) {
    try {
      model = std::make_unique<Model>(Model::open(ModelFolder{final_model.folder(), final_model.info().name}, chosen));
    } catch (...) {
      snapshots_.erase(key);
      throw;
    }
  }
  return *model;
}

Reply Service::answer(Product product, const RawOptions& query, const std::string* table_json) const {
  try {
    RawOptions raw;
    std::string table = "default", model;
    for (const auto& [key, value] : query) {
      if (std::find(std::begin(kNotAsked), std::end(kNotAsked), key) != std::end(kNotAsked)) {
        throw OptionError(key, fmt::format("{}: not an option of this command", flag_name(key)));
      }
      // A page may lower the memory budget, never raise it above the command line's default.
      if (key == "max-memory" && memory_size_problem(value).empty() && memory_size_bytes(value) > MemoryBudget{}.limit) {
        throw OptionError(key, fmt::format("{} {}: this server allows at most {}G a request", flag_name(key), value,
                                           MemoryBudget{}.limit >> 30));
      }
      // The trace is the run's, however it is shown: what --json excludes only shapes the view.
      if ((product == Product::trace || product == Product::heads) && (key == "stages" || key == "focus" || key == "explain")) continue;
      if (key == "table") table = value;
      else if (key == "model") model = value;
      else raw.emplace_back(key, value);
    }
    if (product == Product::report) raw.emplace_back("html", "-");
    if (product == Product::svg) raw.emplace_back("svg", "-");
    if (product == Product::trace || product == Product::heads) raw.emplace_back("json", "true");
    if (!model.empty()) {
      raw.emplace_back("model", model);
      RunPlan plan = resolve_run(raw, Terminal{});
      if (product == Product::report) std::get<ModelRequest>(plan.compute).memory.text_per_number += kPageHeld;
      auto trace = std::make_shared<const Trace>(explore(std::get<ModelRequest>(plan.compute), snapshot_of(model, plan.snapshot)));
      return reply(product, std::move(trace), plan);
    }
    const auto named = tables_.find(table);
    if (!table_json && named == tables_.end()) {
      throw OptionError("table", fmt::format("--table {}: not a table of this server", table));
    }
    RunPlan plan = resolve_run(raw, Terminal{});
    Request& request = std::get<Request>(plan.compute);
    if (product == Product::report) request.memory.text_per_number += kPageHeld;
    const EmbeddingTable loaded = table_json ? parse_table(*table_json, "the edited table")
                                             : load_embeddings(named->second, VectorRequest{sentence_tokens(request.sentence), plan.format, {}});
    return reply(product, std::make_shared<const Trace>(explore(request, loaded)), plan);
  } catch (const Error& e) {
    // The command line's own message: the keys it names written as its options.
    const auto as_option = [](std::string_view key) { return "--" + std::string(key); };
    return error_reply(400, name_keys(e.message(), as_option), e.key().empty() ? nullptr : &e.key());
  } catch (const std::bad_alloc&) {
    return error_reply(503, "out of memory: the run needed more than the system would give it", nullptr);
  }
}

std::string Service::catalogue_json() const {
  nlohmann::ordered_json tables = nlohmann::ordered_json::array(), models = nlohmann::ordered_json::array();
  for (const auto& [name, path] : tables_) tables.push_back({{"name", name}});
  {
    const std::lock_guard<std::mutex> lock(models_guard_);
    for (const auto& [name, model] : models_) {
      if (!model) continue;
      const ModelInfo& info = model->info();
      nlohmann::ordered_json steps = nlohmann::ordered_json::array();
      try {
        for (const Snapshot& s : read_snapshots(model->folder())) steps.push_back(s.step);
      } catch (const Error&) {
        steps.clear();  // a snapshots.json that cannot be read: --snapshot says why when asked
      }
      models.push_back({{"name", name}, {"layers", info.n_layer}, {"heads", info.n_head}, {"width", info.n_embd}, {"snapshots", steps}});
    }
  }
  nlohmann::ordered_json stages = nlohmann::ordered_json::array();
  for (const Named<Stage>& stage : kStageNames) stages.push_back(stage.name);
  return nlohmann::ordered_json({{"tables", tables}, {"models", models}, {"stages", stages}}).dump() + "\n";
}

std::optional<std::string> Service::table_file(const std::string& name) const {
  const auto named = tables_.find(name);
  if (named == tables_.end() || fs::path(named->second).extension() != ".json") return std::nullopt;
  return read_text_file(named->second);
}

}  // namespace attn
