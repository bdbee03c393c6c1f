#include "task_pool.hpp"

#include <chrono>
#include <thread>

namespace lfpse::server {

ElasticPool::ElasticPool(std::size_t core, std::size_t max) : core_(core), max_(max) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (std::size_t i = 0; i < core_; ++i) spawn_locked(true);
}

ElasticPool::~ElasticPool() { shutdown(); }

void ElasticPool::spawn_locked(bool core) {
  ++threads_;
  std::thread([this, core] { worker(core); }).detach();
}

void ElasticPool::enqueue(std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(mutex_);
  jobs_.push_back(std::move(fn));
  if (idle_ < jobs_.size() && threads_ < max_) spawn_locked(false);
  work_cv_.notify_one();
}

void ElasticPool::shutdown() {
  std::unique_lock<std::mutex> lock(mutex_);
  shutdown_ = true;
  work_cv_.notify_all();
  // Queued connections are still served: workers leave only once the queue is empty.
  exit_cv_.wait(lock, [&] { return threads_ == 0; });
}

void ElasticPool::worker(bool core) {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    ++idle_;
    bool got = true;
    if (core) {
      work_cv_.wait(lock, [&] { return shutdown_ || !jobs_.empty(); });
    } else {
      got = work_cv_.wait_for(lock, std::chrono::seconds(10),
                              [&] { return shutdown_ || !jobs_.empty(); });
    }
    --idle_;
    if (jobs_.empty() && (shutdown_ || !got)) break;
    if (jobs_.empty()) continue;
    auto fn = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    fn();
    lock.lock();
  }
  --threads_;
  exit_cv_.notify_all();
}

}  // namespace lfpse::server
