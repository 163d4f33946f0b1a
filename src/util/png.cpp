// A palette PNG with stored (uncompressed) deflate blocks, and its data: address. See
// png.hpp; the formats are those of the PNG specification (ISO/IEC
// 15948), RFC 1950 (zlib) and RFC 1951 (deflate); base64 is digest.cpp's.
#include "attn/util/png.hpp"

#include <algorithm>
#include <array>

#include "attn/util/digest.hpp"

namespace attn {

namespace {

// CRC-32 of PNG chunks: polynomial 0xEDB88320 (bit-reversed), one table of 256 entries.
std::array<std::uint32_t, 256> crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t n = 0; n < 256; ++n) {
    std::uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}

std::uint32_t crc32(std::string_view bytes) {
  static const std::array<std::uint32_t, 256> table = crc_table();
  std::uint32_t c = 0xFFFFFFFFu;
  for (char b : bytes) c = table[(c ^ static_cast<unsigned char>(b)) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

// Adler-32, the sums reduced every kAdlerRun bytes (RFC 1950's NMAX: the most before b can overflow 32 bits).
std::uint32_t adler32(std::string_view bytes) {
  constexpr std::uint32_t kMod = 65521;
  constexpr std::size_t kAdlerRun = 5552;
  std::uint32_t a = 1, b = 0;
  for (std::size_t at = 0; at < bytes.size(); at += kAdlerRun) {
    const std::size_t end = std::min(bytes.size(), at + kAdlerRun);
    for (std::size_t k = at; k < end; ++k) {
      a += static_cast<unsigned char>(bytes[k]);
      b += a;
    }
    a %= kMod;
    b %= kMod;
  }
  return (b << 16) | a;
}

void put_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
}

// A chunk: its length, its type, the data, the CRC-32 of type and data.
void put_chunk(std::string& out, const char* type, std::string_view data) {
  put_u32(out, static_cast<std::uint32_t>(data.size()));
  const std::size_t typed = out.size();
  out.append(type, 4);
  out.append(data);
  put_u32(out, crc32(std::string_view(out).substr(typed)));
}

// The IDAT chunk's data, written into `out`: a zlib stream (no compression) of
// `raw`: header, stored blocks of at most 65535 bytes, Adler-32.
void put_zlib_stored(std::string& out, std::string_view raw) {
  out += "\x78\x01";  // deflate, 32 KiB window; (0x78 · 256 + 0x01) is a multiple of 31
  std::size_t at = 0;
  do {
    const std::size_t len = std::min<std::size_t>(raw.size() - at, 65535);
    const bool last = at + len == raw.size();
    out += static_cast<char>(last ? 1 : 0);  // BFINAL, BTYPE 00 (stored), then byte-aligned
    out += static_cast<char>(len & 0xFF);
    out += static_cast<char>(len >> 8);
    out += static_cast<char>(~len & 0xFF);
    out += static_cast<char>((~len >> 8) & 0xFF);
    out.append(raw.substr(at, len));
    at += len;
  } while (at < raw.size());
  put_u32(out, adler32(raw));
}

}  // namespace

std::string png_indexed(std::size_t width, std::size_t height, const std::vector<std::uint8_t>& pixels,
                        const std::vector<Rgb>& palette) {
  std::string out = "\x89PNG\r\n\x1a\n";
  std::string header;
  put_u32(header, static_cast<std::uint32_t>(width));
  put_u32(header, static_cast<std::uint32_t>(height));
  header += std::string("\x08\x03\x00\x00\x00", 5);  // 8 bits, palette, deflate, filters of method 0, no interlace
  put_chunk(out, "IHDR", header);

  std::string colours;
  for (const Rgb& c : palette) {
    colours += static_cast<char>(c.r);
    colours += static_cast<char>(c.g);
    colours += static_cast<char>(c.b);
  }
  put_chunk(out, "PLTE", colours);

  std::string raw;
  raw.reserve(height * (width + 1));
  for (std::size_t y = 0; y < height; ++y) {
    raw += '\0';  // filter type 0: the row as it is
    raw.append(reinterpret_cast<const char*>(pixels.data() + y * width), width);
  }
  // The IDAT chunk written in place: its length (known before: 2 + 5 a block + raw + 4), type, data, CRC.
  const std::size_t blocks = std::max<std::size_t>(1, (raw.size() + 65534) / 65535);
  const std::size_t idat = 2 + 5 * blocks + raw.size() + 4;
  out.reserve(out.size() + idat + 12 + 12);
  put_u32(out, static_cast<std::uint32_t>(idat));
  const std::size_t typed = out.size();
  out += "IDAT";
  put_zlib_stored(out, raw);
  put_u32(out, crc32(std::string_view(out).substr(typed)));
  put_chunk(out, "IEND", "");
  return out;
}

std::string data_uri(std::string_view png) { return "data:image/png;base64," + base64(png); }

}  // namespace attn
