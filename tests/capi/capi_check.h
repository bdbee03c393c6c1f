/* What every C test of the ABI shares: a CHECK that counts and names the last error, and
 * reading a whole file. Each test prints "N passed, N failed" and fails when any check did. */
#ifndef LFPSE_TESTS_CAPI_CHECK_H
#define LFPSE_TESTS_CAPI_CHECK_H

#include <lfpse/lfpse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond)                                                                            \
  do {                                                                                         \
    if (cond) {                                                                                \
      ++passed;                                                                                \
    } else {                                                                                   \
      ++failed;                                                                                \
      fprintf(stderr, "%s:%d: CHECK(%s) failed (last error: %s)\n", __FILE__, __LINE__, #cond, \
              lfpse_error_last());                                                             \
    }                                                                                          \
  } while (0)

/* The file's bytes, NUL-terminated, or NULL (and *len 0) when it cannot be read. */
static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *text = NULL;
  long size;
  *len = 0;
  if (!f) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
      (text = malloc((size_t)size + 1)) != NULL) {
    *len = fread(text, 1, (size_t)size, f);
    text[*len] = '\0';
  }
  fclose(f);
  return text;
}

static int contains(const char *haystack, const char *needle) {
  return haystack && needle && strstr(haystack, needle) != NULL;
}

#endif
