// The HTTP server's thread pool: a fixed core sized for the expected connections (the
// benchmark runs 64), growing on demand up to a cap when every thread is busy.
//
// cpp-httplib gives each connection a thread for its whole life. With a strictly fixed pool,
// connections that trickle bytes (slow-loris) occupy every thread while the rest wait in
// the queue, where the connection guard's clock already runs; growing the pool lets every
// connection be read at once, so the guard drops only the slow ones. Extra threads leave
// after a short idle time.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace lfpse::server {

class ElasticPool : public httplib::TaskQueue {
 public:
  ElasticPool(std::size_t core, std::size_t max);
  ~ElasticPool() override;

  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

 private:
  void spawn_locked(bool core);
  void worker(bool core);

  std::size_t core_, max_;
  std::mutex mutex_;
  std::condition_variable work_cv_, exit_cv_;
  std::deque<std::function<void()>> jobs_;
  std::size_t threads_ = 0, idle_ = 0;
  bool shutdown_ = false;
};

}  // namespace lfpse::server
