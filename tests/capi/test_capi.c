/* Every entry point of lfpse.h, from C: results, ownership, NULL and hostile arguments. */
#include <lfpse/lfpse.h>
#include <lfpse/lfpse_sys.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capi_check.h"

static void test_versions_and_errors(void) {
  CHECK(lfpse_version_number() == LFPSE_VERSION_NUMBER);
  CHECK(strcmp(lfpse_version_string(), LFPSE_VERSION_STRING) == 0);
  CHECK(strcmp(lfpse_status_str(LFPSE_OK), "ok") == 0);
  CHECK(lfpse_status_str(-12345) != NULL);
  CHECK(lfpse_status_str(LFPSE_EEVENT) != NULL);
  CHECK(lfpse_error_last() != NULL);
  lfpse_free(NULL);
}

static void test_taxonomy_set(void) {
  lfpse_taxonomy_set *set = NULL, *empty = NULL;
  char *json = NULL, *version = NULL;
  size_t len = 0;
  static const char bad[] = "{\"taxonomy\":\"t\",\"version\":\"9\"}";

  CHECK(lfpse_taxonomy_set_new(NULL, 0) == LFPSE_EINVALID);
  CHECK(strlen(lfpse_error_last()) > 0);
  CHECK(lfpse_taxonomy_set_new(&set, 99) == LFPSE_EINVALID);
  CHECK(set == NULL);
  CHECK(lfpse_taxonomy_set_new(&set, LFPSE_TAXONOMY_SET_DEFAULT) == LFPSE_OK);
  CHECK(lfpse_taxonomy_set_new(&empty, LFPSE_TAXONOMY_SET_NO_BUILTIN) == LFPSE_OK);

  CHECK(lfpse_taxonomy_set_versions(set, &json, &len) == LFPSE_OK);
  CHECK(contains(json, "{\"versions\":[{\"version\":\"6\""));
  CHECK(len == strlen(json));
  lfpse_free(json);
  CHECK(lfpse_taxonomy_set_versions(empty, &json, NULL) == LFPSE_OK);
  CHECK(strcmp(json, "{\"versions\":[]}") == 0);
  lfpse_free(json);
  CHECK(lfpse_taxonomy_set_versions(NULL, &json, NULL) == LFPSE_EINVALID);

  CHECK(lfpse_taxonomy_set_document(set, "5", &json, &len) == LFPSE_OK);
  CHECK(contains(json, "\"version\":\"5\""));
  /* Loading the served document into an empty set gives the same version back. */
  CHECK(lfpse_taxonomy_set_load_json(empty, json, len, &version) == LFPSE_OK);
  CHECK(version && strcmp(version, "5") == 0);
  lfpse_free(version);
  lfpse_free(json);
  CHECK(lfpse_taxonomy_set_document(set, "42", &json, NULL) == LFPSE_ENOTFOUND);
  CHECK(contains(lfpse_error_last(), "42"));
  CHECK(lfpse_taxonomy_set_document(set, NULL, &json, NULL) == LFPSE_EINVALID);

  CHECK(lfpse_taxonomy_set_load_json(empty, bad, sizeof bad - 1, NULL) == LFPSE_EINVALID);
  CHECK(contains(lfpse_error_last(), "taxonomy"));
  CHECK(lfpse_taxonomy_set_load_json(empty, "\xff\xfe", 2, NULL) == LFPSE_EINVALID);
  CHECK(lfpse_taxonomy_set_load_json(empty, NULL, 3, NULL) == LFPSE_EINVALID);
  CHECK(lfpse_taxonomy_set_load_json(NULL, bad, sizeof bad - 1, NULL) == LFPSE_EINVALID);
  CHECK(lfpse_taxonomy_set_load_file(empty, "/nonexistent/taxonomy.json", NULL) == LFPSE_ENOTFOUND);
  CHECK(lfpse_taxonomy_set_load_file(empty, LFPSE_SOURCE_DIR "/src/taxonomy/data/lfpse-6.json",
                                     &version) == LFPSE_OK);
  CHECK(version && strcmp(version, "6") == 0);
  lfpse_free(version);
  CHECK(lfpse_taxonomy_set_load_file(empty, NULL, NULL) == LFPSE_EINVALID);

  CHECK(lfpse_taxonomy_set_schema(set, "5", &json, &len) == LFPSE_OK);
  CHECK(contains(json, "https://json-schema.org/draft/2020-12/schema"));
  lfpse_free(json);
  CHECK(lfpse_taxonomy_set_schema(set, "0", &json, &len) == LFPSE_ENOTFOUND);

  lfpse_taxonomy_set_free(empty);
  lfpse_taxonomy_set_free(set);
  lfpse_taxonomy_set_free(NULL);
}

static void test_events(void) {
  lfpse_taxonomy_set *set = NULL;
  lfpse_event_options opts = LFPSE_EVENT_OPTIONS_INIT, opts2;
  char *event, *invalid, *json = NULL, *national = NULL, *back = NULL;
  size_t event_len = 0, invalid_len = 0, len = 0, back_len = 0;
  int64_t now = 0;

  event = read_file(LFPSE_SOURCE_DIR "/examples/events/v5-02-incident-device-two-patients.json",
                    &event_len);
  invalid = read_file(LFPSE_SOURCE_DIR "/examples/events/invalid-01-required.json", &invalid_len);
  CHECK(event != NULL && invalid != NULL);
  CHECK(lfpse_taxonomy_set_new(&set, 0) == LFPSE_OK);

  CHECK(lfpse_time_parse("2026-11-26T12:00:00Z", &now) == LFPSE_OK);
  CHECK(now == 1795694400000LL);
  CHECK(lfpse_time_parse("yesterday", &now) == LFPSE_EINVALID);
  CHECK(lfpse_time_parse(NULL, &now) == LFPSE_EINVALID);
  opts.now_unix_ms = 1795694400000LL;
  CHECK(lfpse_event_options_init(&opts2, LFPSE_EVENT_OPTIONS_VERSION) == LFPSE_OK);
  CHECK(opts2.now_unix_ms == LFPSE_NOW_SYSTEM);
  CHECK(lfpse_event_options_init(&opts2, 999) == LFPSE_EINVALID);
  CHECK(lfpse_event_options_init(NULL, 1) == LFPSE_EINVALID);

  /* validate: a verdict for any bytes */
  CHECK(lfpse_event_validate(set, event, event_len, &opts, &json, &len) == LFPSE_OK);
  CHECK(strcmp(json, "{\"valid\":true,\"issues\":[]}") == 0);
  lfpse_free(json);
  CHECK(lfpse_event_validate(set, invalid, invalid_len, &opts, &json, NULL) == LFPSE_OK);
  CHECK(contains(json, "\"valid\":false") && contains(json, "\"code\":\"required\""));
  lfpse_free(json);
  CHECK(lfpse_event_validate(set, "\xc3\x28{", 3, NULL, &json, NULL) == LFPSE_OK);
  CHECK(contains(json, "\"code\":\"malformed\",\"path\":\"\""));
  lfpse_free(json);
  CHECK(lfpse_event_validate(set, "", 0, NULL, &json, NULL) == LFPSE_OK);
  CHECK(contains(json, "malformed"));
  lfpse_free(json);
  opts2.version = 77;
  CHECK(lfpse_event_validate(set, event, event_len, &opts2, &json, NULL) == LFPSE_EINVALID);
  CHECK(lfpse_event_validate(NULL, event, event_len, NULL, &json, NULL) == LFPSE_EINVALID);
  CHECK(lfpse_event_validate(set, NULL, 0, NULL, &json, NULL) == LFPSE_EINVALID);
  CHECK(lfpse_event_validate(set, event, event_len, NULL, NULL, NULL) == LFPSE_EINVALID);

  /* the size limit lfpse.h states: LFPSE_EVENT_MAX_BYTES is read, one byte more is not */
  {
    char *big = malloc(LFPSE_EVENT_MAX_BYTES + 1);
    CHECK(big != NULL);
    if (big) {
      memset(big, ' ', LFPSE_EVENT_MAX_BYTES + 1);
      memcpy(big, "{}", 2);
      CHECK(lfpse_event_validate(set, big, LFPSE_EVENT_MAX_BYTES, NULL, &json, NULL) == LFPSE_OK);
      CHECK(!contains(json, "larger than"));
      lfpse_free(json);
      CHECK(lfpse_event_validate(set, big, LFPSE_EVENT_MAX_BYTES + 1, NULL, &json, NULL) ==
            LFPSE_OK);
      CHECK(contains(json, "\"code\":\"malformed\"") && contains(json, "larger than"));
      lfpse_free(json);
      free(big);
    }
  }
  /* malformed JSON: the message names the byte */
  CHECK(lfpse_event_validate(set, "{\"local_id\": NaN}", 17, NULL, &json, NULL) == LFPSE_OK);
  CHECK(contains(json, "(at byte 13)"));
  lfpse_free(json);
  CHECK(lfpse_event_from_fhir(set, "{\"a\":", 5, &back, NULL, NULL, NULL) == LFPSE_EINVALID);
  CHECK(contains(lfpse_error_last(), "(at byte 5)"));

  /* shown */
  CHECK(lfpse_event_shown(set, event, event_len, &json, &len) == LFPSE_OK);
  CHECK(contains(json, "{\"top\":{\"shown\":[\"CL001\""));
  CHECK(contains(json, "\"patient\":{\"shown\":true"));
  lfpse_free(json);
  CHECK(lfpse_event_shown(set, "[]", 2, &json, &len) == LFPSE_EEVENT);
  CHECK(contains(json, "malformed"));
  lfpse_free(json);
  CHECK(lfpse_event_shown(set, NULL, 0, &json, &len) == LFPSE_EINVALID);

  /* to-fhir and back */
  CHECK(lfpse_event_to_fhir(set, event, event_len, &opts, &json, &len) == LFPSE_OK);
  CHECK(contains(json, "{\"resourceType\":\"AdverseEvent\""));
  CHECK(lfpse_event_from_fhir(set, json, len, &back, &back_len, &national, NULL) == LFPSE_OK);
  CHECK(contains(back, "\"local_id\":\"LRMS-2026-004251\""));
  CHECK(contains(national, "\"id\":null"));
  lfpse_free(national);
  lfpse_free(back);
  CHECK(lfpse_event_from_fhir(set, json, len, &back, NULL, NULL, NULL) == LFPSE_OK);
  lfpse_free(back);
  lfpse_free(json);
  CHECK(lfpse_event_to_fhir(set, invalid, invalid_len, &opts, &json, &len) == LFPSE_EEVENT);
  CHECK(contains(json, "\"valid\":false"));
  lfpse_free(json);
  CHECK(lfpse_event_from_fhir(set, "{\"resourceType\":\"Patient\"}", 27, &back, NULL, NULL, NULL) ==
        LFPSE_EINVALID);
  CHECK(back == NULL);
  CHECK(lfpse_event_from_fhir(set, "not json", 8, &back, NULL, NULL, NULL) == LFPSE_EINVALID);
  CHECK(lfpse_event_from_fhir(NULL, "{}", 2, &back, NULL, NULL, NULL) == LFPSE_EINVALID);

  /* migrate */
  CHECK(lfpse_event_migrate(set, event, event_len, "6", &opts, &json, &len) == LFPSE_OK);
  CHECK(contains(json, "\"taxonomy_version\":\"6\""));
  CHECK(contains(json, "migrated:dropped"));
  lfpse_free(json);
  CHECK(lfpse_event_migrate(set, event, event_len, "99", &opts, &json, &len) == LFPSE_ENOTFOUND);
  CHECK(lfpse_event_migrate(set, "{", 1, "6", &opts, &json, &len) == LFPSE_EEVENT);
  CHECK(contains(json, "{\"event\":null"));
  lfpse_free(json);
  CHECK(lfpse_event_migrate(set, event, event_len, NULL, &opts, &json, &len) == LFPSE_EINVALID);

  lfpse_taxonomy_set_free(set);
  free(event);
  free(invalid);
}

static int count_lines(const char *line, size_t len, void *userdata) {
  (void)line;
  (void)len;
  ++*(int *)userdata;
  return 0;
}

static int stop_at_once(const char *line, size_t len, void *userdata) {
  (void)line;
  (void)len;
  (void)userdata;
  return 1;
}

/* Pulls the value of "key":"..." out of compact JSON (test helper; values have no escapes). */
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

static void test_store(void) {
  lfpse_store_options *opts = NULL;
  lfpse_store *store = NULL;
  lfpse_taxonomy_set *set = NULL;
  char *event, *invalid, *json = NULL, *claimed = NULL;
  size_t event_len = 0, invalid_len = 0;
  char path[256], op_id[64], lease[64];
  const char *result = NULL;
  const char *texts[2];
  size_t lens[2];
  int64_t requeued = -1;
  int lines = 0;
  unsigned char key[32] = {0};

  snprintf(path, sizeof path, "/tmp/lfpse-capi-test-%ld.db", (long)time(NULL) ^ (long)clock());
  event = read_file(LFPSE_SOURCE_DIR "/examples/events/v5-01-incident-medication.json", &event_len);
  invalid = read_file(LFPSE_SOURCE_DIR "/examples/events/invalid-01-required.json", &invalid_len);

  CHECK(lfpse_store_options_new(&opts) == LFPSE_OK);
  CHECK(lfpse_store_options_new(NULL) == LFPSE_EINVALID);
  CHECK(lfpse_store_options_set_synchronous(opts, 7) == LFPSE_EINVALID);
  CHECK(lfpse_store_options_set_synchronous(opts, LFPSE_SYNCHRONOUS_FULL) == LFPSE_OK);
  CHECK(lfpse_store_options_set_busy_timeout(opts, -1) == LFPSE_EINVALID);
  CHECK(lfpse_store_options_set_busy_timeout(opts, 2000) == LFPSE_OK);
  CHECK(lfpse_store_options_set_key(opts, key, 16) == LFPSE_EINVALID);
  CHECK(lfpse_store_options_set_key(NULL, key, 32) == LFPSE_EINVALID);
  CHECK(lfpse_store_options_set_coalesce_updates(opts, 0) == LFPSE_OK);
  CHECK(lfpse_taxonomy_set_new(&set, 0) == LFPSE_OK);
  CHECK(lfpse_store_options_set_taxonomies(opts, set) == LFPSE_OK);
  lfpse_taxonomy_set_free(set); /* the store keeps its own reference */
  CHECK(lfpse_store_options_set_now(opts, 1795694400000LL) == LFPSE_OK);
  CHECK(lfpse_store_options_set_max_pages(opts, -5) == LFPSE_EINVALID);
  CHECK(lfpse_store_options_set_max_pages(opts, 0) == LFPSE_OK);
  CHECK(lfpse_store_options_set_prepare_threads(opts, -1) == LFPSE_EINVALID);
  CHECK(lfpse_store_options_set_prepare_threads(opts, 65) == LFPSE_EINVALID);
  CHECK(lfpse_store_options_set_prepare_threads(NULL, 1) == LFPSE_EINVALID);
  CHECK(lfpse_store_options_set_prepare_threads(opts, 2) == LFPSE_OK);
  CHECK(lfpse_store_options_set_read_only(NULL, 1) == LFPSE_EINVALID);
  CHECK(lfpse_store_options_set_read_only(opts, 1) == LFPSE_OK);
  CHECK(lfpse_store_open(&store, path, opts) == LFPSE_EIO); /* nothing there to read */
  CHECK(lfpse_store_options_set_read_only(opts, 0) == LFPSE_OK);

  CHECK(lfpse_store_open(&store, NULL, opts) == LFPSE_EINVALID);
  CHECK(lfpse_store_open(&store, "/nonexistent-dir/x/store.db", opts) == LFPSE_EIO);
  CHECK(store == NULL);
  CHECK(lfpse_store_open(&store, path, opts) == LFPSE_OK);
  lfpse_store_options_free(opts);
  lfpse_store_options_free(NULL);

  /* record: an invalid event is refused with its issues, nothing stored */
  CHECK(lfpse_store_record(store, invalid, invalid_len, 0, &json, NULL) == LFPSE_EEVENT);
  CHECK(contains(json, "\"stored\":false") && contains(json, "\"code\":\"required\""));
  lfpse_free(json);
  CHECK(lfpse_store_record(store, invalid, invalid_len, LFPSE_STORE_DRAFT, &json, NULL) ==
        LFPSE_OK);
  CHECK(contains(json, "\"state\":\"draft\""));
  lfpse_free(json);
  CHECK(lfpse_store_record(store, event, event_len, 0, &json, NULL) == LFPSE_OK);
  CHECK(contains(json, "\"state\":\"queued\"") && contains(json, "\"kind\":\"create\""));
  lfpse_free(json);
  CHECK(lfpse_store_record(store, event, event_len, 0, &json, NULL) == LFPSE_ECONFLICT);
  CHECK(lfpse_store_record(NULL, event, event_len, 0, &json, NULL) == LFPSE_EINVALID);
  CHECK(lfpse_store_update(store, event, event_len, 0, &json, NULL) == LFPSE_OK);
  CHECK(contains(json, "\"kind\":\"update\""));
  lfpse_free(json);
  texts[0] = "{}";
  lens[0] = 2;
  texts[1] = "not json";
  lens[1] = 8;
  CHECK(lfpse_store_record_batch(store, texts, lens, 2, 0, &json, NULL) == LFPSE_OK);
  CHECK(json && json[0] == '[' && contains(json, "malformed"));
  lfpse_free(json);
  CHECK(lfpse_store_record_batch(store, NULL, lens, 2, 0, &json, NULL) == LFPSE_EINVALID);

  /* queries */
  CHECK(lfpse_store_status(store, &json, NULL) == LFPSE_OK);
  CHECK(contains(json, "\"draft\":1,\"queued\":1"));
  lfpse_free(json);
  CHECK(lfpse_store_show(store, "LRMS-2026-004217", &json, NULL) == LFPSE_OK);
  CHECK(contains(json, "\"operations\":["));
  lfpse_free(json);
  CHECK(lfpse_store_show(store, "nobody", &json, NULL) == LFPSE_ENOTFOUND);
  CHECK(lfpse_store_list(store, NULL, &json, NULL) == LFPSE_OK);
  CHECK(contains(json, "LRMS-2026-004217"));
  lfpse_free(json);
  CHECK(lfpse_store_list(store, "queued", &json, NULL) == LFPSE_OK);
  lfpse_free(json);
  CHECK(lfpse_store_list(store, "flying", &json, NULL) == LFPSE_EINVALID);
  CHECK(lfpse_store_changed_since(store, 0, &json, NULL) == LFPSE_OK);
  CHECK(contains(json, "LRMS-2026-004217"));
  lfpse_free(json);
  CHECK(lfpse_store_export(store, count_lines, &lines) == LFPSE_OK);
  CHECK(lines == 2);
  CHECK(lfpse_store_export(store, stop_at_once, NULL) == LFPSE_EUSER);
  CHECK(lfpse_store_export(store, NULL, NULL) == LFPSE_EINVALID);
  CHECK(lfpse_store_integrity_check(store, &json, NULL) == LFPSE_OK);
  CHECK(contains(json, "\"ok\":true"));
  lfpse_free(json);

  /* the sync side: claim the create, fail it for good, retry, claim again, complete */
  CHECK(lfpse_store_claim(store, 0, 1000, &claimed, NULL) == LFPSE_EINVALID);
  CHECK(lfpse_store_claim(store, 10, 60000, &claimed, NULL) == LFPSE_OK);
  CHECK(contains(claimed, "\"kind\":\"create\"") && !contains(claimed, "\"kind\":\"update\""));
  json_field(claimed, "op_id", op_id, sizeof op_id);
  json_field(claimed, "lease_token", lease, sizeof lease);
  lfpse_free(claimed);
  CHECK(lfpse_store_fail_transient(store, op_id, "not-the-lease", 0, "timeout") == LFPSE_ECONFLICT);
  CHECK(lfpse_store_fail_permanent(store, op_id, lease, "422",
                                   "{\"resourceType\":\"OperationOutcome\"}", 0) == LFPSE_OK);
  CHECK(lfpse_store_dead_letters(store, &json, NULL) == LFPSE_OK);
  CHECK(contains(json, "OperationOutcome"));
  lfpse_free(json);
  CHECK(lfpse_store_retry(store, "LRMS-2026-004217", &requeued) == LFPSE_OK);
  CHECK(requeued == 1);
  CHECK(lfpse_store_retry(store, "nobody", NULL) == LFPSE_ENOTFOUND);
  CHECK(lfpse_store_claim(store, 10, 60000, &claimed, NULL) == LFPSE_OK);
  json_field(claimed, "op_id", op_id, sizeof op_id);
  json_field(claimed, "lease_token", lease, sizeof lease);
  lfpse_free(claimed);
  CHECK(lfpse_store_fail_transient(store, op_id, lease, 0, "connection reset") == LFPSE_OK);
  CHECK(lfpse_store_claim(store, 10, 60000, &claimed, NULL) == LFPSE_OK);
  json_field(claimed, "op_id", op_id, sizeof op_id);
  json_field(claimed, "lease_token", lease, sizeof lease);
  lfpse_free(claimed);
  CHECK(lfpse_store_complete(store, op_id, lease, "[]") == LFPSE_EINVALID);
  CHECK(lfpse_store_complete(store, op_id, lease, "{\"national_id\":7}") == LFPSE_EINVALID);
  CHECK(lfpse_store_complete(
            store, op_id, lease,
            "{\"national_id\":\"n-1\",\"version\":\"1\",\"reference\":\"LFPSE-1\"}") == LFPSE_OK);
  CHECK(lfpse_store_complete(store, "no-such-op", lease,
                             "{\"national_id\":\"n\",\"version\":\"1\"}") == LFPSE_ENOTFOUND);
  CHECK(lfpse_store_show(store, "LRMS-2026-004217", &json, NULL) == LFPSE_OK);
  CHECK(contains(json, "\"national_id\":\"n-1\"") && contains(json, "\"reference\":\"LFPSE-1\""));
  lfpse_free(json);

  /* the change feed */
  CHECK(lfpse_store_cursor(store, &json, NULL) == LFPSE_ENOTFOUND);
  CHECK(lfpse_store_set_cursor(store, "epoch1:42") == LFPSE_OK);
  CHECK(lfpse_store_cursor(store, &json, NULL) == LFPSE_OK);
  CHECK(json && strcmp(json, "epoch1:42") == 0);
  lfpse_free(json);
  CHECK(lfpse_store_apply_pulled(store,
                                 "{\"national_id\":\"n-9\",\"version\":\"2\",\"deleted\":true}",
                                 &result) == LFPSE_OK);
  CHECK(result != NULL);
  CHECK(lfpse_store_apply_pulled(store, "{\"version\":\"2\"}", &result) == LFPSE_EINVALID);
  CHECK(lfpse_store_apply_pulled(store, NULL, &result) == LFPSE_EINVALID);

  /* a feed reset: the acknowledged event is not in the re-read, so it is queued again */
  {
    int active = -1;
    CHECK(lfpse_store_feed_reset_finish(store, &json, NULL) == LFPSE_ECONFLICT);
    CHECK(lfpse_store_feed_reset_begin(store) == LFPSE_OK);
    CHECK(lfpse_store_feed_reset_active(store, &active) == LFPSE_OK);
    CHECK(active == 1);
    CHECK(lfpse_store_feed_reset_active(store, NULL) == LFPSE_EINVALID);
    CHECK(lfpse_store_feed_reset_finish(store, &json, NULL) == LFPSE_OK);
    CHECK(contains(json, "{\"requeued\":[\"LRMS-2026-004217\"],\"unmapped\":[]}"));
    lfpse_free(json);
    CHECK(lfpse_store_feed_reset_active(store, &active) == LFPSE_OK);
    CHECK(active == 0);
  }

  /* withdraw: the create the reset queued was never attempted, so it is cancelled */
  CHECK(lfpse_store_withdraw(store, "LRMS-2026-004217", &json, NULL) == LFPSE_OK);
  CHECK(contains(json, "\"state\":\"withdrawn\"") && contains(json, "\"operation\":null"));
  lfpse_free(json);
  CHECK(lfpse_store_withdraw(store, "nobody", &json, NULL) == LFPSE_ENOTFOUND);
  CHECK(lfpse_store_withdraw(store, NULL, &json, NULL) == LFPSE_EINVALID);

  lfpse_store_free(store);
  lfpse_store_free(NULL);
  free(event);
  free(invalid);
  remove(path);
}

int main(void) {
  test_versions_and_errors();
  test_taxonomy_set();
  test_events();
  test_store();
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
