/* lfpse.h and lfpse_sys.h compile as strict C99 with every warning an error. */
#include <lfpse/lfpse.h>
#include <lfpse/lfpse_sys.h>

int lfpse_header_test_c(void);
static int LFPSE_CALLBACK line_cb(const char *line, size_t len, void *userdata) {
  (void)line;
  (void)userdata;
  return (int)len;
}
int lfpse_header_test_c(void) {
  lfpse_event_options opts = LFPSE_EVENT_OPTIONS_INIT;
  lfpse_line_cb cb = line_cb;
  lfpse_synchronous mode = LFPSE_SYNCHRONOUS_NORMAL;
  return (int)opts.version + LFPSE_VERSION_NUMBER + (cb != 0) + (int)mode;
}
