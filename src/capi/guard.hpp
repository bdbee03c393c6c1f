// The one boundary guard of the C ABI: every extern "C" body runs inside guarded(), which
// turns exceptions into statuses and sets the thread's last error (fmt's fmt-c.cc pattern).
#pragma once

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "lfpse/lfpse.h"

namespace lfpse::capi {

// The guard casts an internal error code to its status: the numbers must stay the same.
#define LFPSE_SAME_CODE(code, status)                                \
  static_assert(static_cast<int>(core::ErrorCode::code) == (status), \
                "core::ErrorCode::" #code " must equal " #status)
LFPSE_SAME_CODE(Invalid, LFPSE_EINVALID);
LFPSE_SAME_CODE(NotFound, LFPSE_ENOTFOUND);
LFPSE_SAME_CODE(Conflict, LFPSE_ECONFLICT);
LFPSE_SAME_CODE(Io, LFPSE_EIO);
LFPSE_SAME_CODE(NoMemory, LFPSE_ENOMEM);
LFPSE_SAME_CODE(User, LFPSE_EUSER);
LFPSE_SAME_CODE(Internal, LFPSE_EINTERNAL);
LFPSE_SAME_CODE(Unsupported, LFPSE_EUNSUPPORTED);
LFPSE_SAME_CODE(Corrupt, LFPSE_ECORRUPT);
#undef LFPSE_SAME_CODE

void set_last_error(std::string message);
void clear_last_error();

inline lfpse_status fail(lfpse_status status, std::string message) {
  set_last_error(std::move(message));
  return status;
}

template <typename F>
lfpse_status guarded(F&& body) noexcept {
  try {
    clear_last_error();
    return body();
  } catch (const core::Error& e) {
    return fail(static_cast<lfpse_status>(static_cast<int>(e.code())), e.what());
  } catch (const std::bad_alloc&) {
    return fail(LFPSE_ENOMEM, "out of memory");
  } catch (const std::exception& e) {
    return fail(LFPSE_EINTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    return fail(LFPSE_EINTERNAL, "internal error: unknown exception");
  }
}

/// Requires the output `out` and empties it (and `out_len` when given) before anything can
/// fail, so that a failed call leaves NULL and 0 behind, as the header promises.
inline void clear_out(char** out, size_t* out_len, const char* what) {
  if (out_len) *out_len = 0;
  if (!out) throw core::Error(core::ErrorCode::Invalid, std::string(what) + " is NULL");
  *out = nullptr;
}

/// Hands a string to the caller through (out, out_len), allocated with malloc (lfpse_free).
lfpse_status give(const std::string& s, char** out, size_t* out_len);

/// The bytes of an input argument: NULL with a non-zero length is refused.
inline std::string_view bytes(const char* p, size_t len) {
  if (!p && len) throw core::Error(core::ErrorCode::Invalid, "NULL input with a non-zero length");
  return p ? std::string_view(p, len) : std::string_view();
}

/// Throws core::Error(Invalid) naming `what` when `p` is NULL.
template <typename T>
T* need(T* p, const char* what) {
  if (!p) throw core::Error(core::ErrorCode::Invalid, std::string(what) + " is NULL");
  return p;
}

}  // namespace lfpse::capi
