// safetensors.hpp: reading a .safetensors file (Hugging Face's weight format), our own reader.
//
// The format: an 8-byte little-endian unsigned header length N, then N bytes of
// JSON mapping each tensor name to {"dtype", "shape", "data_offsets": [begin, end]}
// (offsets relative to the byte after the header; an optional "__metadata__" entry
// maps strings to strings), then the raw little-endian data.
//
// A SafetensorsFile promises, once open() returns:
//   - the file is memory-mapped read-only and stays mapped while the object lives;
//   - every tensor's dtype is F32, F16 or BF16, its shape's product times the dtype's
//     size is exactly end - begin, its bytes lie inside the data, and no two tensors'
//     byte ranges overlap;
//   - floats() gives the values as float32: F32 read in place (a view into the
//     mapping) when the data is 4-byte aligned, else copied; F16 and BF16 converted.
// Every failure is a DataError of one line naming the file and, where there is one,
// the tensor.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace attn {

enum class Dtype { F32, F16, BF16 };

// One entry of the header.
struct TensorInfo {
  std::string name;
  Dtype dtype = Dtype::F32;
  std::vector<std::size_t> shape;   // empty for a scalar
  std::uint64_t begin = 0, end = 0;  // byte range within the data (after the header)
  std::size_t count() const;         // the product of shape (1 for a scalar)
};

// The tensors described by `header` (the JSON text between the length and the
// data), checked against a data section of `data_size` bytes; sorted by name.
// `path` is only used to name the file in errors. Throws DataError for JSON that
// does not parse or is not an object of objects, a missing or mistyped field, an
// unknown or unsupported dtype, a shape whose size overflows or disagrees with
// the offsets, offsets that are reversed or past data_size, overlapping tensors,
// and a repeated name.
std::vector<TensorInfo> parse_safetensors_header(std::string_view header, std::uint64_t data_size,
                                                 const std::string& path);

class SafetensorsFile {
 public:
  // Maps `path` and checks its header (parse_safetensors_header). Throws
  // DataError when the file is missing, unreadable, shorter than 8 bytes, or its
  // header length runs past the end of the file (or past 100 MB).
  static SafetensorsFile open(const std::string& path);

  SafetensorsFile(SafetensorsFile&&) noexcept;
  SafetensorsFile& operator=(SafetensorsFile&&) noexcept;
  SafetensorsFile(const SafetensorsFile&) = delete;
  SafetensorsFile& operator=(const SafetensorsFile&) = delete;
  ~SafetensorsFile();

  const std::string& path() const { return path_; }
  std::uint64_t file_size() const { return size_; }
  const std::vector<TensorInfo>& tensors() const { return tensors_; }
  // The tensor called `name`, or nullptr.
  const TensorInfo* find(std::string_view name) const;

  // The values of `t` as float32, row-major as stored. For F32 data aligned to 4
  // bytes the span points into the mapping and `storage` is untouched; otherwise
  // the values are converted into `storage` and the span points there.
  // REQUIRES: t is one of tensors().
  std::span<const float> floats(const TensorInfo& t, std::vector<float>& storage) const;

 private:
  SafetensorsFile() = default;
  std::string path_;
  const unsigned char* map_ = nullptr;  // the whole file
  std::uint64_t size_ = 0;
  std::uint64_t data_start_ = 0;        // 8 + header length
  std::vector<TensorInfo> tensors_;
};

// The name of a dtype as the header spells it ("F32", "F16", "BF16").
const char* dtype_name(Dtype d);

}  // namespace attn
