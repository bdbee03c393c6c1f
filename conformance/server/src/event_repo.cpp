#include "event_repo.hpp"

#include <algorithm>
#include <cstdio>

#include "core/time.hpp"

namespace lfpse::server {

std::optional<EventRow> load_event(Db& db, const std::string& id) {
  Stmt s(db,
         "SELECT e.id, e.org, e.local_id, e.version, e.withdrawn, e.reference, e.route, "
         "e.review_status, e.review_comment, e.last_updated, c.resource "
         "FROM events e JOIN changes c ON c.seq = e.head_seq WHERE e.id = ?1");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  EventRow r;
  r.id = s.text(0);
  r.org = s.text(1);
  r.local_id = s.opt_text(2);
  r.version = s.integer(3);
  r.withdrawn = s.integer(4) != 0;
  r.reference = s.text(5);
  r.route = s.text(6);
  r.review_status = s.opt_text(7);
  r.review_comment = s.opt_text(8);
  r.last_updated = s.text(9);
  r.resource = s.text(10);
  return r;
}

std::optional<std::string> live_local_id_owner(Db& db, const std::string& org,
                                               const std::string& local_id,
                                               const std::string& except_id) {
  Stmt s(db,
         "SELECT id FROM events WHERE org = ?1 AND local_id = ?2 AND withdrawn = 0 AND id <> ?3 "
         "LIMIT 1");
  s.bind(1, org).bind(2, local_id).bind(3, except_id);
  if (!s.step()) return std::nullopt;
  return s.text(0);
}

std::optional<IdempotencyRecord> load_idempotency(Db& db, const std::string& org,
                                                  const std::string& key) {
  Stmt s(db, "SELECT body_sha256, event_id FROM idempotency WHERE org = ?1 AND key = ?2");
  s.bind(1, org).bind(2, key);
  if (!s.step()) return std::nullopt;
  return IdempotencyRecord{s.text(0), s.text(1)};
}

void save_idempotency(Db& db, const std::string& org, const std::string& key,
                      const std::string& body_sha256, const std::string& event_id, int64_t now) {
  Stmt s(db,
         "INSERT INTO idempotency(org, key, body_sha256, event_id, created_ms) "
         "VALUES (?1, ?2, ?3, ?4, ?5)");
  s.bind(1, org).bind(2, key).bind(3, body_sha256).bind(4, event_id).bind(5, now);
  s.step();
}

std::optional<ChangeRow> load_change(Db& db, const std::string& event_id, int64_t version) {
  Stmt s(db,
         "SELECT seq, event_id, version, method, at_ms, resource FROM changes "
         "WHERE event_id = ?1 AND version = ?2");
  s.bind(1, event_id).bind(2, version);
  if (!s.step()) return std::nullopt;
  return ChangeRow{s.integer(0), 0, s.text(1), s.integer(2), s.text(3), s.integer(4),
                   s.opt_text(5)};
}

std::string next_reference(Db& db, const std::string& org, int64_t now_ms) {
  Stmt s(db,
         "INSERT INTO counters(org, n) VALUES (?1, 1) "
         "ON CONFLICT(org) DO UPDATE SET n = n + 1 RETURNING n");
  s.bind(1, org);
  int64_t n = s.step() ? s.integer(0) : 0;
  while (s.step()) {
  }
  core::CivilDate d = core::civil_from_days(now_ms / 86400000);
  char buf[64];
  std::snprintf(buf, sizeof buf, "-%04d-%06lld", d.year, static_cast<long long>(n));
  return "LFPSE-" + org + buf;
}

int64_t change_instant(Db& db, int64_t now_ms) {
  db.last_change_ms = std::max(db.last_change_ms, now_ms);
  return db.last_change_ms;
}

int64_t save_event(Db& db, const EventRow& r, const std::string& method, int64_t at_ms,
                   bool insert) {
  int64_t seq = 0;
  {
    // One writer: the organisation's next position cannot race (changes_org_pos finds it).
    Stmt c(db,
           "INSERT INTO changes(org, event_id, version, method, at_ms, resource, org_seq) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
           "(SELECT coalesce(max(org_seq), 0) + 1 FROM changes WHERE org = ?1))");
    c.bind(1, r.org).bind(2, r.id).bind(3, r.version).bind(4, method).bind(5, at_ms);
    if (method == "DELETE") {
      c.bind_null(6);
    } else {
      c.bind(6, r.resource);
    }
    c.step();
    seq = sqlite3_last_insert_rowid(db.handle());
  }
  Stmt s(db, insert ? "INSERT INTO events(id, org, local_id, version, withdrawn, reference, "
                      "route, review_status, review_comment, last_updated, head_seq) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
                    : "UPDATE events SET org = ?2, local_id = ?3, version = ?4, withdrawn = ?5, "
                      "reference = ?6, route = ?7, review_status = ?8, review_comment = ?9, "
                      "last_updated = ?10, head_seq = ?11 WHERE id = ?1");
  s.bind(1, r.id).bind(2, r.org).bind_opt(3, r.local_id).bind(4, r.version);
  s.bind(5, int64_t(r.withdrawn ? 1 : 0)).bind(6, r.reference).bind(7, r.route);
  s.bind_opt(8, r.review_status).bind_opt(9, r.review_comment).bind(10, r.last_updated);
  s.bind(11, seq);
  s.step();
  return seq;
}

std::vector<ChangeRow> load_changes(Db& db, const std::string& org, int64_t after,
                                    std::optional<int64_t> since_ms, int64_t limit,
                                    std::size_t max_bytes) {
  std::vector<ChangeRow> out;
  std::size_t bytes = 0;
  // Row by row, so a page costs at most max_bytes plus one resource however large _count is.
  auto collect = [&](Stmt& s) {
    while (s.step()) {
      ChangeRow row{s.integer(0), s.integer(1), s.text(2),    s.integer(3),
                    s.text(4),    s.integer(5), s.opt_text(6)};
      std::size_t size = row.resource ? row.resource->size() : 0;
      if (!out.empty() && bytes + size > max_bytes) break;
      bytes += size;
      out.push_back(std::move(row));
    }
  };
  if (since_ms) {
    Stmt s(db,
           "SELECT seq, org_seq, event_id, version, method, at_ms, resource FROM changes "
           "WHERE org = ?1 AND at_ms >= ?2 ORDER BY org_seq LIMIT ?3");
    s.bind(1, org).bind(2, *since_ms).bind(3, limit);
    collect(s);
  } else {
    Stmt s(db,
           "SELECT seq, org_seq, event_id, version, method, at_ms, resource FROM changes "
           "WHERE org = ?1 AND org_seq > ?2 ORDER BY org_seq LIMIT ?3");
    s.bind(1, org).bind(2, after).bind(3, limit);
    collect(s);
  }
  return out;
}

int64_t last_position(Db& db, const std::string& org) {
  Stmt s(db, "SELECT coalesce(max(org_seq), 0) FROM changes WHERE org = ?1");
  s.bind(1, org);
  return s.step() ? s.integer(0) : 0;
}

std::optional<std::string> get_meta(Db& db, const std::string& key) {
  Stmt s(db, "SELECT value FROM meta WHERE key = ?1");
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  return s.text(0);
}

void set_meta(Db& db, const std::string& key, const std::string& value) {
  Stmt s(db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)");
  s.bind(1, key).bind(2, value);
  s.step();
}

}  // namespace lfpse::server
