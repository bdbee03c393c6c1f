// lfpse.h and lfpse.hpp compile as C++ with every warning an error.
#include <lfpse/lfpse.h>

#include <lfpse/lfpse.hpp>

int lfpse_header_test_cpp();
int lfpse_header_test_cpp() { return LFPSE_VERSION_NUMBER; }
