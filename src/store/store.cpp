// Opening a store, and the LRMS's writes: record, update, withdraw (each one transaction).
#include "store/store.hpp"

#include <string>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "store/event_writes.hpp"
#include "store/internal.hpp"
#include "store/wal_coalescing_vfs.hpp"

namespace lfpse::store {

using core::Error;
using core::ErrorCode;

const char* state_name(EventState s) {
  switch (s) {
    case EventState::Draft:
      return "draft";
    case EventState::Queued:
      return "queued";
    case EventState::Sending:
      return "sending";
    case EventState::Acknowledged:
      return "acknowledged";
    case EventState::Rejected:
      return "rejected";
    case EventState::Conflict:
      return "conflict";
    case EventState::Withdrawn:
      return "withdrawn";
  }
  return "unknown";
}

namespace {

void configure(Db& db, const StoreOptions& o) {
  db.exec(("PRAGMA busy_timeout=" + std::to_string(o.busy_timeout_ms)).c_str());
  db.exec(o.synchronous == StoreOptions::Synchronous::Full ? "PRAGMA synchronous=FULL"
                                                           : "PRAGMA synchronous=NORMAL");
  db.exec("PRAGMA foreign_keys=OFF");
  if (o.max_pages > 0) db.exec(("PRAGMA max_page_count=" + std::to_string(o.max_pages)).c_str());
}

// A read-only store has one connection, opened read-only, and no writer: the group commit
// runs on the read-only connection and refuses every job (GroupCommit::run).
void open_read_only(Store::Impl& impl, const std::string& path) {
  Db::OpenFlags flags;
  flags.create = false;
  flags.read_only = true;
  flags.vfs = impl.options.vfs;
  impl.reader = std::make_unique<Db>(path, flags);
  impl.reader->exec(
      ("PRAGMA busy_timeout=" + std::to_string(impl.options.busy_timeout_ms)).c_str());
  impl.reader->exec("PRAGMA query_only=ON");
  check_schema_read_only(*impl.reader, impl);
  impl.commit = std::make_unique<GroupCommit>(*impl.reader, false);
}

}  // namespace

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;
const std::string& Store::path() const { return impl_->reader->path(); }

std::unique_ptr<Store> Store::open(const std::string& path, StoreOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->taxonomies = impl->options.taxonomies ? impl->options.taxonomies
                                              : std::make_shared<const taxonomy::TaxonomySet>(true);
  if (impl->options.key) impl->sealer = std::make_unique<Sealer>(*impl->options.key);
  if (impl->options.read_only) {
    open_read_only(*impl, path);
    return std::unique_ptr<Store>(new Store(std::move(impl)));
  }
  Db::OpenFlags flags;
  // Every connection writes through the coalescing layer (wal_coalescing_vfs.hpp).
  flags.vfs = coalescing_vfs(impl->options.vfs);
  impl->writer = std::make_unique<Db>(path, flags);
  if (impl->writer->read_only())
    throw Error(ErrorCode::Io,
                "the store is read-only (file or directory permissions, or a "
                "read-only mount): " +
                    path);
  configure(*impl->writer, impl->options);
  // The only CHECK (operations.kind) is enforced by insert_op, the column's one writer: SQLite
  // would build a temporary b-tree for its IN list on every INSERT.
  impl->writer->exec("PRAGMA ignore_check_constraints=ON");
  prepare_schema(*impl->writer, *impl);
  flags.create = false;
  impl->reader = std::make_unique<Db>(path, flags);
  configure(*impl->reader, impl->options);
  impl->reader->exec("PRAGMA query_only=ON");
  impl->commit = std::make_unique<GroupCommit>(
      *impl->writer, impl->options.synchronous == StoreOptions::Synchronous::Full);
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

namespace {

// Copies what it reports: a batch's jobs may be run twice (see GroupCommit).
WriteResult refused(const PreparedEvent& p) {
  WriteResult r;
  r.local_id = p.local_id;
  r.validation = p.validation;
  if (r.validation.valid) {
    // A draft without a usable local_id: say so as an issue, like the validator would.
    r.validation.valid = false;
    r.validation.issues.push_back(taxonomy::Issue{taxonomy::Severity::Error, "invalid-local-id",
                                                  "/local_id", "",
                                                  "a draft needs a valid local_id"});
  }
  return r;
}

}  // namespace

WriteResult Store::record(std::string_view event_json, bool draft) {
  // Announced before the preparation, so that a commit leader can wait for this call.
  GroupCommit::Arrival arrival(*impl_->commit);
  PreparedEvent p = prepare_event(*impl_, event_json, draft);
  if (!p.acceptable) return refused(p);
  WriteResult r;
  impl_->commit->run_one([&](Db& db) { r = write_event(db, *impl_, p, WriteMode::Record); }, true,
                         &arrival);
  return r;
}

std::vector<WriteResult> Store::record_batch(const std::vector<std::string>& events, bool draft) {
  std::vector<WriteResult> results(events.size());
  if (events.empty()) return results;
  // Validated, mapped and sealed on other threads while the transaction writes the events
  // already prepared (or all before it, for a small batch): see PreparedBatch.
  PreparedBatch prepared(*impl_, events, draft);
  std::vector<GroupCommit::Job> jobs;
  std::vector<std::size_t> index;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (prepared.ready() && !prepared.get(i).acceptable) {
      results[i] = refused(prepared.get(i));
      continue;
    }
    index.push_back(i);
    jobs.push_back([this, &prepared, &results, i](Db& db) {
      PreparedEvent* p = nullptr;
      try {
        p = &prepared.get(i);
      } catch (...) {
        // A batch is one call: an event that could not be prepared fails all of it.
        throw GroupCommit::AbortCall{std::current_exception()};
      }
      results[i] = p->acceptable ? write_event(db, *impl_, *p, WriteMode::Record) : refused(*p);
    });
  }
  if (jobs.empty()) return results;
  auto errors = impl_->commit->run(std::move(jobs));
  // A batch is one transaction: if it failed as a whole, say so; a single event's conflict
  // (already recorded) is reported in its own result without failing the others.
  for (std::size_t k = 0; k < errors.size(); ++k) {
    if (!errors[k]) continue;
    try {
      std::rethrow_exception(errors[k]);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::Conflict && e.code() != ErrorCode::NotFound) throw;
      WriteResult& r = results[index[k]];
      r = WriteResult{};
      r.local_id = prepared.get(index[k]).local_id;
      r.validation.valid = false;
      r.validation.issues.push_back(
          taxonomy::Issue{taxonomy::Severity::Error, "conflict", "/local_id", "", e.what()});
    }
  }
  return results;
}

WriteResult Store::update(std::string_view event_json, bool draft) {
  GroupCommit::Arrival arrival(*impl_->commit);
  PreparedEvent p = prepare_event(*impl_, event_json, draft);
  if (!p.acceptable) return refused(p);
  WriteResult r;
  impl_->commit->run_one([&](Db& db) { r = write_event(db, *impl_, p, WriteMode::Update); }, true,
                         &arrival);
  return r;
}

WriteResult Store::withdraw(std::string_view local_id) {
  std::string id(local_id);
  core::UnixMillis now = impl_->now();
  std::string op_id = core::uuid_v7(now), key = core::uuid_v7(now);
  WriteResult r;
  impl_->commit->run_one([&](Db& db) { r = withdraw_event(db, *impl_, id, op_id, key); });
  return r;
}

std::string Store::integrity_check() {
  std::lock_guard<std::mutex> lock(impl_->read_mutex);
  std::string out;
  try {
    Stmt st(*impl_->reader, "PRAGMA integrity_check");
    while (st.step()) {
      if (!out.empty()) out += "\n";
      out += st.text_at(0);
    }
  } catch (const Error& e) {
    // Damage bad enough to stop the check is its answer too.
    if (e.code() != ErrorCode::Corrupt) throw;
    out += (out.empty() ? "" : "\n") + std::string(e.what());
  }
  return out;
}

std::string WriteResult::json() const {
  std::string o = "{\"local_id\":";
  core::json_append_string(o, local_id);
  o += ",\"stored\":";
  o += stored ? "true" : "false";
  o += ",\"state\":";
  if (stored) {
    core::json_append_string(o, state);
  } else {
    o += "null";
  }
  o += ",\"revision\":" + std::to_string(revision) + ",\"operation\":";
  if (op_id.empty()) {
    o += "null";
  } else {
    o += "{\"op_id\":";
    core::json_append_string(o, op_id);
    o += ",\"kind\":";
    core::json_append_string(o, op_kind);
    o += ",\"idempotency_key\":";
    core::json_append_string(o, idempotency_key);
    o += "}";
  }
  o += ",\"issues\":";
  taxonomy::append_issues_json(o, validation.issues);
  o += "}";
  return o;
}

}  // namespace lfpse::store
