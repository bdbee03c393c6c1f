// Queries for the LRMS, as JSON, read on their own connection (WAL readers never block the
// writer) inside one read transaction each, so that each answer is one consistent snapshot.
#include <string>

#include "core/error.hpp"
#include "core/json.hpp"
#include "store/internal.hpp"

namespace lfpse::store {

using core::Error;
using core::ErrorCode;

namespace {

const char* const kStates[] = {"draft",    "queued",   "sending",  "acknowledged",
                               "rejected", "conflict", "withdrawn"};

void str_or_null(std::string& o, const std::optional<std::string>& v) {
  if (v) {
    core::json_append_string(o, *v);
  } else {
    o += "null";
  }
}

// A column of ms since 1970 as an RFC 3339 instant, or null.
void instant_or_null(std::string& o, const Stmt& st, int column) {
  if (st.is_null(column)) {
    o += "null";
  } else {
    core::json_append_string(o, core::format_rfc3339_ms(st.int_at(column)));
  }
}

// Stored JSON (snapshots, outcomes) is embedded as is when it parses, else as a string.
void json_or_null(std::string& o, const std::optional<std::string>& v) {
  if (!v || v->empty()) {
    o += "null";
    return;
  }
  core::JsonDocument doc;
  core::JsonError err;
  if (doc.parse(*v, &err)) {
    core::json_append_value(o, doc.root());
  } else {
    core::json_append_string(o, *v);
  }
}

constexpr const char* kSummaryCols =
    "SELECT local_id, state, revision, national_id, national_version, reference, updated_at "
    "FROM events ";

void append_summary(std::string& o, const Stmt& st) {
  o += "{\"local_id\":";
  core::json_append_string(o, st.text_at(0));
  o += ",\"state\":";
  core::json_append_string(o, st.text_at(1));
  o += ",\"revision\":" + std::to_string(st.int_at(2)) + ",\"national_id\":";
  str_or_null(o, st.opt_text_at(3));
  o += ",\"version\":";
  str_or_null(o, st.opt_text_at(4));
  o += ",\"reference\":";
  str_or_null(o, st.opt_text_at(5));
  o += ",\"updated_at\":";
  core::json_append_string(o, core::format_rfc3339_ms(st.int_at(6)));
  o += "}";
}

std::optional<std::string> show_in(Db& db, const Store::Impl& impl, const std::string& id) {
  Stmt ev(db,
          "SELECT state, national_id, national_version, reference, review_status, "
          "review_comment, s.snapshot FROM events e JOIN event_snapshots s ON s.event = e.id "
          "WHERE local_id = ?1");
  ev.bind(1, id);
  if (!ev.step()) return std::nullopt;
  std::string o = "{\"local_id\":";
  core::json_append_string(o, id);
  o += ",\"state\":";
  core::json_append_string(o, ev.text_at(0));
  o += ",\"national_id\":";
  str_or_null(o, ev.opt_text_at(1));
  o += ",\"version\":";
  str_or_null(o, ev.opt_text_at(2));
  o += ",\"reference\":";
  str_or_null(o, ev.opt_text_at(3));
  o += ",\"review_status\":";
  str_or_null(o, ev.opt_text_at(4));
  o += ",\"review_comment\":";
  str_or_null(o, impl.unseal_opt("events", "review_comment", id, ev.opt_text_at(5)));
  o += ",\"event\":";
  json_or_null(o, impl.unseal("events", "snapshot", id, ev.text_at(6)));

  Stmt ops(db,
           "SELECT op_id, kind, revision, idempotency_key, state, attempts, next_attempt_at, "
           "last_error, created_at, finished_at, outcome FROM operations WHERE local_id = ?1 "
           "ORDER BY seq");
  ops.bind(1, id);
  o += ",\"operations\":[";
  std::optional<std::string> last_error, outcome;
  bool first = true;
  while (ops.step()) {
    std::string op_id = ops.text_at(0);
    if (!first) o += ",";
    first = false;
    o += "{\"op_id\":";
    core::json_append_string(o, op_id);
    o += ",\"kind\":";
    core::json_append_string(o, ops.text_at(1));
    o += ",\"revision\":" + std::to_string(ops.int_at(2)) + ",\"idempotency_key\":";
    core::json_append_string(o, ops.text_at(3));
    o += ",\"state\":";
    core::json_append_string(o, ops.text_at(4));
    o += ",\"attempts\":" + std::to_string(ops.int_at(5)) + ",\"next_attempt_at\":";
    core::json_append_string(o, core::format_rfc3339_ms(ops.int_at(6)));
    auto err = impl.unseal_opt("operations", "last_error", op_id, ops.opt_text_at(7));
    o += ",\"last_error\":";
    str_or_null(o, err);
    o += ",\"created_at\":";
    core::json_append_string(o, core::format_rfc3339_ms(ops.int_at(8)));
    o += ",\"finished_at\":";
    instant_or_null(o, ops, 9);
    o += "}";
    std::string st = ops.text_at(4);
    if (err) last_error = err;
    if (st == "done") last_error.reset();  // a later success clears an earlier failure
    if (st == "dead" || st == "conflict")
      outcome = impl.unseal_opt("operations", "outcome", op_id, ops.opt_text_at(10));
  }
  o += "],\"last_error\":";
  str_or_null(o, last_error);
  o += ",\"outcome\":";
  json_or_null(o, outcome);
  o += "}";
  return o;
}

}  // namespace

std::string Store::status_json() {
  std::lock_guard<std::mutex> lock(impl_->read_mutex);
  int64_t counts[7] = {};
  Stmt st(*impl_->reader, "SELECT state, count(*) FROM events GROUP BY state");
  while (st.step()) {
    std::string s = st.text_at(0);
    for (int i = 0; i < 7; ++i)
      if (s == kStates[i]) counts[i] = st.int_at(1);
  }
  std::string o = "{";
  for (int i = 0; i < 7; ++i) {
    if (i) o += ",";
    core::json_append_string(o, kStates[i]);
    o += ":" + std::to_string(counts[i]);
  }
  return o + "}";
}

std::optional<std::string> Store::show_json(std::string_view local_id) {
  std::lock_guard<std::mutex> lock(impl_->read_mutex);
  Transaction tx(*impl_->reader, false);
  return show_in(*impl_->reader, *impl_, std::string(local_id));
}

std::string Store::list_json(std::optional<std::string_view> state) {
  if (state) {
    bool known = false;
    for (const char* s : kStates) known = known || *state == s;
    if (!known) throw Error(ErrorCode::Invalid, "unknown state " + std::string(*state));
  }
  std::lock_guard<std::mutex> lock(impl_->read_mutex);
  std::string sql = kSummaryCols;
  sql += state ? "WHERE state = ?1 ORDER BY local_id" : "ORDER BY local_id";
  Stmt st(*impl_->reader, sql);
  if (state) st.bind(1, *state);
  std::string o = "[";
  for (bool first = true; st.step(); first = false) {
    if (!first) o += ",";
    append_summary(o, st);
  }
  return o + "]";
}

std::string Store::changed_since_json(core::UnixMillis since) {
  std::lock_guard<std::mutex> lock(impl_->read_mutex);
  std::string sql = kSummaryCols;
  // Every state named, so that SQLite reads the (state, updated_at) index: one range per state.
  sql +=
      "WHERE state IN ('draft', 'queued', 'sending', 'acknowledged', 'rejected', 'conflict', "
      "'withdrawn') AND updated_at >= ?1 ORDER BY updated_at, local_id";
  Stmt st(*impl_->reader, sql);
  st.bind(1, since);
  std::string o = "[";
  for (bool first = true; st.step(); first = false) {
    if (!first) o += ",";
    append_summary(o, st);
  }
  return o + "]";
}

std::string Store::dead_letters_json() {
  std::lock_guard<std::mutex> lock(impl_->read_mutex);
  Stmt st(*impl_->reader,
          "SELECT local_id, op_id, kind, attempts, last_error, outcome, finished_at, state "
          "FROM operations WHERE state IN ('dead', 'conflict') ORDER BY seq");
  std::string o = "[";
  for (bool first = true; st.step(); first = false) {
    std::string op_id = st.text_at(1);
    if (!first) o += ",";
    o += "{\"local_id\":";
    core::json_append_string(o, st.text_at(0));
    o += ",\"op_id\":";
    core::json_append_string(o, op_id);
    o += ",\"kind\":";
    core::json_append_string(o, st.text_at(2));
    o += ",\"state\":";
    core::json_append_string(o, st.text_at(7));
    o += ",\"attempts\":" + std::to_string(st.int_at(3)) + ",\"last_error\":";
    str_or_null(o, impl_->unseal_opt("operations", "last_error", op_id, st.opt_text_at(4)));
    o += ",\"outcome\":";
    json_or_null(o, impl_->unseal_opt("operations", "outcome", op_id, st.opt_text_at(5)));
    o += ",\"finished_at\":";
    instant_or_null(o, st, 6);
    o += "}";
  }
  return o + "]";
}

void Store::export_lines(const std::function<void(const std::string&)>& line) {
  std::lock_guard<std::mutex> lock(impl_->read_mutex);
  Transaction tx(*impl_->reader, false);
  Stmt ids(*impl_->reader, "SELECT local_id FROM events ORDER BY local_id");
  while (ids.step()) {
    auto shown = show_in(*impl_->reader, *impl_, ids.text_at(0));
    if (shown) line(*shown);
  }
}

}  // namespace lfpse::store
