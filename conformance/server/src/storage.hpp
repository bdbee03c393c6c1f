// SQLite storage with group commit.
//
// Every change runs on one writer thread: jobs queued by concurrent requests are run one
// after another inside one transaction (each in its own savepoint, so a failing job undoes
// only itself), then one COMMIT with synchronous=FULL makes the whole batch durable and every
// waiting request is released. Many requests share one fsync, and because one thread writes,
// the checks a job makes (idempotency keys, If-Match, duplicates) cannot race.
// Reads use a pool of read-only connections, each read inside one snapshot (WAL).
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace lfpse::server {

class Db {
 public:
  Db(const std::string& path, bool writer);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(const char* sql);
  /// Cached per connection, keyed by the text's address: `sql` must be a string literal.
  sqlite3_stmt* prepare(const char* sql);
  sqlite3* handle() { return db_; }
  bool has_column(const char* table, const char* column);

  int64_t last_change_ms = 0;  ///< writer only: change instants never go backwards

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
};

/// A cached statement, reset and unbound when it goes out of scope.
class Stmt {
 public:
  Stmt(Db& db, const char* sql);
  ~Stmt();
  Stmt& bind(int i, const std::string& v);
  Stmt& bind(int i, int64_t v);
  Stmt& bind_null(int i);
  Stmt& bind_opt(int i, const std::optional<std::string>& v);
  bool step();  ///< true: a row; false: done. Throws on error.
  std::string text(int col) const;
  std::optional<std::string> opt_text(int col) const;
  int64_t integer(int col) const;
  bool is_null(int col) const;

 private:
  sqlite3_stmt* s_;
};

class Storage {
 public:
  explicit Storage(const std::string& path);
  ~Storage();

  /// Runs `fn` on the writer thread in the current batch's transaction; returns once that
  /// batch has committed. An exception from `fn` undoes `fn`'s writes and is rethrown here.
  void write(std::function<void(Db&)> fn);
  /// Runs every job in order, queued together so they share a commit (a batch Bundle's
  /// entries); returns once all have committed, then rethrows the first job's exception.
  void write_all(std::vector<std::function<void(Db&)>> fns);
  /// Runs `fn` on a read connection inside one read transaction (a consistent snapshot).
  void read(const std::function<void(Db&)>& fn);

  /// Finishes queued writes, then stops the writer. Called on shutdown.
  void stop();

  std::string path() const { return path_; }
  uint64_t commits() const { return commits_; }
  uint64_t jobs() const { return jobs_done_; }

 private:
  struct Job {
    std::function<void(Db&)> fn;
    std::exception_ptr error;
    bool done = false;
    std::condition_variable cv;  // its own: a commit wakes only the requests it finished
  };
  void writer_loop();
  void checkpoint_loop();

  std::string path_;
  std::unique_ptr<Db> writer_db_;
  std::thread writer_;
  std::mutex mutex_;
  std::condition_variable queued_cv_;
  bool writer_waiting_ = false;
  std::thread checkpointer_;
  std::condition_variable checkpoint_cv_;
  std::deque<std::shared_ptr<Job>> queue_;
  bool stopping_ = false;
  uint64_t commits_ = 0, jobs_done_ = 0;

  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Db>> pool_;
};

}  // namespace lfpse::server
