// Queries for the LRMS, as JSON, read on their own connection (WAL readers never block the
// writer) inside one read transaction each, so that each answer is one consistent snapshot.
#include <string>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/json_writer.hpp"
#include "store/internal.hpp"

namespace lfpse::store {

using core::Error;
using core::ErrorCode;

namespace {

const char* const kStates[] = {"draft",    "queued",   "sending",  "acknowledged",
                               "rejected", "conflict", "withdrawn"};

// A column of ms since 1970 as an RFC 3339 instant, or null.
void instant_or_null(core::JsonWriter& w, const Stmt& st, int column) {
  if (st.is_null(column)) {
    w.null();
  } else {
    w.value(core::format_rfc3339_ms(st.int_at(column)));
  }
}

// Stored JSON (snapshots, outcomes) is embedded as is when it parses, else as a string.
void json_or_null(core::JsonWriter& w, const std::optional<std::string>& v) {
  if (!v || v->empty()) {
    w.null();
    return;
  }
  core::JsonDocument doc;
  core::JsonError err;
  if (doc.parse(*v, &err)) {
    w.value(doc.root());
  } else {
    w.value(*v);
  }
}

// A withdrawal is pending while the event is withdrawn locally but its queue still holds work:
// the withdrawal waits behind a create (or update) that may have reached the service.
bool withdrawal_pending(int64_t withdrawn, std::string_view state) {
  return withdrawn != 0 && state != "withdrawn";
}

constexpr const char* kSummaryCols =
    "SELECT local_id, state, revision, national_id, national_version, reference, updated_at, "
    "withdrawn FROM events ";

void append_summary(core::JsonWriter& w, const Stmt& st) {
  std::string state = st.text_at(1);
  w.begin_object().member("local_id", st.text_at(0)).member("state", state);
  w.member("withdrawal_pending", withdrawal_pending(st.int_at(7), state));
  w.member("revision", st.int_at(2)).member("national_id", st.opt_text_at(3));
  w.member("version", st.opt_text_at(4)).member("reference", st.opt_text_at(5));
  w.member("updated_at", core::format_rfc3339_ms(st.int_at(6))).end_object();
}

std::optional<std::string> show_in(Db& db, const Store::Impl& impl, const std::string& id) {
  Stmt ev(db,
          "SELECT state, national_id, national_version, reference, review_status, "
          "review_comment, s.snapshot, withdrawn FROM events e "
          "JOIN event_snapshots s ON s.event = e.id WHERE local_id = ?1");
  ev.bind(1, id);
  if (!ev.step()) return std::nullopt;
  core::JsonWriter w;
  std::string state = ev.text_at(0);
  w.begin_object().member("local_id", id).member("state", state);
  w.member("withdrawal_pending", withdrawal_pending(ev.int_at(7), state));
  w.member("national_id", ev.opt_text_at(1)).member("version", ev.opt_text_at(2));
  w.member("reference", ev.opt_text_at(3)).member("review_status", ev.opt_text_at(4));
  w.member("review_comment", impl.unseal_opt("events", "review_comment", id, ev.opt_text_at(5)));
  w.key("event");
  json_or_null(w, impl.unseal("events", "snapshot", id, ev.text_at(6)));

  Stmt ops(db,
           "SELECT op_id, kind, revision, idempotency_key, state, attempts, next_attempt_at, "
           "last_error, created_at, finished_at, outcome FROM operations WHERE local_id = ?1 "
           "ORDER BY seq");
  ops.bind(1, id);
  w.key("operations").begin_array();
  std::optional<std::string> last_error, outcome;
  while (ops.step()) {
    std::string op_id = ops.text_at(0);
    std::string st = ops.text_at(4);
    auto err = impl.unseal_opt("operations", "last_error", op_id, ops.opt_text_at(7));
    w.begin_object().member("op_id", op_id).member("kind", ops.text_at(1));
    w.member("revision", ops.int_at(2)).member("idempotency_key", ops.text_at(3));
    w.member("state", st).member("attempts", ops.int_at(5));
    w.member("next_attempt_at", core::format_rfc3339_ms(ops.int_at(6)));
    w.member("last_error", err).member("created_at", core::format_rfc3339_ms(ops.int_at(8)));
    w.key("finished_at");
    instant_or_null(w, ops, 9);
    w.end_object();
    if (err) last_error = err;
    if (st == "done") last_error.reset();  // a later success clears an earlier failure
    if (st == "dead" || st == "conflict")
      outcome = impl.unseal_opt("operations", "outcome", op_id, ops.opt_text_at(10));
  }
  w.end_array().member("last_error", last_error).key("outcome");
  json_or_null(w, outcome);
  w.end_object();
  return w.take();
}

}  // namespace

std::string Store::status_json() {
  std::lock_guard<std::mutex> lock(impl_->read_mutex);
  Transaction tx(*impl_->reader, false);
  int64_t counts[7] = {};
  Stmt st(*impl_->reader, "SELECT state, count(*) FROM events GROUP BY state");
  while (st.step()) {
    std::string s = st.text_at(0);
    for (int i = 0; i < 7; ++i)
      if (s == kStates[i]) counts[i] = st.int_at(1);
  }
  // Only events with work in their queue can wait for a withdrawal: a range of the state index.
  Stmt pending(*impl_->reader,
               "SELECT count(*) FROM events WHERE state IN ('queued', 'sending', 'rejected', "
               "'conflict') AND withdrawn = 1");
  pending.step();
  core::JsonWriter w;
  w.begin_object();
  for (int i = 0; i < 7; ++i) w.member(kStates[i], counts[i]);
  w.member("withdrawal_pending", pending.int_at(0)).end_object();
  return w.take();
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
  core::JsonWriter w;
  w.begin_array();
  while (st.step()) append_summary(w, st);
  return w.end_array().take();
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
  core::JsonWriter w;
  w.begin_array();
  while (st.step()) append_summary(w, st);
  return w.end_array().take();
}

std::string Store::dead_letters_json() {
  std::lock_guard<std::mutex> lock(impl_->read_mutex);
  Stmt st(*impl_->reader,
          "SELECT local_id, op_id, kind, attempts, last_error, outcome, finished_at, state "
          "FROM operations WHERE state IN ('dead', 'conflict') ORDER BY seq");
  core::JsonWriter w;
  w.begin_array();
  while (st.step()) {
    std::string op_id = st.text_at(1);
    w.begin_object().member("local_id", st.text_at(0)).member("op_id", op_id);
    w.member("kind", st.text_at(2)).member("state", st.text_at(7));
    w.member("attempts", st.int_at(3));
    w.member("last_error", impl_->unseal_opt("operations", "last_error", op_id, st.opt_text_at(4)));
    w.key("outcome");
    json_or_null(w, impl_->unseal_opt("operations", "outcome", op_id, st.opt_text_at(5)));
    w.key("finished_at");
    instant_or_null(w, st, 6);
    w.end_object();
  }
  return w.end_array().take();
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
