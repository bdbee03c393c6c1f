/* lfpse.h compiles as strict C99 with every warning an error. */
#include <lfpse/lfpse.h>

int lfpse_header_test_c(void);
int lfpse_header_test_c(void) {
  lfpse_event_options opts = LFPSE_EVENT_OPTIONS_INIT;
  return (int)opts.version + LFPSE_VERSION_NUMBER;
}
