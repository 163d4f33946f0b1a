// A model run's command line (issue 14), run as a user runs it, on a tiny GPT-2
// checkpoint of random weights (2 layers, 4 heads, n_embd 32, 64 positions, the tiny
// vocabulary) that the CTest fixture model_cli_checkpoint makes with
// tests/oracle/make_gpt2_checkpoint.py into ATTN_MODEL_DIR: the options a model run
// refuses and the ranges it checks, --layer all's summary, JSON and grid, --top,
// render of a saved model trace, --trace never over the model's files, readable
// tokens, and the sentences it refuses.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "model_cli.hpp"

namespace {

using namespace attn::test;
using namespace attn::test::model;

// ------------------------------------------------------------------ ranges and refused options

TEST_F(ModelCli, LayerOutsideTheModelIsAUsageError) {
  expect_refused(run_model(fmt::format("--layer 0 {}", kSentence)), 2, "expected a layer number from 1, or all; got \"0\"");
  expect_refused(run_model(fmt::format("--layer 3 {}", kSentence)), 2,
                 fmt::format("--layer 3: {} has layers 1 to {}", model_dir().filename().string(), kLayers));
  EXPECT_EQ(run_model(fmt::format("--layer {} --json {}", kLayers, kSentence)).code, 0) << "the last layer is fine";
}

TEST_F(ModelCli, HeadOutsideTheModelIsAUsageError) {
  expect_refused(run_model(fmt::format("--layer 1 --head 5 {}", kSentence)), 2, "--head 5: the run has 4 heads");
  EXPECT_EQ(run_model(fmt::format("--layer 1 --head 4 {}", kSentence)).code, 0) << "the last head is fine";
}

TEST_F(ModelCli, EveryTableOptionIsRefusedWithModel) {
  // Each option of kNotForModels (cli_options.cpp), with a value it accepts on a table run.
  const std::pair<const char*, const char*> options[] = {
      {"--embeddings", "data/journey.json"}, {"--projection", "rand"}, {"--d-out", "2"},
      {"--no-scale", ""},                    {"--qkv-bias", ""},       {"--softmax", "naive"}, {"--causal", ""},
      {"--causal-method", "renorm"},         {"--dropout", "0.1"},     {"--dropout-seed", "3"}, {"--heads", "2"},
      {"--multihead", "wrapper"},            {"--oov", "zero"},        {"--compare", "scale"},
  };
  for (const auto& [option, value] : options) {
    SCOPED_TRACE(option);
    const std::string given = fmt::format("{} {}", option, value);
    expect_refused(run_model(fmt::format("--layer 1 {} {}", given, kSentence)), 2,
                   fmt::format("{} does not apply with --model: ", option));
  }
}

TEST_F(ModelCli, LayerAndTopNeedModel) {
  expect_refused(run(fmt::format("--layer 1 {}", kSentence)), 2, "--layer needs --model");
  expect_refused(run(fmt::format("--layer all {}", kSentence)), 2, "--layer needs --model");
  expect_refused(run(fmt::format("--top 3 {}", kSentence)), 2, "--top needs --model");
  expect_refused(run(fmt::format("--temperature 0.5 {}", kSentence)), 2, "--temperature needs --model");
}

// ------------------------------------------------------------------ --layer all

TEST_F(ModelCli, LayerAllPrintsTheSummary) {
  const std::vector<std::string> tokens = trace_of(fmt::format("--layer 1 --json {}", kSentence))["tokens"];
  const Result r = run_model(fmt::format("--layer all {}", kSentence));
  ASSERT_EQ(r.code, 0) << r.err;
  const std::size_t heads_at = r.out.find("What each head does"), tokens_at = r.out.find("Where each token looks");
  ASSERT_NE(heads_at, std::string::npos) << r.out;
  ASSERT_NE(tokens_at, std::string::npos) << r.out;
  ASSERT_LT(heads_at, tokens_at);

  // One row per layer, "L (h.L-1)", each with a cell per head under "head 1" ... "head 4".
  const std::vector<std::string> head_lines = lines_of(r.out.substr(heads_at, tokens_at - heads_at));
  std::vector<std::string> layer_rows;
  for (const std::string& line : head_lines) {
    if (has(line, "(h.")) layer_rows.push_back(line);
  }
  ASSERT_EQ(layer_rows.size(), kLayers) << r.out;
  for (std::size_t l = 0; l < kLayers; ++l) EXPECT_TRUE(has(layer_rows[l], fmt::format("{} (h.{})", l + 1, l))) << layer_rows[l];
  EXPECT_TRUE(has(r.out, fmt::format("head {}", kHeads)));
  EXPECT_FALSE(has(r.out, fmt::format("head {}", kHeads + 1)));

  // A row per token, each starting with the token.
  std::vector<std::string> token_lines;
  for (const std::string& line : lines_of(r.out.substr(tokens_at))) {
    const std::size_t start = line.find_first_not_of(' ');
    if (start == std::string::npos) continue;
    token_lines.push_back(line.substr(start));
  }
  // the title, the column header (token 1 2), then the tokens
  ASSERT_GE(token_lines.size(), 2 + tokens.size()) << r.out;
  EXPECT_EQ(token_lines[1].rfind("token", 0), 0u) << token_lines[1];
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    EXPECT_EQ(token_lines[2 + i].rfind(tokens[i], 0), 0u) << "row " << i << ": " << token_lines[2 + i];
  }
}

TEST_F(ModelCli, LayerAllJsonHoldsEveryHeadsWeights) {
  const json t = trace_of(fmt::format("--layer all --json {}", kSentence));
  EXPECT_TRUE(t["layer"].is_null());
  const std::size_t n = t["tokens"].size();
  ASSERT_GT(n, 1u);
  const json& layers = t["layer_weights"];
  ASSERT_EQ(layers.size(), kLayers);
  for (std::size_t l = 0; l < kLayers; ++l) {
    ASSERT_EQ(layers[l].size(), kHeads) << "layer " << l;
    for (std::size_t h = 0; h < kHeads; ++h) {
      const json& w = layers[l][h];
      ASSERT_EQ(w.size(), n);
      for (std::size_t i = 0; i < n; ++i) {
        ASSERT_EQ(w[i].size(), n);
        double sum = 0.0;
        for (std::size_t j = 0; j < n; ++j) {
          const double v = w[i][j].get<double>();
          if (j > i) {
            EXPECT_EQ(v, 0.0) << "layer " << l << " head " << h << " [" << i << "][" << j << "]: above the diagonal";
          } else {
            EXPECT_GE(v, 0.0);
          }
          sum += v;
        }
        EXPECT_NEAR(sum, 1.0, 1e-5) << "layer " << l << " head " << h << " row " << i;
      }
    }
  }
  // One layer's trace has none.
  EXPECT_EQ(trace_of(fmt::format("--layer 1 --json {}", kSentence))["layer_weights"], json::array());
}

TEST_F(ModelCli, LayerAllRefusesTheOneHeadViews) {
  const std::string says = "--layer all shows every head at once";
  const fs::path svg = scratch() / "all.svg";
  fs::remove(svg);
  expect_refused(run_model(fmt::format("--layer all --svg '{}' {}", svg.string(), kSentence)), 2, says);
  EXPECT_FALSE(fs::exists(svg));
  expect_refused(run_model(fmt::format("--layer all --focus dog {}", kSentence)), 2, says);
  expect_refused(run_model(fmt::format("--layer all --head 1 {}", kSentence)), 2, says);
  expect_refused(run_model(fmt::format("--layer all --stages weights {}", kSentence)), 2, says);
}

// ------------------------------------------------------------------ --top

TEST_F(ModelCli, TopGivesTheMostLikelyNextTokens) {
  const json t = trace_of(fmt::format("--layer 1 --top 3 --json {}", kSentence));
  const json& next = t["next_tokens"];
  ASSERT_EQ(next.size(), 3u) << next;
  double total = 0.0;
  for (std::size_t i = 0; i < next.size(); ++i) {
    const double p = next[i]["probability"].get<double>();
    EXPECT_GT(p, 0.0);
    EXPECT_LE(p, 1.0);
    if (i > 0) {
      EXPECT_GE(next[i - 1]["probability"].get<double>(), p) << "most likely first";
    }
    EXPECT_LT(next[i]["id"].get<std::size_t>(), t["model"]["vocab_size"].get<std::size_t>());
    EXPECT_FALSE(next[i]["token"].get<std::string>().empty());
    total += p;
  }
  EXPECT_LE(total, 1.0 + 1e-6);
  EXPECT_NE(next[0]["id"], next[1]["id"]);
  EXPECT_NE(next[1]["id"], next[2]["id"]);
  EXPECT_NE(next[0]["id"], next[2]["id"]);

  EXPECT_EQ(trace_of(fmt::format("--layer 1 --top 0 --json {}", kSentence))["next_tokens"], json::array());
  const Result none = run_model(fmt::format("--layer all --top 0 {}", kSentence));
  ASSERT_EQ(none.code, 0) << none.err;
  EXPECT_FALSE(has(none.out, "Next token")) << none.out;
}

// ------------------------------------------------------------------ --temperature (issue 26.3)

// softmax(logits / T) gives p_T(a) / p_T(b) = (p_1(a) / p_1(b))^(1/T): below 1 the
// likeliest token gains. (PyTorch's own softmax(logits / T) is compared in check_gpt2.py.)
TEST_F(ModelCli, TemperatureDividesTheLogitsBeforeTheSoftmax) {
  const json cold = trace_of(fmt::format("--layer 2 --top 4 --temperature 0.5 --json {}", kSentence));
  const json warm = trace_of(fmt::format("--layer 2 --top 4 --temperature 2 --json {}", kSentence));
  const json plain = trace_of(fmt::format("--layer 2 --top 4 --json {}", kSentence));
  EXPECT_EQ(cold["temperature"], 0.5);
  EXPECT_EQ(warm["temperature"], 2.0);
  EXPECT_EQ(plain["temperature"], 1.0);
  const json& p1 = plain["next_tokens"];
  ASSERT_EQ(p1.size(), 4u);
  for (const auto& [t, temperature] : {std::pair<const json*, double>{&cold, 0.5}, {&warm, 2.0}}) {
    const json& pt = (*t)["next_tokens"];
    ASSERT_EQ(pt.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(pt[i]["id"], p1[i]["id"]) << "dividing by T > 0 keeps the order";
    for (std::size_t i = 1; i < 4; ++i) {
      const double want = std::log(p1[0]["probability"].get<double>() / p1[i]["probability"].get<double>()) / temperature;
      const double got = std::log(pt[0]["probability"].get<double>() / pt[i]["probability"].get<double>());
      EXPECT_NEAR(got, want, 1e-4 * std::max(1.0, std::abs(want))) << "T = " << temperature << ", rank " << i + 1;
    }
  }
  EXPECT_GT(cold["next_tokens"][0]["probability"].get<double>(), p1[0]["probability"].get<double>());
  EXPECT_LT(warm["next_tokens"][0]["probability"].get<double>(), p1[0]["probability"].get<double>());
}

TEST_F(ModelCli, TemperatureIsShownAndSurvivesTheTrace) {
  const Result tables = run_model(fmt::format("--layer 1 --top 3 --temperature 0.5 {}", kSentence));
  ASSERT_EQ(tables.code, 0) << tables.err;
  EXPECT_TRUE(has(tables.out, "softmax T   temperature 0.5: the logits were divided by 0.5")) << tables.out;
  EXPECT_FALSE(has(run_model(fmt::format("--layer 1 {}", kSentence)).out, "softmax T")) << "not at temperature 1";
  const Result summary = run_model(fmt::format("--layer all --temperature 2 {}", kSentence));
  EXPECT_TRUE(has(summary.out, "Next token (temperature 2): ")) << summary.out;

  const fs::path saved = scratch() / "model-trace-cold.json";
  const Result json_run = run_model(fmt::format("--layer 1 --top 3 --temperature 0.5 --json {}", kSentence));
  ASSERT_EQ(json_run.code, 0) << json_run.err;
  spit(saved, json_run.out);
  const Result rendered = run(fmt::format("render '{}'", saved.string()));
  ASSERT_EQ(rendered.code, 0) << rendered.err;
  EXPECT_EQ(rendered.out, tables.out);

  // A trace written before the key existed reads as temperature 1; a bad one is bad data.
  json old = json::parse(json_run.out);
  old.erase("temperature");
  spit(saved, old.dump());
  EXPECT_FALSE(has(run(fmt::format("render '{}'", saved.string())).out, "softmax T"));
  old["temperature"] = 0;
  spit(saved, old.dump());
  expect_refused(run(fmt::format("render '{}'", saved.string())), 1,
                 "\"temperature\" is 0, expected a temperature from 0.001 to 1000");
}

TEST_F(ModelCli, AfterASentencesLastMarkTheListIsExplained) {
  const std::string note = "(the sentence ends with \"";
  for (const char* sentence : {"'The dog sat.'", "'Did the dog sit?'", "'Sit!\")'"}) {
    const Result r = run_model(fmt::format("--layer 1 --stages weights {}", sentence));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(has(r.out, note)) << sentence << "\n" << r.out;
  }
  for (const char* sentence : {"'The dog sat'", "'The dog sat, and'"}) {
    EXPECT_FALSE(has(run_model(fmt::format("--layer 1 --stages weights {}", sentence)).out, note)) << sentence;
  }
  EXPECT_FALSE(has(run_model("--layer 1 --top 0 'The dog sat.'").out, note)) << "no list, no note";
}

TEST_F(ModelCli, ATemperatureOutsideItsRangeIsRefused) {
  for (const char* bad : {"0", "-1", "nan", "inf", "abc", "0.0009", "1001", "''"}) {
    SCOPED_TRACE(bad);
    expect_refused(run_model(fmt::format("--temperature {} {}", bad, kSentence)), 2,
                   "--temperature: expected a temperature from 0.001 to 1000, such as 0.7 or 2, got");
  }
  EXPECT_EQ(run_model(fmt::format("--temperature 0.001 {}", kSentence)).code, 0);
  EXPECT_EQ(run_model(fmt::format("--temperature 1000 {}", kSentence)).code, 0);
}

// ------------------------------------------------------------------ render

TEST_F(ModelCli, RenderOfASavedTracePrintsTheRunsTables) {
  for (const char* layer : {"1", "2", "all"}) {
    SCOPED_TRACE(layer);
    const fs::path saved = scratch() / fmt::format("model-trace-{}.json", layer);
    const Result json_run = run_model(fmt::format("--layer {} --top 3 --json {}", layer, kSentence));
    ASSERT_EQ(json_run.code, 0) << json_run.err;
    spit(saved, json_run.out);
    const Result tables = run_model(fmt::format("--layer {} --top 3 {}", layer, kSentence));
    ASSERT_EQ(tables.code, 0) << tables.err;
    ASSERT_FALSE(tables.out.empty());
    const Result rendered = run(fmt::format("render '{}'", saved.string()));
    ASSERT_EQ(rendered.code, 0) << rendered.err;
    EXPECT_EQ(rendered.out, tables.out);
  }
}

TEST_F(ModelCli, RenderDrawsTheRunsPageAndNeverOverTheTrace) {
  for (const char* layer : {"1", "all"}) {
    SCOPED_TRACE(layer);
    const fs::path saved = scratch() / fmt::format("page-trace-{}.json", layer);
    const fs::path run_page = scratch() / fmt::format("run-{}.html", layer);
    const fs::path render_page = scratch() / fmt::format("render-{}.html", layer);
    fs::remove(run_page);
    fs::remove(render_page);
    const Result r = run_model(fmt::format("--layer {} --trace '{}' --html '{}' {}", layer, saved.string(),
                                           run_page.string(), kSentence));
    ASSERT_EQ(r.code, 0) << r.err;
    const Result rendered = run(fmt::format("render '{}' --html '{}'", saved.string(), render_page.string()));
    ASSERT_EQ(rendered.code, 0) << rendered.err;
    EXPECT_EQ(slurp(render_page), slurp(run_page)) << "render --html draws the run's page";

    const std::string before = slurp(saved);
    expect_refused(run(fmt::format("render '{0}' --html '{0}'", saved.string())), 2,
                   fmt::format("--html {}: that is the trace this run reads; it would be replaced", saved.string()));
    EXPECT_EQ(slurp(saved), before);
  }
}

// ------------------------------------------------------------------ --html

TEST_F(ModelCli, HtmlOfOneLayerDrawsItsHeads) {
  const fs::path page = scratch() / "layer.html";
  fs::remove(page);
  const Result r = run_model(fmt::format("--layer 2 --html '{}' {}", page.string(), kSentence));
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string html = slurp(page);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_TRUE(has(html, "<svg"));
  EXPECT_TRUE(has(html, "</html>"));
}

TEST_F(ModelCli, HtmlOfLayerAllDrawsTheGrid) {
  const fs::path page = scratch() / "grid.html";
  fs::remove(page);
  const Result r = run_model(fmt::format("--layer all --html '{}' {}", page.string(), kSentence));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "What each head does")) << "the summary still prints";
  const std::string html = slurp(page);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(count(html, "<svg class=\"heatmap\""), kLayers * kHeads);
  EXPECT_EQ(count(html, "<figure>"), kLayers * kHeads);
  for (std::size_t l = 1; l <= kLayers; ++l) {
    for (std::size_t h = 1; h <= kHeads; ++h) {
      EXPECT_EQ(count(html, fmt::format("attention weights, layer {}, head {},", l, h)), 1u) << l << " " << h;
    }
  }
  EXPECT_FALSE(has(html, fmt::format("layer {}, head", kLayers + 1)));
  EXPECT_TRUE(has(html, "</html>"));
}

// ------------------------------------------------------------------ the model's own files

TEST_F(ModelCli, TraceNeverReplacesTheModelsFiles) {
  const fs::path copy = scratch() / "model-copy";
  fs::remove_all(copy);
  fs::copy(model_dir(), copy, fs::copy_options::recursive);
  for (const char* file : {"config.json", "vocab.json", "merges.txt", "model.safetensors"}) {
    SCOPED_TRACE(file);
    const fs::path target = copy / file;
    const std::string before = slurp(target);
    const Result r = run(fmt::format("--model '{}' --layer 1 --trace '{}' {}", copy.string(), target.string(), kSentence));
    expect_refused(r, 2, fmt::format("--trace {}: that is the model's {} this run reads; it would be replaced",
                                     target.string(), file));
    EXPECT_EQ(slurp(target), before);
  }
  const fs::path config = copy / "config.json";
  const std::string before = slurp(config);
  expect_refused(run(fmt::format("--model '{}' --layer all --html '{}' {}", copy.string(), config.string(), kSentence)), 2,
                 fmt::format("--html {}: that is the model's config.json this run reads", config.string()));
  expect_refused(run(fmt::format("--model '{}' --layer 1 --svg '{}' {}", copy.string(), config.string(), kSentence)), 2,
                 fmt::format("--svg {}: that is the model's config.json this run reads", config.string()));
  EXPECT_EQ(slurp(config), before);
}

// ------------------------------------------------------------------ tokens

TEST_F(ModelCli, TokensAreShownWithADotForTheSpace) {
  const Result j = run_model(fmt::format("--layer 1 --top 5 --json {}", kSentence));
  ASSERT_EQ(j.code, 0) << j.err;
  const json t = json::parse(j.out);
  const std::vector<std::string> tokens = t["tokens"];
  EXPECT_NE(std::find(tokens.begin(), tokens.end(), "·dog"), tokens.end()) << j.out.substr(0, 400);
  EXPECT_EQ(tokens.front(), "The");
  for (const std::string& token : tokens) EXPECT_FALSE(has(token, "Ġ")) << token;
  EXPECT_FALSE(has(j.out, "Ġ"));
  EXPECT_FALSE(has(j.out, "\\u0120"));

  for (const char* layer : {"1", "all"}) {
    const Result tables = run_model(fmt::format("--layer {} --top 5 {}", layer, kSentence));
    ASSERT_EQ(tables.code, 0) << tables.err;
    EXPECT_TRUE(has(tables.out, "·dog")) << layer;
    EXPECT_FALSE(has(tables.out, "Ġ")) << layer;
  }
}

// ------------------------------------------------------------------ sentences refused

TEST_F(ModelCli, ASentenceLongerThanThePositionsIsBadData) {
  std::string words;
  for (std::size_t i = 0; i <= kPositions; ++i) words += " dog";  // at least one token each
  expect_refused(run_model(fmt::format("--layer 1 '{}'", words)), 1, "more than the limit of 64");
  std::string fits;
  for (std::size_t i = 0; i < kPositions; ++i) fits += " dog";
  const Result r = run_model(fmt::format("--layer 1 --json '{}'", fits));
  ASSERT_EQ(r.code, 0) << r.err << " (\" dog\" is one token of the tiny vocabulary)";
  EXPECT_EQ(json::parse(r.out)["tokens"].size(), kPositions);
}

TEST_F(ModelCli, AnEmptySentenceIsBadData) {
  expect_refused(run_model("--layer 1 ''"), 1, "the sentence is empty");
  expect_refused(run_model("--layer all --json ''"), 1, "the sentence is empty");
}

TEST_F(ModelCli, InvalidUtf8IsBadData) {
  // "The " then the byte 0xFF (dash's printf writes octal escapes).
  expect_refused(run_model("--layer 1 \"$(printf 'The \\377dog')\""), 1, "invalid UTF-8 in the sentence at byte 4");
  expect_refused(run_model("--layer all --json \"$(printf 'ab\\303')\""), 1, "invalid UTF-8 in the sentence at byte 2");
}

}  // namespace

// ------------------------------------------------------------------ ATTN_KERNEL (issue 25.2)
// Every path of linear() this processor has gives the same --json trace, byte for byte
// (the same fma chains on every path); a path it lacks is refused, as is a name of none.
TEST_F(ModelCli, EveryKernelPathGivesTheSameTraceByteForByte) {
  const std::string sentence = "\"The dog chased the ball because it was fast, and the cat watched.\"";
  for (const char* args : {"--layer 2 --json", "--layer all --json", "--layer 1 --top 5 --json", "--layer 2 --lens --generate 3 --json"}) {
    SCOPED_TRACE(args);
    const Result generic = run(fmt::format("--model '{}' {} {}", model_dir().string(), args, sentence), "generic");
    ASSERT_EQ(generic.code, 0) << generic.err;
    ASSERT_FALSE(generic.out.empty());
    for (const char* kernel : {"avx2", "avx512", ""}) {
      const Result r = run(fmt::format("--model '{}' {} {}", model_dir().string(), args, sentence), kernel);
      if (r.code == 2 && has(r.err, "this processor lacks")) continue;  // not this machine's
      ASSERT_EQ(r.code, 0) << kernel << ": " << r.err;
      EXPECT_TRUE(r.out == generic.out) << "ATTN_KERNEL=" << kernel << " differs from generic";
    }
  }
}

TEST_F(ModelCli, AKernelNameOfNoPathIsRefused) {
  expect_refused(run(fmt::format("--model '{}' {}", model_dir().string(), kSentence), "haswell"), 2,
                 "ATTN_KERNEL=\"haswell\" is not a kernel: expected generic, avx2 or avx512");
}
