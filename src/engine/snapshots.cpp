// A model's training snapshots and their evaluation, read and checked. See snapshots.hpp.
#include "attn/snapshots.hpp"

#include <cmath>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "attn/util/error.hpp"
#include "attn/util/json_file.hpp"
#include "attn/util/text_file.hpp"

namespace attn {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kMaxDepth = 8;

// `j[key]`, or a DataError naming `where`.
const json& member(const json& j, const char* key, const std::string& where) {
  if (!j.is_object() || !j.contains(key)) throw DataError(fmt::format("{}: no \"{}\"", where, key));
  return j[key];
}

std::size_t whole(const json& j, const char* key, const std::string& where) {
  const json& v = member(j, key, where);
  if (!v.is_number_unsigned()) {
    // -5 is whole but negative; 2^70 and 1.5 are numbers of another kind: the value says which.
    const std::string what = v.is_number() ? v.dump() : json_type_name(v);
    throw DataError(fmt::format("{}: \"{}\" is {}, expected a whole number from 0", where, key, what));
  }
  return v.get<std::size_t>();
}

double real(const json& j, const char* key, const std::string& where, double low, double high) {
  const json& v = member(j, key, where);
  if (!v.is_number()) throw DataError(fmt::format("{}: \"{}\" is {}, not a number", where, key, json_type_name(v)));
  const double x = v.get<double>();
  if (!(low <= x && x <= high)) throw DataError(fmt::format("{}: \"{}\" is {}, outside [{}, {}]", where, key, x, low, high));
  return x;
}

// The file's "snapshots" array, or a DataError.
json snapshot_array(const fs::path& path) {
  const json doc = parse_json_document(read_text_file(path), path.string(), kMaxDepth);
  const json& list = member(doc, "snapshots", path.string());
  if (!list.is_array() || list.empty()) throw DataError(fmt::format("{}: \"snapshots\" is not a list of snapshots", path.string()));
  return list;
}

// A weights file named inside the folder: relative, without "..".
std::string inside_file(const json& entry, const std::string& where) {
  const json& v = member(entry, "file", where);
  if (!v.is_string()) throw DataError(fmt::format("{}: \"file\" is {}, not a string", where, json_type_name(v)));
  const fs::path file(v.get<std::string>());
  bool climbs = false;
  for (const fs::path& part : file) climbs = climbs || part == "..";
  if (file.empty() || file.is_absolute() || climbs) {
    throw DataError(fmt::format("{}: \"file\" must name a file inside the model's folder", where));
  }
  return file.generic_string();
}

}  // namespace

std::vector<Snapshot> read_snapshots(const fs::path& model_folder) {
  const fs::path path = model_folder / "snapshots.json";
  std::error_code ec;
  if (!fs::exists(path, ec)) return {};
  std::vector<Snapshot> out;
  const json list = snapshot_array(path);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string where = fmt::format("{}: snapshot {}", path.string(), i + 1);
    Snapshot s;
    s.step = whole(list[i], "step", where);
    s.file = inside_file(list[i], where);
    s.train_loss = real(list[i], "train_loss", where, 0.0, 1e6);
    s.heldout_loss = real(list[i], "heldout_loss", where, 0.0, 1e6);
    if (!out.empty() && s.step <= out.back().step) throw DataError(fmt::format("{}: the steps must go up", where));
    out.push_back(std::move(s));
  }
  return out;
}

std::optional<Evaluation> read_evaluation(const fs::path& model_folder, std::size_t n_layer, std::size_t n_head) {
  const fs::path path = model_folder / "evaluation.json";
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::nullopt;
  const json doc = parse_json_document(read_text_file(path), path.string(), kMaxDepth);
  Evaluation out;
  out.baseline_fixed_offset = real(doc, "baseline_fixed_offset", path.string(), 0.0, 1.0);
  const json list = snapshot_array(path);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string where = fmt::format("{}: snapshot {}", path.string(), i + 1);
    SnapshotEvaluation e;
    e.step = whole(list[i], "step", where);
    const json& layers = member(list[i], "heads", where);
    if (!layers.is_array() || layers.size() != n_layer) {
      throw DataError(fmt::format("{}: \"heads\" must hold one list for each of the model's {} layers", where, n_layer));
    }
    for (std::size_t l = 0; l < n_layer; ++l) {
      if (!layers[l].is_array() || layers[l].size() != n_head) {
        throw DataError(fmt::format("{}: layer {} must hold one entry for each of the model's {} heads", where, l + 1, n_head));
      }
      std::vector<HeadShares>& row = e.heads.emplace_back();
      for (std::size_t h = 0; h < n_head; ++h) {
        const std::string at = fmt::format("{}, layer {} head {}", where, l + 1, h + 1);
        row.push_back({real(layers[l][h], "antecedent_share", at, 0.0, 1.0), real(layers[l][h], "previous_token_share", at, 0.0, 1.0)});
      }
    }
    if (!out.snapshots.empty() && e.step <= out.snapshots.back().step) throw DataError(fmt::format("{}: the steps must go up", where));
    out.snapshots.push_back(std::move(e));
  }
  return out;
}

bool is_snapshot_name(const std::string& which) {
  if (which == "first" || which == "last") return true;
  return !which.empty() && which.size() <= 19 && which.find_first_not_of("0123456789") == std::string::npos;
}

const Snapshot& choose_snapshot(const std::vector<Snapshot>& snapshots, const std::string& which, const std::string& model) {
  const std::string key = key_ref("snapshot");
  if (snapshots.empty()) {
    throw UsageError(fmt::format("{} {}: {} has no training snapshots (no snapshots.json)", key, which, model), "", "snapshot");
  }
  if (which == "first") return snapshots.front();
  if (which == "last") return snapshots.back();
  // A step by its value: "014" is step 14. 19 digits or fewer always fit in 64 bits.
  const bool number = is_snapshot_name(which) && which != "first" && which != "last";
  for (const Snapshot& s : snapshots)
    if (number && s.step == std::stoull(which)) return s;
  std::vector<std::size_t> steps;
  for (const Snapshot& s : snapshots) steps.push_back(s.step);
  throw UsageError(fmt::format("{} {}: {} has no snapshot at that step", key, which, model),
                   fmt::format("its steps: {} (or first, last; {} list shows them with their losses)",
                               fmt::join(steps, ", "), key),
                   "snapshot");
}

const SnapshotEvaluation* evaluation_at(const std::optional<Evaluation>& evaluation, std::size_t step) {
  if (!evaluation) return nullptr;
  for (const SnapshotEvaluation& e : evaluation->snapshots)
    if (e.step == step) return &e;
  return nullptr;
}

}  // namespace attn
