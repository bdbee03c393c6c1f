// The WAL coalescing layer under every store connection: fewer writes, same visibility and
// durability. (Power loss and SIGKILL through it: test_powerloss.cpp, test_crash_loop.cpp.)
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "store/sqlite_db.hpp"
#include "store/wal_coalescing_vfs.hpp"

using lfpse::store::coalescing_stats;
using lfpse::store::Db;
using lfpse::store::Store;
using lfpse::store::StoreOptions;
using store_test::event;
using store_test::TempDir;

namespace {

// What a plain SQLite connection, without the layer, sees in the file right now.
int64_t events_seen_by_plain_sqlite(const std::string& path) {
  Db plain(path, Db::OpenFlags{false, true, ""});
  return plain.query_int("SELECT count(*) FROM events");
}

// Runs `work` in a child process that ends with _exit as soon as it returns (no close, no
// checkpoint: as if killed that moment); returns its exit status, or -1 when it did not exit.
int status_of_child(const std::function<int()>& work) {
  pid_t child = fork();
  if (child < 0) return -1;
  if (child == 0) {
    int code = 2;
    try {
      code = work();
    } catch (...) {
    }
    _exit(code);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("wal coalescing: a commit reaches the file in one write, visible to other connections") {
  TempDir dir;
  auto store = Store::open(dir.file("s.db"), StoreOptions{});
  store->record(event("warm-up"));
  for (int i = 0; i < 20; ++i) {
    auto before = coalescing_stats();
    CHECK(store->record(event("E" + std::to_string(i))).stored);
    auto after = coalescing_stats();
    // SQLite wrote a header and a page per frame, about a dozen frames: one write below.
    CHECK(after.writes_in - before.writes_in >= 16);
    CHECK(after.writes_out - before.writes_out == 1);
    CHECK(events_seen_by_plain_sqlite(dir.file("s.db")) == i + 2);
  }
}

TEST_CASE(
    "wal coalescing: with synchronous=NORMAL (no sync at commit) a commit is visible at once") {
  TempDir dir;
  StoreOptions o;
  o.synchronous = StoreOptions::Synchronous::Normal;
  auto store = Store::open(dir.file("s.db"), o);
  for (int i = 0; i < 10; ++i) {
    CHECK(store->record(event("N" + std::to_string(i))).stored);
    CHECK(events_seen_by_plain_sqlite(dir.file("s.db")) == i + 1);
  }
}

TEST_CASE("wal coalescing: a lease, committed without a sync even under FULL, is visible at once") {
  TempDir dir;
  auto store = Store::open(dir.file("s.db"), StoreOptions{});
  for (int i = 0; i < 10; ++i) store->record(event("L" + std::to_string(i)));
  CHECK(store->claim_due(3, 60000).size() == 3);
  Db plain(dir.file("s.db"), Db::OpenFlags{false, true, ""});
  CHECK(plain.query_int("SELECT count(*) FROM operations WHERE state = 'sending'") == 3);
}

TEST_CASE("wal coalescing: a transaction larger than the page cache spills, reads back, commits") {
  TempDir dir;
  auto store = Store::open(dir.file("s.db"), StoreOptions{});
  std::vector<std::string> batch;
  for (int i = 0; i < 1500; ++i) batch.push_back(event("B" + std::to_string(i)));
  auto before = coalescing_stats();
  auto results = store->record_batch(batch);
  auto after = coalescing_stats();
  for (const auto& r : results) CHECK(r.stored);
  CHECK(after.writes_out < after.writes_in - before.writes_in);
  CHECK(events_seen_by_plain_sqlite(dir.file("s.db")) == 1500);
  CHECK(store->integrity_check() == "ok");
  store.reset();
  auto reopened = Store::open(dir.file("s.db"), StoreOptions{});
  CHECK(reopened->integrity_check() == "ok");
  CHECK(reopened->show_json("B1499").has_value());
}

TEST_CASE("wal coalescing: an unknown VFS below is refused clearly") {
  TempDir dir;
  StoreOptions o;
  o.vfs = "no-such-vfs";
  CHECK_THROWS_WITH(Store::open(dir.file("s.db"), o), doctest::Contains("no-such-vfs"));
}

TEST_CASE("wal coalescing: a large NORMAL commit survives its process dying as it returns") {
  // A transaction larger than the page cache rewrites frames it spilled, and SQLite rewrites
  // their checksums after writing the commit frame; without a sync at commit (NORMAL), those
  // rewrites must reach the file before the call returns, or recovery would stop short of it.
  TempDir dir;
  const std::string path = dir.file("s.db");
  REQUIRE(status_of_child([&] {
            StoreOptions o;
            o.synchronous = StoreOptions::Synchronous::Normal;
            auto store = Store::open(path, o);
            std::vector<std::string> batch;
            for (int i = 0; i < 1500; ++i) batch.push_back(event("K" + std::to_string(i)));
            bool all = true;
            for (const auto& r : store->record_batch(batch)) all = all && r.stored;
            return all ? 0 : 1;
          }) == 0);
  auto reopened = Store::open(path, StoreOptions{});  // recovers the WAL the child left
  CHECK(reopened->integrity_check() == "ok");
  CHECK(events_seen_by_plain_sqlite(path) == 1500);
}

TEST_CASE("wal coalescing: checksums SQLite rewrites after a commit frame reach the file at once") {
  // With a tiny page cache, one transaction spills the same pages more than once: SQLite then
  // overwrites frames it wrote earlier and, after writing the commit frame, rewrites their
  // checksums. Under synchronous=NORMAL nothing syncs after that, so the layer must not hold
  // those writes back: a process dying right after its commit would otherwise leave a WAL whose
  // recovery stops short of the transaction. (Two mechanisms guard this now: such rewrites are
  // written through at once, and the write lock's release writes out anything still gathered;
  // the test fails only with both removed.)
  TempDir dir;
  const std::string path = dir.file("t.db");
  REQUIRE(
      status_of_child([&] {
        Db db(path, Db::OpenFlags{true, false, lfpse::store::coalescing_vfs("")});
        db.exec(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=8;"
            "CREATE TABLE t(id INTEGER PRIMARY KEY, round INTEGER, v BLOB);"
            "BEGIN; WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 400) "
            "INSERT INTO t SELECT i, 0, randomblob(900) FROM k; COMMIT;"
            "BEGIN; UPDATE t SET round = 1, v = randomblob(900); UPDATE t SET round = 2;"
            "UPDATE t SET round = 3, v = randomblob(900); COMMIT;");
        return 0;
      }) == 0);
  Db plain(path, Db::OpenFlags{false, false, ""});
  CHECK(plain.query_text("PRAGMA integrity_check") == "ok");
  CHECK(plain.query_int("SELECT count(*) FROM t WHERE round = 3") == 400);
}

TEST_CASE("wal coalescing: frames of a rolled-back transaction never overwrite another's commit") {
  // Connection A spills frames of a transaction it then rolls back; B commits into the same
  // part of the WAL; A commits after it. A's abandoned frames must be dropped, not written
  // late over B's.
  TempDir dir;
  const std::string path = dir.file("t.db");
  const std::string vfs = lfpse::store::coalescing_vfs("");
  Db a(path, Db::OpenFlags{true, false, vfs});
  a.exec(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=8;"
      "CREATE TABLE t(id INTEGER PRIMARY KEY, who TEXT, v BLOB);");
  Db b(path, Db::OpenFlags{false, false, vfs});
  b.exec("PRAGMA synchronous=NORMAL");
  for (int round = 0; round < 5; ++round) {
    a.exec(
        "BEGIN; WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 60) "
        "INSERT INTO t(who, v) SELECT 'a-rolled-back', randomblob(900) FROM k; ROLLBACK;");
    b.exec("INSERT INTO t(who, v) VALUES ('b', randomblob(100))");
    a.exec("INSERT INTO t(who, v) VALUES ('a', randomblob(100))");
  }
  Db plain(path, Db::OpenFlags{false, true, ""});
  CHECK(plain.query_text("PRAGMA integrity_check") == "ok");
  CHECK(plain.query_int("SELECT count(*) FROM t WHERE who = 'b'") == 5);
  CHECK(plain.query_int("SELECT count(*) FROM t WHERE who = 'a'") == 5);
  CHECK(plain.query_int("SELECT count(*) FROM t WHERE who = 'a-rolled-back'") == 0);
}

TEST_CASE(
    "wal coalescing: two connections, random spills, commits and rollbacks agree with a model") {
  // Two connections through the layer take turns on one file with a tiny page cache, so that
  // large transactions spill, overwrite spilled frames and rewrite checksums; each transaction
  // commits or rolls back at random, and the WAL restarts after checkpoints. After every step a
  // plain SQLite connection must see exactly the rows committed so far.
  TempDir dir;
  const std::string path = dir.file("t.db");
  const std::string vfs = lfpse::store::coalescing_vfs("");
  std::vector<std::unique_ptr<Db>> conns;
  conns.push_back(std::make_unique<Db>(path, Db::OpenFlags{true, false, vfs}));
  conns[0]->exec("PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, n INTEGER)");
  conns.push_back(std::make_unique<Db>(path, Db::OpenFlags{false, false, vfs}));
  for (auto& c : conns) c->exec("PRAGMA cache_size=6; PRAGMA wal_autocheckpoint=300");
  std::map<int64_t, int64_t> model;  // id -> n, as committed
  std::mt19937 rng(20261126);
  for (int step = 0; step < 120; ++step) {
    Db& db = *conns[rng() % 2];
    db.exec(rng() % 2 ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL");
    const int rows = rng() % 3 == 0 ? 200 : 3;
    const int64_t first = step * 1000;
    std::map<int64_t, int64_t> pending = model;
    lfpse::store::Transaction tx(db);
    for (int i = 0; i < rows; ++i) {
      lfpse::store::Stmt st(db, "INSERT INTO t(id, n) VALUES (?1, ?2)");
      st.bind(1, first + i).bind(2, int64_t{step}).run();
      pending[first + i] = step;
    }
    if (!model.empty() && rng() % 2) {
      // Rewrite every row (many pages, spilled and overwritten within the transaction).
      lfpse::store::Stmt st(db, "UPDATE t SET n = n + 1");
      st.run();
      for (auto& [id, n] : pending) ++n;
    }
    if (rng() % 3 == 0) {
      tx.rollback();
    } else {
      tx.commit();
      model = std::move(pending);
    }
    Db plain(path, Db::OpenFlags{false, true, ""});
    lfpse::store::Stmt all(plain, "SELECT id, n FROM t ORDER BY id");
    std::map<int64_t, int64_t> seen;
    while (all.step()) seen[all.int_at(0)] = all.int_at(1);
    CAPTURE(step);
    REQUIRE(seen == model);
  }
  Db plain(path, Db::OpenFlags{false, true, ""});
  CHECK(plain.query_text("PRAGMA integrity_check") == "ok");
}
