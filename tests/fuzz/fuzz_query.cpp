// fuzz_query: the run plan's resolver (src/cli/run_plan.hpp) on options as a
// browser's query gives them to `attn-explain serve`: the input is split at '&'
// into at most 64 pairs, each at its first '=' into key and value (no percent
// decoding: any bytes may stand in a key or a value). resolve_run() either
// throws an attn::Error (OptionError naming a key, or a DataError when the
// bundled explain.json cannot be found where the fuzzer runs) or returns a plan
// within the documented ranges. Anything else thrown, or a broken promise, aborts.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "attn/util/error.hpp"
#include "run_plan.hpp"

namespace {

#define CHECK(cond)                \
  do {                             \
    if (!(cond)) __builtin_trap(); \
  } while (0)

constexpr std::size_t kMaxPairs = 64;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  attn::RawOptions raw;
  for (std::size_t start = 0; start <= input.size() && raw.size() < kMaxPairs;) {
    const std::size_t end = std::min(input.find('&', start), input.size());
    const std::string_view pair = input.substr(start, end - start);
    const std::size_t eq = pair.find('=');
    raw.emplace_back(std::string(pair.substr(0, eq)), eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1)));
    start = end + 1;
  }
  attn::RunPlan plan;
  try {
    plan = attn::resolve_run(raw, attn::Terminal{});
  } catch (const attn::OptionError& e) {
    CHECK(!e.message().empty());
    return 0;
  } catch (const attn::Error&) {
    return 0;
  }
  CHECK(plan.view.precision >= 0 && plan.view.precision <= 9);
  if (const auto* r = std::get_if<attn::Request>(&plan.compute)) {
    CHECK(r->heads >= 1 && r->heads <= 256);
    CHECK(!r->d_out || (*r->d_out >= 1 && *r->d_out <= 4096));
    CHECK(r->dropout >= 0.0 && r->dropout < 1.0);
    CHECK(r->max_tokens >= 1 && r->max_tokens <= attn::kLargestMaxTokens);
    CHECK(r->memory.limit >= (std::uint64_t{1} << 20) && r->memory.limit <= (std::uint64_t{1} << 40));
  } else {
    const auto& m = std::get<attn::ModelRequest>(plan.compute);
    CHECK(!plan.model.empty());
    CHECK(m.top_k <= 100 && (!m.layer || *m.layer >= 1));
  }
  return 0;
}
