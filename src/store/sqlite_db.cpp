#include "store/sqlite_db.hpp"

#include <sqlite3.h>

#include <cctype>
#include <filesystem>

#include "core/error.hpp"

namespace lfpse::store {

using core::Error;
using core::ErrorCode;

namespace {

ErrorCode code_for(int rc) {
  switch (rc & 0xFF) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return ErrorCode::Corrupt;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CONSTRAINT:
      return ErrorCode::Conflict;
    case SQLITE_NOMEM:
      return ErrorCode::NoMemory;
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
    case SQLITE_ERROR:
      return ErrorCode::Internal;
    default:
      return ErrorCode::Io;
  }
}

// A sentence a support engineer can act on, ahead of SQLite's own text.
const char* hint_for(int rc) {
  switch (rc & 0xFF) {
    case SQLITE_FULL:
      return "disk full or the store's size limit reached; nothing of this call was stored";
    case SQLITE_READONLY:
      return "the store is read-only (file or directory permissions, or a read-only mount)";
    case SQLITE_CANTOPEN:
      return "cannot open the store file";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return "the store file is corrupt or not a database";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "the store is locked by another connection for longer than the busy timeout";
    case SQLITE_IOERR:
      return "input/output error on the store file";
    default:
      return nullptr;
  }
}

// The "file:" URI of a path, for SQLite's URI parameters: every byte but the unreserved ones
// and '/' percent-encoded. An absolute path gets an empty authority ("file:///tmp/x").
std::string file_uri(const std::string& path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string uri = path.rfind('/', 0) == 0 ? "file://" : "file:";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~') {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 15];
    }
  }
  return uri;
}

}  // namespace

Db::Db(const std::string& path, const OpenFlags& flags) : path_(path) {
  int f = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  f |= flags.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (flags.create && !flags.read_only) f |= SQLITE_OPEN_CREATE;
  open(path, f, flags.vfs);
  if (flags.read_only) open_as_it_stands_if_needed(flags.vfs);
}

void Db::open(const std::string& name, int sqlite_flags, const std::string& vfs) {
  int rc = sqlite3_open_v2(name.c_str(), &db_, sqlite_flags, vfs.empty() ? nullptr : vfs.c_str());
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    const char* hint = hint_for(rc);
    throw Error(code_for(rc), std::string(hint ? hint : "cannot open the store") + ": " + msg +
                                  " (" + path_ + ")");
  }
  sqlite3_extended_result_codes(db_, 1);
}

void Db::open_as_it_stands_if_needed(const std::string& vfs) {
  // A WAL file read read-only still needs its -shm index, which SQLite cannot create when the
  // directory is not writable (a backup on read-only media, a chmod a-w copy). Without a log
  // holding commits, the file alone is the whole store: read it as it stands (immutable).
  int rc = sqlite3_exec(db_, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr);
  if ((rc & 0xFF) != SQLITE_READONLY && (rc & 0xFF) != SQLITE_CANTOPEN) return;
  std::error_code ec;
  std::uintmax_t log = std::filesystem::file_size(path_ + "-wal", ec);
  if (!ec && log > 0)
    throw Error(ErrorCode::Io,
                "the store's write-ahead log holds commits that cannot be read without write "
                "access to its directory: copy the store with its -wal file to a writable "
                "directory (" +
                    path_ + ")");
  sqlite3_close_v2(db_);
  db_ = nullptr;
  open(file_uri(path_) + "?immutable=1",
       SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, vfs);
}

Db::~Db() {
  for (auto& [sql, list] : idle_)
    for (sqlite3_stmt* st : list) sqlite3_finalize(st);
  sqlite3_close_v2(db_);
}

sqlite3_stmt* Db::acquire(std::string_view sql, IdleList*& home) {
  auto it = idle_.find(sql);
  if (it == idle_.end()) it = idle_.emplace(std::string(sql), IdleList{}).first;
  home = &it->second;
  if (!home->empty()) {
    sqlite3_stmt* st = home->back();
    home->pop_back();
    return st;
  }
  sqlite3_stmt* st = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &st, nullptr);
  if (rc != SQLITE_OK) fail(rc, "prepare");
  return st;
}

void Db::release(IdleList& home, sqlite3_stmt* st) {
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);  // also lets go of bytes bound without a copy (bind_blob_ref)
  home.push_back(st);
}

void Db::fail(int rc, const char* what) const {
  const char* hint = hint_for(rc);
  std::string msg = hint ? std::string(hint) + " (" + what + ": " : std::string(what) + " (";
  msg += sqlite3_errmsg(db_);
  msg += ", " + path_ + ")";
  throw Error(code_for(rc), msg);
}

void Db::exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) fail(rc, sql);
}

int64_t Db::query_int(const char* sql) {
  Stmt st(*this, sql);
  return st.step() ? st.int_at(0) : 0;
}

std::string Db::query_text(const char* sql) {
  Stmt st(*this, sql);
  return st.step() ? st.text_at(0) : std::string();
}

bool Db::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }
bool Db::read_only() const { return sqlite3_db_readonly(db_, "main") == 1; }
int64_t Db::changes() const { return sqlite3_changes64(db_); }
int64_t Db::total_changes() const { return sqlite3_total_changes64(db_); }
int64_t Db::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

Stmt::Stmt(Db& db, std::string_view sql) : db_(db) { st_ = db.acquire(sql, home_); }

Stmt::~Stmt() { Db::release(*home_, st_); }

Stmt& Stmt::bind(int i, int64_t v) {
  int rc = sqlite3_bind_int64(st_, i, v);
  if (rc != SQLITE_OK) db_.fail(rc, "bind");
  return *this;
}

Stmt& Stmt::bind(int i, std::string_view text) {
  int rc = sqlite3_bind_text64(st_, i, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) db_.fail(rc, "bind");
  return *this;
}

Stmt& Stmt::bind_blob(int i, std::string_view bytes) {
  int rc = sqlite3_bind_blob64(st_, i, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) db_.fail(rc, "bind");
  return *this;
}

Stmt& Stmt::bind_blob_ref(int i, std::string_view bytes) {
  int rc = sqlite3_bind_blob64(st_, i, bytes.data(), bytes.size(), SQLITE_STATIC);
  if (rc != SQLITE_OK) db_.fail(rc, "bind");
  return *this;
}

Stmt& Stmt::bind_null(int i) {
  int rc = sqlite3_bind_null(st_, i);
  if (rc != SQLITE_OK) db_.fail(rc, "bind");
  return *this;
}

Stmt& Stmt::bind(int i, const std::optional<std::string>& v) {
  return v ? bind(i, std::string_view(*v)) : bind_null(i);
}

bool Stmt::step() {
  int rc = sqlite3_step(st_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3_reset(st_);
  db_.fail(rc, "step");
}

void Stmt::run() {
  while (step()) {
  }
}

void Stmt::reset() {
  sqlite3_reset(st_);
  sqlite3_clear_bindings(st_);
}

bool Stmt::is_null(int col) const { return sqlite3_column_type(st_, col) == SQLITE_NULL; }
int64_t Stmt::int_at(int col) const { return sqlite3_column_int64(st_, col); }

std::string Stmt::text_at(int col) const {
  const void* p = sqlite3_column_blob(st_, col);
  int n = sqlite3_column_bytes(st_, col);
  return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}

std::optional<std::string> Stmt::opt_text_at(int col) const {
  if (is_null(col)) return std::nullopt;
  return text_at(col);
}

Transaction::Transaction(Db& db, bool immediate) : db_(db) {
  Stmt(db_, immediate ? "BEGIN IMMEDIATE" : "BEGIN").run();
}

Transaction::~Transaction() {
  // SQLite may already have rolled back on its own (SQLITE_FULL, IOERR): check first.
  if (!done_ && db_.in_transaction())
    sqlite3_exec(db_.raw(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  Stmt(db_, "COMMIT").run();
  done_ = true;
}

void Transaction::rollback() {
  done_ = true;
  if (db_.in_transaction()) Stmt(db_, "ROLLBACK").run();
}

}  // namespace lfpse::store
