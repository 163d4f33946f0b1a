// png.hpp: pixels as a PNG image, and bytes as a data: address (base64).
//
// A picture of an n × n matrix holds n² cells; as SVG rectangles that is some
// fifty bytes a cell, as a PNG with a palette one byte a cell. png_indexed()
// writes such a PNG (8-bit palette, one pixel per cell, no compression: the
// deflate stream is made of stored blocks, so no library is needed) and
// data_uri() makes it a data: address the page's <image> can show (the
// page's Content-Security-Policy allows images from data: only).
//
// Promises: the bytes are a valid PNG (signature, IHDR, PLTE, IDAT, IEND, each
// chunk with its CRC-32; the zlib stream with its Adler-32) that any decoder
// reads back to exactly `pixels`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "attn/util/rgb.hpp"

namespace attn {

// REQUIRES: 1 ≤ width, height ≤ 65535; pixels.size() == width * height;
// 1 ≤ palette.size() ≤ 256 and every pixel < palette.size().
std::string png_indexed(std::size_t width, std::size_t height, const std::vector<std::uint8_t>& pixels,
                        const std::vector<Rgb>& palette);

// "data:image/png;base64,...".
std::string data_uri(std::string_view png);

}  // namespace attn
