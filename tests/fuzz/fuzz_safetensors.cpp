// fuzz_safetensors: attn::parse_safetensors_header on any bytes: the first 8
// (little-endian) are the size of the data section, the rest the header. It
// either throws DataError or returns tensors that keep safetensors.hpp's
// promises: sorted by name, no name twice and none "__metadata__", dtype F32,
// F16 or BF16, begin ≤ end ≤ the data size, the shape's product times the
// dtype's size exactly end - begin, no two non-empty byte ranges overlapping;
// and they are the header's entries: nlohmann parses the header on its own to an
// object whose keys (but "__metadata__") are the tensors' names, each with the
// same dtype, shape and offsets. A broken promise aborts (a finding); any
// exception other than DataError too.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "attn/util/error.hpp"
#include "attn/util/safetensors.hpp"

namespace {

#define CHECK(cond)                \
  do {                             \
    if (!(cond)) __builtin_trap(); \
  } while (0)

std::uint64_t dtype_bytes(attn::Dtype d) { return d == attn::Dtype::F32 ? 4 : 2; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 8) return 0;
  std::uint64_t data_size = 0;
  for (int i = 7; i >= 0; --i) data_size = (data_size << 8) | data[i];
  const std::string_view header(reinterpret_cast<const char*>(data) + 8, size - 8);
  std::vector<attn::TensorInfo> tensors;
  try {
    tensors = attn::parse_safetensors_header(header, data_size, "fuzz.safetensors");
  } catch (const attn::DataError&) {
    return 0;
  }

  for (std::size_t i = 0; i < tensors.size(); ++i) {
    const attn::TensorInfo& t = tensors[i];
    if (i > 0) CHECK(tensors[i - 1].name < t.name);
    CHECK(t.name != "__metadata__");
    CHECK(t.dtype == attn::Dtype::F32 || t.dtype == attn::Dtype::F16 || t.dtype == attn::Dtype::BF16);
    CHECK(t.begin <= t.end && t.end <= data_size);
    // The product, overflow-checked here too: it must fit, since it equals end - begin.
    std::uint64_t bytes = dtype_bytes(t.dtype);
    for (std::size_t d : t.shape) {
      CHECK(d == 0 || bytes <= UINT64_MAX / d);
      bytes *= d;
    }
    CHECK(bytes == t.end - t.begin);
    CHECK(t.count() * dtype_bytes(t.dtype) == bytes);
  }
  std::vector<const attn::TensorInfo*> by_begin;
  for (const auto& t : tensors)
    if (t.begin < t.end) by_begin.push_back(&t);
  std::sort(by_begin.begin(), by_begin.end(),
            [](const attn::TensorInfo* a, const attn::TensorInfo* b) { return a->begin < b->begin; });
  for (std::size_t i = 1; i < by_begin.size(); ++i) CHECK(by_begin[i - 1]->end <= by_begin[i]->begin);

  // The same entries as an independent parse finds.
  const nlohmann::json j = nlohmann::json::parse(header.begin(), header.end(), nullptr, false);
  CHECK(j.is_object());
  std::size_t entries = 0;
  for (const auto& [name, value] : j.items()) {
    if (name == "__metadata__") continue;
    ++entries;
    const auto it =
        std::lower_bound(tensors.begin(), tensors.end(), name,
                         [](const attn::TensorInfo& t, const std::string& n) { return t.name < n; });
    CHECK(it != tensors.end() && it->name == name);
    CHECK(value.at("dtype").get<std::string>() == attn::dtype_name(it->dtype));
    CHECK(value.at("shape").size() == it->shape.size());
    for (std::size_t k = 0; k < it->shape.size(); ++k)
      CHECK(value.at("shape")[k].get<std::uint64_t>() == it->shape[k]);
    CHECK(value.at("data_offsets")[0].get<std::uint64_t>() == it->begin);
    CHECK(value.at("data_offsets")[1].get<std::uint64_t>() == it->end);
  }
  CHECK(entries == tensors.size());
  return 0;
}
