#include "cli_run_options.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "attn/settings.hpp"
#include "cli_options.hpp"
#include "attn/stage.hpp"

namespace attn {

namespace {

// The check --help shows for a rule: its value list, else its check and description.
CLI::Validator validator_of(const KeyRule& rule) {
  if (!rule.choices.empty()) return one_of(rule.choices);
  return CLI::Validator(rule.check, rule.description);
}

// An option with a value, bound to its text in `texts`, checked by its rule,
// its default (if any) shown by --help.
CLI::Option* add_key(CLI::App& app, const std::string& names, const std::vector<KeyRule>& rules, OptionTexts& texts,
                     const std::string& description) {
  const KeyRule& rule = rule_named(rules, names.substr(names.find("--") + 2));  // "-e,--embeddings" → embeddings
  std::string& slot = texts.text[rule.key];
  slot = rule.default_text;
  CLI::Option* option = app.add_option(names, slot, description);
  if (rule.check) option->check(validator_of(rule));
  if (!rule.default_text.empty()) option->capture_default_str();
  return option;
}

CLI::Option* add_flag(CLI::App& app, const std::string& key, OptionTexts& texts, const std::string& description) {
  return app.add_flag(flag_name(key), texts.flags[key], description);
}

// The options of a model run (--model) and the table options' --head.
void add_model_options(CLI::App& app, OptionTexts& t) {
  const std::vector<KeyRule>& r = run_keys();
  add_key(app, "-m,--model", r, t,
          "A trained GPT-2-family model instead of a table: a folder with config.json, model.safetensors, "
          "vocab.json and merges.txt, or a bundled model's name")
      ->type_name("DIR|NAME");
  add_key(app, "--layer", r, t, "With --model: the block whose attention is shown, from 1, or all (a summary of every head)")
      ->type_name("L|all");
  add_key(app, "--head", r, t, "Show only this head's tables, from 1 (the trace keeps every head)")->type_name("H");
  add_key(app, "--top", r, t, "With --model: the K most likely next tokens, with their probabilities")->type_name("K");
  add_key(app, "--temperature", r, t,
          "With --model: divide the logits by T before the softmax of --top (below 1 sharper, above 1 flatter)")
      ->type_name("T");
  add_flag(app, "lens", t,
           "With --model: the logit lens, what the model would predict after the embeddings and after every block, "
           "at every position");
  add_key(app, "--generate", r, t,
          "With --model: append N tokens, each sampled from the model's next-token probabilities (after "
          "--temperature), showing every step's choice; reproducible with --seed")
      ->type_name("N");
  add_key(app, "--top-k", r, t, "With --generate: sample among the K most likely tokens only (0: all)")->type_name("K");
  add_flag(app, "no-positions", t, "With --model: leave out the learned position embeddings (wpe), to see what they do");
  add_key(app, "--snapshot", r, t,
          "With --model: the weights of a training snapshot (a step, first or last) instead of the final ones; "
          "list: the snapshots with their losses")
      ->type_name("STEP|first|last|list");
}

// The options that say how the run is computed.
void add_compute_options(CLI::App& app, OptionTexts& t) {
  const std::vector<KeyRule>& r = run_keys();
  add_key(app, "-e,--embeddings", r, t,
          "Embedding table: JSON, or a GloVe, word2vec or fastText file; default: the bundled default.json")
      ->type_name("FILE");
  add_key(app, "-p,--projection", r, t,
          "How Q, K, V are made: auto (table if it has weights, else rand), none (Q=K=V=X), "
          "rand (torch.rand, SelfAttention_v1), linear (nn.Linear, SelfAttention_v2), table");
  add_key(app, "-s,--seed", r, t, "Seed for --projection rand (and --generate's draws), as torch.manual_seed(N)")->type_name("N");
  add_key(app, "--d-out", r, t, "Width of queries, keys and values (default: d_in)")->type_name("N");
  add_flag(app, "no-scale", t, "Skip the division by sqrt(d_k)");
  add_flag(app, "qkv-bias", t, "Give the nn.Linear projections biases (with --projection linear)");
  add_key(app, "--softmax", r, t,
          "Normalisation: stable (max subtracted), naive (exp over sum, can overflow), sum (divide by the row sum)");
  add_flag(app, "causal", t, "Mask the future: each token attends only to itself and earlier tokens");
  add_key(app, "--causal-method", r, t,
          "inf (-inf above the diagonal before the softmax) or renorm (zero after it, renormalise rows)");
  add_key(app, "--dropout", r, t, "Dropout on the attention weights, as nn.Dropout(P) in training mode")->type_name("P");
  add_key(app, "--dropout-seed", r, t, "Re-seed the generator after the weights, before the first mask")->type_name("N");
  add_key(app, "--heads", r, t, "Number of attention heads")->type_name("N");
  add_key(app, "--multihead", r, t,
          "wrapper (independent heads, concatenated) or split (one projection split into heads, then out_proj)");
  add_key(app, "--oov", r, t, "Unknown words: hash (a vector derived from the word), zero, error");
  add_key(app, "--positions", r, t,
          "none (the attention sees the words in any order alike) or sinusoidal (add the sine/cosine position "
          "encoding of \"Attention Is All You Need\" to X)");
  add_key(app, "--max-tokens", r, t, fmt::format("Refuse a longer sentence (the tables grow as n²; at most {})", kLargestMaxTokens))
      ->type_name("N");
  add_key(app, "--max-memory", r, t, "Refuse a run estimated to need more memory: 512M, 4G, ... (default 1G)")
      ->type_name("SIZE");
}

}  // namespace

void add_main_options(CLI::App& app, OptionTexts& t, std::vector<std::string>& words) {
  const std::vector<KeyRule>& r = run_keys();
  app.add_option("sentence", words,
                 "The sentence to attend over (quote it, or give its words as separate arguments; - reads stdin)");
  add_compute_options(app, t);
  add_key(app, "--precision", r, t, "Decimals shown in tables")->type_name("N");
  add_key(app, "-f,--focus", r, t, "Spell out one token's arithmetic, number by number: its text or its 1-based position")
      ->type_name("TOKEN|N");
  add_key(app, "--stages", r, t, fmt::format("Print only these stages, e.g. scores,weights ({})", stage_list()))
      ->type_name("LIST");
  add_flag(app, "explain", t, "Before each stage, a few plain lines on what it does and why");
  add_flag(app, "step", t, "On a terminal, pause after each stage (Enter: next, q: quit)");
  add_key(app, "--compare", r, t,
          "Side by side: scale (with and without sqrt(d_k), also at d_k = 64) or softmax "
          "(sum, naive, stable, and a case where naive overflows)")
      ->type_name("WHAT");
  add_key(app, "--color", r, t, "Colour: auto (only on a terminal, not with NO_COLOR), always, never");
  add_flag(app, "json", t, "Print only the trace, as JSON, on stdout");
  add_key(app, "--trace", r, t, "Also write the JSON trace to FILE (atomically; -: on stdout, instead of the tables)")
      ->type_name("FILE");
  add_key(app, "--html", r, t,
          "Also write the run as one self-contained HTML page to FILE (atomically; -: on stdout, instead of the "
          "tables): every stage, heatmaps, line views, each cell's arithmetic")
      ->type_name("FILE");
  add_key(app, "--width", r, t,
          "Columns the tables must fit; wider ones print in blocks of columns (0: no limit; default: the "
          "terminal's width, none in a pipe)")
      ->type_name("N");
  add_key(app, "--svg", r, t, "Also write the attention weights as an SVG heatmap to FILE (atomically; -: on stdout, instead of the tables)")
      ->type_name("FILE");
  add_model_options(app, t);
  // Word-vector files (issue 16): the --embeddings file's format, detected unless named.
  add_key(app, "--format", r, t,
          "Format of the --embeddings file: auto (from its first bytes), json, glove, word2vec-text, "
          "word2vec-bin (docs/word-vectors.md)");
  for (const auto& [a, b] : kRunExclusions) app.get_option(flag_name(a))->excludes(app.get_option(flag_name(b)));
}

CLI::App* add_render_command(CLI::App& app, OptionTexts& t) {
  const std::vector<KeyRule>& r = render_keys();
  CLI::App* render = app.add_subcommand("render", "Draw a saved trace (from --json or --trace) again: its tables, or "
                                                  "its pictures, without computing anything");
  render->footer("Examples:\n  attn-explain --trace run.json \"The dog chased the ball, and it rolled away.\" > /dev/null\n"
                 "  attn-explain render run.json\n      the run's tables, as the run printed them\n"
                 "  attn-explain render run.json --svg weights.svg\n      its weights heatmap, the same bytes as --svg on the run\n"
                 "  attn-explain render run.json --html run.html\n      its report page, the same bytes as --html on the run\n"
                 "  attn-explain render run.json --focus it\n      every number behind \"it\", from the saved numbers\n");
  std::string& trace = t.text["trace"];
  render->add_option("trace", trace, "A trace file, as --json prints it or --trace writes it")
      ->required()
      ->check(validator_of(rule_named(r, "trace")))
      ->type_name("TRACE.json");
  add_key(*render, "--svg", r, t, "Write the weights heatmap to FILE (-: stdout) instead of the tables")->type_name("FILE");
  add_key(*render, "--html", r, t, "Write the run as one self-contained HTML page to FILE (-: stdout) instead of the tables")
      ->type_name("FILE");
  add_key(*render, "--stages", r, t, fmt::format("Print only these stages ({})", stage_list()));
  add_key(*render, "-f,--focus", r, t, "Spell out one token's arithmetic")->type_name("TOKEN|N");
  add_flag(*render, "explain", t, "A few plain lines on each stage");
  add_key(*render, "--width", r, t, "Columns the tables must fit (0: no limit)")->type_name("N");
  for (const auto& [a, b] : kRenderExclusions) render->get_option(flag_name(a))->excludes(render->get_option(flag_name(b)));
  add_key(*render, "--precision", r, t, "Decimals shown")->type_name("N");
  add_key(*render, "--color", r, t, "auto, always, never");
  return render;
}

RawOptions given_options(const CLI::App& app, const std::vector<KeyRule>& rules, const OptionTexts& texts) {
  RawOptions given;
  for (const KeyRule& rule : rules) {
    if (rule.key == "sentence") continue;  // the words, given on their own
    const CLI::Option* option = app.get_option_no_throw(flag_name(rule.key));
    if (!option) option = app.get_option_no_throw(rule.key);  // a positional: render's trace
    if (!option || option->count() == 0) continue;
    given.emplace_back(rule.key, rule.flag ? "true" : texts.text.at(rule.key));
  }
  return given;
}

}  // namespace attn
