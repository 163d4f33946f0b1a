// render_html_page.hpp: what every HTML page of attn-explain is made of: text
// made safe for HTML and for the page's JSON, the template filled in, and the
// run's header.
//
// Promises:
//   - html_escape() output holds no '<', '>', '&', '"' or '\'' of its input:
//     a token such as "<script>" is shown, never obeyed, in text and in
//     attribute values alike.
//   - user_text() is printable() (echo.hpp: control characters and bytes that
//     are not UTF-8 shown escaped, long text shortened) and then html_escape():
//     the one way text from a user reaches a page.
//   - json_string() is a JSON string of valid UTF-8 text that holds no '<',
//     '>' or '&', so that it cannot end the <script> element it sits in.
//   - write_page() and fill_template() put each part where the template's placeholder is,
//     once; nothing it inserts is read as a placeholder again.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "attn/trace.hpp"
#include "attn/util/echo.hpp"
#include "attn/render/render_html.hpp"
#include "attn/util/text_sink.hpp"

namespace attn {

std::string html_escape(std::string_view text);

// Text from a user (a token, the sentence, a table's name, a lesson's line).
std::string user_text(std::string_view text, std::size_t limit = kQuotedNameBytes);

// A token as a label of a row, a column or a line: printable, cut to
// kMaxLabelWidth columns (text_layout.hpp) as the terminal cuts it, escaped.
std::string label_html(std::string_view token);

// REQUIRES: text is valid UTF-8 (user text passes through printable() first).
std::string json_string(std::string_view text);

// A part of a page, written into `out` where the template's placeholder is.
using PagePart = std::function<void(SinkBuffer& out)>;

// The page: the template with its title, style, body, numbers and script,
// written in pieces: `body` is called before `data` (the template holds them
// in that order, html_assets() checks it), so drawing the body may gather the
// numbers the data part writes.
// REQUIRES: title is escaped HTML; data writes JSON made with json_string() for its strings.
void write_page(const HtmlAssets& assets, const std::string& title, const PagePart& body, const PagePart& data,
                SinkBuffer& out);

// The same page as one string, from a body and data already made.
std::string fill_template(const HtmlAssets& assets, const std::string& title, const std::string& body,
                          const std::string& data);

// The run's header as a description list: header_fields() (render_header.hpp),
// the fields the terminal's header prints, with the sentence whole and the
// tokens as numbered chips.
std::string header_html(const Trace& trace, int precision);

}  // namespace attn
