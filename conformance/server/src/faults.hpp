// Fault rules (API.md, the server's extras): make the next matching requests fail on purpose.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lfpse::server {

struct FaultRule {
  std::string method;       ///< empty or "*": any
  std::string path_prefix;  ///< empty: any
  std::string action;       ///< status, delay_ms, reset_before, reset_after
  int64_t times = 1;
  int status = 503;
  std::optional<int64_t> retry_after;
  int64_t delay_ms = 0;
};

class Faults {
 public:
  /// Parses `{"rules":[...]}`; false with `why` when the body is not that.
  static bool parse(std::string_view body, std::vector<FaultRule>* out, std::string* why);

  void add(std::vector<FaultRule> rules);
  void clear();
  /// The first rule matching the request that still has times left (used up by this call).
  std::optional<FaultRule> take(const std::string& method, const std::string& path);

 private:
  std::mutex mutex_;
  std::vector<FaultRule> rules_;
};

}  // namespace lfpse::server
