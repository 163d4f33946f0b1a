// rgb.hpp: a colour of 8 bits per channel, as pictures and PNG palettes hold it.
#pragma once

#include <cstdint>

namespace attn {

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
};

}  // namespace attn
