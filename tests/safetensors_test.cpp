// The safetensors reader (src/util/safetensors.hpp) on files built byte by byte
// here: the values read back against the IEEE 754 bit patterns, the in-place
// and copied F32 paths, and every refusal, each one line naming the file and,
// where there is one, the tensor.
#include "attn/util/safetensors.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <string>
#include <vector>

#include "attn/util/error.hpp"

namespace attn {
namespace {

namespace fs = std::filesystem;

// Little-endian bytes of values of any of the dtypes' widths.
std::string le_bytes(std::uint64_t v, int width) {
  std::string out;
  for (int i = 0; i < width; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
  return out;
}
std::string f32_bytes(std::initializer_list<float> values) {
  std::string out;
  for (float f : values) out += le_bytes(std::bit_cast<std::uint32_t>(f), 4);
  return out;
}
std::string u16_bytes(std::initializer_list<std::uint16_t> values) {
  std::string out;
  for (auto v : values) out += le_bytes(v, 2);
  return out;
}

// {entry, entry, ...}: a header.
std::string object(std::initializer_list<std::string> entries) {
  std::string out = "{";
  for (const auto& e : entries) {
    if (out.size() > 1) out += ',';
    out += e;
  }
  out += '}';
  return out;
}

// "name": {"dtype": ..., "shape": [...], "data_offsets": [begin, end]}
std::string entry(const std::string& name, const std::string& dtype, const std::string& shape,
                  std::uint64_t begin, std::uint64_t end) {
  return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" +
         std::to_string(begin) + "," + std::to_string(end) + "]}";
}

class Safetensors : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("attn-safetensors-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes the raw bytes to a new file (model.safetensors, then model-2.safetensors, ...;
  // never over a file a test may still have mapped); returns its path.
  std::string write_raw(const std::string& bytes) {
    ++files_;
    const fs::path p =
        dir_ / (files_ == 1 ? "model.safetensors" : "model-" + std::to_string(files_) + ".safetensors");
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }

  // The 8-byte header length, the header, the data. `pad_to` pads the header
  // with spaces (as the format allows) until 8 + its length is a multiple of it.
  std::string write(std::string header, const std::string& data, std::size_t pad_to = 8) {
    while ((8 + header.size()) % pad_to != 0) header += ' ';
    return write_raw(le_bytes(header.size(), 8) + header + data);
  }

  // Opening the file fails with one DataError line naming the file and holding every part.
  void expect_error(const std::string& path, std::initializer_list<std::string> parts) {
    try {
      SafetensorsFile::open(path);
      ADD_FAILURE() << "no error for " << path;
    } catch (const DataError& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind(path + ": ", 0), 0u) << what;
      EXPECT_EQ(what.find('\n'), std::string::npos) << what;
      for (const auto& part : parts)
        EXPECT_NE(what.find(part), std::string::npos) << "no \"" << part << "\" in: " << what;
    }
  }
  void expect_header_error(const std::string& header, const std::string& data,
                           std::initializer_list<std::string> parts) {
    expect_error(write(header, data), parts);
  }

  fs::path dir_;
  int files_ = 0;
};

TEST_F(Safetensors, F32IsReadExactlyAndInPlaceWhenAligned) {
  const float tiny = std::numeric_limits<float>::denorm_min();
  const std::string data = f32_bytes({1.5f, -2.25f, 3.4028235e38f, tiny, 0.1f, -0.0f});
  const std::string path = write(object({entry("w", "F32", "[2,3]", 0, 24)}), data, 4);
  const SafetensorsFile file = SafetensorsFile::open(path);
  EXPECT_EQ(file.path(), path);
  EXPECT_EQ(file.file_size(), fs::file_size(path));
  ASSERT_EQ(file.tensors().size(), 1u);
  const TensorInfo* t = file.find("w");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->dtype, Dtype::F32);
  EXPECT_EQ(t->shape, (std::vector<std::size_t>{2, 3}));
  EXPECT_EQ(t->count(), 6u);
  EXPECT_EQ(t->begin, 0u);
  EXPECT_EQ(t->end, 24u);
  EXPECT_EQ(file.find("x"), nullptr);

  std::vector<float> storage;
  const auto values = file.floats(*t, storage);
  EXPECT_TRUE(storage.empty());  // a view into the mapping, nothing copied
  ASSERT_EQ(values.size(), 6u);
  const float expected[] = {1.5f, -2.25f, 3.4028235e38f, tiny, 0.1f, -0.0f};
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(std::bit_cast<std::uint32_t>(values[i]), std::bit_cast<std::uint32_t>(expected[i])) << i;
  }
}

TEST_F(Safetensors, UnalignedF32IsCopied) {
  // A 2-byte F16 tensor first puts the F32 tensor 2 bytes past a multiple of 4.
  const std::string header = object({entry("a", "F16", "[1]", 0, 2), entry("b", "F32", "[3]", 2, 14)});
  const std::string data = u16_bytes({0x3C00}) + f32_bytes({0.1f, -7.0f, 1e-40f});
  const SafetensorsFile file = SafetensorsFile::open(write(header, data, 4));
  std::vector<float> storage;
  const auto values = file.floats(*file.find("b"), storage);
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(values.data(), storage.data());  // copied
  EXPECT_EQ(std::bit_cast<std::uint32_t>(values[0]), std::bit_cast<std::uint32_t>(0.1f));
  EXPECT_EQ(values[1], -7.0f);
  EXPECT_EQ(std::bit_cast<std::uint32_t>(values[2]), std::bit_cast<std::uint32_t>(1e-40f));

  // The whole data section one byte past a multiple of 4: copied too.
  std::string h = object({entry("b", "F32", "[3]", 0, 12)});
  while ((8 + h.size()) % 4 != 1) h += ' ';
  const SafetensorsFile odd =
      SafetensorsFile::open(write_raw(le_bytes(h.size(), 8) + h + f32_bytes({0.1f, -7.0f, 1e-40f})));
  std::vector<float> storage2;
  const auto v2 = odd.floats(*odd.find("b"), storage2);
  ASSERT_EQ(v2.size(), 3u);
  EXPECT_EQ(v2.data(), storage2.data());
  EXPECT_EQ(v2[1], -7.0f);
}

TEST_F(Safetensors, F16IsConvertedExactly) {
  // IEEE 754 binary16: sign, 5 exponent bits (bias 15), 10 mantissa bits.
  const std::string data =
      u16_bytes({0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x7E00, 0x8000, 0x03FF, 0x0400, 0xFC00, 0x3555});
  const SafetensorsFile file = SafetensorsFile::open(write(object({entry("h", "F16", "[11]", 0, 22)}), data));
  std::vector<float> storage;
  const auto v = file.floats(*file.find("h"), storage);
  ASSERT_EQ(v.size(), 11u);
  EXPECT_EQ(v[0], 1.0f);
  EXPECT_EQ(v[1], -2.0f);
  EXPECT_EQ(v[2], 65504.0f);               // (2 - 2^-10) × 2^15, the largest finite
  EXPECT_EQ(v[3], std::ldexp(1.0f, -24));  // the smallest subnormal
  EXPECT_EQ(v[4], std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(v[5]));
  EXPECT_EQ(std::bit_cast<std::uint32_t>(v[5]), 0x7FC00000u);  // the quiet NaN, payload kept
  EXPECT_EQ(std::bit_cast<std::uint32_t>(v[6]), 0x80000000u);  // -0
  EXPECT_EQ(v[7], 1023.0f * std::ldexp(1.0f, -24));            // the largest subnormal
  EXPECT_EQ(v[8], std::ldexp(1.0f, -14));                      // the smallest normal
  EXPECT_EQ(v[9], -std::numeric_limits<float>::infinity());
  EXPECT_EQ(v[10], (1024.0f + 0x155) / 1024.0f / 4.0f);  // 0x3555: 2^-2 × (1 + 341/1024)
}

TEST_F(Safetensors, BF16IsConvertedExactly) {
  // bfloat16 is the top half of a float32.
  const std::string data = u16_bytes({0x3F80, 0x4049, 0xC000, 0x0001, 0x7F80, 0x7FC0, 0x8000});
  const SafetensorsFile file = SafetensorsFile::open(write(object({entry("b", "BF16", "[7]", 0, 14)}), data));
  std::vector<float> storage;
  const auto v = file.floats(*file.find("b"), storage);
  ASSERT_EQ(v.size(), 7u);
  EXPECT_EQ(v[0], 1.0f);
  EXPECT_EQ(v[1], 3.140625f);  // 2 × (1 + 73/128)
  EXPECT_EQ(v[2], -2.0f);
  EXPECT_EQ(v[3], std::ldexp(1.0f, -133));  // a float32 subnormal: 2^-126 × 2^-7
  EXPECT_EQ(v[4], std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(v[5]));
  EXPECT_EQ(std::bit_cast<std::uint32_t>(v[6]), 0x80000000u);
}

TEST_F(Safetensors, MetadataIsSkippedAndTensorsAreSortedByName) {
  const std::string header =
      object({std::string("\"__metadata__\":{\"format\":\"pt\"}"), entry("z", "F32", "[]", 0, 4),
              entry("a", "F32", "[1,0]", 4, 4), entry("m", "BF16", "[2]", 4, 8)});
  const SafetensorsFile file =
      SafetensorsFile::open(write(header, f32_bytes({42.0f}) + u16_bytes({0x3F80, 0x4049})));
  ASSERT_EQ(file.tensors().size(), 3u);
  EXPECT_EQ(file.tensors()[0].name, "a");
  EXPECT_EQ(file.tensors()[1].name, "m");
  EXPECT_EQ(file.tensors()[2].name, "z");
  EXPECT_EQ(file.find("__metadata__"), nullptr);
  std::vector<float> storage;
  EXPECT_EQ(file.floats(*file.find("a"), storage).size(), 0u);  // a [1, 0] tensor holds nothing
  const auto scalar = file.floats(*file.find("z"), storage);
  ASSERT_EQ(scalar.size(), 1u);  // shape [] is a scalar
  EXPECT_EQ(scalar[0], 42.0f);
  EXPECT_EQ(dtype_name(file.find("m")->dtype), std::string("BF16"));
}

TEST_F(Safetensors, MovingKeepsTheMapping) {
  SafetensorsFile a =
      SafetensorsFile::open(write(object({entry("w", "F32", "[2]", 0, 8)}), f32_bytes({1.0f, 2.0f})));
  SafetensorsFile b(std::move(a));
  std::vector<float> storage;
  EXPECT_EQ(b.floats(*b.find("w"), storage)[1], 2.0f);
  SafetensorsFile c = SafetensorsFile::open(write_raw(le_bytes(2, 8) + "{}"));
  EXPECT_TRUE(c.tensors().empty());
  c = std::move(b);  // c's own mapping is released, b's taken over
  EXPECT_EQ(c.floats(*c.find("w"), storage)[0], 1.0f);
}

// --- the file ---

TEST_F(Safetensors, RefusesAMissingFileADirectoryAndAShortFile) {
  expect_error((dir_ / "absent.safetensors").string(), {"no such file"});
  expect_error(dir_.string(), {"is a directory"});
  expect_error(write_raw("1234567"), {"7 bytes", "too short"});
  expect_error(write_raw(""), {"0 bytes", "too short"});
  // A FIFO nobody writes to: refused at once, not waited on.
  const std::string fifo = (dir_ / "fifo.safetensors").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  expect_error(fifo, {"not a regular file"});
}

TEST_F(Safetensors, RefusesAHeaderLengthPastTheEndOrTooLarge) {
  // 20 bytes of header claimed, 13 present.
  expect_error(write_raw(le_bytes(20, 8) + "{\"a\":1, \"b\":2"),
               {"header length 20", "past the end of the file", "13 bytes"});
  expect_error(write_raw(le_bytes(100'000'001, 8) + "{}"), {"header length 100000001", "more than 100 MB"});
  expect_error(write_raw(le_bytes(~0ull, 8) + "{}"),
               {"header length 18446744073709551615", "more than 100 MB"});
}

TEST_F(Safetensors, RefusesAHeaderThatIsNotJson) {
  // The trailing comma's '}' is byte 7 of the header, 15 of the file (counted from 0).
  expect_header_error("{\"a\":1,}", "", {"the header is not JSON: at offset 15 of the file: "});
  expect_header_error("", "", {"the header is not JSON"});
  expect_header_error("{\"a\":{\"dtype\":\"F32\",\"shape\":[1e400],\"data_offsets\":[0,4]}}", "", {"1e400"});
  expect_error(write_raw(le_bytes(4, 8) + std::string("{}\0x", 4)), {"NUL byte at offset 10 of the file"});
  expect_header_error("[1, 2]", "", {"the header is an array, expected a JSON object"});
  expect_header_error("{\"a\":{\"shape\":[[[1]]]}}", "", {"nests deeper"});
}

// --- the header's entries ---

TEST_F(Safetensors, RefusesBadMetadata) {
  expect_header_error("{\"__metadata__\":[1]}", "",
                      {"\"__metadata__\" is an array, expected an object of strings"});
  expect_header_error("{\"__metadata__\":{\"format\":1}}", "",
                      {"\"__metadata__\".\"format\" is a number, expected a string"});
  expect_header_error("{\"__metadata__\":{},\"__metadata__\":{}}", "", {"\"__metadata__\" appears twice"});
  expect_header_error("{\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}}", "",
                      {"\"__metadata__\" has the key \"k\" twice"});
}

TEST_F(Safetensors, RefusesMissingAndMistypedFields) {
  const std::string t = "tensor \"h.0.attn.c_attn.weight\"";
  expect_header_error("{\"h.0.attn.c_attn.weight\":[1]}", "", {t + " is an array, expected an object"});
  expect_header_error("{\"h.0.attn.c_attn.weight\":{\"shape\":[1],\"data_offsets\":[0,4]}}", "",
                      {t + ": \"dtype\" is missing"});
  expect_header_error("{\"h.0.attn.c_attn.weight\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", "",
                      {t + ": \"shape\" is missing"});
  expect_header_error("{\"h.0.attn.c_attn.weight\":{\"dtype\":\"F32\",\"shape\":[1]}}", "",
                      {t + ": \"data_offsets\" is missing"});
  expect_header_error("{\"h.0.attn.c_attn.weight\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", "",
                      {t + ": \"dtype\" is a number, expected a string"});
  expect_header_error(object({entry("h.0.attn.c_attn.weight", "F32", "{}", 0, 4)}), "",
                      {t + ": \"shape\" is an object, expected an array"});
  expect_header_error(object({entry("h.0.attn.c_attn.weight", "F32", "[2,-1]", 0, 4)}), "",
                      {t + ": \"shape\" dimension 1 is -1, expected a whole number"});
  expect_header_error(object({entry("h.0.attn.c_attn.weight", "F32", "[1.5]", 0, 4)}), "",
                      {t + ": \"shape\" dimension 0 is 1.5"});
  expect_header_error("{\"h.0.attn.c_attn.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}",
                      "", {t + ": \"data_offsets\" is [0], expected [begin, end]"});
  expect_header_error(
      "{\"h.0.attn.c_attn.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", "",
      {t + ": \"data_offsets\" is [-4,0], expected [begin, end]"});
  expect_header_error(
      "{\"h.0.attn.c_attn.weight\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,4]}"
      "}",
      "", {t + ": \"dtype\" appears twice"});
}

TEST_F(Safetensors, RefusesUnknownAndUnsupportedDtypes) {
  expect_header_error(object({entry("wte.weight", "F31", "[1]", 0, 4)}), "xxxx",
                      {"tensor \"wte.weight\": unknown dtype \"F31\""});
  for (const char* d :
       {"F64", "I64", "I32", "I16", "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2", "U16", "U32", "U64"}) {
    expect_header_error(object({entry("wte.weight", d, "[1]", 0, 1)}), "x",
                        {std::string("tensor \"wte.weight\": dtype ") + d + " is not supported"});
  }
}

TEST_F(Safetensors, RefusesOffsetsOutsideTheData) {
  // A truncated file: the offsets claim 20 bytes, 12 are there.
  expect_header_error(
      object({entry("h.0.attn.c_attn.weight", "F32", "[5]", 0, 20)}), std::string(12, 'x'),
      {"tensor \"h.0.attn.c_attn.weight\": data_offsets [0, 20] end past the data (12 bytes)"});
  expect_header_error(object({entry("wpe.weight", "F32", "[1]", 10, 14)}), std::string(12, 'x'),
                      {"tensor \"wpe.weight\": data_offsets [10, 14] end past the data (12 bytes)"});
  expect_header_error(object({entry("wpe.weight", "F32", "[0]", 8, 4)}), std::string(12, 'x'),
                      {"tensor \"wpe.weight\": data_offsets [8, 4] are reversed"});
}

TEST_F(Safetensors, RefusesAShapeThatDisagreesWithTheOffsets) {
  expect_header_error(
      object({entry("ln_f.bias", "F32", "[2,3]", 0, 20)}), std::string(24, 'x'),
      {"tensor \"ln_f.bias\": shape [2, 3] of F32 is 24 bytes, but data_offsets [0, 20] hold 20"});
  expect_header_error(
      object({entry("ln_f.bias", "BF16", "[4]", 0, 16)}), std::string(16, 'x'),
      {"tensor \"ln_f.bias\": shape [4] of BF16 is 8 bytes, but data_offsets [0, 16] hold 16"});
  expect_header_error(object({entry("ln_f.bias", "F16", "[4294967296,4294967296]", 0, 16)}),
                      std::string(16, 'x'),
                      {"tensor \"ln_f.bias\": shape [4294967296, 4294967296] is too large"});
}

TEST_F(Safetensors, RefusesOverlappingTensors) {
  const std::string header = object(
      {entry("a", "F32", "[2]", 0, 8), entry("b", "F32", "[2]", 4, 12), entry("c", "F32", "[0]", 6, 6)});
  expect_header_error(header, std::string(12, 'x'),
                      {"tensors \"a\" and \"b\" overlap: data_offsets [0, 8] and [4, 12]"});
  // One tensor inside another's range.
  const std::string nested = object({entry("big", "F32", "[4]", 0, 16), entry("small", "F32", "[1]", 8, 12)});
  expect_header_error(nested, std::string(16, 'x'), {"tensors \"big\" and \"small\" overlap"});
}

TEST_F(Safetensors, RefusesARepeatedTensorName) {
  const std::string header =
      object({entry("wte.weight", "F32", "[1]", 0, 4), entry("wte.weight", "F32", "[1]", 4, 8)});
  expect_header_error(header, std::string(8, 'x'), {"tensor \"wte.weight\" appears twice in the header"});
}

TEST_F(Safetensors, NamesFromTheFileAreEscapedInMessages) {
  expect_header_error(object({entry("a\\nattn-explain: error: fake", "F31", "[1]", 0, 4)}), "xxxx",
                      {"tensor \"a\\nattn-explain: error: fake\": unknown dtype"});
}

TEST(SafetensorsHeader, ParsesWithoutAFile) {
  const auto tensors = parse_safetensors_header(
      object({entry("b", "F16", "[2]", 0, 4), entry("a", "F32", "[1]", 4, 8)}), 8, "mem.safetensors");
  ASSERT_EQ(tensors.size(), 2u);
  EXPECT_EQ(tensors[0].name, "a");
  EXPECT_EQ(tensors[0].begin, 4u);
  EXPECT_EQ(tensors[1].dtype, Dtype::F16);
  EXPECT_THROW(parse_safetensors_header(object({entry("a", "F32", "[1]", 4, 8)}), 7, "mem.safetensors"),
               DataError);
}

}  // namespace
}  // namespace attn
