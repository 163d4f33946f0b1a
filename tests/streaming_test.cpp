// Streamed output (issue 16.3): the JSON trace and the tables are handed to a
// sink in pieces as they are made. What is checked:
//   - the pieces add up to the text of an independent serialisation: the
//     nlohmann tree of trace_to_json() laid out by format_json(), and that
//     text parsed back by nlohmann and laid out again;
//   - a piece ends after a matrix row (a newline), is about 64 KiB, never
//     the whole of a long text;
//   - the tables' pieces, grouped by the sections the sink was told of, are
//     render_sections()'s sections;
//   - a sink that throws stops the writing, and a --trace file written through
//     the streaming write_file_atomically() is left as it was.
// Traces: the default table's sentence under many settings, a 300-token run,
// and the bundled demo GPT-2 model (one layer, and every layer).
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "attn/util/atomic_file.hpp"
#include "attn/embedding_table.hpp"
#include "attn/util/error.hpp"
#include "attn/explorer.hpp"
#include "attn/model.hpp"
#include "attn/render/render_table.hpp"
#include "test_util.hpp"
#include "attn/trace_json.hpp"

namespace attn {
namespace {

std::vector<Trace> traces() {
  const EmbeddingTable table = load_table(test::bundled("default.json"));
  std::vector<Trace> out;
  auto add = [&](auto change) {
    Request r;
    r.sentence = "The dog chased the zebra, and it ran away.";
    change(r);
    out.push_back(explore(r, table));
  };
  add([](Request&) {});
  add([](Request& r) { r.projection = Projection::none; });
  add([](Request& r) { r.projection = Projection::rand, r.d_out = 3, r.heads = 4; });
  add([](Request& r) { r.projection = Projection::linear, r.qkv_bias = true, r.d_out = 6, r.heads = 3,
                       r.multihead = Multihead::split; });
  add([](Request& r) { r.dropout = 0.5, r.dropout_seed = 7, r.causal = true, r.heads = 2, r.projection = Projection::rand; });
  add([](Request& r) { r.causal = true, r.causal_method = CausalMethod::renorm; });
  add([](Request& r) {  // some 300 KB of JSON: many pieces
    r.sentence.clear();
    for (int i = 0; i < 300; ++i) r.sentence += fmt::format("{}w{}", i ? " " : "", i);
    r.max_tokens = 300;
  });
  const Model demo = Model::open(test::bundled("models/demo"));
  for (const std::optional<std::size_t> layer : {std::optional<std::size_t>(1), std::optional<std::size_t>(2),
                                                 std::optional<std::size_t>()}) {
    ModelRequest m;
    m.sentence = "The cat sat on the mat because it was tired.";
    m.layer = layer;
    out.push_back(explore(m, demo));
  }
  return out;
}

std::string join(const std::vector<std::string>& pieces) {
  std::string all;
  for (const std::string& p : pieces) all += p;
  return all;
}

TEST(StreamedJson, IsTheIndependentSerialisationByteForByte) {
  for (const Trace& t : traces()) {
    std::vector<std::string> pieces;
    write_trace_json(t, [&](std::string_view piece) { pieces.emplace_back(piece); });
    const std::string streamed = join(pieces);
    const std::string tree = format_json(trace_to_json(t));
    EXPECT_EQ(streamed, tree) << t.sentence;
    // Read back and laid out again: the same text (the layout and every number's digits).
    EXPECT_EQ(format_json(nlohmann::ordered_json::parse(streamed)), streamed) << t.sentence;
    EXPECT_EQ(trace_json_text(t), streamed);
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      ASSERT_FALSE(pieces[i].empty());
      EXPECT_EQ(pieces[i].back(), '\n') << "piece " << i << " ends inside a line";
      if (i + 1 < pieces.size()) {
        EXPECT_GE(pieces[i].size(), SinkBuffer::kPieceBytes) << "piece " << i;
      }
      // At most a piece and one row: a row of this trace is under 32 KiB.
      EXPECT_LT(pieces[i].size(), SinkBuffer::kPieceBytes + (std::size_t{32} << 10)) << "piece " << i;
    }
    if (streamed.size() > 4 * SinkBuffer::kPieceBytes) {
      EXPECT_GE(pieces.size(), 4u) << t.sentence;
    }
  }
}

TEST(StreamedTables, AreTheSectionsInPiecesThatEndWithALine) {
  for (const Trace& t : traces()) {
    if (t.model && !t.layer) continue;  // --layer all has a summary, not tables
    for (const bool color : {false, true}) {
      RenderOptions o = with_precision(color ? 6 : 4);
      o.color = color;
      o.width = color ? 60 : 0;  // blocks of columns
      std::vector<Section> streamed;
      std::vector<std::size_t> sizes;
      write_sections(t, o, SectionSink{[&](std::optional<Stage> stage) { streamed.push_back({stage, ""}); },
                                       [&](std::string_view piece) {
                                         ASSERT_FALSE(streamed.empty()) << "text before any section";
                                         ASSERT_FALSE(piece.empty());
                                         EXPECT_EQ(piece.back(), '\n') << "a piece ends inside a line";
                                         streamed.back().text += piece;
                                         sizes.push_back(piece.size());
                                       }});
      const std::vector<Section> whole = render_sections(t, o);
      ASSERT_EQ(streamed.size(), whole.size()) << t.sentence;
      for (std::size_t i = 0; i < whole.size(); ++i) {
        EXPECT_EQ(streamed[i].stage, whole[i].stage) << i;
        EXPECT_EQ(streamed[i].text, whole[i].text) << i;
      }
      std::string all;
      for (const Section& s : whole) all += s.text;
      EXPECT_EQ(render_walkthrough(t, o), all);
      if (all.size() > 4 * SinkBuffer::kPieceBytes) {
        EXPECT_GE(sizes.size(), 4u) << t.sentence;
      }
    }
  }
}

TEST(StreamedJson, ASinkThatThrowsStopsTheWriting) {
  const Trace t = traces()[6];  // the 300-token run: several pieces
  std::size_t calls = 0;
  EXPECT_THROW(write_trace_json(t,
                                [&](std::string_view) {
                                  if (++calls == 2) throw DataError("disk full");
                                }),
               DataError);
  EXPECT_EQ(calls, 2u);
}

TEST(StreamedJson, AFailedStreamLeavesTheTraceFileAsItWas) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / fmt::format("attn-stream-{}", ::getpid());
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / "t.json";
  write_file_atomically(file, std::string_view("old\n"));
  std::vector<Trace> all = traces();
  const Trace& t = all[6];  // the 300-token run: several pieces
  EXPECT_THROW(write_file_atomically(file,
                                     [&](const ContentWriter& write) {
                                       std::size_t n = 0;
                                       write_trace_json(t, [&](std::string_view piece) {
                                         write(piece);
                                         if (++n == 2) throw std::runtime_error("stopped");
                                       });
                                     }),
               std::runtime_error);
  EXPECT_EQ(test::read_file(file.string()), "old\n");
  std::size_t entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) entries += e.path() == file ? 0 : 1;
  EXPECT_EQ(entries, 0u) << "the temporary file was left";
  // And written whole, it is the trace's text.
  write_file_atomically(file, [&](const ContentWriter& write) { write_trace_json(t, write); });
  EXPECT_EQ(test::read_file(file.string()), format_json(trace_to_json(t)));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace attn
