// Group commit: callers queued behind a commit share the next one (and its WAL sync), leases
// commit apart, and a call that returned is on disk even when the power goes while the others
// are still committing.
#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "helpers.hpp"
#include "powerloss_vfs.hpp"
#include "store/group_commit.hpp"
#include "store/sqlite_db.hpp"

using namespace lfpse::store;
using namespace store_test;

namespace {

constexpr int kThreads = 8;

Db::OpenFlags spied() {
  Db::OpenFlags f;
  f.vfs = powerloss::kVfsName;
  return f;
}

StoreOptions through_vfs() {
  StoreOptions o = with_taxonomies({});
  o.vfs = powerloss::kVfsName;
  return o;
}

// Eight threads record `each` events apiece until done or a call fails; returns the ids of
// the calls that returned success.
std::vector<std::string> record_at_once(Store& s, const std::string& prefix, int each) {
  std::mutex m;
  std::vector<std::string> returned;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < each; ++i) {
        std::string id = prefix + std::to_string(t) + "-" + std::to_string(i);
        try {
          if (!s.record(event(id)).stored) return;
        } catch (const std::exception&) {
          return;  // the power is off: this call did not return success
        }
        std::lock_guard<std::mutex> lock(m);
        returned.push_back(id);
      }
    });
  for (auto& th : threads) th.join();
  return returned;
}

}  // namespace

TEST_CASE("group commit: the callers queued behind a commit share the next one and its fsync") {
  powerloss::install();
  powerloss::arm(-1);
  TempDir dir;
  const std::string path = dir.file("g.db");
  Db records(path, spied());
  records.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t(v INTEGER)");
  Db leases(path, spied());
  GroupCommit commit(records, leases);
  auto insert = [](int v) {
    return [v](Db& d) { Stmt(d, "INSERT INTO t(v) VALUES (?1)").bind(1, int64_t{v}).run(); };
  };
  // The first caller leads and is held inside its job until the others are all queued.
  std::atomic<bool> leading{false}, release{false};
  const int64_t before = powerloss::wal_syncs();
  std::thread first([&] {
    commit.run_one([&](Db& d) {
      leading = true;
      while (!release) std::this_thread::yield();
      insert(0)(d);
    });
  });
  while (!leading) std::this_thread::yield();
  std::vector<std::thread> others;
  for (int t = 1; t < kThreads; ++t) others.emplace_back([&, t] { commit.run_one(insert(t)); });
  while (commit.queued() < static_cast<std::size_t>(kThreads)) std::this_thread::yield();
  release = true;
  first.join();
  for (auto& th : others) th.join();
  // Two commits: the first caller's, then the seven queued behind it, together.
  CHECK(powerloss::wal_syncs() - before == 2);
  CHECK(records.query_int("SELECT count(*) FROM t") == kThreads);
  CHECK(commit.queued() == 0);
}

TEST_CASE("group commit: a batch of leases only commits on the leases' connection, unsynced") {
  powerloss::install();
  powerloss::arm(-1);
  TempDir dir;
  const std::string path = dir.file("l.db");
  Db records(path, spied());
  records.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t(v INTEGER)");
  Db leases(path, spied());
  leases.exec("PRAGMA synchronous=NORMAL");
  GroupCommit commit(records, leases);
  Db* used = nullptr;
  int64_t before = powerloss::wal_syncs();
  commit.run_one(
      [&](Db& d) {
        used = &d;
        Stmt(d, "INSERT INTO t(v) VALUES (1)").run();
      },
      false);
  CHECK(used == &leases);
  CHECK(powerloss::wal_syncs() == before);
  commit.run_one([&](Db& d) {
    used = &d;
    Stmt(d, "INSERT INTO t(v) VALUES (2)").run();
  });
  CHECK(used == &records);
  CHECK(powerloss::wal_syncs() == before + 1);
  CHECK(records.query_int("PRAGMA synchronous") == 2);  // FULL, never switched
  CHECK(records.query_int("SELECT count(*) FROM t") == 2);
}

TEST_CASE("group commit: every call that returned survives a power cut during shared commits") {
  powerloss::install();
  powerloss::set_sync_delay_us(500);
  TempDir dir;
  std::mt19937 rng(23);
  int checked = 0, lost = 0;
  for (int cut = 0; cut < 12; ++cut) {
    std::string path = dir.file("cut-" + std::to_string(cut) + ".db");
    std::vector<std::string> returned;
    {
      auto s = Store::open(path, through_vfs());
      powerloss::arm(20 + static_cast<int64_t>(rng() % 150));
      returned = record_at_once(*s, "C" + std::to_string(cut) + "-", 40);
    }
    powerloss::power_loss(rng, path);
    Db db(path, {});
    REQUIRE(db.query_text("PRAGMA integrity_check") == "ok");
    Stmt st(db,
            "SELECT count(*) FROM events e JOIN operations o ON o.local_id = e.local_id "
            "WHERE e.local_id = ?1 AND o.kind = 'create'");
    for (const auto& id : returned) {
      st.reset();
      st.bind(1, id);
      if (!st.step() || st.int_at(0) != 1) ++lost;
      ++checked;
    }
  }
  powerloss::set_sync_delay_us(0);
  MESSAGE(checked << " calls returned before the cuts, " << lost << " lost");
  CHECK(checked > 0);
  CHECK(lost == 0);
}
