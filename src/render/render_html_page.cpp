// Escaping for HTML and for the page's JSON, the template, the run's header.
// See render_html_page.hpp.
#include "render_html_page.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "attn/util/error.hpp"
#include "attn/util/data_dir.hpp"
#include "attn/util/digest.hpp"
#include "attn/render/render_header.hpp"
#include "attn/util/text_file.hpp"
#include "attn/render/text_layout.hpp"
#include "attn/render/token_labels.hpp"

namespace attn {

namespace {

// The template's placeholders, in the order a page is put together, each once;
// and the one it may hold (the policy's hash of the script, in the page's head).
constexpr std::array<std::string_view, 5> kPlaceholders = {"title", "css", "body", "data", "js"};
constexpr std::string_view kScriptHash = "script_hash";

// Where "{{name}}" is in `page`, and how often.
std::size_t count_of(const std::string& page, std::string_view name) {
  const std::string mark = fmt::format("{{{{{}}}}}", name);
  std::size_t count = 0;
  for (std::size_t at = page.find(mark); at != std::string::npos; at = page.find(mark, at + mark.size())) ++count;
  return count;
}

// The text of the <script> element around {{js}}, with the script in its place:
// the exact text a browser hashes for the policy; nothing when {{js}} is not alone
// in a <script> element.
std::optional<std::string> script_text(const std::string& page, const std::string& js) {
  const std::string_view open_tag = "<script>", mark = "{{js}}";
  const std::size_t at = page.find(mark);
  const std::size_t open = page.rfind(open_tag, at);
  const std::size_t close = page.find("</script>", at);
  if (open == std::string::npos || close == std::string::npos) return std::nullopt;
  const std::string before = page.substr(open + open_tag.size(), at - open - open_tag.size());
  const std::string after = page.substr(at + mark.size(), close - at - mark.size());
  if (before.find("</script>") != std::string::npos || before.find("{{") != std::string::npos ||
      after.find("{{") != std::string::npos) {
    return std::nullopt;
  }
  return before + js + after;
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string user_text(std::string_view text, std::size_t limit) { return html_escape(printable(text, limit)); }

std::string label_html(std::string_view token) { return html_escape(fit_label(printable(token))); }

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      default:
        // Control characters, and what could end the <script> element or start a comment in it.
        if (byte < 0x20 || c == '<' || c == '>' || c == '&') {
          out += fmt::format("\\u{:04x}", byte);
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

HtmlAssets html_assets(std::string page, std::string css, std::string js, const std::string& source) {
  const char* const fix = "reinstall attn-explain, or set ATTN_EXPLAIN_DATA to a folder with an intact html/ folder";
  for (std::string_view name : kPlaceholders) {
    if (count_of(page, name) != 1) {
      throw DataError(fmt::format("{}: the page template must hold {{{{{}}}}} exactly once", source, name), fix);
    }
  }
  if (count_of(page, kScriptHash) > 1) {
    throw DataError(fmt::format("{}: the page template may hold {{{{script_hash}}}} once at most", source), fix);
  }
  // The body is written first: drawing it gathers the numbers {{data}} holds.
  if (page.find("{{data}}") < page.find("{{body}}")) {
    throw DataError(fmt::format("{}: the page template must hold {{{{body}}}} before {{{{data}}}}", source), fix);
  }
  // The hash whether or not the page names it: serve's own policy names the report's script too.
  const std::optional<std::string> script = script_text(page, js);
  if (count_of(page, kScriptHash) == 1 && !script) {
    throw DataError(
        fmt::format("{}: the page template holds {{{{script_hash}}}}, so {{{{js}}}} must be alone in a <script> element",
                    source),
        fix);
  }
  std::string hash = script ? csp_script_hash(*script) : "";
  return HtmlAssets{std::move(page), std::move(css), std::move(js), std::move(hash)};
}

HtmlAssets load_html_assets() {
  const std::filesystem::path page = find_data_file("html/report.html");
  return html_assets(read_text_file(page), read_text_file(find_data_file("html/report.css")),
                     read_text_file(find_data_file("html/report.js")), page.string());
}

void write_page(const HtmlAssets& assets, const std::string& title, const PagePart& body, const PagePart& data,
                SinkBuffer& out) {
  const std::string& page = assets.page;
  std::size_t from = 0;
  while (from < page.size()) {
    const std::size_t open = page.find("{{", from);
    const std::size_t close = open == std::string::npos ? open : page.find("}}", open + 2);
    const std::string_view name =
        close == std::string::npos ? std::string_view() : std::string_view(page).substr(open + 2, close - open - 2);
    const bool placeholder =
        name == kScriptHash || std::find(kPlaceholders.begin(), kPlaceholders.end(), name) != kPlaceholders.end();
    if (!placeholder) {
      const std::size_t end = open == std::string::npos ? page.size() : open + 2;
      out.text().append(page, from, end - from);
      from = end;
      continue;
    }
    out.text().append(page, from, open - from);
    if (name == "title") out.text() += title;
    if (name == "css") out.text() += assets.css;
    if (name == "js") out.text() += assets.js;
    if (name == kScriptHash) out.text() += assets.script_hash;
    if (name == "body") body(out);
    if (name == "data") data(out);
    out.piece_done();
    from = close + 2;
  }
}

std::string fill_template(const HtmlAssets& assets, const std::string& title, const std::string& body,
                          const std::string& data) {
  std::string page;
  SinkBuffer out(page);
  write_page(
      assets, title, [&](SinkBuffer& b) { b.text() += body; }, [&](SinkBuffer& d) { d.text() += data; }, out);
  out.flush();
  return page;
}

namespace {

// Beyond this many tokens, the chips are folded away (a <details> element opens them).
constexpr std::size_t kUnfoldedTokens = 64;

// The tokens as numbered chips, every one whole (the terminal cuts them to 14 columns).
std::string token_chips(const Trace& t) {
  const bool fold = t.tokens.size() > kUnfoldedTokens;
  std::string out = fold ? fmt::format("<details><summary>{} tokens</summary><ol class=\"tokens\">", t.tokens.size())
                         : "<ol class=\"tokens\">";
  for (std::size_t i = 0; i < t.tokens.size(); ++i) {
    out += fmt::format("<li><span class=\"ti\">{}</span>{}{}</li>", i + 1, user_text(t.tokens[i]), token_mark(kind_of(t, i)));
  }
  return out + fmt::format("</ol> <span class=\"n\">(n = {})</span>{}", t.tokens.size(), fold ? "</details>" : "");
}

}  // namespace

std::string header_html(const Trace& t, int precision) {
  // The header's fields, as the terminal's header has them; the sentence
  // (whole, not cut) and the tokens (as chips) are drawn from the Trace.
  std::string out = "<dl class=\"settings\">";
  out += fmt::format("<dt>sentence</dt><dd class=\"sentence\">{}</dd>", user_text(t.sentence, kMessageLineBytes));
  out += "<dt>tokens</dt><dd>" + token_chips(t) + "</dd>";
  for (const HeaderField& field : header_fields(t, precision)) {
    if (field.name == "sentence" || field.name == "tokens") continue;
    out += fmt::format("<dt>{}</dt><dd>{}</dd>", html_escape(field.name), html_escape(field.value));
  }
  return out + "</dl>";
}

}  // namespace attn
