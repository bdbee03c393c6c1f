// Versions, statuses, the thread-local last error and the one free function.
#include <cstdlib>

#include "capi/guard.hpp"

namespace lfpse::capi {

namespace {
thread_local std::string last_error;
}

void set_last_error(std::string message) { last_error = std::move(message); }
void clear_last_error() { last_error.clear(); }

lfpse_status give(const std::string& s, char** out, size_t* out_len) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (!p) throw std::bad_alloc();
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  *out = p;
  if (out_len) *out_len = s.size();
  return LFPSE_OK;
}

}  // namespace lfpse::capi

extern "C" {

int lfpse_version_number(void) { return LFPSE_VERSION_NUMBER; }
const char* lfpse_version_string(void) { return LFPSE_VERSION_STRING; }

const char* lfpse_status_str(int status) {
  switch (status) {
    case LFPSE_OK:
      return "ok";
    case LFPSE_EINVALID:
      return "invalid argument or input";
    case LFPSE_ENOTFOUND:
      return "not found";
    case LFPSE_ECONFLICT:
      return "conflict with the current state";
    case LFPSE_EIO:
      return "input/output error";
    case LFPSE_ENOMEM:
      return "out of memory";
    case LFPSE_EUSER:
      return "stopped by a callback";
    case LFPSE_EINTERNAL:
      return "internal error";
    case LFPSE_EUNSUPPORTED:
      return "not supported";
    case LFPSE_ECORRUPT:
      return "stored data is corrupt or the key is wrong";
    case LFPSE_EEVENT:
      return "the event does not validate";
    default:
      return "unknown status";
  }
}

const char* lfpse_error_last(void) { return lfpse::capi::last_error.c_str(); }

void lfpse_free(void* ptr) { std::free(ptr); }

}  // extern "C"
