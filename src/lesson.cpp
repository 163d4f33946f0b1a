#include "attn/lesson.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <map>
#include <set>
#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "attn/compare.hpp"
#include "attn/data_dir.hpp"
#include "attn/embedding_table.hpp"
#include "attn/error.hpp"
#include "attn/json_file.hpp"
#include "attn/render_compare.hpp"
#include "attn/render_focus.hpp"
#include "attn/render_table.hpp"
#include "attn/text_file.hpp"

namespace attn {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Reads the fields of one JSON object, refusing unknown keys and wrong types.
class Fields {
 public:
  Fields(const json& object, std::string where, const std::set<std::string>& known) : j_(object), where_(std::move(where)) {
    if (!j_.is_object()) fail(fmt::format("is {}, expected an object", json_type_name(j_)));
    for (const auto& [key, value] : j_.items()) {
      if (!known.count(key)) {
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        throw DataError(fmt::format("{}: unknown key \"{}\"", where_, key), "known keys: " + list);
      }
    }
  }

  bool has(const char* key) const { return j_.contains(key); }

  std::string text(const char* key) const {
    const json& v = get(key, "a string", [](const json& x) { return x.is_string(); });
    return v.get<std::string>();
  }

  std::string choice(const char* key, const std::vector<std::string>& allowed) const {
    const std::string v = text(key);
    if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : " | ") + a;
      fail(fmt::format("\"{}\" is \"{}\", expected {}", key, v, list));
    }
    return v;
  }

  bool flag(const char* key) const {
    return get(key, "true or false", [](const json& x) { return x.is_boolean(); }).get<bool>();
  }

  std::uint64_t whole(const char* key, std::uint64_t lo, std::uint64_t hi) const {
    const json& v = get(key, "a whole number", [](const json& x) { return x.is_number_unsigned(); });
    const std::uint64_t n = v.get<std::uint64_t>();
    if (n < lo || n > hi) fail(fmt::format("\"{}\" is {}, expected {} to {}", key, n, lo, hi));
    return n;
  }

  double number(const char* key) const {
    return get(key, "a number", [](const json& x) { return x.is_number(); }).get<double>();
  }

  std::vector<std::string> lines(const char* key) const {
    const json& v = get(key, "an array of strings", [](const json& x) {
      return x.is_array() && std::all_of(x.begin(), x.end(), [](const json& e) { return e.is_string(); });
    });
    return v.get<std::vector<std::string>>();
  }

  const json& raw(const char* key) const { return j_.at(key); }
  const std::string& where() const { return where_; }

  [[noreturn]] void fail(const std::string& what) const { throw DataError(fmt::format("{}: {}", where_, what)); }

 private:
  template <class Check>
  const json& get(const char* key, const char* expected, Check ok) const {
    if (!j_.contains(key)) fail(fmt::format("\"{}\" is missing", key));
    const json& v = j_.at(key);
    if (!ok(v)) fail(fmt::format("\"{}\" is {}, expected {}", key, json_type_name(v), expected));
    return v;
  }

  const json& j_;
  std::string where_;
};

// Merges a "run" object over `s`.
void apply_run(const json& run, const std::string& where, RunSettings& s) {
  const Fields f(run, where + " \"run\"",
                 {"sentence", "embeddings", "projection", "seed", "d_out", "scale", "qkv_bias", "softmax", "causal",
                  "causal_method", "dropout", "dropout_seed", "heads", "multihead"});
  Request& r = s.request;
  if (f.has("sentence")) r.sentence = f.text("sentence");
  if (f.has("embeddings")) s.embeddings = f.text("embeddings");
  if (f.has("projection")) r.projection = f.choice("projection", {"auto", "none", "rand", "linear", "table"});
  if (f.has("seed")) r.seed = f.whole("seed", 0, std::numeric_limits<std::uint64_t>::max());
  if (f.has("d_out")) r.d_out = f.whole("d_out", 1, 4096);
  if (f.has("scale")) r.scale = f.flag("scale");
  if (f.has("qkv_bias")) r.qkv_bias = f.flag("qkv_bias");
  if (f.has("softmax")) {
    const std::string v = f.choice("softmax", {"stable", "naive", "sum"});
    r.softmax = v == "naive" ? Softmax::naive : v == "sum" ? Softmax::sum : Softmax::stable;
  }
  if (f.has("causal")) r.causal = f.flag("causal");
  if (f.has("causal_method")) {
    r.causal_method = f.choice("causal_method", {"inf", "renorm"}) == "renorm" ? CausalMethod::renorm : CausalMethod::inf;
  }
  if (f.has("dropout")) {
    r.dropout = f.number("dropout");
    if (!(r.dropout >= 0.0 && r.dropout < 1.0)) f.fail(fmt::format("\"dropout\" is {}, expected 0 ≤ p < 1", r.dropout));
  }
  if (f.has("dropout_seed")) r.dropout_seed = f.whole("dropout_seed", 0, std::numeric_limits<std::uint64_t>::max());
  if (f.has("heads")) r.heads = f.whole("heads", 1, 256);
  if (f.has("multihead")) r.multihead = f.choice("multihead", {"wrapper", "split"}) == "split" ? Multihead::split : Multihead::wrapper;
}

bool is_stage(const std::string& name) {
  return std::any_of(std::begin(kStageNames), std::end(kStageNames), [&](const char* s) { return name == s; });
}

// `text` quoted for a POSIX shell: double quotes when that is safe, else single quotes.
std::string shell_quote(const std::string& text) {
  if (text.find_first_of("\"$`\\!") == std::string::npos) return "\"" + text + "\"";
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string focus_argument(const std::string& spec) {
  return spec.find_first_of(" \t'\"$`\\!*?[]()<>|&;#~") == std::string::npos ? spec : shell_quote(spec);
}

// Word-wraps nothing: lesson lines are written at a readable width; this only indents.
std::string narrate(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += line.empty() ? "\n" : "  " + line + "\n";
  return out;
}

}  // namespace

Lesson parse_lesson(const std::string& text, const std::string& source) {
  const json root = parse_json_document(text, source, 16);
  const Fields f(root, source, {"$schema", "name", "title", "source", "summary", "order", "run", "steps"});
  Lesson lesson;
  lesson.path = source;
  lesson.name = f.text("name");
  lesson.title = f.text("title");
  lesson.source = f.text("source");
  lesson.summary = f.text("summary");
  lesson.order = f.has("order") ? static_cast<int>(f.whole("order", 0, 10000)) : 0;
  RunSettings settings;
  if (f.has("run")) apply_run(f.raw("run"), source, settings);
  if (!f.has("steps") || !f.raw("steps").is_array() || f.raw("steps").empty()) {
    f.fail("\"steps\" must be a non-empty array of steps");
  }
  const json& steps = f.raw("steps");
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const std::string where = fmt::format("{}: step {}", source, i + 1);
    const Fields s(steps[i], where, {"title", "say", "run", "show", "focus", "compare", "expect"});
    LessonStep step;
    step.title = s.text("title");
    if (s.has("say")) step.say = s.lines("say");
    if (s.has("run")) apply_run(s.raw("run"), where, settings);
    step.settings = settings;
    if (s.has("show")) {
      step.show = s.lines("show");
      for (const auto& stage : step.show) {
        if (!is_stage(stage)) s.fail(fmt::format("\"show\" names \"{}\", which is not a stage", stage));
      }
    }
    if (s.has("focus")) step.focus = s.text("focus");
    if (s.has("compare")) step.compare = s.choice("compare", {"scale", "softmax"});
    if (s.has("expect")) {
      const Fields e(s.raw("expect"), where + " \"expect\"", {"token", "attends_most_to"});
      step.expect = LessonExpectation{e.text("token"), e.text("attends_most_to")};
    }
    if (step.computes() && settings.request.sentence.empty()) s.fail("shows something, but no \"sentence\" is set");
    lesson.steps.push_back(std::move(step));
  }
  return lesson;
}

Lesson load_lesson(const fs::path& path) { return parse_lesson(read_text_file(path), path.string()); }

std::vector<Lesson> load_lessons() {
  for (const fs::path& dir : data_dirs()) {
    std::error_code ec;
    if (!fs::is_directory(dir / "lessons", ec)) continue;
    std::vector<Lesson> lessons;
    for (const auto& entry : fs::directory_iterator(dir / "lessons", ec)) {
      if (entry.path().extension() == ".json") lessons.push_back(load_lesson(entry.path()));
    }
    std::sort(lessons.begin(), lessons.end(),
              [](const Lesson& a, const Lesson& b) { return std::tie(a.order, a.name) < std::tie(b.order, b.name); });
    return lessons;
  }
  throw DataError("cannot find the bundled lessons (no lessons/ folder in the data folders)",
                  "set ATTN_EXPLAIN_DATA to the folder that holds lessons/");
}

const Lesson& find_lesson(const std::vector<Lesson>& lessons, const std::string& name) {
  std::string names;
  for (const Lesson& l : lessons) {
    if (l.name == name) return l;
    names += (names.empty() ? "" : ", ") + l.name;
  }
  throw UsageError(fmt::format("lesson \"{}\": no such lesson", name), "lessons: " + names);
}

namespace {

// The options that reproduce `settings`, each only when it differs from the default.
std::string settings_flags(const RunSettings& settings) {
  const Request& r = settings.request;
  const Request defaults;
  std::string cmd;
  if (settings.embeddings != RunSettings{}.embeddings) cmd += " --embeddings " + settings.embeddings;
  if (r.projection != defaults.projection) cmd += " --projection " + r.projection;
  if (r.seed != defaults.seed) cmd += fmt::format(" --seed {}", r.seed);
  if (r.d_out) cmd += fmt::format(" --d-out {}", *r.d_out);
  if (!r.scale) cmd += " --no-scale";
  if (r.qkv_bias) cmd += " --qkv-bias";
  if (r.softmax != defaults.softmax) cmd += fmt::format(" --softmax {}", to_string(r.softmax));
  if (r.causal) cmd += " --causal";
  if (r.causal && r.causal_method != defaults.causal_method) cmd += fmt::format(" --causal-method {}", to_string(r.causal_method));
  if (r.dropout > 0.0) cmd += fmt::format(" --dropout {}", r.dropout);
  if (r.dropout_seed) cmd += fmt::format(" --dropout-seed {}", *r.dropout_seed);
  if (r.heads != defaults.heads) cmd += fmt::format(" --heads {}", r.heads);
  if (r.multihead != defaults.multihead) cmd += fmt::format(" --multihead {}", to_string(r.multihead));
  return cmd;
}

bool same_run(const RunSettings& a, const RunSettings& b) {
  return a.request.sentence == b.request.sentence && settings_flags(a) == settings_flags(b);
}

}  // namespace

std::string command_for(const LessonStep& step) {
  const Request& r = step.settings.request;
  std::string cmd = "attn-explain" + settings_flags(step.settings);
  if (step.compare) {
    cmd += " --compare " + *step.compare;
  } else {
    if (!step.show.empty()) {
      std::string stages;
      for (const auto& s : step.show) stages += (stages.empty() ? "" : ",") + s;
      cmd += " --stages " + stages;
    }
    if (step.focus) cmd += " --focus " + focus_argument(*step.focus);
  }
  return cmd + " " + shell_quote(r.sentence);
}

std::vector<std::string> render_lesson(const Lesson& lesson, const LessonOptions& options) {
  const bool color = options.color;
  std::vector<std::string> pages;
  pages.push_back(fmt::format("{}\n  {}\n  {}\n  {} steps\n", bold(fmt::format("Lesson: {}", lesson.title), color),
                              lesson.summary, dim("Replays: " + lesson.source, color), lesson.steps.size()));

  std::map<std::string, EmbeddingTable> tables;
  auto table_for = [&](const std::string& name) -> const EmbeddingTable& {
    auto it = tables.find(name);
    if (it == tables.end()) it = tables.emplace(name, load_table(find_data_file(name))).first;
    return it->second;
  };

  const RunSettings* shown_settings = nullptr;  // the settings the last header described
  for (std::size_t i = 0; i < lesson.steps.size(); ++i) {
    const LessonStep& step = lesson.steps[i];
    std::string page = fmt::format("\n{}\n\n", bold(fmt::format("━━ Step {} of {}: {} ━━", i + 1, lesson.steps.size(), step.title), color));
    page += narrate(step.say);
    if (step.computes()) {
      page += "\n  " + dim("Try it:  " + command_for(step), color) + "\n";
      const EmbeddingTable& table = table_for(step.settings.embeddings);
      if (step.compare) {
        const CompareOptions co{options.precision, color};
        page += '\n';
        page += (*step.compare == "scale"
                            ? render_scale_comparison(compare_scale(step.settings.request, table), co)
                            : render_softmax_comparison(
                                  compare_softmax(step.settings.request, table, table_for(kOverflowTable)), co));
      } else {
        const Trace trace = explore(step.settings.request, table);
        RenderOptions ro;
        ro.precision = options.precision;
        ro.color = color;
        ro.explain = options.explain;
        ro.stages.insert(step.show.begin(), step.show.end());
        // The header (sentence, table, settings) only when the run differs from the last one shown.
        const bool new_run = !shown_settings || !same_run(*shown_settings, step.settings);
        for (const Section& section : render_sections(trace, ro)) {
          if (section.stage == "header") {
            if (new_run) page += '\n' + section.text;
          } else if (!step.show.empty()) {
            page += section.text;
          }
        }
        shown_settings = &step.settings;
        if (step.focus) {
          std::size_t row;
          try {
            row = find_focus(trace, *step.focus);
          } catch (const UsageError& e) {
            throw DataError(fmt::format("{}: step {}: {}", lesson.path, i + 1, e.what()), e.hint());
          }
          page += '\n';
          page += render_focus(trace, row, FocusOptions{options.precision, color});
        }
      }
    }
    pages.push_back(std::move(page));
  }
  pages.back() += fmt::format("\n{}\n", dim(fmt::format("End of the lesson \"{}\".", lesson.name), color));
  return pages;
}

}  // namespace attn
