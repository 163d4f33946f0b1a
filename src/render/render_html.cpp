// A run as one HTML page: the header, the pictures of the weights, every
// stage, the numbers the script reads. See render_html.hpp.
#include "attn/render/render_html.hpp"

#include <fmt/format.h>

#include "attn/util/data_dir.hpp"
#include "render_html_data.hpp"
#include "render_html_lines.hpp"
#include "render_html_page.hpp"
#include "render_html_lens.hpp"
#include "render_html_stages.hpp"
#include "attn/render/text_layout.hpp"

namespace attn {

namespace {

constexpr std::size_t kTitleBytes = 80;

std::string footer_html(int precision) {
  return fmt::format(
      "<footer><p>Made by attn-explain {} (one file: it loads nothing and sends nothing). Every number is the engine's "
      "float32 value printed to {} decimals; the colours are only a second way to read them.</p></footer>",
      version(), precision);
}

}  // namespace

void write_html_report(const Trace& trace, const HtmlOptions& options, const HtmlAssets& assets, const TextSink& sink) {
  HtmlNumbers numbers(options.precision);
  HtmlRun run{trace, numbers, numbers.add_run(trace), "r1", options.precision, options.head, options.focus_row};
  const auto body = [&](SinkBuffer& out) {
    out.text() += "<header class=\"top\"><h1>Self-attention, step by step</h1>" + header_html(trace, options.precision) +
                  "</header><main>";
    out.text() += fmt::format("<div class=\"run\" data-run=\"{}\" data-name=\"{}\">", run.index, run.id);
    out.text() += pictures_html(run, options.focus_row);
    out.text() += lens_html(trace, run.id) + generation_html(trace, run.id, options.precision);
    if (options.focus_row) out.text() += focus_html(run, *options.focus_row);
    out.text() += fmt::format(
        "<section class=\"stages\" aria-labelledby=\"{0}-stages-t\"><h2 id=\"{0}-stages-t\">Stage by stage</h2>", run.id);
    out.piece_done();
    write_stages_html(run, options.stages, options.explain, "", out);
    out.text() += "</section></div></main>";
    out.text() += footer_html(options.precision);
  };
  const std::string title = "attn-explain: " + user_text(trace.sentence, kTitleBytes);
  SinkBuffer out(sink);
  write_page(assets, title, body, [&](SinkBuffer& data) { numbers.write_json(data); }, out);
  out.flush();
}

std::string render_html_report(const Trace& trace, const HtmlOptions& options, const HtmlAssets& assets) {
  std::string page;
  write_html_report(trace, options, assets, append_to(page));
  return page;
}

}  // namespace attn
