// The one wrapper around SQLite: a connection, prepared statements, transactions, and the
// translation of SQLite's result codes into core::Error. Nothing else includes sqlite3.h.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace lfpse::store {

/// One connection. Not thread-safe: the owner serialises its use (Store does).
class Db {
 public:
  struct OpenFlags {
    bool create = true;
    bool read_only = false;  ///< SQLITE_OPEN_READONLY (see open_as_it_stands_if_needed)
    std::string vfs;         ///< empty: the default VFS
  };
  Db(const std::string& path, const OpenFlags& flags);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  /// Runs one or more statements with no parameters and no rows wanted.
  void exec(const char* sql);
  /// The first column of the first row as an integer (for PRAGMAs and counts).
  int64_t query_int(const char* sql);
  std::string query_text(const char* sql);

  bool in_transaction() const;
  /// True when the connection cannot write the file (permissions, read-only mount).
  bool read_only() const;
  int64_t changes() const;
  /// Rows changed by this connection since it opened (tells whether a failed call wrote).
  int64_t total_changes() const;
  /// The rowid of the last row this connection inserted (cheaper than RETURNING, which makes
  /// SQLite build a temporary table for every execution).
  int64_t last_insert_rowid() const;
  sqlite3* raw() { return db_; }
  const std::string& path() const { return path_; }

  /// Throws core::Error for a failed SQLite call, with a message that names the cause.
  [[noreturn]] void fail(int rc, const char* what) const;

 private:
  friend class Stmt;
  void open(const std::string& name, int sqlite_flags, const std::string& vfs);
  /// Read-only: falls back to reading the file as it stands when SQLite cannot make its -shm.
  void open_as_it_stands_if_needed(const std::string& vfs);
  using IdleList = std::vector<sqlite3_stmt*>;
  // Prepared statements are kept for reuse: preparing costs more than running most of ours.
  // Found by their text in an ordered map, whose few comparisons stop at the first differing
  // character, where hashing would read the whole text twice per use; `home` is the list the
  // statement goes back to.
  sqlite3_stmt* acquire(std::string_view sql, IdleList*& home);
  static void release(IdleList& home, sqlite3_stmt* st);

  sqlite3* db_ = nullptr;
  std::string path_;
  std::map<std::string, IdleList, std::less<>> idle_;
};

/// A prepared statement (from the connection's cache), reset and returned to the cache on
/// destruction; bind indexes start at 1.
class Stmt {
 public:
  Stmt(Db& db, std::string_view sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int i, int64_t v);
  Stmt& bind(int i, std::string_view text);  ///< bound as TEXT
  Stmt& bind(int i, const std::string& text) { return bind(i, std::string_view(text)); }
  Stmt& bind(int i, const char* text) { return bind(i, std::string_view(text)); }
  Stmt& bind_blob(int i, std::string_view bytes);
  /// Binds the bytes without copying them: they must stay unchanged until this Stmt is reset or
  /// destroyed (for large values that outlive the statement, such as a prepared event's).
  Stmt& bind_blob_ref(int i, std::string_view bytes);
  Stmt& bind_null(int i);
  Stmt& bind(int i, const std::optional<std::string>& v);

  /// True when a row is available, false when done; throws on error.
  bool step();
  /// Steps to completion, expecting no row.
  void run();
  void reset();

  bool is_null(int col) const;
  int64_t int_at(int col) const;
  std::string text_at(int col) const;  ///< TEXT or BLOB bytes; "" for NULL
  std::optional<std::string> opt_text_at(int col) const;

 private:
  Db::IdleList* home_ = nullptr;
  sqlite3_stmt* st_ = nullptr;
  Db& db_;
};

/// BEGIN IMMEDIATE on construction, ROLLBACK on destruction unless committed.
class Transaction {
 public:
  explicit Transaction(Db& db, bool immediate = true);
  ~Transaction();
  void commit();
  void rollback();

 private:
  Db& db_;
  bool done_ = false;
};

}  // namespace lfpse::store
