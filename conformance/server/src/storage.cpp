#include "storage.hpp"

#include <chrono>
#include <stdexcept>

#include "secrets.hpp"

namespace lfpse::server {

namespace {
void check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
    throw std::runtime_error(std::string("sqlite: ") + what + ": " + sqlite3_errmsg(db));
}

const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events(
  id TEXT PRIMARY KEY,
  org TEXT NOT NULL,
  local_id TEXT,
  version INTEGER NOT NULL,
  withdrawn INTEGER NOT NULL DEFAULT 0,
  reference TEXT NOT NULL,
  route TEXT NOT NULL,
  review_status TEXT,
  review_comment TEXT,
  last_updated TEXT NOT NULL,
  head_seq INTEGER NOT NULL);  -- the change holding the current version (one copy of each)
CREATE INDEX IF NOT EXISTS events_live_local ON events(org, local_id)
  WHERE local_id IS NOT NULL AND withdrawn = 0;
CREATE TABLE IF NOT EXISTS changes(
  seq INTEGER PRIMARY KEY,
  org TEXT NOT NULL,
  event_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  method TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  resource TEXT,
  org_seq INTEGER NOT NULL DEFAULT 0);  -- the organisation's own count: what cursors hold
)SQL";

// A database of a server before per-organisation feed positions: number each organisation's
// changes in sequence order (its old cursors then answer 410 and its client re-reads).
const char* kAddOrgSeq = R"SQL(
ALTER TABLE changes ADD COLUMN org_seq INTEGER NOT NULL DEFAULT 0;
UPDATE changes SET org_seq = r.n
  FROM (SELECT seq, row_number() OVER (PARTITION BY org ORDER BY seq) AS n FROM changes) AS r
  WHERE changes.seq = r.seq;
DROP INDEX IF EXISTS changes_org_seq;
)SQL";

const char* kSchemaRest = R"SQL(
CREATE UNIQUE INDEX IF NOT EXISTS changes_org_pos ON changes(org, org_seq);
CREATE INDEX IF NOT EXISTS changes_org_at ON changes(org, at_ms);
CREATE INDEX IF NOT EXISTS changes_event ON changes(event_id, version);
CREATE TABLE IF NOT EXISTS idempotency(
  org TEXT NOT NULL,
  key TEXT NOT NULL,
  body_sha256 TEXT NOT NULL,
  event_id TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  PRIMARY KEY(org, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS counters(org TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS used_jti(
  client TEXT NOT NULL,
  jti TEXT NOT NULL,
  expires_ms INTEGER NOT NULL,  -- the assertion's exp plus the clock skew allowed
  PRIMARY KEY(client, jti)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS access_tokens(
  token_sha256 TEXT PRIMARY KEY,
  org TEXT NOT NULL,
  expires_ms INTEGER NOT NULL) WITHOUT ROWID;
)SQL";
}  // namespace

Db::Db(const std::string& path, bool writer) {
  int flags = writer ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) : SQLITE_OPEN_READONLY;
  flags |= SQLITE_OPEN_NOMUTEX;  // each connection is used by one thread at a time
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error("sqlite: cannot open " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db_, 10000);
  if (writer) {
    exec("PRAGMA journal_mode=WAL");
    // Durable before the answer: the commit's fsync is what a 201 promises.
    exec("PRAGMA synchronous=FULL");
    exec("PRAGMA foreign_keys=OFF");
    // Checkpoints run on their own thread (Storage::checkpoint_loop), not inside a commit.
    exec("PRAGMA wal_autocheckpoint=0");
    // Freed pages are zeroed, so deleted credentials do not linger in the file.
    exec("PRAGMA secure_delete=ON");
    exec(kSchema);
    if (!has_column("changes", "org_seq")) {
      exec("BEGIN IMMEDIATE");
      exec(kAddOrgSeq);
      exec("COMMIT");
    }
    exec(kSchemaRest);
    Stmt s(*this, "SELECT coalesce(max(at_ms), 0) FROM changes");
    if (s.step()) last_change_ms = s.integer(0);
  }
}

bool Db::has_column(const char* table, const char* column) {
  std::string sql = std::string("PRAGMA table_info(") + table + ")";
  sqlite3_stmt* s = nullptr;
  check(db_, sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr), "table_info");
  bool found = false;
  while (sqlite3_step(s) == SQLITE_ROW) {
    const unsigned char* name = sqlite3_column_text(s, 1);
    found = found || (name && std::string(reinterpret_cast<const char*>(name)) == column);
  }
  sqlite3_finalize(s);
  return found;
}

Db::~Db() {
  for (auto& kv : cache_) sqlite3_finalize(kv.second);
  sqlite3_close(db_);
}

void Db::exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    throw std::runtime_error("sqlite: " + msg);
  }
}

sqlite3_stmt* Db::prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return it->second;
  sqlite3_stmt* s = nullptr;
  check(db_, sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr), sql);
  cache_.emplace(sql, s);
  return s;
}

Stmt::Stmt(Db& db, const char* sql) : s_(db.prepare(sql)) {}
Stmt::~Stmt() {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
}
Stmt& Stmt::bind(int i, const std::string& v) {
  sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::bind(int i, int64_t v) {
  sqlite3_bind_int64(s_, i, v);
  return *this;
}
Stmt& Stmt::bind_null(int i) {
  sqlite3_bind_null(s_, i);
  return *this;
}
Stmt& Stmt::bind_opt(int i, const std::optional<std::string>& v) {
  return v ? bind(i, *v) : bind_null(i);
}
bool Stmt::step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(sqlite3_db_handle(s_)));
}
std::string Stmt::text(int col) const {
  const unsigned char* p = sqlite3_column_text(s_, col);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<std::size_t>(sqlite3_column_bytes(s_, col)))
           : std::string();
}
std::optional<std::string> Stmt::opt_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return text(col);
}
int64_t Stmt::integer(int col) const { return sqlite3_column_int64(s_, col); }
bool Stmt::is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }

Storage::Storage(const std::string& path) : path_(path) {
  restrict_file_modes(path);
  writer_db_ = std::make_unique<Db>(path, true);
  writer_ = std::thread([this] { writer_loop(); });
  checkpointer_ = std::thread([this] { checkpoint_loop(); });
}

void Storage::checkpoint_loop() {
  // PASSIVE never blocks the writer; the WAL is copied back while commits go on.
  Db db(path_, true);
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    checkpoint_cv_.wait_for(lock, std::chrono::milliseconds(500));
    lock.unlock();
    sqlite3_wal_checkpoint_v2(db.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
  }
  lock.unlock();
  sqlite3_wal_checkpoint_v2(db.handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
}

Storage::~Storage() { stop(); }

void Storage::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ && !writer_.joinable()) return;
    stopping_ = true;
  }
  queued_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  checkpoint_cv_.notify_all();
  if (checkpointer_.joinable()) checkpointer_.join();
}

void Storage::write(std::function<void(Db&)> fn) {
  auto job = std::make_shared<Job>();
  job->fn = std::move(fn);
  std::unique_lock<std::mutex> lock(mutex_);
  if (stopping_) throw std::runtime_error("storage: shutting down");
  queue_.push_back(job);
  if (writer_waiting_) queued_cv_.notify_one();
  job->cv.wait(lock, [&] { return job->done; });
  lock.unlock();
  if (job->error) std::rethrow_exception(job->error);
}

void Storage::write_all(std::vector<std::function<void(Db&)>> fns) {
  if (fns.empty()) return;
  std::vector<std::shared_ptr<Job>> jobs;
  jobs.reserve(fns.size());
  for (auto& fn : fns) {
    jobs.push_back(std::make_shared<Job>());
    jobs.back()->fn = std::move(fn);
  }
  std::unique_lock<std::mutex> lock(mutex_);
  if (stopping_) throw std::runtime_error("storage: shutting down");
  for (auto& job : jobs) queue_.push_back(job);
  if (writer_waiting_) queued_cv_.notify_one();
  for (auto& job : jobs) job->cv.wait(lock, [&] { return job->done; });
  lock.unlock();
  for (auto& job : jobs) {
    if (job->error) std::rethrow_exception(job->error);
  }
}

void Storage::writer_loop() {
  // Bounded so that one batch's latency stays small under a flood.
  constexpr std::size_t kMaxBatch = 256;
  Db& db = *writer_db_;
  for (;;) {
    std::vector<std::shared_ptr<Job>> batch;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      writer_waiting_ = true;
      queued_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      writer_waiting_ = false;
      if (queue_.empty() && stopping_) break;
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::exception_ptr batch_error;
    try {
      // Prepared once (not sqlite3_exec's parse per call): these run for every job.
      Stmt(db, "BEGIN IMMEDIATE").step();
      for (auto& job : batch) {
        Stmt(db, "SAVEPOINT job").step();
        int64_t saved_ms = db.last_change_ms;
        try {
          job->fn(db);
          Stmt(db, "RELEASE job").step();
        } catch (...) {
          job->error = std::current_exception();
          db.last_change_ms = saved_ms;
          Stmt(db, "ROLLBACK TO job").step();
          Stmt(db, "RELEASE job").step();
        }
      }
      Stmt(db, "COMMIT").step();
    } catch (...) {
      batch_error = std::current_exception();
      sqlite3_exec(db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++commits_;
      for (auto& job : batch) {
        if (batch_error) job->error = batch_error;
        job->done = true;
        ++jobs_done_;
      }
    }
    // Woken after the unlock, so they do not wake only to wait for the writer's mutex. The
    // batch's shared_ptrs keep every condition variable alive until then.
    for (auto& job : batch) job->cv.notify_one();
  }
}

void Storage::read(const std::function<void(Db&)>& fn) {
  std::unique_ptr<Db> db;
  {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    if (!pool_.empty()) {
      db = std::move(pool_.back());
      pool_.pop_back();
    }
  }
  if (!db) db = std::make_unique<Db>(path_, false);
  struct Return {
    Storage* s;
    std::unique_ptr<Db>* db;
    ~Return() {
      sqlite3_exec((*db)->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
      std::lock_guard<std::mutex> lock(s->pool_mutex_);
      s->pool_.push_back(std::move(*db));
    }
  } give_back{this, &db};
  db->exec("BEGIN");
  fn(*db);
}

}  // namespace lfpse::server
