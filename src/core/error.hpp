// The one exception type of the internals. The C ABI's guard turns it into a status and the
// thread's last error message; nothing else crosses that boundary.
#pragma once

#include <stdexcept>
#include <string>

namespace lfpse::core {

/// Mirrors lfpse_status (include/lfpse/lfpse.h); numbers are fixed there.
enum class ErrorCode : int {
  Invalid = -1,   ///< bad argument or input the caller can fix
  NotFound = -2,  ///< no such version, event, file
  Conflict = -3,  ///< the state forbids the call (version, lock, duplicate)
  Io = -4,        ///< file system, database or network failure
  NoMemory = -5,
  User = -6,      ///< a user callback asked to stop
  Internal = -7,  ///< a bug: please report it
  Unsupported = -8,
  Corrupt = -9,  ///< stored data failed an integrity or authentication check
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace lfpse::core
