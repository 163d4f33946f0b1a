// attn-explain timeline, and --snapshot list. See cli_timeline.hpp.
#include "cli_timeline.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "attn/model.hpp"
#include "attn/render/render_timeline.hpp"
#include "attn/snapshots.hpp"
#include "attn/timeline.hpp"
#include "attn/util/error.hpp"
#include "output.hpp"
#include "sentence_input.hpp"
#include "terminal.hpp"

namespace attn {

int run_timeline(const TimelineCommand& c, const Terminal& terminal) {
  TimelineRequest request;
  request.model = c.model;
  request.sentence = sentence_of(c.words);  // "-": standard input, as the main command reads it
  request.all_layers = c.layer == "all";
  if (!c.layer.empty() && c.layer != "all") request.layer = std::stoul(c.layer);
  if (c.head != 0) request.head = c.head;
  request.focus = c.focus;
  const Timeline timeline = make_timeline(request);
  const TimelineOptions options{c.precision, color_for(c.color, terminal)};
  if (c.json) {
    write_stdout(timeline_json(timeline));
  } else if (!c.html_file.empty()) {
    write_output(c.html_file, render_timeline_html(timeline, options, load_html_assets()));
  } else {
    write_stdout(render_timeline(timeline, options));
  }
  return 0;
}

int list_snapshots(const std::string& model, bool json) {
  const ModelFolder where = find_model(model);  // the list needs snapshots.json only, not the weights
  const std::vector<Snapshot> snapshots = read_snapshots(where.folder);
  if (snapshots.empty()) {
    throw UsageError(fmt::format("--snapshot list: {} has no training snapshots (no snapshots.json in {})", model,
                                 where.folder.string()),
                     "the bundled demo model has them: attn-explain --model demo --snapshot list");
  }
  write_stdout(render_snapshot_list(where.name, where.folder.string(), snapshots, json));
  return 0;
}

}  // namespace attn
