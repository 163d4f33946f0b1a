// service.hpp: the explorer's answers to questions asked as key → value, as bytes.
//
// What `attn-explain serve` (serve.hpp) sends, kept apart from HTTP so that it
// can be tested alone. A question is a product (the trace's JSON, the HTML
// report, the SVG heatmap) and the explorer's options as key → value, keyed by
// the long options' names ("sentence", "heads", "d-out", "layer", ...), with
// "table" or "model" naming one of the tables and models the service was started
// with (or a bundled one). The options go through the run plan's resolver
// (run_plan.hpp), the one the command line uses.
//
// Promises:
//   - An answer's body is byte for byte what the command line prints for the
//     same options: `--json` for the trace, `--html -` for the report, `--svg -`
//     for the heatmap (with `-e FILE` for a table, `--model NAME` for a model);
//     the head view (every head of a run in one picture) is the page's own.
//     The trace does not depend on how it is shown: for it, "stages", "focus"
//     and "explain" (which --json refuses) are left out.
//   - A bad question is a 400 answer whose body is {"error": MESSAGE, "key": KEY}:
//     the command line's own message, and the key it is about (null when the
//     message is not about one key). Options that name files (trace, svg, html,
//     embeddings, format) or the terminal (json, step, color, width) are not
//     questions a page asks, and are refused as unknown keys.
//   - Models are opened once, when the service starts (and a bundled model the
//     first time it is asked for), and shared by every answer; answer() may be
//     called from several threads at once.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "attn/model.hpp"
#include "run_plan.hpp"

namespace attn {

// trace: --json; report: --html; svg: --svg; heads: every head in one picture (render_head_view.hpp).
enum class Product { trace, report, svg, heads };

// What the server sends back for one request: an HTTP status, its content type and body.
// A trace's JSON (35 MB for a GPT-2-small layer) is not held whole: `trace` is
// set and `body` left empty, and the server writes the text as it sends it
// (write_trace_json), the same bytes as trace_json_text(*trace).
struct Reply {
  int status = 200;
  std::string content_type;
  std::string body;
  std::shared_ptr<const Trace> trace;
};

class Service {
 public:
  // `tables`: table files (JSON or word vectors), named by their file's stem;
  // `models`: model folders or bundled models' names, named by their folder's name.
  // The bundled tables (default, journey, journey-sa-v2) are always there.
  // Throws DataError for a table or model that cannot be read, UsageError for two
  // tables or models of one name.
  Service(const std::vector<std::string>& tables, const std::vector<std::string>& models);

  // The product for `query`; with `table_json`, the run is on that table (the
  // JSON of a table file, as an edited copy of one) instead of a named one.
  Reply answer(Product product, const RawOptions& query, const std::string* table_json = nullptr) const;

  // {"tables": [{"name"}], "models": [{"name", "layers", "heads", "width", "snapshots": [steps]}], "stages": [names]}.
  std::string catalogue_json() const;

  // The JSON file of the table `name`, or nothing when there is no JSON table of that name.
  std::optional<std::string> table_file(const std::string& name) const;

 private:
  const Model& model_named(const std::string& name) const;
  // The model's weights at a training snapshot (--snapshot), opened the first time one is asked for.
  const Model& snapshot_of(const std::string& name, const std::string& snapshot) const;

  std::map<std::string, std::string> tables_;  // name → path
  mutable std::mutex models_guard_;
  mutable std::map<std::string, std::unique_ptr<Model>> models_;
  mutable std::map<std::string, std::unique_ptr<Model>> snapshots_;  // "name@STEP" → the model at that step
  mutable std::map<std::string, std::vector<Snapshot>> snapshot_lists_;  // a model's snapshots.json, read once
};

}  // namespace attn
