#include "cli_table.hpp"

#include <cstdio>
#include <vector>

#include <fmt/format.h>

#include "attn/util/atomic_file.hpp"
#include "cli_options.hpp"
#include "attn/util/error.hpp"
#include "attn/word_vectors.hpp"
#include "attn/util/data_dir.hpp"
#include "attn/util/echo.hpp"
#include "output.hpp"
#include "progress_bar.hpp"
#include "attn/table_json.hpp"

namespace attn {

namespace {

constexpr Named<Projection> kWeightNames[] = {
    {Projection::rand, "rand"}, {Projection::linear, "linear"}, {Projection::none, "none"}};

// The rows of `found` that a wanted word names (exactly or ignoring ASCII case),
// in file order: a JSON table holds every word, a streamed one only these.
EmbeddingTable rows_wanted(const EmbeddingTable& found, const std::vector<std::string>& words) {
  std::vector<std::string> folded;
  for (const std::string& w : words) folded.push_back(ascii_lower(w));
  EmbeddingTable out;
  out.dim = found.dim;
  out.source = found.source;
  out.name = found.name;
  for (const std::string& word : found.words()) {
    const std::string lower = ascii_lower(word);
    for (const std::string& f : folded) {
      if (f == lower) {
        out.add(word, *found.find(word));
        break;
      }
    }
  }
  return out;
}

std::string weights_description(Projection p, std::uint64_t seed) {
  if (p == Projection::rand) {
    return fmt::format("weights as --projection rand --seed {} draws them (torch.manual_seed({}), then "
                       "torch.rand(d_in, d_out) for W_query, W_key, W_value)", seed, seed);
  }
  return fmt::format("weights as --projection linear --seed {} draws them (torch.manual_seed({}), then "
                     "nn.Linear(d_in, d_out, bias=False) for W_query, W_key, W_value, stored transposed)", seed, seed);
}

}  // namespace

CLI::App* add_table_command(CLI::App& app, TableExtractCommand& tc) {
  CLI::App* table = app.add_subcommand("table", "Tables: extract a small JSON table from a word-vector file");
  table->require_subcommand(1);
  table->footer("Example:\n  attn-explain table extract glove.6B.50d.txt --words \"your journey starts with one step\" > mine.json\n");
  CLI::App* extract = table->add_subcommand(
      "extract", "Write the vectors of a few words from FILE (GloVe, word2vec, fastText or JSON) as a JSON table");
  extract->footer(
      "Examples:\n  attn-explain table extract glove.6B.50d.txt --words \"your journey starts with one step\" > mine.json\n"
      "  attn-explain -e mine.json \"Your journey starts with one step\"\n"
      "      the numbers of: attn-explain -e glove.6B.50d.txt --projection rand --seed 123 \"...\"\n");
  extract->add_option("file", tc.file, "The word-vector file or table to read")
      ->required()
      ->check(file_name())
      ->type_name("FILE");
  extract->add_option("-w,--words", tc.words, "The words to keep, split as a sentence is")->required()->type_name("TEXT");
  extract->add_option("--weights", tc.weights, "Weights to add: rand or linear (as --projection draws them), none")
      ->check(one_of(names_in(kWeightNames)))
      ->capture_default_str();
  extract->add_option("-s,--seed", tc.seed, "Seed of the weights, as --seed")
      ->check(whole_number(0, UINT64_MAX))
      ->type_name("N")
      ->capture_default_str();
  extract->add_option("--d-out", tc.d_out, "Width of the weights (default: the file's dim)")
      ->check(whole_number(1, kLargestWidth))
      ->type_name("N");
  extract->add_option("--format", tc.format, "The file's format: auto, json, glove, word2vec-text, word2vec-bin")
      ->check(one_of(names_in(kVectorFormatNames)))
      ->capture_default_str();
  extract->add_option("-o,--output", tc.output, "Write the table to FILE (atomically) instead of stdout (-: stdout)")
      ->check(file_name())
      ->type_name("FILE");
  return table;
}

int run_table_extract(const TableExtractCommand& tc) {
  const Projection weights = *value_named(kWeightNames, tc.weights);
  if (weights == Projection::none && tc.d_out) {
    throw UsageError(fmt::format("--d-out {}: with --weights none there are no weights to size", *tc.d_out));
  }
  const std::vector<std::string> words = sentence_tokens(tc.words);
  if (words.empty()) throw UsageError("--words: give at least one word, e.g. --words \"your journey starts\"");

  const std::filesystem::path path = resolve_table(tc.file);
  std::error_code ec;
  if (!tc.output.empty() && !names_standard_output(tc.output) && std::filesystem::equivalent(tc.output, path, ec)) {
    throw UsageError(fmt::format("--output {}: that is the file this run reads; it would be replaced", tc.output),
                     "give --output another file name");
  }
  EmbeddingTable found;
  {
    ProgressBar bar(path.filename().string());
    found = load_embeddings(path, VectorRequest{words, *value_named(kVectorFormatNames, tc.format), bar.callback()});
  }
  EmbeddingTable table = rows_wanted(found, words);
  if (table.size() == 0) throw DataError(fmt::format("{}: none of the words is in the file", path.string()));

  std::string missing;
  std::size_t missing_count = 0;
  for (const std::string& w : words) {
    if (table.find(w) || missing.find(fmt::format("\"{}\"", w)) != std::string::npos) continue;
    missing += fmt::format("{}\"{}\"", missing_count++ == 0 ? "" : ", ", printable(w, 20));
  }
  table.description = fmt::format("{} words of {}", table.size(), path.filename().string());
  if (weights != Projection::none) {
    table.weights = draw_table_weights(weights, table.dim, tc.d_out.value_or(table.dim), tc.seed);
    table.description += "; " + weights_description(weights, tc.seed);
  }
  const std::string text = table_json_text(table);
  if (tc.output.empty()) {
    write_stdout(text);
  } else {
    write_output(tc.output, text);
  }
  if (missing_count > 0) {
    std::fputs(fmt::format("attn-explain: note: not in {}: {}\n", printable(path.string()), missing).c_str(), stderr);
  }
  return 0;
}

}  // namespace attn
