// The pipeline's rules (explore()): how the settings are resolved, what is
// rejected, unknown words, causal masking, dropout and the two multi-head modes
// end to end, and exercise 3.1.
#include <cmath>
#include <functional>

#include <gtest/gtest.h>

#include "attention.hpp"
#include "attn/embedding_table.hpp"
#include "attn/util/error.hpp"
#include "attn/explorer.hpp"
#include "test_util.hpp"
#include "torch_random.hpp"

namespace attn {
namespace {

TEST(Explorer, AutoProjectionUsesTableWeightsWhenPresentElseRand) {
  const EmbeddingTable journey = load_table(test::bundled("journey.json"));
  Request r;
  r.sentence = "Your journey";
  EXPECT_EQ(explore(r, journey).settings.projection, Projection::rand);

  EmbeddingTable with_weights = journey;
  TorchGenerator gen(1);
  with_weights.weights = TableWeights{gen.rand(3, 2), gen.rand(3, 2), gen.rand(3, 2)};
  const Trace t = explore(r, with_weights);
  EXPECT_EQ(t.settings.projection, Projection::table);
  EXPECT_EQ(t.settings.d_out, 2u);
  EXPECT_EQ(*t.heads[0].W_key, with_weights.weights->W_key);
}

TEST(Explorer, RandProjectionDrawsQueryKeyValueInThatOrder) {
  Request r;
  r.sentence = "Your journey starts";
  r.projection = Projection::rand;
  r.seed = 123;
  r.d_out = 2;
  const Trace t = explore(r, load_table(test::bundled("journey.json")));
  TorchGenerator gen(123);
  EXPECT_EQ(*t.heads[0].W_query, gen.rand(3, 2));
  EXPECT_EQ(*t.heads[0].W_key, gen.rand(3, 2));
  EXPECT_EQ(*t.heads[0].W_value, gen.rand(3, 2));
}

// An engine error names the request key it is about (error.hpp): key() for a front end
// to point at ("d-out", as an HTTP query names it), the plain message names the
// quantity (d_out), and the CLI's rendering, the option (--d-out), as docs/errors.md.
TEST(Explorer, ErrorsNameTheirKeyAndTheCliShowsItsOption) {
  const EmbeddingTable journey = load_table(test::bundled("journey.json"));
  const auto as_option = [](std::string_view key) { return "--" + std::string(key); };
  Request r;
  r.sentence = "Your journey";
  r.projection = Projection::none;
  r.d_out = 2;
  try {
    explore(r, journey);
    FAIL() << "no error for d_out 2 without weights";
  } catch (const UsageError& e) {
    EXPECT_EQ(e.key(), "d-out");
    EXPECT_EQ(std::string(e.what()), "d_out 2: with projection none the queries are the embeddings, so d_out = d_in = 3");
    EXPECT_EQ(name_keys(e.message(), as_option),
              "--d-out 2: with --projection none the queries are the embeddings, so d_out = d_in = 3");
  }
  r.projection = Projection::rand;
  r.d_out = 3;
  r.heads = 2;
  r.multihead = Multihead::split;
  try {
    explore(r, journey);
    FAIL() << "no error for 2 split heads of d_out 3";
  } catch (const UsageError& e) {
    EXPECT_EQ(e.key(), "heads");
    EXPECT_EQ(std::string(e.what()), "heads 2: with multihead split, d_out = 3 must be divisible by the number of heads");
    EXPECT_EQ(name_keys(e.hint()), "choose d_out as a multiple of heads, or use multihead wrapper");
    EXPECT_EQ(name_keys(e.hint(), as_option), "choose --d-out as a multiple of --heads, or use --multihead wrapper");
  }
}

// name_keys() renders only what key_ref() wrote: other text, control bytes included, stays.
TEST(Explorer, NameKeysLeavesOtherBytesAlone) {
  EXPECT_EQ(name_keys("qkv " + key_ref("qkv-bias") + " x"), "qkv qkv_bias x");
  EXPECT_EQ(name_keys(std::string("a \x1e b \x1f \x1eKEY\x1f \x1e\x1f")), std::string("a \x1e b \x1f \x1eKEY\x1f \x1e\x1f"));
  EXPECT_EQ(name_keys("no keys"), "no keys");
  const UsageError plain("nothing keyed");
  EXPECT_EQ(plain.key(), "");
  EXPECT_EQ(std::string(plain.what()), "nothing keyed");
}

TEST(Explorer, RejectsWhatCannotBeDone) {
  const EmbeddingTable journey = load_table(test::bundled("journey.json"));
  Request r;
  r.sentence = "   ";
  EXPECT_THROW(explore(r, journey), DataError);
  r.sentence = "Your journey";
  r.projection = Projection::table;
  EXPECT_THROW(explore(r, journey), UsageError);
  r.projection = Projection::none;
  r.d_out = 2;
  EXPECT_THROW(explore(r, journey), UsageError);
  r.projection = Projection::rand;
  EXPECT_NO_THROW(explore(r, journey));
  r.sentence = "bad \xff byte";
  EXPECT_THROW(explore(r, journey), DataError);
}

TEST(Explorer, UnknownWordsFollowTheOovPolicy) {
  const EmbeddingTable journey = load_table(test::bundled("journey.json"));
  Request r;
  r.sentence = "Your zebra journey zebra";
  r.projection = Projection::none;
  Trace t = explore(r, journey);
  ASSERT_EQ(t.oov_tokens, std::vector<std::string>{"zebra"});
  for (std::size_t d = 0; d < 3; ++d) EXPECT_EQ(t.inputs(1, d), t.inputs(3, d));  // same word, same vector
  r.oov = OovPolicy::zero;
  t = explore(r, journey);
  for (std::size_t d = 0; d < 3; ++d) EXPECT_EQ(t.inputs(1, d), 0.0f);
  r.oov = OovPolicy::error;
  try {
    explore(r, journey);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("\"zebra\""), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace attn

namespace attn {
namespace {

// The default table covers every example sentence of the seed documents.
TEST(DefaultTable, CoversEveryExampleSentenceOfTheTutorials) {
  const EmbeddingTable table = load_table(test::bundled("default.json"));
  EXPECT_GE(table.dim, 3u);
  EXPECT_LE(table.dim, 8u);
  EXPECT_TRUE(table.weights.has_value());
  EXPECT_FALSE(table.description.empty());
  for (const char* sentence : {"How are you doing?", "The dog chased the ball, and it rolled away.",
                               "He fed the dog because it was hungry.",
                               "The Transformer is making it possible to understand language.",
                               "Your journey starts with one step"}) {
    Request r;
    r.sentence = sentence;
    r.oov = OovPolicy::error;
    EXPECT_NO_THROW(explore(r, table)) << sentence;
  }
}

}  // namespace
}  // namespace attn

namespace attn {
namespace {

Trace journey_with(const std::function<void(Request&)>& set) {
  Request r;
  r.sentence = "Your journey starts with one step";
  r.projection = Projection::linear;
  r.seed = 789;
  r.d_out = 2;
  set(r);
  return explore(r, load_table(test::bundled("journey.json")));
}

TEST(Causal, MaskedWeightsAreExactlyZeroAndBothMethodsAgree) {
  const Trace inf = journey_with([](Request& r) { r.causal = true; });
  const Trace renorm = journey_with([](Request& r) {
    r.causal = true;
    r.causal_method = CausalMethod::renorm;
  });
  const Matrix& a = inf.heads[0].attn_weights;
  const Matrix& b = renorm.heads[0].attn_weights;
  for (std::size_t i = 0; i < 6; ++i) {
    double sum = 0;
    for (std::size_t j = 0; j < 6; ++j) {
      if (j > i) {
        EXPECT_EQ(a(i, j), 0.0f);
        EXPECT_EQ(b(i, j), 0.0f);
      }
      EXPECT_NEAR(a(i, j), b(i, j), 1e-6);
      sum += a(i, j);
    }
    EXPECT_NEAR(sum, 1.0, 1e-6);
  }
  EXPECT_TRUE(inf.heads[0].masked_scores.has_value());
  EXPECT_FALSE(inf.heads[0].masked_weights.has_value());
  EXPECT_TRUE(renorm.heads[0].masked_weights.has_value());
  EXPECT_EQ(inf.heads[0].attn_weights(0, 0), 1.0f);  // the first token sees only itself
}

TEST(Dropout, KeepsOrZeroesAndScalesTheWeights) {
  const Trace t = journey_with([](Request& r) {
    r.dropout = 0.5;
    r.dropout_seed = 123;
  });
  const HeadTrace& h = t.heads[0];
  ASSERT_TRUE(h.dropout_mask && h.dropped_weights);
  int kept = 0;
  for (std::size_t i = 0; i < 36; ++i) {
    const float m = h.dropout_mask->data[i];
    EXPECT_TRUE(m == 0.0f || m == 1.0f);
    EXPECT_EQ(h.dropped_weights->data[i], h.attn_weights.data[i] * (m * 2.0f));
    kept += m == 1.0f;
  }
  EXPECT_GT(kept, 5);
  EXPECT_LT(kept, 31);
  // Re-seeding with 123 after the weights gives the mask the book's ones-matrix example shows.
  TorchGenerator gen(123);
  EXPECT_EQ(*h.dropout_mask, dropout_mask(gen, 6, 6, 0.5));
}

TEST(Dropout, ZeroProbabilityDrawsNothing) {
  const Trace none = journey_with([](Request&) {});
  const Trace zero = journey_with([](Request& r) { r.dropout = 0.0; });
  EXPECT_FALSE(zero.heads[0].dropout_mask.has_value());
  EXPECT_EQ(none.output, zero.output);
}

TEST(Multihead, WrapperConcatenatesIndependentHeads) {
  const Trace t = journey_with([](Request& r) { r.heads = 3; });
  ASSERT_EQ(t.heads.size(), 3u);
  EXPECT_EQ(t.output.cols, 6u);
  EXPECT_NE(*t.heads[0].W_query, *t.heads[1].W_query);  // drawn head after head
  for (std::size_t h = 0; h < 3; ++h)
    for (std::size_t i = 0; i < 6; ++i)
      for (std::size_t c = 0; c < 2; ++c) EXPECT_EQ(t.output(i, 2 * h + c), t.heads[h].context_vec(i, c));
  // Head 1 of the wrapper is the single-head module with the same seed.
  const Trace single = journey_with([](Request&) {});
  EXPECT_EQ(t.heads[0].context_vec, single.heads[0].context_vec);
}

TEST(Multihead, SplitSlicesOneProjectionAndScalesByTheHeadWidth) {
  const Trace t = journey_with([](Request& r) {
    r.d_out = 4;
    r.heads = 2;
    r.multihead = Multihead::split;
  });
  ASSERT_EQ(t.heads.size(), 2u);
  EXPECT_EQ(t.heads[0].queries.cols, 2u);
  EXPECT_FLOAT_EQ(t.heads[0].scale_divisor, std::sqrt(2.0f));
  ASSERT_TRUE(t.out_proj.has_value());
  EXPECT_EQ(t.out_proj->weight.rows, 4u);
  EXPECT_EQ(t.output.cols, 4u);
  EXPECT_EQ(t.settings.head_dim, 2u);
}

}  // namespace
}  // namespace attn

namespace attn {
namespace {

// Exercise 3.1: SelfAttention_v1 given SelfAttention_v2's weights (transposed)
// computes the same context vectors. data/journey-sa-v2.json holds the weights
// PyTorch drew for SelfAttention_v2 after torch.manual_seed(789).
TEST(Exercise31, V1WithV2WeightsGivesTheSameOutput) {
  Request v2;
  v2.sentence = "Your journey starts with one step";
  v2.projection = Projection::linear;
  v2.seed = 789;
  v2.d_out = 2;
  const Trace a = explore(v2, load_table(test::bundled("journey.json")));
  Request v1;
  v1.sentence = v2.sentence;
  const Trace b = explore(v1, load_table(test::bundled("journey-sa-v2.json")));
  EXPECT_EQ(b.settings.projection, Projection::table);
  EXPECT_EQ(*a.heads[0].W_query, *b.heads[0].W_query);
  EXPECT_EQ(a.output, b.output);
}

}  // namespace
}  // namespace attn
