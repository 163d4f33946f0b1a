#include "parallel.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <pthread.h>
#include <signal.h>

namespace attn {

namespace {

using Body = std::function<void(std::size_t, std::size_t)>;

// thread_count() − 1 threads that wait for a job; worker t (from 1) takes range t of it,
// the calling thread range 0.
class Pool {
 public:
  Pool() {
    // The workers start with the stop signals blocked (a thread inherits the mask of the one
    // that makes it): a Ctrl-C is for a thread that knows what to clean up (atomic_file.hpp's
    // temporary files, the server's stop), never for a worker.
    sigset_t stops, before;
    sigemptyset(&stops);
    for (const int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&stops, s);
    pthread_sigmask(SIG_BLOCK, &stops, &before);
    for (std::size_t t = 1; t < thread_count(); ++t) {
      try {
        workers_.emplace_back([this, t] { work(t); });
      } catch (const std::system_error&) {
        break;  // no more threads to be had (a process limit): the ones started do it
      }
    }
    pthread_sigmask(SIG_SETMASK, &before, nullptr);
  }

  std::size_t threads() const { return workers_.size() + 1; }

  // Runs body over [0, count) in `threads` ranges of `chunk`; false when busy (run it here).
  bool run(std::size_t count, std::size_t chunk, const Body& body) {
    if (busy_.exchange(true)) return false;
    {
      std::lock_guard lock(mutex_);
      body_ = &body;
      count_ = count;
      chunk_ = chunk;
      pending_ = workers_.size();
      ++generation_;
    }
    wake_.notify_all();
    body(0, std::min(count, chunk));
    std::unique_lock lock(mutex_);
    done_.wait(lock, [this] { return pending_ == 0; });
    body_ = nullptr;
    busy_.store(false);
    return true;
  }

 private:
  void work(std::size_t t) {
    std::size_t seen = 0;
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return generation_ != seen; });
      seen = generation_;
      const Body* body = body_;
      const std::size_t begin = std::min(count_, t * chunk_), end = std::min(count_, begin + chunk_);
      lock.unlock();
      if (begin < end) (*body)(begin, end);
      lock.lock();
      if (--pending_ == 0) done_.notify_one();
    }
  }

  std::vector<std::thread> workers_;
  std::atomic<bool> busy_{false};
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const Body* body_ = nullptr;
  std::size_t count_ = 0, chunk_ = 0, pending_ = 0, generation_ = 0;
};

// Started at first use and never stopped: its threads wait until the process ends.
Pool& pool() {
  static Pool* const p = new Pool;
  return *p;
}

}  // namespace

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

void parallel_for(std::size_t count, const Body& body) {
  const std::size_t threads = std::min(thread_count(), count);
  if (threads <= 1) {
    if (count > 0) body(0, count);
    return;
  }
  Pool& workers = pool();
  const std::size_t used = std::min(threads, workers.threads());
  const std::size_t chunk = (count + used - 1) / used;
  if (used <= 1 || !workers.run(count, chunk, body)) body(0, count);
}

}  // namespace attn
