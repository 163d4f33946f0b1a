#include "parallel.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace attn {

std::size_t thread_count() {
  static const std::size_t count = [] {
    std::size_t n = std::max(1u, std::thread::hardware_concurrency());
    if (const char* cap = std::getenv("ATTN_THREADS")) {
      char* end = nullptr;
      const unsigned long v = std::strtoul(cap, &end, 10);
      if (end != cap && *end == '\0' && v >= 1) n = std::min<std::size_t>(n, v);
    }
    return std::min<std::size_t>(n, 64);
  }();
  return count;
}

void parallel_for(std::size_t count, const std::function<void(std::size_t, std::size_t)>& body) {
  const std::size_t threads = std::min(thread_count(), count);
  if (threads <= 1) {
    if (count > 0) body(0, count);
    return;
  }
  const std::size_t chunk = (count + threads - 1) / threads;
  std::vector<std::thread> workers;
  for (std::size_t t = 1; t < threads; ++t) {
    const std::size_t begin = t * chunk, end = std::min(count, begin + chunk);
    if (begin >= end) continue;
    try {
      workers.emplace_back(body, begin, end);
    } catch (const std::system_error&) {
      body(begin, end);  // no thread to be had (a process limit): do this range here
    }
  }
  body(0, std::min(count, chunk));
  for (std::thread& w : workers) w.join();
}

}  // namespace attn
