#include "rate_limit.hpp"

#include <algorithm>
#include <cmath>

namespace lfpse::server {

bool RateLimiter::take(const std::string& key, int64_t now_ms, int* retry_after_s) {
  if (!enabled_) return true;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) it = buckets_.emplace(key, Bucket{burst_, now_ms}).first;
  Bucket& b = it->second;
  double elapsed = std::max<int64_t>(0, now_ms - b.at_ms) / 1000.0;
  b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
  b.at_ms = now_ms;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return true;
  }
  double wait = rate_ > 0 ? (1.0 - b.tokens) / rate_ : 3600.0;
  *retry_after_s = std::max(1, static_cast<int>(std::ceil(wait)));
  return false;
}

}  // namespace lfpse::server
