// Opening a store, and the LRMS's writes: record, update, withdraw (each one transaction).
#include "store/store.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/json_writer.hpp"
#include "store/event_writes.hpp"
#include "store/internal.hpp"

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

// A store is one file: SQLite's in-memory and temporary databases and its URIs (which could
// name another VFS or mode) are refused, and a missing folder is named with the OS's reason
// rather than SQLite's "unable to open database file".
void check_path(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0)
    throw Error(
        ErrorCode::Invalid,
        "a store path names a file (not \"\", \":memory:\" or a file: URI): \"" + path + "\"");
  std::string::size_type slash = path.find_last_of('/');
  std::string dir = slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0)
    throw Error(ErrorCode::Io, "cannot open the store: its folder " + dir + ": " +
                                   std::strerror(errno) + " (" + path + ")");
  if (!S_ISDIR(st.st_mode))
    throw Error(ErrorCode::Io, "cannot open the store: " + dir + " is not a folder (" + path + ")");
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
  impl.commit = std::make_unique<GroupCommit>(*impl.reader, *impl.reader);
}

}  // namespace

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;
const std::string& Store::path() const { return impl_->reader->path(); }

std::unique_ptr<Store> Store::open(const std::string& path, StoreOptions options) {
  check_path(path);
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
  flags.vfs = impl->options.vfs;  // SQLite's own VFS unless a test names another
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
  // Leases commit on a connection of their own that stays at NORMAL for its whole life, so the
  // records' connection never changes its synchronous mode (see GroupCommit).
  impl->leases = std::make_unique<Db>(path, flags);
  configure(*impl->leases, impl->options);
  impl->leases->exec("PRAGMA synchronous=NORMAL");
  impl->commit = std::make_unique<GroupCommit>(*impl->writer, *impl->leases);
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
  const PreparedEvent p = prepare_event(*impl_, event_json, draft);
  if (!p.acceptable) return refused(p);
  WriteResult r;
  impl_->commit->run_one([&](Db& db) { r = write_event(db, *impl_, p, WriteMode::Record); });
  return r;
}

std::vector<WriteResult> Store::record_batch(const std::vector<std::string>& events, bool draft) {
  std::vector<WriteResult> results(events.size());
  if (events.empty()) return results;
  // Validated, mapped and sealed before the transaction, or with preparing threads while it
  // writes the events already prepared: see PreparedBatch.
  PreparedBatch prepared(*impl_, events, draft, impl_->options.prepare_threads);
  std::vector<GroupCommit::Job> jobs;
  std::vector<std::size_t> index;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (prepared.ready() && !prepared.get(i).acceptable) {
      results[i] = refused(prepared.get(i));
      continue;
    }
    index.push_back(i);
    jobs.push_back([this, &prepared, &results, i](Db& db) {
      const PreparedEvent* p = nullptr;
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
  const PreparedEvent p = prepare_event(*impl_, event_json, draft);
  if (!p.acceptable) return refused(p);
  WriteResult r;
  impl_->commit->run_one([&](Db& db) { r = write_event(db, *impl_, p, WriteMode::Update); });
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
  core::JsonWriter w;
  w.begin_object().member("local_id", local_id).member("stored", stored).key("state");
  if (stored) {
    w.value(state);
  } else {
    w.null();
  }
  w.member("revision", revision).key("operation");
  if (op_id.empty()) {
    w.null();
  } else {
    w.begin_object().member("op_id", op_id).member("kind", op_kind);
    w.member("idempotency_key", idempotency_key).end_object();
  }
  w.key("issues").value_by(
      [this](std::string& o) { taxonomy::append_issues_json(o, validation.issues); });
  return w.end_object().take();
}

}  // namespace lfpse::store
