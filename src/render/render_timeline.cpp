// The timeline and the snapshot list as text and JSON. See render_timeline.hpp.
#include "attn/render/render_timeline.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "attn/json_text.hpp"
#include "attn/render/render_model_summary.hpp"
#include "attn/render/render_table.hpp"
#include "attn/render/style.hpp"
#include "attn/render/text_layout.hpp"
#include "attn/util/echo.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

using nlohmann::ordered_json;

namespace {

std::string share_text(const std::optional<HeadShares>& s, double HeadShares::*which) {
  return s ? fmt::format("{:.3f}", (*s).*which) : "-";
}

// "layer 2 head 3 (the clearest previous-token head at the last snapshot)".
std::string head_name(const Timeline& t) {
  const char* why = !t.chosen_by_default ? ""
                    : t.evaluated     ? " (the clearest previous-token head at the last snapshot, by the evaluation)"
                                      : " (the first: the model has no evaluation.json to choose by)";
  return fmt::format("layer {} head {}{}", t.layer, t.head, why);
}

std::string frame_heading(const TimelineFrame& f) {
  std::string out = fmt::format("step {}: training loss {:.4f}, held-out loss {:.4f}", f.snapshot.step,
                                f.snapshot.train_loss, f.snapshot.heldout_loss);
  if (f.shares) {
    out += fmt::format("; this head's previous-token share {:.3f}, antecedent share {:.3f}", f.shares->previous_token,
                       f.shares->antecedent);
  }
  return out;
}

std::string looks_line(const Timeline& t, const TimelineFrame& f, int precision) {
  return fmt::format("  {} looks most at {} ({})\n", fit_label(t.tokens[t.focus]), fit_label(t.tokens[f.looks_at]),
                     fmt::format("{:.{}f}", f.weights(t.focus, f.looks_at), std::max(precision, 2)));
}

// Every head's pattern on the sentence at this snapshot: the --layer all summary's cells.
std::string patterns_grid(const Timeline& t, const TimelineFrame& f) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header{"layer"};
  for (std::size_t h = 0; h < t.model.n_head; ++h) header.push_back(fmt::format("head {}", h + 1));
  rows.push_back(header);
  for (std::size_t l = 0; l < f.patterns.size(); ++l) {
    std::vector<std::string> row{std::to_string(l + 1)};
    for (const HeadProfile& p : f.patterns[l]) row.push_back(pattern_cell(p, t.tokens));
    rows.push_back(row);
  }
  return grid(rows);
}

// The share curve: one row per snapshot.
std::string curve(const Timeline& t) {
  std::vector<std::vector<std::string>> rows{{"step", "training loss", "held-out loss", "previous-token share", "antecedent share", "focus looks at"}};
  for (const TimelineFrame& f : t.frames) {
    rows.push_back({std::to_string(f.snapshot.step), fmt::format("{:.4f}", f.snapshot.train_loss),
                    fmt::format("{:.4f}", f.snapshot.heldout_loss), share_text(f.shares, &HeadShares::previous_token),
                    share_text(f.shares, &HeadShares::antecedent), fit_label(t.tokens[f.looks_at])});
  }
  return grid(rows);
}

ordered_json matrix_json(const Matrix& m) {
  ordered_json rows = ordered_json::array();
  for (std::size_t r = 0; r < m.rows; ++r) {
    ordered_json row = ordered_json::array();
    for (const float x : m.row(r)) row.push_back(float_to_json(x));
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

std::string render_timeline(const Timeline& t, const TimelineOptions& options) {
  std::string out = bold("How a head forms during training", options.color) + "\n\n";
  out += fmt::format("  sentence    {}\n", elide(display_escape(t.sentence), 60));
  out += fmt::format("  model       {} ({}): {} layers × {} heads, {} training snapshots\n", printable(t.model.name),
                     printable(t.folder), t.model.n_layer, t.model.n_head, t.frames.size());
  out += fmt::format("  head        {}\n", head_name(t));
  out += fmt::format("  focus       {} (token {})\n", fit_label(t.tokens[t.focus]), t.focus + 1);
  if (t.baseline_fixed_offset) {
    out += fmt::format("  baseline    {:.3f}: the antecedent share of always looking the same number of tokens back\n",
                       *t.baseline_fixed_offset);
  }
  out += t.evaluated ? "  The shares are measured on the held-out sentences (scripts/eval_demo.py); the weights are this sentence's.\n"
                     : "  The model has no evaluation.json, so no shares (scripts/eval_demo.py measures them); the weights are "
                       "this sentence's.\n";
  for (const TimelineFrame& f : t.frames) {
    out += "\n" + bold(frame_heading(f), options.color) + "\n";
    out += render_matrix(f.weights, t.tokens, t.tokens, options.precision);
    out += looks_line(t, f, options.precision);
    if (t.all_layers) out += "  Every head on this sentence (prev: the token before, first: the first token, self: itself):\n" + patterns_grid(t, f);
  }
  out += "\n" + bold("The head, snapshot by snapshot", options.color) + "\n" + curve(t);
  return out;
}

std::string timeline_json(const Timeline& t) {
  ordered_json frames = ordered_json::array();
  for (const TimelineFrame& f : t.frames) {
    ordered_json frame{{"step", f.snapshot.step},
                       {"file", f.snapshot.file},
                       {"train_loss", f.snapshot.train_loss},
                       {"heldout_loss", f.snapshot.heldout_loss},
                       {"previous_token_share", f.shares ? ordered_json(f.shares->previous_token) : ordered_json()},
                       {"antecedent_share", f.shares ? ordered_json(f.shares->antecedent) : ordered_json()},
                       {"weights", matrix_json(f.weights)},
                       {"looks_at", f.looks_at}};
    ordered_json patterns = ordered_json::array();
    for (const auto& layer : f.patterns) {
      ordered_json row = ordered_json::array();
      for (const HeadProfile& p : layer) row.push_back({{"pattern", to_string(p.pattern)}, {"share", p.share()}});
      patterns.push_back(std::move(row));
    }
    frame["patterns"] = std::move(patterns);
    frames.push_back(std::move(frame));
  }
  const ordered_json doc{{"schema", kTimelineSchema},
                         {"model", {{"name", t.model.name}, {"n_layer", t.model.n_layer}, {"n_head", t.model.n_head}}},
                         {"sentence", t.sentence},
                         {"tokens", t.tokens},
                         {"layer", t.layer},
                         {"head", t.head},
                         {"focus", t.focus},
                         {"baseline_fixed_offset", t.baseline_fixed_offset ? ordered_json(*t.baseline_fixed_offset) : ordered_json()},
                         {"snapshots", std::move(frames)}};
  return format_json(doc);
}

std::string render_snapshot_list(const std::string& model, const std::string& folder, const std::vector<Snapshot>& snapshots,
                                 bool json) {
  if (json) {
    ordered_json list = ordered_json::array();
    for (const Snapshot& s : snapshots) {
      list.push_back({{"step", s.step}, {"file", s.file}, {"train_loss", s.train_loss}, {"heldout_loss", s.heldout_loss}});
    }
    return format_json(ordered_json{{"model", model}, {"folder", folder}, {"snapshots", std::move(list)}});
  }
  std::string out = fmt::format("The training snapshots of {} ({}): open one with --snapshot STEP (or first, last)\n\n",
                                printable(model), printable(folder));
  std::vector<std::vector<std::string>> rows{{"step", "training loss", "held-out loss", "weights"}};
  for (const Snapshot& s : snapshots) {
    rows.push_back({std::to_string(s.step), fmt::format("{:.4f}", s.train_loss), fmt::format("{:.4f}", s.heldout_loss),
                    printable(s.file)});
  }
  return out + grid(rows) + "\n  Losses: the mean next-token cross-entropy in nats a token, on the training and the held-out sentences.\n";
}

}  // namespace attn
