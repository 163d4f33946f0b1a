// colour_scale.hpp: the colours of the pictures (the HTML report, the SVG
// heatmaps), as plain functions of values.
//
// The terminal has 256 colours in fixed bands; a picture can show 0.18 and
// 0.26 apart. Two maps:
//   sequential - for weights (never negative): matplotlib's "viridis", a
//                perceptually uniform map that reads in grey too, from dark
//                purple (the low end) to yellow (the high end);
//   diverging  - for signed values (scores, queries, ...): blue for negative,
//                near-white for 0, red for positive, of equal lightness at ±t.
// A ColourScale maps one matrix's values to a colour: weights from 0 to the
// largest weight of the matrix (so a 256-token row of weights near 0.004 is not
// all one colour), signed values from −m to +m with m the largest |value|.
// A value that is not finite has a colour of its own (grey). Colour is never
// the only signal: the pictures print the numbers too.
#pragma once

#include <cstdint>
#include <string>

#include "attn/matrix.hpp"
#include "attn/util/rgb.hpp"

namespace attn {

// "#rrggbb"
std::string hex(Rgb c);

// t in [0, 1] (clamped) along viridis; not finite: grey.
Rgb sequential_colour(double t);

// t in [−1, 1] (clamped): blue, white, red; not finite: grey.
Rgb diverging_colour(double t);

// Black or white, whichever reads better on `background` (by relative luminance).
Rgb text_colour_on(Rgb background);

struct ColourScale {
  bool diverging = false;
  double low = 0.0, high = 1.0;  // the values at the two ends of the legend

  Rgb operator()(float value) const;
};

// The scale of a matrix of weights (sequential, 0 to its largest finite value,
// at least 1e-6) or of signed values (diverging, ±its largest finite |value|).
ColourScale weight_scale(const Matrix& m);
ColourScale signed_scale(const Matrix& m);

}  // namespace attn
