// The bad-input catalogue: user text echoed in a message (escaped and bounded),
// and render TRACE.json given a file that is not a whole, consistent trace. The
// runner is tests/bad_input_test.cpp.
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "catalogue.hpp"

namespace attn::bad_input {

void add_echo_cases(std::vector<Case>& c) {
  auto table = [&](std::string name, std::string file, std::string content, std::vector<std::string> says,
                   std::string defect = "") {
    c.push_back(table_case(std::move(name), std::move(file), std::move(content), std::move(says), std::move(defect)));
  };

  // -- user text echoed in a message: escaped (\n, \0, \x1B) and bounded, never raw (issue 12, item 20)
  table("echo_key_with_newline", "nl.json", R"({"dim": 2, "vectors": {"a\nattn-explain: error: fake": [1, 2],
         "a\nattn-explain: error: fake": [3, 4]}})", {R"(duplicate token "a\nattn-explain: error: fake" in "vectors")"});
  table("echo_key_with_nul", "nul.json", R"({"dim": 2, "vectors": {"a\u0000zz": [1, 2], "a\u0000zz": [3, 4]}})",
        {R"(duplicate token "a\0zz" in "vectors")"});
  table("echo_key_with_escape", "esc.json", R"({"\u001b[31mred": 1, "dim": 2, "vectors": {"hi": [1, 2]}})",
        {R"(unknown key "\x1B[31mred")"});
  table("echo_key_with_c1_control", "csi.json", R"({"\u009b31mred": 1, "dim": 2, "vectors": {"hi": [1, 2]}})",
        {R"(unknown key "\u009B31mred")"});
  table("echo_key_of_a_megabyte", "mega.json",
        fmt::format(R"({{"{}": 1, "dim": 2, "vectors": {{"hi": [1, 2]}}}})", std::string(1000000, 'k')),
        {"mega.json: unknown key \"kkkk", "kkkk … kkkk", "kkkk\""});
  c.push_back({"echo_option_value_with_escape", "--projection \"$(printf 'x\\033[31m\\nred')\" hi", 2,
               {R"(got "x\x1B[31m\nred")"}, ""});
  c.push_back({"echo_file_name_with_escape", "-e \"$(printf 'no\\033[31mfile\\n.json')\" hi", 1,
               {R"(no\x1B[31mfile\n.json: no such file)"}, ""});
  c.push_back({"echo_focus_of_100_kb", "--focus " + std::string(100000, 'k') + " hi there", 2,
               {"--focus \"kkkk", "kkkk … kkkk", "\": not a token of the sentence"}, ""});
}

void add_render_cases(std::vector<Case>& c) {
  // -- render TRACE.json: a file that is not a whole trace is one line, exit 1 (issue 13, item 3)
  auto render = [&](std::string name, std::string content, std::vector<std::string> says) {
    Case k{name, "render t.json", 1, std::move(says), ""};
    k.files = {{"t.json", std::move(content)}};
    c.push_back(std::move(k));
  };
  render("render_a_table", kTable, {"t.json: not a trace: \"schema\" is not \"attn-explain/trace@1\""});
  render("render_truncated", R"({"schema": "attn-explain/trace@1", "sentence": "hi", "tokens": [)",
         {"t.json:1:", "malformed JSON"});
  render("render_no_config", R"({"schema": "attn-explain/trace@1", "sentence": "hi", "tokens": ["hi"], "oov_tokens": [],
         "warnings": []})", {"t.json: \"config\" is missing"});
  render("render_garbage", garbage(), {"t.json"});
  // A trace that contradicts itself, its shapes right (issue 23, item 16): the fuzz
  // target's regressions, refused naming the key.
  auto contradiction = [&](std::string name, const char* file, std::vector<std::string> says) {
    render(std::move(name), slurp(fs::path(ATTN_DATA_DIR).parent_path() / "tests/fuzz/regressions/trace" / file),
           std::move(says));
  };
  contradiction("render_model_n_head_7", "model-n-head-7.json", {"t.json: model.n_head is 7, expected 2 (config.heads)"});
  contradiction("render_probability_2", "model-probability-2.json",
                {"t.json: next_tokens[1].probability is 2, expected a probability from 0 to 1 (or null)"});
  contradiction("render_scale_0", "scale-zero.json", {"t.json: heads[1].scale is 0, expected 2.4494898"});
  contradiction("render_weight_2", "weight-two.json",
                {"t.json: heads[1].weights: row 2 column 1 is 2, expected a weight from 0 to 1 (or null)"});
  contradiction("render_weights_row_half", "weights-row-half.json",
                {"t.json: heads[1].weights: row 3 sums to 0.5", "expected 1 (a row of softmax weights)"});
  c.push_back({"render_missing_file", "render missing.json", 1, {"missing.json: no such file"}, ""});
  c.push_back({"render_without_trace", "render", 2, {"trace is required"}, ""});
}

}  // namespace attn::bad_input
