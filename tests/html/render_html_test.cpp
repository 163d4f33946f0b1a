// The HTML report's renderer (render_html.hpp) without a browser: the page's
// structure, escaping of hostile text, no address anywhere, the numbers block,
// the PNG and base64 encoders, the row maxima, long inputs and the file's size.
// tests/html/check_report.py opens the pages in Chromium.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "attn/embedding_table.hpp"
#include "attn/util/error.hpp"
#include "attn/explorer.hpp"
#include "attn/util/data_dir.hpp"
#include "attn/teach/explanations.hpp"
#include "attn/teach/lesson.hpp"
#include "attn/render/render_html.hpp"
#include "render_html_data.hpp"
#include "render_html_heatmap.hpp"
#include "render_html_page.hpp"
#include "attn/util/digest.hpp"
#include "attn/util/png.hpp"
#include "../test_util.hpp"
#include "attn/render/text_layout.hpp"

namespace attn {
namespace {

const char* kSentence = "The dog chased the ball, and it rolled away.";

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
  return n;
}

Trace run(const std::string& sentence, Request request = {}) {
  request.sentence = sentence;
  return explore(request, load_table(test::bundled("default.json")));
}

const HtmlAssets& assets() {
  static const HtmlAssets a = load_html_assets();
  return a;
}

std::string page(const Trace& t, HtmlOptions options = {}) { return render_html_report(t, options, assets()); }

// The JSON block of a page, parsed.
nlohmann::json numbers_of(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"attn-data\">";
  const std::size_t from = html.find(open) + open.size();
  return nlohmann::json::parse(html.substr(from, html.find("</script>", from) - from));
}

// "n n n" → its numbers as printed.
std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from <= text.size()) {
    const std::size_t space = std::min(text.find(' ', from), text.size());
    out.push_back(text.substr(from, space - from));
    from = space + 1;
  }
  return out;
}

TEST(HtmlEscape, EscapesEveryCharacterThatIsMarkup) {
  EXPECT_EQ(html_escape("<a href=\"x\" title='y'>&</a>"), "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(html_escape("plain café"), "plain café");
  // User text is made printable first: an escape character shows as \x1B, a newline as \n.
  EXPECT_EQ(user_text("a\x1b[31m<b>\nc"), "a\\x1B[31m&lt;b&gt;\\nc");
}

TEST(HtmlEscape, JsonStringsCannotEndTheirScript) {
  const std::string text = "</script><!-- \"q\" \\ & > \n\x01 é";
  const std::string json = json_string(text);
  EXPECT_EQ(json.find('<'), std::string::npos);
  EXPECT_EQ(json.find('>'), std::string::npos);
  EXPECT_EQ(json.find('&'), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(json).get<std::string>(), text);  // and it reads back to the text
}

TEST(HtmlTemplate, FillsEachPlaceholderOnceAndNeverWhatItInserted) {
  const HtmlAssets a = html_assets("<t>{{title}}</t><s>{{css}}</s>{{body}}<d>{{data}}</d><j>{{js}}</j>{{other}}", "C", "J");
  EXPECT_EQ(fill_template(a, "T", "B {{css}}", "D"), "<t>T</t><s>C</s>B {{css}}<d>D</d><j>J</j>{{other}}");
}

TEST(HtmlTemplate, TheBodyMustComeBeforeTheNumbers) {
  // The body is drawn first (it gathers the numbers): a template with {{data}} first is refused.
  try {
    html_assets("{{title}}{{css}}{{data}}{{body}}{{js}}", "", "", "t.html");
    ADD_FAILURE() << "accepted";
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()), "t.html: the page template must hold {{body}} before {{data}}");
  }
}

TEST(HtmlStream, ThePageArrivesInPiecesAsItIsDrawn) {
  std::string sentence;
  for (int k = 0; k < 300; ++k) sentence += k % 3 ? " dog" : " ball";
  Request request;
  request.heads = 2;
  request.projection = Projection::rand;
  request.causal = true;
  request.max_tokens = 400;
  const Trace t = run(sentence, request);
  std::vector<std::string> pieces;
  write_html_report(t, HtmlOptions{}, assets(), [&](std::string_view piece) { pieces.emplace_back(piece); });
  std::string whole;
  for (const std::string& piece : pieces) whole += piece;
  EXPECT_EQ(whole, page(t));
  // Many pieces, the first of them sent before any number of the page's data is written.
  EXPECT_GT(pieces.size(), 20u);
  EXPECT_EQ(pieces.front().find("id=\"attn-data\">{"), std::string::npos);
  std::size_t largest = 0;
  for (const std::string& piece : pieces) largest = std::max(largest, piece.size());
  // No piece is the page: the largest is a picture or a piece of about 64 KiB.
  EXPECT_LT(largest, whole.size() / 4) << largest << " of " << whole.size();
}

TEST(HtmlTemplate, ATemplateWithoutOrWithTwoOfAPlaceholderIsRefused) {
  EXPECT_THROW(html_assets("{{title}}{{css}}{{data}}{{js}}", "", "", "t.html"), DataError);  // no {{body}}
  EXPECT_THROW(html_assets("{{title}}{{css}}{{body}}{{body}}{{data}}{{js}}", "", "", "t.html"), DataError);
  try {
    html_assets("{{title}}{{css}}{{data}}{{js}}", "", "", "t.html");
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()), "t.html: the page template must hold {{body}} exactly once");
  }
}

// {{script_hash}} is the hash of the whole text of the <script> element around {{js}}.
TEST(HtmlTemplate, TheScriptHashIsThatOfTheScriptElementsText) {
  const HtmlAssets a = html_assets("{{script_hash}}{{title}}{{css}}{{body}}{{data}}<script>\n{{js}}\n</script>", "", "J");
  EXPECT_EQ(a.script_hash, csp_script_hash("\nJ\n"));
  EXPECT_EQ(fill_template(a, "", "", "").substr(0, a.script_hash.size()), a.script_hash);
  EXPECT_EQ(html_assets("{{title}}{{css}}{{body}}{{data}}{{js}}", "", "").script_hash, "");  // not in a script
  // Without {{script_hash}} the hash is still made (serve's policy names the report's script).
  EXPECT_EQ(html_assets("{{title}}{{css}}{{body}}{{data}}<script>{{js}}</script>", "", "J").script_hash,
            csp_script_hash("J"));
  for (const char* page : {"{{script_hash}}{{script_hash}}{{title}}{{css}}{{body}}{{data}}<script>{{js}}</script>",
                           "{{script_hash}}{{title}}{{css}}{{body}}{{data}}{{js}}",  // not in a script
                           "{{script_hash}}{{title}}{{css}}{{body}}<script>{{data}}{{js}}</script>",  // not alone
                           "{{script_hash}}{{title}}{{css}}{{body}}{{data}}<script></script>{{js}}</script>"}) {
    EXPECT_THROW(html_assets(page, "", "", "t.html"), DataError) << page;
  }
}

TEST(HtmlReport, IsOneFileThatRefersToNothingOutside) {
  const std::string html = page(run(kSentence));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  // One script may run: the page's own, named by its hash (digest_test checks the hash itself).
  const std::size_t open = html.find("<script>\n"), close = html.find("</script>", open);
  ASSERT_NE(close, std::string::npos);
  const std::string script = html.substr(open + 8, close - open - 8);
  EXPECT_TRUE(html.find("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
                        "'unsafe-inline'; script-src " +
                        csp_script_hash(script) + "; img-src data:; base-uri 'none'; form-action 'none'\">") !=
              std::string::npos);
  EXPECT_EQ(count(html, "unsafe-inline"), 1u);  // the style's
  // Every src and href is the page's own (#...) or a data: image; no link, no @import, no url(.
  const std::regex reference(R"((src|href)=\"([^\"]*)\")");
  std::size_t images = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), reference); it != std::sregex_iterator(); ++it) {
    const std::string value = (*it)[2];
    EXPECT_TRUE(value.rfind("#", 0) == 0 || value.rfind("data:image/png;base64,", 0) == 0) << value.substr(0, 60);
    images += value.rfind("data:", 0) == 0;
  }
  EXPECT_GE(images, 1u);
  EXPECT_EQ(count(html, "<link"), 0u);
  EXPECT_EQ(count(html, "@import"), 0u);
  EXPECT_EQ(count(html, "url("), 0u);
  // The only address is the SVG namespace the script creates elements in.
  EXPECT_EQ(count(html, "http://") + count(html, "https://"), count(html, "http://www.w3.org/2000/svg"));
  // The template's placeholders are all filled.
  EXPECT_EQ(count(html, "{{"), 0u);
  EXPECT_EQ(count(html, "<script>"), 1u);
  EXPECT_EQ(count(html, "<script type=\"application/json\" id=\"attn-data\">"), 1u);
}

TEST(HtmlReport, EveryStageIsALabelledTableWithHeaders) {
  const Trace t = run(kSentence);
  const std::string html = page(t);
  // X, W_query, W_key, W_value, Q, K, V, scores, scaled scores, weights, context vectors.
  EXPECT_EQ(count(html, "<table class=\"matrix\""), 11u);
  for (const char* key : {"x", "h0.Wq", "h0.Wk", "h0.Wv", "h0.q", "h0.k", "h0.v", "h0.s", "h0.c", "h0.w", "h0.ctx"}) {
    EXPECT_EQ(count(html, std::string("<table class=\"matrix\" data-m=\"") + key + "\""), 1u) << key;
  }
  // 11 × 11 weights and scores tables: a column header per key and a row header per query, in each of the three.
  const std::size_t n = t.tokens.size();
  EXPECT_EQ(count(html, "<th scope=\"row\">it</th>"), 3u + 5u);  // scores, scaled, weights; X, Q, K, V, z
  EXPECT_EQ(count(html, "<th scope=\"col\">ball</th>"), 3u);
  EXPECT_EQ(count(html, "<td"), n * n * 3 + n * 6 * 5 + 6 * 6 * 3 + 11) << "and an empty corner cell per table";
  // The weight of "it" for "ball", as the tables print it, bold and outlined: the row's largest.
  const std::string it_ball = format_number(t.heads[0].attn_weights(7, 4), 4);
  EXPECT_NE(html.find("class=\"max\" style=\"background:#fde725\"><strong>" + it_ball + "</strong>"), std::string::npos)
      << "the largest weight of the matrix is viridis's yellow end, marked";
  // The header, as the terminal's.
  EXPECT_NE(html.find("<dt>projection</dt><dd>table: W_query, W_key, W_value from the table, d_out = 6</dd>"), std::string::npos);
  EXPECT_NE(html.find("<dt>scaling</dt><dd>divide the scores by √d_k = √6 = 2.4495</dd>"), std::string::npos);
  // A heatmap and a line view of the weights.
  EXPECT_EQ(count(html, "<svg class=\"heatmap\""), 1u);
  EXPECT_EQ(count(html, "<svg class=\"lines"), 1u);
}

TEST(HtmlReport, HostileTokensAndTableNamesAreShownNeverObeyed) {
  Trace t = run("a b c d");
  t.tokens = {"<script>alert(1)</script>", "\"><img src=x onerror=alert(2)>", "a'b&c", "\x1b[31mred\n"};
  t.settings.table_name = "</title><script>alert(3)</script>";
  t.sentence = "</script><script>alert(4)</script>";
  const std::string html = page(t);
  EXPECT_EQ(count(html, "<script>"), 1u) << "only the page's own script";
  EXPECT_EQ(count(html, "<img"), 0u);
  EXPECT_EQ(count(html, "</title>"), 1u);
  EXPECT_EQ(count(html, "\x1b"), 0u);
  EXPECT_NE(html.find("<th scope=\"row\">&lt;script&gt;alert…</th>"), std::string::npos) << "cut to 14 columns, escaped";
  EXPECT_NE(html.find("&lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("\\x1B[31mred\\n"), std::string::npos);
  // The numbers block holds the tokens, whole, in JSON that cannot end its <script>.
  const nlohmann::json data = numbers_of(html);
  EXPECT_EQ(data["runs"][0]["tokens"][0], "<script>alert(1)</script>");
  EXPECT_EQ(data["runs"][0]["tokens"][3], "\\x1B[31mred\\n");
}

TEST(HtmlReport, TheNumbersBlockHoldsTheRunsNumbersAsPrinted) {
  Request request;
  request.causal = true;
  request.causal_method = CausalMethod::renorm;
  request.dropout = 0.5;
  const Trace t = run(kSentence, request);
  HtmlOptions options;
  options.precision = 3;
  const nlohmann::json data = numbers_of(page(t, options));
  EXPECT_EQ(data["p"], 3);
  const nlohmann::json& r = data["runs"][0];
  EXPECT_EQ(r["causal"], "renorm");
  EXPECT_EQ(r["dropout"], "0.5");
  EXPECT_EQ(r["keep"], "2.000");
  const std::size_t n = t.tokens.size();
  const std::vector<std::string> w = words(r["m"]["h0.w"]["v"]);
  ASSERT_EQ(w.size(), n * n);
  for (std::size_t k = 0; k < n * n; ++k) EXPECT_EQ(w[k], format_number(t.heads[0].attn_weights.data[k], 3));
  for (const char* key : {"h0.q", "h0.k", "h0.s", "h0.c", "h0.d", "h0.e", "h0.z", "h0.mx", "h0.mw", "h0.rz", "h0.dm", "h0.dw"}) {
    EXPECT_TRUE(r["m"].contains(key)) << key;
  }
  // Each row's sum is the sum of its numerators (to the printed precision), and
  // under renormalisation the kept sum is that of the masked weights up to the diagonal.
  const std::vector<std::string> e = words(r["m"]["h0.e"]["v"]), z = words(r["m"]["h0.z"]["v"]);
  const std::vector<std::string> rz = words(r["m"]["h0.rz"]["v"]);
  for (std::size_t i = 0; i < n; ++i) {
    double sum = 0.0, kept = 0.0;
    for (std::size_t j = 0; j < n; ++j) sum += std::stod(e[i * n + j]);
    for (std::size_t j = 0; j <= i; ++j) kept += (*t.heads[0].masked_weights)(i, j);
    EXPECT_NEAR(std::stod(z[i]), sum, 0.0005 * n) << i;
    EXPECT_NEAR(std::stod(rz[i]), kept, 0.0006) << i;
  }
}

TEST(HtmlReport, ExplainNotesStandBesideTheStagesOnlyWhenAsked) {
  const Trace t = run(kSentence);
  EXPECT_EQ(count(page(t), "<aside class=\"explain\">"), 0u);
  const Explanations explain = load_explanations(find_data_file(kExplanationsFile));
  HtmlOptions options;
  options.explain = &explain;
  const std::string html = page(t, options);
  EXPECT_EQ(count(html, "<aside class=\"explain\">"), 9u);  // inputs, params, queries, keys, values, scores, scaled, weights, context
  EXPECT_NE(html.find(html_escape(explain.at(Stage::weights).front())), std::string::npos);
}

TEST(HtmlReport, StagesAndFocusAsAsked) {
  const Trace t = run(kSentence);
  HtmlOptions options;
  options.stages = {Stage::weights};
  options.focus_row = 7;
  const std::string html = page(t, options);
  EXPECT_EQ(count(html, "<table class=\"matrix\""), 1u);
  EXPECT_NE(html.find("Every number behind \"it\""), std::string::npos);
  EXPECT_NE(html.find("<g class=\"q sel\" data-i=\"7\">"), std::string::npos) << "its row selected in the line view";
}

TEST(HtmlReport, LongInputsDrawTheSquareStagesAsPicturesAndStaySmall) {
  std::string sentence;
  for (int k = 0; k < 64; ++k) sentence += std::string(k ? " " : "") + (k % 2 ? "dog" : "ball");
  const Trace t64 = run(sentence);
  const std::string html64 = page(t64);
  EXPECT_EQ(count(html64, "<table class=\"matrix\" data-m=\"h0.s\""), 0u);
  EXPECT_EQ(count(html64, "<svg class=\"heatmap\""), 4u);  // scores, scaled scores, weights, and the weights at a glance
  EXPECT_EQ(count(html64, "<table class=\"matrix\" data-m=\"x\""), 1u) << "64 × 6 is still a table";
  EXPECT_LT(html64.size(), 2u << 20) << "the goal: a 64-token page under 2 MB";
  // The line view beyond kHtmlAllLines tokens: three lines per query.
  EXPECT_EQ(count(html64, "<path d=\"M"), 64u * 3);

  std::string long_sentence;
  for (int k = 0; k < 256; ++k) long_sentence += std::string(k ? " " : "") + (k % 3 ? "dog" : "it");
  const std::string html256 = page(run(long_sentence));
  // No worse than the numbers it must hold: a few bytes per number of the n × n matrices.
  const double per_cell = static_cast<double>(html256.size()) / (256.0 * 256.0);
  EXPECT_LT(per_cell, 64.0) << html256.size();
  EXPECT_LT(static_cast<double>(html256.size()) / html64.size(), 16.0 * 1.25);
}

TEST(HtmlReport, RowMaximaMarkEveryTieAndNoEvenRow) {
  Matrix m(3, 3);
  m.data = {0.2f, 0.4f, 0.4f, 1.0f / 3, 1.0f / 3, 1.0f / 3, 0.0f, 0.0f, 0.0f};
  const std::vector<char> top = row_maxima(m, 4);
  EXPECT_EQ(std::vector<char>(top.begin(), top.begin() + 3), (std::vector<char>{0, 1, 1}));
  EXPECT_EQ(std::vector<char>(top.begin() + 3, top.end()), (std::vector<char>(6, 0)));
  // 0.40004 and 0.4 print alike at 4 decimals: a tie; at 5 they do not.
  Matrix close(1, 3);
  close.data = {0.40004f, 0.4f, 0.19996f};
  EXPECT_EQ(row_maxima(close, 4), (std::vector<char>{1, 1, 0}));
  EXPECT_EQ(row_maxima(close, 5), (std::vector<char>{1, 0, 0}));
}

TEST(HtmlNumbers, AppendNumberPrintsAsFormatNumber) {
  const float values[] = {0.0f, -0.0f, -0.00001f, 0.12345f, -1.5f, 2.5f, 1e30f, -7e-8f, 123456.789f,
                          NAN, INFINITY, -INFINITY, 0.125f, 1.0f / 3};
  for (int p = 0; p <= 9; ++p) {
    for (float v : values) {
      std::string out = "x";
      append_number(out, v, p);
      EXPECT_EQ(out.substr(1), format_number(v, p)) << v << " at " << p;
    }
  }
}

// ---- PNG and base64, against their specifications

// CRC-32 bit by bit (ISO 3309), not by table as the encoder does.
std::uint32_t crc_bitwise(const std::string& bytes) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : bytes) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

std::uint32_t be32(const std::string& s, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) << 24 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8 | static_cast<unsigned char>(s[at + 3]);
}

TEST(HtmlPng, APalettePngOfStoredBlocksReadsBackToItsPixels) {
  const std::size_t width = 300, height = 250;  // more than one 65535-byte stored block
  std::vector<std::uint8_t> pixels(width * height);
  for (std::size_t k = 0; k < pixels.size(); ++k) pixels[k] = static_cast<std::uint8_t>((k * 7) % 3);
  const std::string png = png_indexed(width, height, pixels, {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}});
  ASSERT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  // Every PNG ends with the same IEND chunk: length 0, "IEND", CRC AE 42 60 82.
  EXPECT_EQ(png.substr(png.size() - 12), std::string("\0\0\0\0IEND\xAE\x42\x60\x82", 12));
  std::string idat, palette;
  for (std::size_t at = 8; at < png.size();) {
    const std::uint32_t length = be32(png, at);
    const std::string type = png.substr(at + 4, 4), body = png.substr(at + 8, length);
    EXPECT_EQ(be32(png, at + 8 + length), crc_bitwise(type + body)) << type;
    if (type == "IHDR") {
      EXPECT_EQ(be32(body, 0), width);
      EXPECT_EQ(be32(body, 4), height);
      EXPECT_EQ(body.substr(8), std::string("\x08\x03\x00\x00\x00", 5));
    }
    if (type == "PLTE") palette = body;
    if (type == "IDAT") idat += body;
    at += 12 + length;
  }
  EXPECT_EQ(palette, std::string("\xff\x00\x00\x00\xff\x00\x00\x00\xff", 9));
  // zlib: CMF/FLG a multiple of 31, stored blocks (LEN, ~LEN), Adler-32 at the end (RFC 1950, 1951).
  ASSERT_EQ((static_cast<unsigned char>(idat[0]) * 256 + static_cast<unsigned char>(idat[1])) % 31, 0);
  std::string raw;
  std::size_t at = 2;
  for (bool last = false; !last;) {
    last = idat[at] & 1;
    EXPECT_EQ((idat[at] >> 1) & 3, 0) << "stored";
    const std::size_t len = static_cast<unsigned char>(idat[at + 1]) | static_cast<unsigned char>(idat[at + 2]) << 8;
    const std::size_t nlen = static_cast<unsigned char>(idat[at + 3]) | static_cast<unsigned char>(idat[at + 4]) << 8;
    EXPECT_EQ(len ^ 0xFFFF, nlen);
    raw += idat.substr(at + 5, len);
    at += 5 + len;
  }
  std::uint32_t a = 1, b = 0;
  for (unsigned char c : raw) a = (a + c) % 65521, b = (b + a) % 65521;
  EXPECT_EQ(be32(idat, at), (b << 16) | a);
  ASSERT_EQ(raw.size(), height * (width + 1));
  for (std::size_t y = 0; y < height; ++y) {
    ASSERT_EQ(raw[y * (width + 1)], '\0') << "filter 0";
    for (std::size_t x = 0; x < width; ++x) ASSERT_EQ(static_cast<std::uint8_t>(raw[y * (width + 1) + 1 + x]), pixels[y * width + x]);
  }
}

TEST(HtmlPng, Base64IsRfc4648s) {
  const std::string prefix = "data:image/png;base64,";
  EXPECT_EQ(data_uri(""), prefix);
  EXPECT_EQ(data_uri("f"), prefix + "Zg==");
  EXPECT_EQ(data_uri("fo"), prefix + "Zm8=");
  EXPECT_EQ(data_uri("foo"), prefix + "Zm9v");
  EXPECT_EQ(data_uri("foob"), prefix + "Zm9vYg==");
  EXPECT_EQ(data_uri("fooba"), prefix + "Zm9vYmE=");
  EXPECT_EQ(data_uri("foobar"), prefix + "Zm9vYmFy");
  EXPECT_EQ(data_uri(std::string("\xff\xfe\x00", 3)), prefix + "//4A");
}

TEST(HtmlLesson, EveryStepWithItsNarration) {
  const Lesson lesson = lesson_named("it-ball");
  const std::string html = render_html_lesson(lesson, run_lesson(lesson), HtmlOptions{}, assets());
  EXPECT_EQ(count(html, "<section class=\"step\""), lesson.steps.size());
  for (std::size_t k = 0; k < lesson.steps.size(); ++k) {
    EXPECT_NE(html.find(html_escape(lesson.steps[k].title)), std::string::npos) << k;
    for (const std::string& line : lesson.steps[k].say) EXPECT_NE(html.find(html_escape(line)), std::string::npos) << line;
  }
  EXPECT_NE(html.find("Try it: <code>"), std::string::npos);
  EXPECT_EQ(count(html, "<script>"), 1u);
}

}  // namespace
}  // namespace attn
