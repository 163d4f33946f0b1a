#include "progress_bar.hpp"

#include <cstdio>

#include <fmt/format.h>
#include <unistd.h>

#include "attn/util/echo.hpp"

namespace attn {

ProgressBar::ProgressBar(std::string label) : label_(printable(label, 40)), terminal_(::isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar() {
  if (shown_ >= 0) std::fputs("\r\033[K", stderr);
}

ReadProgress ProgressBar::callback() {
  if (!terminal_) return {};
  return [this](std::uint64_t done, std::uint64_t total) { draw(done, total); };
}

void ProgressBar::draw(std::uint64_t done, std::uint64_t total) {
  if (total <= kProgressBarBytes) return;
  const int percent = static_cast<int>(done >= total ? 100 : done * 100 / total);
  if (percent == shown_) return;
  shown_ = percent;
  constexpr int kWidth = 30;
  const int filled = percent * kWidth / 100;
  std::fputs(fmt::format("\rreading {} [{}{}] {:3}% of {} MB", label_, std::string(static_cast<std::size_t>(filled), '#'),
                         std::string(static_cast<std::size_t>(kWidth - filled), ' '), percent, total / 1'000'000)
                 .c_str(),
             stderr);
  std::fflush(stderr);
}

}  // namespace attn
