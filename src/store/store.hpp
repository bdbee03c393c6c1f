// The local event store and durable offline queue (issue 3): the C++ API that the C ABI
// (lfpse_store_*) and the CLI (`lfpse record|update|withdraw|queue`) wrap.
//
// One SQLite file per LRMS installation. Every call that changes the store is one
// transaction, durable when it returns (synchronous=FULL, the default). Concurrent callers
// in one process share fsyncs (group commit); other processes may open the same file.
//
// Errors are core::Error: Invalid (bad argument, not an event document), NotFound (unknown
// local_id / operation), Conflict (the event's state forbids the call, a stale lease, the
// file locked past the busy timeout), Io (disk full, read-only file), Corrupt (damaged file,
// wrong key), Unsupported (a store written by a newer library). Validation issues are data,
// returned in WriteResult, never thrown.
//
// Thread safety: a Store may be shared by any number of threads; every method is safe to
// call concurrently. Do not use a Store across fork(): open a new one in the child.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "taxonomy/issue.hpp"
#include "taxonomy/taxonomy_set.hpp"

namespace lfpse::store {

/// The schema version this library writes (PRAGMA user_version).
constexpr int kSchemaVersion = 3;

struct StoreOptions {
  /// FULL (default): a call that returned is on disk. NORMAL: never corrupts, but the last
  /// commits before a power cut (not a process crash) may be lost; see docs/store.md.
  enum class Synchronous { Full, Normal };
  Synchronous synchronous = Synchronous::Full;
  /// How long a call waits for another connection's write lock before failing (Conflict).
  int busy_timeout_ms = 5000;
  /// Encryption at rest: set for a new store to seal answer text; required (the same key)
  /// to open a sealed store. A store is sealed or not for its whole life.
  std::optional<std::array<uint8_t, 32>> key;
  /// Coalesce queued updates of one event that were never attempted into the newest one
  /// (creates, withdrawals and anything tried are never touched). Default: every revision
  /// is sent, as the national service keeps every revision.
  bool coalesce_updates = false;
  /// The taxonomies events are validated against; null: the built-in versions.
  std::shared_ptr<const taxonomy::TaxonomySet> taxonomies;
  /// The validation clock (TAXONOMY.md 3.3).
  core::Clock clock = core::Clock::system();
  /// The store's own time (queue times, leases, updated_at); empty: the system clock.
  std::function<core::UnixMillis()> time_source;
  /// A size limit in database pages (4096 bytes); 0: none. A call that would pass it fails
  /// with Io ("disk full or the store's size limit reached") and stores nothing.
  int64_t max_pages = 0;
  /// Testing: the SQLite VFS to open the file with (empty: the default).
  std::string vfs;
  /// Threads record_batch may start to validate and map a large batch (64 events or more)
  /// while its transaction writes the events already prepared. 0 (default): no call starts a
  /// thread; every event is prepared on the calling thread.
  unsigned prepare_threads = 0;
  /// Opens an existing store read-only, to inspect a copy or a backup: SQLite opens the file
  /// read-only, nothing is migrated or written, and every writing call fails with Io. When
  /// neither the file nor its directory is writable the file is read as it stands (SQLite's
  /// `immutable`), which is refused while a write-ahead log beside it holds commits.
  bool read_only = false;
};

/// Event sync states, as stored and as printed.
enum class EventState { Draft, Queued, Sending, Acknowledged, Rejected, Conflict, Withdrawn };
const char* state_name(EventState s);

/// The outcome of record / update / withdraw.
struct WriteResult {
  bool stored = false;  ///< false: refused for its validation issues, nothing written
  std::string local_id;
  taxonomy::Validation validation;  ///< errors (when refused) and warnings (pii:*)
  std::string state;                ///< the event's sync state after the call
  int64_t revision = 0;             ///< the event's local revision after the call
  std::string op_id;                ///< the queued operation ("" for a draft)
  std::string op_kind;              ///< "create", "update", "withdraw" or ""
  std::string idempotency_key;
  /// `{"local_id","stored","state","revision","operation":{"op_id","kind",
  /// "idempotency_key"}|null,"issues":[...]}`
  std::string json() const;
};

/// An operation handed to the sync client by claim_due.
struct ClaimedOp {
  std::string op_id;
  std::string lease_token;  ///< pass back to complete / fail_*
  std::string local_id;
  /// The event's ODS code (a store may hold several organisations); none only when the
  /// latest snapshot is a draft without one.
  std::optional<std::string> organisation;
  std::string kind;  ///< "create" (POST), "update" (PUT), "withdraw" (DELETE)
  std::string idempotency_key;
  /// The FHIR AdverseEvent as queued (creates and updates; "" for withdraw), fixed bytes.
  /// For a PUT the client inserts `"id"` after resourceType.
  std::string body;
  std::optional<std::string> national_id;       ///< for update / withdraw
  std::optional<std::string> national_version;  ///< If-Match, as held now
  int64_t attempts = 0;                         ///< including this one
  int64_t revision = 0;
};

/// The server's answer to a successful operation.
struct Ack {
  std::string national_id;
  std::string version;                   ///< meta.versionId / ETag
  std::optional<std::string> reference;  ///< ReferenceNumber
  std::string resource;                  ///< the resource returned ("" for a withdrawal)
};

/// One change-feed entry (API.md, the change feed).
struct PulledChange {
  std::string national_id;
  std::string version;
  bool deleted = false;  ///< a DELETE entry (no resource)
  std::string resource;  ///< the full AdverseEvent otherwise
};
enum class ApplyResult { Inserted, Updated, Withdrawn, Ignored };

/// What finish_feed_reset did.
struct FeedResetResult {
  /// Events held as acknowledged that the re-read did not contain, queued again as creates
  /// (drafts among them are not queued until finished, but lose their national id likewise).
  std::vector<std::string> requeued;
  /// Events not contained whose taxonomy version is not loaded, so that they cannot be mapped
  /// to FHIR: left as they were (load their taxonomy and reset again).
  std::vector<std::string> unmapped;
};

class Store {
 public:
  /// Opens or creates the store at `path` (WAL, the schema migrated to kSchemaVersion).
  /// Throws Unsupported for a newer schema (the file is not modified), Invalid for a path that
  /// is not a file name ("", ":memory:", a file: URI), a file that is not an lfpse store or a
  /// key mismatch (missing / unexpected / wrong key), Io for a missing folder (with the OS's
  /// reason).
  static std::unique_ptr<Store> open(const std::string& path, StoreOptions options = {});
  ~Store();

  // --- the LRMS side -------------------------------------------------------------------
  /// Records a new event (or finalises one saved only as a draft). Validates against the
  /// event's taxonomy version; an invalid event is refused (stored=false) unless `draft`.
  /// A draft is stored, never queued. Conflict when the local_id is already recorded.
  WriteResult record(std::string_view event_json, bool draft = false);
  /// Several records in one transaction (one fsync); each validated and refused alone.
  std::vector<WriteResult> record_batch(const std::vector<std::string>& events, bool draft = false);
  /// Stores a new snapshot of a known event and queues an update (a create when the event
  /// never reached the service). NotFound for an unknown local_id, Conflict when withdrawn.
  WriteResult update(std::string_view event_json, bool draft = false);
  /// Withdraws an event: its operations never attempted are cancelled; a DELETE is queued when
  /// the service holds the event or an operation may have reached it (in flight, or tried with
  /// no answer), else the event is withdrawn locally. NotFound / Conflict (already withdrawn).
  /// Rules: docs/decisions.md, "The store: withdrawals".
  WriteResult withdraw(std::string_view local_id);
  /// Puts an event's dead operations back in the queue, due now, with their original keys and
  /// bodies. Returns how many were requeued; NotFound for an unknown event.
  int64_t retry(std::string_view local_id);

  // --- queries (JSON) -----------------------------------------------------------------------
  /// `{"draft":n,"queued":n,"sending":n,"acknowledged":n,"rejected":n,"conflict":n,"withdrawn":n,
  /// "withdrawal_pending":n}` (withdrawn locally, the DELETE still to be done)
  std::string status_json();
  /// `{"local_id","state","withdrawal_pending","national_id","version","reference","review_status",
  /// "review_comment","event","operations":[...],"last_error","outcome"}`; nullopt when
  /// unknown. operations: `{"op_id","kind","revision","idempotency_key","state","attempts",
  /// "next_attempt_at","last_error","created_at","finished_at"}` in queue order.
  std::optional<std::string> show_json(std::string_view local_id);
  /// `[{"local_id","state","withdrawal_pending","revision","national_id","version","reference",
  /// "updated_at"}]`,
  /// by local_id; all events, or those in `state`. Invalid for an unknown state name.
  std::string list_json(std::optional<std::string_view> state = std::nullopt);
  /// `[{"local_id","op_id","kind","state","attempts","last_error","outcome","finished_at"}]`
  std::string dead_letters_json();
  /// Summaries as list_json of the events changed at or after `since`, oldest change first.
  std::string changed_since_json(core::UnixMillis since);
  /// Calls `line` with the show_json of every event, by local_id (JSON lines export).
  void export_lines(const std::function<void(const std::string&)>& line);

  // --- the sync client side -------------------------------------------------------------
  /// Claims up to `n` due operations (the head of each event's queue, never one behind
  /// another of its event), leasing them for `lease_ms`. An expired lease is claimable again.
  std::vector<ClaimedOp> claim_due(int n, int64_t lease_ms);
  /// Records the server's answer. Returns false when the operation was already complete (a
  /// duplicate answer), true otherwise. NotFound for an unknown op_id.
  bool complete(const std::string& op_id, const std::string& lease_token, const Ack& ack);
  /// Several completions in one transaction.
  void complete_batch(const std::vector<std::pair<ClaimedOp, Ack>>& done);
  /// A transient failure: the operation is due again at `next_attempt_at`. Conflict when the
  /// lease is no longer held.
  void fail_transient(const std::string& op_id, const std::string& lease_token,
                      core::UnixMillis next_attempt_at, const std::string& error);
  /// A permanent failure: the operation becomes a dead letter (the event `rejected`, or
  /// `conflict` when `conflict` is set); `outcome` is the server's OperationOutcome, kept
  /// whole. The event's later operations wait; other events go on.
  void fail_permanent(const std::string& op_id, const std::string& lease_token,
                      const std::string& error, const std::string& outcome, bool conflict = false);
  /// Applies one change-feed entry; a version already held is ignored.
  ApplyResult apply_pulled(const PulledChange& change);
  /// Applies a feed page and stores its `next` cursor in one transaction.
  std::vector<ApplyResult> apply_feed_page(const std::vector<PulledChange>& changes,
                                           const std::string& next_cursor);
  std::optional<std::string> cursor();
  void set_cursor(const std::string& cursor);

  // --- change-feed reset (API.md: after 410 cursor-expired) ---------------------------------
  // The sync client calls begin_feed_reset, re-reads the whole feed from the beginning with
  // apply_feed_page (what is already held, by id and version, is ignored as ever; local changes
  // still queued win as ever), and once it has caught up calls finish_feed_reset. The reset is
  // kept in the store: after a crash, go on from cursor() and finish as usual.
  /// Starts (or restarts) a reset: forgets the cursor and notes every event held now with a
  /// national id. Until finish_feed_reset, apply_pulled / apply_feed_page mark each national
  /// id they meet as seen.
  void begin_feed_reset();
  /// True between begin_feed_reset and finish_feed_reset, across reopening too.
  bool feed_reset_active();
  /// Ends the reset: every event noted at its start that the re-read did not contain (and
  /// that was not withdrawn) lost its national copy, so a reset never loses an event: its
  /// national id, version and reference are cleared, its pending operations dropped, and a
  /// fresh create queued (a new idempotency key; the body its latest snapshot mapped to FHIR),
  /// all in one transaction. Conflict when no reset is active.
  FeedResetResult finish_feed_reset();

  // --- maintenance -----------------------------------------------------------------------
  /// PRAGMA integrity_check: "ok" or SQLite's report.
  std::string integrity_check();
  const std::string& path() const;

  struct Impl;

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace lfpse::store
