// The exercise file format: reading data/exercises/*.json into Exercises,
// strictly (docs/exercise-format.md), and finding one by id or position.
#include "exercise_format.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "attn/util/error.hpp"
#include "attn/util/data_dir.hpp"
#include "attn/teach/exercise.hpp"
#include "attn/util/json_fields.hpp"
#include "attn/util/json_file.hpp"
#include "attn/util/text_file.hpp"

namespace attn {

using nlohmann::json;
namespace fs = std::filesystem;

bool all_digits(std::string_view s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos; }

namespace {

// Ids name files and are typed on the command line: letters, digits, - _ .;
// not starting with - or ., and not all digits (find_exercise reads those as positions).
bool valid_id(const std::string& id) {
  if (id.empty() || id.front() == '-' || id.front() == '.' || all_digits(id)) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// A token named by its text or its 1-based position ("journey", "2" or 2).
std::optional<std::string> token_spec(const Fields& a, const char* key) {
  if (!a.has(key)) return std::nullopt;
  const json& v = a.raw(key);
  if (v.is_string() && !blank(v.get<std::string>())) return v.get<std::string>();
  if (v.is_number_unsigned() && v.get<std::uint64_t>() >= 1) return std::to_string(v.get<std::uint64_t>());
  a.fail(fmt::format("\"{}\" is {}, expected a token's text or its 1-based position", key,
                     v.is_string() ? std::string("an empty string") : v.is_number() ? v.dump() : json_type_name(v)));
}

// parameter_count's own keys: d_in, d_out, heads, multihead, qkv_bias.
void parse_counted_model(const Fields& a, Ask& ask) {
  ask.d_in = a.whole("d_in", 1, 1 << 20);
  ask.d_out = a.whole("d_out", 1, 1 << 20);
  if (a.has("heads")) ask.heads = a.whole("heads", 1, 4096);
  if (a.has("multihead")) ask.multihead = a.choice_of("multihead", kMultiheadNames);
  if (a.has("qkv_bias")) ask.qkv_bias = a.flag("qkv_bias");
  if (ask.multihead == Multihead::split && ask.d_out % ask.heads != 0) {
    a.fail(fmt::format("\"d_out\" is {}, which {} split heads cannot share: expected a multiple of \"heads\"", ask.d_out,
                       ask.heads));
  }
}

Ask parse_ask(const json& j, const std::string& source) {
  const Fields a(j, source + ": \"ask\"", {"quantity", "token", "key", "d_in", "d_out", "heads", "multihead", "qkv_bias"});
  Ask ask;
  ask.quantity = a.choice_of("quantity", kQuantityNames);
  const QuantityInfo q = quantity_info(ask.quantity);
  const char* name = to_string(ask.quantity);
  ask.token = token_spec(a, "token");
  ask.key = token_spec(a, "key");
  if (q.token && !ask.token) a.fail(fmt::format("quantity \"{}\" needs a \"token\"", name));
  if (!q.token && ask.token) a.fail(fmt::format("\"token\" is not used by quantity \"{}\"", name));
  if (q.key && !ask.key) a.fail(fmt::format("quantity \"{}\" needs a \"key\"", name));
  if (!q.key && ask.key) a.fail(fmt::format("\"key\" is not used by quantity \"{}\"", name));
  const bool counts = ask.quantity == Quantity::parameter_count;
  for (const char* k : {"d_in", "d_out", "heads", "multihead", "qkv_bias"}) {
    if (!counts && a.has(k)) a.fail(fmt::format("\"{}\" is only used by quantity \"parameter_count\"", k));
  }
  if (counts) parse_counted_model(a, ask);
  return ask;
}

// The checks that need more than one key: a run where the quantity needs one.
void check_run_is_there(const Fields& f, const Exercise& ex) {
  const bool needs_run = ex.ask.quantity != Quantity::parameter_count;
  if (needs_run && ex.settings.request.sentence.empty()) {
    f.fail(fmt::format("quantity \"{}\" needs a \"run\" with a \"sentence\"", to_string(ex.ask.quantity)));
  }
  if (!ex.show.empty() && ex.settings.request.sentence.empty()) f.fail("shows stages, but no \"sentence\" is set");
  if (ex.ask.quantity == Quantity::dropout_scale && !(ex.settings.request.dropout > 0.0)) {
    f.fail("quantity \"dropout_scale\" needs a \"run\" with \"dropout\" above 0");
  }
}

}  // namespace

Exercise parse_exercise(const std::string& text, const std::string& source) {
  const json root = parse_json_document(text, source, 16);
  const Fields f(root, source,
                 {"$schema", "id", "title", "topic", "difficulty", "order", "source", "run", "task", "show", "ask",
                  "decimals", "tolerance", "hints"});
  Exercise ex;
  ex.path = source;
  ex.id = f.text("id");
  if (!valid_id(ex.id)) {
    f.fail(fmt::format("\"id\" is \"{}\", expected letters, digits, '-', '_' or '.' (not only digits, not starting with "
                       "'-' or '.')",
                       ex.id));
  }
  ex.title = f.text("title");
  if (blank(ex.title)) f.fail("\"title\" is empty");
  ex.topic = f.text("topic");
  ex.source = f.text("source");
  if (f.has("difficulty")) ex.difficulty = static_cast<int>(f.whole("difficulty", 1, 3));
  if (f.has("order")) ex.order = static_cast<int>(f.whole("order", 0, 10000));
  if (f.has("run")) apply_run(f.raw("run"), source, ex.settings);

  ex.task = f.lines("task");
  if (std::all_of(ex.task.begin(), ex.task.end(), blank)) f.fail("\"task\" is empty, expected what to compute");
  if (f.has("show")) {
    ex.show = read_stages(f, "show");
  }

  if (!f.has("ask")) f.fail("\"ask\" is missing");
  ex.ask = parse_ask(f.raw("ask"), source);

  if (f.has("decimals")) ex.decimals = static_cast<int>(f.whole("decimals", 0, 9));
  ex.tolerance = 0.5 * std::pow(10.0, -ex.decimals);
  if (f.has("tolerance")) {
    ex.tolerance = f.number("tolerance");
    if (!(ex.tolerance >= 0.0 && ex.tolerance <= 1e9)) {
      f.fail(fmt::format("\"tolerance\" is {}, expected a number ≥ 0", ex.tolerance));
    }
  }

  ex.hints = f.lines("hints");
  if (ex.hints.empty()) f.fail("\"hints\" is empty, expected at least one hint");
  for (std::size_t i = 0; i < ex.hints.size(); ++i) {
    if (blank(ex.hints[i])) f.fail(fmt::format("\"hints\": hint {} is empty", i + 1));
  }
  check_run_is_there(f, ex);
  return ex;
}

Exercise load_exercise(const fs::path& path) {
  Exercise ex = parse_exercise(read_text_file(path), path.string());
  if (ex.id != path.stem().string()) {
    throw DataError(fmt::format("{}: \"id\" is \"{}\", expected the file's name, \"{}\"", path.string(), ex.id,
                                path.stem().string()));
  }
  return ex;
}

std::vector<Exercise> load_exercises() {
  std::vector<Exercise> exercises;
  for (const fs::path& file : bundled_json_files("exercises")) exercises.push_back(load_exercise(file));
  std::stable_sort(exercises.begin(), exercises.end(),
                   [](const Exercise& a, const Exercise& b) { return a.order < b.order; });
  return exercises;
}

const Exercise& find_exercise(const std::vector<Exercise>& exercises, const std::string& id) {
  for (const Exercise& e : exercises)
    if (e.id == id) return e;
  if (all_digits(id) && id.size() <= 9) {
    const std::size_t position = std::stoul(id);
    if (position >= 1 && position <= exercises.size()) return exercises[position - 1];
  }
  std::string ids;
  for (const Exercise& e : exercises) {
    if (!ids.empty()) ids += ", ";
    ids += e.id;
  }
  throw UsageError(fmt::format("exercise \"{}\": no such exercise", id), "exercises: " + ids);
}

}  // namespace attn
