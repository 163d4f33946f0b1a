// parallel.hpp: splitting a loop over the machine's cores.
//
// parallel_for(count, body) calls body(begin, end) on disjoint ranges that
// cover [0, count) exactly once, on up to std::thread::hardware_concurrency()
// threads (the calling thread takes the first range), and returns when all are
// done. Each index is handled by exactly one call, so the result of a body that
// writes only its own indexes does not depend on the number of threads.
// ATTN_THREADS=N in the environment caps the threads (1: no threads at all).
// The threads are started once, at the first call that needs them, and wait for the
// next call between calls (no thread is started per call). A call made while another
// is running (from inside a body, or from a second thread) runs its body on the
// calling thread alone.
#pragma once

#include <cstddef>
#include <functional>

namespace attn {

// REQUIRES: body does not throw.
void parallel_for(std::size_t count, const std::function<void(std::size_t begin, std::size_t end)>& body);

// The number of threads parallel_for uses.
std::size_t thread_count();

}  // namespace attn
