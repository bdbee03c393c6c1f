/**
 * lfpse_sys.h: the low-level queue interface of lfpse-sdk, for a custom transport.
 *
 * The calls here are what a sync client stands on: the SDK's own, or a vendor's transport
 * (another HTTP stack, a message bus, a proxy) that sends the store's queue to the national
 * service itself. An LRMS that only records and queries events needs lfpse.h alone. These
 * calls are as stable as lfpse.h and follow its conventions (statuses, lfpse_error_last(),
 * NULL / 0 in out-parameters on failure, lfpse_free()).
 *
 * A transport's loop:
 * 1. lfpse_store_claim() leases due operations. Each is the head of its event's queue, so
 *    operations of one event are sent in order; a lease that is neither completed nor failed
 *    before it expires is claimable again, so a crashed sender loses nothing.
 * 2. It sends each operation (docs/spec/API.md) with `Idempotency-Key: <idempotency_key>`:
 *    - `create`: `POST /adverse-event/fhir/AdverseEvent` with `body` exactly as given (the bytes
 * are fixed for every retry, so the service can recognise a repeat).
 *    - `update`: `PUT /adverse-event/fhir/AdverseEvent/<national_id>` with `If-Match:
 * W/"<national_version>"`; the body is `body` with `"id":"<national_id>"` inserted right after the
 *      `"resourceType":"AdverseEvent"` member (the queued body has no id: the national id may
 *      be assigned only after it was queued, by the create before it).
 *    - `withdraw`: `DELETE /adverse-event/fhir/AdverseEvent/<national_id>` with
 *      `If-Match: W/"<national_version>"` (`body` is ""); a retry that meets `410` is done.
 *    `organisation` is the event's ODS code: a store may hold the events of several
 *    organisations, each sent with its own credentials.
 * 3. It reports the answer: lfpse_store_complete() for a success, lfpse_store_fail_transient()
 *    for a failure worth retrying (network, 429, 5xx) and lfpse_store_fail_permanent() for a
 *    refusal (4xx: a dead letter; 409 / 412 with `conflict` set).
 * 4. It pulls the change feed into the store with lfpse_store_apply_pulled() and keeps its
 *    place with lfpse_store_cursor() / lfpse_store_set_cursor(); after `410 cursor-expired`
 *    it re-reads the feed inside lfpse_store_feed_reset_begin() / _finish().
 */
#ifndef LFPSE_LFPSE_SYS_H
#define LFPSE_LFPSE_SYS_H

#include "lfpse/lfpse.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Claims up to `max` due operations for `lease_ms`:
 * `[{"op_id","lease_token","local_id","organisation","kind","idempotency_key","body",
 * "national_id","national_version","attempts","revision"}]`. Every member is a string except
 * `attempts` (this attempt included) and `revision` (numbers); `organisation`, `national_id`
 * and `national_version` may be null (a create has no national id yet). `kind` is "create"
 * (POST), "update" (PUT) or "withdraw" (DELETE); `body` is the AdverseEvent as a JSON
 * string (its text, to send byte for byte), "" for a withdrawal. `*out_json` is NULL on
 * failure.
 * @return LFPSE_OK (an empty array when nothing is due); LFPSE_EINVALID when `max` or
 *         `lease_ms` is not positive, or for NULL arguments.
 */
LFPSE_API lfpse_status lfpse_store_claim(lfpse_store *store, int max, int64_t lease_ms,
                                         char **out_json, size_t *out_len);
/**
 * Records the service's success for an operation. `ack_json` is an object whose members are
 * strings: `{"national_id","version","reference","resource"}`: `national_id` and `version`
 * (meta.versionId, the ETag) are required; `reference` (ReferenceNumber) and `resource` (the
 * AdverseEvent the service returned, as a JSON string of its text) may be null or absent.
 * The answer is the truth even from a sender whose lease lapsed, so the lease is not
 * checked; a second answer for a completed operation changes nothing.
 * @return LFPSE_OK; LFPSE_ENOTFOUND for an unknown operation; LFPSE_EINVALID for NULL
 *         arguments or an `ack_json` that is not such an object.
 */
LFPSE_API lfpse_status lfpse_store_complete(lfpse_store *store, const char *op_id,
                                            const char *lease_token, const char *ack_json);
/**
 * A transient failure: the operation is due again at `next_attempt_unix_ms`, with the same
 * idempotency key and body. `error` (may be NULL) is kept as its last error.
 * @return LFPSE_OK; LFPSE_ENOTFOUND for an unknown operation; LFPSE_ECONFLICT when the lease
 *         is no longer held (expired and claimed again, or completed); LFPSE_EINVALID for
 *         NULL arguments.
 */
LFPSE_API lfpse_status lfpse_store_fail_transient(lfpse_store *store, const char *op_id,
                                                  const char *lease_token,
                                                  int64_t next_attempt_unix_ms, const char *error);
/**
 * A permanent failure: a dead letter; the event becomes `rejected` (or `conflict` when
 * `conflict` is nonzero) with `outcome_json` (the server's OperationOutcome, may be NULL)
 * kept whole. The event's later operations wait; other events go on.
 * @return LFPSE_OK; LFPSE_ENOTFOUND for an unknown operation; LFPSE_ECONFLICT when the lease
 *         is no longer held; LFPSE_EINVALID for NULL arguments.
 */
LFPSE_API lfpse_status lfpse_store_fail_permanent(lfpse_store *store, const char *op_id,
                                                  const char *lease_token, const char *error,
                                                  const char *outcome_json, int conflict);
/**
 * Applies one change-feed entry, an object `{"national_id","version","deleted","resource"}`:
 * `national_id` and `version` are strings, `deleted` a boolean (absent: false), `resource`
 * the full AdverseEvent as a JSON string of its text (required unless `deleted`). A version
 * already held is ignored; local changes still queued win. `out_result` (optional) receives
 * "inserted", "updated", "withdrawn" or "ignored" (a static string); NULL on failure.
 * @return LFPSE_OK; LFPSE_EINVALID for NULL arguments, an entry that is not such an object,
 *         or a resource that does not map to an event of a loaded taxonomy version.
 */
LFPSE_API lfpse_status lfpse_store_apply_pulled(lfpse_store *store, const char *change_json,
                                                const char **out_result);
/**
 * The stored change-feed cursor (an opaque string from the service). `*out_cursor` is NULL
 * on failure.
 * @return LFPSE_OK; LFPSE_ENOTFOUND when none is stored; LFPSE_EINVALID for NULL arguments.
 */
LFPSE_API lfpse_status lfpse_store_cursor(lfpse_store *store, char **out_cursor, size_t *out_len);
/**
 * Stores the change-feed cursor.
 * @return LFPSE_OK; LFPSE_EINVALID for NULL arguments.
 */
LFPSE_API lfpse_status lfpse_store_set_cursor(lfpse_store *store, const char *cursor);

/**
 * Starts a change-feed reset, after the server answered `410 cursor-expired` (API.md): the
 * stored cursor is forgotten and every event the store holds as acknowledged is noted. The
 * client then re-reads the whole feed with lfpse_store_apply_pulled(), and calls
 * lfpse_store_feed_reset_finish(). The reset survives a crash: lfpse_store_feed_reset_active()
 * tells a restarted client to carry on.
 * @return LFPSE_OK; LFPSE_EINVALID when `store` is NULL.
 */
LFPSE_API lfpse_status lfpse_store_feed_reset_begin(lfpse_store *store);
/**
 * `*out_active` is 1 while a reset is under way, else 0 (and 0 on failure).
 * @return LFPSE_OK; LFPSE_EINVALID for NULL arguments.
 */
LFPSE_API lfpse_status lfpse_store_feed_reset_active(lfpse_store *store, int *out_active);
/**
 * Ends the reset: every noted event the re-read did not contain (the restored service lost
 * it) is queued again as a fresh create, with a new idempotency key, so a reset never loses
 * an event. `out_json`: `{"requeued":[local_ids],"unmapped":[local_ids]}` (unmapped: events
 * whose taxonomy version is not loaded, left as they were); NULL on failure.
 * @return LFPSE_OK; LFPSE_ECONFLICT when no reset is under way; LFPSE_EINVALID for NULL
 *         arguments.
 */
LFPSE_API lfpse_status lfpse_store_feed_reset_finish(lfpse_store *store, char **out_json,
                                                     size_t *out_len);

#ifdef __cplusplus
}
#endif

#endif /* LFPSE_LFPSE_SYS_H */
