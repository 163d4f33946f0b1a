// The pictures' colours: viridis ends (matplotlib's #440154 and #fde725), the
// diverging map's white middle, and scales that span their matrix.
#include "colour_scale.hpp"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace attn {
namespace {

TEST(ColourScale, ViridisEndsAndMiddle) {
  EXPECT_EQ(hex(sequential_colour(0.0)), "#440154");
  EXPECT_EQ(hex(sequential_colour(1.0)), "#fde725");
  EXPECT_EQ(hex(sequential_colour(0.5)), "#21908d");
  EXPECT_EQ(hex(sequential_colour(7.0)), "#fde725");  // clamped
  // Nearby weights get different colours: the terminal's bands could not tell 0.18 from 0.26.
  EXPECT_NE(hex(sequential_colour(0.18)), hex(sequential_colour(0.26)));
}

TEST(ColourScale, DivergingIsWhiteAtZeroAndGreyForNonFinite) {
  EXPECT_EQ(hex(diverging_colour(0.0)), "#f7f7f7");
  EXPECT_EQ(hex(diverging_colour(-1.0)), "#2166ac");
  EXPECT_EQ(hex(diverging_colour(1.0)), "#b2182b");
  EXPECT_EQ(hex(diverging_colour(std::nan(""))), "#969696");
}

TEST(ColourScale, TextIsWhiteOnDarkCellsAndBlackOnLightOnes) {
  EXPECT_EQ(hex(text_colour_on(sequential_colour(0.0))), "#ffffff");
  EXPECT_EQ(hex(text_colour_on(sequential_colour(1.0))), "#000000");
}

TEST(ColourScale, ScalesSpanTheirMatrix) {
  Matrix w(2, 2);
  w.data = {0.004f, 0.002f, 0.001f, std::numeric_limits<float>::quiet_NaN()};
  const ColourScale s = weight_scale(w);
  EXPECT_FALSE(s.diverging);
  EXPECT_DOUBLE_EQ(s.high, static_cast<double>(0.004f));
  EXPECT_EQ(hex(s(0.004f)), "#fde725");  // the largest weight is the top of the map, not 1
  Matrix signed_m(1, 3);
  signed_m.data = {-2.0f, 0.5f, 1.0f};
  const ColourScale d = signed_scale(signed_m);
  EXPECT_TRUE(d.diverging);
  EXPECT_DOUBLE_EQ(d.low, -2.0);
  EXPECT_EQ(hex(d(-2.0f)), "#2166ac");
}

}  // namespace
}  // namespace attn
