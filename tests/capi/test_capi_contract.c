/*
 * The header's contract, from C: each status a function's @return documents is provoked
 * (all but ENOMEM, EINTERNAL and a lock held past the busy timeout), and every failure leaves
 * NULL / 0 in the out-parameters.
 */
#include <lfpse/lfpse.h>
#include <lfpse/lfpse_sys.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "capi_check.h"

/* Out-parameters start as garbage, so that a failure must write NULL / 0 over them. */
static char garbage_byte;
#define GARBAGE (&garbage_byte)
#define RESET_OUT(p, n) ((p) = GARBAGE, (n) = 77)
#define OUT_EMPTY(p, n) ((p) == NULL && (n) == 0)

static void json_field(const char *json, const char *key, char *out, size_t size) {
  char pattern[64];
  const char *at;
  size_t n = 0;
  snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
  out[0] = '\0';
  if (!json || !(at = strstr(json, pattern))) return;
  at += strlen(pattern);
  while (at[n] && at[n] != '"' && n + 1 < size) ++n;
  memcpy(out, at, n);
  out[n] = '\0';
}

/* The example event under local_id LRMS-2026-<n, six digits>. */
static void set_id(char *event, unsigned n) {
  char *at = strstr(event, "\"LRMS-2026-");
  char digits[8];
  if (!at) return;
  snprintf(digits, sizeof digits, "%06u", n % 1000000u);
  memcpy(at + 11, digits, 6);
}

static int LFPSE_CALLBACK stop_at_once(const char *line, size_t len, void *userdata) {
  (void)line;
  (void)len;
  (void)userdata;
  return 1;
}

static char dir[128];

static void path_in_dir(char *out, size_t size, const char *name) {
  snprintf(out, size, "%s/%s", dir, name);
}

static void test_taxonomies_and_events(void) {
  lfpse_taxonomy_set *set = NULL, *bad = NULL;
  lfpse_event_options opts;
  char *out = NULL, *national = NULL, *version = NULL;
  size_t n = 0, national_n = 0, v5_len = 0, v6_len = 0;
  int64_t ms = 5;
  char *v5 = read_file(LFPSE_SOURCE_DIR "/examples/events/v5-01-incident-medication.json", &v5_len);
  char *v6 =
      read_file(LFPSE_SOURCE_DIR "/examples/events/v6-01-incident-medication-dmd.json", &v6_len);
  char *invalid = read_file(LFPSE_SOURCE_DIR "/examples/events/invalid-01-required.json", &v5_len);
  char path[256];
  v5_len = strlen(v5);

  bad = (lfpse_taxonomy_set *)GARBAGE;
  CHECK(lfpse_taxonomy_set_new(&bad, 0x80u) == LFPSE_EINVALID && bad == NULL);
  CHECK(lfpse_taxonomy_set_new(NULL, 0) == LFPSE_EINVALID);
  CHECK(lfpse_taxonomy_set_new(&set, LFPSE_TAXONOMY_SET_DEFAULT) == LFPSE_OK);

  version = GARBAGE;
  CHECK(lfpse_taxonomy_set_load_json(set, "{\"taxonomy\":1}", 14, &version) == LFPSE_EINVALID);
  CHECK(version == NULL);
  CHECK(lfpse_taxonomy_set_load_json(NULL, "{}", 2, NULL) == LFPSE_EINVALID);
  path_in_dir(path, sizeof path, "no-such-taxonomy.json");
  version = GARBAGE;
  CHECK(lfpse_taxonomy_set_load_file(set, path, &version) == LFPSE_ENOTFOUND && !version);
  /* a file that opens but cannot be read (reading offset 0 of /proc/self/mem fails with EIO) */
  version = GARBAGE;
  CHECK(lfpse_taxonomy_set_load_file(set, "/proc/self/mem", &version) == LFPSE_EIO && !version);
  version = GARBAGE;
  CHECK(lfpse_taxonomy_set_load_file(set, dir, &version) == LFPSE_EIO && !version);
  CHECK(lfpse_taxonomy_set_load_file(set, NULL, NULL) == LFPSE_EINVALID);

  RESET_OUT(out, n);
  CHECK(lfpse_taxonomy_set_versions(NULL, &out, &n) == LFPSE_EINVALID && OUT_EMPTY(out, n));
  RESET_OUT(out, n);
  CHECK(lfpse_taxonomy_set_document(set, "42", &out, &n) == LFPSE_ENOTFOUND);
  CHECK(OUT_EMPTY(out, n));
  CHECK(lfpse_taxonomy_set_document(set, NULL, &out, &n) == LFPSE_EINVALID);
  RESET_OUT(out, n);
  CHECK(lfpse_taxonomy_set_schema(set, "42", &out, &n) == LFPSE_ENOTFOUND && OUT_EMPTY(out, n));
  CHECK(lfpse_taxonomy_set_schema(NULL, "5", &out, &n) == LFPSE_EINVALID);

  CHECK(lfpse_event_options_init(&opts, 99) == LFPSE_EINVALID);
  CHECK(lfpse_event_options_init(NULL, LFPSE_EVENT_OPTIONS_VERSION) == LFPSE_EINVALID);
  CHECK(lfpse_time_parse("yesterday", &ms) == LFPSE_EINVALID && ms == 0);
  CHECK(lfpse_time_parse(NULL, &ms) == LFPSE_EINVALID);

  opts.version = 99;
  opts.now_unix_ms = LFPSE_NOW_SYSTEM;
  RESET_OUT(out, n);
  CHECK(lfpse_event_validate(set, v5, v5_len, &opts, &out, &n) == LFPSE_EINVALID);
  CHECK(OUT_EMPTY(out, n));
  CHECK(lfpse_event_validate(set, v5, v5_len, NULL, NULL, NULL) == LFPSE_EINVALID);

  /* EEVENT: the output carries the verdict */
  CHECK(lfpse_event_shown(set, "[]", 2, &out, &n) == LFPSE_EEVENT);
  CHECK(contains(out, "\"valid\":false") && n == strlen(out));
  lfpse_free(out);
  RESET_OUT(out, n);
  CHECK(lfpse_event_shown(NULL, "[]", 2, &out, &n) == LFPSE_EINVALID && OUT_EMPTY(out, n));
  CHECK(lfpse_event_to_fhir(set, invalid, strlen(invalid), NULL, &out, &n) == LFPSE_EEVENT);
  CHECK(contains(out, "\"code\":\"required\""));
  lfpse_free(out);
  RESET_OUT(out, n);
  CHECK(lfpse_event_to_fhir(set, v5, v5_len, &opts, &out, &n) == LFPSE_EINVALID);
  CHECK(OUT_EMPTY(out, n));

  RESET_OUT(out, n);
  RESET_OUT(national, national_n);
  CHECK(lfpse_event_from_fhir(set, "{}", 2, &out, &n, &national, &national_n) == LFPSE_EINVALID);
  CHECK(OUT_EMPTY(out, n) && OUT_EMPTY(national, national_n));
  CHECK(lfpse_event_from_fhir(set, NULL, 0, &out, &n, NULL, NULL) == LFPSE_EINVALID);

  RESET_OUT(out, n);
  CHECK(lfpse_event_migrate(set, v5, v5_len, "42", NULL, &out, &n) == LFPSE_ENOTFOUND);
  CHECK(OUT_EMPTY(out, n));
  RESET_OUT(out, n);
  CHECK(lfpse_event_migrate(set, v6, v6_len, "5", NULL, &out, &n) == LFPSE_EINVALID);
  CHECK(OUT_EMPTY(out, n));
  CHECK(lfpse_event_migrate(set, "nope", 4, "6", NULL, &out, &n) == LFPSE_EEVENT);
  CHECK(contains(out, "\"event\":null"));
  lfpse_free(out);

  lfpse_taxonomy_set_free(set);
  free(v5);
  free(v6);
  free(invalid);
}

static void test_options_and_open(void) {
  lfpse_store_options *opts = NULL, *keyed = NULL, *other_key = NULL;
  lfpse_store *store = NULL;
  unsigned char key[32] = {1}, key2[32] = {2};
  char path[256], plain[256], sealed[256];
  FILE *f;

  opts = (lfpse_store_options *)GARBAGE;
  CHECK(lfpse_store_options_new(NULL) == LFPSE_EINVALID);
  CHECK(lfpse_store_options_new(&opts) == LFPSE_OK && opts != NULL);
  CHECK(lfpse_store_options_set_synchronous(opts, (lfpse_synchronous)7) == LFPSE_EINVALID);
  CHECK(lfpse_store_options_set_synchronous(NULL, LFPSE_SYNCHRONOUS_FULL) == LFPSE_EINVALID);
  CHECK(lfpse_store_options_set_busy_timeout(opts, -1) == LFPSE_EINVALID);
  CHECK(lfpse_store_options_set_key(opts, NULL, 32) == LFPSE_EINVALID);
  CHECK(lfpse_store_options_set_key(opts, key, 31) == LFPSE_EINVALID);
  CHECK(lfpse_store_options_set_coalesce_updates(NULL, 1) == LFPSE_EINVALID);
  CHECK(lfpse_store_options_set_taxonomies(opts, NULL) == LFPSE_EINVALID);
  CHECK(lfpse_store_options_set_now(NULL, 0) == LFPSE_EINVALID);
  CHECK(lfpse_store_options_set_max_pages(opts, -1) == LFPSE_EINVALID);

  /* paths that are not file names */
  store = (lfpse_store *)GARBAGE;
  CHECK(lfpse_store_open(&store, "", opts) == LFPSE_EINVALID && store == NULL);
  CHECK(lfpse_store_open(&store, ":memory:", opts) == LFPSE_EINVALID && store == NULL);
  CHECK(lfpse_store_open(&store, "file:lrms.db?mode=memory", opts) == LFPSE_EINVALID);
  CHECK(lfpse_store_open(&store, NULL, opts) == LFPSE_EINVALID);
  CHECK(lfpse_store_open(NULL, "x.db", opts) == LFPSE_EINVALID);

  /* a missing folder: EIO with the OS's reason */
  path_in_dir(path, sizeof path, "missing/lrms.db");
  store = (lfpse_store *)GARBAGE;
  CHECK(lfpse_store_open(&store, path, opts) == LFPSE_EIO && store == NULL);
  CHECK(contains(lfpse_error_last(), "No such file or directory"));

  /* a file that is not a database */
  path_in_dir(path, sizeof path, "not-a-db.db");
  f = fopen(path, "wb");
  if (f) {
    fputs("this is not an SQLite database, it is only text, long enough to be a header....", f);
    fputs("....................................................................", f);
    fclose(f);
  }
  CHECK(lfpse_store_open(&store, path, opts) == LFPSE_ECORRUPT && store == NULL);

  /* keys that do not fit: all LFPSE_EINVALID */
  path_in_dir(plain, sizeof plain, "plain.db");
  path_in_dir(sealed, sizeof sealed, "sealed.db");
  CHECK(lfpse_store_options_new(&keyed) == LFPSE_OK);
  CHECK(lfpse_store_options_set_key(keyed, key, 32) == LFPSE_OK);
  CHECK(lfpse_store_options_new(&other_key) == LFPSE_OK);
  CHECK(lfpse_store_options_set_key(other_key, key2, 32) == LFPSE_OK);
  CHECK(lfpse_store_open(&store, plain, NULL) == LFPSE_OK);
  lfpse_store_free(store);
  CHECK(lfpse_store_open(&store, sealed, keyed) == LFPSE_OK);
  lfpse_store_free(store);
  CHECK(lfpse_store_open(&store, plain, keyed) == LFPSE_EINVALID && store == NULL);
  CHECK(lfpse_store_open(&store, sealed, NULL) == LFPSE_EINVALID && store == NULL);
  CHECK(lfpse_store_open(&store, sealed, other_key) == LFPSE_EINVALID && store == NULL);

  /* another application's database: PRAGMA application_id (offset 68 of the header) */
  path_in_dir(path, sizeof path, "foreign.db");
  CHECK(lfpse_store_open(&store, path, NULL) == LFPSE_OK);
  lfpse_store_free(store);
  f = fopen(path, "r+b");
  if (f) {
    static const unsigned char foreign[4] = {0x12, 0x34, 0x56, 0x78};
    CHECK(fseek(f, 68, SEEK_SET) == 0 && fwrite(foreign, 1, 4, f) == 4);
    fclose(f);
  }
  store = (lfpse_store *)GARBAGE;
  CHECK(lfpse_store_open(&store, path, NULL) == LFPSE_EINVALID && store == NULL);
  CHECK(contains(lfpse_error_last(), "not an lfpse store"));

  /* written by a newer library: PRAGMA user_version (offset 60 of the header) raised */
  f = fopen(plain, "r+b");
  if (f) {
    static const unsigned char newer[4] = {0, 0, 0x7f, 0};
    CHECK(fseek(f, 60, SEEK_SET) == 0 && fwrite(newer, 1, 4, f) == 4);
    fclose(f);
  }
  CHECK(lfpse_store_open(&store, plain, NULL) == LFPSE_EUNSUPPORTED && store == NULL);

  lfpse_store_options_free(opts);
  lfpse_store_options_free(keyed);
  lfpse_store_options_free(other_key);
}

static void test_store_writes(lfpse_store *store, char *event, size_t len) {
  char *out = NULL, *invalid;
  size_t n = 0, invalid_len = 0;
  int64_t requeued = 5;
  const char *texts[1];
  size_t lens[1];

  invalid = read_file(LFPSE_SOURCE_DIR "/examples/events/invalid-01-required.json", &invalid_len);
  CHECK(lfpse_store_record(store, invalid, invalid_len, 0, &out, &n) == LFPSE_EEVENT);
  CHECK(contains(out, "\"stored\":false"));
  lfpse_free(out);
  free(invalid);

  set_id(event, 1);
  RESET_OUT(out, n);
  CHECK(lfpse_store_record(store, event, len, 0x2u, &out, &n) == LFPSE_EINVALID);
  CHECK(OUT_EMPTY(out, n) && contains(lfpse_error_last(), "unknown flag"));
  CHECK(lfpse_store_record(store, event, len, 0, &out, &n) == LFPSE_OK);
  lfpse_free(out);
  RESET_OUT(out, n);
  CHECK(lfpse_store_record(store, event, len, 0, &out, &n) == LFPSE_ECONFLICT);
  CHECK(OUT_EMPTY(out, n));
  CHECK(lfpse_store_record(store, NULL, 3, 0, &out, &n) == LFPSE_EINVALID);

  texts[0] = event;
  lens[0] = len;
  RESET_OUT(out, n);
  CHECK(lfpse_store_record_batch(store, texts, lens, 1, 0x100u, &out, &n) == LFPSE_EINVALID);
  CHECK(OUT_EMPTY(out, n));
  CHECK(lfpse_store_record_batch(store, NULL, lens, 1, 0, &out, &n) == LFPSE_EINVALID);

  RESET_OUT(out, n);
  CHECK(lfpse_store_update(store, event, len, 0x8000u, &out, &n) == LFPSE_EINVALID);
  CHECK(OUT_EMPTY(out, n));
  set_id(event, 2);
  RESET_OUT(out, n);
  CHECK(lfpse_store_update(store, event, len, 0, &out, &n) == LFPSE_ENOTFOUND);
  CHECK(OUT_EMPTY(out, n));
  CHECK(lfpse_store_update(store, "{}", 2, 0, &out, &n) == LFPSE_EEVENT);
  CHECK(contains(out, "\"stored\":false"));
  lfpse_free(out);

  /* withdraw: never attempted, so withdrawn locally; then a second time */
  CHECK(lfpse_store_withdraw(store, "LRMS-2026-000001", &out, &n) == LFPSE_OK);
  CHECK(contains(out, "\"operation\":null") && contains(out, "\"state\":\"withdrawn\""));
  lfpse_free(out);
  RESET_OUT(out, n);
  CHECK(lfpse_store_withdraw(store, "LRMS-2026-000001", &out, &n) == LFPSE_ECONFLICT);
  CHECK(OUT_EMPTY(out, n));
  RESET_OUT(out, n);
  CHECK(lfpse_store_withdraw(store, "nobody", &out, &n) == LFPSE_ENOTFOUND && OUT_EMPTY(out, n));
  CHECK(lfpse_store_withdraw(store, NULL, &out, &n) == LFPSE_EINVALID);
  set_id(event, 1);
  RESET_OUT(out, n);
  CHECK(lfpse_store_update(store, event, len, 0, &out, &n) == LFPSE_ECONFLICT);
  CHECK(OUT_EMPTY(out, n));

  CHECK(lfpse_store_retry(store, "nobody", &requeued) == LFPSE_ENOTFOUND && requeued == 0);
  CHECK(lfpse_store_retry(store, NULL, &requeued) == LFPSE_EINVALID);
}

static void test_store_queries(lfpse_store *store) {
  char *out = NULL;
  size_t n = 0;
  RESET_OUT(out, n);
  CHECK(lfpse_store_status(NULL, &out, &n) == LFPSE_EINVALID && OUT_EMPTY(out, n));
  CHECK(lfpse_store_status(store, NULL, &n) == LFPSE_EINVALID);
  CHECK(lfpse_store_status(store, &out, &n) == LFPSE_OK);
  CHECK(contains(out, "\"withdrawn\":1,\"withdrawal_pending\":0"));
  lfpse_free(out);
  RESET_OUT(out, n);
  CHECK(lfpse_store_show(store, "nobody", &out, &n) == LFPSE_ENOTFOUND && OUT_EMPTY(out, n));
  CHECK(lfpse_store_show(store, NULL, &out, &n) == LFPSE_EINVALID);
  RESET_OUT(out, n);
  CHECK(lfpse_store_list(store, "flying", &out, &n) == LFPSE_EINVALID && OUT_EMPTY(out, n));
  RESET_OUT(out, n);
  CHECK(lfpse_store_dead_letters(NULL, &out, &n) == LFPSE_EINVALID && OUT_EMPTY(out, n));
  RESET_OUT(out, n);
  CHECK(lfpse_store_changed_since(NULL, 0, &out, &n) == LFPSE_EINVALID && OUT_EMPTY(out, n));
  RESET_OUT(out, n);
  CHECK(lfpse_store_integrity_check(NULL, &out, &n) == LFPSE_EINVALID && OUT_EMPTY(out, n));
  CHECK(lfpse_store_export(store, stop_at_once, NULL) == LFPSE_EUSER);
  CHECK(lfpse_store_export(store, NULL, NULL) == LFPSE_EINVALID);
}

static void test_store_sys(lfpse_store *store, char *event, size_t len) {
  char *out = NULL, op_id[64], lease[64];
  size_t n = 0;
  int active = 7;
  const char *result = GARBAGE;

  set_id(event, 3);
  CHECK(lfpse_store_record(store, event, len, 0, &out, &n) == LFPSE_OK);
  lfpse_free(out);
  RESET_OUT(out, n);
  CHECK(lfpse_store_claim(store, 0, 1000, &out, &n) == LFPSE_EINVALID && OUT_EMPTY(out, n));
  RESET_OUT(out, n);
  CHECK(lfpse_store_claim(store, 1, -5, &out, &n) == LFPSE_EINVALID && OUT_EMPTY(out, n));
  CHECK(lfpse_store_claim(store, 10, 60000, &out, &n) == LFPSE_OK);
  CHECK(contains(out, "\"local_id\":\"LRMS-2026-000003\",\"organisation\":\"RJ1\""));
  json_field(out, "op_id", op_id, sizeof op_id);
  json_field(out, "lease_token", lease, sizeof lease);
  lfpse_free(out);

  CHECK(lfpse_store_fail_transient(store, "no-such-op", lease, 0, NULL) == LFPSE_ENOTFOUND);
  CHECK(lfpse_store_fail_transient(store, op_id, "not-the-lease", 0, NULL) == LFPSE_ECONFLICT);
  CHECK(lfpse_store_fail_transient(store, NULL, lease, 0, NULL) == LFPSE_EINVALID);
  CHECK(lfpse_store_fail_permanent(store, "no-such-op", lease, "", NULL, 0) == LFPSE_ENOTFOUND);
  CHECK(lfpse_store_fail_permanent(store, op_id, "not-the-lease", "", NULL, 1) == LFPSE_ECONFLICT);
  CHECK(lfpse_store_fail_permanent(store, op_id, NULL, "", NULL, 0) == LFPSE_EINVALID);
  CHECK(lfpse_store_complete(store, "no-such-op", lease,
                             "{\"national_id\":\"n\",\"version\":\"1\"}") == LFPSE_ENOTFOUND);
  CHECK(lfpse_store_complete(store, op_id, lease, "{\"version\":\"1\"}") == LFPSE_EINVALID);
  CHECK(lfpse_store_complete(store, op_id, lease, NULL) == LFPSE_EINVALID);
  /* the service's answer counts even from a holder whose lease is not the current one */
  CHECK(lfpse_store_complete(store, op_id, "any-lease",
                             "{\"national_id\":\"N-3\",\"version\":\"1\"}") == LFPSE_OK);

  CHECK(lfpse_store_apply_pulled(store, "{\"national_id\":\"x\",\"version\":\"1\"}", &result) ==
        LFPSE_EINVALID);
  CHECK(result == NULL);
  result = GARBAGE;
  CHECK(lfpse_store_apply_pulled(store,
                                 "{\"national_id\":\"x\",\"version\":\"1\",\"resource\":\"{}\"}",
                                 &result) == LFPSE_EINVALID);
  CHECK(result == NULL);
  CHECK(lfpse_store_apply_pulled(NULL, "{}", NULL) == LFPSE_EINVALID);

  RESET_OUT(out, n);
  CHECK(lfpse_store_cursor(store, &out, &n) == LFPSE_ENOTFOUND && OUT_EMPTY(out, n));
  CHECK(lfpse_store_cursor(store, NULL, &n) == LFPSE_EINVALID);
  CHECK(lfpse_store_set_cursor(store, NULL) == LFPSE_EINVALID);
  CHECK(lfpse_store_feed_reset_begin(NULL) == LFPSE_EINVALID);
  CHECK(lfpse_store_feed_reset_active(NULL, &active) == LFPSE_EINVALID && active == 0);
  CHECK(lfpse_store_feed_reset_active(store, NULL) == LFPSE_EINVALID);
  RESET_OUT(out, n);
  CHECK(lfpse_store_feed_reset_finish(store, &out, &n) == LFPSE_ECONFLICT && OUT_EMPTY(out, n));
}

/* A size limit reached: record and record_batch fail with EIO and store nothing. */
static void test_store_full(char *event, size_t len) {
  lfpse_store_options *opts = NULL;
  lfpse_store *store = NULL;
  char *out = NULL, path[256];
  size_t n = 0;
  unsigned i;
  lfpse_status st = LFPSE_OK;
  const char *texts[1];
  size_t lens[1];

  path_in_dir(path, sizeof path, "full.db");
  CHECK(lfpse_store_options_new(&opts) == LFPSE_OK);
  CHECK(lfpse_store_options_set_max_pages(opts, 40) == LFPSE_OK);
  CHECK(lfpse_store_open(&store, path, opts) == LFPSE_OK);
  for (i = 100; i < 600 && st == LFPSE_OK; ++i) {
    set_id(event, i);
    RESET_OUT(out, n);
    st = lfpse_store_record(store, event, len, 0, &out, &n);
    if (st == LFPSE_OK) lfpse_free(out);
  }
  CHECK(st == LFPSE_EIO && OUT_EMPTY(out, n));
  CHECK(contains(lfpse_error_last(), "disk full"));
  texts[0] = event;
  lens[0] = len;
  RESET_OUT(out, n);
  CHECK(lfpse_store_record_batch(store, texts, lens, 1, 0, &out, &n) == LFPSE_EIO);
  CHECK(OUT_EMPTY(out, n));
  lfpse_store_free(store);
  lfpse_store_options_free(opts);
}

int main(void) {
  lfpse_store *store = NULL;
  char path[256], *event;
  size_t len = 0;
  snprintf(dir, sizeof dir, "/tmp/lfpse-capi-contract-%ld-%ld", (long)getpid(), (long)time(NULL));
  if (mkdir(dir, 0700) != 0) {
    perror(dir);
    return 1;
  }
  event = read_file(LFPSE_SOURCE_DIR "/examples/events/v5-01-incident-medication.json", &len);
  if (!event) return 1;

  test_taxonomies_and_events();
  test_options_and_open();
  path_in_dir(path, sizeof path, "lrms.db");
  CHECK(lfpse_store_open(&store, path, NULL) == LFPSE_OK);
  test_store_writes(store, event, len);
  test_store_queries(store);
  test_store_sys(store, event, len);
  lfpse_store_free(store);
  test_store_full(event, len);

  free(event);
  printf("%d passed, %d failed\n", passed, failed);
  if (failed == 0) {
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
  }
  return failed ? 1 : 0;
}
