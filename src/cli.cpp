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
  bool qkv_bias = false;
  std::string softmax = "stable";
  bool causal = false;
  std::string causal_method = "inf";
  double dropout = 0.0;
  std::optional<std::string> dropout_seed;
  std::size_t heads = 1;
  std::string multihead = "wrapper";
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

struct ParamsOptions {
  std::uint64_t d_in = 0;
  std::uint64_t d_out = 0;
  std::uint64_t heads = 1;
  std::string multihead = "split";
  bool qkv_bias = false;
  bool json = false;
};

int run_params(const ParamsOptions& p) {
  const Multihead multihead = p.multihead == "wrapper" ? Multihead::wrapper : Multihead::split;
  if (multihead == Multihead::split && p.d_out % p.heads != 0) {
    throw UsageError(fmt::format("--heads {}: with --multihead split, --d-out {} must be divisible by the number of heads",
                                 p.heads, p.d_out));
  }
  const ParameterCount count = count_parameters(p.d_in, p.d_out, p.heads, multihead, p.qkv_bias);
  const std::string out = p.json ? format_json(parameter_count_to_json(count, p.d_in, p.d_out, p.heads, multihead, p.qkv_bias))
                                 : render_parameter_count(count, p.d_in, p.d_out, p.heads, multihead);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

int run(const Options& o) {
  if (o.words.empty()) {
    throw UsageError("give a sentence, e.g. attn-explain \"How are you doing?\"");
  }
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
  request.qkv_bias = o.qkv_bias;
  request.softmax = o.softmax == "naive" ? Softmax::naive : o.softmax == "sum" ? Softmax::sum : Softmax::stable;
  request.causal = o.causal;
  request.causal_method = o.causal_method == "renorm" ? CausalMethod::renorm : CausalMethod::inf;
  request.dropout = o.dropout;
  if (o.dropout_seed) request.dropout_seed = std::stoull(*o.dropout_seed);
  request.heads = o.heads;
  request.multihead = o.multihead == "split" ? Multihead::split : Multihead::wrapper;
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

  for (const std::string& w : all_warnings(trace)) {
    std::fputs(fmt::format("{}: warning: {}\n", kProgram, w).c_str(), stderr);
  }

  std::string json_text;
  if (o.json || !o.trace_file.empty()) json_text = format_json(trace_to_json(trace));
  if (!o.trace_file.empty()) write_file_atomically(o.trace_file, json_text);

  const std::string out = o.json ? json_text : render_walkthrough(trace, with_precision(o.precision));
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
                 "The sentence to attend over (quote it, or give its words as separate arguments; - reads stdin)");
  app.add_option("-e,--embeddings", o.embeddings, "Embedding table (JSON); default: the bundled default.json")
      ->type_name("FILE");
  app.add_option("-p,--projection", o.projection,
                 "How Q, K, V are made: auto (table if it has weights, else rand), none (Q=K=V=X), "
                 "rand (torch.rand, SelfAttention_v1), linear (nn.Linear, SelfAttention_v2), table")
      ->check(CLI::IsMember({"auto", "none", "rand", "linear", "table"}))
      ->capture_default_str();
  app.add_option("-s,--seed", o.seed, "Seed for --projection rand, as torch.manual_seed(N)")
      ->check(CLI::Validator(whole_number_u64, ""))
      ->type_name("N")
      ->capture_default_str();
  app.add_option("--d-out", o.d_out, "Width of queries, keys and values (default: d_in)")
      ->check(CLI::Range(1, 4096))
      ->type_name("N");
  app.add_flag("--no-scale", o.no_scale, "Skip the division by sqrt(d_k)");
  app.add_flag("--qkv-bias", o.qkv_bias, "Give the nn.Linear projections biases (with --projection linear)");
  app.add_option("--softmax", o.softmax,
                 "Normalisation: stable (max subtracted), naive (exp over sum, can overflow), sum (divide by the row sum)")
      ->check(CLI::IsMember({"stable", "naive", "sum"}))
      ->capture_default_str();
  app.add_flag("--causal", o.causal, "Mask the future: each token attends only to itself and earlier tokens");
  app.add_option("--causal-method", o.causal_method,
                 "inf (-inf above the diagonal before the softmax) or renorm (zero after it, renormalise rows)")
      ->check(CLI::IsMember({"inf", "renorm"}))
      ->capture_default_str();
  app.add_option("--dropout", o.dropout, "Dropout on the attention weights, as nn.Dropout(P) in training mode")
      ->type_name("P")
      ->capture_default_str();
  app.add_option("--dropout-seed", o.dropout_seed, "Re-seed the generator after the weights, before the first mask")
      ->check(CLI::Validator(whole_number_u64, ""))
      ->type_name("N");
  app.add_option("--heads", o.heads, "Number of attention heads")->check(CLI::Range(1, 256))->capture_default_str();
  app.add_option("--multihead", o.multihead,
                 "wrapper (independent heads, concatenated) or split (one projection split into heads, then out_proj)")
      ->check(CLI::IsMember({"wrapper", "split"}))
      ->capture_default_str();
  app.add_option("--oov", o.oov, "Unknown words: hash (a vector derived from the word), zero, error")
      ->check(CLI::IsMember({"hash", "zero", "error"}))
      ->capture_default_str();
  app.add_option("--precision", o.precision, "Decimals shown in tables")
      ->check(CLI::Range(0, 9))
      ->capture_default_str();
  app.add_flag("--json", o.json, "Print only the trace, as JSON, on stdout");
  app.add_option("--trace", o.trace_file, "Also write the JSON trace to FILE (atomically)")->type_name("FILE");

  ParamsOptions po;
  CLI::App* params = app.add_subcommand("params", "Count the trainable parameters of the module (the book's exercise 3.3)");
  params->footer("Example:\n  attn-explain params --d-in 768 --d-out 768 --heads 12\n"
                 "      the chapter's GPT-2-size MultiHeadAttention: 2,360,064 parameters\n");
  params->add_option("--d-in", po.d_in, "Input width d_in")->required()->check(CLI::Range(1, 1 << 20))->type_name("A");
  params->add_option("--d-out", po.d_out, "Output width d_out")->required()->check(CLI::Range(1, 1 << 20))->type_name("B");
  params->add_option("--heads", po.heads, "Number of heads")->check(CLI::Range(1, 4096))->type_name("H")->capture_default_str();
  params->add_option("--multihead", po.multihead, "wrapper or split")
      ->check(CLI::IsMember({"wrapper", "split"}))
      ->capture_default_str();
  params->add_flag("--qkv-bias", po.qkv_bias, "The query, key and value projections have biases");
  params->add_flag("--json", po.json, "Print the count as JSON");

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
    if (params->parsed()) return run_params(po);
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
