// Applying the national change feed (API.md, the change feed) and keeping its cursor.
#include <string>

#include "core/error.hpp"
#include "store/internal.hpp"
#include "taxonomy/fhir.hpp"

namespace lfpse::store {

using core::Error;
using core::ErrorCode;

namespace {

// A change read ahead of the transaction: the resource mapped back and sealed.
struct PreparedChange {
  const PulledChange* change = nullptr;
  std::string local_id;  // from the resource's identifier ("" for a deletion)
  std::string taxonomy_version;
  std::string snapshot;  // plain; sealed in the job once the row's key is known
  taxonomy::NationalMeta meta;
};

PreparedChange prepare(const Store::Impl& impl, const PulledChange& c) {
  PreparedChange p;
  p.change = &c;
  if (c.national_id.empty()) throw Error(ErrorCode::Invalid, "a feed entry without an id");
  if (c.deleted) return p;
  taxonomy::FromFhirResult r = taxonomy::from_fhir(*impl.taxonomies, c.resource);
  core::JsonDocument doc;
  core::JsonError err;
  if (!doc.parse(r.event_json, &err) || !doc.root().is_object())
    throw Error(ErrorCode::Invalid, "a feed resource did not map to an event");
  const core::JsonValue* id = doc.root().find("local_id");
  if (!id || !id->is_string()) throw Error(ErrorCode::Invalid, "a feed resource has no local id");
  p.local_id = std::string(id->text());
  p.taxonomy_version = r.taxonomy ? r.taxonomy->version : std::string();
  p.snapshot = std::move(r.event_json);
  p.meta = std::move(r.meta);
  return p;
}

// The national resource always; the snapshot only when given (local changes win).
void put_blobs(Db& db, const Store::Impl& impl, const std::string& local_id,
               const std::string* snapshot, const std::string& resource) {
  if (snapshot) {
    Stmt st(db,
            "INSERT OR REPLACE INTO event_snapshots(event, snapshot) "
            "SELECT id, ?2 FROM events WHERE local_id = ?1");
    st.bind(1, local_id).bind_blob(2, impl.seal("events", "snapshot", local_id, *snapshot)).run();
  }
  Stmt st(db,
          "INSERT OR REPLACE INTO event_national(event, resource) "
          "SELECT id, ?2 FROM events WHERE local_id = ?1");
  st.bind(1, local_id).bind_blob(2, impl.seal("events", "national_resource", local_id, resource));
  st.run();
}

ApplyResult apply_in(Db& db, const Store::Impl& impl, const PreparedChange& p) {
  const PulledChange& c = *p.change;
  core::UnixMillis now = impl.now();
  {
    // During a reset (feed_reset.cpp): the re-read contains this national id.
    Stmt st(db, "UPDATE feed_reset SET seen = 1 WHERE national_id = ?1");
    st.bind(1, c.national_id).run();
  }
  std::string local_id;
  std::optional<std::string> held;
  bool draft = false;
  {
    Stmt st(db, "SELECT local_id, national_version, draft FROM events WHERE national_id = ?1");
    st.bind(1, c.national_id);
    if (st.step()) {
      local_id = st.text_at(0);
      held = st.opt_text_at(1);
      draft = st.int_at(2) != 0;
    }
  }
  if (local_id.empty() && !p.local_id.empty()) {
    // Our own event whose acknowledgement was lost: match it by its local id.
    Stmt st(db, "SELECT local_id, national_version, draft FROM events WHERE local_id = ?1");
    st.bind(1, p.local_id);
    if (st.step()) {
      local_id = st.text_at(0);
      held = st.opt_text_at(1);
      draft = st.int_at(2) != 0;
    }
  }
  if (local_id.empty()) {
    if (c.deleted) return ApplyResult::Ignored;  // never held: nothing to withdraw
    Stmt st(db,
            "INSERT INTO events(local_id, state, taxonomy_version, revision, national_id, "
            "national_version, reference, review_status, review_comment, created_at, updated_at) "
            "VALUES (?1, 'acknowledged', ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8, ?8)");
    st.bind(1, p.local_id).bind(2, p.taxonomy_version);
    st.bind(3, c.national_id).bind(4, c.version).bind(5, p.meta.reference_number);
    st.bind(6, p.meta.review_status);
    if (p.meta.review_comment) {
      st.bind_blob(7, impl.seal("events", "review_comment", p.local_id, *p.meta.review_comment));
    } else {
      st.bind_null(7);
    }
    st.bind(8, now).run();
    put_blobs(db, impl, p.local_id, &p.snapshot, c.resource);
    refresh_state(db, p.local_id, now);
    return ApplyResult::Inserted;
  }
  if (held && !version_newer(c.version, *held)) return ApplyResult::Ignored;
  if (c.deleted) {
    Stmt st(db,
            "UPDATE events SET withdrawn = 1, national_id = ?2, national_version = ?3 "
            "WHERE local_id = ?1");
    st.bind(1, local_id).bind(2, c.national_id).bind(3, c.version).run();
    refresh_state(db, local_id, now);
    return ApplyResult::Withdrawn;
  }
  // Local changes still queued (or a draft) win over the national answers; the national
  // side's own fields are taken either way.
  int64_t pending = 0;
  {
    Stmt st(db,
            "SELECT count(*) FROM operations WHERE local_id = ?1 AND state IN "
            "('queued', 'sending', 'dead', 'conflict')");
    st.bind(1, local_id);
    if (st.step()) pending = st.int_at(0);
  }
  Stmt st(db,
          "UPDATE events SET national_id = ?2, national_version = ?3, "
          "reference = coalesce(?4, reference), review_status = ?5, review_comment = ?6 "
          "WHERE local_id = ?1");
  st.bind(1, local_id).bind(2, c.national_id).bind(3, c.version).bind(4, p.meta.reference_number);
  st.bind(5, p.meta.review_status);
  if (p.meta.review_comment) {
    st.bind_blob(6, impl.seal("events", "review_comment", local_id, *p.meta.review_comment));
  } else {
    st.bind_null(6);
  }
  st.run();
  put_blobs(db, impl, local_id, pending == 0 && !draft ? &p.snapshot : nullptr, c.resource);
  refresh_state(db, local_id, now);
  return ApplyResult::Updated;
}

}  // namespace

ApplyResult Store::apply_pulled(const PulledChange& change) {
  PreparedChange p = prepare(*impl_, change);
  ApplyResult r = ApplyResult::Ignored;
  impl_->commit->run_one([&](Db& db) { r = apply_in(db, *impl_, p); });
  return r;
}

std::vector<ApplyResult> Store::apply_feed_page(const std::vector<PulledChange>& changes,
                                                const std::string& next_cursor) {
  std::vector<PreparedChange> prepared;
  prepared.reserve(changes.size());
  for (const auto& c : changes) prepared.push_back(prepare(*impl_, c));
  std::vector<ApplyResult> out;
  impl_->commit->run_one([&](Db& db) {
    out.clear();
    for (const auto& p : prepared) out.push_back(apply_in(db, *impl_, p));
    Stmt st(db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('feed_cursor', ?1)");
    st.bind(1, next_cursor).run();
  });
  return out;
}

std::optional<std::string> Store::cursor() {
  std::lock_guard<std::mutex> lock(impl_->read_mutex);
  Stmt st(*impl_->reader, "SELECT value FROM meta WHERE key = 'feed_cursor'");
  if (!st.step()) return std::nullopt;
  return st.text_at(0);
}

void Store::set_cursor(const std::string& cursor) {
  impl_->commit->run_one([&](Db& db) {
    Stmt st(db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('feed_cursor', ?1)");
    st.bind(1, cursor).run();
  });
}

}  // namespace lfpse::store
