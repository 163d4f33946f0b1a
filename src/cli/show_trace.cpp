#include "show_trace.hpp"

#include <filesystem>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "attn/util/error.hpp"
#include "attn/util/atomic_file.hpp"
#include "output.hpp"
#include "pager.hpp"
#include "attn/render/render_focus.hpp"
#include "attn/render/render_html.hpp"
#include "attn/render/render_html_grid.hpp"
#include "attn/render/render_model_summary.hpp"
#include "attn/render/render_svg.hpp"
#include "attn/stage.hpp"
#include "attn/render/style.hpp"
#include "attn/util/text_sink.hpp"
#include "attn/trace_json.hpp"

namespace attn {

namespace {

// The stages a model run's tables show unless --stages names others: the head's
// own, which are n or head_dim wide (inputs, params, heads and output are n_embd wide).
const std::set<Stage> kModelStages = {Stage::queries, Stage::keys,    Stage::values,  Stage::scores,
                                      Stage::scaled,  Stage::mask,    Stage::weights, Stage::context};

// The token --focus names and the head --head names (from 0), looked up once.
struct Chosen {
  std::optional<std::size_t> focus_row;
  std::optional<std::size_t> head;
};

Chosen choose(const Trace& trace, const View& view) {
  Chosen chosen;
  if (view.focus) chosen.focus_row = find_focus(trace, *view.focus);
  if (view.head) {
    if (*view.head > trace.heads.size()) {
      throw UsageError(fmt::format("{} {}: the run has {} head{}", key_ref("head"), *view.head, trace.heads.size(),
                                   trace.heads.size() == 1 ? "" : "s"),
                       "", "head");
    }
    chosen.head = *view.head - 1;
  }
  return chosen;
}

Tables tables_of(const Trace& trace, const View& view, const Chosen& chosen) {
  Tables out;
  if (trace.model && !trace.layer) {
    out.summary = render_model_summary(trace, SummaryOptions{view.color});
    return out;
  }
  RenderOptions& ro = out.options;
  ro = with_precision(view.precision);
  ro.color = view.color;
  ro.stages = view.stages;
  // A model's tables: its head's own stages unless --stages names others.
  if (trace.model && !view.stages_given && !view.focus) ro.stages = kModelStages;
  ro.width = view.width;
  ro.head = chosen.head;
  ro.explain = view.explanations ? &*view.explanations : nullptr;
  if (!tables_fit(trace, ro)) {
    out.width_note = fmt::format("the widest tables do not fit {} columns and print in blocks of columns; "
                                 "--html FILE draws the whole run",
                                 ro.width);
  }
  // With --focus, the tables print only when --stages asks for them.
  if (chosen.focus_row) {
    out.header_only = !view.stages_given;
    out.focus = fmt::format("\n{}", render_focus(trace, *chosen.focus_row, FocusOptions{view.precision, view.color, ro.head}));
  }
  return out;
}

// The page, ready to draw: its options looked up and its assets loaded now, while nothing is written.
std::function<void(const TextSink&)> html_page(const Trace& trace, const View& view, const Chosen& chosen) {
  HtmlOptions options;
  options.precision = view.precision;
  options.explain = view.explanations ? &*view.explanations : nullptr;
  // A model's page, as its tables: the heads' own stages unless --stages names others (the
  // layer's 768-wide weights would be nine tenths of a GPT-2 page).
  options.stages = trace.model && !view.stages_given ? kModelStages : view.stages;
  auto assets = std::make_shared<const HtmlAssets>(load_html_assets());
  if (trace.model && !trace.layer) {
    return [&trace, options, assets](const TextSink& sink) { sink(render_html_model_grid(trace, options, *assets)); };
  }
  options.focus_row = chosen.focus_row;
  options.head = chosen.head;
  return [&trace, options, assets](const TextSink& sink) { write_html_report(trace, options, *assets, sink); };
}

}  // namespace

MadeOutputs make_outputs(const Trace& trace, const RunOutputs& outputs, const View& view) {
  const bool summary = trace.model && !trace.layer;  // --layer all
  if (summary && (!outputs.svg_file.empty() || view.focus || view.head || view.stages_given)) {
    throw UsageError("--layer all shows every head at once; --svg, --focus, --head and --stages need one layer (--layer L)");
  }
  // Looked up whatever is drawn: a --head or --focus the run does not have is refused with
  // --json or --svg too, not only where tables or a page would show it.
  const Chosen chosen = !summary ? choose(trace, view) : Chosen{};
  MadeOutputs made;
  if (outputs.tables) made.tables = tables_of(trace, view, chosen);
  if (!outputs.svg_file.empty()) made.svg = render_svg(trace, SvgOptions{view.precision, heatmap_css()});
  if (!outputs.html_file.empty()) made.html = html_page(trace, view, chosen);
  return made;
}

void write_outputs(const Trace& trace, const RunOutputs& outputs, const MadeOutputs& made) {
  // Every file is written beside its target first, and put in place only when all are
  // written: a run that cannot write one of them leaves all of them as they were. The one
  // on standard output ("-"), which cannot be taken back, is written after the files.
  using Producer = std::function<void(const ContentWriter&)>;
  const std::pair<const std::string*, Producer> all[] = {
      // The JSON is written as it is made, into the --trace file's temporary file.
      {&outputs.trace_file, [&](const ContentWriter& write) { write_trace_json(trace, write); }},
      {&outputs.svg_file, [&](const ContentWriter& write) { write(made.svg); }},
      {&outputs.html_file, [&](const ContentWriter& write) { made.html(write); }}};
  std::optional<StagedFile> staged[std::size(all)];
  for (std::size_t i = 0; i < std::size(all); ++i) {
    if (!all[i].first->empty() && !names_standard_output(*all[i].first)) staged[i].emplace(*all[i].first, all[i].second);
  }
  for (const auto& [path, produce] : all) {
    if (!path->empty() && names_standard_output(*path)) write_output(*path, produce);
  }
  for (std::optional<StagedFile>& file : staged) {
    if (file) file->commit();
  }
}

std::string MadeOutputs::html_text() const {
  std::string page;
  if (html) html(append_to(page));
  return page;
}

void show(const Trace& trace, const Tables& tables, const View& view) {
  Pager pager(view.step);
  struct Quit {};
  bool first = true;
  const SectionSink sink{[&](std::optional<Stage>) {
                           if (!first && !pager.pause()) throw Quit{};
                           first = false;
                         },
                         write_stdout};
  try {
    if (tables.summary) {
      sink.begin(std::nullopt), sink.write(*tables.summary);
    } else if (tables.header_only) {
      sink.begin(std::nullopt), sink.write(render_header(trace, tables.options.precision));
    } else {
      write_sections(trace, tables.options, sink);
    }
    if (tables.focus) sink.begin(std::nullopt), sink.write(*tables.focus);
  } catch (const Quit&) {
  }
}

}  // namespace attn
