// render_timeline.hpp: `attn-explain timeline` and `--snapshot list`, drawn.
//
// render_timeline() prints, for every snapshot (timeline.hpp), one block: the
// step, its training and held-out losses, the head's measured previous-token and
// antecedent shares (when the model has an evaluation), the head's weights as a
// table, and where the focus token looks most; with --layer all, also every
// head's pattern on the sentence (the cells of --layer all's summary). It ends
// with the share curve as a table: one row per snapshot.
// timeline_json() is the same as JSON, schema "attn-explain/timeline@1"
// (docs/trace-format.md). render_timeline_html() draws the heatmaps in a row with
// the share curve under them, as one self-contained page.
// render_snapshot_list() is `--snapshot list`: every snapshot's step, losses and file.
// Nothing here computes attention: it reads the Timeline.
#pragma once

#include <string>
#include <vector>

#include "attn/render/render_html.hpp"
#include "attn/snapshots.hpp"
#include "attn/timeline.hpp"

namespace attn {

inline constexpr const char* kTimelineSchema = "attn-explain/timeline@1";

struct TimelineOptions {
  int precision = 2;   // the weights tables' decimals
  bool color = false;  // bold titles
};

std::string render_timeline(const Timeline& timeline, const TimelineOptions& options);

// Ends with a newline.
std::string timeline_json(const Timeline& timeline);

std::string render_timeline_html(const Timeline& timeline, const TimelineOptions& options, const HtmlAssets& assets);

// REQUIRES: snapshots not empty. `json`: {"model", "folder", "snapshots": [...]} instead of a table.
std::string render_snapshot_list(const std::string& model, const std::string& folder,
                                 const std::vector<Snapshot>& snapshots, bool json);

}  // namespace attn
