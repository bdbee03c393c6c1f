// lfpse.h, lfpse_sys.h and lfpse.hpp compile as C++ with every warning an error, in either
// order.
#include <lfpse/lfpse.h>
#include <lfpse/lfpse_sys.h>

#include <lfpse/lfpse.hpp>

int lfpse_header_test_cpp();
int lfpse_header_test_cpp() {
  lfpse_status (*claim)(lfpse_store*, int, int64_t, char**, size_t*) = &lfpse_store_claim;
  lfpse_synchronous mode = LFPSE_SYNCHRONOUS_FULL;
  return LFPSE_VERSION_NUMBER + static_cast<int>(mode) + (claim ? 1 : 0);
}
