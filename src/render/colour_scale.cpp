// Viridis by linear interpolation between 9 of its colours, and a blue-white-red
// diverging map. See colour_scale.hpp.
#include "colour_scale.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace attn {

namespace {

// matplotlib's viridis (Stéfan van der Walt and Nathaniel Smith, 2015) at
// t = 0, 1/8, ..., 1: the colours of its 256-entry table at those positions.
constexpr Rgb kViridis[] = {{68, 1, 84},    {71, 44, 122},  {59, 81, 139},   {44, 113, 142}, {33, 144, 141},
                            {39, 173, 129}, {92, 200, 99},  {170, 220, 50},  {253, 231, 37}};

// Blue (−1), near-white (0), red (+1): ColorBrewer's RdBu end and middle colours.
constexpr Rgb kBlue{33, 102, 172}, kWhite{247, 247, 247}, kRed{178, 24, 43};

constexpr Rgb kGrey{150, 150, 150};

Rgb mix(Rgb a, Rgb b, double t) {
  auto channel = [&](std::uint8_t x, std::uint8_t y) {
    return static_cast<std::uint8_t>(std::lround(x + (static_cast<double>(y) - x) * t));
  };
  return {channel(a.r, b.r), channel(a.g, b.g), channel(a.b, b.b)};
}

double linear(std::uint8_t channel) {
  const double c = channel / 255.0;
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

}  // namespace

std::string hex(Rgb c) { return fmt::format("#{:02x}{:02x}{:02x}", c.r, c.g, c.b); }

Rgb sequential_colour(double t) {
  if (!std::isfinite(t)) return kGrey;
  t = std::clamp(t, 0.0, 1.0) * 8.0;
  const auto k = std::min<std::size_t>(static_cast<std::size_t>(t), 7);
  return mix(kViridis[k], kViridis[k + 1], t - static_cast<double>(k));
}

Rgb diverging_colour(double t) {
  if (!std::isfinite(t)) return kGrey;
  t = std::clamp(t, -1.0, 1.0);
  return t < 0 ? mix(kWhite, kBlue, -t) : mix(kWhite, kRed, t);
}

Rgb text_colour_on(Rgb background) {
  // WCAG relative luminance; white text below about 0.18 reads better than black.
  const double y = 0.2126 * linear(background.r) + 0.7152 * linear(background.g) + 0.0722 * linear(background.b);
  return y < 0.18 ? Rgb{255, 255, 255} : Rgb{0, 0, 0};
}

Rgb ColourScale::operator()(float value) const {
  if (!std::isfinite(value)) return kGrey;
  if (diverging) return diverging_colour(high > 0 ? value / high : 0.0);
  return sequential_colour(high > low ? (value - low) / (high - low) : 0.0);
}

ColourScale weight_scale(const Matrix& m) {
  ColourScale s;
  s.high = 1e-6;
  for (float v : m.data)
    if (std::isfinite(v)) s.high = std::max(s.high, static_cast<double>(v));
  return s;
}

ColourScale signed_scale(const Matrix& m) {
  ColourScale s;
  s.diverging = true;
  s.high = 0.0;
  for (float v : m.data)
    if (std::isfinite(v)) s.high = std::max(s.high, std::fabs(static_cast<double>(v)));
  s.low = -s.high;
  return s;
}

}  // namespace attn
