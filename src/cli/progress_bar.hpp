// progress_bar.hpp: a bar on stderr while a big word-vector file is read.
//
// Promises: nothing is drawn unless stderr is a terminal and the file is
// larger than kProgressBarBytes (a pipe, whose size is unknown, gets none);
// the bar is redrawn at most once per whole percent, and the destructor
// erases it, so that an error or the run's output starts on a clean line.
#pragma once

#include <cstdint>
#include <string>

#include "attn/word_vectors.hpp"

namespace attn {

inline constexpr std::uint64_t kProgressBarBytes = 100'000'000;  // 100 MB

class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // The callback to pass to the reader. REQUIRES: the bar outlives its calls.
  ReadProgress callback();

 private:
  void draw(std::uint64_t done, std::uint64_t total);

  std::string label_;
  bool terminal_;
  int shown_ = -1;  // the percent on screen; -1: nothing drawn
};

}  // namespace attn
