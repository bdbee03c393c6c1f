/* A store opened read-only, from C: queries work, every writing call is LFPSE_EIO and the file
 * is left byte for byte as it was, also when neither the file nor its directory is writable. */
#define _XOPEN_SOURCE 700
#include <lfpse/lfpse.h>
#include <lfpse/lfpse_sys.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capi_check.h"

static int copy_file(const char *from, const char *to) {
  size_t len = 0;
  char *text = read_file(from, &len);
  FILE *f = fopen(to, "wb");
  int ok = text && f && fwrite(text, 1, len, f) == len;
  if (f && fclose(f) != 0) ok = 0;
  free(text);
  return ok;
}

static int exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

static lfpse_store *open_store(const char *path, int read_only, lfpse_status *status) {
  lfpse_store_options *opts = NULL;
  lfpse_store *store = NULL;
  lfpse_store_options_new(&opts);
  lfpse_store_options_set_now(opts, 1795694400000LL);
  CHECK(lfpse_store_options_set_read_only(opts, read_only) == LFPSE_OK);
  *status = lfpse_store_open(&store, path, opts);
  lfpse_store_options_free(opts);
  return store;
}

/* Every writing call on a read-only store: LFPSE_EIO, saying why. */
static void check_writes_refused(lfpse_store *store, const char *event, size_t len) {
  char *json = NULL;
  int64_t n = 0;
  const char *texts[1];
  texts[0] = event;
  CHECK(lfpse_store_record(store, event, len, 0, &json, NULL) == LFPSE_EIO);
  CHECK(contains(lfpse_error_last(), "the store is open read-only: nothing was written"));
  CHECK(lfpse_store_record_batch(store, texts, &len, 1, 0, &json, NULL) == LFPSE_EIO);
  CHECK(lfpse_store_update(store, event, len, 0, &json, NULL) == LFPSE_EIO);
  CHECK(lfpse_store_withdraw(store, "LRMS-2026-004217", &json, NULL) == LFPSE_EIO);
  CHECK(lfpse_store_retry(store, "LRMS-2026-004217", &n) == LFPSE_EIO);
  CHECK(lfpse_store_claim(store, 5, 60000, &json, NULL) == LFPSE_EIO);
  CHECK(lfpse_store_complete(store, "op", "lease", "{\"national_id\":\"n\",\"version\":\"1\"}") ==
        LFPSE_EIO);
  CHECK(lfpse_store_fail_transient(store, "op", "lease", 0, "x") == LFPSE_EIO);
  CHECK(lfpse_store_fail_permanent(store, "op", "lease", "x", NULL, 0) == LFPSE_EIO);
  CHECK(lfpse_store_apply_pulled(store,
                                 "{\"national_id\":\"n\",\"version\":\"1\",\"deleted\":true}",
                                 NULL) == LFPSE_EIO);
  CHECK(lfpse_store_set_cursor(store, "c") == LFPSE_EIO);
  CHECK(lfpse_store_feed_reset_begin(store) == LFPSE_EIO);
  CHECK(lfpse_store_feed_reset_finish(store, &json, NULL) == LFPSE_EIO);
}

/* The queries of a store holding the one queued event. */
static void check_queries(lfpse_store *store) {
  char *json = NULL;
  int active = -1;
  CHECK(lfpse_store_status(store, &json, NULL) == LFPSE_OK);
  CHECK(contains(json, "\"queued\":1,"));
  lfpse_free(json);
  CHECK(lfpse_store_show(store, "LRMS-2026-004217", &json, NULL) == LFPSE_OK);
  CHECK(contains(json, "\"operations\":[{"));
  lfpse_free(json);
  CHECK(lfpse_store_list(store, "queued", &json, NULL) == LFPSE_OK);
  CHECK(contains(json, "LRMS-2026-004217"));
  lfpse_free(json);
  CHECK(lfpse_store_dead_letters(store, &json, NULL) == LFPSE_OK);
  lfpse_free(json);
  CHECK(lfpse_store_integrity_check(store, &json, NULL) == LFPSE_OK);
  CHECK(contains(json, "\"ok\":true"));
  lfpse_free(json);
  CHECK(lfpse_store_feed_reset_active(store, &active) == LFPSE_OK);
  CHECK(active == 0);
}

/* Runs in a child that cannot write `dir` (root gives up its rights by becoming nobody). */
static int inspect_unwritable(const char *path, const char *event, size_t len) {
  lfpse_status status;
  lfpse_store *store;
  if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) return 100;
  store = open_store(path, 0, &status);
  CHECK(status == LFPSE_EIO && store == NULL); /* a writable open is refused, as ever */
  store = open_store(path, 1, &status);
  CHECK(status == LFPSE_OK);
  if (store) {
    check_queries(store);
    check_writes_refused(store, event, len);
  }
  lfpse_store_free(store);
  return failed;
}

static void run_unwritable(const char *dir, const char *path, const char *event, size_t len,
                           int expect_open) {
  pid_t pid;
  int status = -1;
  chmod(path, 0444);
  chmod(dir, 0555);
  pid = fork();
  if (pid == 0) {
    if (expect_open) _exit(inspect_unwritable(path, event, len));
    {
      lfpse_status st;
      lfpse_store *store;
      if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(100);
      store = open_store(path, 1, &st);
      CHECK(st == LFPSE_EIO && store == NULL);
      CHECK(contains(lfpse_error_last(), "write-ahead log"));
      lfpse_store_free(store);
      _exit(failed);
    }
  }
  CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  chmod(dir, 0755);
  chmod(path, 0644);
}

int main(void) {
  char dir[] = "/tmp/lfpse-capi-ro-XXXXXX";
  char path[128], copy_dir[160], copy[192], wal_dir[160], wal_copy[192], from[200], to[220];
  char *event, *before, *after, *json = NULL;
  size_t event_len = 0, before_len = 0, after_len = 0;
  lfpse_status status;
  lfpse_store *writer, *reader;

  event = read_file(LFPSE_SOURCE_DIR "/examples/events/v5-01-incident-medication.json", &event_len);
  CHECK(event != NULL && mkdtemp(dir) != NULL);
  chmod(dir, 0755);
  snprintf(path, sizeof path, "%s/store.db", dir);
  CHECK(lfpse_store_options_set_read_only(NULL, 1) == LFPSE_EINVALID);

  /* nothing to open: refused, and nothing created */
  reader = open_store(path, 1, &status);
  CHECK(status == LFPSE_EIO && reader == NULL);
  CHECK(!exists(path));

  writer = open_store(path, 0, &status);
  CHECK(status == LFPSE_OK);
  CHECK(lfpse_store_record(writer, event, event_len, 0, &json, NULL) == LFPSE_OK);
  lfpse_free(json);

  /* a store another connection writes: the read-only one sees its commits */
  reader = open_store(path, 1, &status);
  CHECK(status == LFPSE_OK);
  check_queries(reader);

  /* a copy of the file and its write-ahead log, made while the writer holds it open */
  snprintf(wal_dir, sizeof wal_dir, "%s/wal", dir);
  snprintf(wal_copy, sizeof wal_copy, "%s/store.db", wal_dir);
  CHECK(mkdir(wal_dir, 0755) == 0 && copy_file(path, wal_copy));
  snprintf(from, sizeof from, "%s-wal", path);
  snprintf(to, sizeof to, "%s-wal", wal_copy);
  CHECK(copy_file(from, to));
  lfpse_store_free(reader);
  lfpse_store_free(writer);

  /* closed: a read-only open changes nothing in the file, whatever is called */
  before = read_file(path, &before_len);
  reader = open_store(path, 1, &status);
  CHECK(status == LFPSE_OK);
  check_queries(reader);
  check_writes_refused(reader, event, event_len);
  lfpse_store_free(reader);
  after = read_file(path, &after_len);
  CHECK(before && after && before_len == after_len && memcmp(before, after, before_len) == 0);

  /* a chmod a-w copy in a directory nobody may write */
  snprintf(copy_dir, sizeof copy_dir, "%s/copy", dir);
  snprintf(copy, sizeof copy, "%s/store.db", copy_dir);
  CHECK(mkdir(copy_dir, 0755) == 0 && copy_file(path, copy));
  run_unwritable(copy_dir, copy, event, event_len, 1);
  free(after);
  after = read_file(copy, &after_len);
  CHECK(after && before_len == after_len && memcmp(before, after, before_len) == 0);

  /* the same with a log holding the commit: refused rather than shown without it... */
  run_unwritable(wal_dir, wal_copy, event, event_len, 0);
  /* ...and read whole where SQLite may index the log */
  reader = open_store(wal_copy, 1, &status);
  CHECK(status == LFPSE_OK);
  if (reader) check_queries(reader);
  lfpse_store_free(reader);

  free(before);
  free(after);
  free(event);
  snprintf(to, sizeof to, "rm -rf '%s'", dir);
  CHECK(system(to) == 0);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
