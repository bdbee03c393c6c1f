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
