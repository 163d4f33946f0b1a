// SHA-256 and base64 (digest.hpp) against outside values: the NIST examples of
// FIPS 180-4 (SHA256.pdf, "abc", the two-block message, a million "a"), and
// Python's hashlib and base64 for the lengths around the padding's edges.
#include <gtest/gtest.h>

#include <string>

#include <fmt/format.h>

#include "attn/util/digest.hpp"

namespace attn {
namespace {

std::string hex(std::string_view bytes) {
  const auto d = sha256(bytes);
  std::string out;
  for (const std::uint8_t b : d) out += fmt::format("{:02x}", b);
  return out;
}

TEST(Sha256, NistExamples) {
  EXPECT_EQ(hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// 55 bytes leave room for the length in the last block; 56 to 63 need one more; 64 is a whole block.
TEST(Sha256, LengthsAroundThePadding) {
  EXPECT_EQ(hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex(std::string(55, 'a')), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  EXPECT_EQ(hex(std::string(56, 'a')), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  EXPECT_EQ(hex(std::string(63, 'a')), "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34");
  EXPECT_EQ(hex(std::string(64, 'a')), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

// RFC 4648, section 10.
TEST(Base64, RfcExamples) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foob"), "Zm9vYg==");
  EXPECT_EQ(base64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64(std::string("\xff\xfe\x00", 3)), "//4A");
}

TEST(CspScriptHash, IsTheBase64OfTheDigestQuoted) {
  EXPECT_EQ(csp_script_hash("abc"), "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='");
  EXPECT_EQ(csp_script_hash(""), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
  // A browser reads CR LF and CR as LF before it hashes: "a\r\nb\rc" is hashed as "a\nb\nc".
  EXPECT_EQ(csp_script_hash("a\r\nb\rc"), csp_script_hash("a\nb\nc"));
  EXPECT_EQ(csp_script_hash("a\nb\nc"), "'sha256-6n+wi3otxGGf+3x7s42VogR5NfoWXXGxLv04UqLm0Mw='");
}

}  // namespace
}  // namespace attn
