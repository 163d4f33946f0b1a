// The focus walkthrough: one query token's row of every stage, with the
// arithmetic written out. This file puts the steps in order; each step is
// written by focus_query / focus_normalisation / focus_context on a FocusPage.
#include "attn/render/render_focus.hpp"

#include <fmt/format.h>

#include "focus_block.hpp"
#include "focus_context.hpp"
#include "focus_normalisation.hpp"
#include "focus_page.hpp"
#include "focus_query.hpp"
#include "attn/render/text_layout.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

namespace {

// The title line and the numbered tokens (the plain token list when too wide).
void write_heading(FocusPage& page) {
  const Trace& t = page.trace;
  const std::size_t i = page.i, n = t.tokens.size();
  page.text(page.strong(fmt::format("Focus: {}, token {} of {} (x({}) in the book's notation)", page.quoted(i), i + 1,
                                    n, i + 1)));
  page.text("\n");
  std::string sentence = "  tokens  ";
  for (std::size_t j = 0; j < n; ++j) sentence += fmt::format("{}{} {}", j ? ", " : "", j + 1, fit_label(t.tokens[j]));
  page.text((display_width(sentence) <= kTextWidth ? sentence : "  " + token_list(t.tokens)) + "\n");
}

// Every step of one head, numbered from 1.
void write_head(FocusPage& page, std::size_t head_index) {
  const HeadTrace& h = page.trace.heads[head_index];
  page.start_head();
  write_query(page, h, head_index);
  write_scores(page, h);
  if (page.trace.settings.scale) write_scaling(page, h);
  if (h.masked_scores) write_mask(page, h);
  write_normalisation(page, h);
  if (h.masked_weights) write_renormalisation(page, h);
  if (h.dropped_weights && h.dropout_mask) write_dropout(page, h);
  write_context(page, h);
  write_bars(page, h);
}

}  // namespace

std::string render_focus(const Trace& trace, std::size_t row, const FocusOptions& options) {
  FocusPage page(trace, row, options);
  write_heading(page);
  const std::size_t heads = trace.heads.size();
  for (std::size_t h = 0; h < heads; ++h) {
    if (options.head && *options.head != h) continue;
    if (heads > 1) page.text(fmt::format("\n──── head {} of {} ────\n", h + 1, heads));
    write_head(page, h);
  }
  write_after_heads(page);
  if (trace.block && options.block) write_block(page);
  return page.take();
}

}  // namespace attn
