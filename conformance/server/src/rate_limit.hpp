// A token bucket per organisation (API.md: the demo allows 50 requests a second, bursts of 100).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace lfpse::server {

class RateLimiter {
 public:
  RateLimiter(bool enabled, double per_second, double burst)
      : enabled_(enabled), rate_(per_second), burst_(burst) {}

  /// Takes one token for `key`. When none is left returns false and the whole seconds after
  /// which one will be (Retry-After, at least 1).
  bool take(const std::string& key, int64_t now_ms, int* retry_after_s);

 private:
  struct Bucket {
    double tokens;
    int64_t at_ms;
  };
  bool enabled_;
  double rate_, burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace lfpse::server
