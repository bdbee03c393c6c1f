/**
 * lfpse.h: the stable C ABI of lfpse-sdk.
 *
 * lfpse-sdk validates patient safety events against the versioned LFPSE taxonomy, maps them
 * to and from FHIR R4 AdverseEvent resources and (in later modules) queues and sends them to
 * the national "Learn from patient safety events" service.
 *
 * Conventions (see docs/c-api.md):
 * - Every function returns an lfpse_status; LFPSE_OK is 0, errors are negative.
 * - On failure, lfpse_error_last() holds a message for the calling thread.
 * - Strings are UTF-8. JSON comes back through `char **out_json, size_t *out_len`; free it
 *   with lfpse_free(). Pass NULL for `out_len` when the length is not wanted.
 * - Handles are opaque, made through an out-parameter and freed with a NULL-safe _free().
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

/* ------------------------------------------------------------------------------------------ */
/* Versions                                                                                    */

#define LFPSE_VERSION_MAJOR 0
#define LFPSE_VERSION_MINOR 1
#define LFPSE_VERSION_PATCH 0
/** MAJOR * 10000 + MINOR * 100 + PATCH, comparable with lfpse_version_number(). */
#define LFPSE_VERSION_NUMBER (LFPSE_VERSION_MAJOR * 10000 + LFPSE_VERSION_MINOR * 100 + LFPSE_VERSION_PATCH)
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
 * has LFPSE_TAXONOMY_SET_NO_BUILTIN.
 * @return LFPSE_OK; LFPSE_EINVALID when `out` is NULL or a flag is unknown.
 */
LFPSE_API lfpse_status lfpse_taxonomy_set_new(lfpse_taxonomy_set **out, unsigned flags);

/** Frees a set. NULL is a no-op. */
LFPSE_API void lfpse_taxonomy_set_free(lfpse_taxonomy_set *set);

/**
 * Loads a taxonomy document (TAXONOMY.md section 1) from `len` bytes of JSON; a version
 * already loaded is replaced. `out_version` (optional) receives the version, free with
 * lfpse_free().
 * @return LFPSE_OK; LFPSE_EINVALID for a malformed taxonomy (the message names the member).
 */
LFPSE_API lfpse_status lfpse_taxonomy_set_load_json(lfpse_taxonomy_set *set, const char *json,
                                                    size_t len, char **out_version);

/**
 * Loads a taxonomy document from a file, as lfpse_taxonomy_set_load_json().
 * @return LFPSE_OK; LFPSE_ENOTFOUND / LFPSE_EIO when the file cannot be read; LFPSE_EINVALID.
 */
LFPSE_API lfpse_status lfpse_taxonomy_set_load_file(lfpse_taxonomy_set *set, const char *path,
                                                    char **out_version);

/**
 * The loaded versions, newest first: `{"versions":[{"version","published","profile"}]}`.
 * @return LFPSE_OK; LFPSE_EINVALID for NULL arguments.
 */
LFPSE_API lfpse_status lfpse_taxonomy_set_versions(const lfpse_taxonomy_set *set, char **out_json,
                                                   size_t *out_len);

/**
 * The taxonomy document of `version`, compact JSON, as it was loaded.
 * @return LFPSE_OK; LFPSE_ENOTFOUND when the version is not loaded.
 */
LFPSE_API lfpse_status lfpse_taxonomy_set_document(const lfpse_taxonomy_set *set,
                                                   const char *version, char **out_json,
                                                   size_t *out_len);

/**
 * The JSON Schema (draft 2020-12) of `version`'s event documents, for validating in a
 * browser. What JSON Schema cannot say is listed in the schema's `$comment`.
 * @return LFPSE_OK; LFPSE_ENOTFOUND when the version is not loaded.
 */
LFPSE_API lfpse_status lfpse_taxonomy_set_schema(const lfpse_taxonomy_set *set,
                                                 const char *version, char **out_json,
                                                 size_t *out_len);

/* ------------------------------------------------------------------------------------------ */
/* Events: validation, shown questions, FHIR, migration                                        */

/** Use the system clock (the default of lfpse_event_options). */
#define LFPSE_NOW_SYSTEM INT64_MIN

/** Per-call options for the lfpse_event_* functions. Start from LFPSE_EVENT_OPTIONS_INIT. */
typedef struct lfpse_event_options {
  uint32_t version;   /**< LFPSE_EVENT_OPTIONS_VERSION */
  int64_t now_unix_ms; /**< the validation clock (ms since 1970 UTC), or LFPSE_NOW_SYSTEM */
} lfpse_event_options;

#define LFPSE_EVENT_OPTIONS_VERSION 1
#define LFPSE_EVENT_OPTIONS_INIT {LFPSE_EVENT_OPTIONS_VERSION, LFPSE_NOW_SYSTEM}

/** Fills `opts` with the defaults of `version` (for FFIs that cannot use the macro). */
LFPSE_API lfpse_status lfpse_event_options_init(lfpse_event_options *opts, uint32_t version);

/**
 * Parses an RFC 3339 date-time ("2026-11-26T12:00:00Z") into ms since 1970 UTC, for
 * lfpse_event_options.now_unix_ms.
 * @return LFPSE_OK; LFPSE_EINVALID when the text is not an RFC 3339 date-time.
 */
LFPSE_API lfpse_status lfpse_time_parse(const char *rfc3339, int64_t *out_unix_ms);

/**
 * Validates an event document (TAXONOMY.md section 3) of `len` bytes. Always returns the
 * verdict as `{"valid":bool,"issues":[{"severity","code","path","question","message"}]}`,
 * issues sorted by path then code; text that is not an event document gives the one
 * `malformed` issue. `opts` may be NULL (system clock).
 * @return LFPSE_OK (whatever the verdict); LFPSE_EINVALID for NULL arguments.
 */
LFPSE_API lfpse_status lfpse_event_validate(const lfpse_taxonomy_set *set, const char *event,
                                            size_t len, const lfpse_event_options *opts,
                                            char **out_json, size_t *out_len);

/**
 * Which questions a form shows now for a partly filled event, and which of those are
 * required: `{"top":{"shown":[codes],"required":[codes]},"groups":{"<id>":{"shown":bool,
 * "instances":[{"shown":[...],"required":[...]}]}}}`.
 * @return LFPSE_OK; LFPSE_EEVENT when the event cannot be read (not an object, unknown
 *         version): `out_json` then holds the validation verdict with its issues.
 */
LFPSE_API lfpse_status lfpse_event_shown(const lfpse_taxonomy_set *set, const char *event,
                                         size_t len, char **out_json, size_t *out_len);

/**
 * Maps a valid event (warnings allowed) to its FHIR R4 AdverseEvent, byte-stable.
 * @return LFPSE_OK with the resource in `out_json`; LFPSE_EEVENT when the event has errors:
 *         `out_json` then holds the validation verdict.
 */
LFPSE_API lfpse_status lfpse_event_to_fhir(const lfpse_taxonomy_set *set, const char *event,
                                           size_t len, const lfpse_event_options *opts,
                                           char **out_json, size_t *out_len);

/**
 * Maps an AdverseEvent back to the canonical event document. `out_national` (optional)
 * receives what the national service added, which is not part of the event:
 * `{"id","version","last_updated","reference","recording_route","review_status",
 * "review_comment"}` (null where absent).
 * @return LFPSE_OK; LFPSE_EINVALID when the text is not an AdverseEvent of a loaded version.
 */
LFPSE_API lfpse_status lfpse_event_from_fhir(const lfpse_taxonomy_set *set, const char *resource,
                                             size_t len, char **out_event, size_t *out_event_len,
                                             char **out_national, size_t *out_national_len);

/**
 * Migrates an event to `to_version`, stepping through every version between (TAXONOMY.md 4):
 * `{"event":<migrated event>|null,"issues":[...]}`, the issues being the `migrated:dropped`
 * warnings and the validation of the migrated event, sorted together.
 * @return LFPSE_OK; LFPSE_ENOTFOUND for an unloaded target; LFPSE_EINVALID for a downgrade;
 *         LFPSE_EEVENT when the event cannot be read (`out_json` holds `event: null` and why).
 */
LFPSE_API lfpse_status lfpse_event_migrate(const lfpse_taxonomy_set *set, const char *event,
                                           size_t len, const char *to_version,
                                           const lfpse_event_options *opts, char **out_json,
                                           size_t *out_len);

#ifdef __cplusplus
}
#endif

#endif /* LFPSE_LFPSE_H */
