// The bad-input catalogue: sentences (empty, invalid UTF-8, control and
// bidirectional characters, too many tokens) and options (values out of range,
// --focus, a lesson step's head, answers). The runner is tests/bad_input_test.cpp.
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "catalogue.hpp"

namespace attn::bad_input {

void add_sentence_cases(std::vector<Case>& c) {
  // -- the sentence
  c.push_back(with_json({"empty_sentence", "''", 1, {"the sentence is empty"}, ""}));
  c.push_back(with_json({"blank_sentence", "'   \t  '", 1, {"the sentence is empty"}, ""}));
  c.push_back(with_json({"empty_stdin", "-", 1, {"the sentence is empty"}, "", {}, std::string()}));
  c.push_back(with_json({"blank_stdin", "-", 1, {"the sentence is empty"}, "", {}, std::string(" \n\n\r\n")}));
  c.push_back(with_json({"invalid_utf8_cut_sequence", "\"$(printf 'caf\\303')\"", 1,
                         {"invalid UTF-8 in the sentence at byte 3"}, ""}));
  c.push_back(with_json({"invalid_utf8_overlong_stdin", "-", 1, {"invalid UTF-8 in the sentence at byte 0"}, "", {},
                         std::string("\xc0\xaf and more")}));
  c.push_back(with_json({"invalid_utf8_lone_continuation_stdin", "-", 1, {"invalid UTF-8 in the sentence at byte 2"}, "",
                         {}, std::string("ab\x80")}));
  c.push_back(with_json({"control_character_soh", "\"$(printf 'a\\001b')\"", 1,
                         {"control character U+0001 in the sentence at byte 1"}, ""}));
  c.push_back(with_json({"control_character_escape", "\"$(printf 'a\\033[31mb')\"", 1,
                         {"control character U+001B in the sentence at byte 1"}, ""}));
  c.push_back(with_json({"control_character_nul_stdin", "-", 1, {"control character U+0000 in the sentence at byte 5"}, "",
                         {}, std::string("hello\0world", 11)}));
  c.push_back(with_json({"control_character_c1_next_line", "\"$(printf 'a\\302\\205b')\"", 1,
                         {"control character U+0085 in the sentence at byte 1"}, ""}));
  // Issue 23, item 12: the bidirectional controls reorder what the reader sees.
  c.push_back(with_json({"bidi_override_sentence", "\"$(printf 'abc \342\200\256dlrow')\"", 1,
                         {"bidirectional control U+202E (right-to-left override) in the sentence at byte 4"}, ""}));
  c.push_back(with_json({"bidi_isolate_stdin", "-", 1, {"bidirectional control U+2067 (right-to-left isolate) in the sentence at byte 2"},
                         "", {}, std::string("a \u2067b\u2069\n")}));
  // A model run's sentence passes the same check (the bundled demo model).
  c.push_back(with_json({"model_control_character_escape", "--model demo \"$(printf 'The \033[2J\033]0;pwned\007 dog')\"", 1,
                         {"control character U+001B in the sentence at byte 4"}, ""}));
  c.push_back(with_json({"model_control_character_nul_stdin", "--model demo -", 1,
                         {"control character U+0000 in the sentence at byte 3"}, "", {}, std::string("The\0dog", 7)}));
  c.push_back(with_json({"model_control_character_c1_csi", "--model demo \"$(printf 'a \302\2332Jb')\"", 1,
                         {"control character U+009B in the sentence at byte 2"}, ""}));
  c.push_back(with_json({"model_bidi_override", "--model demo \"$(printf 'abc \342\200\256dlrow')\"", 1,
                         {"bidirectional control U+202E (right-to-left override) in the sentence at byte 4"}, ""}));
  c.push_back(with_json({"sentence_100000_tokens_stdin", "-", 1,
                         {"the sentence has 100000 tokens, more than the limit of 256"}, "", {},
                         repeat("word ", 100000)}));
  c.push_back(with_json({"sentence_100000_tokens_max_tokens_2048", "--max-tokens 2048 -", 1,
                         {"the sentence has 100000 tokens, more than the limit of 2048"}, "", {},
                         repeat("word ", 100000)}));
  c.push_back(with_json({"sentence_300_tokens_argument", fmt::format("\"{}\"", repeat("the ", 300)), 1,
                         {"the sentence has 300 tokens, more than the limit of 256"}, ""}));
  c.push_back(with_json({"stdin_2_mib", "-", 1, {"standard input: the sentence is longer than 1 MiB"}, "", {},
                         std::string(2u << 20, 'a')}));
  {
    Case k = with_json({"oov_error_names_the_token", "--oov error -e t.json hi zebra", 1,
                        {"t.json: not in the table: \"zebra\""}, ""});
    k.files = {{"t.json", kTable}};
    c.push_back(k);
  }
}

void add_option_cases(std::vector<Case>& c) {
  // -- option values out of range: the option and its range
  const std::string s = "'How are you doing?'";
  auto option = [&](std::string name, std::string opts, std::vector<std::string> says) {
    c.push_back(with_json({name, opts + " " + s, 2, std::move(says), ""}));
  };
  const std::string prob = "--dropout: expected a probability from 0 up to (not including) 1, got ";
  option("dropout_1", "--dropout 1", {prob + "\"1\""});
  option("dropout_negative", "--dropout -0.1", {prob + "\"-0.1\""});
  option("dropout_1_5", "--dropout 1.5", {prob + "\"1.5\""});
  option("dropout_nan", "--dropout nan", {prob + "\"nan\""});
  option("dropout_inf", "--dropout inf", {prob + "\"inf\""});
  option("dropout_1e400", "--dropout 1e400", {prob + "\"1e400\""});
  option("dropout_not_a_number", "--dropout half", {prob + "\"half\""});
  option("heads_0", "--heads 0", {"--heads: expected a whole number from 1 to 256, got \"0\""});
  option("heads_negative", "--heads -2", {"--heads: expected a whole number from 1 to 256, got \"-2\""});
  option("heads_257", "--heads 257", {"--heads: expected a whole number from 1 to 256, got \"257\""});
  option("heads_fraction", "--heads 1.5", {"--heads: expected a whole number from 1 to 256, got \"1.5\""});
  option("d_out_0", "--d-out 0", {"--d-out: expected a whole number from 1 to 4096, got \"0\""});
  option("d_out_negative", "--d-out -4", {"--d-out: expected a whole number from 1 to 4096, got \"-4\""});
  option("d_out_huge", "--d-out 99999999999999999999999",
         {"--d-out: expected a whole number from 1 to 4096, got \"99999999999999999999999\""});
  option("precision_99", "--precision 99", {"--precision: expected a whole number from 0 to 9, got \"99\""});
  option("precision_absurd", "--precision 1000000000000", {"--precision: expected a whole number from 0 to 9"});
  option("precision_negative", "--precision -1", {"--precision: expected a whole number from 0 to 9, got \"-1\""});
  option("max_tokens_0", "--max-tokens 0", {"--max-tokens: expected a whole number from 1 to 2048, got \"0\""});
  option("max_tokens_3000", "--max-tokens 3000", {"--max-tokens: expected a whole number from 1 to 2048, got \"3000\""});
  option("seed_negative", "--seed -3", {"--seed: expected a whole number from 0 to 18446744073709551615, got \"-3\""});
  option("split_heads_do_not_divide_d_out", "--projection rand --d-out 4 --heads 3 --multihead split",
         {"--heads 3: with --multihead split, d_out = 4 must be divisible by the number of heads"});
  option("split_heads_do_not_divide_table_width", "--multihead split --heads 4",
         {"--heads 4: with --multihead split, d_out = 6 must be divisible by the number of heads"});
  option("unknown_option", "--no-such-option", {"The following argument was not expected: --no-such-option"});
  option("trace_empty_name", "--trace ''", {"--trace: expected a file name, got \"\""});
  option("embeddings_empty_name", "-e ''", {"--embeddings: expected a file name, got \"\""});
  option("projection_bogus", "--projection bogus", {"--projection: expected auto, none, rand, linear or table, got \"bogus\""});
  c.push_back({"params_split_heads_do_not_divide_d_out", "params --d-in 4 --d-out 6 --heads 4 --multihead split", 2,
               {"--heads 4: with --multihead split, --d-out 6 must be divisible by the number of heads"},
               "params --d-in 4 --d-out 6 --heads 4 --multihead split --json"});
  c.push_back({"params_d_in_0", "params --d-in 0 --d-out 2", 2,
               {"--d-in: expected a whole number from 1 to 1048576, got \"0\""}, "params --d-in 0 --d-out 2 --json"});
  // table extract's numbers: the main command's rules and message (issue 23, item 15)
  c.push_back({"table_extract_seed_negative", "table extract g.txt --words the --seed -1", 2,
               {"--seed: expected a whole number from 0 to 18446744073709551615, got \"-1\""}, ""});
  c.push_back({"table_extract_seed_fraction", "table extract g.txt --words the --seed 1.5", 2,
               {"--seed: expected a whole number from 0 to 18446744073709551615, got \"1.5\""}, ""});
  c.push_back({"table_extract_d_out_hex", "table extract g.txt --words the --d-out 0x10", 2,
               {"--d-out: expected a whole number from 1 to 4096, got \"0x10\""}, ""});
  c.push_back({"params_heads_0", "params --d-in 4 --d-out 4 --heads 0", 2,
               {"--heads: expected a whole number from 1 to 4096, got \"0\""}, "params --d-in 4 --d-out 4 --heads 0 --json"});

  // -- --focus on a token that is not in the sentence (--focus excludes --json)
  auto focus = [&](std::string name, std::string spec, std::vector<std::string> says) {
    c.push_back({name, "--focus " + spec + " " + s, 2, std::move(says), ""});
  };
  focus("focus_token_not_in_sentence", "cat", {"--focus \"cat\": not a token of the sentence"});
  focus("focus_position_too_large", "9", {"--focus 9: the sentence has 5 tokens"});
  focus("focus_position_0", "0", {"--focus 0: the sentence has 5 tokens (positions count from 1)"});
  focus("focus_position_huge", "99999999999999999999", {"--focus 99999999999999999999: the sentence has 5 tokens"});
  c.push_back({"focus_with_json", "--json --focus you " + s, 2, {"--focus excludes --json"}, ""});
  // -- a --head or --focus the run does not have, whatever is drawn (accepted with --json and --svg before)
  c.push_back({"head_beyond_the_run", "--head 5 " + s, 2, {"--head 5: the run has 1 head"}, "--json --head 5 " + s});
  c.push_back({"head_beyond_the_run_svg", "--svg - --head 5 " + s, 2, {"--head 5: the run has 1 head"}, ""});
  c.push_back({"focus_beyond_the_run_svg", "--svg - --focus 9 " + s, 2, {"--focus 9: the sentence has 5 tokens"}, ""});

  // -- a lesson step's "head" beyond the run's heads (issue 23, item 16: it read the last head)
  {
    Case k{"lesson_head_beyond_the_run", "lesson --check ./heads.json", 1,
           {"heads.json: step 1: \"head\" 1024: the run has 1 head, expected 1 to 1"}, ""};
    k.files = {{"heads.json", R"({"name": "heads", "title": "t", "source": "s", "summary": "s",
      "run": {"sentence": "How are you doing?"},
      "steps": [{"title": "one", "run": {"head": 1024}, "show": ["weights"],
                 "expect": {"token": "How", "attends_most_to": "you"}}]})"}};
    k.defect = "accepted, and the claim read the last head";
    c.push_back(std::move(k));
  }

  // -- answers: bytes that are not UTF-8 never reach the JSON verdict (exit 70 before)
  c.push_back({"answer_invalid_utf8", "exercise it-ball --answer \"$(printf '\\377')\"", 2,
               {"answer: invalid UTF-8 at byte 0"}, "exercise it-ball --json --answer \"$(printf '\\377')\""});
  c.push_back({"answer_invalid_utf8_inside", "exercise dot-product --answer \"$(printf '0.9\\3005')\"", 2,
               {"answer: invalid UTF-8 at byte 3"}, "exercise dot-product --json --answer \"$(printf '0.9\\3005')\""});
}

}  // namespace attn::bad_input
