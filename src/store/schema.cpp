// The schema and its migrations, keyed on PRAGMA user_version.
#include <string>

#include "core/error.hpp"
#include "store/internal.hpp"

namespace lfpse::store {

using core::Error;
using core::ErrorCode;

namespace {

constexpr int64_t kApplicationId = 0x4C465345;  // "LFSE": marks the file as an lfpse store
constexpr const char* kKeyCheck = "lfpse-store-key-check";

// Migration i takes user_version i to i + 1. Append only; never edit a released step.
const char* const kMigrations[] = {
    // 0 -> 1: events, their operations queue, and key/value metadata. Large values (snapshots,
    // bodies, national resources) live in tables of their own keyed by stable integer keys, so
    // that the frequent state changes rewrite small rows only.
    R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;
CREATE TABLE events(
  id INTEGER PRIMARY KEY,
  local_id TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL,
  taxonomy_version TEXT,
  revision INTEGER NOT NULL,
  draft INTEGER NOT NULL DEFAULT 0,
  withdrawn INTEGER NOT NULL DEFAULT 0,
  national_id TEXT,
  national_version TEXT,
  reference TEXT,
  review_status TEXT,
  review_comment BLOB,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL);
CREATE INDEX events_state ON events(state);
CREATE INDEX events_updated ON events(updated_at);
CREATE INDEX events_national ON events(national_id) WHERE national_id IS NOT NULL;
CREATE TABLE event_snapshots(event INTEGER PRIMARY KEY, snapshot BLOB NOT NULL);
CREATE TABLE event_national(event INTEGER PRIMARY KEY, resource BLOB NOT NULL);
CREATE TABLE operations(
  seq INTEGER PRIMARY KEY,
  op_id TEXT NOT NULL UNIQUE,
  local_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('create', 'update', 'withdraw')),
  revision INTEGER NOT NULL,
  idempotency_key TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_token TEXT,
  lease_expires_at INTEGER,
  last_error BLOB,
  outcome BLOB,
  created_at INTEGER NOT NULL,
  finished_at INTEGER);
CREATE INDEX ops_event ON operations(local_id, seq);
CREATE INDEX ops_due ON operations(next_attempt_at, seq) WHERE state = 'queued';
CREATE INDEX ops_leased ON operations(lease_expires_at) WHERE state = 'sending';
CREATE INDEX ops_dead ON operations(seq) WHERE state IN ('dead', 'conflict');
CREATE TABLE op_bodies(seq INTEGER PRIMARY KEY, body BLOB NOT NULL);
)sql",
    // 1 -> 2: a change-feed reset in progress (API.md, 410 cursor-expired): the events held as
    // acknowledged when it began, and whether the re-read has shown each of them yet. Empty
    // when no reset runs, so that applying a feed entry costs one lookup in an empty table.
    R"sql(
CREATE TABLE feed_reset(
  national_id TEXT PRIMARY KEY,
  local_id TEXT NOT NULL,
  seen INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
)sql",
    // 2 -> 3: one index on (state, updated_at) serves counts and lists by state and, with the
    // seven states spelled out, changes since an instant: each write of an event and each of its
    // state changes then updates one index where they updated two.
    R"sql(
DROP INDEX events_state;
DROP INDEX events_updated;
CREATE INDEX events_state_updated ON events(state, updated_at);
)sql",
};
constexpr int kMigrationCount = sizeof kMigrations / sizeof kMigrations[0];
static_assert(kMigrationCount == kSchemaVersion, "one migration per schema version");

void check_key(Db& db, const Store::Impl& impl, bool fresh) {
  std::optional<std::string> marker;
  {
    Stmt st(db, "SELECT value FROM meta WHERE key = 'key_check'");
    if (st.step()) marker = st.text_at(0);
  }
  if (fresh) {
    if (!impl.sealer) return;
    Stmt st(db, "INSERT INTO meta(key, value) VALUES ('key_check', ?1)");
    st.bind_blob(1, impl.seal("meta", "value", "key_check", kKeyCheck)).run();
    return;
  }
  if (marker && !impl.sealer)
    throw Error(ErrorCode::Invalid,
                "the store is encrypted: open it with its key (" + db.path() + ")");
  if (!marker && impl.sealer)
    throw Error(ErrorCode::Invalid,
                "the store is not encrypted, but a key was given; a store is encrypted from its "
                "creation (" +
                    db.path() + ")");
  if (!marker) return;
  try {
    if (impl.unseal("meta", "value", "key_check", *marker) == kKeyCheck) return;
  } catch (const Error&) {
  }
  throw Error(ErrorCode::Invalid, "wrong key for the encrypted store (" + db.path() + ")");
}

// Refuses a file written by a newer library or that is not an lfpse store; returns its schema
// version. Reads only.
int64_t readable_version(Db& db) {
  int64_t version = db.query_int("PRAGMA user_version");
  int64_t app_id = db.query_int("PRAGMA application_id");
  if (version > kSchemaVersion)
    throw Error(ErrorCode::Unsupported,
                "the store was written by a newer lfpse-sdk (schema " + std::to_string(version) +
                    ", this library knows up to " + std::to_string(kSchemaVersion) +
                    "); it was not modified (" + db.path() + ")");
  if (app_id != 0 && app_id != kApplicationId)
    throw Error(ErrorCode::Invalid, "the file is not an lfpse store (" + db.path() + ")");
  if (version == 0 && db.query_int("SELECT count(*) FROM sqlite_schema") != 0)
    throw Error(ErrorCode::Invalid,
                "the file is a database, but not an lfpse store (" + db.path() + ")");
  return version;
}

}  // namespace

void check_schema_read_only(Db& db, const Store::Impl& impl) {
  int64_t version = readable_version(db);
  if (version == 0)
    throw Error(ErrorCode::Invalid,
                "the file is an empty database, not an lfpse store (" + db.path() + ")");
  if (version < kSchemaVersion)
    throw Error(ErrorCode::Unsupported,
                "the store has schema " + std::to_string(version) + ", older than this library's " +
                    std::to_string(kSchemaVersion) +
                    ", and a read-only open does not migrate it: open it (or a copy) writable "
                    "once (" +
                    db.path() + ")");
  check_key(db, impl, false);
}

void prepare_schema(Db& db, const Store::Impl& impl) {
  // Read before writing anything: journal_mode=WAL alone would alter a file we must refuse.
  int64_t version = readable_version(db);
  db.exec("PRAGMA journal_mode=WAL");
  if (version == kSchemaVersion) {
    check_key(db, impl, false);
    return;
  }
  Transaction tx(db);
  // Another process may have migrated while we waited for the lock.
  version = db.query_int("PRAGMA user_version");
  bool fresh = version == 0;
  if (!fresh) check_key(db, impl, false);
  for (int64_t v = version; v < kSchemaVersion; ++v) db.exec(kMigrations[v]);
  if (version < kSchemaVersion) {
    db.exec(("PRAGMA user_version=" + std::to_string(kSchemaVersion)).c_str());
    db.exec(("PRAGMA application_id=" + std::to_string(kApplicationId)).c_str());
    if (fresh) check_key(db, impl, true);
  } else {
    check_key(db, impl, false);
  }
  tx.commit();
}

bool version_newer(std::string_view a, std::string_view b) {
  auto numeric = [](std::string_view s) {
    if (s.empty() || s.size() > 18) return false;
    for (char c : s)
      if (c < '0' || c > '9') return false;
    return true;
  };
  if (numeric(a) && numeric(b)) return std::stoll(std::string(a)) > std::stoll(std::string(b));
  return a > b;
}

}  // namespace lfpse::store
