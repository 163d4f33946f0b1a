// cli_table.hpp: `attn-explain table extract FILE --words "..."`: a small JSON
// table cut from a big word-vector file (or any table), with weights drawn as
// --projection rand|linear draws them, for lessons and handouts.
//
// Promises: the table holds the words of --words (split as a sentence is) that
// the file has, in file order, each with its vector unchanged; the missing ones
// are named on stderr in a note. With --weights rand|linear and --seed N, running
// `-e extracted.json --projection table` gives the numbers of
// `-e FILE --projection rand|linear --seed N` (same --d-out). -o writes the file
// atomically; otherwise the table goes to stdout.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "attn/word_vectors.hpp"

namespace attn {

struct TableExtractCommand {
  std::string file;
  std::string words;
  std::string weights = "rand";  // rand | linear | none
  std::uint64_t seed = 123;
  std::optional<std::size_t> d_out;
  std::string format = "auto";
  std::string output;  // -o FILE; empty: stdout
};

// Adds `table` with its one subcommand `extract`; returns `table`.
CLI::App* add_table_command(CLI::App& app, TableExtractCommand& tc);

int run_table_extract(const TableExtractCommand& tc);

}  // namespace attn
