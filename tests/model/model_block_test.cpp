// Past the attention (issue 26), on the model_cli checkpoint: the rest of the block
// (residual, ln_2, the MLP, the block's output) as tables, trace keys and focus
// arithmetic; the logit lens; --no-positions; and what a table run says about them.
// The numbers themselves are checked against PyTorch by tests/oracle/check_gpt2.py;
// here, the command line and the relations the trace promises.
#include <cmath>
#include <string>

#include "model_cli.hpp"

namespace {

using namespace attn::test;
using namespace attn::test::model;

using AfterAttention = ModelCli;

double number(const json& v) { return v.is_null() ? std::nan("") : v.get<double>(); }

TEST_F(AfterAttention, TheBlockStagesPrintWhenNamedAndNotBefore) {
  const char* titles[] = {"Residual  x + attention output", "LayerNorm ln_2", "MLP hidden layer  gelu(ln_2 · c_fc + b)",
                          "MLP output  hidden · c_proj + b", "Block output  residual + MLP output"};
  const Result plain = run_model(fmt::format("--layer 1 {}", kSentence));
  ASSERT_EQ(plain.code, 0) << plain.err;
  for (const char* title : titles) EXPECT_FALSE(has(plain.out, title)) << title;
  EXPECT_TRUE(has(plain.err, "residual, ln_2, mlp_hidden, mlp, block")) << plain.err;

  const Result named = run_model(fmt::format("--layer 1 --stages residual,ln_2,mlp_hidden,mlp,block {}", kSentence));
  ASSERT_EQ(named.code, 0) << named.err;
  std::size_t at = 0;
  for (const char* title : titles) {
    const std::size_t found = named.out.find(title, at);
    EXPECT_NE(found, std::string::npos) << title << " missing or out of order";
    at = found == std::string::npos ? at : found;
  }
  EXPECT_TRUE(has(named.out, "(6 × 128: four times as wide)")) << "n = 6 tokens, 4 · n_embd = 128";
  EXPECT_TRUE(has(named.out, "mean  variance  √(var+ε)"));
  EXPECT_TRUE(has(named.out, "the input of block 2"));
  const Result last = run_model(fmt::format("--layer 2 --stages block {}", kSentence));
  EXPECT_TRUE(has(last.out, "ln_f and the tied embedding turn its last row into the next-token scores")) << last.out;
}

TEST_F(AfterAttention, TheTraceKeepsTheBlockAndItsSumsHold) {
  const json t = trace_of(fmt::format("--layer 1 --json {}", kSentence));
  ASSERT_TRUE(t["block"].is_object());
  const json& b = t["block"];
  const std::size_t n = t["tokens"].size(), e = t["model"]["n_embd"];
  ASSERT_EQ(b["mlp_hidden"].size(), n);
  EXPECT_EQ(b["mlp_hidden"][0].size(), 4 * e);
  EXPECT_EQ(t["config"]["positions"], "learned");
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t c = 0; c < e; ++c) {
      // residual = input + attention output; block_output = residual + mlp_output (float32 sums)
      const float r = static_cast<float>(number(b["input"][i][c])) + static_cast<float>(number(t["output"][i][c]));
      EXPECT_EQ(r, static_cast<float>(number(b["residual"][i][c]))) << i << "," << c;
      const float o = static_cast<float>(number(b["residual"][i][c])) + static_cast<float>(number(b["mlp_output"][i][c]));
      EXPECT_EQ(o, static_cast<float>(number(t["block_output"][i][c]))) << i << "," << c;
    }
    // ln_1 and ln_2: the statistics of their input rows, the variance without Bessel's correction
    for (const auto& [input, ln] : {std::pair{&b["input"], &b["ln_1"]}, std::pair{&b["residual"], &b["ln_2"]}}) {
      double mean = 0, var = 0;
      for (std::size_t c = 0; c < e; ++c) mean += number((*input)[i][c]);
      mean /= static_cast<double>(e);
      for (std::size_t c = 0; c < e; ++c) var += std::pow(number((*input)[i][c]) - mean, 2);
      var /= static_cast<double>(e);
      EXPECT_NEAR(number((*ln)["mean"][i]), mean, 1e-6);
      EXPECT_NEAR(number((*ln)["variance"][i]), var, 1e-6 * std::max(1.0, var));
      EXPECT_NEAR(number((*ln)["std"][i]), std::sqrt(var + number((*ln)["epsilon"])), 1e-6);
    }
  }
  EXPECT_TRUE(trace_of(fmt::format("--layer all --json {}", kSentence))["block"].is_null());
}

TEST_F(AfterAttention, FocusSpellsOutTheLayerNormsAndTheResidual) {
  const Result r = run_model(fmt::format("--layer 1 --focus ball {}", kSentence));
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* part : {"The rest of block 1 for", "LayerNorm ln_1", "LayerNorm ln_2", "no Bessel's correction",
                           "residual[0]", "Block output  residual + MLP", "output[0]"})
    EXPECT_TRUE(has(r.out, part)) << part << "\n" << r.out;
  // the variance printed is the trace's, to 4 decimals
  const json t = trace_of(fmt::format("--layer 1 --json {}", kSentence));
  const std::size_t ball = 4;  // The | ·dog | ·chased | ·the | ·ball | .
  EXPECT_EQ(t["tokens"][ball], "·ball");
  const std::string variance = fmt::format("= {:.4f}   (divided by 32", number(t["block"]["ln_2"]["variance"][ball]));
  EXPECT_TRUE(has(r.out, variance)) << variance << "\n" << r.out;
}

TEST_F(AfterAttention, TheLensHasEveryLayerAndEndsWithTheNextTokens) {
  const json t = trace_of(fmt::format("--layer 1 --lens --top 3 --temperature 0.7 --json {}", kSentence));
  const std::size_t n = t["tokens"].size();
  ASSERT_EQ(t["lens"].size(), kLayers + 1);
  for (const json& layer : t["lens"]) {
    ASSERT_EQ(layer.size(), n);
    for (const json& top : layer) {
      ASSERT_EQ(top.size(), 3u);
      for (std::size_t k = 1; k < 3; ++k) EXPECT_GE(number(top[k - 1]["probability"]), number(top[k]["probability"]));
    }
  }
  EXPECT_EQ(t["lens"].back().back(), t["next_tokens"]);
  EXPECT_TRUE(trace_of(fmt::format("--json {}", kSentence))["lens"].is_null());
  EXPECT_EQ(trace_of(fmt::format("--layer all --lens --json {}", kSentence))["lens"].size(), kLayers + 1);

  const Result r = run_model(fmt::format("--lens --top 3 {}", kSentence));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "Logit lens  what the model would predict after each layer")) << r.out;
  EXPECT_TRUE(has(r.out, "\n  embeddings  ")) << r.out;
  EXPECT_TRUE(has(r.out, fmt::format("\n  block {}  ", kLayers))) << r.out;
  EXPECT_TRUE(has(r.out, "The top 3 at the last position")) << r.out;
}

TEST_F(AfterAttention, ALensTraceRendersAsItsRun) {
  const std::string args = fmt::format("--layer 2 --lens --top 2 --stages residual,ln_2,block {}", kSentence);
  const Result json_run = run_model(fmt::format("--layer 2 --lens --top 2 --json {}", kSentence));
  ASSERT_EQ(json_run.code, 0) << json_run.err;
  const fs::path saved = scratch() / "lens-trace.json";
  spit(saved, json_run.out);
  const Result tables = run_model(args);
  const Result rendered = run(fmt::format("render '{}' --stages residual,ln_2,block", saved.string()));
  ASSERT_EQ(rendered.code, 0) << rendered.err;
  EXPECT_EQ(rendered.out, tables.out);
  // a trace from before the keys were recorded still reads
  json old = json::parse(json_run.out);
  old.erase("block"), old.erase("lens"), old["config"].erase("positions");
  spit(saved, old.dump());
  EXPECT_EQ(run(fmt::format("render '{}'", saved.string())).code, 0);
}

TEST_F(AfterAttention, TheLensAndPositionsOptionsAreChecked) {
  expect_refused(run("--lens 'How are you?'"), 2, "--lens needs --model");
  expect_refused(run("--no-positions 'How are you?'"), 2, "--no-positions needs --model");
  expect_refused(run_model(fmt::format("--lens --top 0 {}", kSentence)), 2, "--top 0: --lens shows the top K tokens");
  expect_refused(run_model(fmt::format("--positions sinusoidal {}", kSentence)), 2,
                 "--positions does not apply with --model: the model has its own learned position embeddings");
}

TEST_F(AfterAttention, NoPositionsLeavesTheLearnedOnesOut) {
  const json with = trace_of(fmt::format("--layer 1 --json {}", kSentence));
  const json without = trace_of(fmt::format("--layer 1 --no-positions --json {}", kSentence));
  EXPECT_EQ(without["config"]["positions"], "none");
  EXPECT_NE(with["block"]["input"], without["block"]["input"]);
  EXPECT_NE(with["next_tokens"], without["next_tokens"]);
  const Result r = run_model(fmt::format("--layer 1 --no-positions --stages weights {}", kSentence));
  EXPECT_TRUE(has(r.out, "positions   none (--no-positions)")) << r.out;
}

TEST_F(AfterAttention, ATableRunSaysWhereTheBlockStagesAre) {
  const Result r = run("--stages weights,residual 'How are you?'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.err, "--stages residual: a table run stops after the attention")) << r.err;
  const Result p = run("--stages positions 'How are you?'");
  EXPECT_TRUE(has(p.err, "--stages positions: this run adds no position encoding (add --positions sinusoidal)")) << p.err;
}

TEST_F(AfterAttention, ThePageDrawsTheLensTheBlockAndTheSteps) {
  const fs::path page = scratch() / "after-attention.html";
  const Result r = run_model(fmt::format("--layer 1 --lens --generate 2 --seed 4 --stages weights,residual,ln_2,mlp_hidden,"
                                         "mlp,block --html '{}' {}", page.string(), kSentence));
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string html = slurp(page);
  for (const char* part : {"<section class=\"lens\"", "<section class=\"generation\"", "Residual  x + attention output",
                           "LayerNorm ln_2", "MLP hidden layer", "MLP output", "Block output  residual + MLP output"})
    EXPECT_TRUE(has(html, part)) << part;
  const std::size_t lens = html.find("<section class=\"lens\"");
  const std::string grid = html.substr(lens, html.find("</section>", lens) - lens);
  EXPECT_EQ(count(grid, "<tr><th scope=\"row\">"), kLayers + 1) << "one row for the embeddings and one per block";
  EXPECT_EQ(count(grid, "style=\"background:#"), (kLayers + 1) * 8) << "a cell per layer and position: 6 tokens and 2 generated";
  EXPECT_FALSE(has(grid, "##")) << "colours are #rrggbb";
}

TEST_F(AfterAttention, LayerAllShowsTheLensAndTheStepsToo) {
  const Result r = run_model(fmt::format("--layer all --lens --generate 2 --seed 1 --top 2 {}", kSentence));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "Logit lens  what the model would predict")) << r.out;
  EXPECT_TRUE(has(r.out, "Generation  one token at a time")) << r.out;
  EXPECT_TRUE(has(r.out, "step 2, after")) << r.out;
  const Result page = run_model(fmt::format("--layer all --lens --generate 2 --seed 1 --html - {}", kSentence));
  EXPECT_TRUE(has(page.out, "<section class=\"lens\"") && has(page.out, "<section class=\"generation\"")) << page.err;
}

// ------------------------------------------------------------------ --generate

TEST_F(AfterAttention, GenerateAppendsSampledTokensReproducibly) {
  const std::string args = fmt::format("--generate 4 --seed 7 --top 3 --json {}", kSentence);
  const json t = trace_of(args);
  ASSERT_TRUE(t["generation"].is_object());
  const json& g = t["generation"];
  const std::size_t prompt = g["prompt_tokens"];
  EXPECT_EQ(prompt, 6u);
  ASSERT_EQ(g["steps"].size(), 4u);
  ASSERT_EQ(t["tokens"].size(), prompt + 4);
  for (std::size_t k = 0; k < 4; ++k) {
    const json& step = g["steps"][k];
    EXPECT_EQ(step["chosen"]["id"], t["token_ids"][prompt + k]);
    EXPECT_EQ(step["chosen"]["token"], t["tokens"][prompt + k]);
    EXPECT_GE(number(step["draw"]), 0.0);
    EXPECT_LT(number(step["draw"]), number(step["cumulative"])) << "u falls in the chosen token's stretch";
    EXPECT_GE(number(step["draw"]), number(step["cumulative"]) - number(step["share"]) - 1e-6);
    EXPECT_EQ(step["top"].size(), 3u);
  }
  EXPECT_EQ(trace_of(args), t) << "the same seed, the same tokens";
  // other seeds choose otherwise at least once (the checkpoint's distributions are far from one-hot)
  bool differs = false;
  for (int seed = 1; seed <= 6 && !differs; ++seed)
    differs = trace_of(fmt::format("--generate 4 --seed {} --json {}", seed, kSentence))["token_ids"] != t["token_ids"];
  EXPECT_TRUE(differs);
}

TEST_F(AfterAttention, ALowTemperatureOrTopKOfOneAlwaysTakesTheLikeliest) {
  for (const char* how : {"--temperature 0.001", "--top-k 1"}) {
    SCOPED_TRACE(how);
    for (int seed : {1, 2, 3}) {
      const json t = trace_of(fmt::format("{} --generate 3 --seed {} --json {}", how, seed, kSentence));
      for (const json& step : t["generation"]["steps"]) EXPECT_EQ(step["chosen"]["id"], step["top"][0]["id"]);
    }
  }
}

TEST_F(AfterAttention, GenerateIsShownStepByStepAndRendersBack) {
  const Result r = run_model(fmt::format("--generate 2 --seed 3 --top 2 --stages weights {}", kSentence));
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* part : {"  generated   ", "sampled after the sentence's 6, torch.manual_seed(3)", "Generation  one token at a time",
                           "step 1, after ·ball .:", "step 2, after", "the shares reach past it at"})
    EXPECT_TRUE(has(r.out, part) || (std::string(part) == "step 1, after ·ball .:" && has(r.out, "step 1, after .:")))
        << part << "\n" << r.out;
  const fs::path saved = scratch() / "generated.json";
  spit(saved, run_model(fmt::format("--generate 2 --seed 3 --top 2 --json {}", kSentence)).out);
  EXPECT_EQ(run(fmt::format("render '{}' --stages weights", saved.string())).out, r.out);
}

TEST_F(AfterAttention, GenerateOptionsAreChecked) {
  expect_refused(run_model(fmt::format("--generate 60 {}", kSentence)), 2,
                 "--generate 60: the sentence has 6 tokens and tiny reads at most 64, so at most 58 more");
  EXPECT_EQ(run_model(fmt::format("--generate 58 --top 0 --layer all {}", kSentence)).code, 0) << "up to the last position";
  expect_refused(run_model(fmt::format("--seed 3 {}", kSentence)), 2, "--seed needs --generate");
  expect_refused(run_model(fmt::format("--top-k 3 {}", kSentence)), 2, "--top-k needs --generate");
  expect_refused(run("--generate 3 'How are you?'"), 2, "--generate needs --model");
  expect_refused(run_model(fmt::format("--generate 0 {}", kSentence)), 2, "--generate");
}

}  // namespace
