#include "store/event_writes.hpp"

#include "core/error.hpp"

namespace lfpse::store {

using core::Error;
using core::ErrorCode;

namespace {

struct EventRow {
  bool exists = false;
  int64_t key = 0;  // events.id
  bool draft = false;
  bool withdrawn = false;
  int64_t revision = 0;
  std::optional<std::string> national_id;
};

EventRow load_event(Db& db, const std::string& local_id) {
  EventRow row;
  Stmt st(db, "SELECT draft, withdrawn, revision, national_id, id FROM events WHERE local_id = ?1");
  st.bind(1, local_id);
  if (st.step()) {
    row.exists = true;
    row.draft = st.int_at(0) != 0;
    row.withdrawn = st.int_at(1) != 0;
    row.revision = st.int_at(2);
    row.national_id = st.opt_text_at(3);
    row.key = st.int_at(4);
  }
  return row;
}

int64_t count_ops(Db& db, const std::string& local_id, const char* where) {
  std::string sql = "SELECT count(*) FROM operations WHERE local_id = ?1 AND ";
  sql += where;
  Stmt st(db, sql);
  st.bind(1, local_id);
  return st.step() ? st.int_at(0) : 0;
}

// A create still on its way (queued or being sent): later changes follow it as updates.
bool create_pending(Db& db, const std::string& local_id) {
  return count_ops(db, local_id, "kind = 'create' AND state IN ('queued', 'sending')") > 0;
}

// The LRMS changed an event after a permanent failure: the dead letters are superseded.
void drop_dead(Db& db, const std::string& local_id, core::UnixMillis now) {
  Stmt st(db,
          "UPDATE operations SET state = 'dropped', finished_at = ?2 "
          "WHERE local_id = ?1 AND state IN ('dead', 'conflict')");
  st.bind(1, local_id).bind(2, now).run();
}

}  // namespace

void insert_op(Db& db, const std::string& op_id, const std::string& local_id, const char* kind,
               int64_t revision, const std::string& key, const std::string* sealed_body,
               core::UnixMillis now) {
  // The schema's CHECK on kind, enforced here: the writer connection skips CHECK constraints
  // (see Store::open), as SQLite evaluates that IN list through a temporary b-tree built
  // on every INSERT. This is the only place that writes the column.
  std::string_view k(kind);
  if (k != "create" && k != "update" && k != "withdraw")
    throw Error(ErrorCode::Internal, "insert_op: unknown operation kind " + std::string(k));
  Stmt st(db,
          "INSERT INTO operations(op_id, local_id, kind, revision, idempotency_key, state, "
          "next_attempt_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 'queued', ?6, ?6)");
  st.bind(1, op_id).bind(2, local_id).bind(3, k).bind(4, revision);
  st.bind(5, key).bind(6, now).run();
  if (sealed_body) {
    Stmt body(db, "INSERT INTO op_bodies(seq, body) VALUES (?1, ?2)");
    body.bind(1, db.last_insert_rowid()).bind_blob_ref(2, *sealed_body).run();
  }
}

namespace {

// The common case, a local_id never seen: its final state is known (queued, or draft), so one
// INSERT per table does it, without the lookups and the state refresh of the general path.
// Returns false (and writes nothing) when the local_id is already in the store.
bool insert_fresh(Db& db, const PreparedEvent& p, core::UnixMillis now, WriteResult& r) {
  {
    Stmt st(db,
            "INSERT INTO events(local_id, state, taxonomy_version, revision, draft, created_at, "
            "updated_at) VALUES (?1, ?2, ?3, 1, ?4, ?5, ?5) ON CONFLICT(local_id) DO NOTHING");
    st.bind(1, p.local_id).bind(2, std::string_view(p.draft ? "draft" : "queued"));
    st.bind(3, p.taxonomy_version).bind(4, int64_t{p.draft ? 1 : 0}).bind(5, now).run();
    if (db.changes() == 0) return false;
  }
  {
    Stmt st(db, "INSERT INTO event_snapshots(event, snapshot) VALUES (?1, ?2)");
    st.bind(1, db.last_insert_rowid()).bind_blob_ref(2, p.sealed_snapshot).run();
  }
  r.stored = true;
  r.local_id = p.local_id;
  r.validation = p.validation;
  r.revision = 1;
  r.state = p.draft ? "draft" : "queued";
  if (!p.draft) {
    r.op_kind = "create";
    r.op_id = p.op_id;
    r.idempotency_key = p.idempotency_key;
    insert_op(db, p.op_id, p.local_id, "create", 1, p.idempotency_key, &p.sealed_body, now);
  }
  return true;
}

}  // namespace

WriteResult write_event(Db& db, const Store::Impl& impl, const PreparedEvent& p, WriteMode mode) {
  core::UnixMillis now = impl.now();
  if (mode == WriteMode::Record) {
    WriteResult fresh;
    if (insert_fresh(db, p, now, fresh)) return fresh;
  }
  EventRow row = load_event(db, p.local_id);
  if (mode == WriteMode::Record && row.exists) {
    // Only an event saved as a draft and never queued may be recorded again.
    bool ever_queued = count_ops(db, p.local_id, "state NOT IN ('dropped', 'coalesced')") > 0;
    if (!row.draft || ever_queued || row.national_id || row.withdrawn)
      throw Error(ErrorCode::Conflict,
                  "event " + p.local_id + " is already recorded: use update to change it");
  }
  if (mode == WriteMode::Update && !row.exists)
    throw Error(ErrorCode::NotFound, "no event with local_id " + p.local_id);
  if (row.withdrawn)
    throw Error(ErrorCode::Conflict, "event " + p.local_id + " is withdrawn and cannot change");

  WriteResult r;
  r.stored = true;
  r.local_id = p.local_id;
  r.validation = p.validation;
  r.revision = row.revision + 1;
  int64_t event_key = row.key;
  if (row.exists) {
    Stmt st(db, "UPDATE events SET taxonomy_version = ?2, revision = ?3, draft = ?4 WHERE id = ?1");
    st.bind(1, row.key).bind(2, p.taxonomy_version).bind(3, r.revision);
    st.bind(4, int64_t{p.draft ? 1 : 0}).run();
  } else {
    Stmt st(db,
            "INSERT INTO events(local_id, state, taxonomy_version, revision, draft, created_at, "
            "updated_at) VALUES (?1, 'draft', ?2, ?3, ?4, ?5, ?5)");
    st.bind(1, p.local_id).bind(2, p.taxonomy_version).bind(3, r.revision);
    st.bind(4, int64_t{p.draft ? 1 : 0}).bind(5, now).run();
    event_key = db.last_insert_rowid();
  }
  {
    Stmt st(db, "INSERT OR REPLACE INTO event_snapshots(event, snapshot) VALUES (?1, ?2)");
    st.bind(1, event_key).bind_blob_ref(2, p.sealed_snapshot).run();
  }
  if (!p.draft) {
    drop_dead(db, p.local_id, now);
    bool as_update = row.national_id.has_value() || create_pending(db, p.local_id);
    if (as_update && impl.options.coalesce_updates) {
      Stmt st(db,
              "UPDATE operations SET state = 'coalesced', finished_at = ?2 WHERE local_id = ?1 "
              "AND kind = 'update' AND state = 'queued' AND attempts = 0");
      st.bind(1, p.local_id).bind(2, now).run();
    }
    r.op_kind = as_update ? "update" : "create";
    r.op_id = p.op_id;
    r.idempotency_key = p.idempotency_key;
    insert_op(db, p.op_id, p.local_id, r.op_kind.c_str(), r.revision, p.idempotency_key,
              &p.sealed_body, now);
  }
  r.state = refresh_state(db, p.local_id, now);
  return r;
}

WriteResult withdraw_event(Db& db, const Store::Impl& impl, const std::string& local_id,
                           const std::string& op_id, const std::string& key) {
  core::UnixMillis now = impl.now();
  EventRow row = load_event(db, local_id);
  if (!row.exists) throw Error(ErrorCode::NotFound, "no event with local_id " + local_id);
  if (row.withdrawn)
    throw Error(ErrorCode::Conflict, "event " + local_id + " is already withdrawn");
  WriteResult r;
  r.stored = true;
  r.local_id = local_id;
  r.revision = row.revision + 1;
  drop_dead(db, local_id, now);
  {
    Stmt st(db, "UPDATE events SET withdrawn = 1, draft = 0, revision = ?2 WHERE local_id = ?1");
    st.bind(1, local_id).bind(2, r.revision).run();
  }
  // What was never attempted cannot have reached the service: it is cancelled, so that an
  // event withdrawn (perhaps recorded in error, with identifiable text) sends nothing more.
  {
    Stmt st(db,
            "UPDATE operations SET state = 'dropped', finished_at = ?2 "
            "WHERE local_id = ?1 AND state = 'queued' AND attempts = 0");
    st.bind(1, local_id).bind(2, now).run();
  }
  // What may have reached it (held nationally, in flight, or tried with no answer) is withdrawn
  // there: the DELETE waits behind any such operation. Anything else is withdrawn locally.
  if (row.national_id ||
      count_ops(db, local_id, "(state = 'sending' OR (state = 'queued' AND attempts > 0))") > 0) {
    r.op_kind = "withdraw";
    r.op_id = op_id;
    r.idempotency_key = key;
    insert_op(db, op_id, local_id, "withdraw", r.revision, key, nullptr, now);
  }
  r.state = refresh_state(db, local_id, now);
  return r;
}

std::string head_state(Db& db, std::string_view local_id) {
  // An OR chain, not an IN list: SQLite builds a temporary b-tree for an IN list of three or
  // more constants on every execution, and this runs once per write.
  Stmt st(db,
          "SELECT state FROM operations WHERE local_id = ?1 AND (state = 'queued' OR "
          "state = 'sending' OR state = 'dead' OR state = 'conflict') ORDER BY seq LIMIT 1");
  st.bind(1, local_id);
  return st.step() ? st.text_at(0) : std::string();
}

const char* state_from(const std::string& head, bool draft, bool withdrawn, bool national) {
  if (head == "dead") return "rejected";
  if (head == "conflict") return "conflict";
  if (head == "sending") return "sending";
  if (head == "queued") return "queued";
  if (withdrawn) return "withdrawn";
  if (draft) return "draft";
  return national ? "acknowledged" : "draft";
}

std::string refresh_state(Db& db, std::string_view local_id, core::UnixMillis now) {
  std::string head = head_state(db, local_id);
  bool draft = false, withdrawn = false, national = false;
  if (head.empty()) {
    Stmt st(db, "SELECT draft, withdrawn, national_id IS NOT NULL FROM events WHERE local_id = ?1");
    st.bind(1, local_id);
    if (!st.step()) throw Error(ErrorCode::Internal, "refresh_state: no such event");
    draft = st.int_at(0) != 0;
    withdrawn = st.int_at(1) != 0;
    national = st.int_at(2) != 0;
  }
  const char* state = state_from(head, draft, withdrawn, national);
  Stmt up(db, "UPDATE events SET state = ?2, updated_at = ?3 WHERE local_id = ?1");
  up.bind(1, local_id).bind(2, std::string_view(state)).bind(3, now).run();
  return state;
}

}  // namespace lfpse::store
