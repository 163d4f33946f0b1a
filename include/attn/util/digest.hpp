// digest.hpp: SHA-256 of bytes, and bytes as base64: what a Content-Security-Policy
// needs to name the one inline script a page may run ('sha256-<base64 of the digest>').
//
// Promises: sha256() is the hash of FIPS 180-4 (the NIST test vectors hold, for
// any length, in one call); base64() is RFC 4648's alphabet with '=' padding.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace attn {

std::array<std::uint8_t, 32> sha256(std::string_view bytes);

std::string base64(std::string_view bytes);

// "'sha256-...'": the source expression of a policy's script-src that lets a
// script element whose text is `script` run, and no other. The text is hashed as a
// browser reads it: each CR LF, and each CR alone, is one LF (HTML's newline rule),
// so a script saved with Windows line ends gets the hash the browser computes.
std::string csp_script_hash(std::string_view script);

}  // namespace attn
