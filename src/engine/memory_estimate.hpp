// memory_estimate.hpp: how much memory a run takes, reckoned before it runs.
//
// A run keeps every stage of every head (n × n numbers per score, weight and
// mask matrix) and every weight, and the program then writes all of it out as
// text: the JSON trace, the tables or the HTML page, as they are made (little is held), or a
// comparison or an SVG picture, made whole first. The cost grows as n² · heads and as
// heads · d_in · d_out, so a legal command line can ask for gigabytes.
// explore() calls check_memory() once the settings are resolved and the
// tokens counted, before anything is computed, and refuses a run whose
// estimate is over the request's memory.limit (1 GiB unless --max-memory).
//
// The estimate counts, from the sizes alone:
//   - the Trace's float32 numbers (count_trace() counts the same in a real
//     Trace) and the weights the run draws besides them, 4 bytes each;
//   - what the caller makes of them: the budget's text_per_number for each
//     number of the Trace, and kTextBytesPerRow for each row;
//   - the sentence and its tokens, as JSON escapes could write them;
//   - kProgramBytes for the program itself and its data.
// Promise, with the CLI's text_per_number for its outputs (tests/memory_limits_test.cpp
// measures it): never below the peak resident size of the run, and at most
// about twice it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "attn/settings.hpp"
#include "attn/trace.hpp"

namespace attn {

// A matrix row's own text: the indentation, its brackets, ",\n".
inline constexpr std::uint64_t kTextBytesPerRow = 16;
// The program with its tables, its data and the small objects of a run.
inline constexpr std::uint64_t kProgramBytes = std::uint64_t{8} << 20;

struct MemoryEstimate {
  std::uint64_t numbers = 0;  // float32 values the Trace holds; the JSON trace writes each once
  std::uint64_t rows = 0;     // rows of its matrices, and its vectors (a line of JSON each)
  std::uint64_t bytes = 0;    // the whole run at its peak (estimate_memory only)
};

// The run `settings` describe over `tokens` tokens of a `sentence_bytes`-byte
// sentence, its caller making `text_per_number` bytes of each number.
// REQUIRES: settings as explore() resolves them (heads ≥ 1, head_dim set, d_out
// divisible by heads for split). Saturates at UINT64_MAX rather than overflow.
// `extra_numbers`: what a model run keeps besides (the block's output, every
// block's weights with --layer all), counted as the Trace's own.
MemoryEstimate estimate_memory(const Settings& settings, std::size_t tokens, std::size_t sentence_bytes,
                               std::uint64_t text_per_number, std::uint64_t extra_numbers = 0);

// The numbers and rows `trace` holds, counted as estimate_memory() counts them
// (bytes is 0).
MemoryEstimate count_trace(const Trace& trace);

// Throws DataError when the estimate of the run is over budget.limit, naming
// the estimate, the limit, the sizes that make it and --max-memory.
void check_memory(const Settings& settings, std::size_t tokens, std::size_t sentence_bytes, const MemoryBudget& budget,
                  std::uint64_t extra_numbers = 0);

// A size for a message, rounded up to one decimal: "640 KiB", "10 MiB", "2.4 GiB".
std::string describe_bytes(std::uint64_t bytes);

}  // namespace attn
