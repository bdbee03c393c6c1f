// The store's side of a change-feed reset (API.md, the change feed: after 410
// cursor-expired the client re-reads the whole feed, and queues again every event it holds
// as acknowledged that the re-read does not contain, so that a reset never loses an event).
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "store/event_writes.hpp"
#include "store/internal.hpp"
#include "taxonomy/fhir.hpp"

namespace lfpse::store {

using core::Error;
using core::ErrorCode;

namespace {

// The events to queue again: noted at the start, not seen since, still under the same
// national id (the re-read may have matched one by its local id under a new national id),
// and not withdrawn.
constexpr const char* kLostSql =
    "SELECT e.local_id, e.revision, e.draft, e.taxonomy_version, s.snapshot "
    "FROM feed_reset r JOIN events e ON e.local_id = r.local_id "
    "LEFT JOIN event_snapshots s ON s.event = e.id "
    "WHERE r.seen = 0 AND e.national_id = r.national_id AND e.withdrawn = 0 "
    "ORDER BY e.id";

struct Lost {
  std::string local_id;
  int64_t revision = 0;
  bool draft = false;
  std::string op_id, key;
  std::string sealed_body;  // "" for a draft, or when it could not be mapped
  bool mapped = false;
};

// Reads one row of kLostSql and maps its snapshot to FHIR; CPU work kept out of the write
// transaction where possible.
Lost map_lost(const Store::Impl& impl, Stmt& st, core::UnixMillis now) {
  Lost l;
  l.local_id = st.text_at(0);
  l.revision = st.int_at(1);
  l.draft = st.int_at(2) != 0;
  l.op_id = core::uuid_v7(now);
  l.key = core::uuid_v7(now);
  if (l.draft) {
    l.mapped = true;  // finishing the draft later queues its create
    return l;
  }
  taxonomy::TaxonomyPtr tax = impl.taxonomies->find(st.text_at(3));
  if (!tax || st.is_null(4)) return l;
  std::string snapshot = impl.unseal("events", "snapshot", l.local_id, st.text_at(4));
  core::JsonDocument doc;
  core::JsonError err;
  if (!doc.parse(snapshot, &err) || !doc.root().is_object()) return l;
  l.sealed_body = impl.seal("operations", "body", l.op_id, taxonomy::to_fhir(*tax, doc.root()));
  l.mapped = true;
  return l;
}

void requeue(Db& db, const Lost& l, core::UnixMillis now) {
  // Whatever was pending was addressed to the lost national copy: the fresh create carries
  // the latest snapshot, so it supersedes those operations.
  {
    Stmt st(db,
            "UPDATE operations SET state = 'dropped', finished_at = ?2 WHERE local_id = ?1 AND "
            "state IN ('queued', 'sending', 'dead', 'conflict')");
    st.bind(1, l.local_id).bind(2, now).run();
  }
  {
    Stmt st(db,
            "DELETE FROM event_national WHERE event = (SELECT id FROM events WHERE local_id = ?1)");
    st.bind(1, l.local_id).run();
  }
  {
    Stmt st(db,
            "UPDATE events SET national_id = NULL, national_version = NULL, reference = NULL "
            "WHERE local_id = ?1");
    st.bind(1, l.local_id).run();
  }
  if (!l.draft)
    insert_op(db, l.op_id, l.local_id, "create", l.revision, l.key, &l.sealed_body, now);
  refresh_state(db, l.local_id, now);
}

}  // namespace

void Store::begin_feed_reset() {
  impl_->commit->run_one([&](Db& db) {
    db.exec("DELETE FROM feed_reset");
    db.exec(
        "INSERT INTO feed_reset(national_id, local_id) SELECT national_id, local_id FROM events "
        "WHERE national_id IS NOT NULL");
    Stmt st(db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('feed_reset', ?1)");
    st.bind(1, impl_->now()).run();
    db.exec("DELETE FROM meta WHERE key = 'feed_cursor'");
  });
}

bool Store::feed_reset_active() {
  std::lock_guard<std::mutex> lock(impl_->read_mutex);
  Stmt st(*impl_->reader, "SELECT 1 FROM meta WHERE key = 'feed_reset'");
  return st.step();
}

FeedResetResult Store::finish_feed_reset() {
  // Map the lost events' snapshots before taking the write lock; the transaction checks
  // again and maps itself only what changed meanwhile.
  core::UnixMillis now = impl_->now();
  std::unordered_map<std::string, Lost> mapped;
  {
    std::lock_guard<std::mutex> lock(impl_->read_mutex);
    Stmt st(*impl_->reader, kLostSql);
    while (st.step()) {
      Lost l = map_lost(*impl_, st, now);
      mapped.emplace(l.local_id, std::move(l));
    }
  }
  FeedResetResult out;
  impl_->commit->run_one([&](Db& db) {
    out = FeedResetResult{};
    if (db.query_int("SELECT count(*) FROM meta WHERE key = 'feed_reset'") == 0)
      throw Error(ErrorCode::Conflict, "no change-feed reset is in progress");
    core::UnixMillis at = impl_->now();
    std::vector<Lost> lost;
    {
      Stmt st(db, kLostSql);
      while (st.step()) {
        auto it = mapped.find(st.text_at(0));
        bool same = it != mapped.end() && it->second.revision == st.int_at(1) &&
                    it->second.draft == (st.int_at(2) != 0);
        lost.push_back(same ? it->second : map_lost(*impl_, st, at));
      }
    }
    // Written once the query is done: SQLite does not promise what an open query sees of
    // rows changed under it.
    for (const Lost& l : lost) {
      if (!l.mapped) {
        out.unmapped.push_back(l.local_id);
        continue;
      }
      requeue(db, l, at);
      out.requeued.push_back(l.local_id);
    }
    db.exec("DELETE FROM feed_reset");
    db.exec("DELETE FROM meta WHERE key = 'feed_reset'");
  });
  return out;
}

}  // namespace lfpse::store
