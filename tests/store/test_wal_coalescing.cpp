// The WAL coalescing layer under every store connection: fewer writes, same visibility and
// durability. (Power loss and SIGKILL through it: test_powerloss.cpp, test_crash_loop.cpp.)
#include <doctest/doctest.h>

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
