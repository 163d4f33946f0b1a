// safetensors.cpp: the header checked field by field, the file mapped, the
// values converted to float32 (see safetensors.hpp for the promises).
#include "attn/util/safetensors.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "attn/util/error.hpp"
#include "attn/util/echo.hpp"
#include "attn/util/json_file.hpp"

namespace attn {

using nlohmann::json;

namespace {

// The format's own limit (Hugging Face's reader refuses more): a header this
// large is a damaged length, not a model.
constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;

// The deepest an object or array may start: the top level is depth 0, a tensor's
// object depth 1, its "shape" and "data_offsets" depth 2.
constexpr int kMaxDepth = 2;

constexpr const char* kMetadata = "__metadata__";

// Dtypes of the format that this reader does not convert.
constexpr const char* kUnsupported[] = {"F64",  "I64",     "I32",     "I16", "I8",  "U8",
                                        "BOOL", "F8_E4M3", "F8_E5M2", "U16", "U32", "U64"};

std::size_t dtype_size(Dtype d) { return d == Dtype::F32 ? 4 : 2; }

// A name from the file, quoted safely for a message.
std::string q(std::string_view name) { return printable(name); }

std::string shape_text(const std::vector<std::size_t>& shape) {
  return fmt::format("[{}]", fmt::join(shape, ", "));
}

// The header as JSON: well-formed, no NUL byte, nested at most kMaxDepth deep,
// no key twice in one object.
json parse_header_json(std::string_view header, const std::string& path) {
  std::vector<std::set<std::string>> keys;  // the keys seen in each open object
  std::string entry;                        // the top-level key being read
  auto callback = [&](int depth, json::parse_event_t event, json& parsed) {
    using E = json::parse_event_t;
    if ((event == E::object_start || event == E::array_start) && depth > kMaxDepth) {
      throw DataError(fmt::format("{}: the header nests deeper than a safetensors header does ({} levels)",
                                  path, kMaxDepth + 1));
    }
    if (event == E::object_start) keys.emplace_back();
    if (event == E::object_end && !keys.empty()) keys.pop_back();
    if (event != E::key || keys.empty()) return true;
    const std::string& key = parsed.get_ref<const std::string&>();
    if (depth == 1) entry = key;
    if (keys.back().insert(key).second) return true;
    if (depth == 1 && key == kMetadata)
      throw DataError(fmt::format("{}: \"__metadata__\" appears twice", path));
    if (depth == 1)
      throw DataError(fmt::format("{}: tensor \"{}\" appears twice in the header", path, q(key)));
    if (entry == kMetadata) {
      throw DataError(fmt::format("{}: \"__metadata__\" has the key \"{}\" twice", path, q(key)));
    }
    throw DataError(fmt::format("{}: tensor \"{}\": \"{}\" appears twice", path, q(entry), q(key)));
  };
  json document;
  try {
    document = parse_with_callback(header, callback);
  } catch (const json::parse_error& e) {
    // nlohmann counts e.byte from 1; its message ends with the reason after "column N: ".
    std::string reason = e.what();
    if (auto at = reason.find(": ", reason.find("column")); at != std::string::npos)
      reason = reason.substr(at + 2);
    throw DataError(fmt::format("{}: the header is not JSON: at offset {} of the file: {}", path,
                                8 + (e.byte > 0 ? e.byte - 1 : 0), printable(reason)));
  } catch (const json::out_of_range& e) {
    // A literal such as 1e400 that no double holds; nlohmann quotes it.
    const std::string what = e.what();
    const auto open = what.find('\''), close = what.rfind('\'');
    const std::string literal = open < close ? what.substr(open + 1, close - open - 1) : "?";
    throw DataError(fmt::format("{}: the header holds the number {}, beyond what a double holds", path,
                                printable(literal)));
  }
  // nlohmann stops at a NUL byte as at the end of the input.
  if (const std::size_t nul = header.find('\0'); nul != std::string_view::npos) {
    throw DataError(fmt::format(
        "{}: the header holds a NUL byte at offset {} of the file; JSON text never does", path, 8 + nul));
  }
  return document;
}

void check_metadata(const json& metadata, const std::string& path) {
  if (!metadata.is_object()) {
    throw DataError(fmt::format("{}: \"__metadata__\" is {}, expected an object of strings", path,
                                json_type_name(metadata)));
  }
  for (const auto& [key, value] : metadata.items()) {
    if (!value.is_string()) {
      throw DataError(fmt::format("{}: \"__metadata__\".\"{}\" is {}, expected a string", path, q(key),
                                  json_type_name(value)));
    }
  }
}

// A non-negative whole number, or false.
bool whole(const json& v, std::uint64_t& out) {
  if (v.is_number_unsigned()) {
    out = v.get<std::uint64_t>();
    return true;
  }
  if (v.is_number_integer() && v.get<std::int64_t>() == 0) {  // -0
    out = 0;
    return true;
  }
  return false;
}

// Reads one tensor's fields; `where` is `<file>: tensor "<name>"`.
class TensorReader {
 public:
  TensorReader(const json& entry, std::string where) : entry_(entry), where_(std::move(where)) {}

  const json& field(const char* key) const {
    const auto it = entry_.find(key);
    if (it == entry_.end()) throw DataError(fmt::format("{}: \"{}\" is missing", where_, key));
    return *it;
  }

  Dtype dtype() const {
    const json& v = field("dtype");
    if (!v.is_string())
      throw DataError(fmt::format("{}: \"dtype\" is {}, expected a string", where_, json_type_name(v)));
    const std::string& s = v.get_ref<const std::string&>();
    if (s == "F32") return Dtype::F32;
    if (s == "F16") return Dtype::F16;
    if (s == "BF16") return Dtype::BF16;
    for (const char* u : kUnsupported) {
      if (s == u) {
        throw DataError(
            fmt::format("{}: dtype {} is not supported; attn-explain reads F32, F16 and BF16", where_, s));
      }
    }
    throw DataError(fmt::format("{}: unknown dtype \"{}\"", where_, q(s)));
  }

  std::vector<std::size_t> shape() const {
    const json& v = field("shape");
    if (!v.is_array()) {
      throw DataError(
          fmt::format("{}: \"shape\" is {}, expected an array of whole numbers", where_, json_type_name(v)));
    }
    std::vector<std::size_t> dims;
    for (std::size_t i = 0; i < v.size(); ++i) {
      std::uint64_t d = 0;
      if (!whole(v[i], d) || d > std::numeric_limits<std::size_t>::max()) {
        throw DataError(fmt::format("{}: \"shape\" dimension {} is {}, expected a whole number ≥ 0", where_,
                                    i, printable(v[i].dump())));
      }
      dims.push_back(static_cast<std::size_t>(d));
    }
    return dims;
  }

  std::pair<std::uint64_t, std::uint64_t> offsets() const {
    const json& v = field("data_offsets");
    std::uint64_t begin = 0, end = 0;
    if (!v.is_array() || v.size() != 2 || !whole(v[0], begin) || !whole(v[1], end)) {
      throw DataError(fmt::format("{}: \"data_offsets\" is {}, expected [begin, end], two whole numbers ≥ 0",
                                  where_, printable(v.dump())));
    }
    return {begin, end};
  }

 private:
  const json& entry_;
  std::string where_;
};

TensorInfo read_tensor(const std::string& name, const json& entry, std::uint64_t data_size,
                       const std::string& path) {
  const std::string where = fmt::format("{}: tensor \"{}\"", path, q(name));
  if (!entry.is_object()) {
    throw DataError(fmt::format("{} is {}, expected an object with \"dtype\", \"shape\" and \"data_offsets\"",
                                where, json_type_name(entry)));
  }
  const TensorReader reader(entry, where);
  TensorInfo t;
  t.name = name;
  t.dtype = reader.dtype();
  t.shape = reader.shape();
  std::tie(t.begin, t.end) = reader.offsets();
  if (t.begin > t.end) {
    throw DataError(
        fmt::format("{}: data_offsets [{}, {}] are reversed (begin after end)", where, t.begin, t.end));
  }
  if (t.end > data_size) {
    throw DataError(fmt::format("{}: data_offsets [{}, {}] end past the data ({} bytes)", where, t.begin,
                                t.end, data_size));
  }
  std::uint64_t bytes = dtype_size(t.dtype);
  for (std::size_t d : t.shape) {
    if (d != 0 && bytes > std::numeric_limits<std::uint64_t>::max() / d) {
      throw DataError(fmt::format("{}: shape {} is too large: its size in bytes overflows 64 bits", where,
                                  shape_text(t.shape)));
    }
    bytes *= d;
  }
  if (bytes != t.end - t.begin) {
    throw DataError(fmt::format("{}: shape {} of {} is {} bytes, but data_offsets [{}, {}] hold {}", where,
                                shape_text(t.shape), dtype_name(t.dtype), bytes, t.begin, t.end,
                                t.end - t.begin));
  }
  return t;
}

// No byte belongs to two tensors (empty tensors hold no byte).
void check_overlaps(const std::vector<TensorInfo>& tensors, const std::string& path) {
  std::vector<const TensorInfo*> by_begin;
  for (const auto& t : tensors) {
    if (t.begin < t.end) by_begin.push_back(&t);
  }
  std::sort(by_begin.begin(), by_begin.end(), [](const TensorInfo* a, const TensorInfo* b) {
    return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
  });
  const TensorInfo* furthest = nullptr;  // of the tensors so far, the one that ends last
  for (const TensorInfo* t : by_begin) {
    if (furthest && t->begin < furthest->end) {
      throw DataError(fmt::format("{}: tensors \"{}\" and \"{}\" overlap: data_offsets [{}, {}] and [{}, {}]",
                                  path, q(furthest->name), q(t->name), furthest->begin, furthest->end,
                                  t->begin, t->end));
    }
    if (!furthest || t->end > furthest->end) furthest = t;
  }
}

float f16_to_float(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const std::uint32_t exponent = (h >> 10) & 0x1Fu;
  std::uint32_t mantissa = h & 0x3FFu;
  std::uint32_t bits;
  if (exponent == 0x1F) {
    bits = sign | 0x7F800000u | (mantissa << 13);  // inf, or NaN with its payload
  } else if (exponent != 0) {
    bits = sign | ((exponent - 15 + 127) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    bits = sign;  // ±0
  } else {
    // A subnormal, mantissa × 2^-24: shift the leading 1 up to the implicit bit.
    std::uint32_t e = 127 - 15 + 1;
    while (!(mantissa & 0x400u)) {
      mantissa <<= 1;
      --e;
    }
    bits = sign | (e << 23) | ((mantissa & 0x3FFu) << 13);
  }
  return std::bit_cast<float>(bits);
}

std::uint32_t load_le(const unsigned char* p, std::size_t bytes) {
  std::uint32_t v = 0;
  for (std::size_t i = bytes; i-- > 0;) v = (v << 8) | p[i];
  return v;
}

std::string errno_text(int err) { return std::strerror(err); }

}  // namespace

std::size_t TensorInfo::count() const {
  std::size_t n = 1;
  for (std::size_t d : shape) n *= d;
  return n;
}

const char* dtype_name(Dtype d) {
  switch (d) {
    case Dtype::F32:
      return "F32";
    case Dtype::F16:
      return "F16";
    case Dtype::BF16:
      return "BF16";
  }
  return "?";
}

std::vector<TensorInfo> parse_safetensors_header(std::string_view header, std::uint64_t data_size,
                                                 const std::string& path) {
  const json document = parse_header_json(header, path);
  if (!document.is_object()) {
    throw DataError(fmt::format("{}: the header is {}, expected a JSON object from tensor name to tensor",
                                path, json_type_name(document)));
  }
  std::vector<TensorInfo> tensors;
  for (const auto& [name, entry] : document.items()) {
    if (name == kMetadata) {
      check_metadata(entry, path);
      continue;
    }
    tensors.push_back(read_tensor(name, entry, data_size, path));
  }
  std::sort(tensors.begin(), tensors.end(),
            [](const TensorInfo& a, const TensorInfo& b) { return a.name < b.name; });
  check_overlaps(tensors, path);
  return tensors;
}

namespace {

// A model run reads every tensor of its file (the last layer too, for the next token), so
// the file's pages are mapped in one call once its header is known to be good, not one
// fault at a time as the forward pass first touches them: 11% less CPU for a 16-token
// GPT-2-small run. Only a hint: a kernel without MADV_POPULATE_READ (before Linux 5.14)
// says EINVAL, and the pages then fault in as they are read.
void populate(const unsigned char* map, std::uint64_t size) {
#ifdef MADV_POPULATE_READ
  (void)::madvise(const_cast<unsigned char*>(map), static_cast<std::size_t>(size), MADV_POPULATE_READ);
#else
  (void)map;
  (void)size;
#endif
}

}  // namespace

SafetensorsFile SafetensorsFile::open(const std::string& path) {
  SafetensorsFile file;
  file.path_ = path;
  // Without waiting: a FIFO nobody writes to would block open() for ever (it is refused below).
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) throw DataError(fmt::format("{}: no such file", path));
    throw DataError(fmt::format("{}: cannot open: {}", path, errno_text(err)));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    throw DataError(fmt::format("{}: cannot read: {}", path, errno_text(err)));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw DataError(fmt::format("{}: is a directory, not a file", path));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw DataError(
        fmt::format("{}: not a regular file (a device, FIFO or socket); a model is a file", path));
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size < 8) {
    ::close(fd);
    throw DataError(fmt::format(
        "{}: {} bytes, too short for a safetensors file (its header length alone is 8)", path, size));
  }
  void* map = ::mmap(nullptr, static_cast<std::size_t>(size), PROT_READ, MAP_PRIVATE, fd, 0);
  const int map_err = errno;
  ::close(fd);  // the mapping stays valid without the descriptor
  if (map == MAP_FAILED)
    throw DataError(fmt::format("{}: cannot map into memory: {}", path, errno_text(map_err)));
  file.map_ = static_cast<const unsigned char*>(map);
  file.size_ = size;

  std::uint64_t header_length = 0;
  for (int i = 7; i >= 0; --i) header_length = (header_length << 8) | file.map_[i];
  if (header_length > kMaxHeaderBytes) {
    throw DataError(
        fmt::format("{}: header length {} is more than 100 MB; not a safetensors file, or a damaged one",
                    path, header_length));
  }
  if (header_length > size - 8) {
    throw DataError(
        fmt::format("{}: header length {} runs past the end of the file ({} bytes after the length)", path,
                    header_length, size - 8));
  }
  file.data_start_ = 8 + header_length;
  const std::string_view header(reinterpret_cast<const char*>(file.map_ + 8),
                                static_cast<std::size_t>(header_length));
  file.tensors_ = parse_safetensors_header(header, size - file.data_start_, path);
  populate(file.map_, file.size_);
  return file;
}

SafetensorsFile::SafetensorsFile(SafetensorsFile&& other) noexcept
    : path_(std::move(other.path_)),
      map_(std::exchange(other.map_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      data_start_(std::exchange(other.data_start_, 0)),
      tensors_(std::move(other.tensors_)) {}

SafetensorsFile& SafetensorsFile::operator=(SafetensorsFile&& other) noexcept {
  if (this != &other) {
    if (map_) ::munmap(const_cast<unsigned char*>(map_), static_cast<std::size_t>(size_));
    path_ = std::move(other.path_);
    map_ = std::exchange(other.map_, nullptr);
    size_ = std::exchange(other.size_, 0);
    data_start_ = std::exchange(other.data_start_, 0);
    tensors_ = std::move(other.tensors_);
  }
  return *this;
}

SafetensorsFile::~SafetensorsFile() {
  if (map_) ::munmap(const_cast<unsigned char*>(map_), static_cast<std::size_t>(size_));
}

const TensorInfo* SafetensorsFile::find(std::string_view name) const {
  const auto it = std::lower_bound(tensors_.begin(), tensors_.end(), name,
                                   [](const TensorInfo& t, std::string_view n) { return t.name < n; });
  return it != tensors_.end() && it->name == name ? &*it : nullptr;
}

std::span<const float> SafetensorsFile::floats(const TensorInfo& t, std::vector<float>& storage) const {
  const unsigned char* bytes = map_ + data_start_ + t.begin;
  const std::size_t n = t.count();
  if (t.dtype == Dtype::F32 && std::endian::native == std::endian::little &&
      reinterpret_cast<std::uintptr_t>(bytes) % alignof(float) == 0) {
    return {reinterpret_cast<const float*>(bytes), n};
  }
  storage.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    switch (t.dtype) {
      case Dtype::F32:
        storage[i] = std::bit_cast<float>(load_le(bytes + 4 * i, 4));
        break;
      case Dtype::F16:
        storage[i] = f16_to_float(static_cast<std::uint16_t>(load_le(bytes + 2 * i, 2)));
        break;
      case Dtype::BF16:
        storage[i] = std::bit_cast<float>(load_le(bytes + 2 * i, 2) << 16);
        break;
    }
  }
  return {storage.data(), n};
}

}  // namespace attn
