// The sync client's side of the queue: claim with a lease, complete, fail, retry.
#include <string>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "store/internal.hpp"

namespace lfpse::store {

using core::Error;
using core::ErrorCode;

namespace {

// The organisation of a stored snapshot (a canonical event document, so it parses).
std::optional<std::string> organisation_of(const std::string& snapshot) {
  core::JsonDocument doc;
  core::JsonError error;
  if (!doc.parse(snapshot, &error, core::JsonLimits{64, snapshot.size() + 1}) ||
      !doc.root().is_object())
    throw Error(ErrorCode::Corrupt, "a stored event snapshot is not a JSON object");
  const core::JsonValue* org = doc.root().find("organisation");
  if (!org || !org->is_string()) return std::nullopt;
  return std::string(org->text());
}

}  // namespace

std::vector<ClaimedOp> Store::claim_due(int n, int64_t lease_ms) {
  if (n <= 0 || lease_ms <= 0)
    throw Error(ErrorCode::Invalid, "claim_due: n and lease must be > 0");
  std::vector<ClaimedOp> out;
  std::vector<std::string> snapshots;  // sealed, read in the claim's transaction
  impl_->commit->run_one(
      [&](Db& db) {
        out.clear();
        core::UnixMillis now = impl_->now();
        // A crashed sender's leases come back: its operations are due again, in their place.
        std::vector<std::pair<int64_t, std::string>> expired;
        {
          Stmt st(db,
                  "SELECT seq, local_id FROM operations WHERE state = 'sending' AND "
                  "lease_expires_at <= ?1");
          st.bind(1, now);
          while (st.step()) expired.emplace_back(st.int_at(0), st.text_at(1));
        }
        for (const auto& e : expired) {
          Stmt st(db, "UPDATE operations SET state = 'queued', lease_token = NULL WHERE seq = ?1");
          st.bind(1, e.first).run();
        }
        for (const auto& e : expired) refresh_state(db, e.second, now);

        // The head of each event's queue only: nothing overtakes an earlier operation of its
        // event (queued, in flight or dead), while other events go on.
        Stmt st(db,
                "SELECT o.seq, o.op_id, o.local_id, o.kind, o.idempotency_key, b.body, o.attempts, "
                "o.revision, e.national_id, e.national_version, e.id FROM operations o "
                "JOIN events e ON e.local_id = o.local_id LEFT JOIN op_bodies b ON b.seq = o.seq "
                "WHERE o.state = 'queued' AND o.next_attempt_at <= ?1 AND NOT EXISTS ("
                "  SELECT 1 FROM operations p WHERE p.local_id = o.local_id AND p.seq < o.seq"
                "  AND (p.state = 'queued' OR p.state = 'sending' OR p.state = 'dead'"
                "  OR p.state = 'conflict')) "
                "ORDER BY o.next_attempt_at, o.seq LIMIT ?2");
        st.bind(1, now).bind(2, int64_t{n});
        std::vector<int64_t> seqs, event_keys;
        while (st.step()) {
          ClaimedOp op;
          seqs.push_back(st.int_at(0));
          event_keys.push_back(st.int_at(10));
          op.op_id = st.text_at(1);
          op.local_id = st.text_at(2);
          op.kind = st.text_at(3);
          op.idempotency_key = st.text_at(4);
          op.body = st.text_at(5);  // still sealed: opened after the commit, outside the lock
          op.attempts = st.int_at(6) + 1;
          op.revision = st.int_at(7);
          op.national_id = st.opt_text_at(8);
          op.national_version = st.opt_text_at(9);
          op.lease_token = core::uuid_v7(now);
          out.push_back(std::move(op));
        }
        Stmt up(
            db,
            "UPDATE operations SET state = 'sending', attempts = attempts + 1, lease_token = ?2, "
            "lease_expires_at = ?3 WHERE seq = ?1");
        // The claimed operation is its event's head, so the event is now 'sending': no need for
        // refresh_state's lookup of the head.
        Stmt ev(db, "UPDATE events SET state = 'sending', updated_at = ?2 WHERE id = ?1");
        for (std::size_t i = 0; i < out.size(); ++i) {
          up.reset();
          up.bind(1, seqs[i]).bind(2, out[i].lease_token).bind(3, now + lease_ms).run();
          ev.reset();
          ev.bind(1, event_keys[i]).bind(2, now).run();
        }
        snapshots.clear();
        Stmt snap(db, "SELECT snapshot FROM event_snapshots WHERE event = ?1");
        for (int64_t key : event_keys) {
          snap.reset();
          snap.bind(1, key);
          snapshots.push_back(snap.step() ? snap.text_at(0) : std::string());
        }
      },
      /*durable=*/false);  // a lease lost to a power cut only means the operation is claimed again
  for (std::size_t i = 0; i < out.size(); ++i) {
    ClaimedOp& op = out[i];
    if (!op.body.empty()) op.body = impl_->unseal("operations", "body", op.op_id, op.body);
    op.organisation =
        organisation_of(impl_->unseal("events", "snapshot", op.local_id, snapshots[i]));
  }
  return out;
}

namespace {

bool complete_in(Db& db, const Store::Impl& impl, const std::string& op_id, const Ack& ack) {
  core::UnixMillis now = impl.now();
  // One lookup for the operation and its event, then updates by rowid: this runs once per
  // operation the service answered.
  int64_t seq = 0, event_key = 0;
  std::string local_id;
  std::optional<std::string> held;
  bool draft = false, withdrawn = false, national = false;
  {
    Stmt st(db,
            "SELECT o.seq, o.local_id, o.state = 'done' OR o.state = 'dropped' OR o.state = "
            "'coalesced', "
            "e.id, e.national_version, e.draft, e.withdrawn, e.national_id IS NOT NULL "
            "FROM operations o LEFT JOIN events e ON e.local_id = o.local_id WHERE o.op_id = ?1");
    st.bind(1, op_id);
    if (!st.step()) throw Error(ErrorCode::NotFound, "no operation " + op_id);
    if (st.int_at(2) != 0) return false;  // a duplicate answer
    if (st.is_null(3)) throw Error(ErrorCode::Internal, "an operation without its event");
    seq = st.int_at(0);
    local_id = st.text_at(1);
    event_key = st.int_at(3);
    held = st.opt_text_at(4);
    draft = st.int_at(5) != 0;
    withdrawn = st.int_at(6) != 0;
    national = st.int_at(7) != 0;
  }
  {
    // The server's answer is the truth even from a sender whose lease has lapsed.
    Stmt st(db,
            "UPDATE operations SET state = 'done', finished_at = ?2, lease_token = NULL, "
            "lease_expires_at = NULL WHERE seq = ?1");
    st.bind(1, seq).bind(2, now).run();
  }
  // The answer and the event's new state in one row update.
  bool take = !held || ack.version.empty() || version_newer(ack.version, *held);
  const char* state = state_from(head_state(db, local_id), draft, withdrawn,
                                 national || (take && !ack.national_id.empty()));
  {
    Stmt st(db,
            "UPDATE events SET national_id = coalesce(?2, national_id), "
            "national_version = coalesce(?3, national_version), "
            "reference = coalesce(?4, reference), state = ?5, updated_at = ?6 WHERE id = ?1");
    auto opt = [take](const std::string& v) {
      return take && !v.empty() ? std::optional<std::string>(v) : std::nullopt;
    };
    st.bind(1, event_key).bind(2, opt(ack.national_id)).bind(3, opt(ack.version));
    st.bind(4, take ? ack.reference : std::nullopt).bind(5, std::string_view(state)).bind(6, now);
    st.run();
  }
  if (take && !ack.resource.empty()) {
    Stmt nat(db, "INSERT OR REPLACE INTO event_national(event, resource) VALUES (?1, ?2)");
    nat.bind(1, event_key);
    nat.bind_blob(2, impl.seal("events", "national_resource", local_id, ack.resource)).run();
  }
  return true;
}

// The lease must still be ours: a sender whose lease lapsed must not move the operation.
std::string check_lease(Db& db, const std::string& op_id, const std::string& token) {
  Stmt st(db, "SELECT state, lease_token, local_id FROM operations WHERE op_id = ?1");
  st.bind(1, op_id);
  if (!st.step()) throw Error(ErrorCode::NotFound, "no operation " + op_id);
  if (st.text_at(0) != "sending" || st.text_at(1) != token)
    throw Error(ErrorCode::Conflict, "the lease on operation " + op_id + " is no longer held");
  return st.text_at(2);
}

}  // namespace

bool Store::complete(const std::string& op_id, const std::string& /*lease_token*/, const Ack& ack) {
  bool changed = false;
  impl_->commit->run_one([&](Db& db) { changed = complete_in(db, *impl_, op_id, ack); });
  return changed;
}

void Store::complete_batch(const std::vector<std::pair<ClaimedOp, Ack>>& done) {
  impl_->commit->run_one([&](Db& db) {
    for (const auto& d : done) complete_in(db, *impl_, d.first.op_id, d.second);
  });
}

void Store::fail_transient(const std::string& op_id, const std::string& lease_token,
                           core::UnixMillis next_attempt_at, const std::string& error) {
  std::string sealed = impl_->seal("operations", "last_error", op_id, error);
  impl_->commit->run_one([&](Db& db) {
    std::string local_id = check_lease(db, op_id, lease_token);
    Stmt st(db,
            "UPDATE operations SET state = 'queued', next_attempt_at = ?2, last_error = ?3, "
            "lease_token = NULL, lease_expires_at = NULL WHERE op_id = ?1");
    st.bind(1, op_id).bind(2, next_attempt_at).bind_blob(3, sealed).run();
    refresh_state(db, local_id, impl_->now());
  });
}

void Store::fail_permanent(const std::string& op_id, const std::string& lease_token,
                           const std::string& error, const std::string& outcome, bool conflict) {
  std::string sealed_error = impl_->seal("operations", "last_error", op_id, error);
  std::string sealed_outcome = impl_->seal("operations", "outcome", op_id, outcome);
  impl_->commit->run_one([&](Db& db) {
    std::string local_id = check_lease(db, op_id, lease_token);
    core::UnixMillis now = impl_->now();
    // A withdrawn event's create or update refused for good (not a conflict) leaves the LRMS
    // nothing to fix, and a retry would send its text again: it is kept as dropped, not as a
    // dead letter. A refused create means the service never held the event, so the DELETE
    // behind it goes too and the event is withdrawn locally.
    std::string kind;
    bool withdrawn = false, national = false;
    {
      Stmt ev(db,
              "SELECT o.kind, e.withdrawn, e.national_id IS NOT NULL FROM operations o "
              "JOIN events e ON e.local_id = o.local_id WHERE o.op_id = ?1");
      ev.bind(1, op_id);
      if (ev.step()) {
        kind = ev.text_at(0);
        withdrawn = ev.int_at(1) != 0;
        national = ev.int_at(2) != 0;
      }
    }
    bool drop = !conflict && withdrawn && kind != "withdraw";
    if (drop && kind == "create" && !national) {
      Stmt w(db,
             "UPDATE operations SET state = 'dropped', finished_at = ?2 WHERE local_id = ?1 "
             "AND kind = 'withdraw' AND state = 'queued'");
      w.bind(1, local_id).bind(2, now).run();
    }
    Stmt st(db,
            "UPDATE operations SET state = ?2, last_error = ?3, outcome = ?4, finished_at = ?5, "
            "lease_token = NULL, lease_expires_at = NULL WHERE op_id = ?1");
    st.bind(1, op_id).bind(2, std::string_view(conflict ? "conflict" : drop ? "dropped" : "dead"));
    st.bind_blob(3, sealed_error);
    if (outcome.empty()) {
      st.bind_null(4);
    } else {
      st.bind_blob(4, sealed_outcome);
    }
    st.bind(5, now).run();
    refresh_state(db, local_id, now);
  });
}

int64_t Store::retry(std::string_view local_id) {
  std::string id(local_id);
  int64_t n = 0;
  impl_->commit->run_one([&](Db& db) {
    core::UnixMillis now = impl_->now();
    {
      Stmt st(db, "SELECT 1 FROM events WHERE local_id = ?1");
      st.bind(1, id);
      if (!st.step()) throw Error(ErrorCode::NotFound, "no event with local_id " + id);
    }
    Stmt st(db,
            "UPDATE operations SET state = 'queued', next_attempt_at = ?2, finished_at = NULL "
            "WHERE local_id = ?1 AND state IN ('dead', 'conflict')");
    st.bind(1, id).bind(2, now).run();
    n = db.changes();
    refresh_state(db, id, now);
  });
  return n;
}

}  // namespace lfpse::store
