// The SQL of events, their change records and idempotency keys (tables in storage.cpp).
// Write functions run on the writer thread only (Storage::write).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage.hpp"

namespace lfpse::server {

struct EventRow {
  std::string id;
  std::string org;
  std::optional<std::string> local_id;  ///< null for events recorded outside the API
  int64_t version = 1;
  bool withdrawn = false;
  std::string reference;
  std::string route;
  std::optional<std::string> review_status, review_comment;
  std::string last_updated;
  std::string resource;  ///< the current version's (empty once withdrawn)
};

struct ChangeRow {
  int64_t seq = 0;
  int64_t org_seq = 0;  ///< the position in its organisation's feed (1, 2, ...)
  std::string event_id;
  int64_t version = 0;
  std::string method;  ///< POST, PUT, DELETE
  int64_t at_ms = 0;
  std::optional<std::string> resource;  ///< null for DELETE
};

std::optional<EventRow> load_event(Db& db, const std::string& id);
/// The live (not withdrawn) event of `org` with this local id, other than `except_id`.
std::optional<std::string> live_local_id_owner(Db& db, const std::string& org,
                                               const std::string& local_id,
                                               const std::string& except_id = std::string());

struct IdempotencyRecord {
  std::string body_sha256;
  std::string event_id;
};
std::optional<IdempotencyRecord> load_idempotency(Db& db, const std::string& org,
                                                  const std::string& key);
void save_idempotency(Db& db, const std::string& org, const std::string& key,
                      const std::string& body_sha256, const std::string& event_id, int64_t now);

/// One version's resource from the change records (null when that version is a withdrawal).
std::optional<ChangeRow> load_change(Db& db, const std::string& event_id, int64_t version);

/// The next reference number of `org` (README.md: LFPSE-<ODS>-<YYYY>-<NNNNNN>).
std::string next_reference(Db& db, const std::string& org, int64_t now_ms);
/// An instant for a change, never before the previous change's (so `_since` matches `seq`).
int64_t change_instant(Db& db, int64_t now_ms);

/// Appends the change record (holding the resource) and points the event row at it.
int64_t save_event(Db& db, const EventRow& row, const std::string& method, int64_t at_ms,
                   bool insert);

/// A page of `org`'s changes after position `after` in its feed (or at_ms >= since_ms when
/// given): at most `limit` rows, and no row more once the resources reach `max_bytes` (the
/// first row always comes, so a page is never empty while changes remain).
std::vector<ChangeRow> load_changes(Db& db, const std::string& org, int64_t after,
                                    std::optional<int64_t> since_ms, int64_t limit,
                                    std::size_t max_bytes);
/// The last position of `org`'s feed (0 when it has none).
int64_t last_position(Db& db, const std::string& org);

std::optional<std::string> get_meta(Db& db, const std::string& key);
void set_meta(Db& db, const std::string& key, const std::string& value);

}  // namespace lfpse::server
