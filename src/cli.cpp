#include "cli.hpp"

#include <cstdio>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "attn/atomic_file.hpp"
#include "attn/data_dir.hpp"
#include "attn/embedding_table.hpp"
#include "attn/error.hpp"
#include "attn/explorer.hpp"
#include "attn/render_table.hpp"
#include "attn/trace_json.hpp"

namespace attn {

namespace {

constexpr const char* kProgram = "attn-explain";

constexpr const char* kExamples = R"(Examples:
  attn-explain "How are you doing?"
      every stage of scaled dot-product attention, with the default table
  attn-explain --projection none --no-scale --embeddings data/journey.json "Your journey starts with one step"
      the book's simplified attention (Raschka, ch. 3.3), to four decimals
  attn-explain --projection rand --seed 123 --d-out 2 --embeddings data/journey.json "Your journey starts with one step"
      the book's trainable weights (ch. 3.4): query_2 = [0.4306, 1.4551]
  attn-explain --json "The dog chased the ball, and it rolled away." > trace.json
      the whole trace as JSON (docs/trace-format.md)

Exit status: 0 success, 1 bad input data, 2 bad usage.
Documentation: docs/ in the source tree, or the README.
)";

struct Options {
  std::vector<std::string> words;
  std::string embeddings;
  std::string projection = "auto";
  std::uint64_t seed = 123;
  std::optional<std::size_t> d_out;
  bool no_scale = false;
  std::string oov = "hash";
  int precision = 4;
  bool json = false;
  std::string trace_file;
};

void print_error(const std::string& what, const std::string& hint) {
  std::string text = fmt::format("{}: error: {}\n", kProgram, what);
  if (!hint.empty()) text += hint + "\n";
  std::fputs(text.c_str(), stderr);
}

// A seed is what torch.manual_seed accepts here: a whole number from 0 to 2^64 - 1.
std::string whole_number_u64(const std::string& text) {
  const std::string range = "expected a whole number from 0 to 18446744073709551615";
  if (text.empty() || text.size() > 20 || text.find_first_not_of("0123456789") != std::string::npos ||
      (text.size() == 20 && text > "18446744073709551615")) {
    return range + ", got " + text;
  }
  return {};
}

OovPolicy parse_oov(const std::string& s) {
  if (s == "zero") return OovPolicy::zero;
  if (s == "error") return OovPolicy::error;
  return OovPolicy::hash;
}

std::string read_stdin() {
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

int run(const Options& o) {
  Request request;
  if (o.words.size() == 1 && o.words[0] == "-") {
    request.sentence = read_stdin();
  } else {
    for (const std::string& w : o.words) request.sentence += (request.sentence.empty() ? "" : " ") + w;
  }
  request.projection = o.projection;
  request.seed = o.seed;
  request.d_out = o.d_out;
  request.scale = !o.no_scale;
  request.oov = parse_oov(o.oov);

  const EmbeddingTable table = load_table(o.embeddings.empty() ? find_data_file(kDefaultTable) : std::filesystem::path(o.embeddings));
  const Trace trace = explore(request, table);

  if (!trace.oov_tokens.empty()) {
    std::string list;
    for (const auto& w : trace.oov_tokens) list += (list.empty() ? "\"" : ", \"") + w + "\"";
    std::fputs(fmt::format("{}: note: not in {}: {}; {}\n", kProgram, table.source, list,
                           request.oov == OovPolicy::zero ? "they get zero vectors"
                                                          : "they get vectors hashed from their spelling")
                   .c_str(),
               stderr);
  }

  std::string json_text;
  if (o.json || !o.trace_file.empty()) json_text = format_json(trace_to_json(trace));
  if (!o.trace_file.empty()) write_file_atomically(o.trace_file, json_text);

  const std::string out = o.json ? json_text : render_walkthrough(trace, RenderOptions{o.precision});
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (std::fflush(stdout) != 0) throw DataError("cannot write to standard output");
  return 0;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"attn-explain: watch self-attention compute, stage by stage, with the tutorials' numbers.",
               kProgram};
  app.footer(kExamples);
  app.set_version_flag("-V,--version", fmt::format("{} {}", kProgram, version()));
  app.get_formatter()->column_width(34);

  Options o;
  app.add_option("sentence", o.words,
                 "The sentence to attend over (quote it, or give its words as separate arguments; - reads stdin)")
      ->required();
  app.add_option("-e,--embeddings", o.embeddings, "Embedding table (JSON); default: the bundled default.json")
      ->type_name("FILE");
  app.add_option("-p,--projection", o.projection,
                 "How Q, K, V are made: auto (table if it has weights, else rand), none (Q=K=V=X), "
                 "rand (torch.rand after torch.manual_seed), table")
      ->check(CLI::IsMember({"auto", "none", "rand", "table"}))
      ->capture_default_str();
  app.add_option("-s,--seed", o.seed, "Seed for --projection rand, as torch.manual_seed(N)")
      ->check(CLI::Validator(whole_number_u64, ""))
      ->type_name("N")
      ->capture_default_str();
  app.add_option("--d-out", o.d_out, "Width of queries, keys and values (default: d_in)")
      ->check(CLI::Range(1, 4096))
      ->type_name("N");
  app.add_flag("--no-scale", o.no_scale, "Skip the division by sqrt(d_k)");
  app.add_option("--oov", o.oov, "Unknown words: hash (a vector derived from the word), zero, error")
      ->check(CLI::IsMember({"hash", "zero", "error"}))
      ->capture_default_str();
  app.add_option("--precision", o.precision, "Decimals shown in tables")
      ->check(CLI::Range(0, 9))
      ->capture_default_str();
  app.add_flag("--json", o.json, "Print only the trace, as JSON, on stdout");
  app.add_option("--trace", o.trace_file, "Also write the JSON trace to FILE (atomically)")->type_name("FILE");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
    return 0;
  } catch (const CLI::CallForVersion&) {
    std::fputs(fmt::format("{} {}\n", kProgram, version()).c_str(), stdout);
    return 0;
  } catch (const CLI::ParseError& e) {
    print_error(e.what(), fmt::format("Run '{} --help' for usage and examples.", kProgram));
    return 2;
  }

  try {
    return run(o);
  } catch (const Error& e) {
    print_error(e.what(), e.hint());
    return e.exit_code();
  } catch (const std::bad_alloc&) {
    print_error("out of memory", "");
    return 1;
  } catch (const std::exception& e) {
    print_error(fmt::format("internal error: {}", e.what()), "please report this as a bug");
    return 70;
  }
}

}  // namespace attn
