/**
 * lfpse.h: the stable C ABI of lfpse-sdk.
 *
 * lfpse-sdk validates patient safety events against the versioned LFPSE taxonomy, maps them
 * to and from FHIR R4 AdverseEvent resources, and keeps them in a local store with a durable
 * queue of the operations to send to the national "Learn from patient safety events" service.
 * The queue calls a transport needs (claim, complete, fail, the change feed) are in
 * lfpse/lfpse_sys.h.
 *
 * Conventions (docs/c-api.md, docs/CONVENTIONS.md):
 * - Every function returns an lfpse_status; LFPSE_OK is 0, errors are negative. Each says
 *   which statuses it returns. Besides those, any call may return LFPSE_ENOMEM and
 *   LFPSE_EINTERNAL (a bug: please report it), and any call on a store LFPSE_EIO (a file
 *   system or disk failure, disk full), LFPSE_ECORRUPT (a damaged file) and LFPSE_ECONFLICT
 *   (another connection held the file's lock past the busy timeout).
 * - On failure, lfpse_error_last() holds a message for the calling thread.
 * - Strings are UTF-8. JSON comes back through `char **out_json, size_t *out_len`; free it
 *   with lfpse_free(). Pass NULL for `out_len` when the length is not wanted. On failure an
 *   out-parameter holds NULL (pointers) or 0 (numbers, lengths), except where a function says
 *   its output carries the reason (LFPSE_EEVENT: the issues).
 * - Handles are opaque, made through an out-parameter and freed with a NULL-safe _free().
 * - Flags are `unsigned`; a bit the function does not know is LFPSE_EINVALID.
 * - Validation issues are data, not errors: a call that validates returns LFPSE_OK and a JSON
 *   document saying whether the event is valid.
 * - Every entry point accepts NULL and arbitrary bytes without crashing.
 */
#ifndef LFPSE_LFPSE_H
#define LFPSE_LFPSE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(LFPSE_STATIC)
#define LFPSE_API
#elif defined(_WIN32)
#ifdef LFPSE_BUILDING
#define LFPSE_API __declspec(dllexport)
#else
#define LFPSE_API __declspec(dllimport)
#endif
#else
#define LFPSE_API __attribute__((visibility("default")))
#endif

/**
 * The calling convention of every callback the library calls, so that bindings on Windows
 * (where a compiler may default to another) declare theirs to match.
 */
#if defined(_WIN32)
#define LFPSE_CALLBACK __cdecl
#else
#define LFPSE_CALLBACK
#endif

/* ------------------------------------------------------------------------------------------ */
/* Versions                                                                                    */

#define LFPSE_VERSION_MAJOR 0
#define LFPSE_VERSION_MINOR 1
#define LFPSE_VERSION_PATCH 0
/** MAJOR * 10000 + MINOR * 100 + PATCH, comparable with lfpse_version_number(). */
#define LFPSE_VERSION_NUMBER \
  (LFPSE_VERSION_MAJOR * 10000 + LFPSE_VERSION_MINOR * 100 + LFPSE_VERSION_PATCH)
#define LFPSE_VERSION_STRING "0.1.0"

/** The library's version at run time, as LFPSE_VERSION_NUMBER. */
LFPSE_API int lfpse_version_number(void);
/** The library's version at run time, e.g. "0.1.0". Static; never NULL. */
LFPSE_API const char *lfpse_version_string(void);

/* ------------------------------------------------------------------------------------------ */
/* Status and errors                                                                           */

/** Results of every call. Numbers are fixed forever; new ones are only appended. */
typedef enum lfpse_status {
  LFPSE_OK = 0,
  LFPSE_EINVALID = -1,     /**< a bad argument or input (NULL, malformed JSON, bad taxonomy) */
  LFPSE_ENOTFOUND = -2,    /**< no such taxonomy version, event or file */
  LFPSE_ECONFLICT = -3,    /**< the current state forbids the call */
  LFPSE_EIO = -4,          /**< a file system, database or network failure */
  LFPSE_ENOMEM = -5,       /**< out of memory */
  LFPSE_EUSER = -6,        /**< a user callback asked to stop */
  LFPSE_EINTERNAL = -7,    /**< a bug in the library: please report it */
  LFPSE_EUNSUPPORTED = -8, /**< not supported by this build or this version */
  LFPSE_ECORRUPT = -9,     /**< stored data failed an integrity or authentication check */
  LFPSE_EEVENT = -10       /**< the event does not validate: its issues came back as JSON */
} lfpse_status;

/** A short static description of a status ("invalid argument"). Never NULL. */
LFPSE_API const char *lfpse_status_str(int status);

/**
 * The message of the last failure on the calling thread. Never NULL ("" when none).
 * Valid until the next call into the library on this thread.
 */
LFPSE_API const char *lfpse_error_last(void);

/** Frees memory returned by the library (JSON strings). NULL is a no-op. */
LFPSE_API void lfpse_free(void *ptr);

/* ------------------------------------------------------------------------------------------ */
/* Taxonomies                                                                                  */

/**
 * A set of loaded taxonomy versions. Thread-safe: any number of threads may validate with one
 * set while another loads a document into it (a version loaded again replaces the old one;
 * calls already running keep the version they started with).
 */
typedef struct lfpse_taxonomy_set lfpse_taxonomy_set;

/** Flags for lfpse_taxonomy_set_new(). */
#define LFPSE_TAXONOMY_SET_DEFAULT 0u
#define LFPSE_TAXONOMY_SET_NO_BUILTIN 1u /**< start empty, without versions 5 and 6 */

/**
 * Makes a set holding the taxonomies built into the library (versions 5 and 6) unless `flags`
 * has LFPSE_TAXONOMY_SET_NO_BUILTIN. `*out` is NULL on failure.
 * @return LFPSE_OK; LFPSE_EINVALID when `out` is NULL or a flag is unknown.
 */
LFPSE_API lfpse_status lfpse_taxonomy_set_new(lfpse_taxonomy_set **out, unsigned flags);

/** Frees a set. NULL is a no-op. */
LFPSE_API void lfpse_taxonomy_set_free(lfpse_taxonomy_set *set);

/**
 * Loads a taxonomy document (TAXONOMY.md section 1) from `len` bytes of JSON; a version
 * already loaded is replaced. `out_version` (optional) receives the version, free with
 * lfpse_free(); NULL on failure.
 * @return LFPSE_OK; LFPSE_EINVALID for NULL arguments or a malformed taxonomy (the message
 *         names the member).
 */
LFPSE_API lfpse_status lfpse_taxonomy_set_load_json(lfpse_taxonomy_set *set, const char *json,
                                                    size_t len, char **out_version);

/**
 * Loads a taxonomy document from a file, as lfpse_taxonomy_set_load_json().
 * @return LFPSE_OK; LFPSE_ENOTFOUND when the file cannot be opened; LFPSE_EIO when it cannot
 *         be read; LFPSE_EINVALID for NULL arguments or a malformed taxonomy.
 */
LFPSE_API lfpse_status lfpse_taxonomy_set_load_file(lfpse_taxonomy_set *set, const char *path,
                                                    char **out_version);

/**
 * The loaded versions, newest first: `{"versions":[{"version","published","profile"}]}`.
 * `*out_json` is NULL on failure.
 * @return LFPSE_OK; LFPSE_EINVALID for NULL arguments.
 */
LFPSE_API lfpse_status lfpse_taxonomy_set_versions(const lfpse_taxonomy_set *set, char **out_json,
                                                   size_t *out_len);

/**
 * The taxonomy document of `version`, compact JSON, as it was loaded. `*out_json` is NULL on
 * failure.
 * @return LFPSE_OK; LFPSE_ENOTFOUND when the version is not loaded; LFPSE_EINVALID for NULL
 *         arguments.
 */
LFPSE_API lfpse_status lfpse_taxonomy_set_document(const lfpse_taxonomy_set *set,
                                                   const char *version, char **out_json,
                                                   size_t *out_len);

/**
 * The JSON Schema (draft 2020-12) of `version`'s event documents, for validating in a
 * browser. What JSON Schema cannot say is listed in the schema's `$comment`. `*out_json` is
 * NULL on failure.
 * @return LFPSE_OK; LFPSE_ENOTFOUND when the version is not loaded; LFPSE_EINVALID for NULL
 *         arguments.
 */
LFPSE_API lfpse_status lfpse_taxonomy_set_schema(const lfpse_taxonomy_set *set, const char *version,
                                                 char **out_json, size_t *out_len);

/* ------------------------------------------------------------------------------------------ */
/* Events: validation, shown questions, FHIR, migration                                        */

/**
 * The largest event document the lfpse_event_* and lfpse_store_* calls accept, in bytes: a
 * longer text is `malformed`. A caller reading an event from a file or a socket need read no
 * more than this plus one byte.
 */
#define LFPSE_EVENT_MAX_BYTES 1048576u
/** The largest FHIR resource lfpse_event_from_fhir() accepts, in bytes (LFPSE_EINVALID past it). */
#define LFPSE_RESOURCE_MAX_BYTES 16777216u

/** Use the system clock (the default of lfpse_event_options). */
#define LFPSE_NOW_SYSTEM INT64_MIN

/** Per-call options for the lfpse_event_* functions. Start from LFPSE_EVENT_OPTIONS_INIT. */
typedef struct lfpse_event_options {
  uint32_t version;    /**< LFPSE_EVENT_OPTIONS_VERSION */
  int64_t now_unix_ms; /**< the validation clock (ms since 1970 UTC), or LFPSE_NOW_SYSTEM */
} lfpse_event_options;

#define LFPSE_EVENT_OPTIONS_VERSION 1
#define LFPSE_EVENT_OPTIONS_INIT \
  { LFPSE_EVENT_OPTIONS_VERSION, LFPSE_NOW_SYSTEM }

/**
 * Fills `opts` with the defaults of `version` (for FFIs that cannot use the macro).
 * @return LFPSE_OK; LFPSE_EINVALID when `opts` is NULL or `version` is unknown.
 */
LFPSE_API lfpse_status lfpse_event_options_init(lfpse_event_options *opts, uint32_t version);

/**
 * Parses an RFC 3339 date-time ("2026-11-26T12:00:00Z") into ms since 1970 UTC, for
 * lfpse_event_options.now_unix_ms. `*out_unix_ms` is 0 on failure.
 * @return LFPSE_OK; LFPSE_EINVALID for NULL arguments or a text that is not an RFC 3339
 *         date-time.
 */
LFPSE_API lfpse_status lfpse_time_parse(const char *rfc3339, int64_t *out_unix_ms);

/**
 * Validates an event document (TAXONOMY.md section 3) of `len` bytes. Always returns the
 * verdict as `{"valid":bool,"issues":[{"severity","code","path","question","message"}]}`,
 * issues sorted by path then code; text that is not an event document gives the one
 * `malformed` issue. `opts` may be NULL (system clock). `*out_json` is NULL on failure.
 * @return LFPSE_OK (whatever the verdict); LFPSE_EINVALID for NULL arguments or an unknown
 *         `opts->version`.
 */
LFPSE_API lfpse_status lfpse_event_validate(const lfpse_taxonomy_set *set, const char *event,
                                            size_t len, const lfpse_event_options *opts,
                                            char **out_json, size_t *out_len);

/**
 * Which questions a form shows now for a partly filled event, and which of those are
 * required: `{"top":{"shown":[codes],"required":[codes]},"groups":{"<id>":{"shown":bool,
 * "instances":[{"shown":[...],"required":[...]}]}}}`.
 * @return LFPSE_OK; LFPSE_EEVENT when the event cannot be read (not an object, unknown
 *         version): `out_json` then holds the validation verdict with its issues;
 *         LFPSE_EINVALID for NULL arguments (`*out_json` NULL).
 */
LFPSE_API lfpse_status lfpse_event_shown(const lfpse_taxonomy_set *set, const char *event,
                                         size_t len, char **out_json, size_t *out_len);

/**
 * Maps a valid event (warnings allowed) to its FHIR R4 AdverseEvent, byte-stable.
 * @return LFPSE_OK with the resource in `out_json`; LFPSE_EEVENT when the event has errors:
 *         `out_json` then holds the validation verdict; LFPSE_EINVALID for NULL arguments or
 *         an unknown `opts->version` (`*out_json` NULL).
 */
LFPSE_API lfpse_status lfpse_event_to_fhir(const lfpse_taxonomy_set *set, const char *event,
                                           size_t len, const lfpse_event_options *opts,
                                           char **out_json, size_t *out_len);

/**
 * Maps an AdverseEvent back to the canonical event document. `out_national` (optional)
 * receives what the national service added, which is not part of the event:
 * `{"id","version","last_updated","reference","recording_route","review_status",
 * "review_comment"}` (null where absent). Both outputs are NULL on failure.
 * @return LFPSE_OK; LFPSE_EINVALID for NULL arguments or a text that is not an AdverseEvent
 *         of a loaded version.
 */
LFPSE_API lfpse_status lfpse_event_from_fhir(const lfpse_taxonomy_set *set, const char *resource,
                                             size_t len, char **out_event, size_t *out_event_len,
                                             char **out_national, size_t *out_national_len);

/**
 * Migrates an event to `to_version`, stepping through every version between (TAXONOMY.md 4):
 * `{"event":<migrated event>|null,"issues":[...]}`, the issues being the `migrated:dropped`
 * warnings and the validation of the migrated event, sorted together.
 * @return LFPSE_OK; LFPSE_ENOTFOUND for an unloaded target; LFPSE_EINVALID for a downgrade
 *         or NULL arguments (`*out_json` NULL); LFPSE_EEVENT when the event cannot be read
 *         (`out_json` holds `event: null` and why).
 */
LFPSE_API lfpse_status lfpse_event_migrate(const lfpse_taxonomy_set *set, const char *event,
                                           size_t len, const char *to_version,
                                           const lfpse_event_options *opts, char **out_json,
                                           size_t *out_len);

/* ------------------------------------------------------------------------------------------ */
/* The local event store and offline queue                                                     */

/**
 * One SQLite file per LRMS installation: every event with its sync state, and the durable
 * queue of operations (create / update / withdraw) a transport sends (lfpse_sys.h). Every
 * call that changes the store is one transaction, on disk when it returns (with the default
 * LFPSE_SYNCHRONOUS_FULL). Thread-safe: any number of threads may share one store, and other
 * processes may open the same file. Do not use a store across fork().
 */
typedef struct lfpse_store lfpse_store;

/**
 * Options for lfpse_store_open(): an opaque builder, copied by lfpse_store_open() so it may
 * be freed at once. Not thread-safe (build it on one thread). Every setter returns
 * LFPSE_EINVALID when `opts` is NULL.
 */
typedef struct lfpse_store_options lfpse_store_options;

/**
 * `*out` is NULL on failure.
 * @return LFPSE_OK; LFPSE_EINVALID when `out` is NULL.
 */
LFPSE_API lfpse_status lfpse_store_options_new(lfpse_store_options **out);
/** Frees the options. NULL is a no-op. */
LFPSE_API void lfpse_store_options_free(lfpse_store_options *opts);

/** How a store commits (SQLite's PRAGMA synchronous). */
typedef enum lfpse_synchronous {
  LFPSE_SYNCHRONOUS_FULL = 0,  /**< a call that returned is on disk (default) */
  LFPSE_SYNCHRONOUS_NORMAL = 1 /**< never corrupts; the last commits may be lost on power loss */
} lfpse_synchronous;
/** @return LFPSE_OK; LFPSE_EINVALID for a value that is not an lfpse_synchronous. */
LFPSE_API lfpse_status lfpse_store_options_set_synchronous(lfpse_store_options *opts,
                                                           lfpse_synchronous mode);
/**
 * How long a call waits for another connection's lock (default 5000 ms).
 * @return LFPSE_OK; LFPSE_EINVALID when `ms` is negative.
 */
LFPSE_API lfpse_status lfpse_store_options_set_busy_timeout(lfpse_store_options *opts, int ms);
/**
 * Encryption at rest with AES-256-GCM: `len` must be 32. A new store is created sealed; a
 * sealed store opens only with the same key. The key is copied; clear your copy.
 * @return LFPSE_OK; LFPSE_EINVALID when `key` is NULL or `len` is not 32.
 */
LFPSE_API lfpse_status lfpse_store_options_set_key(lfpse_store_options *opts,
                                                   const unsigned char *key, size_t len);
/**
 * Coalesce never-attempted updates of one event into the newest (default: off).
 * @return LFPSE_OK; LFPSE_EINVALID.
 */
LFPSE_API lfpse_status lfpse_store_options_set_coalesce_updates(lfpse_store_options *opts, int on);
/**
 * The taxonomies events are validated against (default: the built-in versions). The store
 * keeps its own reference: the set may be freed after lfpse_store_open(), and documents
 * loaded into it afterwards are seen by the store.
 * @return LFPSE_OK; LFPSE_EINVALID when `set` is NULL.
 */
LFPSE_API lfpse_status lfpse_store_options_set_taxonomies(lfpse_store_options *opts,
                                                          const lfpse_taxonomy_set *set);
/**
 * Fixes the validation clock (ms since 1970 UTC) or LFPSE_NOW_SYSTEM (default).
 * @return LFPSE_OK; LFPSE_EINVALID.
 */
LFPSE_API lfpse_status lfpse_store_options_set_now(lfpse_store_options *opts, int64_t now_unix_ms);
/**
 * A size limit in 4096-byte pages (0: none); past it calls fail with LFPSE_EIO.
 * @return LFPSE_OK; LFPSE_EINVALID when `pages` is negative.
 */
LFPSE_API lfpse_status lfpse_store_options_set_max_pages(lfpse_store_options *opts, int64_t pages);
/**
 * Threads lfpse_store_record_batch() may start to validate and map a batch of 64 events or
 * more while its transaction writes the events already prepared (default 0: no call of the
 * store starts a thread; every event is prepared on the calling thread).
 * @return LFPSE_OK; LFPSE_EINVALID when `opts` is NULL or `threads` is negative or above 64.
 */
LFPSE_API lfpse_status lfpse_store_options_set_prepare_threads(lfpse_store_options *opts,
                                                               int threads);
/**
 * Opens the store read-only (`on` nonzero; default 0), to inspect a copy, a backup or a live
 * store without changing it. SQLite opens the file read-only: the schema is not migrated and
 * nothing is written, so it works when the file and its directory are not writable.
 * - lfpse_store_open() then needs an existing store of this library's schema: LFPSE_EIO when
 *   the file cannot be opened, LFPSE_EUNSUPPORTED for a schema older (a read-only open does
 *   not migrate: open it, or a copy, writable once) or newer than this library's, and the
 *   key checks of a writable open.
 * - The queries (status, show, list, dead_letters, changed_since, export, integrity_check,
 *   cursor, feed_reset_active) work as usual and see the latest commit of any writer.
 * - Every writing call (record, record_batch, update, withdraw, retry, claim, complete,
 *   fail_transient, fail_permanent, apply_pulled, set_cursor, feed_reset_begin,
 *   feed_reset_finish) returns LFPSE_EIO, lfpse_error_last() saying the store is open
 *   read-only, and writes nothing.
 * - When SQLite cannot create the write-ahead log's index (`-shm`) beside the file (the
 *   directory is not writable), the file is read as it stands, as a snapshot: another process
 *   must not write it meanwhile. If a write-ahead log (`-wal`) holding commits lies beside it,
 *   lfpse_store_open() returns LFPSE_EIO rather than show the store without them.
 * The other options (synchronous, coalesce_updates, max_pages) have no effect on such a store.
 * @return LFPSE_OK; LFPSE_EINVALID when `opts` is NULL.
 */
LFPSE_API lfpse_status lfpse_store_options_set_read_only(lfpse_store_options *opts, int on);

/**
 * Opens or creates the store at `path`, a file name; `opts` may be NULL. `*out` is NULL on
 * failure.
 * @return LFPSE_OK; LFPSE_EINVALID for NULL arguments, a path that is not a file name (`""`,
 *         `":memory:"`, a `file:` URI), a file that is a database but not an lfpse store,
 *         or a key that does not fit (a sealed store without its key or with another key,
 *         or a key for a plain store); LFPSE_EIO when the file cannot be opened or created
 *         (a missing folder: the message gives the OS's reason; permissions; a read-only
 *         file); LFPSE_ECORRUPT for a file that is not a database or is damaged;
 *         LFPSE_EUNSUPPORTED for a store written by a newer library (the file is left
 *         untouched).
 */
LFPSE_API lfpse_status lfpse_store_open(lfpse_store **out, const char *path,
                                        const lfpse_store_options *opts);
/** Closes the store. NULL is a no-op. */
LFPSE_API void lfpse_store_free(lfpse_store *store);

/** Flags for lfpse_store_record(), _record_batch() and _update(). */
#define LFPSE_STORE_DRAFT \
  1u /**< store the event as a draft: kept, never validated to block, never queued */

/**
 * Records a new event: validates it against its taxonomy version, stores its snapshot and
 * queues a create with a fresh idempotency key, in one transaction. Result:
 * `{"local_id","stored","state","revision","operation":{"op_id","kind","idempotency_key"}|null,
 * "issues":[...]}` (warnings such as pii:* included).
 * @return LFPSE_OK; LFPSE_EEVENT when the event is invalid (nothing stored; `out_json` holds
 *         the result with the issues); LFPSE_ECONFLICT when the local_id is already
 *         recorded; LFPSE_EINVALID for NULL arguments or an unknown flag; LFPSE_EIO (disk
 *         full, the size limit). `*out_json` is NULL on any failure but LFPSE_EEVENT.
 */
LFPSE_API lfpse_status lfpse_store_record(lfpse_store *store, const char *event, size_t len,
                                          unsigned flags, char **out_json, size_t *out_len);
/**
 * Records `count` events in one transaction (one disk sync); each is validated and refused
 * on its own. `out_json` is an array of results as lfpse_store_record() gives them (an event
 * already recorded is refused in its own result, with a `conflict` issue). `*out_json` is
 * NULL on failure.
 * @return LFPSE_OK (whatever each verdict); LFPSE_EINVALID for NULL arguments or an unknown
 *         flag; LFPSE_EIO (disk full, the size limit: nothing of the batch is stored).
 */
LFPSE_API lfpse_status lfpse_store_record_batch(lfpse_store *store, const char *const *events,
                                                const size_t *lens, size_t count, unsigned flags,
                                                char **out_json, size_t *out_len);
/**
 * Stores a new snapshot of a known event and queues an update (a create when the event never
 * reached the service). Result as for record.
 * @return LFPSE_OK; LFPSE_EEVENT (as for record); LFPSE_ENOTFOUND for an unknown local_id;
 *         LFPSE_ECONFLICT when the event is withdrawn; LFPSE_EINVALID for NULL arguments or
 *         an unknown flag; LFPSE_EIO. `*out_json` is NULL on any failure but LFPSE_EEVENT.
 */
LFPSE_API lfpse_status lfpse_store_update(lfpse_store *store, const char *event, size_t len,
                                          unsigned flags, char **out_json, size_t *out_len);
/**
 * Withdraws an event. Operations of it never attempted are cancelled (they cannot have
 * reached the service). When the service holds the event, or an operation may have reached
 * it (in flight, or tried with no answer), a DELETE is queued behind that operation and the
 * event shows `"withdrawal_pending":true` until it is done; otherwise the event is withdrawn
 * locally (`"operation":null`, state `withdrawn`, no national id). Result as for record.
 * `*out_json` is NULL on failure.
 * @return LFPSE_OK; LFPSE_ENOTFOUND for an unknown local_id; LFPSE_ECONFLICT when already
 *         withdrawn; LFPSE_EINVALID for NULL arguments; LFPSE_EIO.
 */
LFPSE_API lfpse_status lfpse_store_withdraw(lfpse_store *store, const char *local_id,
                                            char **out_json, size_t *out_len);
/**
 * Puts an event's dead-letter operations back in the queue, due now, with their original
 * idempotency keys and bodies. `out_requeued` (optional) receives how many; 0 on failure.
 * @return LFPSE_OK; LFPSE_ENOTFOUND for an unknown local_id; LFPSE_EINVALID for NULL
 *         arguments; LFPSE_EIO.
 */
LFPSE_API lfpse_status lfpse_store_retry(lfpse_store *store, const char *local_id,
                                         int64_t *out_requeued);

/**
 * Counts by state, and how many events wait for their withdrawal:
 * `{"draft","queued","sending","acknowledged","rejected","conflict","withdrawn",
 * "withdrawal_pending"}`. `*out_json` is NULL on failure.
 * @return LFPSE_OK; LFPSE_EINVALID for NULL arguments.
 */
LFPSE_API lfpse_status lfpse_store_status(lfpse_store *store, char **out_json, size_t *out_len);
/**
 * One event with its sync state: `{"local_id","state","withdrawal_pending","national_id",
 * "version","reference","review_status","review_comment","event","operations":[...],
 * "last_error","outcome"}`. `*out_json` is NULL on failure.
 * @return LFPSE_OK; LFPSE_ENOTFOUND for an unknown local_id; LFPSE_EINVALID for NULL
 *         arguments.
 */
LFPSE_API lfpse_status lfpse_store_show(lfpse_store *store, const char *local_id, char **out_json,
                                        size_t *out_len);
/**
 * Event summaries by local_id, `[{"local_id","state","withdrawal_pending","revision",
 * "national_id","version","reference","updated_at"}]`: all, or those in `state` ("queued",
 * "rejected"...; NULL for all). `*out_json` is NULL on failure.
 * @return LFPSE_OK; LFPSE_EINVALID for an unknown state name or NULL arguments.
 */
LFPSE_API lfpse_status lfpse_store_list(lfpse_store *store, const char *state, char **out_json,
                                        size_t *out_len);
/**
 * The dead letters with their reasons and the server's OperationOutcome:
 * `[{"local_id","op_id","kind","state","attempts","last_error","outcome","finished_at"}]`.
 * `*out_json` is NULL on failure.
 * @return LFPSE_OK; LFPSE_EINVALID for NULL arguments.
 */
LFPSE_API lfpse_status lfpse_store_dead_letters(lfpse_store *store, char **out_json,
                                                size_t *out_len);
/**
 * Summaries as lfpse_store_list() of the events changed at or after `since_unix_ms`, oldest
 * change first. `*out_json` is NULL on failure.
 * @return LFPSE_OK; LFPSE_EINVALID for NULL arguments.
 */
LFPSE_API lfpse_status lfpse_store_changed_since(lfpse_store *store, int64_t since_unix_ms,
                                                 char **out_json, size_t *out_len);

/**
 * Called with one JSON line (no newline; borrowed, valid during the call) per event. Runs on
 * the calling thread; must not call back into the same store. Return nonzero to stop.
 */
typedef int(LFPSE_CALLBACK *lfpse_line_cb)(const char *line, size_t len, void *userdata);
/**
 * Calls `cb` with the lfpse_store_show() JSON of every event, by local_id.
 * @return LFPSE_OK; LFPSE_EUSER when the callback stopped the export; LFPSE_EINVALID for
 *         NULL arguments.
 */
LFPSE_API lfpse_status lfpse_store_export(lfpse_store *store, lfpse_line_cb cb, void *userdata);
/**
 * PRAGMA integrity_check: `out_json` is `{"ok":bool,"report":"..."}`; NULL on failure.
 * @return LFPSE_OK (whatever the report); LFPSE_EINVALID for NULL arguments.
 */
LFPSE_API lfpse_status lfpse_store_integrity_check(lfpse_store *store, char **out_json,
                                                   size_t *out_len);

#ifdef __cplusplus
}
#endif

#endif /* LFPSE_LFPSE_H */
